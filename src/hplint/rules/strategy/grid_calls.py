"""What HPL102 reads around a grid call: which calls a grid reaches, where it
is consumed, how many folds it is cross-validated over, and the prefilter's
readings of the same shapes on CPython's ``ast``."""

from __future__ import annotations

import ast
import math
from typing import TYPE_CHECKING, Iterator, List, Optional, Union

from hplint.reading.calls import arg, arg_value, method_name, string_value
from hplint.reading.flow import Flow
from hplint.reading.numbers import UNKNOWN, number
from hplint.reading.reaching import reaching
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, runs_configuration
from hplint.rules.strategy.grids import Dim, ast_unwrap, grid_size, is_training_call, literal_size, tuning_name, unwrap

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# calls that take a sample of what they are given: a grid passed to one is not exhausted
SAMPLING_CALLS = frozenset({"sample", "choice", "choices", "shuffle", "permutation", "islice", "ParameterSampler"})
# what every name ``runs_grid_search`` accepts holds in lower case
GRID_SEARCH_SPELLINGS = ("gridsearch", "grid_search")


def runs_grid_search(name: str) -> bool:
    """A function whose name says it runs an exhaustive grid search:
    ``grid_search``, ``grid_search_cv``, ``run_grid_search``, ``kerasGridSearch``."""
    low = name.lower()
    return any(s in low for s in GRID_SEARCH_SPELLINGS)


# -- where a grid is consumed ----------------------------------------------------


def names_in(expr: cst.BaseExpression) -> Iterator[str]:
    """Names mentioned in an argument: ``list(grid)`` -> grid."""
    inner = unwrap(expr)
    if isinstance(inner, cst.Name):
        yield inner.value
    elif isinstance(inner, cst.Call):
        for a in inner.args:
            yield from names_in(a.value)


def inside_sampling(ctx, call: cst.Call) -> bool:
    """``random.sample(list(ParameterGrid(g)), 100)``: the grid is sampled, not exhausted."""
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, cst.Call) and method_name(ancestor) in SAMPLING_CALLS:
            return True
        if isinstance(ancestor, cst.BaseStatement):
            return False
    return False


def assigned_name(ctx, call: cst.Call) -> Optional[str]:
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, cst.Assign) and len(ancestor.targets) == 1 and isinstance(ancestor.targets[0].target, cst.Name):
            return ancestor.targets[0].target.value
        if isinstance(ancestor, cst.BaseStatement):
            return None
    return None


def consuming_loop(ctx, call: cst.Call) -> Optional[Union[cst.For, cst.CompFor]]:
    """The ``for`` (or comprehension ``for``) whose iterable holds ``call``."""
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, (cst.For, cst.CompFor)):
            return ancestor if contains(ancestor.iter, call) else None
        if isinstance(ancestor, (cst.BaseStatement, cst.BaseSuite, cst.BaseComp)):
            return None
    return None


def target_labels(loop: Union[cst.For, cst.CompFor, None]) -> Optional[cst.BaseExpression]:
    """The loop's target (``enumerate``'s second element for ``for i, (a, b) in enumerate(...)``)."""
    if loop is None:
        return None
    target = loop.target
    if isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == 2 and isinstance(loop.iter, cst.Call) and method_name(loop.iter) == "enumerate":
        second = target.elements[1].value
        if isinstance(second, (cst.Tuple, cst.List)):
            return second
    return target


def contains(expr: cst.CSTNode, node: cst.CSTNode) -> bool:
    if expr is node:
        return True
    return any(n is node for n in descendants(expr))


def trains_inside(block: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Call) and is_training_call(n) for n in descendants(block))


def loops_over(scope: cst.CSTNode, name: str) -> Iterator[cst.For]:
    """``for ... in <name>:`` loops (``list(name)``, ``name[:k]`` included) in a scope."""
    for node in descendants(scope):
        if isinstance(node, cst.For):
            inner = unwrap(node.iter)
            if isinstance(inner, cst.Subscript):
                inner = inner.value
            if isinstance(inner, cst.Name) and inner.value == name:
                yield node


