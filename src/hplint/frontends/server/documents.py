"""What the server lints: an editor's Python file or notebook, at one version.

A ``Snapshot`` holds the texts the editor sent (one file, or a notebook's
code cells, each its own LSP document) and hplint's findings on them, each
addressed to the LSP document it lies in.  Code actions and hover read the
snapshot the diagnostics came from, so a quick fix is always computed on the
text its squiggle was computed on.  Linting goes through the same functions
as the CLI: ``engine.lint_source`` for a file, ``frontends.notebooks``'s
joined cells for a notebook, with the file's ``[tool.hplint]`` and its
``# noqa`` comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from hplint.core.config import Config
from hplint.core.diagnostics import Diagnostic, Edit
from hplint.engine.fixing import apply_edits
from hplint.engine.lint import fix_source, lint_source, source_parses
from hplint.engine.reparse import Reparser
from hplint.frontends.addnoqa import TokenLines, add_noqa_to_text, token_lines
from hplint.frontends.notebooks import CodeCell, Joined, fix_cells, map_diagnostic, mask_cell


@dataclass(frozen=True)
class Finding:
    """One hplint finding in the LSP document ``uri`` (lines and columns local to it)."""

    uri: str
    diagnostic: Diagnostic


@dataclass
class Snapshot:
    """A file's text and its findings."""

    uri: str
    path: str
    config: Optional[Config]  # None: excluded by the configuration, or the configuration is broken
    texts: Dict[str, str]  # LSP document uri -> text
    versions: Dict[str, Optional[int]] = field(default_factory=dict)  # LSP document uri -> version
    findings: List[Finding] = field(default_factory=list)
    error: Optional[str] = None  # what went wrong while linting, for the client's log
    _fixed_all: Optional[Dict[str, str]] = None
    # the file's statements parsed at earlier versions, reused where unchanged (the server keeps one per file)
    reparser: Optional[Reparser] = field(default=None, repr=False, compare=False)

    def lint(self) -> None:
        if self.config is not None:
            text = self.texts[self.uri]
            self.findings = [Finding(self.uri, d) for d in lint_source(text, self.path, self.config, reparser=self.reparser)]

    def findings_in(self, uri: str) -> List[Finding]:
        return [f for f in self.findings if f.uri == uri]

    def applied(self, edits: Sequence[Edit]) -> Optional[Dict[str, str]]:
        """New texts after one finding's fix edits; None if the result does not parse
        (``--fix`` would refuse that fix too)."""
        text = apply_edits(self.texts[self.uri], edits)
        return {self.uri: text} if source_parses(text) else None

    def fixed_all(self) -> Dict[str, str]:
        """The texts after ``hplint --fix`` (safe fixes only), computed once."""
        if self._fixed_all is None:
            self._fixed_all = self._fix_all()
        return self._fixed_all

    def _fix_all(self) -> Dict[str, str]:
        if self.config is None:
            return dict(self.texts)
        return {self.uri: fix_source(self.texts[self.uri], self.path, self.config).source}

    def suppressed(self, finding: Finding) -> Optional[Dict[str, str]]:
        """The texts with ``# noqa: CODE`` for ``finding`` (``--add-noqa``'s placement), or None."""
        text = self.texts[finding.uri]
        new, added, _ = add_noqa_to_text(text, [finding.diagnostic], token_lines(text))
        return {finding.uri: new} if added else None


@dataclass
class NotebookSnapshot(Snapshot):
    """A notebook: its code cells linted as one program, as the CLI does."""

    cells: List[str] = field(default_factory=list)  # cell uris, in notebook order (all kinds)
    code: List[str] = field(default_factory=list)  # the code cells' uris
    joined: Optional[Joined] = None

    def _code_cells(self) -> List[CodeCell]:
        return [CodeCell(self.cells.index(uri), self.texts[uri]) for uri in self.code if self.texts[uri]]

    def lint(self) -> None:
        cells = self._code_cells()
        if self.config is None or not cells:
            return
        self.joined = Joined.build(cells)
        by_number = {self.cells.index(uri) + 1: uri for uri in self.code}
        found = []
        for diag in lint_source(self.joined.text, self.path, self.config, reparser=self.reparser):
            local = map_diagnostic(diag, self.joined)
            if local.cell in by_number:
                found.append(Finding(by_number[local.cell], local))
        self.findings = found

    def applied(self, edits: Sequence[Edit]) -> Optional[Dict[str, str]]:
        if self.joined is None:
            return None
        try:
            texts = self.joined.apply(edits)
        except ValueError:  # an edit outside one cell, or on an IPython line
            return None
        new = dict(self.texts)
        for cell, text in zip(self.joined.cells, texts):
            new[self.cells[cell.index]] = text
        changed = [c for c in self.joined.cells if new[self.cells[c.index]] != c.text]
        joined = Joined.build([CodeCell(c.index, new[self.cells[c.index]]) for c in self.joined.cells])
        return new if changed and source_parses(joined.text) else None

    def _fix_all(self) -> Dict[str, str]:
        cells = self._code_cells()
        new = dict(self.texts)
        if self.config is None or not cells:
            return new
        result = fix_cells(cells, self.path, self.config, unsafe=False)
        for cell, text in zip(cells, result.texts):
            new[self.cells[cell.index]] = text
        return new

    def suppressed(self, finding: Finding) -> Optional[Dict[str, str]]:
        text = self.texts[finding.uri]
        mask = mask_cell(text)
        tokens = token_lines(mask.text)
        if tokens is None:
            return None
        for line in mask.lines:  # an IPython line never takes a directive
            tokens.ends.discard(line)
        new, added, _ = add_noqa_to_text(text, [finding.diagnostic], tokens)
        return {finding.uri: new} if added else None


@dataclass
class SweepSnapshot(Snapshot):
    """A sweep file (W&B YAML/JSON, a Hydra sweeper config, a multirun command line): the
    CLI's sweep linter, its fixes and its ``# noqa`` placement."""

    def lint(self) -> None:
        from hplint.sweeps.lint import lint_sweep  # PyYAML: only for a sweep

        if self.config is not None:
            text = self.texts[self.uri]
            self.findings = [Finding(self.uri, d) for d in lint_sweep(text, self.path, self.config)]

    def applied(self, edits: Sequence[Edit]) -> Optional[Dict[str, str]]:
        from hplint.sweeps.reader import parses

        text = apply_edits(self.texts[self.uri], edits)
        return {self.uri: text} if parses(text, self.path) else None

    def _fix_all(self) -> Dict[str, str]:
        from hplint.sweeps.lint import fix_sweep

        if self.config is None:
            return dict(self.texts)
        return {self.uri: fix_sweep(self.texts[self.uri], self.path, self.config).document.text}

    def suppressed(self, finding: Finding) -> Optional[Dict[str, str]]:
        """``# noqa: CODE`` where ``--add-noqa`` puts it in a sweep file; None for JSON (no
        comments) or where the directive would not take."""
        from hplint.sweeps.lint import lint_sweep, noqa_lines

        if self.path.lower().endswith(".json") or self.config is None:
            return None
        text = self.texts[finding.uri]
        ends, comments = noqa_lines(text, [finding.diagnostic])
        new, added, _ = add_noqa_to_text(text, [finding.diagnostic], TokenLines(ends, comments))
        if not added:
            return None
        diag = finding.diagnostic
        still = any(d.code == diag.code and d.line == diag.line for d in lint_sweep(new, self.path, self.config))
        return None if still else {finding.uri: new}
