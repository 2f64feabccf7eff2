"""A declared fact of the whole file reads the same whether ``ast`` parsed the
file whole or only libcst did (each statement then parsed alone)."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

import hplint.rules  # noqa: F401  (the rules declare the facts)
from hplint.core.config import Config
from hplint.core.context import RuleContext
from hplint.core.file_facts import FILE_FACTS, holds_in

SOURCES = [
    "config = {'lr': 0.01, 'batch_size': 32}\n",
    "config = {'batch_size': 32}\nconfig['learning_rate'] = 1e-3\n",
    "opt = Adam(model.parameters())\n",
    "def train(batch_size):\n    return fit(batch_size=batch_size)\n",
    "x = 1\n",
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fact", sorted(FILE_FACTS))
def test_fact_is_the_same_on_both_parses(source: str, fact: str) -> None:
    module = cst.parse_module(source)
    whole = RuleContext(source, "f.py", module, Config(), ast.parse(source))
    alone = RuleContext(source, "f.py", module, Config(), None)
    assert holds_in(fact, whole) == holds_in(fact, alone)


def test_a_statement_ast_cannot_parse_leaves_the_others_read() -> None:
    # an f-string that reuses its quotes (Python 3.12): libcst reads it, ``ast`` before 3.12 does not
    newer = "x = f'{'a'}'\n"
    source = newer + "config = {'lr': 0.01}\n"
    ctx = RuleContext(source, "f.py", cst.parse_module(source), Config(), None)
    assert holds_in("keys-a-learning-rate", ctx)
    assert not holds_in("keys-a-learning-rate", RuleContext(newer, "f.py", cst.parse_module(newer), Config(), None))
