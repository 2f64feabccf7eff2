"""The ``hplint`` command, following ruff's and flake8's conventions.

Exit status: 0 nothing found, 1 findings remain (or a diff would change
files), 2 usage or configuration error, or a file that could not be read or
parsed.  No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Dict, List, Optional, Sequence

from hplint import __version__
from hplint.core.config import ConfigError, ConfigResolver, _rule_selector_valid
from hplint.core.diagnostics import Diagnostic
from hplint.core.registry import get_rule
from hplint.frontends.files import SourceError, decode_source, discover
from hplint.frontends.output import RENDERERS, explain, render_text, rules_table_text, statistics, summary
from hplint.frontends.runner import FileOutcome, Mode, check_source, io_error

SUBCOMMANDS = ("check", "rules", "explain", "verify")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with one line, like ruff
        raise UsageError(message)


def _codes(value: str) -> List[str]:
    items = [v.strip().upper() for v in value.split(",") if v.strip()]
    for item in items:
        if not _rule_selector_valid(item):
            raise argparse.ArgumentTypeError(f"unknown rule code or prefix {item!r}")
    return items


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hplint",
        description="Find hyperparameter-tuning mistakes in ML code: exhaustive grids, "
        "linear learning-rate spacing, searches without pruning.",
        epilog="Other commands: hplint rules | hplint explain CODE | hplint verify [CODES] --quick",
    )
    parser.add_argument("paths", nargs="*", default=None, help="files or folders (default: .); - reads stdin")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: include unsafe fixes")
    parser.add_argument("--diff", action="store_true", help="print the diff --fix would apply; write nothing")
    parser.add_argument("--select", type=_codes, help="rules to check, by code or prefix (HPL2, HPL)")
    parser.add_argument("--ignore", type=_codes, help="rules to skip, by code or prefix")
    parser.add_argument("--extend-select", type=_codes, help="rules to add to the selection")
    parser.add_argument("--output-format", default="text", help="text (default), json, " + ", ".join(sorted(set(RENDERERS) - {"text", "json"})))
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    parser.add_argument("--exit-non-zero-on-fix", action="store_true", help="exit 1 when any fix was applied")
    parser.add_argument("--stdin-filename", help="the path to report for source read from stdin")
    parser.add_argument("--config", help="use this pyproject.toml instead of searching")
    parser.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    parser.add_argument("--disable-noqa", action="store_true", help="report findings suppressed by # noqa")
    parser.add_argument("--force-exclude", action="store_true", help="apply excludes to files named explicitly")
    parser.add_argument("--extend-exclude", type=lambda v: [p for p in v.split(",") if p], help="more glob patterns to skip")
    parser.add_argument("--cache-dir", help="where to keep the result cache (default .hplint_cache)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("-j", "--jobs", type=_jobs, default=0, help="worker processes (default: all cores; 1: no pool)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    parser.add_argument("--version", action="version", version=f"hplint {__version__}")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            command, rest = argv[0], argv[1:]
            if command == "rules":
                return cmd_rules(rest)
            if command == "explain":
                return cmd_explain(rest)
            if command == "verify":
                return cmd_verify(rest)
            argv = rest
        return cmd_check(argv)
    except UsageError as exc:
        print(f"hplint: error: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"hplint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


# ---------------------------------------------------------------------------


def cmd_rules(argv: Sequence[str]) -> int:
    if argv:
        raise UsageError("hplint rules takes no arguments")
    sys.stdout.write(rules_table_text())
    return 0


def cmd_explain(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        raise UsageError("usage: hplint explain CODE")
    rule = get_rule(argv[0])
    if rule is None:
        raise UsageError(f"unknown rule {argv[0]!r}; see `hplint rules`")
    sys.stdout.write(explain(rule))
    return 0


def cmd_verify(argv: Sequence[str]) -> int:
    try:
        from hplint.verify.cli import main as verify_main
    except ImportError as exc:  # the package itself, not torch (imported lazily)
        print(f"hplint: error: verify is unavailable: {exc}", file=sys.stderr)
        return 2
    return verify_main(list(argv))


def _resolver(args: argparse.Namespace) -> ConfigResolver:
    overrides: Dict[str, object] = {
        "select": args.select,
        "ignore": args.ignore,
        "extend_select": args.extend_select,
        "extend_exclude": args.extend_exclude,
        "disable_noqa": args.disable_noqa,
    }
    if args.config and not os.path.isfile(args.config):
        raise UsageError(f"--config {args.config}: no such file")
    return ConfigResolver(explicit=args.config, overrides=overrides, isolated=args.isolated)


def cmd_check(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.output_format not in RENDERERS:
        raise UsageError(f"unknown --output-format {args.output_format!r} (choose from {', '.join(sorted(RENDERERS))})")
    if args.unsafe_fixes and not (args.fix or args.diff):
        args.fix = False  # ruff: --unsafe-fixes alone only changes what is shown as fixable
    mode = Mode(fix=args.fix, unsafe=args.unsafe_fixes, diff=args.diff)
    resolver = _resolver(args)
    paths = args.paths or ["."]
    if "-" in paths:
        if len(paths) > 1:
            raise UsageError("- (stdin) cannot be combined with other paths")
        return _check_stdin(args, resolver, mode)

    outcomes: List[FileOutcome] = []
    errors: List[FileOutcome] = []

    def on_error(path: str, message: str) -> None:
        errors.append(FileOutcome(path, [io_error(path, message)], error=message))

    files = list(discover(paths, resolver.for_path, args.force_exclude, on_error))
    if not files and not errors:
        # as ruff: a run that lints nothing says so, never "All checks passed!"
        print("warning: No Python files found under the given path(s)", file=sys.stderr)
        return report([], argparse.Namespace(**{**vars(args), "quiet": True}), mode)
    configs = {f: resolver.for_path(f) for f in files}  # config errors surface before any work
    outcomes = run_files(files, configs, mode, args)
    outcomes.extend(errors)
    return report(outcomes, args, mode)


def run_files(files: Sequence[str], configs, mode: Mode, args: argparse.Namespace) -> List[FileOutcome]:
    """Check every file: unchanged ones from the cache, the rest in a process pool."""
    from hplint.frontends.cache import DEFAULT_DIR, ResultCache
    from hplint.frontends.parallel import default_jobs
    from hplint.frontends.parallel import run_files as run_parallel

    jobs = getattr(args, "jobs", 0) or default_jobs()
    cache = None
    if not getattr(args, "no_cache", False):
        cache = ResultCache(getattr(args, "cache_dir", None) or DEFAULT_DIR)
    return run_parallel(files, configs, mode, jobs=jobs, cache=cache)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("expected 0 (all cores) or more")
    return jobs


def _check_stdin(args: argparse.Namespace, resolver: ConfigResolver, mode: Mode) -> int:
    name = args.stdin_filename or "-"
    config = resolver.for_path(args.stdin_filename or os.path.join(os.getcwd(), "stdin.py"))
    data = sys.stdin.buffer.read()
    try:
        source = decode_source(data, name)
    except SourceError as exc:
        return report([FileOutcome(name, [io_error(name, str(exc))], error=str(exc))], args, mode)
    outcome = check_source(source, config, mode, write=False)
    if mode.fix and not mode.diff:
        # like ruff: the fixed source goes to stdout, findings to stderr
        sys.stdout.write(outcome.fixed_text if outcome.fixed_text is not None else source.text)
        sys.stdout.flush()
        return report([outcome], args, mode, stream=sys.stderr)
    return report([outcome], args, mode)


def report(outcomes: Sequence[FileOutcome], args: argparse.Namespace, mode: Mode, stream=None) -> int:
    stream = stream or sys.stdout
    remaining: List[Diagnostic] = sorted((d for o in outcomes for d in o.diagnostics), key=lambda d: d.sort_key)
    fixed: List[Diagnostic] = [d for o in outcomes for d in o.fixed]
    failed = any(o.failed for o in outcomes)
    if mode.diff:
        diffs = "".join(o.diff for o in outcomes if o.diff)
        stream.write(diffs)
        errors = [d for d in remaining if d.code in ("HPL001", "HPL002")]
        if errors:
            sys.stderr.write(render_text(errors))
        would = sum(len(o.fixed) for o in outcomes if o.diff)
        if not args.quiet:
            sys.stderr.write(f"Would fix {would} {'problem' if would == 1 else 'problems'}.\n" if would else "No fixes available.\n")
        if failed:
            return 2
        return 1 if diffs else 0
    renderer = RENDERERS[args.output_format]
    stream.write(renderer(remaining))
    if args.output_format == "text":
        if args.statistics:
            stream.write(statistics(remaining))
        if not args.quiet:
            stream.write(summary(remaining, len(fixed), mode.unsafe) + "\n")
    stream.flush()
    if failed:
        return 2
    if args.exit_non_zero_on_fix and fixed:
        return 1
    if args.exit_zero:
        return 0
    return 1 if any(d for d in remaining) else 0
