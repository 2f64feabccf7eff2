"""Hydra sweeper configs (the Optuna sweeper's ``hydra.sweeper`` block):
HPL202 for ``interval(a, b)`` over a log-scale name (Optuna's float
distribution without ``log``, i.e. ``suggest_float`` without ``log=True``),
and for the older ``search_space`` dict form (``type: float`` without
``log``); HPL501 for an ``n_trials`` budget a model-based sampler (TPE, the
sweeper's default) spends on its random warm-up, or at or below its
``n_startup_trials``; HPL102 for the basic sweeper's ``params`` when every
combination of their comma lists, ``choice`` and ``range`` values is a big
grid (``overrides``).  The Ax sweeper's ``ax_config`` (also under
``params:``, Hydra 1.0's layout): HPL203 for a ``type: range`` parameter
without ``log_scale: true`` over a log-scale name (Ax searches it
linearly), and HPL501 for a ``max_trials`` below ``min-trials``.

Read: ``hydra: sweeper:`` in a ``# @package _global_`` experiment file, or
the root of a ``# @package hydra.sweeper`` file (or of
``hydra.sweeper.ax_config`` and ``hydra.sweeper.ax_config.params``).  Hydra's override grammar is
read for the two forms that decide the scale, ``interval(a, b)`` and
``tag(log, interval(a, b))``; any other value (``choice``, ``range``, a
plain value, an interpolation) is a parameter, not a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Tuple

from hplint.core.diagnostics import Safety
from hplint.reading.ranges import linear_log_scale, wastes_linear
from hplint.rules.budget.hpl501_too_few_trials import MODEL_SAMPLERS, Sampler, TooFewTrials
from hplint.rules.search_space.wording import decades_text, sci, span_text, uniform_waste
from hplint.sweeps.edits import Finding, add_key, aliased, replace
from hplint.sweeps.hydra_rates import check_rates
from hplint.sweeps.overrides import SWEEP_CALL, basic_grid_message, numbers_of, sweep_size
from hplint.sweeps.reader import entries, is_integer, is_mapping, is_scalar, is_sequence, number_of, text_of

_PACKAGE_SWEEPER = re.compile(r"^#[ \t]*@package[ \t]+hydra\.sweeper[ \t]*$", re.MULTILINE)
_PACKAGE_AX = re.compile(r"^#[ \t]*@package[ \t]+hydra\.sweeper\.ax_config(\.params)?[ \t]*$", re.MULTILINE)
_INTERVAL = re.compile(r"\s*interval\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)\s*")
_NUMBER = re.compile(r"[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?")
# the Optuna sweeper's sampler configs (``override /hydra/sweeper/sampler: tpe``)
_SAMPLER_CONFIGS = {"tpe": "TPESampler", "cmaes": "CmaEsSampler"}
_NOT_MODEL_SAMPLERS = ("random", "grid", "nsgaii", "qmc", "bruteforce", "partialfixed")


def sweepers(roots, text: str) -> Iterator[Tuple[object, object]]:
    """(root, sweeper mapping) of each document."""
    package = _PACKAGE_SWEEPER.search(text) is not None or _PACKAGE_AX.search(text) is not None
    for root in roots:
        if not is_mapping(root):
            continue
        if package:
            yield root, root
            continue
        hydra = entries(root).get("hydra")
        sweeper = entries(hydra.value).get("sweeper") if hydra is not None and is_mapping(hydra.value) else None
        if sweeper is not None and is_mapping(sweeper.value):
            yield root, sweeper.value


def check(roots, text: str, config) -> List[Finding]:
    found: List[Finding] = []
    ax_package = _PACKAGE_AX.search(text)
    for root, sweeper in sweepers(roots, text):
        found.extend(_ax(_ax_sweep(root, sweeper, ax_package), text, config))
        if ax_package is not None:
            continue  # the file holds only the Ax sweeper's settings
        swept = 0
        for key in ("params", "search_space"):  # search_space: the sweeper's older dict form
            params = entries(sweeper).get(key)
            if params is None or not is_mapping(params.value):
                continue
            for name, entry in entries(params.value).items():
                value = text_of(entry.value)
                if (value is not None and SWEEP_CALL.match(value)) or is_mapping(entry.value):
                    swept += 1
                finding = _interval(name.lstrip("+~"), entry, config) or _float_dict(name.lstrip("+~"), entry, text, config)
                if finding is not None:
                    found.append(finding)
        budget = _budget(root, sweeper, swept, config)
        if budget is not None:
            found.append(budget)
        grid = _basic_grid(root, sweeper, config)
        if grid is not None:
            found.append(grid)
        if not _ax_chosen(root, sweeper):
            found.extend(check_rates(root, sweeper, _optuna_sweeper(root, sweeper), config))
    return found


_BASIC_KEYS = frozenset({"params", "max_batch_size", "_target_"})


def _basic_grid(root, sweeper, config) -> Optional[Finding]:
    """HPL102 for Hydra's basic sweeper (the default: no other sweeper chosen in
    the defaults list, no other sweeper's keys): its ``params`` run every
    combination of their values.  Not reported when a value's count is not
    written (``glob``, an interpolation) or is no basic-sweeper value (``interval``)."""
    found = entries(sweeper)
    target = found.get("_target_")
    if not set(found) <= _BASIC_KEYS or (target is not None and not (text_of(target.value) or "").endswith("BasicSweeper")):
        return None
    if (_defaults_choice(root, "") or "basic").lower() != "basic":
        return None
    params = found.get("params")
    if params is None or not is_mapping(params.value):
        return None
    axes = []
    first = None
    for name, entry in entries(params.value).items():
        if name.startswith("~"):
            continue  # a deletion, not a value
        value = text_of(entry.value)
        if value is None:
            return None  # a mapping or list: another sweeper's search space (Nevergrad's ``{init: ..., log: true}``)
        size = sweep_size(value)
        if size is None:
            return None
        if size >= 2:
            axes.append((name.lstrip("+"), size, numbers_of(value)))
            first = first or entry
    message = basic_grid_message(axes, config) if first is not None else None
    return None if message is None or first is None else Finding("HPL102", message, first.key, first.value)


def _number(text: str) -> Optional[float]:
    text = text.strip().strip("'\"")
    if not any(c.isdigit() for c in text) or not _NUMBER.fullmatch(text):
        return None
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return None


def linear_interval(value: Optional[str]) -> Optional[Tuple[float, float]]:
    """The bounds of an untagged ``interval(a, b)`` with numbers for bounds,
    as Hydra's override parser reads it; None for anything else."""
    match = _INTERVAL.fullmatch(value) if value is not None else None
    if match is None:
        return None
    low, high = _number(match.group(1)), _number(match.group(2))
    return None if low is None or high is None else (low, high)


