"""HPL601: the best trials sit at the edge of a parameter's range."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Iterator, List, Optional, Tuple

from hplint.core.registry import register_check
from hplint.core.rule import Example, Option
from hplint.reading.ranges import spans_decades
from hplint.study.check import Finding, ResultCheck, Scatter, StudyData, num, pct
from hplint.study.space import numeric_distribution, position


@register_check
class BestAtRangeEdge(ResultCheck):
    code = "HPL601"
    name = "best-at-range-edge"
    summary = "The best trials of a finished study lie at the edge of a parameter's range"
    why = (
        "If the best trial, and most of the best 10% of trials, sit within 5% of a bound of the "
        "range searched, the optimum probably lies beyond that bound: the search was too narrow "
        "(Google's Deep Learning Tuning Playbook: \"a search space is suspicious if the best point "
        "sampled from it is close to its boundary\"). Code alone cannot tell (HPL204 is opt-in for "
        "that reason); the study's results can. Distances are measured on the log scale for a log "
        "distribution (`log=True`), so 0.09 in 1e-5..0.1 is near the top. "
        "The message names the bound, the best trial's value and objective, how many of the top "
        "trials agree, and a wider range: one decade past the bound on a log scale, half the "
        "range's width on a linear one. A log-scale name sampled linearly over decades (HPL602) is "
        "judged on the log scale too. "
        "Not reported: categorical parameters, a lower bound of 0 on a linear scale and an upper "
        "bound of 1 for a range within 0..1 (natural limits a range cannot cross), a lower bound "
        "of 1 or less for an integer, multi-objective studies, and studies with fewer complete "
        "trials than `edge-min-trials`."
    )
    options = (
        Option("edge-margin", float, 0.05, "HPL601: how close to a bound counts as at the edge, as a share of the range.",
               minimum=0, maximum=0.5, above=True),
        Option("edge-top-share", float, 0.10, "HPL601: the share of best trials that must mostly agree with the best one.",
               minimum=0, maximum=1, above=True),
        Option("edge-min-trials", int, 20, "HPL601: fewest complete trials before the edge is judged.", minimum=2),
    )
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-2, log=True)
                return validation_loss(lr)  # best near lr=0.05, above the range
            """,
            note="hplint study: HPL601 best trial #41 has lr=0.00981, within 5% of the upper bound 0.01 "
            "of 1e-05..0.01 (log scale), as 8 of the 10 best trials (80%) do; ... search 1e-05..0.1.",
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return validation_loss(lr)  # best near lr=3e-3, inside the range
            """
        ),
    )

    def check(self, study: StudyData) -> Iterator[Finding]:
        if not study.single_objective or len(study.complete) < self.option("edge-min-trials"):
            return
        best = study.ranked[0]
        top_count = max(2, math.ceil(self.option("edge-top-share") * len(study.complete)))
        for name in sorted(best.params):
            found = self._edge(study, best, name, top_count)
            if found is not None:
                yield found

    def _edge(self, study: StudyData, best: Any, name: str, top_count: int) -> Optional[Finding]:
        dist = numeric_distribution(best.distributions.get(name))
        if dist is None:
            return None
        implied = not dist.log and spans_decades(dist.low, dist.high) and self.vocabulary.is_log_scale(name, tuning_context=True)
        if implied:  # a learning rate sampled linearly (HPL602): its edge is judged where it matters, on the log scale
            dist = replace(dist, log=True)
        margin = self.option("edge-margin")
        spot = position(dist, best.params[name])
        side = "upper" if spot >= 1 - margin else "lower" if spot <= margin else None
        if side is None or _natural_limit(dist, side):
            return None
        top = [t for t in study.ranked[:top_count] if name in t.params and t.distributions.get(name) == best.distributions[name]]
        near = [t for t in top if _on_side(position(dist, t.params[name]), side, margin)]
        if 2 * len(near) <= len(top):
            return None
        bound = dist.high if side == "upper" else dist.low
        low, high = _wider(dist, side)
        scale = "log scale, as its name implies" if implied else "log scale" if dist.log else "linear scale"
        goal = "maximize" if study.maximize else "minimize"
        message = (
            f"best trial #{best.number} has {name}={num(best.params[name])}, within {pct(margin, 1)} of the {side} bound "
            f"{num(bound)} of {num(dist.low)}..{num(dist.high)} ({scale}), as {len(near)} of the {len(top)} best trials "
            f"({pct(len(near), len(top))}) do; best value {num(best.values[0])} ({goal}). The optimum probably lies "
            f"beyond the bound: search {num(low)}..{num(high)}"
        )
        return self.finding(study, message, name, _scatter(study, name, dist, top, message))


def _on_side(spot: float, side: str, margin: float) -> bool:
    return spot >= 1 - margin if side == "upper" else spot <= margin


def _natural_limit(dist: Any, side: str) -> bool:
    """A bound no range can cross: 0 from above on a linear scale, 1 for a share,
    an integer count's floor."""
    if dist.log:
        return False
    if side == "lower":
        return dist.low == 0 or (dist.is_int and dist.low <= 1)
    return dist.high == 1 and dist.low >= 0 and not dist.is_int


def _wider(dist: Any, side: str) -> Tuple[float, float]:
    """One decade past the bound on a log scale; half the width on a linear one."""
    low, high = dist.low, dist.high
    if dist.log:
        return (low, high * 10) if side == "upper" else (low / 10, high)
    extra = (high - low) / 2
    if dist.is_int:
        step = dist.step or 1
        extra = max(step, round(extra / step) * step)
        return (low, high + extra) if side == "upper" else (max(low - extra, 1), high)
    if side == "upper":
        return low, high + extra
    return (max(low - extra, 0.0) if low > 0 else low - extra), high


def _scatter(study: StudyData, name: str, dist: Any, top: List[Any], title: str) -> Scatter:
    trials = [t for t in study.complete if name in t.params]
    best_ids = {t.number for t in top}
    return Scatter(
        param=name,
        xs=tuple(float(t.params[name]) for t in trials),
        ys=tuple(float(t.values[0]) for t in trials),
        low=float(dist.low),
        high=float(dist.high),
        log=dist.log,
        best=tuple(i for i, t in enumerate(trials) if t.number in best_ids),
        title=f"{study.name}: {name} (best {len(top)} trials highlighted)",
    )
