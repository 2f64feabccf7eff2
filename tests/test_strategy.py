"""HPL101-HPL103: message numbers, options and fix details the fixture format cannot express."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from conftest import FIXTURES, admits
from hplint import fix_source, lint_source
from hplint.core.config import Config, config_from_mapping
from hplint.rules.strategy.grids import nice_count

GUIDE_GRID = textwrap.dedent(
    """
    for lr in [0.001, 0.01, 0.1, 1.0, 10.0]:
        for batch_size in [16, 32, 64, 128, 256]:
            for weight_decay in [0, 1e-5, 1e-4, 1e-3, 1e-2]:
                for dropout in [0.0, 0.2, 0.4, 0.6, 0.8]:
                    train(lr, batch_size, weight_decay, dropout)
    """
).lstrip()


def _lint(source: str, code: str, **options):
    config = config_from_mapping({"select": [code], **options})
    return [d for d in lint_source(source, "t.py", config) if d.code == code]


def test_guide_grid_message_has_the_numbers() -> None:
    [diag] = _lint(GUIDE_GRID, "HPL101")
    assert diag.message == (
        "grid over lr × batch_size × weight_decay × dropout = 5×5×5×5 = 625 configurations "
        "(13.0 days at 30 min per training, option trial-minutes); random search with 200 trials "
        "draws lr log-uniformly from its range (200 distinct values instead of 5) and batch_size, "
        "weight_decay, dropout from the same values (about 100 of their 125 combinations)"
    )
    assert (diag.line, diag.col) == (1, 0)


def test_trial_minutes_and_fraction_options() -> None:
    [diag] = _lint(GUIDE_GRID, "HPL101", **{"trial-minutes": 60, "random-trials-fraction": 0.5})
    assert "(26.0 days at 60 min per training, option trial-minutes)" in diag.message
    assert "random search with 300 trials" in diag.message
    config = config_from_mapping({"select": ["HPL101"], "random-trials-fraction": 0.5})
    assert "for _ in range(300):" in fix_source(GUIDE_GRID, "t.py", config, unsafe=True).source


def test_thresholds_are_options() -> None:
    two_dims = "for lr in [1, 2, 3, 4, 5]:\n    for wd in [1, 2, 3, 4, 5]:\n        fit(lr, wd)\n"
    assert not _lint(two_dims, "HPL101")  # 25 configurations, 2 dimensions
    assert _lint(two_dims, "HPL101", **{"grid-min-configurations": 25})
    assert _lint(two_dims, "HPL101", **{"grid-min-dimensions": 2})
    assert not _lint(two_dims, "HPL101", **{"grid-min-dimensions": 2, "grid-ignore-below": 26})
    assert not _lint(GUIDE_GRID, "HPL101", **{"grid-min-dimensions": 5, "grid-min-configurations": 1000})


def test_nice_count_rounds_budgets() -> None:
    assert [nice_count(x) for x in (625 / 3, 256 / 3, 8 / 3, 0.2, 3125 / 3)] == [200, 85, 3, 1, 1000]


def test_prefilters_are_case_insensitive_and_need_a_loop() -> None:
    assert admits("HPL101", "for a in LRS:\n    for c in d:\n        trainModel(a, c)\n", "text")
    # a nest needs a header naming a hyperparameter, nesting, and a training call
    assert not admits("HPL101", "for a in b:\n    for c in d:\n        TRAINModel(a, c)\n", "text")
    assert not admits("HPL101", "for lr in b:\n    pass\nfor c in d:\n    train(lr, c)\n", "text")
    assert not admits("HPL101", "for lr in b:\n    for c in d:\n        model.train = c\n", "text")
    assert admits("HPL101", "for lr in b:\n    for c in d:\n        model.fit  # comment\n        (lr, c)\n", "text")
    # a def line inside a string does not end the outer loop's block
    assert admits("HPL101", 'for lr in b:\n    s = """\ndef f():\n"""\n    for c in d:\n        fit(lr, c)\n', "text")
    assert admits("HPL101", "for (lr,\n     wd) in b:\n    for c in d:\n        fit(lr, c)\n", "text")
    assert not admits("HPL101", "for a in b:\n    TRAINModel(a)\n")  # one loop is no nest
    assert not admits("HPL101", "x = [TrainModel(a) while True]", "text")  # no for
    assert not admits("HPL101", "for a in b:\n    print(a)\n", "text")
    two = "opt = AdamW(params, weight_decay=trial.suggest_float('wd', 1e-5, 1e-1), eps=trial.suggest_float('eps', 1e-8, 1e-6))"
    assert admits("HPL103", two, "text")
    # a finding needs two tuned names: one suggest call is not a search
    assert not admits("HPL103", "opt = AdamW(params, weight_decay=trial.suggest_float('wd', 1e-5, 1e-1))", "text")
    assert not admits("HPL103", "opt = AdamW(params)", "text")  # no search form
    assert admits("HPL103", "grid = {'lr': 1e-3, 'wd': [0, 1], 'd': [0, 1]}\nGridSearchCV(m, grid)", "text")
    assert admits("HPL103", "for i in r:\n    wd = random.choice(ws)\n    d = rng.uniform (0, 1)\n    fit(Adam(p), wd, d)\n", "text")
    assert not admits("HPL103", "for i in r:\n    wd = random.choice(ws)\n    fit(Adam(p), wd)\n", "text")  # one draw
    assert not admits("HPL103", "for i in r:\n    a = my_choice(ws)\n    b = uniformity(1)\n    fit(Adam(p), a, b)\n", "text")
    assert not admits("HPL103", "for a in b:\n    fit(a)\n", "text")
    assert admits("HPL102", "from itertools import product as p\nfor a, b in p(lrs, wds):\n    fit(a, b)\n", "text")
    assert not admits("HPL102", "from itertools import product as p\n", "text")  # imported, never called


def test_crlf_and_tabs_survive_the_loop_rewrite() -> None:
    source = GUIDE_GRID.replace("    ", "\t").replace("\n", "\r\n")
    result = fix_source(source, "t.py", config_from_mapping({"select": ["HPL101"]}), unsafe=True)
    assert result.changed
    assert "\n" not in result.source.replace("\r\n", "")
    assert "\r\n\ttrain(lr, batch_size, weight_decay, dropout)\r\n" in result.source
    cst.parse_module(result.source)


def test_gridsearchcv_message_multiplies_by_default_cv() -> None:
    source = textwrap.dedent(
        """
        from sklearn.model_selection import GridSearchCV
        search = GridSearchCV(SVC(), {"C": [1, 10, 100, 1000, 10000], "gamma": [1, 2, 3, 4, 5], "kernel": ["rbf", "poly", "linear"]})
        """
    )
    [diag] = _lint(source, "HPL102")
    assert "= 5×5×3 = 75 configurations × 5 CV folds = 375 fits" in diag.message
    assert "RandomizedSearchCV with n_iter=25" in diag.message


@pytest.mark.parametrize("module", ["sklearn.grid_search", "sklearn.cross_validation"])
def test_gridsearchcv_before_sklearn_0_20_has_three_folds_and_no_fix(module: str) -> None:
    """``sklearn.grid_search`` (removed in 0.20) is read as ``sklearn.model_selection``,
    with its own default of 3 folds; rewriting it would change the folds, so no fix."""
    source = textwrap.dedent(
        f"""
        from {module} import GridSearchCV
        search = GridSearchCV(SVC(), {{"C": [1, 10, 100, 1000, 10000], "gamma": [1, 2, 3, 4, 5], "kernel": ["rbf", "poly", "linear"]}})
        """
    )
    [diag] = _lint(source, "HPL102")
    assert "= 5×5×3 = 75 configurations × 3 CV folds = 225 fits" in diag.message
    assert diag.fix is None


def test_ray_grid_multiplies_by_num_samples() -> None:
    source = textwrap.dedent(
        """
        from ray import tune
        space = {"lr": tune.grid_search([1e-4, 1e-3, 1e-2]), "bs": tune.grid_search([32, 64, 128]), "wd": tune.grid_search([0, 1e-4])}
        tune.run(train_fn, config=space, num_samples=4)
        """
    )
    [diag] = _lint(source, "HPL102")
    assert "= 3×3×2 = 18 configurations × num_samples=4 = 72 trials (1.5 days at 30 min per trial, option trial-minutes)" in diag.message


def test_grid_sampled_after_shuffle_is_silent() -> None:
    source = textwrap.dedent(
        """
        import itertools, random
        combos = list(itertools.product([1e-4, 1e-3, 1e-2], [32, 64, 128], [0.1, 0.3, 0.5]))
        random.shuffle(combos)
        for lr, bs, dropout in combos[:5]:
            train(lr, bs, dropout)
        """
    )
    assert not _lint(source, "HPL102")


def test_learning_rate_rule_is_on_by_default() -> None:
    source = textwrap.dedent(
        """
        def objective(trial):
            hidden = trial.suggest_int("hidden", 32, 512)
            dropout = trial.suggest_float("dropout", 0.0, 0.5)
            return train(torch.optim.Adam(net(hidden, dropout).parameters(), lr=1e-3))
        """
    )
    [diag] = [d for d in lint_source(source, "t.py", Config()) if d.code == "HPL103"]
    assert "the objective tunes dropout, hidden" in diag.message
    assert "a fixed learning rate of 1e-3" in diag.message


def test_learning_rate_fix_spans_three_decades() -> None:
    source = textwrap.dedent(
        """
        def objective(trial):
            width = trial.suggest_int("width", 32, 512)
            depth = trial.suggest_int("depth", 2, 8)
            return train(torch.optim.SGD(net(width, depth).parameters(), lr=0.1))
        """
    )
    fixed = fix_source(source, "t.py", config_from_mapping({"select": ["HPL103"]}), unsafe=True).source
    assert 'lr=trial.suggest_float("lr", 0.001, 1.0, log=True)' in fixed


def test_two_different_fixed_rates_get_no_fix() -> None:
    source = textwrap.dedent(
        """
        def objective(trial):
            width = trial.suggest_int("width", 32, 512)
            depth = trial.suggest_int("depth", 2, 8)
            g = torch.optim.Adam(gen.parameters(), lr=2e-4)
            d = torch.optim.Adam(disc.parameters(), lr=1e-4)
            return train(g, d)
        """
    )
    found = _lint(source, "HPL103")
    assert len(found) == 2 and all(d.fix is None for d in found)


def test_formatted_suggest_names_count_as_tuned() -> None:
    source = textwrap.dedent(
        """
        def objective(trial):
            n_layers = trial.suggest_int("n_layers", 1, 4)
            dims = [trial.suggest_int(f"n_units_l{i}", 8, 64) for i in range(n_layers)]
            learning_rate = 1e-2
            return train(torch.optim.Adam(net(dims).parameters(), lr=learning_rate))
        """
    )
    [diag] = _lint(source, "HPL103")
    assert "the objective tunes n_layers, n_units_l" in diag.message


def test_boosting_with_tuned_tree_count_is_silent() -> None:
    source = textwrap.dedent(
        """
        def objective(trial):
            n_estimators = trial.suggest_int("n_estimators", 100, 2000)
            max_depth = trial.suggest_int("max_depth", 3, 10)
            return score(XGBClassifier(n_estimators=n_estimators, max_depth=max_depth, learning_rate=0.05))
        """
    )
    assert not _lint(source, "HPL103")


def test_linspace_of_a_learning_rate_is_drawn_log_uniformly() -> None:
    source = textwrap.dedent(
        """
        import numpy as np
        lrs = np.linspace(1e-4, 1e-2, 5)
        for lr in lrs:
            for width in [64, 128, 256]:
                for depth in [2, 4, 8, 16]:
                    fit(lr, width, depth)
        """
    ).lstrip()
    fixed = fix_source(source, "t.py", config_from_mapping({"select": ["HPL101"]}), unsafe=True).source
    assert "rng = random.Random(0)\nfor _ in range(20):\n" in fixed  # seeded: the grid was reproducible
    assert "lr = 10 ** rng.uniform(math.log10(1e-4), math.log10(1e-2))" in fixed
    assert "width = rng.choice([64, 128, 256])" in fixed
    assert fixed.startswith("import math\nimport random\n\nimport numpy as np\n")  # where isort puts them


def test_objective_nested_in_a_function_is_checked() -> None:
    source = textwrap.dedent(
        """
        def main(args):
            def objective(trial):
                hidden = trial.suggest_int("hidden", 32, 512)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)

                def step(model):
                    return torch.optim.Adam(model.parameters(), lr=1e-3)

                return train(step(net(hidden, dropout)))

            optuna.create_study().optimize(objective, n_trials=args.trials)
        """
    )
    [diag] = _lint(source, "HPL103")
    assert diag.line == 8


# -- prefilters ---------------------------------------------------------------

REACHED = {
    "HPL101": [
        "for hidden in [16, 32, 64]:\n    def inner():\n        for depth in [1, 2, 3]:\n            for width in [8, 16]:\n                fit(hidden, depth, width)\n",
        "from numpy import linspace as spaced\nfor momentum in spaced(0.5, 0.99):\n    for hidden in [32, 64]:\n        fit_model(momentum, hidden)\n",
        'grid = {"a": [1, 2, 3, 4, 5, 6, 7, 8], "b": [1, 2, 3, 4, 5, 6, 7]}\nfor a in grid["a"]:\n    for b in grid["b"]:\n        evaluate(a, b)\n',
        'grid = {"a": [1, 2, 3, 4, 5, 6, 7, 8], "b": [1, 2, 3, 4, 5, 6, 7]}\nfor a in grid["a",]:\n    for b in grid["b",]:\n        evaluate(a, b)\n',
        "async def f(cfg):\n    async for dropout in cfg.dropouts:\n        for hidden in cfg.hidden_sizes:\n            for depth in cfg.depths:\n                await cfg.trainer.train()\n",
        "for n_layers in range(1, 11):\n    for hidden_units in range(2, 12):\n        trainModel(n_layers, hidden_units)\n",
        "\ufefffor lr in [1e-4, 1e-3, 1e-2]:\n    for bs in [16, 32, 64]:\n        for wd in [0, 1e-4]:\n            fit(lr, bs, wd)\n",
        "for lr in [1e-4, 1e-3, 1e-2]:\r    for bs in [16, 32, 64]:\r        for wd in [0, 1e-4]:\r            fit(lr, bs, wd)\r",
    ],
    "HPL102": [
        'from itertools import product as cartesian\nparams = {"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 4, 5], "c": [1, 2, 3]}\nconfigs = list(cartesian(*params.values()))\n',
        "import itertools as it\nfor a, b in it.product([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]):\n    model.fit(a, b)\n",
        "import itertools\nfor lr, bs in itertools.product([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]):\n    results.append((lr, bs))\n",
        'import sklearn.model_selection as ms\ndef helper(est):\n    return ms.GridSearchCV(est, {"x": [1, 2, 3], "y": [1, 2, 3], "z": [1, 2]})\n',
        'from ray import tune\ndef test_space():\n    return {"lr": tune.grid_search([1, 2, 3]), "depth": tune.grid_search([1, 2, 3]), "dropout": tune.grid_search([1, 2, 3])}\n',
    ],
    "HPL103": [
        "from torch.optim import AdamW as Opt\nfor n_layers in [2, 4, 8]:\n    for width in [64, 128]:\n        opt = Opt(model.parameters())\n        train_model(model, opt)\n",
        "from xgboost import XGBRegressor\nfor max_depth in [2, 4, 8]:\n    for subsample in [0.5, 0.9]:\n        XGBRegressor(max_depth=max_depth, subsample=subsample, eta=0.3).fit(X, y)\n",
        "for hidden in [2, 4, 8]:\n    for dropout in [0.1, 0.2]:\n        run_experiment(hidden=hidden, dropout=dropout, baseLR=0.01)\n",
        "import random\nfor _ in range(20):\n    hidden = random.choice([32, 64, 128])\n    dropout = random.uniform(0.0, 0.5)\n    train(hidden=hidden, dropout=dropout, lr=1e-3)\n",
        'from sklearn.model_selection import GridSearchCV\nsearch = GridSearchCV(est, {"max_depth": [2, 4], "subsample": [0.5, 0.8], "Learning Rate": 0.1})\n',
        'def objective(trial):\n    hidden = trial.suggest_int("hidden", 8, 64)\n    dropout = trial.suggest_float("dropout", 0.0, 0.5)\n    return fit(hidden, dropout, learning_rate=0.01)\n',
    ],
}

SKIPPED = {
    "HPL101": [
        "def test_grid():\n    for hidden in [16, 32, 64]:\n        for depth in [1, 2, 3]:\n            for width in [8, 16]:\n                fit(hidden, depth, width)\n",
        "@decorate\ndef test_grid():\n    for hidden in [16, 32, 64]:\n        for depth in [1, 2, 3]:\n            for width in [8, 16]:\n                fit(hidden, depth, width)\n",
        "for i in range(n):\n    for j in range(m):\n        for k in range(p):\n            estimator.fit(X[i, j, k])\n",
        "for hidden in [16, 32, 64, 128, 256, 512, 1024, 2048]:\n    for depth in [1, 2, 3, 4, 5, 6, 7, 8]:\n        model.train()\n",
    ],
    "HPL102": [
        "import itertools\nfor dx, dy in itertools.product(range(8), range(8)):\n    board[dx][dy] = 0\n",
        "from sklearn.model_selection import ParameterGrid\nclass Search:\n    def candidates(self):\n        return ParameterGrid(self.param_grid)\n",
        'from sklearn.model_selection import GridSearchCV\ndef test_search(est):\n    GridSearchCV(est, {"x": [1, 2, 3], "y": [1, 2, 3], "z": [1, 2]})\n',
    ],
    "HPL103": [
        "# already tuned\nfor a in b:\n    for c in d:\n        fit(a, c)\n",
        "opt = Adam(model.parameters())\nfor n_layers in [2, 4, 8]:\n    for width in [64, 128]:\n        train_model(model, n_layers, width)\n",
    ],
}


def _admitted(source: str, code: str, monkeypatch) -> bool:
    from hplint.core.registry import get_rule
    from hplint.prefilter import select as prefilter

    monkeypatch.setattr(prefilter, "PREFILTER", True)
    rule = get_rule(code)
    return prefilter.candidate_rules(source, [rule]) == [rule]


@pytest.mark.parametrize("code, source", [(c, s) for c, sources in REACHED.items() for s in sources])
def test_prefilters_admit_findings_reached_through_unusual_spellings(code: str, source: str, monkeypatch) -> None:
    assert _lint(source, code), "the case must be a finding"
    assert _admitted(source, code, monkeypatch)


@pytest.mark.parametrize("code, source", [(c, s) for c, sources in SKIPPED.items() for s in sources])
def test_prefilters_skip_what_the_rule_never_reports(code: str, source: str, monkeypatch) -> None:
    assert not _lint(source, code)
    assert not _admitted(source, code, monkeypatch)


# -- grids kept as data, through helpers, mixed nests ------------------------------


def test_grid_in_self_attributes_is_counted() -> None:
    source = textwrap.dedent(
        """
        class GridRunner:
            def __init__(self):
                self.learning_rates = [1e-4, 1e-3, 1e-2]
                self.batch_sizes = [32, 64, 128, 256]

            def run(self):
                for batch in self.batch_sizes:
                    for lr in self.learning_rates:
                        for depth in [2, 4, 8, 16]:
                            train_model(lr, batch, depth)
        """
    )
    [diag] = _lint(source, "HPL101")
    assert "= 4×3×4 = 48 configurations" in diag.message


def test_unknown_counts_are_not_invented() -> None:
    source = textwrap.dedent(
        """
        class Sweep:
            def __init__(self, batch_size, hidden, lr):
                self.batch_size, self.hidden, self.lr = batch_size, hidden, lr

            def run(self, data):
                for batch in self.batch_size:
                    for hidden in self.hidden:
                        for learning_rate in self.lr:
                            train_model(data, batch, hidden, learning_rate)
        """
    )
    [diag] = _lint(source, "HPL101")
    assert "3 dimensions whose value counts are not visible here" in diag.message
    assert "configurations" not in diag.message.split(";")[0]


HELPER = textwrap.dedent(
    """
    from sklearn.model_selection import GridSearchCV
    from sklearn.neural_network import MLPClassifier

    def validate(model, grid, x, y):
        return GridSearchCV(model, param_grid=grid, cv=10).fit(x, y)

    GRID = {
        "activation": ["identity", "logistic", "tanh", "relu"],
        "solver": ["sgd", "adam"],
        "batch_size": [16, 32, 64, 128],
        "hidden_layer_sizes": [(16,), (32,), (64,), (128,)],
        "learning_rate_init": [1e-1, 1e-2],
    }
    validate(MLPClassifier(), GRID, x, y)
    validate(MLPClassifier(early_stopping=True), GRID, x, y)
    """
)


def test_grid_through_a_helper_is_reported_once_where_it_is_written() -> None:
    [diag] = _lint(HELPER, "HPL102")
    assert diag.line == 8  # GRID = {
    assert diag.message.startswith("GridSearchCV in validate(): grid over activation × solver")
    assert "= 4×2×4×4×2 = 256 configurations × 10 CV folds = 2560 fits" in diag.message
    assert diag.fix is None  # the search is shared by every caller: no rewrite of it for one grid


def test_nested_grid_handed_to_a_grid_search_function() -> None:
    source = textwrap.dedent(
        """
        import numpy as np
        import grid_tools as gs

        monk = {
            "act_hidden": ["sigmoid", "tanh", "relu"],
            "optimizer": {"type": ["sgd"], "eta": list(np.linspace(0.1, 0.9, 9)), "alpha": list(np.linspace(0.1, 0.9, 9))},
            "epochs": [500],
        }
        results = gs.grid_search_cv(monk, x, y)
        """
    )
    [diag] = _lint(source, "HPL102")
    assert diag.line == 5
    assert "grid_search_cv(): grid over act_hidden × optimizer.eta × optimizer.alpha = 3×9×9 = 243 configurations" in diag.message


def test_product_of_ambiguous_names_counts_every_factor() -> None:
    source = textwrap.dedent(
        """
        import itertools
        max_iter_values = [100, 200, 500, 1000, 2000, 5000, 10000]
        C_values = [0.01, 0.1, 1, 10, 100]
        tol_values = [1e-4, 1e-3, 1e-2]
        fit_intercept_values = [True, False]
        penalty_values = ["l1", "l2", "elasticnet", "none"]
        combinations = itertools.product(max_iter_values, C_values, tol_values, fit_intercept_values, penalty_values)
        """
    )
    [diag] = _lint(source, "HPL102")
    assert "= 7×5×3×2×4 = 840 configurations" in diag.message


def test_mixed_nest_is_one_finding() -> None:
    source = textwrap.dedent(
        """
        import itertools
        lrs = [1e-4, 1e-3, 1e-2, 1e-1]
        bss = [16, 32, 64, 128]
        for lr, bs, dropout in itertools.product(lrs, bss, [0.0, 0.1, 0.2, 0.3]):
            for wd in [0.0, 1e-5, 1e-4, 1e-3]:
                train(lr=lr, batch_size=bs, dropout=dropout, weight_decay=wd)
        """
    )
    config = config_from_mapping({"select": ["HPL1"]})
    found = [(d.code, d.line) for d in lint_source(source, "t.py", config)]
    assert found == [("HPL101", 5)]
    [diag] = _lint(source, "HPL101")
    assert "grid over lr × bs × dropout × wd = 4×4×4×4 = 256 configurations" in diag.message
    assert diag.fix is None  # a product loop is not rewritten


def test_wrapped_network_defaults_are_named_only_when_certain() -> None:
    source = textwrap.dedent(
        """
        import torch
        from scikeras.wrappers import KerasClassifier
        from sklearn.model_selection import GridSearchCV
        from skorch import NeuralNetClassifier

        def build(units=32, optimizer="adagrad"):
            model = make(units)
            model.compile(loss="mse", optimizer=optimizer)
            return model

        keras_search = GridSearchCV(KerasClassifier(model=build), {"model__units": [16, 32], "batch_size": [16, 64]})
        net = NeuralNetClassifier(Module, optimizer=torch.optim.Adam)
        skorch_search = GridSearchCV(net, {"module__units": [16, 32], "batch_size": [16, 64]})
        """
    )
    first, second = _lint(source, "HPL103")
    assert "the grid varies model__units, batch_size but trains with adagrad's default learning rate;" in first.message
    assert "trains with skorch's default learning rate (0.01)" in second.message


def test_random_search_filling_a_config_beside_a_constant_rate() -> None:
    source = textwrap.dedent(
        """
        import numpy as np
        for i in range(500):
            params = {}
            params["hidden_dim"] = np.random.randint(256, 1000)
            params["dropout"] = 0.2 + np.random.rand() * 0.6
            params["lr"] = 0.003
            run_training(**params)
        """
    )
    [diag] = _lint(source, "HPL103")
    assert diag.line == 7
    assert "the random search draws hidden_dim, dropout but trains with a fixed learning rate of 0.003" in diag.message


REACHED_DATA = {
    "HPL101": [
        "import itertools\nfor lr, bs in itertools.product(lrs, bss):\n    for wd in [0.0, 1e-4, 1e-3]:\n        train(lr, bs, wd)\n",
    ],
    "HPL102": [
        'from sklearn.model_selection import GridSearchCV\nclass T:\n    def __init__(self):\n        self.param_grid = {"C": [1, 10, 100], "gamma": [1, 2, 3], "kernel": ["rbf", "poly"]}\n'
        "    def run(self, m):\n        return GridSearchCV(m, self.param_grid)\n",
        'import grid_tools as gs\ngs.grid_search_cv({"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2]}, x, y)\n',
        "import itertools\ncombos = list(itertools.product([1, 2, 3], [4, 5, 6], [7, 8]))\nfor combo in combos:\n    fit_model(*combo)\n",
        'import itertools\ngrid = {"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2]}\nnames, values = zip(*grid.items())\nconfigs = list(itertools.product(*values))\n',
    ],
    "HPL103": [
        'from skorch import NeuralNetClassifier\nfrom sklearn.model_selection import GridSearchCV\n'
        'search = GridSearchCV(NeuralNetClassifier(Module), {"module__units": [8, 16], "batch_size": [16, 64]})\n',
        'import numpy as np\nfor i in range(9):\n    p = {}\n    p["hidden"] = np.random.randint(8, 64)\n    p["dropout"] = np.random.rand()\n    p["lr"] = 0.01\n    run(**p)\n',
    ],
}
SKIPPED_DATA = {
    "HPL102": [
        "from torchvision.utils import make_grid\nimage = make_grid(batch, nrow=8)\n",
        "def test_search():\n    grid_search({'a': [1, 2, 3], 'b': [1, 2, 3], 'c': [1, 2]})\n",
    ],
    "HPL103": [
        'from sklearn.model_selection import GridSearchCV\nsearch = GridSearchCV(SVC(), {"C": [1, 10], "gamma": [1, 2]})\n',
    ],
}


@pytest.mark.parametrize("code, source", [(c, s) for c, sources in REACHED_DATA.items() for s in sources])
def test_prefilters_admit_grids_kept_as_data(code: str, source: str, monkeypatch) -> None:
    assert _lint(source, code), "the case must be a finding"
    assert _admitted(source, code, monkeypatch)


@pytest.mark.parametrize("code, source", [(c, s) for c, sources in SKIPPED_DATA.items() for s in sources])
def test_prefilters_skip_what_is_no_grid(code: str, source: str, monkeypatch) -> None:
    assert not _lint(source, code)
    assert not _admitted(source, code, monkeypatch)


def test_keras_compile_by_name_in_an_objective_passes_both_prefilter_stages() -> None:
    """The text stage sees ``compile(optimizer="rmsprop")`` without its receiver: the
    objective is admitted on that call alone, with no learning-rate name in the file."""
    source = (
        "import optuna\n\n"
        "def objective(trial):\n"
        "    model = make_network(trial.suggest_int('units', 32, 256), trial.suggest_float('dropout', 0.0, 0.5))\n"
        "    model.compile(optimizer='rmsprop', loss='mse')\n"
        "    return model.fit(x, y).history['val_loss'][-1]\n\n"
        "optuna.create_study().optimize(objective, n_trials=50)\n"
    )
    assert admits("HPL103", source, "text") and admits("HPL103", source, "tree")


def test_a_grid_counts_only_the_keys_left_after_the_helper_pops_some() -> None:
    """``parameter_space.pop("lstm_dropout")`` before ``product(*parameter_space.values())``: the
    message counts what the product runs, not the dict the caller wrote."""
    source = (FIXTURES / "HPL1" / "grid_keys_popped.py").read_text(encoding="utf-8")
    findings = [d for d in lint_source(source, "grid.py") if d.code == "HPL102" and "grid_search_bow" in d.message]
    assert len(findings) == 1 and "lr × batch_size × momentum = 4×3×3 = 36 configurations" in findings[0].message
    assert "lstm_dropout" not in findings[0].message


def test_keys_popped_three_calls_from_the_grid_are_not_counted_either() -> None:
    source = (FIXTURES / "HPL1" / "grid_keys_popped.py").read_text(encoding="utf-8")
    findings = [d for d in lint_source(source, "grid.py") if d.code == "HPL102" and "grid_search_far" in d.message]
    assert len(findings) == 1 and "lr × batch_size × depth = 4×3×3 = 36 configurations" in findings[0].message
    assert "momentum" not in findings[0].message
