"""Search-space rules (HPL2xx): message numbers and name-in-context decisions."""

from __future__ import annotations

import textwrap
from typing import List

import pytest

from conftest import admits
from hplint import fix_source, lint_source
from hplint.core.config import Config, config_from_mapping
from hplint.reading.ranges import loosely_even
from hplint.rules.search_space.hpl201_linear_spacing import arange_points
from hplint.rules.search_space.wording import percent, sci


def findings(code: str, select: str = "HPL2") -> List:
    source = textwrap.dedent(code).lstrip("\n")
    return lint_source(source, "case.py", config_from_mapping({"select": [select]}))


def codes(code: str, select: str = "HPL2") -> List[str]:
    return [d.code for d in findings(code, select)]


# -- messages carry the numbers ------------------------------------------------


def test_linspace_message_quantifies_the_waste() -> None:
    (diag,) = findings(
        """
        import numpy as np
        for lr in np.linspace(0.0001, 0.01, 6):
            train(lr)
        """
    )
    assert diag.code == "HPL201"
    assert diag.message == (
        "np.linspace(0.0001, 0.01, 6) for `lr`: 5 of 6 points lie in the top decade 1e-3..1e-2; "
        "nothing between 1e-4 and 0.00208 is tried; use np.geomspace(0.0001, 0.01, 6)"
    )


def test_suggest_float_message_gives_shares_per_decade() -> None:
    (diag,) = findings(
        """
        def objective(trial):
            return trial.suggest_float("lr", 1e-5, 1e-1)
        """
    )
    assert diag.code == "HPL202"
    assert "over 4 decades" in diag.message
    assert "90% of samples land in the top decade 1e-2..1e-1" in diag.message
    assert "0.09% in the bottom decade 1e-5..1e-4" in diag.message
    assert diag.message.endswith("add log=True so every decade gets the same share of trials")


def test_logspace_message_shows_what_is_really_sampled() -> None:
    (diag,) = findings("import numpy as np\nlrs = np.logspace(1e-4, 1e-2, 5)\n")
    assert diag.code == "HPL205"
    assert "1.00023..1.02329" in diag.message
    assert "use geomspace(1e-4, 1e-2, ...)" in diag.message


def test_hyperopt_loguniform_message_shows_natural_log_bounds() -> None:
    (diag,) = findings('from hyperopt import hp\nspace = {"lr": hp.loguniform("lr", 1e-5, 1e-1)}\n')
    assert diag.code == "HPL205"
    assert "e**1e-5..e**1e-1 = 1.00001..1.105" in diag.message


def test_narrow_range_message_suggests_wider_decades() -> None:
    (diag,) = findings(
        """
        def objective(trial):
            return trial.suggest_float("lr", 0.005, 0.015)
        """
    )
    assert diag.code == "HPL204"
    assert "within 3x (0.005..0.015, 0.48 of a decade)" in diag.message
    assert "1e-4..1e-1" in diag.message


def test_scipy_uniform_reads_loc_and_scale() -> None:
    (diag,) = findings(
        """
        from scipy.stats import uniform
        param_distributions = {"C": uniform(0.01, 99.99)}
        """
    )
    assert diag.code == "HPL203"
    assert "covers 1e-2..100: use loguniform(0.01, 100.0)" in diag.message


def test_step_and_zero_low_are_reported_without_a_fix() -> None:
    found = findings(
        """
        def objective(trial):
            a = trial.suggest_float("learning_rate", 1e-4, 5e-3, step=5e-5)
            b = trial.suggest_float("lr", 0.0, 0.1)
            return a + b
        """
    )
    assert [d.code for d in found] == ["HPL202", "HPL202"]
    assert all(d.fix is None for d in found)
    assert "drop step=" in found[0].message
    assert "positive lower bound" in found[1].message


# -- one policy for a zero lower bound, every library ---------------------------------

