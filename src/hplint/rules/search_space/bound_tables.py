"""Search spaces written as bare ``(low, high)`` bounds, which their library
searches on a linear scale with no log option: bayes_opt's ``pbounds``
(``BayesianOptimization(f, pbounds={"lr": (1e-4, 1e-1)})``) and GPyOpt's domain
dicts (``{"name": "lr", "type": "continuous", "domain": (1e-4, 1e-1)}``).

The only way to search such a parameter on a log scale is to search its
exponent and raise 10 to it inside the objective, so HPL203 says that and
offers no fix: the objective has to change with the bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional

from hplint.reading.calls import arg_value, dict_items, has_star_args, string_value
from hplint.reading.flow import Flow
from hplint.reading.numbers import number
from hplint.reading.objectives import BAYES_OPT

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

GPYOPT_ROOT = "GPyOpt"
AX_ROOT = "ax"


@dataclass
class Bounds:
    """One parameter's ``(low, high)`` pair, and the library that searches it linearly."""

    name: str
    node: cst.BaseExpression  # the pair, where the finding goes
    low: float
    high: float
    library: str


def _pair(ctx: RuleContext, value: cst.BaseExpression) -> Optional[List[float]]:
    if not isinstance(value, (cst.Tuple, cst.List)) or len(value.elements) != 2:
        return None
    found = [number(e.value, ctx.imports) for e in value.elements]
    return None if None in found else found  # type: ignore[return-value]


def bayes_opt_bounds(ctx: RuleContext, call: cst.Call) -> List[Bounds]:
    """The named pairs of ``BayesianOptimization(f, pbounds)``: a dict literal, or the one
    a name holds there (a parameter: what the calls of this file pass, ``optimize(bounds)``)."""
    if has_star_args(call) or ctx.qualify(call.func) not in BAYES_OPT:
        return []
    table = arg_value(call, 1, "pbounds")
    if isinstance(table, (cst.Name, cst.Attribute)):
        table = ctx.facts(Flow).value(table)
    if not isinstance(table, cst.Dict):
        return []
    found = []
    for key, value, _ in dict_items(table):
        pair = _pair(ctx, value)
        if key is not None and pair is not None:
            found.append(Bounds(key, value, pair[0], pair[1], "bayes_opt"))
    return found


def gpyopt_bounds(ctx: RuleContext, node: cst.Dict) -> Optional[Bounds]:
    """A GPyOpt domain entry: a ``"continuous"`` variable with a ``(low, high)`` domain."""
    return _described_pair(ctx, node, GPYOPT_ROOT, "continuous", "domain", "GPyOpt")


def _described_pair(ctx: RuleContext, node: cst.Dict, root: str, kind: str, key: str, library: str) -> Optional[Bounds]:
    """A dict describing one parameter (``{"name": ..., "type": kind, key: (low, high)}``) in a
    file that imports ``root``: its bounds."""
    if not any(m == root or m.startswith(root + ".") for m in ctx.imports.aliases.values()):
        return None
    items = {k: value for k, value, _ in dict_items(node)}
    if string_value(items.get("type")) != kind or key not in items:
        return None
    name = string_value(items.get("name"))
    pair = _pair(ctx, items[key])
    if name is None or pair is None:
        return None
    return Bounds(name, items[key], pair[0], pair[1], library)


def exponent_advice(found: Bounds) -> str:
    """Search the exponent: the one log scale a linear-only library allows."""
    if found.low <= 0:
        return f"{found.library} searches bounds linearly and has no log scale: search the exponent of a positive range and use 10 ** it"
    low, high = (round(math.log10(v), 2) for v in sorted((found.low, found.high)))
    return (
        f"{found.library} searches bounds linearly and has no log scale: search the exponent, "
        f"({_exponent(low)}, {_exponent(high)}), and use 10 ** it as `{found.name}`"
    )


def _exponent(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def ax_range(ctx: RuleContext, node: cst.Dict) -> Optional[Bounds]:
    """An Ax parameter: ``{"name": "lr", "type": "range", "bounds": [1e-4, 0.5]}`` with no
    ``log_scale`` (Ax searches a range linearly unless ``"log_scale": True``; an explicit
    ``False`` is a choice)."""
    if any(k == "log_scale" for k, _, _ in dict_items(node)):
        return None
    return _described_pair(ctx, node, AX_ROOT, "range", "bounds", "Ax")
