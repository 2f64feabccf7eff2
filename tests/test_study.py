"""``hplint study``: real Optuna studies (SQLite and journal files), read without a write.

Each problem study is built by ``study_builders`` with real ``study.optimize``
runs; the well-run study must get no finding; every storage file's bytes (and
the folder's listing: no journal, WAL or lock file appears) are unchanged after
every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

pytest.importorskip("optuna")
pytest.importorskip("sklearn")

import study_builders as builders  # noqa: E402
from hplint.frontends.cli import main  # noqa: E402

PROBLEMS = {
    "edge": "HPL601",
    "linear": "HPL602",
    "never-prunes": "HPL603",
    "few-trials": "HPL604",
    "few-marked": "HPL604",
    "unimportant": "HPL605",
    "failing": "HPL606",
    "failing-reason": "HPL606",
}


def _build(storage_for) -> None:
    for name, build in builders.BUILDERS.items():
        if name != "well-run":
            build(storage_for(), name)
    builders.few_trials(storage_for(), "few-marked", marked=True)
    builders.failing(storage_for(), "failing-reason", store_reason=True)


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> Dict[str, Path]:
    root = tmp_path_factory.mktemp("studies")
    problems, well = root / "problems.db", root / "well.db"
    _build(lambda: f"sqlite:///{problems}")
    builders.well_run(f"sqlite:///{well}")
    journal, well_journal = root / "problems.log", root / "well.log"
    builders.edge(builders.journal(str(journal)))
    builders.linear(builders.journal(str(journal)))
    builders.failing(builders.journal(str(journal)))
    builders.well_run(builders.journal(str(well_journal)))
    for lock in root.glob("*.lock"):  # the journal writer's lock, gone once it is released
        lock.unlink()
    return {"problems": problems, "well": well, "journal": journal, "well-journal": well_journal, "root": root}


def _snapshot(folder: Path) -> Dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def run(args: List[str], capsys, folder: Path) -> Tuple[int, str, str]:
    """``hplint study ARGS``, checking that no byte of the storage folder changed."""
    before = _snapshot(folder)
    code = main(["study", *args, "--isolated"])
    out, err = capsys.readouterr()
    assert _snapshot(folder) == before, "hplint study changed a file or left one behind"
    return code, out, err


def _findings(out: str, storage: str) -> List[Tuple[str, str]]:
    found = []
    for line in out.splitlines():
        if line.startswith(storage + ":"):
            study, _, rest = line[len(storage) + 1:].partition(": ")
            found.append((study, rest.split(" ", 1)[0]))
    return found


# ---------------------------------------------------------------------------
# each problem, each storage


def test_each_problem_study_gets_its_finding_from_sqlite(stores, capsys) -> None:
    db = str(stores["problems"])
    code, out, _ = run([db], capsys, stores["root"])
    assert code == 1
    found = set(_findings(out, db))
    for study, expected in PROBLEMS.items():
        assert (study, expected) in found, (study, expected, out)
    assert out.rstrip().splitlines()[-1].startswith("Found ") and "(8 studies" in out


def test_the_well_run_study_gets_no_finding(stores, capsys) -> None:
    for key in ("well", "well-journal"):
        code, out, err = run([str(stores[key])], capsys, stores["root"])
        assert code == 0, out
        assert out.startswith("All checks passed! (1 study"), out
        assert not err


def test_journal_file_studies_are_read(stores, capsys) -> None:
    path = str(stores["journal"])
    code, out, _ = run([path], capsys, stores["root"])
    assert code == 1
    found = set(_findings(out, path))
    assert {("edge", "HPL601"), ("linear", "HPL602"), ("failing", "HPL606")} <= found, out


def test_sqlite_url_and_study_selection(stores, capsys) -> None:
    url = f"sqlite:///{stores['problems']}"
    code, out, _ = run([url, "--study", "linear", "--select", "HPL602"], capsys, stores["root"])
    assert code == 1
    assert _findings(out, url) == [("linear", "HPL602")]
    code, out, _ = run([url, "--study", "linear", "--ignore", "HPL6"], capsys, stores["root"])
    assert code == 0 and "All checks passed!" in out


def test_messages_carry_the_study_numbers(stores, capsys) -> None:
    db = str(stores["problems"])
    _, out, _ = run([db, "--study", "edge", "--select", "HPL601"], capsys, stores["root"])
    assert "upper bound 0.01 of 1e-05..0.01 (log scale)" in out
    assert "search 1e-05..0.1" in out
    _, out, _ = run([db, "--study", "linear", "--select", "HPL602"], capsys, stores["root"])
    assert "over 1e-05..0.1 (4 decades)" in out and "of 30 trials" in out
    _, out, _ = run([db, "--study", "never-prunes"], capsys, stores["root"])
    assert "0 of 24 finished trials that reported intermediate values were pruned (192 reports" in out
    _, out, _ = run([db, "--study", "few-trials"], capsys, stores["root"])
    assert "8 finished trials, fewer than 20: the sampler is not stored" in out
    _, out, _ = run([db, "--study", "few-marked"], capsys, stores["root"])
    assert "TPESampler, read from the marks it left" in out and "5 of 15 trials used its model" in out
    _, out, _ = run([db, "--study", "unimportant", "--select", "HPL605"], capsys, stores["root"])
    assert "seed_offset explains" in out and "over 40 complete trials (fANOVA" in out
    _, out, _ = run([db, "--study", "failing-reason"], capsys, stores["root"])
    assert "failed; most common stored reasons: 6× 'loss is NaN after 3 steps'" in out
    _, out, _ = run([db, "--study", "failing"], capsys, stores["root"])
    assert "no failure reason is stored" in out


def test_linear_learning_rate_edge_is_judged_on_the_log_scale(stores, capsys) -> None:
    """Its best value lies near 0 on a linear scale but in the middle of its decades: no HPL601."""
    db = str(stores["problems"])
    code, out, _ = run([db, "--study", "linear", "--select", "HPL601"], capsys, stores["root"])
    assert code == 0, out


def test_thresholds_come_from_pyproject(stores, capsys, tmp_path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.hplint]\nfailed-share = 0.5\nmin-trials = 5\n", encoding="utf-8")
    db = str(stores["problems"])
    before = _snapshot(stores["root"])
    assert main(["study", db, "--study", "failing", "--config", str(config)]) == 0
    assert main(["study", db, "--study", "few-trials", "--config", str(config)]) == 0
    capsys.readouterr()
    config.write_text("[tool.hplint]\nfailed-share = 1.5\n", encoding="utf-8")
    assert main(["study", db, "--config", str(config)]) == 2
    assert "failed-share: expected a number > 0 and <= 1, got 1.5" in capsys.readouterr().err
    assert _snapshot(stores["root"]) == before


# ---------------------------------------------------------------------------
# output formats


def test_json_sarif_github(stores, capsys) -> None:
    db = str(stores["problems"])
    _, out, _ = run([db, "--study", "linear", "--select", "HPL602", "--output-format", "json"], capsys, stores["root"])
    records = json.loads(out)
    assert [(r["code"], r["study"], r["path"], r["name"]) for r in records] == [
        ("HPL602", "linear", db, "log-parameter-sampled-linearly")
    ]
    _, out, _ = run([db, "--study", "linear", "--select", "HPL602", "--output-format", "sarif"], capsys, stores["root"])
    log = json.loads(out)
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "HPL602"
    assert result["locations"][0]["logicalLocations"] == [{"name": "linear", "kind": "object"}]
    assert "region" not in result["locations"][0]["physicalLocation"]
    assert "HPL602" in {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    _, out, _ = run([db, "--study", "linear", "--select", "HPL602", "--output-format", "github"], capsys, stores["root"])
    assert out.startswith("::warning file=") and "title=HPL602::linear: learning_rate was sampled linearly" in out


def test_plots_one_png_per_finding(stores, capsys, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    db = str(stores["problems"])
    plots = tmp_path / "plots"
    code, _, err = run([db, "--study", "edge", "--select", "HPL601", "--plot", str(plots)], capsys, stores["root"])
    assert code == 1
    written = sorted(p.name for p in plots.iterdir())
    assert written == ["edge-HPL601-lr.png"], written
    assert (plots / written[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Wrote 1 plot" in err


# ---------------------------------------------------------------------------
# storages hplint refuses, in one line, exit 2, without touching them


def _error(args: List[str], capsys, folder: Path) -> str:
    code, out, err = run(args, capsys, folder)
    assert code == 2 and not out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_schema_version_mismatch_is_reported_not_upgraded(stores, capsys, tmp_path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(stores["problems"], old)
    with sqlite3.connect(old) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'v3.0.0.c'")
        connection.execute("UPDATE version_info SET library_version = '3.0.0'")
    connection.close()
    line = _error([str(old)], capsys, tmp_path)
    assert "schema v3.0.0.c (written by optuna 3.0.0) is older than optuna" in line
    assert "hplint never upgrades a storage" in line and "optuna storage upgrade" in line
    with sqlite3.connect(old) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'v99.0.0.a'")
    connection.close()
    assert "is newer than optuna" in _error([str(old)], capsys, tmp_path)


def test_not_a_storage(capsys, tmp_path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n", encoding="utf-8")
    assert "not an Optuna storage" in _error([str(text)], capsys, tmp_path)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    assert "empty file" in _error([str(empty)], capsys, tmp_path)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (a INTEGER)")
    connection.close()
    assert "not an Optuna storage (no studies and trials tables)" in _error([str(other)], capsys, tmp_path)
    assert "no such file" in _error([str(tmp_path / "missing.db")], capsys, tmp_path)
    assert "no such file" in _error([f"sqlite:///{tmp_path / 'missing.db'}"], capsys, tmp_path)
    assert not (tmp_path / "missing.db").exists()


def test_missing_study_and_missing_driver(stores, capsys, tmp_path) -> None:
    line = _error([str(stores["problems"]), "--study", "nope"], capsys, stores["root"])
    assert "no study named 'nope' (it has: edge, linear" in line
    line = _error(["postgresql://tuner:secret@localhost:1/optuna"], capsys, tmp_path)
    assert "database driver is not installed" in line and "secret" not in line


def test_missing_extra_is_named(monkeypatch, capsys, stores) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "sklearn", None)  # as if scikit-learn were not installed
    code, out, err = run([str(stores["problems"]), "--study", "unimportant", "--select", "HPL605"], capsys, stores["root"])
    assert code == 0
    assert "HPL605 needs scikit-learn for fANOVA: pip install 'hplint[study]'" in err


def test_explain_and_docs_know_the_results_family(capsys) -> None:
    assert main(["explain", "HPL603"]) == 0
    assert capsys.readouterr().out.startswith("HPL603 pruner-never-prunes (results, on by default)")
    assert main(["rules"]) == 0
    assert "HPL606  many-failed-trials" in capsys.readouterr().out
    root = Path(__file__).resolve().parent.parent
    for code in ("HPL601", "HPL602", "HPL603", "HPL604", "HPL605", "HPL606"):
        assert (root / "docs" / "rules" / f"{code}.md").is_file()
    assert os.path.isfile(root / "src" / "hplint" / "study" / "storage.py")


def test_a_storage_on_read_only_disk_is_read(stores, capsys, tmp_path) -> None:
    """No write is attempted: a file (and folder) without write permission reads the same."""
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(stores["well"], folder / "well.db")
    os.chmod(folder / "well.db", 0o444)
    os.chmod(folder, 0o555)
    try:
        code, out, _ = run([str(folder / "well.db")], capsys, folder)
    finally:
        os.chmod(folder, 0o755)
    assert code == 0 and "All checks passed!" in out
