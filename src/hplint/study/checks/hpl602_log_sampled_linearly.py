"""HPL602: a log-scale parameter was sampled on a linear scale (read from the stored distribution)."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Tuple

from hplint.core.registry import register_check
from hplint.core.rule import Example
from hplint.reading.ranges import DECADE, wastes_linear
from hplint.rules.search_space.wording import decades_text
from hplint.study.check import Finding, Histogram, ResultCheck, StudyData, num, pct
from hplint.study.space import numeric_distribution


@register_check
class LogSampledLinearly(ResultCheck):
    code = "HPL602"
    name = "log-parameter-sampled-linearly"
    summary = "A log-scale parameter of a finished study was sampled on a linear scale"
    why = (
        "HPL202's reasoning, read from the distribution the study stored instead of from code: "
        "a learning rate, weight decay or other log-scale parameter drawn uniformly from "
        "1e-5..1e-1 puts 90% of its trials in the top decade and 0.09% in the lowest one. The "
        "message counts where this study's trials actually fell. It applies wherever the range "
        "came from (a config file, a command line, a helper library) that the code rules cannot see. "
        "Reported: a float distribution without `log=True` and without `step`, for a name the "
        "vocabulary calls log-scale (`log-scale-names` in `[tool.hplint]` adds names), over more "
        "than a decade, or from 0 for a learning rate or an inverse penalty `C` (where 0 is no "
        "setting at all). A range from 0 for a penalty (0 is \"off\") and integer parameters are not reported."
    )
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1)
                return validation_loss(lr)
            """,
            note="hplint study: HPL602 lr was sampled linearly over 1e-05..0.1 (4 decades): 27 of 30 trials (90%) "
            "drew from the top decade 0.01..0.1 and 0 from 1e-05..0.0001; ...",
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return validation_loss(lr)
            """
        ),
    )

    def check(self, study: StudyData) -> Iterator[Finding]:
        samples: Dict[Tuple[str, Any], List[float]] = {}
        for trial in study.trials:
            for name, dist in trial.distributions.items():
                if name in trial.params:
                    samples.setdefault((name, dist), []).append(float(trial.params[name]))
        for (name, dist), values in sorted(samples.items(), key=lambda item: item[0][0]):
            found = self._linear(study, name, dist, values)
            if found is not None:
                yield found

    def _linear(self, study: StudyData, name: str, dist: Any, values: List[float]):
        space = numeric_distribution(dist)
        if space is None or space.log or space.step is not None or space.is_int:
            return None
        if not self.vocabulary.is_log_scale(name, tuning_context=True):
            return None
        if not wastes_linear(space.low, space.high, self.vocabulary.zero_is_no_setting(name)):
            return None
        low, high = space.low, space.high
        top_low = high / DECADE
        top = sum(1 for v in values if v >= top_low)
        n = len(values)
        if low > 0:
            span = f"over {num(low)}..{num(high)} ({decades_text(low, high)})"
            bottom_high = low * DECADE
            bottom = sum(1 for v in values if v < bottom_high)
            spread = (
                f"{top} of {n} trials ({pct(top, n)}) drew from the top decade {num(top_low)}..{num(high)} "
                f"and {bottom} from the lowest {num(low)}..{num(bottom_high)}"
            )
        else:
            span = f"from {num(low)} to {num(high)}"
            small = sum(1 for v in values if v < high / DECADE ** 2)
            spread = (
                f"{top} of {n} trials ({pct(top, n)}) drew from the top decade {num(top_low)}..{num(high)} "
                f"and {small} below {num(high / DECADE ** 2)}"
            )
        message = (
            f"{name} was sampled linearly {span}: {spread}; sample it with log=True "
            f"(suggest_float(..., log=True)) so each decade gets an equal share of the trials"
        )
        plot = Histogram(name, tuple(values), float(low), float(high), f"{study.name}: {name} sampled linearly")
        return self.finding(study, message, name, plot)
