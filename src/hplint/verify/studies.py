"""Demonstrations built on real Optuna studies: pruning and a small budget."""

from __future__ import annotations

import time

import optuna

from hplint.verify.common import LR_HIGH, LR_LOW, SeedOutcome, Settings, geometric
from hplint.verify.sweeps import dataset
from hplint.verify.train import Config, Dataset, train_curves

optuna.logging.set_verbosity(optuna.logging.WARNING)


def suggest_config(trial: optuna.Trial) -> Config:
    """The pruning study's space: learning rate, width and weight decay, as a random search draws them."""
    return Config(
        lr=trial.suggest_float("lr", LR_LOW, LR_HIGH, log=True),
        width=trial.suggest_int("width", 16, 128, log=True),
        weight_decay=trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
    )


def drawn_configs(seed: int, n_trials: int) -> list[Config]:
    """The configurations a seeded RandomSampler draws: they do not depend on the trials' values."""
    configs: list[Config] = []

    def record(trial: optuna.Trial) -> float:
        configs.append(suggest_config(trial))
        return 0.0

    optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed)).optimize(record, n_trials=n_trials)
    return configs


def _replay_study(seed: int, configs: list[Config], curves: list[list[float]], pruner: optuna.pruners.BasePruner) -> tuple[float, int, list[dict]]:
    """A random-search study whose trials report each epoch and obey the pruner.

    Each trial's curve was trained beforehand (all configs in one batched run,
    deterministic): a trial sees exactly the accuracies it would train to and
    stops at the epoch the pruner says, so the epochs counted are the epochs spent.
    """
    trials: list[dict] = []

    def objective(trial: optuna.Trial) -> float:
        config = suggest_config(trial)
        if config != configs[trial.number]:
            raise RuntimeError("the seeded RandomSampler drew a different configuration")
        record = {"curve": [], "pruned": False}
        trials.append(record)
        for epoch, value in enumerate(curves[trial.number]):
            record["curve"].append(value)
            trial.report(value, epoch)
            if trial.should_prune():
                record["pruned"] = True
                raise optuna.TrialPruned()
        return record["curve"][-1]

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(seed=seed), pruner=pruner)
    study.optimize(objective, n_trials=len(configs))
    return study.best_value, sum(len(t["curve"]) for t in trials), trials


def pruning(seed: int, settings: Settings) -> SeedOutcome:
    """Many random-search trials, trained to the end without a pruner and with MedianPruner.

    MedianPruner set up the common way (5 startup trials, warm-up a tenth of the
    epochs, a check every epoch). Both studies draw the same configurations;
    the result is the best value each study reports and the epochs each spent.
    """
    n_trials = 30 if settings.quick else 100
    epochs = 2 * settings.epochs
    data = dataset(seed, settings.n_train, settings.n_val, settings.device)
    configs = drawn_configs(seed, n_trials)
    curves = [[] for _ in configs]
    for accuracy in train_curves(configs, data, epochs, seed, settings.device):
        for curve, value in zip(curves, accuracy.tolist()):
            curve.append(float(value))
    nop_best, nop_epochs, nop_trials = _replay_study(seed, configs, curves, optuna.pruners.NopPruner())
    median = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=max(1, epochs // 10), interval_steps=1)
    med_best, med_epochs, med_trials = _replay_study(seed, configs, curves, median)
    best = max(range(n_trials), key=lambda i: curves[i][-1])
    details = {
        "trials": n_trials,
        "epochs per trial": epochs,
        "share of trials pruned": sum(t["pruned"] for t in med_trials) / n_trials,
        "best trial kept": float(not med_trials[best]["pruned"]),
    }
    plot = {"without": nop_trials, "with": med_trials}
    return SeedOutcome(nop_best, med_best, nop_epochs, med_epochs, plot, details)


FINDER_STEPS = (0.3, 0.5, 1.0, 2.0, 5.0)  # the refinement around the best: 0.003 ... 0.05 around 0.01


def _accuracy(config: Config, data: Dataset, epochs: int, seed: int, device: str) -> float:
    """Validation accuracy after ``epochs`` epochs of one training (one model, as a trial trains)."""
    value = 0.0
    for accuracy in train_curves([config], data, epochs, seed, device):
        value = float(accuracy[0])
    return value


def _manual(data: Dataset, seed: int, settings: Settings) -> tuple[float, list[tuple[float, float]]]:
    """Manual tuning: lr finder (1 epoch, a decade apart), refinement (2 epochs), one full training."""
    finder = [(lr, _accuracy(Config(lr=lr), data, 1, seed, settings.device)) for lr in geometric(LR_LOW, LR_HIGH, 5)]
    centre = max(finder, key=lambda point: point[1])[0]
    refined_lrs = sorted({min(LR_HIGH, max(LR_LOW, centre * step)) for step in FINDER_STEPS})
    refined = [(lr, _accuracy(Config(lr=lr), data, 2, seed, settings.device)) for lr in refined_lrs]
    chosen = max(refined, key=lambda point: point[1])[0]
    final = _accuracy(Config(lr=chosen), data, settings.epochs, seed, settings.device)
    return final, finder + refined + [(chosen, final)]


def budget(seed: int, settings: Settings) -> SeedOutcome:
    """TPE over four parameters vs manual learning-rate tuning in the same wall-clock time.

    The manual procedure runs first and is timed; TPE then starts another trial
    (a full training) while that trial's expected end, at the mean duration of
    its trials so far, is nearer to that time than stopping now would be; it
    always runs at least one. Costs are the seconds each side took on this machine.
    """
    data = dataset(seed, settings.n_train, settings.n_val, settings.device)
    _accuracy(Config(lr=0.1), data, 1, seed, settings.device)  # warm up torch before timing either side
    start = time.perf_counter()
    manual, steps = _manual(data, seed, settings)
    manual_seconds = time.perf_counter() - start
    tried: list[tuple[float, float]] = []

    def objective(trial: optuna.Trial) -> float:
        config = Config(
            lr=trial.suggest_float("lr", LR_LOW, LR_HIGH, log=True),
            width=trial.suggest_int("width", 16, 128, log=True),
            weight_decay=trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
            batch_size=trial.suggest_categorical("batch_size", [32, 64, 128]),
        )
        accuracy = _accuracy(config, data, settings.epochs, seed, settings.device)
        tried.append((config.lr, accuracy))
        return accuracy

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    start = time.perf_counter()
    while True:
        study.optimize(objective, n_trials=1)
        spent = time.perf_counter() - start
        if spent + spent / len(study.trials) / 2 > manual_seconds:
            break
    plot = {"tpe": tried, "manual": steps}
    details = {"TPE trials": len(study.trials), "manual trainings": len(steps)}
    return SeedOutcome(study.best_value, manual, spent, manual_seconds, plot, details)
