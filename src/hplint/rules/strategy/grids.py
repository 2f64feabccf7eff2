"""What HPL101-HPL103 share: a grid's size and its wording, the library
grid APIs, and the walk over nests of ``for`` loops (``axes`` says which
names are hyperparameters and how an iterable becomes an axis; ``flow``
where a name's value comes from).

A nest may mix ``for`` loops and ``itertools.product``: every axis of it
counts, once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Set, Tuple, Union

from hplint.core.rule import Option, Rule
from hplint.reading.calls import arg_value, method_name, receiver
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import number
from hplint.reading.tree import descendants, nested_scopes
from hplint.reading.vocabulary import LAUNCH_SPELLINGS, RUN_TOKENS, Scale, runs_configuration
from hplint.rules.strategy.axes import (  # noqa: F401  (re-exported for the rule modules)
    GRID_CONTAINER_TOKENS,
    HYPER_TOKENS,
    INDEX_NAMES,
    NOT_DIMENSION_TOKENS,
    Dim,
    ValueReader,
    ast_unwrap,
    excluded_loop_name,
    hyperparameter_name,
    literal_size,
    tuning_name,
    unwrap,
    values_count,
)

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "search-strategy"

# Grids under this many configurations are not findings by default, however
# many axes they have. Among the real grids read to choose it (the development
# corpus's files and a sample of public training loops and GridSearchCV dicts),
# the smallest one labelled a finding is 2×2×2×2 = 16 trainings and the largest
# small sweep labelled clean 4×3 = 12; hand-written sweeps of 4, 6, 8 and 9
# trainings (2×2×2 among them) are common and cheap enough that sampling them
# buys nothing. Two-axis grids keep needing ``grid-min-configurations`` (a 5×5
# C × gamma SVC grid, labelled clean, stays silent).
DEFAULT_MIN_CONFIGURATIONS = 16

OPTIONS = (
    Option("grid-min-dimensions", int, 3, "a grid with at least this many hyperparameter dimensions is reported (from grid-ignore-below configurations)", minimum=2),
    Option("grid-min-configurations", int, 50, "a grid with at least this many configurations is reported, however many dimensions it has", minimum=1),
    Option("grid-ignore-below", int, DEFAULT_MIN_CONFIGURATIONS, "a grid with fewer configurations (trainings, before CV folds) is never reported: a 2×2×2 sweep is 8", minimum=1),
    Option("trial-minutes", float, 30.0, "assumed minutes per training run (one configuration, or one CV fit), for the cost in the message", minimum=0, above=True),
    Option("random-trials-fraction", float, 1 / 3, "random-search budget suggested, as a fraction of the grid size", minimum=0, maximum=1, above=True),
)

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
RUN_SPELLINGS = tuple(sorted((w for w in RUN_TOKENS if not any(o != w and o in w for o in RUN_TOKENS)), key=len)) + LAUNCH_SPELLINGS


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


def duration(count: float, minutes: float) -> str:
    total = count * minutes
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


@dataclass(frozen=True)
class Repeat:
    """Each configuration runs several times: ``5 CV folds`` -> fits, ``num_samples=4`` -> trials."""

    label: str  # "5 CV folds"
    times: int
    unit: str  # "fits"
    each: str  # what one run is called in the time estimate: "fit"


# how the suggested random search draws a grid's values
LOOP = "loop"  # HPL101's rewrite: random.choice with replacement, log-scale bounds drawn continuously
WITHOUT_REPLACEMENT = "without-replacement"  # RandomizedSearchCV over lists: distinct grid points
ANY = "any"  # a random search not written by hplint: at most n distinct grid points


def drawn_continuously(dim: Dim, vocabulary) -> bool:
    """HPL101's rewrite draws this axis log-uniformly from its range (not from its values)."""
    if dim.log_exponents is not None:
        return True
    log_scale = vocabulary.is_log_scale(dim.name, tuning_context=True)
    if dim.bounds is not None and log_scale:
        return True
    nums = dim.numbers
    return bool(nums and dim.literal is not None and log_scale and min(nums) > 0 and max(nums) / min(nums) >= 10)


