"""``# noqa`` and ``# noqa: HPL201,HPL202`` suppressions, flake8's syntax.

A suppression anywhere on the reported statement's lines counts, so a
comment after the closing parenthesis of a multi-line call works.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

from hplint.core.diagnostics import Diagnostic

# flake8's own pattern: "# noqa", "# noqa:E1,W2", "# NOQA : X1 X2"
NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+)?)+)?",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def suppressed_codes(line: str) -> Optional[Sequence[str]]:
    """None: no noqa.  Empty tuple: a blanket noqa.  Else the listed codes."""
    if "#" not in line:
        return None
    match = NOQA.search(line)
    if match is None:
        return None
    if match.group("codes") is None:
        return ()
    return tuple(c.upper() for c in _CODE.findall(match.group(0).split(":", 1)[1]))


def is_suppressed(diag: Diagnostic, lines: List[str]) -> bool:
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
