"""Checking one file end to end: read, lint or fix, write back.

``check_file`` is a plain function of picklable arguments so it can run in a
process pool or be answered from a cache; the CLI only orchestrates it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import List, Optional

from hplint.core.config import Config
from hplint.core.diagnostics import Diagnostic
from hplint.engine.lint import SYNTAX_ERROR, fix_source, lint_source
from hplint.frontends.files import SourceError, SourceFile, read_source, write_source

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


def check_file(path: str, config: Config, mode: Mode) -> FileOutcome:
    """Lint (and fix, per ``mode``) one file; never raises for a bad file."""
    try:
        source = read_source(path)
    except SourceError as exc:
        return FileOutcome(path, [io_error(path, str(exc))], error=str(exc))
    return check_source(source, config, mode)


def check_source(source: SourceFile, config: Config, mode: Mode, write: bool = True) -> FileOutcome:
    path = source.path
    if path.endswith(".ipynb"):
        from hplint.frontends.notebooks import check_notebook  # imports this module

        return check_notebook(source, config, mode, write)
    try:
        if not mode.fixing:
            return FileOutcome(path, lint_source(source.text, path, config))
        result = fix_source(source.text, path, config, unsafe=mode.unsafe)
    except RecursionError:
        message = "file too deeply nested to analyse"
        return FileOutcome(path, [io_error(path, message)], error=message)
    outcome = FileOutcome(path, result.remaining, result.fixed)
    if not result.changed:
        return outcome
    outcome.fixed_text = result.source
    if mode.diff:
        outcome.diff = unified_diff(path, source.text, result.source)
        # in --diff mode nothing is written: findings are reported as they stand
        return outcome
    if write:
        try:
            write_source(source, result.source)
        except SourceError as exc:
            not_written(outcome, str(exc))
    return outcome


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
