"""Where a value comes from, across one file: the binding of a name before its
use, ``self.x`` set in any method of the class, a class attribute, a module
constant, and a function parameter, given by the calls to that function in
the same file (or by its default).

Real searches keep their grids in data: ``self.param_grid`` set in
``__init__``, a module constant, a dict filled key by key, or a dict handed
to a helper that runs ``GridSearchCV``.  Reading only the assignment just
above the search misses all of them.  One walk per file collects what the
readers need (``ctx.facts(Flow)``), and reading stays bounded: two hops
through parameters, a few through names; anything else is "not visible".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple, Union

from hplint.reading.calls import dict_call_items, dict_items, has_star_args, method_name, string_value, subscript_key
from hplint.reading.tree import children, descendants, node_types

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

PARAMETER_HOPS = 2
Value = Optional["cst.BaseExpression"]  # None: bound to something not read here (a loop target, an import)


@dataclass
class Origin:
    """A value an expression may hold, and the call in this file that passed it
    in through a parameter (None when it is bound in the same function)."""

    value: cst.BaseExpression
    via: Optional[cst.Call] = None


@dataclass
class Scope:
    """A function's (or the module's, or a class body's) own names."""

    node: cst.CSTNode
    parent: Optional["Scope"] = None
    klass: Optional[cst.ClassDef] = None  # the class a method belongs to
    params: List[cst.Param] = field(default_factory=list)  # positional and keyword-only, in order
    positional: int = 0  # how many of ``params`` may be given by position
    bindings: Dict[str, List[Tuple[int, Value]]] = field(default_factory=dict)
    # ``d["k"] = v`` and ``d.update(...)``: (order, key, value)
    additions: Dict[str, List[Tuple[int, str, cst.BaseExpression]]] = field(default_factory=dict)
    # ``d.pop("k")``: (order, key) taken off the dict a name holds
    removals: Dict[str, List[Tuple[int, str]]] = field(default_factory=dict)

    def bind(self, name: str, order: int, value: Value) -> None:
        self.bindings.setdefault(name, []).append((order, value))

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, cst.FunctionDef)

    @property
    def is_method(self) -> bool:
        if self.klass is None or not self.params:
            return False
        decorators = {d.decorator.value for d in self.node.decorators if isinstance(d.decorator, cst.Name)}  # type: ignore[attr-defined]
        return "staticmethod" not in decorators

    @property
    def self_name(self) -> Optional[str]:
        return self.params[0].name.value if self.is_method else None


