"""File-level exemptions and ``--add-noqa``, as ruff documents them.

ruff's docs (docs.astral.sh/ruff/linter/, "Error suppression"):

- "To ignore all violations across an entire file, add the line `# ruff:
  noqa` anywhere in the file"; "To ignore a specific rule across an entire
  file, add the line `# ruff: noqa: {code}`"; "Global `noqa` comments must be
  on their own line"; "Ruff will also respect Flake8's `# flake8: noqa`
  directive, and will treat it as equivalent to `# ruff: noqa`"; the comment
  is "a case-sensitive match for `#ruff:` or `#flake8:`, with optional
  whitespace after `#` and before `:`, followed by optional whitespace and a
  case-insensitive match for `noqa`".  hplint reads these and its own
  ``# hplint: noqa``.
- "Ruff can automatically add suppression comments to all lines that contain
  violations, which is useful when migrating a new codebase to Ruff ...
  `ruff check /path/to/file.py --add-noqa`"; it prints "Added N noqa
  directives." and merges codes into an existing ``# noqa:`` list.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Optional, Set, Tuple

import pytest

from conftest import FIXTURES
from hplint import lint_source
from hplint.core.config import Config
from hplint.core.noqa import file_exemption
from hplint.frontends.addnoqa import add_noqa_to_text

DEPRECATED = 'import optuna\n\n\ndef objective(trial):\n    lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)\n    return lr\n'
LINEAR_LR = "import numpy as np\n\nfor lr in np.linspace(1e-4, 1e-2, 6):\n    train(lr)\n"
BOTH = DEPRECATED + "\n" + LINEAR_LR  # HPL206 on line 5, HPL201 on line 10


def run(args: List[str], cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hplint", "--no-cache", *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300
    )


def cli_codes(source: str, *flags: str) -> List[str]:
    return sorted(d.code for d in lint_source(source, "t.py", Config(disable_noqa="--disable-noqa" in flags)))


def flake8_codes(tmp_path: Path, source: str) -> List[Tuple[int, str]]:
    (tmp_path / "t.py").write_text(source)
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "HPL", "--format", "%(row)d %(code)s", "t.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    return sorted((int(row), code) for row, code in (line.split() for line in result.stdout.splitlines()))


# ---------------------------------------------------------------------------
# file-level exemptions


@pytest.mark.parametrize(
    "directive, left",
    [
        ("# hplint: noqa", []),
        ("# hplint: noqa: HPL206", ["HPL201"]),
        ("# hplint: noqa: HPL2", []),  # a prefix, as everywhere in hplint
        ("# ruff: noqa", []),
        ("# ruff: noqa: HPL201", ["HPL206"]),
        ("#ruff:noqa:HPL201,HPL206", []),
        ("# flake8: noqa", []),
        ("# flake8: noqa: HPL206", ["HPL201"]),  # ruff: the codes only (flake8 itself skips the file)
        ("# ruff: noqa: F401", ["HPL201", "HPL206"]),  # another tool's code
        ("# Ruff: noqa", ["HPL201", "HPL206"]),  # the tool's name is case-sensitive
        ("# ruff: noqa:", ["HPL201", "HPL206"]),  # no code after the colon: not a directive
        ("x = 1  # ruff: noqa", ["HPL201", "HPL206"]),  # not on its own line
        ('"""\n# hplint: noqa\n"""', ["HPL201", "HPL206"]),  # inside a string, not a comment
    ],
)
def test_file_level_exemptions(directive: str, left: List[str]) -> None:
    source = directive + "\n" + BOTH
    assert cli_codes(source) == left
    assert cli_codes(source, "--disable-noqa") == ["HPL201", "HPL206"]


def test_a_directive_anywhere_in_the_file(tmp_path: Path) -> None:
    source = BOTH + "\n    # hplint: noqa: HPL201\n"
    assert cli_codes(source) == ["HPL206"]
    assert file_exemption(source.splitlines()).codes == ("HPL201",)


def test_cli_and_flake8_plugin_agree_on_file_exemptions(tmp_path: Path) -> None:
    """flake8 skips a file with `# flake8: noqa`; the plugin drops what the
    hplint directives exempt, so `flake8 --select HPL` and `hplint` agree."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    assert flake8_codes(tmp_path, BOTH) == [(5, "HPL206"), (10, "HPL201")]
    for directive in ("# hplint: noqa", "# flake8: noqa", "# ruff: noqa"):
        assert flake8_codes(tmp_path, directive + "\n" + BOTH) == [], directive
        assert run(["t.py"], tmp_path).returncode == 0, directive
    assert flake8_codes(tmp_path, "# hplint: noqa: HPL206\n" + BOTH) == [(11, "HPL201")]
    assert "t.py:11:" in run(["t.py"], tmp_path).stdout


# ---------------------------------------------------------------------------
# --add-noqa


def test_add_noqa_merges_and_keeps_comments_and_strings() -> None:
    source = (
        "import optuna\n\n\n"
        "def objective(trial):\n"
        "    lr = trial.suggest_loguniform(\n"
        '        "lr", 1e-5, 1e-1)  # the learning rate\n'
        '    wd = trial.suggest_loguniform("wd", 1e-6, 1e-2)  # noqa: E501\n'
        '    x = trial.suggest_loguniform("x", 1e-6, \\\n'
        "        1e-2)\n"
        '    s = """# noqa: E1\n'
        '""" ; y = trial.suggest_loguniform("y", 1e-6, 1e-2)\n'
        "    return lr + wd + x + y\n"
    )
    found = lint_source(source, "t.py", Config())
    assert [d.line for d in found] == [5, 7, 8, 11]
    new, added, missed = add_noqa_to_text(source, found)
    assert added == 4 and missed == []
    lines = new.splitlines()
    assert lines[4] == "    lr = trial.suggest_loguniform(  # noqa: HPL206"  # the reported line, not the closing one
    assert lines[5] == '        "lr", 1e-5, 1e-1)  # the learning rate'
    assert lines[6].endswith("  # noqa: E501, HPL206")  # merged into the existing list
    assert lines[7].endswith("\\")  # a backslash continuation stays last
    assert lines[8] == "        1e-2)  # noqa: HPL206"
    assert lines[9] == '    s = """# noqa: E1'  # the string is untouched
    assert lines[10].endswith("1e-2)  # noqa: HPL206")
    assert lint_source(new, "t.py", Config()) == []
    assert add_noqa_to_text(new, lint_source(new, "t.py", Config())) == (new, 0, [])


