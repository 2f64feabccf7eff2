"""HPL302: intermediate values reported, but the pruner's decision never asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.structure import Objectives
from hplint.prefilter.triggers import Calls
from hplint.reading.calls import arg_value, method_name, receiver
from hplint.reading.numbers import number
from hplint.rules.pruning.facts import (
    BUDGET_NUMBERS,
    FAMILY,
    MEDIAN_PRUNER_HOW,
    FileFacts,
    _PruningRule,
    block_indent,
    calls_in,
    calls_on,
    mentions_prune_calls,
    prune_check_lines,
    walk,
)
from hplint.rules.pruning.savings import prunes_nothing, savings_for

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


@register
class ReportsButNeverPrunes(_PruningRule):
    code = "HPL302"
    name = "reports-but-never-prunes"
    family = FAMILY
    summary = "trial.report() without trial.should_prune(): the pruner's decision is never asked for"
    why = (
        "`trial.report()` only records a value; Optuna never stops a trial by itself. The "
        "objective has to ask `trial.should_prune()` and raise `optuna.TrialPruned` — without "
        "that check the study's pruner (MedianPruner by default) is consulted by nobody and "
        "every trial trains to the end. " + MEDIAN_PRUNER_HOW + BUDGET_NUMBERS +
        "Not reported: a study whose `n_trials` is no larger than its pruner's warm-up (pruning "
        "would stop no trial), studies with a GridSampler (an ablation over fixed configurations that "
        "must all finish, where reporting only draws learning curves), multi-objective studies, "
        "and objectives where `should_prune()` is asked in the same function, an enclosing or "
        "nested one, or a function that calls it."
    )
    fix_description = (
        "Inserts `if trial.should_prune(): raise optuna.TrialPruned()` right after the "
        "`trial.report(...)` statement (adding `import optuna` if needed). Unsafe: it changes "
        "control flow and lets the pruner stop trials."
    )
    fix_safety = Safety.UNSAFE
    demonstration = "pruning"
    # a report is an objective that calls ``<trial>.report(...)`` in its own body
    trigger = Objectives(Calls("report", method=True))
    bad_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                model = build(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                for epoch in range(50):
                    train_one_epoch(model)
                    acc = evaluate(model)
                    trial.report(acc, epoch)
                return acc

            optuna.create_study(direction="maximize").optimize(objective, n_trials=100)
            """,
            fixed="""
            import optuna

            def objective(trial):
                model = build(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                for epoch in range(50):
                    train_one_epoch(model)
                    acc = evaluate(model)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc

            optuna.create_study(direction="maximize").optimize(objective, n_trials=100)
            """,
        ),
    )
    good_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                config = trial.suggest_categorical("config", ["a", "b", "c"])
                for epoch in range(50):
                    acc = train_and_eval(config)
                    trial.report(acc, epoch)  # learning curves for the dashboard
                return acc

            sampler = optuna.samplers.GridSampler({"config": ["a", "b", "c"]})
            optuna.create_study(sampler=sampler).optimize(objective)
            """,
            note="A GridSampler ablation runs every configuration to the end on purpose.",
        ),
    )

    def check(self, facts: FileFacts) -> None:
        for objective in facts.objectives:
            if facts.excused(objective.func) or _nop_pruned(objective.func, facts) or prunes_nothing(self.ctx, facts, objective.func):
                continue
            if self._asks_elsewhere(objective.func, facts):
                continue
            for call in calls_on(objective.func, objective.trial_names, "report"):
                if self._owner(call, objective.func) and not self._single_point(call, objective.func):
                    self._report(call, savings_for(self.ctx, facts, objective.func))

    def _single_point(self, call: cst.Call, func: cst.FunctionDef) -> bool:
        """One report at a constant step outside any loop (``trial.report(score, step=0)``).

        The trial has already run to the end when it reports its only value, so a
        pruning check there would save nothing.
        """
        step = arg_value(call, 1, "step")
        if step is None or number(step, self.ctx.imports) is None:
            return False
        for node in self.ctx.ancestors(call):
            if node is func:
                return True
            if isinstance(node, (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
                return False
        return True

    def _owner(self, call: cst.Call, func: cst.FunctionDef) -> bool:
        """Report each call once: in the innermost objective containing it."""
        for node in walk(func.body, into_defs=False):
            if node is call:
                return True
        return False

    def _asks_elsewhere(self, func: cst.FunctionDef, facts: FileFacts) -> bool:
        """should_prune() in this function, an enclosing or nested one, or a caller."""
        if mentions_prune_calls(func):
            return True
        for node in self._enclosing(func):
            if mentions_prune_calls(node):
                return True
        name = func.name.value
        for defs in facts.functions.values():
            for other in defs:
                if other is func:
                    continue
                called = any(method_name(c) == name for c in calls_in(other))
                if called and mentions_prune_calls(other):
                    return True
        return False

    def _enclosing(self, func: cst.FunctionDef) -> Iterator[cst.FunctionDef]:
        for node in self.ctx.ancestors(func):
            if isinstance(node, cst.FunctionDef):
                yield node

    def _report(self, call: cst.Call, savings: str) -> None:
        trial = receiver(call).value  # type: ignore[union-attr]
        message = (
            f"`{trial}.report()` records intermediate values but `{trial}.should_prune()` is never asked, "
            f"so the pruner can stop no trial and every trial trains to the end; add "
            f"`if {trial}.should_prune(): raise optuna.TrialPruned()` after the report — {savings}"
        )
        self.report(call, message, self._fix(call, trial))

    def _fix(self, call: cst.Call, trial: str):
        stmt = self.ctx.parent(call)
        line = self.ctx.parent(stmt) if isinstance(stmt, cst.Expr) else None
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        if not isinstance(self.ctx.parent(line), cst.IndentedBlock):
            return None
        block = self.ctx.parent(line)
        check, import_edit = prune_check_lines(self.ctx, trial, block_indent(self.ctx, block), line)  # type: ignore[arg-type]
        return self.ctx.fix(Safety.UNSAFE, [self.ctx.insert_lines_after(line, check), import_edit], "ask should_prune")


def _nop_pruned(func: cst.FunctionDef, facts: FileFacts) -> bool:
    """The study running ``func`` has NopPruner: HPL304 reports it there."""
    studies = [s for s in facts.studies_of(func) if s is not None]
    return any(facts.study_keyword_call(s, "pruner") == "NopPruner" for s in studies)
