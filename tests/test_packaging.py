"""Packaging promises: Python 3.9 syntax, no ML imports when linting."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import ROOT


def test_sources_use_python39_syntax() -> None:
    for path in sorted((ROOT / "src" / "hplint").rglob("*.py")):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 9))


def test_linting_never_imports_ml_libraries() -> None:
    code = (
        "import sys, hplint\n"
        "from hplint import lint_source\n"
        "from hplint.frontends.cli import main\n"
        "from hplint.core.registry import all_rules\n"
        "all_rules()\n"
        "lint_source(open(sys.argv[1]).read(), sys.argv[1])\n"
        "bad = [m for m in ('torch', 'numpy', 'optuna', 'matplotlib', 'sklearn') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    example = ROOT / "examples" / "optuna_objective.py"
    subprocess.run([sys.executable, "-c", code, str(example)], check=True)
