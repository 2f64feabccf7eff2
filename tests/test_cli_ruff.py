"""Command-line habits of ruff users, each checked against ruff's documented behaviour.

The ruff statements quoted come from ruff's own documentation: the
"Command-line interface" section of docs.astral.sh/ruff/configuration/ (the
``ruff check --help`` text it reproduces) and docs.astral.sh/ruff/linter/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import pytest

from hplint.frontends.arguments import SUBCOMMANDS

DEPRECATED = 'import optuna\n\n\ndef objective(trial):\n    lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)\n    return lr\n'
LINEAR_LR = "import numpy as np\n\nfor lr in np.linspace(1e-4, 1e-2, 6):\n    train(lr)\n"
NEVER_REPORTS = (  # HPL301: its fix is unsafe
    "import optuna\n\n\n"
    "def objective(trial):\n"
    "    model = build_model(trial.suggest_float('lr', 1e-5, 1e-1, log=True))\n"
    "    for epoch in range(100):\n"
    "        train_one_epoch(model)\n"
    "        val_loss = evaluate(model)\n"
    "    return val_loss\n\n\n"
    "optuna.create_study().optimize(objective, n_trials=100)\n"
)


def run(args: List[str], cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hplint", "--no-cache", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    return tmp_path


def codes(stdout: str) -> List[str]:
    return sorted(line.split(": ", 1)[1].split(" ")[0] for line in stdout.splitlines() if ": HPL" in line)


# ---------------------------------------------------------------------------
# rule selection


def test_repeated_select_flags_add_up(project: Path) -> None:
    """ruff: `ruff check path/to/code/ --select F401 --select F403 --quiet` selects both."""
    (project / "t.py").write_text(DEPRECATED + "\n" + LINEAR_LR)
    assert codes(run(["--select", "HPL206", "t.py"], project).stdout) == ["HPL206"]
    assert codes(run(["--select", "HPL201", "--select", "HPL206", "t.py"], project).stdout) == ["HPL201", "HPL206"]
    assert codes(run(["--select", "HPL201,HPL206", "t.py"], project).stdout) == ["HPL201", "HPL206"]
    both_ignored = run(["--ignore", "HPL201", "--ignore", "HPL206", "t.py"], project)
    assert codes(both_ignored.stdout) == [] and both_ignored.returncode == 0


def test_extend_ignore_is_like_ignore(project: Path) -> None:
    """ruff: --extend-ignore "Like --ignore"; flake8: adds to the ignore list."""
    (project / "t.py").write_text(DEPRECATED + "\n" + LINEAR_LR)
    assert codes(run(["--extend-ignore", "HPL206", "t.py"], project).stdout) == ["HPL201"]
    assert codes(run(["--ignore", "HPL201", "--extend-ignore", "HPL206", "t.py"], project).stdout) == []


def test_per_file_ignores_on_the_command_line(project: Path) -> None:
    """ruff: --per-file-ignores "List of mappings from file pattern to code to
    exclude" as PATTERN:CODE, comma-separated; it replaces the configured
    table, --extend-per-file-ignores adds to it."""
    (project / "pyproject.toml").write_text("[tool.hplint.per-file-ignores]\n'legacy/*' = ['HPL2']\n")
    (project / "legacy").mkdir()
    (project / "legacy" / "old.py").write_text(DEPRECATED)
    (project / "tests").mkdir()
    (project / "tests" / "t.py").write_text(DEPRECATED)
    found = run(["."], project).stdout
    assert "tests/t.py" in found and "legacy" not in found
    replaced = run(["--per-file-ignores", "tests/*:HPL206", "."], project).stdout
    assert "legacy/old.py" in replaced and "tests" not in replaced
    extended = run(["--extend-per-file-ignores", "tests/*:HPL2", "."], project)
    assert codes(extended.stdout) == [] and extended.returncode == 0
    both = run(["--per-file-ignores", "tests/*:HPL206,legacy/*:HPL2", "."], project)
    assert codes(both.stdout) == []
    bad = run(["--per-file-ignores", "HPL206", "."], project)
    assert bad.returncode == 2 and "PATTERN:RULE_CODE" in bad.stderr


# ---------------------------------------------------------------------------
# stdin


def test_stdin_filename_alone_reads_stdin(project: Path) -> None:
    """ruff: "If the user provided a `--stdin-filename`, always read from
    standard input" (no `-` needed); other paths are ignored with a warning."""
    (project / "other.py").write_text(DEPRECATED)
    result = run(["--stdin-filename", "train.py"], project, stdin=DEPRECATED)
    assert result.returncode == 1
    assert result.stdout.startswith("train.py:5:10: HPL206")
    assert "other.py" not in result.stdout
    with_path = run(["--stdin-filename", "train.py", "other.py"], project, stdin=LINEAR_LR)
    assert "Ignoring file other.py in favor of standard input." in with_path.stderr
    assert codes(with_path.stdout) == ["HPL201"]
    fixed = run(["--fix", "--stdin-filename", "train.py"], project, stdin=DEPRECATED)
    assert "suggest_float" in fixed.stdout and fixed.returncode == 0


