"""HPL401/HPL402: wording, options and the pair list the fixture format cannot express."""

from __future__ import annotations

import textwrap

import pytest

from conftest import admits
from hplint import lint_source
from hplint.core.config import Config, ConfigError, config_from_mapping
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, shows_batch_size, shows_learning_rate
from hplint.rules.interactions.hpl401_sequential_tuning import SequentialTuning
from hplint.rules.interactions.hpl402_batch_at_fixed_lr import BatchAtFixedLearningRate
from hplint.rules.interactions.reader import BATCH, LR, WD, parse_pairs


def _lint(code: str, **table):
    config = config_from_mapping({"select": table.pop("select", ["HPL4"]), **table})
    return lint_source(textwrap.dedent(code), "t.py", config)


SEQUENTIAL = """
    for batch_size in [16, 32, 64, 128, 256]:
        train(lr=0.001, batch_size=batch_size)
    best_batch = pick()
    for lr in [1e-4, 1e-3, 1e-2]:
        train(lr=lr, batch_size=best_batch)
"""


def test_sequential_message_names_both_parameters_and_values() -> None:
    [finding] = [d for d in _lint(SEQUENTIAL) if d.code == "HPL401"]
    assert finding.line == 5
    message = finding.message
    assert "lr is searched with batch_size fixed to best_batch" in message
    assert "lr stayed at 0.001 during that search" in message
    assert "1.4× lr" in message
    assert "trial.suggest_categorical('batch_size', […])" in message
    assert "trial.suggest_float('lr', …, log=True)" in message


def test_study_best_params_is_shown_where_the_value_comes_from() -> None:
    code = """
        import optuna

        def obj_bs(trial):
            bs = trial.suggest_categorical("batch_size", [32, 64])
            return train(lr=1e-3, batch_size=bs)

        def obj_lr(trial):
            lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
            return train(lr=lr, batch_size=best)

        first = optuna.create_study()
        first.optimize(obj_bs, n_trials=30)
        best = first.best_params["batch_size"]
        second = optuna.create_study()
        second.optimize(obj_lr, n_trials=30)
    """
    [finding] = [d for d in _lint(code) if d.code == "HPL401"]
    assert finding.line == 16
    assert 'batch_size fixed to best (= first.best_params["batch_size"])' in finding.message
    assert "lr stayed at 1e-3" in finding.message


def test_weight_decay_pair_is_opt_in() -> None:
    code = """
        for weight_decay in [0.0, 1e-4, 1e-2]:
            train(lr=0.001, weight_decay=weight_decay)
        for lr in [1e-4, 1e-3, 1e-2]:
            train(lr=lr, weight_decay=1e-4)
    """
    assert not _lint(code)
    found = _lint(code, **{"interaction-pairs": ["lr:weight_decay"]})
    assert [(d.line, d.code) for d in found] == [(4, "HPL401")]
    assert "lr × weight_decay" in found[0].message
    assert "trial.suggest_float('weight_decay', …, log=True)" in found[0].message


def test_pair_list_can_drop_the_default_pair() -> None:
    assert not [d for d in _lint(SEQUENTIAL, **{"interaction-pairs": ["lr:weight_decay"]}) if d.code == "HPL401"]


def test_parse_pairs_keeps_known_roles_only() -> None:
    pairs = parse_pairs(["lr:batch_size", "learning_rate:wd", "lr:momentum", "lr", "lr:lr"], DEFAULT_VOCABULARY)
    assert pairs == [(LR, BATCH), (LR, WD)]


def test_pair_option_must_be_a_list_of_strings() -> None:
    with pytest.raises(ConfigError, match="interaction-pairs"):
        config_from_mapping({"interaction-pairs": "lr:batch_size"})


def test_both_interaction_rules_are_on_by_default_and_report_once() -> None:
    enabled = Config().enabled_codes()
    assert "HPL401" in enabled and "HPL402" in enabled
    # batch size tuned, then the learning rate: HPL401's finding, not HPL402's too
    assert not [d for d in lint_source(textwrap.dedent(SEQUENTIAL), "t.py") if d.code == "HPL402"]


def test_hpl402_does_not_repeat_hpl401_on_the_same_loop() -> None:
    code = """
        for lr in [1e-4, 1e-3, 1e-2]:
            fit(lr=lr, batch_size=64)
        for bs in [32, 64, 128]:
            fit(lr=0.01, batch_size=bs)
    """
    assert [(d.line, d.code) for d in _lint(code)] == [(4, "HPL401")]
    only_402 = _lint(code, select=["HPL402"])
    assert [(d.line, d.code) for d in only_402] == [(4, "HPL402")]


def test_batch_message_quantifies_the_scaling_rule() -> None:
    code = """
        for batch_size in [32, 64, 128]:
            optimizer = SGD(params, lr=0.05)
            train(model, optimizer, batch_size=batch_size)
    """
    [finding] = _lint(code, select=["HPL402"])
    assert "batch_size is searched while lr stays at 0.05" in finding.message
    assert "lr ∝ √batch" in finding.message and "1.4× lr" in finding.message


