"""Prefilters are sound on generated tuning code, not only on the fixtures.

``tests/tuning_code.py`` writes small tuning programs (and notebooks) in many
spellings: every library imported every way, numbers written every way, calls
laid out over lines with comments, values bound to names, attributes,
subscripts, dict values, keywords and loops, wrapped in functions, methods and
tests, with tabs or spaces and LF, CRLF or CR line ends.  Each one is linted
with every rule (opt-in ones included) twice, with the prefilters and with
them switched off: the findings must be the same.

The number of examples is ``HPLINT_DIFFERENTIAL_EXAMPLES`` (default 300 for
files, a third of that for notebooks); the runs are derandomized, so CI sees
the same programs every time.  Set the variable higher (and ``derandomize``
off with ``HPLINT_DIFFERENTIAL_RANDOM=1``) to search further.
"""

from __future__ import annotations

import json
import os
from typing import List

import pytest
from hypothesis import HealthCheck, example, given, settings

from hplint.core.config import Config
from hplint.engine import lint as engine
from hplint.frontends.files import decode_source
from hplint.frontends.runner import Mode, check_source
from hplint.prefilter import select as prefilter_stage

from tuning_code import notebooks, programs

ALL = Config(select=("HPL",))
EXAMPLES = int(os.environ.get("HPLINT_DIFFERENTIAL_EXAMPLES", "300"))
RANDOM = os.environ.get("HPLINT_DIFFERENTIAL_RANDOM", "") not in ("", "0")


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=not RANDOM,
        database=None,  # derandomized: a stored example would only repeat one of them
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def _findings(source: str, prefilter: bool, monkeypatch: pytest.MonkeyPatch) -> List[tuple]:
    monkeypatch.setattr(prefilter_stage, "PREFILTER", prefilter)
    found = engine.lint_source(source, "case.py", ALL)
    return [(d.code, d.line, d.col, d.end_line, d.end_col, d.message) for d in found]


def _assert_same(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    unfiltered = _findings(source, False, monkeypatch)
    assert _findings(source, True, monkeypatch) == unfiltered, source


def _notebook_findings(text: str, prefilter: bool, monkeypatch: pytest.MonkeyPatch) -> List[tuple]:
    monkeypatch.setattr(prefilter_stage, "PREFILTER", prefilter)
    outcome = check_source(decode_source(text.encode("utf-8"), "nb.ipynb"), ALL, Mode(), write=False)
    return [(d.code, d.cell, d.line, d.col, d.end_line, d.end_col, d.message) for d in outcome.diagnostics]


# -- generated programs ---------------------------------------------------------


@_settings(EXAMPLES)
@given(programs())
def test_generated_programs_same_with_and_without_prefilter(source: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _assert_same(source, monkeypatch)


@_settings(max(1, EXAMPLES // 3))
@given(notebooks())
def test_generated_notebooks_same_with_and_without_prefilter(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        unfiltered = _notebook_findings(text, False, monkeypatch)
        assert _notebook_findings(text, True, monkeypatch) == unfiltered, json.loads(text)


# -- regressions: keyword and aliased spellings of spacing calls ------------------

_KEYWORD_SPACING = {
    "numpy-keywords": (
        "import numpy as np\n"
        "learning_rates = np.linspace(start=1e-5, stop=1e-1, num=5)\n"
        "for lr in learning_rates:\n"
        "    train(lr=lr)\n"
    ),
    "torch-keywords": (
        "import torch\n"
        "learning_rates = torch.linspace(start=1e-5, end=1e-1, steps=5)\n"
        "for lr in learning_rates:\n"
        "    train(lr=lr)\n"
    ),
    "numpy-aliased-function": (
        "from numpy import linspace as ls\n"
        "learning_rates = ls(1e-5, 1e-1, 5)\n"
        "for lr in learning_rates:\n"
        "    train(lr=lr)\n"
    ),
}


@pytest.mark.parametrize("source", list(_KEYWORD_SPACING.values()), ids=list(_KEYWORD_SPACING))
def test_linear_spacing_reported_with_prefilter_on(source: str, monkeypatch) -> None:
    found = _findings(source, True, monkeypatch)
    assert [(code, line) for code, line, *_ in found] == [("HPL201", 2)]
    assert found == _findings(source, False, monkeypatch)
