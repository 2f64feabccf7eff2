"""Files that do not parse: find the top-level statements that do.

A syntax error in one place (a Python 2 ``print "x"``, a stray indent, a
bracket left open) should not hide a linear learning-rate grid forty lines
further down.  After libcst fails on a file, its text is cut into top-level
statements, each is parsed on its own, and the ones that fail are blanked:
every character but the line ends becomes a space, so the lines, columns
and string offsets of the rest are those of the file.  ``engine.lint`` lints
the blanked text as usual and reports each run of failed statements as one
``HPL001``.

Cutting is done by a small scanner, not ``tokenize`` (which stops at the
first error): a line starts a top-level statement when it is not inside
brackets, a string or a backslash continuation, starts at column 0 with code,
and is not an ``else``/``elif``/``except``/``finally`` clause or the
definition under a decorator.  A statement that fails is cut further where
the code itself shows a new statement must start: an identifier or ``@`` at
column 0 inside brackets left open (the brackets cannot be closed by then in
code that parses), and an indented line after a top-level simple statement
(always "unexpected indent").  Only these pieces of failed statements are
cut; a statement that parses is never cut.  The other way round, a failed
statement that starts at column 0 and goes on indented (a line dedented by
mistake inside a function) takes the block above it along: that function is
left unread rather than read without its last lines.

A statement that fails only for Python 2 syntax (``print "x"``, ``except E, e:``)
is read with those lines rewritten (``engine.python2``) instead of blanked,
and still reported.  One that fails on indentation mixing tabs and spaces
(which Python 2 ran, each tab reaching the next multiple of 8 columns) is read
with its indentation expanded that way; its findings move back to the file's
columns.

What a statement left unread would have told the rules (a pruner it builds,
a hyperparameter it suggests) is missing, as for code defined in another
module; the names it binds are simply not bound.

Nothing here runs for a file that parses.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple

from hplint.core.lazy_libcst import cst
from hplint.engine import python2
from hplint.engine.lines import LineLexer

_NEWLINE = re.compile(r"\r\n|\r|\n")
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_NAME_OR_DECORATOR = re.compile(r"(?:[^\W\d]|@)")
_NOT_LINE_END = re.compile(r"[^\r\n]")


@dataclass(frozen=True)
class Region:
    """Top-level code that did not parse: its lines (1-based, code only) and the first error in it."""

    first: int
    last: int
    line: int
    col: int
    message: str
    end_col: int = 0  # the length of the last line
    repaired: int = 0  # top-level statements of the file read without their Python 2 syntax (``engine.python2``)
    shift: int = 0  # the region was read dedented by this many columns (a stray indent)
    tabs: bool = False  # the region was read with its tabs expanded to 8 columns (``_tabs_expanded``)

    @property
    def size(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class Recovery:
    """The file with its unparseable regions blanked, and those regions."""

    text: str
    regions: Tuple[Region, ...]
    # (first line, last line, columns): lines read dedented, whose findings move back right,
    # or (negative columns) read with tabs expanded, whose findings move back left
    shifts: Tuple[Tuple[int, int, int], ...] = ()


# ---------------------------------------------------------------------------
# scanning lines


@dataclass(frozen=True)
class _Line:
    text: str  # with its line end
    stripped: str  # without indentation and line end
    clean: bool  # starts a logical line: not in brackets, a string or after a backslash
    continued: bool  # starts inside a string or after a backslash
    blank: bool  # only whitespace or a comment (outside a string)
    column0: bool  # has code starting at column 0
    last: str  # last character outside strings and comments ('' when none)


def split_lines(source: str) -> List[str]:
    """The lines of ``source`` with their ends (``\\r\\n``, ``\\r`` or ``\\n``, as Python counts lines)."""
    lines, at = [], 0
    for match in _NEWLINE.finditer(source):
        lines.append(source[at : match.end()])
        at = match.end()
    if at < len(source):
        lines.append(source[at:])
    return lines


def _scan(lines: Sequence[str]) -> List[_Line]:
    lexer = LineLexer()
    out: List[_Line] = []
    for text in lines:
        body = text.rstrip("\r\n")
        stripped = body.lstrip(" \t\f")
        clean = lexer.clean
        continued = lexer.quote is not None or lexer.backslash
        blank = not continued and (not stripped or stripped.startswith("#"))
        indent = body[: len(body) - len(stripped)].rsplit("\f", 1)[-1]  # a form feed resets the column
        column0 = not blank and not continued and not indent
        last = lexer.feed(body)
        out.append(_Line(text, stripped, clean, continued, blank, column0, last))
    return out


def statement_starts(lines: Sequence[_Line]) -> List[int]:
    """0-based indices of the lines that start a top-level statement (the first line always)."""
    starts = [0]
    decorating = seen = False
    for index, line in enumerate(lines):
        if not line.clean or line.blank:
            continue
        if seen and line.column0 and not decorating and not _CLAUSE.match(line.stripped):
            starts.append(index)
        decorating = line.column0 and line.stripped.startswith("@")
        seen = True
    return starts


def top_level_statements(source: str) -> List[Tuple[int, int]]:
    """(first, last) 1-based lines of each top-level statement the scanner finds."""
    lines = _scan(split_lines(source))
    starts = statement_starts(lines)
    ends = starts[1:] + [len(lines)]
    return [(start + 1, end) for start, end in zip(starts, ends) if start < end]


def _cuts(lines: Sequence[_Line], start: int, end: int) -> List[int]:
    """Where a statement that failed can be cut further (see the module docstring)."""
    cuts = [start]
    logical_column0, previous_last = False, ""
    for index in range(start, end):
        line = lines[index]
        if line.blank:
            continue
        if index > start and not line.continued:
            if line.column0 and not line.clean and _NAME_OR_DECORATOR.match(line.stripped) and not _CLAUSE.match(line.stripped):
                cuts.append(index)  # a name at column 0 inside brackets left open
            elif line.clean and not line.column0 and logical_column0 and previous_last != ":":
                cuts.append(index)  # an indented line after a top-level simple statement
        if line.clean:
            logical_column0 = line.column0
        previous_last = line.last
    return cuts


# ---------------------------------------------------------------------------
# parsing pieces


def _error(text: str) -> Optional[Tuple[int, int, str]]:
    """None when ``text`` parses; else (line, column, message) of its first error.

    CPython's parser first (cheap, and its messages are the clearer); libcst's
    where CPython fails, since libcst reads syntax newer than the running Python.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<statement>", "exec", ast.PyCF_ONLY_AST)
        return None
    except SyntaxError as exc:
        found = (exc.lineno or 1, max((exc.offset or 1) - 1, 0), f"SyntaxError: {exc.msg}")
    except (ValueError, RecursionError, MemoryError) as exc:
        found = (1, 0, f"cannot parse: {type(exc).__name__}: {exc}")
    try:
        cst.parse_module(text)
    except Exception:  # any failure of libcst's parser: the piece does not parse
        return found
    return None


