"""Jupyter notebooks: lint the code cells as one module, fix them in place.

The code cells of a notebook are joined in file order (the order a fresh
"Run all" executes them), so a grid defined in one cell and looped over in
another is seen as one program.  Cells are joined with one blank separator
line so that every position of the joined text belongs to exactly one cell.

IPython syntax is not Python: line magics (``%time``), shell escapes
(``!pip install``, ``x = !ls``), help (``?obj``, ``obj?``), the line of a
cell magic whose body is Python (``%%time``, ``%%timeit``, ``%%capture``,
``%%prun``, ``%%debug``: ``PYTHON_CELL_MAGICS``) and whole cells under any
other cell magic (``%%bash``, ``%%sql``, ``%%writefile``) are replaced by
placeholders that parse (an empty line, ``pass`` in an indented block,
``x = None``) before linting.  They are never parsed and never rewritten: a
fix touching a masked line, writing before a cell magic's line, touching a
skipped cell, or spanning two cells, is dropped.

Findings name the cell by its 1-based position among *all* cells of the
notebook, markdown and raw cells included (the cell you reach counting from
the top in Jupyter, and ``cells[N - 1]`` in the file); the line is 1-based
within that cell.

``--fix`` rewrites only the ``source`` values of the changed cells inside the
file's own JSON text: outputs, metadata, execution counts, indentation, key
order, escaping and the trailing newline stay byte-for-byte as they were.
"""

from __future__ import annotations

import ast
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

from hplint.core.config import Config
from hplint.core.diagnostics import Diagnostic, Edit, Fix
from hplint.engine.fixing import Document, apply_edits, fix_document
from hplint.engine.import_edits import import_clash
from hplint.engine.lines import LineLexer
from hplint.engine.lint import lint_source, source_parses
from hplint.engine.python2 import AUTOMAGIC
from hplint.engine.tidy import leftover_edits
from hplint.frontends.files import SourceError, SourceFile, write_source
from hplint.frontends.outcome import FileOutcome, Mode, io_error, not_written, unified_diff

SEPARATOR = "\n"  # between two cells in the joined text


class NotebookError(Exception):
    """A file that cannot be read as an nbformat-4 notebook."""


# ---------------------------------------------------------------------------
# masking IPython syntax

_ASSIGN_MAGIC = re.compile(r"^(?P<indent>[ \t]*)(?P<target>[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*)[ \t]*=[ \t]*[!%]")
_HELP = re.compile(r"^[ \t]*(?:\?{1,2}[\w.%]|[\w.%]+(?:\[[^\]]*\])?\?{1,2}[ \t]*$)")
_MAGIC_START = ("%", "!")


# IPython's own cell magics (``ExecutionMagics``) whose body is Python run in
# the notebook's namespace: ``%%time``, ``%%timeit`` (the body is timed, the
# rest of the first line is options and setup code), ``%%capture``, ``%%prun``
# and ``%%debug``.  Any other cell magic (``%%bash``, ``%%sql``, ``%%html``,
# ``%%writefile``, ``%%python`` in a separate process, ``%%cython``, ...) is
# another language or not run here, and its cell is skipped whole.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_CELL_MAGIC = re.compile(r"[ \t]*%%(?P<name>[A-Za-z_][\w]*)(?![\w?])")


@dataclass(frozen=True)
class Masked:
    """A cell's text with IPython syntax replaced, and which lines were."""

    text: str
    lines: frozenset  # 1-based line numbers within the cell
    header: int = 0  # lines up to a Python cell magic's own line: nothing may be written before its end


