"""A W&B sweep this file creates and runs itself: ``wandb.agent(sweep_id,
function=train, count=N)`` where ``sweep_id = wandb.sweep(config)`` and
``config`` is a dict literal (or the one dict a module-level function of the file
returns: ``wandb.sweep(sweep_config())``).

A sweep id read from elsewhere (the command line, another file) may be shared by
other agents and its configuration is not visible here: it is not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from hplint.reading.calls import arg_value, has_star_args
from hplint.reading.flow import Flow

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


def agent_sweep(ctx, call: "cst.Call") -> Optional["cst.Dict"]:
    """The configuration dict of the sweep ``wandb.agent(...)`` runs, when this file
    creates it: names and a function of the file returning it are read through ``Flow``."""
    if ctx.qualify(call.func) != "wandb.agent" or has_star_args(call):
        return None
    flow = ctx.facts(Flow)
    sweep = _value(flow, arg_value(call, 0, "sweep_id"))
    if not isinstance(sweep, cst.Call) or ctx.qualify(sweep.func) != "wandb.sweep" or has_star_args(sweep):
        return None
    config = _value(flow, arg_value(sweep, 0, "sweep"))
    return config if isinstance(config, cst.Dict) else None


def _value(flow: Flow, expr: Optional["cst.BaseExpression"]) -> Optional["cst.BaseExpression"]:
    return flow.value(expr) if expr is not None else None
