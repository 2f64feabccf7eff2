"""The learning rate a W&B sweep holds at one value while it searches other
parameters: one reading of a sweep's ``parameters`` for every form it is
written in (a Python dict, a YAML file, the ``ast`` the prefilter reads).

Each parameter is summarised as searched (``values`` with two or more
entries, or a distribution: ``min``/``max``) or held at one number (``value``,
``values: [x]``).  HPL103 asks which learning rate is held while two or more
other parameters are searched; HPL402 asks whether the batch size is searched
at that held rate.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

from hplint.reading.calls import dict_items
from hplint.reading.numbers import number
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, names_lr_bound
from hplint.rules.search_space.wandb import WANDB_KEYS
from hplint.rules.strategy.lr_sources import trades_lr_for_iterations

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

@dataclass
class SweepParameter:
    """One entry of a sweep's ``parameters``."""

    name: str
    searched: bool  # two or more values, or a distribution
    constant: Optional[float] = None  # the one number it is held at
    written: str = ""  # that number as the file writes it
    node: object = None  # where a finding on it goes


def summarise(name: str, keys: Sequence[str], values_count: Optional[int], constant: Optional[float], written: str = "", node: object = None) -> Optional[SweepParameter]:
    """``keys``: the spec's keys; ``values_count``: how many its ``values`` list holds (None: no
    such list); ``constant``: the one number of ``value`` or of a one-element ``values``.
    None when the spec is not a W&B parameter spec."""
    if not keys or not set(keys) <= WANDB_KEYS:
        return None
    searched = (values_count is not None and values_count >= 2) or ("min" in keys and "max" in keys)
    return SweepParameter(name, searched, None if searched else constant, written, node)


def sweep_held_rate(params: Sequence[SweepParameter], vocabulary) -> Optional[Tuple[SweepParameter, List[str]]]:
    """HPL103: the learning rate held at one number while two or more other parameters are searched."""
    rates = [p for p in params if vocabulary.is_learning_rate(p.name) and not names_lr_bound(p.name)]
    varied = [p.name for p in params if p.searched and not vocabulary.is_learning_rate(p.name)]
    if len(rates) != 1 or rates[0].searched or rates[0].constant is None:
        return None
    if len(set(varied)) < 2 or trades_lr_for_iterations(varied):
        return None
    return rates[0], varied


def held_rate_context(varied: Sequence[str]) -> str:
    return f"the W&B sweep searches {', '.join(list(varied)[:4])}"


def wandb_parameters(items, imports) -> Optional[List[SweepParameter]]:
    """A Python ``parameters`` dict's entries (``dict_items``) as sweep parameters; None unless
    there are two or more and every one is a W&B spec dict."""
    if len(items) < 2:
        return None
    params: List[SweepParameter] = []
    for key, value, _ in items:
        if key is None or not isinstance(value, cst.Dict):
            return None
        spec = {k: v for k, v, _ in dict_items(value)}
        if None in spec:
            return None
        values = spec.get("values")
        count = len(values.elements) if isinstance(values, (cst.List, cst.Tuple)) else None
        held = spec.get("value")
        if held is None and count == 1:
            held = values.elements[0].value  # type: ignore[union-attr]
        constant = number(held, imports) if held is not None else None
        found = summarise(key, list(spec), count, constant, code_of(held) if held is not None else "", value)
        if found is None:
            return None
        params.append(found)
    return params


def ast_wandb_parameters(node: ast.Dict) -> Optional[List[SweepParameter]]:
    """``wandb_parameters`` on the ``ast`` (the prefilter's reading)."""
    if len(node.keys) < 2:
        return None
    params: List[SweepParameter] = []
    for key, value in zip(node.keys, node.values):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)) or not isinstance(value, ast.Dict):
            return None
        if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys):
            return None
        spec = {k.value: v for k, v in zip(value.keys, value.values)}  # type: ignore[union-attr]
        values = spec.get("values")
        count = len(values.elts) if isinstance(values, (ast.List, ast.Tuple)) else None
        held = spec.get("value")
        if held is None and count == 1:
            held = values.elts[0]  # type: ignore[union-attr]
        constant = 1.0 if held is not None else None  # its number: the tree decides; here only that one is held
        found = summarise(key.value, list(spec), count, constant)
        if found is None:
            return None
        params.append(found)
    return params


def code_of(node) -> str:
    """The source text of a small libcst expression."""
    return cst.Module(body=[]).code_for_node(node)


def ast_held_rate(node: ast.AST) -> bool:
    """The prefilter's ``sweep_held_rate`` on an ``ast.Dict``."""
    params = ast_wandb_parameters(node)  # type: ignore[arg-type]
    return params is not None and sweep_held_rate(params, DEFAULT_VOCABULARY) is not None
