"""The README's usage section, the changelog and the version say what the CLI does."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT
from hplint import __version__

README = (ROOT / "README.md").read_text(encoding="utf-8")
USAGE = README.split("\n## Usage\n", 1)[1].split("\n## Configuration\n", 1)[0]


def test_usage_shows_the_new_flags() -> None:
    for flag in (
        "--add-noqa", "--show-settings", "--show-files", "--fix-only", "--show-fixes", "--extend-ignore",
        "--per-file-ignores", "--no-respect-gitignore", "--statistics", "--stdin-filename",
        "--output-format full", "json-lines", "junit", "gitlab", "# hplint: noqa", "# ruff: noqa", "# flake8: noqa",
    ):
        assert flag in USAGE, flag
    assert "--select HPL2 --select HPL301" in USAGE  # repeated flags add up


def test_no_placeholder_address() -> None:
    assert "example.invalid" not in README
    for path in (ROOT / "src" / "hplint").rglob("*.py"):
        assert "example.invalid" not in path.read_text(encoding="utf-8"), path


def test_install_from_a_checkout_or_a_wheel_and_pre_commit_from_a_clone() -> None:
    assert "pip install ." in USAGE and "pip wheel --no-deps -w dist ." in USAGE
    assert f"dist/hplint-{__version__}-py3-none-any.whl" in USAGE
    assert "pre-commit try-repo /path/to/your/hplint/clone hplint" in USAGE
    assert 'rev: $(git -C "$HPLINT" rev-parse HEAD)' in USAGE  # a rev: that exists in the clone


def test_the_torch_pin_comes_where_the_verify_extra_is_first_mentioned() -> None:
    first = README.index("[verify]")
    paragraph = README[README.rfind("\n\n", 0, first): README.find("\n\n", first)]
    assert "pip install torch==2.13.0" in paragraph
    for line in README.splitlines():
        if "pip install" in line and "verify]" in line:  # every command that installs the extra pins torch first
            assert "torch==2.13.0" in line[: line.index("verify]")], line


def test_version_is_a_minor_bump_with_a_changelog_entry() -> None:
    """New features, nothing removed: 0.1.0 -> 0.2.0 (Semantic Versioning)."""
    assert __version__ == "0.2.0"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Keep a Changelog" in changelog
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    for heading in ("### Added", "### Changed"):
        assert heading in changelog
    shown = subprocess.run([sys.executable, "-m", "hplint", "--version"], capture_output=True, text=True).stdout
    assert shown.strip() == f"hplint {__version__}"
