"""`hplint verify`: the demonstrations run for real (torch, optuna) and report sane numbers."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from hplint.verify import DEMOS, INSTALL_HINT, demo_codes, demos_for
from hplint.verify.common import ACCURACY_TOLERANCE, Demo, DemoResult, SeedOutcome


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
        f"budget {budget['anti_pattern']:g} vs {budget['fix']:g} {budget['unit']}  {demo['verdict']}  {demo['seconds']}s"
    )


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
        assert demo["verdict"] in ("holds", "does not hold here")
        for side in ("anti_pattern", "fix"):
            result = demo[side]
            assert len(result["values"]) == 3
            for value in [result["mean"], *result["values"]]:
                assert math.isfinite(value) and 0.0 <= value <= 1.0, (demo["demo"], side, value)
            assert 0.0 <= result["spread"] <= 0.5
            # better than guessing one of 4 classes: the models did train
            assert max(result["values"]) > 0.4, (demo["demo"], side)
        assert demo["budget"]["anti_pattern"] > 0 and demo["budget"]["fix"] > 0


@pytest.mark.parametrize("name", list(DEMOS))
def test_fix_at_least_as_good_as_anti_pattern(quick_run: list[dict], name: str, capsys) -> None:
    demo = next(d for d in quick_run if d["demo"] == name)
    with capsys.disabled():
        print(f"\n  {_line(demo)}")
    assert demo["fix"]["mean"] >= demo["anti_pattern"]["mean"] - demo["tolerance"], _line(demo)
    if demo["budget"]["cost_must_drop"]:
        assert demo["budget"]["fix"] < demo["budget"]["anti_pattern"], _line(demo)
    assert demo["verdict"] == "holds"


def test_same_budget_except_where_the_claim_is_fewer_trials(quick_run: list[dict]) -> None:
    for demo in quick_run:
        budget = demo["budget"]
        if demo["demo"] == "strategy":
            assert budget["fix"] == budget["anti_pattern"] / 3
        elif demo["demo"] != "pruning":
            assert budget["fix"] == budget["anti_pattern"], demo["demo"]


def test_code_selection() -> None:
    assert demos_for(["HPL301"]) == ["pruning"]
    assert demos_for(["HPL304"]) == ["pruning"]
    assert demos_for(["HPL2"]) == ["spacing", "range"]
    assert demos_for(["HPL501", "hpl103"]) == ["lr-first", "budget"]
    assert demos_for(["interactions"]) == ["interactions"]
    assert demos_for([]) == list(DEMOS)
    with pytest.raises(KeyError):
        demos_for(["HPL999"])


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
    assert "holds" in row or "does not hold here" in row


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


def _result(anti: list[float], fix: list[float], costs: tuple[float, float] = (5, 5), must_drop: bool = False) -> DemoResult:
    demo = Demo("x", ("HPL000",), "claim", "a", "f", "metric", "epochs", lambda seed, settings: None, must_drop)
    outcomes = [SeedOutcome(a, f, costs[0], costs[1]) for a, f in zip(anti, fix)]
    return DemoResult(demo, outcomes, 1.0)


def test_verdict_comes_from_the_numbers() -> None:
    assert _result([0.70, 0.72], [0.74, 0.76]).verdict == "holds"
    slightly_worse = [0.71 - ACCURACY_TOLERANCE / 2, 0.71 - ACCURACY_TOLERANCE / 2]
    assert _result([0.71, 0.71], slightly_worse).verdict == "holds"
    assert _result([0.75, 0.75], [0.70, 0.70]).verdict == "does not hold here"
    assert _result([0.7, 0.7], [0.7, 0.7], (100, 40), must_drop=True).verdict == "holds"
    assert _result([0.7, 0.7], [0.7, 0.7], (100, 100), must_drop=True).verdict == "does not hold here"
    assert _result([0.7, 0.7], [0.6, 0.6], (100, 40), must_drop=True).verdict == "does not hold here"
    mean, spread = _result([0.6, 0.8], [0.7, 0.7]).stats("anti")
    assert mean == pytest.approx(0.7) and spread == pytest.approx(math.sqrt(0.02))