def _wasted_linear(name: str, low: Optional[float], high: Optional[float], config) -> bool:
    """The sweepers' one policy: increasing bounds over decades for a log-scale name, where a
    linear draw wastes most trials (``wastes_linear``: a zero low bound of a setting that 0
    switches off is not counted)."""
    if low is None or high is None or low >= high or not linear_log_scale(low, high):
        return False
    vocabulary = config.vocabulary
    return vocabulary.is_log_scale(name, tuning_context=True) and wastes_linear(low, high, vocabulary.zero_is_no_setting(name))


def _interval(name: str, entry, config) -> Optional[Finding]:
    """``lr: interval(0.0001, 0.1)``: a linear float over a log-scale name."""
    value = text_of(entry.value)
    bounds = linear_interval(value)
    if bounds is None or value is None:
        return None
    low, high = bounds
    if not _wasted_linear(name, low, high, config):
        return None
    written = value.strip()
    use = f"tag(log, {written})"
    span = f" over {decades_text(low, high)}" if low > 0 else " from 0"
    if low > 0:
        advice = f"use {use} so every decade gets the same share of trials"
    else:
        advice = "tag(log, ...) needs a positive lower bound: start at a small value and use tag(log, interval(low, high))"
    node = entry.value
    # one line, no escapes: the text between the quotes is the value as read
    plain = node.start_mark.line == node.end_mark.line and "\\" not in node.value and node.value == written
    edits = [replace(node, use)] if low > 0 and plain and not aliased(entry.key, node) else []
    message = f"`{written}` samples `{name}` uniformly{span}: {uniform_waste(low, high, name)}; {advice}"
    return Finding("HPL202", message, entry.key, entry.value, edits, Safety.SAFE, "sample on a log scale")


