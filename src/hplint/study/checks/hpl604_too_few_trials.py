"""HPL604: a finished study ran fewer trials than its model-based sampler needs."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

from hplint.core.registry import register_check
from hplint.core.rule import Example, Option
from hplint.study.check import Finding, ResultCheck, StudyData

# What a sampler leaves in the storage, its name and its random start-up trials;
# None: a sampler without a model to warm up (grid, quasi-random, genetic).
TRACES: Tuple[Tuple[str, Optional[Tuple[str, int]]], ...] = (
    ("gp:", ("GPSampler", 10)),
    ("tpe:", ("TPESampler", 10)),
    ("cma:", ("CmaEsSampler", 1)),
    ("grid_id", None),
    ("search_space", None),
    ("nsga2:", None),
    ("nsga3:", None),
    ("qmc:", None),
)


@register_check
class TooFewTrialsForSampler(ResultCheck):
    code = "HPL604"
    name = "too-few-trials-for-sampler"
    summary = "A finished study ran fewer trials than its model-based sampler needs"
    why = (
        "HPL501's reasoning, read from the results: TPE and GPSampler draw their first 10 trials at "
        "random (n_startup_trials=10) and need 20 or more before their model beats random search. "
        "A study with fewer finished trials than `min-trials` (shared with HPL501, default 20) was, "
        "for the most part, a random search. Optuna stores the sampler only through the marks some "
        "samplers leave on trials (GPSampler's and TPE's relative parameters with constant_liar, "
        "CMA-ES's optimizer state, a grid's `grid_id`, a genetic generation, QMC's sequence id); "
        "a single-objective study without any mark is taken to use Optuna's default, TPESampler, "
        "and the message says the sampler was inferred (RandomSampler leaves no mark either). "
        "Samplers without a model (grid, QMC, NSGA-II/III) and multi-objective studies without a "
        "mark are not reported."
    )
    options = (
        Option("min-trials", int, 20, "Fewest trials a model-based sampler should get before HPL501 and HPL604 are quiet.", minimum=1),
    )
    bad_examples = (
        Example(
            """
            study = optuna.create_study(storage="sqlite:///tune.db")
            study.optimize(objective, n_trials=8)
            """,
            note="hplint study: HPL604 8 finished trials, fewer than 20: the sampler is not stored; ...",
        ),
    )
    good_examples = (
        Example(
            """
            study = optuna.create_study(storage="sqlite:///tune.db")
            study.optimize(objective, n_trials=100)
            """
        ),
    )

    def check(self, study: StudyData) -> Iterator[Finding]:
        finished = [t for t in study.trials if t.state.name in ("COMPLETE", "PRUNED")]
        minimum = self.option("min-trials")
        if not finished or len(finished) >= minimum:
            return
        found, inferred = self._sampler(study)
        if found is None:
            return
        name, startup = found
        modelled = max(0, len(finished) - startup)
        if inferred:
            source = (
                f"the sampler is not stored and no trial carries another sampler's marks, as with Optuna's default "
                f"{name} (RandomSampler leaves none either)"
            )
        else:
            source = f"{name}, read from the marks it left on the trials"
        yield self.finding(
            study,
            f"{len(finished)} finished trials, fewer than {minimum}: {source}; it draws its first {startup} at random, "
            f"so {modelled} of {len(finished)} trials used its model. Budget at least {minimum} trials, or say "
            f"RandomSampler if a random search is meant",
        )

    @staticmethod
    def _sampler(study: StudyData) -> Tuple[Optional[Tuple[str, int]], bool]:
        keys = [key for t in study.trials for key in t.system_attrs] + list(study.system_attrs)
        for prefix, sampler in TRACES:
            if any(key.startswith(prefix) for key in keys):
                return sampler, False
        if not study.single_objective:
            return None, False
        return ("TPESampler", 10), True
