"""HPL501: numbers in the message, the min-trials option, sampler resolution."""

from __future__ import annotations

import textwrap

from conftest import admits
from hplint import lint_source
from hplint.core.config import config_from_mapping
from hplint.rules.budget.hpl501_too_few_trials import TooFewTrials


def _lint(code: str, **table):
    config = config_from_mapping({"select": ["HPL501"], **table})
    return lint_source(textwrap.dedent(code), "t.py", config)


def test_default_tpe_message() -> None:
    [finding] = _lint(
        """
        import optuna
        study = optuna.create_study()
        study.optimize(objective, n_trials=8)
        """
    )
    assert finding.message == (
        "n_trials=8 with the TPE sampler: its first 10 trials are random (n_startup_trials=10), "
        "so this search never uses its model; budget ≥ 20 trials or use RandomSampler"
    )


def test_startup_trials_given_explicitly() -> None:
    [finding] = _lint(
        """
        import optuna
        from optuna.samplers import TPESampler
        study = optuna.create_study(sampler=TPESampler(n_startup_trials=5))
        study.optimize(objective, n_trials=15)
        """
    )
    assert "first 5 trials are random (n_startup_trials=5), so only 10 of 15 trials use its model" in finding.message


def test_min_trials_option() -> None:
    code = """
        import optuna
        study = optuna.create_study()
        study.optimize(objective, n_trials=25)
    """
    assert not _lint(code)
    [finding] = _lint(code, **{"min-trials": 30})
    assert "budget ≥ 30 trials" in finding.message


def test_load_study_defaults_to_tpe() -> None:
    found = _lint(
        """
        import optuna
        study = optuna.load_study(study_name="s", storage="sqlite:///s.db")
        study.optimize(objective, n_trials=5)
        """
    )
    assert len(found) == 1


def test_study_name_bound_to_different_samplers_is_left_alone() -> None:
    found = _lint(
        """
        import optuna
        def a():
            study = optuna.create_study(sampler=optuna.samplers.RandomSampler())
            study.optimize(objective, n_trials=5)
        def b():
            study = optuna.create_study()
            study.optimize(objective, n_trials=50)
        """
    )
    assert not found


def test_study_name_bound_twice_to_default_tpe_is_checked() -> None:
    found = _lint(
        """
        import optuna
        def a():
            study = optuna.create_study()
            study.optimize(objective, n_trials=5)
        def b():
            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=50)
        """
    )
    assert [d.line for d in found] == [5]


def test_without_optuna_import_nothing_is_reported() -> None:
    assert not _lint("study = create_study()\nstudy.optimize(objective, n_trials=5)\n")


def test_keras_tuner_with_given_initial_points() -> None:
    [finding] = _lint(
        """
        import keras_tuner
        tuner = keras_tuner.BayesianOptimization(build, objective="val_loss", max_trials=8, num_initial_points=4)
        """
    )
    assert "max_trials=8 with Keras Tuner's BayesianOptimization" in finding.message
    assert "only 4 of 8 trials use its model" in finding.message
    assert finding.message.endswith("or use RandomSearch")


def test_prefilter() -> None:
    assert not admits("HPL501", "study.optimize(objective, n_trials=5)\n")  # no study factory, no optuna
    assert not admits("HPL501", "import optuna\nstudy = optuna.create_study()\nstudy.optimize(objective, n_trials=50)\n")
    for example in TooFewTrials.bad_examples:
        assert admits("HPL501", example.source)


def test_budget_passed_through_one_call_is_reported_where_it_is_written() -> None:
    [finding] = _lint(
        """
        from hyperopt import fmin, hp, tpe

        def run_search(max_evals):
            return fmin(fn=f, space={"lr": hp.loguniform("lr", -9, -1)}, algo=tpe.suggest, max_evals=max_evals)

        run_search(max_evals=10)
        """
    )
    assert finding.line == 7
    assert finding.message.startswith("max_evals=10 (passed to `run_search`) with hyperopt's tpe.suggest over 1 hyperparameter:")


