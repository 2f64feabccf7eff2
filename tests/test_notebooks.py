"""Jupyter notebooks: cells linted as one module, magics masked, fixes in place."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import pytest

from hplint.core.config import Config
from hplint.core.diagnostics import Diagnostic, Edit, Fix, Safety
from hplint.frontends.files import decode_source
from hplint.frontends.notebooks import CodeCell, Joined, check_notebook, map_diagnostic, mask_cell, source_spans
from hplint.frontends.runner import Mode

DEPRECATED = 'def objective(trial):\n    lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)\n    return lr\n'
FIXED_LINE = 'lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)'
GRID_LISTS = "lrs = [1e-4, 3e-4, 1e-3, 3e-3]\nwds = [0.0, 1e-5, 1e-4, 1e-3]\nbatch_sizes = [32, 64, 128, 256]\n"
GRID_LOOP = (
    "for lr in lrs:\n"
    "    for wd in wds:\n"
    "        for bs in batch_sizes:\n"
    "            train(lr=lr, weight_decay=wd, batch_size=bs)\n"
)


def code(source, count: Optional[int] = 1, outputs: Optional[list] = None) -> dict:
    """A code cell; ``source`` a string (split into lines as Jupyter saves it) or a list."""
    lines = source if isinstance(source, list) else source.splitlines(keepends=True)
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {"tags": ["tuning"]},
        "outputs": outputs if outputs is not None else [],
        "source": lines,
    }


def markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)}


def notebook(*cells: dict, language: str = "python") -> dict:
    return {
        "cells": list(cells),
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": language, "name": "python3"},
            "language_info": {"name": language, "version": "3.11.4"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_nb(path: Path, nb: dict, indent=1, ensure_ascii: bool = False, newline: bool = True, separators=None) -> str:
    text = json.dumps(nb, indent=indent, ensure_ascii=ensure_ascii, separators=separators) + ("\n" if newline else "")
    path.write_bytes(text.encode("utf-8"))
    return text


def run(args: List[str], cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hplint", "--isolated", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120,
    )


def outcome_for(tmp_path: Path, nb: dict, mode: Optional[Mode] = None, config: Optional[Config] = None):
    path = tmp_path / "nb.ipynb"
    text = write_nb(path, nb)
    return check_notebook(decode_source(text.encode(), str(path)), config or Config(), mode or Mode(), write=False)


# ---------------------------------------------------------------------------
# one module in execution order


def test_lists_from_an_earlier_cell_are_seen_in_a_later_loop(tmp_path: Path) -> None:
    together = notebook(markdown("# Grid\n"), code(GRID_LISTS), markdown("notes"), code("import os\n"), code(GRID_LOOP))
    alone = notebook(markdown("# Grid\n"), code("x = 1\n"), markdown("notes"), code("import os\n"), code(GRID_LOOP))
    seen = outcome_for(tmp_path, together, config=Config(select=("HPL101",))).diagnostics
    unseen = outcome_for(tmp_path, alone, config=Config(select=("HPL101",))).diagnostics
    assert [(d.code, d.cell, d.line, d.col) for d in seen] == [("HPL101", 5, 1, 0)]
    assert "4×4×4 = 64" in seen[0].message  # the value counts come from cell 2
    assert [d.cell for d in unseen] == [5] and "64" not in unseen[0].message


def test_text_and_json_output_name_the_cell(tmp_path: Path) -> None:
    write_nb(tmp_path / "tune.ipynb", notebook(markdown("# Tuning\n"), code("import optuna\n"), code(DEPRECATED)))
    result = run(["tune.ipynb"], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("tune.ipynb:cell_3:2:10: HPL206 ")
    data = json.loads(run(["--output-format", "json", "tune.ipynb"], tmp_path).stdout)
    assert [(d["path"], d["cell"], d["line"], d["col"], d["end_line"]) for d in data] == [("tune.ipynb", 3, 2, 10, 2)]


def test_lines_a_message_cites_are_the_notebooks_cell_lines(tmp_path: Path) -> None:
    objective = (
        "def objective(trial):\n"
        "    model = fit(trial.suggest_float('lr', 1e-5, 1e-1, log=True), X_train, y_train)\n"
        "    return accuracy_score(y_test, model.predict(X_test))\n"
    )
    nb = notebook(
        markdown("# Tuning\n"),
        code("import optuna\nfrom sklearn.metrics import accuracy_score\nX_train, X_test, y_train, y_test = split(X, y)\n"),
        code(objective),
        code("\n\nstudy = optuna.create_study(direction='maximize')\nstudy.optimize(objective, n_trials=50)\n"),
    )
    [diag] = outcome_for(tmp_path, nb, config=Config(select=("HPL702",))).diagnostics
    assert (diag.cell, diag.line) == (3, 3)
    assert "`study.optimize()` at cell 4, line 4" in diag.message
    assert "line 1" not in diag.message.replace("cell 4, line 4", "")


def test_notebooks_are_found_in_folders(tmp_path: Path) -> None:
    (tmp_path / "nbs").mkdir()
    write_nb(tmp_path / "nbs" / "a.ipynb", notebook(code(DEPRECATED)))
    (tmp_path / "nbs" / ".ipynb_checkpoints").mkdir()
    write_nb(tmp_path / "nbs" / ".ipynb_checkpoints" / "a-checkpoint.ipynb", notebook(code(DEPRECATED)))
    lines = [line for line in run(["."], tmp_path).stdout.splitlines() if "HPL206" in line]
    assert [line.split(":")[0] for line in lines] == [os.path.join(".", "nbs", "a.ipynb")]


def test_noqa_in_a_cell_applies(tmp_path: Path) -> None:
    quiet = DEPRECATED.replace("1e-1)\n", "1e-1)  # noqa: HPL206\n")
    assert outcome_for(tmp_path, notebook(code(quiet))).diagnostics == []


def rule_examples():
    from hplint.core.registry import all_rules

    for rule in all_rules():
        for number, example in enumerate(rule.bad_examples + rule.good_examples):
            yield pytest.param(rule.code, example.source, id=f"{rule.code}-{number}")


@pytest.mark.parametrize("code_, source", list(rule_examples()))
def test_every_rule_example_reads_and_fixes_the_same_in_a_notebook(tmp_path: Path, code_: str, source: str) -> None:
    from hplint.engine.lint import fix_source, lint_source

    config = Config(select=(code_,))
    nb = notebook(code("%load_ext autoreload\n"), markdown("## Search"), code(source))
    outcome = outcome_for(tmp_path, nb, config=config)
    as_module = lint_source(source, "x.py", config)
    assert [(d.code, d.line, d.col, d.end_line, d.end_col) for d in outcome.diagnostics] == [
        (d.code, d.line, d.col, d.end_line, d.end_col) for d in as_module
    ]
    assert all(d.cell == 3 for d in outcome.diagnostics)
    fixed = outcome_for(tmp_path, nb, Mode(fix=True, unsafe=True), config)
    expected = fix_source(source, "x.py", config, unsafe=True)
    assert len(fixed.fixed) == len(expected.fixed)
    new = json.loads((tmp_path / "nb.ipynb").read_text())  # write=False: unchanged on disk
    assert new == nb
    from hplint.frontends.notebooks import fix_cells, parse_notebook

    result = fix_cells(parse_notebook(decode_source(json.dumps(nb).encode(), "nb.ipynb")).cells, "nb.ipynb", config, True)
    assert result.texts == ["%load_ext autoreload\n", expected.source]


# ---------------------------------------------------------------------------
# IPython syntax


MAGICS = [
    "%matplotlib inline\n",
    "!pip install optuna\n",
    "files = !ls -la\n",
    "timing = %timeit -o sum(range(10))\n",
    "?optuna.create_study\n",
    "optuna.create_study?\n",
    "optuna.create_study??\n",
    "for i in range(2):\n",
    "    %time print(i)\n",
    "!echo a \\\n",
    "  b c\n",
    "pip install -q optuna\n",
]


def test_magics_are_masked_and_findings_after_them_keep_their_lines(tmp_path: Path) -> None:
    cell = "".join(MAGICS) + DEPRECATED
    capture = "%%capture\nlr = trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"
    shell = "%%bash\nlr = trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"
    result = outcome_for(tmp_path, notebook(code(cell), code(capture), code(shell)))
    assert [(d.code, d.cell, d.line) for d in result.diagnostics] == [("HPL206", 1, len(MAGICS) + 2), ("HPL206", 2, 2)]


def test_mask_keeps_lines_and_only_touches_ipython_lines() -> None:
    source = "".join(MAGICS) + "x = (a\n% b)\ns = '''\n!not a shell escape\n'''\ny = a != b\n"
    masked = mask_cell(source)
    assert len(masked.text.splitlines()) == len(source.splitlines())
    kept = [line for n, line in enumerate(source.splitlines(), 1) if n not in masked.lines]
    assert kept == [line for n, line in enumerate(masked.text.splitlines(), 1) if n not in masked.lines]
    assert sorted(masked.lines) == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    compile(masked.text, "<masked>", "exec")  # the placeholders are Python


def test_line_starts_follow_python_lexing_of_comments_and_strings() -> None:
    """A backslash ends a comment, not a logical line; one inside a string
    continues the string: the magic after the first is at a line start, the
    text after the second is not."""
    masked = mask_cell("x = 1  # a comment ending in \\\n%matplotlib inline\ny = 2\n")
    assert masked.lines == frozenset({2})
    compile(masked.text, "<masked>", "exec")
    inside = mask_cell("s = 'a string \\\n%not a magic'\n")
    assert inside.lines == frozenset()


def test_python_cell_magic_masks_its_line_and_other_cell_magics_the_whole_cell() -> None:
    masked = mask_cell("%%time\nfor i in range(3):\n    pass")
    assert masked.lines == frozenset({1}) and masked.header == 1
    assert masked.text == "\nfor i in range(3):\n    pass"
    stacked = mask_cell("\n%%capture out --no-stderr\n%%timeit -n 3 -r 1 setup()\n%matplotlib inline\nx = 1\n")
    assert stacked.lines == frozenset({1, 2, 3, 4}) and stacked.header == 3 and stacked.text == "\n\n\n\nx = 1\n"
    for magic in ("%%bash", "%%sql", "%%html", "%%writefile train.py", "%%javascript", "%%R", "%%python3", "%%time?", "%%capture\n%%bash"):
        masked = mask_cell(magic + "\nfor lr in np.linspace(1e-5, 1e-1, 10):\n    train(lr)\n")
        assert masked.lines == frozenset(range(1, magic.count("\n") + 4)), magic
        assert masked.text.strip() == "", magic


def test_fix_touching_a_masked_line_or_two_cells_is_dropped() -> None:
    joined = Joined.build([CodeCell(0, "a = 1\n%time b = 2\n"), CodeCell(2, "c = 3")])
    magic = joined.line_starts[1]  # offsets are into the joined, masked text
    end_of_first, second = joined.cell_end(0), joined.starts[1]
    assert joined.cell_of_edit(Edit(0, 1, "x")) == 0
    assert joined.cell_of_edit(Edit(magic, magic + 2, "x")) is None  # inside the magic line
    assert joined.cell_of_edit(Edit(4, second + 1, "x")) is None  # spans two cells
    assert joined.cell_of_edit(Edit(magic, magic, "x\n")) == 0  # an insertion before a line touches none
    assert joined.cell_of_edit(Edit(end_of_first, end_of_first, "z\n")) == 0  # appended to the first cell
    assert joined.cell_of_edit(Edit(second, second, "y\n")) == 1
    fix = Fix(Safety.SAFE, (Edit(magic, magic + 2, "x"),))
    diag = Diagnostic("HPL206", "m", 2, 0, 2, 3, fix=fix, path="n.ipynb", stmt_lines=(2, 2))
    mapped = map_diagnostic(diag, joined)
    assert mapped.fix is None and (mapped.cell, mapped.line) == (1, 2)
    texts = joined.apply([Edit(second, second, "import math\n"), Edit(end_of_first, end_of_first, "z = 0\n"), Edit(0, 1, "x")])
    assert texts == ["x = 1\n%time b = 2\nz = 0\n", "import math\nc = 3"]


# ---------------------------------------------------------------------------
# --fix writes only the changed cells


LAYOUTS = [
    pytest.param(dict(indent=1, ensure_ascii=False, newline=True), id="nbformat-1-space"),
    pytest.param(dict(indent=2, ensure_ascii=True, newline=False), id="2-spaces-ascii-no-final-newline"),
    pytest.param(dict(indent="\t", ensure_ascii=False, newline=True), id="tabs"),
    pytest.param(dict(indent=None, ensure_ascii=False, newline=False), id="one-line"),
    pytest.param(dict(indent=None, ensure_ascii=False, newline=False, separators=(",", ":")), id="compact"),
]


def rich_notebook(source_as_string: bool = False) -> dict:
    output = {"name": "stdout", "output_type": "stream", "text": ["best lr: 3e-4 – µ\n"]}
    image = {"data": {"image/png": "iVBORw0KGgo=", "text/plain": ["<Figure>"]}, "metadata": {}, "output_type": "display_data"}
    bad = code(DEPRECATED if not source_as_string else [], count=7, outputs=[output, image])
    if source_as_string:
        bad["source"] = DEPRECATED.rstrip("\n")
    return notebook(
        markdown("# Tuning ✓\nLearning rate first.\n"),
        code("%pip install optuna\nimport optuna\n", count=None),
        bad,
        code("study = optuna.create_study()  # café\n", count=9, outputs=[output]),
    )


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("as_string", [False, True], ids=["source-lines", "source-string"])
def test_fix_rewrites_only_the_changed_source(tmp_path: Path, layout: dict, as_string: bool) -> None:
    nb = rich_notebook(as_string)
    path = tmp_path / "tune.ipynb"
    before = write_nb(path, nb, **layout)
    result = run(["--fix", "tune.ipynb"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    after = path.read_text(encoding="utf-8")
    expected = json.loads(before)
    new_source = DEPRECATED.replace('lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)', FIXED_LINE)
    expected["cells"][2]["source"] = new_source.rstrip("\n") if as_string else new_source.splitlines(keepends=True)
    assert json.loads(after) == expected
    # the same bytes json.dumps gives for the file's own layout: nothing else moved
    dumped = json.dumps(expected, indent=layout["indent"], ensure_ascii=layout["ensure_ascii"], separators=layout.get("separators"))
    assert after == dumped + ("\n" if layout["newline"] else "")
    start, end = source_spans(before)[2]
    assert after[:start] == before[:start]
    assert after.endswith(before[end:])
    assert run(["--fix", "tune.ipynb"], tmp_path).returncode == 0 and path.read_text(encoding="utf-8") == after


def test_fix_keeps_a_hand_edited_layout_outside_the_source(tmp_path: Path) -> None:
    text = (
        '{ "nbformat": 4, "nbformat_minor": 2,\n'
        '  "metadata": {"z": 1, "a": [1,2]},\n'
        '  "cells": [ {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,\n'
        '              "source": ["def objective(trial):\\n", "    return trial.suggest_loguniform(\\"lr\\", 1e-5, 1e-1)"]} ]\n'
        '}'
    )
    path = tmp_path / "odd.ipynb"
    path.write_text(text, encoding="utf-8")
    assert run(["--fix", "odd.ipynb"], tmp_path).returncode == 0
    after = path.read_text(encoding="utf-8")
    start, end = source_spans(text)[0]
    assert after[:start] == text[:start] and after.endswith(text[end:])
    assert after[start:].startswith('["def objective(trial):\\n", "    return trial.suggest_float(\\"lr\\", 1e-5, 1e-1, log=True)"]')


def test_diff_shows_the_changed_cell_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tune.ipynb"
    before = write_nb(path, rich_notebook())
    result = run(["--diff", "tune.ipynb"], tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("--- tune.ipynb:cell_3\n+++ tune.ipynb:cell_3\n")
    assert f"+    {FIXED_LINE}\n" in result.stdout
    assert path.read_text(encoding="utf-8") == before


def test_fix_from_stdin_prints_the_rewritten_json(tmp_path: Path) -> None:
    text = json.dumps(rich_notebook(), indent=1, ensure_ascii=False) + "\n"
    result = run(["--fix", "-", "--stdin-filename", "nb.ipynb"], tmp_path, stdin=text)
    fixed = result.stdout
    assert json.loads(fixed)["cells"][2]["source"][1] == f"    {FIXED_LINE}\n"
    old_line = 'lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)'
    assert fixed.replace(json.dumps(FIXED_LINE)[1:-1], json.dumps(old_line)[1:-1]) == text
    broken = run(["--fix", "-", "--stdin-filename", "bad.ipynb"], tmp_path, stdin='{"cells": [')
    assert broken.stdout == '{"cells": [' and broken.returncode == 2


def test_unsafe_fix_is_not_applied_without_the_flag(tmp_path: Path) -> None:
    nb = notebook(code(GRID_LISTS), code(GRID_LOOP))
    outcome = outcome_for(tmp_path, nb, Mode(fix=True), Config(select=("HPL101",)))
    assert outcome.fixed == [] and [d.code for d in outcome.diagnostics] == ["HPL101"]


# ---------------------------------------------------------------------------
# files that are not notebooks


LR_GRID = "learning_rates = np.linspace(1e-5, 1e-1, 10)\nfor lr in learning_rates:\n    train(lr)"


def test_time_cell_is_linted_at_its_own_lines_and_fixed_without_touching_the_magic(tmp_path: Path) -> None:
    nb = notebook(code("import numpy as np\n"), markdown("## Sweep"), code("%%time\n" + LR_GRID, outputs=[{"output_type": "stream", "name": "stdout", "text": ["CPU times: 1 s\n"]}]))
    found = outcome_for(tmp_path, nb).diagnostics
    assert [(d.code, d.cell, d.line, d.col) for d in found] == [("HPL201", 3, 2, 17)]
    path = tmp_path / "nb.ipynb"
    before = path.read_text()
    result = run(["--fix", "nb.ipynb"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    after = path.read_text()
    assert after == before.replace('"learning_rates = np.linspace(1e-5', '"learning_rates = np.geomspace(1e-5')
    assert after != before and '"%%time\\n",' in after


def test_timeit_with_options_and_stacked_magics_are_read(tmp_path: Path) -> None:
    cells = [
        code("import numpy as np\n"),
        code("%%timeit -n 3 -r 1\n" + LR_GRID),
        code("%%capture captured\n%%time\n" + LR_GRID.replace("learning_rates", "lrs")),
        code("%%prun -s cumulative\n" + DEPRECATED),
    ]
    found = outcome_for(tmp_path, notebook(*cells)).diagnostics
    assert [(d.code, d.cell, d.line) for d in found] == [("HPL201", 2, 2), ("HPL201", 3, 3), ("HPL206", 4, 3)]
    fixed = outcome_for(tmp_path, notebook(*cells), Mode(fix=True))
    sources = ["".join(cell["source"]) for cell in json.loads(fixed.fixed_text)["cells"]]
    assert sources[1].startswith("%%timeit -n 3 -r 1\nlearning_rates = np.geomspace(")
    assert sources[2].startswith("%%capture captured\n%%time\nlrs = np.geomspace(")
    assert sources[3] == "%%prun -s cumulative\n" + DEPRECATED.replace('trial.suggest_loguniform("lr", 1e-5, 1e-1)', FIXED_LINE.split(" = ")[1])


@pytest.mark.parametrize("magic", ["%%bash", "%%sh", "%%sql", "%%html", "%%writefile tune.py", "%%javascript", "%%R", "%%python3", "%%script python"])
def test_cells_of_other_languages_stay_silent(tmp_path: Path, magic: str) -> None:
    nb = notebook(code("import numpy as np\nimport optuna\n"), code(magic + "\n" + LR_GRID + "\n" + DEPRECATED))
    assert outcome_for(tmp_path, nb).diagnostics == []


def test_nothing_is_written_before_a_cell_magic() -> None:
    joined = Joined.build([CodeCell(0, "a = 1\n"), CodeCell(1, "%%time\nb = 2\n")])
    start, body = joined.starts[1], joined.line_starts[joined.first_lines[1]]
    assert joined.cell_of_edit(Edit(start, start, "import math\n")) is None  # above the magic
    assert joined.cell_of_edit(Edit(start, start + 1, "")) is None
    assert joined.cell_of_edit(Edit(body, body, "import math\n")) == 1  # first line of the body
    assert joined.cell_of_edit(Edit(body, body + 1, "c")) == 1
    end_of_first = joined.cell_end(0)
    assert joined.cell_of_edit(Edit(end_of_first, end_of_first, "z\n")) == 0  # appended to the cell above


@pytest.mark.parametrize("code_, source", list(rule_examples()))
def test_every_rule_example_reads_and_fixes_the_same_under_time(tmp_path: Path, code_: str, source: str) -> None:
    from hplint.engine.lint import fix_source, lint_source
    from hplint.frontends.notebooks import fix_cells, parse_notebook

    config = Config(select=(code_,))
    nb = notebook(code("%%time\n" + source))
    as_module = lint_source(source, "x.py", config)
    assert [(d.code, d.line, d.col, d.end_line, d.end_col) for d in outcome_for(tmp_path, nb, config=config).diagnostics] == [
        (d.code, d.line + 1, d.col, d.end_line + 1, d.end_col) for d in as_module
    ]
    expected = fix_source(source, "x.py", config, unsafe=True)
    result = fix_cells(parse_notebook(decode_source(json.dumps(nb).encode(), "nb.ipynb")).cells, "nb.ipynb", config, True)
    assert result.texts == ["%%time\n" + expected.source]


@pytest.mark.parametrize(
    "content, reason",
    [
        ('{"cells": [', "invalid JSON"),
        ('{"cells": [], "nbformat": 3, "metadata": {}}', "nbformat 3"),
        ('["not", "a", "notebook"]', "no list of cells"),
        ('{"cells": [{"cell_type": "code", "source": 5}], "nbformat": 4}', "neither text nor a list"),
    ],
)
def test_broken_notebook_is_reported_not_crashed_on(tmp_path: Path, content: str, reason: str) -> None:
    (tmp_path / "bad.ipynb").write_text(content)
    write_nb(tmp_path / "good.ipynb", notebook(code(DEPRECATED)))
    result = run(["bad.ipynb", "good.ipynb"], tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    bad = [line for line in result.stdout.splitlines() if line.startswith("bad.ipynb:1:1: HPL002 ")]
    assert len(bad) == 1 and reason in bad[0]
    assert any(line.startswith("good.ipynb:cell_1:2:10: HPL206") for line in result.stdout.splitlines())


def test_syntax_error_names_its_cell(tmp_path: Path) -> None:
    outcome = outcome_for(tmp_path, notebook(code("import optuna\n"), markdown("x"), code(DEPRECATED + "def broken(:\n")))
    # the objective above the broken definition still parses: read, but not fixed
    assert [(d.code, d.cell, d.line, d.fix) for d in outcome.diagnostics] == [("HPL206", 3, 2, None), ("HPL001", 3, 4, None)]


def test_other_kernels_and_empty_notebooks_are_skipped(tmp_path: Path) -> None:
    assert outcome_for(tmp_path, notebook(code(DEPRECATED), language="R")).diagnostics == []
    assert outcome_for(tmp_path, notebook(markdown("only text"))).diagnostics == []


def test_a_script_saved_under_a_notebook_name_is_linted_as_python(tmp_path: Path) -> None:
    """Not JSON at all, but Python: the findings of the script, at its own lines."""
    (tmp_path / "script.ipynb").write_text("import optuna\n\n\ndef objective(trial):\n" + "    lr = trial.suggest_loguniform('lr', 1e-5, 1e-1)\n    return lr\n")
    result = run(["script.ipynb"], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert any(line.startswith("script.ipynb:5:10: HPL206") for line in result.stdout.splitlines()), result.stdout
    assert "HPL002" not in result.stdout
