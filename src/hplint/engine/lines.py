"""Where logical lines start, read line by line without a parse.

Two readers need it on text that may not parse: the recovery of a file
libcst rejects (``engine.recovery``) and the notebook reader, which replaces
IPython lines only where a statement can start (``frontends.notebooks``).
Strings, brackets, comments and backslash continuations are followed; nothing
else of Python's lexer is needed.
"""

from __future__ import annotations

from typing import Optional


class LineLexer:
    """Just enough of Python's lexer to know where logical lines start."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: Optional[str] = None
        self.backslash = False

    @property
    def clean(self) -> bool:
        """The next line starts a logical line: no bracket, string or backslash continues into it."""
        return self.depth == 0 and self.quote is None and not self.backslash

    def feed(self, body: str) -> str:
        """Read one line (without its end); return its last significant character."""
        last, i, n = "", 0, len(body)
        escaped_end = False
        self.backslash = False
        while i < n:
            char = body[i]
            if self.quote is not None:
                if char == "\\":
                    escaped_end = i + 1 >= n
                    i += 2
                elif body.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote, last = None, '"'
                else:
                    i += 1
                continue
            if char == "#":
                break
            if char in "'\"":
                self.quote = char * 3 if body.startswith(char * 3, i) else char
                i += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(self.depth - 1, 0)
            elif char == "\\" and i == n - 1:
                self.backslash = True
            if not char.isspace():
                last = char
            i += 1
        if self.quote is not None and len(self.quote) == 1 and not escaped_end:
            self.quote = None  # a one-line string left open: an error, not a string to the end
        return last