# scikit-learn's splitters: (default n_splits, default n_repeats or None)
SPLITTERS = {
    "KFold": (5, None), "StratifiedKFold": (5, None), "GroupKFold": (5, None), "StratifiedGroupKFold": (5, None),
    "TimeSeriesSplit": (5, None), "ShuffleSplit": (10, None), "StratifiedShuffleSplit": (10, None),
    "GroupShuffleSplit": (5, None), "RepeatedKFold": (5, 10), "RepeatedStratifiedKFold": (5, 10),
}


def cv_folds(call: cst.Call, ctx) -> Optional[int]:
    """How many fits a search makes per configuration: ``cv=5``, a splitter made in the
    call or bound to a name the call sees (``cv = StratifiedKFold(n_splits=10)``)."""
    cv = arg_value(call, None, "cv")
    if cv is None:  # scikit-learn's default: 5 folds since 0.22, 3 in ``sklearn.grid_search`` (before 0.20)
        return 3 if ctx.imports.legacy_sklearn else 5
    if isinstance(cv, cst.Name):
        cv = _splitter_held(cv, ctx) or cv
    value = number(cv, ctx.imports)
    if value is not None:
        return int(value)
    if isinstance(cv, cst.Call):
        return _splitter_folds(cv, ctx)
    return None


def _splitter_held(name: cst.Name, ctx) -> Optional[cst.BaseExpression]:
    """What ``cv`` holds where the search reads it: the one binding of its scope that reaches
    the read (``reading.reaching``), or what a parameter is given; None when several may."""
    flow = ctx.facts(Flow)
    scope = flow.scope_of(name)
    while scope is not None and name.value not in scope.bindings and not any(p.name.value == name.value for p in scope.params):
        scope = scope.parent
    if scope is None:
        return None
    bound = [value for _, value in scope.bindings.get(name.value, [])]
    if not bound:
        return flow.value(name)  # a parameter: what the calls of this file pass, or its default
    if any(value is None for value in bound):
        return None  # bound by a loop, a ``with`` or an unpacking too
    seen = reaching(ctx, name, bound)  # type: ignore[arg-type]
    return seen[0] if len(seen) == 1 else None


def _splitter_folds(cv: cst.Call, ctx) -> Optional[int]:
    qualified = ctx.qualify(cv.func) or ""
    known = SPLITTERS.get(qualified.rsplit(".", 1)[-1]) if qualified.startswith("sklearn.") else None
    splits = arg_value(cv, 0, "n_splits")
    if known is None:  # another splitter: its first argument, when it says n_splits
        folds = number(splits, ctx.imports) if splits is not None else None
        return int(folds) if folds is not None else None
    default_splits, default_repeats = known
    folds = number(splits, ctx.imports) if splits is not None else default_splits
    if default_repeats is None or folds is None:
        return int(folds) if folds is not None else None
    given = arg_value(cv, 1, "n_repeats")
    repeats = number(given, ctx.imports) if given is not None else default_repeats
    return int(folds * repeats) if repeats is not None else None


def sum_sizes(grids: List[List[Dim]]) -> Optional[int]:
    total = 0
    for g in grids:
        size = grid_size([d for d in g if d.counts])
        if size is None:
            return None
        total += size
    return total


def outermost_dict(ctx, call: cst.Call) -> Optional[cst.CSTNode]:
    root = None
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, cst.Dict) or (isinstance(ancestor, cst.Call) and isinstance(ancestor.func, cst.Name) and ancestor.func.value == "dict"):
            root = ancestor
        elif isinstance(ancestor, cst.BaseStatement):
            break
    return root


def dict_key_of(ctx, call: cst.Call) -> Optional[str]:
    parent = ctx.parent(call)
    if isinstance(parent, cst.DictElement):
        return string_value(parent.key)
    if isinstance(parent, cst.Arg) and parent.keyword is not None:
        return parent.keyword.value
    return None


def keras_dim(call: cst.Call, ctx) -> Optional[Dim]:
    """The number of grid values of a Keras Tuner ``hp.Choice/Int/Boolean/Float``."""
    name = string_value(arg_value(call, 0, "name")) or "hp"
    kind = method_name(call)
    if kind == "Boolean":
        return Dim(name, 2, named=True)
    if kind == "Choice":
        values = arg_value(call, 1, "values")
        size = literal_size(unwrap(values)) if values is not None else None
        return Dim(name, size, named=True)
    low, high = arg_value(call, 1, "min_value"), arg_value(call, 2, "max_value")
    step = arg_value(call, 3, "step")
    lo = number(low, ctx.imports) if low is not None else None
    hi = number(high, ctx.imports) if high is not None else None
    st = number(step, ctx.imports) if step is not None else (1.0 if kind == "Int" else None)
    if lo is None or hi is None or st is None or st <= 0 or arg(call, None, "sampling") is not None:
        return Dim(name, None, named=True)
    return Dim(name, int(math.floor((hi - lo) / st + 1e-9)) + 1, named=True)


