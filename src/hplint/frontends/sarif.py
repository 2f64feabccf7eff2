"""Findings for code review: SARIF 2.1.0 and GitHub workflow annotations.

SARIF is what GitHub code scanning (``github/codeql-action/upload-sarif``)
and most IDE viewers read: every rule is described once (name, short and
full description, and its whole documentation page as ``help.markdown``, so
the viewer needs no link) and every finding carries its region and, when
hplint can fix it, the fix as SARIF ``fixes`` (replacements of line/column
regions).  Columns are counted in Unicode code points, as Python counts them
(``columnKind``).  ``helpUri`` and ``informationUri`` are given only when the
installed package names its repository (``links``): never an address that
may not exist.

``github`` prints ``::warning file=...::message`` workflow commands, which a
GitHub Actions run turns into annotations on the pull request's diff.

Notebook findings name their cell in the message and in ``properties``; their
lines are lines of the cell, not of the file's JSON, so no region or fix is
given for them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Type
from urllib.parse import quote

from hplint import __version__
from hplint.core.diagnostics import Diagnostic, Edit, Fix
from hplint.core.registry import documented
from hplint.core.rule import Rule
from hplint.frontends.docs import rule_page
from hplint.frontends.links import RULE_DOCS_PATH, repository_url, rule_url
from hplint.frontends.rendering import RenderOptions, SourceTexts, line_col, relative_path

__all__ = ["RULE_DOCS_PATH", "annotation", "escape_data", "escape_property", "relative_path", "render_github", "render_sarif"]
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
ERROR_CODES = {
    "HPL001": (
        "syntax-error",
        "The file could not be parsed",
        "hplint reports code it cannot parse instead of skipping it silently. When some top-level blocks "
        "parse and others do not, the blocks that parse are checked and each one that does not is reported; "
        "when none can be told apart, nothing in the file was checked.",
    ),
    "HPL002": (
        "io-error",
        "The file could not be read or written",
        "hplint reports a file it cannot read, decode or write back (or a notebook that is not nbformat 4); "
        "nothing in it was checked.",
    ),
}


def artifact_location(path: str) -> Dict[str, str]:
    rel = relative_path(path)
    if os.path.isabs(rel):
        return {"uri": Path(rel).as_uri()}
    return {"uri": quote(rel), "uriBaseId": "%SRCROOT%"}


# ---------------------------------------------------------------------------
# SARIF


def render_sarif(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    texts = (options or RenderOptions()).texts
    rules = _rule_descriptors()
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    results = [_result(d, index, texts) for d in diagnostics]
    driver: dict = {"name": "hplint", "version": __version__, "semanticVersion": __version__}
    repository = repository_url()
    if repository is not None:
        driver["informationUri"] = repository
    driver["rules"] = rules
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule_descriptors() -> List[dict]:
    out = [_error_descriptor(code) for code in sorted(ERROR_CODES)]
    out += [_descriptor(rule) for rule in documented()]
    return out


def _descriptor(rule: Type[Rule]) -> dict:
    properties = {"tags": [rule.family], "fix": rule.fixability(), "default": rule.default_enabled}
    descriptor: dict = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
    }
    url = rule_url(rule.code)
    if url is not None:
        descriptor["helpUri"] = url
    descriptor["help"] = {"text": f"{rule.summary}\n\n{rule.why}", "markdown": rule_page(rule)}
    descriptor["defaultConfiguration"] = {"level": "warning", "enabled": rule.default_enabled}
    descriptor["properties"] = properties
    return descriptor


def _error_descriptor(code: str) -> dict:
    name, short, full = ERROR_CODES[code]
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": "error"},
    }


def level(diag: Diagnostic) -> str:
    return "error" if diag.code in ERROR_CODES else "warning"


def _result(diag: Diagnostic, index: Dict[str, int], texts: SourceTexts) -> dict:
    location: dict = {"artifactLocation": artifact_location(diag.path)}
    result: dict = {"ruleId": diag.code, "level": level(diag), "message": {"text": diag.message}}
    if diag.code in index:
        result["ruleIndex"] = index[diag.code]
    if diag.cell is not None:
        result["message"]["text"] = f"{_cell_prefix(diag)}{diag.message}"
        result["properties"] = {"cell": diag.cell, "cellLine": diag.line, "cellColumn": diag.col + 1}
    else:
        location["region"] = _region(diag.line, diag.col, diag.end_line, diag.end_col)
        fix = _fix(diag, texts) if diag.fix is not None and not diag.fix_applied else None
        if fix is not None:
            result["fixes"] = [fix]
    result["locations"] = [{"physicalLocation": location}]
    return result


def _cell_prefix(diag: Diagnostic) -> str:
    return f"cell_{diag.cell}:{diag.line}:{diag.col + 1}: "


def _region(line: int, col: int, end_line: int, end_col: int) -> dict:
    """1-based lines and columns, end column exclusive (SARIF's convention)."""
    line = max(line, 1)
    return {
        "startLine": line,
        "startColumn": col + 1,
        "endLine": max(end_line, line),
        "endColumn": end_col + 1 if end_line > line or end_col >= col else col + 1,
    }


def _fix(diag: Diagnostic, texts: SourceTexts) -> Optional[dict]:
    fix: Fix = diag.fix  # type: ignore[assignment]
    text = texts.get(diag.path)
    if text is None:
        return None
    replacements = [_replacement(edit, text) for edit in fix.edits]
    return {
        "description": {"text": f"{fix.description} ({fix.safety.value} fix)" if fix.description else f"{fix.safety.value} fix"},
        "artifactChanges": [{"artifactLocation": artifact_location(diag.path), "replacements": replacements}],
    }


def _replacement(edit: Edit, text: str) -> dict:
    start = line_col(text, edit.start)
    end = line_col(text, edit.end)
    region = {"startLine": start[0], "startColumn": start[1] + 1, "endLine": end[0], "endColumn": end[1] + 1}
    return {"deletedRegion": region, "insertedContent": {"text": edit.text}}


# ---------------------------------------------------------------------------
# GitHub workflow commands


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    return "".join(annotation(d) + "\n" for d in diagnostics)


def annotation(diag: Diagnostic) -> str:
    """``::warning file=...,line=...,col=...,endLine=...,endColumn=...,title=CODE::message``."""
    props = [("file", relative_path(diag.path))]
    message = diag.message
    if diag.cell is None:
        props += [
            ("line", str(diag.line)),
            ("col", str(diag.col + 1)),
            ("endLine", str(diag.end_line)),
            ("endColumn", str(diag.end_col + 1)),
        ]
    else:
        message = _cell_prefix(diag) + message
    props.append(("title", diag.code))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{level(diag)} {rendered}::{escape_data(message)}"
