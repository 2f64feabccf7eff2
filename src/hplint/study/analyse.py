"""Running the enabled results checks over every study a storage holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional

from hplint.core.registry import result_checks
from hplint.study.check import Finding, StudyData
from hplint.study.checks.hpl605_negligible_importance import MissingExtra
from hplint.study.storage import Opened, studies_of


@dataclass
class Analysis:
    findings: List[Finding] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)  # checks that could not run, once each
    studies: int = 0
    trials: int = 0


def load_study(opened: Opened, frozen: Any) -> StudyData:
    """One study's trials, read once (no copy: nothing here changes them)."""
    trials = opened.storage.get_all_trials(frozen._study_id, deepcopy=False)
    return StudyData(
        name=frozen.study_name,
        directions=tuple(d.name.lower() for d in frozen.directions),
        trials=trials,
        system_attrs=dict(frozen.system_attrs),
        user_attrs=dict(frozen.user_attrs),
        storage=opened.storage,
    )


def analyse(opened: Opened, study_name: Optional[str], config: Any) -> Analysis:
    """Every enabled check on every study (or the one named), in code order."""
    enabled = config.enabled_result_codes()
    checks = [check(config, config.vocabulary) for check in result_checks() if check.code in enabled]
    result = Analysis()
    studies = [load_study(opened, frozen) for frozen in studies_of(opened, study_name)]
    opened.close()  # everything is read: no connection or lock is held while the checks run
    for study in studies:
        result.studies += 1
        result.trials += len(study.trials)
        for check in checks:
            try:
                result.findings.extend(check.check(study))
            except MissingExtra as exc:
                if str(exc) not in result.notes:
                    result.notes.append(str(exc))
    return result