def expected_distinct(points: int, draws: int) -> float:
    """Distinct grid points among ``draws`` uniform draws with replacement from ``points``."""
    return points * (1 - (1 - 1 / points) ** draws)


def _names(dims: Sequence[Dim]) -> str:
    return ", ".join(d.name for d in dims)


def _cost(count: int, minutes: float, each: str) -> str:
    return f"{duration(count, minutes)} at {minutes:g} min per {each}, option trial-minutes"


def grid_message(
    dims: Sequence[Dim],
    configs: Optional[int],
    option,
    sizes_text: Optional[str] = None,
    repeat: Optional[Repeat] = None,
    search: str = "random search with {n} trials",
    drawing: str = ANY,
    vocabulary=None,
) -> Tuple[str, Optional[int]]:
    """The quantified finding, and the suggested random-search budget.

    Costs are stated once with their unit (configurations, or fits/trials when
    each configuration runs several times) and the time is computed from that
    count.  What random search gains is said only as the suggested search
    draws: from the same values it covers some of the grid points; only axes
    drawn from a range get a new value in every trial.
    """
    minutes = float(option("trial-minutes"))
    names = " × ".join(d.name for d in dims)
    if configs is None:
        n = len(dims)
        at5 = 5 ** n
        return (
            f"grid over {names}: {n} dimensions whose value counts are not visible here; "
            f"k values each cost k^{n} trainings (at 5 values: {at5}, {_cost(at5, minutes, 'training')}); "
            "a random search costs the trials it is given, whatever the value counts, and a parameter "
            "drawn from a range gets a new value in every trial",
            None,
        )
    sizes = sizes_text or "×".join(str(d.size) for d in dims)
    n_trials = nice_count(configs * float(option("random-trials-fraction")))
    head = f"grid over {names} = {sizes} = {configs} configuration{'s' if configs != 1 else ''}"
    if repeat is not None:
        runs = configs * repeat.times
        head += f" × {repeat.label} = {runs} {repeat.unit} ({_cost(runs, minutes, repeat.each)}); "
        n_runs = f" ({n_trials * repeat.times} {repeat.unit})"
    else:
        head += f" ({_cost(configs, minutes, 'training')}); "
        n_runs = ""
    word = search.format(n=n_trials)
    return head + _gain(dims, configs, n_trials, word, n_runs, drawing, vocabulary), n_trials


def _gain(dims: Sequence[Dim], configs: int, n: int, word: str, runs: str, drawing: str, vocabulary) -> str:
    """What the suggested search does with ``n`` trials, as it draws."""
    numeric = [d for d in dims if _real_axis(d)]
    if drawing == LOOP and vocabulary is not None:
        ranged = [d for d in dims if drawn_continuously(d, vocabulary)]
        listed = [d for d in dims if d not in ranged]
        if ranged:
            gains = f"{word}{runs} draws {_names(ranged)} log-uniformly from {'its' if len(ranged) == 1 else 'their'} range ({n} distinct values instead of {size_range(ranged)})"
            if listed:
                points = grid_size(listed) or 0
                covered = min(points, round(expected_distinct(points, n))) if points else 0
                whole = f"its {points} values" if len(listed) == 1 else f"their {points} combinations"
                gains += f" and {_names(listed)} from the same values (about {covered} of {whole})"
            return gains
        covered = min(configs, round(expected_distinct(configs, n)))
        return f"{word}{runs} draws every parameter from the same values and covers about {covered} of the {configs} grid points" + _ranges_hint(numeric)
    if drawing == WITHOUT_REPLACEMENT:
        return f"{word}{runs} samples {min(n, configs)} of the {configs} grid points without replacement" + _ranges_hint(numeric, "a scipy.stats distribution instead of a list")
    return f"{word}{runs} drawing from the same values covers at most {min(n, configs)} of the {configs} grid points" + _ranges_hint(numeric)


def _real_axis(dim: Dim) -> bool:
    """An axis of at least 3 real values (not counts or flags): a range would serve it."""
    nums = dim.numbers
    return nums is not None and len(set(nums)) >= 3 and any(math.isfinite(v) and not float(v).is_integer() for v in nums)


