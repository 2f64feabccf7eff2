"""Which binding of a name a piece of code sees: what a fix may safely write.

A fix that adds ``from scipy.stats import loguniform`` must not shadow a
``loguniform`` the code already has (Ray Tune's, a variable, a parameter), and
one that writes ``np.geomspace`` must know that ``np`` is numpy where the fix
lands.  ``NameTable`` reads every binding of the module with Python's scope
rules (functions, lambdas and comprehensions have scopes of their own, a class
body is seen only from itself, ``global``/``nonlocal`` redirect a binding) so
the question "what does ``name`` mean at this line" has an answer.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from hplint.core import memo

Position = Tuple[int, int]  # (line, byte column), as ``ast`` counts them
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass
class Scope:
    node: ast.AST
    kind: str  # module | function | class | comprehension
    start: Position
    end: Position
    parent: Optional["Scope"]
    bindings: Dict[str, Set[str]] = field(default_factory=dict)
    globals: Set[str] = field(default_factory=set)
    nonlocals: Set[str] = field(default_factory=set)

    def contains(self, at: Position) -> bool:
        return self.start <= at < self.end


@dataclass(frozen=True)
class Outside:
    """What the top-level statements a partial lint leaves out of its text
    bind and read (``engine.incremental``): the file-wide answers of
    ``NameTable`` (may a fix bind this name? is it bound anywhere?) must stay
    those of the whole file."""

    module: Mapping[str, FrozenSet[str]]  # names they bind at module level, and how
    nested: Mapping[str, FrozenSet[str]]  # names they bind in their own scopes
    reads: FrozenSet[str]  # every name they read
    facts: FrozenSet[str] = frozenset()  # the facts of the whole file that hold of them (``core.file_facts``)

    def add_to(self, table: "NameTable") -> "NameTable":
        """``table`` (of the text linted, built for this) with these bindings added;
        the nested ones in a scope that holds no position, as no code linted is inside it."""
        for name, how in self.module.items():
            table.module.bindings.setdefault(name, set()).update(how)
        table.scopes.append(Scope(table.module.node, "outside", (0, 0), (0, 0), table.module, {k: set(v) for k, v in self.nested.items()}))
        return table


def file_names(tree: ast.AST) -> "NameTable":
    """The file's table, built once per tree, with what a partial lint left out (``Outside``)."""
    return memo.once("name-table", tree, _with_outside)


def _with_outside(tree: ast.AST) -> "NameTable":
    table = NameTable.from_tree(tree)
    outside = memo.seeded("outside")
    return outside.add_to(table) if outside is not None else table


