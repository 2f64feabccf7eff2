"""``hplint study STORAGE``: check finished Optuna studies, read-only.

Exit status: 0 nothing found, 1 findings, 2 a storage hplint cannot read (not
a storage, a schema it would have to upgrade, a missing study or driver), a
missing extra, or a usage or configuration error; each is one line.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional, Sequence

from hplint.core.config import ConfigResolver
from hplint.frontends.arguments import UsageError, _codes, _output_format
from hplint.study.render import FORMATS, RENDERERS
from hplint.study.storage import EXTRA, StudyError

USAGE = "hplint study STORAGE [--study NAME] [--output-format FORMAT] [--plot DIR] [--select/--ignore CODES]"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hplint study",
        usage=USAGE,
        description="Read finished Optuna studies (a SQLite file or sqlite:/// URL, a PostgreSQL or MySQL URL, "
        "or a JournalStorage file) without writing to them, and report what only the results show: best "
        "trials at the edge of a range, log-scale parameters sampled linearly, pruning that never prunes, "
        f"too few trials, parameters that do not matter, failed trials. Needs {EXTRA}.",
    )
    parser.add_argument("storage", metavar="STORAGE", help="a storage URL or file, as given to optuna.create_study")
    parser.add_argument("--study", metavar="NAME", help="check only this study (default: every study in the storage)")
    parser.add_argument(
        "--output-format", type=_study_format, default="concise", metavar="{" + ",".join(FORMATS) + "}",
        help="concise (default; full is the same), json, json-lines, sarif, github",
    )
    parser.add_argument("--plot", metavar="DIR", help="write one PNG per finding that has a picture into DIR (needs matplotlib)")
    parser.add_argument("--select", type=_codes, action="extend", metavar="RULE_CODE", help="checks to run (HPL6, HPL601, ...)")
    parser.add_argument("--ignore", type=_codes, action="extend", metavar="RULE_CODE", help="checks to skip")
    parser.add_argument("--extend-select", type=_codes, action="extend", metavar="RULE_CODE", help="checks to add")
    parser.add_argument("--config", metavar="PYPROJECT", help="use this pyproject.toml instead of searching")
    parser.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    parser.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    return parser


def _study_format(value: str) -> str:
    name = _output_format(value)
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(f"hplint study writes {', '.join(FORMATS)}, not {value}")
    return name


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    if args.config and not os.path.isfile(args.config):
        raise UsageError(f"--config {args.config}: no such file")
    overrides = {"select": args.select, "ignore": args.ignore, "extend_select": args.extend_select}
    config = ConfigResolver(explicit=args.config, overrides=overrides, isolated=args.isolated).for_path(os.getcwd())
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            return _fail(f"--plot needs matplotlib: pip install '{EXTRA}'")
    try:
        from hplint.study.analyse import analyse
        from hplint.study.storage import open_storage

        opened = open_storage(args.storage)
        try:
            result = analyse(opened, args.study, config)
        finally:
            opened.close()
    except StudyError as exc:
        return _fail(str(exc))
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    out = sys.stdout
    out.write(RENDERERS[args.output_format](result.findings, opened.label))
    if args.plot:
        from hplint.study.plots import write_plots

        written = write_plots(result.findings, args.plot)
        if written and not args.quiet:
            print(f"Wrote {len(written)} {'plot' if len(written) == 1 else 'plots'} to {args.plot}.", file=sys.stderr)
    if args.output_format in ("concise", "full") and not args.quiet:
        out.write(summary(len(result.findings), result.studies, result.trials) + "\n")
    out.flush()
    if args.exit_zero:
        return 0
    return 1 if result.findings else 0


def summary(found: int, studies: int, trials: int) -> str:
    read = f"{studies} {'study' if studies == 1 else 'studies'}, {trials} {'trial' if trials == 1 else 'trials'} read"
    if not found:
        return f"All checks passed! ({read})"
    return f"Found {found} {'problem' if found == 1 else 'problems'} ({read})."


def _fail(message: str) -> int:
    print(f"hplint: error: {message}", file=sys.stderr)
    return 2


def run(argv: Optional[List[str]] = None) -> int:
    return main(sys.argv[1:] if argv is None else argv)
