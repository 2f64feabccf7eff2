"""Shared helpers for the test suite."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from hplint.core.config import Config, config_from_mapping

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>HPL\d+(?:\s*,\s*HPL\d+)*)")
FIXTURE_CONFIG = re.compile(r"^#\s*fixture-config:\s*(?P<json>\{.*\})\s*$", re.M)


def fixture_config(source: str, select: str) -> Config:
    """The config a fixture asks for: ``select`` plus a ``# fixture-config: {...}`` line."""
    table: Dict[str, object] = {"select": [select]}
    match = FIXTURE_CONFIG.search(source)
    if match:
        table.update(json.loads(match.group("json")))
    return config_from_mapping(table, where="fixture")


def expected_findings(source: str) -> List[Tuple[int, str]]:
    """(line, code) pairs from ``# expect: HPL201, HPL204`` comments."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for code in match.group("codes").split(","):
                found.append((number, code.strip()))
    return sorted(found)


@pytest.fixture
def hplint_cmd() -> List[str]:
    return [sys.executable, "-m", "hplint"]


def admits(code: str, source: str, stage: str = "both") -> bool:
    """Whether the rule's trigger admits ``source``: on its text, its ``ast``, or both (the prefilter)."""
    import ast

    from hplint.core.registry import get_rule
    from hplint.prefilter.astindex import AstIndex
    from hplint.prefilter.text import TextScan, unix_newlines

    trigger = get_rule(code).trigger
    text_ok = trigger.text(TextScan(unix_newlines(source)))
    if stage == "text":
        return text_ok
    tree_ok = trigger.tree(AstIndex(ast.parse(source)))
    return tree_ok if stage == "tree" else text_ok and tree_ok
