"""Prefilters are sound: skipping files by text never hides a finding.

Every fixture, every rule example, and mutants of them (opaque names, aliased
imports, comments stripped: the spellings a prefilter might rely on by
accident) are linted twice, with the prefilter and with it switched off; both
runs must report exactly the same findings.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from typing import Dict, Iterator, List, Set, Tuple

import pytest

from conftest import FIXTURES, admits, fixture_config
from hplint.core.config import Config
from hplint.core.registry import all_rules
from hplint.engine import lint as engine
from hplint.prefilter import select as prefilter_stage
from hplint.prefilter.triggers import Trigger

ALL = Config(select=("HPL",))


def _fixture_sources() -> Iterator[Tuple[str, str, Config]]:
    for path in sorted(FIXTURES.rglob("*.py")):
        if path.name.endswith((".fixed.py", ".unsafe-fixed.py")):
            continue
        source = path.read_text(encoding="utf-8")
        folder = path.relative_to(FIXTURES).parts[0]
        select = folder if folder.startswith("HPL") else "HPL"
        yield str(path.relative_to(FIXTURES)), source, fixture_config(source, select)


def _example_sources() -> Iterator[Tuple[str, str, Config]]:
    for rule in all_rules():
        for kind, examples in (("bad", rule.bad_examples), ("good", rule.good_examples)):
            for index, example in enumerate(examples):
                yield f"{rule.code}-{kind}-{index}", example.source, ALL


def _findings(source: str, config: Config, prefilter: bool, monkeypatch: pytest.MonkeyPatch) -> List[tuple]:
    monkeypatch.setattr(prefilter_stage, "PREFILTER", prefilter)
    found = engine.lint_source(source, "case.py", config)
    return [(d.code, d.line, d.col, d.end_line, d.end_col, d.message) for d in found]


def _assert_same(source: str, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    unfiltered = _findings(source, config, False, monkeypatch)
    assert _findings(source, config, True, monkeypatch) == unfiltered


# -- mutants ------------------------------------------------------------------


def _bound_names(tree: ast.AST) -> Set[str]:
    """Names the code itself chooses: variables, parameters, functions, classes."""
    names: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return {n for n in names if not keyword.iskeyword(n)}


def _alias_imports(source: str) -> str:
    """``import numpy as np`` -> ``import numpy as m0`` (uses renamed too)."""
    tree = ast.parse(source)
    aliases: Dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    aliases.setdefault(alias.asname or alias.name.split(".")[0], f"m{len(aliases)}")
    return _rename(source, aliases, import_aliases=True)


def _opaque_names(source: str) -> str:
    """Every name the code binds, renamed to ``v0``, ``v1``... (meaning changes; soundness must not)."""
    names = sorted(_bound_names(ast.parse(source)))
    return _rename(source, {name: f"v{i}" for i, name in enumerate(names)})


def _rename(source: str, mapping: Dict[str, str], import_aliases: bool = False) -> str:
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out = []
    state = ""  # "from": a module path follows; "import": imported names follow
    for index, tok in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        at_start = previous is None or previous.type in _LINE_STARTS or previous.string == ";"
        if tok.type == tokenize.NEWLINE or tok.string == ";":
            state = ""
        elif tok.type == tokenize.NAME and tok.string in ("from", "import") and (at_start or state == "from"):
            state = tok.string
        elif state == "from":
            pass  # the module a name is imported from keeps its name
        elif tok.type == tokenize.NAME and tok.string in mapping and (previous is None or previous.string != "."):
            if not (import_aliases and state == "import"):
                tok = tok._replace(string=mapping[tok.string])
            elif previous.string == "as":
                tok = tok._replace(string=mapping[tok.string])
            elif tokens[index + 1].string not in (".", "as"):
                tok = tok._replace(string=f"{tok.string} as {mapping[tok.string]}")
        out.append(tok)
    return tokenize.untokenize(out)


_LINE_STARTS = (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING)


def _strip_comments(source: str) -> str:
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type != tokenize.COMMENT]
    return tokenize.untokenize(tokens)


def _camel_case(source: str) -> str:
    """``learning_rate`` -> ``learningRate``, keywords and call names too (names are normalised,
    so a prefilter must not rely on the snake-case spelling); attributes and imports keep theirs."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out = []
    importing = False
    for index, tok in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        if tok.type == tokenize.NEWLINE:
            importing = False
        elif tok.type == tokenize.NAME and tok.string in ("from", "import"):
            importing = True
        elif tok.type == tokenize.NAME and not importing and (previous is None or previous.string != "."):
            head, *rest = tok.string.split("_")
            if head and rest and all(rest) and not keyword.iskeyword(tok.string):
                tok = tok._replace(string=head + "".join(part[:1].upper() + part[1:] for part in rest))
        out.append(tok)
    return tokenize.untokenize(out)


MUTATIONS = {"aliased-imports": _alias_imports, "opaque-names": _opaque_names, "no-comments": _strip_comments, "camel-case": _camel_case}



