"""Which of a name's bindings a use sees, where the code runs straight down.

Notebooks and scripts reuse names: a second cell writes ``def objective``
and ``study = optuna.create_study()`` again and optimizes with another
budget.  Taking every binding of the name as a candidate makes two studies
look like one optimized twice (its budget unknown) and runs each objective
under both budgets.  Where the use and every binding are statements of one
straight-line body (a module's, a cell's, a function's, not inside an ``if``
or a loop), Python runs them in order, so the use sees the last binding
before it.  Anywhere else every binding stays a candidate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple, TypeVar

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

N = TypeVar("N", bound="cst.CSTNode")


def reaching(ctx: RuleContext, use: cst.CSTNode, bound: Sequence[N]) -> List[N]:
    """The members of ``bound`` (assigned values, or ``def`` statements) that ``use`` can see:
    the last one before it when all lie in the use's straight-line body, else all of them."""
    if len(bound) < 2:
        return list(bound)
    place = _place(ctx, use)
    if place is None:
        return list(bound)
    body, at = place
    before: List[Tuple[int, N]] = []
    for node in bound:
        where = _place(ctx, node)
        if where is None or where[0] is not body:
            return list(bound)  # bound inside a branch, a loop or another function: not straight-line
        if where[1] < at:
            before.append((where[1], node))
    if not before:
        return list(bound)
    last = max(index for index, _ in before)
    return [node for index, node in before if index == last]


def _place(ctx: RuleContext, node: cst.CSTNode) -> Optional[Tuple[cst.CSTNode, int]]:
    """(the straight-line body holding ``node``'s statement, the statement's index in it)."""
    statements = _statement_index(ctx)
    current: Optional[cst.CSTNode] = node
    while current is not None:
        found = statements.get(current)
        if found is not None:
            return found
        parent = ctx.parent(current)
        if isinstance(parent, _branches()):
            return None  # a branch or a loop: runs zero or several times
        if isinstance(parent, (cst.Lambda, cst.ClassDef)) or (isinstance(parent, cst.FunctionDef) and current is parent.body):
            return None
        current = parent
    return None


def _branches() -> Tuple[type, ...]:
    """Statements whose bodies run zero or several times (``match`` and ``except*`` where libcst has them)."""
    names = ("If", "For", "While", "With", "Try", "TryStar", "Else", "ExceptHandler", "ExceptStarHandler", "Finally", "Match", "MatchCase")
    return tuple(kind for kind in (getattr(cst, name, None) for name in names) if isinstance(kind, type))


def _statement_index(ctx: RuleContext) -> Dict[cst.CSTNode, Tuple[cst.CSTNode, int]]:
    """statement -> (its module or function body, its index), for every straight-line body of the file."""
    from hplint.core import memo

    table = memo.table("straight-line-statements")
    if table is not None and table:
        return table
    out: Dict[cst.CSTNode, Tuple[cst.CSTNode, int]] = table if table is not None else {}
    bodies: List[cst.CSTNode] = [ctx.module]
    while bodies:
        owner = bodies.pop()
        statements = owner.body if isinstance(owner, cst.Module) else getattr(owner.body, "body", ())  # type: ignore[attr-defined]
        for index, statement in enumerate(statements):
            out[statement] = (owner, index)
            if isinstance(statement, cst.FunctionDef):
                bodies.append(statement)
    return out