# -- the prefilter's readings (CPython ``ast``) ----------------------------------------


def may_hold_grid(site) -> bool:
    """``dict_dims`` reads the grid argument as a name, a dict, a list of them,
    or an attribute assigned somewhere in the file (``self.param_grid``)."""
    if site.has_star_args:
        return True
    grids = [a for a in (site.arg(0), site.arg(1), site.arg(None, "param_grid"), site.arg(None, "search_space")) if a is not None]
    for grid in grids:
        grid = ast_unwrap(grid)
        if isinstance(grid, ast.Call):
            if isinstance(grid.func, ast.Name) and grid.func.id == "dict" or _local_factory(site, grid):
                return True
        elif isinstance(grid, (ast.Name, ast.Dict, ast.List, ast.Tuple)) or _picked_member(grid):
            return True
        elif isinstance(grid, ast.Attribute):
            if site.index is None or any(_may_be_grid(site.index.file, value, 3) for value in attribute_values(site.index.file, grid.attr)):
                return True
    return False


def _local_factory(site, call: ast.Call) -> bool:
    """``make_grid()``: a call of a function that may be defined in this file (``Flow`` reads what it returns)."""
    if not isinstance(call.func, ast.Name):
        return False
    return site.index is None or any(f.name == call.func.id for f in site.index.file.of(ast.FunctionDef, ast.AsyncFunctionDef))  # type: ignore[attr-defined]


def _picked_member(value: ast.AST) -> bool:
    """``grids[name]``: a key not written here picks one of a dict's values; ``spec["params"]``:
    a key of each dict a loop walks (``for name, spec in models.items()``) (``Flow.members``)."""
    if not isinstance(value, ast.Subscript):
        return False
    return not isinstance(value.slice, ast.Constant) or isinstance(value.value, ast.Name)


