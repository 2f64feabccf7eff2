"""Pruning rules (HPL3xx): behaviour the fixture format cannot express."""

from __future__ import annotations

import textwrap

import pytest

from conftest import admits
from hplint import fix_source, lint_source
from hplint.core.config import config_from_mapping
from hplint.core.registry import get_rule

CODES = ("HPL301", "HPL302", "HPL303", "HPL304")


def _lint(source: str, select: str = "HPL3", **options):
    table = {"select": [select], **options}
    return lint_source(textwrap.dedent(source), "t.py", config_from_mapping(table))


RAY_SEARCH = """
    from ray import tune

    def trainable(config):
        for epoch in range(100):
            tune.report({"acc": step(config)})

    tune.run(trainable, num_samples=12)
"""


@pytest.mark.parametrize("code", CODES)
def test_prefilter_is_sound_for_examples(code: str) -> None:
    """Every bad example passes the rule's trigger, on the text and on the tree."""
    rule = get_rule(code)
    for example in rule.bad_examples:
        assert admits(code, example.source)


@pytest.mark.parametrize("code", CODES)
def test_prefilter_skips_unrelated_files(code: str) -> None:
    source = "import numpy as np\nx = np.linspace(0, 1, 5)\nfor epoch in range(3):\n    fit(x)\n"
    assert not admits(code, source, "text")


def test_hpl301_message_names_epochs_metric_and_savings() -> None:
    found = _lint(
        """
        import optuna

        def objective(trial):
            for epoch in range(100):
                train_one_epoch(model)
                val_acc = evaluate(model)
            return val_acc

        optuna.create_study().optimize(objective, n_trials=100)
        """
    )
    assert [d.code for d in found] == ["HPL301"]
    message = found[0].message
    assert "trains 100 epochs" in message and "`val_acc` each epoch" in message
    assert "a large share" not in message and "hplint verify HPL301" in message
    assert "lets the first 5 trials run to the end, so of n_trials=100, trials 6-100 can stop early" in message


def test_hpl301_explain_says_callees_are_not_guessed() -> None:
    assert "does not guess across functions" in get_rule("HPL301").why


def test_hpl301_fix_uses_the_trial_parameter_name() -> None:
    source = textwrap.dedent(
        """
        import optuna

        def objective(tr):
            for epoch in range(10):
                fit_one(model)
                loss = evaluate(model)
            return loss

        optuna.create_study().optimize(objective)
        """
    )
    result = fix_source(source, "t.py", config_from_mapping({"select": ["HPL3"]}), unsafe=True)
    expected = "        tr.report(loss, epoch)\n        if tr.should_prune():\n            raise optuna.TrialPruned()\n"
    assert expected in result.source
    safe_only = fix_source(source, "t.py", config_from_mapping({"select": ["HPL3"]}), unsafe=False)
    assert safe_only.source == source  # unsafe fixes need --unsafe-fixes


def test_hpl301_loop_ending_in_return_gets_no_fix() -> None:
    found = _lint(
        """
        import optuna

        def objective(trial):
            for epoch in range(10):
                fit_one(model)
                loss = evaluate(model)
                if loss < 0.1:
                    return loss
                continue
            return loss

        optuna.create_study().optimize(objective)
        """
    )
    assert [d.code for d in found] == ["HPL301"] and found[0].fix is None


def test_hpl304_tune_min_samples_option() -> None:
    assert [d.code for d in _lint(RAY_SEARCH)] == ["HPL304"]
    assert _lint(RAY_SEARCH, **{"tune-min-samples": 20}) == []


def test_hpl304_tuner_config_through_a_variable() -> None:
    found = _lint(
        """
        from ray import train, tune

        def trainable(config):
            for epoch in range(100):
                train.report({"loss": step(config)})

        cfg = tune.TuneConfig(num_samples=30, metric="loss", mode="min")
        tune.Tuner(tune.with_parameters(trainable, data=1), tune_config=cfg).fit()
        """
    )
    assert [d.code for d in found] == ["HPL304"]
    assert "30 samples" in found[0].message and "ASHAScheduler" in found[0].message


def test_hpl304_population_based_training_counts_as_scheduler() -> None:
    found = _lint(
        """
        from ray import tune
        from ray.tune.schedulers import PopulationBasedTraining

        def trainable(config):
            while True:
                tune.report({"acc": step(config)})

        pbt = PopulationBasedTraining(perturbation_interval=4)
        tune.Tuner(trainable, tune_config=tune.TuneConfig(num_samples=16, scheduler=pbt)).fit()
        """
    )
    assert found == []


