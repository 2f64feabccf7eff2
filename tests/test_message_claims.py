"""Every message template fed edge values: 2-value axes, one decade, zero bounds,
unknown sizes, tiny budgets.  A message states only what holds for the code it
reads: counts from the code, costs with their unit, savings from the study's own
warm-up and budget."""

from __future__ import annotations

import re
import textwrap
from typing import List

import pytest

from hplint import fix_source, lint_source
from hplint.core.config import config_from_mapping
from hplint.core.diagnostics import Diagnostic
from hplint.rules.strategy.grids import DEFAULT_MIN_CONFIGURATIONS, expected_distinct


def _lint(source: str, select: str, **options) -> List[Diagnostic]:
    config = config_from_mapping({"select": [select], **options})
    return [d for d in lint_source(textwrap.dedent(source).lstrip(), "t.py", config) if d.code.startswith(select)]


def _one(source: str, select: str, **options) -> str:
    [diag] = _lint(source, select, **options)
    return diag.message


NONSENSE = re.compile(r"\bnan\b|\binf\b|\bNone\b|\b1 trials\b|\b1 configurations\b|\bfirst 0\b|\.\.\s|  ")


def _sane(message: str) -> None:
    assert not NONSENSE.search(message), message


# -- HPL101 / HPL102: grids ------------------------------------------------------------

TWO_VALUE_AXES = """
for use_bn in [True, False]:
    for use_dropout in [True, False]:
        for augment in [True, False]:
            for shuffle in [True, False]:
                for pretrained in [True, False]:
                    train(use_bn, use_dropout, augment, shuffle, pretrained)
"""


def test_two_value_axes_are_covered_not_given_more_values() -> None:
    message = _one(TWO_VALUE_AXES, "HPL101")
    _sane(message)
    assert "2×2×2×2×2 = 32 configurations (16.0 hours at 30 min per training, option trial-minutes)" in message
    covered = round(expected_distinct(32, 11))
    assert f"random search with 11 trials draws every parameter from the same values and covers about {covered} of the 32 grid points" in message
    assert "distinct values" not in message and "instead of 2" not in message


def test_a_tiny_grid_is_not_a_finding_and_gets_no_fix() -> None:
    tiny = "for lr in [1e-3, 1e-2]:\n    for bs in [16, 32]:\n        for wd in [0.0, 1e-4]:\n            train(lr, bs, wd)\n"
    assert not _lint(tiny, "HPL101")  # 2×2×2 = 8 trainings
    config = config_from_mapping({"select": ["HPL101"]})
    assert fix_source(tiny, "t.py", config, unsafe=True).source == tiny
    assert _lint(tiny, "HPL101", **{"grid-ignore-below": 8})


def test_the_threshold_counts_configurations_and_is_validated() -> None:
    assert DEFAULT_MIN_CONFIGURATIONS == 16
    under = "for lr in [1e-3, 1e-2, 1e-1]:\n    for bs in [16, 32]:\n        for wd in [0.0, 1e-4]:\n            train(lr, bs, wd)\n"
    over = "for lr in [1e-3, 1e-2]:\n    for bs in [16, 32]:\n        for wd in [0.0, 1e-4]:\n            for d in [0.0, 0.5]:\n                train(lr, bs, wd, d)\n"
    assert not _lint(under, "HPL101")  # 12
    assert _lint(over, "HPL101")  # 16
    assert not _lint(over, "HPL101", **{"grid-ignore-below": 17})
    # two axes still need grid-min-configurations (a 5×5 C × gamma grid is not reported)
    two_axes = "for lr in [1e-3, 1e-2, 1e-1, 1.0]:\n    for wd in [0.0, 1e-5, 1e-4, 1e-3, 1e-2]:\n        train(lr, wd)\n"
    assert not _lint(two_axes, "HPL101") and _lint(two_axes, "HPL101", **{"grid-min-configurations": 20})
    for bad in (0, -3, 2.5, "16"):
        with pytest.raises(Exception, match="grid-ignore-below"):
            config_from_mapping({"grid-ignore-below": bad})