ZERO_LOW = {
    "optuna": ("import optuna\ndef objective(trial):\n    return trial.suggest_float({name!r}, 0, 0.4)\noptuna.create_study().optimize(objective)\n", "HPL202"),
    "ray": ("from ray import tune\nconfig = {{{name!r}: tune.uniform(0, 0.4)}}\n", "HPL203"),
    "hyperopt": ("from hyperopt import hp\nspace = {{{name!r}: hp.uniform({name!r}, 0, 0.4)}}\n", "HPL203"),
    "wandb": ("sweep = {{'method': 'random', 'parameters': {{{name!r}: {{'min': 0.0, 'max': 0.4}}}}}}\n", "HPL203"),
    "scipy": ("from scipy.stats import uniform\nparam_distributions = {{{name!r}: uniform(0, 0.4)}}\n", "HPL203"),
    "keras-tuner": ("def build(hp):\n    return hp.Float({name!r}, 0.0, 0.4)\n", "HPL203"),
    "random": ("import random\n{name} = random.uniform(0, 0.4)\n", "HPL203"),
    "optuna-distribution": ("from optuna.distributions import FloatDistribution\nspace = {{{name!r}: FloatDistribution(0, 0.4)}}\n", "HPL202"),
}


@pytest.mark.parametrize("library", sorted(ZERO_LOW))
def test_zero_lower_bound_reported_for_a_learning_rate_without_a_fix(library: str) -> None:
    template, code = ZERO_LOW[library]
    found = findings(template.format(name="learning_rate"))
    assert [d.code for d in found] == [code], found
    assert found[0].fix is None  # a log scale needs a positive lower bound: no fix can choose it
    assert "from 0" in found[0].message and "positive" in found[0].message


@pytest.mark.parametrize("library", sorted(ZERO_LOW))
@pytest.mark.parametrize("name", ["weight_decay", "reg_alpha", "l2_reg"])
def test_zero_lower_bound_of_a_penalty_is_deliberate(library: str, name: str) -> None:
    template, _ = ZERO_LOW[library]
    assert findings(template.format(name=name)) == []


@pytest.mark.parametrize(
    "code",
    [
        'def objective(trial):\n    return trial.suggest_float("lr", 1e-5, 1e-1, log=False)\n',
        'def objective(trial):\n    return trial.suggest_float("lr", 1e-5, 1e-1, log=flag)\n',
        'def build(hp):\n    return hp.Float("lr", 1e-5, 1e-1, sampling="linear")\n',
    ],
)
def test_an_explicit_linear_scale_is_deliberate(code: str) -> None:
    assert findings("import optuna\n" + code + "optuna.create_study().optimize(objective)\n" if "trial" in code else code) == []


