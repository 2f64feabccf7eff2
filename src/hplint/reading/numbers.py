"""Static evaluation of the small numeric expressions found in search spaces.

``1e-3``, ``-5``, ``10 ** -4``, ``3 * 1e-4``, ``math.log(1e-5)`` and lists of
those.  Anything else (names, calls we do not know) evaluates to None, so a
rule never guesses a bound it cannot read.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, List, Optional, Sequence


from hplint.reading.imports import ImportTable

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

_MATH_FUNCS = {
    "math.log": math.log,
    "math.log10": math.log10,
    "math.log2": math.log2,
    "math.exp": math.exp,
    "math.sqrt": math.sqrt,
    "numpy.log": math.log,
    "numpy.log10": math.log10,
    "numpy.log2": math.log2,
    "numpy.exp": math.exp,
    "numpy.sqrt": math.sqrt,
}


def number(expr: cst.BaseExpression, imports: Optional[ImportTable] = None) -> Optional[float]:
    """The value of a constant numeric expression, or None."""
    try:
        value = _eval(expr, imports)
        # (-8) ** 0.5 is complex; 10 ** 300 * 10 ** 300 is an int no float holds
        if value is None or isinstance(value, (bool, complex)) or not math.isfinite(value):
            return None
        return float(value)
    except (ArithmeticError, ValueError, TypeError):
        return None


def _eval(expr: cst.BaseExpression, imports: Optional[ImportTable]):
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    if isinstance(expr, cst.Float):
        return float(expr.evaluated_value)
    if isinstance(expr, cst.UnaryOperation):
        inner = _eval(expr.expression, imports)
        if inner is None:
            return None
        if isinstance(expr.operator, cst.Minus):
            return -inner
        if isinstance(expr.operator, cst.Plus):
            return inner
        return None
    if isinstance(expr, cst.BinaryOperation):
        left = _eval(expr.left, imports)
        right = _eval(expr.right, imports)
        if left is None or right is None:
            return None
        op = expr.operator
        if isinstance(op, cst.Add):
            return left + right
        if isinstance(op, cst.Subtract):
            return left - right
        if isinstance(op, cst.Multiply):
            return left * right
        if isinstance(op, cst.Divide):
            return left / right
        if isinstance(op, cst.Power):
            if abs(right) > 400:
                return None
            return float(left) ** right
        return None
    if isinstance(expr, cst.Call) and imports is not None and len(expr.args) == 1:
        qual = imports.qualify(expr.func)
        func = _MATH_FUNCS.get(qual or "")
        if func is not None and expr.args[0].keyword is None and not expr.args[0].star:
            inner = _eval(expr.args[0].value, imports)
            return None if inner is None else func(inner)
    return None


def number_list(expr: cst.BaseExpression, imports: Optional[ImportTable] = None) -> Optional[List[float]]:
    """Values of a literal list/tuple/set of numbers, or None if any is not constant."""
    if not isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        return None
    values: List[float] = []
    for element in expr.elements:
        if isinstance(element, (cst.StarredElement,)):
            return None
        value = number(element.value, imports)
        if value is None:
            return None
        values.append(value)
    return values


def literal_elements(expr: cst.BaseExpression) -> Optional[Sequence[cst.BaseExpression]]:
    """The element expressions of a literal list/tuple/set (any values), or None."""
    if not isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        return None
    if any(isinstance(e, cst.StarredElement) for e in expr.elements):
        return None
    return [e.value for e in expr.elements]


def format_number(value: float, sig: int = 2) -> str:
    """Round to ``sig`` significant digits and print as Python would: 0.00022, 1e-05."""
    return repr(float(f"{value:.{sig}g}"))
