"""The rules' own tree walk calls the same hooks in the same order as libcst's."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider

from conftest import FIXTURES
from hplint.engine import traversal
from hplint.reading import tree
from hplint.reading.tree import descendants

ROOT = Path(__file__).resolve().parents[1]

RICH = '''
import numpy as np
from . import (a as b, c)

@decorator(lr=1e-3)
@other
def f(x, /, y: int = 2, *args, z=3, **kw) -> "T":
    """doc"""
    for i, (lr, wd) in enumerate(zip([1e-4, 1e-3], [0.1, 0.01])):
        if lr > 1e-3 and not wd: continue
        while True:
            break
        else:
            pass
    y = [v for v in range(3) if v if v > 1]
    z = {k: v for k, v in d.items()}
    w = lambda q, *r: q if r else -q
    u = a[1:2, ::3] @ b ** -c
    async def g():
        async with ctx() as (p, q):
            await h(*p, **q)
        async for item in stream():
            yield item
    try:
        raise ValueError("x") from None
    except (ValueError, KeyError) as exc:
        del exc
    finally:
        assert x, f"{y!r:>{width}} and {z=}"
    return (yield from gen())

class C(Base, metaclass=M):
    attr: int = 1
    match command.split():
        case [action, *rest] if action:
            pass
        case {"key": value, **others}:
            pass
        case Point(x=0, y=yy) | None:
            pass
'''


class Recorder(cst.BatchableCSTVisitor):
    """Records every hook call of a few node types the rules use, and others."""

    def __init__(self) -> None:
        super().__init__()
        self.events: List[Tuple[str, str, int]] = []

    def _add(self, event: str, node: cst.CSTNode) -> None:
        self.events.append((event, type(node).__name__, id(node)))

    def visit_Call(self, node: cst.Call) -> None:
        self._add("visit", node)

    def leave_Call(self, original_node: cst.Call) -> None:
        self._add("leave", original_node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._add("visit", node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._add("leave", original_node)

    def visit_Name(self, node: cst.Name) -> None:
        self._add("visit", node)

    def visit_For(self, node: cst.For) -> None:
        self._add("visit", node)

    def leave_For(self, original_node: cst.For) -> None:
        self._add("leave", original_node)

    def visit_Dict(self, node: cst.Dict) -> None:
        self._add("visit", node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._add("visit", node)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self._add("visit", node)

    def visit_Param(self, node: cst.Param) -> None:
        self._add("visit", node)

    def visit_Integer(self, node: cst.Integer) -> None:
        self._add("visit", node)

    def leave_Module(self, original_node: cst.Module) -> None:
        self._add("leave", original_node)


def _sources() -> List[Tuple[str, str]]:
    out = [("rich", RICH)]
    for path in sorted(FIXTURES.rglob("*.py"))[::3]:
        out.append((str(path.relative_to(FIXTURES)), path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "src" / "hplint").rglob("*.py"))[::4]:
        out.append((path.name, path.read_text(encoding="utf-8")))
    return out


@pytest.mark.parametrize("name,source", _sources(), ids=[n for n, _ in _sources()])
def test_same_hooks_in_the_same_order_as_libcst(name: str, source: str) -> None:
    module = cst.parse_module(source)
    theirs, ours = Recorder(), Recorder()
    MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([theirs])
    traversal.visit_batched(module, [ours])
    assert ours.events == theirs.events
    assert len(ours.events) >= 2


def test_parents_match_libcst_parent_provider() -> None:
    module = cst.parse_module(RICH)
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ParentNodeProvider)
    ours = tree.parents(module)
    leaves = tree.leaf_types()
    assert {child: parent for child, parent in dict(theirs).items() if type(child) not in leaves} == ours


def test_children_match_libcst_children_for_every_node() -> None:
    module = cst.parse_module(RICH)
    for node in descendants(module):
        assert tree.children(node) == [c for c in node.children if type(c) not in tree.leaf_types()]


def test_rule_walks_skip_only_whitespace_and_punctuation() -> None:
    module = cst.parse_module(RICH)
    walked = set(map(id, descendants(module)))
    everything = []
    stack = list(module.children)
    while stack:
        node = stack.pop()
        everything.append(node)
        stack.extend(node.children)
    skipped = {type(n) for n in everything if id(n) not in walked}
    assert skipped and skipped <= tree.leaf_types()
    assert {cst.Call, cst.Name, cst.Lambda, cst.Await} <= {type(n) for n in everything if id(n) in walked}


def test_attribute_hooks_are_refused_not_ignored() -> None:
    class AttributeHook(cst.BatchableCSTVisitor):
        def visit_Call_func(self, node: cst.Call) -> None:
            pass

    with pytest.raises(ValueError):
        traversal.visit_batched(cst.parse_module("f()\n"), [AttributeHook()])
