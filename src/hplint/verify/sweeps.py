"""Demonstrations that compare two sets of trainings, batched: spacing, range,
strategy, learning rate first, interactions.

Where the anti-pattern holds a value fixed that nobody tuned (the learning rate
of an architecture search, the window of a narrow range), that value is drawn
per seed from the searched range, so no demo picks a bad value on purpose. The
one exception is the scenario that is about a small fixed learning rate
(interactions: a default learning rate of 0.001 while the batch size is chosen).
"""

from __future__ import annotations

import random
from functools import lru_cache

from hplint.verify.common import LR_HIGH, LR_LOW, SeedOutcome, Settings, geometric, linear, log_uniform
from hplint.verify.train import Config, Dataset, make_dataset, train_final


@lru_cache(maxsize=16)
def dataset(seed: int, n_train: int, n_val: int, device: str) -> Dataset:
    """The seed's task, built once per run."""
    return make_dataset(seed, n_train, n_val, device)


def train(configs: list[Config], seed: int, settings: Settings) -> list[float]:
    """Final validation accuracy of each config on the seed's task."""
    data = dataset(seed, settings.n_train, settings.n_val, settings.device)
    return train_final(configs, data, settings.epochs, seed, settings.device)


def spacing(seed: int, settings: Settings) -> SeedOutcome:
    """Linear vs log-spaced learning-rate grid: same bounds, same number of points."""
    n = 5 if settings.quick else 6
    lin, log = linear(LR_LOW, LR_HIGH, n), geometric(LR_LOW, LR_HIGH, n)
    reference = geometric(LR_LOW, LR_HIGH, 13 if settings.quick else 17) if seed == settings.seeds[0] else []
    lrs = lin + log + reference
    acc = train([Config(lr=lr) for lr in lrs], seed, settings)
    lin_acc, log_acc, ref_acc = acc[:n], acc[n:2 * n], acc[2 * n:]
    plot = {"linear": list(zip(lin, lin_acc)), "log": list(zip(log, log_acc)), "reference": list(zip(reference, ref_acc))}
    return SeedOutcome(max(lin_acc), max(log_acc), n, n, plot)


def search_range(seed: int, settings: Settings) -> SeedOutcome:
    """A 3x-wide learning-rate window (placed at random) vs the 4-decade range, same trials."""
    n = 6 if settings.quick else 8
    rng = random.Random(seed)
    centre = log_uniform(rng, LR_LOW * 3**0.5, LR_HIGH / 3**0.5)
    low, high = centre / 3**0.5, centre * 3**0.5
    narrow = [log_uniform(rng, low, high) for _ in range(n)]
    wide = [log_uniform(rng, LR_LOW, LR_HIGH) for _ in range(n)]
    acc = train([Config(lr=lr) for lr in narrow + wide], seed, settings)
    plot = {"narrow": list(zip(narrow, acc[:n])), "wide": list(zip(wide, acc[n:])), "window": [low, high]}
    return SeedOutcome(max(acc[:n]), max(acc[n:]), n, n, plot)


WIDTHS = (16, 64, 128)
WEIGHT_DECAYS = (1e-5, 1e-4, 1e-3)


def strategy(seed: int, settings: Settings) -> SeedOutcome:
    """A 3x3x3 grid over lr, width and weight decay vs random search with as many trainings.

    Bergstra and Bengio's argument (2012): of the three parameters only
    the learning rate matters much here (the details record how much each axis moves
    the grid's mean accuracy). The grid tries 3 distinct learning rates (np.geomspace
    over the range) in 27 trainings; random search draws every parameter afresh
    within the same bounds, so its 27 trainings try 27 learning rates.
    """
    grid = [
        Config(lr=lr, width=w, weight_decay=wd)
        for lr in geometric(LR_LOW, LR_HIGH, 3)
        for w in WIDTHS
        for wd in WEIGHT_DECAYS
    ]
    rng = random.Random(seed)
    rand = [
        Config(
            lr=log_uniform(rng, LR_LOW, LR_HIGH),
            width=rng.randint(WIDTHS[0], WIDTHS[-1]),
            weight_decay=log_uniform(rng, WEIGHT_DECAYS[0], WEIGHT_DECAYS[-1]),
        )
        for _ in grid
    ]
    acc = train(grid + rand, seed, settings)
    grid_acc, rand_acc = acc[:len(grid)], acc[len(grid):]
    details = {f"grid effect of {axis}": _axis_effect(grid, grid_acc, axis) for axis in ("lr", "width", "weight_decay")}
    plot = {"grid": [(c.lr, a) for c, a in zip(grid, grid_acc)], "random": [(c.lr, a) for c, a in zip(rand, rand_acc)]}
    return SeedOutcome(max(grid_acc), max(rand_acc), len(grid), len(rand), plot, details)