class Flow:
    """The file's scopes, bindings, class attributes and calls, in source order."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.order: Dict[cst.CSTNode, int] = {}
        self.scopes: Dict[cst.CSTNode, Scope] = {}
        self.functions: Dict[str, List[Scope]] = {}
        self.classes: Dict[str, List[cst.ClassDef]] = {}
        self.class_attrs: Dict[cst.ClassDef, Dict[str, List[cst.BaseExpression]]] = {}
        self.calls: Dict[str, List[cst.Call]] = {}
        self.plain: Dict[str, List[cst.BaseExpression]] = {}  # ``name = value`` anywhere: what the prefilter reads
        # ``for name, model, grid in table:``, ``for name, (model, grid) in table.items():``:
        # (scope node id, name, order) -> (the loop, the name's position in the row, level by level)
        self.unpacked_loops: Dict[Tuple[int, str, int], Tuple[cst.For, Tuple[int, ...]]] = {}

    @classmethod
    def collect(cls, ctx: RuleContext) -> "Flow":
        flow = cls(ctx)
        flow._walk(ctx.module)
        return flow

    # -- the walk ---------------------------------------------------------------
    def _walk(self, module: cst.Module) -> None:
        root = self.scopes[module] = Scope(module)
        counter = 0
        stack: List[Tuple[cst.CSTNode, Scope]] = [(module, root)]
        statements = node_types(cst.BaseSmallStatement, cst.BaseCompoundStatement)
        assigns = (cst.Assign, cst.AnnAssign, cst.AugAssign)
        while stack:
            node, scope = stack.pop()
            kind = type(node)  # compared exactly: parsed trees hold libcst's own classes
            if kind in statements:
                counter += 1
                self.order[node] = counter
            inner = scope
            if kind is cst.FunctionDef:
                scope.bind(node.name.value, counter, None)
                inner = self._function(node, scope)
            elif kind is cst.ClassDef:
                scope.bind(node.name.value, counter, None)
                inner = self.scopes[node] = Scope(node, parent=scope)
                self.classes.setdefault(node.name.value, []).append(node)
                self.class_attrs.setdefault(node, {})
            elif kind in assigns:
                self._assign(node, scope, counter)
            elif kind is cst.For:
                only = _only_element(node.iter) if type(node.target) is cst.Name else None
                for name in _names(node.target):
                    scope.bind(name, counter, only)  # ``for lr in [0.1]:`` binds 0.1; other loops, values unknown
                for name, path in _unpacked_paths(node.target, ()):
                    self.unpacked_loops[(id(scope.node), name, counter)] = (node, path)
            elif kind is cst.WithItem and node.asname is not None:
                for name in _names(node.asname.name):
                    scope.bind(name, counter, None)
            elif (kind is cst.Import or kind is cst.ImportFrom) and type(node.names) is not cst.ImportStar:
                for alias in node.names:
                    bound = alias.asname.name if alias.asname is not None else alias.name
                    root = _dotted_root(bound) if isinstance(bound, cst.Attribute) else getattr(bound, "value", "")
                    scope.bind(root, counter, None)
            elif kind is cst.Call:
                name = method_name(node)
                if name:
                    self.calls.setdefault(name, []).append(node)
                self._update(node, scope, counter)
            for child in reversed(children(node)):
                stack.append((child, inner))

    def _function(self, node: cst.FunctionDef, outer: Scope) -> Scope:
        klass = outer.node if isinstance(outer.node, cst.ClassDef) else None
        params = node.params
        positional = list(params.posonly_params) + list(params.params)
        scope = Scope(node, parent=outer, klass=klass, params=positional + list(params.kwonly_params), positional=len(positional))
        self.scopes[node] = scope
        self.functions.setdefault(node.name.value, []).append(scope)
        return scope

    def _assign(self, node: Union[cst.Assign, cst.AnnAssign, cst.AugAssign], scope: Scope, order: int) -> None:
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
            value: Value = node.value
        else:
            targets = [node.target]
            value = node.value if isinstance(node, cst.AnnAssign) else None
        for target in targets:
            if isinstance(target, cst.Name) and value is not None and not isinstance(node, cst.AugAssign):
                self.plain.setdefault(target.value, []).append(value)
            if isinstance(target, cst.Name):
                if isinstance(scope.node, cst.ClassDef) and value is not None:
                    self.class_attrs[scope.node].setdefault(target.value, []).append(value)
                scope.bind(target.value, order, value)
            elif isinstance(target, (cst.Tuple, cst.List)):
                self._unpack(target, value, scope, order)
            elif isinstance(target, cst.Attribute) and value is not None:
                owner = _method_scope(scope)
                if owner is not None and isinstance(target.value, cst.Name) and target.value.value == owner.self_name:
                    self.class_attrs[owner.klass].setdefault(target.attr.value, []).append(value)  # type: ignore[index]
            elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and value is not None:
                key = subscript_key(target)
                if key is not None:
                    scope.additions.setdefault(target.value.value, []).append((order, key, value))

    def _unpack(self, target: Union[cst.Tuple, cst.List], value: Value, scope: Scope, order: int) -> None:
        """``names, values = zip(*grid.items())``: ``values`` holds ``grid.values()``."""
        names = [e.value.value if isinstance(e.value, cst.Name) else None for e in target.elements]
        parts: List[Value] = [None] * len(names)
        items = _zipped_items(value) if len(names) == 2 else None
        if items is not None:
            parts = [_method_call(items, "keys"), _method_call(items, "values")]
        elif isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(names) and not any(isinstance(e, cst.StarredElement) for e in value.elements):
            parts = [e.value for e in value.elements]
        for name, part in zip(names, parts):
            if name is not None:
                scope.bind(name, order, part)
        for element in target.elements:
            if not isinstance(element.value, cst.Name):
                for name in _names(element.value):
                    scope.bind(name, order, None)

    def _update(self, call: cst.Call, scope: Scope, order: int) -> None:
        """``grid.update({...})`` / ``grid.update(lr=[...])``: keys added to a dict;
        ``grid.pop("lr")``: a key taken off it."""
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "pop" and isinstance(call.func.value, cst.Name):
            key = string_value(call.args[0].value) if call.args and call.args[0].keyword is None else None
            if key is not None and not self._conditional(call, scope):
                scope.removals.setdefault(call.func.value.value, []).append((order, key))
            return
        if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "update" and isinstance(call.func.value, cst.Name)):
            return
        name = call.func.value.value
        added: List[Tuple[str, cst.BaseExpression]] = []
        if len(call.args) == 1 and call.args[0].keyword is None and not call.args[0].star and isinstance(call.args[0].value, cst.Dict):
            for element in call.args[0].value.elements:
                key = _string_key(element)
                if key is None:
                    return
                added.append((key, element.value))  # type: ignore[union-attr]
        elif not has_star_args(call) and call.args and all(a.keyword is not None for a in call.args):
            added = [(k, v) for k, v, _ in dict_call_items(call)]
        for key, value in added:
            scope.additions.setdefault(name, []).append((order, key, value))

    def bound_to_subscript(self, expr: cst.CSTNode, hops: int = 3) -> bool:
        """A name in ``expr`` bound, within ``hops`` plain assignments anywhere in
        the file, to a value holding a subscript (``LoopNests``' reading, on libcst)."""
        names = {n.value for n in _walk(expr) if isinstance(n, cst.Name)}
        seen: set = set()
        for _ in range(hops):
            values = [v for name in names - seen for v in self.plain.get(name, ())]
            seen |= names
            if any(isinstance(n, cst.Subscript) for v in values for n in _walk(v)):
                return True
            names = {n.value for v in values for n in _walk(v) if isinstance(n, cst.Name)}
            if not names - seen:
                return False
        return False

    # -- where a node stands --------------------------------------------------------
    def scope_of(self, node: cst.CSTNode) -> Scope:
        """The innermost function, class body or module ``node`` is read in."""
        child: cst.CSTNode = node
        for ancestor in self.ctx.ancestors(node):
            found = self.scopes.get(ancestor)
            if found is not None and not (isinstance(ancestor, cst.FunctionDef) and child is not ancestor.body):
                return found
            child = ancestor
        return self.scopes[self.ctx.module]

    def _conditional(self, node: cst.CSTNode, scope: Scope) -> bool:
        """``node`` runs under an ``if``, a loop or a ``try`` of its scope: maybe not at all."""
        for ancestor in self.ctx.ancestors(node):
            if ancestor is scope.node:
                return False
            if isinstance(ancestor, (cst.If, cst.For, cst.While, cst.Try, cst.IfExp, cst.BooleanOperation)):
                return True
        return False

    def popped(self, name: cst.Name) -> Set[str]:
        """The keys ``name.pop("k")`` took off the dict ``name`` holds, before it is read here."""
        at = self.order_of(name)
        return {key for order, key in self.scope_of(name).removals.get(name.value, []) if order < at}

    def order_of(self, node: cst.CSTNode) -> int:
        """The statement ``node`` belongs to, as a position in the walk."""
        found = self.order.get(node)
        if found is not None:
            return found
        for ancestor in self.ctx.ancestors(node):
            found = self.order.get(ancestor)
            if found is not None:
                return found
        return 0

    def function_at(self, name: str, at: cst.CSTNode) -> Optional[Scope]:
        """The plain function ``name`` means where ``at`` reads it: the only one, or of
        several (a notebook redefines ``build_model`` cell after cell) the last one defined
        before ``at`` in the same scope."""
        scopes = [s for s in self.functions.get(name, []) if s.klass is None]
        if len(scopes) <= 1:
            return scopes[0] if scopes else None
        outer, position = self.scope_of(at), self.order_of(at)
        earlier = [s for s in scopes if s.parent is outer and self.order.get(s.node, 0) < position]
        return max(earlier, key=lambda s: self.order.get(s.node, 0)) if earlier else None

    # -- what a name holds ----------------------------------------------------------
    def origins(self, expr: cst.BaseExpression, hops: int = PARAMETER_HOPS, via: Optional[cst.Call] = None, called: bool = False) -> List[Origin]:
        """The values ``expr`` (a name, ``self.x``, ``Class.x``) may hold; other
        expressions are their own value.  ``called``: a parameter holds only
        what calls in this file give it (its default counts only where a call
        leaves it out: a function never called here is a knob for its callers)."""
        if isinstance(expr, cst.Name):
            found = self._name(expr.value, self.scope_of(expr), self.order_of(expr), hops, via, called)
        elif isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            found = self._attribute(expr, hops, via, called)
        else:
            found = [Origin(expr, via)]
        out: List[Origin] = []
        for origin in found:
            returned = self._returned(origin.value, hops, origin.via, called) if isinstance(origin.value, cst.Call) else None
            if returned is None:
                out.append(origin)
            else:
                out.extend(returned)
        return out

    def _returned(self, call: cst.Call, hops: int, via: Optional[cst.Call], called: bool) -> Optional[List[Origin]]:
        """What a call of a plain function of this file returns (``grid = make_grid()``),
        handed over by that call; None when it is not one, or a path returns nothing."""
        if hops <= 0 or not isinstance(call.func, cst.Name) or has_star_args(call):
            return None
        scopes = self.functions.get(call.func.value, [])
        if len(scopes) != 1 or scopes[0].klass is not None or call.func.value in self.classes:
            return None
        func: cst.FunctionDef = scopes[0].node  # type: ignore[assignment]
        returns = [n for n in _own_nodes(func.body) if isinstance(n, cst.Return)]
        if not returns or any(r.value is None for r in returns):
            return None
        found: List[Origin] = []
        for ret in returns:
            found.extend(self.origins(ret.value, hops - 1, via or call, called))  # type: ignore[arg-type]
        return found

    def members(self, expr: cst.BaseExpression) -> Optional[List[cst.BaseExpression]]:
        """``grids[name]`` with a key not known here (a loop variable), ``grids``
        a dict literal of this file: every value it may pick; and ``spec["params"]``
        with ``spec`` walking the values of such a dict of dicts (``for name, spec in
        models.items()``): each one's ``"params"``.  None otherwise."""
        if not isinstance(expr, cst.Subscript) or len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
            return None
        key = expr.slice[0].slice.value
        if isinstance(key, (cst.SimpleString, cst.ConcatenatedString)) and isinstance(expr.value, cst.Name):
            return self._walked_members(expr.value, subscript_key(expr))
        if isinstance(key, (cst.SimpleString, cst.ConcatenatedString, cst.Integer)):
            return None
        table = self.value(expr.value) if isinstance(expr.value, (cst.Name, cst.Attribute)) else expr.value
        if not isinstance(table, cst.Dict) or not table.elements:
            return None
        if not all(isinstance(e, cst.DictElement) for e in table.elements):
            return None
        return [e.value for e in table.elements]  # type: ignore[union-attr]

    def _walked_members(self, name: cst.Name, key: Optional[str]) -> Optional[List[cst.BaseExpression]]:
        """``spec[key]`` where ``spec`` is the loop variable of ``for _, spec in table.items()``
        or ``for spec in table.values()`` around it, ``table`` a dict literal of dict literals."""
        loop = next((a for a in self.ctx.ancestors(name) if isinstance(a, cst.For)), None)
        if key is None or loop is None or not isinstance(loop.iter, cst.Call) or loop.iter.args:
            return None
        walked, target = method_name(loop.iter), loop.target
        if walked == "items" and isinstance(target, cst.Tuple) and len(target.elements) == 2:
            target = target.elements[1].value
        elif walked != "values":
            return None
        if not (isinstance(target, cst.Name) and target.value == name.value and isinstance(loop.iter.func, cst.Attribute)):
            return None
        table = loop.iter.func.value
        table = self.value(table) if isinstance(table, (cst.Name, cst.Attribute)) else table
        if not isinstance(table, cst.Dict) or not table.elements or not all(isinstance(e, cst.DictElement) for e in table.elements):
            return None
        specs = [e.value for e in table.elements]  # type: ignore[union-attr]
        if not all(isinstance(spec, cst.Dict) for spec in specs):
            return None
        found = [value for spec in specs for k, value, _ in dict_items(spec) if k == key]  # type: ignore[arg-type]
        return found or None

    def value(self, expr: cst.BaseExpression) -> Optional[cst.BaseExpression]:
        """The one value a name holds where it is read, or None when none is
        visible or several are (``self.x = None`` aside): a count read from one
        of several calls would be a number the code does not state."""
        found = list({id(o.value): o.value for o in self.origins(expr) if not _is_none(o.value)}.values())
        return found[0] if len(found) == 1 else None

    def _name(self, name: str, scope: Scope, at: int, hops: int, via: Optional[cst.Call], called: bool = False) -> List[Origin]:
        while isinstance(scope.node, cst.ClassDef) and scope.parent is not None and name not in scope.bindings:
            scope = scope.parent
        bound = scope.bindings.get(name)
        if bound is not None:
            earlier = [(order, value) for order, value in bound if order < at]
            if earlier:
                order, value = earlier[-1]
                if value is None:
                    looped = self.unpacked_loops.get((id(scope.node), name, order))
                    return self._walked_rows(looped[0], looped[1], hops, via, called) if looped is not None else []
                return [Origin(self._with_additions(scope, name, order, at, value), via)]
        if scope.is_function:
            param = next((p for p in scope.params if p.name.value == name), None)
            if param is not None:
                found = self._parameter(scope, param, hops, via, called)
                popped = {key for order, key in scope.removals.get(name, []) if order < at}  # as ``popped`` reads
                return [Origin(_without(o.value, popped), o.via) for o in found] if popped else found
            if bound is not None:
                return []  # bound later in the function (a loop carries it): not read here
            outer = scope.parent
            while outer is not None and isinstance(outer.node, cst.ClassDef):
                outer = outer.parent
            if outer is not None:
                return self._name(name, outer, self.order.get(scope.node, 0) if outer.is_function else 10**9, hops, via, called)
        return []

    def _walked_rows(self, loop: cst.For, path: Tuple[int, ...], hops: int, via: Optional[cst.Call], called: bool) -> List[Origin]:
        """``for name, model, grid in specs:`` with ``specs`` a list or tuple literal of
        equally long tuples (``[("svc", SVC(), svc_grid), ...]``), or ``for name, (model, grid)
        in specs.items():`` with ``specs`` a dict literal of such tuples: what each row holds at
        the name's place, each handed over by its row; nothing when a row is not visible."""
        iterated, method = loop.iter, None
        if type(iterated) is cst.Call and not iterated.args and type(iterated.func) is cst.Attribute \
                and iterated.func.attr.value in ("items", "values"):
            method, iterated = iterated.func.attr.value, iterated.func.value
        elif type(iterated) is cst.Call:
            return []
        found: List[Origin] = []
        for origin in self.origins(iterated, hops, via, called):
            rows = _rows(origin.value, method)
            if not rows:
                return []
            for row in rows:
                held = _held_at(row, loop.target, path)
                if held is None:
                    return []
                given = origin.via or row  # type: ignore[assignment]
                found.extend(self.origins(held, hops, given, called) if type(held) in (cst.Name, cst.Attribute) else [Origin(held, given)])  # type: ignore[arg-type]
        return found

    def assembled(self, literal: cst.Dict) -> cst.Dict:
        """The dict literal ``name = {...}`` with every key its scope sets on it afterwards
        (``name["k"] = v``, ``name.update(...)``) before ``name`` is bound again."""
        assign = self.ctx.parent(literal)
        if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)):
            return literal
        name = assign.targets[0].target.value
        scope = self.scope_of(literal)
        bound = [order for order, value in scope.bindings.get(name, []) if value is literal]
        if len(bound) != 1:
            return literal
        later = [order for order, _ in scope.bindings.get(name, []) if order > bound[0]]
        found = self._with_additions(scope, name, bound[0], min(later, default=10**9), literal)
        return found if isinstance(found, cst.Dict) else literal

    def _with_additions(self, scope: Scope, name: str, bound_at: int, at: int, value: cst.BaseExpression) -> cst.BaseExpression:
        """A dict literal with the keys set on it afterwards, as one dict."""
        added = [(key, v) for order, key, v in scope.additions.get(name, []) if bound_at < order < at]
        if not added:
            return value
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict" and not value.args:
            value = cst.Dict([])
        if not isinstance(value, cst.Dict):
            return value
        keys = {k: i for i, (k, _) in enumerate(added)}
        elements = [e for e in value.elements if _string_key(e) not in keys]
        elements += [cst.DictElement(cst.SimpleString(repr(key)), v) for index, (key, v) in enumerate(added) if keys[key] == index]
        return value.with_changes(elements=elements)

    def _attribute(self, expr: cst.Attribute, hops: int, via: Optional[cst.Call], called: bool = False) -> List[Origin]:
        owner = expr.value.value  # type: ignore[attr-defined]
        scope = _method_scope(self.scope_of(expr))
        klass: Optional[cst.ClassDef] = None
        if scope is not None and owner in (scope.self_name, "cls"):
            klass = scope.klass
        elif owner in self.classes and len(self.classes[owner]) == 1:
            klass = self.classes[owner][0]
        if klass is None:
            return []
        found: List[Origin] = []
        for value in self.class_attrs.get(klass, {}).get(expr.attr.value, []):
            found.extend(self.origins(value, hops, via, called) if isinstance(value, cst.Name) else [Origin(value, via)])
        return found

    def _parameter(self, scope: Scope, param: cst.Param, hops: int, via: Optional[cst.Call], called: bool = False) -> List[Origin]:
        """What the calls in this file pass for ``param``, or its default."""
        if hops <= 0:
            return []
        found: List[Origin] = []
        calls = self._calls_of(scope)
        index = scope.params.index(param)
        offset = 1 if scope.is_method else 0
        defaulted = not calls and not called
        for call in calls:
            given = _argument(call, param.name.value, index - offset if index < scope.positional else None)
            if given is False:
                continue  # *args / **kwargs: not readable
            if given is None:
                defaulted = True
                continue
            passed = self.origins(given, hops - 1, call, called)
            found.extend(passed or [Origin(given, call)])  # a value not visible here stays unknown
        if defaulted and param.default is not None:
            found.extend(self.origins(param.default, hops - 1, via, called) if isinstance(param.default, cst.Name) else [Origin(param.default, via)])
        return found

    def _calls_of(self, scope: Scope) -> List[cst.Call]:
        node: cst.FunctionDef = scope.node  # type: ignore[assignment]
        name = node.name.value
        if scope.klass is None:
            if len(self.functions.get(name, [])) != 1:
                return []
            return [c for c in self.calls.get(name, []) if isinstance(c.func, cst.Name)]
        if not scope.is_method:
            return []
        class_name = scope.klass.name.value
        if name == "__init__":
            return [c for c in self.calls.get(class_name, []) if isinstance(c.func, cst.Name)]
        receivers = {"self", "cls", class_name}
        return [c for c in self.calls.get(name, []) if isinstance(c.func, cst.Attribute) and isinstance(c.func.value, cst.Name) and c.func.value.value in receivers]