def mask_cell(text: str) -> Masked:
    """Replace IPython-only lines by placeholders that parse; keep line count.

    A cell under a Python cell magic keeps its body: the magic's line (and
    one stacked on it, ``%%capture`` over ``%%time``) is masked like a line
    magic, the rest read as any cell.  Other cell magics mask the whole cell.
    """
    lines = text.splitlines(keepends=True)
    header = 0
    while True:
        first = next((n for n in range(header, len(lines)) if lines[n].strip()), None)
        if first is None or not lines[first].lstrip().startswith("%%"):
            break
        magic = _CELL_MAGIC.match(lines[first])
        if magic is None or magic.group("name") not in PYTHON_CELL_MAGICS:
            return Masked("".join(_ending(line) for line in lines), frozenset(range(1, len(lines) + 1)))
        header = first + 1
    out: List[str] = [_ending(line) for line in lines[:header]]
    masked: Set[int] = set(range(1, header + 1))
    state = LineLexer()
    continuing_magic = False
    for number, line in enumerate(lines[header:], start=header + 1):
        body = line.rstrip("\r\n")
        if continuing_magic:
            out.append(_ending(line))
            masked.add(number)
            continuing_magic = body.endswith("\\")
            continue
        placeholder = _placeholder(body) if state.clean else None
        if placeholder is None:
            out.append(line)
            state.feed(body)
            continue
        out.append(placeholder + line[len(body):])
        masked.add(number)
        continuing_magic = body.endswith("\\")
    return Masked("".join(out), frozenset(masked), header)


def _ending(line: str) -> str:
    """An empty line with the same line ending."""
    return line[len(line.rstrip("\r\n")):]


def _placeholder(body: str) -> Optional[str]:
    """The Python standing in for an IPython line, or None for plain Python."""
    stripped = body.lstrip(" \t")
    indent = body[: len(body) - len(stripped)]
    # an empty line at the top level (so an import block after a magic is
    # still the file's leading import block); `pass` keeps an indented block
    nothing = f"{indent}pass" if indent else ""
    if stripped.startswith(_MAGIC_START) and not stripped.startswith("!=") or AUTOMAGIC.match(stripped):
        return nothing  # a magic, a shell escape, an automagic ``pip install x``
    match = _ASSIGN_MAGIC.match(body)
    if match:
        return f"{match.group('indent')}{match.group('target')} = None"
    if _HELP.match(body):
        return nothing
    return None


# ---------------------------------------------------------------------------
# cells joined into one module


