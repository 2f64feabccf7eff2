"""Facts about a whole file that a rule reads from every top-level statement.

Most of what a rule reads of other statements it reaches by a name (a grid
constant, the objective given to ``optimize``).  A few facts are about the
whole file with no name to link them (HPL402: does anything in the file train
with a learning rate?).  The server's incremental lint (``engine.incremental``)
must know when such a fact changes, and must hand it whole to a lint of some
statements, so a rule declares it here (``@file_fact``) as a test of one
top-level statement, and reads it with ``holds``: true if the test passes on
any statement of the file.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Dict, List, Tuple

from hplint.core import memo

if TYPE_CHECKING:  # pragma: no cover
    from hplint.reading.vocabulary import Vocabulary

StatementTest = Callable[[ast.stmt, "Vocabulary"], bool]

FILE_FACTS: Dict[str, StatementTest] = {}


def file_fact(name: str) -> Callable[[StatementTest], StatementTest]:
    """Declare a fact of the whole file: whether ``test`` passes on one of its top-level statements."""

    def register(test: StatementTest) -> StatementTest:
        FILE_FACTS[name] = test
        return test

    return register


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
    """The declared facts that hold of these statements."""
    return tuple(name for name, test in FILE_FACTS.items() if any(test(stmt, vocabulary) for stmt in statements))
