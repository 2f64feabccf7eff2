"""The rules' one pass over a libcst tree, without libcst's visitor machinery.

``node.visit(visitor)`` rebuilds every node of the tree on the way back up
(``_visit_and_replace_children`` constructs and validates a copy even for a
read-only visitor) and looks up each visitor's methods with
``inspect.getmembers``.  On real files that cost ten times the parse.  This
walk calls the same ``visit_<Node>`` / ``leave_<Node>`` methods in the same
order, reading children straight from the node's fields in the order libcst
itself visits them, and never enters whitespace or punctuation, which no rule
looks at.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, Sequence, Tuple

from hplint.reading.tree import CHILD_ORDER, child_order, leaf_types, node_types, walked_types

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

Hook = Callable[["cst.CSTNode"], object]
_HOOK_NAMES: Dict[type, Tuple[str, ...]] = {}


def _hook_names(kind: type) -> Tuple[str, ...]:
    """The ``visit_<Node>`` / ``leave_<Node>`` methods a visitor class really defines."""
    found = _HOOK_NAMES.get(kind)
    if found is None:
        names = []
        for name in dir(kind):
            if not name.startswith(("visit_", "leave_")):
                continue
            method = getattr(kind, name, None)
            if callable(method) and not getattr(method, "_is_no_op", False):
                names.append(name)
        found = _HOOK_NAMES[kind] = tuple(sorted(names))
    return found


def _hooks(visitors: Sequence[cst.BatchableCSTVisitor]) -> Tuple[Dict[type, List[Hook]], Dict[type, List[Hook]]]:
    visits: Dict[type, List[Hook]] = {}
    leaves: Dict[type, List[Hook]] = {}
    for visitor in visitors:
        for name in _hook_names(type(visitor)):
            prefix, _, node_name = name.partition("_")
            kind = getattr(cst, node_name, None)
            if not (inspect.isclass(kind) and issubclass(kind, cst.CSTNode)):
                raise ValueError(f"{type(visitor).__name__}.{name}: attribute hooks are not supported")
            table = visits if prefix == "visit" else leaves
            table.setdefault(kind, []).append(getattr(visitor, name))
    return visits, leaves


def visit_batched(module: cst.CSTNode, visitors: Iterable[cst.BatchableCSTVisitor]) -> None:
    """Run every visitor's hooks over ``module`` in one walk, in libcst's order."""
    visits, leaves = _hooks(list(visitors))
    listened = set(visits) | set(leaves)
    punctuation = leaf_types()
    walked = walked_types() if not (listened & punctuation) else node_types()
    stack: List[object] = [module]
    pop, push = stack.pop, stack.append
    while stack:
        item = pop()
        if type(item) is tuple:  # the children are done: leave
            node = item[0]  # type: ignore[index]
            for hook in leaves[type(node)]:
                hook(node)
            continue
        node = item  # type: ignore[assignment]
        kind = type(node)
        hooks = visits.get(kind)
        if hooks is not None:
            for hook in hooks:
                hook(node)  # type: ignore[arg-type]
        if kind in leaves:
            push((node,))
        names = CHILD_ORDER.get(kind) or child_order(kind)
        found: List[cst.CSTNode] = []
        for name in names:
            value = getattr(node, name)
            vtype = type(value)
            if vtype in walked:
                found.append(value)
            elif vtype is list or vtype is tuple:
                found.extend(v for v in value if type(v) in walked)
        found.reverse()
        stack.extend(found)