def _float_dict(name: str, entry, text: str, config) -> Optional[Finding]:
    """``lr: {type: float, low: 0.0001, high: 0.1}`` without ``log``: Optuna's
    float distribution on a linear scale (``log: false`` is a deliberate choice)."""
    if not is_mapping(entry.value):
        return None
    spec = entries(entry.value)
    kind, low_entry, high_entry = spec.get("type"), spec.get("low"), spec.get("high")
    if kind is None or text_of(kind.value) != "float" or low_entry is None or high_entry is None or "log" in spec:
        return None
    low, high = number_of(low_entry.value), number_of(high_entry.value)
    if not _wasted_linear(name, low, high, config):
        return None
    stepped = "step" in spec
    if stepped:
        advice = "Optuna does not allow step with log: drop step and add log: true"
    elif low <= 0:
        advice = "log: true needs a positive low: start at a small value and add log: true"
    else:
        advice = "add log: true so every decade gets the same share of trials"
    edits = add_key(entry.value, "log", "true", text, quote_value=False) if low > 0 and not stepped and not aliased(entry.key, entry.value) else []
    span = f" over {decades_text(low, high)}" if low > 0 else " from 0"
    message = f"`type: float` (low {sci(low)}, high {sci(high)}) samples `{name}` uniformly{span}: {uniform_waste(low, high, name)}; {advice}"
    return Finding("HPL202", message, entry.key, entry.value, edits, Safety.SAFE, "sample on a log scale")


class _Options:
    """What ``TooFewTrials``'s wording reads of a rule: its options."""

    def __init__(self, config) -> None:
        self.option = config.option


def _budget(root, sweeper, swept: int, config) -> Optional[Finding]:
    """``n_trials`` below what the sweeper's model-based sampler needs."""
    found = entries(sweeper)
    n_trials = found.get("n_trials")
    if n_trials is None or not is_integer(n_trials.value) or not _optuna_sweeper(root, sweeper):
        return None
    budget = int(number_of(n_trials.value) or 0)
    sampler = _sampler(root, found.get("sampler"))
    if sampler is None or budget <= 0:
        return None
    minimum = int(config.option("min-trials"))
    count = swept or None
    if budget < minimum:
        message = TooFewTrials._message(_Options(config), "n_trials", budget, sampler, count)  # type: ignore[arg-type]
    elif sampler.startup is not None and budget <= sampler.startup:
        message = (
            f"n_trials={budget} with {sampler.label}: its first {sampler.startup} trials are random "
            f"({sampler.startup_name}={sampler.startup}), so this search never uses its model; "
            f"set {sampler.startup_name} well below n_trials or use RandomSampler"
        )
    else:
        return None
    return Finding("HPL501", message, n_trials.key, n_trials.value)


def _optuna_sweeper(root, sweeper) -> bool:
    """The Optuna sweeper: its ``_target_``, an Optuna sampler, or chosen in the defaults list."""
    targets = [entries(sweeper).get("_target_")]
    sampler = entries(sweeper).get("sampler")
    if sampler is not None and is_mapping(sampler.value):
        targets.append(entries(sampler.value).get("_target_"))
    if any(t is not None and "optuna" in (text_of(t.value) or "").lower() for t in targets):
        return True
    return (_defaults_choice(root, "") or "").lower() == "optuna"


def _sampler(root, entry) -> Optional[Sampler]:
    """The sweeper's sampler: ``sampler: _target_: optuna.samplers.X``, a
    ``/hydra/sweeper/sampler`` choice in the defaults list, or the Optuna
    sweeper's default, TPE; None for a sampler that fits no model."""
    name: Optional[str] = None
    startup: Optional[int] = None
    if entry is not None and is_mapping(entry.value):
        spec = entries(entry.value)
        target = spec.get("_target_")
        name = (text_of(target.value) or "").rsplit(".", 1)[-1] if target is not None else None
        given = spec.get("n_startup_trials")
        if given is not None:
            if not is_integer(given.value):
                return None  # an interpolation: the warm-up is not known here
            startup = int(number_of(given.value) or 0)
    elif entry is not None:
        return None  # a sampler given some other way: not known here
    if name is None:
        choice = _defaults_choice(root, "sampler")
        if choice is not None and choice.lower() in _NOT_MODEL_SAMPLERS:
            return None
        name = _SAMPLER_CONFIGS.get((choice or "tpe").lower())
    if name not in MODEL_SAMPLERS:
        return None
    label, default = MODEL_SAMPLERS[name]
    return Sampler(f"the {label} sampler", default if startup is None else startup, "n_startup_trials")


def _defaults_choice(root, group: str) -> Optional[str]:
    """``override /hydra/sweeper/<group>: choice`` in the root's defaults list."""
    defaults = entries(root).get("defaults")
    if defaults is None or not is_sequence(defaults.value):
        return None
    for item in defaults.value.value:
        if not is_mapping(item):
            continue
        for key, value in item.value:
            written = text_of(key) or ""
            if written.replace("override", "").strip().strip("/") == f"hydra/sweeper/{group}".rstrip("/") and is_scalar(value):
                return value.value
    return None


