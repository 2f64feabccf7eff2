"""Checking one ``.yaml``/``.yml``/``.json`` file: a sweep config (W&B, Hydra) is linted and
fixed (``hplint.sweeps``), as is a ``.sh``/``.md`` file's Hydra multirun command line;
anything else (CI workflows, compose files, manifests, data, other scripts and documents)
is left alone without a word, even when it cannot be read.
"""

from __future__ import annotations

import os
from typing import Optional

from hplint.core.config import Config
from hplint.frontends.files import SourceError, SourceFile, read_source, write_source
from hplint.frontends.outcome import FileOutcome, Mode, io_error, not_written, unified_diff
from hplint.sweeps.reader import MAX_SWEEP_BYTES, is_sweep_path, may_hold_sweep


def read_sweep(path: str) -> Optional[SourceFile]:
    """A possible sweep file's text; None for one that is big, binary or not
    text, which is not a sweep and is not reported."""
    try:
        if os.path.getsize(path) > MAX_SWEEP_BYTES:
            return None
        return read_source(path)
    except (OSError, SourceError):
        return None


def check_sweep(source: SourceFile, config: Config, mode: Mode, write: bool = True) -> FileOutcome:
    path = source.path
    if not may_hold_sweep(source.text, path):
        return FileOutcome(path)
    from hplint.sweeps.lint import fix_sweep, lint_sweep  # PyYAML and the rules: only for a sweep

    try:
        if not mode.fixing:
            return FileOutcome(path, lint_sweep(source.text, path, config))
        run = fix_sweep(source.text, path, config, unsafe=mode.unsafe)
    except RecursionError:
        message = "file too deeply nested to analyse"
        return FileOutcome(path, [io_error(path, message)], error=message)
    outcome = FileOutcome(path, run.remaining, run.fixed)
    if not run.fixed:
        return outcome
    outcome.fixed_text = run.document.text
    if mode.diff:
        outcome.diff = unified_diff(path, source.text, run.document.text)
        return outcome
    if write:
        try:
            write_source(source, run.document.text)
        except SourceError as exc:
            not_written(outcome, str(exc))
    return outcome


def would_lint(path: str) -> bool:
    """What ``--show-files`` lists: every Python file and notebook, and the
    YAML/JSON/shell/Markdown files that hold a sweep (``lint.holds_sweep``)."""
    if not is_sweep_path(path):
        return True
    source = read_sweep(path)
    if source is None or not may_hold_sweep(source.text, path):
        return False
    from hplint.sweeps.lint import holds_sweep

    return holds_sweep(source.text, path)
