"""Grid axes: which names are hyperparameters, and how an iterable becomes an
axis with a number of values.

A loop's values come from a literal, a name bound to one (``flow`` follows
names, ``self`` attributes, class attributes, module constants and function
parameters through the file), a dict entry, a comprehension over a counted
range, or a ``linspace``/``range``/``arange``-style call; ``.tolist()``,
``list(...)`` and ``np.asarray(...)`` of those are the same values.  Anything
else is "size unknown" and only counts as a dimension when its name says it
is a hyperparameter.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Tuple

from hplint.reading.calls import arg, arg_value, dict_call_items, dict_items, has_star_args, method_name, string_value, subscript_key
from hplint.reading.flow import Flow
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import number
from hplint.reading.vocabulary import Scale, name_tokens

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# -- names ------------------------------------------------------------------

# Loop variables that are never hyperparameter dimensions.
NOT_DIMENSION_TOKENS = frozenset(
    {
        "seed", "seeds", "fold", "folds", "repeat", "repeats", "rep", "reps", "run", "runs",
        "trial", "trials", "epoch", "epochs", "ep", "batch", "batches", "step", "steps",
        "iter", "iters", "iteration", "iterations", "idx", "index", "indices", "pixel", "pixels",
        "px", "row", "rows", "col", "cols", "column", "columns", "img", "image", "images", "sample",
        "samples", "round", "rounds", "rnd", "split", "splits", "shard", "file", "files", "path",
        "paths", "line", "lines", "offset", "offsets", "dx", "dy", "shift", "chunk", "frame",
        "frames", "patch", "patches", "point", "points", "pos", "coord", "coords", "it", "_",
        "dataset", "datasets", "data", "task", "tasks", "model", "models", "name", "names",
        "key", "keys", "item", "items", "label", "labels", "class", "classes", "method",
        "methods", "metric", "metrics", "subject", "subjects", "user", "users", "device",
        "devices", "gpu", "gpus", "worker", "workers", "env", "envs", "game", "games",
    }
)
# ``max_iter``, ``n_epochs``, ``num_rounds``: how long a configuration trains, a hyperparameter
BUDGET_PREFIXES = frozenset({"max", "min", "num", "n", "nb", "total"})
BUDGET_TOKENS = frozenset({"iter", "iters", "iteration", "iterations", "epoch", "epochs", "step", "steps", "round", "rounds"})
INDEX_NAMES = frozenset({"i", "j", "k", "n", "m", "t", "x", "y", "z", "h", "w", "c", "r", "ii", "jj", "kk"})
# Hyperparameters outside the log/batch/linear vocabulary: architecture and
# optimisation choices that searches enumerate.
HYPER_TOKENS = frozenset(
    {
        "hidden", "hs", "layer", "layers", "depth", "width", "units", "unit", "neurons", "neuron", "embed",
        "filters", "filter", "channels", "channel", "heads", "head", "dim", "dims", "kernel",
        "activation", "activations", "act", "optimizer", "optimizers", "opt", "scheduler",
        "schedulers", "sched", "estimators", "estimator", "leaves", "leaf", "warmup", "decay",
        "penalty", "solver", "embedding", "emb", "latent", "dilation", "dilations", "smooth",
        "param", "params", "aux", "rate", "rates", "temperature", "weight", "weights", "loss",
        "size", "sizes", "hidden_size", "features", "feature", "lambda", "reg", "criterion",
        "neighbors", "neighbours", "degree", "gamma", "alpha", "beta", "momentum", "dropout",
        "clip", "norm", "patience", "lr", "wd", "bs", "eta", "margin", "c", "nu", "embd", "nhead",
    }
)
# width words that keep their meaning with a number (``n_embd2``, ``units3``); ``c1`` or ``loss1`` do not
WIDTH_TOKENS = frozenset({"embd", "embed", "units", "hidden", "dim", "channels", "filters", "neurons", "width"})
GRID_CONTAINER_TOKENS = frozenset({"param", "params", "hparams", "hparam", "hp", "hps", "grid", "config", "space", "hyperparams", "hyperparameters", "search", "cfg", "conf", "sweep", "options"})
# calls that turn a value list into an array of the same values
ARRAY_CALLS = frozenset({"numpy.array", "numpy.asarray", "torch.tensor", "torch.as_tensor"})


def own_name(expr: cst.BaseExpression) -> Optional[str]:
    """``lrs`` -> lrs; ``self.batch_size`` -> batch_size."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    return None


