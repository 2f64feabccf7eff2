"""Fixture files: inline expectations (flake8-bugbear style) and fix pairs.

Layout, per family or rule (the folder name is the ``--select`` used)::

    tests/fixtures/HPL2/<case>.py          lines marked ``# expect: HPL201``
                                           must be reported, no other line may be
    tests/fixtures/HPL2/fixes/<case>.py    fix input
        <case>.fixed.py                    after ``--fix`` (safe fixes only)
        <case>.unsafe-fixed.py             after ``--fix --unsafe-fixes``
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from conftest import FIXTURES, expected_findings, fixture_config
from hplint import fix_source, lint_source


def _cases():
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("HPL")):
        for path in sorted(folder.glob("*.py")):
            yield pytest.param(folder.name, path, id=f"{folder.name}/{path.name}")


def _fix_cases():
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("HPL")):
        fixes = folder / "fixes"
        if not fixes.is_dir():
            continue
        for path in sorted(fixes.glob("*.py")):
            if path.name.endswith((".fixed.py", ".unsafe-fixed.py")):
                continue
            for suffix, unsafe in ((".fixed.py", False), (".unsafe-fixed.py", True)):
                expected = path.with_name(path.name[:-3] + suffix)
                if expected.exists():
                    yield pytest.param(folder.name, path, expected, unsafe, id=f"{folder.name}/{expected.name}")


@pytest.mark.parametrize("select, path", list(_cases()))
def test_fixture_expectations(select: str, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    config = fixture_config(source, select)
    found = sorted((d.line, d.code) for d in lint_source(source, str(path), config))
    assert found == expected_findings(source), "\n".join(
        f"{d.line}:{d.col + 1} {d.code} {d.message}" for d in lint_source(source, str(path), config)
    )


@pytest.mark.parametrize("select, path, expected, unsafe", list(_fix_cases()))
def test_fix_pairs(select: str, path: Path, expected: Path, unsafe: bool) -> None:
    source = path.read_text(encoding="utf-8")
    config = fixture_config(source, select)
    result = fix_source(source, str(path), config, unsafe=unsafe)
    assert result.source == expected.read_text(encoding="utf-8")
    cst.parse_module(result.source)  # the fixed code parses
    again = fix_source(result.source, str(path), config, unsafe=unsafe)
    assert again.source == result.source, "a second --fix changed the code again"
    assert not again.fixed