# -- ambiguous names need a tuning context -------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        """
        import numpy as np
        import matplotlib.pyplot as plt
        for alpha in np.linspace(0.01, 1.0, 10):
            plt.plot(x, y, alpha=alpha)
        """,
        """
        import numpy as np
        C = np.linspace(0.1, 10, 100)
        y = C * 2
        """,
        """
        import numpy as np
        alpha = np.linspace(0.001, 1, 5)
        nets = [EchoStateNetwork(50, a) for a in alpha]
        """,
        """
        import numpy as np
        style = {"gamma": np.linspace(0.001, 1, 10)}
        print(style)
        """,
    ],
)
def test_ambiguous_name_without_tuning_context_is_silent(code: str) -> None:
    assert codes(code) == []


@pytest.mark.parametrize(
    "code",
    [
        """
        import numpy as np
        from sklearn.linear_model import Ridge
        for a in np.linspace(0.001, 1, 5):
            Ridge(alpha=a).fit(X, y)
        """,
        """
        import numpy as np
        from sklearn.svm import SVC
        from sklearn.model_selection import GridSearchCV
        grid = {"gamma": np.linspace(0.001, 1, 10)}
        GridSearchCV(SVC(), grid)
        """,
        """
        import numpy as np
        grid = {"logreg__C": np.linspace(0.001, 1.0, 20)}
        """,
        """
        import numpy as np
        from torch.optim import Adam
        epsilons = np.linspace(1e-8, 1e-4, 5)
        for e in epsilons:
            Adam(params, eps=e)
        """,
    ],
)
def test_ambiguous_name_in_tuning_context_is_flagged(code: str) -> None:
    assert codes(code) == ["HPL201"]


def test_grid_dict_passed_later_counts_as_tuning_context() -> None:
    code = """
        import numpy as np
        from sklearn.model_selection import RandomizedSearchCV
        space = {}
        params = {"tol": np.linspace(0.0001, 1.0, 50)}
        search = RandomizedSearchCV(model, param_distributions=params)
        """
    assert codes(code) == ["HPL201"]


def test_learning_rate_name_for_a_model_is_not_a_grid() -> None:
    assert codes("from sklearn.linear_model import LinearRegression\nlr = LinearRegression()\n") == []


# -- one finding per call ---------------------------------------------------------


def test_hpl202_wins_over_hpl206_and_hpl206_reports_alone() -> None:
    code = """
        def objective(trial):
            return trial.suggest_uniform("lr", 1e-5, 1e-2)
        """
    assert codes(code) == ["HPL202"]
    assert codes(code, select="HPL206") == ["HPL206"]


def test_narrow_range_silences_spacing_rules() -> None:
    code = """
        import numpy as np
        def objective(trial):
            return trial.suggest_float("lr", 0.005, 0.015)
        lrs = np.linspace(0.005, 0.015, 50)
        """
    assert codes(code) == ["HPL204", "HPL204"]


def test_narrow_range_rule_is_opt_in() -> None:
    assert "HPL204" not in Config().enabled_codes("x.py")
    assert {"HPL201", "HPL202", "HPL203", "HPL205", "HPL206"} <= Config().enabled_codes("x.py")


# -- fixes ---------------------------------------------------------------------------


def test_no_fix_with_star_args() -> None:
    code = "import numpy as np\nlrs = np.linspace(*bounds, 1e-4, 1e-2, 6)\n"
    assert all(d.fix is None for d in findings(code))
    source = "def objective(trial):\n    return trial.suggest_float('lr', 1e-5, 1e-1, **extra)\n"
    assert fix_source(source, "x.py", config_from_mapping({"select": ["HPL2"]})).source == source


def test_fix_adds_math_import_once() -> None:
    source = textwrap.dedent(
        """
        import torch
        lr_small = torch.linspace(1e-5, 1e-2, 4)
        lr_large = torch.linspace(1e-6, 1e-3, 4)
        """
    ).lstrip("\n")
    fixed = fix_source(source, "x.py", config_from_mapping({"select": ["HPL2"]})).source
    assert fixed.count("import math") == 1
    assert "torch.logspace(math.log10(1e-6), math.log10(1e-3), 4)" in fixed


def test_generator_made_below_a_draw_does_not_count() -> None:
    """``rng.uniform`` is a draw only after ``rng = default_rng()`` in walk order."""
    source = """
        import numpy as np

        def draw():
            return {"lr": rng.uniform(1e-5, 1e-1)}

        rng = np.random.default_rng(0)
        weight_decay = rng.uniform(1e-6, 1e-2)
        """
    assert [d.line for d in findings(source, "HPL203")] == [7]


# -- helpers ---------------------------------------------------------------------------


def test_number_formatting() -> None:
    assert [sci(v) for v in (0.00208, 1e-4, 30, 0.01, 2.5e-5)] == ["2e-3", "1e-4", "30", "1e-2", "2e-5"]
    assert [percent(s) for s in (0.9, 0.0009, 0.00002, 1e-12)] == ["90%", "0.09%", "0.002%", "under 0.001%"]


def test_loosely_even_accepts_a_small_first_value() -> None:
    assert loosely_even([0.0001, 0.002, 0.004, 0.006, 0.008, 0.01])
    assert loosely_even([1, 10, 20, 30])
    assert not loosely_even([0.01, 0.05, 0.1])
    assert not loosely_even([1e-4, 1e-3, 1e-2, 1e-1])


def test_arange_points_match_numpy_counts() -> None:
    assert len(arange_points(0.001, 0.1, 0.001)) == 99
    assert len(arange_points(0.01, 10, 0.01, inclusive=True)) == 1000
    assert arange_points(0, 1, 0) is None


# -- prefilters: what the text and ast stages must keep ------------------------


@pytest.mark.parametrize(
    "source",
    [
        "lrs = [1e-4, 2e-3, 4e-3, 6e-3]\n",
        "lrs = (0.001,  # low, 1, 2\n  0.5,\n  0.999,\n)\n",
        "lrs = [(1), ((50)), (((99)))]\n",
        "import math\nlrs = [math.exp(-9), 5e-3, 1e-2]\n",
        "from math import exp as e\nlrs = [e(1), 50, 99]\n",
        "f(0, (1e-4, 5.05e-3, 1e-2))\n",
        "import numpy as np\nlrs = np.linspace(1e-4, 1e-2)\n",
        "import numpy as np\nlrs = np.linspace(0, 1, start=1e-4)\n",
        "from numpy import linspace as lin\nlrs = lin(1e-4, 1e-2)\n",
        "import numpy as np\nlrs = np.linspace(start=1e-5, stop=1e-1, num=5)\n",
        "from numpy import linspace as lin\nlrs = lin(a, b)\n",  # bounds held by names of the file
        "import numpy as np\nlrs = np.linspace(1e-5, LR_MAX, 8)\n",
    ],
)
def test_spacing_text_stage_keeps_possible_grids(source: str) -> None:
    assert admits("HPL201", source, "text")


@pytest.mark.parametrize(
    "source",
    [
        "x = [0, 1, 2, 3]\n",
        "shape = (1, 3, 224, 224)\n",
        "lrs = [1e-4, 1e-3, 1e-2]\n",  # already geometric
        "import numpy as np\nx = np.arange(0, n)\ny = np.linspace(0.5, 1, 5)\n",
        "import logging\nlogging.info('a, 1, 2')\n",
        "from numpy import linspace as lin\nlrs = lin(0, b)\n",  # from 0: no name makes it a grid over positive values
        '"""Like numpy.linspace (but with a, b) for evenly spaced points."""\n',  # prose
    ],
)
def test_spacing_text_stage_rejects_what_cannot_be_a_grid(source: str) -> None:
    assert not admits("HPL201", source, "text")


def test_wandb_text_stage_reads_context_case_insensitively() -> None:
    source = 'SWEEP = {"lr": {"min": 0.0001, "max": 0.1}}\n'
    assert admits("HPL203", source)
    assert codes(source, "HPL203") == ["HPL203"]
    assert not admits("HPL203", 'limits = {"min": 0, "max": 1}\n')


def test_ast_stages_follow_import_aliases() -> None:
    assert admits("HPL203", "from scipy.stats import uniform as U\nspace = {'C': U(0.01, 100)}\n", "tree")
    assert admits("HPL202", "from optuna.distributions import FloatDistribution as FD\nspace = {'lr': FD(1e-5, 1e-1)}\n", "tree")
    assert admits("HPL205", "from numpy import logspace as L\nlrs = L(1e-4, 1e-2, 5)\n", "tree")
    assert not admits("HPL205", "import numpy as np\nlrs = np.logspace(-4, -2, 5)\n", "tree")


def test_distribution_text_stage_needs_a_call_or_an_alias() -> None:
    assert admits("HPL203", "from ray.tune import uniform as U\nlr = U(1e-5, 1e-1)\n", "text")
    assert not admits("HPL203", "from ray.tune import uniform as U\n", "text")  # imported, never called
    assert admits("HPL203", "x = tune.quniform (1e-5, 1e-1, 1e-5)\n", "text")
    assert admits("HPL203", "lr = hp.Float(\n  'lr', 1e-4, 1e-1)\n", "text")
    assert admits("HPL203", "lr = (tune.uniform)(1e-5, 1e-1)\n", "text")
    assert not admits("HPL203", "nn.init.uniform_(w)\n# a uniform prior\n", "text")


def test_text_stages_keep_every_file_without_possessive_regexes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before Python 3.11 the possessive patterns are not compiled: the number
    runs cannot be read, and the text stage keeps every file instead of failing."""
    from hplint.prefilter import text

    source = "lrs = [1, 2, 3]\n"
    assert not admits("HPL201", source, "text")
    monkeypatch.setattr(text, "_RUN", None)
    assert admits("HPL201", source, "text")


# -- message wording at edge values --------------------------------------------------


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (0.01, 0.11, "only 23% of samples land in the lower half of the range on a log scale 1e-2..0.033"),
        (1e-5, 1e-1, "90% of samples land in the top decade 1e-2..1e-1 and only 0.09% in the bottom decade"),
        (1e-4, 5e-3, "92% of samples land in the top decade 5e-4..5e-3 and 8% in 1e-4..5e-4 below it"),
        (0.0, 0.4, "90% of samples land in the top decade 4e-2..4e-1 and only 1% below 4e-3"),
    ],
)
def test_uniform_waste_states_a_share_that_is_not_the_whole_range(low: float, high: float, expected: str) -> None:
    from hplint.rules.search_space.wording import uniform_waste

    assert expected in uniform_waste(low, high, "lr")