def _own_nodes(block: cst.CSTNode):
    """Nodes of one function's own code: nested functions, classes and lambdas left out."""
    return descendants(block, (cst.FunctionDef, cst.ClassDef, cst.Lambda))


def _walk(node: cst.CSTNode):
    yield node
    yield from descendants(node)


def _method_scope(scope: Scope) -> Optional[Scope]:
    """The method a scope is (or sits in, for a nested function)."""
    current: Optional[Scope] = scope
    while current is not None and current.is_function:
        if current.is_method:
            return current
        current = current.parent
    return None


def _argument(call: cst.Call, keyword: str, position: Optional[int]) -> Union[cst.BaseExpression, None, bool]:
    """The argument a call gives for a parameter; None when it gives none; False when ``*``/``**`` hide it."""
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return a.value
    positional = []
    for a in call.args:
        if a.star:
            return False
        if a.keyword is None:
            positional.append(a.value)
    if position is not None and position < len(positional):
        return positional[position]
    return None


def _names(target: cst.CSTNode) -> List[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return []


def _without(value: cst.BaseExpression, keys: set) -> cst.BaseExpression:
    """A dict literal without the keys popped off it where it is read."""
    if not isinstance(value, cst.Dict):
        return value
    return value.with_changes(elements=[e for e in value.elements if _string_key(e) not in keys])


def _unpacked_paths(target: cst.CSTNode, path: Tuple[int, ...]) -> List[Tuple[str, Tuple[int, ...]]]:
    """The names a loop target unpacks and their places in a row: ``name, (model, grid)``
    gives ``name`` (0,), ``model`` (1, 0) and ``grid`` (1, 1)."""
    if type(target) not in (cst.Tuple, cst.List):
        return []
    found: List[Tuple[str, Tuple[int, ...]]] = []
    for position, element in enumerate(target.elements):  # type: ignore[attr-defined]
        if type(element.value) is cst.Name:
            found.append((element.value.value, (*path, position)))
        else:
            found.extend(_unpacked_paths(element.value, (*path, position)))
    return found


def _rows(table: Optional[cst.BaseExpression], method: Optional[str]) -> List[cst.BaseExpression]:
    """The rows a loop reads from ``table``: a list or tuple literal's elements; a dict
    literal's values (``method`` "values"), or its (key, value) pairs ("items", as
    two-element tuples); nothing when the table is not a literal."""
    if method is None:
        if type(table) not in (cst.List, cst.Tuple) or any(type(e) is cst.StarredElement for e in table.elements):  # type: ignore[union-attr]
            return []
        return [e.value for e in table.elements]  # type: ignore[union-attr]
    if type(table) is not cst.Dict or not table.elements or not all(type(e) is cst.DictElement for e in table.elements):  # type: ignore[union-attr]
        return []
    if method == "values":
        return [e.value for e in table.elements]  # type: ignore[union-attr]
    return [cst.Tuple([cst.Element(e.key), cst.Element(e.value)]) for e in table.elements]  # type: ignore[union-attr]


def _held_at(row: cst.BaseExpression, target: cst.CSTNode, path: Tuple[int, ...]) -> Optional[cst.BaseExpression]:
    """What ``row`` holds at ``path`` when its tuples are as wide as the target's, level by level."""
    held: cst.CSTNode = row
    for position in path:
        if type(held) not in (cst.Tuple, cst.List) or type(target) not in (cst.Tuple, cst.List):
            return None
        elements = held.elements  # type: ignore[attr-defined]
        if len(elements) != len(target.elements) or any(type(e) is cst.StarredElement for e in elements):  # type: ignore[attr-defined]
            return None
        held, target = elements[position].value, target.elements[position].value  # type: ignore[attr-defined]
    return held  # type: ignore[return-value]


def _only_element(iterable: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """The one element of a list or tuple literal of one element (not starred), else None."""
    if type(iterable) in (cst.List, cst.Tuple) and len(iterable.elements) == 1:  # type: ignore[attr-defined]
        element = iterable.elements[0]  # type: ignore[attr-defined]
        return element.value if type(element) is cst.Element else None
    return None


def _dotted_root(node: cst.Attribute) -> str:
    value: cst.BaseExpression = node
    while isinstance(value, cst.Attribute):
        value = value.value
    return value.value if isinstance(value, cst.Name) else ""


def _zipped_items(value: Value) -> Optional[cst.BaseExpression]:
    """``zip(*grid.items())`` (``... if grid else ([], [])`` too) -> ``grid``."""
    if isinstance(value, cst.IfExp):
        value = value.body
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "zip" and len(value.args) == 1):
        return None
    star = value.args[0]
    inner = star.value
    if star.star != "*" or not (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute) and inner.func.attr.value == "items" and not inner.args):
        return None
    return inner.func.value


def _method_call(receiver: cst.BaseExpression, name: str) -> cst.Call:
    return cst.Call(func=cst.Attribute(value=receiver, attr=cst.Name(name)))


def _string_key(element: cst.BaseDictElement) -> Optional[str]:
    if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
        return None
    value = element.key.evaluated_value
    return value if isinstance(value, str) else None


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"
