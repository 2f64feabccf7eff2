"""Lint and fix copies of large installed packages: hplint's reliability at scale.

For each package the source is copied to a temporary folder, linted, fixed
with ``--fix --unsafe-fixes`` semantics, and fixed again.  It fails (exit 1)
on any crash, on a changed file that does not parse or had no finding, and
on a second pass that changes anything.  The originals are never touched.

    python scripts/lint_large_packages.py optuna libcst sklearn torch
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Counter, List

import libcst as cst

from hplint.core.config import Config, config_from_mapping
from hplint.engine.lint import fix_source, lint_source
from hplint.frontends.files import SourceError, read_source, write_source


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def parses(text: str) -> bool:
    try:
        cst.parse_module(text)
    except Exception:  # any failure counts as "does not parse"
        return False
    return True


def check_package(root: Path, config: Config, counts: Counter[str], problems: List[str]) -> int:
    """Lint, fix and re-fix every .py file under ``root`` (a copy); return lines read."""
    lines = 0
    for path in sorted(root.rglob("*.py")):
        try:
            source = read_source(str(path))
        except SourceError:
            counts["unreadable"] += 1
            continue
        lines += source.text.count("\n")
        try:
            found = lint_source(source.text, str(path), config)
            counts.update(d.code for d in found)
            result = fix_source(source.text, str(path), config, unsafe=True)
        except Exception as exc:  # the point of this script: report, never stop
            problems.append(f"{path}: crash {type(exc).__name__}: {exc}")
            continue
        counts["files"] += 1
        if result.source == source.text:
            continue
        counts["changed files"] += 1
        if not parses(result.source):
            problems.append(f"{path}: fixed text does not parse")
        if not [d for d in found if d.fix is not None]:
            problems.append(f"{path}: changed without a fixable finding")
        again = fix_source(result.source, str(path), config, unsafe=True)
        if again.source != result.source:
            problems.append(f"{path}: a second --fix changed it again")
        write_source(source, result.source)
    return lines


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", default=["optuna", "libcst"])
    parser.add_argument("--limit", type=int, default=0, help="at most this many files per package (0: all)")
    args = parser.parse_args(argv)
    config = config_from_mapping({"select": ["HPL"]}, where="scale run")
    total: Counter[str] = collections.Counter()
    problems: List[str] = []
    with tempfile.TemporaryDirectory(prefix="hplint-scale-") as tmp:
        for name in args.packages:
            copy = Path(tmp) / name
            shutil.copytree(package_dir(name), copy, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyc"))
            if args.limit:
                for extra in sorted(copy.rglob("*.py"))[args.limit :]:
                    extra.unlink()
            counts: Counter[str] = collections.Counter()
            start = time.perf_counter()
            lines = check_package(copy, config, counts, problems)
            seconds = time.perf_counter() - start
            codes = {k: v for k, v in sorted(counts.items()) if k.startswith("HPL")}
            print(f"{name}: {counts['files']} files, {lines} lines, {seconds:.0f}s, "
                  f"{counts['changed files']} changed, findings {codes}", flush=True)
            total.update(counts)
            total["lines"] += lines
    print(f"total: {total['files']} files, {total['lines']} lines, {len(problems)} problems")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