@dataclass(frozen=True)
class _Piece:
    start: int  # 0-based first line
    end: int  # 0-based line after the last
    error: Optional[Tuple[int, int, str]]  # line within the piece, column, message
    repaired: Optional[Tuple[str, ...]] = None  # its lines read without their Python 2 syntax (``engine.python2``)
    shift: int = 0  # or read dedented by this many columns (``repaired`` holds those lines)
    tabs: bool = False  # or read with its indentation's tabs expanded (``repaired`` holds those lines)


def _pieces(lines: Sequence[_Line]) -> List[_Piece]:
    pieces: List[_Piece] = []
    starts = statement_starts(lines)
    for start, end in zip(starts, starts[1:] + [len(lines)]):
        error = _error("".join(line.text for line in lines[start:end]))
        if error is None:
            pieces.append(_Piece(start, end, None))
            continue
        fixed = python2.repaired([line.text for line in lines[start:end]], [line.clean for line in lines[start:end]])
        if fixed is not None and _error("".join(fixed)) is None:
            pieces.append(_Piece(start, end, error, tuple(fixed)))
            continue
        expanded = _tabs_expanded(lines[start:end])
        if expanded is not None:
            pieces.append(_Piece(start, end, error, tuple(expanded), tabs=True))
            continue
        above = pieces[-1] if pieces else None
        if above is not None and above.error is None and _continues_block_above(lines, above, _Piece(start, end, error)):
            line, col, message = error
            pieces[-1] = _Piece(above.start, end, (line + start - above.start, col, message))
            continue
        cuts = _cuts(lines, start, end)
        for cut, next_cut in zip(cuts, cuts[1:] + [end]):
            piece_error = error if len(cuts) == 1 else _error("".join(line.text for line in lines[cut:next_cut]))
            dedented = _dedented(lines[cut:next_cut]) if piece_error is not None else None
            text = _parsed_as_reread(dedented[0], [line.clean for line in lines[cut:next_cut]]) if dedented is not None else None
            if text is not None:
                pieces.append(_Piece(cut, next_cut, piece_error, tuple(text), dedented[1]))  # type: ignore[index]
                continue
            pieces.append(_Piece(cut, next_cut, piece_error))
    return pieces


def _parsed_as_reread(text: List[str], clean: List[bool]) -> Optional[List[str]]:
    """A block's lines as re-read (dedented, or its tabs expanded) if they parse, else with
    their Python 2 and IPython lines rewritten if that parses (a notebook exported indented
    as a whole keeps its ``!pip install`` lines); None when neither does."""
    if _error("".join(text)) is None:
        return text
    fixed = python2.repaired(text, clean)
    return fixed if fixed is not None and _error("".join(fixed)) is None else None


