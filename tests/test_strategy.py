"""HPL101-HPL103: message numbers, options and fix details the fixture format cannot express."""

from __future__ import annotations

import textwrap

import libcst as cst

from hplint import fix_source, lint_source
from hplint.config import Config, config_from_mapping
from hplint.rules.strategy import LearningRateNotTuned, LibraryGridSearch, NestedLoopGrid, nice_count

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
        "(13.0 days at 30 min/trial); random search with 200 trials tries 200 distinct values "
        "of every parameter instead of 5"
    )
    assert (diag.line, diag.col) == (1, 0)


def test_trial_minutes_and_fraction_options() -> None:
    [diag] = _lint(GUIDE_GRID, "HPL101", **{"trial-minutes": 60, "random-trials-fraction": 0.5})
    assert "(26.0 days at 60 min/trial)" in diag.message
    assert "random search with 300 trials" in diag.message
    config = config_from_mapping({"select": ["HPL101"], "random-trials-fraction": 0.5})
    assert "for _ in range(300):" in fix_source(GUIDE_GRID, "t.py", config, unsafe=True).source


def test_thresholds_are_options() -> None:
    two_dims = "for lr in [1, 2, 3, 4, 5]:\n    for wd in [1, 2, 3, 4, 5]:\n        fit(lr, wd)\n"
    assert not _lint(two_dims, "HPL101")  # 25 configurations, 2 dimensions
    assert _lint(two_dims, "HPL101", **{"grid-min-configurations": 25})
    assert _lint(two_dims, "HPL101", **{"grid-min-dimensions": 2})
    assert not _lint(GUIDE_GRID, "HPL101", **{"grid-min-dimensions": 5, "grid-min-configurations": 1000})


def test_nice_count_rounds_budgets() -> None:
    assert [nice_count(x) for x in (625 / 3, 256 / 3, 8 / 3, 0.2, 3125 / 3)] == [200, 85, 3, 1, 1000]


def test_prefilters_are_case_insensitive_and_need_a_loop() -> None:
    assert NestedLoopGrid.wants("for a in b:\n    for c in d:\n        TRAINModel(a, c)\n")
    assert not NestedLoopGrid.wants("for a in b:\n    TRAINModel(a)\n")  # one loop is no nest
    assert not NestedLoopGrid.wants("x = [TrainModel(a) while True]")  # no for
    assert not NestedLoopGrid.wants("for a in b:\n    print(a)\n")
    assert LearningRateNotTuned.wants("opt = AdamW(params)")
    assert not LearningRateNotTuned.wants("for a in b:\n    fit(a)\n")
    assert LibraryGridSearch.wants("from itertools import product as p")


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


def test_ray_grid_multiplies_by_num_samples() -> None:
    source = textwrap.dedent(
        """
        from ray import tune
        space = {"lr": tune.grid_search([1e-4, 1e-3, 1e-2]), "bs": tune.grid_search([32, 64]), "wd": tune.grid_search([0, 1e-4])}
        tune.run(train_fn, config=space, num_samples=4)
        """
    )
    [diag] = _lint(source, "HPL102")
    assert "= 3×2×2 = 12 configurations × num_samples=4 = 48 trials" in diag.message


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
    assert "lr = 10 ** random.uniform(math.log10(1e-4), math.log10(1e-2))" in fixed
    assert "width = random.choice([64, 128, 256])" in fixed
    assert fixed.startswith("import numpy as np\nimport math\nimport random\n")


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
