"""The flake8 plugin is a thin front end: same findings as the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Set, Tuple

from conftest import FIXTURES, ROOT

Finding = Tuple[str, int, int, str]


def _corpus(tmp_path: Path) -> Path:
    """Every fixture and example, copied where no pyproject applies."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    for source in list(FIXTURES.rglob("*.py")) + list((ROOT / "examples").rglob("*.py")):
        rel = source.relative_to(ROOT)
        target = corpus / str(rel).replace("/", "__")
        shutil.copyfile(source, target)
    return corpus


def _hplint(corpus: Path, *extra: str) -> Set[Finding]:
    result = subprocess.run(
        [sys.executable, "-m", "hplint", "--output-format", "json", *extra, "."],
        cwd=corpus, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1, 2), result.stderr
    return {
        (Path(d["path"]).name, d["line"], d["col"], d["code"])
        for d in json.loads(result.stdout)
        if d["code"] not in ("HPL001", "HPL002")
    }


def _flake8(corpus: Path, *extra: str) -> Set[Finding]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "HPL", "--format", "%(path)s\t%(row)d\t%(col)d\t%(code)s", *extra, "."],
        cwd=corpus, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    found = set()
    for line in result.stdout.splitlines():
        path, row, col, code = line.split("\t")
        found.add((Path(path).name, int(row), int(col), code))
    return found


def test_flake8_select_hpl_matches_hplint(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    cli = _hplint(corpus)
    plugin = _flake8(corpus)
    assert cli, "the corpus should produce findings"
    assert plugin == cli


def test_flake8_opt_in_rules_via_prefixed_option(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    assert _flake8(corpus, "--hpl-extend-select", "HPL") == _hplint(corpus, "--select", "HPL")


def test_flake8_reads_prefixed_options_from_setup_cfg(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[flake8]\nhpl-extend-select = HPL\n")
    (tmp_path / "t.py").write_text("def objective(trial):\n    return trial.suggest_loguniform('lr', 1e-5, 1e-1)\n")
    found = _flake8(tmp_path)
    assert ("t.py", 2, 12, "HPL206") in found


def test_plugin_yields_nothing_for_unparseable_code(tmp_path: Path) -> None:
    (tmp_path / "t.py").write_text("def objective(trial):\n    trial.suggest_loguniform('lr', 1e-5, 1e-1\n")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "HPL,E999", "t.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert "E999" in result.stdout
    assert "HPL" not in result.stdout
    assert result.stderr == ""


def test_plugin_columns_are_zero_based_for_flake8() -> None:
    from hplint.frontends.flake8 import HplintChecker

    source = "def objective(trial):\n    return trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"
    HplintChecker.parse_options(type("O", (), {})())
    results = list(HplintChecker(None, "t.py", source.splitlines(keepends=True)).run())
    assert [(r[0], r[1], r[2][:6]) for r in results] == [(2, 11, "HPL206")]
