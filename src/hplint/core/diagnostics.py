"""The data a rule produces: diagnostics, and the text edits that fix them.

Everything here is plain data so that every front end (CLI, flake8, notebooks,
SARIF) renders the same findings the same way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Optional, Tuple


class Safety(str, enum.Enum):
    """How far a fix may be trusted to run unattended.

    ``SAFE`` keeps the parameters, bounds, number of points, trial budget and
    control flow; it only changes the spacing or distribution the message
    recommends.  ``UNSAFE`` restructures control flow, invents values or
    changes the budget.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Edit:
    """Replace ``source[start:end]`` (string offsets) with ``text``.

    ``text`` uses ``\\n`` for new lines; the fixer converts them to the file's
    own line ending.
    """

    start: int
    end: int
    text: str

    def overlaps(self, other: "Edit") -> bool:
        if self == other:
            return False  # identical edits (e.g. the same added import) merge
        if self.start == self.end == other.start == other.end:
            return True  # two different insertions at one point: order unknown
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Fix:
    """A set of edits that together resolve one diagnostic."""

    safety: Safety
    edits: Tuple[Edit, ...]
    description: str = ""

    @property
    def is_safe(self) -> bool:
        return self.safety is Safety.SAFE


@dataclass
class Diagnostic:
    """One finding.  ``line`` is 1-based, ``col`` is 0-based (as in ``ast``).

    Text output adds one to the column (flake8's convention); the flake8
    plugin hands the 0-based column to flake8, which adds one itself.
    """

    code: str
    message: str
    line: int
    col: int
    end_line: int
    end_col: int
    fix: Optional[Fix] = None
    path: str = "-"
    # first and last line of the statement the finding belongs to, for noqa
    stmt_lines: Tuple[int, int] = (0, 0)
    fix_applied: bool = False
    cell: Optional[int] = None

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.col, self.code)

    def to_json(self) -> dict:
        out = {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "col": self.col + 1,
            "end_line": self.end_line,
            "end_col": self.end_col + 1,
            "fix": None
            if self.fix is None
            else {
                "safety": self.fix.safety.value,
                "applied": self.fix_applied,
                "description": self.fix.description,
            },
        }
        if self.cell is not None:
            out["cell"] = self.cell
        return out
