"""Positions worked out statement by statement equal libcst's for the whole module.

``reading/positions.py`` renders only the innermost statement around a node,
at the line and indentation the ``ast`` gives it; every range must be the
one ``PositionProvider`` computes over the whole file (whitespace outside any
statement, which no report or fix points at, is left out).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import FIXTURES
from hplint.reading.positions import StatementPositions
from hplint.reading.tree import descendants
from tuning_code import programs

WHITESPACE = (cst.SimpleWhitespace, cst.Newline, cst.EmptyLine, cst.Comment, cst.TrailingWhitespace, cst.ParenthesizedWhitespace)

NESTED = '''
import optuna


@decorated
# a comment between decorator and def
@twice(1,
       2)
def objective(trial):
    if trial.number:
        x = 1; y = [
            1,
          2]
    elif trial.number > 2:  # elif
        pass
    else:
        while True:
            try:
                with open(p) as f, \\
                        open(q) as g:
                    lr = trial.suggest_float("lr", 1e-5, 1e-1)
            except ValueError:
                raise
            else:
                break
            finally:
                s = """
  text"""
    for i in range(3): z = i
    else:
        return 0


class Tuned:
\tdef __call__(self, trial):
\t\treturn trial.suggest_int("n", 1, 4)
'''


def _mismatches(source: str):
    module = cst.parse_module(source)
    parents = {}
    for node in [module, *descendants(module)]:
        for child in node.children:
            parents[child] = node
    expected = cst.MetadataWrapper(module, unsafe_skip_copy=True).resolve(cst.metadata.PositionProvider)
    positions = StatementPositions(module, ast.parse(source), parents.get)
    out = []
    for node, want in expected.items():
        got = positions.get(node)
        if node is module or (got is None and isinstance(node, WHITESPACE)):
            continue
        if got != want:
            out.append((type(node).__name__, want, got))
    return out


NEWER = '''
def objective(trial):
    match trial:
        case {"a": 1}:
            return 1
        case _:
            try:
                pass
            except* TypeError:
                x = [
                    1]
'''


def test_nested_statements_match_libcst() -> None:
    assert _mismatches(NESTED) == []


@pytest.mark.skipif(sys.version_info < (3, 11), reason="match and except* need Python 3.11's ast")
def test_match_and_except_star_match_libcst() -> None:
    assert _mismatches(NEWER) == []


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.py")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_positions_match_libcst(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    try:
        ast.parse(source)
    except SyntaxError:
        pytest.skip("not Python for this interpreter")
    assert _mismatches(source) == []


@settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(programs())
def test_generated_program_positions_match_libcst(source: str) -> None:
    assert _mismatches(source) == []
