"""HPL7 objective rules: the metric vocabulary, the direction reader, and the audit's labels."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from hplint.core.config import config_from_mapping
from hplint.engine.lint import lint_source
from hplint.reading.metrics import HIGHER, LOWER, is_test_data_name, name_direction

AUDIT = Path(__file__).parent / "data" / "objective-audit.tsv"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("val_accuracy", HIGHER), ("valAcc", HIGHER), ("roc_auc", HIGHER), ("f1_macro", HIGHER), ("r2", HIGHER),
        ("mean_accuracy", HIGHER), ("rmse", LOWER), ("val_loss", LOWER), ("error_rate", LOWER), ("logloss", LOWER),
        ("score", None), ("best_score", None), ("neg_mse", None), ("acc_loss", None), ("result", None),
    ],
)
def test_name_direction(name: str, expected) -> None:
    assert name_direction(name) == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("X_test", True), ("y_test", True), ("test_loader", True), ("df_test", True), ("testset", True), ("x_test_scaled", True),
        ("test_size", False), ("train_test_split", False), ("test_acc", False), ("X_val", False), ("n_test", False),
        ("test_batch_size", False), ("latest", False),
    ],
)
def test_test_data_names(name: str, expected: bool) -> None:
    assert is_test_data_name(name) is expected


@pytest.mark.parametrize(
    "call, expected",
    [
        ("test_dataloader(cfg)", True), ("dm.test_dataloader()", True), ("make_test_loader(64)", True), ("load_test_data()", True),
        ("get_testloader()", True), ("test(model, loader)", False), ("test_model(m)", False), ("evaluate_test(m)", False),
        ("prepare_test(m)", False), ("get_loader(split='test')", False), ("test_batch_size()", False),
    ],
)
def test_calls_that_make_the_test_split(call: str, expected: bool) -> None:
    """A call whose name says test and data, and nothing else but a verb, makes the test split."""
    import libcst

    from hplint.rules.objective.test_reads import makes_test_data

    assert makes_test_data(libcst.parse_expression(call)) is expected


def _codes(source: str, select: str = "HPL7") -> list:
    return [d.code for d in lint_source(source, "t.py", config_from_mapping({"select": [select]}))]


def test_generic_score_with_explicit_direction_is_silent() -> None:
    """A name that says nothing about its direction is never guessed."""
    source = (
        "import optuna\n\n"
        "def objective(trial):\n"
        "    score = evaluate(trial)\n"
        "    return score\n\n"
        'optuna.create_study(direction="minimize").optimize(objective, n_trials=10)\n'
    )
    assert "HPL701" not in _codes(source)
    assert "HPL701" in _codes(source.replace("score", "val_acc"))


def test_audit_labels_are_well_formed() -> None:
    with AUDIT.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len({(r["repo"], r["path"]) for r in rows}) >= 25
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row
        assert row["expected"] in ("none", "HPL701", "HPL702", "HPL703"), row
        assert (row["expected"] == "none") == (row["line"] == ""), row
        assert row["why"], row


def test_hyperopt_status_marks_an_objective_without_fmin() -> None:
    """Hyperopt's ``STATUS_OK`` makes the dict hyperopt's; the message names the loss and the status line."""
    source = (
        "from hyperopt import STATUS_OK\n\n"
        "def objective(params):\n"
        "    acc = accuracy_score(y_val, predict(params))\n"
        '    return {"loss": acc, "status": STATUS_OK}\n'
    )
    found = lint_source(source, "t.py", config_from_mapping({"select": ["HPL7"]}))
    assert [(d.code, d.line) for d in found] == [("HPL701", 5)]
    assert '`{"loss": acc, ...}` with hyperopt\'s `STATUS_OK` at line 5' in found[0].message
    assert "`accuracy_score(...)` (line 4)" in found[0].message
    assert _codes(source.replace("from hyperopt import", "from jobs.states import")) == []
    assert _codes(source.replace(', "status": STATUS_OK', "")) == []
    assert _codes(source.replace('"loss": acc', '"loss": -acc')) == []
