"""What every demonstration shares: run settings, per-seed outcomes, verdicts."""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass, field
from typing import Any, Callable

from hplint.verify.verdict import Verdict, decide

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
        """Quick: 3 seeds, 6 epochs; full: 5 seeds (paired differences need a spread), 10 epochs."""
        count = n_seeds if n_seeds is not None else (3 if quick else 5)
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
    anti_cost: float  # trainings, epochs or seconds spent, in the demo's budget unit
    fix_cost: float
    plot: dict[str, Any] = field(default_factory=dict)
    details: dict[str, float] = field(default_factory=dict)  # what else the seed measured (JSON)


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
    # False where both sides get the same budget by design (a count of trainings, or a
    # wall-clock budget met to within one trial): then only the metric decides
    compare_cost: bool = False


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
    def judgement(self) -> Verdict:
        """The verdict with the paired differences and tolerance behind it."""
        side = lambda name: [getattr(o, name) for o in self.outcomes]  # noqa: E731
        return decide(side("anti"), side("fix"), side("anti_cost"), side("fix_cost"), self.demo.compare_cost)

    @property
    def verdict(self) -> str:
        return self.judgement.outcome


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
