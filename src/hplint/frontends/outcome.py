"""What checking one file gives: its findings, what was fixed, the diff, an error.

Plain picklable data shared by the runner, notebooks, the process pool and the cache.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import List, Optional

from hplint.core.diagnostics import Diagnostic
from hplint.engine.syntax import SYNTAX_ERROR

IO_ERROR = "HPL002"


@dataclass(frozen=True)
class Mode:
    fix: bool = False
    unsafe: bool = False
    diff: bool = False

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff


@dataclass
class FileOutcome:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)  # remaining
    fixed: List[Diagnostic] = field(default_factory=list)
    diff: str = ""
    error: Optional[str] = None  # could not read, parse or write
    fixed_text: Optional[str] = None  # the whole file after fixing, when it changed

    @property
    def failed(self) -> bool:
        return self.error is not None or any(d.code in (SYNTAX_ERROR, IO_ERROR) for d in self.diagnostics)


def io_error(path: str, message: str) -> Diagnostic:
    return Diagnostic(IO_ERROR, message, 1, 0, 1, 0, path=path, stmt_lines=(1, 1))



def not_written(outcome: FileOutcome, reason: str) -> None:
    """The fixed text could not be written: its findings stand unfixed."""
    for diag in outcome.fixed:
        diag.fix_applied = False
    outcome.diagnostics = sorted(outcome.fixed + outcome.diagnostics, key=lambda d: d.sort_key)
    outcome.fixed = []
    outcome.diagnostics.append(io_error(outcome.path, reason))
    outcome.error = reason


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=path,
        tofile=path,
    )
    text = ""
    for line in lines:
        text += line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
    return text
