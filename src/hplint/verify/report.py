"""Terminal table and JSON for demo results."""

from __future__ import annotations

import json
from typing import Any

from hplint.verify.common import DemoResult
from hplint.verify.verdict import CLEARLY_CHEAPER, MIN_TOLERANCE

COLUMNS = ("demo", "codes", "anti-pattern", "fix", "fix - anti (paired)", "budget", "seeds", "verdict", "time")


def _side(result: DemoResult, side: str) -> dict[str, Any]:
    mean, spread = result.stats(side)
    cost_mean, _ = result.stats(f"{side}_cost")
    label = result.demo.anti_label if side == "anti" else result.demo.fix_label
    return {
        "label": label,
        "mean": round(mean, 4),
        "spread": round(spread, 4),
        "values": [round(getattr(o, side), 6) for o in result.outcomes],
        "cost": round(cost_mean, 1),
    }


def to_dict(result: DemoResult) -> dict[str, Any]:
    """One demo as JSON-ready data: the fields of the table, plus per-seed values."""
    demo = result.demo
    verdict = result.judgement
    details: dict[str, list[float]] = {}
    for outcome in result.outcomes:
        for key, value in outcome.details.items():
            details.setdefault(key, []).append(round(value, 4))
    return {
        "demo": demo.name,
        "codes": list(demo.codes),
        "claim": demo.claim,
        "metric": demo.metric,
        "anti_pattern": _side(result, "anti"),
        "fix": _side(result, "fix"),
        "difference": {
            "values": [round(d, 6) for d in verdict.differences],
            "mean": round(verdict.mean, 4),
            "spread": round(verdict.spread, 4),
            "tolerance": round(verdict.tolerance, 4),
        },
        "budget": {
            "unit": demo.budget_unit,
            "anti_pattern": round(result.stats("anti_cost")[0], 1),
            "fix": round(result.stats("fix_cost")[0], 1),
            "anti_pattern_values": [round(o.anti_cost, 2) for o in result.outcomes],
            "fix_values": [round(o.fix_cost, 2) for o in result.outcomes],
            "compared": demo.compare_cost,
        },
        "seeds": len(result.outcomes),
        "verdict": verdict.outcome,
        "verdict_label": verdict.label,
        "reason": verdict.reason,
        "details": details,
        "seconds": round(result.seconds, 2),
    }


def to_json(results: list[DemoResult]) -> str:
    return json.dumps([to_dict(r) for r in results], indent=2)


def _cell(side: dict[str, Any]) -> str:
    return f"{side['label']}: {side['mean']:.3f} ± {side['spread']:.3f}"


def _budget(budget: dict[str, Any]) -> str:
    return f"{budget['anti_pattern']:g} vs {budget['fix']:g} {budget['unit']}"


def _difference(difference: dict[str, Any]) -> str:
    return f"{difference['mean']:+.3f} ± {difference['spread']:.3f} (tol {difference['tolerance']:.3f})"


def _details(data: dict[str, Any]) -> str:
    """One line of what else a demo measured, e.g. ``pruning: share of trials pruned 0.8 [0.7-0.9]``."""
    parts = []
    for key, values in data["details"].items():
        mean = sum(values) / len(values)
        spread = f" [{min(values):g}-{max(values):g}]" if min(values) != max(values) else ""
        parts.append(f"{key} {mean:.3g}{spread}")
    return f"  {data['demo']}: " + "; ".join(parts)


def table(results: list[DemoResult]) -> str:
    """A plain-text table, one row per demo, then how the verdict is decided."""
    rows = []
    for result in results:
        data = to_dict(result)
        rows.append((
            data["demo"], ",".join(data["codes"]), _cell(data["anti_pattern"]), _cell(data["fix"]),
            _difference(data["difference"]), _budget(data["budget"]), str(data["seeds"]), data["verdict_label"],
            f"{data['seconds']:.1f}s",
        ))
    widths = [max(len(str(row[i])) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    lines = ["  ".join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip() for row in [COLUMNS, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [_details(data) for data in map(to_dict, results) if data["details"]]
    if notes:
        lines += ["", "Also measured (mean over seeds, range in brackets):", *notes]
    lines.append("")
    lines.append(
        "Results are mean ± standard deviation over seeds of the demo's metric (higher is better); "
        "fix - anti is the mean ± standard deviation of the per-seed differences (both sides train "
        "on the same data from the same initial weights). tol is the half-width of a 95% t-interval "
        f"of that mean, at least {MIN_TOLERANCE}. The fix wins when it is ahead by more than tol, or "
        f"within tol while spending at most {CLEARLY_CHEAPER:.0%} of the anti-pattern's budget (and "
        "less on every seed) where the budgets differ by design (pruning); the anti-pattern wins in "
        "the mirror cases; otherwise it is a tie."
    )
    return "\n".join(lines)
