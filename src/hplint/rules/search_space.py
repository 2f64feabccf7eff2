"""HPL2xx: the search space — spacing, ranges and log-scale APIs.

A learning rate, a weight decay or a regularisation strength matters by its
order of magnitude, so a search over it should give every decade the same
share of points.  These rules read the values a search will try (grids,
literal lists, distributions) and the name they are tried for, and report
how much of the budget lands in the top decade.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence, Set, Tuple


from hplint.core import memo
from hplint.prefilter.astindex import callee_name
from hplint.prefilter.triggers import Calls, DictKeys, Imports, Names, Nodes, NumberLists, all_of, any_of, bounds, may_span_decades
from hplint.reading.numbers import UNKNOWN, evaluate
from hplint.reading.ranges import DECADE, EPS, decades, evenly_over_decades, is_narrow, linear_log_scale, loosely_even, real_values, spans_decades
from hplint.reading.calls import (
    in_test_function,
    TrialTracker,
    arg,
    arg_value,
    has_star_args,
    method_name,
    receiver,
    string_value,
    subscript_key,
    target_names,
)
from hplint.core.codegen import add_keyword, set_keyword
from hplint.core.diagnostics import Safety
from hplint.reading.numbers import format_number, literal_elements, number, number_list
from hplint.reading.imports import dotted_name
from hplint.core.rule import Example, Rule
from hplint.core.registry import register
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, Scale, normalize, tokens

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "search-space"

DEPRECATED_SUGGEST = ("suggest_loguniform", "suggest_uniform", "suggest_discrete_uniform")


LINSPACE = frozenset({"numpy.linspace", "torch.linspace", "jax.numpy.linspace"})
ARANGE = frozenset({"numpy.arange", "torch.arange", "jax.numpy.arange"})
GEOMSPACE = frozenset({"numpy.geomspace", "jax.numpy.geomspace"})
LOGSPACE = frozenset({"numpy.logspace", "torch.logspace", "jax.numpy.logspace"})
SEARCH_CALLS = frozenset(
    {
        "GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV",
        "ParameterGrid", "ParameterSampler", "OptunaSearchCV", "BayesSearchCV", "TuneSearchCV",
        "TuneGridSearchCV",
    }
)
GRID_KEYWORDS = frozenset({"param_grid", "param_distributions", "search_spaces", "param_space", "search_space"})
GRID_NAME_TOKENS = frozenset({"grid", "grids", "distributions", "dists", "space", "spaces"})
GRID_NAMES = frozenset({"params", "param", "parameters", "hyperparameters", "hparams", "hyperparams"})
# Calls that pass a list of values through unchanged: ``list(np.linspace(...))``.
TRANSPARENT_CALLS = frozenset({"list", "tuple", "sorted", "set", "array", "asarray", "round", "around", "tensor", "grid_search", "choice", "sample_from"})
TRANSPARENT_METHODS = frozenset({"tolist", "round", "astype", "flatten", "ravel", "rvs"})
LABELLED_CHOICES = frozenset({"suggest_categorical", "choice", "Choice"})
PLOT_ROOTS = frozenset({"matplotlib", "seaborn", "plotly", "bokeh", "altair", "pandas"})
EXPONENT_FUNCS = frozenset({"numpy.power", "math.pow", "numpy.exp", "math.exp", "torch.pow", "torch.exp", "numpy.float_power"})
# Words in a point count that mark a schedule (one value per step), not a search grid.
SCHEDULE_COUNT_TOKENS = frozenset({"step", "steps", "epoch", "epochs", "iter", "iters", "iteration", "iterations", "warmup", "total", "len", "batches", "updates"})
RNG_FACTORIES = frozenset({"default_rng", "RandomState", "Random", "Generator"})
CONVENTIONAL_ALIASES = {"np": "numpy", "jnp": "jax.numpy", "torch": "torch"}
WANDB_KEYS = frozenset({"min", "max", "distribution", "q", "mu", "sigma", "values", "value", "probabilities"})


# ---------------------------------------------------------------------------
# numbers and messages


def sci(value: float) -> str:
    """One significant digit, as a tuning expert writes it: 2e-3, 1e-4, 30."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    value = abs(value)
    exp = math.floor(math.log10(value) + EPS)
    mantissa = round(value / 10 ** exp)
    if mantissa >= 10:
        mantissa, exp = 1, exp + 1
    if 0 <= exp <= 3:
        return f"{sign}{mantissa * 10 ** exp}"
    return f"{sign}{mantissa}e{exp}"


def percent(share: float) -> str:
    """47%, 0.9%, 0.01%: whole percent from 1% up, one significant digit below."""
    value = share * 100
    if 0 < value < 0.001:
        return "under 0.001%"
    if value >= 1 or value == 0:
        return f"{round(value)}%"
    return f"{float(f'{value:.1g}'):g}%"





def decades_text(low: float, high: float) -> str:
    span = decades(low, high)
    rounded = round(span, 1)
    if abs(rounded - round(rounded)) < 1e-9:
        rounded = int(round(rounded))
    return f"{rounded} decade" + ("" if rounded == 1 else "s")








def arange_points(start: float, stop: float, step: float, inclusive: bool = False, cap: int = 1_000_000) -> Optional[List[float]]:
    if step <= 0 or stop <= start:
        return None
    count = math.ceil((stop - start) / step - EPS)
    if inclusive and start + count * step <= stop * (1 + EPS):
        count += 1
    if count <= 0 or count > cap:
        return None
    return [start + i * step for i in range(count)]


def linspace_points(start: float, stop: float, num: int) -> List[float]:
    if num == 1:
        return [start]
    step = (stop - start) / (num - 1)
    return [start + i * step for i in range(num)]


def geometric(low: float, high: float, num: int) -> List[float]:
    return [low * (high / low) ** (i / (num - 1)) for i in range(num)]


def points_waste(points: Sequence[float]) -> str:
    """'5 of 6 points lie in the top decade 1e-3..1e-2; nothing between 1e-4 and 2e-3 is tried'."""
    ordered = sorted(points)
    high = ordered[-1]
    top = [p for p in ordered if p >= high / DECADE * (1 - EPS)]
    text = f"{len(top)} of {len(ordered)} points lie in the top decade {sci(high / DECADE)}..{sci(high)}"
    gap_low, gap_high = ordered[0], ordered[1]
    for a, b in zip(ordered, ordered[1:]):
        if a > 0 and b / a > gap_high / gap_low:
            gap_low, gap_high = a, b
    if gap_high / gap_low >= 3:
        text += f"; nothing between {sci(gap_low)} and {sci(gap_high)} is tried"
    return text


def uniform_waste(low: float, high: float, name: str) -> str:
    """Share of uniform samples in the top decade, and below low*10."""
    width = high - low
    top = (high - high / DECADE) / width
    text = f"{percent(top)} of samples land in the top decade {bound(high / DECADE)}..{bound(high)}"
    if 0 < low and high / low < DECADE ** 2:
        rest = (high / DECADE - low) / width
        text += f" and {percent(rest)} in {bound(low)}..{bound(high / DECADE)} below it"
    elif low > 0:
        bottom = (low * DECADE - low) / width
        text += f" and only {percent(bottom)} in the bottom decade {sci(low)}..{sci(low * DECADE)}"
    else:
        bottom = (high / 100) / width
        text += f" and only {percent(bottom)} below {sci(high / 100)}"
    return text


def bound(value: float) -> str:
    """A bound as written for a range: one significant digit where exact, else two (0.011)."""
    rough = sci(value)
    return rough if math.isclose(float(rough), value, rel_tol=0.01) else format_number(value)


def short_code(ctx, node: cst.CSTNode, limit: int = 70) -> str:
    """The node's code when it is one short line, else ``callee(...)``."""
    code = ctx.code_for(node).strip()
    if "\n" not in code and len(code) <= limit:
        return code
    if isinstance(node, cst.Call):
        return f"{dotted_name(node.func) or 'call'}(...)"
    return code.split("\n", 1)[0][: limit - 3] + "..."


def callee_last(call: cst.Call) -> Optional[str]:
    name = dotted_name(call.func)
    return name.rsplit(".", 1)[-1] if name else None


def num_arg(call: cst.Call, index: Optional[int], keyword: Optional[str], ctx) -> Optional[float]:
    value = arg_value(call, index, keyword)
    return None if value is None else number(value, ctx.imports)


# ---------------------------------------------------------------------------
# what a value is for: the name it is bound to, and whether that is tuning


@dataclass
class Binding:
    """Where a value ends up: a variable, loop target, keyword, dict key or API label."""

    kind: str  # var | loop | keyword | dictkey | api
    names: List[str]
    holder: Optional[cst.CSTNode] = None  # the dict (or dict(...) call) for dictkey, the call for keyword
    estimator: bool = False  # keyword of an estimator/optimizer class


@dataclass
class FileFacts:
    """How names are used across the file, read in the same traversal."""

    uses: Dict[str, List[str]] = field(default_factory=dict)  # var -> parameter names it feeds
    loops: List[Tuple[List[str], str]] = field(default_factory=list)  # (targets, iterated name)
    search_args: Set[str] = field(default_factory=set)  # names passed to GridSearchCV & co
    exponents: Set[str] = field(default_factory=set)  # names used as 10 ** x, exp(x)
    dict_refs: List[Tuple[cst.CSTNode, str, str]] = field(default_factory=list)  # (dict, key, var)
    rngs: Set[str] = field(default_factory=set)  # names bound to a random generator

    def add_use(self, var: str, param: str) -> None:
        self.uses.setdefault(var, []).append(param)