def test_stdin_filename_uses_that_files_configuration(project: Path) -> None:
    """ruff resolves settings for the stdin filename's path."""
    (project / "sub").mkdir()
    (project / "sub" / "pyproject.toml").write_text("[tool.hplint]\nignore = ['HPL206']\n")
    assert run(["--stdin-filename", "sub/train.py"], project, stdin=DEPRECATED).returncode == 0
    assert run(["--stdin-filename", "train.py"], project, stdin=DEPRECATED).returncode == 1


def test_stdin_filename_with_force_exclude(project: Path) -> None:
    """ruff's check_stdin: with --force-exclude, an excluded --stdin-filename is
    not checked, and --fix passes the source through unchanged."""
    args = ["--force-exclude", "--stdin-filename", "build/gen.py"]
    skipped = run(args, project, stdin=DEPRECATED)
    assert skipped.returncode == 0 and skipped.stdout == ""
    assert run(["--fix", *args], project, stdin=DEPRECATED).stdout == DEPRECATED
    assert run(["--stdin-filename", "build/gen.py"], project, stdin=DEPRECATED).returncode == 1  # not forced


# ---------------------------------------------------------------------------
# what runs, and with which settings


def test_show_files_lists_what_would_be_checked(project: Path) -> None:
    """ruff: --show-files "See the files Ruff will be run against with the
    current settings": one sorted path per line, nothing linted."""
    (project / "b.py").write_text(DEPRECATED)
    (project / "pkg").mkdir()
    (project / "pkg" / "a.py").write_text("x = 1\n")
    (project / "build").mkdir()
    (project / "build" / "gen.py").write_text("x = 1\n")
    result = run(["--show-files"], project)
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["b.py", os.path.join("pkg", "a.py")]


def test_show_settings_prints_the_resolved_settings(project: Path) -> None:
    """ruff: --show-settings "See the settings Ruff will use to lint a given
    Python file", starting `Resolved settings for: "<file>"` and `Settings
    path: "<config>"`, command-line flags applied."""
    (project / "pyproject.toml").write_text("[tool.hplint]\nignore = ['HPL204']\ntrial-minutes = 60\n")
    (project / "t.py").write_text(DEPRECATED)
    result = run(["--show-settings", "--extend-select", "HPL703", "t.py"], project)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == 'Resolved settings for: "t.py"'
    assert lines[1] == f'Settings path: "{project / "pyproject.toml"}"'
    assert 'ignore = ["HPL204"]' in lines
    assert 'extend-select = ["HPL703"]' in lines
    assert "trial-minutes = 60.0" in lines
    enabled = json.loads(next(line for line in lines if line.startswith("enabled = ")).split(" = ", 1)[1])
    assert "HPL703" in enabled and "HPL204" not in enabled
    assert "respect-gitignore = true" in lines


# ---------------------------------------------------------------------------
# fixes


