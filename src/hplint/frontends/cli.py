"""The ``hplint`` command, following ruff's and flake8's conventions.

Exit status: 0 nothing found, 1 findings remain (or a diff would change
files), 2 usage or configuration error, or a file that could not be read or
parsed.  No traceback reaches the user.  The options are in ``arguments``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Dict, List, Optional, Sequence

from hplint.core.config import ConfigError, ConfigResolver
from hplint.core.diagnostics import Diagnostic
from hplint.core.registry import get_rule
from hplint.frontends.arguments import SUBCOMMANDS, UsageError, build_parser
from hplint.frontends.files import SourceError, decode_source, discover
from hplint.frontends.formats import RENDERERS, TEXT_FORMATS
from hplint.frontends.output import (
    explain,
    fix_only_summary,
    fix_summary,
    render_text,
    rules_table_text,
    statistics,
    statistics_json,
    summary,
)
from hplint.frontends.rendering import RenderOptions, SourceTexts
from hplint.frontends.runner import FileOutcome, Mode, check_source, io_error

__all__ = ["SUBCOMMANDS", "UsageError", "build_parser", "main", "report", "run_files"]

ERROR_CODES = ("HPL001", "HPL002")


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
            if command == "server":
                return cmd_server(rest)
            if command == "study":
                return cmd_study(rest)
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


def cmd_study(argv: Sequence[str]) -> int:
    from hplint.study.cli import main as study_main

    return study_main(list(argv))


def cmd_verify(argv: Sequence[str]) -> int:
    try:
        from hplint.verify.cli import main as verify_main
    except ImportError as exc:  # the package itself, not torch (imported lazily)
        print(f"hplint: error: verify is unavailable: {exc}", file=sys.stderr)
        return 2
    return verify_main(list(argv))


def cmd_server(argv: Sequence[str]) -> int:
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as exc:
        print(f"hplint: error: the server needs pygls ({exc}); pip install 'hplint[server]'", file=sys.stderr)
        return 2
    from hplint.frontends.server import main as server_main

    return server_main(list(argv))


def _resolver(args: argparse.Namespace) -> ConfigResolver:
    ignore = (args.ignore or []) + (args.extend_ignore or [])
    overrides: Dict[str, object] = {
        "select": args.select,
        "ignore": ignore or None,
        "extend_select": args.extend_select,
        "exclude": args.exclude,
        "extend_exclude": args.extend_exclude,
        "per_file_ignores": args.per_file_ignores,
        "extend_per_file_ignores": args.extend_per_file_ignores,
        "respect_gitignore": args.respect_gitignore,
        "disable_noqa": args.disable_noqa,
    }
    if args.config and not os.path.isfile(args.config):
        raise UsageError(f"--config {args.config}: no such file")
    return ConfigResolver(explicit=args.config, overrides=overrides, isolated=args.isolated)


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _reads_stdin(args: argparse.Namespace) -> bool:
    """ruff's rule: ``--stdin-filename`` always reads stdin (other paths are
    ignored, with a warning); otherwise a lone ``-`` does."""
    if args.stdin_filename is not None:
        others = [p for p in args.paths if p != "-"]
        if others:
            _warn(f"Ignoring file {others[0]} in favor of standard input.")
        return True
    if "-" in args.paths:
        if len(args.paths) > 1:
            raise UsageError("- (stdin) cannot be combined with other paths")
        return True
    return False


def cmd_check(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.statistics and args.output_format not in TEXT_FORMATS + ("json",):
        raise UsageError(f"--statistics prints concise, full or json output, not {args.output_format}")
    mode = Mode(fix=args.fix or args.fix_only, unsafe=args.unsafe_fixes, diff=args.diff)
    resolver = _resolver(args)
    if _reads_stdin(args):
        if args.add_noqa:
            raise UsageError("--add-noqa edits files in place; it cannot read stdin")
        return _check_stdin(args, resolver, mode)

    errors: List[FileOutcome] = []

    def on_error(path: str, message: str) -> None:
        errors.append(FileOutcome(path, [io_error(path, message)], error=message))

    files = list(discover(args.paths or ["."], resolver.for_path, args.force_exclude, on_error))
    if not args.paths:
        files = [_without_dot(f) for f in files]  # as ruff: "pkg/t.py", not "./pkg/t.py"
    if args.show_settings:
        if not files:
            raise UsageError("no files found under the given paths")
        first = sorted(files)[0]
        from hplint.frontends.settings_view import show_settings

        sys.stdout.write(show_settings(first, resolver.for_path(first), args))
        return 0
    if args.show_files:
        from hplint.frontends.sweepfiles import would_lint  # YAML, shell, Markdown: only those holding a sweep

        files = [f for f in files if would_lint(f)]
        sys.stdout.write("".join(f + "\n" for f in sorted(files)))
        _report_errors(errors)
        if not files:
            _warn("No Python files found under the given path(s)")
        return 2 if errors else 0
    if not files and not errors:
        # as ruff: a run that lints nothing says so, never "All checks passed!"
        _warn("No Python files found under the given path(s)")
        return report([], argparse.Namespace(**{**vars(args), "quiet": True}), mode)
    configs = {f: resolver.for_path(f) for f in files}  # config errors surface before any work
    if args.add_noqa:
        return _add_noqa(files, configs, args, errors)
    outcomes = run_files(files, configs, mode, args)
    outcomes.extend(errors)
    return report(outcomes, args, mode)


def _without_dot(path: str) -> str:
    prefix = os.curdir + os.sep
    return path[len(prefix):] if path.startswith(prefix) else path


def _report_errors(outcomes: Sequence[FileOutcome]) -> None:
    found = [d for o in outcomes for d in o.diagnostics]
    if found:
        sys.stderr.write(render_text(found))


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


def _add_noqa(files: Sequence[str], configs, args: argparse.Namespace, errors: List[FileOutcome]) -> int:
    """ruff's ``--add-noqa``: write the directives, say how many, exit 0 (2 when
    a file could not be read or parsed, hplint's status for that)."""
    from hplint.frontends.addnoqa import add_noqa_to_files

    if args.fix or args.fix_only or args.diff:
        _warn("--fix is incompatible with --add-noqa; nothing is fixed.")
    outcomes = run_files(files, configs, Mode(), args)
    findings = {o.path: o.diagnostics for o in outcomes}
    done = add_noqa_to_files(files, configs, findings)
    for reason in done.skipped:
        _warn(f"not edited: {reason}")
    for diag in done.missed:
        _warn(f"{diag.path}:{diag.line}: no line of the statement can take a # noqa for {diag.code}")
    failed = done.errors + [d for o in errors for d in o.diagnostics]
    if failed:
        sys.stderr.write(render_text(failed))
    if done.added and not args.quiet:
        print(f"Added {done.added} noqa {'directive' if done.added == 1 else 'directives'}.", file=sys.stderr)
    return 2 if failed else 0


