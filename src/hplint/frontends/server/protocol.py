"""``hplint server``: the LSP wiring.

Documents arrive through pygls's text and notebook synchronisation; each
open file or notebook is linted in one worker thread (one lint at a time:
the engine keeps per-file state, and two lints would only share two cores
slower), so the server keeps reading messages while a big file is linted.
A change is linted after a short quiet period (``DEBOUNCE_S``), an open or a
save at once, and a result whose text has changed since is never published.
Clients that pull diagnostics (``textDocument/diagnostic``) are answered from
the same results and are not pushed to, so no finding is shown twice.

Nothing a file or a rule does may stop the server: a rule's exception is the
engine's ``HPL001`` finding and is also logged to the client; anything else
raised while linting is logged, and the document keeps its last findings.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional, Set, Tuple
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from hplint import __version__
from hplint.core.config import Config, ConfigError, ConfigResolver
from hplint.engine.reparse import Reparser
from hplint.engine.syntax import INTERNAL_ERROR
from hplint.frontends.server.actions import FIX_ALL, KINDS, code_actions, resolve_fix_all
from hplint.frontends.server.diagnostics import to_lsp_all
from hplint.frontends.server.documents import NotebookSnapshot, Snapshot, SweepSnapshot
from hplint.frontends.server.hover import hover
from hplint.frontends.server.positions import LineIndex
from hplint.sweeps.reader import is_sweep_path

DEBOUNCE_S = 0.05
CONFIG_GLOB = "**/pyproject.toml"
WATCH_ID = "hplint-pyproject"


class HplintProtocol(LanguageServerProtocol):
    """pygls's protocol, forgetting a notification's future once its handler is done.

    pygls 2.1 files the future of every notification whose handler is a generator or a
    coroutine (its own ``textDocument/didChange`` handling is one) under a fresh id, and
    only a request's response takes it out again: each edit would leave one behind (its
    future, its id and the handler's frame), and the server's memory grew with every edit."""

    def _handle_notification(self, method_name: str, params: object) -> None:
        known = set(self._request_futures)
        super()._handle_notification(method_name, params)
        for msg_id in set(self._request_futures) - known:
            self._request_futures[msg_id].add_done_callback(lambda _done, key=msg_id: self._request_futures.pop(key, None))


class HplintServer(LanguageServer):
    """The server's state: the configuration, and the last result per document."""

    def __init__(self) -> None:
        super().__init__(
            "hplint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[types.NotebookDocumentFilterWithCells(cells=[types.NotebookCellLanguage("python")], notebook="*")],  # "*": any notebook
                save=True,
            ),
            protocol_cls=HplintProtocol,
        )
        self.resolver = ConfigResolver()
        self.generation = 0  # bumped when a pyproject.toml changes
        self.open: Set[str] = set()  # the files' and notebooks' uris, as the client spells them
        self.snapshots: Dict[str, Snapshot] = {}  # document or notebook uri -> its last lint
        self.reparsers: Dict[str, Reparser] = {}  # document or notebook uri -> its statements parsed so far
        self.inflight: Dict[str, Tuple[Dict[str, str], "asyncio.Future[Snapshot]"]] = {}
        self.timers: Dict[str, "asyncio.Task[None]"] = {}
        self.published: Dict[str, Set[str]] = {}  # notebook uri -> cell uris given diagnostics
        self.shown_errors: Set[str] = set()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hplint-lint")
        self.debounce = DEBOUNCE_S
        self.shut_down = False  # LSP: ``exit`` after ``shutdown`` is status 0, without it 1

    # -- what the client can do ----------------------------------------------
    def _capability(self, *names: str):
        value = self.client_capabilities
        for name in names:
            value = getattr(value, name, None) if value is not None else None
        return value

    @property
    def pulls(self) -> bool:
        """A client that pulls diagnostics is answered, never pushed to."""
        return self._capability("text_document", "diagnostic") is not None

    @property
    def versioned_edits(self) -> bool:
        return bool(self._capability("workspace", "workspace_edit", "document_changes"))

    @property
    def lazy_actions(self) -> bool:
        support = self._capability("text_document", "code_action", "resolve_support")
        return support is not None and "edit" in (support.properties or [])

    @property
    def markdown(self) -> bool:
        formats = self._capability("text_document", "hover", "content_format") or []
        return types.MarkupKind.Markdown in formats or "markdown" in formats

    def index(self, uri: str, text: str) -> LineIndex:
        encoding = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        return LineIndex(text, str(getattr(encoding, "value", encoding)))

    # -- messages to the client ----------------------------------------------
    def log(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def show_once(self, message: str) -> None:
        self.log(message)
        if message not in self.shown_errors:
            self.shown_errors.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    # -- documents -------------------------------------------------------------
    def key_of(self, uri: str) -> str:
        """The file or notebook an LSP document belongs to."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None else uri

    def config_for(self, path: str) -> Optional[Config]:
        """The file's ``[tool.hplint]``; None when it excludes the file or cannot be read."""
        try:
            config = self.resolver.for_path(path)
        except ConfigError as exc:
            self.show_once(f"hplint: {exc}")
            return None
        root = config.root
        if root and os.path.abspath(path).startswith(os.path.abspath(root) + os.sep) and config.is_excluded(path, below=root):
            return None
        return config

    def _path(self, uri: str, suffix: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path:
            return path
        root = self.workspace.root_path or os.getcwd()
        return os.path.join(root, "untitled" + suffix)

    def snapshot_of(self, key: str) -> Optional[Snapshot]:
        """An unlinted snapshot of the document's current text, or None if it is not open."""
        notebook = self.workspace.get_notebook_document(notebook_uri=key)
        if notebook is not None:
            path = self._path(key, ".ipynb")
            cells = [cell.document for cell in notebook.cells]
            code: List[str] = []
            texts: Dict[str, str] = {}
            versions: Dict[str, Optional[int]] = {}
            for cell in notebook.cells:
                document = self.workspace.text_documents.get(unquote(cell.document))  # pygls keys them unquoted
                if cell.kind != types.NotebookCellKind.Code or document is None:
                    continue
                if document.language_id not in (None, "python"):
                    continue
                code.append(cell.document)
                texts[cell.document] = document.source
                versions[cell.document] = document.version
            snapshot: Snapshot = NotebookSnapshot(key, path, self.config_for(path), texts, versions, cells=cells, code=code)
            snapshot.reparser = self.reparsers.setdefault(key, Reparser())
            return snapshot
        document = self.workspace.text_documents.get(unquote(key))
        if document is None:
            return None
        path = self._path(key, ".py")
        kind = SweepSnapshot if is_sweep_path(path) else Snapshot
        snapshot = kind(key, path, self.config_for(path), {key: document.source}, {key: document.version})
        snapshot.reparser = self.reparsers.setdefault(key, Reparser())
        return snapshot

    async def linted(self, key: str) -> Optional[Snapshot]:
        """The document's findings on its current text (linted now if needed)."""
        fresh = self.snapshot_of(key)
        if fresh is None:
            return None
        done = self.snapshots.get(key)
        if done is not None and done.texts == fresh.texts:
            done.versions = fresh.versions  # an edit that restored the text: the same findings, the new version
            return done
        running = self.inflight.get(key)
        if running is not None and running[0] == fresh.texts:
            shared = await asyncio.shield(running[1])
            shared.versions = fresh.versions
            return shared
        future = asyncio.get_running_loop().run_in_executor(self.executor, _lint, fresh)
        self.inflight[key] = (fresh.texts, future)
        try:
            result = await asyncio.shield(future)
        finally:
            if self.inflight.get(key, (None, None))[1] is future:
                del self.inflight[key]
        self._report_failures(result)
        if self.snapshot_of(key) is not None:
            self.snapshots[key] = result
        return result

    async def in_worker(self, function, *args):
        """Run ``function`` in the lint thread: fixes lint again, and the
        engine's per-file state is not shared between threads."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    def _report_failures(self, snapshot: Snapshot) -> None:
        if snapshot.error:
            self.log(f"hplint: linting {snapshot.path} failed; its findings are not shown:\n{snapshot.error}")
        for finding in snapshot.findings:
            if finding.diagnostic.code == "HPL001" and INTERNAL_ERROR in finding.diagnostic.message:
                self.log(f"hplint: {snapshot.path}: {finding.diagnostic.message}")

    # -- pushing diagnostics ---------------------------------------------------
    def schedule(self, key: str, delay: float) -> None:
        """Lint ``key`` after ``delay`` seconds of quiet, and push the result."""
        old = self.timers.pop(key, None)
        if old is not None:
            old.cancel()
        self.timers[key] = asyncio.ensure_future(self._lint_and_publish(key, delay))

    async def _lint_and_publish(self, key: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        try:
            snapshot = await self.linted(key)
        except Exception:  # never let one document stop the server
            self.log(f"hplint: linting {key} failed:\n{traceback.format_exc()}")
            return
        if snapshot is None or self.pulls or snapshot.error:
            return  # after an error the document keeps the findings it had
        current = self.snapshot_of(key)
        if current is None or current.texts != snapshot.texts:
            return  # a newer text is on its way
        self.publish(snapshot)

    def publish(self, snapshot: Snapshot) -> None:
        targets = list(snapshot.texts)
        if isinstance(snapshot, NotebookSnapshot):
            stale = self.published.get(snapshot.uri, set()) - set(targets)
            for uri in stale:
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            self.published[snapshot.uri] = set(targets)
        for uri in targets:
            items = to_lsp_all(snapshot.findings_in(uri), self.index(uri, snapshot.texts[uri]))
            params = types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=snapshot.versions.get(uri))
            self.text_document_publish_diagnostics(params)

    def forget(self, key: str, uris: List[str]) -> None:
        self.open.discard(key)
        timer = self.timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self.snapshots.pop(key, None)
        self.reparsers.pop(key, None)
        uris = list(set(uris) | self.published.pop(key, set()))
        if not self.pulls:
            for uri in uris:
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reload_configuration(self) -> None:
        """A pyproject.toml changed: read the configuration again, lint every open document again."""
        self.resolver = ConfigResolver()
        self.generation += 1
        self.snapshots.clear()
        self.shown_errors.clear()
        if self.pulls:
            if self._capability("workspace", "diagnostics", "refresh_support"):
                self.workspace_diagnostic_refresh(None)
            return
        for key in sorted(self.open):
            self.schedule(key, 0)

    def result_id(self, snapshot: Snapshot) -> str:
        digest = hashlib.sha1(str(self.generation).encode())
        for uri in sorted(snapshot.texts):
            digest.update(uri.encode() + b"\0" + snapshot.texts[uri].encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()


def _lint(snapshot: Snapshot) -> Snapshot:
    """Runs in the worker thread; whatever goes wrong is kept for the client's log."""
    try:
        snapshot.lint()
    except BaseException:  # noqa: B036 - a RecursionError or a rule's bug must not end the server
        snapshot.error = traceback.format_exc()
    return snapshot


def create_server() -> HplintServer:
    server = HplintServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: HplintServer, params: types.InitializedParams) -> None:
        if ls._capability("workspace", "did_change_watched_files", "dynamic_registration"):
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=[types.FileSystemWatcher(glob_pattern=CONFIG_GLOB)])
            registration = types.Registration(id=WATCH_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: HplintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith("pyproject.toml") for change in params.changes):
            ls.reload_configuration()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HplintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open.add(params.text_document.uri)
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HplintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: HplintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HplintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri, [params.text_document.uri])

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: HplintServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.open.add(params.notebook_document.uri)
        ls.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: HplintServer, params: types.DidChangeNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, ls.debounce)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: HplintServer, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: HplintServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.forget(params.notebook_document.uri, [cell.uri for cell in params.cell_text_documents])

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="hplint", inter_file_dependencies=False, workspace_diagnostics=False),
    )
    async def pull_diagnostics(ls: HplintServer, params: types.DocumentDiagnosticParams):
        uri = params.text_document.uri
        snapshot = await ls.linted(ls.key_of(uri))
        if snapshot is None or uri not in snapshot.texts:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = ls.result_id(snapshot)
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        items = to_lsp_all(snapshot.findings_in(uri), ls.index(uri, snapshot.texts[uri]))
        return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True))
    async def code_action(ls: HplintServer, params: types.CodeActionParams) -> Optional[List[types.CodeAction]]:
        uri = params.text_document.uri
        snapshot = await ls.linted(ls.key_of(uri))
        if snapshot is None:
            return None
        only = [str(getattr(k, "value", k)) for k in params.context.only] if params.context.only else None
        context = params.context.diagnostics or ()
        args = (snapshot, uri, params.range, only, ls.index, ls.versioned_edits, ls.lazy_actions, context)
        return await ls.in_worker(code_actions, *args) or None

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve(ls: HplintServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        if action.kind != FIX_ALL or "uri" not in data:
            return action
        snapshot = await ls.linted(data["uri"])
        if snapshot is None:
            return action
        return await ls.in_worker(resolve_fix_all, action, snapshot, ls.index, ls.versioned_edits) or action

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: HplintServer, params: types.HoverParams) -> Optional[types.Hover]:
        uri = params.text_document.uri
        snapshot = await ls.linted(ls.key_of(uri))
        if snapshot is None or uri not in snapshot.texts:
            return None
        return hover(snapshot.findings_in(uri), ls.index(uri, snapshot.texts[uri]), params.position, ls.markdown)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HplintServer, params: None) -> None:
        ls.shut_down = True
        for timer in ls.timers.values():
            timer.cancel()
        ls.timers.clear()
        ls.executor.shutdown(wait=False, cancel_futures=True)

    return server
