"""What every output format needs besides the findings: fix status, texts, paths.

``RenderOptions`` says which fixes count as fixable right now (ruff's
"applicability": safe fixes, plus unsafe ones under ``--unsafe-fixes``) and
gives the source text a finding's positions refer to, for the formats that
show the code or turn fix offsets into lines and columns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Dict, Optional, Tuple

from hplint.core.diagnostics import Diagnostic
from hplint.core.registry import get_rule
from hplint.frontends.addnoqa import TokenLines, token_lines

ERROR_NAMES = {"HPL001": "syntax-error", "HPL002": "io-error"}


class SourceTexts:
    """The current text of each file, read once; stdin's is given."""

    def __init__(self, given: Optional[Dict[str, str]] = None) -> None:
        self.cache: Dict[str, Optional[str]] = dict(given or {})
        self._tokens: Dict[str, object] = {}

    def get(self, path: str) -> Optional[str]:
        if path not in self.cache:
            self.cache[path] = self._read(path)
        return self.cache[path]

    def tokens(self, path: str) -> Optional["TokenLines"]:
        """The file's token lines (where a noqa directive can go), once."""
        if path not in self._tokens:
            text = self.get(path)
            self._tokens[path] = None if text is None else token_lines(text)
        return self._tokens[path]  # type: ignore[return-value]

    @staticmethod
    def _read(path: str) -> Optional[str]:
        from hplint.frontends.files import SourceError, read_source

        if path == "-" or path.endswith(".ipynb") or not os.path.isfile(path):
            return None
        try:
            return read_source(path).text
        except SourceError:
            return None


@dataclass
class RenderOptions:
    unsafe: bool = False  # --unsafe-fixes: unsafe fixes are fixable too
    show_fix_status: bool = True  # off while fixes are applied (what is left could not be)
    texts: SourceTexts = field(default_factory=SourceTexts)

    def fixable(self, diag: Diagnostic) -> bool:
        """Whether ``--fix`` (with the flags given) would fix it: ruff's ``[*]``."""
        if diag.fix is None or diag.fix_applied:
            return False
        return diag.fix.is_safe or self.unsafe

    def marked(self, diag: Diagnostic) -> bool:
        return self.show_fix_status and self.fixable(diag)


def rule_name(code: str) -> str:
    rule = get_rule(code)
    if rule is not None:
        return rule.name
    return ERROR_NAMES.get(code, code.lower())


def line_col(text: str, offset: int) -> Tuple[int, int]:
    """(1-based line, 0-based column) of a string offset, any line ending."""
    before = text[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    last = max(before.rfind("\n"), before.rfind("\r"))
    return line, offset - (last + 1)


def relative_path(path: str) -> str:
    """The path as reported: relative to the working directory, with '/'."""
    if path == "-":
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()
    if rel.startswith(".."):
        return Path(os.path.abspath(path)).as_posix()
    return PurePath(rel).as_posix()


def location(diag: Diagnostic) -> str:
    path = diag.path if diag.cell is None else f"{diag.path}:cell_{diag.cell}"
    return f"{path}:{diag.line}:{diag.col + 1}"