class _SpaceRule(Rule):
    """Base: collects the file facts that decide what a value is tuned for.

    Findings that depend on later code (a grid dict passed to GridSearchCV
    further down, a loop variable used as ``SVC(C=c)``) are decided in
    ``leave_Module``.
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.facts = FileFacts()
        self._pending: List[Tuple[cst.CSTNode, Binding, object]] = []

    def qualify(self, expr: cst.BaseExpression) -> Optional[str]:
        """Qualified name through the imports; ``np``/``jnp``/``torch`` also unimported.

        Notebook exports and snippets often use ``np`` without importing it;
        the convention is strong enough to read ``np.linspace`` as numpy's.
        """
        found = self.ctx.qualify(expr)
        if found is not None:
            return found
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        root, _, rest = dotted.partition(".")
        module = CONVENTIONAL_ALIASES.get(root)
        return f"{module}.{rest}" if module and rest else None

    # -- collecting ----------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        last = callee_last(node)
        facts = self.facts
        if last in SEARCH_CALLS:
            for a in node.args:
                if isinstance(a.value, cst.Name):
                    facts.search_args.add(a.value.value)
        elif last == "validation_curve":
            pname = string_value(arg_value(node, 2, "param_name"))
            prange = arg_value(node, 3, "param_range")
            if pname and isinstance(prange, cst.Name):
                facts.add_use(prange.value, pname)
        if self._is_estimator(node):
            for a in node.args:
                if a.keyword is not None and isinstance(a.value, cst.Name):
                    facts.add_use(a.value.value, a.keyword.value)
        qual = self.qualify(node.func)
        if qual in EXPONENT_FUNCS:
            exponent = arg_value(node, 1 if "pow" in qual else 0)
            facts.exponents.update(_names_in(exponent))

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Power) and number(node.left, self.ctx.imports) is not None:
            self.facts.exponents.update(_names_in(node.right))

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.iter, cst.Name):
            self.facts.loops.append((target_names(node.target), node.iter.value))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if isinstance(node.iter, cst.Name):
            self.facts.loops.append((target_names(node.target), node.iter.value))

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = string_value(node.key)
        if key is not None and isinstance(node.value, cst.Name):
            self.facts.dict_refs.append((node, key, node.value.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and callee_last(node.value) in RNG_FACTORIES:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.facts.rngs.add(target.target.value)
        if isinstance(node.value, cst.Call) and callee_last(node.value) == "dict":
            for a in node.value.args:
                if a.keyword is not None and isinstance(a.value, cst.Name):
                    self.facts.dict_refs.append((a, a.keyword.value, a.value.value))

    def _is_estimator(self, call: cst.Call) -> bool:
        """``SVC(C=c)``, ``Ridge(alpha=a)``, ``Adam(p, eps=e)``, ``.set_params(C=c)``.

        A class (capitalised) outside the plotting libraries; ``plt.plot(alpha=a)``
        and ``Rectangle(alpha=a)`` are drawing, not tuning.
        """
        last = callee_last(call)
        if not last:
            return False
        if last == "set_params":
            return True
        qual = self.qualify(call.func) or ""
        if qual.split(".")[0] in PLOT_ROOTS:
            return False
        return last[:1].isupper() and last not in SEARCH_CALLS and last != "dict"

    # -- deciding --------------------------------------------------------------
    def binding_of(self, node: cst.CSTNode) -> Optional[Binding]:
        """The name ``node``'s value is bound to, through ``list(...)``/``.tolist()``."""
        current = node
        while True:
            parent = self.ctx.parent(current)
            if isinstance(parent, cst.Arg):
                call = self.ctx.parent(parent)
                if not isinstance(call, cst.Call):
                    return None
                last = callee_last(call)
                if parent.keyword is not None:
                    keyword = parent.keyword.value
                    if last == "dict":
                        return Binding("dictkey", [keyword], holder=call)
                    if last in LABELLED_CHOICES or keyword == "values":
                        label = string_value(arg_value(call, 0, "name"))
                        return Binding("api", [label]) if label else None
                    return Binding("keyword", [keyword], holder=call, estimator=self._is_estimator(call))
                if last in LABELLED_CHOICES:
                    label = string_value(arg_value(call, 0, "name"))
                    if label is not None and parent is not call.args[0]:
                        return Binding("api", [label])
                    if label is None and last != "suggest_categorical" and parent is call.args[0]:
                        current = call  # tune.choice([...])
                        continue
                    return None
                if last in TRANSPARENT_CALLS and parent is call.args[0]:
                    current = call
                    continue
                return None
            if isinstance(parent, cst.Attribute) and parent.value is current and parent.attr.value in TRANSPARENT_METHODS:
                call = self.ctx.parent(parent)
                if isinstance(call, cst.Call) and call.func is parent:
                    current = call
                    continue
                return None
            if isinstance(parent, cst.DictElement) and parent.value is current:
                key = string_value(parent.key)
                return Binding("dictkey", [key], holder=self.ctx.parent(parent)) if key else None
            if isinstance(parent, cst.Assign) and parent.value is current:
                keyed = _subscript_binding(parent)
                if keyed is not None:
                    return keyed
                names: List[str] = []
                for target in parent.targets:
                    names.extend(target_names(target.target))
                return Binding("var", names) if names else None
            if isinstance(parent, cst.AnnAssign) and parent.value is current:
                names = target_names(parent.target)
                return Binding("var", names) if names else None
            if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is current:
                names = target_names(parent.target)
                return Binding("loop", names) if names else None
            return None

    def grid_dict(self, holder: Optional[cst.CSTNode]) -> bool:
        """Is this dict a search space: passed to GridSearchCV & co, or named like one?"""
        current = holder
        while current is not None:
            parent = self.ctx.parent(current)
            if isinstance(parent, cst.Element):
                current = self.ctx.parent(parent)  # a list of grids
                continue
            if isinstance(parent, cst.Arg):
                call = self.ctx.parent(parent)
                if not isinstance(call, cst.Call):
                    return False
                keyword = parent.keyword.value if parent.keyword is not None else None
                return callee_last(call) in SEARCH_CALLS or keyword in GRID_KEYWORDS
            if isinstance(parent, (cst.Assign, cst.AnnAssign)):
                targets = parent.targets if isinstance(parent, cst.Assign) else [parent]
                return any(self._grid_name(n) for t in targets for n in target_names(t.target))
            if isinstance(current, cst.Name):  # grid["alpha"] = ...: the dict's own name
                return self._grid_name(current.value)
            return False
        return False

    def _grid_name(self, name: str) -> bool:
        return name in self.facts.search_args or looks_like_grid(name)

    def tuning_uses(self) -> Dict[str, List[str]]:
        """var -> parameter names it feeds in a tuning context (grids, estimators, loops)."""
        uses = {k: list(v) for k, v in self.facts.uses.items()}
        for element, key, var in self.facts.dict_refs:
            holder = self.ctx.parent(element)
            if "__" in key or self.grid_dict(holder):
                uses.setdefault(var, []).append(key)
        for _ in range(2):  # loop variables pass their use on to what they iterate
            for targets, iterated in self.facts.loops:
                for target in targets:
                    if target in uses:
                        uses.setdefault(iterated, []).extend(uses[target])
        return uses

    def tuned_name(self, binding: Binding, uses: Optional[Dict[str, List[str]]] = None, api: bool = False) -> Optional[str]:
        """The log-scale parameter a bound value is tried for, or None.

        Bounded names (dropout, l1_ratio) are never log-scale; ambiguous ones
        (alpha, C, gamma, eps) only in a tuning context: a search API, a
        search-grid dict, a pipeline key, an estimator keyword, or a variable
        later used as one of those.
        """
        vocab = self.ctx.vocabulary
        uses = self.tuning_uses() if uses is None else uses
        for name in binding.names:
            if not name:
                continue
            scale = vocab.scale(name)
            if scale in (Scale.LINEAR, Scale.BATCH):
                return None
            if scale is Scale.LOG:
                return name
            if scale is Scale.AMBIGUOUS_LOG and (api or self._tuning(binding, name, uses)):
                return name
        if binding.kind in ("var", "loop"):
            for var in binding.names:
                for used in uses.get(var, []):
                    if vocab.is_log_scale(used, tuning_context=True) and not vocab.is_linear(var):
                        return used
        return None

    def _tuning(self, binding: Binding, name: str, uses: Dict[str, List[str]]) -> bool:
        if binding.kind == "api":
            return True
        if binding.kind == "keyword":
            return binding.estimator
        if binding.kind == "dictkey":
            return "__" in name or self.grid_dict(binding.holder)
        return name in uses

    def exponent_grid(self, binding: Binding) -> bool:
        """Values later used as ``10 ** x``: a grid of exponents, already log-spaced."""
        return binding.kind in ("var", "loop") and any(n in self.facts.exponents for n in binding.names)


def _subscript_binding(assign: cst.Assign) -> Optional[Binding]:
    """``grid["alpha"] = value`` binds a dict key of ``grid``, like a dict literal."""
    if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Subscript):
        return None
    target = assign.targets[0].target
    key = subscript_key(target)
    if key is None or not isinstance(target.value, cst.Name):
        return None
    return Binding("dictkey", [key], holder=target.value)


def looks_like_grid(name: str) -> bool:
    norm = normalize(name)
    return norm in GRID_NAMES or bool(set(tokens(norm)) & GRID_NAME_TOKENS)


def _names_in(expr: Optional[cst.BaseExpression]) -> Set[str]:
    """``x``, ``-x``, ``x * 2`` -> {"x"}: names an exponent is built from."""
    if expr is None:
        return set()
    if isinstance(expr, cst.Name):
        return {expr.value}
    if isinstance(expr, cst.UnaryOperation):
        return _names_in(expr.expression)
    if isinstance(expr, cst.BinaryOperation):
        return _names_in(expr.left) | _names_in(expr.right)
    if isinstance(expr, cst.Subscript):
        return _names_in(expr.value)
    return set()


# ---------------------------------------------------------------------------
# shared pieces of fixes


def renamed_func(rule: Rule, call: cst.Call, qualified: str):
    """Edits that make ``call`` call ``qualified`` instead, in the file's own spelling.

    ``np.linspace`` -> ``np.geomspace`` (the attribute only); a bare
    ``lin`` imported from numpy -> ``geomspace`` plus its import.
    """
    ctx = rule.ctx
    new_attr = qualified.rsplit(".", 1)[-1]
    if isinstance(call.func, cst.Attribute):
        return [ctx.replace(call.func.attr, new_attr)]
    local, import_edit = ctx.spell(qualified)
    return [ctx.replace(call.func, local), import_edit]


def wrapped_arg(rule: Rule, value: cst.BaseExpression, func: str):
    """Edits wrapping an argument in ``math.log10(...)`` (or another function)."""
    local, import_edit = rule.ctx.spell(func)
    return [rule.ctx.replace(value, f"{local}({rule.ctx.code_for(value).strip()})"), import_edit]


