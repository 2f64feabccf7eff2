"""Terminal table and JSON for demo results."""

from __future__ import annotations

import json
from typing import Any

from hplint.verify.common import ACCURACY_TOLERANCE, DemoResult

COLUMNS = ("demo", "codes", "anti-pattern", "fix", "budget", "seeds", "verdict", "time")


def _side(result: DemoResult, side: str) -> dict[str, Any]:
    mean, spread = result.stats(side)
    cost_mean, _ = result.stats(f"{side}_cost")
    label = result.demo.anti_label if side == "anti" else result.demo.fix_label
    return {
        "label": label,
        "mean": round(mean, 4),
        "spread": round(spread, 4),
        "values": [round(getattr(o, side), 4) for o in result.outcomes],
        "cost": round(cost_mean, 1),
    }


def to_dict(result: DemoResult) -> dict[str, Any]:
    """One demo as JSON-ready data: the fields of the table, plus per-seed values."""
    demo = result.demo
    return {
        "demo": demo.name,
        "codes": list(demo.codes),
        "claim": demo.claim,
        "metric": demo.metric,
        "tolerance": ACCURACY_TOLERANCE,
        "anti_pattern": _side(result, "anti"),
        "fix": _side(result, "fix"),
        "budget": {
            "unit": demo.budget_unit,
            "anti_pattern": round(result.stats("anti_cost")[0], 1),
            "fix": round(result.stats("fix_cost")[0], 1),
            "cost_must_drop": demo.cost_must_drop,
        },
        "seeds": len(result.outcomes),
        "verdict": result.verdict,
        "seconds": round(result.seconds, 2),
    }


def to_json(results: list[DemoResult]) -> str:
    return json.dumps([to_dict(r) for r in results], indent=2)


def _cell(side: dict[str, Any]) -> str:
    return f"{side['label']}: {side['mean']:.3f} ± {side['spread']:.3f}"


def _budget(budget: dict[str, Any]) -> str:
    return f"{budget['anti_pattern']:g} vs {budget['fix']:g} {budget['unit']}"


def table(results: list[DemoResult]) -> str:
    """A plain-text table, one row per demo, then how the verdict is decided."""
    rows = []
    for result in results:
        data = to_dict(result)
        rows.append((
            data["demo"], ",".join(data["codes"]), _cell(data["anti_pattern"]), _cell(data["fix"]),
            _budget(data["budget"]), str(data["seeds"]), data["verdict"], f"{data['seconds']:.1f}s",
        ))
    widths = [max(len(str(row[i])) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    lines = ["  ".join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip() for row in [COLUMNS, *rows]]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append("")
    lines.append(
        f"Results are mean ± standard deviation over seeds of the demo's metric (higher is better). "
        f"A verdict holds when the fix's mean is at least the anti-pattern's minus {ACCURACY_TOLERANCE} "
        f"(one standard error of a validation accuracy); for pruning the fix must also spend fewer epochs."
    )
    return "\n".join(lines)
