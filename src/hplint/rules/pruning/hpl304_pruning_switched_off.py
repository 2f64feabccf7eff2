"""HPL304: values reported, but the pruner or scheduler that would act on them is off."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from hplint.core.registry import register
from hplint.core.rule import Example, Option
from hplint.prefilter.triggers import Calls, Imports, Words
from hplint.reading.calls import arg_value, callable_names, has_star_args
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import number
from hplint.reading.objectives import FileObjectives
from hplint.rules.pruning.facts import (
    BUDGET_NUMBERS,
    FAMILY,
    MEDIAN_PRUNER_HOW,
    FileFacts,
    _PruningRule,
    calls_in,
    calls_on,
    walk,
)
from hplint.rules.pruning.savings import MEASURED, Warmup, savings, trial_budgets

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

RAY_REPORTS = frozenset({
    "ray.tune.report", "ray.train.report", "ray.air.session.report", "ray.train.session.report",
    "ray.tune.session.report", "ray.tune.tune.report",
})


@register
class PruningSwitchedOff(_PruningRule):
    code = "HPL304"
    name = "pruning-switched-off"
    family = FAMILY
    summary = "Intermediate results reported, but the pruner/scheduler that would use them is off"
    why = (
        "Reporting every epoch costs nothing only if something acts on the numbers. An Optuna "
        "study created with `pruner=optuna.pruners.NopPruner()` ignores every `trial.report()`; "
        "a Ray Tune search without a scheduler uses FIFO, which never stops a trial, so each "
        "of `num_samples` trials trains to its last epoch. " + MEDIAN_PRUNER_HOW +
        "ASHA (`ASHAScheduler(grace_period=..., reduction_factor=3)`) keeps the best third of "
        "the trials at each rung (1, 3, 9, ... epochs), so most trials stop after a few epochs. "
        + BUDGET_NUMBERS +
        "Reported for Ray Tune when the trainable defined in the file reports inside a loop and "
        "`num_samples` is at least the `tune-min-samples` option (default 10). Not reported: a "
        "pruner chosen among several (`pruner = ...` in each branch of a command-line choice)."
    )
    options = (
        Option("tune-min-samples", int, 10,
               "HPL304: smallest Ray Tune num_samples for which a missing scheduler is reported", minimum=1),
    )
    demonstration = "pruning"
    # a report is a reporting objective with a study on a NopPruner, or a Ray
    # Tune run over num_samples without a scheduler
    trigger = Calls("report") & (
        (Calls("create_study") & Words("NopPruner"))
        | (Calls("run", "Tuner") & Words("num_samples") & Imports("ray"))
    )
    bad_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                for epoch in range(100):
                    acc = train_and_eval(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc

            study = optuna.create_study(pruner=optuna.pruners.NopPruner())
            study.optimize(objective, n_trials=100)
            """
        ),
        Example(
            """
            from ray import tune

            def trainable(config):
                for epoch in range(100):
                    acc = train_one_epoch(config)
                    tune.report({"acc": acc})

            tune.run(trainable, config={"lr": tune.loguniform(1e-5, 1e-1)}, num_samples=50)
            """
        ),
    )
    good_examples = (
        Example(
            """
            from ray import tune
            from ray.tune.schedulers import ASHAScheduler

            def trainable(config):
                for epoch in range(100):
                    acc = train_one_epoch(config)
                    tune.report({"acc": acc})

            tune.run(trainable, num_samples=50, scheduler=ASHAScheduler(metric="acc", mode="max"))
            """
        ),
    )

    def check(self, facts: FileFacts) -> None:
        self._check_optuna(facts)
        self._check_ray(facts)

    # -- Optuna ----------------------------------------------------------
    def _check_optuna(self, facts: FileFacts) -> None:
        reporting = [o for o in facts.objectives if calls_on(o.func, o.trial_names, "report")]
        if not reporting:
            return
        for study in facts.all_studies():
            if facts.study_keyword_call(study, "pruner") != "NopPruner" or facts.is_grid(study):
                continue
            if facts.is_multi_objective(study):
                continue
            value = arg_value(study, None, "pruner")
            budgets = self._budgets(study, facts)
            budget = budgets.pop() if len(budgets) == 1 else None
            self.report(
                value if value is not None else study,
                "the objective reports intermediate values but the study is created with "
                "NopPruner, which never stops a trial: every trial trains to the end; use "
                "optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=10) "
                f"(or HyperbandPruner) — {savings(Warmup('that MedianPruner', 5), budget)}",
            )

    def _budgets(self, study: cst.Call, facts: FileFacts):
        """``n_trials`` of the optimize calls on the study (a name bound to it, or the call itself)."""
        names = [name for name, call in facts.create_studies.items() if call is study]
        if len(names) == 1:
            return trial_budgets(self.ctx, facts, study_var=names[0])
        parent = self.ctx.parent(study)
        if isinstance(parent, cst.Attribute):
            grand = self.ctx.parent(parent)
            if isinstance(grand, cst.Call) and grand.func is parent:
                given = arg_value(grand, 1, "n_trials")
                value = number(given, self.ctx.imports) if given is not None else None
                return {int(value) if value is not None else None}
        return {None}

    # -- Ray Tune --------------------------------------------------------
    def _check_ray(self, facts: FileFacts) -> None:
        for call in calls_in(self.ctx.module):
            qualified = self.ctx.qualify(call.func) or ""
            if qualified in ("ray.tune.run", "ray.tune.Tuner", "ray.tune.tuner.Tuner"):
                self._check_tune_call(call, facts, qualified.endswith("Tuner"))

    def _check_tune_call(self, call: cst.Call, facts: FileFacts, is_tuner: bool) -> None:
        if has_star_args(call):
            return
        settings: Optional[cst.Call] = call
        if is_tuner:
            config = facts.resolve(arg_value(call, None, "tune_config"))
            settings = config if isinstance(config, cst.Call) and not has_star_args(config) else None
        if settings is None:
            return
        samples_expr = arg_value(settings, None, "num_samples")
        samples = None if samples_expr is None else number(facts.resolve(samples_expr) or samples_expr, self.ctx.imports)
        if samples is None or samples < self.option("tune-min-samples"):
            return
        scheduler = facts.resolve(arg_value(settings, None, "scheduler"))
        if scheduler is not None and not _is_fifo(scheduler):
            return
        trainable = self._trainable(call, facts)
        if trainable is None:
            return
        self.report(
            call,
            f"Ray Tune runs {int(samples)} samples of `{trainable.name.value}`, which reports inside its training loop, "
            f"with no early-stopping scheduler (FIFO): every sample trains to the end; pass "
            f"scheduler=ASHAScheduler(metric=..., mode=..., grace_period=1, reduction_factor=3) "
            "(ray.tune.schedulers; or HyperBandScheduler / MedianStoppingRule) — with reduction_factor=3 "
            f"ASHA lets about a third of the samples past each rung and stops the others there ({MEASURED})",
        )

    def _trainable(self, call: cst.Call, facts: FileFacts) -> Optional[cst.FunctionDef]:
        """The trainable function, if defined here and reporting inside a loop."""
        value = arg_value(call, 0, "trainable") or arg_value(call, None, "run_or_experiment")
        bindings = self.ctx.facts(FileObjectives).bindings
        for _ in range(4):  # tune.with_parameters(fn, ...), also through a name bound to it once
            if isinstance(value, cst.Name) and len(bindings.get(value.value, [])) == 1 and isinstance(bindings[value.value][0], cst.Call):
                value = bindings[value.value][0]
            if not (isinstance(value, cst.Call) and value.args):
                break
            value = value.args[0].value
        names = callable_names(value) if value is not None else []
        for name in names:
            for func in facts.functions.get(name, []):
                if self._reports_in_loop(func):
                    return func
        return None

    def _reports_in_loop(self, func: cst.FunctionDef) -> bool:
        for loop in walk(func.body, into_defs=False):
            if isinstance(loop, (cst.For, cst.While)):
                for c in calls_in(loop.body, into_defs=False):
                    if (self.ctx.qualify(c.func) or "") in RAY_REPORTS:
                        return True
        return False


def _is_fifo(scheduler: cst.BaseExpression) -> bool:
    if isinstance(scheduler, cst.Name) and scheduler.value == "None":
        return True
    if isinstance(scheduler, cst.Call):
        callee = dotted_name(scheduler.func) or ""
        return callee.rsplit(".", 1)[-1] == "FIFOScheduler"
    return False