def _tabs_expanded(piece: Sequence[_Line]) -> Optional[List[str]]:
    """The piece's lines with the tabs of each logical line's indentation expanded to the
    next multiple of 8 columns (how Python 2 read them), if that parses (with its Python 2
    and IPython lines rewritten if need be); None when no such tab or it still fails."""
    out, changed = [], False
    for line in piece:
        body = line.text.rstrip("\r\n")
        indent = body[: len(body) - len(body.lstrip(" \t"))]
        if line.clean and "\t" in indent and "\f" not in indent:
            out.append(indent.expandtabs(8) + line.text[len(indent):])
            changed = True
        else:
            out.append(line.text)
    return _parsed_as_reread(out, [line.clean for line in piece]) if changed else None


def _dedented(piece: Sequence[_Line]) -> Optional[Tuple[List[str], int]]:
    """A block indented as a whole where nothing opens a block (code pasted with a
    stray indent), with that indent taken off every line; None unless every line
    that is not blank starts with the same indent."""
    code = [line for line in piece if not line.blank]
    if not code or code[0].column0 or not code[0].clean:
        return None
    first = code[0].text
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not indent or any(not line.text.startswith(indent) for line in code):
        return None
    out = [line.text[len(indent):] if line.text.startswith(indent) else line.text.lstrip(" \t") for line in piece]
    return out, len(indent)


def _continues_block_above(lines: Sequence[_Line], above: _Piece, piece: _Piece) -> bool:
    """A failed statement that starts at column 0 with a simple statement and
    goes on indented was most likely inside the block above it (a line
    dedented by mistake in a function body): the block above is then left
    unread with it, rather than read cut short (a function read without its
    last lines would be missing what they do)."""
    above_code = [i for i in range(above.start, above.end) if not lines[i].blank]
    if not above_code or lines[above_code[-1]].column0:
        return False  # the statement above has no indented block to belong to
    code = [i for i in range(piece.start, piece.end) if not lines[i].blank and lines[i].clean]
    if len(code) < 2 or not lines[code[0]].column0:
        return False
    head_end = code[1] - 1  # the last line of the piece's first logical line
    while head_end > code[0] and lines[head_end].blank:
        head_end -= 1
    return lines[head_end].last != ":" and not lines[code[1]].column0


def _region(lines: Sequence[_Line], run: Sequence[_Piece]) -> Region:
    code = [i for piece in run for i in range(piece.start, piece.end) if not lines[i].blank]
    first_piece = run[0]
    line, col, message = first_piece.error  # type: ignore[misc]
    line = min(max(line + first_piece.start, first_piece.start + 1), first_piece.end)
    first = code[0] + 1 if code else first_piece.start + 1
    last = code[-1] + 1 if code else run[-1].end
    last = max(last, line)
    return Region(min(first, line), last, line, col, message, len(lines[last - 1].text.rstrip("\r\n")))


def recover(source: str) -> Optional[Recovery]:
    """The parseable part of ``source``, or None when there is none (or nothing failed)."""
    lines = _scan(split_lines(source))
    pieces = _pieces(lines)
    kept = [p for p in pieces if (p.error is None or p.repaired is not None) and any(not lines[i].blank for i in range(p.start, p.end))]
    if not kept or all(p.error is None for p in pieces):
        return None
    repaired = [p for p in pieces if p.repaired is not None and not p.shift and not p.tabs]
    shifts = tuple((p.start + 1, p.end, p.shift) for p in pieces if p.shift) + tuple(
        (index + 1, index + 1, len(lines[index].text) - len(new))
        for p in pieces
        if p.tabs
        for index, new in zip(range(p.start, p.end), p.repaired)  # type: ignore[arg-type]
        if len(new) != len(lines[index].text)
    )
    regions: List[Region] = []
    text: List[str] = []
    run: List[_Piece] = []
    for piece in pieces + [_Piece(len(lines), len(lines), None)]:
        if piece.error is not None and piece.repaired is None:
            run.append(piece)
            text.extend(_NOT_LINE_END.sub(" ", line.text) for line in lines[piece.start : piece.end])
            continue
        if run:
            regions.append(_region(lines, run))
            run = []
        if piece.repaired is not None:
            if piece.shift:
                regions.append(replace(_region(lines, [piece]), shift=piece.shift))
            elif piece.tabs:
                regions.append(replace(_region(lines, [piece]), tabs=True))
            elif piece is repaired[0]:  # one finding for the file's Python 2 syntax, at its first statement
                regions.append(replace(_region(lines, [piece]), repaired=len(repaired)))
            text.extend(piece.repaired)
            continue
        text.extend(line.text for line in lines[piece.start : piece.end])
    return Recovery("".join(text), tuple(regions), shifts)
