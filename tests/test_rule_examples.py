"""Every rule's own examples are tests: one source for docs, explain and tests."""

from __future__ import annotations

import libcst as cst
import pytest

from hplint import fix_source, lint_source
from hplint.core.config import config_from_mapping
from hplint.core.diagnostics import Safety
from hplint.core.registry import all_rules

RULES = all_rules()


def _config(code: str):
    return config_from_mapping({"select": [code]})


def test_every_rule_has_examples() -> None:
    for rule in RULES:
        assert rule.bad_examples, f"{rule.code} has no bad example"
        assert rule.good_examples, f"{rule.code} has no good example"
        assert rule.name and rule.summary and rule.why
        if rule.fix_safety is not None:
            assert rule.fix_description, f"{rule.code} has a fix but no fix_description"
            assert any(e.fixed is not None for e in rule.bad_examples), f"{rule.code} shows no fixed example"


@pytest.mark.parametrize(
    "rule, example",
    [pytest.param(r, e, id=f"{r.code}-bad{i}") for r in RULES for i, e in enumerate(r.bad_examples)],
)
def test_bad_example_is_flagged(rule, example) -> None:
    found = [d for d in lint_source(example.source, "example.py", _config(rule.code)) if d.code == rule.code]
    assert found, f"{rule.code} missed its own bad example"
    if example.fixed_source is not None:
        unsafe = rule.fix_safety is Safety.UNSAFE
        result = fix_source(example.source, "example.py", _config(rule.code), unsafe=unsafe)
        assert result.source == example.fixed_source
        cst.parse_module(result.source)


@pytest.mark.parametrize(
    "rule, example",
    [pytest.param(r, e, id=f"{r.code}-good{i}") for r in RULES for i, e in enumerate(r.good_examples)],
)
def test_good_example_is_silent(rule, example) -> None:
    found = [d for d in lint_source(example.source, "example.py", _config(rule.code)) if d.code == rule.code]
    assert not found, [d.message for d in found]