def tuning_name(raw: Optional[str], vocabulary) -> bool:
    """A name the tuning vocabulary knows (learning rate, batch size, dropout,
    ``C_values``, ``gammas``): not merely a word search code also uses."""
    if not raw:
        return False
    scale = vocabulary.scale(raw)
    if scale is Scale.AMBIGUOUS_LOG:
        return len(raw) > 1
    return scale is not Scale.UNKNOWN


def hyperparameter_name(raw: Optional[str], vocabulary) -> bool:
    """A name a tuning expert reads as a hyperparameter (``lrs``, ``n_layers``, ``hidden_sizes``)."""
    if not raw:
        return False
    scale = vocabulary.scale(raw)
    if scale is Scale.AMBIGUOUS_LOG:
        return len(raw) > 1  # alpha, gamma; not a loop variable called c
    if scale is not Scale.UNKNOWN:
        return True
    if excluded_loop_name(raw, vocabulary):
        return False
    parts = {p.rstrip("0123456789") if p.rstrip("0123456789") in WIDTH_TOKENS else p for p in name_tokens(raw)}  # ``n_embd2``: a second width
    return bool((parts | {p[:-1] for p in parts if p.endswith("s") and len(p) > 3}) & HYPER_TOKENS)  # depths, widths


def excluded_loop_name(raw: Optional[str], vocabulary) -> bool:
    """Seeds, folds, epochs, batches, indices: never a hyperparameter dimension."""
    if not raw:
        return False
    if vocabulary.scale(raw) is not Scale.UNKNOWN:
        return False  # batch_size is a hyperparameter, batch is not
    parts = name_tokens(raw)
    if parts & {"size", "sizes", "dim", "dims", "weight", "weights", "rate", "rates", "ratio"}:
        return False  # image_size, sample_weight: hyperparameters
    if parts & BUDGET_PREFIXES and parts & BUDGET_TOKENS:
        return False  # max_iter, n_epochs, num_steps: a training budget, not a counter
    named = parts - NAMING_TOKENS
    if named != parts and named & HYPER_TOKENS and not named & NOT_DIMENSION_TOKENS:
        return False  # opt_name, activation_name: the name of a tried optimizer, not a label
    return bool(parts & NOT_DIMENSION_TOKENS)


# words that make a loop variable the name of what it tries (``opt_name``)
NAMING_TOKENS = frozenset({"name", "names"})



# -- values -------------------------------------------------------------------


@dataclass
class Dim:
    """One axis of a grid."""

    name: str
    size: Optional[int]  # None: not visible here
    values: Optional[cst.BaseExpression] = None  # what random.choice can draw from
    numbers: Optional[List[float]] = None
    log_exponents: Optional[Tuple[str, str]] = None  # logspace(a, b): a, b code
    named: bool = False  # its name says it is a hyperparameter
    literal: Optional[cst.BaseExpression] = None  # the list/tuple literal holding the values
    bounds: Optional[Tuple[str, str]] = None  # linspace/geomspace(a, b): positive a, b code

    @property
    def counts(self) -> bool:
        return self.size is None or self.size >= 2


# progress bars that yield the values they wrap: ``for lr in tqdm(lrs, desc="lr")``
PROGRESS_BARS = frozenset({"tqdm", "tqdm_notebook", "progress_bar", "track"})


