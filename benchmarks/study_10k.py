"""Time ``hplint study`` on a 10,000-trial SQLite study (a benchmark, not a test).

    python benchmarks/study_10k.py [--trials 10000] [--keep PATH]

Builds a study of ``--trials`` finished trials (three parameters, ten
intermediate values each, a tenth pruned, a twentieth failed) with Optuna in
memory, writes it to a SQLite file once, then times ``hplint study`` on it
(whole process, median of 3 runs) and checks that the file's bytes did not
change. The target is 10 s or less.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time


def build(path: str, count: int) -> None:
    import optuna
    import sqlalchemy
    from optuna.distributions import CategoricalDistribution, FloatDistribution
    from optuna.trial import TrialState, create_trial

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    rng = random.Random(0)
    dists = {
        "lr": FloatDistribution(1e-5, 1e-1, log=True),
        "dropout": FloatDistribution(0.0, 0.5),
        "batch_size": CategoricalDistribution([32, 64, 128, 256]),
    }
    trials = []
    for number in range(count):
        params = {"lr": 10 ** rng.uniform(-5, -1), "dropout": rng.uniform(0, 0.5), "batch_size": rng.choice([32, 64, 128, 256])}
        loss = (math.log10(params["lr"]) + 3) ** 2 + 4 * (params["dropout"] - 0.2) ** 2 + rng.gauss(0, 0.05)
        steps = {step: loss + 1 / (step + 1) for step in range(10)}
        if number % 20 == 7:
            trials.append(create_trial(state=TrialState.FAIL, params=params, distributions=dists))
        elif number % 10 == 3:
            trials.append(create_trial(state=TrialState.PRUNED, params=params, distributions=dists,
                                       intermediate_values=dict(list(steps.items())[:4])))
        else:
            trials.append(create_trial(value=loss, params=params, distributions=dists, intermediate_values=steps))
    storage = optuna.storages.RDBStorage(f"sqlite:///{path}")
    # the build only: no fsync per trial (the connections opened so far are dropped first)
    sqlalchemy.event.listen(storage.engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
    storage.engine.dispose()
    study = optuna.create_study(study_name="big", storage=storage)
    study.add_trials(trials)
    storage.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--keep", metavar="PATH", help="build (or reuse) the study here")
    args = parser.parse_args()
    path = args.keep or os.path.join(tempfile.mkdtemp(), "big.db")
    if not os.path.exists(path):
        started = time.perf_counter()
        build(path, args.trials)
        print(f"built {args.trials} trials in {time.perf_counter() - started:.1f} s: {path}")
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "hplint", "study", path, "--isolated"], capture_output=True, text=True)
        times.append(time.perf_counter() - started)
    print(done.stdout, end="")
    print(done.stderr, end="", file=sys.stderr)
    unchanged = hashlib.sha256(open(path, "rb").read()).hexdigest() == digest
    print(f"hplint study: median {statistics.median(times):.2f} s over 3 runs ({', '.join(f'{t:.2f}' for t in times)}); "
          f"file bytes unchanged: {unchanged}")
    return 0 if unchanged else 1


if __name__ == "__main__":
    sys.exit(main())
