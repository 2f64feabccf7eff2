"""The hplint command: output, exit codes, fixes, config, suppressions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import pytest

DEPRECATED = '''import optuna


def objective(trial):
    lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)
    return lr
'''
DEPRECATED_FIXED = DEPRECATED.replace('suggest_loguniform("lr", 1e-5, 1e-1)', 'suggest_float("lr", 1e-5, 1e-1, log=True)')
CLEAN = "def objective(trial):\n    return trial.suggest_float('lr', 1e-5, 1e-1, log=True)\n"


def run(args: List[str], cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hplint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    return tmp_path


def test_clean_file_exits_0(project: Path) -> None:
    (project / "ok.py").write_text(CLEAN)
    result = run(["ok.py"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed!" in result.stdout


def test_finding_exits_1_with_flake8_style_line_and_summary(project: Path) -> None:
    (project / "t.py").write_text(DEPRECATED)
    result = run(["t.py"], project)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("t.py:5:10: HPL206 ")
    assert "Found 1 problem (1 fixable with --fix)." in result.stdout
    assert result.stderr == ""


def test_default_path_is_current_directory_and_recurses(project: Path) -> None:
    (project / "pkg").mkdir()
    (project / "pkg" / "t.py").write_text(DEPRECATED)
    (project / ".venv").mkdir()
    (project / ".venv" / "t.py").write_text(DEPRECATED)
    (project / "build").mkdir()
    (project / "build" / "t.py").write_text(DEPRECATED)
    (project / "node_modules").mkdir()
    (project / "node_modules" / "t.py").write_text(DEPRECATED)
    other_env = project / "myenv"
    other_env.mkdir()
    (other_env / "pyvenv.cfg").write_text("home = /usr\n")
    (other_env / "t.py").write_text(DEPRECATED)
    result = run([], project)
    paths = {line.split(":")[0] for line in result.stdout.splitlines() if "HPL206" in line}
    # as ruff: with no path given, paths are relative to the current folder, without "./"
    assert paths == {os.path.join("pkg", "t.py")}


def test_fix_rewrites_and_exit_0_when_all_fixed(project: Path) -> None:
    path = project / "t.py"
    path.write_text(DEPRECATED)
    result = run(["--fix", "t.py"], project)
    assert result.returncode == 0, result.stdout
    assert path.read_text() == DEPRECATED_FIXED
    assert "1 fixed, 0 remaining" in result.stdout
    again = run(["--fix", "t.py"], project)
    assert again.returncode == 0 and path.read_text() == DEPRECATED_FIXED


def test_exit_non_zero_on_fix(project: Path) -> None:
    (project / "t.py").write_text(DEPRECATED)
    assert run(["--fix", "--exit-non-zero-on-fix", "t.py"], project).returncode == 1
    assert run(["--fix", "--exit-non-zero-on-fix", "t.py"], project).returncode == 0


def test_diff_writes_nothing_and_exits_1(project: Path) -> None:
    path = project / "t.py"
    path.write_text(DEPRECATED)
    before = path.stat().st_mtime_ns
    result = run(["--diff", "t.py"], project)
    assert result.returncode == 1
    assert "-    lr = trial.suggest_loguniform" in result.stdout
    assert '+    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)' in result.stdout
    assert path.read_text() == DEPRECATED and path.stat().st_mtime_ns == before
    (project / "ok.py").write_text(CLEAN)
    assert run(["--diff", "ok.py"], project).returncode == 0


def test_exit_zero(project: Path) -> None:
    (project / "t.py").write_text(DEPRECATED)
    assert run(["--exit-zero", "t.py"], project).returncode == 0


def test_json_output(project: Path) -> None:
    """hplint's fields stay; ruff's are added: name, noqa_row, fix.applicability
    and fix.edits (content, location and end_location as 1-based row/column);
    no url, since this package does not name its repository."""
    (project / "t.py").write_text(DEPRECATED)
    result = run(["--output-format", "json", "t.py"], project)
    data = json.loads(result.stdout)
    assert data == [
        {
            "code": "HPL206",
            "message": data[0]["message"],
            "path": "t.py",
            "line": 5,
            "col": 10,
            "end_line": 5,
            "end_col": 52,
            "fix": {
                "safety": "safe",
                "applied": False,
                "description": "use suggest_float",
                "applicability": "safe",
                "edits": [
                    {
                        "content": 'trial.suggest_float("lr", 1e-5, 1e-1, log=True)',
                        "location": {"row": 5, "column": 10},
                        "end_location": {"row": 5, "column": 52},
                    }
                ],
            },
            "name": "deprecated-optuna-suggest",
            "noqa_row": 5,
        }
    ]


def test_statistics(project: Path) -> None:
    """ruff's --statistics prints the table, not the findings: count, code and,
    when anything is fixable, [*] before the rule's name."""
    (project / "t.py").write_text(DEPRECATED + DEPRECATED.replace("objective", "objective2").replace("import optuna\n", ""))
    result = run(["--statistics", "t.py"], project)
    lines = result.stdout.splitlines()
    assert lines[0] == "2\tHPL206\t[*] deprecated-optuna-suggest"
    assert not any(line.startswith("t.py:") for line in lines)
    assert lines[1].startswith("Found 2 problems")


