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


def test_sarif_describes_every_rule_with_a_link_to_its_page(project: Path) -> None:
    driver = sarif(project)["runs"][0]["tool"]["driver"]
    described = {rule["id"]: rule for rule in driver["rules"]}
    for rule in all_rules():
        meta = described[rule.code]
        assert meta["name"] == rule.name
        assert meta["shortDescription"]["text"] == rule.summary
        assert meta["fullDescription"]["text"] == rule.why
        assert meta["helpUri"].endswith(f"/{RULE_DOCS_PATH}/{rule.code}.md")
        assert (ROOT / RULE_DOCS_PATH / f"{rule.code}.md").is_file()
    for result in sarif(project)["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


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