def test_one_axis_is_never_a_grid() -> None:
    source = """
    from sklearn.model_selection import GridSearchCV
    search = GridSearchCV(model, {"alpha": [0.1 * i for i in range(1, 60)]}, cv=5)
    search2 = GridSearchCV(model, {"C": [0.01, 0.1, 1, 10, 100, 1000]}, cv=5)
    """
    assert not _lint(source, "HPL102")


def test_unknown_sizes_say_so_and_invent_no_count() -> None:
    source = """
    def sweep(lrs, widths, depths):
        for lr in lrs:
            for width in widths:
                for depth in depths:
                    train(lr, width, depth)
    """
    message = _one(source, "HPL101")
    _sane(message)
    assert "3 dimensions whose value counts are not visible here" in message
    assert "configurations" not in message and "distinct values" not in message
    # two unknown axes: at least 2×2 = 4 trainings, under the threshold
    assert not _lint("def f(lrs, ws):\n    for lr in lrs:\n        for w in ws:\n            train(lr, w)\n", "HPL101")


def test_known_and_unknown_axes_count_at_least_two_values_each() -> None:
    source = """
    def sweep(widths):
        for lr in [1e-4, 1e-3, 1e-2, 1e-1]:
            for width in widths:
                train(lr, width)
    """
    assert not _lint(source, "HPL101")  # 4 × at least 2 = 8
    assert _lint(source, "HPL101", **{"grid-min-configurations": 8})


def test_log_scale_axis_from_bounds_is_drawn_from_its_range() -> None:
    source = """
    import numpy as np
    for lr in np.logspace(-5, -1, 5):
        for wd in [0.0, 1e-5, 1e-4, 1e-3]:
            for width in [64, 128]:
                train(lr, wd, width)
    """
    message = _one(source, "HPL101")
    _sane(message)
    assert "5×4×2 = 40 configurations" in message
    covered = round(expected_distinct(8, 13))
    assert f"draws lr log-uniformly from its range (13 distinct values instead of 5) and wd, width from the same values (about {covered} of their 8 combinations)" in message


def test_cv_cost_states_its_unit_once_and_times_the_fits() -> None:
    source = """
    from sklearn.model_selection import GridSearchCV
    grid = {"C": [0.01, 0.1, 1, 10, 100], "gamma": [1e-4, 1e-3, 1e-2, 1e-1, 1], "kernel": ["rbf", "poly", "sigmoid"]}
    search = GridSearchCV(SVC(), grid, cv=5)
    """
    message = _one(source, "HPL102")
    _sane(message)
    # 375 fits × 30 min = 7.8 days; the configurations are not timed as if they were the fits
    assert "75 configurations × 5 CV folds = 375 fits (7.8 days at 30 min per fit, option trial-minutes)" in message
    assert "RandomizedSearchCV with n_iter=25 (125 fits) samples 25 of the 75 grid points without replacement" in message
    assert "C, gamma would get a new value in every trial from a scipy.stats distribution" in message
    assert "kernel" not in message.split(";")[-1]
    assert message.count("fits") == 2 and "/trial" not in message


def test_integer_axes_are_not_promised_new_values() -> None:
    source = """
    from sklearn.model_selection import GridSearchCV
    grid = {"n_estimators": [100, 200, 400], "max_depth": [3, 5, 7], "min_samples_leaf": [1, 2, 4]}
    search = GridSearchCV(RandomForestClassifier(), grid, cv=3)
    """
    message = _one(source, "HPL102")
    assert "27 configurations × 3 CV folds = 81 fits" in message
    assert "new value" not in message


@pytest.mark.parametrize(
    "splitter, folds",
    [
        ("StratifiedKFold(n_splits=10, shuffle=True)", 10),
        ("KFold()", 5),
        ("ShuffleSplit(4, test_size=0.2)", 4),
        ("RepeatedStratifiedKFold(n_splits=3, n_repeats=2)", 6),
        ("RepeatedKFold()", 50),
    ],
)
def test_cv_splitter_bound_to_a_name_counts_its_folds(splitter: str, folds: int) -> None:
    source = f"""
    from sklearn.model_selection import GridSearchCV, KFold, RepeatedKFold, RepeatedStratifiedKFold, ShuffleSplit, StratifiedKFold
    cv = {splitter}
    grid = {{"n_estimators": [100, 200, 400], "max_depth": [3, 5, 7], "min_samples_leaf": [1, 2, 4]}}
    search = GridSearchCV(RandomForestClassifier(), grid, cv=cv)
    """
    assert f"27 configurations × {folds} CV folds = {27 * folds} fits" in _one(source, "HPL102")


