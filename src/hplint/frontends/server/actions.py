"""Code actions: a quick fix per finding, "Fix all hplint problems", and
"Suppress HPLxxx on this line".

Every action is an edit computed by the engine (the finding's own fix, the
CLI's ``--fix`` loop, ``--add-noqa``'s placement of the directive) and sent
as the smallest text edits that give the new text (``server.edits``), never
a replacement of the whole document.  A safe fix is the preferred action; an
unsafe one is offered too, with "(unsafe fix)" in its title.  The fix-all
action applies safe fixes only, as ``hplint --fix`` does; where the client
can resolve actions lazily its edit is computed only when chosen.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence

from lsprotocol import types

from hplint.core.registry import get_rule
from hplint.frontends.addnoqa import NOT_SUPPRESSIBLE
from hplint.frontends.server.diagnostics import to_lsp
from hplint.frontends.server.documents import Finding, Snapshot
from hplint.frontends.server.edits import text_edits
from hplint.frontends.server.positions import LineIndex

QUICKFIX = types.CodeActionKind.QuickFix.value
FIX_ALL = "source.fixAll.hplint"
FIX_ALL_TITLE = "Fix all hplint problems"
KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL]

Indexer = Callable[[str, str], LineIndex]  # (uri, text) -> the text's line index


def wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """LSP's rule: a kind is asked for when it is, or is below, one listed in ``only``."""
    return not only or any(kind == o or kind.startswith(o + ".") for o in only)


def _on_lines(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges share a line: an editor asks with the cursor's
    position, and a finding on the cursor's line is the one meant."""
    return a.start.line <= b.end.line and b.start.line <= a.end.line


def _same(a: types.Diagnostic, b: types.Diagnostic) -> bool:
    return str(a.code) == str(b.code) and a.range == b.range


def workspace_edit(snapshot: Snapshot, new: Dict[str, str], index: Indexer, versioned: bool) -> Optional[types.WorkspaceEdit]:
    """The edits that turn the snapshot's texts into ``new``; None when nothing changes."""
    per_uri: Dict[str, List[types.TextEdit]] = {}
    for uri, text in new.items():
        old = snapshot.texts.get(uri)
        if old is None or old == text:
            continue
        per_uri[uri] = text_edits(old, text, index(uri, old))
    if not per_uri:
        return None
    if versioned:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(types.OptionalVersionedTextDocumentIdentifier(uri, snapshot.versions.get(uri)), list(edits))
                for uri, edits in per_uri.items()
            ]
        )
    return types.WorkspaceEdit(changes=per_uri)


def code_actions(
    snapshot: Snapshot,
    uri: str,
    request: types.Range,
    only: Optional[Sequence[str]],
    index: Indexer,
    versioned: bool,
    lazy_fix_all: bool,
    context: Sequence[types.Diagnostic] = (),
) -> List[types.CodeAction]:
    """The actions for ``request`` in the LSP document ``uri``: for the findings
    on its lines, and those the client names in the request's context."""
    actions: List[types.CodeAction] = []
    text = snapshot.texts.get(uri)
    if text is None:
        return actions
    lines = index(uri, text)
    here = []
    for finding in snapshot.findings_in(uri):
        shown = to_lsp(finding, lines)
        if _on_lines(shown.range, request) or any(_same(shown, c) for c in context):
            here.append(finding)
    if wanted(QUICKFIX, only):
        for finding in here:
            action = _fix_action(snapshot, finding, lines, index, versioned)
            if action is not None:
                actions.append(action)
        for finding in here:
            action = _suppress_action(snapshot, finding, lines, index, versioned)
            if action is not None:
                actions.append(action)
    if wanted(FIX_ALL, only) and _has_safe_fix(snapshot):  # asked for "source.fixAll" or "source" too
        action = types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, data={"uri": snapshot.uri})
        if not lazy_fix_all:
            action = resolve_fix_all(action, snapshot, index, versioned)
        if action is not None:
            actions.append(action)
    return actions


def _has_safe_fix(snapshot: Snapshot) -> bool:
    return any(f.diagnostic.fix is not None and f.diagnostic.fix.is_safe for f in snapshot.findings)


def resolve_fix_all(action: types.CodeAction, snapshot: Snapshot, index: Indexer, versioned: bool) -> Optional[types.CodeAction]:
    edit = workspace_edit(snapshot, snapshot.fixed_all(), index, versioned)
    if edit is None:
        return None
    action.edit = edit
    return action


def _fix_action(snapshot: Snapshot, finding: Finding, lines: LineIndex, index: Indexer, versioned: bool) -> Optional[types.CodeAction]:
    fix = finding.diagnostic.fix
    if fix is None:
        return None
    new = snapshot.applied(fix.edits)
    if new is None:
        return None
    edit = workspace_edit(snapshot, new, index, versioned)
    if edit is None:
        return None
    code = finding.diagnostic.code
    rule = get_rule(code)
    description = fix.description or (rule.fix_description if rule is not None else "") or "apply the fix"
    title = f"Fix {code}: {description}" + ("" if fix.is_safe else " (unsafe fix)")
    return types.CodeAction(
        title=title,
        kind=QUICKFIX,
        diagnostics=[to_lsp(finding, lines)],
        is_preferred=fix.is_safe,
        edit=edit,
    )


def _suppress_action(snapshot: Snapshot, finding: Finding, lines: LineIndex, index: Indexer, versioned: bool) -> Optional[types.CodeAction]:
    code = finding.diagnostic.code
    if code in NOT_SUPPRESSIBLE:
        return None
    new = snapshot.suppressed(finding)
    if new is None:
        return None
    edit = workspace_edit(snapshot, new, index, versioned)
    if edit is None:
        return None
    return types.CodeAction(title=f"Suppress {code} on this line", kind=QUICKFIX, diagnostics=[to_lsp(finding, lines)], edit=edit)
