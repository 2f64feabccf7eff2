"""Demonstrations of the objective family: the direction of an Optuna study (HPL701)
and hyperparameters selected on the test set (HPL702).

Each configuration a search can try is trained once beforehand, all in one batched,
deterministic run, and scored on every held-out split; a trial looks its
configuration's score up, which is the value training it would return. Both sides
of a demo see the same trainings, the same data and the same sampler seed.
"""

from __future__ import annotations

import statistics

import optuna
import torch

from hplint.verify.common import LR_HIGH, LR_LOW, SeedOutcome, Settings, geometric
from hplint.verify.studies import drawn_configs
from hplint.verify.train import Config, make_dataset, train_correct

optuna.logging.set_verbosity(optuna.logging.WARNING)

DIRECTION_LRS = tuple(geometric(LR_LOW, LR_HIGH, 9))  # one per half decade
DIRECTION_WIDTHS = (16, 64)


def _scored(
    configs: list[Config], seed: int, settings: Settings, sizes: tuple[int, ...]
) -> list[list[float]]:
    """Train ``configs`` on the seed's task; their accuracy on each held-out split of ``sizes``.

    The splits are disjoint draws from the same task, so each config's score on one
    of them is an independent, unbiased estimate of its accuracy on new data.
    """
    data = make_dataset(seed, settings.n_train, sum(sizes), settings.device)
    correct = train_correct(configs, data, settings.epochs, seed, settings.device, data.x_val, data.y_val)
    scores: list[list[float]] = []
    for part in torch.split(correct, list(sizes), dim=1):
        scores.append(part.float().mean(dim=1).tolist())
    return [list(row) for row in zip(*scores)]  # per config: one accuracy per split


def _best(study: optuna.Study) -> tuple[float, int]:
    """The configuration a study selects (its best trial): (lr, width)."""
    params = study.best_params
    return params["lr"], params["width"]


def direction(seed: int, settings: Settings) -> SeedOutcome:
    """An objective returning validation accuracy, in a study that minimizes vs one that maximizes.

    Both studies are TPE with the same seed and number of trials over the same
    learning rates and widths; the result is the accuracy, on held-out data neither
    study saw, of the configuration each one selects as its best.
    """
    n_trials = 20 if settings.quick else 40
    space = [Config(lr=lr, width=width) for lr in DIRECTION_LRS for width in DIRECTION_WIDTHS]
    scores = dict(zip(((c.lr, c.width) for c in space), _scored(space, seed, settings, (settings.n_val, 2048))))
    tried: dict[str, list[tuple[float, float]]] = {"minimize": [], "maximize": []}

    def study(goal: str | None) -> optuna.Study:
        def objective(trial: optuna.Trial) -> float:
            key = trial.suggest_categorical("lr", DIRECTION_LRS), trial.suggest_categorical("width", DIRECTION_WIDTHS)
            tried[goal or "minimize"].append((key[0], scores[key][0]))
            return scores[key][0]  # validation accuracy: higher is better

        sampler = optuna.samplers.TPESampler(seed=seed)
        made = optuna.create_study(sampler=sampler) if goal is None else optuna.create_study(direction=goal, sampler=sampler)
        made.optimize(objective, n_trials=n_trials)
        return made

    default, maximize = study(None), study("maximize")
    anti, fix = scores[_best(default)][1], scores[_best(maximize)][1]
    details = {
        "trials": n_trials,
        "validation accuracy reported as best (default study)": default.best_value,
        "validation accuracy reported as best (maximize)": maximize.best_value,
        "best held-out accuracy in the space": max(held_out for _, held_out in scores.values()),
    }
    plot = {"minimize": tried["minimize"], "maximize": tried["maximize"], "chosen": (_best(default), _best(maximize))}
    return SeedOutcome(anti, fix, n_trials, n_trials, plot, details)


HALF, SPLITS, FRESH = 512, 10, 4096  # per split a validation and a test set of HALF; fresh data


def test_selection(seed: int, settings: Settings) -> SeedOutcome:
    """Hyperparameters selected on the test set vs on a validation set, then the test score reported.

    A random search draws its configurations (RandomSampler, seeded: the same for
    both sides); each is trained once. Then SPLITS times, on a new validation set and
    a new test set (disjoint draws from the task), the anti-pattern keeps the
    configuration with the best test accuracy and the fix the one with the best
    validation accuracy (a study that maximizes keeps its highest value, the first on
    ties), and each reports the test accuracy of what it kept. The optimism of a
    report is that number minus the kept configuration's accuracy on FRESH examples
    neither side saw. The metric is minus the mean optimism over the splits: 0 for an
    honest report, below 0 for an optimistic one.
    """
    n_trials = 30 if settings.quick else 60
    configs = drawn_configs(seed, n_trials)  # the pruning study's space, drawn the same way
    data = make_dataset(seed, settings.n_train, 2 * HALF * SPLITS + FRESH, settings.device)
    correct = train_correct(configs, data, settings.epochs, seed, settings.device, data.x_val, data.y_val).float()
    fresh = correct[:, 2 * HALF * SPLITS:].mean(dim=1)
    kept: dict[str, list[tuple[float, float]]] = {"test": [], "val": []}  # (reported, fresh) per split
    for split in range(SPLITS):
        start = 2 * HALF * split
        val_acc = correct[:, start:start + HALF].mean(dim=1)
        test_acc = correct[:, start + HALF:start + 2 * HALF].mean(dim=1)
        for side, scores in (("test", test_acc), ("val", val_acc)):
            chosen = int(torch.argmax(scores))  # the first maximum, as Optuna's best_trial
            kept[side].append((float(test_acc[chosen]), float(fresh[chosen])))
    optimism = {side: statistics.fmean(r - f for r, f in pairs) for side, pairs in kept.items()}
    details = {"trials": n_trials, "validation/test splits": SPLITS}
    for side, name in (("test", "selected on test"), ("val", "selected on validation")):
        details[f"reported test accuracy ({name})"] = statistics.fmean(r for r, _ in kept[side])
        details[f"fresh accuracy ({name})"] = statistics.fmean(f for _, f in kept[side])
        details[f"mean |reported - fresh| ({name})"] = statistics.fmean(abs(r - f) for r, f in kept[side])
    plot = {"kept": kept}
    return SeedOutcome(-optimism["test"], -optimism["val"], n_trials, n_trials, plot, details)
