"""A number written as a name: the one constant the file gives it where it is read.

``trial.suggest_float("lr", LR_RANGE[0], LR_RANGE[1])`` with ``LR_RANGE = (1e-4, 1e-1)``
at module level, or ``suggest_float("lr", LR_MIN, LR_MAX)``: the bounds are constants
of this file, and a message can state them.  A name holds the one value ``Flow`` finds
for it, where a parameter holds only what the calls of this file give it (its default
is a knob for callers elsewhere); several values, or none visible, give None.  An index
into a tuple or list literal takes that element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from hplint.reading.flow import Flow
from hplint.reading.numbers import number

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst


def held_number(ctx: RuleContext, expr: cst.BaseExpression) -> Optional[float]:
    """``expr``'s value: a constant, a name holding one, or ``NAME[i]`` of a tuple or list literal."""
    value = number(expr, ctx.imports)
    if value is not None or not isinstance(expr, (cst.Name, cst.Attribute, cst.Subscript)):
        return value
    held = _held(ctx, expr)
    return None if held is None else number(held, ctx.imports)


def _one_value(ctx: RuleContext, flow: Flow, expr: cst.BaseExpression, hops: int = 3) -> Optional[cst.BaseExpression]:
    """The one value ``expr`` holds, through up to ``hops`` aliases (``param1 = lr_range``);
    None for a name the file assigns more than once (a value per branch is not one constant)."""
    if isinstance(expr, cst.Name) and _bound_more_than_once(ctx, flow, expr):
        return None
    found = list({id(o.value): o.value for o in flow.origins(expr, called=True)}.values())
    if len(found) != 1:
        return None
    value = found[0]
    return _one_value(ctx, flow, value, hops - 1) if isinstance(value, (cst.Name, cst.Attribute)) and hops > 0 else value


def _bound_more_than_once(ctx: RuleContext, flow: Flow, name: cst.Name) -> bool:
    """Where ``name`` is read, more than one assignment may have set it: in its own scope, those
    before the read (a value per branch), or any when the read is in a loop (a later one comes
    round again); in an enclosing scope, any (read when the function runs)."""
    scope, at = flow.scope_of(name), flow.order_of(name)
    own = True
    looped = any(isinstance(a, (cst.For, cst.While)) for a in ctx.ancestors(name))
    while scope is not None:
        bound = scope.bindings.get(name.value)
        if bound:
            return len([order for order, _ in bound if order < at] if own and not looped else bound) > 1
        scope, own = scope.parent, False
    return False


def _held(ctx: RuleContext, expr: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    flow = ctx.facts(Flow)
    if not isinstance(expr, cst.Subscript):
        return _one_value(ctx, flow, expr)
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index) or not isinstance(expr.value, (cst.Name, cst.Attribute)):
        return None
    index = expr.slice[0].slice.value
    table = _one_value(ctx, flow, expr.value)
    if not isinstance(index, cst.Integer) or not isinstance(table, (cst.Tuple, cst.List)):
        return None
    elements = table.elements
    position = int(index.value, 0)
    if any(isinstance(e, cst.StarredElement) for e in elements) or position >= len(elements):
        return None
    element = elements[position].value
    return _one_value(ctx, flow, element) if isinstance(element, (cst.Name, cst.Attribute)) else element
