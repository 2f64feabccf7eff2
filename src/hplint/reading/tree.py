"""Walking a libcst tree without libcst's visitor machinery.

libcst's ``children`` property and ``node.visit`` build a visitor per node
and rebuild nodes on the way back up; on real files that cost more than the
parse.  Children are read here straight from a node's fields, in the order
libcst itself visits them, leaving out whitespace and punctuation (no rule
looks at them).  Types are compared exactly: ``isinstance`` against libcst's
abstract base classes filled their caches with tens of thousands of weak
references.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterator, List, Tuple, Type

from hplint.core import memo

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

_FIELD_VISIT = re.compile(r'visit_\w+\(\s*self,\s*"(\w+)"')
CHILD_ORDER: Dict[type, Tuple[str, ...]] = {}


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
        # the bases are ABCs: issubclass() would fill their caches
        if inspect.isclass(value) and any(base in value.__mro__ for base in bases):
            found.add(value)
    return frozenset(found)


@functools.lru_cache(maxsize=None)
def node_types(*bases: type) -> FrozenSet[type]:
    """Every libcst node class that is one of ``bases`` or derives from them (all nodes
    when none is given): ``type(node) in node_types(cst.BaseExpression)`` answers
    ``isinstance`` without the abstract base classes' slow ``__instancecheck__``.
    Parsed trees hold only libcst's own classes."""
    import libcst  # the module itself: the stand-in holds only the names used so far

    wanted = bases or (cst.CSTNode,)
    return frozenset(
        value for value in vars(libcst).values()
        if inspect.isclass(value) and any(base in value.__mro__ for base in wanted)
    )


def child_order(kind: type) -> Tuple[str, ...]:
    """The fields of ``kind`` in the order libcst's own traversal visits them.

    Read once per node type from ``_visit_and_replace_children`` (keyword
    arguments are evaluated left to right); the dataclass field order differs
    for many types (a function's decorators come after its body there).
    """
    found = CHILD_ORDER.get(kind)
    if found is None:
        try:
            names = _FIELD_VISIT.findall(inspect.getsource(kind._visit_and_replace_children))
        except (OSError, TypeError):
            names = []
        fields = [f.name for f in dataclasses.fields(kind)] if dataclasses.is_dataclass(kind) else []
        ordered = list(dict.fromkeys(n for n in names if n in fields))
        ordered += [n for n in fields if n not in ordered]  # anything the source did not name
        found = CHILD_ORDER[kind] = tuple(ordered)
    return found


def children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """``node.children`` in libcst's order, whitespace and punctuation left out.

    Kept for the file being linted (``memo.table``): the rules' walks and the
    parent map ask for the same nodes' children many times.  The list is
    shared: callers never change it.
    """
    cache = memo.table("cst-children")
    if cache is not None:  # keyed by id() (a node's own __hash__ is a Python call), the node kept alive beside it
        entry = cache.get(id(node))
        if entry is None or entry[0] is not node:
            entry = cache[id(node)] = memo.earlier("cst-children", node) or (node, _children(node))
        return entry[1]
    return _children(node)


def _children(node: cst.CSTNode) -> List[cst.CSTNode]:
    walked = walked_types()
    out: List[cst.CSTNode] = []
    for name in CHILD_ORDER.get(type(node)) or child_order(type(node)):
        value = getattr(node, name)
        vtype = type(value)
        if vtype is list or vtype is tuple:
            out.extend(v for v in value if type(v) in walked)
        elif vtype in walked:
            out.append(value)
    return out


@functools.lru_cache(maxsize=None)
def walked_types() -> FrozenSet[type]:
    """Node classes a walk enters: all but whitespace and punctuation."""
    return node_types() - leaf_types()


def descendants(node: cst.CSTNode, skip: Tuple[Type[cst.CSTNode], ...] = ()) -> Iterator[cst.CSTNode]:
    """Every node below ``node`` in source order; nodes of a ``skip`` type are yielded but not entered."""
    cache = memo.table("cst-children")
    stack = list(reversed(children(node)))
    while stack:
        current = stack.pop()
        yield current
        if skip and isinstance(current, skip):
            continue
        if cache is None:
            stack.extend(reversed(_children(current)))
            continue
        entry = cache.get(id(current))
        if entry is None or entry[0] is not current:
            entry = cache[id(current)] = memo.earlier("cst-children", current) or (current, _children(current))
        stack.extend(reversed(entry[1]))


def parents(module: cst.CSTNode) -> Dict[cst.CSTNode, cst.CSTNode]:
    """child -> parent for every node below ``module`` (libcst's ParentNodeProvider, cheaper).

    Joined from one map per statement of the module, which a document's next
    version reuses for the statements it did not change (``memo.Carry``)."""
    out: Dict[cst.CSTNode, cst.CSTNode] = {}
    cache = memo.table("statement-parents")
    for statement in children(module):
        out[statement] = module
        if cache is None:
            out.update(_parents_below(statement))
            continue
        entry = cache.get(id(statement))
        if entry is None or entry[0] is not statement:
            entry = cache[id(statement)] = memo.earlier("statement-parents", statement) or (statement, _parents_below(statement))
        out.update(entry[1])
    return out


def _parents_below(top: cst.CSTNode) -> Dict[cst.CSTNode, cst.CSTNode]:
    out: Dict[cst.CSTNode, cst.CSTNode] = {}
    stack = [top]
    while stack:
        node = stack.pop()
        for child in children(node):
            out[child] = node
            stack.append(child)
    return out


def nested_scopes() -> Tuple[Type[cst.CSTNode], ...]:
    """Statements that open a scope of their own: walks that stay in one function stop there."""
    return (cst.FunctionDef, cst.ClassDef)