def attribute_values(index, attr: str) -> List[ast.AST]:
    """What ``x.<attr> = ...`` assigns anywhere, or ``<attr> = ...`` (a class body)."""
    found: List[ast.AST] = []
    for node in index.of(ast.Assign, ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
        if node.value is None:  # type: ignore[attr-defined]
            continue
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == attr or isinstance(target, ast.Name) and target.id == attr:
                found.append(node.value)  # type: ignore[attr-defined]
    return found


# values ``dict_dims`` never reads as a grid, however they are bound
_NOT_GRIDS = (ast.Constant, ast.Subscript, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.JoinedStr, ast.Lambda)


def _may_be_grid(index, value: ast.AST, hops: int) -> bool:
    """``Flow.value`` of an attribute may end at a grid display: the value
    itself, another attribute's value, or a name bound elsewhere in the file or
    a parameter that a call here or a default may give one (``Flow._parameter``)."""
    value = ast_unwrap(value)
    if isinstance(value, _NOT_GRIDS) and not _picked_member(value):
        return False
    if hops <= 0 or isinstance(value, ast.Call):
        return True
    if isinstance(value, ast.Attribute):
        return any(_may_be_grid(index, v, hops - 1) for v in attribute_values(index, value.attr))
    if isinstance(value, ast.Name):
        return _name_may_hold(index, value.id)
    return True


def _name_may_hold(index, name: str) -> bool:
    """``name`` is bound in the file other than as a parameter, or is a
    parameter some call could fill: a call passing it by keyword, a call to its
    function (its class, for ``__init__``), or a default that is not None."""
    for node in index.of(ast.Name):
        if node.id == name and not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            return True
    for call in index.of(ast.Call):
        if any(k.arg == name for k in call.keywords):  # type: ignore[attr-defined]
            return True
    callers = set()
    for func in index.of(ast.FunctionDef, ast.AsyncFunctionDef):
        args = func.args  # type: ignore[attr-defined]
        positional = args.posonlyargs + args.args
        defaults = dict(zip([p.arg for p in positional[len(positional) - len(args.defaults):]], args.defaults))
        defaults.update((p.arg, d) for p, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
        names = [p.arg for p in positional + args.kwonlyargs] + [a.arg for a in (args.vararg, args.kwarg) if a is not None]
        if name not in names:
            continue
        default = defaults.get(name)
        if default is not None and not (isinstance(default, ast.Constant) and default.value is None):
            return True
        if func.name == "__init__":  # type: ignore[attr-defined]
            # what a constructor is given: ``Flow._calls_of`` reads calls of the class by name
            callers.update(k.name for k in index.of(ast.ClassDef) if func in k.body)  # type: ignore[attr-defined]
        else:
            callers.add(func.name)  # type: ignore[attr-defined]
    return any(index.calls.get(caller) for caller in callers)


def is_training(call: ast.Call) -> bool:
    """``is_training_call`` of an ``ast`` call."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    receiver = None
    if isinstance(func, ast.Attribute):
        value = func.value
        receiver = value.attr if isinstance(value, ast.Attribute) else value.id if isinstance(value, ast.Name) else None
    return runs_configuration(name, receiver, len(call.args) + len(call.keywords))


def may_be_product_grid(site):
    """``_product`` reports one ``*`` argument of lists or ``.values()``, a
    product whose values feed a ``for`` with training inside (directly, or
    through the name it is assigned to), or two dimensions with
    tuning-vocabulary names (the loop's targets, or names, attributes and
    keys in the arguments); any other ``*``/``**`` argument makes it give up."""
    call = site.node
    if any(isinstance(a, ast.Starred) for a in call.args):
        star = call.args[0]
        if len(call.args) != 1 or any(k.arg is None for k in call.keywords) or not isinstance(star, ast.Starred):
            return False
        inner = star.value
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "values":
            return not inner.args and not inner.keywords
        return isinstance(ast_unwrap(inner), (ast.Name, ast.List, ast.Tuple, ast.Attribute, ast.ListComp, ast.GeneratorExp))
    if any(k.arg is None for k in call.keywords):
        return False
    index = site.index
    if index is None:
        return UNKNOWN  # the loop around it is not visible in the text
    loops = [f for f in index.of(ast.For, ast.AsyncFor) if f.lineno <= call.lineno <= f.iter.end_lineno]
    comprehensions = [g for g in index.of(ast.comprehension) if g.iter.lineno <= call.lineno <= g.iter.end_lineno]
    if any(is_training(c) for f in loops for c in ast.walk(f) if isinstance(c, ast.Call)):
        return True
    if _assigned_then_trained(index, call):
        return True
    names: List[str] = []
    for part in list(call.args) + [k.value for k in call.keywords] + [f.target for f in loops] + [g.target for g in comprehensions]:
        for node in ast.walk(part):
            if isinstance(node, ast.Name):
                names.append(node.id)
            elif isinstance(node, ast.Attribute):
                names.append(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.append(node.value)
    return any(tuning_name(n, DEFAULT_VOCABULARY) for n in names)


def _assigned_then_trained(index, call: ast.Call) -> bool:
    """``combos = list(product(...))`` and a ``for ... in combos`` that trains."""
    for assign in index.of(ast.Assign):
        value = assign.value  # type: ignore[attr-defined]
        if not (value.lineno <= call.lineno <= value.end_lineno) or len(assign.targets) != 1 or not isinstance(assign.targets[0], ast.Name):  # type: ignore[attr-defined]
            continue
        name = assign.targets[0].id  # type: ignore[attr-defined]
        for loop in index.of(ast.For, ast.AsyncFor):
            iterable = ast_unwrap(loop.iter)  # type: ignore[attr-defined]
            if isinstance(iterable, ast.Subscript):
                iterable = iterable.value
            if isinstance(iterable, ast.Name) and iterable.id == name and any(is_training(c) for c in ast.walk(loop) if isinstance(c, ast.Call)):
                return True
    return False


def may_pass_grid(site) -> bool:
    """A call to a grid-search function given something a dict may be: a dict,
    ``dict(...)``, a name or an attribute (``runs_grid_search`` reads those)."""
    if site.has_star_args:
        return True
    for value in list(site.node.args) + [k.value for k in site.node.keywords]:
        value = ast_unwrap(value)
        if isinstance(value, (ast.Dict, ast.Name, ast.Attribute)) or _picked_member(value):
            return True
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
            return True
    return False
