"""Random draws: ``random.choice(...)``, ``np.random.uniform(...)``, ``rng.integers(...)``.

A loop that draws hyperparameters this way is a hand-written random search;
HPL103 and HPL402 read what it draws and what it leaves fixed.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hplint.reading.calls import method_name, receiver

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# calls that draw a value at random (with a random module or generator)
RANDOM_DRAWS = frozenset({"choice", "uniform", "randint", "loguniform", "sample", "randrange", "integers", "normal", "rvs", "rand", "random"})


def is_random_draw(ctx, expr: cst.BaseExpression) -> bool:
    """``random.choice(...)``, ``np.random.uniform(...)``, ``rng.integers(...)``, ``0.2 + np.random.rand() * 0.6``."""
    if isinstance(expr, cst.BinaryOperation):
        return is_random_draw(ctx, expr.left) or is_random_draw(ctx, expr.right)
    if isinstance(expr, cst.Call) and len(expr.args) == 1 and isinstance(expr.func, cst.Name) and expr.func.value in ("int", "float"):
        return is_random_draw(ctx, expr.args[0].value)
    if not isinstance(expr, cst.Call) or method_name(expr) not in RANDOM_DRAWS:
        return False
    qual = ctx.qualify(expr.func) or ""
    if qual.startswith(("random.", "numpy.random.", "scipy.stats.")):
        return True
    recv = receiver(expr)
    return isinstance(recv, cst.Name) and recv.value in ("rng", "random_state", "generator", "rs", "prng")


def may_draw(expr: ast.AST) -> bool:
    """``is_random_draw`` without the module check."""
    if isinstance(expr, ast.BinOp):
        return may_draw(expr.left) or may_draw(expr.right)
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    if isinstance(func, ast.Name) and func.id in ("int", "float") and len(expr.args) == 1 and not expr.keywords:
        return may_draw(expr.args[0])
    return (func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "") in RANDOM_DRAWS