# ---------------------------------------------------------------------------
# HPL201


# -- what the rules' triggers read -------------------------------------------

def _tried_for_log_scale(site):
    """Whether the call's value may be tried for a log-scale (or ambiguous) name:
    its label, a name it is bound to, or a keyword or dict key a variable
    holding it is later passed as.  Mirrors ``binding_of`` and ``tuning_uses``:
    a binding is read through the same transparent wrappers (``list(...)``,
    ``.tolist()``, ``tune.choice(...)``), and a variable's uses are every
    keyword, dict entry and loop its name appears in."""
    label = site.string(0, "label", "name")
    if label is not None and _log_scale_name(label):
        return True
    if site.index is None:
        return UNKNOWN  # bindings are read on the tree
    names, variables = _bindings_of(site.index).get(id(site.node), (set(), set()))
    if any(_log_scale_name(name) for name in names):
        return True
    if not variables:
        return False
    if site.index.calls.get("validation_curve"):
        return True  # param_name is a string the rule pairs with the range variable
    return any(_log_scale_name(key) for key in _keys_fed_by(site.index, variables))


def _bindings_of(index):
    """id(node) -> (names it is bound to, of which variables), for every node a binding carries."""
    return memo.once("space-bindings", index, _collect_bindings)


def _collect_bindings(index):
    found: Dict[int, Tuple[Set[str], Set[str]]] = {}
    for value, bound, is_variable in _binding_sites(index):
        for core in _carried(value):
            names, variables = found.setdefault(id(core), (set(), set()))
            names.update(bound)
            if is_variable:
                variables.update(bound)
    return found


def _carried(value) -> Iterator[ast.AST]:
    """``value`` and what it wraps transparently: the expressions whose own
    binding is this one (``list(x)``, ``x.tolist()``, ``tune.choice(x)``)."""
    stack = [value]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.Starred):  # list(*x): libcst's argument holds the star
            stack.append(node.value)
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in TRANSPARENT_METHODS:
            stack.append(func.value)
        last = callee_name(node)
        if (last in TRANSPARENT_CALLS or last in LABELLED_CHOICES) and node.args:
            stack.append(node.args[0])


def _binding_sites(index) -> Iterator[Tuple[ast.AST, List[str], bool]]:
    """(value, names it is bound to, whether the names are variables) for
    each place ``binding_of`` can end at."""
    for call in index.of(ast.Call):
        label = None
        if call.args and not isinstance(call.args[0], ast.Starred):
            label = call.args[0]
        for keyword in call.keywords:
            if keyword.arg == "name":
                label = keyword.value
        labels = [label.value] if isinstance(label, ast.Constant) and isinstance(label.value, str) else []
        for keyword in call.keywords:
            if keyword.arg is not None:
                yield keyword.value, [keyword.arg, *labels], False
        if labels and callee_name(call) in LABELLED_CHOICES:
            for positional in call.args[1:]:
                yield positional, labels, False
    for node in index.of(ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield value, [key.value], False
    # a subscript target binds a dict key, or (several targets, a dict that is
    # not a plain name) a variable named like the key: both are kept as variables
    for node in index.of(ast.Assign):
        for target in node.targets:
            yield node.value, _target_names(target), True
    for node in index.of(ast.AnnAssign):
        if node.value is not None:
            yield node.value, _target_names(node.target), True
    for node in index.of(ast.For, ast.AsyncFor, ast.comprehension):
        yield node.iter, _target_names(node.target), True


def _target_names(target) -> List[str]:
    """``target_names`` of an ``ast`` target: names, attribute names, subscript keys."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Attribute):
        return [target.attr]
    if isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Tuple) and len(key.elts) == 1:
            key = key.elts[0]  # grid["lr",]: libcst reads one subscript element
        return [key.value] if isinstance(key, ast.Constant) and isinstance(key.value, str) else []
    return []


def _keys_fed_by(index, variables: Set[str]) -> Set[str]:
    """Keywords and dict keys any of ``variables`` (or a loop variable over
    one of them) is passed as, anywhere in the file."""
    reach = set(variables)
    loops = [(n.iter.id, _target_names(n.target)) for n in index.of(ast.For, ast.AsyncFor, ast.comprehension) if isinstance(n.iter, ast.Name)]
    grew = True
    while grew:
        grew = False
        for iterated, targets in loops:
            if iterated in reach and not reach.issuperset(targets):
                reach.update(targets)
                grew = True
    keys: Set[str] = set()
    for call in index.of(ast.Call):
        for keyword in call.keywords:
            if keyword.arg is not None and isinstance(keyword.value, ast.Name) and keyword.value.id in reach:
                keys.add(keyword.arg)
    for node in index.of(ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(value, ast.Name) and value.id in reach and isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
    return keys


RANGE_CALLS = (
    "suggest_float", "suggest_uniform", "suggest_loguniform", "uniform", "loguniform", "quniform",
    "qloguniform", "reciprocal", "Float", "linspace", "geomspace", "logspace",
)


def _wandb_spec(node: ast.AST, index) -> bool:
    """``visit_Dict``'s W&B parameter: only W&B keys, constant min/max over a decade apart."""
    items = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)}  # type: ignore[attr-defined]
    if "min" not in items or "max" not in items or not set(items) <= WANDB_KEYS:
        return False
    qualify = index.imports.qualifier()
    low, high = evaluate(items["min"], qualify), evaluate(items["max"], qualify)
    if low is UNKNOWN or high is UNKNOWN:
        return True
    return low is not None and high is not None and spans_decades(low, high)  # type: ignore[arg-type]



def _log_scale_name(name: str) -> bool:
    """A name the built-in vocabulary calls log-scale, ambiguous ones (alpha, C) included."""
    return DEFAULT_VOCABULARY.scale(name) in (Scale.LOG, Scale.AMBIGUOUS_LOG)


def _strictly_log_scale_name(name: str) -> bool:
    return DEFAULT_VOCABULARY.scale(name) is Scale.LOG


LOG_SCALE_NAMES = Names(_log_scale_name, "log-scale")


def _not_log(site) -> bool:
    return not site.is_true("log")


def _label_log_scale(site):
    label = site.string(0, "name")
    return label is not None and _log_scale_name(label)


def _even_over_decade(values: Sequence[Optional[float]]) -> bool:
    """Some window of >= 3 consecutive values could pass ``loosely_even`` and ``spans_decades``.

    Such a window's steps after the first are within 2% of each other, so
    they lie in one stretch of neighbouring steps within 5%; the window is
    that stretch plus at most one value before it.
    """
    count = len(values)
    index = 0
    while index < count - 2:
        end = index
        while end + 2 < count and _steps_match(values[end], values[end + 1], values[end + 2]):
            end += 1
        if end > index:  # values[index .. end + 1] are evenly spaced
            window = [v for v in values[max(0, index - 1) : end + 2] if v is not None and v > 0]
            if len(window) >= 2 and may_span_decades(min(window), max(window)):
                return True
            index = end
        else:
            index += 1
    return False


def _steps_match(a: Optional[float], b: Optional[float], c: Optional[float]) -> bool:
    if a is None or b is None or c is None:
        return False
    first, second = b - a, c - b
    if first == 0 or second == 0 or (first > 0) != (second > 0):
        return False
    return abs(second - first) <= 0.05 * max(abs(first), abs(second))


def _value_before_may_matter(after: Sequence[Optional[float]]) -> bool:
    """Could a passing window start at the value before the run's first comma?

    That value ``v0`` steps to ``v1`` by 0.45..1.1 times ``v1``'s step to
    ``v2`` (strict or first-step allowance of ``loosely_even``); the bounds
    below say whether any such ``v0`` could make a window span a decade.
    """
    if len(after) < 2 or after[0] is None or after[1] is None:
        return False
    v1, v2 = after[0], after[1]
    step = v2 - v1
    if step == 0:
        return False
    end = 1
    while end + 1 < len(after) and _steps_match(after[end - 1], after[end], after[end + 1]):
        end += 1
    stretch = after[: end + 1]
    if step > 0:
        if v1 - 0.45 * step <= 0:
            return False  # v0 <= 0: no window holding it spans decades
        least = v1 - 1.1 * step
        return least <= 0 or stretch[-1] / least > DECADE * (1 - 1e-6)  # type: ignore[operator]
    most = v1 - 1.1 * step
    positives = [v for v in stretch if v is not None and v > 0]
    return bool(positives) and most / min(positives) > DECADE * (1 - 1e-6)


def _evenly_spaced_run(run) -> bool:
    """A run of numbers in the text that may hold an evenly spaced list over a decade."""
    values = run.values
    if any(v is UNKNOWN for v in values) or _even_over_decade(values):
        return True
    if _value_before_may_matter(values):
        before = run.before()
        return before is UNKNOWN or _even_over_decade([before] + values)
    return False


@dataclass
class Grid:
    """A grid of values found in the code: its points, and how to spell a better one."""

    points: List[float]
    suggestion: str
    edits: Optional[list] = None


