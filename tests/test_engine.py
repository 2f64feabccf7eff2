"""Engine mechanics: prefilter, fix rounds, imports, positions."""

from __future__ import annotations

import libcst as cst
import pytest

from hplint import Config, fix_source, lint_source
from hplint.core.config import config_from_mapping
from hplint.core.diagnostics import Edit
from hplint.engine import lint as engine
from hplint.engine.fixing import apply_edits
from hplint.engine.lint import rules_for
from hplint.prefilter import select as prefilter
from hplint.prefilter.select import candidate_rules
from hplint.reading.imports import ImportTable

DEPRECATED = "def objective(trial):\n    return trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"


def test_file_without_candidates_is_not_parsed() -> None:
    # not even a syntax error is reported: no rule could match, nothing is parsed
    assert lint_source("x = (\n", "a.py") == []


def test_user_vocabulary_names_admit_every_rule() -> None:
    config = config_from_mapping({"select": ["HPL"], "batch-size-names": ["tokens_per_step"]})
    rules = rules_for(config)
    source = "for tokensPerStep in [1, 2]:\n    pass\n"
    assert candidate_rules(source, rules, config) == rules
    assert candidate_rules(source, rules, Config(select=("HPL",))) != rules


def test_identical_edits_merge_and_different_inserts_conflict() -> None:
    a = Edit(0, 0, "import math\n")
    assert not a.overlaps(Edit(0, 0, "import math\n"))
    assert a.overlaps(Edit(0, 0, "import random\n"))
    assert apply_edits("x\n", [a, Edit(0, 0, "import math\n")]) == "import math\nx\n"


def test_fix_adds_one_import_for_many_fixes_and_keeps_crlf() -> None:
    source = (
        '"""Doc."""\r\n'
        "from __future__ import annotations\r\n"
        "\r\n"
        "def objective(trial):\r\n"
        "    a = trial.suggest_loguniform('lr', 1e-5, 1e-1)\r\n"
        "    b = trial.suggest_loguniform('wd', 1e-6, 1e-2)\r\n"
    )
    result = fix_source(source, "a.py", config_from_mapping({"select": ["HPL206"]}))
    assert result.source.count("suggest_float") == 2
    assert "\n" not in result.source.replace("\r\n", "")
    cst.parse_module(result.source)
    assert fix_source(result.source, "a.py", config_from_mapping({"select": ["HPL206"]})).source == result.source


def test_multiline_replacement_keeps_indentation() -> None:
    source = (
        "class Search:\n"
        "    def objective(self, trial):\n"
        "        return trial.suggest_loguniform(\n"
        "            'lr',\n"
        "            1e-5,\n"
        "            1e-1,\n"
        "        )\n"
    )
    fixed = fix_source(source, "a.py", config_from_mapping({"select": ["HPL206"]})).source
    assert fixed == source.replace("suggest_loguniform", "suggest_float").replace(
        "            1e-1,\n", "            1e-1,\n            log=True,\n"
    )


def test_positions_are_one_based_lines_zero_based_columns() -> None:
    [diag] = lint_source(DEPRECATED, "a.py", config_from_mapping({"select": ["HPL206"]}))
    assert (diag.line, diag.col, diag.end_line) == (2, 11, 2)
    assert diag.stmt_lines == (2, 2)


def test_bom_is_tolerated_in_source_text() -> None:
    [diag] = lint_source("\ufeff" + DEPRECATED, "a.py", config_from_mapping({"select": ["HPL206"]}))
    assert diag.line == 2
    fixed = fix_source("\ufeff" + DEPRECATED, "a.py", config_from_mapping({"select": ["HPL206"]})).source
    assert fixed.startswith("\ufeffdef objective") and "suggest_float" in fixed


def test_import_table_resolves_aliases() -> None:
    module = cst.parse_module(
        "import numpy as np\nfrom numpy import linspace as lin\nfrom ray import tune\nimport math as m\n"
    )
    table = ImportTable.from_module(module)
    assert table.qualify(cst.parse_expression("np.random.uniform")) == "numpy.random.uniform"
    assert table.qualify(cst.parse_expression("lin")) == "numpy.linspace"
    assert table.qualify(cst.parse_expression("tune.uniform")) == "ray.tune.uniform"
    assert table.qualify(cst.parse_expression("foo.bar")) is None
    assert table.local_name("math.log10") == "m.log10"
    assert table.local_name("scipy.stats.loguniform") is None



@pytest.mark.parametrize("values", ["(-8) ** 0.5, 1, 2", "10 ** 300 * 10 ** 300, 1, 2"])
def test_constants_no_float_holds_are_not_numbers(values: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "PREFILTER", False)  # the rules themselves must not stumble
    source = f"lrs = [{values}]\nfor lr in lrs:\n    train(lr=lr)\n"
    assert engine.lint_source(source, "t.py", config_from_mapping({"select": ["HPL"]})) == []


def test_linting_leaves_no_cyclic_garbage() -> None:
    """A linted file's trees are freed at once: no ``ast`` or libcst node and no
    hplint object waits for the cycle collector, which walks everything it
    holds (a host such as flake8 pays that on every collection)."""
    import gc
    from pathlib import Path

    examples = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))
    assert examples
    gc.collect()
    flags, enabled = gc.get_debug(), gc.isenabled()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        found = 0
        for path in examples:
            found += len(lint_source(path.read_text(encoding="utf-8"), str(path)))
        gc.collect()
        left = sorted({type(o).__module__ + "." + type(o).__qualname__ for o in gc.garbage
                       if type(o).__module__.split(".")[0] in ("hplint", "ast", "libcst")})
    finally:
        gc.garbage.clear()
        gc.set_debug(flags)
        if enabled:
            gc.enable()
    assert found  # the examples reach every stage, libcst included
    assert left == []
