"""``engine.incremental``: linting only what an edit reaches gives the whole lint's findings.

The server lints a document again after every edit, and for speed lints only
the top-level statements linked by names to those the edit changed or
removed, keeping the other findings of the last version.  That is only right
if no rule links statements in another way; so every fixture and example is
edited here in several ways (a statement removed, a number changed, a
definition renamed, a statement of another fixture added, two statements
swapped) and each version, linted after the last with one document's
``Reparser``, must give exactly the findings (messages, positions, fixes) of a
lint of its text alone.  Then the original text again.

    HPLINT_INCREMENTAL_EDITS=all pytest tests/test_incremental.py   # every statement of every file
"""

from __future__ import annotations

import ast
import os
import random
import re
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings

from hplint.engine.lint import lint_source
from hplint.engine.reparse import Reparser
from test_reparse import layouts

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "fixtures").rglob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))
EDITS = os.environ.get("HPLINT_INCREMENTAL_EDITS", "3")


def _blocks(source: str) -> List[Tuple[int, int]]:
    """(first, last) line (0-based, end exclusive) of each top-level statement."""
    tree = ast.parse(source)
    out = []
    for stmt in tree.body:
        first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", ())]) - 1
        out.append((first, stmt.end_lineno or first + 1))
    return out


def _edits(source: str, rng: random.Random, donor: str) -> Iterator[Tuple[str, str]]:
    """(what, edited text) for statements of ``source``."""
    lines = source.splitlines(keepends=True)
    blocks = _blocks(source)
    indices = list(range(len(blocks)))
    if EDITS != "all":
        indices = rng.sample(indices, min(int(EDITS), len(indices)))
    donor_blocks = _blocks(donor)
    for i in indices:
        first, last = blocks[i]
        body = "".join(lines[first:last])
        before, after = "".join(lines[:first]), "".join(lines[last:])
        yield "remove", before + after
        number = re.search(r"(?<![\w.])\d+(?![\w.])", body)
        if number is not None:
            changed = body[: number.start()] + str(int(number.group()) + 1) + body[number.end() :]
            yield "number", before + changed + after
        name = re.match(r"(?:async\s+)?(?:def|class)\s+(\w+)", body)
        if name is not None:
            yield "rename", before + body.replace(name.group(1), name.group(1) + "_renamed", 1) + after
        if donor_blocks:
            d_first, d_last = rng.choice(donor_blocks)
            yield "insert", before + "".join(donor.splitlines(keepends=True)[d_first:d_last]) + "\n" + body + after
        if i + 1 < len(blocks):
            n_first, n_last = blocks[i + 1]
            if n_first >= last:
                middle = "".join(lines[last:n_first])
                other = "".join(lines[n_first:n_last])
                yield "swap", before + other + middle + body + "".join(lines[n_last:])


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def _same_as_whole(versions: List[str], path: str) -> None:
    """Lint the versions in turn with one reparser; each must equal a whole lint."""
    reparser = Reparser()
    for text in versions:
        found = lint_source(text, path, reparser=reparser)
        assert found == lint_source(text, path), text


def _cuttable(path: Path) -> bool:
    """A file the incremental lint may take in parts (one that does not parse is linted whole)."""
    source = path.read_text(encoding="utf-8")
    return _parses(source) and "\r" not in source


@pytest.mark.parametrize("path", [p for p in SOURCES if _cuttable(p)], ids=lambda p: str(p.relative_to(ROOT)))
def test_edited_fixture_lints_as_whole(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    rng = random.Random(str(path.relative_to(ROOT)))
    donor = SOURCES[rng.randrange(len(SOURCES))].read_text(encoding="utf-8")
    if not _parses(donor):
        donor = ""
    name = str(path.relative_to(ROOT))
    for _, edited in _edits(source, rng, donor):
        if _parses(edited):
            _same_as_whole([source, edited, source], name)


def test_an_edit_of_one_function_lints_only_its_group() -> None:
    """The speed this exists for: in a file of independent objectives an edit
    lints one objective, and the findings of the others are kept."""
    parts = ["import numpy as np\nimport optuna\n\n\n"]
    for i in range(30):
        parts.append(f"def objective_{i}(trial):\n    lr = trial.suggest_float('lr', 1e-5, 1e-1)\n    return lr\n\n\n")
    parts.append("learning_rates = np.linspace(1e-5, 1e-1, 5)\n\n\ndef search():\n    for lr in learning_rates:\n        train(lr=lr)\n")
    source = "".join(parts)
    reparser = Reparser()
    whole = lint_source(source, "many.py", reparser=reparser)
    assert not reparser.incremental.partial and len(whole) == 31
    edited = source.replace("objective_3(trial):\n    lr = trial.suggest_float('lr', 1e-5, 1e-1)", "objective_3(trial):\n    lr = trial.suggest_float('lr', 1e-5, 1e-2)")
    found = lint_source(edited, "many.py", reparser=reparser)
    assert reparser.incremental.partial
    assert found == lint_source(edited, "many.py")
    # the grid constant and the search that reads it are one group: an edit of either lints both
    edited = edited.replace("np.linspace(1e-5, 1e-1, 5)", "np.linspace(1e-5, 1e-1, 6)")
    found = lint_source(edited, "many.py", reparser=reparser)
    assert reparser.incremental.partial
    assert found == lint_source(edited, "many.py")
    assert any(d.code == "HPL201" for d in found)
    # an import changes what every statement reads (and where a fix adds one): the whole file is linted
    found = lint_source(edited.replace("import numpy as np", "import numpy as npy"), "many.py", reparser=reparser)
    assert not reparser.incremental.partial


def test_a_fix_never_binds_a_name_a_statement_left_out_binds() -> None:
    """The names a left-out statement binds still count (``Outside``): where another
    function of the file is called ``loguniform``, the fix writes ``scipy.stats.loguniform``."""
    head = "from scipy.stats import uniform\nfrom sklearn.linear_model import SGDClassifier\nfrom sklearn.model_selection import RandomizedSearchCV\n\n\n"
    search = 'def search(X, y):\n    space = {"alpha": uniform(0.0001, 1.0)}\n    return RandomizedSearchCV(SGDClassifier(), space).fit(X, y)\n\n\n'
    others = "".join(f"def helper_{i}(x):\n    return x + {i}\n\n\n" for i in range(20))
    source = head + search + others + "def loguniform(low, high):\n    return (low, high)\n"
    reparser = Reparser()
    lint_source(source, "names.py", reparser=reparser)
    edited = source.replace("uniform(0.0001, 1.0)", "uniform(0.0001, 10.0)")
    found = lint_source(edited, "names.py", reparser=reparser)
    assert reparser.incremental.partial
    assert found == lint_source(edited, "names.py")
    (fix,) = [d.fix for d in found if d.code == "HPL203"]
    assert "scipy.stats.loguniform" in " ".join(e.text for e in fix.edits)


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(layouts())
def test_generated_files_edited_lint_as_whole(source: str) -> None:
    if not _parses(source) or "\r" in source or "\f" in source:
        return
    rng = random.Random(source)
    for _, edited in _edits(source, rng, source):
        if _parses(edited):
            _same_as_whole([source, edited, source], "generated.py")