@dataclass
class CodeCell:
    index: int  # 0-based position among all cells
    text: str  # the source as in the notebook

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class Joined:
    """The code cells as one text, and the way back to (cell, line)."""

    cells: List[CodeCell]
    text: str = ""
    starts: List[int] = field(default_factory=list)  # offset of each cell's text
    first_lines: List[int] = field(default_factory=list)  # 1-based line of each cell's first line
    line_counts: List[int] = field(default_factory=list)
    masks: List[Masked] = field(default_factory=list)
    line_starts: List[int] = field(default_factory=list)

    @classmethod
    def build(cls, cells: Sequence[CodeCell]) -> "Joined":
        joined = cls(list(cells))
        parts: List[str] = []
        offset, line = 0, 1
        for cell in cells:
            mask = mask_cell(cell.text)
            segment = mask.text + ("\n" if _unterminated(cell.text) else "")
            count = len(segment.splitlines())
            joined.starts.append(offset)
            joined.first_lines.append(line)
            joined.line_counts.append(count)
            joined.masks.append(mask)
            parts += [segment, SEPARATOR]
            offset += len(segment) + len(SEPARATOR)
            line += count + 1
        joined.text = "".join(parts)
        joined.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", joined.text)]
        return joined

    # -- positions --------------------------------------------------------
    def cell_of_line(self, line: int) -> int:
        """Position in ``cells`` of the cell a joined line belongs to (a
        separator line belongs to the cell before it)."""
        return max(bisect_right(self.first_lines, line) - 1, 0)

    def local_line(self, pos: int, line: int) -> int:
        local = line - self.first_lines[pos] + 1
        return min(max(local, 1), max(self.line_counts[pos], 1))

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def cell_end(self, pos: int) -> int:
        """Offset just after the cell's own text (where the separator starts)."""
        end = self.starts[pos + 1] - len(SEPARATOR) if pos + 1 < len(self.starts) else len(self.text) - len(SEPARATOR)
        return end

    def cell_of_edit(self, edit: Edit) -> Optional[int]:
        """The one cell an edit stays inside, or None (spans cells or masked lines)."""
        pos = max(bisect_right(self.starts, edit.start) - 1, 0)
        if edit.end > self.cell_end(pos):
            return None
        first = self.line_of(edit.start)
        last = self.line_of(max(edit.start, edit.end - 1))
        mask = self.masks[pos]
        if mask.header and edit.start < self._body_start(pos):
            return None  # at or before a cell magic's line: the magic must stay the cell's first line
        if edit.start == edit.end and edit.start in self.line_starts:
            return pos  # an insertion between lines touches no line
        if len(mask.lines) == self.line_counts[pos]:
            return None  # a cell magic's cell, or only IPython lines: left alone
        touched = range(self.local_line(pos, first), self.local_line(pos, last) + 1)
        if any(line in mask.lines for line in touched):
            return None
        return pos

    def _body_start(self, pos: int) -> int:
        """Offset of the first line after a cell magic's header."""
        line = self.first_lines[pos] + self.masks[pos].header
        return self.line_starts[line - 1] if line <= len(self.line_starts) else len(self.text)

    def fix_allowed(self, fix: Optional[Fix]) -> bool:
        return fix is not None and all(self.cell_of_edit(e) is not None for e in fix.edits)

    # -- applying edits ---------------------------------------------------
    def apply(self, edits: Sequence[Edit]) -> List[str]:
        """New cell texts (with their IPython lines) after ``edits``."""
        per_cell: Dict[int, List[Edit]] = {}
        for edit in edits:
            pos = self.cell_of_edit(edit)
            if pos is None:
                raise ValueError("edit outside a single cell")
            start = self._to_cell(pos, edit.start)
            end = self._to_cell(pos, edit.end)
            per_cell.setdefault(pos, []).append(Edit(start, end, edit.text))
        texts = [cell.text for cell in self.cells]
        for pos, cell_edits in per_cell.items():
            texts[pos] = self._apply_to_cell(pos, cell_edits)
        return texts

    def _to_cell(self, pos: int, offset: int) -> Tuple[int, int]:
        if offset >= self.cell_end(pos):
            return self.line_counts[pos] + 1, 0  # the end of the cell
        line = self.line_of(offset)
        return self.local_line(pos, line), offset - self.line_starts[line - 1]

    def _apply_to_cell(self, pos: int, edits: List[Tuple]) -> str:
        """Apply (line, col) edits to the cell's real text; the lines they
        touch are unmasked, hence identical in both texts."""
        text = self.cells[pos].text
        appended = _unterminated(text)
        work = text + "\n" if appended else text
        starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", work)]

        def offset(point: Tuple[int, int]) -> int:
            line, col = point
            return len(work) if line > len(starts) else starts[line - 1] + col

        new = apply_edits(work, [Edit(offset(e.start), offset(e.end), e.text) for e in edits])
        if appended and new.endswith("\n"):
            new = new[:-1]
        return new


def _unterminated(text: str) -> bool:
    """A cell's last line usually has no newline; the joined text adds one."""
    return bool(text) and not text.endswith(("\n", "\r"))


def map_diagnostic(diag: Diagnostic, joined: Joined) -> Diagnostic:
    """A finding on the joined text, re-addressed to its cell."""
    pos = joined.cell_of_line(diag.line)
    line = joined.local_line(pos, diag.line)
    end_pos = joined.cell_of_line(diag.end_line)
    if end_pos == pos:
        end_line, end_col = joined.local_line(pos, diag.end_line), diag.end_col
    else:
        last = joined.first_lines[pos] + max(joined.line_counts[pos], 1) - 1
        end_line = joined.local_line(pos, last)
        end_col = len(_joined_line(joined, last))
    first_stmt, last_stmt = diag.stmt_lines
    stmt = (joined.local_line(pos, first_stmt), joined.local_line(pos, last_stmt)) if first_stmt else (0, 0)
    fix = diag.fix if joined.fix_allowed(diag.fix) else None
    return replace(
        diag,
        message=_cite_cells(diag.message, joined),
        line=line,
        end_line=end_line,
        end_col=end_col,
        stmt_lines=stmt,
        fix=fix,
        cell=joined.cells[pos].number,
    )


