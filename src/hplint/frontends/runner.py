"""Checking one file end to end: read, lint or fix, write back.

``check_file`` is a plain function of picklable arguments so it can run in a
process pool or be answered from a cache; the CLI only orchestrates it.
"""

from __future__ import annotations

from hplint.core.config import Config
from hplint.engine.lint import fix_source, lint_source
from hplint.frontends.files import SourceError, SourceFile, read_source, write_source
from hplint.frontends.notebooks import check_notebook, holds_python_text
from hplint.frontends.outcome import FileOutcome, Mode, io_error, not_written, unified_diff
from hplint.frontends.sweepfiles import check_sweep, read_sweep
from hplint.sweeps.reader import is_sweep_path

__all__ = ["FileOutcome", "Mode", "check_file", "check_source", "io_error"]

def check_file(path: str, config: Config, mode: Mode) -> FileOutcome:
    """Lint (and fix, per ``mode``) one file; never raises for a bad file."""
    if is_sweep_path(path):
        sweep = read_sweep(path)
        return FileOutcome(path) if sweep is None else check_sweep(sweep, config, mode)
    try:
        source = read_source(path)
    except SourceError as exc:
        return FileOutcome(path, [io_error(path, str(exc))], error=str(exc))
    return check_source(source, config, mode)


def check_source(source: SourceFile, config: Config, mode: Mode, write: bool = True) -> FileOutcome:
    path = source.path
    if path.endswith(".ipynb") and not holds_python_text(source):
        return check_notebook(source, config, mode, write)
    if is_sweep_path(path):
        return check_sweep(source, config, mode, write)
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