def _ranges_hint(numeric: Sequence[Dim], how: str = "a range instead of a list") -> str:
    if not numeric:
        return ""
    return f"; {_names(numeric)} would get a new value in every trial from {how}"


# a sweep over these sets the experiment's conditions (the data, the
# environment), which a study means to cover whole, not a training setting
CONDITION_NAMESPACES = frozenset({"data", "dataset", "datasets", "env", "environment", "task", "system", "physics"})


def sweep_grid_message(dims: Sequence[Dim], option) -> Tuple[str, int]:
    """What HPL102 says of a W&B ``method: grid`` sweep (YAML or a Python dict), and the
    run cap a random search with a third of the budget takes."""
    configs = grid_size(dims) or 0
    minutes = float(option("trial-minutes"))
    n_trials = nice_count(configs * float(option("random-trials-fraction")))
    names = " × ".join(d.name for d in dims)
    sizes = "×".join(str(d.size) for d in dims)
    message = (
        f"W&B grid over {names} = {sizes} = {configs} configurations ({duration(configs, minutes)} at {minutes:g} min/trial); "
        f"`method: random` with `run_cap: {n_trials}` runs {n_trials} combinations drawn at random instead of all {configs}, "
        "and a distribution in place of a `values` list tries a new value in every run"
    )
    return message, n_trials


def tuned_axis(name: str, vocabulary) -> bool:
    """An axis a sweep's grid is judged on (W&B, Hydra, Ray's config): a hyperparameter name
    (``axes.hyperparameter_name``; seeds, folds, datasets and splits are not), outside the
    condition namespaces unless the vocabulary knows it for sure (``data.batch_size`` is one).
    Every axis still counts in the grid's size."""
    if not hyperparameter_name(name, vocabulary):
        return False
    namespace = name.replace("/", ".").split(".")[0].lower() if "." in name or "/" in name else ""
    return namespace not in CONDITION_NAMESPACES or vocabulary.scale(name) not in (Scale.UNKNOWN, Scale.AMBIGUOUS_LOG)


def config_axis(name: str, vocabulary) -> bool:
    """A key a search library was told to grid over (Ray Tune's ``tune.grid_search``, a W&B
    sweep's ``parameters``): the code itself says it is searched, so a name the vocabulary
    does not know (``"m"``, ``"kl"``) counts too; seeds, folds, datasets, environments and
    other conditions still do not."""
    if tuned_axis(name, vocabulary):
        return True
    if excluded_loop_name(name, vocabulary) or name.startswith("_"):
        return False
    namespace = name.replace("/", ".").split(".")[0].lower()
    return namespace not in CONDITION_NAMESPACES


def too_big(dims: Sequence[Dim], configs: Optional[int], option) -> bool:
    """``grid-min-dimensions`` axes or ``grid-min-configurations`` configurations, and
    never under ``grid-ignore-below`` configurations; where a count is not visible,
    the known counts (an unknown axis has at least 2 values) or the axes decide."""
    if len(dims) < 2:
        return False
    many_axes = len(dims) >= int(option("grid-min-dimensions"))
    least = int(option("grid-min-configurations"))
    if configs is not None:
        return configs >= int(option("grid-ignore-below")) and (many_axes or configs >= least)
    lower = 1
    for d in dims:
        lower *= d.size if d.size is not None else 2
    return many_axes or lower >= least


# -- loop nests -------------------------------------------------------------


@dataclass
class LoopInfo:
    node: cst.For
    dims: List[Dim]  # one per loop variable that is a grid axis (several for ``product``)
    trains: bool = False
    children: List["LoopInfo"] = field(default_factory=list)  # nearest nested dimension loops
    calls: List[cst.Call] = field(default_factory=list)  # calls directly inside (any depth)
    collects: Set[str] = field(default_factory=set)  # lists the loop appends to (``configs.append(...)``)

    @property
    def dim(self) -> Optional[Dim]:
        """The loop's one axis (None for none or several)."""
        return self.dims[0] if len(self.dims) == 1 else None


