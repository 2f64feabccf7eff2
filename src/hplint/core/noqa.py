"""Suppressions: ``# noqa`` on a statement, and file-level exemptions.

Line level, flake8's syntax: ``# noqa`` or ``# noqa: HPL201,HPL202`` anywhere
on the reported statement's lines counts, so a comment after the closing
parenthesis of a multi-line call works.

File level, the forms ruff documents (``# ruff: noqa``, ``# ruff: noqa:
HPL201``, flake8's ``# flake8: noqa``) and hplint's own ``# hplint: noqa`` /
``# hplint: noqa: HPL201``: a comment on a line of its own, anywhere in the
file.  Without codes it exempts the whole file; with codes, those codes (or
prefixes).  Because the engine applies them, the CLI and the flake8 plugin
agree (flake8 itself also skips a file with ``# flake8: noqa``).
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple

from hplint.core.diagnostics import Diagnostic

# flake8's own pattern: "# noqa", "# noqa:E1,W2", "# NOQA : X1 X2"
NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+)?)+)?",
    re.IGNORECASE,
)
CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)

# ruff's file-level specification: "#", optional whitespace, a case-sensitive
# tool name, optional whitespace, ":", optional whitespace, a case-insensitive
# "noqa", then an inline noqa's codes.  flake8 reads its own directive with
# ``# flake8[:=]\s*noqa`` case-insensitively; hplint accepts that spelling too,
# so that the CLI skips exactly the files flake8 skips.
_FILE_DIRECTIVE = re.compile(
    r"^[ \t\f]*#[ \t]*(?:(?P<tool>hplint|ruff)[ \t]*:|(?P<flake8>(?i:flake8))[ \t]*[:=])[ \t]*(?i:noqa)"
    r"(?P<tail>.*)$"
)
_FILE_CODES = re.compile(r"^[ \t]*:[ \t]*(?P<codes>[A-Z]+[0-9]+(?:[ \t,]+[A-Z]+[0-9]+)*)")


def suppressed_codes(line: str) -> Optional[Sequence[str]]:
    """None: no noqa.  Empty tuple: a blanket noqa.  Else the listed codes.

    Every ``# noqa`` on the line is read, so a directive after one quoted in a
    string still counts.
    """
    if "#" not in line:
        return None
    codes: List[str] = []
    found = False
    for match in NOQA.finditer(line):
        found = True
        if match.group("codes") is None:
            return ()
        codes.extend(c.upper() for c in CODE.findall(match.group(0).split(":", 1)[1]))
    return tuple(codes) if found else None


@dataclass(frozen=True)
class FileExemption:
    """What a file's own exemption comments suppress: everything, or codes."""

    everything: bool = False
    codes: Tuple[str, ...] = ()

    def covers(self, code: str) -> bool:
        return self.everything or any(code.startswith(c) for c in self.codes)


def parse_file_directive(line: str) -> Optional[FileExemption]:
    """The exemption a line states, when it is a file-level directive."""
    match = _FILE_DIRECTIVE.match(line)
    if match is None:
        return None
    tail = match.group("tail")
    listed = _FILE_CODES.match(tail)
    if listed is not None:
        return FileExemption(codes=tuple(CODE.findall(listed.group("codes"))))
    # ruff: a blanket directive ends the comment, starts a new one, or is
    # followed by whitespace and anything but ":"; "# ruff: noqa:" with no
    # valid code is not a directive
    stripped = tail.lstrip(" \t")
    if stripped and not stripped.startswith("#") and (stripped.startswith(":") or stripped == tail):
        return None
    return FileExemption(everything=True)


def file_exemption(lines: Sequence[str]) -> Optional[FileExemption]:
    """The file-level exemption of a file (its lines, without line endings)."""
    candidates = [
        (number, found)
        for number, line in enumerate(lines, start=1)
        if "noqa" in line.lower() and (found := parse_file_directive(line)) is not None
    ]
    if not candidates:
        return None
    comments = _comment_lines(lines)
    everything = False
    codes: List[str] = []
    for number, found in candidates:
        if comments is not None and number not in comments:
            continue  # the text of a string, not a comment
        everything = everything or found.everything
        codes.extend(found.codes)
    if not everything and not codes:
        return None
    return FileExemption(everything=everything, codes=tuple(codes))


def _comment_lines(lines: Sequence[str]) -> Optional[set]:
    """Lines that start with a comment token; None when the text does not
    tokenize (then every candidate line counts, as flake8 reads raw lines)."""
    found = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if token.type == tokenize.COMMENT and not token.line[: token.start[1]].strip():
                found.add(token.start[0])
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    return found


# the engine asks once per finding with the same list of lines: read the
# file's exemption once per list (the reference keeps its id from being reused)
_last: List[object] = [None, None]


def _exemption_for(lines: List[str]) -> Optional[FileExemption]:
    if _last[0] is not lines:
        _last[0], _last[1] = lines, file_exemption(lines)
    return _last[1]  # type: ignore[return-value]


def is_suppressed(diag: Diagnostic, lines: List[str]) -> bool:
    exemption = _exemption_for(lines)
    if exemption is not None and exemption.covers(diag.code):
        return True
    first, last = diag.stmt_lines if diag.stmt_lines != (0, 0) else (diag.line, diag.end_line)
    first = min(first, diag.line)
    last = max(last, diag.line)
    for number in range(first, last + 1):
        if not 0 < number <= len(lines):
            continue
        codes = suppressed_codes(lines[number - 1])
        if codes is None:
            continue
        if not codes or any(diag.code.startswith(c) for c in codes):
            return True
    return False


def directive_codes(codes: Iterable[str]) -> str:
    """``# noqa: A, B`` as hplint writes it (flake8 and ruff read it too)."""
    return "# noqa: " + ", ".join(codes)