def test_hpl302_silent_when_the_study_uses_nop_pruner() -> None:
    found = _lint(
        """
        import optuna

        def objective(trial):
            for epoch in range(10):
                acc = fit_eval(model)
                trial.report(acc, epoch)
            return acc

        study = optuna.create_study(pruner=optuna.pruners.NopPruner())
        study.optimize(objective, n_trials=50)
        """
    )
    assert [d.code for d in found] == ["HPL304"]  # one finding, at the pruner


def test_hpl303_spelling_prefers_the_imported_class() -> None:
    source = textwrap.dedent(
        """
        import optuna
        from optuna.exceptions import TrialPruned

        def objective(trial):
            for step in range(5):
                trial.report(fit(step), step)
                if trial.should_prune():
                    return 0.0
        """
    )
    result = fix_source(source, "t.py", config_from_mapping({"select": ["HPL303"]}))
    assert "            raise TrialPruned()\n" in result.source
    assert result.source.count("import optuna") == 1


@pytest.mark.parametrize(
    "header, flagged",
    [
        ("for epoch in range(n):", True),
        ("for i in range(args.num_epochs):", True),
        ("for it in range(max_iter):", True),
        ("for step, batch in enumerate(loader):", False),
        ("for x, y in data_iterator:", False),
        ("for fold, (tr, va) in enumerate(kf.split(X)):", False),
        ("for seed in range(5):", False),
    ],
)
def test_hpl301_what_counts_as_an_epoch_loop(header: str, flagged: bool) -> None:
    source = f"""
        import optuna

        def objective(trial):
            lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
            {header}
                model.train_step(lr)
                val_loss = evaluate(model)
            return val_loss

        optuna.create_study().optimize(objective)
        """
    assert bool(_lint(source)) is flagged


def test_hpl301_framework_message_quotes_only_visible_counts() -> None:
    source = """
        import optuna
        from tensorflow import keras

        def objective(trial):
            model = build(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
            history = model.fit(x, y, epochs={epochs}, validation_split=0.2)
            return history.history["val_accuracy"][-1]

        optuna.create_study(direction="maximize").optimize(objective, n_trials=50)
        """
    [written] = _lint(source.format(epochs="40"))
    assert "trains 40 epochs with Keras `model.fit`" in written.message
    assert 'callbacks=[TFKerasPruningCallback(trial, "val_accuracy")]' in written.message
    [hidden] = _lint(source.format(epochs="n_epochs"))
    assert "trains epoch by epoch with Keras `model.fit`" in hidden.message
    assert _lint(source.format(epochs="1")) == []


def test_hpl301_helper_message_names_the_helper_and_hides_its_parameters() -> None:
    [finding] = _lint(
        """
        import optuna

        def fit_model(model, n_epochs):
            for epoch in range(n_epochs):
                train_one_epoch(model)
                val_loss = evaluate(model)
            return val_loss

        def objective(trial):
            return fit_model(build(trial.suggest_float("lr", 1e-5, 1e-1, log=True)), 50)

        optuna.create_study().optimize(objective, n_trials=50)
        """
    )
    assert finding.line == 11
    assert "calls `fit_model`, whose epoch loop trains epoch by epoch and computes `val_loss`" in finding.message
    assert "`fit_model` never receives the trial" in finding.message


@pytest.mark.parametrize("name", ["o1", "o2"])
def test_objectives_found_through_spellings_pass_the_prefilter(name: str) -> None:
    sources = {
        "o1": """
            import optuna

            class Objective:
                def __call__(self, t):
                    for epoch in range(25):
                        model.train_epoch()
                        val_f1 = model.f1()
                    return val_f1

            optuna.create_study().optimize(Objective(), n_trials=50)
            """,
        "o2": """
            import functools
            import optuna

            def search(t, data):
                for it in range(200):
                    model.fit_step(data)
                    val_auc = model.auc()
                    t.report(val_auc, it)
                return val_auc

            obj = functools.partial(search, data=data)
            optuna.create_study().optimize(obj, n_trials=50)
            """,
    }
    source = textwrap.dedent(sources[name])
    code = "HPL301" if name == "o1" else "HPL302"
    assert [d.code for d in _lint(source)] == [code]
    assert admits(code, source)
