"""A W&B sweep this file creates and runs itself: ``wandb.agent(sweep_id,
function=train, count=N)`` where ``sweep_id = wandb.sweep(config)`` and
``config`` is a dict literal (or the one dict a module-level function of the file
returns: ``wandb.sweep(sweep_config())``).

A sweep id read from elsewhere (the command line, another file) may be shared by
other agents and its configuration is not visible here: it is not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from hplint.reading.calls import arg_value, has_star_args
from hplint.reading.tree import descendants, nested_scopes

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


def agent_sweep(ctx, call: "cst.Call", resolve: Callable) -> Optional["cst.Dict"]:
    """The configuration dict of the sweep ``wandb.agent(...)`` runs, when this file
    creates it (``resolve``: the value a name holds, or None)."""
    if ctx.qualify(call.func) != "wandb.agent" or has_star_args(call):
        return None
    sweep = resolve(arg_value(call, 0, "sweep_id"))
    if not isinstance(sweep, cst.Call) or ctx.qualify(sweep.func) != "wandb.sweep" or has_star_args(sweep):
        return None
    config = arg_value(sweep, 0, "sweep")
    config = resolve(config) if isinstance(config, cst.Name) else config
    if isinstance(config, cst.Call):
        config = returned_dict(ctx, config)
    return config if isinstance(config, cst.Dict) else None


def returned_dict(ctx, call: "cst.Call") -> Optional["cst.Dict"]:
    """The dict literal a module-level function of this file returns, called with no
    arguments: its one ``return`` gives a dict, or a name bound once in it to one."""
    if not isinstance(call.func, cst.Name) or call.args:
        return None
    found = [s for s in ctx.module.body if isinstance(s, cst.FunctionDef) and s.name.value == call.func.value]
    if len(found) != 1:
        return None
    returns, bound = [], {}  # type: ignore[var-annotated]
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