def _check_stdin(args: argparse.Namespace, resolver: ConfigResolver, mode: Mode) -> int:
    name = args.stdin_filename or "-"
    config = resolver.for_path(args.stdin_filename or os.path.join(os.getcwd(), "stdin.py"))
    data = sys.stdin.buffer.read()
    if args.stdin_filename and args.force_exclude and config.is_excluded(args.stdin_filename):
        # as ruff: an excluded file is not checked; --fix passes it through unchanged
        if mode.fix and not mode.diff:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0
    try:
        source = decode_source(data, name)
    except SourceError as exc:
        return report([FileOutcome(name, [io_error(name, str(exc))], error=str(exc))], args, mode)
    if args.show_settings:
        from hplint.frontends.settings_view import show_settings

        sys.stdout.write(show_settings(name, config, args))
        return 0
    if args.show_files:
        sys.stdout.write(name + "\n")
        return 0
    outcome = check_source(source, config, mode, write=False)
    texts = SourceTexts({name: outcome.fixed_text if outcome.fixed_text is not None else source.text})
    options = RenderOptions(unsafe=mode.unsafe, show_fix_status=not mode.fix, texts=texts)
    if mode.fix and not mode.diff:
        # like ruff: the fixed source goes to stdout, findings to stderr
        sys.stdout.write(outcome.fixed_text if outcome.fixed_text is not None else source.text)
        sys.stdout.flush()
        return report([outcome], args, mode, stream=sys.stderr, options=options)
    return report([outcome], args, mode, options=options)


def report(
    outcomes: Sequence[FileOutcome],
    args: argparse.Namespace,
    mode: Mode,
    stream=None,
    options: Optional[RenderOptions] = None,
) -> int:
    stream = stream or sys.stdout
    options = options or RenderOptions(unsafe=mode.unsafe, show_fix_status=not mode.fix)
    remaining: List[Diagnostic] = sorted((d for o in outcomes for d in o.diagnostics), key=lambda d: d.sort_key)
    fixed: List[Diagnostic] = [d for o in outcomes for d in o.fixed]
    failed = any(o.failed for o in outcomes)
    output_format = getattr(args, "output_format", "concise")
    if mode.diff:
        diffs = "".join(o.diff for o in outcomes if o.diff)
        stream.write(diffs)
        errors = [d for d in remaining if d.code in ERROR_CODES]
        if errors:
            sys.stderr.write(render_text(errors))
        would = sum(len(o.fixed) for o in outcomes if o.diff)
        if not args.quiet:
            sys.stderr.write(f"Would fix {would} {'problem' if would == 1 else 'problems'}.\n" if would else "No fixes available.\n")
        if failed:
            return 2
        return 1 if diffs else 0
    if getattr(args, "fix_only", False):
        errors = [d for d in remaining if d.code in ERROR_CODES]
        if errors:
            sys.stderr.write(render_text(errors))
        if getattr(args, "show_fixes", False):
            stream.write(fix_summary(fixed))
        if not args.quiet:
            stream.write(fix_only_summary(remaining, len(fixed), mode.unsafe) + "\n")
        stream.flush()
        if failed:
            return 2
        return 1 if args.exit_non_zero_on_fix and fixed else 0
    if getattr(args, "statistics", False):
        if output_format == "json":
            stream.write(statistics_json(remaining, options))
        else:
            table = statistics(remaining, options)
            stream.write(table)
            if table and not args.quiet:
                stream.write(summary(remaining, len(fixed), mode.unsafe) + "\n")
    else:
        stream.write(RENDERERS[output_format](remaining, options))
        if output_format in TEXT_FORMATS:
            if getattr(args, "show_fixes", False) and fixed:
                stream.write("\n" + fix_summary(fixed) + "\n")
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