# how messages cite another line of the file (``objective.facts.line_of``, HPL303)
_CITED_LINE = re.compile(r"\bline (\d+)\b")


def _cite_cells(message: str, joined: Joined) -> str:
    """A message's "line 176" of the joined program, as the notebook shows it: "cell 20, line 19"."""

    def cell_line(match: "re.Match[str]") -> str:
        line = int(match.group(1))
        pos = joined.cell_of_line(line)
        return f"cell {joined.cells[pos].number}, line {joined.local_line(pos, line)}"

    return _CITED_LINE.sub(cell_line, message)


def _joined_line(joined: Joined, line: int) -> str:
    start = joined.line_starts[line - 1]
    end = joined.line_starts[line] if line < len(joined.line_starts) else len(joined.text)
    return joined.text[start:end].rstrip("\r\n")


# ---------------------------------------------------------------------------
# linting and fixing


def lint_cells(cells: Sequence[CodeCell], path: str, config: Config) -> List[Diagnostic]:
    joined = Joined.build(cells)
    return [map_diagnostic(d, joined) for d in lint_source(joined.text, path, config)]


class CellsDocument(Document):
    """A notebook's code cells as one program, for ``engine.fixing``: a fix
    may not touch an IPython line or span two cells, and findings name their cell."""

    def __init__(self, cells: Sequence[CodeCell], path: str, config: Config) -> None:
        self.cells = list(cells)
        self.joined = Joined.build(self.cells)
        self.text = self.joined.text
        self.path = path
        self.config = config

    def lint(self) -> List[Diagnostic]:
        return lint_source(self.text, self.path, self.config)

    def allows(self, fix: Optional[Fix]) -> bool:
        return self.joined.fix_allowed(fix)

    def apply(self, edits: Sequence[Edit]) -> "CellsDocument":
        texts = self.joined.apply(edits)
        return CellsDocument([CodeCell(c.index, text) for c, text in zip(self.cells, texts)], self.path, self.config)

    def parses(self) -> bool:
        return source_parses(self.text)

    def address(self, diag: Diagnostic) -> Diagnostic:
        return map_diagnostic(diag, self.joined)

    def leftovers(self, original: Document) -> List[Edit]:
        return leftover_edits(original.text, self.text)

    def clashes(self, before: Document) -> bool:
        return import_clash(before.text, self.text)


@dataclass
class CellFixResult:
    texts: List[str]
    fixed: List[Diagnostic] = field(default_factory=list)
    remaining: List[Diagnostic] = field(default_factory=list)


def fix_cells(cells: Sequence[CodeCell], path: str, config: Config, unsafe: bool) -> CellFixResult:
    """The engine's fix loop over the cells; fixes that touch IPython lines or two cells are never applied."""
    run = fix_document(CellsDocument(cells, path, config), unsafe)
    return CellFixResult([c.text for c in run.document.cells], run.fixed, run.remaining)


# ---------------------------------------------------------------------------
# the notebook file


@dataclass
class Notebook:
    source: SourceFile
    cells: List[CodeCell]
    spans: Dict[int, Tuple[int, int]]  # cell index -> span of its "source" value
    python: bool

    @property
    def path(self) -> str:
        return self.source.path


