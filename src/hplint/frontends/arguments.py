"""The ``hplint`` command line: every option, grouped as ruff groups them.

Options that name rules or patterns take comma-separated values and may be
repeated, and the values add up (``--select HPL201 --select HPL202`` selects
both), as in ruff.  ``--help`` lists each option's choices and the
subcommands.
"""

from __future__ import annotations

import argparse
import textwrap
from typing import List, Tuple

from hplint import __version__
from hplint.core.config import _rule_selector_valid
from hplint.core.registry import FAMILIES
from hplint.frontends.formats import ALIASES, RENDERERS

SUBCOMMANDS = ("check", "rules", "explain", "verify", "server", "study")
OUTPUT_FORMATS = tuple(RENDERERS)

COMMANDS_HELP = """\
check [OPTIONS] [PATHS]   check files (the default: `hplint PATHS` is `hplint check PATHS`)
rules                     every rule: code, name, family, fix, on by default or opt-in
explain CODE              what a rule catches and why, with examples and its fix
verify [CODES] [--quick]  measure what each fix buys on your machine (needs hplint[verify])
server                    a language server (LSP over stdio) for editors (needs hplint[server])
study STORAGE             check finished Optuna studies, read-only (needs hplint[study])"""

CODE_CHOICES = textwrap.fill(
    "RULE_CODE: HPL (every rule), a family ("
    + ", ".join(f"{prefix} {name}" for prefix, name in FAMILIES.items())
    + ") or a rule's code (`hplint rules` lists them). Values are comma-separated; "
    "a repeated flag adds to the values before it.",
    width=96,
)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with one line, like ruff
        raise UsageError(message)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=34, width=100)


def _codes(value: str) -> List[str]:
    items = [v.strip().upper() for v in value.split(",") if v.strip()]
    for item in items:
        if not _rule_selector_valid(item):
            raise argparse.ArgumentTypeError(f"unknown rule code or prefix {item!r}")
    return items


