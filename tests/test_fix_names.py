"""A fix never rebinds a name: every name a fix writes means the object it meant.

Each scenario is a finding whose fix writes a name (``loguniform``, ``math``,
``np``...) and the object that name must be where the fix writes it.  The
generated files also bind that name in every way Python allows (module
assignment, an import of another object, a function parameter, a class
attribute, a ``global`` in a nested scope, a star import, a loop target, an
exception name...).  After ``--fix --unsafe-fixes`` each use the fix wrote is
resolved with CPython's ``symtable`` (independent of hplint's own reading):
it must be bound, in the scope that reads it, only by an import of the
intended object, or the fix must not have been made.
"""

from __future__ import annotations

import ast
import symtable
from dataclasses import dataclass
from typing import List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hplint import fix_source
from hplint.core.config import Config

ALL = Config(select=("HPL",))


@dataclass(frozen=True)
class Scenario:
    imports: str  # import lines the finding needs
    use: str  # one statement holding the finding; {indent}-free
    name: str  # the name the fix writes
    target: str  # the object it must mean: ``module`` or ``module.attr``
    wrapped: bool = False  # the use must sit in a function (an objective)


SCENARIOS = [
    Scenario("from scipy.stats import uniform\nfrom sklearn.model_selection import RandomizedSearchCV\n",
             'search = RandomizedSearchCV(model, {"C": uniform(0.01, 99.99)})', "loguniform", "scipy.stats.loguniform"),
    Scenario("import random\n", "lr = random.uniform(1e-5, 1e-1)", "math", "math"),
    Scenario("import numpy as np\n", "for lr in np.linspace(1e-5, 1e-1, 5):\n    train(lr=lr)", "np", "numpy"),
    Scenario("from numpy import linspace\n", "for lr in linspace(1e-5, 1e-1, 5):\n    train(lr=lr)", "geomspace", "numpy.geomspace"),
    Scenario("import torch\n", "for lr in torch.linspace(1e-5, 1e-1, 5):\n    train(lr=lr)", "math", "math"),
    Scenario("from ray import tune\n", 'config = {"lr": tune.uniform(1e-5, 1e-1)}', "tune", "ray.tune"),
    Scenario("from hyperopt import hp\n", 'space = {"lr": hp.loguniform("lr", 1e-5, 1e-1)}', "math", "math"),
    Scenario("from optuna.distributions import UniformDistribution\n",
             'space = {"lr": UniformDistribution(1e-5, 1e-1)}', "FloatDistribution", "optuna.distributions.FloatDistribution"),
    Scenario("import optuna\n", "if trial.should_prune():\n    return 0.0", "optuna", "optuna", wrapped=True),
    Scenario("import numpy as np\n",
             "for lr in [1e-4, 1e-3, 1e-2, 1e-1]:\n    for bs in [16, 32, 64, 128]:\n        for wd in [0.0, 1e-5, 1e-4, 1e-3]:\n            train(lr=lr, batch_size=bs, weight_decay=wd)",
             "random", "random"),
]

# ways to bind NAME besides the fix's own import; {body} is the scenario's use
SHADOWS = {
    "module-assignment-before": "NAME = 7\n{body}",
    "module-assignment-after": "{body}\nNAME = 7",
    "import-of-another-object": "from mylib import NAME\n{body}",
    "module-alias-of-another": "import mylib as NAME\n{body}",
    "function-parameter": "def run(NAME):\n{indented}",
    "local-assignment": "def run():\n    NAME = 3\n{indented}",
    "class-attribute": "class Tuner:\n    NAME = 3\n{indented}",
    "global-in-nested-scope": "def setup():\n    global NAME\n    NAME = 1\n{body}",
    "star-import": "from mylib import *\n{body}",
    "loop-target": "for NAME in range(3):\n    pass\n{body}",
    "exception-name": "try:\n    pass\nexcept ValueError as NAME:\n    pass\n{body}",
    "with-target": "with open('f') as NAME:\n    pass\n{body}",
    "comprehension-only": "values = [NAME for NAME in range(3)]\n{body}",
    "unrelated-function-parameter": "def other(NAME):\n    return NAME\n{body}",
    "no-shadow": "{body}",
}


def _indent(code: str, by: str = "    ") -> str:
    return "\n".join(by + line if line else line for line in code.split("\n"))


def _build(scenario: Scenario, shadow: str) -> str:
    body = scenario.use
    if scenario.wrapped:
        body = "def objective(trial):\n    for epoch in range(10):\n        loss = train_step()\n" + _indent(_indent(scenario.use)) + "\n    return 1.0"
    template = SHADOWS[shadow].replace("NAME", scenario.name)
    return scenario.imports + template.format(body=body, indented=_indent(body)) + "\n"


