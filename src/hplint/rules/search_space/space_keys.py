"""Search spaces written as dicts whose keys the objective reads back one by one:
Ray Tune's ``config``/``param_space`` and hyperopt's ``space``.

``tune.run(train, config={"lr": tune.loguniform(...), "l2": tune.loguniform(...)})``
with ``def train(config)`` that reads ``config["lr"]`` and nothing else samples
``l2`` in every trial for nothing.  The keys an objective reads are known only
when it reads its config by literal keys alone (``config["lr"]``,
``config.get("lr", 0.1)``): handing the dict on (``Net(**config)``,
``build(config)``) may read any key, and then nothing is said.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, List, Optional, Set

from hplint.reading.calls import arg_value, dict_items, has_star_args, string_value
from hplint.reading.flow import Flow
from hplint.reading.objectives import BAYES_OPT
from hplint.reading.tree import descendants
from hplint.rules.objective.facts import HYPEROPT_FMIN, RAY_RUNNERS, searches

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

# what makes a dict value a sampled dimension, by the qualified name's prefix
SAMPLERS = ("ray.tune.", "hyperopt.hp.")
RAY_SAMPLED = frozenset({"uniform", "quniform", "loguniform", "qloguniform", "randn", "qrandn", "randint", "qrandint", "lograndint", "qlograndint", "choice", "grid_search", "sample_from"})


@dataclass
class UnreadKey:
    """A sampled key of a search space that the objective never reads."""

    key: str
    element: cst.DictElement
    objective: str
    search: str
    as_parameter: bool = False  # bayes_opt: the key is a parameter of the function, never read


def unread_keys(ctx: RuleContext, reads: Callable[[cst.FunctionDef], Optional[Set[str]]]) -> List[UnreadKey]:
    """Sampled keys of the spaces this file's Ray and hyperopt searches pass, that
    every objective they run reads its config without; and bayes_opt ``pbounds`` keys
    whose parameter the function never reads (``reads``: the names a function reads, None
    when it may read any)."""
    found: List[UnreadKey] = []
    for search in searches(ctx):
        qualified = ctx.qualify(search.call.func) or ""
        if qualified in BAYES_OPT:
            found.extend(_unread_parameters(ctx, search, reads))
            continue
        if qualified in HYPEROPT_FMIN:
            space = arg_value(search.call, 1, "space")
        elif qualified in RAY_RUNNERS:
            space = arg_value(search.call, None, "param_space" if qualified.endswith("Tuner") else "config")
        else:
            continue
        table = _dict_of(ctx, space)
        if table is None or has_star_args(search.call):
            continue
        sampled = [(key, element) for key, value, element in dict_items(table) if key is not None and _sampled(ctx, value)]
        if not sampled or len(search.funcs) != 1 or len(search.params) != 1 or search.params[0] is None:
            continue
        func = search.funcs[0]
        read = _keys_read(func, search.params[0])  # the parameter the search fills with the config
        if read is None:
            continue
        found.extend(UnreadKey(key, element, func.name.value, search.label) for key, element in sampled if key not in read)
    return found


def _unread_parameters(ctx: RuleContext, search, reads: Callable[[cst.FunctionDef], Optional[Set[str]]]) -> List[UnreadKey]:
    """bayes_opt calls its function with each ``pbounds`` key as a keyword: a key whose
    parameter the function never reads is searched for nothing."""
    table = _dict_of(ctx, arg_value(search.call, 1, "pbounds"))
    if table is None or has_star_args(search.call) or len(search.funcs) != 1:
        return []
    func = search.funcs[0]
    params = func.params
    if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return []  # ``**kwargs``: the values may be read another way
    read = reads(func)
    if read is None:
        return []
    names = {p.name.value for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params)}
    return [
        UnreadKey(key, element, func.name.value, search.label, as_parameter=True)
        for key, _, element in dict_items(table)
        if key is not None and key in names and key not in read
    ]


def _dict_of(ctx: RuleContext, expr: Optional[cst.BaseExpression]) -> Optional[cst.Dict]:
    """The dict literal ``expr`` holds where it is read (through names and parameters of this file)."""
    if isinstance(expr, (cst.Name, cst.Attribute)):
        expr = ctx.facts(Flow).value(expr)
    return expr if isinstance(expr, cst.Dict) else None


def _sampled(ctx: RuleContext, value: cst.BaseExpression) -> bool:
    if not isinstance(value, cst.Call):
        return False
    qualified = ctx.qualify(value.func) or ""
    if qualified.startswith("ray.tune."):
        return qualified.rsplit(".", 1)[-1] in RAY_SAMPLED
    return qualified.startswith("hyperopt.hp.")


def _keys_read(func: cst.FunctionDef, name: str) -> Optional[Set[str]]:
    """The literal keys ``func`` reads of its parameter ``name``; None when it uses it
    any other way (hands it on, unpacks it, iterates it) or rebinds it."""
    if isinstance(func.params.star_arg, cst.Param) or func.params.star_kwarg is not None:
        return None  # ``*args``/``**kwargs``: the config may come another way
    read: Set[str] = set()
    uses = 0
    for node in descendants(func.body):
        if isinstance(node, cst.Name) and node.value == name:
            uses += 1
    for node in descendants(func.body):
        key = _literal_read(node, name)
        if key is not None:
            read.add(key)
            uses -= 1
    return read if uses == 0 else None


def _literal_read(node: cst.CSTNode, name: str) -> Optional[str]:
    """``config["lr"]`` or ``config.get("lr", ...)`` of the parameter ``name``: the key."""
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name) and node.value.value == name and len(node.slice) == 1:
        index = node.slice[0].slice
        return string_value(index.value) if isinstance(index, cst.Index) else None
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and isinstance(node.func.value, cst.Name)
        and node.func.value.value == name
        and node.func.attr.value == "get"
        and node.args
    ):
        return string_value(node.args[0].value)
    return None
