"""What every demonstration shares: run settings, per-seed outcomes, verdicts."""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass, field
from typing import Any, Callable

# Validation sets have 1024 examples: one binomial standard error of an
# accuracy near 0.7 is sqrt(0.7 * 0.3 / 1024) ~ 0.014. A fix "at least as good"
# may trail the anti-pattern by at most this much before the verdict flips.
ACCURACY_TOLERANCE = 0.015

LR_LOW, LR_HIGH = 1e-4, 1.0  # the learning-rate range every demo searches (4 decades)


@dataclass(frozen=True)
class Settings:
    """Sizes of one run; ``quick`` trades repetitions and epochs for speed."""

    seeds: tuple[int, ...]
    epochs: int
    n_train: int
    n_val: int
    device: str
    quick: bool

    @staticmethod
    def make(quick: bool, n_seeds: int | None, device: str) -> "Settings":
        count = n_seeds if n_seeds is not None else 3
        return Settings(
            seeds=tuple(range(count)),
            epochs=6 if quick else 10,
            n_train=1024,
            n_val=1024,
            device=device,
            quick=quick,
        )


@dataclass
class SeedOutcome:
    """What one seed measured: the metric for both sides, and data for the plot."""

    anti: float
    fix: float
    anti_cost: float  # trainings or epochs spent, in the demo's budget unit
    fix_cost: float
    plot: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Demo:
    """One demonstration: what it compares, how it decides, how it runs one seed."""

    name: str
    codes: tuple[str, ...]
    claim: str
    anti_label: str
    fix_label: str
    metric: str
    budget_unit: str
    run_seed: Callable[[int, Settings], SeedOutcome]
    cost_must_drop: bool = False  # pruning: the fix must also spend less


@dataclass
class DemoResult:
    """Aggregated over seeds, with the verdict computed from these numbers only."""

    demo: Demo
    outcomes: list[SeedOutcome]
    seconds: float

    def stats(self, side: str) -> tuple[float, float]:
        values = [getattr(o, side) for o in self.outcomes]
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        return statistics.fmean(values), spread

    @property
    def holds(self) -> bool:
        anti, _ = self.stats("anti")
        fix, _ = self.stats("fix")
        good_enough = fix >= anti - ACCURACY_TOLERANCE
        if not self.demo.cost_must_drop:
            return good_enough
        return good_enough and self.stats("fix_cost")[0] < self.stats("anti_cost")[0]

    @property
    def verdict(self) -> str:
        return "holds" if self.holds else "does not hold here"


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    """One draw, uniform in log space: how a learning rate should be sampled."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def geometric(low: float, high: float, n: int) -> list[float]:
    """n points evenly spaced in log space, endpoints included."""
    if n == 1:
        return [math.sqrt(low * high)]
    ratio = (high / low) ** (1.0 / (n - 1))
    return [low * ratio**i for i in range(n)]


def linear(low: float, high: float, n: int) -> list[float]:
    """n points evenly spaced, endpoints included (the anti-pattern's grid)."""
    return [low + (high - low) * i / (n - 1) for i in range(n)]