def _uses_written(before: str, after: str, name: str) -> List[Tuple[int, int]]:
    """Positions of loads of ``name`` (or ``name.x``) on the lines a fix changed or added."""
    import difflib

    old_lines, new_lines = before.splitlines(), after.splitlines()
    changed = set()
    for tag, _, _, first, last in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            changed.update(range(first + 1, last + 1))
    return [
        (n.lineno, n.col_offset)
        for n in ast.walk(ast.parse(after))
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load) and n.lineno in changed
    ]


def _scope_chain(table: symtable.SymbolTable, tree: ast.AST, at: Tuple[int, int]) -> List[symtable.SymbolTable]:
    """The symbol tables of the scopes enclosing ``at``, innermost first."""
    scopes = [(node.lineno, node.end_lineno, node) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
    chain = [table]
    current = table
    while True:
        inner = [
            child for child in current.get_children()
            if any(first == child.get_lineno() and first <= at[0] <= last for first, last, _ in scopes)
        ]
        if not inner:
            break
        current = inner[-1]
        chain.append(current)
    return list(reversed(chain))


def _module_bindings(tree: ast.AST, name: str) -> List[str]:
    """Every binding of ``name`` at module level, or declared ``global`` anywhere."""
    found: List[str] = []
    globals_ = {n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import:{a.name}" if a.asname else f"import:{a.name.split('.')[0]}" for a in node.names if (a.asname or a.name.split(".")[0]) == name]
        elif isinstance(node, ast.ImportFrom):
            found += [f"import:{node.module}.{a.name}" for a in node.names if (a.asname or a.name) == name or a.name == "*"]
    scopes_of = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            scopes_of[child] = parent
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            at_module = all(not isinstance(a, _SCOPES) for a in _ancestors(node, scopes_of))
            if at_module or name in globals_:
                found.append("assignment")
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            found.append("definition")
    return found


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _ancestors(node: ast.AST, parents: dict):
    while node in parents:
        node = parents[node]
        yield node


def _meaning_ok(code: str, at: Tuple[int, int], name: str, target: str) -> Optional[str]:
    """None if ``name`` read at ``at`` is bound only by an import of ``target``; else why not."""
    tree = ast.parse(code)
    table = symtable.symtable(code, "<fixed>", "exec")
    for scope in _scope_chain(table, tree, at):
        try:
            symbol = scope.lookup(name)
        except KeyError:
            continue
        if scope.get_type() == "class" and scope is not _scope_chain(table, tree, at)[0]:
            continue  # a class body is seen only from itself
        if symbol.is_global() or scope.get_type() == "module" or symbol.is_free():
            break
        if symbol.is_local() or symbol.is_parameter():
            return f"{name} is local to {scope.get_name()}"
    bindings = _module_bindings(tree, name)
    if any(binding != f"import:{target}" for binding in bindings):
        return f"{name} is also bound at module level: {bindings}"
    if not bindings:
        return f"{name} is not bound"
    return None


@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SCENARIOS), st.sampled_from(sorted(SHADOWS)))
def test_every_name_a_fix_writes_means_what_the_fix_meant(scenario: Scenario, shadow: str) -> None:
    source = _build(scenario, shadow)
    ast.parse(source)
    fixed = fix_source(source, "case.py", ALL, unsafe=True).source
    ast.parse(fixed)
    for at in _uses_written(source, fixed, scenario.name):
        problem = _meaning_ok(fixed, at, scenario.name, scenario.target)
        assert problem is None, f"{problem}\n--- before\n{source}\n--- after\n{fixed}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name + ":" + s.use.split("(")[0][:20] for s in SCENARIOS])
def test_every_scenario_is_fixed_when_nothing_shadows(scenario: Scenario) -> None:
    """The scenarios are real findings with fixes: without a shadow, the name is written."""
    source = _build(scenario, "no-shadow")
    fixed = fix_source(source, "case.py", ALL, unsafe=True).source
    assert fixed != source
    if scenario.name not in ("np", "tune"):  # those keep the receiver the file already has
        assert _uses_written(source, fixed, scenario.name), fixed


def test_two_fixes_wanting_one_name_from_two_modules() -> None:
    """Ray's and scipy's ``uniform`` in one file both become ``loguniform``: one of them
    must be qualified, never two ``from ... import loguniform`` lines."""
    source = (
        "from ray.tune import uniform as tune_uniform\n"
        "from scipy.stats import uniform as sp_uniform\n"
        "from sklearn.model_selection import RandomizedSearchCV\n"
        'config = {"lr": tune_uniform(1e-5, 1e-1)}\n'
        'search = RandomizedSearchCV(model, {"C": sp_uniform(0.01, 99.99)})\n'
    )
    fixed = fix_source(source, "case.py", ALL, unsafe=True).source
    assert fixed.count("import loguniform") <= 1, fixed
    tree = ast.parse(fixed)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and "loguniform" in ast.unparse(n.func)]
    assert len(calls) == 2, fixed
    assert {ast.unparse(c.func) for c in calls} == {"loguniform", "scipy.stats.loguniform"}, fixed
