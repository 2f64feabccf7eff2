"""A stored distribution read as a range: bounds, scale, where a value lies in it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    log: bool
    step: Optional[float]
    is_int: bool


def numeric_distribution(dist: Any) -> Optional[Range]:
    """A Float- or IntDistribution (and the older Uniform/LogUniform/... ones) as a
    Range; None for a categorical one or a range of one value."""
    if dist is None or not hasattr(dist, "low") or not hasattr(dist, "high"):
        return None
    low, high = dist.low, dist.high
    if not (isinstance(low, (int, float)) and isinstance(high, (int, float))) or not low < high:
        return None
    log = bool(getattr(dist, "log", False)) or type(dist).__name__ in ("LogUniformDistribution", "IntLogUniformDistribution")
    if log and low <= 0:
        return None
    step = getattr(dist, "step", None) or getattr(dist, "q", None)
    is_int = type(dist).__name__ in ("IntDistribution", "IntUniformDistribution", "IntLogUniformDistribution")
    return Range(low, high, log, step, is_int)


def position(dist: Range, value: float) -> float:
    """Where ``value`` lies between the bounds: 0 at ``low``, 1 at ``high`` (log scale for a log range)."""
    if dist.log:
        return (math.log(value) - math.log(dist.low)) / (math.log(dist.high) - math.log(dist.low))
    return (value - dist.low) / (dist.high - dist.low)
