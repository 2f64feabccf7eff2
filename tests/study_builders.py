"""Real Optuna studies with one problem each, and a well-run one, for ``hplint study``.

Each builder runs ``study.optimize`` on a cheap objective with a fixed seed,
so the stored trials are what a real tuning run leaves behind.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)


def edge(storage: Any, name: str = "edge") -> None:
    """The learning-rate optimum (5e-2) lies above the range searched (1e-5..1e-2)."""

    def objective(trial: optuna.Trial) -> float:
        lr = trial.suggest_float("lr", 1e-5, 1e-2, log=True)
        dropout = trial.suggest_float("dropout", 0.0, 0.5)
        return (math.log10(lr) - math.log10(5e-2)) ** 2 + 4 * (dropout - 0.2) ** 2

    study = optuna.create_study(study_name=name, storage=storage, sampler=optuna.samplers.TPESampler(seed=0))
    study.optimize(objective, n_trials=40)


def linear(storage: Any, name: str = "linear") -> None:
    """A learning rate drawn uniformly over four decades."""

    def objective(trial: optuna.Trial) -> float:
        lr = trial.suggest_float("learning_rate", 1e-5, 1e-1)
        return (math.log10(lr) + 3) ** 2

    study = optuna.create_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=1))
    study.optimize(objective, n_trials=30)


def never_prunes(storage: Any, name: str = "never-prunes") -> None:
    """Every trial reports each epoch; should_prune() is never asked."""

    def objective(trial: optuna.Trial) -> float:
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        loss = 1.0
        for epoch in range(8):
            loss = (math.log10(lr) + 3) ** 2 + 1.0 / (epoch + 1)
            trial.report(loss, epoch)
        return loss

    study = optuna.create_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=2))
    study.optimize(objective, n_trials=24)


def few_trials(storage: Any, name: str = "few-trials", marked: bool = False) -> None:
    """Eight trials with the default TPE (no mark), or fifteen with a TPE that marks its trials."""

    def objective(trial: optuna.Trial) -> float:
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        momentum = trial.suggest_float("momentum", 0.5, 0.99)
        return (math.log10(lr) + 3) ** 2 + (momentum - 0.9) ** 2

    if marked:
        sampler = optuna.samplers.TPESampler(seed=3, multivariate=True, constant_liar=True)
        study = optuna.create_study(study_name=name, storage=storage, sampler=sampler)
        study.optimize(objective, n_trials=15)
    else:
        study = optuna.create_study(study_name=name, storage=storage)
        study.optimize(objective, n_trials=8)


def unimportant(storage: Any, name: str = "unimportant") -> None:
    """``seed_offset`` is searched but changes nothing."""

    def objective(trial: optuna.Trial) -> float:
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        trial.suggest_int("seed_offset", 0, 100)
        return (math.log10(lr) + 3) ** 2

    study = optuna.create_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=4))
    study.optimize(objective, n_trials=40)


def failing(storage: Any, name: str = "failing", store_reason: bool = False) -> None:
    """Learning rates above 1e-2 diverge: the objective raises, the trial fails."""

    def objective(trial: optuna.Trial) -> float:
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        if lr > 1e-2:
            if store_reason:
                trial.set_user_attr("fail_reason", "loss is NaN after 3 steps")
            raise FloatingPointError("loss diverged")
        return (math.log10(lr) + 3) ** 2

    study = optuna.create_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=5))
    study.optimize(objective, n_trials=30, catch=(FloatingPointError,))


def well_run(storage: Any, name: str = "well-run") -> None:
    """Log learning rate with an interior optimum, pruning that prunes, enough trials, two parameters that matter."""

    def objective(trial: optuna.Trial) -> float:
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        dropout = trial.suggest_float("dropout", 0.0, 0.5)
        loss = 0.0
        for epoch in range(10):
            loss = (math.log10(lr) + 3) ** 2 + 4 * (dropout - 0.2) ** 2 + 1.0 / (epoch + 1)
            trial.report(loss, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return loss

    study = optuna.create_study(
        study_name=name, storage=storage, sampler=optuna.samplers.TPESampler(seed=6),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=2),
    )
    study.optimize(objective, n_trials=60)


BUILDERS: Dict[str, Callable[..., None]] = {
    "edge": edge,
    "linear": linear,
    "never-prunes": never_prunes,
    "few-trials": few_trials,
    "unimportant": unimportant,
    "failing": failing,
    "well-run": well_run,
}


def journal(path: str) -> Any:
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    return JournalStorage(JournalFileBackend(path))
