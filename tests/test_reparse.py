"""``engine.reparse``: a text parsed statement by statement equals libcst's parse of the whole text.

The server parses a file again after every edit and reuses the top-level
statements that did not change; the rules then read the joined module.  If
the joined module equals libcst's own parse node for node (whitespace and
comments included), every rule, position and fix is the same as the CLI's.
Checked on the fixtures, the examples, generated tuning programs laid out with
comments, blank lines, tabs and odd indents between them, and on edits.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hplint.core import memo
from hplint.core.config import Config
from hplint.engine.lint import lint_source
from hplint.engine.reparse import Reparser
from hplint.reading.tree import descendants, parents
from tuning_code import programs

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "fixtures").rglob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))


def _same_as_whole(source: str, reparser: Reparser) -> None:
    with memo.file_scope():
        joined = reparser.parse(source)
    whole = cst.parse_module(source)
    assert joined.deep_equals(whole)
    assert joined.code == whole.code
    for name in ("default_indent", "default_newline", "has_trailing_newline", "encoding"):
        assert getattr(joined, name) == getattr(whole, name), name


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_parses_as_whole(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    try:
        cst.parse_module(source)
    except cst.ParserSyntaxError:
        with pytest.raises(cst.ParserSyntaxError):
            Reparser().parse(source)
        return
    _same_as_whole(source, Reparser())


GAPS = st.lists(
    st.sampled_from(["\n", "# a comment\n", "#\n", "    # indented comment\n", "   \n", "\t\n", "# noqa: HPL101\n"]),
    max_size=4,
).map("".join)
PREFIXES = st.sampled_from(["", "#!/usr/bin/env python\n", "# -*- coding: utf-8 -*-\n\n", '"""Doc."""\n'])


@st.composite
def layouts(draw) -> str:
    """Several generated programs in one file, with comments and blank lines between them,
    each indented as it was generated (tabs, two or four spaces)."""
    parts = [draw(PREFIXES)]
    for _ in range(draw(st.integers(1, 3))):
        program = draw(programs()).replace("\r\n", "\n").replace("\r", "\n")
        parts.append(program if program.endswith("\n") else program + "\n")
        parts.append(draw(GAPS))
    parts.append(draw(st.sampled_from(["", "if True:\n  x = 1\nelse:\n\ty = 2\n", "def f(): pass\n", "a = 1; b = 2\n"])))
    return "".join(parts)


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(layouts())
def test_generated_files_parse_as_whole(source: str) -> None:
    try:
        cst.parse_module(source)
    except cst.ParserSyntaxError:
        return
    _same_as_whole(source, Reparser())


def _statements(count: int) -> List[str]:
    return [f"def objective_{i}(trial):\n    lr = trial.suggest_float('lr', 1e-5, 1e-1)\n    return lr\n\n\n" for i in range(count)]


def test_an_edit_reparses_only_the_statement_it_changed() -> None:
    reparser = Reparser()
    parts = ["import optuna\n\n\n", *_statements(5)]
    with memo.file_scope():
        before = reparser.parse("".join(parts))
    parts[3] = parts[3].replace("1e-1", "1e-2")
    source = "".join(parts)
    with memo.file_scope():
        after = reparser.parse(source)
    assert reparser.reused == 5
    # an unchanged statement is the same node, the blank lines before it included; the edited
    # one and the one after it (given the edited piece's blank lines) are new
    assert [a is b for a, b in zip(before.body[1:], after.body[1:])] == [True, True, False, False, True]
    assert [a.body is b.body for a, b in zip(before.body[1:], after.body[1:])] == [True, True, False, True, True]
    _same_as_whole(source, Reparser())
    assert after.deep_equals(cst.parse_module(source))


def test_what_rules_derive_from_unchanged_statements_is_carried_to_the_next_version() -> None:
    """The children and parent maps of the statements an edit left alone are reused; the
    carried tables hold the latest version's nodes only, so they do not grow with edits."""
    reparser = Reparser()
    parts = ["import optuna\n\n\n", *_statements(6)]
    sizes = []
    for k in range(4):
        parts[2] = parts[2].replace("1e-1" if k % 2 == 0 else "1e-2", "1e-2" if k % 2 == 0 else "1e-1")
        text = "".join(parts)
        with memo.file_scope(reparser.carry):
            module = reparser.parse(text)
            mapped = parents(module)
            asked = sum(1 for _ in descendants(module))
        with memo.file_scope():  # worked out afresh for the same nodes
            assert mapped == parents(module)
        sizes.append({kind: len(table) for kind, table in reparser.carry.last.items()})
        assert asked == len(mapped)
    assert sizes[1] == sizes[2] == sizes[3]
    statement = module.body[4]
    assert reparser.carry.earlier("statement-parents", statement) is not None
    assert reparser.carry.earlier("statement-parents", cst.parse_statement("x = 1")) is None


def test_repeated_statements_are_distinct_nodes() -> None:
    """Identical texts are parsed apart: the rules key facts by node."""
    source = "x = 1\n" * 3
    with memo.file_scope():
        module = Reparser().parse(source)
    assert len({id(s) for s in module.body}) == 3
    _same_as_whole(source, Reparser())


@pytest.mark.parametrize(
    "source",
    [
        "a = 1; b = 2\nc = 3\n",  # two statements on one line: parsed whole
        "x = 1\ndef f():\n\treturn 1\ndef g():\n    return 2\n",  # the file's first indent is a tab
        "x = [\n    1,\n]\ndef f():\n  return 1\ndef g():\n    return 2\n",  # a bracket's indent is no INDENT
        "def f(): pass\nif x: pass\nelse:\n   y = 1\ndef g():\n    return 2\n",  # the first INDENT in an else
        "x = 1\n    # after, indented\ny = 2\n\n   \nz = 3\n",  # indented comment and blank-with-spaces lines
        "x = 1 \\\n  + 2\ny = 3\n",  # a continuation line
        "@dec\n# between\ndef f():\n    pass\n# after\n\nclass C:\n    pass\n",
    ],
)
def test_layouts_that_statements_alone_read_differently(source: str) -> None:
    _same_as_whole(source, Reparser())


def test_a_syntax_error_is_the_whole_parse_error() -> None:
    source = "x = 1\ndef f(:\n    pass\ny = 2\n"
    with pytest.raises(cst.ParserSyntaxError):
        Reparser().parse(source)


@pytest.mark.parametrize("path", [p for p in SOURCES if "HPL3" in str(p) or "HPL1" in str(p)][:40], ids=lambda p: p.name)
def test_lint_with_a_reparser_equals_lint_without(path: Path) -> None:
    """Findings after a series of edits are those of a fresh lint of the same text."""
    config = Config(select=("HPL",))
    source = path.read_text(encoding="utf-8")
    reparser = Reparser()
    texts = [source, source.replace("1e-", "2e-", 1), source + "\n\nz = 1\n", source]
    for text in texts:
        assert lint_source(text, "case.py", config, reparser=reparser) == lint_source(text, "case.py", config)
