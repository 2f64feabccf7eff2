"""``lint_sweep`` and ``fix_sweep``: a sweep file's findings and fixes, with
the Python path's selection, ``noqa`` and fix loop.

A file that does not look like a sweep (``reader.may_hold_sweep``) costs a few
substring searches and is never parsed, reported or rewritten.  One that
looks like one and does not parse gets one ``HPL001`` at the YAML error.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Set, Tuple

from hplint.core.config import Config
from hplint.core.diagnostics import Diagnostic, Edit, Fix
from hplint.core.noqa import is_suppressed
from hplint.engine.fixing import Document, FixRun, apply_edits, fix_document
from hplint.engine.positions import NEWLINE
from hplint.engine.syntax import SYNTAX_ERROR, internal_error, syntax_diag
from hplint.frontends.outcome import io_error
from hplint.sweeps import hydra, wandb
from hplint.sweeps.edits import Finding, last_line
from hplint.sweeps.reader import YamlProblem, compose, is_command_path, may_hold_hydra, may_hold_sweep, may_hold_wandb, parses

SWEEP_CODES = frozenset({"HPL102", "HPL103", "HPL202", "HPL203", "HPL205", "HPL402", "HPL501", "HPL702"})


def lint_sweep(text: str, path: str = "<stdin>", config: Optional[Config] = None) -> List[Diagnostic]:
    """All findings for one sweep file's text, sorted, noqa applied."""
    config = config or Config()
    enabled = config.enabled_codes(path)
    if not enabled & SWEEP_CODES or not may_hold_sweep(text, path):
        return []
    if is_command_path(path):
        return _finish(_commands(text, path, config) if "HPL102" in enabled else [], text, config)
    try:
        roots = compose(text, path)
    except ImportError:
        return [io_error(path, "a W&B sweep file, not checked: reading it needs PyYAML, a dependency of hplint that is missing here (pip install PyYAML)")]
    except YamlProblem as problem:
        return [syntax_diag(path, problem.line + 1, problem.column, f"cannot parse as YAML: {problem}")]
    try:
        findings = wandb.check(roots, text, config) if may_hold_wandb(text) else []
        if may_hold_hydra(text):
            findings += hydra.check(roots, text, config)
        findings = [f for f in findings if f.code in enabled]
    except Exception as exc:  # a bug must not stop the run over a repository
        return [internal_error(path, exc)]
    return _finish([_diagnostic(f, path) for f in findings], text, config)


def holds_sweep(text: str, path: str) -> bool:
    """The file is linted as a sweep: a multirun command that sweeps a key; a
    W&B sweep or a Hydra sweeper in YAML (or YAML that looks like one and does
    not parse, which is reported)."""
    if not may_hold_sweep(text, path):
        return False
    if is_command_path(path):
        from hplint.sweeps.multirun import has_multirun

        return has_multirun(text, path)
    try:
        roots = compose(text, path)
    except YamlProblem:
        return True
    except ImportError:
        return True  # reported as not checked
    wandb_sweeps = may_hold_wandb(text) and any(True for _ in wandb.sweeps(roots))
    return wandb_sweeps or (may_hold_hydra(text) and any(True for _ in hydra.sweepers(roots, text)))


def _finish(diagnostics: List[Diagnostic], text: str, config: Config) -> List[Diagnostic]:
    if not config.disable_noqa:
        lines = NEWLINE.split(text)
        diagnostics = [d for d in diagnostics if d.code == SYNTAX_ERROR or not is_suppressed(d, lines)]
    diagnostics.sort(key=lambda d: d.sort_key)
    return diagnostics


def _commands(text: str, path: str, config: Config) -> List[Diagnostic]:
    """HPL102 on the multirun command lines of a shell script or Markdown file."""
    from hplint.sweeps.multirun import multirun_sweeps

    try:
        sweeps = multirun_sweeps(text, path, config)
    except Exception as exc:  # a bug must not stop the run over a repository
        return [internal_error(path, exc)]
    found = []
    for sweep in sweeps:
        line, col = _position(text, sweep.word.start)
        end_line, end_col = _position(text, sweep.word.end)
        found.append(Diagnostic("HPL102", sweep.message, line, col, end_line, end_col, path=path, stmt_lines=(line, _position(text, sweep.last)[0])))
    return found


def _position(text: str, offset: int) -> Tuple[int, int]:
    """1-based line, 0-based column of a string offset."""
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start


def _diagnostic(finding: Finding, path: str) -> Diagnostic:
    start, end = finding.key.start_mark, finding.key.end_mark
    fix = Fix(finding.safety, tuple(finding.edits), finding.description) if finding.edits else None
    last = max(last_line(finding.last), end.line) + 1
    return Diagnostic(
        finding.code, finding.message, start.line + 1, start.column, end.line + 1, end.column,
        fix=fix, path=path, stmt_lines=(start.line + 1, last),
    )


class SweepDocument(Document):
    """One sweep file's text; a fixed text must still parse as YAML."""

    def __init__(self, text: str, path: str, config: Config) -> None:
        self.text = text
        self.path = path
        self.config = config

    def lint(self) -> List[Diagnostic]:
        return lint_sweep(self.text, self.path, self.config)

    def apply(self, edits: Sequence[Edit]) -> "SweepDocument":
        return SweepDocument(apply_edits(self.text, edits), self.path, self.config)

    def parses(self) -> bool:
        return is_command_path(self.path) or parses(self.text, self.path)


def fix_sweep(text: str, path: str = "<stdin>", config: Optional[Config] = None, unsafe: bool = False) -> FixRun[SweepDocument]:
    """Apply fixes until none is left (``engine.fixing``)."""
    return fix_document(SweepDocument(text, path, config or Config()), unsafe)


def comment_columns(line: str) -> Optional[Tuple[int, int]]:
    """Where a YAML comment starts on ``line`` (a ``#`` at the start or after a
    blank, outside quotes) and ends, or None."""
    quote = ""
    for at, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and (at == 0 or line[at - 1] in " \t:[{,-"):
            quote = char
        elif char == "#" and (at == 0 or line[at - 1] in " \t"):
            return at, len(line)
    return None


def noqa_lines(text: str, diagnostics: Sequence[Diagnostic]) -> Tuple[Set[int], Dict[int, Tuple[int, int]]]:
    """For ``--add-noqa``: the lines a directive may go on (each finding's own
    line: a key, read by ``lint_sweep`` on every line of its parameter; a
    command line's last line, as a comment would end a continued line) and
    the comments on them."""
    lines = NEWLINE.split(text)
    ends = {d.stmt_lines[1] if is_command_path(d.path) else d.line for d in diagnostics}
    ends = {n for n in ends if 0 < n <= len(lines)}
    comments = {n: found for n in ends if (found := comment_columns(lines[n - 1])) is not None}
    return ends, comments
