"""HPL1xx: the search strategy — exhaustive grids and the learning rate left out.

A grid grows as k^n and spends most of its trials repeating the same few
values of the parameters that matter (Bergstra & Bengio 2012); and the
learning rate usually matters more than any architecture choice, so a search
that holds it fixed tunes the wrong thing.

The reading is deliberately shallow: a loop's values come from a literal, a
name bound to one earlier in the same function or module, a dict entry or a
``linspace``-style call.  Anything else is "size unknown" and only counts as a
dimension when its name says it is a hyperparameter.
"""

from __future__ import annotations

import ast
import bisect
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

from hplint.prefilter.astindex import AstIndex, scope_index
from hplint.prefilter.triggers import Calls, DictKeys, Imports, LoopNests, Names, Nodes
from hplint.reading.numbers import UNKNOWN
from hplint.reading.calls import (
    in_test_function,
    TrialTracker,
    arg,
    arg_value,
    dict_call_items,
    dict_items,
    has_star_args,
    method_name,
    receiver,
    string_value,
    subscript_key,
)
from hplint.core.context import NodeEdit
from hplint.core.diagnostics import Safety
from hplint.reading.numbers import format_number, number
from hplint.reading.imports import dotted_name
from hplint.core.rule import Example, Option, Rule
from hplint.core.registry import register
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, shows_learning_rate, OPTIMIZER_MODULES, OPTIMIZERS, RUN_TOKENS, Scale, name_tokens, normalize, runs_configuration

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "search-strategy"

OPTIONS = (
    Option("grid-min-dimensions", int, 3, "a grid with at least this many hyperparameter dimensions is reported"),
    Option("grid-min-configurations", int, 50, "a grid with at least this many configurations is reported"),
    Option("trial-minutes", float, 30.0, "assumed minutes per training run, for the cost in the message"),
    Option("random-trials-fraction", float, 1 / 3, "random-search budget suggested, as a fraction of the grid size"),
)

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
INDEX_NAMES = frozenset({"i", "j", "k", "n", "m", "t", "x", "y", "z", "h", "w", "c", "r", "ii", "jj", "kk"})
# Hyperparameters outside the log/batch/linear vocabulary: architecture and
# optimisation choices that searches enumerate.
HYPER_TOKENS = frozenset(
    {
        "hidden", "hs", "layer", "layers", "depth", "width", "units", "unit", "neurons", "neuron",
        "filters", "filter", "channels", "channel", "heads", "head", "dim", "dims", "kernel",
        "activation", "activations", "act", "optimizer", "optimizers", "opt", "scheduler",
        "schedulers", "sched", "estimators", "estimator", "leaves", "leaf", "warmup", "decay",
        "penalty", "solver", "embedding", "emb", "latent", "dilation", "dilations", "smooth",
        "param", "params", "aux", "rate", "rates", "temperature", "weight", "weights", "loss",
        "size", "sizes", "hidden_size", "features", "feature", "lambda", "reg", "criterion",
        "neighbors", "neighbours", "degree", "gamma", "alpha", "beta", "momentum", "dropout",
        "clip", "norm", "patience", "lr", "wd", "bs", "eta", "margin", "alpha", "c", "nu",
    }
)
GRID_CONTAINER_TOKENS = frozenset({"param", "params", "hparams", "hparam", "hp", "hps", "grid", "config", "space", "hyperparams", "hyperparameters", "search", "cfg", "conf", "sweep", "options"})
SAMPLING_CALLS = frozenset({"sample", "choice", "choices", "shuffle", "permutation", "islice", "ParameterSampler"})
LIBRARY_GRIDS = {
    "sklearn.model_selection.GridSearchCV": "GridSearchCV",
    "sklearn.model_selection._search.GridSearchCV": "GridSearchCV",
    "sklearn.grid_search.GridSearchCV": "GridSearchCV",
    "sklearn.model_selection.HalvingGridSearchCV": "HalvingGridSearchCV",
    "sklearn.model_selection.ParameterGrid": "ParameterGrid",
    "sklearn.grid_search.ParameterGrid": "ParameterGrid",
    "optuna.samplers.GridSampler": "GridSampler",
    "optuna.samplers._grid.GridSampler": "GridSampler",
}
SEARCH_CALL_TOKENS = frozenset({"optimize", "optimise", "search", "tune", "grid", "sweep", "gridsearch", "hyperopt"})
LIBRARY_GRID_NAMES = frozenset(LIBRARY_GRIDS.values())
# calls that draw a value at random (with a random module or generator)
RANDOM_DRAWS = frozenset({"choice", "uniform", "randint", "loguniform", "sample", "randrange", "integers", "normal", "rvs"})
# every name ``runs_configuration`` accepts holds one of these in lower case
RUN_SPELLINGS = tuple(sorted((w for w in RUN_TOKENS if not any(o != w and o in w for o in RUN_TOKENS)), key=len))


def _runs(name: str, receiver: Optional[str], arguments: int) -> bool:
    return runs_configuration(name, receiver, arguments)


# a nest of loops whose inner loop runs a configuration: HPL101's grids, HPL103's grid path
RUN_IN_NESTED_LOOPS = LoopNests(_runs, RUN_SPELLINGS, named=lambda name: hyperparameter_name(name, DEFAULT_VOCABULARY))


def is_training_call(call: cst.Call) -> bool:
    """A call that trains or evaluates one configuration (``vocabulary.runs_configuration``)."""
    name = method_name(call)
    recv = receiver(call)
    recv_name = (dotted_name(recv) or "").rsplit(".", 1)[-1] if recv is not None else None
    return runs_configuration(name, recv_name, len(call.args))


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
    return bool(name_tokens(raw) & HYPER_TOKENS)


def excluded_loop_name(raw: Optional[str], vocabulary) -> bool:
    """Seeds, folds, epochs, batches, indices: never a hyperparameter dimension."""
    if not raw:
        return False
    if vocabulary.scale(raw) is not Scale.UNKNOWN:
        return False  # batch_size is a hyperparameter, batch is not
    parts = name_tokens(raw)
    if parts & {"size", "sizes", "dim", "dims", "weight", "weights", "rate", "rates", "ratio"}:
        return False  # image_size, sample_weight: hyperparameters
    return bool(parts & NOT_DIMENSION_TOKENS)


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


