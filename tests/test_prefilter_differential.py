"""Prefilters are sound on generated tuning code, not only on the fixtures.

``tests/tuning_code.py`` writes small tuning programs (and notebooks) in many
spellings: every library imported every way, numbers written every way, calls
laid out over lines with comments, values bound to names, attributes,
subscripts, dict values, keywords and loops, wrapped in functions, methods and
tests, with tabs or spaces and LF, CRLF or CR line ends.  Each one is linted
with every rule (opt-in ones included) twice, with the prefilters and with
them switched off: the findings must be the same.

The runs are derandomized, so CI sees the same programs every time.  To
search further (say, after changing a trigger)::

    HPLINT_DIFFERENTIAL_EXAMPLES=3000 HPLINT_DIFFERENTIAL_RANDOM=1 \\
        python -m pytest tests/test_prefilter_differential.py

and add ``HPLINT_DIFFERENTIAL_KNOWN_GAPS=1`` to write the spellings of
``tuning_code.KNOWN_GAPS`` too (those fail until the gaps are closed; each
has an xfail regression below).
"""

from __future__ import annotations

import json
import os
from typing import List

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from hplint.core.config import Config
from hplint.core.registry import all_rules
from hplint.engine import lint as engine
from hplint.frontends.files import decode_source
from hplint.frontends.runner import Mode, check_source
from hplint.prefilter import select as prefilter_stage
from tuning_code import CLOSED_GAPS, KNOWN_GAPS, notebooks, programs

ALL = Config(select=("HPL",))
EXAMPLES = int(os.environ.get("HPLINT_DIFFERENTIAL_EXAMPLES", "300"))
RANDOM = os.environ.get("HPLINT_DIFFERENTIAL_RANDOM", "") not in ("", "0")
GAPS = tuple(KNOWN_GAPS) if os.environ.get("HPLINT_DIFFERENTIAL_KNOWN_GAPS", "") not in ("", "0") else ()


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


def _notebook_findings(text: str, prefilter: bool, monkeypatch: pytest.MonkeyPatch) -> List[tuple]:
    monkeypatch.setattr(prefilter_stage, "PREFILTER", prefilter)
    outcome = check_source(decode_source(text.encode("utf-8"), "nb.ipynb"), ALL, Mode(), write=False)
    return [(d.code, d.cell, d.line, d.col, d.end_line, d.end_col, d.message) for d in outcome.diagnostics]


# -- generated programs ---------------------------------------------------------


