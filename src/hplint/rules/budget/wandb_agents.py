"""HPL501's reading of a W&B Bayesian sweep this file creates and runs itself
(``reading.wandb_sweeps``): the ``count`` of ``wandb.agent(sweep_id, count=3)``
when the sweep's configuration says ``"method": "bayes"``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from hplint.reading.calls import arg, dict_items, string_value
from hplint.reading.wandb_sweeps import agent_sweep

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


def bayes_agent(ctx, call: "cst.Call") -> Optional[AgentBudget]:
    """The ``count`` of an agent running a Bayesian sweep created in this file."""
    budget = arg(call, COUNT_POSITION, "count")
    config = agent_sweep(ctx, call) if budget is not None else None
    if config is None:
        return None
    items = {key: value for key, value, _ in dict_items(config)}
    method = items.get("method")
    if not isinstance(method, cst.SimpleString) or string_value(method) != "bayes":
        return None
    parameters = items.get("parameters")
    return AgentBudget(budget, len(dict_items(parameters)) if isinstance(parameters, cst.Dict) else None)  # type: ignore[arg-type]
