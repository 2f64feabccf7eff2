"""The layout keeps its promises: one module per rule, small modules, no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set

import hplint
from hplint.core.registry import all_rules
from hplint.prefilter.triggers import Always, Trigger

PACKAGE = Path(hplint.__file__).parent
MAX_LINES = 700


def _modules() -> Dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def test_each_rule_is_its_own_module_named_by_its_code() -> None:
    seen: Set[str] = set()
    for rule in all_rules():
        module = rule.__module__
        assert module.rsplit(".", 1)[-1].startswith(rule.code.lower() + "_"), (rule.code, module)
        assert module.split(".")[2] in {"strategy", "search_space", "pruning", "interactions", "budget", "objective"}
        assert module not in seen, f"two rules in {module}"
        seen.add(module)


def test_every_rule_declares_a_trigger() -> None:
    for rule in all_rules():
        assert isinstance(rule.trigger, Trigger) and not isinstance(rule.trigger, Always), rule.code


def test_no_module_is_over_700_lines() -> None:
    long = {name: n for name, path in _modules().items() if (n := path.read_text(encoding="utf-8").count("\n")) > MAX_LINES}
    assert not long, long


def test_no_import_cycle() -> None:
    """Module-level imports only (``if TYPE_CHECKING:`` and function-level ones are not cycles at import)."""
    modules = _modules()
    graph: Dict[str, Set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        statements: List[ast.stmt] = []
        for node in tree.body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            statements.extend(node.body + node.orelse if isinstance(node, (ast.If, ast.Try)) else [node])
        for node in statements:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hplint"):
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    graph[name].add(target if target in modules else node.module)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name.startswith("hplint"))
    state: Dict[str, int] = {}
    path: List[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in graph.get(node, ()):
            if target not in modules:
                continue
            assert state.get(target) != 1, " -> ".join(path[path.index(target):] + [target])
            if target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for name in modules:
        if name not in state:
            visit(name)
