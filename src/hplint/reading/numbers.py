"""The one evaluator of the small numeric expressions search spaces are written in.

``1e-3``, ``-5``, ``10 ** -4``, ``3 * 1e-4``, ``math.log(1e-5)``.  Anything
else (names, calls it does not know) has no value, so a rule never guesses a
bound it cannot read.

It reads CPython's ``ast``.  The rules hold libcst nodes: ``number`` turns
the few node kinds that can hold arithmetic into ``ast`` through their code,
so both trees (and the prefilter's view of the raw text) get one answer.
Where the caller cannot say what a called name is (the text stage knows no
imports), a one-argument call is ``UNKNOWN``: a prefilter keeps such a file.
"""

from __future__ import annotations

import ast
import copy
import math
import warnings
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, Union

if TYPE_CHECKING:
    import libcst as cst

    from hplint.reading.imports import ImportTable
else:
    from hplint.core.lazy_libcst import cst


class Unknown:
    """A value only the full rule can judge; prefilters keep the file."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()
Value = Union[float, None, Unknown]
# what a callee is, given its ``ast`` node: a qualified name, None, or UNKNOWN
Qualifier = Callable[[ast.expr], Union[str, None, Unknown]]

MATH_FUNCTIONS = {
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
MAX_EXPONENT = 400  # 10 ** 10 ** 10 is not a bound anybody writes


def evaluate(node: ast.AST, qualify: Optional[Qualifier] = None) -> Value:
    """The value of a constant numeric ``ast`` expression, None, or UNKNOWN."""
    try:
        value = _eval(node, qualify)
    except (ArithmeticError, ValueError, TypeError):
        return None
    if value is None or value is UNKNOWN:
        return value
    # (-8) ** 0.5 is complex; 10 ** 300 * 10 ** 300 is an int no float holds
    if isinstance(value, (bool, complex)):
        return None
    try:
        as_float = float(value)  # type: ignore[arg-type]
    except (OverflowError, TypeError):
        return None
    return as_float if math.isfinite(as_float) else None


def _eval(node: ast.AST, qualify: Optional[Qualifier]):
    kind = type(node)
    if kind is ast.Constant:
        value = node.value  # type: ignore[attr-defined]
        return value if type(value) in (int, float) else None
    if kind is ast.UnaryOp:
        inner = _eval(node.operand, qualify)  # type: ignore[attr-defined]
        if inner is None or inner is UNKNOWN:
            return inner
        op = type(node.op)  # type: ignore[attr-defined]
        return -inner if op is ast.USub else inner if op is ast.UAdd else None
    if kind is ast.BinOp:
        left = _eval(node.left, qualify)  # type: ignore[attr-defined]
        right = _eval(node.right, qualify)  # type: ignore[attr-defined]
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN if left is not None and right is not None else None
        if left is None or right is None:
            return None
        return _operate(type(node.op), left, right)  # type: ignore[attr-defined]
    if kind is ast.Call and qualify is not None:
        if len(node.args) != 1 or node.keywords or type(node.args[0]) is ast.Starred:  # type: ignore[attr-defined]
            return None
        callee = qualify(node.func)  # type: ignore[attr-defined]
        if callee is UNKNOWN:
            inner = _eval(node.args[0], qualify)  # type: ignore[attr-defined]
            return None if inner is None else UNKNOWN
        func = MATH_FUNCTIONS.get(callee or "")  # type: ignore[arg-type]
        if func is None:
            return None
        inner = _eval(node.args[0], qualify)  # type: ignore[attr-defined]
        if inner is None or inner is UNKNOWN:
            return inner
        return func(inner)
    return None


def _operate(op: type, left, right):
    if op is ast.Add:
        return left + right
    if op is ast.Sub:
        return left - right
    if op is ast.Mult:
        return left * right
    if op is ast.Div:
        return left / right
    if op is ast.Pow:
        if abs(right) > MAX_EXPONENT:
            return None
        return float(left) ** right
    return None


# ---------------------------------------------------------------------------
# the three ways in: libcst nodes, ast nodes with their imports, raw text


def number(expr: Optional[cst.BaseExpression], imports: Optional["ImportTable"] = None) -> Optional[float]:
    """The value of a constant numeric libcst expression, or None."""
    if expr is None:
        return None
    kind = type(expr)
    if kind is cst.Integer or kind is cst.Float:
        return evaluate(ast.Constant(expr.evaluated_value))  # type: ignore[attr-defined,return-value]
    if kind is cst.UnaryOperation and type(expr.expression) in (cst.Integer, cst.Float):  # type: ignore[attr-defined]
        sign = type(expr.operator)  # type: ignore[attr-defined]
        if sign is cst.Minus or sign is cst.Plus:
            value = expr.expression.evaluated_value  # type: ignore[attr-defined]
            return evaluate(ast.Constant(-value if sign is cst.Minus else value))  # type: ignore[return-value]
    if kind is cst.Call:
        args = expr.args  # type: ignore[attr-defined]
        if len(args) != 1 or args[0].keyword is not None or args[0].star or imports is None:
            return None
    elif kind is not cst.UnaryOperation and kind is not cst.BinaryOperation:
        return None
    tree = parse_expression(cst.Module(body=[]).code_for_node(expr))
    if tree is None:
        return None
    qualify = None if imports is None else imports.qualifier()
    value = evaluate(tree, qualify)
    return None if value is UNKNOWN else value  # type: ignore[return-value]


def comprehension_values(node: ast.AST, qualify: Optional[Qualifier] = None, cap: int = 200) -> Optional[List[float]]:
    """``[i / 1000 for i in range(1, 1001, 100)]``, ``[0.001 + k * 0.1 for k in range(10)]``:
    the values of a list comprehension over a constant ``range`` whose element is
    arithmetic in the loop variable; None when any is not computable (or more than ``cap``)."""
    if not isinstance(node, ast.ListComp) or len(node.generators) != 1:
        return None
    loop = node.generators[0]
    iterable = loop.iter
    if loop.ifs or loop.is_async or not isinstance(loop.target, ast.Name):
        return None
    if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range"):
        return None
    if iterable.keywords or not 1 <= len(iterable.args) <= 3:
        return None
    bounds = [evaluate(a) for a in iterable.args]  # numbers and arithmetic only, as the text stage reads them
    if any(not isinstance(b, float) or not b.is_integer() for b in bounds):
        return None
    if len(bounds) == 3 and bounds[2] == 0:
        return None  # ``range(a, b, 0)`` raises where it runs
    steps = range(*(int(b) for b in bounds))  # type: ignore[union-attr]
    if not 2 <= len(steps) <= cap:
        return None
    values: List[float] = []
    for step in steps:
        value = evaluate(_Substitute(loop.target.id, step).visit(copy.deepcopy(node.elt)), qualify)
        if not isinstance(value, float):
            return None
        values.append(value)
    return values


class _Substitute(ast.NodeTransformer):
    """The loop variable replaced by one of its values."""

    def __init__(self, name: str, value: int) -> None:
        self.name, self.value = name, value

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Constant(self.value) if node.id == self.name else node


def parse_expression(code: str) -> Optional[ast.expr]:
    """``ast`` of one expression's code (it may span lines), or None."""
    try:
        with warnings.catch_warnings():  # user code's invalid escapes are not ours to warn about
            warnings.simplefilter("ignore")
            return ast.parse(f"(\n{code}\n)", mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


MATH_NAMES = frozenset(q.rsplit(".", 1)[1] for q in MATH_FUNCTIONS)


def text_qualifier(aliased: Callable[[str], bool]) -> Qualifier:
    """What a callee is when only the code's text is known: by its last name.

    ``log``/``np.log10`` are taken for the math functions of that name,
    unless the text imports a math function under that name (``aliased``:
    ``from math import exp as log``, ``from math import log as ln``): then
    it may be any of them; anything else is not one.
    """

    def qualify(func: ast.expr) -> Union[str, None, Unknown]:
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if last and aliased(last):
            return UNKNOWN  # ``from math import exp as log``: ``log`` is not what its name says
        return "math." + last if last in MATH_NAMES else None

    return qualify


def from_text(code: str, qualify: Qualifier) -> Value:
    """The value of an expression given as text."""
    tree = parse_expression(code)
    return None if tree is None else evaluate(tree, qualify)


# ---------------------------------------------------------------------------
# libcst containers


def number_list(expr: cst.BaseExpression, imports: Optional["ImportTable"] = None) -> Optional[List[float]]:
    """Values of a literal list/tuple/set of numbers, or None if any is not constant."""
    elements = literal_elements(expr)
    if elements is None:
        return None
    values: List[float] = []
    for element in elements:
        value = number(element, imports)
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