@register
class LinearSpacingLogScale(_SpaceRule):
    code = "HPL201"
    name = "linear-spacing-log-scale"
    family = FAMILY
    summary = "Linearly spaced values for a log-scale hyperparameter (learning rate, weight decay, regularisation)"
    why = (
        "A learning rate, weight decay or regularisation strength acts by its order of magnitude: "
        "3e-4 and 3e-3 differ as much as 3e-3 and 3e-2. Linear spacing puts almost every point in "
        "the top decade: np.linspace(1e-4, 1e-2, 6) tries 1e-4, 2.1e-3, 4.1e-3, 6.0e-3, 8.0e-3 and "
        "1e-2, so 5 of 6 points are above 2e-3 and an optimum at 3e-4 is never approached. "
        "np.geomspace(1e-4, 1e-2, 6) tries 1e-4, 2.5e-4, 6.3e-4, 1.6e-3, 4e-3, 1e-2: every decade "
        "gets the same share of the same budget."
    )
    fix_description = (
        "`np.linspace(a, b, n)` -> `np.geomspace(a, b, n)` (same module alias, bounds and count); "
        "`torch.linspace(a, b, n)` -> `torch.logspace(math.log10(a), math.log10(b), n)`; a literal "
        "evenly spaced list -> a geometric list with the same endpoints and count, rounded to 2 "
        "significant digits. `np.arange` grids are reported without a fix (their count is implicit)."
    )
    fix_safety = Safety.SAFE

    demonstration = "spacing"
    # a report is a spacing call with constant bounds over a decade apart, or
    # a literal list evenly spaced over more than a decade, outside tests,
    # tried for a parameter with a log-scale name
    trigger = (
        Calls(
            "linspace", "arange", "np_list_arange",
            where=any_of(
                bounds((0, ("start",)), (1, ("stop",)), may_span_decades),
                bounds((0, ("start",)), (1, ("end",)), may_span_decades),
            ),
            outside_tests=True,
        )
        | NumberLists(evenly_over_decades, _evenly_spaced_run, outside_tests=True)
    ) & LOG_SCALE_NAMES
    bad_examples = (
        Example(
            """
            import numpy as np
            for lr in np.linspace(0.0001, 0.01, 6):
                train(lr=lr)
            """,
            fixed="""
            import numpy as np
            for lr in np.geomspace(0.0001, 0.01, 6):
                train(lr=lr)
            """,
        ),
        Example(
            """
            weight_decays = [0.0001, 0.002, 0.004, 0.006, 0.008, 0.01]
            """,
            fixed="""
            weight_decays = [0.0001, 0.00025, 0.00063, 0.0016, 0.004, 0.01]
            """,
        ),
        Example(
            """
            import numpy as np
            from sklearn.svm import SVC
            from sklearn.model_selection import GridSearchCV
            C_range = np.linspace(0.01, 30, 50)
            search = GridSearchCV(SVC(), {"C": C_range})
            """,
            fixed="""
            import numpy as np
            from sklearn.svm import SVC
            from sklearn.model_selection import GridSearchCV
            C_range = np.geomspace(0.01, 30, 50)
            search = GridSearchCV(SVC(), {"C": C_range})
            """,
            note="`C` is a regularisation strength here because the grid goes to GridSearchCV.",
        ),
    )
    good_examples = (
        Example(
            """
            import numpy as np
            for lr in np.geomspace(1e-4, 1e-2, 6):
                train(lr=lr)
            """
        ),
        Example(
            """
            import numpy as np
            import matplotlib.pyplot as plt
            for alpha in np.linspace(0.1, 1.0, 10):
                plt.plot(x, y, alpha=alpha)  # transparency, not a penalty
            dropouts = np.linspace(0.0, 0.5, 6)  # bounded: linear is right
            lr_schedule = np.linspace(1e-2, 1e-4, num_steps)  # a schedule, one value per step
            """,
            note="Transparency, bounded parameters and schedules are not search grids.",
        ),
        Example(
            """
            import numpy as np
            exponents = np.linspace(-8, 2, 100)
            for x in exponents:
                fit(lam=10 ** x)  # exponents are already log-spaced
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        grid = self._call_grid(node)
        if grid is not None:
            self._remember(node, grid)

    def visit_List(self, node: cst.List) -> None:
        self._literal(node)

    def visit_Tuple(self, node: cst.Tuple) -> None:
        self._literal(node)

    def _remember(self, node: cst.CSTNode, grid: Grid) -> None:
        if in_test_function(self.ctx, node):
            return
        binding = self.binding_of(node)
        if binding is not None:
            self._pending.append((node, binding, grid))

    def _literal(self, node: cst.CSTNode) -> None:
        values = number_list(node, self.ctx.imports)
        if not values or not loosely_even(values) or not spans_decades(min(values), max(values)):
            return
        first, last = values[0], values[-1]
        new = [format_number(v) for v in geometric(first, last, len(values))]
        if len(set(new)) < len(new):
            grid = Grid(values, f"np.geomspace({format_number(first, 3)}, {format_number(last, 3)}, {len(values)})")
        else:
            shown = "[" + ", ".join(new) + "]" if len(values) <= 8 else f"np.geomspace({format_number(first, 3)}, {format_number(last, 3)}, {len(values)}) rounded to 2 digits"
            elements = literal_elements(node) or []
            edits = [self.ctx.replace(e, text) for e, text in zip(elements[1:-1], new[1:-1])]
            grid = Grid(values, f"a geometric list such as {shown}", edits)
        self._remember(node, grid)

    def _call_grid(self, call: cst.Call) -> Optional[Grid]:
        qual = self.qualify(call.func)
        if qual in LINSPACE:
            return self._linspace(call, qual)
        if qual in ARANGE or callee_last(call) == "np_list_arange":
            return self._arange(call, qual or "numpy.arange")
        return None

    def _linspace(self, call: cst.Call, qual: str) -> Optional[Grid]:
        torch = qual.startswith("torch.")
        start = num_arg(call, 0, "start", self.ctx)
        stop = num_arg(call, 1, "end" if torch else "stop", self.ctx)
        count_node = arg_value(call, 2, "steps" if torch else "num")
        if count_node is None:
            count: Optional[float] = None if torch else 50.0  # numpy's default num
        else:
            count = number(count_node, self.ctx.imports)
        if start is None or stop is None or count is None or count != int(count) or count < 3:
            return None
        endpoint = arg_value(call, None, "endpoint")
        if endpoint is not None and not (isinstance(endpoint, cst.Name) and endpoint.value == "True"):
            if not (isinstance(endpoint, cst.Name) and endpoint.value == "False"):
                return None
            points = [start + i * (stop - start) / count for i in range(int(count))]
        else:
            points = linspace_points(start, stop, int(count))
        if not spans_decades(min(points), max(points)):
            return None
        a, b = (self.ctx.code_for(arg_value(call, i, k)).strip() for i, k in ((0, "start"), (1, "end" if torch else "stop")))
        n = self.ctx.code_for(count_node).strip() if count_node is not None else "50"
        if torch:
            log10, _ = self.ctx.spell("math.log10")
            suggestion = f"{self._module_text(call, 'torch')}.logspace({log10}({a}), {log10}({b}), {n})"
        else:
            suggestion = f"{self._module_text(call, 'numpy')}.geomspace({a}, {b}, {n})" if isinstance(call.func, cst.Attribute) else f"geomspace({a}, {b}, {n})"
        return Grid(points, suggestion, self._linspace_fix(call, qual, torch))

    def _module_text(self, call: cst.Call, default: str) -> str:
        if isinstance(call.func, cst.Attribute):
            return self.ctx.code_for(call.func.value).strip()
        return self.ctx.imports.local_name(default) or default

    def _linspace_fix(self, call: cst.Call, qual: str, torch: bool) -> Optional[list]:
        if has_star_args(call) or arg(call, None, "retstep") is not None:
            return None
        if not torch:
            return renamed_func(self, call, qual.rsplit(".", 1)[0] + ".geomspace")
        edits = renamed_func(self, call, "torch.logspace")
        for index, keyword in ((0, "start"), (1, "end")):
            edits += wrapped_arg(self, arg_value(call, index, keyword), "math.log10")
        return edits

    def _arange(self, call: cst.Call, qual: str) -> Optional[Grid]:
        if has_star_args(call) or len(call.args) < 2:
            return None
        start = num_arg(call, 0, "start", self.ctx)
        stop = num_arg(call, 1, "stop" if "torch" not in qual else "end", self.ctx)
        step = num_arg(call, 2, "step", self.ctx) if arg(call, 2, "step") is not None else 1.0
        inclusive = arg_value(call, None, "inclusive")
        closed = isinstance(inclusive, cst.Name) and inclusive.value == "True"
        if start is None or stop is None or step is None:
            return None
        points = arange_points(start, stop, step, closed)
        if not points or len(points) < 3 or not spans_decades(points[0], points[-1]):
            return None
        module = "torch" if qual.startswith("torch.") else "np"
        if module == "torch":
            suggestion = f"torch.logspace(math.log10({format_number(points[0], 3)}), math.log10({format_number(points[-1], 3)}), {len(points)})"
        else:
            suggestion = f"np.geomspace({format_number(points[0], 3)}, {format_number(points[-1], 3)}, {len(points)})"
        return Grid(points, suggestion)

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._pending:
            return  # parents cost a pass over the tree: only files with candidates pay it
        uses = self.tuning_uses()
        for node, binding, grid in self._pending:
            name = self.tuned_name(binding, uses)
            if name is None or self.exponent_grid(binding) or self._schedule(node, binding, grid, name):
                continue
            fix = self.ctx.fix(Safety.SAFE, grid.edits, "use log spacing") if grid.edits else None
            self.report(node, f"{short_code(self.ctx, node)} for `{name}`: {points_waste(grid.points)}; use {grid.suggestion}", fix)

    def _schedule(self, node: cst.CSTNode, binding: Binding, grid: Grid, name: str) -> bool:
        """A learning-rate schedule (one value per step/epoch) is not a search grid."""
        if binding.kind == "api" or (binding.kind == "dictkey" and self.grid_dict(binding.holder)):
            return False
        if isinstance(node, cst.Call):
            count = arg_value(node, 2, "num") or arg_value(node, 2, "steps")
            if count is not None and number(count, self.ctx.imports) is None:
                words = set(tokens(normalize(self.ctx.code_for(count))))
                if words & SCHEDULE_COUNT_TOKENS:
                    return True
        if not self.ctx.vocabulary.is_learning_rate(name):
            return False
        decreasing = grid.points[0] > grid.points[-1]
        return len(grid.points) > 100 or (decreasing and len(grid.points) > 20)


# ---------------------------------------------------------------------------
# Optuna trials


class _TrialRule(_SpaceRule):
    """Base for rules about ``trial.suggest_*`` calls: knows what a trial is."""

    methods: tuple = ()

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.trials = TrialTracker(ctx.imports)
        self._deferred: List[tuple] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.trials.enter(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.trials.leave()

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        self.trials.see_call(node)
        recv = receiver(node)
        if recv is None or method_name(node) not in self.methods:
            return
        if isinstance(recv, cst.Name) and recv.value in self.trials.known_trial_names():
            self.check_suggest(node)
        elif isinstance(recv, cst.Name) and self.trials.current is not None and recv.value == self.trials.current.first_param:
            # a trial only if this function turns out to be passed to optimize()
            self._deferred.append((node, self.trials.current.node))

    def leave_Module(self, original_node: cst.Module) -> None:
        for call, func in self._deferred:
            if self.trials.is_objective(func):
                self.check_suggest(call)

    def check_suggest(self, call: cst.Call) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


STAR_DISTRIBUTION_MODULES = ("optuna.distributions", "pycaret.internal.distributions")


def star_imported(ctx, func: cst.BaseExpression) -> Optional[str]:
    """``UniformDistribution`` after ``from pycaret.internal.distributions import *``."""
    if not isinstance(func, cst.Name) or not func.value.endswith("Distribution"):
        return None
    for module in STAR_DISTRIBUTION_MODULES:
        if f"from {module} import *" in ctx.source:
            return f"{module}.{func.value}"
    return None


def suggest_bounds(call: cst.Call, ctx) -> tuple:
    """(name, low, high) of a ``suggest_*(name, low, high)`` call; parts may be None."""
    name = string_value(arg_value(call, 0, "name"))
    low = arg_value(call, 1, "low")
    high = arg_value(call, 2, "high")
    return (
        name,
        None if low is None else number(low, ctx.imports),
        None if high is None else number(high, ctx.imports),
    )


def is_true(expr: Optional[cst.BaseExpression]) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True"





def linear_suggest_finding(call: cst.Call, ctx) -> Optional[str]:
    """HPL202's decision for a ``suggest_float``/``suggest_uniform`` call: the name, or None."""
    if method_name(call) not in ("suggest_float", "suggest_uniform") or has_star_args(call):
        return None
    if is_true(arg_value(call, None, "log")):
        return None
    name, low, high = suggest_bounds(call, ctx)
    if not ctx.vocabulary.is_log_scale(name, tuning_context=True):
        return None
    return name if linear_log_scale(low, high) else None


@register
class LinearSuggestLogScale(_TrialRule):
    code = "HPL202"
    name = "optuna-linear-log-scale"
    family = FAMILY
    summary = "Optuna suggest_float/suggest_uniform without log=True for a log-scale hyperparameter"
    why = (
        "`trial.suggest_float(\"lr\", 1e-5, 1e-1)` samples uniformly on a linear scale: 90% of "
        "trials land in the top decade 1e-2..1e-1 and only 0.09% in 1e-5..1e-4, so over four "
        "decades the three lower ones share 10% of the budget. With `log=True` each decade gets 25%. "
        "The same holds for `FloatDistribution(1e-8, 3e-5)` in an OptunaSearchCV space."
    )
    fix_description = (
        "Adds `log=True`; `suggest_uniform(n, a, b)` becomes `suggest_float(n, a, b, log=True)`; "
        "`FloatDistribution(a, b)` gets `log=True`. No fix when `step=` is given (Optuna forbids "
        "step with log) or the lower bound is <= 0 (log needs a positive lower bound)."
    )
    fix_safety = Safety.SAFE
    methods = ("suggest_float", "suggest_uniform")

    demonstration = "spacing"
    # a report is a suggest_float/suggest_uniform call with a log-scale label
    # and bounds a linear scale wastes, or an optuna/pycaret Float- or
    # UniformDistribution over more than a decade for a log-scale name
    trigger = Calls(
        "suggest_float", "suggest_uniform", method=True,
        where=all_of(
            lambda site: not site.has_star_args, _not_log, _label_log_scale,
            bounds((1, ("low",)), (2, ("high",)), linear_log_scale),
        ),
    ) | (
        Calls(
            suffixes=("FloatDistribution", "UniformDistribution"),
            where=all_of(
                _not_log,
                any_of(
                    bounds((0, ("low",)), (1, ("high",)), may_span_decades),
                    bounds((0, ("lower",)), (1, ("upper",)), may_span_decades),
                ),
            ),
        )
        & Imports("optuna", "pycaret")
        & LOG_SCALE_NAMES
    )
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1)
                return train(lr)
            """,
            fixed="""
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return train(lr)
            """,
        ),
        Example(
            """
            def objective(trial):
                wd = trial.suggest_uniform("weight_decay", 1e-6, 1e-2)
                return train(wd)
            """,
            fixed="""
            def objective(trial):
                wd = trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True)
                return train(wd)
            """,
        ),
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("learning_rate", 1e-4, 5e-3, step=5e-5)
                return train(lr)
            """,
            note="Reported without a fix: Optuna does not accept step= together with log=True.",
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                lr_fine = trial.suggest_float("lr", 1e-5, 1e-4, step=1e-6)  # one decade
                return train(lr, dropout, lr_fine)
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        qual = self.qualify(node.func) or star_imported(self.ctx, node.func) or ""
        if qual.split(".")[0] in ("optuna", "pycaret") and qual.endswith(("FloatDistribution", ".UniformDistribution")):
            self._distribution(node, qual)

    def check_suggest(self, call: cst.Call) -> None:
        name = linear_suggest_finding(call, self.ctx)
        if name is None:
            return
        _, low, high = suggest_bounds(call, self.ctx)
        method = method_name(call)
        stepped = arg(call, 3 if method == "suggest_float" else None, "step") is not None
        head = f"{short_code(self.ctx, call)} samples `{name}` uniformly"
        fix = None
        if stepped:
            advice = "Optuna does not allow step= with log=True: drop step= and add log=True"
        elif low is not None and low <= 0:
            advice = "log=True needs a positive lower bound: start at a small value (e.g. 1e-6 or 1e-8) and add log=True"
        else:
            advice = "add log=True so every decade gets the same share of trials"
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, self._with_log(call))], "add log=True")
        if method == "suggest_uniform" and not stepped:
            advice += " (suggest_uniform is deprecated: use suggest_float(..., log=True))"
        span = f" over {decades_text(low, high)}" if low and low > 0 else " from 0"
        self.report(call, f"{head}{span}: {uniform_waste(low, high, name)}; {advice}", fix)

    @staticmethod
    def _with_log(call: cst.Call) -> cst.Call:
        if method_name(call) == "suggest_uniform" and isinstance(call.func, cst.Attribute):
            call = call.with_changes(func=call.func.with_changes(attr=cst.Name("suggest_float")))
        return set_keyword(call, "log", "True")

    def _distribution(self, call: cst.Call, qual: str) -> None:
        """``{"l2_leaf_reg": FloatDistribution(1e-8, 3e-5)}`` in an OptunaSearchCV space."""
        if has_star_args(call) or is_true(arg_value(call, None, "log")):
            return
        pycaret = qual.startswith("pycaret")
        low = num_arg(call, 0, "lower" if pycaret else "low", self.ctx)
        high = num_arg(call, 1, "upper" if pycaret else "high", self.ctx)
        if low is None or high is None or not spans_decades(low, high):
            return
        binding = self.binding_of(call)
        name = None if binding is None else self.tuned_name(binding, {}, api=True)
        if name is None:
            return
        fix = None
        extra_positional = arg(call, 2, None) is not None
        if arg(call, None, "step") is None and not extra_positional:
            new_call, edits = call, []
            if qual.startswith("optuna") and qual.endswith(".UniformDistribution"):
                # optuna's UniformDistribution has no log=: FloatDistribution does
                if isinstance(call.func, cst.Attribute):
                    new_call = call.with_changes(func=call.func.with_changes(attr=cst.Name("FloatDistribution")))
                else:
                    local, import_edit = self.ctx.spell("optuna.distributions.FloatDistribution")
                    new_call, edits = call.with_changes(func=cst.parse_expression(local)), [import_edit]
            edits.append(self.ctx.replace(call, set_keyword(new_call, "log", "True")))
            fix = self.ctx.fix(Safety.SAFE, edits, "add log=True")
        self.report(
            call,
            f"{short_code(self.ctx, call)} for `{name}` samples uniformly over {decades_text(low, high)}: "
            f"{uniform_waste(low, high, name)}; add log=True",
            fix,
        )


