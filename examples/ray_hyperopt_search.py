"""Search spaces for Ray Tune and Hyperopt."""

import math

from hyperopt import fmin, hp, tpe
from ray import tune

ray_space = {
    "lr": tune.uniform(1e-5, 1e-1),
    "weight_decay": tune.loguniform(1e-6, 1e-2),
    "dropout": tune.uniform(0.0, 0.5),
    "batch_size": tune.choice([32, 64, 128]),
}

hyperopt_space = {
    "lr": hp.loguniform("lr", 1e-5, 1e-1),
    "l2": hp.uniform("l2", 1e-6, 1e-2),
    "dropout": hp.uniform("dropout", 0.0, 0.5),
}


def train_fn(params):
    return (math.log10(params["lr"]) + 3) ** 2


best = fmin(train_fn, hyperopt_space, algo=tpe.suggest, max_evals=100)
