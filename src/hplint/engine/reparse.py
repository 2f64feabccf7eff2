"""Parsing a file again after an edit, reusing the top-level statements that did not change.

An editor sends the whole text after every keystroke, and libcst's parse of a
2,000-line file takes longer than the edit-to-squiggle time an editor allows.
``Reparser`` cuts the text into its top-level statements (where CPython's
``ast``, which the rules read anyway, says each one starts), parses each
statement's text once, and joins the parsed statements into one
``cst.Module``.  libcst nodes are immutable, so a statement's tree is shared
from one version of the text to the next.

The joined module equals libcst's parse of the whole text, node for node
(``tests/test_reparse.py`` proves it on generated files and real code): the
comments and blank lines after a statement, which a statement parsed alone
keeps as its module's footer, are moved in front of the next statement, where
the whole parse keeps them.  Anything ``ast`` cannot read, or that libcst reads
differently alone, is parsed whole, so the result and the errors raised are the
whole parse's.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from hplint.core import memo
from hplint.engine.blocks import block_starts
from hplint.engine.incremental import Incremental
from hplint.engine.syntax import parse_ast

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# a statement parsed alone is kept while it is one of the last texts' statements
# (the statement's text, which occurrence of that text in the file, the file's default indent before it)
_Key = Tuple[str, int, Optional[str]]


class Reparser:
    """``parse(text)``: libcst's module for ``text``, reusing the statements of the texts parsed before."""

    def __init__(self) -> None:
        self._parsed: Dict[_Key, cst.Module] = {}
        self.reused = 0  # statements taken from earlier texts on the last parse (for the benchmark)
        self.carry = memo.Carry()  # what the rules derived from the shared nodes, for the next version
        self.incremental = Incremental()  # the last version's statements and findings (``engine.incremental``)
        # a statement given the comments and blank lines of the one before, by the two pieces it was
        # joined from: kept, so that an unchanged statement stays the same node (``memo.Carry``)
        self._leads: Dict[Tuple[int, int], Tuple[cst.Module, cst.Module, cst.BaseStatement]] = {}

    def parse(self, source: str) -> cst.Module:
        blocks = _blocks(source, parse_ast(source))
        if blocks is None:
            self._parsed = {}
            return cst.parse_module(source)
        parsed: Dict[_Key, cst.Module] = {}
        seen: Dict[str, int] = {}
        pieces: List[cst.Module] = []
        indent: Optional[str] = None  # the file's default indent: its first INDENT's
        self.reused = 0
        for text in blocks:
            key = (text, seen.get(text, 0), indent)
            seen[text] = key[1] + 1  # a repeated text is parsed again: nodes are never shared within one tree
            piece = self._parsed.get(key)
            if piece is None:
                try:
                    piece = _parse_piece(text, indent)
                except cst.ParserSyntaxError:
                    self._parsed = {}
                    return cst.parse_module(source)  # the whole parse's own error, or its reading
            else:
                self.reused += 1
            parsed[key] = piece
            pieces.append(piece)
            if indent is None and _indents(piece):
                indent = piece.default_indent
        self._parsed = parsed
        joined = _join(pieces, indent, self._leads)
        return joined if joined is not None else cst.parse_module(source)


def _parse_piece(text: str, indent: Optional[str]) -> cst.Module:
    """One statement's text as the whole file's parse reads it.

    An indented block whose indent is the file's default keeps ``indent=None``;
    libcst's parser takes the default from the first INDENT it meets, so a
    statement indented otherwise than the file's first is parsed behind a
    throwaway block that sets the file's default, and that block is dropped."""
    piece = cst.parse_module(text)
    if indent is None or piece.default_indent == indent or not _indents(piece):
        return piece
    lead = cst.parse_module(f"if 1:\n{indent}pass\n{text}")
    return lead.with_changes(body=lead.body[1:], default_indent=indent)


def _blocks(source: str, tree: Optional[ast.AST]) -> Optional[List[str]]:
    """The text of each top-level statement with the comments and blank lines
    after it; None where the text cannot be cut safely (then it is parsed whole)."""
    if not isinstance(tree, ast.Module) or len(tree.body) < 2 or "\r" in source or "\f" in source:
        return None
    lines = source.splitlines(keepends=True)
    starts = block_starts(lines, tree.body)
    if starts is None:
        return None
    starts.append(len(lines))
    return ["".join(lines[a:b]) for a, b in zip(starts, starts[1:])]


def _join(
    pieces: Sequence[cst.Module], indent: Optional[str], leads: Dict[Tuple[int, int], Tuple[cst.Module, cst.Module, cst.BaseStatement]]
) -> Optional[cst.Module]:
    """One module of the statements parsed alone, as the whole parse has them.
    ``leads``: the statements given the lines before them when the pieces were
    last joined; replaced by this join's."""
    first = pieces[0]
    body: List[cst.BaseStatement] = list(first.body)
    carried = list(first.footer)
    joined: Dict[Tuple[int, int], Tuple[cst.Module, cst.Module, cst.BaseStatement]] = {}
    for before, piece in zip(pieces, pieces[1:]):
        if piece.header or not piece.body:
            return None
        lead = piece.body[0]
        if carried:
            key = (id(before), id(piece))
            kept = leads.get(key)
            if kept is not None and kept[0] is before and kept[1] is piece:
                lead = kept[2]
            else:
                lead = lead.with_changes(leading_lines=[*carried, *lead.leading_lines])
            joined[key] = (before, piece, lead)
        body.append(lead)
        body.extend(piece.body[1:])
        carried = list(piece.footer)
    leads.clear()
    leads.update(joined)
    return cst.Module(
        body=body,
        header=first.header,
        footer=carried,
        encoding=first.encoding,
        default_indent=indent if indent is not None else first.default_indent,
        default_newline=first.default_newline,
        has_trailing_newline=pieces[-1].has_trailing_newline,
    )


def _indents(piece: cst.Module) -> bool:
    """The piece holds an INDENT token, so its ``default_indent`` was read from it
    (libcst takes the file's first INDENT), not assumed.  A nested indented block
    lies inside one of its top-level statement's own suites, so those are enough."""
    for stmt in piece.body:
        suites: List[object] = [getattr(stmt, "body", None), getattr(stmt, "finalbody", None)]
        orelse = getattr(stmt, "orelse", None)
        while orelse is not None:  # ``elif`` chains hold their own ``orelse``
            suites.append(orelse.body)
            orelse = getattr(orelse, "orelse", None)
        suites += [clause.body for clause in getattr(stmt, "handlers", ())]
        suites += [case.body for case in getattr(stmt, "cases", ())]
        for suite in suites:
            if isinstance(suite, cst.IndentedBlock) or isinstance(getattr(suite, "body", None), cst.IndentedBlock):
                return True
    return False
