"""``hplint server`` on notebooks (LSP 3.17 notebook-document sync): the code
cells linted as one program, as ``hplint`` lints a ``.ipynb``."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from lsp_editor import Editor, apply, at_line, edits_for, uri_of  # noqa: E402

CELLS = [
    ("code", "import numpy as np\n%matplotlib inline\nlearning_rates = np.linspace(0.0001, 0.01, 6)"),
    ("markdown", "# The sweep\nlearning rates"),
    ("code", "# ☕ café\nfor lr in learning_rates:\n    train(lr=lr)"),
    ("code", "!pip list\nfor wd in np.linspace(0.0001, 0.01, 6):\n    train(weight_decay=wd)"),
]


def notebook_json(cells) -> str:
    data = {
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": text, **({"outputs": [], "execution_count": None} if kind == "code" else {})}
            for kind, text in cells
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def cell_uri(path: Path, index: int) -> str:
    return f"vscode-notebook-cell:{path}#W{index}"


def open_notebook(editor: Editor, path: Path, cells) -> List[str]:
    uris = [cell_uri(path, i) for i in range(len(cells))]
    notebook = types.NotebookDocument(
        uri=uri_of(path),
        notebook_type="jupyter-notebook",
        version=1,
        cells=[
            types.NotebookCell(kind=types.NotebookCellKind.Code if kind == "code" else types.NotebookCellKind.Markup, document=uri)
            for (kind, _), uri in zip(cells, uris)
        ],
    )
    items = [
        types.TextDocumentItem(uri=uri, language_id="python" if kind == "code" else "markdown", version=1, text=text)
        for (kind, text), uri in zip(cells, uris)
    ]
    for uri in uris:
        editor.versions[uri] = 1
    editor.client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(notebook_document=notebook, cell_text_documents=items))
    return uris


def cli_fixed_cells(tmp_path: Path, cells) -> Dict[int, str]:
    folder = tmp_path / "cli"
    folder.mkdir()
    path = folder / "sweep.ipynb"
    path.write_text(notebook_json(cells), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "hplint", "--no-cache", "--fix", str(path)], cwd=folder, capture_output=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    return {i: "".join(c["source"]) if isinstance(c["source"], list) else c["source"] for i, c in enumerate(data["cells"])}


def test_notebook_cells_are_one_program_with_findings_on_their_cells(tmp_path: Path) -> None:
    path = tmp_path / "sweep.ipynb"
    path.write_text(notebook_json(CELLS), encoding="utf-8")
    expected = cli_fixed_cells(tmp_path, CELLS)

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uris = open_notebook(editor, path, CELLS)
        first = await editor.diagnostics(uris[0])
        assert [(str(d.code), d.range.start.line) for d in first] == [("HPL201", 2)]  # after a magic line, which is not Python
        last = await editor.diagnostics(uris[3])  # np is imported in cell 1: one program
        assert [(str(d.code), d.range.start.line, d.range.start.character) for d in last] == [("HPL201", 1, 10)]
        assert await editor.diagnostics(uris[2]) == []
        assert uris[1] not in editor.pushed  # markdown is not Python

        actions = await editor.code_actions(uris[0], at_line(2))
        fix = next(a for a in actions if a.title.startswith("Fix HPL201"))
        assert [c.text_document.uri for c in fix.edit.document_changes] == [uris[0]]
        assert apply(CELLS[0][1], edits_for(fix, uris[0])) == expected[0]

        suppress = next(a for a in actions if a.title == "Suppress HPL201 on this line")
        assert apply(CELLS[0][1], edits_for(suppress, uris[0])).splitlines()[2].endswith("  # noqa: HPL201")

        fix_all = (await editor.code_actions(uris[2], at_line(0), only=["source.fixAll.hplint"]))[0]
        touched = {c.text_document.uri for c in fix_all.edit.document_changes}
        assert touched == {uris[0], uris[3]}
        for index in (0, 3):
            assert apply(CELLS[index][1], edits_for(fix_all, uris[index])) == expected[index]

        hover = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uris[3]), position=types.Position(1, 14))
        result = await editor.request(editor.client.text_document_hover_async(hover))
        assert result is not None and result.contents.value.startswith("**HPL201**")
        assert await editor.stop() == 0

    asyncio.run(scenario())


def test_a_cell_edit_relints_the_notebook_and_closing_clears_it(tmp_path: Path) -> None:
    path = tmp_path / "sweep.ipynb"
    path.write_text(notebook_json(CELLS), encoding="utf-8")

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uris = open_notebook(editor, path, CELLS)
        await editor.diagnostics(uris[3])
        editor.versions[uris[3]] = 2
        fixed = CELLS[3][1].replace("linspace", "geomspace")
        change = types.NotebookDocumentCellContentChanges(
            document=types.VersionedTextDocumentIdentifier(uri=uris[3], version=2),
            changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
        event = types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[change]))
        identifier = types.VersionedNotebookDocumentIdentifier(version=2, uri=uri_of(path))
        editor.client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(notebook_document=identifier, change=event))
        assert await editor.diagnostics(uris[3], 2) == []
        assert [str(d.code) for d in editor.pushed[uris[0]].diagnostics] == ["HPL201"]
        closing = types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=uri_of(path)),
            cell_text_documents=[types.TextDocumentIdentifier(uri=u) for u in uris],
        )
        editor.client.notebook_document_did_close(closing)
        await editor.wait_for(lambda: not editor.pushed[uris[0]].diagnostics)
        assert await editor.stop() == 0

    asyncio.run(scenario())
