"""Positions as LSP counts them: 0-based lines, columns in the negotiated code units.

hplint's findings count lines from 1 and columns in code points (libcst's
and Python's ``str`` indexing); its edits are string offsets.  LSP counts
columns in UTF-16 code units unless client and server agreed on UTF-8 or
UTF-32 at initialization, so a line holding an emoji or CJK text before a
finding would otherwise put the squiggle in the wrong place.  Lines end at
``\\r\\n``, ``\\r`` or ``\\n``, as in LSP and in the engine.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import List, Tuple

from lsprotocol import types

NEWLINE = re.compile(r"\r\n|\r|\n")
UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units ``text`` is in ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def code_points(line: str, count: int, encoding: str = UTF16) -> int:
    """The code-point column that ``count`` code units into ``line`` reach
    (a count inside a character rounds down to its start; past the end, the end)."""
    if encoding == UTF32:
        return min(count, len(line))
    seen = 0
    for index, char in enumerate(line):
        width = units(char, encoding)
        if seen + width > count:
            return index
        seen += width
    return len(line)


class LineIndex:
    """One text's lines, for converting positions and offsets both ways."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts: List[int] = [0] + [m.end() for m in NEWLINE.finditer(text)]

    def line_text(self, line: int) -> str:
        """The 0-based line's content, without its ending."""
        if line >= len(self.starts):
            return ""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end].rstrip("\r\n")

    def position(self, line: int, column: int) -> types.Position:
        """LSP position of a 0-based line and code-point column (clamped to the line)."""
        if line >= len(self.starts):
            last = len(self.starts) - 1
            return types.Position(last, units(self.line_text(last), self.encoding))
        content = self.line_text(max(line, 0))
        return types.Position(max(line, 0), units(content[: max(column, 0)], self.encoding))

    def finding_range(self, line: int, col: int, end_line: int, end_col: int) -> types.Range:
        """An hplint finding's span (1-based lines, code-point columns) as an LSP range."""
        start = self.position(line - 1, col)
        end = self.position(end_line - 1, end_col)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return types.Range(start, end)

    def offset_position(self, offset: int) -> types.Position:
        """LSP position of a string offset."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self.starts, offset) - 1
        return self.position(line, offset - self.starts[line])

    def offset_range(self, start: int, end: int) -> types.Range:
        return types.Range(self.offset_position(start), self.offset_position(end))

    def code_point(self, position: types.Position) -> Tuple[int, int]:
        """(0-based line, code-point column) of an LSP position."""
        line = min(position.line, len(self.starts) - 1)
        return line, code_points(self.line_text(line), position.character, self.encoding)