class Bindings:
    """Names bound by plain assignments, per function scope, in source order."""

    def __init__(self) -> None:
        self.scopes: List[Dict[str, cst.BaseExpression]] = [{}]
        self.everywhere: Dict[str, List[cst.BaseExpression]] = {}

    def push(self) -> None:
        self.scopes.append({})

    def pop(self) -> None:
        if len(self.scopes) > 1:
            self.scopes.pop()

    def bind(self, name: str, value: cst.BaseExpression) -> None:
        self.scopes[-1][name] = value
        self.everywhere.setdefault(name, []).append(value)

    def unbind(self, name: str) -> None:
        self.scopes[-1].pop(name, None)

    def lookup(self, name: str) -> Optional[cst.BaseExpression]:
        local = self.scopes[-1].get(name)
        if local is not None or len(self.scopes) == 1:
            return local
        return self.scopes[0].get(name)

    def see_assign(self, node: Union[cst.Assign, cst.AnnAssign, cst.AugAssign]) -> None:
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name) and len(node.targets) == 1:
                    self.bind(target.target.value, node.value)
                elif isinstance(target.target, cst.Name):
                    self.unbind(target.target.value)
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name) and node.value is not None:
            self.bind(node.target.value, node.value)
        elif isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name):
            self.unbind(node.target.value)


