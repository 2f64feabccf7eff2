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

import dataclasses
import functools
import inspect
import re
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterable, List, Sequence, Tuple

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


Hook = Callable[["cst.CSTNode"], object]
_FIELD_VISIT = re.compile(r'visit_\w+\(\s*self,\s*"(\w+)"')
_ORDER: Dict[type, Tuple[str, ...]] = {}
_HOOK_NAMES: Dict[type, Tuple[str, ...]] = {}


@functools.lru_cache(maxsize=None)  # found on first use: libcst loads lazily
def leaf_types() -> FrozenSet[type]:
    """Node types that hold only whitespace, comments or punctuation."""
    bases = (
        cst.BaseParenthesizableWhitespace, cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp,
        cst.BaseUnaryOp, cst.BaseAugOp,
    )
    named = (
        cst.TrailingWhitespace, cst.EmptyLine, cst.Newline, cst.Comment, cst.Comma, cst.Dot,
        cst.Colon, cst.Semicolon, cst.AssignEqual, cst.LeftParen, cst.RightParen,
        cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace, cst.RightCurlyBrace,
        cst.ImportStar, cst.Asynchronous,
    )
    found = set(named)
    import libcst  # the module itself: the stand-in holds only the names used so far

    for value in vars(libcst).values():
        # the bases are ABCs: issubclass() would fill their caches with
        # tens of thousands of weak references, which every garbage
        # collection of the host process (flake8) then walks
        if inspect.isclass(value) and any(base in value.__mro__ for base in bases):
            found.add(value)
    return frozenset(found)



def child_order(kind: type) -> Tuple[str, ...]:
    """The fields of ``kind`` in the order libcst's own traversal visits them.

    Read once per node type from ``_visit_and_replace_children`` (keyword
    arguments are evaluated left to right); the dataclass field order differs
    for many types (a function's decorators come after its body there).
    """
    found = _ORDER.get(kind)
    if found is None:
        try:
            names = _FIELD_VISIT.findall(inspect.getsource(kind._visit_and_replace_children))
        except (OSError, TypeError):
            names = []
        fields = [f.name for f in dataclasses.fields(kind)] if dataclasses.is_dataclass(kind) else []
        ordered = list(dict.fromkeys(n for n in names if n in fields))
        ordered += [n for n in fields if n not in ordered]  # anything the source did not name
        found = _ORDER[kind] = tuple(ordered)
    return found


def children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """``node.children`` in libcst's order, without building a visitor."""
    out: List[cst.CSTNode] = []
    for name in child_order(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            out.append(value)
        elif isinstance(value, (list, tuple)):
            out.extend(item for item in value if isinstance(item, cst.CSTNode))
    return out


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
    skip = punctuation if not (listened & punctuation) else frozenset()
    order = _ORDER
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
        names = order.get(kind) or child_order(kind)
        found: List[cst.CSTNode] = []
        for name in names:
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                if type(value) not in skip:
                    found.append(value)
            elif isinstance(value, (list, tuple)):
                found.extend(v for v in value if isinstance(v, cst.CSTNode) and type(v) not in skip)
        found.reverse()
        stack.extend(found)


def parents(module: cst.CSTNode) -> Dict[cst.CSTNode, cst.CSTNode]:
    """child -> parent for every node below ``module`` (libcst's ParentNodeProvider, cheaper)."""
    out: Dict[cst.CSTNode, cst.CSTNode] = {}
    stack = [module]
    while stack:
        node = stack.pop()
        for child in children(node):
            out[child] = node
            stack.append(child)
    return out
