"""What HPL101-HPL103 share: which loop names are hyperparameters, how a
loop's values become a grid axis, a grid's size and its wording, and the walk
over nests of ``for`` loops.

The reading is deliberately shallow: a loop's values come from a literal, a
name bound to one earlier in the same function or module, a dict entry or a
``linspace``-style call.  Anything else is "size unknown" and only counts as a
dimension when its name says it is a hyperparameter.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple, Union

from hplint.core.rule import Option, Rule
from hplint.reading.calls import arg, arg_value, dict_call_items, dict_items, has_star_args, method_name, receiver, subscript_key
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import number
from hplint.reading.vocabulary import RUN_TOKENS, Scale, name_tokens, runs_configuration

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "search-strategy"

OPTIONS = (
    Option("grid-min-dimensions", int, 3, "a grid with at least this many hyperparameter dimensions is reported", minimum=2),
    Option("grid-min-configurations", int, 50, "a grid with at least this many configurations is reported", minimum=1),
    Option("trial-minutes", float, 30.0, "assumed minutes per training run, for the cost in the message", minimum=0, above=True),
    Option("random-trials-fraction", float, 1 / 3, "random-search budget suggested, as a fraction of the grid size", minimum=0, maximum=1, above=True),
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
# grid APIs: HPL102 reports them, HPL103 reads a dict passed to one as a search
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
LIBRARY_GRID_NAMES = frozenset(LIBRARY_GRIDS.values())
# every name ``runs_configuration`` accepts holds one of these in lower case
RUN_SPELLINGS = tuple(sorted((w for w in RUN_TOKENS if not any(o != w and o in w for o in RUN_TOKENS)), key=len))


def _runs(name: str, receiver: Optional[str], arguments: int) -> bool:
    """The callee test of HPL101's and HPL103's ``LoopNests``: one function, so
    the per-file memo of training lines (keyed by its id) serves both."""
    return runs_configuration(name, receiver, arguments)


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


def ast_unwrap(expr: ast.AST) -> ast.AST:
    """``unwrap`` of an ``ast`` value: ``list(x)``, ``tuple(x)``, ``sorted(x)`` -> ``x``."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("list", "tuple", "sorted") and len(expr.args) == 1 and not expr.keywords and not isinstance(expr.args[0], ast.Starred):
        expr = expr.args[0]
    return expr


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


class _BindingsRule(Rule):
    """Tracks plain assignments while walking, so that ``reader`` sees the
    values a name holds at that point of the file."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.bindings = Bindings()
        self.reader = ValueReader(ctx, self.bindings)

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


class _GridLoopRule(_BindingsRule):
    """Tracks nests of ``for`` loops over hyperparameter values."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.loops: List[LoopInfo] = []

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