def unwrap(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``list(x)``, ``tuple(x)``, ``sorted(x)`` -> ``x``."""
    while isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in ("list", "tuple", "sorted") and len(expr.args) == 1 and not expr.args[0].star and expr.args[0].keyword is None:
        expr = expr.args[0].value
    return expr


def literal_size(expr: cst.BaseExpression) -> Optional[int]:
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)) and not any(isinstance(e, cst.StarredElement) for e in expr.elements):
        return len(expr.elements)
    return None


def _count_range(start: float, stop: float, step: float) -> Optional[int]:
    if step == 0:
        return None
    count = math.ceil((stop - start) / step - 1e-9)
    return max(count, 0)


class ValueReader:
    """Turns an iterable expression into a grid axis, or None."""

    def __init__(self, ctx, bindings: Bindings) -> None:
        self.ctx = ctx
        self.bindings = bindings

    def dim(self, expr: cst.BaseExpression, label: Optional[str], depth: int = 0) -> Optional[Dim]:
        """An axis for ``for <label> in <expr>``; None when it is not a hyperparameter axis."""
        vocab = self.ctx.vocabulary
        if excluded_loop_name(label, vocab):
            return None
        inner = unwrap(expr)
        if isinstance(inner, cst.Name):
            own = inner.value
            named = hyperparameter_name(label, vocab) or hyperparameter_name(own, vocab)
            if excluded_loop_name(own, vocab) and not hyperparameter_name(label, vocab):
                return None
            bound = self.bindings.lookup(own) if depth < 3 else None
            if bound is not None:
                found = self.dim(bound, label or own, depth + 1)
                if found is not None:
                    if isinstance(unwrap(bound), (cst.List, cst.Tuple)) or found.values is not None:
                        found.values = inner  # draw from the name, not a copy
                    found.named = found.named or named
                    return found
                if isinstance(unwrap(bound), cst.Call) and self.ctx.qualify(unwrap(bound).func) is not None:
                    return None  # bound to a library call that is not a value list (enumerate, zip, ...)
                return Dim(label or own, None, inner, named=True) if named and literal_size(unwrap(bound)) is None else None
            return Dim(label or own, None, inner, named=True) if named else None
        if isinstance(inner, cst.Subscript):
            return self._subscript_dim(inner, label, depth)
        if isinstance(inner, cst.Attribute):
            own = inner.attr.value
            named = hyperparameter_name(own, vocab) or hyperparameter_name(label, vocab)
            return Dim(label or own, None, inner, named=True) if named else None
        size = literal_size(inner)
        if size is not None:
            return self._literal_dim(inner, label, size)
        if isinstance(inner, cst.Call):
            return self._call_dim(inner, label)
        return None

    def _literal_dim(self, expr, label: Optional[str], size: int) -> Optional[Dim]:
        numbers = [number(e.value, self.ctx.imports) for e in expr.elements]
        nums = None if any(n is None for n in numbers) else [float(n) for n in numbers]  # type: ignore[arg-type]
        if label in INDEX_NAMES and nums is not None and nums == [float(i + nums[0]) for i in range(size)] and nums and nums[0] in (0.0, 1.0):
            return None  # for i in [0, 1, 2]: an index
        named = hyperparameter_name(label, self.ctx.vocabulary)
        if isinstance(expr, cst.Set):
            return Dim(label or "values", size, None, nums, named=named)
        return Dim(label or "values", size, expr, nums, named=named, literal=expr)

    def _subscript_dim(self, node: cst.Subscript, label: Optional[str], depth: int) -> Optional[Dim]:
        key = subscript_key(node)
        if key is None:
            return None
        vocab = self.ctx.vocabulary
        container = node.value
        if isinstance(container, cst.Name) and depth < 3:
            bound = self.bindings.lookup(container.value)
            if isinstance(bound, cst.Dict):
                for k, value, _ in dict_items(bound):
                    if k == key:
                        found = self.dim(value, label or key, depth + 1)
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

    def _call_dim(self, call: cst.Call, label: Optional[str]) -> Optional[Dim]:
        qual = self.ctx.qualify(call.func) or ""
        vocab = self.ctx.vocabulary
        short = qual.rsplit(".", 1)[-1]
        root = qual.split(".", 1)[0]
        if has_star_args(call):
            return None
        if root in ("numpy", "torch", "jax") and short in ("linspace", "logspace", "geomspace"):
            count_expr = arg_value(call, 2, "steps" if root == "torch" else "num")
            count = 50 if count_expr is None and root != "torch" else (number(count_expr, self.ctx.imports) if count_expr is not None else None)
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
        if is_range or (root == "numpy" and short == "arange"):
            if not hyperparameter_name(label, vocab) or (label or "") in INDEX_NAMES:
                return None  # range over indices
            count = self._range_count(call)
            return Dim(label or "range", count, call if is_range else None, named=True)
        return None

    def _range_count(self, call: cst.Call) -> Optional[int]:
        values = [number(a.value, self.ctx.imports) for a in call.args if a.keyword is None]
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
        inner = unwrap(expr)
        if isinstance(inner, cst.Name) and depth < 3:
            bound = self.bindings.lookup(inner.value)
            return self.dict_dims(bound, depth + 1) if bound is not None else None
        items: Optional[List[Tuple[str, cst.BaseExpression]]] = None
        if isinstance(inner, cst.Dict):
            if any(not isinstance(e, cst.DictElement) for e in inner.elements):
                return None
            items = [(k, v) for k, v, _ in dict_items(inner)]
            if len(items) != len(inner.elements):
                return None
        elif isinstance(inner, cst.Call) and isinstance(inner.func, cst.Name) and inner.func.value == "dict":
            if has_star_args(inner) or any(a.keyword is None for a in inner.args):
                return None
            items = [(k, v) for k, v, _ in dict_call_items(inner)]
        elif isinstance(inner, (cst.List, cst.Tuple)):
            grids: List[List[Dim]] = []
            for element in inner.elements:
                if isinstance(element, cst.StarredElement):
                    return None
                sub = self.dict_dims(element.value, depth + 1)
                if sub is None:
                    return None
                grids.extend(sub)
            return grids or None
        if items is None:
            return None
        dims = []
        for key, value in items:
            dims.append(self.grid_value_dim(key, value))
        return [dims]

    def grid_value_dim(self, key: str, value: cst.BaseExpression) -> Dim:
        """A value in a search-API dict: every key is a hyperparameter."""
        found = self.dim(value, None)
        display = key
        if found is not None:
            found.name = display
            found.named = True
            return found
        inner = unwrap(value)
        if isinstance(inner, (cst.Name, cst.Attribute, cst.Subscript)):
            return Dim(display, None, named=True)
        if isinstance(inner, cst.Call) and (self.ctx.qualify(inner.func) or "").split(".")[0] in ("numpy", "scipy", "range"):
            return Dim(display, None, named=True)
        return Dim(display, 1, named=True)  # a scalar or a distribution we cannot count


# -- arithmetic and wording -------------------------------------------------


def grid_size(dims: Sequence[Dim]) -> Optional[int]:
    total = 1
    for d in dims:
        if d.size is None:
            return None
        total *= d.size
    return total


def nice_count(value: float) -> int:
    """A round trial budget: 208 -> 200, 85 -> 85, 2.7 -> 3."""
    if value < 100:
        return max(1, int(round(value)))
    magnitude = 10 ** int(math.floor(math.log10(value)))
    return int(value // magnitude * magnitude)


def duration(configs: float, minutes: float) -> str:
    total = configs * minutes
    if total >= 60 * 24:
        return f"{total / 60 / 24:.1f} days"
    if total >= 60:
        return f"{total / 60:.1f} hours"
    return f"{total:.0f} minutes"


def size_range(dims: Sequence[Dim]) -> str:
    sizes = sorted({d.size for d in dims if d.size is not None})
    if not sizes:
        return "a few"
    return str(sizes[0]) if len(sizes) == 1 else f"{sizes[0]}-{sizes[-1]}"


def grid_message(dims: Sequence[Dim], configs: Optional[int], option, sizes_text: Optional[str] = None, extra: str = "", trials_word: str = "random search with {n} trials") -> Tuple[str, Optional[int]]:
    """The quantified finding, and the suggested random-search budget."""
    minutes = float(option("trial-minutes"))
    names = " × ".join(d.name for d in dims)
    if configs is None:
        n = len(dims)
        at5 = 5 ** n
        return (
            f"grid over {names}: {n} dimensions whose value counts are not visible here; "
            f"k values each cost k^{n} trainings ({at5} at 5 values, {duration(at5, minutes)} at "
            f"{minutes:g} min/trial); random search samples every parameter afresh in each trial "
            "instead of cycling through the same k values",
            None,
        )
    sizes = sizes_text or "×".join(str(d.size) for d in dims)
    n_trials = nice_count(configs * float(option("random-trials-fraction")))
    biggest = max((d.size or 0) for d in dims)
    head = f"grid over {names} = {sizes} = {configs} configurations{extra} ({duration(configs, minutes)} at {minutes:g} min/trial); "
    search = trials_word.format(n=n_trials)
    if n_trials > biggest:
        tail = f"{search} tries {n_trials} distinct values of every parameter instead of {size_range(dims)}"
    else:
        tail = f"{search} samples every parameter afresh in each trial instead of repeating the same {size_range(dims)} values"
    return head + tail, n_trials


def too_big(dims: Sequence[Dim], configs: Optional[int], option) -> bool:
    return len(dims) >= int(option("grid-min-dimensions")) or (
        configs is not None and configs >= int(option("grid-min-configurations"))
    )


# -- loop nests -------------------------------------------------------------


@dataclass
class LoopInfo:
    node: cst.For
    dim: Optional[Dim]
    trains: bool = False
    children: List["LoopInfo"] = field(default_factory=list)  # nearest nested dimension loops
    calls: List[cst.Call] = field(default_factory=list)  # calls directly inside (any depth)


class _GridLoopRule(Rule):
    """Tracks assignments and nests of ``for`` loops over hyperparameter values."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.bindings = Bindings()
        self.reader = ValueReader(ctx, self.bindings)
        self.loops: List[LoopInfo] = []

    # bindings
    def visit_Assign(self, node: cst.Assign) -> None:
        self.bindings.see_assign(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bindings.see_assign(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bindings.see_assign(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bindings.push()

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.bindings.pop()

    # loops
    def visit_For(self, node: cst.For) -> None:
        label = node.target.value if isinstance(node.target, cst.Name) else None
        dim = None
        if label is not None or isinstance(node.target, cst.Subscript):
            dim = self.reader.dim(node.iter, label)
        info = LoopInfo(node, dim)
        if dim is not None:
            parent = next((l for l in reversed(self.loops) if l.dim is not None), None)
            if parent is not None:
                parent.children.append(info)
        self.loops.append(info)

    def leave_For(self, original_node: cst.For) -> None:
        info = self.loops.pop()
        if info.dim is not None and not any(l.dim is not None for l in self.loops):
            chain = best_chain(info)
            if chain:
                self.check_nest(chain)
        elif info.dim is None:
            self.check_loop(info)

    def check_loop(self, info: LoopInfo) -> None:
        """A loop that is not a grid dimension (a random-search loop, say)."""

    def visit_Call(self, node: cst.Call) -> None:
        if not self.loops:
            return
        trains = is_training_call(node)
        for info in self.loops:
            info.calls.append(node)
            if trains:
                info.trains = True

    def check_nest(self, chain: List[LoopInfo]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def best_chain(info: LoopInfo) -> List[LoopInfo]:
    """The deepest path of nested dimension loops that ends in training."""
    best: List[LoopInfo] = []
    for child in info.children:
        sub = best_chain(child)
        if sub and _chain_key(sub) > _chain_key(best):
            best = sub
    if best:
        return [info] + best
    return [info] if info.trains else []


def _chain_key(chain: List[LoopInfo]) -> Tuple[int, int]:
    dims = [l.dim for l in chain if l.dim is not None and l.dim.counts]
    return (len(dims), grid_size(dims) or 0)


@register
class NestedLoopGrid(_GridLoopRule):
    code = "HPL101"
    name = "nested-loop-grid-search"
    family = FAMILY
    summary = "Nested for-loops enumerate a hyperparameter grid (k^n trainings)"
    why = (
        "A grid costs k^n trainings: 4 parameters with 5 values each are 5^4 = 625 "
        "configurations, 13 days at 30 min per training, and every parameter still sees only "
        "5 distinct values. Most dimensions barely matter (the learning rate is typically "
        "7-20x more important than width), so a grid repeats the same few values of the "
        "important one over and over. Random search with a third of the budget (200 trials) "
        "tries 200 distinct values of every parameter and finds better configurations "
        "(Bergstra & Bengio 2012, 'Random Search for Hyper-Parameter Optimization'). "
        "Loops over seeds, folds, epochs, batches or indices are not counted."
    )
    fix_description = (
        "Rewrites the nest into one random-search loop, `for _ in range(N):`, drawing each "
        "variable with `random.choice(<same values>)` (a log-scale parameter with numeric "
        "bounds is drawn log-uniformly: `10 ** random.uniform(math.log10(a), math.log10(b))`). "
        "The body is unchanged; N is a third of the grid (`random-trials-fraction`). Unsafe: it "
        "changes the budget and which configurations run."
    )
    fix_safety = Safety.UNSAFE
    options = OPTIONS
    demonstration = "strategy"
    # a report is a nest of >= 2 loops whose innermost runs a configuration
    trigger = RUN_IN_NESTED_LOOPS
    bad_examples = (
        Example(
            """
            results = {}
            for lr in [0.001, 0.01, 0.1, 1.0, 10.0]:
                for batch_size in [16, 32, 64, 128, 256]:
                    for weight_decay in [0, 1e-5, 1e-4, 1e-3, 1e-2]:
                        for dropout in [0.0, 0.2, 0.4, 0.6, 0.8]:
                            results[lr, batch_size, weight_decay, dropout] = train(lr, batch_size, weight_decay, dropout)
            """,
            fixed="""
            import math
            import random
            results = {}
            for _ in range(200):
                lr = 10 ** random.uniform(math.log10(0.001), math.log10(10.0))
                batch_size = random.choice([16, 32, 64, 128, 256])
                weight_decay = random.choice([0, 1e-5, 1e-4, 1e-3, 1e-2])
                dropout = random.choice([0.0, 0.2, 0.4, 0.6, 0.8])
                results[lr, batch_size, weight_decay, dropout] = train(lr, batch_size, weight_decay, dropout)
            """,
            note="5^4 = 625 configurations; 200 random trials cost a third.",
        ),
    )
    good_examples = (
        Example(
            """
            for epoch in range(num_epochs):
                for x, y in train_loader:
                    loss = model.train_step(x, y)
            """,
            note="Epochs and batches are not hyperparameter dimensions.",
        ),
        Example(
            """
            for seed in [0, 1, 2]:
                for lr in [1e-4, 1e-3, 1e-2]:
                    score = train(lr=lr, seed=seed)
            """,
            note="One hyperparameter swept over three seeds.",
        ),
    )



    def check_nest(self, chain: List[LoopInfo]) -> None:
        dims = [l.dim for l in chain if l.dim is not None and l.dim.counts]
        if len(dims) < 2 or not any(d.named for d in dims) or in_test_function(self.ctx, chain[0].node):
            return
        configs = grid_size(dims)
        if not too_big(dims, configs, self.option):
            return
        message, n_trials = grid_message(dims, configs, self.option)
        fix = None
        if n_trials is not None:
            fix = LoopRewriter(self.ctx, chain, n_trials).fix()
        self.report(chain[0].node, message, fix)


class LoopRewriter:
    """Builds the random-search loop that replaces a perfect nest of grid loops."""

    def __init__(self, ctx, chain: List[LoopInfo], n_trials: int) -> None:
        self.ctx = ctx
        self.chain = chain
        self.n_trials = n_trials

    def fix(self):
        if not self._rewritable():
            return None
        for root in ("random", "math"):
            if self.ctx.imports.aliases.get(root, root) != root:
                return None  # e.g. ``from numpy import random``: the name is taken
        from libcst.metadata import PositionProvider

        positions = self.ctx.positions
        text = self._text(positions)
        if text is None:
            return None
        edits = [self.ctx.replace(self.chain[0].node, text)]
        _, random_import = self.ctx.spell("random.choice")
        math_import = None
        if "math.log10(" in text:
            _, math_import = self.ctx.spell("math.log10")
        return self.ctx.fix(Safety.UNSAFE, [_joined_imports([math_import, random_import])] + edits, "random search instead of the grid")

    def _rewritable(self) -> bool:
        for index, info in enumerate(self.chain):
            node = info.node
            if node.asynchronous is not None or node.orelse is not None or not isinstance(node.target, cst.Name):
                return False
            if not isinstance(node.body, cst.IndentedBlock) or info.dim is None:
                return False
            if info.dim.size is None or (info.dim.values is None and info.dim.log_exponents is None):
                return False
            if index + 1 < len(self.chain):
                if len(node.body.body) != 1 or node.body.body[0] is not self.chain[index + 1].node:
                    return False
                if node.body.footer:
                    return False
        return not _breaks(self.chain[-1].node.body)

    def _draw(self, dim: Dim) -> str:
        spell_random, _ = self.ctx.spell("random.choice")
        rnd = spell_random.rsplit(".", 1)[0]
        vocab = self.ctx.vocabulary
        if dim.log_exponents is not None:
            return f"10 ** {rnd}.uniform({dim.log_exponents[0]}, {dim.log_exponents[1]})"
        nums = dim.numbers
        values = dim.values
        if dim.bounds is not None and vocab.is_log_scale(dim.name, tuning_context=True):
            log10 = self.ctx.spell("math.log10")[0]
            return f"10 ** {rnd}.uniform({log10}({dim.bounds[0]}), {log10}({dim.bounds[1]}))"
        if nums and dim.literal is not None and vocab.is_log_scale(dim.name, tuning_context=True) and min(nums) > 0 and max(nums) / min(nums) >= 10:
            log10 = self.ctx.spell("math.log10")[0]
            elements = [e.value for e in dim.literal.elements]  # type: ignore[attr-defined]
            low = self.ctx.code_for(elements[nums.index(min(nums))])
            high = self.ctx.code_for(elements[nums.index(max(nums))])
            return f"10 ** {rnd}.uniform({log10}({low}), {log10}({high}))"
        assert values is not None
        return f"{rnd}.choice({self.ctx.code_for(values)})"

    def _text(self, positions) -> Optional[str]:
        outer, inner = self.chain[0].node, self.chain[-1].node
        lines = re.split(r"\r\n|\r|\n", self.ctx.source)
        outer_body = outer.body.body[0]  # type: ignore[union-attr]
        first_inner = inner.body.body[0]  # type: ignore[union-attr]
        new_indent = _indent(lines[positions[outer_body].start.line - 1])
        old_indent = _indent(lines[positions[first_inner].start.line - 1])
        if not old_indent.startswith(new_indent) or len(set(old_indent)) > 1:
            return None
        removal = len(old_indent) - len(new_indent)
        body_start = positions[first_inner].start.line - len(first_inner.leading_lines)
        body_end = positions[inner].end.line
        frozen = _string_continuation_lines(inner.body, positions)
        body: List[str] = []
        for number_, line in enumerate(lines[body_start - 1 : body_end], start=body_start):
            lead = _indent(line)
            cut = min(removal, len(lead)) if line.strip() else 0
            if number_ in frozen:
                if cut:
                    return None  # re-indenting would change a string's value
                body.append(line)
                continue
            body.append(line[cut:] if cut and set(lead[:cut]) == {old_indent[0]} else line)
        loop_var = "_" if not re.search(r"\b_\b", "\n".join(body)) else "trial_index"
        head = [f"for {loop_var} in range({self.n_trials}):"]
        for index, info in enumerate(self.chain):
            if index:
                for empty in info.node.leading_lines:
                    if empty.comment is not None:
                        head.append(new_indent + empty.comment.value)
            target = info.node.target.value  # type: ignore[attr-defined]
            comment = _header_comment(info.node)
            head.append(f"{new_indent}{target} = {self._draw(info.dim)}{comment}")  # type: ignore[arg-type]
        return "\n".join(head + body)


def _joined_imports(edits: List[Optional[NodeEdit]]) -> Optional[NodeEdit]:
    """One import edit for several lines: two edits at one spot would apply in no fixed order."""
    lines = [e.text for e in edits if e is not None and isinstance(e.text, str)]
    return NodeEdit("import", None, "\n".join(lines)) if lines else None


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _header_comment(node: cst.For) -> str:
    header = node.body.header if isinstance(node.body, cst.IndentedBlock) else None
    if header is not None and header.comment is not None:
        return "  " + header.comment.value
    return ""


def _breaks(block: cst.BaseSuite) -> bool:
    """A ``break`` that belongs to this loop (not to a loop nested in it)."""

    class Finder(cst.CSTVisitor):
        found = False

        def visit_Break(self, node: cst.Break) -> None:
            self.found = True

        def visit_For(self, node: cst.For) -> bool:
            return False

        def visit_While(self, node: cst.While) -> bool:
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

    finder = Finder()
    block.visit(finder)
    return finder.found


def _string_continuation_lines(block: cst.CSTNode, positions) -> Set[int]:
    """Lines that continue a multi-line string literal: re-indenting them changes its value."""
    lines: Set[int] = set()

    class Finder(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            self._mark(node)

        def visit_FormattedString(self, node: cst.FormattedString) -> None:
            self._mark(node)

        def _mark(self, node) -> None:
            rng = positions.get(node)
            if rng is not None and rng.end.line > rng.start.line:
                lines.update(range(rng.start.line + 1, rng.end.line + 1))

    block.visit(Finder())
    return lines


# -- library grids ----------------------------------------------------------


@dataclass
class LibraryGrid:
    call: cst.Call
    kind: str
    grids: List[List[Dim]]
    extra: str = ""
    fixable: bool = False


def _unwrapped(expr: ast.AST) -> ast.AST:
    """``unwrap`` of an ``ast`` value: ``list(x)``, ``tuple(x)``, ``sorted(x)`` -> ``x``."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("list", "tuple", "sorted") and len(expr.args) == 1 and not expr.keywords and not isinstance(expr.args[0], ast.Starred):
        expr = expr.args[0]
    return expr


def _may_hold_grid(site) -> bool:
    """``dict_dims`` reads the grid argument only as a name, a dict or a list of them."""
    if site.has_star_args:
        return True
    grids = [a for a in (site.arg(0), site.arg(1), site.arg(None, "param_grid"), site.arg(None, "search_space")) if a is not None]
    for grid in grids:
        grid = _unwrapped(grid)
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
        return isinstance(_unwrapped(inner), (ast.Name, ast.List, ast.Tuple))
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
class LibraryGridSearch(Rule):
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
        self.bindings = Bindings()
        self.reader = ValueReader(ctx, self.bindings)
        self.sampled_names: Set[str] = set()
        self.pending: List[Tuple[LibraryGrid, Optional[str]]] = []
        self.ray_groups: Dict[cst.CSTNode, List[cst.Call]] = {}
        self.num_samples: Set[int] = set()
        self.deferred_sklearn: List[Tuple[cst.Call, str, str]] = []
        self.keras_calls: List[cst.Call] = []
        self.keras_dims: List[Dim] = []

    visit_Assign = _GridLoopRule.visit_Assign
    visit_AnnAssign = _GridLoopRule.visit_AnnAssign
    visit_AugAssign = _GridLoopRule.visit_AugAssign
    visit_FunctionDef = _GridLoopRule.visit_FunctionDef
    leave_FunctionDef = _GridLoopRule.leave_FunctionDef

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
        spelled, import_edit = self.ctx.spell("sklearn.model_selection.RandomizedSearchCV")
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


# -- the learning rate left out -----------------------------------------------


@dataclass
class LrUse:
    """A learning rate that the search does not vary."""

    node: cst.CSTNode  # where to report
    literal: Optional[cst.BaseExpression]  # the literal (None: optimizer default)
    value: Optional[float]
    optimizer: Optional[str] = None


@dataclass
class Objective:
    node: cst.FunctionDef
    tuned: List[str] = field(default_factory=list)
    tunes_lr: bool = False
    uses: List[LrUse] = field(default_factory=list)
    trial_name: Optional[str] = None
    real: bool = False  # trial_name is annotated optuna.Trial or called ``trial``
    local_literals: Dict[str, cst.BaseExpression] = field(default_factory=dict)


def _is_learning_rate(name: str) -> bool:
    return DEFAULT_VOCABULARY.is_learning_rate(name)


def _search_callee(name: str) -> bool:
    """A call ``_passed_to_search`` takes a grid dict to."""
    return name in LIBRARY_GRID_NAMES or name == "product" or bool(name_tokens(name) & SEARCH_CALL_TOKENS)


# every name ``_search_callee`` accepts holds one of these in lower case
SEARCH_SPELLINGS = ("optimi", "search", "tune", "grid", "sweep", "hyperopt", "product")


def _lr_keyword(site) -> bool:
    return not site.has_star_args and any(k.arg and _is_learning_rate(k.arg) for k in site.node.keywords)


def _any_name(name: str) -> bool:
    return True


# a call ``_lr_uses`` reads a learning rate from: an optimizer, or a call with a learning-rate keyword
LR_USE = Calls(*OPTIMIZERS) | (Names(_is_learning_rate, marks=shows_learning_rate) & Calls(matching=_any_name, where=_lr_keyword))


def _draws_around_lr_use(loop: ast.AST, index) -> bool:
    """``random_draws`` finds two hyperparameters drawn in the loop's body, with
    a learning-rate use inside the loop, outside tests."""
    if index.in_test(loop):
        return False
    drawn = 0
    for stmt in loop.body:  # type: ignore[attr-defined]
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            if _may_draw(stmt.value) and hyperparameter_name(stmt.targets[0].id, DEFAULT_VOCABULARY):
                drawn += 1
    return drawn >= 2 and LR_USE.tree(scope_index(index, loop, own_scope=False))


def _may_draw(expr: ast.AST) -> bool:
    """``_is_random_draw`` without the module check."""
    if isinstance(expr, ast.BinOp):
        return _may_draw(expr.left) or _may_draw(expr.right)
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    if isinstance(func, ast.Name) and func.id in ("int", "float") and len(expr.args) == 1 and not expr.keywords:
        return _may_draw(expr.args[0])
    return (func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "") in RANDOM_DRAWS


def _lr_grid_shape(node: ast.AST) -> bool:
    """``visit_Dict``'s grid: >= 3 string keys, one learning rate, two value lists beside it."""
    items = [(k.value, v) for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)]  # type: ignore[attr-defined]
    if len(items) < 3:
        return False
    lrs = [k for k, _ in items if _is_learning_rate(k)]
    multi = [k for k, v in items if not _is_learning_rate(k) and _literal_len(v) >= 2]
    return len(lrs) == 1 and len(multi) >= 2 and not trades_lr_for_iterations(multi)


def _literal_len(expr: ast.AST) -> int:
    """``literal_size(unwrap(...))`` of an ``ast`` value."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("list", "tuple", "sorted") and len(expr.args) == 1 and not expr.keywords:
        expr = expr.args[0]
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and not any(isinstance(e, ast.Starred) for e in expr.elts):
        return len(expr.elts)
    return 0


@register
class LearningRateNotTuned(_GridLoopRule):
    code = "HPL103"
    name = "learning-rate-not-tuned"
    family = FAMILY
    summary = "A search tunes other hyperparameters while the learning rate stays fixed"
    why = (
        "The learning rate typically has the largest effect on accuracy of any hyperparameter: "
        "7-20x more than model width, and tuning it alone often gains +10% where architecture "
        "tuning gains +2%. A search over layers, width and dropout that keeps `lr=1e-3` (or the "
        "optimizer's default) compares architectures at a learning rate that suits none of "
        "them. Tune the learning rate first, over 3 decades on a log scale, then the rest."
    )
    fix_description = (
        "In an Optuna objective, the literal becomes `trial.suggest_float(\"lr\", v/10, v*100, "
        "log=True)`: three decades from a tenth of the old value to a hundred times it (capped "
        "at 1.0, keeping three decades), since hand-picked learning rates are usually on the "
        "safe, small side. Unsafe: it changes what the search samples."
    )
    fix_safety = Safety.UNSAFE
    options = OPTIONS
    demonstration = "lr-first"
    # a report is a learning rate held fixed (a keyword, a grid key or an
    # optimizer's default) in a search: an objective suggesting values, a grid
    # nest, a loop drawing values at random, or a grid dict handed to a search
    trigger = (Names(_is_learning_rate, marks=shows_learning_rate) | Calls(*OPTIMIZERS)) & (
        Calls(prefixes=("suggest_",), method=True, least=2)
        | LoopNests(_runs, RUN_SPELLINGS, inner=LR_USE)
        | (Calls(*RANDOM_DRAWS, least=2) & Nodes(ast.For, ast.AsyncFor, holds=_draws_around_lr_use, label="random-search loop"))
        | (
            Calls(matching=_search_callee, spellings=SEARCH_SPELLINGS)
            & DictKeys(meaning=_is_learning_rate, marks=shows_learning_rate)
            & Nodes(ast.Dict, holds=lambda node, index: _lr_grid_shape(node))
        )
    )
    bad_examples = (
        Example(
            """
            import torch

            def objective(trial):
                n_layers = trial.suggest_int("n_layers", 1, 4)
                hidden = trial.suggest_int("hidden", 32, 512, log=True)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                model = build(n_layers, hidden, dropout)
                optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
                return train(model, optimizer)
            """,
            fixed="""
            import torch

            def objective(trial):
                n_layers = trial.suggest_int("n_layers", 1, 4)
                hidden = trial.suggest_int("hidden", 32, 512, log=True)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                model = build(n_layers, hidden, dropout)
                optimizer = torch.optim.Adam(model.parameters(), lr=trial.suggest_float("lr", 0.0001, 0.1, log=True))
                return train(model, optimizer)
            """,
        ),
        Example(
            """
            for n_layers in [2, 4, 8]:
                for width in [64, 128, 256]:
                    score = train_model(n_layers=n_layers, width=width, lr=3e-4)
            """
        ),
    )
    good_examples = (
        Example(
            """
            import torch

            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                hidden = trial.suggest_int("hidden", 32, 512, log=True)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                model = build(hidden, dropout)
                optimizer = torch.optim.Adam(model.parameters(), lr=lr)
                return train(model, optimizer)
            """
        ),
        Example(
            """
            def objective(trial):
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
                return train(model, optimizer)
            """,
            note="One tuned parameter is not a search over the architecture.",
        ),
    )



    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.trials = TrialTracker(ctx.imports)
        self.objectives: List[Objective] = []
        self.finished: List[Objective] = []

    # -- Optuna objectives -------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.trials.enter(node)
        info = self.trials.current
        trial = next(iter(sorted(info.trial_params)), None) if info and info.trial_params else (info.first_param if info else None)
        real = bool(info and trial in info.trial_params)
        self.objectives.append(Objective(node, trial_name=trial, real=real))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        objective = self.objectives.pop()
        info = self.trials.current
        self.trials.leave()
        if objective.trial_name is None:
            return
        if info is not None and objective.trial_name in info.trial_params:
            self._check_objective(objective)
        elif objective.tuned:
            self.finished.append(objective)  # an objective only if passed to optimize()

    def leave_Module(self, original_node: cst.Module) -> None:
        for objective in self.finished:
            if self.trials.is_objective(objective.node):
                self._check_objective(objective)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        if self.objectives and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            name = node.targets[0].target.value
            if number(node.value, self.ctx.imports) is not None:
                self.objectives[-1].local_literals[name] = node.value
            value = node.value
            if isinstance(value, cst.Call) and self._is_suggest(value) and self.ctx.vocabulary.is_learning_rate(name):
                self._owner().tunes_lr = True

    def _owner(self) -> Objective:
        """The innermost enclosing objective: closures inside it report to it."""
        for objective in reversed(self.objectives):
            if objective.real:
                return objective
        for objective in reversed(self.objectives):
            if objective.trial_name is not None:
                return objective
        return self.objectives[-1]

    def _is_suggest(self, call: cst.Call) -> bool:
        recv = receiver(call)
        name = method_name(call) or ""
        if not isinstance(recv, cst.Name) or not name.startswith("suggest_"):
            return False
        return any(recv.value == o.trial_name for o in self.objectives)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        self.trials.see_call(node)
        if not self.objectives:
            return
        owner = self._owner()
        if self._is_suggest(node):
            name = self._suggest_name(arg_value(node, 0, "name"))
            if name is not None and self.ctx.vocabulary.is_learning_rate(name):
                owner.tunes_lr = True
            elif name is not None:
                owner.tuned.append(name)
            return
        owner.uses.extend(self._lr_uses(node, self.objectives[-1].local_literals))

    def _suggest_name(self, expr: Optional[cst.BaseExpression]) -> Optional[str]:
        """``"hidden"`` -> hidden; ``f"n_units_l{i}"`` -> its literal parts, n_units_l."""
        if expr is None:
            return None
        if isinstance(expr, cst.FormattedString):
            parts = [p.value for p in expr.parts if isinstance(p, cst.FormattedStringText)]
            return "".join(parts) or None
        return string_value(expr)

    def _check_objective(self, objective: Objective) -> None:
        if objective.tunes_lr or len(set(objective.tuned)) < 2 or not objective.uses:
            return
        if trades_lr_for_iterations(objective.tuned):
            return
        tuned = ", ".join(sorted(set(objective.tuned))[:4])
        values = {u.value for u in objective.uses}
        for use in objective.uses:
            fix = None
            if use.literal is not None and use.value is not None and use.value > 0 and len(values) == 1:
                fix = self._suggest_fix(use, objective)
            self.report(use.node, self._message(use, f"the objective tunes {tuned}"), fix)

    def _suggest_fix(self, use: LrUse, objective: Objective):
        if not _within(self.ctx, use.literal, objective.node) or objective.trial_name is None:
            return None
        value = use.value or 0.0
        high = min(value * 100, 1.0)
        low = high / 1000
        code = f'{objective.trial_name}.suggest_float("lr", {format_number(low)}, {format_number(high)}, log=True)'
        return self.ctx.fix(Safety.UNSAFE, [self.ctx.replace(use.literal, code)], "tune the learning rate")

    # -- grid loops -----------------------------------------------------------
    def check_nest(self, chain: List[LoopInfo]) -> None:
        dims = [l.dim for l in chain if l.dim is not None and l.dim.counts]
        if len(dims) < 2 or any(self.ctx.vocabulary.is_learning_rate(d.name) for d in dims):
            return
        if trades_lr_for_iterations([d.name for d in dims]):
            return
        if self.trials.known_trial_names() or in_test_function(self.ctx, chain[0].node):
            return  # inside an Optuna objective (judged there) or a test
        literals = dict(self.bindings.scopes[-1])
        uses: List[LrUse] = []
        for call in chain[-1].calls:
            uses.extend(self._lr_uses(call, {k: v for k, v in literals.items() if number(v, self.ctx.imports) is not None}))
        tuned = ", ".join(d.name for d in dims)
        for use in uses:
            self.report(use.node, self._message(use, f"the grid varies {tuned}"))

    # -- random-search loops ------------------------------------------------
    def check_loop(self, info: LoopInfo) -> None:
        drawn = random_draws(self.ctx, info.node)
        if len(drawn) < 2 or any(self.ctx.vocabulary.is_learning_rate(n) for n in drawn):
            return
        if trades_lr_for_iterations(drawn) or self.trials.known_trial_names() or in_test_function(self.ctx, info.node):
            return
        literals = {k: v for k, v in self.bindings.scopes[-1].items() if number(v, self.ctx.imports) is not None}
        for call in info.calls:
            for use in self._lr_uses(call, literals):
                self.report(use.node, self._message(use, f"the random search draws {', '.join(drawn[:4])}"))

    # -- param dicts --------------------------------------------------------
    def visit_Dict(self, node: cst.Dict) -> None:
        items = dict_items(node)
        if len(items) < 3:
            return
        multi = [k for k, v, _ in items if (literal_size(unwrap(v)) or 0) >= 2 and not self.ctx.vocabulary.is_learning_rate(k)]
        lr_items = [(k, v) for k, v, _ in items if self.ctx.vocabulary.is_learning_rate(k)]
        if len(multi) < 2 or len(lr_items) != 1 or trades_lr_for_iterations(multi):
            return
        key, value = lr_items[0]
        inner = unwrap(value)
        if literal_size(inner) == 1:
            inner = inner.elements[0].value  # type: ignore[attr-defined]
        literal = number(inner, self.ctx.imports)
        if literal is None or not _passed_to_search(self.ctx, node):
            return
        use = LrUse(value, inner, literal)
        self.report(value, self._message(use, f"the grid varies {', '.join(multi[:4])}"))

    # -- shared -------------------------------------------------------------
    def _lr_uses(self, call: cst.Call, literals: Dict[str, cst.BaseExpression]) -> List[LrUse]:
        if has_star_args(call):
            return []
        optimizer = self._optimizer(call)
        found: List[LrUse] = []
        for a in call.args:
            if a.keyword is None or not self.ctx.vocabulary.is_learning_rate(a.keyword.value):
                continue
            value = a.value
            if isinstance(value, cst.Name) and value.value in literals:
                value = literals[value.value]
            literal = number(value, self.ctx.imports)
            if literal is not None and (optimizer is not None or is_training_call(call) or _is_estimator(call)):
                found.append(LrUse(a, value, literal, optimizer))
            return found
        if optimizer is not None:
            qual = self.ctx.qualify(call.func) or ""
            if qual.startswith("torch.optim."):
                second = arg_value(call, 1)
                if second is not None:
                    literal = number(second, self.ctx.imports)
                    if literal is not None:
                        found.append(LrUse(call, second, literal, optimizer))
                    return found
            elif arg_value(call, 0) is not None and not qual.startswith("torch"):
                return found  # keras/optax: the first positional is the learning rate
            found.append(LrUse(call, None, OPTIMIZERS.get(optimizer), optimizer))
        return found

    def _optimizer(self, call: cst.Call) -> Optional[str]:
        qual = self.ctx.qualify(call.func)
        short = (qual or dotted_name(call.func) or "").rsplit(".", 1)[-1]
        if short not in OPTIMIZERS:
            return None
        if qual is None:
            return short if isinstance(call.func, cst.Name) else None
        if any(qual.startswith(m) for m in OPTIMIZER_MODULES) or qual in ("torch.optim." + short,):
            return short
        return None

    def _message(self, use: LrUse, context: str) -> str:
        if use.literal is None:
            default = f" ({format_number(use.value)})" if use.value is not None else ""
            fixed = f"{use.optimizer}'s default learning rate{default}"
        else:
            fixed = f"a fixed learning rate of {self.ctx.code_for(use.literal)}"
        return (
            f"learning rate not tuned: {context} but trains with {fixed}; the learning rate "
            "typically has the largest effect on accuracy of any hyperparameter (7-20x more "
            "than width) - tune it first, log-uniformly over ~3 decades, before the architecture"
        )


ITERATION_COUNTS = frozenset(
    {"n_estimators", "num_boost_round", "num_boost_rounds", "num_iterations", "num_iteration", "iterations", "n_iter", "max_iter", "num_rounds", "nrounds", "num_trees", "n_trees"}
)


def trades_lr_for_iterations(tuned: Sequence[str]) -> bool:
    """Boosting: fixing the learning rate and tuning the number of trees is a standard strategy."""
    return any(normalize(name) in ITERATION_COUNTS for name in tuned)




def random_draws(ctx, loop: cst.For) -> List[str]:
    """Hyperparameter names a loop body draws at random: ``hidden = random.choice([...])``."""
    if not isinstance(loop.body, cst.IndentedBlock):
        return []
    names: List[str] = []
    for stmt in loop.body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.Assign) or len(small.targets) != 1 or not isinstance(small.targets[0].target, cst.Name):
                continue
            if _is_random_draw(ctx, small.value):
                name = small.targets[0].target.value
                if hyperparameter_name(name, ctx.vocabulary):
                    names.append(name)
    return names


def _is_random_draw(ctx, expr: cst.BaseExpression) -> bool:
    """``random.choice(...)``, ``np.random.uniform(...)``, ``rng.integers(...)``, ``10 ** random.uniform(...)``."""
    if isinstance(expr, cst.BinaryOperation):
        return _is_random_draw(ctx, expr.left) or _is_random_draw(ctx, expr.right)
    if isinstance(expr, cst.Call) and len(expr.args) == 1 and isinstance(expr.func, cst.Name) and expr.func.value in ("int", "float"):
        return _is_random_draw(ctx, expr.args[0].value)
    if not isinstance(expr, cst.Call) or method_name(expr) not in RANDOM_DRAWS:
        return False
    qual = ctx.qualify(expr.func) or ""
    if qual.startswith(("random.", "numpy.random.", "scipy.stats.")):
        return True
    recv = receiver(expr)
    return isinstance(recv, cst.Name) and recv.value in ("rng", "random_state", "generator", "rs", "prng")


def _within(ctx, node: Optional[cst.CSTNode], func: cst.FunctionDef) -> bool:
    if node is None:
        return False
    return any(a is func for a in ctx.ancestors(node))


def _is_estimator(call: cst.Call) -> bool:
    name = method_name(call) or ""
    return name[:1].isupper()


def _passed_to_search(ctx, node: cst.Dict) -> bool:
    """The dict is an argument of a search call (directly or ``**``)."""
    parent = ctx.parent(node)
    while isinstance(parent, (cst.Arg, cst.Element, cst.List)):
        grand = ctx.parent(parent)
        if isinstance(grand, cst.Call):
            qual = ctx.qualify(grand.func) or ""
            if qual in LIBRARY_GRIDS or qual == "itertools.product":
                return True
            return bool(name_tokens(method_name(grand)) & SEARCH_CALL_TOKENS)
        parent = grand
    return False
