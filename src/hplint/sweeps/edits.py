"""What a sweep-file check reports (``Finding``) and the span-exact edits its
fixes are made of: a scalar replaced in its own quotes, an entry added at a
mapping's own layout.  PyYAML's marks say where each node's text lies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List

from hplint.core.diagnostics import Edit, Safety
from hplint.sweeps.reader import is_mapping, is_scalar, is_sequence


@dataclass
class Finding:
    """One finding on a sweep file: where (the key node), what, and the edits that fix it."""

    code: str
    message: str
    key: object  # the yaml node reported
    last: object  # the last node the finding covers (noqa anywhere from key to it)
    edits: List[Edit] = field(default_factory=list)
    safety: Safety = Safety.SAFE
    description: str = ""



def aliased(key, value) -> bool:
    """The value is an alias: its node's text lies before its own key."""
    return value.start_mark.index < key.end_mark.index


def quote_of(node) -> str:
    return node.style if is_scalar(node) and node.style in ("'", '"') else ""


def replace(node, value: str) -> Edit:
    """The scalar's text, quotes included, becomes ``value`` in the same quotes."""
    q = quote_of(node)
    return Edit(node.start_mark.index, node.end_mark.index, f"{q}{value}{q}")


def add_key(mapping, name: str, value: str, text: str, after=None, quote_value: bool = True) -> List[Edit]:
    """An entry ``name: value`` in ``mapping``, quoted like its keys: in a flow
    mapping after the last (or ``after``'s) value, in a block mapping on a line
    of its own at the keys' indentation, before the first key (or after
    ``after``'s line).  No edit where the layout is not that plain."""
    pairs = mapping.value
    if not pairs:
        return []
    q = quote_of(pairs[0][0])
    v = q if quote_value else ""
    entry = f"{q}{name}{q}: {v}{value}{v}"
    anchor = after.value if after is not None else pairs[-1][1]
    if mapping.flow_style:
        return [Edit(anchor.end_mark.index, anchor.end_mark.index, f", {entry}")]
    first = after.key if after is not None else pairs[0][0]
    line_start = max(text.rfind("\n", 0, first.start_mark.index), text.rfind("\r", 0, first.start_mark.index)) + 1
    indent = text[line_start : first.start_mark.index]
    if indent.strip(" "):
        return []  # "- min: ...", or a key after other text: not a plain layout
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")
    if after is None:
        return [Edit(line_start, line_start, f"{indent}{entry}{newline}")]
    end = anchor.end_mark.index
    if text[end:].split("\n", 1)[0].split("\r", 1)[0].strip() and not text[end:].lstrip(" \t").startswith("#"):
        return []  # something else on the value's line
    ends = [i for i in (text.find("\r", end), text.find("\n", end)) if i >= 0]
    line_end = min(ends) if ends else len(text)
    return [Edit(line_end, line_end, f"{newline}{indent}{entry}")]


def last_line(node) -> int:
    """The 0-based line a node's own text ends on (a block mapping's end mark
    lies at the next key: its last value's end is meant)."""
    while is_mapping(node) and not node.flow_style and node.value:
        node = node.value[-1][1]
    if is_sequence(node) and not node.flow_style and node.value:
        return last_line(node.value[-1])
    mark = node.end_mark
    return mark.line - 1 if mark.column == 0 and mark.line > node.start_mark.line else mark.line
