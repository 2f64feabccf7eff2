"""W&B sweep parameters: what HPL203 and HPL205 decide about a ``min``/``max``
spec and how they word it, shared by the Python rules (a sweep dict in code)
and the sweep-file reader (``hplint.sweeps``), so both say the same thing.

W&B's ``distribution`` keys: ``uniform`` and ``q_uniform`` draw values
linearly (and float ``min``/``max`` without a ``distribution`` mean
``uniform``); ``log_uniform`` and ``q_log_uniform`` take natural-log
exponents (``min: -11.5`` is e**-11.5 = 1e-5); ``log_uniform_values`` and
``q_log_uniform_values`` take the values themselves.
"""

from __future__ import annotations

import math
from typing import Optional

from hplint.reading.ranges import linear_log_scale, real_value_exponents, wastes_linear
from hplint.rules.search_space.wording import sci, span_text, uniform_waste

WANDB_LOG = {"uniform": "log_uniform_values", "q_uniform": "q_log_uniform_values"}
WANDB_EXPONENT = {"log_uniform": "log_uniform_values", "q_log_uniform": "q_log_uniform_values"}
WANDB_KEYS = frozenset({"min", "max", "distribution", "q", "mu", "sigma", "values", "value", "probabilities"})
WANDB_METHODS = frozenset({"grid", "random", "bayes"})


def linear_spec_target(key: str, distribution: Optional[str], low: float, high: float, vocabulary) -> Optional[str]:
    """HPL203's decision on a W&B spec: the log distribution to use instead, or None.

    ``distribution`` None means the key is absent (W&B infers ``uniform`` from
    float bounds; the caller has ruled out integer bounds, which mean
    ``int_uniform``).  Reported for a log-scale name whose bounds a linear draw
    wastes (``ranges.wastes_linear``)."""
    if distribution is not None and distribution not in WANDB_LOG:
        return None
    if low >= high or not linear_log_scale(low, high):
        return None
    if not vocabulary.is_log_scale(key, tuning_context=True):
        return None
    if not wastes_linear(low, high, vocabulary.zero_is_no_setting(key)):
        return None
    return WANDB_LOG[distribution or "uniform"]


def linear_spec_message(key: str, distribution: Optional[str], low: float, high: float, target: str) -> str:
    """HPL203's message for a W&B spec, with the share of draws each decade gets."""
    if distribution is not None:
        how = f'the "distribution" is "{distribution}"'
    else:
        how = "without a \"distribution\", W&B samples float min/max uniformly"
    advice = f"use \"distribution\": \"{target}\""
    if low <= 0:
        advice = f"{target} needs a positive min: start at a small value and " + advice
    return (
        f"W&B sweep parameter `{key}` (min {sci(low)}, max {sci(high)}): {how} {span_text(low, high)}, "
        f"so {uniform_waste(low, high, key)}; {advice}"
    )


def exponent_spec_target(distribution: Optional[str], low: float, high: float) -> Optional[str]:
    """HPL205's decision on a W&B spec: ``log_uniform`` given values where it
    takes natural-log exponents (``ranges.real_value_exponents``, as for
    hyperopt's ``hp.loguniform``); the distribution to use instead, or None."""
    if distribution not in WANDB_EXPONENT or low >= high or not real_value_exponents(low, high):
        return None
    return WANDB_EXPONENT[distribution]


def exponent_spec_message(key: str, distribution: str, low_text: str, high_text: str, low: float, high: float, target: str) -> str:
    """HPL205's message for a W&B spec: what the bounds sample, in numbers."""
    return (
        f"W&B sweep parameter `{key}`: \"{distribution}\" takes natural-log bounds: it samples "
        f"e**{low_text}..e**{high_text} = {math.exp(low):.6g}..{math.exp(high):.6g}, not {low_text}..{high_text}; "
        f"use \"distribution\": \"{target}\" for the values themselves"
    )
