"""Findings about studies in the formats ``hplint check`` writes for files.

A finding has no line: its place is ``STORAGE:STUDY``. Text prints
``STORAGE:STUDY: CODE message``; JSON keeps the file records' fields with
``path`` the storage, ``study`` the study and no line or column; SARIF names
the storage as the artifact (no region) and the study as a logical location;
GitHub annotations name the storage file and start the message with the study.
"""

from __future__ import annotations

import json
from typing import Callable, Dict, List, Sequence

from hplint.frontends.links import rule_url
from hplint.frontends.rendering import relative_path, rule_name
from hplint.frontends.sarif import escape_data, escape_property, render_sarif
from hplint.study.check import Finding

FORMATS = ("concise", "full", "json", "json-lines", "sarif", "github")


def render_text(findings: Sequence[Finding], storage: str) -> str:
    return "".join(f"{storage}:{f.study}: {f.code} {f.message}\n" for f in findings)


def record(finding: Finding, storage: str) -> dict:
    out = {"code": finding.code, "name": rule_name(finding.code), "message": finding.message,
           "path": storage, "study": finding.study, "fix": None}
    url = rule_url(finding.code)
    if url is not None:
        out["url"] = url
    return out


def render_json(findings: Sequence[Finding], storage: str) -> str:
    return json.dumps([record(f, storage) for f in findings], indent=2, ensure_ascii=False) + "\n"


def render_json_lines(findings: Sequence[Finding], storage: str) -> str:
    return "".join(json.dumps(record(f, storage), ensure_ascii=False, separators=(",", ":")) + "\n" for f in findings)


def render_study_sarif(findings: Sequence[Finding], storage: str) -> str:
    """The file format's SARIF (its driver and every rule's descriptor), with each
    result placed in the storage and the study instead of a region of a file."""
    from hplint.core.diagnostics import Diagnostic

    diagnostics = [Diagnostic(f.code, f.message, 1, 0, 1, 0, path=_artifact(storage)) for f in findings]
    log = json.loads(render_sarif(diagnostics))
    for result, finding in zip(log["runs"][0]["results"], findings):
        for place in result["locations"]:
            place["physicalLocation"].pop("region", None)
            place["logicalLocations"] = [{"name": finding.study, "kind": "object"}]
        result["properties"] = {"study": finding.study}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render_github(findings: Sequence[Finding], storage: str) -> str:
    lines: List[str] = []
    for f in findings:
        props = f"file={escape_property(_artifact(storage))},title={escape_property(f.code)}"
        lines.append(f"::warning {props}::{escape_data(f'{f.study}: {f.message}')}\n")
    return "".join(lines)


def _artifact(storage: str) -> str:
    """The storage's file as findings in files name theirs (a SQLite URL's file); a server's URL as given."""
    if storage.startswith("sqlite:///"):
        return relative_path(storage[len("sqlite:///"):])
    return storage if "://" in storage else relative_path(storage)


RENDERERS: Dict[str, Callable[[Sequence[Finding], str], str]] = {
    "concise": render_text,
    "full": render_text,
    "json": render_json,
    "json-lines": render_json_lines,
    "sarif": render_study_sarif,
    "github": render_github,
}