@_settings(EXAMPLES)
@given(programs(gaps=GAPS))
def test_generated_programs_same_with_and_without_prefilter(source: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        unfiltered = _findings(source, False, monkeypatch)
        assert _findings(source, True, monkeypatch) == unfiltered, source


@_settings(max(1, EXAMPLES // 4))
@given(programs(gaps=GAPS), st.sampled_from(["%matplotlib inline", "!pip install -q optuna"]))
def test_exported_notebook_lines_same_with_and_without_prefilter(source: str, line: str) -> None:
    """A ``.py`` export keeps IPython lines: the file is read around them (``engine.python2``).
    Its ``HPL001`` is left out: a file no rule could report on is not parsed at all."""
    lines = source.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in source else ("\r" if "\r" in source and "\n" not in source else "\n")
    exported = "".join(lines[:1] + [line + newline] + lines[1:])
    with pytest.MonkeyPatch.context() as monkeypatch:
        unfiltered = [f for f in _findings(exported, False, monkeypatch) if f[0] != "HPL001"]
        assert [f for f in _findings(exported, True, monkeypatch) if f[0] != "HPL001"] == unfiltered, exported


# the snippets (tuning_code.SNIPPETS) written for each rule's shapes
SNIPPETS_FOR = {
    "HPL101": ("loops", "grid-data", "comprehension-grid"),
    "HPL102": ("sklearn", "product", "grid-data", "wandb"),
    "HPL103": ("loops", "random-search", "wrapped-search", "keras-tuner", "network-grid", "objective-config", "wandb"),
    "HPL201": ("spacing", "literal"),
    "HPL202": ("optuna", "optuna-distributions"),
    "HPL203": ("ray", "hyperopt", "draw", "wandb", "keras-tuner", "bound-table"),
    "HPL204": ("spacing", "optuna"),
    "HPL205": ("spacing", "hyperopt"),
    "HPL206": ("optuna",),
    "HPL207": ("optuna", "optuna-training", "ray", "keras-tuner"),
    "HPL301": ("optuna", "optuna-training"),
    "HPL302": ("optuna",),
    "HPL303": ("optuna", "optuna-training", "pruning-helper"),
    "HPL304": ("optuna", "ray"),
    "HPL401": ("sequential", "loops"),
    "HPL402": ("loops", "sequential", "random-search", "objective-config"),
    "HPL501": ("optuna", "hyperopt", "keras-tuner", "optuna-training", "bound-table", "wandb"),
    "HPL701": ("objective-target",),
    "HPL702": ("objective-target", "wandb", "hand-search"),
    "HPL703": ("objective-target",),
}


def test_every_rule_has_snippets() -> None:
    assert set(SNIPPETS_FOR) == {rule.code for rule in all_rules()}


@pytest.mark.parametrize("code", sorted(SNIPPETS_FOR))
def test_generated_programs_reach_the_rule(code: str, monkeypatch) -> None:
    """The comparison above means something only if the programs trip every
    rule: a generator that stopped writing a rule's shapes would pass it
    vacuously.  Each rule's snippets find a reported program in a few draws."""
    monkeypatch.setattr(prefilter_stage, "PREFILTER", False)

    def reported(source: str) -> bool:
        return any(d.code == code for d in engine.lint_source(source, "case.py", ALL))

    quick = settings(max_examples=300, derandomize=True, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    find(programs(snippets=SNIPPETS_FOR[code]), reported, settings=quick)


# shapes the generators write inside a snippet, each with a word of its spelling:
# a generator that stopped writing one would leave the comparison blind to it
SHAPES = (
    ("loops", "HPL101", ".append(("),  # a nest that collects, trained by a later loop
    ("loops", "HPL101", "train.py"),  # a script launched per combination
    ("loops", "HPL103", "--lr"),  # ... at a learning rate its command fixes
    ("comprehension-grid", "HPL101", "] for "),
    ("spacing", "HPL201", "range(1, 1002, 100)"),
    ("keras-tuner", "HPL207", 'Choice("batch_size"'),
    ("optuna-training", "HPL301", "**settings"),
    ("wandb", "HPL501", "count="),
)


@pytest.mark.parametrize("snippet, code, word", SHAPES, ids=[f"{c}-{w}" for _, c, w in SHAPES])
def test_generated_shapes_reach_the_rule(snippet: str, code: str, word: str, monkeypatch) -> None:
    monkeypatch.setattr(prefilter_stage, "PREFILTER", False)

    def reported(source: str) -> bool:
        return word in source and any(d.code == code for d in engine.lint_source(source, "case.py", ALL))

    quick = settings(max_examples=600, derandomize=True, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    find(programs(snippets=[snippet]), reported, settings=quick)


@_settings(max(1, EXAMPLES // 3))
@given(notebooks(gaps=GAPS))
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


# -- gaps: findings the prefilters dropped (tuning_code.CLOSED_GAPS, now regressions)
#    or still drop (tuning_code.KNOWN_GAPS, strict xfails) ----------------------------
#
# Each source is the smallest the generator's shrinking (and a hand trim) led
# to; every one is dropped by the text stage (the ast stage admits it).

_GAPS = [
    # NumberLists' number runs read a list element only if it matches the text
    # stage's element pattern; ``numbers.evaluate`` also reads a parenthesised
    # callee, a parenthesised module and a non-ASCII alias.  The element before
    # the run is then read as the call's argument (-5.28), or the run breaks.
    (
        "opaque-callee",
        "parenthesised-callee-last",
        "HPL201",
        "import math\nlrs = (0.0001, 0.0026, (math.exp)(-5.2785147392518565))\n",
    ),
    (
        "opaque-callee",
        "parenthesised-callee-first",
        "HPL201",
        "import math\nlrs = [(math.exp)(-6.907755278982137), 0.003, 0.005, 0.007, 0.009, 0.011]\n",
    ),
    (
        "opaque-callee",
        "parenthesised-module",
        "HPL201",
        "import math\nlrs = [(math).exp(-6.907755278982137), 0.003, 0.005, 0.007, 0.009, 0.011]\n",
    ),
    (
        "opaque-callee",
        "non-ascii-alias",
        "HPL201",
        "import math as μ\nlrs = [μ.exp(-6.907755278982137), 0.003, 0.005, 0.007, 0.009, 0.011]\n",
    ),
    # numbers.text_qualifier takes a callee named like a math function for that
    # function; here ``log`` is math.exp, so the text computes log(-11.5): no value.
    (
        "math-alias-swap",
        "linspace-bounds",
        "HPL201",
        "import numpy as np\nfrom math import exp as log\n"
        "lrs = np.linspace(log(-11.512925464970229), log(-2.302585092994046), 5)\n",
    ),
    (
        "math-alias-swap",
        "uniform-bounds",
        "HPL203",
        "import random\nfrom math import exp as sqrt\nweight_decay = random.uniform(3e-4, sqrt(-3.506557897319982))\n",
    ),
    # LoopNests' text stage finds ``values = params["lr"]`` only as one line
    # starting with the name (TextScan.bound_to_keyed_subscript); the tree reads
    # every assignment.
    (
        "split-binding",
        "parenthesised-value",
        "HPL101",
        'first = (\n    params["lr"]\n)\nsecond = (\n    params["batch_size"]\n)\nthird = (\n    params["dropout"]\n)\n'
        "for a in first:\n    for b in second:\n        for c in third:\n            train(a, b, c)\n",
    ),
    (
        "split-binding",
        "backslash",
        "HPL101",
        'first = \\\n    params["lr"]\nsecond = \\\n    params["batch_size"]\nthird = \\\n    params["dropout"]\n'
        "for a in first:\n    for b in second:\n        for c in third:\n            train(a, b, c)\n",
    ),
    (
        "split-binding",
        "after-semicolon",
        "HPL101",
        'x = 0; first = params["lr"]\nx = 0; second = params["batch_size"]\nx = 0; third = params["dropout"]\n'
        "for a in first:\n    for b in second:\n        for c in third:\n            train(a, b, c)\n",
    ),
    # HPL103's ``inner`` trigger (LR_USE) is read on a TextScan of the inner
    # loop's text alone, which holds no import: the alias of Adam is unknown
    # there, and no ``lr`` keyword shows.
    (
        "aliased-optimizer",
        "default-lr",
        "HPL103",
        "from torch.optim import Adam as Opt\nfor n_layers in [1, 2, 3]:\n    for hidden in [64, 128]:\n"
        "        optimizer = Opt(model.parameters())\n        train(model, optimizer)\n",
    ),
    (
        "aliased-optimizer",
        "positional-lr",
        "HPL103",
        "from torch.optim import Adam as Opt\nfor n_layers in [1, 2, 3]:\n    for hidden in [64, 128]:\n"
        "        optimizer = Opt(model.parameters(), 1e-3)\n        train(model, optimizer)\n",
    ),
    # DictKeys("min", "max") looks for the key's text; the tree reads its value.
    (
        "escaped-key",
        "escape",
        "HPL203",
        'sweep = {"parameters": {"lr": {"m\\x69n": 0.0001, "max": 0.1}}}\n',
    ),
    # the text read ``exp`` as math.exp (one decade: no finding) while the rules,
    # which cannot know what a star import binds, call the bounds not visible
    (
        "star-math",
        "suggest-bounds",
        "HPL202",
        'from numpy import *\n\ndef objective(trial):\n    return fit(trial.suggest_float("lr", exp(-6.907755278982137), 0.01))\n',
    ),
    (
        "escaped-key",
        "implicit-concatenation",
        "HPL203",
        'sweep = {"parameters": {"lr": {"mi" "n": 0.0001, "max": 0.1}}}\n',
    ),
]


def _gap_params(xfail: bool) -> list:
    params = []
    for gap, label, code, source in _GAPS:
        open_gap = gap in KNOWN_GAPS
        marks = [pytest.mark.xfail(strict=True, reason=f"prefilter drops {code}: {KNOWN_GAPS[gap]}")] if xfail and open_gap else []
        params.append(pytest.param(code, source, id=f"{gap}-{label}", marks=marks))
    return params


@pytest.mark.parametrize("code, source", _gap_params(xfail=False))
def test_known_gap_sources_are_reported_without_prefilter(code: str, source: str, monkeypatch) -> None:
    """Keeps the xfail cases below honest: each is a finding the rule makes."""
    assert [c for c, *_ in _findings(source, False, monkeypatch)] == [code]


@pytest.mark.parametrize("code, source", _gap_params(xfail=True))
def test_known_gap_same_with_and_without_prefilter(code: str, source: str, monkeypatch) -> None:
    assert _findings(source, True, monkeypatch) == _findings(source, False, monkeypatch)


def test_every_known_gap_has_a_regression() -> None:
    assert {gap for gap, *_ in _GAPS} == set(KNOWN_GAPS) | set(CLOSED_GAPS)