def test_cv_given_as_a_parameter_states_no_fold_count() -> None:
    """A ``cv`` bound in another function says nothing of the parameter a search reads."""
    source = """
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    def make_splitter():
        cv = StratifiedKFold(n_splits=10)
        return cv
    def search(model, X, y, cv):
        grid = {"n_estimators": [100, 200, 400], "max_depth": [3, 5, 7], "min_samples_leaf": [1, 2, 4]}
        return GridSearchCV(model, grid, cv=cv).fit(X, y)
    """
    message = _one(source, "HPL102")
    assert "27 configurations" in message and "CV folds" not in message


def test_cv_bound_twice_states_no_fold_count() -> None:
    source = """
    from sklearn.model_selection import GridSearchCV, KFold
    if small:
        cv = KFold(3)
    else:
        cv = KFold(10)
    grid = {"n_estimators": [100, 200, 400], "max_depth": [3, 5, 7], "min_samples_leaf": [1, 2, 4]}
    search = GridSearchCV(RandomForestClassifier(), grid, cv=cv)
    """
    message = _one(source, "HPL102")
    assert "27 configurations" in message and "CV folds" not in message


def test_a_grid_api_without_a_fix_promises_at_most_n_grid_points() -> None:
    source = """
    import itertools
    params = {"lr": [1e-4, 1e-3, 1e-2], "batch_size": [16, 32, 64], "dropout": [0.0, 0.1, 0.2, 0.3]}
    for combo in itertools.product(*params.values()):
        train(*combo)
    """
    message = _one(source, "HPL102")
    _sane(message)
    assert "3×3×4 = 36 configurations" in message
    assert "random search with 12 trials drawing from the same values covers at most 12 of the 36 grid points" in message
    assert "lr, dropout would get a new value in every trial from a range instead of a list" in message


def test_ray_samples_multiply_the_trials() -> None:
    source = """
    from ray import tune
    space = {"lr": tune.grid_search([1e-4, 1e-3, 1e-2]), "bs": tune.grid_search([32, 64, 128]), "wd": tune.grid_search([0, 1e-4])}
    tune.run(train_fn, config=space, num_samples=2)
    """
    message = _one(source, "HPL102")
    assert "18 configurations × num_samples=2 = 36 trials (18.0 hours at 30 min per trial, option trial-minutes)" in message


def test_trial_minutes_rescale_the_time_of_the_right_count() -> None:
    source = """
    from sklearn.model_selection import GridSearchCV
    search = GridSearchCV(SVC(), {"C": [0.1, 1, 10, 100], "gamma": [0.01, 0.1, 1, 10], "kernel": ["rbf", "poly"]}, cv=10)
    """
    message = _one(source, "HPL102", **{"trial-minutes": 6})
    assert "32 configurations × 10 CV folds = 320 fits (1.3 days at 6 min per fit, option trial-minutes)" in message


# -- HPL3: what pruning can save ---------------------------------------------------------

OBJECTIVE = """
import optuna

def objective(trial):
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    for epoch in range(20):
        train_one_epoch(model, lr)
        val_acc = evaluate(model)
    return val_acc

{study}.optimize(objective, n_trials={n})
"""


@pytest.mark.parametrize(
    "study, n, expected",
    [
        ("optuna.create_study()", "6", "so of n_trials=6, only trial 6 can stop early"),
        ("optuna.create_study()", "50", "so of n_trials=50, trials 6-50 can stop early"),
        ("optuna.create_study(pruner=optuna.pruners.MedianPruner())", "40", "MedianPruner (n_startup_trials=5 by default) lets the first 5 trials"),
        ("optuna.create_study(pruner=optuna.pruners.MedianPruner(n_startup_trials=0))", "10", "MedianPruner (n_startup_trials=0) has no warm-up trials, so any of the n_trials=10 can stop early"),
        ("optuna.create_study(pruner=optuna.pruners.HyperbandPruner())", "40", "depends on its warm-up and the trial budget, not visible here"),
        ("optuna.create_study()", "N_TRIALS", "Optuna's default MedianPruner (n_startup_trials=5) lets the first 5 trials run to the end and stops a later trial"),
    ],
)
def test_hpl301_savings_come_from_the_studys_warmup_and_budget(study: str, n: str, expected: str) -> None:
    message = _one(OBJECTIVE.format(study=study, n=n), "HPL301")
    _sane(message)
    assert expected in message
    assert "large share" not in message and "well over" not in message


