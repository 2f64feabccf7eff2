"""HPL205: a log-scale API given real values where it takes exponents.

``np.logspace(1e-4, 1e-2, n)`` yields values near 1, and
``hp.loguniform("lr", 1e-5, 1e-1)`` samples e**1e-5..e**0.1.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.triggers import Calls, any_of, bounds
from hplint.reading.calls import arg, arg_value, has_star_args
from hplint.reading.numbers import number
from hplint.reading.ranges import real_value_exponents, real_values
from hplint.rules.search_space.edits import renamed_func, wrapped_arg
from hplint.rules.search_space.facts import FAMILY, HYPEROPT_EXP, LOGSPACE, _SpaceRule
from hplint.rules.search_space.wording import short_code

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


@register
class RealValuesInLogApi(_SpaceRule):
    code = "HPL205"
    name = "log-api-given-real-values"
    family = FAMILY
    summary = "Log-scale API given real values instead of exponents (np.logspace, hp.loguniform)"
    why = (
        "`np.logspace(a, b, n)` and `hp.loguniform(label, a, b)` take exponents, not values. "
        "np.logspace(1e-4, 1e-2, 6) yields 10**0.0001..10**0.01 = 1.0002..1.023, six nearly "
        "equal values around 1; hp.loguniform(\"lr\", 1e-5, 1e-1) samples e**1e-5..e**0.1 = "
        "1.00001..1.105, so every trial trains with a learning rate of about 1. The search "
        "runs, reports a best value, and never tried the intended range. Hyperopt bounds that "
        "are a positive fraction and a value up to 10 over a decade apart (`hp.loguniform(\"lr\", "
        "0.001, 3)`, e**0.001..e**3 = 1.001..20) read as values too: exponents are written "
        "negative (`math.log(1e-5)`) or whole."
    )
    fix_description = (
        "`np.logspace(1e-4, 1e-2, n)` -> `np.geomspace(1e-4, 1e-2, n)`; `torch.logspace(a, b, n)` -> "
        "`torch.logspace(math.log10(a), math.log10(b), n)`; `hp.loguniform(l, a, b)` -> "
        "`hp.loguniform(l, math.log(a), math.log(b))`."
    )
    fix_safety = Safety.SAFE

    demonstration = "spacing"
    # a report is a logspace or (q)loguniform call whose bounds read as real values
    trigger = Calls(
        "logspace",
        where=any_of(
            bounds((0, ("start",)), (1, ("stop",)), real_values),
            bounds((0, ("start",)), (1, ("end",)), real_values),
        ),
    ) | Calls("loguniform", "qloguniform", where=bounds((1, ("low",)), (2, ("high",)), real_value_exponents))
    bad_examples = (
        Example(
            """
            import numpy as np
            lrs = np.logspace(1e-4, 1e-2, 5)
            """,
            fixed="""
            import numpy as np
            lrs = np.geomspace(1e-4, 1e-2, 5)
            """,
        ),
        Example(
            """
            from hyperopt import hp
            space = {"lr": hp.loguniform("lr", 1e-5, 1e-1)}
            """,
            fixed="""
            import math

            from hyperopt import hp
            space = {"lr": hp.loguniform("lr", math.log(1e-5), math.log(1e-1))}
            """,
        ),
    )
    sweep_examples = (
        Example(
            """
            method: bayes
            parameters:
              learning_rate:
                distribution: log_uniform
                min: 0.00001
                max: 0.01
            """,
            fixed="""
            method: bayes
            parameters:
              learning_rate:
                distribution: log_uniform_values
                min: 0.00001
                max: 0.01
            """,
            note="W&B's log_uniform takes natural-log exponents (min: -11.5 is e**-11.5 = 1e-5); log_uniform_values takes the values.",
        ),
    )
    good_examples = (
        Example(
            """
            import math
            import numpy as np
            from hyperopt import hp
            lrs = np.logspace(-4, -2, 5)
            space = {"lr": hp.loguniform("lr", math.log(1e-5), math.log(1e-1)), "x": hp.loguniform("x", -8, 0)}
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.qualify(node.func) or ""
        if qual in LOGSPACE:
            self._logspace(node, qual)
        elif qual in HYPEROPT_EXP:
            self._hyperopt(node)

    def _logspace(self, call: cst.Call, qual: str) -> None:
        torch = qual.startswith("torch.")
        start_node, stop_node = arg_value(call, 0, "start"), arg_value(call, 1, "end" if torch else "stop")
        if start_node is None or stop_node is None:
            return
        start, stop = number(start_node, self.ctx.imports), number(stop_node, self.ctx.imports)
        if not real_values(start, stop) or arg(call, 4 if not torch else 3, "base") is not None:
            return  # with a base of its own, values near 1 are usually the point
        a, b = self.ctx.code_for(start_node).strip(), self.ctx.code_for(stop_node).strip()
        fix = None
        if not has_star_args(call):
            if torch:
                edits = wrapped_arg(self, start_node, "math.log10") + wrapped_arg(self, stop_node, "math.log10")
            else:
                edits = renamed_func(self, call, qual.rsplit(".", 1)[0] + ".geomspace")
            fix = self.ctx.fix(Safety.SAFE, edits, "use the values as values")
        use = f"torch.logspace(math.log10({a}), math.log10({b}), ...)" if torch else f"geomspace({a}, {b}, ...)"
        self.report(
            call,
            f"{short_code(self.ctx, call)} takes exponents: it yields 10**{a}..10**{b} = "
            f"{10 ** start:.6g}..{10 ** stop:.6g}, not {a}..{b}; use {use}",
            fix,
        )

    def _hyperopt(self, call: cst.Call) -> None:
        low_node, high_node = arg_value(call, 1, "low"), arg_value(call, 2, "high")
        if low_node is None or high_node is None:
            return
        low, high = number(low_node, self.ctx.imports), number(high_node, self.ctx.imports)
        if not real_value_exponents(low, high) or _is_log_call(low_node, self.ctx) or _is_log_call(high_node, self.ctx):
            return
        a, b = self.ctx.code_for(low_node).strip(), self.ctx.code_for(high_node).strip()
        fix = None
        if not has_star_args(call):
            edits = wrapped_arg(self, low_node, "math.log") + wrapped_arg(self, high_node, "math.log")
            fix = self.ctx.fix(Safety.SAFE, edits, "pass natural-log bounds")
        self.report(
            call,
            f"{short_code(self.ctx, call)} takes natural-log bounds: it samples e**{a}..e**{b} = "
            f"{math.exp(low):.6g}..{math.exp(high):.4g}, not {a}..{b}; use math.log({a}), math.log({b})",
            fix,
        )


def _is_log_call(expr: cst.BaseExpression, ctx) -> bool:
    return isinstance(expr, cst.Call) and (ctx.qualify(expr.func) or "").endswith(("log", "log10", "log2"))