def _axis_effect(configs: list[Config], accuracy: list[float], axis: str) -> float:
    """How far the grid's mean accuracy moves along one axis: max minus min of its marginal means."""
    groups: dict[float, list[float]] = {}
    for config, value in zip(configs, accuracy):
        groups.setdefault(getattr(config, axis), []).append(value)
    means = [sum(v) / len(v) for v in groups.values()]
    return max(means) - min(means)


def lr_first(seed: int, settings: Settings) -> SeedOutcome:
    """Tuning width at an untuned learning rate vs tuning the learning rate at width 64."""
    n = 4 if settings.quick else 5
    fixed_lr = log_uniform(random.Random(seed), LR_LOW, LR_HIGH)
    widths = [int(round(w)) for w in geometric(16, 128, n)]
    lrs = geometric(LR_LOW, LR_HIGH, n)
    configs = [Config(lr=fixed_lr, width=w) for w in widths] + [Config(lr=lr, width=64) for lr in lrs]
    acc = train(configs, seed, settings)
    plot = {"fixed_lr": fixed_lr, "widths": list(zip(widths, acc[:n])), "lrs": list(zip(lrs, acc[n:]))}
    return SeedOutcome(max(acc[:n]), max(acc[n:]), n, n, plot)


BATCHES = (16, 32, 64, 128, 256)
DEFAULT_LR = 1e-3  # a common default learning rate, held fixed while the batch size is chosen


def interactions(seed: int, settings: Settings) -> SeedOutcome:
    """Batch size first at a fixed small learning rate, then the lr at that batch size, vs both at once.

    Every training runs the same number of epochs, so a larger batch takes fewer
    steps: at a learning rate that is too small the smallest batch looks best
    because it takes the most steps, whatever the batch size would do at a good
    learning rate. Stage 2 then tries the range's decades at the chosen batch size.
    The joint random search draws batch size and (log-uniform) learning rate
    together, with as many trainings as both stages.
    """
    stage1 = train([Config(lr=DEFAULT_LR, batch_size=b) for b in BATCHES], seed, settings)
    best_batch = BATCHES[max(range(len(BATCHES)), key=stage1.__getitem__)]
    lrs = geometric(LR_LOW, LR_HIGH, 5)  # 1e-4 ... 1, a decade apart
    stage2 = train([Config(lr=lr, batch_size=best_batch) for lr in lrs], seed, settings)
    budget = len(BATCHES) + len(lrs)
    rng = random.Random(seed)
    joint = [Config(lr=log_uniform(rng, LR_LOW, LR_HIGH), batch_size=rng.choice(BATCHES)) for _ in range(budget)]
    joint_acc = train(joint, seed, settings)
    best_joint = max(range(budget), key=joint_acc.__getitem__)
    sequential = [(DEFAULT_LR, b, a) for b, a in zip(BATCHES, stage1)] + [(lr, best_batch, a) for lr, a in zip(lrs, stage2)]
    plot = {"sequential": sequential, "joint": [(c.lr, c.batch_size, a) for c, a in zip(joint, joint_acc)]}
    details = {
        "batch size chosen at the fixed lr": best_batch,
        "best accuracy at the fixed lr": max(stage1),
        "batch size of the joint search's best": joint[best_joint].batch_size,
    }
    return SeedOutcome(max(stage1 + stage2), max(joint_acc), budget, budget, plot, details)
