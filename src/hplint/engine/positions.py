"""From node-anchored reports to line/column findings and string-offset edits.

Positions cost libcst a second pass over the tree, so they are computed only
for files with findings, after the rules ran.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, List, Optional, Tuple

from hplint.core.context import NodeEdit, PendingFix, RuleContext
from hplint.core.diagnostics import Diagnostic, Edit, Fix
from hplint.engine.import_edits import import_edits

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

NEWLINE = re.compile(r"\r\n|\r|\n")


class _Offsets:
    """(line, column) -> string offset, for one source text."""

    def __init__(self, source: str, shift: int = 0) -> None:
        starts = [0]
        for match in NEWLINE.finditer(source):
            starts.append(match.end())
        self.starts = starts
        self.source = source
        self.shift = shift

    def at(self, line: int, col: int) -> int:
        line = min(max(line, 1), len(self.starts))
        return self.starts[line - 1] + col

    def line_start(self, line: int) -> int:
        return self.starts[min(max(line, 1), len(self.starts)) - 1]

    def next_line_start(self, line: int) -> int:
        if line < len(self.starts):
            return self.starts[line]
        return len(self.source)

    def indentation(self, line: int) -> str:
        start = self.line_start(line)
        text = self.source[start:]
        return text[: len(text) - len(text.lstrip(" \t"))]


def resolve(ctx: RuleContext, shift: int) -> List[Diagnostic]:
    positions = ctx.positions
    offsets = _Offsets(ctx.source, shift)
    newline = _detect_newline(ctx.source)
    out: List[Diagnostic] = []
    for rep in ctx.reports:
        rng = positions.get(rep.node)
        if rng is None:
            continue
        line, col = rng.start.line, rng.start.column
        end_line, end_col = rng.end.line, rng.end.column
        if isinstance(rep.node, cst.BaseCompoundStatement):
            end_line, end_col = _header_end(rep.node, positions, offsets, line)
        stmt = _statement_lines(ctx, rep.node, positions, offsets)
        fix = None
        if rep.fix is not None:
            fix = _resolve_fix(ctx, rep.fix, positions, offsets, newline)
        out.append(
            Diagnostic(
                code=rep.code,
                message=rep.message,
                line=line,
                col=col,
                end_line=end_line,
                end_col=end_col,
                fix=fix,
                path=ctx.path,
                stmt_lines=stmt,
            )
        )
    return out


def _header_end(node, positions, offsets: _Offsets, start_line: int) -> Tuple[int, int]:
    """A compound statement is reported on its header, not its whole body."""
    body = getattr(node, "body", None)
    first = None
    if isinstance(body, cst.IndentedBlock) and body.body:
        first = positions.get(body.body[0])
    if first is None:
        return start_line, len(_line_text(offsets, start_line))
    line = max(first.start.line - 1, start_line)
    return line, len(_line_text(offsets, line))


def _line_text(offsets: _Offsets, line: int) -> str:
    start = offsets.line_start(line)
    end = offsets.next_line_start(line)
    return offsets.source[start:end].rstrip("\r\n")


def _statement_lines(ctx: RuleContext, node, positions, offsets: _Offsets) -> Tuple[int, int]:
    current = node
    while current is not None:
        if isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            rng = positions.get(current)
            if rng is None:
                break
            if isinstance(current, cst.BaseCompoundStatement):
                end, _ = _header_end(current, positions, offsets, rng.start.line)
                return rng.start.line, end
            return rng.start.line, rng.end.line
        current = ctx.parent(current)
    rng = positions.get(node)
    return (rng.start.line, rng.end.line) if rng is not None else (0, 0)


def _detect_newline(source: str) -> str:
    match = NEWLINE.search(source)
    return match.group(0) if match else "\n"


def _resolve_fix(ctx: RuleContext, fix: PendingFix, positions, offsets: _Offsets, newline: str) -> Optional[Fix]:
    edits: List[Edit] = []
    for pending in fix.edits:
        if pending.kind == "import":
            resolved = import_edits(ctx, pending.text, positions, offsets)  # type: ignore[arg-type]
        else:
            one = _resolve_edit(ctx, pending, positions, offsets)
            resolved = [one] if one is not None else None
        if resolved is None:
            return None
        for edit in resolved:
            text = edit.text.replace("\n", newline) if newline != "\n" else edit.text
            edits.append(Edit(edit.start + offsets.shift, edit.end + offsets.shift, text))
    if not edits:
        return None
    unique = list(dict.fromkeys(edits))  # stable: never depends on hashing
    return Fix(fix.safety, tuple(sorted(unique, key=lambda e: (e.start, e.end))), fix.description)


def _resolve_edit(ctx: RuleContext, pending: NodeEdit, positions, offsets: _Offsets) -> Optional[Edit]:
    if pending.kind == "refuse":
        return None
    rng = positions.get(pending.node)
    if rng is None:
        return None
    if pending.kind == "replace":
        text = pending.text
        if isinstance(text, cst.CSTNode):
            text = _render(ctx, text, pending.node, positions, offsets)
        return Edit(offsets.at(rng.start.line, rng.start.column), offsets.at(rng.end.line, rng.end.column), text)
    indent = offsets.indentation(rng.start.line)
    lines = [indent + line if line else line for line in pending.text.split("\n")]
    if pending.kind == "before-lines":
        at = offsets.line_start(rng.start.line)
        return Edit(at, at, "\n".join(lines) + "\n")
    if pending.kind == "after-lines":
        end_line = rng.end.line
        if isinstance(pending.node, cst.BaseCompoundStatement):
            end_line = _last_line(pending.node, positions, rng.end.line)
        at = offsets.next_line_start(end_line)
        prefix = "" if at == 0 or offsets.source[at - 1 : at] in ("\n", "\r") else "\n"
        return Edit(at, at, prefix + "\n".join(lines) + "\n")
    raise ValueError(f"unknown edit kind {pending.kind}")


def _render(ctx: RuleContext, new: cst.CSTNode, anchor: cst.CSTNode, positions, offsets: _Offsets) -> str:
    """Code for ``new`` as if it stood where ``anchor`` stands (same indentation)."""
    from libcst._nodes.internal import CodegenState

    line = _statement_lines(ctx, anchor, positions, offsets)[0] or positions[anchor].start.line
    state = CodegenState(default_indent=ctx.module.default_indent, default_newline="\n")
    indent = offsets.indentation(line)
    if indent:
        state.indent_tokens.append(indent)
    new._codegen(state)
    text = "".join(state.tokens)
    if isinstance(new, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        # a statement renders with its indentation and its newline; the span it
        # replaces (the old statement's position) has neither
        if indent and text.startswith(indent):
            text = text[len(indent):]
        if text.endswith("\n"):
            text = text[:-1]
    return text


def _last_line(node, positions, default: int) -> int:
    rng = positions.get(node)
    return rng.end.line if rng is not None else default
