"""HPL102: exhaustive grids run through a library — ``itertools.product``,
scikit-learn's ``GridSearchCV``/``ParameterGrid``, Optuna's ``GridSampler``,
Ray Tune's ``grid_search``, Keras Tuner's ``GridSearch``."""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set, Tuple

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.triggers import Calls, Imports
from hplint.reading.calls import arg, arg_value, has_star_args, in_test_function, method_name, receiver, string_value
from hplint.reading.numbers import UNKNOWN, number
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, Scale, runs_configuration
from hplint.rules.strategy.grids import (
    FAMILY,
    LIBRARY_GRID_NAMES,
    LIBRARY_GRIDS,
    OPTIONS,
    Dim,
    _BindingsRule,
    ast_unwrap,
    grid_message,
    grid_size,
    is_training_call,
    literal_size,
    too_big,
    unwrap,
)

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# calls that take a sample of what they are given: a grid passed to one is not exhausted
SAMPLING_CALLS = frozenset({"sample", "choice", "choices", "shuffle", "permutation", "islice", "ParameterSampler"})


@dataclass
class LibraryGrid:
    call: cst.Call
    kind: str
    grids: List[List[Dim]]
    extra: str = ""
    fixable: bool = False


def _may_hold_grid(site) -> bool:
    """``dict_dims`` reads the grid argument only as a name, a dict or a list of them."""
    if site.has_star_args:
        return True
    grids = [a for a in (site.arg(0), site.arg(1), site.arg(None, "param_grid"), site.arg(None, "search_space")) if a is not None]
    for grid in grids:
        grid = ast_unwrap(grid)
        if isinstance(grid, ast.Call):
            if isinstance(grid.func, ast.Name) and grid.func.id == "dict":
                return True
        elif isinstance(grid, (ast.Name, ast.Dict, ast.List, ast.Tuple)):
            return True
    return False


