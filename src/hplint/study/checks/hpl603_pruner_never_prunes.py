"""HPL603: trials reported intermediate values, yet none was pruned."""

from __future__ import annotations

import statistics
from typing import Iterator

from hplint.core.registry import register_check
from hplint.core.rule import Example, Option
from hplint.study.check import Finding, ResultCheck, StudyData, num, plural


@register_check
class PrunerNeverPrunes(ResultCheck):
    code = "HPL603"
    name = "pruner-never-prunes"
    summary = "Many trials of a finished study reported intermediate values, and not one was pruned"
    why = (
        "HPL302–HPL304's reasoning, read from the results: trials that call `trial.report()` pay "
        "for the reports so that a pruner can stop the hopeless ones: Optuna's default MedianPruner "
        "stops a trial whose reported value is worse than the median of earlier trials at the same "
        "step, once 5 trials have finished (and past its warm-up steps). "
        "When `pruning-min-trials` (default 20) or more finished trials reported intermediate values "
        "and none was pruned, either `trial.should_prune()` is never asked, the trial is not "
        "stopped when it answers yes, the pruner is `NopPruner`, or its thresholds never fire: every "
        "trial ran to the end. The message counts the reporting trials and their reported steps. "
        "Optuna does not store which pruner a study used, so a pruner set up while no trial reports "
        "leaves no trace in the storage: that case is HPL301's, in the code."
    )
    options = (
        Option("pruning-min-trials", int, 20, "HPL603: fewest finished trials with reports before 'never pruned' is judged.",
               minimum=1),
    )
    bad_examples = (
        Example(
            """
            def objective(trial):
                for epoch in range(20):
                    acc = train_one_epoch(trial)
                    trial.report(acc, epoch)  # should_prune() never asked
                return acc
            """,
            note="hplint study: HPL603 0 of 40 finished trials that reported intermediate values were pruned; ...",
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                for epoch in range(20):
                    acc = train_one_epoch(trial)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc
            """
        ),
    )

    def check(self, study: StudyData) -> Iterator[Finding]:
        finished = [t for t in study.trials if t.state.name in ("COMPLETE", "PRUNED")]
        reporting = [t for t in finished if t.intermediate_values]
        if len(reporting) < self.option("pruning-min-trials"):
            return
        pruned = sum(1 for t in reporting if t.state.name == "PRUNED")
        if pruned:
            return
        steps = [len(t.intermediate_values) for t in reporting]
        yield self.finding(
            study,
            f"0 of {len(reporting)} finished trials that reported intermediate values were pruned "
            f"({plural(sum(steps), 'report')}, a median of {num(statistics.median(steps))} per trial): every trial ran "
            f"to the end. Ask trial.should_prune() after each report and raise optuna.TrialPruned() when it says "
            f"so, with a pruner that is not NopPruner",
        )