def test_stdin_and_stdin_filename(project: Path) -> None:
    result = run(["-", "--stdin-filename", "train.py"], project, stdin=DEPRECATED)
    assert result.returncode == 1
    assert result.stdout.startswith("train.py:5:10: HPL206")
    fixed = run(["--fix", "-"], project, stdin=DEPRECATED)
    assert fixed.stdout == DEPRECATED_FIXED
    assert fixed.returncode == 0


def test_syntax_error_file_among_good_ones(project: Path) -> None:
    (project / "a.py").write_text(DEPRECATED)
    (project / "broken.py").write_text("def objective(trial):\n    trial.suggest_loguniform('lr', 1e-5, 1e-1\n")
    (project / "c.py").write_text(DEPRECATED)
    result = run(["a.py", "broken.py", "c.py"], project)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("broken.py:2:") and "HPL001" in line for line in lines), result.stdout
    assert sum("HPL206" in line for line in lines) == 2


def test_missing_path_is_error_and_others_still_linted(project: Path) -> None:
    (project / "a.py").write_text(DEPRECATED)
    result = run(["a.py", "missing.py"], project)
    assert result.returncode == 2
    assert "missing.py:1:1: HPL002 no such file or directory" in result.stdout
    assert "a.py:5:10: HPL206" in result.stdout


def test_noqa_on_any_line_of_a_multiline_call(project: Path) -> None:
    source = (
        "def objective(trial):\n"
        "    lr = trial.suggest_loguniform(\n"
        "        'lr',\n"
        "        1e-5,\n"
        "        1e-1,\n"
        "    )  # noqa: HPL206\n"
        "    wd = trial.suggest_loguniform('wd', 1e-6, 1e-2)  # noqa\n"
        "    l2 = trial.suggest_loguniform('l2', 1e-6, 1e-2)  # noqa: HPL101\n"
    )
    (project / "t.py").write_text(source)
    result = run(["t.py"], project)
    assert [line.split(":")[1] for line in result.stdout.splitlines() if "HPL206" in line] == ["8"]
    shown = run(["--disable-noqa", "t.py"], project)
    assert sum("HPL206" in line for line in shown.stdout.splitlines()) == 3


def test_select_and_ignore_prefixes(project: Path) -> None:
    (project / "t.py").write_text(DEPRECATED)
    assert run(["--ignore", "HPL2", "t.py"], project).returncode == 0
    assert run(["--select", "HPL1", "t.py"], project).returncode == 0
    assert run(["--select", "HPL", "t.py"], project).returncode == 1
    assert run(["--select", "HPL", "--ignore", "HPL206", "t.py"], project).returncode == 0
    bad = run(["--select", "HPL999", "t.py"], project)
    assert bad.returncode == 2 and "HPL999" in bad.stderr and "Traceback" not in bad.stderr


