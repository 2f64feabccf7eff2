"""What fixes leave behind: an import or a local variable whose every use a fix
replaced (``GridSearchCV`` after the rewrite to ``RandomizedSearchCV``, a
function's ``learning_rates = [...]`` after the grid loop over it became
random draws).  It is removed, as a careful engineer would before
committing, when nothing else in the file reads it.

Only names the original file read and the fixed file no longer reads
anywhere are touched; a local variable only when its value has no side
effects (literals, ``range``, ``numpy`` ranges of literals) and the function
does not reach its locals by name (``locals()``, ``eval``); nothing when the
file uses ``__all__`` or a star import.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, List, Optional, Set, Tuple

from hplint.core.diagnostics import Edit

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

PURE_CALLS = frozenset({"range", "list", "tuple", "linspace", "logspace", "geomspace", "arange"})
NEWLINE = re.compile(r"\r\n|\r|\n")
NAME_READERS = frozenset({"locals", "vars", "globals", "eval", "exec", "__all__"})


def leftover_edits(original: str, fixed: str) -> List[Edit]:
    """Edits on ``fixed`` that remove what its fixes left unused."""
    try:
        before, after = ast.parse(original), ast.parse(fixed)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    read_before, read_after = _read(before), _read(after)
    if NAME_READERS & read_after or _star_import(after):
        return []
    dropped = read_before - read_after
    if not dropped:
        return []
    lines = _Lines(fixed)
    edits: List[Edit] = []
    for node, parent_body, in_function in _statements(after):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            edit = _unused_import(node, parent_body, dropped, lines)
        elif isinstance(node, ast.Assign) and in_function:  # F841's scope: a module variable may be imported elsewhere
            edit = _unused_local(node, parent_body, dropped, lines)
        else:
            edit = None
        if edit is not None:
            edits.append(edit)
    return edits


def _read(tree: ast.AST) -> Set[str]:
    """Every name the code reads (and the root of every dotted read)."""
    out: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and (not isinstance(node.ctx, ast.Store) or node.id == "__all__"):
            out.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            out.update(node.names)
    return out


def _star_import(tree: ast.AST) -> bool:
    return any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree))


def _statements(tree: ast.AST):
    """Every statement, the body list that holds it, and whether it lies in a function."""
    stack = [(tree, False)]
    while stack:
        node, in_function = stack.pop()
        inside = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or in_function and not isinstance(node, ast.ClassDef)
        for field in ("body", "orelse", "finalbody", "handlers"):
            body = getattr(node, field, None)
            if isinstance(body, list):
                for child in body:
                    if isinstance(child, ast.stmt):
                        yield child, body, inside
                    stack.append((child, inside))


class _Lines:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in NEWLINE.finditer(text)]

    def line(self, number: int) -> str:
        start = self.starts[number - 1]
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        return self.text[start:end]

    def blank(self, number: int) -> bool:
        return 1 <= number <= len(self.starts) and not self.line(number).strip()

    def span(self, first: int, last: int, collapse: bool = True) -> Edit:
        """Remove lines ``first..last``; a blank line on both sides would leave two, so one goes too."""
        if collapse and (first == 1 or self.blank(first - 1)) and self.blank(last + 1) and last + 1 <= len(self.starts):
            last += 1
        start = self.starts[first - 1]
        end = self.starts[last] if last < len(self.starts) else len(self.text)
        return Edit(start, end, "")


def _whole_lines(node: ast.stmt, lines: _Lines) -> bool:
    """The statement is alone on its lines (no ``;``, nothing before it)."""
    first = lines.line(node.lineno)
    if first[: node.col_offset].strip():
        return False
    last = lines.line(node.end_lineno or node.lineno)
    rest = last[node.end_col_offset or 0 :].strip()
    return not rest or rest.startswith("#") and not rest.startswith("# noqa")


def _unused_import(node, body: list, dropped: Set[str], lines: _Lines) -> Optional[Edit]:
    bound = [(alias, (alias.asname or alias.name).split(".")[0]) for alias in node.names]
    gone = [alias for alias, name in bound if name in dropped]
    if not gone or not _whole_lines(node, lines):
        return None
    if len(gone) == len(node.names):
        if len(body) == 1:
            return None  # the block would be empty
        return lines.span(node.lineno, node.end_lineno or node.lineno)
    edit = lines.span(node.lineno, node.end_lineno or node.lineno, collapse=False)
    old = lines.text[edit.start : edit.end]
    text = _without(old, {(a.name, a.asname) for a in gone})
    return Edit(edit.start, edit.end, text) if text is not None else None


def _without(code: str, gone: Set[Tuple[str, Optional[str]]]) -> Optional[str]:
    """The import statement ``code`` without the aliases in ``gone``, its layout kept
    (parentheses, one name a line, a trailing comma)."""
    indent = code[: len(code) - len(code.lstrip(" \t"))]
    try:
        module = cst.parse_module(code[len(indent) :])
    except Exception:  # noqa: BLE001 - libcst's parser errors have no common base
        return None
    line = module.body[0] if module.body else None
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    statement = line.body[0]
    if not isinstance(statement, (cst.Import, cst.ImportFrom)) or isinstance(statement.names, cst.ImportStar):
        return None
    names = list(statement.names)
    kept = [a for a in names if (_dotted(a.name), a.asname.name.value if a.asname is not None else None) not in gone]  # type: ignore[union-attr]
    if not kept or len(kept) == len(names):
        return None
    last = names[-1].comma
    kept = [a if i < len(kept) - 1 else a.with_changes(comma=last) for i, a in enumerate(kept)]
    return indent + module.with_changes(body=[line.with_changes(body=[statement.with_changes(names=kept)])]).code


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    return f"{_dotted(node.value)}.{node.attr.value}"


def _unused_local(node: ast.Assign, body: list, dropped: Set[str], lines: _Lines) -> Optional[Edit]:
    if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name) or node.targets[0].id not in dropped:
        return None
    if len(body) == 1 or not _pure(node.value) or not _whole_lines(node, lines):
        return None
    return lines.span(node.lineno, node.end_lineno or node.lineno)


def _pure(value: ast.expr) -> bool:
    """Building it has no effect: literals and displays of them, ``range``/numpy ranges of literals."""
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.UnaryOp):
        return _pure(value.operand)
    if isinstance(value, ast.BinOp):
        return _pure(value.left) and _pure(value.right)
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return all(_pure(e) for e in value.elts)
    if isinstance(value, ast.Dict):
        return all(k is not None and _pure(k) for k in value.keys) and all(_pure(v) for v in value.values)
    if isinstance(value, ast.Call):
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        return name in PURE_CALLS and all(_pure(a) for a in value.args) and all(_pure(k.value) for k in value.keywords)
    return False
