"""Three finished Optuna studies in one SQLite file, for ``hplint study tune.db``.

A cheap stand-in for a training run (the validation loss of a model whose best
learning rate is 3e-2 and best dropout 0.2) keeps it to seconds:

    python examples/study_demo.py          # writes tune.db
    hplint study tune.db --plot plots/
"""

import math
import random

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
STORAGE = "sqlite:///tune.db"


def validation_loss(lr: float, dropout: float, epoch: int = 9) -> float:
    return (math.log10(lr) - math.log10(3e-2)) ** 2 + 30 * (dropout - 0.2) ** 2 + 1.0 / (epoch + 1)


def narrow(trial):
    lr = trial.suggest_float("lr", 1e-5, 1e-2, log=True)  # the best lr, 3e-2, lies above the range
    dropout = trial.suggest_float("dropout", 0.0, 0.5)
    return validation_loss(lr, dropout)


def reports_only(trial):
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    dropout = trial.suggest_float("dropout", 0.0, 0.5)
    trial.suggest_int("seed_offset", 0, 9)  # searched, but changes nothing
    for epoch in range(10):
        loss = validation_loss(lr, dropout, epoch)
        trial.report(loss, epoch)  # should_prune() is never asked
    return loss


def crashes(trial):
    lr = trial.suggest_float("learning_rate", 1e-5, 1.0)  # linear over five decades
    if lr > 0.5:
        raise FloatingPointError("loss is NaN")  # diverges
    return validation_loss(lr, 0.2)


if __name__ == "__main__":
    random.seed(0)
    optuna.create_study(study_name="narrow-lr", storage=STORAGE, sampler=optuna.samplers.TPESampler(seed=0)).optimize(narrow, n_trials=40)
    optuna.create_study(study_name="no-pruning", storage=STORAGE, sampler=optuna.samplers.TPESampler(seed=1)).optimize(reports_only, n_trials=40)
    optuna.create_study(study_name="diverging", storage=STORAGE, sampler=optuna.samplers.RandomSampler(seed=2)).optimize(
        crashes, n_trials=50, catch=(FloatingPointError,)
    )
