"""Property tests: no program crashes the linter, no fix breaks a program.

Generated programs come from the Python grammar (hypothesmith); mutated ones
are the project's own fixtures and examples with hyperparameter-search
patterns inserted at random statement boundaries.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hplint.core.config import config_from_mapping
from hplint.engine.lint import fix_source, lint_source
from hplint.engine.syntax import INTERNAL_ERROR

# hypothesmith compiles what it generates; its SyntaxWarnings are about that code, not ours
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

ROOT = Path(__file__).resolve().parent.parent
EVERY_RULE = config_from_mapping({"select": ["HPL"]}, where="tests")
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

PATTERNS = (
    "import numpy as np\nlearning_rates = np.linspace(1e-5, 1e-1, 5)\n",
    "import optuna\n\n\ndef objective(trial):\n    lr = trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"
    "    for epoch in range(20):\n        loss = lr / (epoch + 1)\n    return loss\n",
    "for lr in [1e-4, 1e-3, 1e-2]:\n    for batch_size in [16, 32, 64]:\n"
    "        for weight_decay in [0.0, 1e-4, 1e-2]:\n            train(lr, batch_size, weight_decay)\n",
    "study = optuna.create_study(sampler=optuna.samplers.TPESampler())\nstudy.optimize(objective, n_trials=5)\n",
    "def objective(trial):\n    lr = trial.suggest_float('learning_rate', 1e-5, 1e-1)\n"
    "    trial.report(lr, 0)\n    return lr\n",
    "from sklearn.model_selection import GridSearchCV\n"
    "search = GridSearchCV(model, {'C': [0.1, 1, 10], 'gamma': [0.01, 0.1, 1], 'kernel': ['rbf', 'poly']})\n",
    "lrs = [0.001, 0.002, 0.003, 0.004, 0.005]\n",
)


def _corpus() -> List[str]:
    paths = sorted((ROOT / "tests" / "fixtures").rglob("*.py")) + sorted((ROOT / "examples").glob("*.py"))
    return [p.read_text(encoding="utf-8") for p in paths] or ["x = 1\n"]


CORPUS = _corpus()


def _parses(source: str) -> bool:
    try:
        cst.parse_module(source)
    except Exception:  # any parser failure: not a valid program
        return False
    return True


def check_program(source: str) -> None:
    """The documented outcomes only: findings (HPL001 for code that does not parse), never an exception."""
    found = lint_source(source, "generated.py", EVERY_RULE)
    assert not [d for d in found if INTERNAL_ERROR in d.message], found
    if not _parses(source):
        return
    for unsafe in (False, True):
        result = fix_source(source, "generated.py", EVERY_RULE, unsafe=unsafe)
        assert _parses(result.source), result.source
        again = fix_source(result.source, "generated.py", EVERY_RULE, unsafe=unsafe)
        assert again.source == result.source, "a second fix changed the code"


@SETTINGS
@given(hypothesmith.from_grammar())
def test_grammar_generated_programs(source: str) -> None:
    check_program(source)


@SETTINGS
@given(hypothesmith.from_node())
def test_node_generated_programs(source: str) -> None:
    check_program(source)


def _top_level_boundaries(source: str) -> List[int]:
    """Offsets of lines that start a top-level statement (no indentation)."""
    offsets, at = [0], 0
    for line in source.splitlines(keepends=True):
        at += len(line)
        offsets.append(at)
    return [o for o in offsets if o == len(source) or source[o : o + 1] not in (" ", "\t", "\n", ")", "]", "}")]


@SETTINGS
@given(st.data())
def test_mutated_fixtures(data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(CORPUS))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.sampled_from(_top_level_boundaries(source)))
        pattern = data.draw(st.sampled_from(PATTERNS))
        prefix = source[:at]
        if prefix and not prefix.endswith("\n"):
            prefix += "\n"
        source = prefix + pattern + source[at:]
    assume(_parses(source))
    check_program(source)
