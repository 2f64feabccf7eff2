"""Demonstrations that compare two sets of trainings, batched: spacing, range,
strategy, learning rate first, interactions.

Where the anti-pattern holds a value fixed that nobody tuned (the learning rate
of an architecture search, the window of a narrow range), that value is drawn
per seed from the searched range, so no demo picks a bad value on purpose.
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
    """A 3x3x3 grid over lr, width, weight decay vs random search with a third of the trials.

    Only the learning rate matters much here; the grid tries 3 distinct values
    of it, random search one per trial. Random search with all 27 trials is
    measured too and shown in the plot.
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
            weight_decay=log_uniform(rng, 1e-5, 1e-3),
        )
        for _ in range(len(grid))
    ]
    third = len(grid) // 3
    acc = train(grid + rand, seed, settings)
    grid_acc, rand_acc = acc[:len(grid)], acc[len(grid):]
    plot = {
        "grid": [(c.lr, a) for c, a in zip(grid, grid_acc)],
        "random": [(c.lr, a) for c, a in zip(rand[:third], rand_acc[:third])],
        "random_full_best": max(rand_acc),
    }
    return SeedOutcome(max(grid_acc), max(rand_acc[:third]), len(grid), third, plot)


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


def interactions(seed: int, settings: Settings) -> SeedOutcome:
    """Batch size at an untuned lr, then lr at the best batch size, vs both at once.

    Both get the same number of trainings; every training runs the same number of epochs.
    """
    batches = (32, 64, 128, 256) if settings.quick else (16, 32, 64, 128, 256)
    rng = random.Random(seed)
    start_lr = log_uniform(rng, LR_LOW, LR_HIGH)
    stage1 = train([Config(lr=start_lr, batch_size=b) for b in batches], seed, settings)
    best_batch = batches[max(range(len(batches)), key=stage1.__getitem__)]
    lrs = geometric(LR_LOW, LR_HIGH, len(batches))
    stage2 = train([Config(lr=lr, batch_size=best_batch) for lr in lrs], seed, settings)
    budget = 2 * len(batches)
    joint = [Config(lr=log_uniform(rng, LR_LOW, LR_HIGH), batch_size=rng.choice(batches)) for _ in range(budget)]
    joint_acc = train(joint, seed, settings)
    sequential = [(start_lr, b, a) for b, a in zip(batches, stage1)] + [(lr, best_batch, a) for lr, a in zip(lrs, stage2)]
    plot = {"sequential": sequential, "joint": [(c.lr, c.batch_size, a) for c, a in zip(joint, joint_acc)]}
    return SeedOutcome(max(stage1 + stage2), max(joint_acc), budget, budget, plot)