def test_prefilter_skips_files_without_a_batch_or_decay_name() -> None:
    source = "for lr in [1e-3, 1e-2]:\n    train(lr=lr)\n"
    assert not admits("HPL401", source, "text")
    assert not admits("HPL402", source, "text")
    for rule in (SequentialTuning, BatchAtFixedLearningRate):
        for example in rule.bad_examples:
            assert admits(rule.code, example.source)
    # a batch-size constant alone cannot be reported; a loop over it can
    assert not admits("HPL402", "BATCH_SIZES = [32, 64]\n")
    assert admits("HPL402", "BATCH_SIZES = [32, 64]\nfor batch_size in BATCH_SIZES:\n    train(batch_size=batch_size)\n")
    assert not admits("HPL402", "for i, batch in enumerate(loader):\n    train(batch)\n")
    assert admits("HPL402", "space = dict(\n    batch_size=[16, 32, 64],\n    lr=0.001,\n)\n")
    assert admits("HPL402", "space = dict \\\n    (batch_size=[16, 32, 64], lr=0.001)\n", "text")
    assert admits("HPL402", "for (batch_size\n     ) in sizes:\n    train(batch_size=batch_size)\n", "text")


def test_match_cases_are_alternative_branches() -> None:
    import libcst as cst

    from hplint.rules.interactions.file_searches import _child_statements

    module = cst.parse_module(
        "match mode:\n"
        "    case 'a':\n"
        "        x = 1\n"
        "    case _:\n"
        "        y = 2\n"
    )
    branches = [branch for _, branch in _child_statements(module.body[0])]
    assert branches == [0, 1]


# -- prefilter text marks ------------------------------------------------------


def _spellings(name: str):
    """How code may write a vocabulary name (text, name as read): as is, camelCase, dashed, upper case, as a key."""
    parts = name.split("_")
    camel = parts[0] + "".join(p.title() for p in parts[1:])
    for raw in (name, camel, name.replace("_", "-"), name.upper(), f"{name}s", f"x__{name}"):
        yield f'params["{raw}"] = self.{raw}', raw


@pytest.mark.parametrize("name", sorted(DEFAULT_VOCABULARY.batch_names))
def test_batch_text_mark_sees_every_vocabulary_batch_name(name: str) -> None:
    for text, raw in _spellings(name):
        if DEFAULT_VOCABULARY.is_batch_size(raw):
            assert shows_batch_size(text, text.lower()), text


@pytest.mark.parametrize("name", sorted(n for n in DEFAULT_VOCABULARY.log_names if DEFAULT_VOCABULARY.is_learning_rate(n)))
def test_learning_rate_text_mark_sees_every_vocabulary_learning_rate(name: str) -> None:
    for text, raw in _spellings(name):
        if DEFAULT_VOCABULARY.is_learning_rate(raw):
            assert shows_learning_rate(text, text.lower()), text


def test_text_marks_reject_lookalikes() -> None:
    def lr(text: str) -> bool:
        return shows_learning_rate(text, text.lower())

    def batch(text: str) -> bool:
        return shows_batch_size(text, text.lower())

    assert not lr("beta = metadata") and not lr("ctrl = url")
    assert not lr("from sklearn.svm import SVC")  # ``learn`` alone is every scikit-learn import
    assert lr("learn_rate = 1") and lr("LearnRate") and lr("learnrate") and lr("--learn-rate") and lr("lrate")
    assert lr("baseLR = 1") and lr("x.eta = 1") and lr("Learning-Rate")
    assert not batch("jobs = abs(size)")
    assert batch("b-size") and batch("x__b_size") and batch("bSize")


def test_learning_rate_searched_in_the_same_product_is_not_fixed() -> None:
    code = """
        import itertools
        import numpy as np

        lrs = np.logspace(-4, -1, 4)
        for lr, bs in itertools.product(lrs.tolist(), [16, 64]):
            train(model, lr=lr, batch_size=bs)
        for lr, bs in itertools.product(np.asarray(lrs), [16, 64]):
            train(model, lr=lr, batch_size=bs)
        for lr, bs in itertools.product(rates_from_config(), [16, 64]):
            train(model, lr=lr, batch_size=bs)
    """
    assert not [d for d in _lint(code) if d.code == "HPL402"]


def test_a_product_with_a_constant_rate_names_the_constant() -> None:
    code = """
        import itertools
        for bs, seed in itertools.product([16, 64, 256], range(3)):
            train(model, lr=0.01, batch_size=bs, seed=seed)
    """
    [finding] = [d for d in _lint(code) if d.code == "HPL402"]
    assert finding.message.startswith("bs is searched while lr stays at 0.01:")
