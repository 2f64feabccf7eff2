"""Where libcst nodes lie in the file, worked out one statement at a time.

libcst's ``PositionProvider`` renders the whole module and records a range
for every node: on a 10 MB file that is minutes and gigabytes, and on an
ordinary 2,000-line file a third of a lint, for the few nodes a report or a
fix needs.  Here the innermost statement holding a node (a line inside a
loop inside a function) is rendered on its own, at the line where it starts
(read from CPython's ``ast`` of the same source, which the prefilter parsed
anyway) and with the indentation of the blocks around it, so its ranges are
the file's.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

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
        self._top = _top_level_ast(module, tree) if tree is not None else None
        if self._top is None:
            self._whole()

    def get(self, node: Optional[cst.CSTNode], default=None):
        if node is None:
            return default
        found = self._ranges.get(node)
        if found is None:
            located = self._locate(node)
            if located is not None and not self._done.get(id(located[0])):
                self._render(*located)
                found = self._ranges.get(node)
        return found if found is not None else default

    def __getitem__(self, node: cst.CSTNode) -> "CodeRange":
        found = self.get(node)
        if found is None:
            raise KeyError(node)
        return found

    # -- internals ----------------------------------------------------------
    def _locate(self, node: cst.CSTNode) -> Optional[Tuple[cst.CSTNode, int, List[str]]]:
        """The innermost statement around ``node`` whose first line the ``ast`` gives:
        (statement, first line, indentation of the blocks around it)."""
        chain: List[cst.CSTNode] = []  # statements and blocks from the node up to a top-level statement
        current: Optional[cst.CSTNode] = node
        while current is not None and id(current) not in self._top:  # type: ignore[operator]
            chain.append(current)
            current = self.parent(current)
        if current is None:
            return None
        chain.reverse()
        statement, held = current, self._top[id(current)]  # type: ignore[index]
        indents: List[str] = []
        for inner in _statement_steps(chain) if _codegen_state() is not None else ():
            block, child = inner
            found = _ast_of(statement, held, block, child)
            if found is None:
                break
            statement, held = child, found
            indents.append(self.module.default_indent if block.indent is None else block.indent)  # type: ignore[union-attr]
        return statement, _first_line(statement, held), indents

    def _render(self, statement: cst.CSTNode, first: int, indents: List[str]) -> None:
        self._done[id(statement)] = True
        lead = len(getattr(statement, "leading_lines", ()))
        decorators = getattr(statement, "decorators", ())
        if decorators:
            lead += len(decorators[0].leading_lines)
        ranges = _render_at(self.module, statement, first - lead, indents)
        if ranges is None:  # libcst without the codegen state: render the statement alone
            ranges = _render_alone(self.module, statement, first, indents)
        self._ranges.update(ranges)

    def _whole(self) -> None:
        ranges = cst.MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(cst.metadata.PositionProvider)
        self._ranges.update(ranges)
        self._done = {id(stmt): True for stmt in self.module.body}


def _render_at(module: cst.Module, statement: cst.CSTNode, line: int, indents: List[str]) -> Optional[Dict[cst.CSTNode, "CodeRange"]]:
    """libcst's own position codegen, started at ``line`` inside ``indents``."""
    make = _codegen_state()
    if make is None:  # pragma: no cover - libcst moved its internals
        return None
    provider = cst.metadata.PositionProvider()
    state = make(default_indent=module.default_indent, default_newline=module.default_newline, provider=provider)
    state.indent_tokens = list(indents)
    state.line = line
    statement._codegen(state)
    return provider._computed


def _codegen_state():
    """libcst's position-recording codegen state, or None where this libcst lacks it
    (then only top-level statements are rendered on their own, through the public API)."""
    try:
        from libcst.metadata.position_provider import PositionProvidingCodegenState
    except ImportError:  # pragma: no cover
        return None
    return PositionProvidingCodegenState


def _render_alone(module: cst.Module, statement: cst.CSTNode, first: int, indents: List[str]) -> Dict[cst.CSTNode, "CodeRange"]:
    """The public route: the statement as a module of its own, its ranges shifted
    (exact for a top-level statement only)."""
    alone = module.with_changes(body=[statement.with_changes(leading_lines=())], header=(), footer=())
    ranges = cst.MetadataWrapper(alone, unsafe_skip_copy=True).resolve(cst.metadata.PositionProvider)
    shift = first - 1
    out = {node: _shifted(rng, shift) for node, rng in ranges.items() if node is not alone and node is not alone.body[0]}
    out[statement] = _shifted(ranges[alone.body[0]], shift)
    return out


