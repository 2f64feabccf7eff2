"""Generated docs are current, and the README's commands are what CI runs."""

from __future__ import annotations

import re

from conftest import ROOT
from hplint.frontends.docs import generated_files


def test_generated_docs_are_current() -> None:
    stale = [str(p.relative_to(ROOT)) for p, content in generated_files(ROOT).items()
             if not p.exists() or p.read_text(encoding="utf-8") != content]
    assert not stale, f"run `python -m hplint.frontends.docs` to regenerate: {stale}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^(python3 -m venv .*)$", readme, re.M)
    assert len(commands) == 2, "the README starts with two set-up commands"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
    assert readme.index(commands[0]) < 400, "the set-up commands come first"


def test_every_rule_is_in_the_readme_table() -> None:
    from hplint.core.registry import all_rules

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"| {rule.code} |" in readme
