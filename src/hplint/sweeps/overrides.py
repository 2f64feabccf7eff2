"""Hydra's basic sweeper: how many values one override sweeps, and the
HPL102 finding over all of them.

``key=0.1,0.01,0.001`` (or the same value under ``hydra.sweeper.params``)
runs every value; several such keys run every combination.  The size of a
value is read as Hydra's override grammar reads it: a comma list at the top
level, ``choice(...)``, ``range(start, stop, step)`` (counted exactly as
Hydra steps it, in decimals), ``sort``/``shuffle``/``tag`` around one of
those.  Anything whose count is not written in the value (``glob(...)``, an
interpolation ``${...}`` or a shell ``$VAR`` that may stand for a list, an
escape, a function not known here) has no size: the sweep is not reported.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import List, Optional, Sequence, Tuple

from hplint.rules.strategy.axes import Dim
from hplint.rules.strategy.grids import grid_message, grid_size, too_big, tuned_axis

_CALL = re.compile(r"([A-Za-z_]\w*)\s*\((.*)\)\s*", re.DOTALL)
_KEYWORD = re.compile(r"\s*([A-Za-z_]\w*)\s*=(.*)", re.DOTALL)
_CASTS = frozenset({"int", "float", "str", "bool", "json_str"})
_OPEN, _CLOSE = "([{", ")]}"
# what the suggested search is, in a Hydra project
SEARCH = "the Optuna sweeper (`override /hydra/sweeper: optuna`) with `n_trials: {n}`"


# a value that is a sweep of Hydra's override grammar (``interval(a, b)``, ``choice(...)``...)
SWEEP_CALL = re.compile(r"\s*(?:interval|choice|range|tag|glob|shuffle|sort)\s*\(")

def split_top(text: str) -> Optional[List[str]]:
    """``text`` split at the commas outside quotes and brackets; None where
    it does not read (an unclosed bracket or quote, an escape)."""
    parts: List[str] = []
    depth, quote, start = 0, "", 0
    for at, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char == "\\":
            return None
        elif char in "'\"":
            quote = char
        elif char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                return None
        elif char == "," and depth == 0:
            parts.append(text[start:at])
            start = at + 1
    if quote or depth:
        return None
    parts.append(text[start:])
    return parts


def sweep_size(value: str) -> Optional[int]:
    """How many runs ``key=value`` makes: 1 for one value, the count of a
    sweep, None where the count is not written in the value."""
    if "$" in value:
        return None
    parts = split_top(value)
    if parts is None or any(not p.strip() for p in parts):
        return None
    if len(parts) > 1:
        return len(parts) if all(_element(p) for p in parts) else None
    return _single(parts[0].strip())


def _element(text: str) -> bool:
    """One value of a comma list: not itself a sweep."""
    match = _CALL.fullmatch(text.strip())
    return match is None or match.group(1) in _CASTS


def _single(text: str) -> Optional[int]:
    match = _CALL.fullmatch(text)
    if match is None or text[:1] in "'\"[{":
        return 1
    name, inner = match.group(1), match.group(2)
    args = split_top(inner)
    if args is None:
        return None
    if name == "choice":
        if any(_KEYWORD.match(a) for a in args if not a.strip().startswith(("'", '"'))) or not all(a.strip() for a in args):
            return None
        return len(args) if all(_element(a) for a in args) else None
    if name == "range":
        return _range_size(args)
    if name in ("sort", "shuffle", "tag"):
        if name == "tag":
            args = args[-1:]  # tag(t1, t2, sweep): the tags change nothing here
        positional = [a for a in args if not _KEYWORD.match(a) or a.strip()[:1] in "'\""]
        return sweep_size(",".join(positional)) if positional and len(positional) == len(args) else None
    if name in _CASTS and len(args) == 1:
        return sweep_size(args[0])
    return None  # glob, interval (not a basic-sweeper value), a function not known here


def _decimal(text: str) -> Optional[Decimal]:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _range_size(args: Sequence[str]) -> Optional[int]:
    """``range(stop)``, ``range(start, stop[, step])``, with or without keywords."""
    names = ("start", "stop", "step")
    given = {}
    for index, arg in enumerate(args):
        keyword = _KEYWORD.match(arg)
        name, text = (keyword.group(1), keyword.group(2)) if keyword else (names[index] if index < 3 else "", arg)
        if name not in names or name in given:
            return None
        given[name] = _decimal(text)
    if len(args) == 1 and not _KEYWORD.match(args[0]):
        given = {"stop": given["start"]}  # range(5): a stop
    start, stop, step = given.get("start", Decimal(0)), given.get("stop"), given.get("step", Decimal(1))
    if start is None or stop is None or step is None or step == 0:
        return None
    return max(0, math.ceil((stop - start) / step))


def basic_grid_message(axes: Sequence[Tuple[str, int, Optional[List[float]]]], config) -> Optional[str]:
    """The HPL102 message for a basic-sweeper grid (``name, size, numbers`` of
    each swept key), or None under the rule's thresholds: decided on the
    hyperparameters alone (not seeds), counted over every axis the grid runs."""
    dims = [Dim(name, size, numbers=numbers, named=True) for name, size, numbers in axes if size >= 2]
    tuned = [d for d in dims if tuned_axis(d.name, config.vocabulary)]
    if len(tuned) < 2 or not too_big(tuned, grid_size(tuned), config.option):
        return None
    message, _ = grid_message(dims, grid_size(dims), config.option, search=SEARCH)
    return f"Hydra basic-sweeper {message}"


def numbers_of(value: str) -> Optional[List[float]]:
    """A comma list's values as numbers, when every one is a number."""
    parts = split_top(value)
    if parts is None:
        return None
    found = []
    for part in parts:
        number = _decimal(part)
        if number is None:
            return None
        found.append(float(number))
    return found
