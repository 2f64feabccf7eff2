"""An editor: a real LSP client talking to a real ``hplint server`` process over stdio.

pygls's own client speaks the protocol; this wraps it with what the tests
need: the capabilities an editor declares, the diagnostics the server pushed
(per document, with their version), the messages it logged, the requests it
made of the client, and applying a ``WorkspaceEdit`` to a text the way an
editor does.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

TIMEOUT = 60.0


def capabilities(pull: bool = False, resolve: bool = False, versioned: bool = True, encodings: Sequence[str] = ()) -> types.ClientCapabilities:
    """What an editor like Neovim or VS Code declares."""
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=list(encodings)) if encodings else None,
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=versioned),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True) if pull else None,
        ),
        text_document=types.TextDocumentClientCapabilities(
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            diagnostic=types.DiagnosticClientCapabilities() if pull else None,
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(value_set=[k for k in types.CodeActionKind])
                ),
                resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]) if resolve else None,
            ),
        ),
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities(execution_summary_support=False)
        ),
    )


def uri_of(path: Path) -> str:
    return from_fs_path(str(path))


class Editor:
    """One server process and the client that drives it, as an editor does."""

    def __init__(self, root: Path, caps: Optional[types.ClientCapabilities] = None, command: Optional[List[str]] = None) -> None:
        self.root = root
        self.caps = caps or capabilities()
        self.command = command or [sys.executable, "-m", "hplint", "server"]
        self.client = LanguageClient("hplint-tests", "1")
        self.pushed: Dict[str, types.PublishDiagnosticsParams] = {}
        self.pushes: List[types.PublishDiagnosticsParams] = []
        self.logs: List[types.LogMessageParams] = []
        self.shown: List[types.ShowMessageParams] = []
        self.registrations: List[types.Registration] = []
        self.refreshes = 0
        self.versions: Dict[str, int] = {}
        self.initialize_result: Optional[types.InitializeResult] = None
        self._changed = asyncio.Event()
        client = self.client

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.pushed[params.uri] = params
            self.pushes.append(params)
            self._changed.set()

        @client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            self.logs.append(params)
            self._changed.set()

        @client.feature(types.WINDOW_SHOW_MESSAGE)
        def on_show(params: types.ShowMessageParams) -> None:
            self.shown.append(params)
            self._changed.set()

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def on_register(params: types.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)
            self._changed.set()

        @client.feature(types.WORKSPACE_DIAGNOSTIC_REFRESH)
        def on_refresh(params: None) -> None:
            self.refreshes += 1
            self._changed.set()

    # -- lifecycle -------------------------------------------------------------
    async def start(self) -> types.InitializeResult:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        await self.client.start_io(*self.command, cwd=str(self.root), env=env)
        folder = types.WorkspaceFolder(uri=uri_of(self.root), name=self.root.name)
        params = types.InitializeParams(
            capabilities=self.caps, root_uri=uri_of(self.root), workspace_folders=[folder], process_id=os.getpid()
        )
        self.initialize_result = await asyncio.wait_for(self.client.initialize_async(params), TIMEOUT)
        self.client.initialized(types.InitializedParams())
        return self.initialize_result

    async def stop(self) -> Optional[int]:
        """``shutdown`` then ``exit``; the server's exit status."""
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        process = self.client._server
        code = await asyncio.wait_for(process.wait(), TIMEOUT) if process is not None else None
        await asyncio.wait_for(self.client.stop(), TIMEOUT)
        return code

    async def kill(self) -> None:
        process = self.client._server
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        await self.client.stop()

    # -- documents ------------------------------------------------------------
    def open(self, path: Path, text: Optional[str] = None, language: str = "python") -> str:
        uri = uri_of(path)
        self.versions[uri] = 1
        item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=path.read_text(encoding="utf-8") if text is None else text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        return uri

    def change(self, uri: str, changes: List[types.TextDocumentContentChangeEvent]) -> int:
        self.versions[uri] += 1
        document = types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri])
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(text_document=document, content_changes=changes))
        return self.versions[uri]

    def replace_all(self, uri: str, text: str) -> int:
        return self.change(uri, [types.TextDocumentContentChangeWholeDocument(text=text)])

    async def wait_for(self, predicate, timeout: float = TIMEOUT) -> None:
        """Until ``predicate()`` holds (checked after every message from the server)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError("timed out waiting for the server")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))
            except asyncio.TimeoutError:
                pass

    async def diagnostics(self, uri: str, version: Optional[int] = None) -> List[types.Diagnostic]:
        """The diagnostics pushed for ``uri`` at ``version`` (default: its latest)."""
        want = self.versions.get(uri) if version is None else version
        await self.wait_for(lambda: uri in self.pushed and (want is None or self.pushed[uri].version == want))
        return list(self.pushed[uri].diagnostics)

    async def request(self, coroutine) -> Any:
        return await asyncio.wait_for(coroutine, TIMEOUT)

    async def code_actions(self, uri: str, rng: types.Range, only: Optional[List[str]] = None) -> List[types.CodeAction]:
        context = types.CodeActionContext(diagnostics=[], only=only)
        params = types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri), range=rng, context=context)
        return list(await self.request(self.client.text_document_code_action_async(params)) or [])


def whole(text: str) -> types.Range:
    lines = text.split("\n")
    return types.Range(types.Position(0, 0), types.Position(len(lines), 0))


def at_line(line: int) -> types.Range:
    """A cursor on a 0-based line (the range an editor asks code actions for)."""
    return types.Range(types.Position(line, 0), types.Position(line, 0))


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions, all relative to ``text``) as an editor does."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    lines = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        content = lines[position.line].rstrip("\r\n")
        units = 0
        for index, char in enumerate(content):
            if units >= position.character:
                return starts[position.line] + index
            units += 2 if ord(char) > 0xFFFF else 1
        return starts[position.line] + len(content)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        assert end >= start
        text = text[:start] + new + text[end:]
    return text


def edits_for(action: types.CodeAction, uri: str) -> List[types.TextEdit]:
    """The text edits an action makes to ``uri`` (either form of WorkspaceEdit)."""
    assert action.edit is not None, action.title
    if action.edit.document_changes:
        found: List[types.TextEdit] = []
        for change in action.edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            if change.text_document.uri == uri:
                found.extend(change.edits)  # type: ignore[arg-type]
        return found
    return list((action.edit.changes or {}).get(uri, []))
