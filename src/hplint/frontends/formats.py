"""Every ``--output-format``, and the machine-readable ones ruff also writes.

``concise`` (the default; ``text`` is its old name), ``full`` (ruff's default:
the code, the span underlined, the fix), ``json``, ``json-lines``, ``junit``,
``gitlab``, ``sarif`` and ``github``.

JSON keeps hplint's fields (``code``, ``message``, ``path``, ``line``,
``col``, ``end_line``, ``end_col``, ``fix.safety``, ``fix.applied``,
``fix.description``, ``cell``) and adds ruff's: ``name``, ``noqa_row`` (the
line ``--add-noqa`` would write to), ``url`` (only when the rule's page has a
known address, see ``links``), ``fix.applicability`` and ``fix.edits``
(``content``, ``location`` and ``end_location`` as 1-based ``row`` and
``column``; without locations for a notebook, whose positions are the cell's).
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Callable, Dict, List, Optional, Sequence
from xml.sax.saxutils import escape, quoteattr

from hplint.core.diagnostics import Diagnostic
from hplint.frontends.addnoqa import noqa_line
from hplint.frontends.full import render_full
from hplint.frontends.links import rule_url
from hplint.frontends.output import render_concise
from hplint.frontends.rendering import RenderOptions, line_col, relative_path, rule_name
from hplint.frontends.sarif import level, render_github, render_sarif

Renderer = Callable[[Sequence[Diagnostic], RenderOptions], str]
TEXT_FORMATS = ("concise", "full")  # followed by the summary line
ALIASES = {"text": "concise"}  # the name 0.1 used


def render_json(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    options = options or RenderOptions()
    return json.dumps([json_record(d, options) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def render_json_lines(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    options = options or RenderOptions()
    return "".join(json.dumps(json_record(d, options), ensure_ascii=False, separators=(",", ":")) + "\n" for d in diagnostics)


def json_record(diag: Diagnostic, options: RenderOptions) -> dict:
    record = diag.to_json()
    record["name"] = rule_name(diag.code)
    text = options.texts.get(diag.path) if diag.cell is None else None
    record["noqa_row"] = _noqa_row(diag, options)
    url = rule_url(diag.code)
    if url is not None:
        record["url"] = url
    if diag.fix is not None:
        record["fix"]["applicability"] = diag.fix.safety.value
        record["fix"]["edits"] = [_edit(edit, text) for edit in diag.fix.edits]
    return record


def _noqa_row(diag: Diagnostic, options: RenderOptions) -> int:
    tokens = options.texts.tokens(diag.path) if diag.cell is None else None
    found = noqa_line(diag, tokens) if tokens is not None else None
    return diag.line if found is None else found


def _edit(edit, text: Optional[str]) -> dict:
    out: dict = {"content": edit.text, "location": None, "end_location": None}
    if text is not None:
        start, end = line_col(text, edit.start), line_col(text, edit.end)
        out["location"] = {"row": start[0], "column": start[1] + 1}
        out["end_location"] = {"row": end[0], "column": end[1] + 1}
    return out


# ---------------------------------------------------------------------------
# JUnit XML and GitLab code quality


def render_junit(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    """One test suite per file, one failing test case per finding (ruff's layout)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    total = len(diagnostics)
    out.append(f'<testsuites name="hplint" tests="{max(total, 1)}" failures="{total}" errors="0">')
    if not diagnostics:
        out.append('    <testsuite name="hplint" tests="1" disabled="0" errors="0" failures="0" package="org.hplint">')
        out.append('        <testcase name="No errors found" classname="hplint"/>')
        out.append("    </testsuite>")
    by_file: Dict[str, List[Diagnostic]] = {}
    for diag in diagnostics:
        by_file.setdefault(diag.path, []).append(diag)
    for path, found in by_file.items():
        classname = os.path.splitext(path)[0]
        out.append(
            f"    <testsuite name={quoteattr(path)} tests=\"{len(found)}\" disabled=\"0\" errors=\"0\" "
            f"failures=\"{len(found)}\" package=\"org.hplint\">"
        )
        for diag in found:
            where = f"cell {diag.cell}, line {diag.line}" if diag.cell is not None else f"line {diag.line}"
            out.append(
                f"        <testcase name={quoteattr('org.hplint.' + diag.code)} classname={quoteattr(classname)} "
                f"line=\"{diag.line}\" column=\"{diag.col + 1}\">"
            )
            out.append("            <properties>")
            out.append(f'                <property name="severity" value="{level(diag)}"/>')
            out.append("            </properties>")
            out.append(
                f"            <failure message={quoteattr(diag.message)}>"
                f"{escape(f'{where}, col {diag.col + 1}, {diag.message}')}</failure>"
            )
            out.append("        </testcase>")
        out.append("    </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def render_gitlab(diagnostics: Sequence[Diagnostic], options: Optional[RenderOptions] = None) -> str:
    """GitLab's code quality report: ``check_name``, ``description``,
    ``severity``, a unique ``fingerprint`` and the location (relative to
    ``CI_PROJECT_DIR`` when GitLab CI sets it)."""
    project = os.environ.get("CI_PROJECT_DIR")
    seen = set()
    records = []
    for diag in diagnostics:
        path = _gitlab_path(diag.path, project)
        fingerprint = _fingerprint(diag, path, "")
        while fingerprint in seen:
            fingerprint = _fingerprint(diag, path, fingerprint)
        seen.add(fingerprint)
        if diag.cell is None:
            positions = {
                "begin": {"line": diag.line, "column": diag.col + 1},
                "end": {"line": diag.end_line, "column": diag.end_col + 1},
            }
        else:  # a cell's lines are not the file's: a location that is plainly a fallback
            positions = {"begin": {"line": 1, "column": 1}, "end": {"line": 1, "column": 1}}
        records.append(
            {
                "check_name": diag.code,
                "description": f"{diag.code}: {diag.message}",
                "severity": "major" if level(diag) == "error" else "minor",
                "fingerprint": fingerprint,
                "location": {"path": path, "positions": positions},
            }
        )
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def _gitlab_path(path: str, project: Optional[str]) -> str:
    if project:
        try:
            return os.path.relpath(os.path.abspath(path), project).replace(os.sep, "/")
        except ValueError:
            pass
    return relative_path(path)


def _fingerprint(diag: Diagnostic, path: str, salt: str) -> str:
    data = "\0".join((salt, path, diag.code, diag.message, str(diag.cell or "")))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------

RENDERERS: Dict[str, Renderer] = {
    "concise": render_concise,
    "full": render_full,
    "json": render_json,
    "json-lines": render_json_lines,
    "junit": render_junit,
    "gitlab": render_gitlab,
    "sarif": render_sarif,
    "github": render_github,
}