@pytest.mark.parametrize("n", ["5", "2"])
def test_hpl301_is_silent_when_the_budget_fits_in_the_pruners_warmup(n: str) -> None:
    """With n_trials no larger than the pruner's n_startup_trials, reporting would prune
    no trial: the finding would advise a change that saves nothing."""
    assert not _lint(OBJECTIVE.format(study="optuna.create_study()", n=n), "HPL3")


def test_hpl302_and_hpl304_state_the_same_mechanism() -> None:
    reports = """
    import optuna

    def objective(trial):
        for epoch in range(20):
            acc = train_and_eval(trial)
            trial.report(acc, epoch)
        return acc

    study = optuna.create_study(direction="maximize")
    study.optimize(objective, n_trials=6)
    """
    assert "only trial 6 can stop early" in _one(reports, "HPL302")
    switched_off = """
    import optuna

    def objective(trial):
        for epoch in range(20):
            acc = train_and_eval(trial)
            trial.report(acc, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return acc

    study = optuna.create_study(pruner=optuna.pruners.NopPruner())
    study.optimize(objective, n_trials=4)
    """
    message = _one(switched_off, "HPL304")
    assert "with n_trials=4, that MedianPruner (n_startup_trials=5) would prune no trial" in message
    ray = """
    from ray import tune

    def trainable(config):
        for epoch in range(100):
            tune.report({"acc": train_one_epoch(config)})

    tune.run(trainable, num_samples=50)
    """
    message = _one(ray, "HPL304")
    assert "ASHA lets about a third of the samples past each rung" in message and "large share" not in message


# -- HPL501: hyperparameter counts --------------------------------------------------------


def _study(body: str, n: int = 8) -> str:
    return f"import optuna\n\ndef objective(trial):\n{textwrap.indent(textwrap.dedent(body), '    ')}\nstudy = optuna.create_study()\nstudy.optimize(objective, n_trials={n})\n"


def test_hpl501_manual_sweep_only_for_one_or_two_counted_hyperparameters() -> None:
    one = _study('lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)\nreturn fit(lr)\n')
    message = _one(one, "HPL501")
    assert "over 1 hyperparameter:" in message
    assert "for 1 hyperparameter a manual sweep (4 values a decade apart, then a refinement around the best) spends no trials on a random warm-up" in message
    assert "faster" not in message
    four = _study(
        'lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)\nwd = trial.suggest_float("wd", 1e-6, 1e-2, log=True)\n'
        'bs = trial.suggest_categorical("bs", [16, 32, 64])\nd = trial.suggest_float("dropout", 0.0, 0.5)\nreturn fit(lr, wd, bs, d)\n'
    )
    message = _one(four, "HPL501")
    assert "over 4 hyperparameters" in message and "manual" not in message


def test_hpl501_a_trial_handed_to_an_unseen_function_is_at_least_the_count() -> None:
    hidden = _study('lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)\nmodel = build_model(trial)\nreturn fit(model, lr)\n')
    message = _one(hidden, "HPL501")
    assert "over at least 1 hyperparameter:" in message
    assert "manual" not in message
    local = (
        "def build_model(trial):\n    return Net(trial.suggest_int(\"width\", 16, 256))\n\n"
        + _study('lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)\nmodel = build_model(trial)\nreturn fit(model, lr)\n')
    )
    message = _one(local, "HPL501")
    assert "over 2 hyperparameters" in message and "for 2 hyperparameters a manual sweep" in message


