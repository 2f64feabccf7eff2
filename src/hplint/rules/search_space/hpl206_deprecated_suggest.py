"""HPL206: the Optuna suggest methods deprecated since Optuna 3.0.

``suggest_loguniform``, ``suggest_uniform`` and ``suggest_discrete_uniform``
are rewritten to the equivalent ``suggest_float`` call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from hplint.core.codegen import add_keyword
from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.triggers import Calls
from hplint.reading.calls import arg, has_star_args, method_name
from hplint.rules.search_space.facts import FAMILY, _TrialRule

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

DEPRECATED_SUGGEST = ("suggest_loguniform", "suggest_uniform", "suggest_discrete_uniform")


@register
class DeprecatedSuggestApi(_TrialRule):
    code = "HPL206"
    name = "deprecated-optuna-suggest"
    family = FAMILY
    summary = "Deprecated Optuna suggest API (suggest_loguniform/uniform/discrete_uniform)"
    why = (
        "`suggest_loguniform`, `suggest_uniform` and `suggest_discrete_uniform` are "
        "deprecated since Optuna 3.0 and are scheduled for removal in Optuna 6.0. "
        "`suggest_float` covers all three: `log=True` for the log-uniform one and "
        "`step=q` for the discrete one. A call to a removed API fails at the first "
        "trial, after the study's setup has already run."
    )
    fix_description = (
        "Rewrites the call to the equivalent `suggest_float(...)` form, keeping the name "
        "and bounds: `suggest_loguniform(n, a, b)` -> `suggest_float(n, a, b, log=True)`, "
        "`suggest_discrete_uniform(n, a, b, q)` -> `suggest_float(n, a, b, step=q)`. "
        "The sampled distribution is unchanged."
    )
    fix_safety = Safety.SAFE
    methods = DEPRECATED_SUGGEST

    # every report is a call to one of the deprecated methods
    trigger = Calls(*DEPRECATED_SUGGEST)
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)
                drop = trial.suggest_discrete_uniform("dropout", 0.0, 0.5, 0.1)
                return train(lr, drop)
            """,
            fixed="""
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                drop = trial.suggest_float("dropout", 0.0, 0.5, step=0.1)
                return train(lr, drop)
            """,
        ),
        Example(
            """
            def objective(trial):
                momentum = trial.suggest_uniform("momentum", 0.8, 0.99)
                return train(momentum)
            """,
            fixed="""
            def objective(trial):
                momentum = trial.suggest_float("momentum", 0.8, 0.99)
                return train(momentum)
            """,
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return train(lr)
            """
        ),
        Example(
            """
            import scipy.stats
            x = scipy.stats.uniform(0, 1)  # not an Optuna trial
            value = rng.suggest_uniform("a", 0, 1)  # rng is not a trial
            """,
            note="Only calls on an Optuna trial are checked.",
        ),
    )

    def check_suggest(self, call: cst.Call) -> None:
        method = method_name(call)
        if method == "suggest_uniform" and self._log_rule_wins(call):
            return  # HPL202 reports this call and rewrites it with log=True
        replacement = self._replacement(call, method)
        fix = None
        if replacement is not None:
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, replacement)], "use suggest_float")
        self.report(
            call,
            f"`{method}` is deprecated since Optuna 3.0 and scheduled for removal in 6.0; "
            f"use the equivalent `{self._target_form(method)}`",
            fix,
        )

    def _log_rule_wins(self, call: cst.Call) -> bool:
        """One finding per call: HPL202 reports the suggest_uniform calls it fixes
        (its fix writes suggest_float); the ones it reports without a fix keep
        this finding and its rename."""
        if "HPL202" not in self.ctx.config.enabled_codes(self.ctx.path):
            return False
        found = self.linear_suggest(call)
        return found is not None and found.fixable

    @staticmethod
    def _target_form(method: Optional[str]) -> str:
        return {
            "suggest_loguniform": "suggest_float(name, low, high, log=True)",
            "suggest_uniform": "suggest_float(name, low, high)",
            "suggest_discrete_uniform": "suggest_float(name, low, high, step=q)",
        }[method or "suggest_uniform"]

    def _replacement(self, call: cst.Call, method: Optional[str]) -> Optional[cst.Call]:
        if has_star_args(call) or not isinstance(call.func, cst.Attribute):
            return None
        new_func = call.func.with_changes(attr=cst.Name("suggest_float"))
        args = list(call.args)
        if method == "suggest_loguniform":
            if arg(call, None, "log") is not None:
                return None
            return add_keyword(call.with_changes(func=new_func), "log", "True")
        elif method == "suggest_discrete_uniform":
            q = arg(call, 3, "q")
            if q is None:
                return None
            index = args.index(q)
            args[index] = q.with_changes(keyword=cst.Name("step"), equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
        return call.with_changes(func=new_func, args=args)
