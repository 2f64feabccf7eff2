"""HPL605: a searched parameter had negligible importance (fANOVA)."""

from __future__ import annotations

import random
from typing import Dict, Iterator, List, Optional, Tuple

from hplint.core.registry import register_check
from hplint.core.rule import Example, Option
from hplint.rules.search_space.wording import percent
from hplint.study.check import Bars, Finding, ResultCheck, StudyData, num

NEEDS = "sklearn"  # fANOVA's random forest
NULLS = ("(random 1)", "(random 2)", "(random 3)")  # columns no objective depends on, fitted beside the parameters
SEEDS = (0, 1, 2)  # fANOVA's forest is refitted with each; the shares are averaged


class MissingExtra(Exception):
    """The check needs a package the installation lacks; ``str()`` names the extra."""


@register_check
class NegligibleImportance(ResultCheck):
    code = "HPL605"
    name = "negligible-importance"
    summary = "A parameter of a finished study explains almost none of the objective's variation"
    why = (
        "Every parameter searched divides the trials among more dimensions. When fANOVA (Hutter et "
        "al., 2014; `optuna.importance.FanovaImportanceEvaluator`, seed 0) attributes to a parameter "
        "less than `importance-negligible` (default 1%) of the objective's variance, or no more than it "
        "attributes to one of three columns of random numbers fitted beside the parameters (what a "
        "parameter that does nothing gets from this many trials: a random forest on 40 trials gives "
        "noise one or two percent), the shares averaged over three forests (seeds 0, 1, 2), over at least `importance-min-trials` (default 30) complete trials, fix the "
        "parameter at a good value (the message gives the best trial's) and spend the trials on the "
        "parameters that matter (the importance hierarchy: learning rate first). Needs scikit-learn "
        "(`pip install 'hplint[study]'`). Not reported: multi-objective studies, studies where no "
        "parameter gets more than twice the random columns' share (the objective is noise there), "
        "studies with fewer than two parameters common to every complete trial, and parameters that "
        "do not appear in every complete trial (fANOVA reads the common search space only). Large "
        "studies are measured on their best tenth and an even sample of the rest, "
        "`importance-max-trials` in all, which the message then says."
    )
    options = (
        Option("importance-min-trials", int, 30, "HPL605: fewest complete trials before importance is judged.", minimum=2),
        Option("importance-negligible", float, 0.01, "HPL605: importance share below which a parameter is negligible.",
               minimum=0, maximum=1, above=True),
        Option("importance-max-trials", int, 200, "HPL605: most complete trials fANOVA fits (a sample above it).",
               minimum=30),
    )
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                seed_offset = trial.suggest_int("seed_offset", 0, 100)  # changes nothing
                return validation_loss(lr)
            """,
            note="hplint study: HPL605 seed_offset explains 0.2% of the objective's variance over 60 complete trials ...",
        ),
    )

    def check(self, study: StudyData) -> Iterator[Finding]:
        complete = study.complete
        if not study.single_objective or len(complete) < self.option("importance-min-trials"):
            return
        common = set(complete[0].distributions)
        for trial in complete[1:]:
            common &= set(trial.distributions)
        if len(common) < 2 or len({t.values[0] for t in complete}) < 2:
            return  # nothing to compare, or no variance to attribute
        measured = self._importances(study, sorted(common))
        if measured is None:
            return
        importances, null, used = measured
        if not any(value > 2 * null for value in importances.values()):
            return  # no parameter stands out from random numbers: the objective is noise here, not a choice of parameters
        floor = self.option("importance-negligible")
        best = study.ranked[0]
        ranked = sorted(importances.items(), key=lambda item: -item[1])
        others = ", ".join(f"{name} {percent(value)}" for name, value in ranked[:3])
        trials = f"{used} complete trials" if used == len(complete) else f"{used} of {len(complete)} complete trials (a sample)"
        plot = Bars(
            tuple(n for n, _ in ranked) + ("random numbers",), tuple(v for _, v in ranked) + (null,),
            "fANOVA importance (share)", f"{study.name}: importances",
        )
        for name, value in sorted(importances.items()):
            if value >= floor and value > null:
                continue
            yield self.finding(
                study,
                f"{name} explains {percent(value)} of the objective's variance over {trials} (fANOVA; {others}; "
                f"a column of random numbers gets up to {percent(null)}): fix it at {num(best.params[name])} (the best "
                f"trial's) and spend the trials on the others",
                name,
                plot,
            )

    def _importances(self, study: StudyData, names: List[str]) -> Optional[Tuple[Dict[str, float], float, int]]:
        """fANOVA shares of ``names``, averaged over ``SEEDS``, and the largest share of
        three columns of random numbers fitted beside them (what a parameter that does
        nothing gets from this many trials)."""
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise MissingExtra("HPL605 needs scikit-learn for fANOVA: pip install 'hplint[study]'") from None
        import optuna
        from optuna.distributions import FloatDistribution
        from optuna.importance import FanovaImportanceEvaluator, get_param_importances
        from optuna.trial import create_trial

        chosen = study.complete
        limit = self.option("importance-max-trials")
        if len(chosen) > limit:  # the best tenth of the sample, and an even spread of the rest
            head = limit // 10
            rest = study.ranked[head:]
            stride = len(rest) / (limit - head)
            chosen = study.ranked[:head] + [rest[int(i * stride)] for i in range(limit - head)]
        rng = random.Random(0)
        nulls = {null: FloatDistribution(0.0, 1.0) for null in NULLS}
        copies = [
            create_trial(
                value=t.values[0],
                params={**{n: t.params[n] for n in names}, **{null: rng.random() for null in NULLS}},
                distributions={**{n: t.distributions[n] for n in names}, **nulls},
            )
            for t in chosen
        ]
        sample = optuna.create_study(direction="maximize" if study.maximize else "minimize")  # in memory: the storage is never written
        sample.add_trials(copies)
        totals: Dict[str, float] = {}
        try:
            for seed in SEEDS:
                for name, value in get_param_importances(sample, evaluator=FanovaImportanceEvaluator(seed=seed)).items():
                    totals[name] = totals.get(name, 0.0) + float(value) / len(SEEDS)
        except (ValueError, RuntimeError, ZeroDivisionError):
            return None  # fANOVA cannot attribute this study's variance: say nothing rather than guess
        null = max(totals.pop(name, 0.0) for name in NULLS)
        return totals, null, len(chosen)
