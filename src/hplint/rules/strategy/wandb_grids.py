"""W&B grid sweeps written as Python dicts: ``{"method": "grid", "parameters":
{"lr": {"values": [...]}, ...}}``, handed to ``wandb.sweep`` or kept for a
YAML dump.  Recognised by their shape, with or without ``import wandb``: a
``"method": "grid"`` entry beside a ``"parameters"`` dict whose entries are
dicts (nested ``"parameters"`` groups read as W&B reads them), the parameters
also set on the dict afterwards (``Flow.assembled``).  The same
reading and message as a YAML sweep (``sweeps.wandb``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional

from hplint.reading.calls import dict_items, string_value
from hplint.reading.flow import Flow
from hplint.rules.strategy.axes import Dim
from hplint.rules.strategy.grids import config_axis, grid_size, sweep_grid_message, too_big

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


@dataclass
class SweepGrid:
    """A W&B grid sweep dict: its ``"method"`` entry, the message and the run cap."""

    method: cst.DictElement
    message: str
    run_cap: int
    has_cap: bool


def wandb_grid(node: cst.Dict, vocabulary, option, flow: Optional[Flow] = None) -> Optional[SweepGrid]:
    """``flow``: the file's, to read a sweep assembled in steps (``sweep = {"method": "grid"}``,
    then ``sweep["parameters"] = parameters``, a dict bound to a name and filled key by key)."""
    items = {key: (value, element) for key, value, element in dict_items(node) if key is not None}
    if "method" in items and "parameters" not in items and flow is not None:
        items = {key: (value, element) for key, value, element in dict_items(flow.assembled(node)) if key is not None}
    if "method" not in items or "parameters" not in items:
        return None
    method_value, method = items["method"]
    parameters = items["parameters"][0]
    if isinstance(parameters, cst.Name) and flow is not None:
        held = flow.value(parameters)
        parameters = flow.assembled(held) if isinstance(held, cst.Dict) else parameters
    if string_value(method_value) != "grid" or not isinstance(parameters, cst.Dict):
        return None
    dims = _dims(parameters, 0)
    if dims is None:
        return None
    tuned = [d for d in dims if config_axis(d.name, vocabulary)]
    if len(tuned) < 2 or not too_big(tuned, grid_size(tuned), option):
        return None
    message, run_cap = sweep_grid_message(dims, option)
    return SweepGrid(method, message, run_cap, "run_cap" in items)  # type: ignore[arg-type]


def _dims(parameters: cst.Dict, depth: int) -> Optional[List[Dim]]:
    """Axes of a ``parameters`` dict: each entry's ``values`` list (two or more);
    None when an entry is not a dict (not a W&B spec)."""
    dims: List[Dim] = []
    for key, spec, _ in dict_items(parameters):
        if key is None or not isinstance(spec, cst.Dict):
            return None
        entries = {k: v for k, v, _ in dict_items(spec) if k is not None}
        nested = entries.get("parameters")
        if isinstance(nested, cst.Dict) and depth < 3:
            inner = _dims(nested, depth + 1)
            if inner is None:
                return None
            dims.extend(Dim(f"{key}.{d.name}", d.size, named=True) for d in inner)
            continue
        values = entries.get("values")
        if isinstance(values, (cst.List, cst.Tuple)) and len(values.elements) > 1:
            dims.append(Dim(key, len(values.elements), named=True))
    return dims