@register
class DeprecatedSuggestApi(_TrialRule):
    code = "HPL206"
    name = "deprecated-optuna-suggest"
    family = FAMILY
    summary = "Deprecated Optuna suggest API (suggest_loguniform/uniform/discrete_uniform)"
    why = (
        "`suggest_loguniform`, `suggest_uniform` and `suggest_discrete_uniform` are "
        "deprecated since Optuna 3.0 and are scheduled for removal in Optuna 6.0. "
        "`suggest_float` covers all three: `log=True` for the log-uniform one and "
        "`step=q` for the discrete one. A call to a removed API fails at the first "
        "trial, after the study's setup has already run."
    )
    fix_description = (
        "Rewrites the call to the equivalent `suggest_float(...)` form, keeping the name "
        "and bounds: `suggest_loguniform(n, a, b)` -> `suggest_float(n, a, b, log=True)`, "
        "`suggest_discrete_uniform(n, a, b, q)` -> `suggest_float(n, a, b, step=q)`. "
        "The sampled distribution is unchanged."
    )
    fix_safety = Safety.SAFE
    methods = DEPRECATED_SUGGEST

    # every report is a call to one of the deprecated methods
    trigger = Calls(*DEPRECATED_SUGGEST)
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_loguniform("lr", 1e-5, 1e-1)
                drop = trial.suggest_discrete_uniform("dropout", 0.0, 0.5, 0.1)
                return train(lr, drop)
            """,
            fixed="""
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                drop = trial.suggest_float("dropout", 0.0, 0.5, step=0.1)
                return train(lr, drop)
            """,
        ),
        Example(
            """
            def objective(trial):
                momentum = trial.suggest_uniform("momentum", 0.8, 0.99)
                return train(momentum)
            """,
            fixed="""
            def objective(trial):
                momentum = trial.suggest_float("momentum", 0.8, 0.99)
                return train(momentum)
            """,
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return train(lr)
            """
        ),
        Example(
            """
            import scipy.stats
            x = scipy.stats.uniform(0, 1)  # not an Optuna trial
            value = rng.suggest_uniform("a", 0, 1)  # rng is not a trial
            """,
            note="Only calls on an Optuna trial are checked.",
        ),
    )

    def check_suggest(self, call: cst.Call) -> None:
        method = method_name(call)
        if method == "suggest_uniform" and self._log_rule_wins(call):
            return  # HPL202 reports this call and rewrites it with log=True
        replacement = self._replacement(call, method)
        fix = None
        if replacement is not None:
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, replacement)], "use suggest_float")
        self.report(
            call,
            f"`{method}` is deprecated since Optuna 3.0 and removed in 6.0; "
            f"use the equivalent `{self._target_form(method)}`",
            fix,
        )

    def _log_rule_wins(self, call: cst.Call) -> bool:
        """One finding per call: HPL202 reports the suggest_uniform calls it would fix."""
        if "HPL202" not in self.ctx.config.enabled_codes(self.ctx.path):
            return False
        return linear_suggest_finding(call, self.ctx) is not None

    @staticmethod
    def _target_form(method: Optional[str]) -> str:
        return {
            "suggest_loguniform": "suggest_float(name, low, high, log=True)",
            "suggest_uniform": "suggest_float(name, low, high)",
            "suggest_discrete_uniform": "suggest_float(name, low, high, step=q)",
        }[method or "suggest_uniform"]

    def _replacement(self, call: cst.Call, method: Optional[str]) -> Optional[cst.Call]:
        if has_star_args(call) or not isinstance(call.func, cst.Attribute):
            return None
        new_func = call.func.with_changes(attr=cst.Name("suggest_float"))
        args = list(call.args)
        if method == "suggest_loguniform":
            if arg(call, None, "log") is not None:
                return None
            return add_keyword(call.with_changes(func=new_func), "log", "True")
        elif method == "suggest_discrete_uniform":
            q = arg(call, 3, "q")
            if q is None:
                return None
            index = args.index(q)
            args[index] = q.with_changes(keyword=cst.Name("step"), equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
        return call.with_changes(func=new_func, args=args)


# ---------------------------------------------------------------------------
# HPL203


TUNE_LINEAR = {"ray.tune.uniform": "ray.tune.loguniform", "ray.tune.quniform": "ray.tune.qloguniform"}
HYPEROPT_LINEAR = {"hyperopt.hp.uniform": "hyperopt.hp.loguniform", "hyperopt.hp.quniform": "hyperopt.hp.qloguniform"}
SCIPY_UNIFORM = frozenset({"scipy.stats.uniform", "scipy.stats.distributions.uniform"})
RANDOM_UNIFORM = frozenset({"random.uniform", "numpy.random.uniform"})
WANDB_LOG = {"uniform": "log_uniform_values", "q_uniform": "q_log_uniform_values"}


def plain_number(value: float) -> str:
    """A computed bound written the way a person would: 0.1, not 0.09999999999999999."""
    return repr(float(f"{value:.12g}"))


def quote_of(expr: Optional[cst.BaseExpression]) -> str:
    if isinstance(expr, cst.SimpleString) and expr.value[-1:] == "'":
        return "'"
    return '"'


def append_dict_element(node: cst.Dict, element: cst.DictElement) -> cst.Dict:
    """``{a: 1}`` -> ``{a: 1, new}``; a dict with one item per line gets a new line."""
    elements = list(node.elements)
    last = elements[-1]
    if not isinstance(last.comma, cst.Comma):
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return node.with_changes(elements=elements + [element])
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(elements) >= 2 and isinstance(elements[-2].comma, cst.Comma):
        separator = elements[-2].comma
    elements[-1] = last.with_changes(comma=separator)
    return node.with_changes(elements=elements + [element.with_changes(comma=last.comma)])


@register
class LinearDistributionLogScale(_SpaceRule):
    code = "HPL203"
    name = "linear-distribution-log-scale"
    family = FAMILY
    summary = "Linear distribution of a log-scale hyperparameter (Ray Tune, Hyperopt, scipy, Keras Tuner, W&B, random)"
    why = (
        "Sampling a learning rate uniformly between 1e-5 and 3e-1 gives the top decade "
        "3e-2..3e-1 90% of the samples and the three decades below it 10% together: "
        "a 100-trial search tries about one value under 3e-3. Every tuning library has a "
        "log-uniform form that gives each decade the same share: tune.loguniform, "
        "hp.loguniform (natural-log bounds), scipy.stats.loguniform, Keras Tuner "
        "sampling=\"log\", W&B \"log_uniform_values\", or sampling the exponent."
    )
    fix_description = (
        "`tune.uniform` -> `tune.loguniform`, `tune.quniform` -> `tune.qloguniform`; "
        "`hp.uniform(l, a, b)` -> `hp.loguniform(l, math.log(a), math.log(b))`; scipy "
        "`uniform(loc, scale)` -> `loguniform(loc, loc + scale)` (same interval); Keras Tuner "
        "`hp.Float(...)` gets `sampling=\"log\"`; a W&B spec gets `\"distribution\": "
        "\"log_uniform_values\"`; `random.uniform(a, b)` -> `10 ** random.uniform(math.log10(a), "
        "math.log10(b))`. Imports are added when needed."
    )
    fix_safety = Safety.SAFE

    demonstration = "spacing"
    # a report is a uniform draw (Ray Tune, hyperopt, scipy, random, numpy or a
    # generator; Keras Tuner's Float) over more than a decade, or a W&B
    # min/max spec over more than a decade, for a parameter with a log-scale name
    trigger = (
        Calls(
            "uniform", "quniform",
            where=all_of(_tried_for_log_scale, any_of(
                bounds((0, ("lower",)), (1, ("upper",)), may_span_decades),
                bounds((1, ("low",)), (2, ("high",)), may_span_decades),
                bounds((0, ("a",)), (1, ("b",)), may_span_decades),
                bounds((0, ("low",)), (1, ("high",)), may_span_decades),
                bounds((0, ("loc",)), (1, ("scale",)), may_span_decades, summed=True),
            )),
        )
        | Calls("Float", method=True, where=all_of(_tried_for_log_scale, bounds((1, ("min_value",)), (2, ("max_value",)), may_span_decades)))
        | (DictKeys("min", "max") & Nodes(ast.Dict, holds=lambda node, index: _wandb_spec(node, index)))
    ) & LOG_SCALE_NAMES
    bad_examples = (
        Example(
            """
            from ray import tune
            config = {"lr": tune.uniform(1e-5, 3e-1), "dropout": tune.uniform(0.0, 0.5)}
            """,
            fixed="""
            from ray import tune
            config = {"lr": tune.loguniform(1e-5, 3e-1), "dropout": tune.uniform(0.0, 0.5)}
            """,
        ),
        Example(
            """
            from hyperopt import hp
            space = {"lr": hp.uniform("lr", 1e-5, 1e-1)}
            """,
            fixed="""
            from hyperopt import hp
            import math
            space = {"lr": hp.loguniform("lr", math.log(1e-5), math.log(1e-1))}
            """,
        ),
        Example(
            """
            from scipy.stats import uniform
            param_distributions = {"C": uniform(0.01, 99.99)}
            """,
            fixed="""
            from scipy.stats import uniform
            from scipy.stats import loguniform
            param_distributions = {"C": loguniform(0.01, 100.0)}
            """,
            note="scipy's uniform takes (loc, scale): the interval is 0.01..100.",
        ),
        Example(
            """
            sweep_config = {
                "method": "random",
                "parameters": {"lr": {"min": 0.0001, "max": 0.1}},
            }
            """,
            fixed="""
            sweep_config = {
                "method": "random",
                "parameters": {"lr": {"min": 0.0001, "max": 0.1, "distribution": "log_uniform_values"}},
            }
            """,
            note="W&B samples float min/max uniformly unless told otherwise.",
        ),
        Example(
            """
            import random
            lr = random.uniform(1e-5, 1e-2)
            """,
            fixed="""
            import random
            import math
            lr = 10 ** random.uniform(math.log10(1e-5), math.log10(1e-2))
            """,
        ),
    )
    good_examples = (
        Example(
            """
            import numpy as np
            from ray import tune
            config = {
                "lr": tune.loguniform(1e-5, 1e-1),
                "lambda_mse": tune.uniform(0.1, 1.0),  # a loss-mixing weight
                "reg_alpha": tune.uniform(0, 5),  # starts at 0: no log scale
            }
            lr = 10 ** np.random.uniform(-5, -1)  # sampling the exponent is right
            """
        ),
        Example(
            """
            def build_model(hp):
                lr = hp.Float("lr", min_value=1e-4, max_value=1e-2, sampling="log")
                dropout = hp.Float("dropout", min_value=0.0, max_value=0.5)
                return make(lr, dropout)
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        qual = self.qualify(node.func) or ""
        if qual in TUNE_LINEAR:
            self._tune(node, qual)
        elif qual in HYPEROPT_LINEAR:
            self._hyperopt(node, qual)
        elif qual in SCIPY_UNIFORM:
            self._scipy(node)
        elif method_name(node) == "Float" and isinstance(node.func, cst.Attribute):
            self._keras(node)
        elif qual in RANDOM_UNIFORM or self._rng_uniform(node, qual):
            self._random(node)

    def _api_name(self, call: cst.Call, label: Optional[str] = None) -> Optional[str]:
        if label is not None and self.ctx.vocabulary.is_log_scale(label, tuning_context=True):
            return label
        binding = self.binding_of(call)
        return None if binding is None else self.tuned_name(binding, {}, api=True)

    def _report(self, call: cst.Call, name: str, low: float, high: float, advice: str, fix) -> None:
        self.report(
            call,
            f"{short_code(self.ctx, call)} samples `{name}` uniformly over {decades_text(low, high)}: "
            f"{uniform_waste(low, high, name)}; {advice}",
            fix,
        )

    def _tune(self, call: cst.Call, qual: str) -> None:
        low, high = num_arg(call, 0, "lower", self.ctx), num_arg(call, 1, "upper", self.ctx)
        if not spans_decades(low, high):
            return
        name = self._api_name(call)
        if name is None:
            return
        target = TUNE_LINEAR[qual]
        fix = None if has_star_args(call) else self.ctx.fix(Safety.SAFE, renamed_func(self, call, target), "use a log-uniform distribution")
        self._report(call, name, low, high, f"use tune.{target.rsplit('.', 1)[1]}(...) with the same bounds", fix)

    def _hyperopt(self, call: cst.Call, qual: str) -> None:
        label = string_value(arg_value(call, 0, "label"))
        low_node, high_node = arg_value(call, 1, "low"), arg_value(call, 2, "high")
        low = None if low_node is None else number(low_node, self.ctx.imports)
        high = None if high_node is None else number(high_node, self.ctx.imports)
        if not spans_decades(low, high):
            return
        name = self._api_name(call, label)
        if name is None:
            return
        target = HYPEROPT_LINEAR[qual]
        fix = None
        if not has_star_args(call):
            edits = renamed_func(self, call, target) + wrapped_arg(self, low_node, "math.log") + wrapped_arg(self, high_node, "math.log")
            fix = self.ctx.fix(Safety.SAFE, edits, "use hp.loguniform with natural-log bounds")
        a, b = (self.ctx.code_for(n).strip() for n in (low_node, high_node))
        self._report(call, name, low, high, f"use hp.{target.rsplit('.', 1)[1]}(..., math.log({a}), math.log({b})) (hyperopt's log bounds are natural-log exponents)", fix)

    def _scipy(self, call: cst.Call) -> None:
        loc_node, scale_node = arg_value(call, 0, "loc"), arg_value(call, 1, "scale")
        if loc_node is None or scale_node is None:
            return
        loc, scale = number(loc_node, self.ctx.imports), number(scale_node, self.ctx.imports)
        if loc is None or scale is None or not spans_decades(loc, loc + scale):
            return
        name = self._api_name(call)
        if name is None:
            return
        high = plain_number(loc + scale)
        fix = None
        if not has_star_args(call) and len(call.args) == 2:
            if isinstance(call.func, cst.Attribute):
                local, import_edit = f"{self.ctx.code_for(call.func.value).strip()}.loguniform", None
            else:
                local, import_edit = self.ctx.spell("scipy.stats.loguniform")
            text = f"{local}({self.ctx.code_for(loc_node).strip()}, {high})"
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, text), import_edit], "use scipy.stats.loguniform")
        self._report(call, name, loc, loc + scale, f"scipy's uniform(loc, scale) covers {bound(loc)}..{bound(loc + scale)}: use loguniform({self.ctx.code_for(loc_node).strip()}, {high})", fix)

    def _keras(self, call: cst.Call) -> None:
        label_node = arg_value(call, 0, "name")
        label = string_value(label_node)
        low, high = num_arg(call, 1, "min_value", self.ctx), num_arg(call, 2, "max_value", self.ctx)
        sampling = arg_value(call, 4, "sampling")
        if sampling is not None and string_value(sampling) not in ("linear",):
            return
        if not spans_decades(low, high):
            return
        name = self._api_name(call, label)
        if name is None:
            return
        q = quote_of(label_node)
        fix = None
        if arg(call, 3, "step") is None and not has_star_args(call):
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, set_keyword(call, "sampling", f"{q}log{q}"))], "sample on a log scale")
            advice = 'add sampling="log"'
        else:
            advice = 'drop step= (with sampling="log" it becomes a factor) and add sampling="log"'
        self._report(call, name, low, high, advice, fix)

    # -- random.uniform ----------------------------------------------------------
    def _rng_uniform(self, call: cst.Call, qual: str) -> bool:
        recv = receiver(call)
        return method_name(call) == "uniform" and isinstance(recv, cst.Name) and recv.value in self.facts.rngs and not qual

    def _random(self, call: cst.Call) -> None:
        parent = self.ctx.parent(call)
        if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Power):
            return  # 10 ** uniform(a, b): the exponent is sampled
        stdlib = arg(call, None, "a") is not None or arg(call, None, "b") is not None
        low = num_arg(call, 0, "a" if stdlib else "low", self.ctx)
        high = num_arg(call, 1, "b" if stdlib else "high", self.ctx)
        if not spans_decades(low, high):
            return
        binding = self.binding_of(call)
        if binding is not None:
            self._pending.append((call, binding, (low, high)))

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._pending:
            return  # parents cost a pass over the tree: only files with candidates pay it
        uses = self.tuning_uses()
        for call, binding, (low, high) in self._pending:
            name = self.tuned_name(binding, uses)
            if name is None or self.exponent_grid(binding):
                continue
            log10, _ = self.ctx.spell("math.log10")
            callee = self.ctx.code_for(call.func).strip()
            a, b = (self.ctx.code_for(call.args[i].value).strip() for i in (0, 1))
            advice = f"sample the exponent: 10 ** {callee}({log10}({a}), {log10}({b}))"
            self._report(call, name, low, high, advice, self._random_fix(call))

    def _random_fix(self, call: cst.Call):
        if has_star_args(call) or len(call.args) < 2 or any(a.keyword is not None for a in call.args[:2]):
            return None
        log10, import_edit = self.ctx.spell("math.log10")
        args = list(call.args)
        for index in (0, 1):
            inner = self.ctx.code_for(args[index].value).strip()
            args[index] = args[index].with_changes(value=cst.parse_expression(f"{log10}({inner})"))
        power = cst.BinaryOperation(
            left=cst.Integer("10"),
            operator=cst.Power(whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")),
            right=call.with_changes(args=args),
        )
        parent = self.ctx.parent(call)
        if not isinstance(parent, (cst.Assign, cst.AnnAssign, cst.Arg, cst.DictElement, cst.Element, cst.Return)):
            power = power.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, power), import_edit], "sample the exponent")

    # -- W&B sweeps ---------------------------------------------------------------
    def visit_Dict(self, node: cst.Dict) -> None:
        items = {key: (value, element) for key, value, element in _dict_items(node)}
        if "min" not in items or "max" not in items or not set(items) <= WANDB_KEYS:
            return
        dist_node = items.get("distribution", (None, None))[0]
        dist = string_value(dist_node) if dist_node is not None else None
        if dist_node is not None and dist not in WANDB_LOG:
            return
        low_node, high_node = items["min"][0], items["max"][0]
        if dist is None and isinstance(low_node, cst.Integer) and isinstance(high_node, cst.Integer):
            return  # integer bounds: W&B infers int_uniform
        low, high = number(low_node, self.ctx.imports), number(high_node, self.ctx.imports)
        if not spans_decades(low, high) or not self._wandb_context(node, dist_node is not None):
            return
        parent = self.ctx.parent(node)
        key = string_value(parent.key) if isinstance(parent, cst.DictElement) and parent.value is node else None
        if key is None or not self.ctx.vocabulary.is_log_scale(key, tuning_context=True):
            return
        target = WANDB_LOG[dist or "uniform"]
        if dist_node is not None:
            q = quote_of(dist_node)
            edit = self.ctx.replace(dist_node, f"{q}{target}{q}")
            how = f'the "distribution" is "{dist}"'
        else:
            q = quote_of(next(iter(e.key for e in node.elements if isinstance(e, cst.DictElement))))
            element = cst.DictElement(
                key=cst.SimpleString(f"{q}distribution{q}"),
                value=cst.SimpleString(f"{q}{target}{q}"),
            )
            edit = self.ctx.replace(node, append_dict_element(node, element))
            how = "without a \"distribution\", W&B samples float min/max uniformly"
        self.report(
            node,
            f"W&B sweep parameter `{key}` (min {sci(low)}, max {sci(high)}): {how} over {decades_text(low, high)}, "
            f"so {uniform_waste(low, high, key)}; use \"distribution\": \"{target}\"",
            self.ctx.fix(Safety.SAFE, [edit], "sample on a log scale"),
        )

    def _wandb_context(self, node: cst.Dict, has_distribution: bool) -> bool:
        """A W&B parameter spec: a "distribution" key, a "parameters" dict, or a wandb file."""
        if has_distribution or "wandb" in self.ctx.source:
            return True
        outer = self.ctx.parent(self.ctx.parent(node))
        holder = self.ctx.parent(outer) if outer is not None else None
        if isinstance(holder, cst.DictElement) and string_value(holder.key) == "parameters":
            return True
        if isinstance(holder, (cst.Assign, cst.AnnAssign)):
            targets = holder.targets if isinstance(holder, cst.Assign) else [holder]
            return any("parameters" in normalize(n) or "sweep" in normalize(n) for t in targets for n in target_names(t.target))
        return False


def _dict_items(node: cst.Dict):
    for element in node.elements:
        if isinstance(element, cst.DictElement):
            key = string_value(element.key)
            if key is not None:
                yield key, element.value, element


# ---------------------------------------------------------------------------
# HPL204


TUNE_RANGES = frozenset({"ray.tune.uniform", "ray.tune.loguniform", "ray.tune.quniform", "ray.tune.qloguniform"})
HYPEROPT_REAL = frozenset({"hyperopt.hp.uniform", "hyperopt.hp.quniform"})
HYPEROPT_EXP = frozenset({"hyperopt.hp.loguniform", "hyperopt.hp.qloguniform"})
SCIPY_LOG = frozenset({"scipy.stats.loguniform", "scipy.stats.reciprocal"})


def wider_range(low: float, high: float) -> Tuple[str, str]:
    """Three decades around the geometric middle of a narrow range: 0.005..0.015 -> 1e-4..1e-1."""
    middle = math.log10(math.sqrt(low * high))
    return sci(10 ** math.floor(middle - 1)), sci(10 ** math.ceil(middle + 1))


@register
class NarrowRange(_TrialRule):
    code = "HPL204"
    name = "search-range-too-narrow"
    family = FAMILY
    summary = "Log-scale hyperparameter searched over less than one decade"
    why = (
        "A first search over a learning rate or a regularisation strength should span 2-3 "
        "decades: good values move by 10x between models, datasets and batch sizes. "
        "np.linspace(0.005, 0.015, 50) spends 50 trainings inside a factor of 3 (0.48 decades); "
        "if the optimum is 1e-3 the search cannot find it and every point looks alike. "
        "np.logspace(-4, -1, 50) covers 1e-4..1e-1 with the same budget; narrow down in a "
        "second, focused phase once the best decade is known. Deliberate fine-tuning ranges "
        "(2e-5..5e-5 for a pretrained transformer) are common, so this rule is opt-in."
    )
    default_enabled = False
    methods = ("suggest_float", "suggest_uniform", "suggest_loguniform")

    demonstration = "range"
    # a report is a range read from a suggest call, a distribution or a grid
    # call, for a parameter the vocabulary calls log-scale (not ambiguous)
    trigger = Calls(*RANGE_CALLS, suffixes=("Distribution",)) & Names(_strictly_log_scale_name, "log-scale")
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 0.005, 0.015)
                return train(lr)
            """
        ),
        Example(
            """
            import numpy as np
            learning_rates = np.linspace(0.005, 0.015, 50)
            """
        ),
    )
    good_examples = (
        Example(
            """
            import numpy as np
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-2, log=True)
                momentum = trial.suggest_float("momentum", 0.85, 0.99)  # bounded
                return train(lr, momentum)
            learning_rates = np.logspace(-4, -1, 50)
            """
        ),
    )

    def check_suggest(self, call: cst.Call) -> None:
        name, low, high = suggest_bounds(call, self.ctx)
        if self.ctx.vocabulary.is_log_scale(name, tuning_context=True) and is_narrow(low, high):
            self._report(call, name, low, high)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        found = self._api_range(node)
        if found is None:
            return
        label, low, high, deferred = found
        if not is_narrow(low, high):
            return
        if label is not None and self.ctx.vocabulary.is_log_scale(label, tuning_context=True):
            self._report(node, label, low, high)
            return
        binding = self.binding_of(node)
        if binding is None:
            return
        if deferred:
            self._pending.append((node, binding, (low, high)))
            return
        name = self.tuned_name(binding, {}, api=True)
        if name is not None:
            self._report(node, name, low, high)

    def _api_range(self, call: cst.Call) -> Optional[Tuple[Optional[str], Optional[float], Optional[float], bool]]:
        """(label, low, high, needs-file-context) of a distribution or grid call."""
        qual = self.qualify(call.func) or star_imported(self.ctx, call.func) or ""
        ctx = self.ctx
        if qual in TUNE_RANGES:
            return None, num_arg(call, 0, "lower", ctx), num_arg(call, 1, "upper", ctx), False
        if qual in HYPEROPT_REAL | HYPEROPT_EXP:
            label = string_value(arg_value(call, 0, "label"))
            low, high = num_arg(call, 1, "low", ctx), num_arg(call, 2, "high", ctx)
            if qual in HYPEROPT_EXP and real_values(low, high):
                return None  # HPL205's finding: real values where exponents belong
            if qual in HYPEROPT_EXP and low is not None and high is not None and max(abs(low), abs(high)) < 50:
                low, high = math.exp(low), math.exp(high)
            return label, low, high, False
        if qual in SCIPY_LOG:
            return None, num_arg(call, 0, "a", ctx), num_arg(call, 1, "b", ctx), False
        if qual in SCIPY_UNIFORM:
            loc, scale = num_arg(call, 0, "loc", ctx), num_arg(call, 1, "scale", ctx)
            return None, loc, None if loc is None or scale is None else loc + scale, False
        if qual.split(".")[0] in ("optuna", "pycaret") and qual.endswith("Distribution") and "Int" not in qual and "Categorical" not in qual:
            pycaret = qual.startswith("pycaret")
            return None, num_arg(call, 0, "lower" if pycaret else "low", ctx), num_arg(call, 1, "upper" if pycaret else "high", ctx), False
        if method_name(call) == "Float" and isinstance(call.func, cst.Attribute):
            return string_value(arg_value(call, 0, "name")), num_arg(call, 1, "min_value", ctx), num_arg(call, 2, "max_value", ctx), False
        if qual in LINSPACE | GEOMSPACE | LOGSPACE:
            return self._grid_range(call, qual)
        return None

    def _grid_range(self, call: cst.Call, qual: str):
        torch = qual.startswith("torch.")
        start = num_arg(call, 0, "start", self.ctx)
        stop = num_arg(call, 1, "end" if torch else "stop", self.ctx)
        count = num_arg(call, 2, "steps" if torch else "num", self.ctx)
        if start is None or stop is None or (count is None and arg(call, 2, "num") is not None) or (count is not None and count > 100):
            return None  # a schedule or a plot axis, not a search grid
        if qual in LOGSPACE:
            if max(abs(start), abs(stop)) > 30 or real_values(start, stop):
                return None
            start, stop = 10 ** start, 10 ** stop
        return None, min(start, stop), max(start, stop), True

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)
        if not self._pending:
            return  # parents cost a pass over the tree: only files with candidates pay it
        uses = self.tuning_uses()
        for node, binding, (low, high) in self._pending:
            name = self.tuned_name(binding, uses)
            if name is not None and not self.exponent_grid(binding):
                self._report(node, name, low, high)

    def _report(self, node: cst.CSTNode, name: str, low: float, high: float) -> None:
        if self.ctx.vocabulary.scale(name) is not Scale.LOG:
            return  # epsilon, alpha, gamma: often thresholds or bounded, never judged narrow
        wide_low, wide_high = wider_range(low, high)
        self.report(
            node,
            f"{short_code(self.ctx, node)} searches `{name}` only within {high / low:.2g}x "
            f"({format_number(low)}..{format_number(high)}, {decades(low, high):.2f} of a decade): an optimum outside "
            f"it cannot be found and the trials barely differ; search 2-3 decades first "
            f"(e.g. {wide_low}..{wide_high} on a log scale), then narrow around the best value in a second phase",
        )


