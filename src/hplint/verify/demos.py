"""The registry of demonstrations and the loop that runs them over seeds."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable

from hplint.verify import demo_codes
from hplint.verify.common import Demo, DemoResult, SeedOutcome, Settings
from hplint.verify.objectives import direction, test_selection
from hplint.verify.studies import budget, pruning
from hplint.verify.sweeps import interactions, lr_first, search_range, spacing, strategy

ACCURACY = "best validation accuracy"
CODES = demo_codes()

DEMOS: dict[str, Demo] = {
    demo.name: demo
    for demo in (
        Demo("spacing", CODES["spacing"], "a log-spaced lr grid beats a linear one with the same bounds and points",
             "linear grid", "log grid", ACCURACY, "trainings", spacing),
        Demo("range", CODES["range"], "a 4-decade lr range beats a 3x-wide window with the same trials",
             "3x window", "4 decades", ACCURACY, "trainings", search_range),
        Demo("strategy", CODES["strategy"],
             "random search beats a 3x3x3 grid with as many trainings when only the lr matters much",
             "3x3x3 grid", "random search", ACCURACY, "trainings", strategy),
        Demo("lr-first", CODES["lr-first"], "tuning the learning rate beats tuning width at an untuned lr",
             "width sweep", "lr sweep", ACCURACY, "trainings", lr_first),
        Demo("pruning", CODES["pruning"], "MedianPruner spends fewer epochs and finds as good a best value",
             "no pruner", "MedianPruner", "best value (validation accuracy)", "epochs", pruning, compare_cost=True),
        Demo("interactions", CODES["interactions"],
             "a joint search of batch size and lr beats batch size at a fixed small lr, then lr",
             "bs at lr 1e-3, then lr", "joint random", ACCURACY, "trainings", interactions),
        Demo("budget", CODES["budget"], "in the time of a few trials, manual lr tuning does as well as TPE",
             "TPE, few trials", "manual lr", ACCURACY, "seconds", budget),
        Demo("direction", CODES["direction"],
             "for an objective returning accuracy, direction=maximize selects better than the default (minimize)",
             "create_study()", "direction=maximize", "held-out accuracy of the selected configuration", "trials",
             direction),
        Demo("test-selection", CODES["test-selection"],
             "selected on validation, the reported test accuracy is less optimistic than selected on test",
             "selected on test", "selected on validation", "fresh - reported test accuracy (0: honest)", "trials",
             test_selection),
    )
}


def _worker_setup() -> None:
    """One thread per process: tiny models gain little from intra-op threads, and
    spinning threads collapse when any other process competes for the cores."""
    import torch

    torch.set_num_threads(1)
    torch.set_flush_denormal(True)  # tiny learning rates otherwise crawl through denormal floats


def run_task(name: str, seed: int, settings: Settings) -> tuple[SeedOutcome, float]:
    """One demo on one seed, timed; runs in a worker process."""
    start = time.perf_counter()
    outcome = DEMOS[name].run_seed(seed, settings)
    return outcome, time.perf_counter() - start


def run(names: list[str], settings: Settings, jobs: int, progress: Callable[[str], None]) -> list[DemoResult]:
    """Run each named demo over every seed, spread over ``jobs`` processes.

    A demo's time is the sum of its seeds' training times. Results do not depend on
    ``jobs``: every (demo, seed) pair is a deterministic, single-threaded computation.
    """
    tasks = [(name, seed) for name in names for seed in settings.seeds]
    done: dict[tuple[str, int], tuple[SeedOutcome, float]] = {}
    if jobs <= 1 or len(tasks) == 1:
        _worker_setup()
        for name, seed in tasks:
            done[(name, seed)] = run_task(name, seed, settings)
            progress(f"{name}: seed {seed} done")
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context, initializer=_worker_setup) as pool:
            ordered = sorted(tasks, key=lambda task: -SLOWEST_FIRST.get(task[0], 0))
            futures = {pool.submit(run_task, name, seed, settings): (name, seed) for name, seed in ordered}
            for future in as_completed(futures):
                done[futures[future]] = future.result()
                progress(f"{futures[future][0]}: seed {futures[future][1]} done")
    results = []
    for name in names:
        pairs = [done[(name, seed)] for seed in settings.seeds]
        results.append(DemoResult(DEMOS[name], [o for o, _ in pairs], sum(t for _, t in pairs)))
    return results


# rough relative cost, so the longest tasks start first and the workers finish together
SLOWEST_FIRST = {"pruning": 5, "budget": 4, "interactions": 3, "strategy": 2, "range": 1, "spacing": 1}
