"""HPL3xx: pruning — searches that train every trial to the end.

Optuna prunes only when an objective reports intermediate values *and* asks
``trial.should_prune()`` *and* raises ``optuna.TrialPruned``; Ray Tune stops
trials early only with a scheduler.  The rules here read one file at a time:
what happens inside a function the trial is never passed to is not guessed.

Importing the package registers its rules; their shared per-file facts are in
``facts``, each rule in a module of its own.
"""

from __future__ import annotations

from hplint.rules.pruning import (
    hpl301_objective_never_reports,
    hpl302_reports_but_never_prunes,
    hpl303_pruning_not_executed,
    hpl304_pruning_switched_off,
)

__all__ = [
    "hpl301_objective_never_reports",
    "hpl302_reports_but_never_prunes",
    "hpl303_pruning_not_executed",
    "hpl304_pruning_switched_off",
]
