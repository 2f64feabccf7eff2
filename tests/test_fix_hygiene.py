"""Fixes a careful engineer would commit: imports where isort puts them, nothing
left unused, and random searches as reproducible as the grids they replace."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Dict

import pytest

from hplint import fix_source
from hplint.core.config import config_from_mapping
from hplint.engine.fixing import apply_edits
from hplint.engine.tidy import leftover_edits

FIXTURES = Path(__file__).parent / "fixtures"
RUFF_CODES = "F401,F841,I001,F821"


def _fix(source: str, select: str = "HPL", unsafe: bool = True) -> str:
    return fix_source(textwrap.dedent(source).lstrip(), "t.py", config_from_mapping({"select": [select]}), unsafe=unsafe).source


def _ruff(folder: Path) -> Dict[str, Counter]:
    """ruff's findings per file name, with its defaults (``--isolated``)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", RUFF_CODES, "--output-format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    found: Dict[str, Counter] = {}
    for item in json.loads(done.stdout or "[]"):
        found.setdefault(Path(item["filename"]).name, Counter())[item["code"]] += 1
    return found


def test_fixed_fixtures_trip_no_new_ruff_findings(tmp_path: Path) -> None:
    cases = []
    for case in sorted(FIXTURES.glob("*/fixes/*.py")):
        if case.name.endswith((".fixed.py", ".unsafe-fixed.py")):
            continue
        select = case.parent.parent.name
        source = case.read_text(encoding="utf-8")
        fixed = fix_source(source, str(case), config_from_mapping({"select": [select]}), unsafe=True).source
        name = f"{select}_{case.stem}"
        (tmp_path / f"{name}_before.py").write_text(source, encoding="utf-8")
        (tmp_path / f"{name}_after.py").write_text(fixed, encoding="utf-8")
        cases.append(name)
    assert len(cases) >= 20
    found = _ruff(tmp_path)
    new = {name: found.get(f"{name}_after.py", Counter()) - found.get(f"{name}_before.py", Counter()) for name in cases}
    assert not {name: dict(codes) for name, codes in new.items() if codes}


# -- where new imports go ------------------------------------------------------------------


def test_a_new_name_joins_the_existing_from_line_in_member_order() -> None:
    fixed = _fix(
        """
        from scipy.stats import randint, uniform
        from sklearn.model_selection import RandomizedSearchCV

        search = RandomizedSearchCV(model, {"C": uniform(0.01, 99.99), "n": randint(1, 5)})
        """,
        "HPL203",
    )
    assert fixed.startswith("from scipy.stats import loguniform, randint\nfrom sklearn.model_selection import RandomizedSearchCV\n")


def test_an_aliased_from_line_is_not_joined() -> None:
    fixed = _fix("from numpy import linspace as lin, ones\n\nlrs = lin(1e-5, 1e-1, 5)\nx = ones(3)\nfor lr in lrs:\n    train(lr)\n", "HPL201")
    assert fixed.startswith("from numpy import geomspace\nfrom numpy import ones\n"), fixed


def test_stdlib_imports_go_in_their_own_section_before_third_party() -> None:
    fixed = _fix(
        """
        import numpy as np

        for lr in np.linspace(1e-4, 1e-1, 5):
            for width in [64, 128, 256]:
                for depth in [2, 4, 8]:
                    fit(lr, width, depth, np.zeros(3))
        """,
        "HPL101",
    )
    assert fixed.startswith("import math\nimport random\n\nimport numpy as np\n\n"), fixed
    without = _fix("import numpy as np\n\nfor lr in np.linspace(1e-4, 1e-1, 5):\n    for width in [1, 2, 3]:\n        for depth in [1, 2, 3]:\n            fit(lr, width, depth)\n", "HPL101")
    assert without.startswith("import math\nimport random\n\nrng = random.Random(0)\n")  # numpy no longer read: gone


def test_a_file_without_imports_gets_a_block_and_the_blank_lines_ruff_wants() -> None:
    fixed = _fix('"""Sweep."""\n\n\ndef sweep():\n    lr = random_uniform(1e-5, 1e-1)\n', "HPL2")
    assert fixed == '"""Sweep."""\n\n\ndef sweep():\n    lr = random_uniform(1e-5, 1e-1)\n'  # nothing to fix
    source = '"""Sweep."""\nimport random\nlr = random.uniform(1e-5, 1e-2)\n'
    assert _fix(source, "HPL203").startswith('"""Sweep."""\nimport math\nimport random\n')
    bare = "from hyperopt import hp\n\n\ndef space():\n    return {'lr': hp.uniform('lr', 1e-5, 1e-1)}\n"
    assert _fix(bare, "HPL203").startswith("import math\n\nfrom hyperopt import hp\n\n\ndef space():")


def test_crlf_files_keep_their_line_ends() -> None:
    source = "import numpy as np\r\n\r\nfor lr in np.linspace(1e-4, 1e-1, 5):\r\n    for w in [64, 128, 256]:\r\n        for d in [2, 4, 8]:\r\n            fit(lr, w, d, np.e)\r\n"
    fixed = fix_source(source, "t.py", config_from_mapping({"select": ["HPL101"]}), unsafe=True).source
    assert fixed.startswith("import math\r\nimport random\r\n\r\nimport numpy as np\r\n")
    assert "\n" not in fixed.replace("\r\n", "")