# -- the Ax sweeper ------------------------------------------------------------


@dataclass
class _AxSweep:
    """What the Ax sweeper reads: its parameter tables and its ``max_trials`` entry."""

    tables: List[object] = field(default_factory=list)
    budget: Optional[object] = None


def _ax_sweep(root, sweeper, package) -> _AxSweep:
    """The Ax sweeper's ``ax_config`` (under ``params:`` in Hydra 1.0), and for a
    sweeper that is Ax's, parameters written under ``params`` or ``search_space``."""
    if package is not None and package.group(1):
        return _AxSweep([root])  # ``# @package hydra.sweeper.ax_config.params``
    found = entries(sweeper)
    written = found.get("ax_config")
    if written is None and "params" in found and is_mapping(found["params"].value):
        written = entries(found["params"].value).get("ax_config")
    ax_config = root if package is not None else (written.value if written is not None else None)
    sweep = _AxSweep()
    if ax_config is not None and is_mapping(ax_config):
        settings = entries(ax_config)
        params = settings.get("params")
        if params is not None and is_mapping(params.value):
            sweep.tables.append(params.value)
        sweep.budget = settings.get("max_trials")
    if package is None and (ax_config is not None or _ax_chosen(root, sweeper)):
        sweep.tables += [found[k].value for k in ("params", "search_space") if k in found and is_mapping(found[k].value)]
    return sweep


def _ax_chosen(root, sweeper) -> bool:
    """The Ax sweeper: its ``_target_``, or chosen in the defaults list."""
    target = entries(sweeper).get("_target_")
    if target is not None and "ax_sweeper" in (text_of(target.value) or "").lower():
        return True
    return (_defaults_choice(root, "") or "").lower() == "ax"


def _ax(sweep: _AxSweep, text: str, config) -> List[Finding]:
    found: List[Finding] = []
    tuned = 0
    for table in sweep.tables:
        for name, entry in entries(table).items():
            spec = entries(entry.value) if is_mapping(entry.value) else {}
            kind = text_of(spec["type"].value) if "type" in spec else None
            tuned += kind in ("range", "choice")
            finding = _ax_range(name.lstrip("+~"), entry, spec, text, config) if kind == "range" else None
            if finding is not None:
                found.append(finding)
    budget = sweep.budget
    if budget is not None and is_integer(budget.value):  # type: ignore[attr-defined]
        trials = int(number_of(budget.value) or 0)  # type: ignore[attr-defined]
        if 0 < trials < int(config.option("min-trials")):
            message = TooFewTrials._message(_Options(config), "max_trials", trials, _AX_SAMPLER, tuned or None)  # type: ignore[arg-type]
            found.append(Finding("HPL501", message, budget.key, budget.value))  # type: ignore[attr-defined]
    return found


_AX_SAMPLER = Sampler(
    "the Hydra Ax sweeper", None, "", "",
    "Ax spends its first trials on quasi-random Sobol points before its model picks any (how many "
    "depends on the Ax version and the number of parameters: not visible here)",
)


def _ax_range(name: str, entry, spec, text: str, config) -> Optional[Finding]:
    """``model.lr: {type: range, bounds: [1e-4, 1e-1]}`` without ``log_scale``: Ax
    searches the range linearly (``log_scale: false`` is a deliberate choice)."""
    bounds = spec.get("bounds")
    if bounds is None or "log_scale" in spec or not is_sequence(bounds.value) or len(bounds.value.value) != 2:
        return None
    low, high = (number_of(node) for node in bounds.value.value)
    if not _wasted_linear(name, low, high, config):
        return None
    advice = "add log_scale: true (Ax searches a range linearly without it)"
    if low <= 0:
        advice = f"a log scale needs a positive lower bound: start at a small value and {advice}"
    editable = low > 0 and not aliased(entry.key, entry.value)
    # after the bounds, as Ax's own examples write it, else before the first key
    edits = (add_key(entry.value, "log_scale", "true", text, after=bounds, quote_value=False) or add_key(entry.value, "log_scale", "true", text, quote_value=False)) if editable else []
    message = f"Ax `type: range` (bounds {sci(low)}, {sci(high)}) samples `{name}` uniformly {span_text(low, high)}: {uniform_waste(low, high, name)}; {advice}"
    return Finding("HPL203", message, entry.key, entry.value, edits, Safety.SAFE, "sample on a log scale")
