"""What pruning can save in one study, said only with the numbers its code shows.

A pruner stops nothing before its warm-up: Optuna's ``MedianPruner`` (the
default pruner) and ``PercentilePruner`` let the first ``n_startup_trials``
trials (default 5) run to the end. With ``n_trials=6`` only the sixth trial
can be stopped, with ``n_trials=5`` none. How many epochs the later trials
save depends on how many are worse than the median; ``hplint verify HPL301``
measures it on a demonstration, so the messages state the mechanism and the
study's own numbers, never a share of epochs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Set, Tuple

from hplint.reading.calls import arg_value, has_star_args, method_name, receiver
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import number
from hplint.reading.objectives import FileObjectives

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
    from hplint.rules.pruning.facts import FileFacts
else:
    from hplint.core.lazy_libcst import cst

STARTUP_PRUNERS = {"MedianPruner": 5, "PercentilePruner": 5}
MEASURED = "`hplint verify HPL301` measures the epochs saved on a demonstration"


@dataclass(frozen=True)
class Warmup:
    """A pruner's name and how many complete trials it waits for (None: not visible)."""

    pruner: str
    startup: Optional[int]
    default: bool = False


def pruner_warmup(ctx: RuleContext, facts: FileFacts, study: Optional[cst.Call]) -> Optional[Warmup]:
    """The warm-up of ``study``'s pruner: the default MedianPruner when none is passed."""
    if study is None or has_star_args(study):
        return None
    value = facts.resolve(arg_value(study, None, "pruner"))
    if value is None:
        return Warmup("Optuna's default MedianPruner", STARTUP_PRUNERS["MedianPruner"])
    if not isinstance(value, cst.Call) or has_star_args(value):
        return None
    name = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
    if name not in STARTUP_PRUNERS:
        return None
    given = arg_value(value, None, "n_startup_trials")
    if given is None:
        return Warmup(name, STARTUP_PRUNERS[name], True)
    startup = number(facts.resolve(given) or given, ctx.imports)
    return Warmup(name, int(startup) if startup is not None else None)


def trial_budgets(ctx: RuleContext, facts: FileFacts, func: Optional[cst.FunctionDef] = None, study_var: Optional[str] = None) -> Set[Optional[int]]:
    """``n_trials`` of the ``optimize`` calls that run ``func`` (or run on ``study_var``); None: not visible."""
    found: Set[Optional[int]] = set()
    for run in ctx.facts(FileObjectives).runs:
        if func is not None and run.func is not func:
            continue
        if study_var is not None:
            recv = receiver(run.call)
            if not (isinstance(recv, cst.Name) and recv.value == study_var):
                continue
        given = arg_value(run.call, 1, "n_trials")
        value = number(facts.resolve(given) or given, ctx.imports) if given is not None else None
        found.add(int(value) if value is not None else None)
    return found


def savings_for(ctx: RuleContext, facts: FileFacts, func: Optional[cst.FunctionDef]) -> str:
    """The savings clause for an objective: the budget and pruner warm-up of the
    studies that run it, where every ``optimize`` call running it agrees on them."""
    agreed = _agreed(ctx, facts, func)
    return savings(*agreed) if agreed is not None else savings(None, None)


def prunes_nothing(ctx: RuleContext, facts: FileFacts, func: Optional[cst.FunctionDef]) -> bool:
    """Every study running ``func`` has a budget no larger than its pruner's warm-up
    (``n_trials=5`` with the default MedianPruner): reporting would let it prune no trial."""
    agreed = _agreed(ctx, facts, func)
    if agreed is None:
        return False
    warmup, budget = agreed
    return warmup is not None and warmup.startup is not None and warmup.startup > 0 and budget is not None and budget <= warmup.startup


def _agreed(ctx: RuleContext, facts: FileFacts, func: Optional[cst.FunctionDef]) -> Optional[Tuple[Optional[Warmup], Optional[int]]]:
    """(pruner warm-up, n_trials) shared by every ``optimize`` call running ``func``; None if they differ."""
    if func is None:
        return None
    seen = set()
    for run in ctx.facts(FileObjectives).runs:
        if run.func is not func:
            continue
        study = _study_of(facts, run.call)
        given = arg_value(run.call, 1, "n_trials")
        value = number(facts.resolve(given) or given, ctx.imports) if given is not None else None
        seen.add((pruner_warmup(ctx, facts, study), int(value) if value is not None else None))
    if len(seen) != 1:
        return None
    return seen.pop()


def _study_of(facts: FileFacts, optimize: cst.Call) -> Optional[cst.Call]:
    """The ``create_study`` call an ``optimize`` call runs on: its receiver, or the one a name holds."""
    study = receiver(optimize)
    if isinstance(study, cst.Call) and method_name(study) == "create_study":
        return study
    if isinstance(study, cst.Name):
        return facts.create_studies.get(study.value)
    return None


def savings(warmup: Optional[Warmup], n_trials: Optional[int]) -> str:
    """Once trials report, what the pruner can stop, from the pruner's warm-up and the trial budget."""
    if warmup is None or warmup.startup is None:
        return f"how many trials the pruner can stop depends on its warm-up and the trial budget, not visible here ({MEASURED})"
    s = warmup.startup
    said = f"n_startup_trials={s}{' by default' if warmup.default else ''}"
    if s <= 0:
        budget = f"any of the n_trials={n_trials}" if n_trials is not None else "any trial"
        return f"{warmup.pruner} ({said}) has no warm-up trials, so {budget} can stop early once an earlier trial has reported, when worse than the median at the same step ({MEASURED})"
    if n_trials is not None and n_trials <= s:
        return (
            f"but with n_trials={n_trials}, {warmup.pruner} ({said}) would prune no trial: every trial is a "
            f"warm-up trial; pruning pays only with more than {s} trials"
        )
    if n_trials is not None:
        which = f"only trial {n_trials}" if n_trials == s + 1 else f"trials {s + 1}-{n_trials}"
        return (
            f"{warmup.pruner} ({said}) lets the first {s} trials run to the end, so of n_trials={n_trials}, "
            f"{which} can stop early, when worse than the median at the same step ({MEASURED})"
        )
    return (
        f"{warmup.pruner} ({said}) lets the first {s} trials run to the end and stops a later trial when it is "
        f"worse than the median at the same step ({MEASURED})"
    )
