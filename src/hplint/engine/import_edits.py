"""Where a fix's new import goes: where isort (and ruff's I001) would put it.

A ``from m import name`` joins an existing ``from m import ...`` line of the
file's leading import block; any other import is inserted in its section
(``__future__``, standard library, everything else) in isort's order: plain
``import x`` lines before ``from x import y`` lines, modules compared without
case, and a blank line between sections.  A file without an import block
gets one after its docstring, followed by the blank lines ruff expects (two
before a ``def`` or ``class``, one before other code).  Only the new lines are
placed; a block that was not sorted is not sorted by a fix.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from hplint.core.diagnostics import Edit

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

FUTURE, STDLIB, OTHER = 0, 1, 2
NEWLINE = re.compile(r"\r\n|\r|\n")


def import_clash(before: str, after: str) -> bool:
    """``after`` binds a module-level name by two imports of different objects where
    ``before`` did not: two fixes of one round each imported it (``from ray.tune import
    loguniform`` and ``from scipy.stats import loguniform``), placed apart in the block."""
    try:
        old, new = _module_imports(ast.parse(before)), _module_imports(ast.parse(after))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(len(objects) > 1 and len(old.get(name, set())) < len(objects) for name, objects in new.items())


def _module_imports(tree: ast.Module) -> Dict[str, set]:
    found: Dict[str, set] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault((alias.asname or alias.name).split(".")[0], set()).add(alias.name if alias.asname else alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found.setdefault(alias.asname or alias.name, set()).add(f"{'.' * node.level}{node.module or ''}.{alias.name}")
    return found
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) or frozenset(
    {"abc", "ast", "collections", "copy", "functools", "itertools", "json", "math", "os", "pathlib", "random", "re", "sys", "time", "typing"}
)


@dataclass(frozen=True)
class Statement:
    """One import statement, as isort orders it."""

    section: int
    is_from: bool
    module: str
    names: Tuple[str, ...] = ()

    @property
    def key(self) -> Tuple[int, int, str, Tuple[int, str]]:
        return (self.section, int(self.is_from), self.module.lower(), member_key(self.names[0]) if self.is_from and self.names else (0, ""))


def read_statement(text: str) -> Optional[Statement]:
    """``import a.b`` / ``from m import n`` (one name, no alias, absolute), or None."""
    try:
        node = ast.parse(text).body
    except SyntaxError:
        return None
    if len(node) != 1:
        return None
    stmt = node[0]
    if isinstance(stmt, ast.Import) and len(stmt.names) == 1:
        module = stmt.names[0].name
        return Statement(_section(module), False, module, () if stmt.names[0].asname is None else ("as",))
    if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
        return Statement(_section(stmt.module), True, stmt.module, tuple(a.name for a in stmt.names))
    return None


def _section(module: str) -> int:
    root = module.split(".")[0]
    if root == "__future__":
        return FUTURE
    return STDLIB if root in _STDLIB else OTHER


def member_key(name: str) -> Tuple[int, str]:
    """isort's ``order-by-type``: CONSTANTS, then Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return (kind, name)


@dataclass
class _Existing:
    node: cst.SimpleStatementLine
    statement: Statement
    start_line: int  # first line, comment lines right above it included
    end_line: int


def import_edits(ctx: RuleContext, text: str, positions, offsets) -> Optional[List[Edit]]:
    """The edits that add the import lines of ``text`` (None: a line could not be placed)."""
    block, after_docstring = _leading_block(ctx, positions)
    if block is None:
        return None
    wanted: List[Tuple[Statement, str]] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        statement = read_statement(line)
        if statement is None:
            return None
        wanted.append((statement, line))
    edits: List[Edit] = []
    rest: List[Tuple[Statement, str]] = []
    for statement, line in wanted:
        joined = _join(ctx, block, statement, positions, offsets) if statement.is_from and len(statement.names) == 1 else None
        if joined is not None:
            edits.append(joined)
        else:
            rest.append((statement, line.strip()))
    if not block:
        return [_new_block(ctx, [line for _, line in sorted(rest, key=lambda r: r[0].key)], after_docstring, positions, offsets)]
    return edits + _inserted(block, sorted(rest, key=lambda r: r[0].key), offsets)


