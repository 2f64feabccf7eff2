"""``hplint verify [CODES...]``: run the demonstrations and print what they measured."""

from __future__ import annotations

import argparse
import os
import sys

from hplint.verify import DEMOS, INSTALL_HINT, demo_codes, demos_for


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hplint verify",
        description="Train small torch models the anti-pattern's way and the fixed way, "
        "under the same budget, and report what each fix buys on this machine.",
    )
    parser.add_argument("codes", nargs="*", metavar="CODE",
                        help="rule codes, prefixes (HPL3) or demo names; default: every demo "
                        f"({', '.join(DEMOS)})")
    parser.add_argument("--quick", action="store_true", help="fewer epochs and trials (under a minute on 2 cores)")
    parser.add_argument("--seeds", type=int, default=None, metavar="N", help="repetitions per demo (default 3)")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="where to train (default cpu)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes, one thread each (default: the cores available)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--plot", metavar="DIR", help="write one PNG per demo into DIR (needs matplotlib)")
    return parser


def _missing_dependency(need_plot: bool) -> str | None:
    """The install hint when torch or optuna (or matplotlib for --plot) cannot be imported."""
    modules = ["torch", "optuna"] + (["matplotlib"] if need_plot else [])
    for module in modules:
        try:
            __import__(module)
        except ImportError:
            return INSTALL_HINT
    return None


def _prepare_torch(device: str) -> str | None:
    """Deterministic seeds; an error message when cuda is asked for but absent."""
    import torch

    if device == "cuda" and not torch.cuda.is_available():
        return "hplint verify: --device cuda requested but CUDA is not available here; use --device cpu"
    torch.manual_seed(0)
    return None


def available_cores() -> int:
    """Cores this process may run on (affinity-aware where the OS tells)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns 0 after a run, 2 on a usage error or a missing extra."""
    args = _parser().parse_args(argv)
    try:
        names = demos_for(args.codes)
    except KeyError as error:
        known = ", ".join(sorted({c for codes in demo_codes().values() for c in codes}))
        print(f"hplint verify: no demonstration for {error.args[0]!r}; codes with one: {known}", file=sys.stderr)
        return 2
    for option in ("seeds", "jobs"):
        if getattr(args, option) is not None and getattr(args, option) < 1:
            print(f"hplint verify: --{option} must be at least 1", file=sys.stderr)
            return 2
    hint = _missing_dependency(args.plot is not None)
    if hint:
        print(hint, file=sys.stderr)
        return 2
    error = _prepare_torch(args.device)
    if error:
        print(error, file=sys.stderr)
        return 2
    return _run(args, names)


def _run(args: argparse.Namespace, names: list[str]) -> int:
    from hplint.verify import report
    from hplint.verify.common import Settings
    from hplint.verify.demos import run

    settings = Settings.make(args.quick, args.seeds, args.device)
    jobs = args.jobs if args.jobs is not None else available_cores()
    results = run(names, settings, jobs, lambda line: print(f"hplint verify: {line}", file=sys.stderr, flush=True))
    print(report.to_json(results) if args.json else report.table(results))
    if args.plot:
        from hplint.verify.plots import write_plots

        for path in write_plots(results, args.plot):
            print(f"hplint verify: wrote {path}", file=sys.stderr)
    return 0
