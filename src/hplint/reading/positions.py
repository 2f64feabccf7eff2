"""Where libcst nodes lie in the file, worked out one top-level statement at a time.

libcst's ``PositionProvider`` renders the whole module and records a range
for every node: on a 10 MB file that is minutes and gigabytes, for the few
nodes a report or a fix needs.  Here each top-level statement is rendered
on its own, when a node inside it is first asked about, and its ranges are
shifted to the line where the statement starts in the file (read from
CPython's ``ast`` of the same source, which the prefilter parsed anyway).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Dict, List, Optional

if TYPE_CHECKING:
    import libcst as cst
    from libcst.metadata import CodeRange
else:
    from hplint.core.lazy_libcst import cst


class StatementPositions:
    """``node -> CodeRange`` for any node of the module, computed lazily.

    ``parent`` finds a node's parent (the context's parent map); ``tree`` is
    the ``ast`` of the module's source, or None (then the whole module is
    rendered once, as libcst would).
    """

    def __init__(self, module: cst.Module, tree: Optional[ast.AST], parent: Callable[[cst.CSTNode], Optional[cst.CSTNode]]) -> None:
        self.module = module
        self.parent = parent
        self._ranges: Dict[cst.CSTNode, CodeRange] = {}
        self._done: Dict[int, bool] = {}
        self._first_lines = _first_lines(module, tree) if tree is not None else None
        self._index = {id(stmt): i for i, stmt in enumerate(module.body)}
        if self._first_lines is None:
            self._whole()

    def get(self, node: Optional[cst.CSTNode], default=None):
        if node is None:
            return default
        found = self._ranges.get(node)
        if found is None:
            top = self._top_level(node)
            if top is not None and not self._done.get(id(top)):
                self._render(top)
                found = self._ranges.get(node)
        return found if found is not None else default

    def __getitem__(self, node: cst.CSTNode) -> "CodeRange":
        found = self.get(node)
        if found is None:
            raise KeyError(node)
        return found

    # -- internals ----------------------------------------------------------
    def _top_level(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        current: Optional[cst.CSTNode] = node
        while current is not None and id(current) not in self._index:
            current = self.parent(current)
        return current

    def _render(self, statement: cst.CSTNode) -> None:
        self._done[id(statement)] = True
        first = self._first_lines[self._index[id(statement)]]  # type: ignore[index]
        alone = self.module.with_changes(body=[statement.with_changes(leading_lines=())], header=(), footer=())
        ranges = cst.MetadataWrapper(alone, unsafe_skip_copy=True).resolve(cst.metadata.PositionProvider)
        shift = first - 1
        stop = {id(alone), id(alone.body[0])}
        for node, rng in ranges.items():
            if id(node) in stop:
                continue
            self._ranges[node] = _shifted(rng, shift)
        self._ranges[statement] = _shifted(ranges[alone.body[0]], shift)

    def _whole(self) -> None:
        ranges = cst.MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(cst.metadata.PositionProvider)
        self._ranges.update(ranges)
        self._done = {id(stmt): True for stmt in self.module.body}


def _shifted(rng: "CodeRange", lines: int) -> "CodeRange":
    if not lines:
        return rng
    start, end = rng.start, rng.end
    return cst.metadata.CodeRange(
        cst.metadata.CodePosition(start.line + lines, start.column),
        cst.metadata.CodePosition(end.line + lines, end.column),
    )


def _first_lines(module: cst.Module, tree: ast.AST) -> Optional[List[int]]:
    """The first line of each top-level libcst statement (decorators included),
    from the ast statements it holds; None where the two trees disagree."""
    body = list(getattr(tree, "body", []))
    lines: List[int] = []
    at = 0
    for statement in module.body:
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        held = body[at : at + count]
        if len(held) != count:
            return None
        first = held[0]
        decorators = getattr(first, "decorator_list", None) or []
        lines.append(min([first.lineno] + [d.lineno for d in decorators]))  # type: ignore[attr-defined]
        at += count
    return lines if at == len(body) else None