class Bindings:
    """Names bound by plain assignments, per function scope, in source order."""

    def __init__(self) -> None:
        self.scopes: List[Dict[str, cst.BaseExpression]] = [{}]

    def push(self) -> None:
        self.scopes.append({})

    def pop(self) -> None:
        if len(self.scopes) > 1:
            self.scopes.pop()

    def see_assign(self, node: Union[cst.Assign, cst.AnnAssign, cst.AugAssign]) -> None:
        scope = self.scopes[-1]
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name) and len(node.targets) == 1:
                    scope[target.target.value] = node.value
                elif isinstance(target.target, cst.Name):
                    scope.pop(target.target.value, None)
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name) and node.value is not None:
            scope[node.target.value] = node.value
        elif isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name):
            scope.pop(node.target.value, None)


class _BindingsRule(Rule):
    """Tracks plain assignments while walking (the literals a function holds
    at each point); ``reader`` reads values through the whole file."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.bindings = Bindings()
        self.reader = ValueReader(ctx)

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


def is_product(ctx, expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Call) and ctx.qualify(expr.func) == "itertools.product"


def loop_dims(reader: ValueReader, node: cst.For) -> List[Dim]:
    """The grid axes a ``for`` loop walks: its target's values, or each
    factor of an ``itertools.product`` it unpacks."""
    target = node.target
    if is_product(reader.ctx, node.iter):
        return product_dims(reader, node.iter, target)  # type: ignore[arg-type]
    if isinstance(target, cst.Name):
        found = reader.dim(node.iter, target.value)
        keyword = _passed_as(node, target.value) if found is None else None
        if keyword is not None and hyperparameter_name(keyword, reader.ctx.vocabulary):
            found = reader.dim(node.iter, keyword)  # ``for est in range(10, 51, 10)`` given as ``n_estimators=est``
    elif isinstance(target, cst.Subscript):
        found = reader.dim(node.iter, None)
    else:
        found = None
    return [found] if found is not None else []


def _passed_as(loop: cst.For, name: str) -> Optional[str]:
    """The one keyword the loop's body passes ``name`` as, or None."""
    keywords = {
        n.keyword.value for n in descendants(loop.body) if isinstance(n, cst.Arg) and n.keyword is not None and isinstance(n.value, cst.Name) and n.value.value == name
    }
    return keywords.pop() if len(keywords) == 1 else None


def product_dims(reader: ValueReader, call: cst.Call, target: Optional[cst.BaseExpression] = None) -> List[Dim]:
    """One axis per factor of ``product(a, b, ...)`` (``repeat=n`` repeats them);
    ``product(*grid.values())`` has the dict's axes."""
    positional = [a for a in call.args if a.keyword is None]
    if any(a.keyword is not None and a.keyword.value != "repeat" for a in call.args):
        return []
    if len(positional) == 1 and positional[0].star == "*":
        return star_dims(reader, positional[0].value) or []
    if any(a.star for a in call.args):
        return []
    labels: List[Optional[str]] = []
    if isinstance(target, (cst.Tuple, cst.List)):
        labels = [e.value.value if isinstance(e.value, cst.Name) else None for e in target.elements]
    dims: List[Dim] = []
    for index, a in enumerate(positional):
        dim = reader.dim(a.value, labels[index] if index < len(labels) else None)
        if dim is not None:
            dims.append(dim)
    repeat = arg_value(call, None, "repeat")
    if repeat is not None:
        times = number(repeat, reader.ctx.imports)
        if times is None or not dims:
            return []
        dims = dims * int(times)
    return dims