def test_hpl501_suggestions_in_branches_are_not_summed() -> None:
    """A trial samples one branch's parameters: their sum over the branches is no count of a trial's."""
    branched = _study(
        'if trial.suggest_categorical("model", ["als", "lightfm"]) == "als":\n'
        '    f = trial.suggest_int("factors", 8, 128)\n    reg = trial.suggest_float("reg", 1e-4, 1e-1, log=True)\n'
        'else:\n    f = trial.suggest_int("components", 8, 128)\n    reg = trial.suggest_float("alpha", 1e-4, 1e-1, log=True)\n'
        "return fit(f, reg)\n"
    )
    message = _one(branched, "HPL501")
    assert "hyperparameter" not in message.split(":")[0] and "manual" not in message


def test_hpl501_unknown_count_gives_no_manual_advice() -> None:
    message = _one("import optuna\nstudy = optuna.create_study()\nstudy.optimize(objective, n_trials=8)\n", "HPL501")
    assert "hyperparameter" not in message and "manual" not in message


# -- HPL401: what sequential tuning risks -------------------------------------------------


def test_hpl401_says_the_pair_can_be_missed_not_that_it_is() -> None:
    source = """
    import optuna

    def bs_objective(trial):
        batch_size = trial.suggest_categorical("batch_size", [16, 32, 64, 128])
        return train(lr=1e-3, batch_size=batch_size)

    def lr_objective(trial):
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        return train(lr=lr, batch_size=64)

    optuna.create_study().optimize(bs_objective, n_trials=20)
    optuna.create_study().optimize(lr_objective, n_trials=20)
    """
    found = _lint(source, "HPL401")
    assert found
    for diag in found:
        _sane(diag.message)
        assert "good for neither" not in diag.message and "can miss the best pair" in diag.message


# -- HPL2: zero bounds, one decade ----------------------------------------------------------


@pytest.mark.parametrize(
    "source, code",
    [
        ("import optuna\ndef objective(trial):\n    lr = trial.suggest_float('lr', 0.0, 0.1)\n    return fit(lr)\n", "HPL202"),
        ("import numpy as np\ngrid = {'C': np.linspace(0, 100, 50)}\nGridSearchCV(SVC(), grid)\n", "HPL201"),
        ("from ray import tune\nspace = {'lr': tune.uniform(0, 1e-1)}\n", "HPL203"),
        ("from ray import tune\nspace = {'lr': tune.uniform(0.01, 0.11)}\n", "HPL203"),
        ("import optuna\ndef objective(trial):\n    lr = trial.suggest_float('lr', 0.005, 0.006)\n    return fit(lr)\n", "HPL204"),
    ],
)
def test_search_space_messages_at_the_edges_are_sane(source: str, code: str) -> None:
    found = _lint(source, code)
    assert found
    for diag in found:
        _sane(diag.message)
        assert diag.code == code


def test_unknown_bounds_and_deprecations_say_only_what_is_known() -> None:
    unknown = "import optuna\ndef objective(trial, low, high):\n    lr = trial.suggest_float('lr', low, high)\n    return fit(lr)\n"
    message = _one(unknown, "HPL202")
    _sane(message)
    assert "not visible here" in message and "%" not in message
    deprecated = "import optuna\ndef objective(trial):\n    lr = trial.suggest_loguniform('lr', 1e-5, 1e-1)\n    return fit(lr)\n"
    message = _one(deprecated, "HPL206")
    assert "scheduled for removal in 6.0" in message and "removed in 6.0" not in message


# -- every template, through every rule's own bad examples ----------------------------------

UNMEASURED_PROMISES = ("large share", "well over half", "is faster", "good for neither", "distinct values of every parameter", "min/trial", "barely differ")


def _examples():
    from hplint.core.registry import all_rules

    for rule in all_rules():
        for index, example in enumerate(rule.bad_examples):
            yield pytest.param(rule.code, example.source, id=f"{rule.code}-bad{index}")


@pytest.mark.parametrize("code, source", list(_examples()))
def test_no_message_promises_what_is_not_measured_or_computed(code: str, source: str) -> None:
    found = _lint(source, code)
    assert found
    for diag in found:
        _sane(diag.message)
        assert not any(p in diag.message for p in UNMEASURED_PROMISES), diag.message