def _patterns(value: str) -> List[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def _per_file_ignores(value: str) -> List[Tuple[str, Tuple[str, ...]]]:
    """``PATTERN:CODE[,PATTERN:CODE...]`` (ruff's form) -> [(pattern, (code,))]."""
    pairs = []
    for item in _patterns(value):
        pattern, sep, code = item.rpartition(":")
        if not sep or not pattern.strip():
            raise argparse.ArgumentTypeError(f"expected PATTERN:RULE_CODE, got {item!r}")
        pairs.append((pattern.strip(), tuple(_codes(code))))
    return pairs


def _output_format(value: str) -> str:
    name = ALIASES.get(value, value)
    if name not in OUTPUT_FORMATS:
        raise argparse.ArgumentTypeError(f"unknown output format {value!r} (choose from {', '.join(OUTPUT_FORMATS)})")
    return name


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("expected 0 (all cores) or more")
    return jobs


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hplint",
        usage="hplint [check] [OPTIONS] [PATHS ...]\n       hplint {rules,explain,verify,server} ...",
        description="Find hyperparameter-tuning mistakes in ML code: exhaustive grids, "
        "linear learning-rate spacing, searches without pruning.",
        formatter_class=_Formatter,
    )
    parser.add_argument_group("Commands", COMMANDS_HELP)
    parser.add_argument(
        "paths", nargs="*", metavar="PATHS", help="files or folders to check (default: the current folder); - reads stdin"
    )

    fixes = parser.add_argument_group("Fixes")
    fixes.add_argument("--fix", action="store_true", help="apply safe fixes")
    fixes.add_argument(
        "--unsafe-fixes", action="store_true",
        help="with --fix, --fix-only or --diff: apply unsafe fixes too; alone: mark them fixable ([*])",
    )
    fixes.add_argument("--diff", action="store_true", help="print the diff --fix would apply; write nothing")
    fixes.add_argument(
        "--fix-only", action="store_true",
        help="apply fixes, do not report what is left; exit 0 (1 with --exit-non-zero-on-fix if anything was fixed)",
    )
    fixes.add_argument("--show-fixes", action="store_true", help="list what was fixed, per file and rule")

    rules = parser.add_argument_group("Rule selection", CODE_CHOICES)
    rules.add_argument("--select", type=_codes, action="extend", metavar="RULE_CODE", help="rules to check (replaces the configured selection)")
    rules.add_argument("--ignore", type=_codes, action="extend", metavar="RULE_CODE", help="rules to skip")
    rules.add_argument("--extend-select", type=_codes, action="extend", metavar="RULE_CODE", help="rules to add to the selection")
    rules.add_argument("--extend-ignore", type=_codes, action="extend", metavar="RULE_CODE", help="like --ignore (flake8's name)")
    rules.add_argument(
        "--per-file-ignores", type=_per_file_ignores, action="extend", metavar="PATTERN:RULE_CODE",
        help="rules to skip in files matching a glob, e.g. 'tests/*:HPL1' (replaces per-file-ignores)",
    )
    rules.add_argument(
        "--extend-per-file-ignores", type=_per_file_ignores, action="extend", metavar="PATTERN:RULE_CODE",
        help="like --per-file-ignores, added to the configured ones",
    )

    files = parser.add_argument_group("File selection")
    files.add_argument("--exclude", type=_patterns, action="extend", metavar="PATTERN", help="glob patterns to skip (replaces the defaults)")
    files.add_argument("--extend-exclude", type=_patterns, action="extend", metavar="PATTERN", help="more glob patterns to skip")
    files.add_argument(
        "--respect-gitignore", dest="respect_gitignore", action="store_const", const=True, default=None,
        help="skip files .gitignore, .git/info/exclude, the global git ignore file and .ignore exclude (default)",
    )
    files.add_argument(
        "--no-respect-gitignore", dest="respect_gitignore", action="store_const", const=False,
        help="check ignored files found in folders too",
    )
    files.add_argument("--force-exclude", action="store_true", help="apply excludes to files named on the command line")
    files.add_argument(
        "--stdin-filename", metavar="PATH",
        help="read the source from stdin and report it as PATH (its configuration applies); no - needed",
    )

    output = parser.add_argument_group("Output")
    output.add_argument(
        "--output-format", type=_output_format, default="concise", metavar="{" + ",".join(OUTPUT_FORMATS) + "}",
        help="concise (default, one line per finding; text is its old name), full (the code, the span "
        "underlined, the fix), json, json-lines, junit, gitlab, sarif, github",
    )
    output.add_argument("--statistics", action="store_true", help="print a count per rule instead of the findings")
    output.add_argument("--show-files", action="store_true", help="list the files hplint would check, and exit")
    output.add_argument("--show-settings", action="store_true", help="print the settings for the first file, and exit")
    output.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")

    noqa = parser.add_argument_group("Suppression")
    noqa.add_argument(
        "--add-noqa", action="store_true",
        help="add '# noqa: CODE' to each line with a finding (merging with an existing '# noqa:'), and exit",
    )
    noqa.add_argument(
        "--disable-noqa", "--ignore-noqa", dest="disable_noqa", action="store_true",
        help="report findings suppressed by # noqa or a file-level exemption",
    )

    misc = parser.add_argument_group("Miscellaneous")
    misc.add_argument("--config", metavar="PYPROJECT", help="use this pyproject.toml instead of searching")
    misc.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    misc.add_argument("--cache-dir", metavar="DIR", help="where to keep the result cache (default .hplint_cache)")
    misc.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    misc.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N", help="worker processes (0, the default: all cores; 1: no pool)")
    misc.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    misc.add_argument("--exit-non-zero-on-fix", action="store_true", help="exit 1 when any fix was applied")
    misc.add_argument("--version", action="version", version=f"hplint {__version__}")
    return parser
