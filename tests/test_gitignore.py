"""Ignore files, as ruff's ``respect-gitignore`` reads them.

ruff's settings documentation: respect-gitignore "Whether to automatically
exclude files that are ignored by `.ignore`, `.gitignore`,
`.git/info/exclude`, and global `gitignore` files. Enabled by default."; its
help: "--respect-gitignore  Respect file exclusions via `.gitignore` and other
standard ignore files. Use `--no-respect-gitignore` to disable".  A file named
on the command line is always checked (ruff's exclusions apply to it only
with --force-exclude, and ignore files never do).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from hplint.frontends.gitignore import translate

DEPRECATED = "def objective(trial):\n    return trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"


def environment(tmp_path: Path) -> Dict[str, str]:
    """No global git ignore file of the machine running the tests."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))


def files(repo: Path, env: Dict[str, str], *args: str) -> List[str]:
    result = subprocess.run(
        [sys.executable, "-m", "hplint", "--no-cache", "--show-files", *args],
        cwd=repo, capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stderr
    return [line.replace(os.sep, "/") for line in result.stdout.splitlines()]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git" / "info").mkdir(parents=True)  # what makes a work tree for ruff's walker
    (repo / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    for rel in ("train.py", "outputs/gen.py", "outputs/keep/kept.py", "src/a.py", "src/scratch_1.py", "src/notes.py"):
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DEPRECATED)
    return repo


def test_gitignored_files_are_skipped_by_default(repo: Path, tmp_path: Path) -> None:
    env = environment(tmp_path)
    (repo / ".gitignore").write_text("outputs/\n# a comment\n\nscratch_*.py\n")
    assert files(repo, env) == ["src/a.py", "src/notes.py", "train.py"]
    lint = subprocess.run([sys.executable, "-m", "hplint", "--no-cache"], cwd=repo, capture_output=True, text=True, env=env)
    assert "outputs/gen.py" not in lint.stdout and "train.py" in lint.stdout


def test_no_respect_gitignore_and_the_setting(repo: Path, tmp_path: Path) -> None:
    env = environment(tmp_path)
    (repo / ".gitignore").write_text("outputs/\n")
    everything = files(repo, env, "--no-respect-gitignore")
    assert "outputs/gen.py" in everything and "outputs/keep/kept.py" in everything
    (repo / "pyproject.toml").write_text("[tool.hplint]\nrespect-gitignore = false\n")
    assert "outputs/gen.py" in files(repo, env)
    assert "outputs/gen.py" not in files(repo, env, "--respect-gitignore")


def test_a_path_named_on_the_command_line_is_always_checked(repo: Path, tmp_path: Path) -> None:
    env = environment(tmp_path)
    (repo / ".gitignore").write_text("outputs/\n")
    assert files(repo, env, "outputs/gen.py") == ["outputs/gen.py"]
    assert files(repo, env, "outputs") == ["outputs/gen.py", "outputs/keep/kept.py"]  # the folder itself was named


def test_negation_nesting_and_anchoring(repo: Path, tmp_path: Path) -> None:
    env = environment(tmp_path)
    (repo / ".gitignore").write_text("*.py\n!train.py\n!src/\n/src/notes.py\n")
    (repo / "src" / ".gitignore").write_text("!a.py\n")
    assert files(repo, env) == ["src/a.py", "train.py"]


def test_info_exclude_dot_ignore_and_the_global_file(repo: Path, tmp_path: Path) -> None:
    env = environment(tmp_path)
    (repo / ".git" / "info" / "exclude").write_text("notes.py\n")
    (repo / "src" / ".ignore").write_text("scratch_*.py\n")
    global_file = Path(env["XDG_CONFIG_HOME"]) / "git" / "ignore"
    global_file.parent.mkdir(parents=True)
    global_file.write_text("outputs/\n")
    assert files(repo, env) == ["src/a.py", "train.py"]


def test_gitignore_outside_a_work_tree_is_not_read(repo: Path, tmp_path: Path) -> None:
    """ruff's walker reads .gitignore only inside a git repository; .ignore always."""
    env = environment(tmp_path)
    (repo / ".git" / "info").rmdir()
    (repo / ".git").rmdir()
    (repo / ".gitignore").write_text("outputs/\n")
    (repo / ".ignore").write_text("scratch_*.py\n")
    assert "outputs/gen.py" in files(repo, env) and "src/scratch_1.py" not in files(repo, env)


def test_a_real_git_work_tree(repo: Path, tmp_path: Path) -> None:
    """Tracked or not, a matching pattern skips the file (ruff reads the patterns, not git's index)."""
    env = environment(tmp_path)
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    shutil.rmtree(repo / ".git")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    (repo / ".gitignore").write_text("outputs/\n")
    subprocess.run(["git", "add", "-f", "outputs/gen.py"], cwd=repo, check=True, env=env)
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "outputs/gen.py"], cwd=repo, capture_output=True, text=True, env=env)
    assert ignored.returncode == 0  # git agrees the pattern matches
    assert "outputs/gen.py" not in files(repo, env)


@pytest.mark.parametrize(
    "pattern, path, is_dir, ignored",
    [
        ("outputs/", "outputs", True, True),
        ("outputs/", "outputs", False, False),  # a trailing slash matches folders only
        ("/build", "sub/build", True, False),  # a leading slash anchors to the ignore file's folder
        ("build", "sub/build", True, True),
        ("doc/*.txt", "doc/x/a.txt", False, False),  # a middle slash anchors too; * stops at /
        ("**/foo", "a/b/foo", False, True),
        ("abc/**", "abc/x/y", False, True),
        ("a/**/b", "a/b", False, True),
        ("a/**/b", "a/x/y/b", False, True),
        ("foo[!0-9].py", "fooa.py", False, True),
        ("foo[!0-9].py", "foo1.py", False, False),
        ("\\#lit", "#lit", False, True),
        ("a?c", "a/c", False, False),
        ("trailing   ", "trailing", False, True),  # unescaped trailing spaces are dropped
    ],
)
def test_pattern_rules_of_gitignore5(pattern: str, path: str, is_dir: bool, ignored: bool) -> None:
    regex, negated, directory_only = translate(pattern)
    assert (bool(re.match(regex, path)) and (is_dir or not directory_only)) == ignored
    assert translate("# comment") is None and translate("   ") is None
    assert translate("!keep.py")[1] is True


def test_same_files_as_git_lists(tmp_path: Path) -> None:
    """The files left after the ignore files are the untracked files git
    itself does not ignore (``git ls-files --others --exclude-standard``)."""
    env = environment(tmp_path)
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    repo = tmp_path / "diff"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    layout = [
        "a.py", "b/a.py", "b/c/a.py", "logs/run.py", "logs/keep.py", "data/raw/x.py", "data/clean/y.py",
        "docs/conf.py", "docs/api/gen_1.py", "docs/api/gen_x.py", "deep/x/y/z/tmp.py", "tmp.py", "[x].py", "sp ace.py",
    ]
    for rel in layout:
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    (repo / ".gitignore").write_text(
        "/a.py\nlogs/*\n!logs/keep.py\ndata/**/x.py\ndocs/api/gen_[0-9].py\n**/z/\ntmp.py\n\\[x\\].py\nsp\\ ace.py\n"
    )
    (repo / "b" / ".gitignore").write_text("c/\n!a.py\n")
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"], cwd=repo, capture_output=True, text=True, env=env, check=True
    ).stdout.splitlines()
    expected = sorted(p for p in listed if p.endswith(".py"))
    assert files(repo, env) == expected