def test_hyperparameters_counted_through_the_objective_spelling() -> None:
    code = """
        import functools
        import optuna

        def train(data, t):
            lr = t.suggest_float("lr", 1e-5, 1e-1, log=True)
            return fit(data, lr, build(t))

        def build(tr):
            return make(tr.suggest_int("units", 16, 256), tr.suggest_float("dropout", 0.0, 0.5))

        study = optuna.create_study()
        study.optimize({passed}, n_trials=8)
    """
    for passed in ("lambda t: train(X, t)", "functools.partial(train, X)"):
        [finding] = _lint(code.format(passed=passed))
        assert "with the TPE sampler over 3 hyperparameters:" in finding.message, passed
        assert finding.message.endswith("budget ≥ 20 trials or use RandomSampler")


def test_hyperparameters_not_counted_when_a_name_is_computed() -> None:
    [finding] = _lint(
        """
        import optuna

        def objective(trial):
            for i in range(trial.suggest_int("n_layers", 1, 3)):
                trial.suggest_int(f"units_{i}", 16, 256)
            return 0.0

        optuna.create_study().optimize(objective, n_trials=8)
        """
    )
    assert "hyperparameter" not in finding.message.split(":")[0]


def test_keras_warm_up_counted_from_the_build_function() -> None:
    [finding] = _lint(
        """
        import keras_tuner as kt

        def build_model(hp):
            return make(hp.Int("units", 32, 512), hp.Float("lr", 1e-4, 1e-2, sampling="log"), hp.Choice("act", ["relu", "tanh"]))

        tuner = kt.BayesianOptimization(build_model, objective="val_accuracy", max_trials=15)
        """
    )
    assert "over 3 hyperparameters: its first 9 trials are random (num_initial_points defaults to 3 × 3 hyperparameters)" in finding.message


def test_skopt_minimizer_message_counts_dimensions_and_names_the_refusal() -> None:
    [finding] = _lint(
        """
        from skopt import gp_minimize
        from skopt.space import Integer, Real
        space = [Real(1e-5, 1e-1, prior="log-uniform"), Integer(1, 8), (0.0, 0.5)]
        res = gp_minimize(train, space, n_calls=6)
        """
    )
    assert finding.message == (
        "n_calls=6 with scikit-optimize's gp_minimize over 3 hyperparameters: its first 10 trials are random "
        "(n_initial_points=10), so this search never uses its model (gp_minimize raises ValueError for n_calls "
        "below 10); budget ≥ 20 trials or use dummy_minimize"
    )


def test_skopt_dimensions_not_counted_when_the_list_grows() -> None:
    [finding] = _lint(
        """
        import skopt
        space = [skopt.space.Real(1e-5, 1e-1)]
        space.append(skopt.space.Integer(1, 8))
        res = skopt.forest_minimize(train, space, n_calls=10)
        """
    )
    assert "hyperparameter" not in finding.message
    assert finding.message.startswith("n_calls=10 with scikit-optimize's forest_minimize: its first 10 trials are random")


def test_skopt_prefilter_admits_every_spelling() -> None:
    assert admits("HPL501", "import skopt\nskopt.gp_minimize(f, space, n_calls=10)\n")
    assert admits("HPL501", "from skopt import gbrt_minimize\ngbrt_minimize(f, space, None, 40, 50)\n")
    assert admits("HPL501", "from skopt import BayesSearchCV\nBayesSearchCV(est, {'C': (1, 10)}, optimizer_kwargs={'n_initial_points': 30}, n_iter=25)\n")
    assert not admits("HPL501", "import skopt\nskopt.gp_minimize(f, space, n_calls=50)\n")
    assert not admits("HPL501", "import skopt\nskopt.dummy_minimize(f, space, n_calls=5)\n")