def _shifted(rng: "CodeRange", lines: int) -> "CodeRange":
    if not lines:
        return rng
    start, end = rng.start, rng.end
    return cst.metadata.CodeRange(
        cst.metadata.CodePosition(start.line + lines, start.column),
        cst.metadata.CodePosition(end.line + lines, end.column),
    )


# -- matching libcst statements to ast statements -----------------------------


def _top_level_ast(module: cst.Module, tree: ast.AST) -> Optional[Dict[int, List[ast.stmt]]]:
    """id(top-level libcst statement) -> the ast statements it holds; None where the trees disagree."""
    found = _match(module.body, list(getattr(tree, "body", [])))
    return None if found is None else {id(stmt): held for stmt, held in found}


def _match(statements: Sequence[cst.CSTNode], body: List[ast.stmt]) -> Optional[List[Tuple[cst.CSTNode, List[ast.stmt]]]]:
    """Pair a block's libcst statements with its ast statements: a line of small
    statements holds one ast statement each, a compound statement one."""
    out: List[Tuple[cst.CSTNode, List[ast.stmt]]] = []
    at = 0
    for statement in statements:
        count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1  # type: ignore[attr-defined]
        held = body[at : at + count]
        if len(held) != count:
            return None
        out.append((statement, held))
        at += count
    return out if at == len(body) else None


def _statement_steps(chain: List[cst.CSTNode]) -> Iterator[Tuple[cst.CSTNode, cst.CSTNode]]:
    """(block, statement) for each statement below the top-level one on the way to the node:
    a statement of an indented block, or an ``elif`` (its own block-less step)."""
    for index, node in enumerate(chain):
        if isinstance(node, cst.IndentedBlock) and index + 1 < len(chain):
            child = chain[index + 1]
            if isinstance(child, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                yield node, child
        elif isinstance(node, cst.If) and index and isinstance(chain[index - 1], cst.If) and chain[index - 1].orelse is node:
            yield _ELIF, node


class _Elif:
    """The pseudo-block an ``elif`` stands in: no indentation of its own."""

    indent = ""
    body: Sequence[cst.CSTNode] = ()


_ELIF = _Elif()


def _suites(statement: cst.CSTNode, node: ast.stmt) -> Iterator[Tuple[object, List[ast.stmt]]]:
    """(libcst block, ast statements) for each block of a compound statement, when the
    two nodes are the same kind of statement."""
    if isinstance(statement, cst.If) and isinstance(node, ast.If):
        yield statement.body, node.body
        if isinstance(statement.orelse, cst.Else):
            yield statement.orelse.body, node.orelse
        elif isinstance(statement.orelse, cst.If):
            yield ("elif", statement.orelse), node.orelse
    elif isinstance(statement, (cst.For, cst.While)) and isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
        yield statement.body, node.body
        if statement.orelse is not None:
            yield statement.orelse.body, node.orelse
    elif isinstance(statement, (cst.FunctionDef, cst.ClassDef, cst.With)) and isinstance(
        node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.AsyncWith)
    ):
        yield statement.body, node.body
    elif isinstance(statement, (cst.Try, cst.TryStar)) and isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        yield statement.body, node.body
        for handler, ast_handler in zip(statement.handlers, node.handlers):
            yield handler.body, ast_handler.body
        if statement.orelse is not None:
            yield statement.orelse.body, node.orelse
        if statement.finalbody is not None:
            yield statement.finalbody.body, node.finalbody
    elif isinstance(statement, cst.Match) and isinstance(node, getattr(ast, "Match", ())):
        for case, ast_case in zip(statement.cases, node.cases):  # type: ignore[attr-defined]
            yield case.body, ast_case.body


def _ast_of(statement: cst.CSTNode, held: List[ast.stmt], block: object, child: cst.CSTNode) -> Optional[List[ast.stmt]]:
    """The ast statements of ``child``, a statement of ``block`` inside ``statement``."""
    if len(held) != 1:
        return None
    for suite, body in _suites(statement, held[0]):
        if block is _ELIF and isinstance(suite, tuple) and suite[1] is child:
            return body if len(body) == 1 and isinstance(body[0], ast.If) else None
        if suite is block and isinstance(block, cst.IndentedBlock):
            pairs = _match(block.body, body)
            if pairs is None:
                return None
            return next((found for stmt, found in pairs if stmt is child), None)
    return None


def _first_line(statement: cst.CSTNode, held: List[ast.stmt]) -> int:
    """The statement's first line in the file: its first ast statement, decorators included."""
    first = held[0]
    decorators = getattr(first, "decorator_list", None) or []
    return min([first.lineno] + [d.lineno for d in decorators])
