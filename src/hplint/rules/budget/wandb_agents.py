"""HPL501's reading of a W&B Bayesian sweep this file creates and runs itself:
``wandb.agent(sweep_id, function=train, count=3)`` where ``sweep_id =
wandb.sweep(config)`` and ``config`` is a dict literal with ``"method": "bayes"``.

A sweep id read from elsewhere (the command line, another file) may be shared by
other agents, each with its own ``count``: the budget is not visible, so it is
not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from hplint.reading.calls import arg, arg_value, dict_items, has_star_args, string_value
from hplint.reading.tree import descendants, nested_scopes

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# wandb.agent(sweep_id, function=None, entity=None, project=None, count=None)
COUNT_POSITION = 4


@dataclass
class AgentBudget:
    budget: "cst.Arg"  # the ``count`` argument
    parameters: Optional[int]  # how many parameters the sweep searches, when written here


def bayes_agent(ctx, call: "cst.Call", resolve: Callable) -> Optional[AgentBudget]:
    """The ``count`` of an agent running a Bayesian sweep created in this file."""
    if ctx.qualify(call.func) != "wandb.agent" or has_star_args(call):
        return None
    budget = arg(call, COUNT_POSITION, "count")
    sweep = resolve(arg_value(call, 0, "sweep_id"))
    if budget is None or not isinstance(sweep, cst.Call) or ctx.qualify(sweep.func) != "wandb.sweep" or has_star_args(sweep):
        return None
    config = arg_value(sweep, 0, "sweep")
    config = resolve(config) if isinstance(config, cst.Name) else config
    if isinstance(config, cst.Call):
        config = _returned_dict(ctx, config)
    if not isinstance(config, cst.Dict):
        return None
    items = {key: value for key, value, _ in dict_items(config)}
    method = items.get("method")
    if not isinstance(method, cst.SimpleString) or string_value(method) != "bayes":
        return None
    parameters = items.get("parameters")
    return AgentBudget(budget, len(dict_items(parameters)) if isinstance(parameters, cst.Dict) else None)


def _returned_dict(ctx, call: "cst.Call") -> Optional["cst.Dict"]:
    """The dict literal a module-level function of this file returns, called with no
    arguments: its one ``return`` gives a dict, or a name bound once in it to one."""
    if not isinstance(call.func, cst.Name) or call.args:
        return None
    found = [s for s in ctx.module.body if isinstance(s, cst.FunctionDef) and s.name.value == call.func.value]
    if len(found) != 1:
        return None
    returns, bound = [], {}
    for node in descendants(found[0].body, nested_scopes()):
        if isinstance(node, cst.Return):
            returns.append(node.value)
        elif isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            bound.setdefault(node.targets[0].target.value, []).append(node.value)
    if len(returns) != 1:
        return None
    value = returns[0]
    if isinstance(value, cst.Name) and len(bound.get(value.value, [])) == 1:
        value = bound[value.value][0]
    return value if isinstance(value, cst.Dict) else None