def star_source(reader: ValueReader, expr: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """What ``*expr`` spreads: ``grid.values()``, a list of lists, or what a
    name holding either holds (``values = list(grid.values())``,
    ``keys, values = zip(*grid.items())``)."""
    inner = reader.strip(expr)
    for _ in range(3):
        if not isinstance(inner, (cst.Name, cst.Attribute)):
            break
        bound = reader.lookup(inner)
        if bound is None:
            return None
        inner = reader.strip(bound)
    return inner


def values_of(expr: Optional[cst.BaseExpression], reader: Optional[ValueReader] = None) -> Optional[cst.BaseExpression]:
    """``grid.values()`` -> ``grid``; so does ``[grid[k] for k in keys]`` with ``keys`` the
    grid's own keys (``grid``, ``grid.keys()``, ``sorted(grid)``, or a name holding one)."""
    if isinstance(expr, cst.Call) and method_name(expr) == "values" and not expr.args:
        return receiver(expr)
    if not isinstance(expr, (cst.ListComp, cst.GeneratorExp)) or expr.for_in.inner_for_in is not None or expr.for_in.ifs:
        return None
    picked, loop = expr.elt, expr.for_in
    if not (isinstance(picked, cst.Subscript) and isinstance(picked.value, cst.Name) and isinstance(loop.target, cst.Name)):
        return None
    key = picked.slice[0].slice.value if len(picked.slice) == 1 and isinstance(picked.slice[0].slice, cst.Index) else None
    if not (isinstance(key, cst.Name) and key.value == loop.target.value):
        return None
    keys = loop.iter
    if reader is not None and isinstance(keys, cst.Name):
        keys = reader.lookup(keys) or keys
    while isinstance(keys, cst.Call) and method_name(keys) in ("sorted", "list", "tuple") and len(keys.args) == 1:
        keys = keys.args[0].value
    if isinstance(keys, cst.Call) and method_name(keys) == "keys" and not keys.args:
        keys = receiver(keys)
    return picked.value if isinstance(keys, cst.Name) and keys.value == picked.value.value else None


def star_dims(reader: ValueReader, expr: cst.BaseExpression) -> Optional[List[Dim]]:
    """``*params.values()`` of a dict of lists, ``*lists``, or a name holding either."""
    inner = star_source(reader, expr)
    if inner is None:
        return None
    grid = values_of(inner, reader)
    if grid is not None:
        grids = reader.dict_dims(grid)
        return grids[0] if grids and len(grids) == 1 else None
    if isinstance(inner, (cst.List, cst.Tuple)):
        out = []
        for element in inner.elements:
            if isinstance(element, cst.StarredElement):
                return None
            dim = reader.dim(element.value, None)
            if dim is not None:
                out.append(dim)
        return out
    return None


class _GridLoopRule(_BindingsRule):
    """Tracks nests of ``for`` loops over hyperparameter values."""

    # a nest that only collects its combinations in a list (``configs.append(...)``) that a
    # later loop of the same function walks and trains on is a grid too (HPL101 reads it)
    reads_collected = False

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.loops: List[LoopInfo] = []
        self._helpers: Dict[int, bool] = {}  # id() of a function of this file -> it trains
        self._collected: List[List[LoopInfo]] = []

    def visit_For(self, node: cst.For) -> None:
        info = LoopInfo(node, loop_dims(self.reader, node))
        if info.dims:
            parent = next((loop for loop in reversed(self.loops) if loop.dims), None)
            if parent is not None:
                parent.children.append(info)
        self.loops.append(info)

    def leave_For(self, original_node: cst.For) -> None:
        info = self.loops.pop()
        if info.dims and not any(loop.dims for loop in self.loops):
            chain = best_chain(info)
            if chain:
                self.check_nest(chain)
            elif self.reads_collected:
                chain = best_chain(info, collected=True)
                if chain:
                    self._collected.append(chain)  # judged once the loops after it are read
        elif not info.dims:
            self.check_loop(info)

    def check_loop(self, info: LoopInfo) -> None:
        """A loop that is not a grid dimension (a random-search loop, say)."""

    def visit_Call(self, node: cst.Call) -> None:
        if not self.loops:
            return
        trains = is_training_call(node) or self._trains_through(node)
        appended = appended_list(node)
        for info in self.loops:
            info.calls.append(node)
            if trains:
                info.trains = True
            if appended is not None:
                info.collects.add(appended)

    def leave_Module(self, original_node: cst.Module) -> None:
        for chain in self._collected:
            if self._trained_later(chain[0].node, chain[-1].collects):
                self.check_nest(chain)

    def _trained_later(self, nest: cst.For, lists: Set[str]) -> bool:
        """A loop after ``nest``, in the same function, over one of ``lists``
        (``for config in configs``, ``enumerate(configs)``) that makes a training call."""
        owner = _enclosing_function(self.ctx, nest)
        end = self.ctx.positions[nest].end.line
        for loop in descendants(owner if owner is not None else self.ctx.module, nested_scopes()):
            if not isinstance(loop, cst.For) or self.ctx.positions[loop].start.line <= end:
                continue
            walked = loop.iter.args[0].value if isinstance(loop.iter, cst.Call) and method_name(loop.iter) in ("enumerate", "tqdm", "list") and loop.iter.args else loop.iter
            if isinstance(walked, cst.Name) and walked.value in lists and self.trains_in(loop.body):
                return True
        return False

    def trains_in(self, node: cst.CSTNode) -> bool:
        """``node`` makes a training call, itself or through a function of this file."""
        return any(isinstance(n, cst.Call) and (is_training_call(n) or self._trains_through(n)) for n in descendants(node))

    def _trains_through(self, call: cst.Call) -> bool:
        """A call of a module-level function of this file (``results.append(gbm_search(lr,
        depth))``) whose own code makes a training call: one call followed."""
        if not isinstance(call.func, cst.Name):
            return False
        scopes = self.reader.flow.functions.get(call.func.value, [])
        if len(scopes) != 1 or scopes[0].klass is not None or scopes[0].parent is not self.reader.flow.scopes.get(self.ctx.module):
            return False  # a module-level function, called by its plain name
        body = scopes[0].node
        found = self._helpers.get(id(body))
        if found is None:
            found = self._helpers[id(body)] = any(
                isinstance(n, cst.Call) and is_training_call(n) for n in descendants(body.body, nested_scopes() + (cst.Lambda,))  # type: ignore[attr-defined]
            )
        return found

    def check_nest(self, chain: List[LoopInfo]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def header_named(reader: ValueReader, outer: cst.For) -> bool:
    """What HPL101's trigger (``LoopNests(named=...)``) reads of a nest: a loop
    in it whose header writes a hyperparameter's name or a subscript, or whose
    iterable is a name bound (in plain assignments) to a subscript.  Axes named
    only through values read elsewhere in the file (a dict's keys, ``self.x``
    set in ``__init__``) do not make a nest a grid on their own."""
    vocabulary = reader.ctx.vocabulary
    for node in (outer, *descendants(outer)):
        if not isinstance(node, cst.For):
            continue
        for part in (node.target, node.iter):
            for sub in (part, *descendants(part)):
                if isinstance(sub, cst.Subscript) or isinstance(sub, cst.Name) and hyperparameter_name(sub.value, vocabulary):
                    return True
        if reader.flow.bound_to_subscript(node.iter):
            return True
    # a loop variable the nest passes as a hyperparameter's keyword (``n_estimators=est``)
    targets = {n.value for loop in (outer, *descendants(outer)) if isinstance(loop, cst.For) for n in (loop.target, *descendants(loop.target)) if isinstance(n, cst.Name)}
    return any(
        isinstance(n, cst.Arg) and n.keyword is not None and isinstance(n.value, cst.Name) and n.value.value in targets
        and hyperparameter_name(n.keyword.value, vocabulary)
        for n in descendants(outer)
    )


def chain_dims(chain: Sequence[LoopInfo]) -> List[Dim]:
    """Every axis of a nest that has at least two values (or an unknown number)."""
    return [d for loop in chain for d in loop.dims if d.counts]


def best_chain(info: LoopInfo, collected: bool = False) -> List[LoopInfo]:
    """The deepest path of nested dimension loops that ends in training (``collected``:
    in a loop that appends to a list)."""
    best: List[LoopInfo] = []
    for child in info.children:
        sub = best_chain(child, collected)
        if sub and _chain_key(sub) > _chain_key(best):
            best = sub
    if best:
        return [info] + best
    return [info] if (info.collects if collected else info.trains) else []


def appended_list(call: cst.Call) -> Optional[str]:
    """``configs.append(...)``: the name of the list a call appends to."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "append" and isinstance(func.value, cst.Name) and len(call.args) == 1:
        return func.value.value
    return None


def _enclosing_function(ctx, node: cst.CSTNode) -> Optional[cst.FunctionDef]:
    return next((a for a in ctx.ancestors(node) if isinstance(a, cst.FunctionDef)), None)


def _chain_key(chain: List[LoopInfo]) -> Tuple[int, int]:
    dims = chain_dims(chain)
    return (len(dims), grid_size(dims) or 0)
