"""hplint findings as LSP diagnostics.

The code is the rule's (``HPL201``), the source ``hplint``, the message the
CLI's own.  ``codeDescription`` links the rule's page where hplint knows its
address (``frontends.links``); the explanation itself is the hover's.  A file
that cannot be parsed, read or analysed (``HPL001``, ``HPL002``) is an error;
a finding is a warning.  ``data`` says whether a fix exists and how safe it
is, for clients that show it.
"""

from __future__ import annotations

from typing import List

from lsprotocol import types

from hplint.core.diagnostics import Diagnostic
from hplint.frontends.links import rule_url
from hplint.frontends.server.documents import Finding
from hplint.frontends.server.positions import LineIndex

SOURCE = "hplint"
ERROR_CODES = ("HPL001", "HPL002")
_BOM = "\ufeff"


def finding_range(diag: Diagnostic, index: LineIndex) -> types.Range:
    """The finding's span in the editor's text.  The engine reads a file
    without its byte-order mark, so columns on line 1 move one to the right
    when the editor's text keeps it."""
    col, end_col = diag.col, diag.end_col
    if index.text.startswith(_BOM):
        col += diag.line == 1
        end_col += diag.end_line == 1
    return index.finding_range(diag.line, col, diag.end_line, end_col)


def to_lsp(finding: Finding, index: LineIndex) -> types.Diagnostic:
    diag = finding.diagnostic
    url = rule_url(diag.code)
    return types.Diagnostic(
        range=finding_range(diag, index),
        message=diag.message,
        severity=types.DiagnosticSeverity.Error if diag.code in ERROR_CODES else types.DiagnosticSeverity.Warning,
        code=diag.code,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        data={"fix": diag.fix.safety.value if diag.fix is not None else None},
    )


def to_lsp_all(findings: List[Finding], index: LineIndex) -> List[types.Diagnostic]:
    return [to_lsp(f, index) for f in findings]
