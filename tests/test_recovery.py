"""Files that do not parse: the top-level statements that do are still linted."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hplint import Config, fix_source, lint_source
from hplint.engine.recovery import recover, split_lines, top_level_statements
from hplint.engine.syntax import INTERNAL_ERROR
from hplint.prefilter import select as prefilter
from tuning_code import programs

GRID = "learning_rates = np.linspace(1e-5, 1e-1, 10)\nfor lr in learning_rates:\n    train(lr)\n"
PY2 = 'print "tuning the learning rate"\n'
ALL = Config(select=("HPL",))
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def found(source: str) -> List[Tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in lint_source(source, "t.py")]


def plain_syntax_error(source: str) -> Tuple[int, str]:
    try:
        compile(source, "t.py", "exec", ast.PyCF_ONLY_AST)
    except SyntaxError as exc:
        return exc.lineno, exc.msg
    raise AssertionError("parses")


# ---------------------------------------------------------------------------
# the shapes


def test_python2_print_and_a_linear_grid_are_both_reported() -> None:
    source = "import numpy as np\n\n" + PY2 + "\n" + GRID
    diagnostics = lint_source(source, "t.py")
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("HPL001", 3, 0), ("HPL201", 5, 17)]
    error = diagnostics[0]
    assert error.message.startswith("SyntaxError: Missing parentheses in call to 'print'")
    assert "Python 2 or IPython syntax: this statement was analysed without" in error.message and error.stmt_lines == (3, 3)
    assert diagnostics[1].fix is None  # no fix is offered in a file that does not parse
    assert fix_source(source, "t.py", unsafe=True).source == source


def test_python2_function_is_one_region_and_the_code_after_it_is_read() -> None:
    body = 'def report(lr):\n    print "lr", lr\n    return lr\n    lr += `lr`\n\n\n'
    source = "import numpy as np\n\n\n" + body + GRID
    assert found(source) == [("HPL001", 5, 4), ("HPL201", 10, 17)]  # backquotes: no rewrite reads them
    (error,) = [d for d in lint_source(source, "t.py") if d.code == "HPL001"]
    assert error.stmt_lines == (4, 7) and "the 4 lines of top-level code around it were" in error.message


def test_python2_statements_are_read_without_their_python2_syntax() -> None:
    """print/exec statements (also over several lines), ``except E, e:`` and ``raise E, msg``."""
    body = (
        "import numpy as np\n\n\n"
        "def sweep():\n"
        '    print "sweeping",\n'
        "    for lr in np.linspace(1e-5, 1e-1, 10):\n"
        "        try:\n"
        "            train(lr)\n"
        "        except ValueError, err:\n"
        '            print >>log, "failed: %s" % (\n'
        "                err)\n"
        '            raise RuntimeError, "stop"\n'
        "    exec code\n"
    )
    diagnostics = lint_source(body, "t.py")
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("HPL001", 5, 4), ("HPL201", 6, 14)]
    assert "this statement was analysed without their print, exec, except and raise statements" in diagnostics[0].message
    assert diagnostics[0].stmt_lines == (4, 13) and diagnostics[1].fix is None
    twice = body + '\n\nprint "done"\n'  # one finding for the file's Python 2 syntax
    assert [d.code for d in lint_source(twice, "t.py")] == ["HPL001", "HPL201"]
    assert "this and 1 more top-level statements were" in lint_source(twice, "t.py")[0].message


def test_ipython_lines_of_an_exported_notebook_are_read_as_pass() -> None:
    """``!pip install`` and ``%matplotlib`` lines kept in a ``.py`` export hide no function."""
    body = (
        "import numpy as np\n"
        "%matplotlib inline\n"
        "def sweep():\n"
        "    ! rm -rf ~/ray_results/sweep\n"
        "    for lr in np.linspace(1e-5, 1e-1, 10):\n"
        "        train(lr)\n"
    )
    diagnostics = lint_source(body, "t.py")
    assert [(d.code, d.line) for d in diagnostics] == [("HPL001", 2), ("HPL201", 5)]
    assert "IPython shell (`!`) and magic (`%`) lines" in diagnostics[0].message
    assert [d.code for d in lint_source("x = 1\nflag = x != 2\n", "t.py")] == []  # ``!=`` is Python


def test_automagic_package_commands_are_read_as_pass() -> None:
    """``pip install optuna`` without its ``!`` (IPython's automagic) is no Python either."""
    body = "pip install -q optuna\nimport numpy as np\nfor lr in np.linspace(1e-5, 1e-1, 10):\n    train(lr)\n"
    assert [(d.code, d.line) for d in lint_source(body, "t.py")] == [("HPL001", 1), ("HPL201", 3)]
    assert [d.code for d in lint_source("pip = 1\ninstall = pip\n", "t.py")] == []


def test_stray_indent_after_a_statement_keeps_the_statement() -> None:
    source = "import numpy as np\nlearning_rates = np.linspace(1e-5, 1e-1, 10)\n    lrs = 1\nfor lr in learning_rates:\n    train(lr)\n"
    assert [(code, line) for code, line, _ in found(source)] == [("HPL201", 2), ("HPL001", 3)]


def test_block_pasted_with_a_stray_indent_is_read_dedented_at_its_own_columns() -> None:
    source = (
        "import numpy as np\n"
        "EPOCHS = 10\n"
        "\n"
        "  for lr in np.linspace(1e-5, 1e-1, 10):\n"
        "      train(lr, EPOCHS)\n"
        "\n"
        "print(EPOCHS)\n"
    )
    diagnostics = lint_source(source, "t.py")
    assert [(d.code, d.line) for d in diagnostics] == [("HPL001", 4), ("HPL201", 4)]
    (grid,) = [d for d in diagnostics if d.code == "HPL201"]
    assert source.splitlines()[3][grid.col : grid.end_col].startswith("np.linspace(1e-5, 1e-1, 10)")
    assert "analysed as if dedented by 2 columns" in diagnostics[0].message and grid.fix is None
    mixed = source.replace("      train(lr, EPOCHS)", "    train(lr, EPOCHS)\n train(0)")  # not one block indented alike
    assert [d.code for d in lint_source(mixed, "t.py")] == ["HPL001"]


def test_tabs_mixed_with_spaces_are_read_as_python2_did_at_the_file_columns() -> None:
    """Python 3 refuses indentation whose meaning hangs on a tab's width; Python 2 ran it,
    each tab reaching the next multiple of 8 columns, and so is it read."""
    source = (
        "import numpy as np\n\n\n"
        "def search():\n"
        "    for depth in [2, 4]:\n"
        "\tfor wd in np.linspace(1e-5, 1e-1, 6):\n"
        "\t    train(depth=depth, wd=wd)\n"
        "        print depth\n"
    )
    diagnostics = lint_source(source, "t.py")
    assert [(d.code, d.line) for d in diagnostics] == [("HPL001", 6), ("HPL201", 6)]
    assert "each tab of its indentation reaching the next multiple of 8 columns" in diagnostics[0].message
    (grid,) = [d for d in diagnostics if d.code == "HPL201"]
    assert source.splitlines()[5][grid.col : grid.end_col] == "np.linspace(1e-5, 1e-1, 6)" and grid.fix is None
    unmatched = source.replace("        print depth", "      print depth")  # matches no block, tabs expanded or not
    assert [d.code for d in lint_source(unmatched, "t.py")] == ["HPL001"]


def test_a_file_indented_as_a_whole_is_read_dedented() -> None:
    """A snippet cut out of a class (every line indented alike) is one block pasted with an indent."""
    source = "    def objective(trial):\n        lr = trial.suggest_loguniform('lr', 1e-5, 1e-1)\n        return train(lr)\n"
    diagnostics = lint_source(source, "t.py")
    assert [(d.code, d.line) for d in diagnostics] == [("HPL001", 1), ("HPL206", 2)]
    (deprecated,) = [d for d in diagnostics if d.code == "HPL206"]
    assert source.splitlines()[1][deprecated.col :].startswith("trial.suggest_loguniform") and deprecated.fix is None


def test_a_notebook_exported_indented_as_a_whole_keeps_its_shell_lines_out() -> None:
    """An indented ``!pip install`` line is IPython's, read as ``pass`` once the block is dedented."""
    source = (
        "# exported from a notebook\n"
        "  !pip install optuna\n"
        "  %matplotlib inline\n"
        "  def objective(trial):\n"
        "      lr = trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"
        "      return train(lr)\n"
    )
    diagnostics = lint_source(source, "t.py")
    assert [(d.code, d.line) for d in diagnostics] == [("HPL001", 2), ("HPL206", 5)]
    assert "analysed as if dedented by 2 columns" in diagnostics[0].message
    (deprecated,) = [d for d in diagnostics if d.code == "HPL206"]
    assert source.splitlines()[4][deprecated.col :].startswith("trial.suggest_loguniform")
    broken = source.replace("      return train(lr)", "      return train(lr")  # still no Python once dedented
    assert [d.code for d in lint_source(broken, "t.py")] == ["HPL001"]


def test_line_dedented_inside_a_function_leaves_the_function_unread() -> None:
    objective = (
        "import optuna\n\n\n"
        "def objective(trial):\n"
        '    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)\n'
        "    for epoch in range(20):\n"
        "        acc = train(lr, epoch)\n"
        "        trial.report(acc, epoch)\n"
        'print "epoch", epoch\n'
        "        if trial.should_prune():\n"
        "            raise optuna.TrialPruned()\n"
        "    return acc\n"
    )
    diagnostics = lint_source(objective + GRID.replace("learning_rates = np.", "import numpy as np\nlearning_rates = np."), "t.py", ALL)
    # not HPL302 ("should_prune() is never asked") on the function read without its last lines
    assert [(d.code, d.line, d.stmt_lines) for d in diagnostics] == [("HPL001", 9, (4, 12)), ("HPL201", 14, (14, 14))]


def test_bracket_left_open_does_not_swallow_the_rest_of_the_file() -> None:
    source = "import numpy as np\nsearch = GridSearchCV(SVC(kernel='poly',\n                        cv=5)\n" + GRID
    assert found(source) == [("HPL001", 2, 21), ("HPL201", 4, 17)]  # CPython points at the outer bracket


def test_imports_of_parsed_statements_reach_the_rest() -> None:
    source = "import numpy as onp\n" + PY2 + GRID.replace("np.", "onp.")
    assert [code for code, _, _ in found(source)] == ["HPL001", "HPL201"]
    alone = PY2 + GRID.replace("np.", "onp.")  # onp means nothing without the import
    assert [code for code, _, _ in found(alone)] == ["HPL001"]


def test_entirely_broken_file_gives_only_the_syntax_error() -> None:
    source = "for lr in np.linspace(1e-5, 1e-1, 10):\n    train(lr\n"
    diagnostics = lint_source(source, "t.py")
    assert [d.code for d in diagnostics] == ["HPL001"]
    line, msg = plain_syntax_error(source)
    assert (diagnostics[0].line, diagnostics[0].message) == (line, f"SyntaxError: {msg}")


def test_a_file_of_python2_statements_only_is_read_without_them() -> None:
    """Every top-level statement holds a ``print`` statement: each is read with it as ``pass``."""
    source = 'print "tuning"\nfor lr in np.linspace(1e-5, 1e-1, 10):\n    print lr\n    train(lr)\n'
    assert [(d.code, d.line) for d in lint_source(source, "t.py")] == [("HPL001", 1), ("HPL201", 2)]


def test_grid_inside_the_broken_statement_is_not_reported() -> None:
    source = "import numpy as np\n\nfor lr in np.linspace(1e-5, 1e-1, 10):\n    train(lr\n\nprint 'x'\n"
    assert [code for code, _, _ in found(source)] == ["HPL001"]


def test_two_regions_give_two_errors() -> None:
    source = "import numpy as np\n" + "lr = (\n" + GRID + "exec 'x = 1'\n"
    assert [(code, line) for code, line, _ in found(source)] == [("HPL001", 2), ("HPL201", 3), ("HPL001", 6)]


def test_unterminated_string_blanks_to_the_end_and_finds_what_comes_before() -> None:
    source = "import numpy as np\n" + GRID + 'notes = """never closed\n' + GRID
    assert [(code, line) for code, line, _ in found(source)] == [("HPL201", 2), ("HPL001", 5)]


def test_bom_crlf_and_tabs_keep_positions() -> None:
    source = "\ufeffimport numpy as np\r\n" + PY2.replace("\n", "\r\n") + "if True:\r\n\tlearning_rates = np.linspace(1e-5, 1e-1, 10)\r\n"
    assert found(source) == [("HPL001", 2, 0), ("HPL201", 4, 18)]


def test_notebook_cell_that_does_not_parse_names_its_cell(tmp_path: Path) -> None:
    from test_notebooks import code, notebook, outcome_for

    nb = notebook(code("import numpy as np\n"), code(PY2), code(GRID))
    outcome = outcome_for(tmp_path, nb)
    assert [(d.code, d.cell, d.line) for d in outcome.diagnostics] == [("HPL001", 2, 1), ("HPL201", 3, 1)]


def test_cli_fix_leaves_a_broken_file_alone(tmp_path: Path) -> None:
    source = "import numpy as np\n" + PY2 + GRID
    (tmp_path / "t.py").write_text(source)
    result = subprocess.run(
        [sys.executable, "-m", "hplint", "--isolated", "--fix", "--output-format", "json", "t.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert [(d["code"], d["line"], d["fix"]) for d in json.loads(result.stdout)] == [("HPL001", 2, None), ("HPL201", 3, None)]
    assert (tmp_path / "t.py").read_text() == source


def test_flake8_runs_no_plugin_on_a_file_that_does_not_parse(tmp_path: Path) -> None:
    """flake8 reports E999 and calls no plugin: the plugin never sees such a file."""
    (tmp_path / "t.py").write_text("import numpy as np\n" + PY2 + GRID)
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "HPL,E999", "--format", "%(row)d %(code)s", "t.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.stdout.split() == ["2", "E999"], result.stdout + result.stderr


# ---------------------------------------------------------------------------
# the scanner


def test_clauses_decorators_comments_and_brackets_stay_with_their_statement() -> None:
    source = (
        "# header\n"
        "import os\n"
        "if a:\n"
        "    pass\n"
        "# a comment at column 0 inside nothing\n"
        "elif b:\n"
        "    pass\n"
        "else:\n"
        "    pass\n"
        "@decorator(\n"
        "x)\n"
        "\n"
        "@other\n"
        "def f():\n"
        "    '''\n"
        "text at column 0\n"
        "    '''\n"
        "# inside f's body, at column 0\n"
        "    return 1\n"
        "try:\n"
        "    pass\n"
        "except* ValueError:\n"
        "    pass\n"
        "finally:\n"
        "    pass\n"
        "values = [\n"
        "1, 2]\n"
        "total = 1 + \\\n"
        "2\n"
    )
    assert top_level_statements(source) == [(1, 2), (3, 9), (10, 19), (20, 25), (26, 27), (28, 29)]
    assert recover(source) is None  # nothing failed: nothing to recover


def _statement_starts(source: str) -> List[int]:
    """First lines of the top-level statements (``a; b`` is one line)."""
    tree = ast.parse(source)
    return sorted({min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) for node in tree.body})


@SETTINGS
@given(programs())
def test_scanner_finds_the_statements_ast_finds(source: str) -> None:
    starts = [first for first, _ in top_level_statements(source)]
    expected = _statement_starts(source)
    assert starts[1:] == expected[1:] and starts[0] == 1
    assert recover(source) is None


# ---------------------------------------------------------------------------
# fuzzing: a broken statement changes nothing else


def _boundaries(source: str) -> List[int]:
    """1-based lines before which a top-level statement may be inserted (the end too)."""
    return sorted(set(_statement_starts(source)) | {source.count("\n") + 1}) if source.strip() else [1]


def _comparable(source: str, shift_from: int, shift: int) -> List[tuple]:
    """Findings as they read after ``shift`` lines are inserted before ``shift_from``:
    their lines, and the lines their messages name ("at line 12"), move down."""

    def moved(line: int) -> int:
        return line + shift if line >= shift_from else line

    out = []
    for d in lint_source(source, "t.py", ALL):
        message = re.sub(r"\bline (\d+)", lambda m: f"line {moved(int(m.group(1)))}", d.message)
        out.append((d.code, moved(d.line), d.col, message))
    return sorted(out)


@SETTINGS
@given(programs(), st.data())
def test_a_python2_statement_between_statements_changes_no_other_finding(source: str, data: st.DataObject) -> None:
    lines = split_lines(source.replace("\r\n", "\n").replace("\r", "\n"))
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    at = data.draw(st.sampled_from(_boundaries("".join(lines))))
    broken = data.draw(st.sampled_from([PY2, "exec 'x = 1'\n", "def f(:\n    pass\n", "x = (1,\n"]))
    mutated = "".join(lines[: at - 1]) + broken + "".join(lines[at - 1 :])
    before = _comparable("".join(lines), at, broken.count("\n"))
    after = lint_source(mutated, "t.py", ALL)
    errors = [d for d in after if d.code == "HPL001"]
    assert len(errors) <= 1 and all(e.line == at for e in errors), (mutated, after)
    if before:  # some rule read the file, so its syntax error is reported
        assert errors, mutated
    assert all(d.fix is None for d in after)
    assert sorted((d.code, d.line, d.col, d.message) for d in after if d.code != "HPL001") == before
    saved, prefilter.PREFILTER = prefilter.PREFILTER, False
    try:  # the prefilters stay sound on the statements that parse
        unfiltered = lint_source(mutated, "t.py", ALL)
    finally:
        prefilter.PREFILTER = saved
    assert [d for d in unfiltered if d.code != "HPL001"] == [d for d in after if d.code != "HPL001"]


def _mutations(source: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(source)))
        piece = data.draw(st.sampled_from(["(", ")", "[", "'", '"', '"""', ":", "\n", "    ", "\t", "\\", "print ", "@", "else:", "#"]))
        if data.draw(st.booleans()):
            source = source[:at] + piece + source[at:]
        else:
            source = source[:at] + source[at + len(piece) :]
    return source


def _parses(source: str) -> bool:
    try:
        cst.parse_module(source)
    except Exception:  # any parser failure: not a valid program
        return False
    return True


@SETTINGS
@given(programs(), st.data())
def test_mutated_programs_never_crash_and_parsing_ones_lint_as_before(source: str, data: st.DataObject) -> None:
    mutated = _mutations(source, data)
    diagnostics = lint_source(mutated, "t.py", ALL)
    assert not [d for d in diagnostics if INTERNAL_ERROR in d.message]
    line_count = len(mutated.splitlines()) or 1
    assert all(1 <= d.line <= line_count + 1 for d in diagnostics)
    if _parses(mutated):
        assert recover(mutated) is None  # every statement of a file that parses parses alone
        assert not [d for d in diagnostics if d.code == "HPL001" and "not analysed" in d.message]
    else:
        assert fix_source(mutated, "t.py", ALL, unsafe=True).source == mutated
        recovery = recover(mutated)
        if recovery is not None:  # every line kept, blanked to spaces, rewritten as pass, or dedented
            old_lines, new_lines = split_lines(mutated), split_lines(recovery.text)
            assert len(old_lines) == len(new_lines)
            shifted = {n: k for first, last, k in recovery.shifts for n in range(first, last + 1)}
            for number, (old, new) in enumerate(zip(old_lines, new_lines), 1):
                if number in shifted and shifted[number] < 0:  # tabs of the indentation expanded
                    assert new.lstrip(" ") == old.lstrip(" \t") and len(new) - len(old) == -shifted[number]
                    continue
                if number in shifted:
                    assert new == old[shifted[number]:] or not new.strip()
                    continue
                assert new == old or (len(new) >= len(old) and (not new.rstrip("\r\n").strip(" ") or "pass" in new or "except" in new or "raise" in new))


@pytest.mark.parametrize(
    "source",
    [
        "", "\n", "# only a comment\n", "    \n", "\\\n", "(", '"""', "@", "else:\n", "\x00", "x = 1\n\x0c    y\n",
        # a range with step 0 (raises where it runs) in a grid the text and tree stages read
        "from ray import tune\ngrid = {'lr': tune.grid_search([10 ** -i for i in range(1, 6, 0)]), 'm': tune.grid_search([1, 2])}\n",
        "lrs = [i / 1000 for i in range(1, 6, 0)]\nfor lr in lrs:\n    for d in [1, 2]:\n        train(lr, d)\n",
    ],
)
def test_odd_files_do_not_crash(source: str) -> None:
    lint_source(source, "t.py", ALL)
    recover(source)
