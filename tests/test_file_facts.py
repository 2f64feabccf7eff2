"""A declared fact of the whole file reads the same whether ``ast`` parsed the
file whole or only libcst did (each statement then parsed alone)."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

import hplint.rules  # noqa: F401  (the rules declare the facts)
from hplint.core.config import Config
from hplint.core.context import RuleContext
from hplint.core.file_facts import FILE_FACTS, FILE_VALUES, holds_in, values_in

SOURCES = [
    "config = {'lr': 0.01, 'batch_size': 32}\n",
    "config = {'batch_size': 32}\nconfig['learning_rate'] = 1e-3\n",
    "opt = Adam(model.parameters())\n",
    "def train(batch_size):\n    return fit(batch_size=batch_size)\n",
    "x = 1\n",
    "def build(hp):\n    units = hp.Int('units', 8, 64)\n    return units\n",
    "class Tuned:\n    def fit(self, hp, model):\n        return model.fit(epochs=hp.get('epochs'))\n",
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fact", sorted(FILE_FACTS) + sorted(FILE_VALUES))
def test_fact_is_the_same_on_both_parses(source: str, fact: str) -> None:
    read = holds_in if fact in FILE_FACTS else values_in
    module = cst.parse_module(source)
    whole = RuleContext(source, "f.py", module, Config(), ast.parse(source))
    alone = RuleContext(source, "f.py", module, Config(), None)
    assert read(fact, whole) == read(fact, alone)


def test_a_statement_ast_cannot_parse_leaves_the_others_read() -> None:
    # an f-string that reuses its quotes (Python 3.12): libcst reads it, ``ast`` before 3.12 does not
    newer = "x = f'{'a'}'\n"
    source = newer + "config = {'lr': 0.01}\n"
    ctx = RuleContext(source, "f.py", cst.parse_module(source), Config(), None)
    assert holds_in("keys-a-learning-rate", ctx)
    assert not holds_in("keys-a-learning-rate", RuleContext(newer, "f.py", cst.parse_module(newer), Config(), None))


def test_labels_name_their_owner_and_receiver() -> None:
    source = SOURCES[-1]
    ctx = RuleContext(source, "f.py", cst.parse_module(source), Config(), ast.parse(source))
    assert values_in("hyperparameter-labels", ctx) == {"Tuned.fit|parameter|hp|get|epochs"}


def test_every_rule_reading_the_whole_text_declares_its_words() -> None:
    """A rule module that reads ``file_text`` declares what it looks for (``text_word``,
    there or in a module it imports from), so an incremental lint knows when the rest of
    the file changes its answer."""
    import re
    from pathlib import Path

    import hplint

    package = Path(hplint.__file__).parent

    def declares(text: str) -> bool:
        if "text_word(" in text:
            return True
        imported = re.findall(r"^from (hplint(?:\.\w+)+) import", text, re.M)
        return any("text_word(" in (package.parent / (m.replace(".", "/") + ".py")).read_text(encoding="utf-8") for m in imported if (package.parent / (m.replace(".", "/") + ".py")).exists())

    undeclared = [
        str(path.relative_to(package))
        for path in (package / "rules").rglob("*.py")
        if "file_text" in path.read_text(encoding="utf-8") and not declares(path.read_text(encoding="utf-8"))
    ]
    assert not undeclared
