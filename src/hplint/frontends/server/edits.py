"""The smallest text edits that turn one text into another.

A fix, a fix-all or a ``# noqa`` is computed by the engine as the new text of
a document; editors want edits, and an edit that replaces the whole document
moves the cursor, loses folds and marks, and conflicts with anything the user
typed meanwhile.  So the change is located by lines (difflib), and each
changed block is trimmed to the characters that differ.
"""

from __future__ import annotations

import difflib
from typing import List

from lsprotocol import types

from hplint.core.diagnostics import Edit
from hplint.frontends.server.positions import LineIndex


def _lines(text: str) -> List[str]:
    return text.splitlines(keepends=True)


def minimal_edits(old: str, new: str) -> List[Edit]:
    """Non-overlapping offset edits on ``old``, in order, that give ``new``."""
    if old == new:
        return []
    before, after = _lines(old), _lines(new)
    starts = [0]
    for line in before:
        starts.append(starts[-1] + len(line))
    new_starts = [0]
    for line in after:
        new_starts.append(new_starts[-1] + len(line))
    edits: List[Edit] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(_trimmed(old, starts[i1], starts[i2], new[new_starts[j1] : new_starts[j2]]))
    return edits


def _trimmed(old: str, start: int, end: int, text: str) -> Edit:
    """``old[start:end] -> text`` without the characters both share at either end."""
    removed = old[start:end]
    prefix = 0
    limit = min(len(removed), len(text))
    while prefix < limit and removed[prefix] == text[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and removed[len(removed) - 1 - suffix] == text[len(text) - 1 - suffix]:
        suffix += 1
    # never split a "\r\n" pair: LSP clients count it as one line ending
    while prefix and old[start + prefix - 1] == "\r" and start + prefix < len(old) and old[start + prefix] == "\n":
        prefix -= 1
    while suffix and end - suffix > start + prefix and old[end - suffix - 1] == "\r" and old[end - suffix] == "\n":
        suffix -= 1
    return Edit(start + prefix, end - suffix, text[prefix : len(text) - suffix])


def text_edits(old: str, new: str, index: LineIndex) -> List[types.TextEdit]:
    """``minimal_edits`` as LSP text edits (``index`` is ``old``'s)."""
    return [types.TextEdit(index.offset_range(e.start, e.end), e.text) for e in minimal_edits(old, new)]
