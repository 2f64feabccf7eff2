"""HPL606: a large share of a study's trials failed."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator, Optional

from hplint.core.registry import register_check
from hplint.core.rule import Example, Option
from hplint.study.check import Bars, Finding, ResultCheck, StudyData, pct

REASON_KEYS = ("fail_reason", "failure_reason", "error")  # Optuna < 3 stored "fail_reason"; some objectives store their own
REASON_LENGTH = 80


@register_check
class ManyFailedTrials(ResultCheck):
    code = "HPL606"
    name = "many-failed-trials"
    summary = "A large share of a finished study's trials failed"
    why = (
        "A failed trial spends its compute and tells the sampler nothing: with a fifth of the "
        "trials failing, a budget of 100 trials is a search of 80, and the failures often cluster "
        "in one region of the space (a learning rate that diverges, a batch size that runs out of "
        "memory), which then stays unexplored or is misjudged. Reported when failed trials are "
        "`failed-share` (default 20%) or more of the finished ones (complete, pruned or failed), "
        "with the most common stored failure reasons: Optuna before 3.0 stored them as the "
        "trial's `fail_reason` system attribute; newer versions only log them, so the message says "
        "when none is stored. An objective that returns NaN or raises fails its trial alike."
    )
    options = (
        Option("failed-share", float, 0.2, "HPL606: share of finished trials that failed from which it is reported.",
               minimum=0, maximum=1, above=True),
    )
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-4, 10, log=True)
                return train(lr)  # diverges (NaN) above lr=1
            """,
            note="hplint study: HPL606 9 of 30 finished trials (30%) failed; ...",
        ),
    )

    def check(self, study: StudyData) -> Iterator[Finding]:
        finished = [t for t in study.trials if t.state.name in ("COMPLETE", "PRUNED", "FAIL")]
        failed = [t for t in finished if t.state.name == "FAIL"]
        if not finished or len(failed) < self.option("failed-share") * len(finished):
            return
        reasons = Counter(r for r in (_reason(t) for t in failed) if r is not None)
        stored = sum(reasons.values())
        if reasons:
            common = "; ".join(f"{count}× {text!r}" for text, count in reasons.most_common(3))
            why = f"most common stored reasons: {common}"
            if stored < len(failed):
                why += f" ({len(failed) - stored} failed without a stored reason)"
        else:
            why = "no failure reason is stored (Optuna 3 and later log them instead: see the run's log)"
        running = study.state_count("RUNNING")
        stale = f"; {running} more still marked RUNNING (a worker that died)" if running else ""
        message = f"{len(failed)} of {len(finished)} finished trials ({pct(len(failed), len(finished))}) failed{stale}; {why}"
        plot = None
        if reasons:
            top = reasons.most_common(8)
            plot = Bars(tuple(t for t, _ in top), tuple(float(c) for _, c in top), "failed trials", f"{study.name}: failure reasons")
        yield self.finding(study, message, "failures", plot)


def _reason(trial: Any) -> Optional[str]:
    for attrs in (trial.system_attrs, trial.user_attrs):
        for key in REASON_KEYS:
            value = attrs.get(key)
            if isinstance(value, str) and value.strip():
                text = " ".join(value.split())
                return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"
    return None
