"""SARIF 2.1.0 and GitHub workflow-command output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List

import jsonschema
import pytest

from conftest import ROOT
from hplint.core.diagnostics import Diagnostic
from hplint.core.registry import all_rules
from hplint.frontends.sarif import RULE_DOCS_PATH, annotation, escape_data, escape_property

SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
DEPRECATED = 'import optuna\n\n\ndef objective(trial):\n    lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)\n    return lr\n'
TWO_FIXES = (
    "def objective(trial):\n"
    '    lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)  # 100%, per step\n'
    "    µ = trial.suggest_uniform(\n"
    '        "dropout", 0.0, 0.5)\n'
    "    return lr, µ\n"
)
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Tuning\n"]},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [],
            "source": ["!pip install optuna\n", "def objective(trial):\n", "    return trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"],
        },
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def run(args: List[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hplint", "--isolated", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "train.py").write_text(DEPRECATED, encoding="utf-8")
    (tmp_path / "pkg" / "two fixes.py").write_text(TWO_FIXES, encoding="utf-8")
    (tmp_path / "broken.py").write_text("def objective(trial:\n    return trial.suggest_loguniform('lr', 1, 2)\n", encoding="utf-8")
    (tmp_path / "tune.ipynb").write_text(json.dumps(NOTEBOOK, indent=1), encoding="utf-8")
    (tmp_path / "bad.ipynb").write_text("{", encoding="utf-8")
    return tmp_path


def sarif(project: Path) -> dict:
    result = run(["--output-format", "sarif", "."], project)
    assert result.returncode == 2, result.stderr  # broken.py and bad.ipynb cannot be checked
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_sarif_is_valid_against_the_2_1_0_schema(project: Path) -> None:
    log = sarif(project)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "warn"  # the schema does catch mistakes
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft4Validator)
    assert log["version"] == "2.1.0"
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"HPL001", "HPL002", "HPL206"}


def test_sarif_describes_every_rule_with_its_own_help_and_no_invented_link(project: Path) -> None:
    """The rule's documentation travels in ``help.markdown`` (the docs/rules page
    itself); no ``helpUri`` or ``informationUri`` when the package names no
    repository, and nowhere a placeholder address."""
    log = sarif(project)
    driver = log["runs"][0]["tool"]["driver"]
    described = {rule["id"]: rule for rule in driver["rules"]}
    for rule in all_rules():
        meta = described[rule.code]
        assert meta["name"] == rule.name
        assert meta["shortDescription"]["text"] == rule.summary
        assert meta["fullDescription"]["text"] == rule.why
        page = (ROOT / RULE_DOCS_PATH / f"{rule.code}.md").read_text(encoding="utf-8")
        assert meta["help"]["markdown"] == page
        assert "helpUri" not in meta
    assert "informationUri" not in driver
    assert "example.invalid" not in json.dumps(log)
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_links_rule_pages_when_the_package_names_its_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    from hplint.frontends import links
    from hplint.frontends.sarif import render_sarif

    monkeypatch.setattr(links, "_project_urls", lambda: ["Repository, https://github.com/someone/hplint"])
    links.repository_url.cache_clear()
    try:
        driver = json.loads(render_sarif([]))["runs"][0]["tool"]["driver"]
    finally:
        links.repository_url.cache_clear()
    assert driver["informationUri"] == "https://github.com/someone/hplint"
    for meta in driver["rules"]:
        if meta["id"] in ("HPL001", "HPL002"):
            assert "helpUri" not in meta  # no page of their own
            continue
        assert meta["helpUri"] == f"https://github.com/someone/hplint/blob/HEAD/{RULE_DOCS_PATH}/{meta['id']}.md"
        assert (ROOT / RULE_DOCS_PATH / f"{meta['id']}.md").is_file()


def test_sarif_results_match_the_text_output(project: Path) -> None:
    text = run(["--output-format", "text", "-q", "."], project).stdout.splitlines()
    results = sarif(project)["runs"][0]["results"]
    assert len(results) == len(text)
    rendered = []
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        if "cell" in result.get("properties", {}):
            props = result["properties"]
            rendered.append(f"{uri}:cell_{props['cell']}:{props['cellLine']}:{props['cellColumn']}: {result['ruleId']}")
            assert "region" not in location and "fixes" not in result
        else:
            region = location["region"]
            rendered.append(f"{uri.replace('%20', ' ')}:{region['startLine']}:{region['startColumn']}: {result['ruleId']}")
        level = "error" if result["ruleId"] in ("HPL001", "HPL002") else "warning"
        assert result["level"] == level
    expected = [where + ": " + rest.split(" ")[0] for where, rest in (line.split(": ", 1) for line in text)]
    assert sorted(rendered) == sorted(e.replace("./", "", 1) for e in expected)


def test_sarif_fixes_reproduce_hplint_fix(project: Path) -> None:
    results = [r for r in sarif(project)["runs"][0]["results"] if "fixes" in r]
    path = project / "pkg" / "two fixes.py"
    mine = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/two%20fixes.py"]
    assert len(mine) == 2
    replacements = [rep for r in mine for change in r["fixes"][0]["artifactChanges"] for rep in change["replacements"]]
    fixed_by_sarif = apply_replacements(TWO_FIXES, replacements)
    assert run(["--fix", "pkg/two fixes.py"], project).returncode == 0
    assert fixed_by_sarif == path.read_text(encoding="utf-8")


def apply_replacements(text: str, replacements: List[dict]) -> str:
    """Apply SARIF replacements (1-based line/column regions, end exclusive)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    spans = []
    for rep in replacements:
        region = rep["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        spans.append((start, offset(region["endLine"], region["endColumn"]), rep["insertedContent"]["text"]))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def test_github_annotations(project: Path) -> None:
    result = run(["--output-format", "github", "pkg/train.py", "tune.ipynb", "broken.py"], project)
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=broken.py,line=1,col=")
    assert lines[0].split("::")[1].endswith(",title=HPL001")
    assert lines[1].startswith("::warning file=pkg/train.py,line=5,col=10,endLine=5,endColumn=52,title=HPL206::`suggest_loguniform`")
    assert lines[2].startswith("::warning file=tune.ipynb,title=HPL206::cell_2:3:12: `suggest_loguniform`")
    assert len(lines) == 3


def test_github_escapes_workflow_command_characters() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    diag = Diagnostic("HPL201", "lr: 5 of 6, 83%\nuse geomspace", 3, 4, 3, 9, path="dir,1/a:b.py")
    assert annotation(diag) == (
        "::warning file=dir%2C1/a%3Ab.py,line=3,col=5,endLine=3,endColumn=10,title=HPL201::lr: 5 of 6, 83%25%0Ause geomspace"
    )


def test_unknown_output_format_is_a_usage_error(project: Path) -> None:
    result = run(["--output-format", "xml", "pkg/train.py"], project)
    assert result.returncode == 2 and "sarif" in result.stderr and "github" in result.stderr


# ---------------------------------------------------------------------------
# ruff's other formats: full, json-lines, junit, gitlab


def test_full_shows_the_code_the_span_and_the_fix(project: Path) -> None:
    """ruff's default format `full`: `CODE [*] message`, ` --> path:line:col`,
    the source lines with the span underlined, `help:` and the fix as a diff."""
    result = run(["--output-format", "full", "pkg/train.py"], project)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "HPL206 [*] `suggest_loguniform`"
    )
    body = result.stdout.split("\n", 1)[1]
    assert body.startswith(
        " --> pkg/train.py:5:10\n"
        "  |\n"
        "3 |\n"
        "4 | def objective(trial):\n"
        '5 |     lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)\n'
        "  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "6 |     return lr\n"
        "  |\n"
        "help: use suggest_float\n"
        "  |\n"
        "4 | def objective(trial):\n"
        '  -     lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)\n'
        '5 +     lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)\n'
        "6 |     return lr\n"
        "  |\n"
    )
    assert result.stdout.rstrip().endswith("Found 1 problem (1 fixable with --fix).")
    notebook = run(["--output-format", "full", "tune.ipynb"], project).stdout
    assert " --> tune.ipynb:cell_2:3:12\n" in notebook


