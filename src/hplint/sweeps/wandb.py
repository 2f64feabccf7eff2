"""W&B sweep configurations in YAML/JSON: HPL203, HPL205, HPL102, HPL103, HPL402 and HPL702 on the
``parameters`` of every mapping that holds a W&B ``method`` and
``parameters`` (top level, or nested under ``sweep:``, ``sweep_args:``,
``search:`` ...), with the rules' own decisions and messages
(``rules.search_space.wandb``, ``rules.strategy.grids``).

Fixes are edits of the exact text spans PyYAML marks, so everything outside
them (comments, quoting, key order, anchors, indentation) stays as written.
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Set, Tuple

from hplint.core.diagnostics import Edit, Safety
from hplint.reading.metrics import is_test_metric_name
from hplint.reading.numbers import format_number
from hplint.rules.interactions.hpl402_batch_at_fixed_lr import batch_message, sweep_batch_at_held_rate
from hplint.rules.objective.hpl702_test_data_in_objective import sweep_metric_message
from hplint.rules.search_space.wandb import (
    WANDB_KEYS,
    WANDB_METHODS,
    exponent_spec_message,
    exponent_spec_target,
    linear_spec_message,
    linear_spec_target,
)
from hplint.rules.strategy.axes import Dim
from hplint.rules.strategy.grids import config_axis, grid_size, sweep_grid_message, too_big
from hplint.rules.strategy.lr_sources import not_tuned_message
from hplint.rules.strategy.sweep_rates import held_rate_context, summarise, sweep_held_rate
from hplint.sweeps.edits import Finding, add_key, aliased, replace
from hplint.sweeps.reader import entries, is_integer, is_mapping, is_sequence, mappings, number_of, text_of


def sweeps(roots) -> Iterator[Tuple[object, object]]:
    """(method entry, parameters mapping) of each W&B sweep in the documents."""
    for root in roots:
        for _, mapping in mappings(root):
            found = entries(mapping)
            method, parameters = found.get("method"), found.get("parameters")
            if method is None or parameters is None or not is_mapping(parameters.value):
                continue
            if text_of(method.value) in WANDB_METHODS:
                yield mapping, parameters.value


def parameters(mapping, depth: int = 0, seen: Optional[Set[int]] = None) -> Iterator[Tuple[str, object, object]]:
    """(name, key node, spec mapping) of each parameter, nested ``parameters``
    included; a nested mapping that aliases bring back is read once."""
    seen = set() if seen is None else seen
    for name, entry in entries(mapping).items():
        if not is_mapping(entry.value):
            continue
        nested = entries(entry.value).get("parameters")
        if nested is not None and is_mapping(nested.value):
            if depth < 8 and id(nested.value) not in seen:
                seen.add(id(nested.value))
                yield from parameters(nested.value, depth + 1, seen)
        else:
            yield name, entry.key, entry.value


def check(roots, text: str, config) -> List[Finding]:
    found: List[Finding] = []
    for sweep, params in sweeps(roots):
        specs = list(parameters(params))
        for name, key, spec in specs:
            found.extend(_spec(name, key, spec, text, config))
        grid = _grid(sweep, specs, text, config)
        if grid is not None:
            found.append(grid)
        found.extend(_held_rate(specs, config))
        found.extend(_test_metric(sweep))
    return found


def _test_metric(sweep) -> Iterator[Finding]:
    """HPL702: the sweep optimizes a metric of the test set (``metric: name: test/f1``)."""
    metric = entries(sweep).get("metric")
    if metric is None or not is_mapping(metric.value):
        return
    named = entries(metric.value).get("name")
    written = text_of(named.value) if named is not None else None
    if written is not None and is_test_metric_name(written):
        yield Finding("HPL702", sweep_metric_message(written), named.value, named.value)  # type: ignore[union-attr]


def _held_rate(specs, config) -> Iterator[Finding]:
    """HPL103 and HPL402 on a learning rate the sweep holds at one number (``sweep_rates``)."""
    summary = []
    for name, _, spec in specs:
        items = entries(spec)
        values = items.get("values")
        count = len(values.value.value) if values is not None and is_sequence(values.value) else None
        held = items.get("value")
        held_node = held.value if held is not None else (values.value.value[0] if count == 1 else None)  # type: ignore[union-attr]
        constant = number_of(held_node) if held_node is not None else None
        written = (text_of(held_node) or "").strip() if held_node is not None else ""
        param = summarise(name, list(items), count, constant, written, spec)
        if param is None:
            return
        summary.append(param)
    vocabulary = config.vocabulary
    rate = sweep_held_rate(summary, vocabulary)
    if rate is not None:
        held_param, varied = rate
        message = not_tuned_message(held_rate_context(varied), f"a fixed learning rate of {held_param.written}")
        yield Finding("HPL103", message, held_param.node, held_param.node)
    pair = sweep_batch_at_held_rate(summary, vocabulary)
    if pair is not None:
        batch, lr = pair
        message = batch_message(batch.name, f"{lr.name} is the single value {format_number(lr.constant, 3)}")
        yield Finding("HPL402", message, batch.node, batch.node)


def _spec(name: str, key, spec, text: str, config) -> Iterator[Finding]:
    items = entries(spec)
    if "min" not in items or "max" not in items or not set(items) <= WANDB_KEYS:
        return
    low_node, high_node = items["min"].value, items["max"].value
    low, high = number_of(low_node), number_of(high_node)
    dist_entry = items.get("distribution")
    dist = None if dist_entry is None else text_of(dist_entry.value)
    if low is None or high is None or (dist_entry is not None and dist is None):
        return
    if dist is None and is_integer(low_node) and is_integer(high_node):
        return  # integer bounds: W&B infers int_uniform
    # an alias (``lr: *lr_range``) stands for text written elsewhere, which other
    # keys may share: reported where it is used, never rewritten
    editable = not aliased(key, spec) and (dist_entry is None or not aliased(dist_entry.key, dist_entry.value))
    target = linear_spec_target(name, dist, low, high, config.vocabulary)
    if target is not None:
        edits: List[Edit] = []
        if low > 0 and editable:
            edits = [replace(dist_entry.value, target)] if dist_entry is not None else add_key(spec, "distribution", target, text)
        yield Finding("HPL203", linear_spec_message(name, dist, low, high, target), key, spec, edits, Safety.SAFE, "sample on a log scale")
        return
    target = exponent_spec_target(dist, low, high)
    if target is not None and dist is not None and dist_entry is not None:
        message = exponent_spec_message(name, dist, low_node.value.strip(), high_node.value.strip(), low, high, target)
        edits = [replace(dist_entry.value, target)] if editable else []
        yield Finding("HPL205", message, key, spec, edits, Safety.SAFE, "use the values as values")


def _grid(sweep, specs, text: str, config) -> Optional[Finding]:
    method = entries(sweep)["method"]
    if text_of(method.value) != "grid":
        return None
    dims = []
    for name, _, spec in specs:
        values = entries(spec).get("values")
        if values is not None and is_sequence(values.value) and len(values.value.value) > 1:
            dims.append(Dim(name, len(values.value.value), named=True))
    # decided on the hyperparameters alone, counted over every axis the grid runs
    tuned = [d for d in dims if config_axis(d.name, config.vocabulary)]
    if len(tuned) < 2 or not too_big(tuned, grid_size(tuned), config.option):
        return None
    message, n_trials = sweep_grid_message(dims, config.option)
    edits = [replace(method.value, "random")] if not aliased(method.key, method.value) else []
    if edits and "run_cap" not in entries(sweep):
        cap = add_key(sweep, "run_cap", str(n_trials), text, after=method, quote_value=False)
        edits = edits + cap if cap else []  # random search without a cap never ends
    return Finding("HPL102", message, method.key, method.value, edits, Safety.UNSAFE, "random search with a run cap")


# -- edits ---------------------------------------------------------------------
