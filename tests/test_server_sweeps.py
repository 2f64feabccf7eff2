"""``hplint server`` on sweep files: the CLI's sweep linter, fixes and ``# noqa``, over stdio."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest.importorskip("yaml")

from lsp_editor import Editor, apply, at_line, capabilities, edits_for  # noqa: E402

SWEEP = """\
method: bayes
metric:
  name: val_loss
  goal: minimize
parameters:
  lr:
    min: 0.00001
    max: 0.1
  dropout:
    values: [0.1, 0.3]
"""
LR_LINE = 5  # 0-based


def _cli(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "hplint", "--no-cache", *args], cwd=cwd, capture_output=True, text=True, check=False)


def _expected(tmp_path: Path, *args: str) -> str:
    folder = tmp_path / f"cli{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    path = folder / "sweep.yaml"
    path.write_text(SWEEP, encoding="utf-8")
    _cli(*args, str(path), cwd=folder)
    return path.read_text(encoding="utf-8")


def test_sweep_file_gets_diagnostics_quick_fix_fix_all_and_suppress(tmp_path: Path) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text(SWEEP, encoding="utf-8")
    fixed = _expected(tmp_path, "--fix")
    suppressed = _expected(tmp_path, "--add-noqa")

    async def scenario() -> None:
        editor = Editor(tmp_path, capabilities(resolve=True))
        await editor.start()
        uri = editor.open(path, language="yaml")
        [diagnostic] = await editor.diagnostics(uri)
        assert str(diagnostic.code) == "HPL203" and diagnostic.range.start.line == LR_LINE
        actions = await editor.code_actions(uri, at_line(LR_LINE))
        fix = next(a for a in actions if a.title.startswith("Fix HPL203"))
        assert apply(SWEEP, edits_for(fix, uri)) == fixed
        suppress = next(a for a in actions if a.title == "Suppress HPL203 on this line")
        assert apply(SWEEP, edits_for(suppress, uri)) == suppressed
        [fix_all] = await editor.code_actions(uri, at_line(0), only=["source.fixAll"])
        resolved = await editor.request(editor.client.code_action_resolve_async(fix_all))
        assert apply(SWEEP, edits_for(resolved, uri)) == fixed
        version = editor.replace_all(uri, fixed)
        assert await editor.diagnostics(uri, version) == []
        assert await editor.stop() == 0

    asyncio.run(scenario())


def test_yaml_that_is_not_a_sweep_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "docker-compose.yml"
    path.write_text("services:\n  web:\n    image: nginx\n    ports: ['80:80']\n", encoding="utf-8")

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path, language="yaml")
        assert await editor.diagnostics(uri) == []
        assert await editor.stop() == 0

    asyncio.run(scenario())