def _parenthesised_numbers(source: str) -> str:
    """``1e-4`` -> ``(1e-4)`` everywhere: a constant reads the same, its text does not."""
    tokens = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NUMBER:
            tokens += [(tokenize.OP, "("), (tok.type, tok.string), (tokenize.OP, ")")]
        else:
            tokens.append((tok.type, tok.string))
    return tokenize.untokenize(tokens)


def _comments_after_commas(source: str) -> str:
    """A comment holding numbers and commas after every comma inside brackets."""
    tokens = []
    depth = 0
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        tokens.append((tok.type, tok.string))
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif tok.type == tokenize.OP and tok.string == "," and depth > 0:
            tokens += [(tokenize.COMMENT, "# 0, 1e-9, (5"), (tokenize.NL, "\n")]
    return tokenize.untokenize(tokens)


def _lone_cr_newlines(source: str) -> str:
    """Old Mac line ends: Python and libcst accept a lone ``\r``; text scans must too."""
    return _comments_after_commas(source).replace("\n", "\r")


MUTATIONS.update(
    {"parenthesised-numbers": _parenthesised_numbers, "comments-after-commas": _comments_after_commas, "lone-cr": _lone_cr_newlines}
)

def _mutants() -> Iterator[Tuple[str, str, Config]]:
    for name, source, config in list(_fixture_sources()) + list(_example_sources()):
        for label, mutate in MUTATIONS.items():
            try:
                mutant = mutate(source)
                ast.parse(mutant)
            except (SyntaxError, tokenize.TokenError, ValueError):
                continue
            if mutant != source:
                yield f"{name}:{label}", mutant, config


# -- tests ----------------------------------------------------------------------


@pytest.mark.parametrize("name, source, config", [pytest.param(*c, id=c[0]) for c in _fixture_sources()])
def test_fixtures_same_with_and_without_prefilter(name: str, source: str, config: Config, monkeypatch) -> None:
    _assert_same(source, config, monkeypatch)


@pytest.mark.parametrize("name, source, config", [pytest.param(*c, id=c[0]) for c in _example_sources()])
def test_examples_same_with_and_without_prefilter(name: str, source: str, config: Config, monkeypatch) -> None:
    _assert_same(source, config, monkeypatch)


@pytest.mark.parametrize("name, source, config", [pytest.param(*c, id=c[0]) for c in _mutants()])
def test_generated_mutants_same_with_and_without_prefilter(name: str, source: str, config: Config, monkeypatch) -> None:
    _assert_same(source, config, monkeypatch)


def test_prefilter_switch_really_disables_skipping(monkeypatch) -> None:
    """Without this, the comparisons above would compare a run with itself."""
    rules = engine.rules_for(ALL)
    source = "x = 1\n"
    monkeypatch.setattr(prefilter_stage, "PREFILTER", True)
    filtered = prefilter_stage.candidate_rules(source, rules)
    monkeypatch.setattr(prefilter_stage, "PREFILTER", False)
    assert len(prefilter_stage.candidate_rules(source, rules)) == len(rules) > len(filtered)


def test_file_without_candidates_is_not_parsed(monkeypatch) -> None:
    """The fast path: no rule wants the file, so libcst never sees it."""
    source = "x = 1\n"
    assert prefilter_stage.candidate_rules(source, engine.rules_for(Config())) == []
    monkeypatch.setattr(engine.cst, "parse_module", lambda *a, **k: pytest.fail("parsed"))
    assert engine.lint_source(source, "plain.py", Config()) == []


class _StagedTrigger(Trigger):
    """A trigger that records which stages ran (never registered)."""

    def __init__(self) -> None:
        self.trees: List[ast.AST] = []

    def text(self, scan) -> bool:
        return "grid" in scan.text

    def tree(self, index) -> bool:
        self.trees.append(index.tree)
        return any(isinstance(n, ast.List) and len(n.elts) >= 3 for n in ast.walk(index.tree))


class _StagedRule:
    """Stands in for a rule with a trigger (never registered)."""

    code = "HPL999"
    options = ()
    trigger = _StagedTrigger()


def test_ast_stage_narrows_text_candidates(monkeypatch) -> None:
    monkeypatch.setattr(prefilter_stage, "PREFILTER", True)
    assert prefilter_stage.candidate_rules("grid = [1, 2, 3]\n", [_StagedRule]) == [_StagedRule]
    assert prefilter_stage.candidate_rules("grid = (1, 2)\n", [_StagedRule]) == []
    _StagedRule.trigger.trees.clear()
    assert prefilter_stage.candidate_rules("x = [1, 2, 3]\n", [_StagedRule]) == []
    assert _StagedRule.trigger.trees == []  # the text stage already said no: no ast parse


