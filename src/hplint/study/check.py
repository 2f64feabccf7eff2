"""What a results check sees (one study's trials) and what it reports.

A check is documented like a rule (``code``, ``name``, ``summary``, ``why``,
``options``, examples: ``hplint explain``, ``hplint rules`` and
``docs/rules/`` read them) but reads a finished study, not code. Its
messages state only numbers computed from the study's stored trials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Dict, Iterator, List, Optional, Sequence, Tuple

from hplint.core.rule import Example, Option

FAMILY = "results"


@dataclass(frozen=True)
class Scatter:
    """Objective value against one parameter, the range bounds and the best trials marked."""

    param: str
    xs: Tuple[float, ...]
    ys: Tuple[float, ...]
    low: float
    high: float
    log: bool
    best: Tuple[int, ...]  # indices into xs/ys of the trials to highlight
    title: str


@dataclass(frozen=True)
class Histogram:
    """Where a parameter's samples fell, on a log axis."""

    param: str
    values: Tuple[float, ...]
    low: float
    high: float
    title: str


@dataclass(frozen=True)
class Bars:
    """A labelled quantity per bar (importances, failure reasons)."""

    labels: Tuple[str, ...]
    values: Tuple[float, ...]
    xlabel: str
    title: str


Plot = Any  # Scatter | Histogram | Bars


@dataclass(frozen=True)
class Finding:
    code: str
    study: str
    message: str
    subject: str = ""  # the parameter it is about, for file names
    plot: Optional[Plot] = None


@dataclass
class StudyData:
    """One study as stored: its trials (optuna FrozenTrials) and attributes."""

    name: str
    directions: Tuple[str, ...]  # "minimize" / "maximize" per objective
    trials: Sequence[Any]
    system_attrs: Dict[str, Any] = field(default_factory=dict)
    user_attrs: Dict[str, Any] = field(default_factory=dict)
    storage: Any = None  # the read-only optuna storage, for optuna.importance

    def state_count(self, state: str) -> int:
        return sum(1 for t in self.trials if t.state.name == state)

    @cached_property
    def complete(self) -> List[Any]:
        """Complete trials with one finite objective value."""
        return [
            t for t in self.trials
            if t.state.name == "COMPLETE" and t.values is not None and len(t.values) == 1 and math.isfinite(t.values[0])
        ]

    @property
    def single_objective(self) -> bool:
        return len(self.directions) == 1

    @property
    def maximize(self) -> bool:
        return self.directions[0] == "maximize"

    @cached_property
    def ranked(self) -> List[Any]:
        """Complete trials, best first."""
        return sorted(self.complete, key=lambda t: -t.values[0] if self.maximize else t.values[0])


class ResultCheck:
    """Base class of the ``hplint study`` checks (HPL6xx)."""

    code: ClassVar[str]
    name: ClassVar[str]
    family: ClassVar[str] = FAMILY
    summary: ClassVar[str]
    why: ClassVar[str]
    fix_description: ClassVar[str] = ""
    fix_safety: ClassVar[None] = None
    default_enabled: ClassVar[bool] = True
    demonstration: ClassVar[Optional[str]] = None
    options: ClassVar[Tuple[Option, ...]] = ()
    bad_examples: ClassVar[Tuple[Example, ...]] = ()
    good_examples: ClassVar[Tuple[Example, ...]] = ()
    reads_results: ClassVar[bool] = True  # docs: a check of stored studies, suppressed by ignore, not # noqa

    def __init__(self, config: Any, vocabulary: Any) -> None:
        self.config = config
        self.vocabulary = vocabulary

    @classmethod
    def fixability(cls) -> str:
        return "none"

    def option(self, name: str) -> Any:
        return self.config.option(name)

    def check(self, study: StudyData) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, study: StudyData, message: str, subject: str = "", plot: Optional[Plot] = None) -> Finding:
        return Finding(self.code, study.name, message, subject, plot)


# ---------------------------------------------------------------------------
# numbers as messages show them


def num(value: float) -> str:
    """A stored value as a person reads it: 4 significant digits."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if value == 0 or not math.isfinite(value):
        return str(value)
    return f"{value:.4g}"


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