# ---------------------------------------------------------------------------
# HPL205





@register
class RealValuesInLogApi(_SpaceRule):
    code = "HPL205"
    name = "log-api-given-real-values"
    family = FAMILY
    summary = "Log-scale API given real values instead of exponents (np.logspace, hp.loguniform)"
    why = (
        "`np.logspace(a, b, n)` and `hp.loguniform(label, a, b)` take exponents, not values. "
        "np.logspace(1e-4, 1e-2, 6) yields 10**0.0001..10**0.01 = 1.0002..1.023, six nearly "
        "equal values around 1; hp.loguniform(\"lr\", 1e-5, 1e-1) samples e**1e-5..e**0.1 = "
        "1.00001..1.105, so every trial trains with a learning rate of about 1. The search "
        "runs, reports a best value, and never tried the intended range."
    )
    fix_description = (
        "`np.logspace(1e-4, 1e-2, n)` -> `np.geomspace(1e-4, 1e-2, n)`; `torch.logspace(a, b, n)` -> "
        "`torch.logspace(math.log10(a), math.log10(b), n)`; `hp.loguniform(l, a, b)` -> "
        "`hp.loguniform(l, math.log(a), math.log(b))`."
    )
    fix_safety = Safety.SAFE

    demonstration = "spacing"
    # a report is a logspace or (q)loguniform call whose bounds read as real values
    trigger = Calls(
        "logspace",
        where=any_of(
            bounds((0, ("start",)), (1, ("stop",)), real_values),
            bounds((0, ("start",)), (1, ("end",)), real_values),
        ),
    ) | Calls("loguniform", "qloguniform", where=bounds((1, ("low",)), (2, ("high",)), real_values))
    bad_examples = (
        Example(
            """
            import numpy as np
            lrs = np.logspace(1e-4, 1e-2, 5)
            """,
            fixed="""
            import numpy as np
            lrs = np.geomspace(1e-4, 1e-2, 5)
            """,
        ),
        Example(
            """
            from hyperopt import hp
            space = {"lr": hp.loguniform("lr", 1e-5, 1e-1)}
            """,
            fixed="""
            from hyperopt import hp
            import math
            space = {"lr": hp.loguniform("lr", math.log(1e-5), math.log(1e-1))}
            """,
        ),
    )
    good_examples = (
        Example(
            """
            import math
            import numpy as np
            from hyperopt import hp
            lrs = np.logspace(-4, -2, 5)
            space = {"lr": hp.loguniform("lr", math.log(1e-5), math.log(1e-1)), "x": hp.loguniform("x", -8, 0)}
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.qualify(node.func) or ""
        if qual in LOGSPACE:
            self._logspace(node, qual)
        elif qual in HYPEROPT_EXP:
            self._hyperopt(node)

    def _logspace(self, call: cst.Call, qual: str) -> None:
        torch = qual.startswith("torch.")
        start_node, stop_node = arg_value(call, 0, "start"), arg_value(call, 1, "end" if torch else "stop")
        if start_node is None or stop_node is None:
            return
        start, stop = number(start_node, self.ctx.imports), number(stop_node, self.ctx.imports)
        if not real_values(start, stop) or arg(call, 4 if not torch else 3, "base") is not None:
            return  # with a base of its own, values near 1 are usually the point
        a, b = self.ctx.code_for(start_node).strip(), self.ctx.code_for(stop_node).strip()
        fix = None
        if not has_star_args(call):
            if torch:
                edits = wrapped_arg(self, start_node, "math.log10") + wrapped_arg(self, stop_node, "math.log10")
            else:
                edits = renamed_func(self, call, qual.rsplit(".", 1)[0] + ".geomspace")
            fix = self.ctx.fix(Safety.SAFE, edits, "use the values as values")
        use = f"torch.logspace(math.log10({a}), math.log10({b}), ...)" if torch else f"geomspace({a}, {b}, ...)"
        self.report(
            call,
            f"{short_code(self.ctx, call)} takes exponents: it yields 10**{a}..10**{b} = "
            f"{10 ** start:.6g}..{10 ** stop:.6g}, not {a}..{b}; use {use}",
            fix,
        )

    def _hyperopt(self, call: cst.Call) -> None:
        low_node, high_node = arg_value(call, 1, "low"), arg_value(call, 2, "high")
        if low_node is None or high_node is None:
            return
        low, high = number(low_node, self.ctx.imports), number(high_node, self.ctx.imports)
        if not real_values(low, high) or _is_log_call(low_node, self.ctx) or _is_log_call(high_node, self.ctx):
            return
        a, b = self.ctx.code_for(low_node).strip(), self.ctx.code_for(high_node).strip()
        fix = None
        if not has_star_args(call):
            edits = wrapped_arg(self, low_node, "math.log") + wrapped_arg(self, high_node, "math.log")
            fix = self.ctx.fix(Safety.SAFE, edits, "pass natural-log bounds")
        self.report(
            call,
            f"{short_code(self.ctx, call)} takes natural-log bounds: it samples e**{a}..e**{b} = "
            f"{math.exp(low):.6g}..{math.exp(high):.4g}, not {a}..{b}; use math.log({a}), math.log({b})",
            fix,
        )


def _is_log_call(expr: cst.BaseExpression, ctx) -> bool:
    return isinstance(expr, cst.Call) and (ctx.qualify(expr.func) or "").endswith(("log", "log10", "log2"))