def test_fix_only_fixes_and_reports_nothing_left(project: Path) -> None:
    """ruff: --fix-only "Apply fixes to resolve lint violations, but don't
    report on, or exit non-zero for, leftover violations"."""
    (project / "t.py").write_text(DEPRECATED + "\n" + LINEAR_LR.replace("np.linspace(1e-4, 1e-2, 6)", "lrs"))
    (project / "u.py").write_text(NEVER_REPORTS)  # unsafe fix only: left as is
    result = run(["--fix-only", "t.py", "u.py"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "suggest_float" in (project / "t.py").read_text()
    assert (project / "u.py").read_text() == NEVER_REPORTS
    assert "HPL" not in result.stdout
    assert result.stdout.strip() == "Fixed 1 problem (1 fix available with --unsafe-fixes)."
    again = run(["--fix-only", "--exit-non-zero-on-fix", "t.py"], project)
    assert again.returncode == 0 and again.stdout.strip() == "No problems fixed."
    (project / "t.py").write_text(DEPRECATED)
    assert run(["--fix-only", "--exit-non-zero-on-fix", "t.py"], project).returncode == 1


def test_show_fixes_enumerates_what_was_fixed(project: Path) -> None:
    """ruff: --show-fixes "Show an enumeration of all fixed lint violations":
    `Fixed N errors:`, then per file `- path:` and `count × CODE (name)`."""
    (project / "t.py").write_text(DEPRECATED + DEPRECATED.replace("objective", "objective2").replace("import optuna\n", ""))
    result = run(["--fix", "--show-fixes", "t.py"], project)
    assert result.returncode == 0
    assert "Fixed 2 problems:\n- t.py:\n    2 × HPL206 (deprecated-optuna-suggest)\n" in result.stdout


# ---------------------------------------------------------------------------
# what counts as fixable: ruff's [*]


def test_fixable_marks_follow_the_current_applicability(project: Path) -> None:
    """ruff: `[*]` marks a violation fixable with the flags given; an unsafe fix
    is fixable only with --unsafe-fixes ("Ruff only enables safe fixes by
    default"), and nothing is marked while --fix applies fixes."""
    (project / "t.py").write_text(DEPRECATED)
    (project / "u.py").write_text(NEVER_REPORTS)
    plain = run(["t.py", "u.py"], project).stdout.splitlines()
    assert any(line.startswith("t.py:5:10: HPL206 [*] ") for line in plain)
    assert any(line.startswith("u.py:") and ": HPL301 " in line and "[*]" not in line for line in plain)
    unsafe = run(["--unsafe-fixes", "t.py", "u.py"], project).stdout.splitlines()
    assert any(line.startswith("u.py:") and ": HPL301 [*] " in line for line in unsafe)
    stats = run(["--statistics", "t.py", "u.py"], project).stdout.splitlines()
    assert "1\tHPL206\t[*] deprecated-optuna-suggest" in stats
    assert any(line.startswith("1\tHPL301\t[ ] ") for line in stats)
    stats_unsafe = run(["--statistics", "--unsafe-fixes", "t.py", "u.py"], project).stdout.splitlines()
    assert any(line.startswith("1\tHPL301\t[*] ") for line in stats_unsafe)
    only_unsafe = run(["--statistics", "u.py"], project).stdout.splitlines()
    assert only_unsafe[0].startswith("1\tHPL301\t") and "[" not in only_unsafe[0]  # no mark column when nothing is fixable
    (project / "v.py").write_text(NEVER_REPORTS)
    applied = run(["--fix", "v.py"], project).stdout
    assert "HPL301" in applied and "[*]" not in applied


def test_statistics_as_json(project: Path) -> None:
    """ruff: `--statistics --output-format json` prints code, name, count,
    fixable and fixable_count per rule."""
    (project / "t.py").write_text(DEPRECATED)
    data = json.loads(run(["--statistics", "--output-format", "json", "t.py"], project).stdout)
    assert data == [{"code": "HPL206", "name": "deprecated-optuna-suggest", "count": 1, "fixable": True, "fixable_count": 1}]
    assert run(["--statistics", "--output-format", "sarif", "t.py"], project).returncode == 2


# ---------------------------------------------------------------------------
# --help


def test_help_lists_every_choice_and_the_subcommands(project: Path) -> None:
    """ruff's help lists `[possible values: concise, full, json, json-lines,
    junit, grouped, github, gitlab, ...]` and its commands in their own section."""
    result = run(["--help"], project)
    assert result.returncode == 0
    out = result.stdout
    assert "{concise,full,json,json-lines,junit,gitlab,sarif,github}" in out
    commands = out.split("Commands:", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line.split()[0] for line in commands if line.strip()] == list(SUBCOMMANDS)
    assert set(SUBCOMMANDS) >= {"check", "rules", "explain", "verify", "study", "server"}
    for family in ("HPL1", "HPL2", "HPL3", "HPL4", "HPL5", "HPL6", "HPL7"):
        assert family in out
    for flag in ("--add-noqa", "--show-settings", "--show-files", "--fix-only", "--show-fixes", "--extend-ignore",
                 "--per-file-ignores", "--respect-gitignore", "--no-respect-gitignore", "--statistics"):
        assert flag in out
    assert run(["check", "--help"], project).stdout == out


def test_text_is_still_accepted_as_the_old_name_of_concise(project: Path) -> None:
    (project / "t.py").write_text(DEPRECATED)
    assert run(["--output-format", "text", "t.py"], project).stdout == run(["--output-format", "concise", "t.py"], project).stdout
