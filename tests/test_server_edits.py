"""The server's position arithmetic and minimal edits, on any text."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from lsprotocol import types  # noqa: E402

from hplint.frontends.server.edits import minimal_edits, text_edits  # noqa: E402
from hplint.frontends.server.positions import UTF8, UTF16, UTF32, LineIndex, code_points, units  # noqa: E402
from lsp_editor import apply  # noqa: E402

# lines of ASCII, accents, CJK and astral characters, joined by every line ending LSP knows
PIECES = st.sampled_from(["a", "lr", " ", "é", "中", "😀", "𝔵", "\n", "\r\n", "\r", "# noqa", "x = 1", "\t"])
TEXTS = st.lists(PIECES, max_size=30).map("".join)


def test_units_per_encoding() -> None:
    assert [units("a😀é", e) for e in (UTF8, UTF16, UTF32)] == [1 + 4 + 2, 1 + 2 + 1, 3]
    assert code_points("a😀é", 3) == 2 and code_points("a😀é", 2) == 1  # inside a surrogate pair: its start
    assert code_points("a😀é", 99) == 3


def test_positions_of_findings_count_utf16_units() -> None:
    index = LineIndex('x = "😀"; lr = 1\r\nsecond\n')
    assert index.finding_range(1, 10, 1, 12) == types.Range(types.Position(0, 11), types.Position(0, 13))
    assert index.offset_position(len('x = "😀"; lr = 1\r\n')) == types.Position(1, 0)
    assert index.position(5, 0) == types.Position(2, 0)  # past the end: the end


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_minimal_edits_turn_one_text_into_the_other(old: str, new: str) -> None:
    edits = minimal_edits(old, new)
    out, at = [], 0
    for edit in edits:
        assert edit.start >= at
        out += [old[at : edit.start], edit.text]
        at = edit.end
    assert "".join(out) + old[at:] == new
    assert apply(old, text_edits(old, new, LineIndex(old))) == new  # the same through UTF-16 LSP positions


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_offsets_and_positions_agree(text: str) -> None:
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
            continue  # inside a line ending: no position
        position = index.offset_position(offset)
        line, column = index.code_point(position)
        assert index.starts[line] + column == offset


def test_an_edit_of_one_line_is_the_changed_characters_only() -> None:
    old = "a = 1\nfor lr in np.linspace(1, 2, 3):\n    pass\n"
    new = old.replace("linspace", "geomspace")
    assert [(e.start, e.end, e.text) for e in minimal_edits(old, new)] == [(19, 22, "geom")]


def test_a_byte_order_mark_the_editor_keeps_moves_line_one_columns() -> None:
    from hplint.core.config import Config
    from hplint.frontends.server.diagnostics import to_lsp_all
    from hplint.frontends.server.documents import Snapshot

    text = "\ufeffimport numpy as np; grid = [lr for lr in np.linspace(0.0001, 0.01, 6)]\n"
    snapshot = Snapshot("file:///x.py", "x.py", Config(), {"file:///x.py": text})
    snapshot.lint()
    (found,) = to_lsp_all(snapshot.findings, LineIndex(text))
    assert found.range.start.character == text.index("np.linspace")  # the mark is one UTF-16 unit
    assert snapshot.applied(snapshot.findings[0].diagnostic.fix.edits)["file:///x.py"] == text.replace("linspace", "geomspace")
