"""Building replacement code that looks like the code around it.

Fixes change as little as possible: a keyword added to a call keeps the
call's own layout (one line, or one argument per line with a trailing comma).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


def keyword_arg(keyword: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def parse_expr(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def append_arg(call: cst.Call, new: cst.Arg) -> cst.Call:
    """``f(a, b)`` -> ``f(a, b, new)``; a multi-line call gets a new line."""
    args: List[cst.Arg] = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    if not isinstance(last.comma, cst.Comma):
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return call.with_changes(args=args + [new])
    # trailing comma: the new argument takes the separator style used between
    # the existing ones, and inherits the trailing comma (and closing newline)
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma
    elif isinstance(last.comma.whitespace_after, cst.ParenthesizedWhitespace):
        separator = last.comma
    args[-1] = last.with_changes(comma=separator)
    return call.with_changes(args=args + [new.with_changes(comma=last.comma)])


def add_keyword(call: cst.Call, keyword: str, value_code: str) -> cst.Call:
    """Append ``keyword=value_code`` to the call's arguments."""
    return append_arg(call, keyword_arg(keyword, parse_expr(value_code)))


def set_keyword(call: cst.Call, keyword: str, value_code: str) -> cst.Call:
    """Set ``keyword=`` to ``value_code``, replacing an existing value or adding one."""
    for index, a in enumerate(call.args):
        if a.keyword is not None and a.keyword.value == keyword:
            args = list(call.args)
            args[index] = a.with_changes(value=parse_expr(value_code))
            return call.with_changes(args=args)
    return add_keyword(call, keyword, value_code)