# -- what fixes leave unused ---------------------------------------------------------------


def test_a_local_list_the_rewrite_no_longer_reads_is_removed() -> None:
    fixed = _fix(
        """
        import random


        def sweep(data):
            learning_rates = [1e-4, 1e-3, 1e-2, 1e-1]
            widths = [64, 128, 256, 512]
            for lr in learning_rates:
                for width in widths:
                    for depth in [2, 4]:
                        train(data, lr, width, depth)
        """,
        "HPL101",
    )
    assert "learning_rates" not in fixed and "width = rng.choice(widths)" in fixed and "widths = [64, 128, 256, 512]" in fixed


def test_a_module_variable_or_a_value_with_effects_stays() -> None:
    before = "import numpy as np\n\nlrs = [1e-4, 1e-3]\n\ndef f():\n    ws = load_widths()\n    return g(lrs, ws)\n"
    after = "import numpy as np\n\nlrs = [1e-4, 1e-3]\n\ndef f():\n    ws = load_widths()\n    return g()\n"
    assert leftover_edits(before, after) == []  # lrs is a module variable; load_widths() may do anything


def test_only_names_whose_last_use_went_are_removed() -> None:
    before = "from m import a, b\nimport os\n\ndef f():\n    xs = [1, 2]\n    ys = (3, 4)\n    return a(xs), b(ys), os.sep\n"
    after = "from m import a, b\nimport os\n\ndef f():\n    xs = [1, 2]\n    ys = (3, 4)\n    return a(xs), os.sep\n"
    assert apply_edits(after, leftover_edits(before, after)) == "from m import a\nimport os\n\ndef f():\n    xs = [1, 2]\n    return a(xs), os.sep\n"


@pytest.mark.parametrize("extra", ["__all__ = ['b']\n", "from m import *\n", "def g():\n    return locals()\n"])
def test_nothing_is_removed_where_names_are_reached_indirectly(extra: str) -> None:
    before = "from m import b\n" + extra + "x = b\n"
    after = "from m import b\n" + extra + "x = 1\n"
    assert leftover_edits(before, after) == []


def test_an_import_left_unused_by_the_rewrite_is_dropped_from_its_line() -> None:
    fixed = _fix(
        """
        from sklearn.model_selection import GridSearchCV, cross_val_score
        from sklearn.svm import SVC

        grid = {"C": [0.01, 0.1, 1, 10, 100], "gamma": [1e-4, 1e-3, 1e-2, 1e-1, 1], "kernel": ["rbf", "poly"]}
        search = GridSearchCV(SVC(), grid, cv=5)
        scores = cross_val_score(SVC(), x, y)
        """,
        "HPL102",
    )
    assert fixed.startswith("from sklearn.model_selection import RandomizedSearchCV, cross_val_score\nfrom sklearn.svm import SVC\n"), fixed


# -- reproducible rewrites -------------------------------------------------------------------


def test_random_search_rewrites_are_seeded() -> None:
    loop = _fix("for lr in [1e-4, 1e-3, 1e-2, 1e-1]:\n    for w in [64, 128, 256, 512]:\n        for d in [2, 4]:\n            train(lr, w, d)\n", "HPL101")
    assert "rng = random.Random(0)\nfor _ in range(11):\n" in loop
    taken = _fix("rng = 3\nfor lr in [1e-4, 1e-3, 1e-2, 1e-1]:\n    for w in [64, 128, 256, 512]:\n        for d in [2, 4]:\n            train(lr, w, d, rng)\n", "HPL101")
    assert "search_rng = random.Random(0)\n" in taken and "rng = 3\n" in taken
    search = _fix(
        "from sklearn.model_selection import GridSearchCV\n\nsearch = GridSearchCV(SVC(), {'C': [1, 10, 100, 1000], 'gamma': [1e-3, 1e-2, 1e-1, 1], 'kernel': ['rbf', 'poly']}, cv=3)\n",
        "HPL102",
    )
    assert "n_iter=11, random_state=0, cv=3)" in search


def test_a_notebook_whose_imports_span_cells_is_still_fixed() -> None:
    from hplint.frontends.notebooks import CodeCell, fix_cells

    cells = [
        CodeCell(0, "import numpy as np\n%matplotlib inline"),
        CodeCell(1, "from hyperopt import hp"),
        CodeCell(2, "space = {'lr': hp.uniform('lr', 1e-5, 1e-1), 'x': np.e}"),
    ]
    result = fix_cells(cells, "nb.ipynb", config_from_mapping({"select": ["HPL203"]}), unsafe=False)
    assert result.fixed, result.remaining
    joined = "\n".join(result.texts)
    assert "import math" in joined and "hp.loguniform('lr', math.log(1e-5), math.log(1e-1))" in joined
    assert "%matplotlib inline" in result.texts[0]
