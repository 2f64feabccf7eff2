"""HPL202: an Optuna float searched on a linear scale for a log-scale name.

``trial.suggest_float("lr", 1e-5, 1e-1)`` without ``log=True``, and optuna's
(or pycaret's) Float/UniformDistribution in an OptunaSearchCV space.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hplint.core.codegen import set_keyword
from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.triggers import Calls, Imports, all_of, any_of, bounds
from hplint.reading.calls import arg, arg_value, has_star_args, method_name
from hplint.reading.ranges import linear_log_scale, wastes_linear
from hplint.reading.vocabulary import DEFAULT_VOCABULARY
from hplint.rules.search_space.facts import (
    FAMILY,
    LOG_SCALE_NAMES,
    _log_scale_name,
    _TrialRule,
    num_arg,
    star_imported,
    unambiguous_lr_or_decay,
)
from hplint.rules.search_space.wording import ZERO_BOUND_POLICY, decades_text, short_code, uniform_waste

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


def _not_log(site) -> bool:
    """No ``log=`` at all: ``log=False`` (or a variable) is a deliberate choice."""
    return site.arg(None, "log") is None


def _bounds_not_visible(site) -> bool:
    """``linear_suggest_finding``'s other case: both bounds given, one not a
    constant, for an unambiguous learning-rate or weight-decay label."""
    low, high = site.arg(1, "low"), site.arg(2, "high")
    if low is None or high is None or (site.number(1, "low") is not None and site.number(2, "high") is not None):
        return False
    label = site.string(0, "name")
    return label is not None and unambiguous_lr_or_decay(DEFAULT_VOCABULARY, label)


def _span(low: float, high: float) -> str:
    return f"over {decades_text(low, high)}" if low > 0 else "from 0"


def _label_log_scale(site):
    label = site.string(0, "name")
    return label is not None and _log_scale_name(label)


@register
class LinearSuggestLogScale(_TrialRule):
    code = "HPL202"
    name = "optuna-linear-log-scale"
    family = FAMILY
    summary = "Optuna suggest_float/suggest_uniform without log=True for a log-scale hyperparameter"
    why = (
        "`trial.suggest_float(\"lr\", 1e-5, 1e-1)` samples uniformly on a linear scale: 90% of "
        "trials land in the top decade 1e-2..1e-1 and only 0.09% in 1e-5..1e-4, so over four "
        "decades the three lower ones share 10% of the budget. With `log=True` each decade gets 25%. "
        "The same holds for `FloatDistribution(1e-8, 3e-5)` in an OptunaSearchCV space. "
        + ZERO_BOUND_POLICY
        + "An explicit `log=False` (or `log=<variable>`) is a deliberate choice and stays silent. "
        "Bounds held by names of the file assigned once (`LR_MIN`, `LR_RANGE[0]` of a tuple constant) are read "
        "as those constants. Bounds that are not constants here (`suggest_float(\"lr\", cfg.lr_min, cfg.lr_max)`) are "
        "reported, without numbers and without a fix, for an unambiguous learning-rate or "
        "weight-decay name only (not when both are the same expression: one value recorded, no range). An ambiguous name (`alpha`, `C`, `gamma`) counts as log-scale "
        "unless the class its value is passed to reads it otherwise (a `RationalQuadratic` "
        "kernel's `alpha`, a quantile `alpha`, XGBoost's `gamma`, also in a dict of XGBoost's own keys such as `eta` or "
        "`min_child_weight`)."
    )
    fix_description = (
        "Adds `log=True`; `suggest_uniform(n, a, b)` becomes `suggest_float(n, a, b, log=True)`; "
        "`FloatDistribution(a, b)` gets `log=True`. No fix when `step=` is given (Optuna forbids "
        "step with log) or the lower bound is <= 0 (log needs a positive lower bound)."
    )
    fix_safety = Safety.SAFE
    methods = ("suggest_float", "suggest_uniform")

    demonstration = "spacing"
    # a report is a suggest_float/suggest_uniform call with a log-scale label
    # and bounds a linear scale wastes, or an optuna/pycaret Float- or
    # UniformDistribution over more than a decade for a log-scale name
    trigger = Calls(
        "suggest_float", "suggest_uniform", method=True,
        where=all_of(
            lambda site: not site.has_star_args, _not_log, _label_log_scale,
            any_of(bounds((1, ("low",)), (2, ("high",)), linear_log_scale), _bounds_not_visible),
        ),
    ) | (
        Calls(
            suffixes=("FloatDistribution", "UniformDistribution"),
            where=all_of(
                _not_log,
                any_of(
                    bounds((0, ("low",)), (1, ("high",)), linear_log_scale),
                    bounds((0, ("lower",)), (1, ("upper",)), linear_log_scale),
                ),
            ),
        )
        & Imports("optuna", "pycaret")
        & LOG_SCALE_NAMES
    )
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1)
                return train(lr)
            """,
            fixed="""
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return train(lr)
            """,
        ),
        Example(
            """
            def objective(trial):
                wd = trial.suggest_uniform("weight_decay", 1e-6, 1e-2)
                return train(wd)
            """,
            fixed="""
            def objective(trial):
                wd = trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True)
                return train(wd)
            """,
        ),
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("learning_rate", 1e-4, 5e-3, step=5e-5)
                return train(lr)
            """,
            note="Reported without a fix: Optuna does not accept step= together with log=True.",
        ),
    )
    sweep_examples = (
        Example(
            """
            # @package _global_
            hydra:
              sweeper:
                params:
                  model.optimizer.lr: interval(0.0001, 0.1)
            """,
            fixed="""
            # @package _global_
            hydra:
              sweeper:
                params:
                  model.optimizer.lr: tag(log, interval(0.0001, 0.1))
            """,
            note="Hydra's Optuna sweeper turns `interval(a, b)` into a float distribution without log.",
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                lr_fine = trial.suggest_float("lr", 1e-5, 1e-4, step=1e-6)  # one decade
                return train(lr, dropout, lr_fine)
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        qual = self.qualify(node.func) or star_imported(self.ctx, node.func) or ""
        if qual.split(".")[0] in ("optuna", "pycaret") and qual.endswith(("FloatDistribution", ".UniformDistribution")):
            self._distribution(node, qual)

    def check_suggest(self, call: cst.Call) -> None:
        found = self.linear_suggest(call)
        if found is None:
            return
        name, low, high = found.name, found.low, found.high
        method = method_name(call)
        head = f"{short_code(self.ctx, call)} samples `{name}` uniformly"
        deprecated = " (suggest_uniform is deprecated: use suggest_float(..., log=True))" if method == "suggest_uniform" else ""
        if not found.visible:
            self.report(
                call,
                f"{head} on a linear scale between bounds that are not visible here: if they span more "
                f"than a decade, most trials land in the top one; add log=True (with a positive lower bound){deprecated}",
            )
            return
        assert low is not None and high is not None
        fix = None
        if found.stepped:
            advice = "Optuna does not allow step= with log=True: drop step= and add log=True"
        elif low <= 0:
            advice = "log=True needs a positive lower bound: start at a small value (e.g. 1e-6 or 1e-8) and add log=True"
        else:
            advice = "add log=True so every decade gets the same share of trials"
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, self._with_log(call))], "add log=True")
        if not found.stepped:
            advice += deprecated
        span = f" over {decades_text(low, high)}" if low > 0 else " from 0"
        self.report(call, f"{head}{span}: {uniform_waste(low, high, name)}; {advice}", fix)

    @staticmethod
    def _with_log(call: cst.Call) -> cst.Call:
        if method_name(call) == "suggest_uniform" and isinstance(call.func, cst.Attribute):
            call = call.with_changes(func=call.func.with_changes(attr=cst.Name("suggest_float")))
        return set_keyword(call, "log", "True")

    def _distribution(self, call: cst.Call, qual: str) -> None:
        """``{"l2_leaf_reg": FloatDistribution(1e-8, 3e-5)}`` in an OptunaSearchCV space."""
        if has_star_args(call) or arg_value(call, None, "log") is not None:
            return
        pycaret = qual.startswith("pycaret")
        low = num_arg(call, 0, "lower" if pycaret else "low", self.ctx)
        high = num_arg(call, 1, "upper" if pycaret else "high", self.ctx)
        if not linear_log_scale(low, high):
            return
        binding = self.binding_of(call)
        name = None if binding is None else self.tuned_name(binding, {}, api=True)
        if name is None or not wastes_linear(low, high, self.ctx.vocabulary.zero_is_no_setting(name)):
            return
        assert low is not None and high is not None
        fix = None
        extra_positional = arg(call, 2, None) is not None
        if arg(call, None, "step") is None and not extra_positional and 0 < low < high:
            new_call, edits = call, []
            if qual.startswith("optuna") and qual.endswith(".UniformDistribution"):
                # optuna's UniformDistribution has no log=: FloatDistribution does
                if isinstance(call.func, cst.Attribute):
                    new_call = call.with_changes(func=call.func.with_changes(attr=cst.Name("FloatDistribution")))
                else:
                    local, import_edit = self.ctx.spell("optuna.distributions.FloatDistribution", call)
                    new_call, edits = call.with_changes(func=cst.parse_expression(local)), [import_edit]
            edits.append(self.ctx.replace(call, set_keyword(new_call, "log", "True")))
            fix = self.ctx.fix(Safety.SAFE, edits, "add log=True")
        self.report(
            call,
            f"{short_code(self.ctx, call)} for `{name}` samples uniformly {_span(low, high)}: "
            f"{uniform_waste(low, high, name)}; " + ("add log=True" if low > 0 else "log=True needs a positive lower bound: start at a small value and add log=True"),
            fix,
        )
