"""`hplint verify`: the demonstrations run for real (torch, optuna) and report sane numbers."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from hplint.verify import DEMOS, INSTALL_HINT, demo_codes, demos_for, report
from hplint.verify.common import Demo, DemoResult, SeedOutcome, Settings
from hplint.verify.verdict import ANTI_WINS, FIX_WINS, MIN_TOLERANCE, TIE, VERDICTS, decide, t95


def run_verify(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hplint.verify", *args], capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def quick_run() -> list[dict]:
    """One `verify --quick --json` run shared by the checks below."""
    proc = run_verify("--quick", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _line(demo: dict) -> str:
    anti, fix, budget = demo["anti_pattern"], demo["fix"], demo["budget"]
    return (
        f"{demo['demo']:<13} {anti['label']}: {anti['mean']:.4f}±{anti['spread']:.4f} {anti['values']}  "
        f"{fix['label']}: {fix['mean']:.4f}±{fix['spread']:.4f} {fix['values']}  "
        f"diff {demo['difference']['mean']:+.4f}±{demo['difference']['spread']:.4f} tol {demo['difference']['tolerance']:.4f}  "
        f"budget {budget['anti_pattern']:g} vs {budget['fix']:g} {budget['unit']}  {demo['verdict']}  {demo['seconds']}s"
    )


# demos whose metric is a difference of accuracies rather than an accuracy
DIFFERENCE_METRICS = {"test-selection"}
# where a side's metric need not be a trained model's accuracy (the configuration a study
# selects may be any in its space), what shows the models did train
TRAINED = {
    "direction": lambda demo, side: max(demo["details"]["best held-out accuracy in the space"]),
    "test-selection": lambda demo, side: min(
        demo["details"][f"fresh accuracy (selected on {name})"][0] for name in ("test", "validation")
    ),
}


def test_quick_run_prints_numbers(quick_run: list[dict], capsys: pytest.CaptureFixture) -> None:
    with capsys.disabled():
        print("\nhplint verify --quick:")
        for demo in quick_run:
            print("  " + _line(demo))
    assert [d["demo"] for d in quick_run] == list(DEMOS)


def test_every_demo_completes_with_sane_numbers(quick_run: list[dict]) -> None:
    for demo in quick_run:
        assert demo["codes"] == list(demo_codes()[demo["demo"]])
        assert demo["seeds"] == 3 and demo["seconds"] > 0
        assert demo["verdict"] in VERDICTS and demo["reason"]
        assert len(demo["difference"]["values"]) == 3 and demo["difference"]["tolerance"] >= MIN_TOLERANCE
        low = -1.0 if demo["demo"] in DIFFERENCE_METRICS else 0.0
        for side in ("anti_pattern", "fix"):
            result = demo[side]
            assert len(result["values"]) == 3
            for value in [result["mean"], *result["values"]]:
                assert math.isfinite(value) and low <= value <= 1.0, (demo["demo"], side, value)
            assert 0.0 <= result["spread"] <= 0.5
            # better than guessing one of 4 classes: the models did train
            trained = TRAINED.get(demo["demo"], lambda d, side: max(d[side]["values"]))(demo, side)
            assert trained > 0.4, (demo["demo"], side)
        assert demo["budget"]["anti_pattern"] > 0 and demo["budget"]["fix"] > 0


@pytest.mark.parametrize("name", list(DEMOS))
def test_verdict_is_the_one_its_numbers_give(quick_run: list[dict], name: str, capsys) -> None:
    """Whatever the quick run measured, the verdict printed is the one its paired numbers decide."""
    demo = next(d for d in quick_run if d["demo"] == name)
    with capsys.disabled():
        print(f"\n  {_line(demo)}")
    anti, fix, budget = demo["anti_pattern"]["values"], demo["fix"]["values"], demo["budget"]
    again = decide(anti, fix, budget["anti_pattern_values"], budget["fix_values"], budget["compared"])
    assert again.outcome == demo["verdict"], _line(demo)
    assert demo["difference"]["values"] == pytest.approx([f - a for a, f in zip(anti, fix)], abs=1e-5)


def test_same_budget_except_where_the_budget_is_the_claim(quick_run: list[dict]) -> None:
    for demo in quick_run:
        budget = demo["budget"]
        if demo["demo"] == "pruning":
            assert budget["compared"] and budget["unit"] == "epochs"
            assert all(f <= a for a, f in zip(budget["anti_pattern_values"], budget["fix_values"]))
        elif demo["demo"] == "budget":
            assert budget["unit"] == "seconds" and not budget["compared"]
            assert all(demo["details"]["TPE trials"])
        else:
            assert budget["fix"] == budget["anti_pattern"] and not budget["compared"], demo["demo"]


def test_each_scenario_has_its_mechanism(quick_run: list[dict]) -> None:
    """The conditions each demonstration is about are there in what it measured."""
    demos = {d["demo"]: d for d in quick_run}
    strategy = demos["strategy"]["details"]  # the learning rate matters far more than the others
    for lr, width, decay in zip(strategy["grid effect of lr"], strategy["grid effect of width"],
                                strategy["grid effect of weight_decay"]):
        assert lr > 2 * max(width, decay)
    interactions = demos["interactions"]["details"]  # at the small fixed lr the most steps win
    assert interactions["batch size chosen at the fixed lr"] == [16, 16, 16]
    pruning = demos["pruning"]["details"]  # MedianPruner has trials to compare and prunes some
    assert all(n >= 30 for n in pruning["trials"]) and all(share > 0 for share in pruning["share of trials pruned"])
    budget = demos["budget"]["details"]  # too few trials for TPE to leave its random start-up
    assert all(1 <= n < 10 for n in budget["TPE trials"])
    direction = demos["direction"]["details"]  # a space where the configurations differ widely
    for best, reported in zip(direction["best held-out accuracy in the space"],
                              direction["validation accuracy reported as best (default study)"]):
        assert best - reported > 0.1
    selection = demos["test-selection"]["details"]  # many trials, several independent splits
    assert selection["trials"] == [30, 30, 30] and selection["validation/test splits"] == [10, 10, 10]


def test_code_selection() -> None:
    assert demos_for(["HPL301"]) == ["pruning"]
    assert demos_for(["HPL304"]) == ["pruning"]
    assert demos_for(["HPL2"]) == ["spacing", "range"]
    assert demos_for(["HPL501", "hpl103"]) == ["lr-first", "budget"]
    assert demos_for(["interactions"]) == ["interactions"]
    assert demos_for(["HPL7"]) == ["direction", "test-selection"]
    assert demos_for(["HPL702"]) == ["test-selection"]
    assert demos_for([]) == list(DEMOS)
    with pytest.raises(KeyError):
        demos_for(["HPL999"])


def test_objective_demos_run_and_report_what_they_measured(tmp_path: Path) -> None:
    proc = run_verify("HPL701", "HPL702", "--quick", "--json", "--jobs", "1", "--plot", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    data = {d["demo"]: d for d in json.loads(proc.stdout)}
    assert list(data) == ["direction", "test-selection"]
    assert data["direction"]["codes"] == ["HPL701"] and data["test-selection"]["codes"] == ["HPL702"]
    for demo in data.values():
        assert demo["verdict"] in VERDICTS and demo["reason"] and demo["seeds"] == 3
        assert demo["budget"]["anti_pattern_values"] == demo["budget"]["fix_values"]
        assert decide(demo["anti_pattern"]["values"], demo["fix"]["values"], [1] * 3, [1] * 3, False).outcome == demo["verdict"]
    selection = data["test-selection"]
    for side, name in (("anti_pattern", "test"), ("fix", "validation")):
        reported = selection["details"][f"reported test accuracy (selected on {name})"]
        fresh = selection["details"][f"fresh accuracy (selected on {name})"]
        # the metric is minus the optimism: the fresh accuracy minus the reported one
        assert selection[side]["values"] == pytest.approx([f - r for r, f in zip(reported, fresh)], abs=1e-3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["direction.png", "test-selection.png"]


def test_objective_demos_are_deterministic() -> None:
    from hplint.verify.objectives import direction, test_selection

    settings = Settings.make(True, 1, "cpu")
    for demo in (direction, test_selection):
        first, second = demo(0, settings), demo(0, settings)
        assert (first.anti, first.fix, first.details) == (second.anti, second.fix, second.details)


def test_explain_points_to_the_objective_demos() -> None:
    for code in ("HPL701", "HPL702"):
        proc = subprocess.run([sys.executable, "-m", "hplint", "explain", code], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and f"See it measured: hplint verify {code}" in proc.stdout


def test_unknown_code_is_a_usage_error() -> None:
    proc = run_verify("HPL999")
    assert proc.returncode == 2
    assert "HPL999" in proc.stderr and proc.stdout == ""


def test_bad_counts_are_usage_errors() -> None:
    assert run_verify("--seeds", "0").returncode == 2
    assert run_verify("--jobs", "0").returncode == 2


def test_selected_demos_run_and_plots_are_written(tmp_path: Path) -> None:
    proc = run_verify("HPL204", "HPL103", "--quick", "--seeds", "1", "--json", "--plot", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert [d["demo"] for d in json.loads(proc.stdout)] == ["range", "lr-first"]
    for name in ("range", "lr-first"):
        png = (tmp_path / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lr-first.png", "range.png"]


def test_table_output() -> None:
    proc = run_verify("HPL103", "--quick", "--seeds", "2", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    header, rule, row = proc.stdout.splitlines()[:3]
    for column in ("demo", "codes", "anti-pattern", "fix", "budget", "seeds", "verdict", "time"):
        assert column in header
    assert row.startswith("lr-first") and "HPL103" in row and "4 vs 4 trainings" in row
    assert any(verdict in row for verdict in VERDICTS) and "(tol " in row


def test_results_do_not_depend_on_worker_count() -> None:
    one = run_verify("HPL204", "--quick", "--seeds", "2", "--json", "--jobs", "1")
    two = run_verify("HPL204", "--quick", "--seeds", "2", "--json", "--jobs", "2")
    strip = lambda out: [{k: v for k, v in d.items() if k != "seconds"} for d in json.loads(out)]  # noqa: E731
    assert strip(one.stdout) == strip(two.stdout)


def test_cuda_device_errors_cleanly_without_cuda() -> None:
    import torch

    proc = run_verify("HPL103", "--quick", "--seeds", "1", "--device", "cuda")
    if torch.cuda.is_available():
        assert proc.returncode == 0, proc.stderr
    else:
        assert proc.returncode == 2
        assert "CUDA is not available" in proc.stderr and "Traceback" not in proc.stderr


NO_TORCH = (
    "import sys; sys.modules['torch'] = None; "
    "from hplint.verify.cli import main; raise SystemExit(main(['--quick']))"
)


def test_without_torch_one_line_install_hint() -> None:
    proc = subprocess.run([sys.executable, "-c", NO_TORCH], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == INSTALL_HINT
    assert 'pip install "hplint[verify]"' in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_linting_never_imports_torch() -> None:
    code = (
        "import sys, hplint, hplint.verify, hplint.verify.cli; "
        "hplint.lint_source('import numpy as np\\nlrs = np.linspace(1e-4, 1e-1, 5)\\n', 'x.py', hplint.Config()); "
        "print(sorted(m for m in ('torch', 'optuna', 'matplotlib') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def _result(anti: list[float], fix: list[float], costs: tuple[float, float] = (5, 5), compare_cost: bool = False) -> DemoResult:
    demo = Demo("x", ("HPL000",), "claim", "a", "f", "metric", "epochs", lambda seed, settings: None, compare_cost)
    outcomes = [SeedOutcome(a, f, costs[0], costs[1]) for a, f in zip(anti, fix)]
    return DemoResult(demo, outcomes, 1.0)


def test_fix_wins_when_ahead_by_more_than_the_tolerance() -> None:
    result = _result([0.70, 0.72, 0.71], [0.74, 0.77, 0.75])
    verdict = result.judgement
    assert verdict.outcome == FIX_WINS and verdict.mean == pytest.approx(0.0433, abs=1e-4)
    assert verdict.tolerance == pytest.approx(max(MIN_TOLERANCE, t95(2) * verdict.spread / math.sqrt(3)))


def test_anti_pattern_wins_when_ahead_by_more_than_the_tolerance() -> None:
    assert _result([0.75, 0.76, 0.74], [0.70, 0.70, 0.71]).verdict == ANTI_WINS


def test_tie_within_the_floor_of_the_tolerance() -> None:
    # the same to the third digit on every seed: no spread, the floor decides
    assert _result([0.737, 0.737], [0.737, 0.737]).verdict == TIE
    half = MIN_TOLERANCE / 2
    assert _result([0.70, 0.71, 0.72], [0.70 + half, 0.71 + half, 0.72 + half]).verdict == TIE
    assert _result([0.70, 0.71, 0.72], [0.70 - half, 0.71 - half, 0.72 - half]).verdict == TIE


def test_a_noisy_lead_is_a_tie() -> None:
    # ahead by 0.02 on average, but the paired differences swing from -0.03 to +0.09
    verdict = _result([0.70, 0.70, 0.70, 0.70, 0.70], [0.67, 0.74, 0.79, 0.71, 0.69]).judgement
    assert verdict.mean > MIN_TOLERANCE and verdict.outcome == TIE and verdict.tolerance > verdict.mean


def test_fix_wins_as_good_at_a_clearly_lower_cost() -> None:
    verdict = _result([0.75, 0.75], [0.75, 0.745], (200, 60), compare_cost=True).judgement
    assert verdict.outcome == FIX_WINS and verdict.by_cost and verdict.cost_ratio == pytest.approx(0.3)
    assert verdict.label == "fix wins (fix at 30% of the budget)"


def test_anti_pattern_wins_as_good_at_a_clearly_lower_cost() -> None:
    assert _result([0.75, 0.75], [0.75, 0.75], (60, 200), compare_cost=True).verdict == ANTI_WINS


def test_a_small_saving_or_an_uncompared_budget_is_a_tie() -> None:
    assert _result([0.75, 0.75], [0.75, 0.75], (72, 60.3), compare_cost=True).verdict == TIE  # 84%: not clearly
    assert _result([0.75, 0.75], [0.75, 0.75], (200, 60), compare_cost=False).verdict == TIE
    # cheaper on average but not on every seed
    mixed = DemoResult(_result([0.7], [0.7], compare_cost=True).demo,
                       [SeedOutcome(0.7, 0.7, 100, 10), SeedOutcome(0.7, 0.7, 100, 120)], 1.0)
    assert mixed.verdict == TIE


def test_a_cost_never_rescues_a_worse_fix() -> None:
    assert _result([0.7, 0.7], [0.6, 0.6], (100, 40), compare_cost=True).verdict == ANTI_WINS


def test_decide_needs_paired_results() -> None:
    with pytest.raises(ValueError):
        decide([0.7, 0.7], [0.7], [1, 1], [1])
    assert decide([0.7], [0.75], [1], [1]).outcome == FIX_WINS  # one seed: the floor alone
    assert t95(4) == pytest.approx(2.776) and t95(100) == 1.96


def test_json_and_table_carry_the_verdict() -> None:
    results = [_result([0.70, 0.72, 0.71], [0.74, 0.77, 0.75]), _result([0.737] * 3, [0.737] * 3)]
    data = json.loads(report.to_json(results))
    assert [d["verdict"] for d in data] == [FIX_WINS, TIE]
    assert data[0]["difference"]["values"] == pytest.approx([0.04, 0.05, 0.04]) and data[1]["difference"]["spread"] == 0
    assert data[1]["difference"]["tolerance"] == MIN_TOLERANCE and data[1]["reason"]
    rows = report.table(results).splitlines()
    assert "fix - anti (paired)" in rows[0]
    assert FIX_WINS in rows[2] and "+0.043" in rows[2] and TIE in rows[3]


def test_full_mode_runs_five_seeds() -> None:
    assert len(Settings.make(False, None, "cpu").seeds) == 5
    assert len(Settings.make(True, None, "cpu").seeds) == 3
    assert len(Settings.make(False, 7, "cpu").seeds) == 7


def test_stats_are_mean_and_spread() -> None:
    mean, spread = _result([0.6, 0.8], [0.7, 0.7]).stats("anti")
    assert mean == pytest.approx(0.7) and spread == pytest.approx(math.sqrt(0.02))