def test_add_noqa_keeps_line_endings_and_a_missing_final_newline() -> None:
    source = DEPRECATED.replace("\n", "\r\n").rstrip("\r\n")
    source = source.replace("    return lr", "    return lr  ")
    new, added, _ = add_noqa_to_text(source, lint_source(source, "t.py", Config()))
    assert added == 1
    assert new.count("\r\n") == source.count("\r\n") and not new.endswith("\n")
    assert '1e-1)  # noqa: HPL206\r\n' in new


def _copy_fixtures(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    for source in sorted(FIXTURES.rglob("*.py")):
        target = corpus / source.relative_to(FIXTURES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return corpus


def _findings(corpus: Path) -> Set[Tuple[str, str]]:
    result = run(["--select", "HPL", "--output-format", "json-lines", "."], corpus)
    import json

    return {
        (record["path"], record["code"])
        for record in map(json.loads, result.stdout.splitlines())
        if record["code"] not in ("HPL001", "HPL002")
    }


def _snapshot(corpus: Path) -> dict:
    return {p: p.read_bytes() for p in sorted(corpus.rglob("*.py"))}


def test_add_noqa_over_every_fixture_then_nothing_is_found(tmp_path: Path) -> None:
    """ruff's --add-noqa adds what the current findings need; afterwards
    nothing is reported, flake8 reads the same directives, and a second
    --add-noqa changes nothing."""
    corpus = _copy_fixtures(tmp_path)
    before = _findings(corpus)
    assert before, "the fixtures should have findings"
    first = run(["--select", "HPL", "--add-noqa", "."], corpus)
    assert first.returncode in (0, 2), first.stderr  # 2: fixtures that do not parse
    assert "Added " in first.stderr and " noqa directives." in first.stderr
    assert "no line of the statement" not in first.stderr
    assert _findings(corpus) == set()
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "HPL", "--hpl-extend-select", "HPL", "."],
        cwd=corpus, capture_output=True, text=True, timeout=600,
    )
    assert flake8.stdout == "", flake8.stdout
    snapshot = _snapshot(corpus)
    second = run(["--select", "HPL", "--add-noqa", "."], corpus)
    assert "Added" not in second.stderr
    assert _snapshot(corpus) == snapshot


def test_add_noqa_refuses_stdin_and_warns_with_fix(tmp_path: Path) -> None:
    (tmp_path / "t.py").write_text(DEPRECATED)
    assert run(["--add-noqa", "-"], tmp_path, stdin=DEPRECATED).returncode == 2
    result = run(["--add-noqa", "--fix", "t.py"], tmp_path)
    assert result.returncode == 0
    assert "--fix is incompatible with --add-noqa" in result.stderr
    assert "Added 1 noqa directive." in result.stderr
    assert (tmp_path / "t.py").read_text() == DEPRECATED.replace("1e-1)\n", "1e-1)  # noqa: HPL206\n")


def test_add_noqa_in_notebooks_edits_only_the_cells_with_findings(tmp_path: Path) -> None:
    """Directives go into the finding's cell, never on an IPython line; the
    other cells and the notebook's JSON stay as they were; a second run
    changes nothing."""
    import json

    def code(source: str) -> dict:
        return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}

    magic = "%%time\nimport numpy as np\nfor lr in np.linspace(1e-4, 1e-2, 6):\n    train(lr)"
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Tuning"},
            code("!pip install optuna\n" + DEPRECATED),
            code("x = 1"),
            code(magic),
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    path = tmp_path / "tune.ipynb"
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    assert run(["tune.ipynb"], tmp_path).returncode == 1
    result = run(["--add-noqa", "tune.ipynb"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Added 2 noqa directives." in result.stderr
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0] == notebook["cells"][0] and cells[2] == notebook["cells"][2]
    assert cells[1]["source"] == "!pip install optuna\n" + DEPRECATED.replace("1e-1)\n", "1e-1)  # noqa: HPL206\n")
    assert cells[3]["source"] == magic.replace("6):", "6):  # noqa: HPL201")
    assert run(["tune.ipynb"], tmp_path).returncode == 0
    before = path.read_bytes()
    again = run(["--add-noqa", "tune.ipynb"], tmp_path)
    assert "Added" not in again.stderr and path.read_bytes() == before