def unwrap(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``list(x)``, ``tuple(x)``, ``sorted(x)``, ``x.tolist()``, ``tqdm(x, desc=...)`` -> ``x``."""
    while True:
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in ("list", "tuple", "sorted") and len(expr.args) == 1 and not expr.args[0].star and expr.args[0].keyword is None:
            expr = expr.args[0].value
        elif _progress_bar(expr):
            expr = expr.args[0].value  # type: ignore[attr-defined]
        elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "tolist" and not expr.args:
            expr = expr.func.value
        else:
            return expr


def _progress_bar(expr: cst.BaseExpression) -> bool:
    """``tqdm(x)``, ``tqdm.tqdm(x, desc="lr")``: one positional argument, the rest keywords."""
    if not isinstance(expr, cst.Call) or not expr.args:
        return False
    func = expr.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
    first, rest = expr.args[0], expr.args[1:]
    return name in PROGRESS_BARS and not first.star and first.keyword is None and all(a.keyword is not None for a in rest)


def literal_size(expr: cst.BaseExpression) -> Optional[int]:
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)) and not any(isinstance(e, cst.StarredElement) for e in expr.elements):
        return len(expr.elements)
    return None


def values_count(expr: cst.BaseExpression) -> Optional[int]:
    """How many values a literal holds: its elements, or the steps of the constant
    ``range`` a one-loop list comprehension walks (``[2 ** i for i in range(9)]``: 9)."""
    found = literal_size(expr)
    if found is not None or not isinstance(expr, cst.ListComp):
        return found
    loop = expr.for_in
    if loop.ifs or loop.inner_for_in is not None or loop.asynchronous is not None:
        return None
    walked = loop.iter
    if not (isinstance(walked, cst.Call) and isinstance(walked.func, cst.Name) and walked.func.value == "range"):
        return None
    if not 1 <= len(walked.args) <= 3 or any(a.keyword is not None or a.star for a in walked.args):
        return None
    bounds = [number(a.value) for a in walked.args]
    if any(b is None or not float(b).is_integer() for b in bounds) or (len(bounds) == 3 and bounds[2] == 0):
        return None  # ``range(a, b, 0)`` raises where it runs
    return len(range(*(int(b) for b in bounds)))  # type: ignore[arg-type]


def ast_unwrap(expr: ast.AST) -> ast.AST:
    """``unwrap`` of an ``ast`` value: ``list(x)``, ``tuple(x)``, ``sorted(x)``, ``x.tolist()``, ``tqdm(x)`` -> ``x``."""
    while True:
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("list", "tuple", "sorted") and len(expr.args) == 1 and not expr.keywords and not isinstance(expr.args[0], ast.Starred):
            expr = expr.args[0]
        elif (
            isinstance(expr, ast.Call) and len(expr.args) == 1 and not isinstance(expr.args[0], ast.Starred) and all(k.arg for k in expr.keywords)
            and (expr.func.id if isinstance(expr.func, ast.Name) else expr.func.attr if isinstance(expr.func, ast.Attribute) else None) in PROGRESS_BARS
        ):
            expr = expr.args[0]
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "tolist" and not expr.args and not expr.keywords:
            expr = expr.func.value
        else:
            return expr


def _count_range(start: float, stop: float, step: float) -> Optional[int]:
    if step == 0:
        return None
    count = math.ceil((stop - start) / step - 1e-9)
    return max(count, 0)


class ValueReader:
    """Turns an iterable expression into a grid axis, or None."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx

    @property
    def flow(self) -> Flow:
        return self.ctx.facts(Flow)

    def lookup(self, expr: cst.BaseExpression) -> Optional[cst.BaseExpression]:
        """What a name or ``self.x`` holds where it is read (``flow``)."""
        if isinstance(expr, cst.Name) and expr.value in ("True", "False", "None"):
            return None
        return self.flow.value(expr)

    def strip(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        """``unwrap`` and ``np.asarray(x)`` / ``np.array(x)`` -> ``x``."""
        while True:
            expr = unwrap(expr)
            if isinstance(expr, cst.Call) and self.ctx.qualify(expr.func) in ARRAY_CALLS and expr.args and expr.args[0].keyword is None and not has_star_args(expr):
                if all(a.keyword is not None and a.keyword.value in ("dtype", "device") for a in expr.args[1:]):
                    expr = expr.args[0].value
                    continue
            return expr

    def number(self, expr: Optional[cst.BaseExpression]) -> Optional[float]:
        """A constant, or a name bound to one."""
        if expr is None:
            return None
        value = number(expr, self.ctx.imports)
        if value is None and isinstance(expr, cst.Name):
            bound = self.lookup(expr)
            value = number(bound, self.ctx.imports) if bound is not None else None
        return value

    def dim(self, expr: cst.BaseExpression, label: Optional[str], depth: int = 0, in_grid: bool = False) -> Optional[Dim]:
        """An axis for ``for <label> in <expr>``; None when it is not a hyperparameter axis.

        ``in_grid``: the values of a search API's grid entry, a hyperparameter whatever its name."""
        vocab = self.ctx.vocabulary
        inner = self.strip(expr)
        discrete = self._hparam_values(inner, depth)
        if discrete is not None:
            values, name = discrete
            found = self.dim(values, name, depth + 1, in_grid=True)
            if found is not None:
                found.named, found.values = True, None  # drawn from the HParam, not the list
            return found
        own = own_name(inner)
        if excluded_loop_name(label, vocab) and not in_grid:
            # ``for batch in self.batch_size``: the label is a batch, the values are batch sizes
            if not tuning_name(own, vocab):
                return None
            label = own
        if isinstance(inner, (cst.Name, cst.Attribute)):
            named = hyperparameter_name(label, vocab) or hyperparameter_name(own, vocab)
            if not hyperparameter_name(label, vocab) and hyperparameter_name(own, vocab):
                label = own  # ``for a, b in product(lrs, depths)``: the values say what a is
            if excluded_loop_name(own, vocab) and not hyperparameter_name(label, vocab) and not in_grid:
                return None
            bound = self.lookup(inner) if depth < 3 else None
            if bound is not None:
                found = self.dim(bound, label or own, depth + 1, in_grid)
                if found is not None:
                    if isinstance(self.strip(bound), (cst.List, cst.Tuple)) or found.values is not None:
                        found.values = inner  # draw from the name, not a copy
                    if not self._visible_from(bound, inner):
                        found.log_exponents = found.bounds = None  # their code names what another function holds
                    found.named = found.named or named
                    return found
                stripped = self.strip(bound)
                if isinstance(stripped, cst.Call) and self.ctx.qualify(stripped.func) is not None:
                    return None  # bound to a library call that is not a value list (enumerate, zip, ...)
                return Dim(label or own, None, inner, named=True) if named and literal_size(stripped) is None else None  # type: ignore[arg-type]
            return Dim(label or own, None, inner, named=True) if named else None  # type: ignore[arg-type]
        if isinstance(inner, cst.Subscript):
            return self._subscript_dim(inner, label, depth)
        size = literal_size(inner)
        if size is not None:
            return self._literal_dim(inner, label, size, in_grid)
        if isinstance(inner, cst.Dict) and not in_grid and inner.elements and all(isinstance(e, cst.DictElement) for e in inner.elements):
            # ``for opt_name in optimizers:`` over a dict literal: one value per key
            return Dim(label or "values", len(inner.elements), None, None, named=hyperparameter_name(label, self.ctx.vocabulary))
        if isinstance(inner, cst.ListComp):
            return self._comprehension_dim(inner, label, depth, in_grid)
        if isinstance(inner, cst.Call):
            return self._call_dim(inner, label, in_grid)
        return None

    def _hparam_values(self, expr: cst.BaseExpression, depth: int) -> Optional[Tuple[cst.BaseExpression, Optional[str]]]:
        """TensorBoard's ``HP_UNITS.domain.values`` with ``HP_UNITS = hp.HParam("num_units",
        hp.Discrete([16, 32]))``: the value list and the parameter's name."""
        if not (isinstance(expr, cst.Attribute) and expr.attr.value == "values" and depth < 3):
            return None
        domain = expr.value
        if not (isinstance(domain, cst.Attribute) and domain.attr.value == "domain" and isinstance(domain.value, (cst.Name, cst.Attribute))):
            return None
        bound = self.lookup(domain.value)
        made = self.strip(bound) if bound is not None else None
        if not (isinstance(made, cst.Call) and method_name(made) == "HParam"):
            return None
        kind = arg_value(made, 1, "domain")
        if not (isinstance(kind, cst.Call) and method_name(kind) == "Discrete"):
            return None
        values = arg_value(kind, 0, "values")
        return (values, string_value(arg_value(made, 0, "name"))) if values is not None else None

    def _visible_from(self, value: cst.CSTNode, use: cst.CSTNode) -> bool:
        """Code written at ``value`` means the same where ``use`` stands: the same
        function, or the module (whose names every function sees)."""
        where = self.flow.scope_of(value)
        return where is self.flow.scope_of(use) or where.node is self.ctx.module

    def _literal_dim(self, expr, label: Optional[str], size: int, in_grid: bool = False) -> Optional[Dim]:
        numbers = [number(e.value, self.ctx.imports) for e in expr.elements]
        nums = None if any(n is None for n in numbers) else [float(n) for n in numbers]  # type: ignore[arg-type]
        if not in_grid and label in INDEX_NAMES and nums is not None and nums == [float(i + nums[0]) for i in range(size)] and nums and nums[0] in (0.0, 1.0):
            return None  # for i in [0, 1, 2]: an index
        named = hyperparameter_name(label, self.ctx.vocabulary)
        if isinstance(expr, cst.Set):
            return Dim(label or "values", size, None, nums, named=named)
        return Dim(label or "values", size, expr, nums, named=named, literal=expr)

    def _comprehension_dim(self, comp: cst.ListComp, label: Optional[str], depth: int, in_grid: bool) -> Optional[Dim]:
        """``[start + i * step for i in range(n)]``: as many values as the range."""
        loop = comp.for_in
        if loop.inner_for_in is not None or loop.ifs or loop.asynchronous is not None or depth >= 3:
            return None
        size = self.count(loop.iter, depth + 1)
        if size is None:
            return None
        if not in_grid and not hyperparameter_name(label, self.ctx.vocabulary):
            return None
        return Dim(label or "values", size, comp, named=hyperparameter_name(label, self.ctx.vocabulary))

    def count(self, expr: cst.BaseExpression, depth: int = 0) -> Optional[int]:
        """How many values an iterable yields, when the code shows it."""
        found = self.dim(expr, None, depth, in_grid=True) if depth < 4 else None
        return found.size if found is not None else None

    def _subscript_dim(self, node: cst.Subscript, label: Optional[str], depth: int) -> Optional[Dim]:
        key = subscript_key(node)
        if key is None:
            return None
        vocab = self.ctx.vocabulary
        container = node.value
        if isinstance(container, (cst.Name, cst.Attribute)) and depth < 3:
            bound = self.lookup(container)
            if isinstance(bound, cst.Dict):
                for k, value, _ in dict_items(bound):
                    if k == key:
                        found = self.dim(value, label or key, depth + 1, in_grid=True)
                        if found is not None:
                            found.values = node
                            found.named = True
                        return found
        owner = dotted_name(container) or ""
        owner_parts = name_tokens(owner.rsplit(".", 1)[-1])
        if excluded_loop_name(key, vocab):
            return None
        if hyperparameter_name(key, vocab) or owner_parts & GRID_CONTAINER_TOKENS:
            return Dim(label or key, None, node, named=True)
        return None

    def _call_dim(self, call: cst.Call, label: Optional[str], in_grid: bool = False) -> Optional[Dim]:
        qual = self.ctx.qualify(call.func) or ""
        vocab = self.ctx.vocabulary
        short = qual.rsplit(".", 1)[-1]
        root = qual.split(".", 1)[0]
        if has_star_args(call):
            return None
        if root in ("numpy", "torch", "jax") and short in ("linspace", "logspace", "geomspace"):
            count_expr = arg_value(call, 2, "steps" if root == "torch" else "num")
            count = 50 if count_expr is None and root != "torch" else (self.number(count_expr) if count_expr is not None else None)
            if count is None:
                return None
            dim = Dim(label or short, int(count), call if root == "numpy" else None, named=hyperparameter_name(label, vocab))
            start, stop = arg_value(call, 0, "start"), arg_value(call, 1, "stop" if root != "torch" else "end")
            if short == "logspace" and start is not None and stop is not None and arg(call, None, "base") is None:
                dim.log_exponents = (self.ctx.code_for(start), self.ctx.code_for(stop))
            elif start is not None and stop is not None:
                low, high = number(start, self.ctx.imports), number(stop, self.ctx.imports)
                if low is not None and high is not None and 0 < low and 0 < high and max(low, high) / min(low, high) >= 10:
                    dim.bounds = (self.ctx.code_for(start), self.ctx.code_for(stop))
            return dim
        is_range = isinstance(call.func, cst.Name) and call.func.value == "range" and qual in ("", "range")
        if is_range:
            indexed = self._indexed_values(call)
            if indexed is not None:
                return indexed
        if is_range or (root == "numpy" and short == "arange"):
            if not in_grid and (not hyperparameter_name(label, vocab) or (label or "") in INDEX_NAMES):
                return None  # range over indices
            count = self._range_count(call)
            return Dim(label or "range", count, call if is_range else None, named=hyperparameter_name(label, vocab) or not in_grid)
        return None

    def _indexed_values(self, call: cst.Call) -> Optional[Dim]:
        """``range(len(lrs))``, ``range(len(HP["lr"]))``: the loop walks the indices of a
        hyperparameter's values, one configuration per value."""
        if len(call.args) != 1 or call.args[0].keyword is not None:
            return None
        inner = self.strip(call.args[0].value)
        if not (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Name) and inner.func.value == "len" and len(inner.args) == 1):
            return None
        values = self.strip(inner.args[0].value)
        name = subscript_key(values) if isinstance(values, cst.Subscript) else own_name(values)
        if not hyperparameter_name(name, self.ctx.vocabulary):
            return None
        return Dim(name, self.count(values), None, named=True)  # type: ignore[arg-type]

    def _range_count(self, call: cst.Call) -> Optional[int]:
        if any(a.keyword is not None for a in call.args):
            return None
        values = [self.number(a.value) for a in call.args]
        if any(v is None for v in values) or not values or len(values) > 3:
            return None
        if len(values) == 1:
            return _count_range(0, values[0], 1)  # type: ignore[arg-type]
        step = values[2] if len(values) == 3 else 1
        return _count_range(values[0], values[1], step)  # type: ignore[arg-type]

    def dict_dims(self, expr: Optional[cst.BaseExpression], depth: int = 0) -> Optional[List[List[Dim]]]:
        """Axes of a parameter-grid dict (or a list of dicts: one list per sub-grid)."""
        if expr is None:
            return None
        inner = self.strip(expr)
        if isinstance(inner, (cst.Name, cst.Attribute)) and depth < 3:
            bound = self.lookup(inner)
            return self.dict_dims(bound, depth + 1) if bound is not None else None
        if _is_dict(inner):
            items = _dict_entries(inner)
            return None if items is None else [[self.grid_value_dim(key, value) for key, value in items]]
        if isinstance(inner, (cst.List, cst.Tuple)):
            grids: List[List[Dim]] = []
            for element in inner.elements:
                if isinstance(element, cst.StarredElement):
                    return None
                sub = self.dict_dims(element.value, depth + 1)
                if sub is None:
                    return None
                grids.extend(sub)
            return grids or None
        return None

    def grid_value_dim(self, key: str, value: cst.BaseExpression) -> Dim:
        """A value in a search-API dict: every key is a hyperparameter."""
        found = self.dim(value, None, in_grid=True)
        if found is not None:
            found.name = key
            found.named = True
            return found
        inner = self.strip(value)
        if isinstance(inner, (cst.Name, cst.Attribute, cst.Subscript)):
            return Dim(key, None, named=True)
        if isinstance(inner, cst.Call) and (self.ctx.qualify(inner.func) or "").split(".")[0] in ("numpy", "scipy", "range"):
            return Dim(key, None, named=True)
        return Dim(key, 1, named=True)  # a scalar or a distribution we cannot count

    def nested_dims(self, expr: Optional[cst.BaseExpression], prefix: str = "", depth: int = 0) -> Optional[List[Dim]]:
        """Axes of a (nested) dict whose every leaf is a list of values
        (``{"optimizer": {"lr": [...]}, "layers": [...]}``), or None: a leaf
        that is a single value makes the dict a configuration, not a grid."""
        if expr is None or depth > 4:
            return None
        inner = self.strip(expr)
        if isinstance(inner, (cst.Name, cst.Attribute)):
            bound = self.lookup(inner)
            return self.nested_dims(bound, prefix, depth + 1) if bound is not None else None
        items = _dict_entries(inner) if _is_dict(inner) else None
        if items is None:
            return None
        dims: List[Dim] = []
        for key, value in items:
            name = f"{prefix}.{key}" if prefix else key
            leaf = self.strip(value)
            nested = self.nested_dims(leaf, name, depth + 1) if isinstance(leaf, (cst.Dict, cst.Call)) else None
            if nested is not None:
                dims.extend(nested)
                continue
            found = self.dim(value, None, in_grid=True)
            if found is None or found.size is None or found.size < 1:
                return None
            found.name = name
            found.named = True
            dims.append(found)
        return dims or None


def _is_dict(expr: cst.BaseExpression) -> bool:
    """A dict display or a ``dict(...)`` call."""
    return isinstance(expr, cst.Dict) or (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dict")


def _dict_entries(expr: cst.BaseExpression) -> Optional[List[Tuple[str, cst.BaseExpression]]]:
    """(key, value) of a dict display or ``dict(k=v, ...)`` whose every entry
    has a string key; None where one does not (``**rest``, a computed key)."""
    if isinstance(expr, cst.Dict):
        if any(not isinstance(e, cst.DictElement) for e in expr.elements):
            return None
        items = [(k, v) for k, v, _ in dict_items(expr)]
        return items if len(items) == len(expr.elements) else None
    if has_star_args(expr) or any(a.keyword is None for a in expr.args):  # type: ignore[attr-defined]
        return None
    return [(k, v) for k, v, _ in dict_call_items(expr)]  # type: ignore[arg-type]
