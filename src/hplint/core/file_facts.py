"""Facts about a whole file that a rule reads from every top-level statement.

Most of what a rule reads of other statements it reaches by a name (a grid
constant, the objective given to ``optimize``).  A few facts are about the
whole file with no name to link them (HPL402: does anything in the file train
with a learning rate?).  The server's incremental lint (``engine.incremental``)
must know when such a fact changes, and must hand it whole to a lint of some
statements, so a rule declares it here (``@file_fact``) as a test of one
top-level statement, and reads it with ``holds``: true if the test passes on
any statement of the file.  A fact may also be a set of strings
(``@file_values``: the labels read through Keras Tuner's ``hp``, say), the union of
what each statement gives, read with ``values_in``; the incremental lint lints
the whole file again when that union changes.  A word a rule looks for anywhere
in the file's text (``RuleContext.file_text``: ``"wandb" in ctx.file_text``) is
declared with ``text_word``, and a change of its count lints the whole file again.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterable, List, Set, Tuple

from hplint.core import memo

if TYPE_CHECKING:  # pragma: no cover
    from hplint.reading.vocabulary import Vocabulary

StatementTest = Callable[[ast.stmt, "Vocabulary"], bool]
StatementValues = Callable[[ast.stmt, "Vocabulary"], Iterable[str]]

FILE_FACTS: Dict[str, StatementTest] = {}
FILE_VALUES: Dict[str, StatementValues] = {}


def file_fact(name: str) -> Callable[[StatementTest], StatementTest]:
    """Declare a fact of the whole file: whether ``test`` passes on one of its top-level statements."""

    def register(test: StatementTest) -> StatementTest:
        FILE_FACTS[name] = test
        return test

    return register


def file_values(name: str) -> Callable[[StatementValues], StatementValues]:
    """Declare a set-valued fact of the whole file: the union of what ``values`` gives
    of each top-level statement."""

    def register(values: StatementValues) -> StatementValues:
        FILE_VALUES[name] = values
        return values

    return register


def values_in(name: str, ctx) -> FrozenSet[str]:
    """The set-valued fact ``name`` of the rule's file (with what the statements a partial
    lint left out give: ``Outside.facts`` holds them as ``name=value``)."""
    table = memo.table(f"file-values:{name}") if ctx.tree is not None else None
    key = (id(ctx.tree), id(ctx.vocabulary))
    if table is not None and key in table:
        found = table[key]
    else:
        statements = ctx.tree.body if ctx.tree is not None else _parsed_statements(ctx.module)
        found = frozenset(v for stmt in statements for v in FILE_VALUES[name](stmt, ctx.vocabulary))
        if table is not None:
            table[key] = found
    outside = memo.seeded("outside")
    if outside is not None:
        prefix = name + "="
        found = found | {f[len(prefix):] for f in outside.facts if f.startswith(prefix)}
    return found


# words a rule looks for anywhere in the file's text (``RuleContext.file_text``):
# the incremental lint lints the whole file again when their counts change
TEXT_WORDS: Set[str] = set()


def text_word(word: str) -> str:
    """Declare a word a rule looks for in the whole file's text; returns it."""
    TEXT_WORDS.add(word)
    return word


def text_words(text: str) -> Tuple[Tuple[int, ...], ...]:
    """How often each declared word stands in ``text``: as written, in lower case, and
    (a name) as a whole word."""
    lowered = text.lower()
    found = []
    for word in sorted(TEXT_WORDS):
        written, low = text.count(word), lowered.count(word)
        whole = len(re.findall(rf"\b{word}\b", text)) if written and word.isidentifier() else 0
        found.append((written, low, whole))
    return tuple(found)


def holds(name: str, tree: ast.AST, vocabulary: "Vocabulary") -> bool:
    """Whether fact ``name`` holds of the file ``tree`` is (with the statements a
    partial lint left out: ``Outside.facts``)."""
    outside = memo.seeded("outside")
    if outside is not None and name in outside.facts:
        return True
    table = memo.table(f"file-fact:{name}")
    key = (id(tree), id(vocabulary))
    if table is not None and key in table:
        return table[key]
    test = FILE_FACTS[name]
    found = any(test(stmt, vocabulary) for stmt in getattr(tree, "body", ()))
    if table is not None:
        table[key] = found
    return found


def holds_in(name: str, ctx) -> bool:
    """``holds`` for a rule's context: on its ``ast`` tree, or where only libcst parsed the
    file, on each top-level statement that parses alone (the same test on either path)."""
    if ctx.tree is not None:
        return holds(name, ctx.tree, ctx.vocabulary)
    return holds(name, ast.Module(body=_parsed_statements(ctx.module), type_ignores=[]), ctx.vocabulary)


def _parsed_statements(module) -> List[ast.stmt]:
    """The top-level statements of a libcst module that ``ast`` parses one by one."""
    found: List[ast.stmt] = []
    for stmt in module.body:
        try:
            found.extend(ast.parse(module.code_for_node(stmt)).body)
        except (SyntaxError, ValueError):
            continue
    return found


def statement_facts(statements, vocabulary: "Vocabulary") -> Tuple[str, ...]:
    """The declared facts that hold of these statements, and each value of the set-valued
    ones as ``name=value``."""
    held = [name for name, test in FILE_FACTS.items() if any(test(stmt, vocabulary) for stmt in statements)]
    valued = sorted({f"{name}={v}" for name, values in FILE_VALUES.items() for stmt in statements for v in values(stmt, vocabulary)})
    return tuple(held + valued)
