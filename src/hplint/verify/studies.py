"""Demonstrations built on real Optuna studies: pruning and a small budget."""

from __future__ import annotations

import optuna

from hplint.verify.common import LR_HIGH, LR_LOW, SeedOutcome, Settings, geometric
from hplint.verify.sweeps import dataset, train
from hplint.verify.train import Config, train_curves

optuna.logging.set_verbosity(optuna.logging.WARNING)


def _pruning_study(seed: int, settings: Settings, pruner: optuna.pruners.BasePruner) -> tuple[float, int, list[dict]]:
    """One TPE study over lr and width; every trial reports each epoch and asks should_prune.

    Returns the best value, the epochs trained in total, and each trial's curve.
    """
    data = dataset(seed, settings.n_train, settings.n_val, settings.device)
    trials: list[dict] = []

    def objective(trial: optuna.Trial) -> float:
        config = Config(
            lr=trial.suggest_float("lr", LR_LOW, LR_HIGH, log=True),
            width=trial.suggest_int("width", 16, 128, log=True),
        )
        record = {"curve": [], "pruned": False}
        trials.append(record)
        for epoch, accuracy in enumerate(train_curves([config], data, settings.epochs, seed, settings.device)):
            value = float(accuracy[0])
            record["curve"].append(value)
            trial.report(value, epoch)
            if trial.should_prune():
                record["pruned"] = True
                raise optuna.TrialPruned()
        return record["curve"][-1]

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed), pruner=pruner)
    study.optimize(objective, n_trials=12 if settings.quick else 20)
    epochs = sum(len(t["curve"]) for t in trials)
    return study.best_value, epochs, trials


def pruning(seed: int, settings: Settings) -> SeedOutcome:
    """The same study without pruning (NopPruner) and with MedianPruner: best value and epochs spent."""
    nop_best, nop_epochs, nop_trials = _pruning_study(seed, settings, optuna.pruners.NopPruner())
    median = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1)
    med_best, med_epochs, med_trials = _pruning_study(seed, settings, median)
    plot = {"without": nop_trials, "with": med_trials}
    return SeedOutcome(nop_best, med_best, nop_epochs, med_epochs, plot)


def budget(seed: int, settings: Settings) -> SeedOutcome:
    """TPE over four parameters with fewer trials than its random warm-up vs a learning-rate sweep.

    Both train the same number of models for the same number of epochs.
    """
    n = 8 if settings.quick else 10
    data = dataset(seed, settings.n_train, settings.n_val, settings.device)
    tried: list[tuple[float, float]] = []

    def objective(trial: optuna.Trial) -> float:
        config = Config(
            lr=trial.suggest_float("lr", LR_LOW, LR_HIGH, log=True),
            width=trial.suggest_int("width", 16, 128, log=True),
            weight_decay=trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
            batch_size=trial.suggest_categorical("batch_size", [32, 64, 128]),
        )
        accuracy = 0.0
        for accuracy_tensor in train_curves([config], data, settings.epochs, seed, settings.device):
            accuracy = float(accuracy_tensor[0])
        tried.append((config.lr, accuracy))
        return accuracy

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=n)
    lrs = geometric(LR_LOW, LR_HIGH, n)
    sweep = train([Config(lr=lr) for lr in lrs], seed, settings)
    plot = {"tpe": tried, "sweep": list(zip(lrs, sweep))}
    return SeedOutcome(study.best_value, max(sweep), n, n, plot)
