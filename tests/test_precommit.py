"""Both pre-commit hooks, run for real with ``pre-commit try-repo``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

BAD = "def objective(trial):\n    return trial.suggest_loguniform('lr', 1e-5, 1e-1)\n"
FIXED = "def objective(trial):\n    return trial.suggest_float('lr', 1e-5, 1e-1, log=True)\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is required by pre-commit")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.invalid")
    _git(repo, "config", "user.name", "t")
    (repo / "train.py").write_text(BAD)
    (repo / "notes.txt").write_text("suggest_loguniform is not code here\n")
    _git(repo, "add", ".")
    return repo


def _try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    pre_commit = shutil.which("pre-commit") or str(Path(os.sys.executable).with_name("pre-commit"))
    return subprocess.run(
        [pre_commit, "try-repo", str(ROOT), hook, "--all-files", "--verbose"],
        cwd=repo, capture_output=True, text=True, timeout=900, env=env,
    )


def test_check_and_fix_hooks(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    check = _try_repo(repo, "hplint", home)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "train.py:2:12: HPL206" in check.stdout
    assert "notes.txt" not in check.stdout
    assert (repo / "train.py").read_text() == BAD  # the check hook never writes

    fix = _try_repo(repo, "hplint-fix", home)
    assert fix.returncode == 1, fix.stdout + fix.stderr  # files were modified
    assert (repo / "train.py").read_text() == FIXED

    _git(repo, "add", ".")
    again = _try_repo(repo, "hplint-fix", home)
    assert again.returncode == 0, again.stdout + again.stderr
    clean = _try_repo(repo, "hplint", home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
