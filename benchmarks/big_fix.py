"""Fixing one big file: time and peak memory at 1, 2, 5 and 10 MB.

The file is real library code (a scikit-learn module from the benchmark
corpus, its functions renamed per copy) with two Optuna objectives holding a
deprecated ``suggest_loguniform`` between copies: about 20 findings per MB,
each with a safe fix.  ``hplint --fix`` runs in a fresh process per size;
the report shows seconds and MB per size and per MB, which should stay flat
if fixing grows linearly with the file.

    python benchmarks/big_fix.py                 # 1, 2, 5, 10 MB
    python benchmarks/big_fix.py --sizes 1 10    # chosen sizes

Nothing here is a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import List

from run import BIN, build_corpus, measure

FILLER = "scikit_learn/sklearn/linear_model/_ridge.py"


def big_source(megabytes: float, filler: str) -> str:
    parts: List[str] = ["import optuna\nimport numpy as np\n"]
    size, copy = 0, 0
    while size < megabytes * 1_000_000:
        block = "".join(
            f"\n\ndef objective_{copy}_{k}(trial):\n"
            f'    lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)\n'
            f"    return lr\n"
            for k in range(2)
        )
        renamed = filler.replace("def ", f"def f{copy}_").replace("class ", f"class C{copy}_")
        parts += [block, renamed]
        size += len(block) + len(renamed)
        copy += 1
    return "".join(parts)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 5, 10], help="file sizes in MB")
    args = parser.parse_args(argv)
    filler = (build_corpus() / FILLER).read_text(encoding="utf-8")
    print(f"{'size':>8} {'findings':>9} {'wall':>8} {'s/MB':>6} {'peak MB':>8} {'MB/MB':>6}")
    with tempfile.TemporaryDirectory() as work:
        for megabytes in args.sizes:
            path = Path(work) / "big.py"
            source = big_source(megabytes, filler)
            path.write_text(source, encoding="utf-8")
            findings = source.count("suggest_loguniform")
            sample = measure([str(BIN / "hplint"), "--isolated", "--no-cache", "--exit-zero", "-q", "--fix", str(path)], Path(work))
            fixed = path.read_text(encoding="utf-8").count("suggest_loguniform")
            size = len(source) / 1e6
            print(
                f"{size:7.1f}M {findings:9d} {sample.wall:7.1f}s {sample.wall / size:6.2f} {sample.peak_mb:8.0f} {sample.peak_mb / size:6.0f}"
                + ("" if fixed == 0 else f"  ({fixed} left unfixed)")
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