def test_ast_stage_reuses_a_given_tree_and_keeps_rules_on_syntax_errors(monkeypatch) -> None:
    monkeypatch.setattr(prefilter_stage, "PREFILTER", True)
    tree = ast.parse("grid = [1, 2, 3]\n")
    _StagedRule.trigger.trees.clear()
    prefilter_stage.candidate_rules("grid = [1, 2, 3]\n", [_StagedRule], tree=tree)
    assert _StagedRule.trigger.trees == [tree]
    assert prefilter_stage.candidate_rules("grid = (1, 2\n", [_StagedRule]) == [_StagedRule]
    monkeypatch.setattr(prefilter_stage, "PREFILTER", False)
    assert prefilter_stage.candidate_rules("grid = (1, 2)\n", [_StagedRule]) == [_StagedRule]


# -- HPL203: every way a drawn value reaches the name it is tried for ---------

_HPL203_FLOWS = {
    "loop-into-estimator": "import numpy as np\nfrom sklearn.svm import SVC\nrng = np.random.default_rng(0)\ncs = rng.uniform(0.01, 100, size=5)\nfor c in cs:\n    SVC(C=c).fit(X, y)\n",
    "assigned": "import random\nlr = random.uniform(1e-5, 1e-1)\n",
    "dict-key": "from ray import tune\nconfig = {'lr': tune.uniform(1e-5, 1e-1)}\n",
    "label": "from hyperopt import hp\nspace = [hp.uniform('lr', 1e-5, 1e-1)]\n",
    "subscript-through-tolist": "import numpy as np\nparam_grid = {}\nparam_grid['learning_rate'] = np.random.uniform(1e-4, 1e-1, 5).tolist()\n",
    "variable-into-estimator": "import numpy as np\nfrom sklearn.linear_model import Ridge\nx = np.random.uniform(1e-4, 1e-1)\nmodel = Ridge(alpha=x)\n",
    "dict-call": "from scipy.stats import uniform\nfrom sklearn.model_selection import RandomizedSearchCV\nparam_dist = dict(alpha=uniform(0.01, 99.99))\nRandomizedSearchCV(est, param_dist)\n",
    "keras-name-keyword": "def build(hp):\n    return hp.Float(name='learning_rate', min_value=1e-5, max_value=1e-1)\n",
    "list-then-loop": "import numpy as np\nrates = list(np.random.uniform(1e-5, 1e-1, 8))\nfor r in rates:\n    torch.optim.Adam(params, lr=r)\n",
    "attribute-target": "import random\nclass Trainer:\n    def setup(self):\n        self.lr = random.uniform(1e-5, 1e-1)\n",
    "subscript-loop-target": "import random\ncfg = {}\nfor cfg['lr'] in random.uniform(1e-5, 1e-1, size=5):\n    pass\n",
    "values-keyword-labels-any-call": "from ray import tune\nspace.add('lr', values=tune.uniform(1e-5, 1e-1))\n",
    "one-element-tuple-key": "import random\ngrid = {}\ngrid['lr',] = random.uniform(1e-5, 1e-1)\n",
    "aliased-math-bound": "from math import exp as e\nfrom ray import tune\nconfig = {'lr': tune.uniform(e(-11), e(-2))}\n",
    "parenthesised-callee": "from ray import tune\nconfig = {'lr': (tune.uniform)(1e-5, 1e-1)}\n",
    "wandb-triple-quoted-key": 'sweep_config = {"parameters": {"lr": {"""min""": 0.0001, """max""": 0.1}}}\n',
    "wandb-continuation-before-colon": 'sweep_config = {"parameters": {"lr": {"min" \\\n: 0.0001, "max": 0.1}}}\n',
}


@pytest.mark.parametrize("source", list(_HPL203_FLOWS.values()), ids=list(_HPL203_FLOWS))
def test_hpl203_prefilter_keeps_every_way_a_draw_reaches_a_log_scale_name(source: str, monkeypatch) -> None:
    unfiltered = _findings(source, ALL, False, monkeypatch)
    assert [f[0] for f in unfiltered] == ["HPL203"]
    assert _findings(source, ALL, True, monkeypatch) == unfiltered


def test_hpl203_ast_stage_drops_draws_tried_for_no_log_scale_name(monkeypatch) -> None:
    monkeypatch.setattr(prefilter_stage, "PREFILTER", True)
    rule = [r for r in engine.rules_for(ALL) if r.code == "HPL203"]
    weights = (
        "import numpy as np\n"
        "rng = np.random.RandomState(0)\n"
        "tol = 1e-6\n"  # a log-scale name elsewhere in the file is not enough
        "sample_weight = rng.uniform(low=0.01, high=2, size=10)\n"
        "reg.fit(X, y, sample_weight=sample_weight)\n"
    )
    assert admits("HPL203", weights, "text")  # the bounds read as a draw over a decade
    assert prefilter_stage.candidate_rules(weights, rule) == []
    assert prefilter_stage.candidate_rules(weights.replace("sample_weight=sample_weight", "alpha=sample_weight"), rule) == rule
