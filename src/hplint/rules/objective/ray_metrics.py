"""Ray Tune searches that select by a metric of the test set (HPL702).

``tune.run(..., metric="test_loss")``, ``ASHAScheduler(metric="test_acc")``,
``tune.TuneConfig(metric=...)`` and ``results.get_best_trial("test_loss", "min")``
name the reported value the search optimizes or picks its configuration by.
When that name is a test metric (``reading.metrics.is_test_metric_name``), the
hyperparameters are chosen on the test set, whatever the trainable (often in
another module) computes it from.  One finding per file and metric, at the call
that picks the configuration (``get_best_*``) when there is one, else at the
first call that names it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from hplint.reading.calls import arg_value, has_star_args, method_name, string_value
from hplint.reading.metrics import is_test_metric_name
from hplint.reading.tree import descendants

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

# the calls on a Ray result that pick a configuration by a metric: its first argument or ``metric=``
RAY_PICKS = frozenset({"get_best_trial", "get_best_config", "get_best_result", "get_best_logdir", "get_best_checkpoint"})


def _named_metric(call: cst.Call, picks: bool) -> Optional[cst.BaseExpression]:
    """The ``metric=`` the call is given (a pick's first argument too)."""
    if has_star_args(call):
        return None
    return arg_value(call, 0 if picks else None, "metric")


def ray_test_metrics(ctx: RuleContext) -> List[Tuple[cst.BaseExpression, str]]:
    """(where to report, metric) for each test metric a Ray Tune search of the file optimizes or picks by."""
    if not any(q.split(".")[0] == "ray" for q in ctx.imports.aliases.values()):
        return []
    picked: Dict[str, cst.BaseExpression] = {}
    named: Dict[str, cst.BaseExpression] = {}
    for node in descendants(ctx.module):
        if not isinstance(node, cst.Call):
            continue
        picks = method_name(node) in RAY_PICKS
        if not picks and (ctx.qualify(node.func) or "").split(".")[0] != "ray":
            continue
        value = _named_metric(node, picks)
        metric = string_value(value) if value is not None else None
        if metric is None or not is_test_metric_name(metric):
            continue
        (picked if picks else named).setdefault(metric, value)  # type: ignore[arg-type]
    return [(picked.get(m) or named[m], m) for m in {**named, **picked}]


def ast_ray_test_metric(node: ast.AST, index) -> bool:
    """The ``ast`` reading of a call ``ray_test_metrics`` may report: a string ``metric=``, or a
    ``get_best_*`` pick's first argument, that names a test metric."""
    call: ast.Call = node  # type: ignore[assignment]
    values = [k.value for k in call.keywords if k.arg == "metric"]
    name = call.func.attr if isinstance(call.func, ast.Attribute) else None
    if name in RAY_PICKS and call.args:
        values.append(call.args[0])
    return any(isinstance(v, ast.Constant) and isinstance(v.value, str) and is_test_metric_name(v.value) for v in values)
