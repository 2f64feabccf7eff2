"""How the HPL2 messages write numbers: the waste a spacing causes, in the
notation a tuning expert would use (2e-3, 47%, 2 decades)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

from hplint.reading.imports import dotted_name
from hplint.reading.numbers import format_number
from hplint.reading.ranges import DECADE, EPS, decades

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# Both HPL202 and HPL203 follow this policy for a lower bound of 0, in every library.
ZERO_BOUND_POLICY = (
    "A range from 0 is reported only for a learning rate or an inverse penalty `C`, where 0 is "
    "no setting at all (nothing trains; scikit-learn rejects C=0): its draws crowd the top "
    "decade. For a penalty (`weight_decay`, `alpha`, `reg_lambda`) 0 means \"off\", a value no "
    "log scale reaches, so a range from 0 is a deliberate choice and stays silent, in every library. "
)


def sci(value: float) -> str:
    """One significant digit, as a tuning expert writes it: 2e-3, 1e-4, 30."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    value = abs(value)
    exp = math.floor(math.log10(value) + EPS)
    mantissa = round(value / 10 ** exp)
    if mantissa >= 10:
        mantissa, exp = 1, exp + 1
    if 0 <= exp <= 3:
        return f"{sign}{mantissa * 10 ** exp}"
    return f"{sign}{mantissa}e{exp}"


def percent(share: float) -> str:
    """47%, 0.9%, 0.01%: whole percent from 1% up, one significant digit below."""
    value = share * 100
    if 0 < value < 0.001:
        return "under 0.001%"
    if value >= 1 or value == 0:
        return f"{round(value)}%"
    return f"{float(f'{value:.1g}'):g}%"




def decades_text(low: float, high: float) -> str:
    span = decades(low, high)
    rounded = round(span, 1)
    if abs(rounded - round(rounded)) < 1e-9:
        rounded = int(round(rounded))
    return f"{rounded} decade" + ("" if rounded == 1 else "s")


def span_text(low: float, high: float) -> str:
    """'over 4 decades', or 'from 0 to 0.4' for a range a decade count cannot describe."""
    return f"over {decades_text(low, high)}" if low > 0 else f"from {bound(low)} to {bound(high)}"


def _edge(value: float) -> str:
    """A decade's edge: ``sci`` where one digit says it exactly (1e-3), else three (0.0145)."""
    short = sci(value)
    if abs(float(short) - value) <= 1e-9 * abs(value):
        return short
    return f"{value:.3g}"


def points_waste(points: Sequence[float]) -> str:
    """'5 of 6 points lie in the top decade 1e-3..1e-2; nothing between 1e-4 and 0.00208 is tried'."""
    ordered = sorted(points)
    high = ordered[-1]
    top = [p for p in ordered if p >= high / DECADE * (1 - EPS)]
    text = f"{len(top)} of {len(ordered)} points lie in the top decade {_edge(high / DECADE)}..{_edge(high)}"
    gap_low, gap_high = ordered[0], ordered[1]
    for a, b in zip(ordered, ordered[1:]):
        if a > 0 and b / a > gap_high / gap_low:
            gap_low, gap_high = a, b
    if gap_high / gap_low >= 3:
        text += f"; nothing between {_edge(gap_low)} and {_edge(gap_high)} is tried"
    return text


def uniform_waste(low: float, high: float, name: str) -> str:
    """Share of uniform samples in the top decade, and below low*10."""
    width = high - low
    if 0 < low and high / low < 3 * DECADE:
        # barely over a decade: the top decade is nearly the whole range, so say
        # what the lower half of the range (on a log scale) gets instead
        middle = math.sqrt(low * high)
        share = (middle - low) / width
        return (
            f"only {percent(share)} of samples land in the lower half of the range on a log scale "
            f"{bound(low)}..{bound(middle)} (a log-uniform draw gives it 50%)"
        )
    top = (high - high / DECADE) / width
    text = f"{percent(top)} of samples land in the top decade {bound(high / DECADE)}..{bound(high)}"
    if 0 < low and high / low < DECADE ** 2:
        rest = (high / DECADE - low) / width
        text += f" and {percent(rest)} in {bound(low)}..{bound(high / DECADE)} below it"
    elif low > 0:
        bottom = (low * DECADE - low) / width
        text += f" and only {percent(bottom)} in the bottom decade {sci(low)}..{sci(low * DECADE)}"
    else:
        bottom = (high / 100) / width
        text += f" and only {percent(bottom)} below {sci(high / 100)}"
    return text


def bound(value: float) -> str:
    """A bound as written for a range: one significant digit where exact, else two (0.011)."""
    rough = sci(value)
    return rough if math.isclose(float(rough), value, rel_tol=0.01) else format_number(value)


def short_code(ctx, node: cst.CSTNode, limit: int = 70) -> str:
    """The node's code when it is one short line, else ``callee(...)``."""
    code = ctx.code_for(node).strip()
    if "\n" not in code and len(code) <= limit:
        return code
    if isinstance(node, cst.Call):
        return f"{dotted_name(node.func) or 'call'}(...)"
    return code.split("\n", 1)[0][: limit - 3] + "..."


def plain_number(value: float) -> str:
    """A computed bound written the way a person would: 0.1, not 0.09999999999999999."""
    return repr(float(f"{value:.12g}"))