def _leading_block(ctx: RuleContext, positions) -> Tuple[Optional[List[_Existing]], Optional[cst.CSTNode]]:
    """The module's leading import statements (after a docstring), and the docstring statement."""
    out: List[_Existing] = []
    docstring = None
    lines = NEWLINE.split(ctx.source)
    for index, stmt in enumerate(ctx.module.body):
        if not isinstance(stmt, cst.SimpleStatementLine) or not stmt.body:
            break
        first = stmt.body[0]
        if index == 0 and isinstance(first, cst.Expr) and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString)):
            docstring = stmt
            continue
        if not isinstance(first, (cst.Import, cst.ImportFrom)):
            break
        rng = positions.get(stmt)
        if rng is None:
            return None, None
        statement = read_statement(ctx.code_for(first)) if len(stmt.body) == 1 else None
        if statement is None:  # ``import a, b``, a relative import, ``import a; b()``: order unknown
            statement = Statement(OTHER, isinstance(first, cst.ImportFrom), "\uffff")
        start = rng.start.line
        while start > 1 and lines[start - 2].lstrip().startswith("#"):
            start -= 1
        out.append(_Existing(stmt, statement, start, rng.end.line))
    return out, docstring


def _join(ctx: RuleContext, block: Sequence[_Existing], statement: Statement, positions, offsets) -> Optional[Edit]:
    """``from m import new`` into the block's ``from m import ...`` line, in isort's member
    order (where the line was in it), wrapped in parentheses past 88 columns as ruff does."""
    for existing in block:
        node = existing.node.body[0]
        if not isinstance(node, cst.ImportFrom) or not existing.statement.is_from or existing.statement.module != statement.module:
            continue
        if isinstance(node.names, cst.ImportStar) or node.relative or any(a.asname is not None for a in node.names):
            continue  # isort keeps ``from m import a as b`` on a line of its own
        code = ctx.code_for(node)
        if "#" in code or "\\" in code:
            return None  # comments or continuations inside the statement: left alone
        members = [cst.Module(body=[]).code_for_node(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip() for a in node.names]
        plain = [_alias_name(a) for a in node.names]
        new = statement.names[0]
        if new in members:
            return None
        if plain == sorted(plain, key=member_key):
            at = next((i for i, n in enumerate(plain) if member_key(n) > member_key(new)), len(members))
        else:
            at = len(members)
        members.insert(at, new)
        head = f"from {statement.module} import "
        text = head + ", ".join(members)
        if len(text) > 88 or (node.lpar is not None and "\n" in code):
            text = head + "(\n" + "".join(f"    {m},\n" for m in members) + ")"
        rng = positions.get(node)
        if rng is None:
            return None
        return Edit(offsets.at(rng.start.line, rng.start.column), offsets.at(rng.end.line, rng.end.column), text)
    return None


def _alias_name(alias: cst.ImportAlias) -> str:
    name = alias.name
    return name.value if isinstance(name, cst.Name) else cst.Module(body=[]).code_for_node(name)


def _inserted(block: List[_Existing], new: List[Tuple[Statement, str]], offsets) -> List[Edit]:
    """Each new line in its slot of the block, with a blank line between sections."""
    groups: Dict[Tuple[int, int], List[str]] = {}
    for statement, line in new:
        slot = next((i for i, e in enumerate(block) if e.statement.key > statement.key), len(block))
        groups.setdefault((slot, statement.section), []).append(line)
    edits: List[Edit] = []
    for (slot, section), lines in sorted(groups.items()):
        prev = block[slot - 1] if slot > 0 else None
        nxt = block[slot] if slot < len(block) else None
        text = "\n".join(lines) + "\n"
        if prev is not None and (prev.statement.section == section or nxt is None or nxt.statement.section != section):
            at = offsets.next_line_start(prev.end_line)
            if prev.statement.section != section:
                text = "\n" + text
        else:
            assert nxt is not None
            at = offsets.line_start(nxt.start_line)
            if nxt.statement.section != section:
                text += "\n"
        edits.append(Edit(at, at, text))
    return edits


def _new_block(ctx: RuleContext, lines: List[str], docstring: Optional[cst.CSTNode], positions, offsets) -> Edit:
    """A file without imports: the block after the docstring (or at the top), then blank lines."""
    body = ctx.module.body
    source = ctx.source
    following = body[1] if docstring is not None and len(body) > 1 else (body[0] if docstring is None and body else None)
    if docstring is not None:
        rng = positions.get(docstring)
        at = offsets.next_line_start(rng.end.line) if rng is not None else 0
    elif body:
        rng = positions.get(body[0])
        at = offsets.line_start(rng.start.line) if rng is not None else 0
    else:
        at = len(source)
    prefix = "" if at == 0 or source[at - 1 : at] in ("\n", "\r") else "\n"
    end = at
    while end < len(source) and source[end] in "\r\n":
        end += 1
    if following is None:
        gap = 0 if end >= len(source) else 1
    else:
        gap = 2 if isinstance(following, (cst.FunctionDef, cst.ClassDef)) else 1
    return Edit(at, end, prefix + "\n".join(lines) + "\n" + "\n" * gap)
