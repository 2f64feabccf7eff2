"""The three verdicts of a demonstration, decided from paired differences only.

Every seed trains both sides on the same data from the same initial weights, so
the comparison is paired: d_i = fix_i - anti_i. The tolerance is the half-width
of a 95% t-interval of the mean difference, never below ``MIN_TOLERANCE``:

* the fix wins when the mean difference exceeds the tolerance, or when it is
  within the tolerance while the fix spends clearly less (``CLEARLY_CHEAPER``);
* the anti-pattern wins in the mirror cases;
* otherwise it is a tie.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

FIX_WINS = "fix wins"
TIE = "tie"
ANTI_WINS = "anti-pattern wins"
VERDICTS = (FIX_WINS, TIE, ANTI_WINS)

# The smallest difference in validation accuracy a verdict may call a win: one
# percentage point (about 10 of the 1024 validation examples), fixed before the
# full run. In the 5-seed full run on the 2-core development machine the paired
# differences had standard deviations of 0.005 (interactions), 0.007 (pruning),
# 0.010 (spacing) and 0.015 (strategy), and 0.04-0.07 where one side sometimes
# fails outright (budget, lr-first, range). Where the spread is that large the
# t-interval decides; the floor matters only where the seeds agree closely, and
# there one point is about one to two standard deviations of a paired difference:
# a smaller lead is not told apart from seed noise, and is too small to act on.
MIN_TOLERANCE = 0.01

# "Clearly lower cost": the cheaper side spends at most this share of the other's
# budget (mean over seeds) and less on every seed.
CLEARLY_CHEAPER = 0.8

# two-sided 95% quantiles of Student's t, by degrees of freedom (1..30); 1.96 beyond
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)


def t95(dof: int) -> float:
    """The 97.5% quantile of Student's t with ``dof`` degrees of freedom."""
    return _T95[dof - 1] if 1 <= dof <= len(_T95) else 1.96


@dataclass(frozen=True)
class Verdict:
    """A verdict with the numbers it was decided from."""

    outcome: str  # one of VERDICTS
    differences: tuple[float, ...]  # fix - anti, per seed
    mean: float
    spread: float  # standard deviation of the paired differences
    tolerance: float
    cost_ratio: float  # mean fix cost / mean anti cost
    reason: str
    by_cost: bool = False  # decided by the budget, the metric being within the tolerance

    @property
    def label(self) -> str:
        """The verdict as the table prints it: with the budget share when the budget decided."""
        return f"{self.outcome} (fix at {self.cost_ratio:.0%} of the budget)" if self.by_cost else self.outcome


def _cheaper(costs: list[float], other: list[float]) -> bool:
    """``costs`` clearly below ``other``: lower on every seed and at most CLEARLY_CHEAPER of it on average."""
    return all(a < b for a, b in zip(costs, other)) and statistics.fmean(costs) <= CLEARLY_CHEAPER * statistics.fmean(other)


def decide(
    anti: list[float], fix: list[float], anti_cost: list[float], fix_cost: list[float], compare_cost: bool = True
) -> Verdict:
    """The verdict on paired per-seed results (higher is better); costs enter only when ``compare_cost``."""
    if not anti or len(anti) != len(fix):
        raise ValueError("a verdict needs one anti-pattern and one fix result per seed")
    differences = tuple(f - a for a, f in zip(anti, fix))
    n = len(differences)
    mean = statistics.fmean(differences)
    spread = statistics.stdev(differences) if n > 1 else 0.0
    tolerance = max(MIN_TOLERANCE, t95(n - 1) * spread / math.sqrt(n)) if n > 1 else MIN_TOLERANCE
    anti_mean, fix_mean = statistics.fmean(anti_cost), statistics.fmean(fix_cost)
    ratio = fix_mean / anti_mean if anti_mean > 0 else math.inf
    within = f"{mean:+.3f} within ±{tolerance:.3f}"
    by_cost = False
    if mean > tolerance:
        outcome, reason = FIX_WINS, f"fix ahead by {mean:.3f} > {tolerance:.3f}"
    elif mean < -tolerance:
        outcome, reason = ANTI_WINS, f"anti-pattern ahead by {-mean:.3f} > {tolerance:.3f}"
    elif compare_cost and _cheaper(fix_cost, anti_cost):
        outcome, reason, by_cost = FIX_WINS, f"{within}, fix spends {ratio:.0%} of the budget", True
    elif compare_cost and _cheaper(anti_cost, fix_cost):
        outcome, reason, by_cost = ANTI_WINS, f"{within}, fix spends {ratio:.0%} of the budget", True
    else:
        outcome, reason = TIE, within
    return Verdict(outcome, differences, mean, spread, tolerance, ratio, reason, by_cost)
