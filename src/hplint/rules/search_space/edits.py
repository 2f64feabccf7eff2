"""Edits the HPL2 fixes share: renaming a call in the file's own spelling,
wrapping an argument, matching a quote, growing a dict literal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from hplint.core.context import REFUSED
from hplint.reading.imports import dotted_name

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.rule import Rule
else:
    from hplint.core.lazy_libcst import cst


def renamed_func(rule: Rule, call: cst.Call, qualified: str):
    """Edits that make ``call`` call ``qualified`` instead, in the file's own spelling.

    ``np.linspace`` -> ``np.geomspace`` (the attribute only); a bare
    ``lin`` imported from numpy -> ``geomspace`` plus its import.
    """
    ctx = rule.ctx
    new_attr = qualified.rsplit(".", 1)[-1]
    if isinstance(call.func, cst.Attribute):
        root = dotted_name(call.func)
        head = root.split(".")[0] if root else None
        if head is None or not (ctx.names.unbound(head) or ctx.means_import(head, call.func)):
            return [REFUSED]  # ``def grid(np): np.linspace(...)``: np may be anything there
        return [ctx.replace(call.func.attr, new_attr)]
    local, import_edit = ctx.spell(qualified, call.func)
    return [ctx.replace(call.func, local), import_edit]


def wrapped_arg(rule: Rule, value: cst.BaseExpression, func: str):
    """Edits wrapping an argument in ``math.log10(...)`` (or another function)."""
    local, import_edit = rule.ctx.spell(func, value)
    return [rule.ctx.replace(value, f"{local}({rule.ctx.code_for(value).strip()})"), import_edit]


def quote_of(expr: Optional[cst.BaseExpression]) -> str:
    """The quote a string literal uses, so that added strings match it."""
    if isinstance(expr, cst.SimpleString) and expr.value[-1:] == "'":
        return "'"
    return '"'


def append_dict_element(node: cst.Dict, element: cst.DictElement) -> cst.Dict:
    """``{a: 1}`` -> ``{a: 1, new}``; a dict with one item per line gets a new line."""
    elements = list(node.elements)
    last = elements[-1]
    if not isinstance(last.comma, cst.Comma):
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return node.with_changes(elements=elements + [element])
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(elements) >= 2 and isinstance(elements[-2].comma, cst.Comma):
        separator = elements[-2].comma
    elements[-1] = last.with_changes(comma=separator)
    return node.with_changes(elements=elements + [element.with_changes(comma=last.comma)])