def _may_be_product_grid(site):
    """``_product`` reports one ``*`` argument of lists or ``.values()``, a
    product in a ``for`` with training inside, or two dimensions with
    tuning-vocabulary names (the loop's targets, or names, attributes and keys
    in the arguments); any other ``*``/``**`` argument makes it give up."""
    call = site.node
    if any(isinstance(a, ast.Starred) for a in call.args):
        star = call.args[0]
        if len(call.args) != 1 or any(k.arg is None for k in call.keywords) or not isinstance(star, ast.Starred):
            return False
        inner = star.value
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "values":
            return not inner.args and not inner.keywords
        return isinstance(ast_unwrap(inner), (ast.Name, ast.List, ast.Tuple))
    if any(k.arg is None for k in call.keywords):
        return False
    index = site.index
    if index is None:
        return UNKNOWN  # the loop around it is not visible in the text
    loops = [f for f in index.of(ast.For, ast.AsyncFor) if f.lineno <= call.lineno <= f.iter.end_lineno]
    if any(is_training(c) for f in loops for c in ast.walk(f) if isinstance(c, ast.Call)):
        return True
    names: List[str] = []
    for part in list(call.args) + [k.value for k in call.keywords] + [f.target for f in loops]:
        for node in ast.walk(part):
            if isinstance(node, ast.Name):
                names.append(node.id)
            elif isinstance(node, ast.Attribute):
                names.append(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.append(node.value)
    return any(DEFAULT_VOCABULARY.scale(n) in (Scale.LOG, Scale.BATCH, Scale.LINEAR) for n in names)


def is_training(call: ast.Call) -> bool:
    """``is_training_call`` of an ``ast`` call."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    receiver = None
    if isinstance(func, ast.Attribute):
        value = func.value
        receiver = value.attr if isinstance(value, ast.Attribute) else value.id if isinstance(value, ast.Name) else None
    return runs_configuration(name, receiver, len(call.args) + len(call.keywords))


@register
class LibraryGridSearch(_BindingsRule):
    code = "HPL102"
    name = "library-grid-search"
    family = FAMILY
    summary = "Exhaustive grid through a library (itertools.product, GridSearchCV, GridSampler, tune.grid_search)"
    why = (
        "`itertools.product`, scikit-learn's `GridSearchCV`/`ParameterGrid`, Optuna's "
        "`GridSampler`, Ray Tune's `tune.grid_search` and Keras Tuner's `GridSearch` all run "
        "every combination: 5 values of 4 parameters are 5^4 = 625 configurations (13 days at "
        "30 min each; times 5 with 5-fold CV), and each parameter still gets only 5 distinct "
        "values. Random search with a third of the budget (200 trials) tries 200 distinct "
        "values of every parameter (Bergstra & Bengio 2012), which matters because one or two "
        "parameters - usually the learning rate - dominate the result."
    )
    fix_description = (
        "`GridSearchCV(est, grid, ...)` becomes `RandomizedSearchCV(est, grid, n_iter=N, ...)` "
        "with every other argument kept (`param_grid=` is renamed `param_distributions=`); "
        "N is a third of the grid. Other libraries are reported without a fix. Unsafe: it "
        "changes the budget and which configurations run."
    )
    fix_safety = Safety.UNSAFE
    options = OPTIONS
    demonstration = "strategy"
    # every report is a call to a grid API, through an import of its library
    # (scikit-learn's and Optuna's names also bare, outside tests)
    trigger = (
        Calls(*LIBRARY_GRID_NAMES, outside_tests=True, where=_may_hold_grid)
        | (Calls("product", outside_tests=True, where=_may_be_product_grid) & Imports("itertools"))
        | (Calls("grid_search") & Imports("ray"))
        | (Calls(suffixes=("GridSearch",)) & Imports("keras_tuner", "kerastuner"))
    )
    bad_examples = (
        Example(
            """
            from sklearn.model_selection import GridSearchCV
            from sklearn.svm import SVC
            grid = {
                "C": [0.01, 0.1, 1, 10, 100],
                "gamma": [1e-4, 1e-3, 1e-2, 1e-1, 1],
                "kernel": ["rbf", "poly", "sigmoid"],
            }
            search = GridSearchCV(SVC(), grid, cv=5)
            """,
            fixed="""
            from sklearn.model_selection import GridSearchCV
            from sklearn.svm import SVC
            from sklearn.model_selection import RandomizedSearchCV
            grid = {
                "C": [0.01, 0.1, 1, 10, 100],
                "gamma": [1e-4, 1e-3, 1e-2, 1e-1, 1],
                "kernel": ["rbf", "poly", "sigmoid"],
            }
            search = RandomizedSearchCV(SVC(), grid, n_iter=25, cv=5)
            """,
            note="5×5×3 = 75 configurations × 5 folds = 375 fits.",
        ),
        Example(
            """
            import itertools
            params = {
                "lr": [0.001, 0.01, 0.1, 1.0, 10.0],
                "batch_size": [16, 32, 64, 128, 256],
                "weight_decay": [0, 1e-5, 1e-4, 1e-3, 1e-2],
                "dropout": [0.0, 0.2, 0.4, 0.6, 0.8],
            }
            configs = list(itertools.product(*params.values()))
            """
        ),
    )
    good_examples = (
        Example(
            """
            import random
            from sklearn.model_selection import ParameterGrid
            grid = {"lr": [1e-4, 1e-3, 1e-2], "depth": [2, 4, 8, 16], "width": [64, 128, 256]}
            trials = random.sample(list(ParameterGrid(grid)), 20)
            """,
            note="A sample of the grid is random search over a discretised space.",
        ),
        Example(
            """
            import itertools
            for dx, dy in itertools.product(range(8), range(8)):
                board[dx][dy] = 0
            """,
            note="A product over indices is not a grid search.",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.sampled_names: Set[str] = set()
        self.pending: List[Tuple[LibraryGrid, Optional[str]]] = []
        self.ray_groups: Dict[cst.CSTNode, List[cst.Call]] = {}
        self.num_samples: Set[int] = set()
        self.deferred_sklearn: List[Tuple[cst.Call, str, str]] = []
        self.keras_calls: List[cst.Call] = []
        self.keras_dims: List[Dim] = []

    def visit_Call(self, node: cst.Call) -> None:
        name = method_name(node)
        if name in SAMPLING_CALLS:
            for a in node.args:
                for sub in _names_in(a.value):
                    self.sampled_names.add(sub)
        for a in node.args:
            if a.keyword is not None and a.keyword.value == "num_samples":
                value = number(a.value, self.ctx.imports)
                if value is not None:
                    self.num_samples.add(int(value))
        if name in ("Choice", "Int", "Boolean", "Float") and isinstance(receiver(node), cst.Name):
            dim = _keras_dim(node, self.ctx)
            if dim is not None:
                self.keras_dims.append(dim)
        qual = self.ctx.qualify(node.func)
        if qual is None and isinstance(node.func, cst.Name):
            qual = {"GridSearchCV": "sklearn.model_selection.GridSearchCV", "ParameterGrid": "sklearn.model_selection.ParameterGrid"}.get(node.func.value)
        if qual is None:
            return
        if qual == "itertools.product":
            self._product(node)
        elif qual in LIBRARY_GRIDS:
            self._library(node, LIBRARY_GRIDS[qual])
        elif qual == "ray.tune.grid_search":
            root = _outermost_dict(self.ctx, node)
            if root is not None:
                self.ray_groups.setdefault(root, []).append(node)
        elif qual.split(".")[0] in ("keras_tuner", "kerastuner") and qual.endswith("GridSearch"):
            self.keras_calls.append(node)

    # -- itertools.product ---------------------------------------------
    def _product(self, call: cst.Call) -> None:
        labels = _for_target_labels(self.ctx, call)
        repeat = arg_value(call, None, "repeat")
        positional = [a for a in call.args if a.keyword is None]
        dims: List[Dim] = []
        from_dict = False
        if len(positional) == 1 and positional[0].star == "*":
            found = self._star_dims(positional[0].value)
            if found is None:
                return
            dims = found
            from_dict = isinstance(positional[0].value, cst.Call)
        elif any(a.star for a in call.args):
            return
        else:
            for index, a in enumerate(positional):
                label = labels[index] if labels and index < len(labels) else None
                dim = self.reader.dim(a.value, label)
                if dim is not None:
                    dims.append(dim)
        if repeat is not None:
            times = number(repeat, self.ctx.imports)
            if times is None or not dims:
                return
            dims = dims * int(times)
        dims = [d for d in dims if d.counts]
        # test-input generators also take products of "sizes" and "dims": only the
        # tuning vocabulary (lr, batch size, dropout...), a dict of value lists or
        # training in the loop make a product a hyperparameter grid
        tuning = sum(1 for d in dims if self.ctx.vocabulary.scale(d.name) in (Scale.LOG, Scale.BATCH, Scale.LINEAR))
        if not from_dict and tuning < 2 and not _feeds_training_loop(self.ctx, call):
            return
        self._queue(LibraryGrid(call, "itertools.product", [dims]), _assigned_name(self.ctx, call))

    def _star_dims(self, expr: cst.BaseExpression) -> Optional[List[Dim]]:
        """``*params.values()`` of a dict of lists, or ``*lists``."""
        if isinstance(expr, cst.Call) and method_name(expr) == "values" and not expr.args:
            grids = self.reader.dict_dims(receiver(expr))
            return grids[0] if grids and len(grids) == 1 else None
        inner = unwrap(expr)
        if isinstance(inner, cst.Name):
            inner = unwrap(self.bindings.lookup(inner.value) or inner)
        if isinstance(inner, (cst.List, cst.Tuple)):
            out = []
            for element in inner.elements:
                if isinstance(element, cst.StarredElement):
                    return None
                dim = self.reader.dim(element.value, None)
                if dim is not None:
                    out.append(dim)
            return out
        return None

    # -- scikit-learn / Optuna ------------------------------------------
    def _library(self, call: cst.Call, kind: str) -> None:
        if kind in ("GridSearchCV", "HalvingGridSearchCV"):
            grid_arg = arg_value(call, 1, "param_grid")
        else:
            grid_arg = arg_value(call, 0, "search_space" if kind == "GridSampler" else "param_grid")
        grids = self.reader.dict_dims(grid_arg) if grid_arg is not None else None
        if grids is None and isinstance(grid_arg, cst.Name) and self.bindings.lookup(grid_arg.value) is None:
            self.deferred_sklearn.append((call, kind, grid_arg.value))
            return
        if grids is None:
            return
        self._library_grid(call, kind, grids)

    def _library_grid(self, call: cst.Call, kind: str, grids: List[List[Dim]]) -> None:
        extra, fixable = "", False
        if kind in ("GridSearchCV", "HalvingGridSearchCV"):
            folds = _cv_folds(call, self.ctx)
            configs = _sum_sizes(grids)
            if folds is not None and configs is not None:
                extra = f" × {folds} CV folds = {configs * folds} fits"
            fixable = kind == "GridSearchCV"
        self._queue(LibraryGrid(call, kind, grids, extra, fixable), _assigned_name(self.ctx, call))

    def _queue(self, grid: LibraryGrid, assigned: Optional[str]) -> None:
        if _inside_sampling(self.ctx, grid.call) or in_test_function(self.ctx, grid.call):
            return
        self.pending.append((grid, assigned))

    # -- end of file: decide ----------------------------------------------
    def leave_Module(self, original_node: cst.Module) -> None:
        for call, kind, name in self.deferred_sklearn:
            candidates = [self.reader.dict_dims(v) for v in self.bindings.everywhere.get(name, [])]
            known = [g for g in candidates if g]
            if known:
                biggest = max(known, key=lambda g: _sum_sizes(g) or 0)
                self._library_grid(call, kind, biggest)
        for grid, assigned in self.pending:
            if assigned is not None and assigned in self.sampled_names:
                continue
            self._report_grid(grid)
        for calls in self.ray_groups.values():
            self._report_ray(calls)
        if self.keras_calls and self.keras_dims:
            dims = [d for d in self.keras_dims if d.counts]
            for call in self.keras_calls:
                self._report_grid(LibraryGrid(call, "GridSearch", [dims]))

    def _report_grid(self, grid: LibraryGrid) -> None:
        subgrids = [[d for d in g if d.counts] for g in grid.grids]
        subgrids = [g for g in subgrids if g] or [[]]
        largest = max(subgrids, key=len)
        configs = _sum_sizes(subgrids)
        if not too_big(largest, configs, self.option) or not largest:
            return
        sizes_text = None
        if len(subgrids) > 1:
            sizes_text = " + ".join("×".join(str(d.size) for d in g) or "1" for g in subgrids)
        word = "RandomizedSearchCV with n_iter={n}" if grid.fixable else "random search with {n} trials"
        message, n_trials = grid_message(largest, configs, self.option, sizes_text, grid.extra, word)
        if len(subgrids) > 1 and configs is not None:
            message = message.replace(" × ".join(d.name for d in largest), f"{len(subgrids)} sub-grids ({' × '.join(d.name for d in largest)}, ...)", 1)
        fix = self._randomized_fix(grid.call, n_trials) if grid.fixable and n_trials else None
        self.report(grid.call, f"{grid.kind}: {message}", fix)

    def _report_ray(self, calls: List[cst.Call]) -> None:
        dims = []
        for call in calls:
            values = arg_value(call, 0, "values")
            size = literal_size(unwrap(values)) if values is not None else None
            dims.append(Dim(_dict_key_of(self.ctx, call) or "grid_search", size, named=True))
        dims = [d for d in dims if d.counts]
        configs = grid_size(dims)
        extra = ""
        if len(self.num_samples) == 1 and configs is not None:
            samples = next(iter(self.num_samples))
            if samples > 1:
                extra = f" × num_samples={samples} = {configs * samples} trials"
        if not dims or not too_big(dims, configs, self.option):
            return
        message, _ = grid_message(dims, configs, self.option, extra=extra)
        self.report(calls[0], f"tune.grid_search: {message}")

    def _randomized_fix(self, call: cst.Call, n_trials: int):
        if has_star_args(call):
            return None
        spelled, import_edit = self.ctx.spell("sklearn.model_selection.RandomizedSearchCV", call)
        args = list(call.args)
        for index, a in enumerate(args):
            if a.keyword is not None and a.keyword.value == "param_grid":
                args[index] = a.with_changes(keyword=cst.Name("param_distributions"))
            if a.keyword is not None and a.keyword.value == "n_iter":
                return None
        new = call.with_changes(func=cst.parse_expression(spelled), args=args)
        positional = [a for a in args if a.keyword is None]
        if len(positional) >= 2:
            # right after the grid, before the keywords: RandomizedSearchCV(est, grid, n_iter=N, cv=5)
            position = args.index(positional[1]) + 1
            new_arg = cst.Arg(
                value=cst.Integer(str(n_trials)),
                keyword=cst.Name("n_iter"),
                equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
                comma=positional[1].comma if position < len(args) else cst.MaybeSentinel.DEFAULT,
            )
            if position < len(args):
                args[position - 1] = args[position - 1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            elif isinstance(args[-1].comma, cst.Comma):
                new_arg = new_arg.with_changes(comma=args[-1].comma)
                args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            else:
                args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            args.insert(position, new_arg)
            new = new.with_changes(args=args)
        else:
            from hplint.core.codegen import add_keyword

            new = add_keyword(new, "n_iter", str(n_trials))
        return self.ctx.fix(Safety.UNSAFE, [import_edit, self.ctx.replace(call, new)], "RandomizedSearchCV instead of GridSearchCV")


def _names_in(expr: cst.BaseExpression) -> Iterator[str]:
    """Names mentioned in an argument: ``list(grid)`` -> grid."""
    inner = unwrap(expr)
    if isinstance(inner, cst.Name):
        yield inner.value
    elif isinstance(inner, cst.Call):
        for a in inner.args:
            yield from _names_in(a.value)


def _inside_sampling(ctx, call: cst.Call) -> bool:
    """``random.sample(list(ParameterGrid(g)), 100)``: the grid is sampled, not exhausted."""
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, cst.Call) and method_name(ancestor) in SAMPLING_CALLS:
            return True
        if isinstance(ancestor, cst.BaseStatement):
            return False
    return False


def _assigned_name(ctx, call: cst.Call) -> Optional[str]:
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, cst.Assign) and len(ancestor.targets) == 1 and isinstance(ancestor.targets[0].target, cst.Name):
            return ancestor.targets[0].target.value
        if isinstance(ancestor, cst.BaseStatement):
            return None
    return None


def _for_target_labels(ctx, call: cst.Call) -> Optional[List[Optional[str]]]:
    """``for lr, bs in product(a, b)`` -> ["lr", "bs"]."""
    loop = _consuming_for(ctx, call)
    if loop is None:
        return None
    target = loop.target
    if isinstance(target, (cst.Tuple, cst.List)):
        elements = target.elements
        if len(elements) == 2 and isinstance(elements[1].value, (cst.Tuple, cst.List)) and method_name_of(loop.iter) == "enumerate":
            elements = elements[1].value.elements  # type: ignore[attr-defined]
        return [e.value.value if isinstance(e.value, cst.Name) else None for e in elements]
    return None


def method_name_of(expr: cst.BaseExpression) -> Optional[str]:
    return method_name(expr) if isinstance(expr, cst.Call) else None


def _consuming_for(ctx, call: cst.Call) -> Optional[cst.For]:
    child: cst.CSTNode = call
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, cst.For):
            return ancestor if ancestor.iter is child or _contains(ancestor.iter, call) else None
        if isinstance(ancestor, cst.BaseStatement) or isinstance(ancestor, cst.BaseSuite):
            return None
        child = ancestor
    return None


def _contains(expr: cst.CSTNode, node: cst.CSTNode) -> bool:
    if expr is node:
        return True
    return any(_contains(c, node) for c in expr.children)


def _feeds_training_loop(ctx, call: cst.Call) -> bool:
    loop = _consuming_for(ctx, call)
    if loop is None:
        return False

    class Finder(cst.CSTVisitor):
        found = False

        def visit_Call(self, node: cst.Call) -> None:
            if is_training_call(node):
                self.found = True

    finder = Finder()
    loop.body.visit(finder)
    return finder.found


def _cv_folds(call: cst.Call, ctx) -> Optional[int]:
    cv = arg_value(call, None, "cv")
    if cv is None:
        return 5  # scikit-learn's default since 0.22
    value = number(cv, ctx.imports)
    if value is not None:
        return int(value)
    if isinstance(cv, cst.Call):
        splits = arg_value(cv, 0, "n_splits")
        folds = number(splits, ctx.imports) if splits is not None else None
        return int(folds) if folds is not None else None
    return None


def _sum_sizes(grids: List[List[Dim]]) -> Optional[int]:
    total = 0
    for g in grids:
        size = grid_size([d for d in g if d.counts])
        if size is None:
            return None
        total += size
    return total


def _outermost_dict(ctx, call: cst.Call) -> Optional[cst.CSTNode]:
    root = None
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, cst.Dict) or (isinstance(ancestor, cst.Call) and isinstance(ancestor.func, cst.Name) and ancestor.func.value == "dict"):
            root = ancestor
        elif isinstance(ancestor, cst.BaseStatement):
            break
    return root


def _dict_key_of(ctx, call: cst.Call) -> Optional[str]:
    parent = ctx.parent(call)
    if isinstance(parent, cst.DictElement):
        return string_value(parent.key)
    if isinstance(parent, cst.Arg) and parent.keyword is not None:
        return parent.keyword.value
    return None


def _keras_dim(call: cst.Call, ctx) -> Optional[Dim]:
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