def holds_python_text(source: SourceFile) -> bool:
    """A file named ``.ipynb`` that holds plain Python (a script saved under a notebook's
    name): not JSON at all, and the text parses as Python.  It is linted as the script it is."""
    text = source.text.lstrip("\ufeff \t\r\n")
    if not text or text.startswith("{"):
        return False
    try:
        json.loads(source.text)
        return False  # JSON, however broken a notebook: reported as such
    except (ValueError, RecursionError):
        pass
    try:
        ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def parse_notebook(source: SourceFile) -> Notebook:
    """Read an nbformat-4 notebook; NotebookError says why it is not one."""
    try:
        data = json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not a notebook: invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise NotebookError("not a notebook: JSON nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("not a notebook: no list of cells")
    if data.get("nbformat") != 4:
        raise NotebookError(f"unsupported nbformat {data.get('nbformat')!r}; hplint reads nbformat 4 notebooks")
    cells: List[CodeCell] = []
    for index, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        text = _cell_text(cell.get("source", ""), index)
        if text:
            cells.append(CodeCell(index, text))
    return Notebook(source, cells, source_spans(source.text), _is_python(data))


def _cell_text(value, index: int) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    raise NotebookError(f"not a notebook: cell {index + 1} has a source that is neither text nor a list of lines")


def _is_python(data: dict) -> bool:
    """Notebooks of other kernels (R, Julia) are skipped."""
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    for key in ("kernelspec", "language_info"):
        info = metadata.get(key)
        if isinstance(info, dict):
            language = info.get("language") if key == "kernelspec" else info.get("name")
            if isinstance(language, str) and language:
                return language.lower() == "python"
    return True


_WS = re.compile(r"[ \t\n\r]*")


def source_spans(text: str) -> Dict[int, Tuple[int, int]]:
    """Where each cell's ``source`` value lies in the JSON text (index -> span).

    ``text`` is known to be valid JSON; values other than the cells' sources
    are skipped with the standard decoder."""
    decoder = json.JSONDecoder()
    spans: Dict[int, Tuple[int, int]] = {}

    def ws(i: int) -> int:
        return _WS.match(text, i).end()

    def skip(i: int) -> int:
        return decoder.raw_decode(text, i)[1]

    def walk_object(i: int, on_member: Callable[[str, int], int]) -> int:
        """``i`` at '{'; calls ``on_member(key, value_start) -> value_end``."""
        i = ws(i + 1)
        if text[i] == "}":
            return i + 1
        while True:
            key, i = json.decoder.scanstring(text, i + 1)
            i = ws(ws(i) + 1)  # past ':'
            i = ws(on_member(key, i))
            if text[i] == "}":
                return i + 1
            i = ws(i + 1)  # past ','

    def on_cell(index: int) -> Callable[[str, int], int]:
        def handle(key: str, at: int) -> int:
            end = skip(at)
            if key == "source":
                spans[index] = (at, end)
            return end

        return handle

    def on_top(key: str, at: int) -> int:
        if key != "cells" or text[at] != "[":
            return skip(at)
        i, index = ws(at + 1), 0
        while text[i] != "]":
            i = ws(walk_object(i, on_cell(index)) if text[i] == "{" else skip(i))
            index += 1
            if text[i] == ",":
                i = ws(i + 1)
        return i + 1

    walk_object(ws(0), on_top)
    return spans


def encode_source(new: str, old_raw: str, text: str, at: int) -> str:
    """``new`` as a JSON value in the layout of the value it replaces."""
    ascii_only = _ensure_ascii(text)
    if old_raw.startswith('"'):
        return json.dumps(new, ensure_ascii=ascii_only)
    items = [json.dumps(line, ensure_ascii=ascii_only) for line in new.splitlines(keepends=True)]
    if not items:
        return "[]"
    inner = old_raw[1:-1]
    if "\n" in old_raw:
        newline = "\r\n" if "\r\n" in old_raw else "\n"
        item_indent, close_indent = _list_indents(old_raw.replace("\r\n", "\n"), text, at)
        return "[" + newline + ("," + newline).join(item_indent + item for item in items) + newline + close_indent + "]"
    return "[" + _item_separator(inner, text).join(items) + "]"


def _item_separator(inner: str, text: str) -> str:
    """The separator between items on one line: the list's own where it has
    two items, else the first one the file puts after a comma outside a string
    (``", "`` as nbformat writes, ``","`` in a compact notebook)."""
    for sample in (inner, text):
        at = _structural_comma(sample)
        if at >= 0:
            return ", " if sample[at + 1 : at + 2] == " " else ","
    return ", "


def _structural_comma(text: str) -> int:
    """Offset of the first comma outside a JSON string, or -1."""
    inside = escaped = False
    for at, char in enumerate(text):
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char == ",":
            return at
    return -1


def _list_indents(old_raw: str, text: str, at: int) -> Tuple[str, str]:
    lines = old_raw.split("\n")
    item = lines[1][: len(lines[1]) - len(lines[1].lstrip(" \t"))] if len(lines) > 2 else None
    close = lines[-1][: len(lines[-1]) - len(lines[-1].lstrip(" \t"))]
    if item is None:  # "[\n]": one level deeper than the closing bracket
        line_start = text.rfind("\n", 0, at) + 1
        key_indent = text[line_start:at][: len(text[line_start:at]) - len(text[line_start:at].lstrip(" \t"))]
        unit = key_indent[len(close):] if len(key_indent) > len(close) else " "
        item = close + (unit or " ")
    return item, close


def _ensure_ascii(text: str) -> bool:
    """Whether the file escapes non-ASCII text (json.dumps' default) or not (nbformat's)."""
    if any(ord(c) > 127 for c in text):
        return False
    return bool(re.search(r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})", text))


def rewrite(notebook: Notebook, new_texts: Dict[int, str]) -> str:
    """The notebook's JSON text with only the given cells' sources replaced."""
    text = notebook.source.text
    pieces: List[str] = []
    last = 0
    for index in sorted(new_texts):
        if index not in notebook.spans:
            raise NotebookError(f"cell {index + 1} has no source to rewrite")
        start, end = notebook.spans[index]
        pieces += [text[last:start], encode_source(new_texts[index], text[start:end], text, start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


# ---------------------------------------------------------------------------
# the runner's entry point


def check_notebook(source: SourceFile, config: Config, mode: Mode, write: bool = True) -> FileOutcome:
    """Lint (and fix, per ``mode``) one notebook; never raises for a bad file."""
    path = source.path
    try:
        notebook = parse_notebook(source)
    except NotebookError as exc:
        return FileOutcome(path, [io_error(path, str(exc))], error=str(exc))
    if not notebook.python or not notebook.cells:
        return FileOutcome(path)
    try:
        if not mode.fixing:
            return FileOutcome(path, lint_cells(notebook.cells, path, config))
        result = fix_cells(notebook.cells, path, config, mode.unsafe)
    except RecursionError:
        message = "notebook too deeply nested to analyse"
        return FileOutcome(path, [io_error(path, message)], error=message)
    outcome = FileOutcome(path, result.remaining, result.fixed)
    changed = {c.index: t for c, t in zip(notebook.cells, result.texts) if t != c.text}
    if not changed:
        return outcome
    outcome.fixed_text = rewrite(notebook, changed)
    if mode.diff:
        outcome.diff = cell_diff(notebook, changed)
        return outcome
    if write:
        _write(notebook, changed, outcome)
    return outcome


def cell_diff(notebook: Notebook, changed: Dict[int, str]) -> str:
    """A unified diff per changed cell, headed ``path:cell_N``."""
    old = {c.index: c.text for c in notebook.cells}
    parts = []
    for index in sorted(changed):
        name = f"{notebook.path}:cell_{index + 1}"
        before, after = old[index], changed[index]
        before += "" if before.endswith("\n") or not before else "\n"
        after += "" if after.endswith("\n") or not after else "\n"
        parts.append(unified_diff(name, before, after))
    return "".join(parts)


def _write(notebook: Notebook, changed: Dict[int, str], outcome: FileOutcome) -> None:
    try:
        write_source(notebook.source, outcome.fixed_text or rewrite(notebook, changed))
    except (SourceError, NotebookError) as exc:
        not_written(outcome, str(exc))
