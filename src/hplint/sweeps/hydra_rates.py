"""What a Hydra sweep that optimizes (the Optuna sweeper, or a config naming its
``optimized_metric``) does with the learning rate and the test set:

- HPL402: it searches the batch size while the learning rate is one value (a
  plain value among ``params``) or is not among the searched parameters at all,
  so every batch size trains at the one rate the composed config sets;
- HPL103: it searches two settings or more only a network has (dropout, widths,
  batch size) and no learning rate, nor an optimizer;
- HPL702: its ``optimized_metric`` is a metric of the test set.

The rate is not read from other config files: a rate interpolated anywhere in
this file (``lr: ${...}``, perhaps scaled with the batch) keeps both rules
silent, and so does a learning rate or optimizer among the searched parameters.
Hydra's basic sweeper runs every combination without selecting one, so a grid
over batch sizes there is a throughput or memory probe as often as a search: it
is not read here (HPL102 reads its size).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, List, Optional

from hplint.reading.metrics import is_test_metric_name
from hplint.reading.numbers import format_number
from hplint.rules.interactions.hpl402_batch_at_fixed_lr import BATCH, LR, batch_message, role_of
from hplint.rules.objective.hpl702_test_data_in_objective import sweep_metric_message
from hplint.rules.strategy.helper_rates import names_network_key
from hplint.rules.strategy.lr_sources import names_optimizer_key, not_tuned_message, trades_lr_for_iterations
from hplint.sweeps.edits import Finding
from hplint.sweeps.overrides import SWEEP_CALL, sweep_size
from hplint.sweeps.reader import entries, is_mapping, mappings, number_of, text_of


@dataclass
class _Param:
    """One entry of the sweeper's ``params`` (or ``search_space``)."""

    name: str
    entry: object
    searched: bool
    constant: Optional[float]
    written: str


def check_rates(root, sweeper, optimizes: bool, config) -> Iterator[Finding]:
    """HPL702 on the root's ``optimized_metric``; HPL402 and HPL103 on the sweeper's
    parameters when the sweep selects a configuration (``optimizes``)."""
    metric = entries(root).get("optimized_metric") if is_mapping(root) else None
    written = text_of(metric.value) if metric is not None else None
    if written is not None and is_test_metric_name(written):
        yield Finding("HPL702", sweep_metric_message(written, "the Hydra sweep"), metric.value, metric.value)  # type: ignore[union-attr]
    if not (optimizes or metric is not None):
        return
    params = _params(sweeper)
    vocabulary = config.vocabulary
    rates = [p for p in params if role_of(p.name, vocabulary) == LR]
    if not params or any(p.searched for p in rates) or any(p.searched and names_optimizer_key(p.name) for p in params):
        return  # the rate (or the optimizer, and with it the rate) is searched
    if _rate_interpolated(root, vocabulary):
        return
    held = rates[0] if len(rates) == 1 and rates[0].constant is not None else None
    if rates and held is None:
        return  # a rate written some other way: not known here
    searched = [p for p in params if p.searched]
    batch = [p for p in searched if role_of(p.name, vocabulary) == BATCH]
    if len(batch) == 1:
        how = (
            f"{held.name} is the single value {format_number(held.constant, 3)}"  # type: ignore[arg-type]
            if held is not None
            else "no learning rate is among the searched parameters, so every batch size trains at the one rate the config sets"
        )
        yield Finding("HPL402", batch_message(batch[0].name, how), batch[0].entry.key, batch[0].entry.value)  # type: ignore[attr-defined]
    varied = [p.name for p in searched]
    if len([n for n in varied if names_network_key(n)]) >= 2 and not trades_lr_for_iterations(varied):
        shown = ", ".join(varied[:4])
        if held is not None:
            message = not_tuned_message(f"the Hydra sweep searches {shown}", f"a fixed learning rate of {held.written}")
            yield Finding("HPL103", message, held.entry.key, held.entry.value)  # type: ignore[attr-defined]
        else:
            first = searched[0].entry
            message = not_tuned_message(f"the Hydra sweep searches {shown} with no learning-rate parameter", "the one learning rate the config sets")
            yield Finding("HPL103", message, first.key, first.value)  # type: ignore[attr-defined]


def _params(sweeper) -> List[_Param]:
    found: List[_Param] = []
    for key in ("params", "search_space"):
        table = entries(sweeper).get(key)
        if table is None or not is_mapping(table.value):
            continue
        for name, entry in entries(table.value).items():
            if name.startswith("~"):
                continue  # a deletion, not a value
            if is_mapping(entry.value):  # a distribution: ``{type: float, low: ..., high: ...}``, Nevergrad's ``{lower: ...}``
                found.append(_Param(name.lstrip("+"), entry, True, None, ""))
                continue
            value = (text_of(entry.value) or "").strip()
            size = sweep_size(value) if value else 1
            if SWEEP_CALL.match(value):
                searched = size is None or size >= 2  # ``interval(a, b)``: no count, searched
            else:
                searched = size is not None and size >= 2  # a comma list; an interpolation is one value
            found.append(_Param(name.lstrip("+"), entry, searched, None if searched else number_of(entry.value), value))
    return found


def _rate_interpolated(root, vocabulary) -> bool:
    """A learning-rate key anywhere in the file whose value is an interpolation
    (``lr: ${eval:...}``): the rate may follow the batch size."""
    for _, mapping in mappings(root, depth=8):
        for name, entry in entries(mapping).items():
            if role_of(name.lstrip("+~"), vocabulary) == LR and "${" in (text_of(entry.value) or ""):
                return True
    return False
