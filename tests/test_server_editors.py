"""Real editors' LSP clients against ``hplint server``, where one is installed (headless)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

EDITORS = Path(__file__).resolve().parent / "editors"
SOURCE = "import numpy as np\n\nfor lr in np.linspace(0.0001, 0.01, 6):  # café ☕\n    train(lr=lr)\n"


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_neovim_shows_the_finding_applies_the_fix_and_hovers(tmp_path: Path) -> None:
    path = tmp_path / "sweep.py"
    path.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "out.txt"
    env = dict(os.environ, HPLINT_PYTHON=sys.executable, HPLINT_OUT=str(out))
    command = ["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {EDITORS / 'neovim.lua'}", str(path)]
    subprocess.run(command, cwd=tmp_path, env=env, timeout=180, capture_output=True, stdin=subprocess.DEVNULL)
    seen = out.read_text(encoding="utf-8").splitlines()
    assert "diagnostic HPL201 2:10-38" in seen
    assert "action Fix HPL201: use log spacing" in seen and "action Suppress HPL201 on this line" in seen
    assert any(line.startswith("hover **HPL201**") for line in seen)
    assert "fixed for lr in np.geomspace(0.0001, 0.01, 6):  # café ☕" in seen
    assert seen[-1] == "left 0"


ELPA = "/usr/share/emacs/site-lisp/elpa"  # Debian's elpa-eglot, for Emacs 28 (eglot is built in from 29)


def _has_eglot() -> bool:
    if shutil.which("emacs") is None:
        return False
    probe = (
        f'(progn (dolist (d (and (file-directory-p "{ELPA}") (directory-files "{ELPA}" t "^[a-z]"))) '
        "(add-to-list (quote load-path) d)) (kill-emacs (if (require (quote eglot) nil t) 0 1)))"
    )
    result = subprocess.run(["emacs", "--batch", "-Q", "--eval", probe], capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    return result.returncode == 0


@pytest.mark.skipif(not _has_eglot(), reason="Emacs with eglot is not installed")
def test_emacs_eglot_shows_the_finding_applies_the_fix_and_hovers(tmp_path: Path) -> None:
    path = tmp_path / "sweep.py"
    path.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "out.txt"
    env = dict(os.environ, HPLINT_PYTHON=sys.executable, HPLINT_OUT=str(out))
    command = ["emacs", "--batch", "-Q", "-l", str(EDITORS / "eglot.el"), str(path)]
    subprocess.run(command, cwd=tmp_path, env=env, timeout=300, capture_output=True, stdin=subprocess.DEVNULL)
    seen = out.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("diagnostic 3 hplint [HPL201]") for line in seen), seen
    assert "action Fix HPL201: use log spacing" in seen and "action Suppress HPL201 on this line" in seen
    assert any(line.startswith("hover HPL201") for line in seen)
    assert "fixed for lr in np.geomspace(0.0001, 0.01, 6):  # café ☕" in seen
    assert seen[-1] == "left 0"
