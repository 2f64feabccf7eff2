"""What a set of values or a pair of bounds means to a search: decades, spacing.

Plain functions of numbers, shared by the rules and by the triggers their
prefilters are derived from, so both judge a range the same way.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

# A span wider than this many times counts as "orders of magnitude": the
# spacing rules need more than one decade, the narrow-range rule less than one.
DECADE = 10.0
EPS = 1e-9


def decades(low: float, high: float) -> float:
    return math.log10(high / low)


def spans_decades(low: Optional[float], high: Optional[float]) -> bool:
    """Positive bounds more than one decade apart."""
    return low is not None and high is not None and 0 < low < high and high / low > DECADE * (1 + EPS)


def is_narrow(low: Optional[float], high: Optional[float]) -> bool:
    """Positive bounds less than one decade apart."""
    return low is not None and high is not None and 0 < low < high and high / low < DECADE * (1 - EPS)


def linear_log_scale(low: Optional[float], high: Optional[float]) -> bool:
    """Bounds a linear distribution may waste, in either order: over a decade
    apart, or from 0 up (what ``wastes_linear`` can accept for some name)."""
    if low is None or high is None:
        return False
    low, high = min(low, high), max(low, high)
    if high <= 0:
        return False
    return low <= 0 or spans_decades(low, high)


def wastes_linear(low: Optional[float], high: Optional[float], zero_is_no_setting: bool) -> bool:
    """Bounds (in either order) a linear distribution of a log-scale parameter wastes.

    Positive bounds over a decade apart always do.  A range from 0 does only
    where 0 is no setting of the parameter (a learning rate, an inverse
    penalty ``C``): there the draws crowd the top decade and the small values
    a log scale would reach are never tried.  For a penalty, 0 means "off", a
    value no log scale reaches, and a range from 0 is a deliberate choice.
    """
    if low is None or high is None:
        return False
    low, high = min(low, high), max(low, high)
    if high <= 0:
        return False
    if low < 0:
        return False
    if low == 0:
        return zero_is_no_setting
    return spans_decades(low, high)


def real_values(low: Optional[float], high: Optional[float]) -> bool:
    """Bounds that read as real values, not exponents: 0 < low, high <= 1, over a decade apart."""
    if low is None or high is None:
        return False
    low, high = min(low, high), max(low, high)
    return 0 < low and high <= 1 and high / low >= DECADE * (1 - EPS)


def real_value_exponents(low: Optional[float], high: Optional[float]) -> bool:
    """Natural-log exponents that read as real values: 0 < low < 1, high <= 10,
    over a decade apart (``hp.loguniform("lr", 0.001, 3)``).  Exponents are
    written negative (``math.log(1e-5)``) or as whole numbers; a positive
    fraction over a decade below the upper bound is a value."""
    if low is None or high is None:
        return False
    low, high = min(low, high), max(low, high)
    return real_values(low, high) or (0 < low < 1 and high <= DECADE and high / low >= DECADE * (1 - EPS))


def loosely_even(values: Sequence[float]) -> bool:
    """Equal steps, allowing a first value that stands in for 0: [1e-4, 2e-3, 4e-3, ...]."""
    if len(values) < 3:
        return False
    steps = [b - a for a, b in zip(values, values[1:])]
    if all(abs(s - steps[0]) <= 0.02 * abs(steps[0]) for s in steps) and steps[0] != 0:
        return True
    if len(values) < 4 or steps[1] <= 0:
        return False
    rest_even = all(abs(s - steps[1]) <= 0.02 * steps[1] for s in steps[1:])
    return rest_even and 0.5 * steps[1] <= steps[0] <= 1.02 * steps[1]


def evenly_over_decades(values: Sequence[float]) -> bool:
    """A grid of values a linear spacing wastes: loosely even, over more than a decade."""
    return loosely_even(values) and spans_decades(min(values), max(values))