def test_config_select_ignore_and_per_file_ignores(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.hplint]\nignore = ['HPL206']\n[tool.hplint.per-file-ignores]\n'legacy/*' = ['HPL2']\n"
    )
    (project / "t.py").write_text(DEPRECATED)
    assert run(["t.py"], project).returncode == 0
    assert run(["--select", "HPL206", "t.py"], project).returncode == 1  # CLI wins
    (project / "pyproject.toml").write_text("[tool.hplint.per-file-ignores]\n'legacy/*' = ['HPL2']\n")
    (project / "legacy").mkdir()
    (project / "legacy" / "old.py").write_text(DEPRECATED)
    result = run(["."], project)
    assert "legacy" not in result.stdout and "t.py:5:10" in result.stdout


def test_nearest_pyproject_applies(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.hplint]\nignore = ['HPL206']\n")
    sub = project / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text("[tool.hplint]\nselect = ['HPL2']\n")
    (project / "t.py").write_text(DEPRECATED)
    (sub / "t.py").write_text(DEPRECATED)
    result = run(["."], project)
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "HPL206" in line] == [os.path.join(".", "sub", "t.py")]


@pytest.mark.parametrize(
    "toml, fragment",
    [
        ("[tool.hplint\nselect = 1\n", "invalid TOML"),
        ("[tool.hplint]\nselect = 'HPL2'\n", "tool.hplint.select: expected a list of strings"),
        ("[tool.hplint]\nselect = ['HPL999']\n", "tool.hplint.select: unknown rule code or prefix 'HPL999'"),
        ("[tool.hplint]\nselct = ['HPL2']\n", "tool.hplint.selct: unknown key"),
        ("[tool.hplint.per-file-ignores]\n'a.py' = 'HPL2'\n", "expected a list of rule codes"),
    ],
)
def test_config_errors_are_one_line_exit_2(project: Path, toml: str, fragment: str) -> None:
    (project / "pyproject.toml").write_text(toml)
    (project / "t.py").write_text(DEPRECATED)
    result = run(["t.py"], project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "pyproject.toml" in lines[0] and fragment in lines[0]


def test_rules_and_explain(project: Path) -> None:
    table = run(["rules"], project)
    assert table.returncode == 0 and "HPL206" in table.stdout and "DEFAULT" in table.stdout
    text = run(["explain", "HPL206"], project)
    assert text.returncode == 0
    assert "Why it matters" in text.stdout and "suggest_float" in text.stdout
    assert "hplint verify" not in text.stdout  # HPL206 has no demonstration to point at
    measured = run(["explain", "HPL201"], project)
    assert "See it measured: hplint verify HPL201" in measured.stdout
    bad = run(["explain", "HPL999"], project)
    assert bad.returncode == 2 and "unknown rule" in bad.stderr


def test_explain_points_to_verify_exactly_for_rules_with_a_demonstration(project: Path) -> None:
    from hplint.core.registry import all_rules
    from hplint.verify import demo_codes, demos_for

    measured = {code for codes in demo_codes().values() for code in codes}
    for rule in all_rules():
        text = run(["explain", rule.code], project).stdout
        assert ("hplint verify" in text) == (rule.code in measured), rule.code
        if rule.code in measured:
            assert demos_for([rule.code])  # the command it points at selects a demonstration


def test_usage_error_exit_2(project: Path) -> None:
    result = run(["--no-such-flag"], project)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_python_dash_m_and_console_script_agree(project: Path) -> None:
    (project / "t.py").write_text(DEPRECATED)
    exe = Path(sys.executable).with_name("hplint")
    if not exe.exists():
        pytest.fail("the hplint console script is not installed next to the interpreter")
    script = subprocess.run([str(exe), "t.py"], cwd=project, capture_output=True, text=True)
    assert script.stdout == run(["t.py"], project).stdout