def test_json_lines_is_the_json_records_one_per_line(project: Path) -> None:
    """ruff's `json-lines`: the `json` records, one compact object per line."""
    records = json.loads(run(["--output-format", "json", "."], project).stdout)
    lines = run(["--output-format", "json-lines", "."], project).stdout.splitlines()
    assert [json.loads(line) for line in lines] == records
    assert all(": " not in line.split('"message"')[0] for line in lines)


def test_json_paths_without_dot_slash_and_rule_urls_only_when_known(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ruff's JSON names the rule's `url`; hplint gives one only when the
    package names its repository, and with no path given, paths do not start
    with "./" (ruff prints them relative to the current folder)."""
    records = json.loads(
        subprocess.run([sys.executable, "-m", "hplint", "--isolated", "--output-format", "json"], cwd=project,
                       capture_output=True, text=True, timeout=120).stdout
    )
    assert {r["path"] for r in records} == {"broken.py", "pkg/train.py", "pkg/two fixes.py", "tune.ipynb", "bad.ipynb"}
    assert all("url" not in r for r in records)
    assert all(isinstance(r["noqa_row"], int) for r in records)
    from hplint.frontends import links
    from hplint.frontends.formats import render_json

    monkeypatch.setattr(links, "_project_urls", lambda: ["Homepage, https://example.org", "Source, https://gitlab.com/a/hplint.git"])
    links.repository_url.cache_clear()
    try:
        diag = Diagnostic("HPL201", "m", 3, 4, 3, 9, path="a.py")
        error = Diagnostic("HPL001", "m", 1, 0, 1, 0, path="a.py")
        found = json.loads(render_json([diag, error]))
    finally:
        links.repository_url.cache_clear()
    assert found[0]["url"] == f"https://gitlab.com/a/hplint/-/blob/HEAD/{RULE_DOCS_PATH}/HPL201.md"
    assert "url" not in found[1]


def test_junit_has_ruffs_layout(project: Path) -> None:
    """ruff's `junit`: <testsuites> with one <testsuite> per file and one
    failing <testcase name="org.<tool>.CODE"> per finding, `line N, col M,
    message` in the failure."""
    import xml.etree.ElementTree as ET

    result = run(["--output-format", "junit", "pkg"], project)
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites" and root.get("name") == "hplint"
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"pkg/train.py", "pkg/two fixes.py"}
    case = suites["pkg/train.py"].find("testcase")
    assert case.get("name") == "org.hplint.HPL206" and case.get("classname") == "pkg/train"
    assert (case.get("line"), case.get("column")) == ("5", "10")
    assert case.find("failure").text.startswith("line 5, col 10, `suggest_loguniform`")
    assert int(root.get("failures")) == 3
    (project / "ok.py").write_text("x = 1\n", encoding="utf-8")
    empty = ET.fromstring(run(["--output-format", "junit", "ok.py"], project).stdout)
    assert empty.find("testsuite/testcase").get("name") == "No errors found"


def test_gitlab_code_quality_report(project: Path) -> None:
    """ruff's `gitlab`: check_name, `CODE: message` description, severity,
    a unique fingerprint, location path and begin/end positions."""
    records = json.loads(run(["--output-format", "gitlab", "pkg"], project).stdout)
    assert len(records) == 3 and len({r["fingerprint"] for r in records}) == 3
    first = next(r for r in records if r["location"]["path"] == "pkg/train.py")
    assert first["check_name"] == "HPL206"
    assert first["description"].startswith("HPL206: `suggest_loguniform`")
    assert first["severity"] == "minor"
    assert first["location"]["positions"] == {"begin": {"line": 5, "column": 10}, "end": {"line": 5, "column": 52}}
    again = json.loads(run(["--output-format", "gitlab", "pkg"], project).stdout)
    assert [r["fingerprint"] for r in again] == [r["fingerprint"] for r in records]  # stable between runs
