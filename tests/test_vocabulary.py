"""What a name means: the cases real tuning code spells that the vocabulary must read."""

import pytest

from hplint.reading.vocabulary import DEFAULT_VOCABULARY, Scale
from hplint.rules.strategy.grids import tuned_axis
from hplint.rules.strategy.helper_rates import names_network_key


@pytest.mark.parametrize(
    "name, scale",
    [
        ("encoder_l1", Scale.LOG),  # a penalty named for the part it weighs
        ("activity_l2", Scale.LOG),
        ("n_units_l1", Scale.UNKNOWN),  # the width of layer 1
        ("hidden_l2", Scale.UNKNOWN),
        ("l1_reg", Scale.LOG),
        ("head_lr", Scale.LOG),
        ("encoder_l1_ratio", Scale.LINEAR),  # a mixing share
        ("drop_p", Scale.LINEAR),
        ("attn_drop_rate", Scale.LINEAR),
        ("drop_path", Scale.LINEAR),
        ("n_embd", Scale.UNKNOWN),
        ("lr_warmup_steps", Scale.UNKNOWN),
    ],
)
def test_scale_of_a_name(name: str, scale: Scale) -> None:
    assert DEFAULT_VOCABULARY.scale(name) is scale


@pytest.mark.parametrize("name", ["n_embd", "n_embd2", "model.n_head", "model.net.n_embed", "training.block_size"])
def test_transformer_settings_are_grid_axes(name: str) -> None:
    assert tuned_axis(name, DEFAULT_VOCABULARY)


@pytest.mark.parametrize("name", ["seed", "data.fold", "n_runs"])
def test_conditions_are_not_grid_axes(name: str) -> None:
    assert not tuned_axis(name, DEFAULT_VOCABULARY)


@pytest.mark.parametrize("name, network", [("n_embed", True), ("n_heads", True), ("n_decoder_blocks", True), ("drop_p", True), ("block_size", False), ("max_depth", False), ("n_estimators", False)])
def test_settings_only_a_network_has(name: str, network: bool) -> None:
    assert names_network_key(name) is network