@dataclass
class NameTable:
    """Every scope of a module and what binds each name in it.

    A binding is ``import:<qualified name>`` or the kind of statement that
    makes it (assignment, parameter, definition, ...).
    """

    scopes: List[Scope] = field(default_factory=list)
    star_import: bool = False  # ``from x import *``: any module-level name may be bound

    @property
    def module(self) -> Scope:
        return self.scopes[0]

    @classmethod
    def from_tree(cls, tree: ast.AST) -> "NameTable":
        table = cls()
        end = (10**9, 0)
        table.scopes.append(Scope(tree, "module", (0, 0), end, None))
        table._visit(tree, table.module)
        return table

    # -- reading the module ----------------------------------------------------
    def _open(self, node: ast.AST, kind: str, parent: Scope) -> Scope:
        start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        stop = (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        scope = Scope(node, kind, start, stop, parent)
        self.scopes.append(scope)
        return scope

    def _visit(self, node: ast.AST, scope: Scope) -> None:
        for child in ast.iter_child_nodes(node):
            self._visit_node(child, scope)

    def _visit_node(self, node: ast.AST, scope: Scope) -> None:
        kind = type(node)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            self._bind(scope, node.name, "definition")  # type: ignore[attr-defined]
            for decorator in node.decorator_list:  # type: ignore[attr-defined]
                self._visit_node(decorator, scope)
            if kind is ast.ClassDef:
                for base in list(node.bases) + [k.value for k in node.keywords]:  # type: ignore[attr-defined]
                    self._visit_node(base, scope)
                inner = self._open(node, "class", scope)
                for statement in node.body:  # type: ignore[attr-defined]
                    self._visit_node(statement, inner)
                return
            self._function(node, scope)
            return
        if kind is ast.Lambda:
            self._function(node, scope)
            return
        if kind in _COMPREHENSIONS:
            generators = node.generators  # type: ignore[attr-defined]
            self._visit_node(generators[0].iter, scope)  # the first iterable is read outside
            inner = self._open(node, "comprehension", scope)
            for index, generator in enumerate(generators):
                self._visit_node(generator.target, inner)
                if index:
                    self._visit_node(generator.iter, inner)
                for condition in generator.ifs:
                    self._visit_node(condition, inner)
            for part in ("elt", "key", "value"):
                value = getattr(node, part, None)
                if value is not None:
                    self._visit_node(value, inner)
            return
        if kind is ast.Name and not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            self._bind(scope, node.id, "assignment")  # type: ignore[attr-defined]
        elif kind is ast.Global:
            scope.globals.update(node.names)  # type: ignore[attr-defined]
        elif kind is ast.Nonlocal:
            scope.nonlocals.update(node.names)  # type: ignore[attr-defined]
        elif kind is ast.ExceptHandler and node.name:  # type: ignore[attr-defined]
            self._bind(scope, node.name, "exception")  # type: ignore[attr-defined]
        elif kind is ast.Import:
            for alias in node.names:  # type: ignore[attr-defined]
                if alias.asname:
                    self._bind(scope, alias.asname, f"import:{alias.name}")
                else:
                    root = alias.name.split(".")[0]
                    self._bind(scope, root, f"import:{root}")
        elif kind is ast.ImportFrom:
            for alias in node.names:  # type: ignore[attr-defined]
                if alias.name == "*":
                    self.star_import = True
                elif node.level or not node.module:  # type: ignore[attr-defined]
                    self._bind(scope, alias.asname or alias.name, "relative-import")
                else:
                    self._bind(scope, alias.asname or alias.name, f"import:{node.module}.{alias.name}")  # type: ignore[attr-defined]
        elif kind.__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
            self._bind(scope, node.name, "match")  # type: ignore[attr-defined]
        elif kind.__name__ == "MatchMapping" and getattr(node, "rest", None):
            self._bind(scope, node.rest, "match")  # type: ignore[attr-defined]
        self._visit(node, scope)

    def _function(self, node: ast.AST, scope: Scope) -> None:
        args = node.args  # type: ignore[attr-defined]
        for default in list(args.defaults) + [d for d in args.kw_defaults if d is not None]:
            self._visit_node(default, scope)
        if not isinstance(node, ast.Lambda):
            for annotation in _annotations(args) + ([node.returns] if node.returns is not None else []):  # type: ignore[attr-defined]
                self._visit_node(annotation, scope)
        inner = self._open(node, "function", scope)
        for arg in _arguments(args):
            self._bind(inner, arg.arg, "parameter")
        body = node.body  # type: ignore[attr-defined]
        for statement in body if isinstance(body, list) else [body]:
            self._visit_node(statement, inner)

    def _bind(self, scope: Scope, name: str, how: str) -> None:
        target = scope
        if name in scope.globals:
            target = self.module
        elif name in scope.nonlocals:
            target = self._enclosing_binder(scope, name) or scope
        target.bindings.setdefault(name, set()).add(how)

    def _enclosing_binder(self, scope: Scope, name: str) -> Optional[Scope]:
        current = scope.parent
        while current is not None and current.kind != "module":
            if current.kind == "function" and name in current.bindings:
                return current
            current = current.parent
        return None

    # -- questions ---------------------------------------------------------------
    def scope_at(self, at: Position) -> Scope:
        """The innermost scope holding the code at ``at``."""
        found = self.module
        for scope in self.scopes[1:]:  # in source order: a nested scope comes after its parent
            if scope.contains(at):
                found = scope
        return found

    def seen_at(self, name: str, at: Position) -> Optional[Set[str]]:
        """The bindings of ``name`` the code at ``at`` reads (None: none, a builtin or
        a star import decides).  A class body is seen only from itself; a star
        import may rebind any module-level name, so it joins those bindings."""
        scope: Optional[Scope] = self.scope_at(at)
        innermost = scope
        while scope is not None:
            if name in scope.globals:
                scope = self.module
            if scope.kind != "class" or scope is innermost:
                found = scope.bindings.get(name)
                if found:
                    return found | {"star-import"} if scope is self.module and self.star_import else found
            scope = scope.parent
        return {"star-import"} if self.star_import else None

    def free_at(self, name: str, sites: List[Position]) -> bool:
        """A module-level import of ``name`` would be what every site reads, and
        would change what no other code reads: nothing binds ``name`` at module
        level, no scope holding a site binds it, and no star import may."""
        if self.star_import or name in self.module.bindings:
            return False
        return all(self.seen_at(name, at) is None for at in sites)

    def means_import(self, name: str, at: Optional[Position], qualified: Optional[str] = None) -> bool:
        """``name`` read at ``at`` (anywhere, if None) is one import (of ``qualified``, if given)."""
        if at is None:
            kinds = set().union(*(scope.bindings.get(name, set()) for scope in self.scopes))
            if self.star_import:
                kinds.add("star-import")
        else:
            kinds = self.seen_at(name, at) or set()
        if len(kinds) != 1:
            return False
        (how,) = kinds
        return how.startswith("import:") and (qualified is None or how == f"import:{qualified}")

    def unbound(self, name: str) -> bool:
        """No scope binds ``name`` (a conventional module alias used without its import)."""
        return not self.star_import and all(name not in scope.bindings for scope in self.scopes)


def _arguments(args: ast.arguments) -> List[ast.arg]:
    found = list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)
    found += [a for a in (args.vararg, args.kwarg) if a is not None]
    return found


def _annotations(args: ast.arguments) -> List[ast.expr]:
    return [a.annotation for a in _arguments(args) if a.annotation is not None]
