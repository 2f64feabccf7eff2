"""``hplint server`` driven over stdio by a real LSP client (pygls's), as an editor drives it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from hplint.core.registry import get_rule  # noqa: E402
from hplint.frontends.output import explain  # noqa: E402
from lsp_editor import Editor, apply, at_line, capabilities, edits_for, uri_of  # noqa: E402

SAMPLE = textwrap.dedent(
    '''\
    import numpy as np
    import optuna


    def objective(trial):
        label, lr = "😀ü", trial.suggest_float("lr", 1e-5, 1e-1)
        model = build(lr)
        for epoch in range(50):
            train_one_epoch(model)
            acc = evaluate(model)
            trial.report(acc, epoch)
        return acc


    for wd in np.linspace(0.0001, 0.01, 6):
        train(weight_decay=wd)

    optuna.create_study(direction="maximize").optimize(objective, n_trials=100)
    '''
)
SUGGEST_LINE = 5  # 0-based: the HPL202 finding, after a string holding an astral character
LINSPACE_LINE = 14


def run(coroutine):
    return asyncio.run(coroutine)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hplint", "--no-cache", *args], cwd=cwd, capture_output=True, text=True)


def codes(diagnostics: List[types.Diagnostic]) -> List[str]:
    return sorted(str(d.code) for d in diagnostics)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_initialize_advertises_what_the_server_does(tmp_path: Path) -> None:
    async def scenario() -> None:
        editor = Editor(tmp_path)
        result = await editor.start()
        caps = result.capabilities
        assert result.server_info is not None and result.server_info.name == "hplint"
        assert caps.position_encoding == types.PositionEncodingKind.Utf16
        assert set(caps.code_action_provider.code_action_kinds) >= {"quickfix", "source.fixAll", "source.fixAll.hplint"}
        assert caps.code_action_provider.resolve_provider
        assert caps.hover_provider and caps.diagnostic_provider is not None
        assert caps.notebook_document_sync is not None
        await editor.wait_for(lambda: editor.registrations)  # it asks to be told when a pyproject.toml changes
        assert editor.registrations[0].method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        assert await editor.stop() == 0

    run(scenario())


def test_open_pushes_diagnostics_with_utf16_columns_severity_and_fix_status(tmp_path: Path) -> None:
    path = write(tmp_path, "sample.py", SAMPLE)
    expected = {(d["code"], d["line"] - 1) for d in _cli_findings(tmp_path, path)}

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        found = await editor.diagnostics(uri)
        assert {(str(d.code), d.range.start.line) for d in found} == expected  # the CLI's findings
        by_code = {str(d.code): d for d in found}
        suggest = by_code["HPL202"].range
        line = SAMPLE.splitlines()[SUGGEST_LINE]
        start = line.index("trial.suggest_float")
        # "😀" is one code point but two UTF-16 code units
        assert (suggest.start.line, suggest.start.character) == (SUGGEST_LINE, start + 1)
        assert (suggest.end.line, suggest.end.character) == (SUGGEST_LINE, len(line) + 1)
        assert by_code["HPL201"].range.start == types.Position(LINSPACE_LINE, 10)
        for diag in found:
            assert diag.source == "hplint" and diag.severity == types.DiagnosticSeverity.Warning
        assert by_code["HPL202"].data == {"fix": "safe"} and by_code["HPL302"].data == {"fix": "unsafe"}
        assert await editor.stop() == 0

    run(scenario())


def _cli_findings(cwd: Path, path: Path) -> list:
    import json

    return json.loads(cli("--output-format", "json", str(path), cwd=cwd).stdout)


def test_columns_follow_the_negotiated_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "sample.py", SAMPLE)

    async def scenario() -> None:
        editor = Editor(tmp_path, capabilities(encodings=["utf-8"]))
        result = await editor.start()
        assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
        uri = editor.open(path)
        found = {str(d.code): d for d in await editor.diagnostics(uri)}
        line = SAMPLE.splitlines()[SUGGEST_LINE]
        start = line.index("trial.suggest_float")
        assert found["HPL202"].range.start.character == len(line[:start].encode("utf-8"))
        assert await editor.stop() == 0

    run(scenario())


def test_changes_are_debounced_and_the_latest_text_is_published(tmp_path: Path) -> None:
    path = write(tmp_path, "sample.py", SAMPLE)

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        await editor.diagnostics(uri)
        first = len(editor.pushes)
        # type "geom" over "lin" one keystroke at a time, as an editor sends it
        col = SAMPLE.splitlines()[LINSPACE_LINE].index("linspace")
        span = types.Range(types.Position(LINSPACE_LINE, col), types.Position(LINSPACE_LINE, col + 3))
        versions = [editor.change(uri, [types.TextDocumentContentChangePartial(range=span, text="")])]
        for offset, char in enumerate("geom"):
            at = types.Position(LINSPACE_LINE, col + offset)
            versions.append(editor.change(uri, [types.TextDocumentContentChangePartial(range=types.Range(at, at), text=char)]))
        found = await editor.diagnostics(uri, versions[-1])
        assert "HPL201" not in codes(found) and "HPL202" in codes(found)
        published = {p.version for p in editor.pushes[first:]}
        assert len(published & set(versions)) < len(versions)  # keystrokes coalesced
        assert await editor.stop() == 0

    run(scenario())


def test_save_publishes_again_and_close_clears(tmp_path: Path) -> None:
    path = write(tmp_path, "sample.py", SAMPLE)

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        await editor.diagnostics(uri)
        count = len(editor.pushes)
        editor.client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        await editor.wait_for(lambda: len(editor.pushes) > count)
        assert codes(editor.pushes[-1].diagnostics) == ["HPL201", "HPL202", "HPL302"]
        editor.client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        await editor.wait_for(lambda: not editor.pushed[uri].diagnostics)
        assert await editor.stop() == 0

    run(scenario())


ONE_SAFE = textwrap.dedent(
    """\
    import numpy as np

    for lr in np.linspace(0.0001, 0.01, 6):  # café ☕ 😀
        train(lr=lr)
    """
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_quick_fix_gives_what_hplint_fix_writes(tmp_path: Path, newline: str) -> None:
    source = ONE_SAFE.replace("\n", newline)
    path = write(tmp_path, "one.py", source)
    expected_dir = tmp_path / "cli"
    expected_dir.mkdir()
    expected = write(expected_dir, "one.py", source)
    cli("--fix", str(expected), cwd=expected_dir)

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        await editor.diagnostics(uri)
        actions = await editor.code_actions(uri, at_line(2))
        fix = next(a for a in actions if a.title.startswith("Fix HPL201"))
        assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
        assert fix.diagnostics and str(fix.diagnostics[0].code) == "HPL201"
        edits = edits_for(fix, uri)
        assert len(edits) == 1 and edits[0].range.start.line == edits[0].range.end.line == 2
        assert len(edits[0].new_text) < 10  # the changed characters, not the document
        assert apply(source, edits) == expected.read_bytes().decode("utf-8")
        assert fix.edit.document_changes[0].text_document.version == 1
        assert await editor.stop() == 0

    run(scenario())


ONE_UNSAFE = textwrap.dedent(
    """\
    import optuna


    def objective(trial):
        model = build(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
        for epoch in range(50):
            train_one_epoch(model)
            acc = evaluate(model)
            trial.report(acc, epoch)
        return acc


    optuna.create_study(direction="maximize").optimize(objective, n_trials=100)
    """
)


def test_unsafe_fix_is_offered_labelled_and_not_preferred(tmp_path: Path) -> None:
    path = write(tmp_path, "unsafe.py", ONE_UNSAFE)
    expected_dir = tmp_path / "cli"
    expected_dir.mkdir()
    expected = write(expected_dir, "unsafe.py", ONE_UNSAFE)
    cli("--fix", "--unsafe-fixes", str(expected), cwd=expected_dir)

    async def scenario() -> None:
        editor = Editor(tmp_path, capabilities(versioned=False))
        await editor.start()
        uri = editor.open(path)
        assert codes(await editor.diagnostics(uri)) == ["HPL302"]
        actions = await editor.code_actions(uri, at_line(8))
        fix = next(a for a in actions if a.title.startswith("Fix HPL302"))
        assert fix.title.endswith("(unsafe fix)") and not fix.is_preferred
        assert fix.edit.changes is not None  # a client without documentChanges gets plain changes
        assert apply(ONE_UNSAFE, edits_for(fix, uri)) == expected.read_text(encoding="utf-8")
        titles = [a.title for a in actions]
        assert "Fix all hplint problems" not in titles  # fix-all applies safe fixes only
        assert await editor.stop() == 0

    run(scenario())


def test_fix_all_is_hplint_fix_in_minimal_edits(tmp_path: Path) -> None:
    path = write(tmp_path, "sample.py", SAMPLE)
    expected_dir = tmp_path / "cli"
    expected_dir.mkdir()
    expected = write(expected_dir, "sample.py", SAMPLE)
    cli("--fix", str(expected), cwd=expected_dir)

    async def scenario() -> None:
        editor = Editor(tmp_path, capabilities(resolve=True))
        await editor.start()
        uri = editor.open(path)
        await editor.diagnostics(uri)
        actions = await editor.code_actions(uri, at_line(0), only=["source.fixAll"])
        assert [a.kind for a in actions] == ["source.fixAll.hplint"]
        action = actions[0]
        assert action.title == "Fix all hplint problems" and action.edit is None  # computed when chosen
        resolved = await editor.request(editor.client.code_action_resolve_async(action))
        edits = edits_for(resolved, uri)
        assert len(edits) == 2 and all(e.range.start.line == e.range.end.line for e in edits)
        assert apply(SAMPLE, edits) == expected.read_text(encoding="utf-8")
        assert "should_prune" not in apply(SAMPLE, edits)  # HPL302's unsafe fix is left out
        assert await editor.code_actions(uri, at_line(0), only=["source.organizeImports"]) == []
        assert await editor.stop() == 0

    run(scenario())


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_suppress_adds_the_noqa_add_noqa_writes_and_the_finding_goes(tmp_path: Path, newline: str) -> None:
    source = ONE_SAFE.replace("\n", newline)
    path = write(tmp_path, "one.py", source)
    expected_dir = tmp_path / "cli"
    expected_dir.mkdir()
    expected = write(expected_dir, "one.py", source)
    cli("--add-noqa", str(expected), cwd=expected_dir)

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        await editor.diagnostics(uri)
        actions = await editor.code_actions(uri, at_line(2))
        suppress = next(a for a in actions if a.title == "Suppress HPL201 on this line")
        edits = edits_for(suppress, uri)
        assert len(edits) == 1 and edits[0].new_text == "  # noqa: HPL201"  # an insertion, nothing replaced
        assert edits[0].range.start == edits[0].range.end
        new = apply(source, edits)
        assert new == expected.read_bytes().decode("utf-8")
        version = editor.replace_all(uri, new)
        assert await editor.diagnostics(uri, version) == []
        assert await editor.stop() == 0

    run(scenario())


def test_hover_on_a_finding_is_the_rules_explanation(tmp_path: Path) -> None:
    path = write(tmp_path, "one.py", ONE_SAFE)

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        found = await editor.diagnostics(uri)
        where = found[0].range.start
        params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(where.line, where.character + 3))
        result = await editor.request(editor.client.text_document_hover_async(params))
        assert result.contents.kind == types.MarkupKind.Markdown
        text = result.contents.value
        assert text.startswith("**HPL201**")
        explained = explain(get_rule("HPL201"))
        for line in explained.splitlines():  # every line of `hplint explain HPL201`, examples fenced
            assert line.strip() in text
        assert "```python" in text
        nowhere = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 0))
        assert await editor.request(editor.client.text_document_hover_async(nowhere)) is None
        assert await editor.stop() == 0

    run(scenario())


def test_pull_diagnostics_for_a_client_that_asks(tmp_path: Path) -> None:
    path = write(tmp_path, "one.py", ONE_SAFE)

    async def scenario() -> None:
        editor = Editor(tmp_path, capabilities(pull=True))
        await editor.start()
        uri = editor.open(path)
        document = types.TextDocumentIdentifier(uri=uri)
        report = await editor.request(editor.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=document)))
        assert report.kind == "full" and codes(report.items) == ["HPL201"]
        again = types.DocumentDiagnosticParams(text_document=document, previous_result_id=report.result_id)
        assert (await editor.request(editor.client.text_document_diagnostic_async(again))).kind == "unchanged"
        editor.replace_all(uri, ONE_SAFE.replace("linspace", "geomspace"))
        after = await editor.request(editor.client.text_document_diagnostic_async(again))
        assert after.kind == "full" and list(after.items) == []
        project = tmp_path / "pyproject.toml"
        project.write_text("[tool.hplint]\n", encoding="utf-8")
        event = types.FileEvent(uri=uri_of(project), type=types.FileChangeType.Created)
        editor.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[event]))
        await editor.wait_for(lambda: editor.refreshes == 1)  # the client is asked to pull again
        assert editor.pushes == []  # answered, never pushed: no finding shown twice
        assert await editor.stop() == 0

    run(scenario())


def test_configuration_and_noqa_apply_and_a_changed_pyproject_is_read_again(tmp_path: Path) -> None:
    project = tmp_path / "pyproject.toml"
    project.write_text('[tool.hplint]\nignore = ["HPL201"]\n', encoding="utf-8")
    # a space in the name: the URI is percent-encoded
    path = write(tmp_path, "my sample.py", SAMPLE)
    noqa_line = write(tmp_path, "noqa.py", SAMPLE.replace('1e-1)\n', '1e-1)  # noqa: HPL202\n', 1))

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        assert "%20" in uri
        assert codes(await editor.diagnostics(uri)) == ["HPL202", "HPL302"]  # HPL201 ignored by [tool.hplint]
        other = editor.open(noqa_line)
        assert codes(await editor.diagnostics(other)) == ["HPL302"]  # the # noqa on the finding's line
        count = len(editor.pushes)
        project.write_text("[tool.hplint]\n", encoding="utf-8")
        event = types.FileEvent(uri=uri_of(project), type=types.FileChangeType.Changed)
        editor.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[event]))
        await editor.wait_for(lambda: any(p.uri == uri for p in editor.pushes[count:]))
        assert codes(editor.pushed[uri].diagnostics) == ["HPL201", "HPL202", "HPL302"]
        assert await editor.stop() == 0

    run(scenario())


def test_a_file_the_configuration_excludes_is_not_linted(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hplint]\nextend-exclude = ["generated"]\n', encoding="utf-8")
    (tmp_path / "generated").mkdir()
    skipped = write(tmp_path / "generated", "one.py", ONE_SAFE)
    linted = write(tmp_path, "one.py", ONE_SAFE)

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        assert await editor.diagnostics(editor.open(skipped)) == []
        assert codes(await editor.diagnostics(editor.open(linted))) == ["HPL201"]
        assert await editor.stop() == 0

    run(scenario())


def test_a_broken_configuration_is_shown_and_the_server_lives(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hplint]\nselect = ["NOPE"]\n', encoding="utf-8")
    path = write(tmp_path, "one.py", ONE_SAFE)

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        assert await editor.diagnostics(uri) == []
        assert editor.shown and editor.shown[0].type == types.MessageType.Error and "pyproject.toml" in editor.shown[0].message
        assert await editor.stop() == 0

    run(scenario())


def test_a_file_that_does_not_parse_gives_hpl001_and_the_server_goes_on(tmp_path: Path) -> None:
    # as in the CLI, a file no rule could report on is not parsed at all: this one could
    path = write(tmp_path, "broken.py", ONE_SAFE + "def broken(:\n    pass\n")

    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        uri = editor.open(path)
        found = await editor.diagnostics(uri)
        assert codes(found) == ["HPL001", "HPL201"]  # the statements that parse are still linted
        error = next(d for d in found if d.code == "HPL001")
        assert error.severity == types.DiagnosticSeverity.Error and error.range.start.line == 4
        actions = await editor.code_actions(uri, at_line(4))
        assert actions == []  # no fix, and a syntax error is not suppressible
        version = editor.replace_all(uri, ONE_SAFE)
        assert codes(await editor.diagnostics(uri, version)) == ["HPL201"]
        assert await editor.stop() == 0

    run(scenario())


CRASHING_SERVER = """\
from hplint.core.registry import get_rule
from hplint.frontends.server import documents, main


def broken_rule(self, node):
    raise RuntimeError("rule exploded")


real_lint = documents.lint_source


def broken_engine(source, *args, **kwargs):
    if "ENGINE_FAILS" in source:
        raise ValueError("engine exploded")
    return real_lint(source, *args, **kwargs)


get_rule("HPL201").visit_Call = broken_rule
documents.lint_source = broken_engine
main([])
"""


def test_an_exception_in_a_rule_or_the_engine_is_logged_and_never_stops_the_server(tmp_path: Path) -> None:
    path = write(tmp_path, "one.py", ONE_SAFE)
    command = [sys.executable, "-c", CRASHING_SERVER]

    async def scenario() -> None:
        editor = Editor(tmp_path, command=command)
        await editor.start()
        uri = editor.open(path)
        found = await editor.diagnostics(uri)
        assert codes(found) == ["HPL001"] and "internal error" in found[0].message and "rule exploded" in found[0].message
        await editor.wait_for(lambda: any("rule exploded" in m.message for m in editor.logs))
        version = editor.replace_all(uri, ONE_SAFE + "# ENGINE_FAILS\n")
        await editor.wait_for(lambda: any("engine exploded" in m.message for m in editor.logs))
        assert any(m.type == types.MessageType.Error for m in editor.logs)
        version = editor.replace_all(uri, "x = 1\n")
        assert await editor.diagnostics(uri, version) == []  # still serving
        assert await editor.stop() == 0

    run(scenario())


def test_exit_without_shutdown_ends_the_server_with_status_1(tmp_path: Path) -> None:
    async def scenario() -> None:
        editor = Editor(tmp_path)
        await editor.start()
        editor.client.exit(None)
        process = editor.client._server
        assert await asyncio.wait_for(process.wait(), 30) == 1
        await editor.client.stop()

    run(scenario())


def test_help_lists_the_server() -> None:
    result = subprocess.run([sys.executable, "-m", "hplint", "--help"], capture_output=True, text=True)
    assert "server" in result.stdout and "hplint[server]" in result.stdout
    result = subprocess.run([sys.executable, "-m", "hplint", "server", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--stdio" in result.stdout


def test_a_notification_leaves_no_future_behind() -> None:
    """pygls files the future of a notification whose handler is a generator (its own
    ``didChange`` handling is one) and never takes it out: every edit would grow the server."""
    from hplint.frontends.server.protocol import HplintServer

    server = HplintServer()

    def handler(params: object):
        yield from ()

    server.protocol.fm.features["hplint/ping"] = handler
    for _ in range(5):
        server.protocol._handle_notification("hplint/ping", None)
    assert server.protocol._request_futures == {}
