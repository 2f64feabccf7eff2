"""What the HPL2 rules share: the name a value is tried for.

A grid or a distribution is judged by the parameter it ends up in, and that
is often decided further down the file (a dict passed to GridSearchCV, a
loop variable passed as ``SVC(C=c)``).  ``SpaceFacts`` reads those uses
once per file for every rule that asks; ``_SpaceRule`` turns a value's
``Binding`` into the log-scale name it is tuned for, and ``_TrialRule``
knows which calls are made on an Optuna trial.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from hplint.core.file_facts import text_word
from hplint.core.rule import Rule
from hplint.prefilter.triggers import Names
from hplint.reading.calls import (
    TrialTracker,
    arg_value,
    dict_call_items,
    has_star_args,
    in_test_function,
    method_name,
    receiver,
    string_value,
    subscript_key,
    target_names,
)
from hplint.reading.held_numbers import held_number
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import number
from hplint.reading.ranges import wastes_linear
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, Scale, normalize, receiver_scale, tokens

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "search-space"

LINSPACE = frozenset({"numpy.linspace", "torch.linspace", "jax.numpy.linspace"})
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
RNG_FACTORIES = frozenset({"default_rng", "RandomState", "Random", "Generator"})
CONVENTIONAL_ALIASES = {"np": "numpy", "jnp": "jax.numpy", "torch": "torch"}
SCIPY_UNIFORM = frozenset({"scipy.stats.uniform", "scipy.stats.distributions.uniform"})
HYPEROPT_EXP = frozenset({"hyperopt.hp.loguniform", "hyperopt.hp.qloguniform"})
STAR_DISTRIBUTION_MODULES = ("optuna.distributions", "pycaret.internal.distributions")


# ---------------------------------------------------------------------------
# reading calls


STAR_IMPORT = text_word("import *")


def callee_last(call: cst.Call) -> Optional[str]:
    name = dotted_name(call.func)
    return name.rsplit(".", 1)[-1] if name else None


def num_arg(call: cst.Call, index: Optional[int], keyword: Optional[str], ctx) -> Optional[float]:
    value = arg_value(call, index, keyword)
    return None if value is None else number(value, ctx.imports)


def held_arg(call: cst.Call, index: Optional[int], keyword: Optional[str], ctx) -> Optional[float]:
    """``num_arg``, or the constant of this file a name holds (``random.uniform(LR_RANGE[0], LR_RANGE[1])``)."""
    value = arg_value(call, index, keyword)
    return None if value is None else held_number(ctx, value)


def qualify(ctx, expr: cst.BaseExpression) -> Optional[str]:
    """Qualified name through the imports; ``np``/``jnp``/``torch`` also unimported.

    Notebook exports and snippets often use ``np`` without importing it;
    the convention is strong enough to read ``np.linspace`` as numpy's.
    """
    found = ctx.qualify(expr)
    if found is not None:
        return found
    dotted = dotted_name(expr)
    if dotted is None:
        return None
    root, _, rest = dotted.partition(".")
    module = CONVENTIONAL_ALIASES.get(root)
    return f"{module}.{rest}" if module and rest else None


def is_estimator(ctx, call: cst.Call) -> bool:
    """``SVC(C=c)``, ``Ridge(alpha=a)``, ``Adam(p, eps=e)``, ``.set_params(C=c)``.

    A class (capitalised) outside the plotting libraries; ``plt.plot(alpha=a)``
    and ``Rectangle(alpha=a)`` are drawing, not tuning.
    """
    last = callee_last(call)
    if not last:
        return False
    if last == "set_params":
        return True
    qual = qualify(ctx, call.func) or ""
    if qual.split(".")[0] in PLOT_ROOTS:
        return False
    return last[:1].isupper() and last not in SEARCH_CALLS and last != "dict"


def star_imported(ctx, func: cst.BaseExpression) -> Optional[str]:
    """``UniformDistribution`` after ``from pycaret.internal.distributions import *``."""
    if not isinstance(func, cst.Name) or not func.value.endswith("Distribution"):
        return None
    for module in STAR_DISTRIBUTION_MODULES:
        if STAR_IMPORT in ctx.file_text and f"from {module} import *" in ctx.file_text:
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


@dataclass
class LinearSuggest:
    """HPL202's reading of a ``suggest_float``/``suggest_uniform`` call."""

    name: str
    low: Optional[float]  # None: not a constant visible here
    high: Optional[float]
    stepped: bool

    @property
    def visible(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def fixable(self) -> bool:
        """``log=True`` is a fix: bounds known and positive, no ``step=``."""
        return self.visible and not self.stepped and (self.low or 0) > 0


def linear_suggest_finding(call: cst.Call, ctx) -> Optional[LinearSuggest]:
    """HPL202's decision for a ``suggest_float``/``suggest_uniform`` call, or None.

    Any ``log=`` keyword other than ``True`` (``log=False``, ``log=use_log``) is a
    deliberate choice and stays silent.  Bounds that are not constants here
    (``cfg.lr_min``) are reported only for an unambiguous learning-rate or
    weight-decay name without ``step=``, and without numbers.
    """
    if method_name(call) not in ("suggest_float", "suggest_uniform") or has_star_args(call):
        return None
    if arg_value(call, None, "log") is not None:
        return None
    name, low, high = suggest_bounds(call, ctx)
    if not name or not ctx.vocabulary.is_log_scale(name, tuning_context=True):
        return None
    stepped = arg_value(call, 3 if method_name(call) == "suggest_float" else None, "step") is not None
    if low is None or high is None:
        low_arg, high_arg = arg_value(call, 1, "low"), arg_value(call, 2, "high")
        if stepped or low_arg is None or high_arg is None:
            return None
        if ctx.code_for(low_arg).strip() == ctx.code_for(high_arg).strip():
            return None  # ``suggest_float("lr", best_lr, best_lr)``: one value recorded, no range
        if not unambiguous_lr_or_decay(ctx.vocabulary, name):
            return None
        low, high = held_number(ctx, low_arg), held_number(ctx, high_arg)  # constants of this file: ``LR_RANGE[0]``
        if low is None or high is None:
            return LinearSuggest(name, None, None, stepped)
    if not wastes_linear(low, high, ctx.vocabulary.zero_is_no_setting(name)):
        return None
    return LinearSuggest(name, low, high, stepped)


def unambiguous_lr_or_decay(vocabulary, name: str) -> bool:
    """A learning-rate or weight-decay name no context could make mean something else."""
    if vocabulary.scale(name) is not Scale.LOG:
        return False
    parts = set(tokens(normalize(name)))
    return vocabulary.is_learning_rate(name) or {"weight", "decay"} <= parts or bool(parts & {"wd"})


# keys only XGBoost's parameters have: a dict holding one is XGBoost's (its ``gamma`` is a loss threshold)
XGBOOST_KEYS = frozenset({"eta", "min_child_weight", "colsample_bytree", "colsample_bylevel", "colsample_bynode", "max_delta_step", "min_split_loss", "tree_method", "booster"})


def _xgboost_params(holder: Optional[cst.CSTNode]) -> bool:
    if isinstance(holder, cst.Dict):
        keys = {string_value(e.key) for e in holder.elements if isinstance(e, cst.DictElement)}
    elif isinstance(holder, cst.Call):
        keys = {key for key, _, _ in dict_call_items(holder)}
    else:
        return False
    return bool(keys & XGBOOST_KEYS)


def _log_scale_name(name: str) -> bool:
    """A name the built-in vocabulary calls log-scale, ambiguous ones (alpha, C) included."""
    return DEFAULT_VOCABULARY.scale(name) in (Scale.LOG, Scale.AMBIGUOUS_LOG)


LOG_SCALE_NAMES = Names(_log_scale_name, "log-scale")


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
class SpaceFacts:
    """How names are used across the file: one walk, shared by the HPL2 rules."""

    uses: Dict[str, List[str]] = field(default_factory=dict)  # var -> parameter names it feeds
    loops: List[Tuple[List[str], str]] = field(default_factory=list)  # (targets, iterated name)
    search_args: Set[str] = field(default_factory=set)  # names passed to GridSearchCV & co
    exponents: Set[str] = field(default_factory=set)  # names used as 10 ** x, exp(x)
    dict_refs: List[Tuple[cst.CSTNode, str, str]] = field(default_factory=list)  # (dict, key, var)
    # calls on a name an earlier statement bound to a random generator
    # (``rng.uniform(...)``); HPL203 asks during its walk, where a generator
    # made further down the file does not count yet
    rng_calls: Set[cst.Call] = field(default_factory=set)
    # var -> (receiving class, keyword) for each ``Cls(keyword=var)`` whose meaning
    # the receiver table knows (``RationalQuadratic(alpha=a)``, ``Ridge(alpha=a)``)
    receivers: Dict[str, List[Tuple[str, str]]] = field(default_factory=dict)

    def add_use(self, var: str, param: str) -> None:
        self.uses.setdefault(var, []).append(param)

    def receiver_verdict(self, variables: List[str]) -> Optional[Scale]:
        """What the classes these variables (or loop variables over them) are
        passed to say they are: LOG if any receiver reads a penalty or a step,
        LINEAR if every known receiver reads something else, None if none is known."""
        reach = set(variables)
        for _ in range(2):
            for targets, iterated in self.loops:
                if iterated in reach:
                    reach.update(targets)
        verdicts = {receiver_scale(callee, keyword) for var in reach for callee, keyword in self.receivers.get(var, [])}
        if Scale.LOG in verdicts:
            return Scale.LOG
        return Scale.LINEAR if Scale.LINEAR in verdicts else None

    @classmethod
    def collect(cls, ctx) -> SpaceFacts:
        """The facts of ``ctx.module``, read in libcst's visiting order."""
        facts = cls()
        rngs: Set[str] = set()  # names bound to a random generator so far
        call, binary, loop, comp, element, assign = cst.Call, cst.BinaryOperation, cst.For, cst.CompFor, cst.DictElement, cst.Assign
        for node in descendants(ctx.module):
            kind = type(node)
            if kind is call:
                facts._call(ctx, node, rngs)
            elif kind is binary:
                if isinstance(node.operator, cst.Power) and number(node.left, ctx.imports) is not None:
                    facts.exponents.update(_names_in(node.right))
            elif kind is loop or kind is comp:
                if isinstance(node.iter, cst.Name):
                    facts.loops.append((target_names(node.target), node.iter.value))
            elif kind is element:
                key = string_value(node.key)
                if key is not None and isinstance(node.value, cst.Name):
                    facts.dict_refs.append((node, key, node.value.value))
            elif kind is assign:
                facts._assign(node, rngs)
        return facts

    def _call(self, ctx, node: cst.Call, rngs: Set[str]) -> None:
        last = callee_last(node)
        if last in SEARCH_CALLS:
            for a in node.args:
                if isinstance(a.value, cst.Name):
                    self.search_args.add(a.value.value)
                elif isinstance(a.value, cst.Attribute):
                    self.search_args.add(a.value.attr.value)  # ``self.param_random``
        elif last == "product":  # ``product(*grid.values())``: every combination of its lists is tried
            for a in node.args:
                held = a.value.func.value if a.star == "*" and isinstance(a.value, cst.Call) and method_name(a.value) == "values" \
                    and isinstance(a.value.func, cst.Attribute) else None
                if isinstance(held, cst.Name):
                    self.search_args.add(held.value)
                elif isinstance(held, cst.Attribute):
                    self.search_args.add(held.attr.value)
        elif last == "validation_curve":
            pname = string_value(arg_value(node, 2, "param_name"))
            prange = arg_value(node, 3, "param_range")
            if pname and isinstance(prange, cst.Name):
                self.add_use(prange.value, pname)
        if is_estimator(ctx, node):
            for a in node.args:
                if a.keyword is not None and isinstance(a.value, cst.Name):
                    self.add_use(a.value.value, a.keyword.value)
        if last is not None:
            for a in node.args:
                if a.keyword is not None and isinstance(a.value, cst.Name) and receiver_scale(last, a.keyword.value) is not None:
                    self.receivers.setdefault(a.value.value, []).append((last, a.keyword.value))
        qual = qualify(ctx, node.func)
        if qual in EXPONENT_FUNCS:
            exponent = arg_value(node, 1 if "pow" in qual else 0)
            self.exponents.update(_names_in(exponent))
        recv = receiver(node)
        if isinstance(recv, cst.Name) and recv.value in rngs:
            self.rng_calls.add(node)

    def _assign(self, node: cst.Assign, rngs: Set[str]) -> None:
        if isinstance(node.value, cst.Call) and callee_last(node.value) in RNG_FACTORIES:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    rngs.add(target.target.value)
        if isinstance(node.value, cst.Call) and callee_last(node.value) == "dict":
            for a in node.value.args:
                if a.keyword is not None and isinstance(a.value, cst.Name):
                    self.dict_refs.append((a, a.keyword.value, a.value.value))


class _SpaceRule(Rule):
    """Base: decides what a value is tuned for, from the file's ``SpaceFacts``.

    Findings that depend on later code (a grid dict passed to GridSearchCV
    further down, a loop variable used as ``SVC(C=c)``) are decided in
    ``leave_Module``.
    """

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._pending: List[Tuple[cst.CSTNode, Binding, object]] = []

    def qualify(self, expr: cst.BaseExpression) -> Optional[str]:
        """``qualify`` in this rule's file."""
        return qualify(self.ctx, expr)

    def report(self, node: cst.CSTNode, message: str, fix=None) -> None:
        """Tests exercise values on purpose (``def test_...``, ``class Test...``):
        a range there checks the code under test, it does not tune anything.  A value
        the next statements replace before anything reads it is never tried."""
        if not in_test_function(self.ctx, node) and not self._overwritten(node):
            super().report(node, message, fix)

    def _overwritten(self, node: cst.CSTNode) -> bool:
        """``space = np.arange(1, 210, 10)`` followed by ``space = [0.001, 0.1, 1]``, with no
        read of ``space`` between: a dead store (only straight-line statements are read)."""
        binding = self.binding_of(node)
        if binding is None or binding.kind != "var":
            return False
        line = next((a for a in self.ctx.ancestors(node) if isinstance(a, cst.SimpleStatementLine)), None)
        block = self.ctx.parent(line) if line is not None else None
        if not isinstance(block, (cst.IndentedBlock, cst.Module)) or len(line.body) != 1:  # type: ignore[union-attr]
            return False
        names = set(binding.names)
        after = list(block.body)[list(block.body).index(line) + 1 :]  # type: ignore[arg-type]
        for stmt in after:
            if not isinstance(stmt, cst.SimpleStatementLine):
                return False  # a loop or branch may read it
            for small in stmt.body:
                targets: Set[str] = set()
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            targets.add(target.target.value)
                    read = small.value
                else:
                    read = small
                if any(isinstance(n, cst.Name) and n.value in names for n in (read, *descendants(read))):
                    return False
                if names <= targets:
                    return True
        return False

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
                if last == "append" and parent is call.args[0] and parent.keyword is None and isinstance(call.func, cst.Attribute) \
                        and isinstance(call.func.value, cst.Name) and len(call.args) == 1:
                    return Binding("var", [call.func.value.value])  # ``cs.append(draw)``: the list holds the draws
                if parent.keyword is not None:
                    keyword = parent.keyword.value
                    if last == "dict":
                        return Binding("dictkey", [keyword], holder=call)
                    if last in LABELLED_CHOICES or keyword == "values":
                        label = string_value(arg_value(call, 0, "name"))
                        return Binding("api", [label]) if label else None
                    return Binding("keyword", [keyword], holder=call, estimator=is_estimator(self.ctx, call))
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
            if isinstance(parent, (cst.ListComp, cst.SetComp, cst.GeneratorExp)) and parent.elt is current:
                current = parent  # [random.uniform(a, b) for _ in range(10)]: a list of draws
                continue
            if isinstance(parent, cst.Lambda) and parent.body is current:
                current = parent  # {"lr": lambda: random.uniform(a, b)}: each call draws the value
                continue
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
            if isinstance(parent, cst.CompFor) and parent.iter is current and _identity(self.ctx.parent(parent), parent):
                # [v for v in np.arange(...)]: the same values, named by the loop and by where the copy goes
                outer = self.binding_of(self.ctx.parent(parent))  # type: ignore[arg-type]
                names = target_names(parent.target) + (outer.names if outer is not None else [])
                return Binding("loop", names)
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
        return name in self.ctx.facts(SpaceFacts).search_args or looks_like_grid(name)

    def tuning_uses(self) -> Dict[str, List[str]]:
        """var -> parameter names it feeds in a tuning context (grids, estimators, loops)."""
        facts = self.ctx.facts(SpaceFacts)
        uses = {k: list(v) for k, v in facts.uses.items()}
        for element, key, var in facts.dict_refs:
            holder = self.ctx.parent(element)
            if "__" in key or self.grid_dict(holder):
                uses.setdefault(var, []).append(key)
        for _ in range(2):  # loop variables pass their use on to what they iterate
            for targets, iterated in facts.loops:
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
        verdict = self.receiver_verdict(binding)
        for name in binding.names:
            if not name:
                continue
            scale = vocab.scale(name)
            if scale in (Scale.LINEAR, Scale.BATCH):
                return None
            if scale is Scale.LOG:
                return name
            if scale is Scale.AMBIGUOUS_LOG and verdict is not None:
                return name if verdict is Scale.LOG else None
            if scale is Scale.AMBIGUOUS_LOG and (api or self._tuning(binding, name, uses)):
                return name
        if binding.kind in ("var", "loop") and verdict is not Scale.LINEAR:
            for var in binding.names:
                for used in uses.get(var, []):
                    if vocab.is_log_scale(used, tuning_context=True) and not vocab.is_linear(var):
                        return used
        return None

    def receiver_verdict(self, binding: Binding) -> Optional[Scale]:
        """What the class receiving the value says an ambiguous name means (``receiver_scale``)."""
        if binding.kind == "keyword" and isinstance(binding.holder, cst.Call):
            return receiver_scale(callee_last(binding.holder), binding.names[0])
        if binding.kind in ("var", "loop"):
            return self.ctx.facts(SpaceFacts).receiver_verdict(binding.names)
        if binding.kind == "dictkey" and _xgboost_params(binding.holder):
            return receiver_scale("XGBClassifier", binding.names[0])  # a space of XGBoost's own keys
        return None

    def linear_suggest(self, call: cst.Call) -> Optional[LinearSuggest]:
        """``linear_suggest_finding``, unless the class the value goes to reads the
        ambiguous name as something other than a scale (``RationalQuadratic(alpha=a)``)."""
        found = linear_suggest_finding(call, self.ctx)
        if found is None or self.ctx.vocabulary.scale(found.name) is not Scale.AMBIGUOUS_LOG:
            return found
        binding = self.binding_of(call)
        if binding is not None and self.receiver_verdict(binding) is Scale.LINEAR:
            return None
        return found

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
        return binding.kind in ("var", "loop") and any(n in self.ctx.facts(SpaceFacts).exponents for n in binding.names)


def _named_trial(receiver: Optional[cst.BaseExpression]) -> bool:
    """A receiver whose own name says it is a trial: ``self.trial``, ``optuna_trial``."""
    if isinstance(receiver, cst.Attribute):
        name = receiver.attr.value
    elif isinstance(receiver, cst.Name):
        name = receiver.value
    else:
        return False
    return "trial" in tokens(normalize(name))


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
        self.trials.see_call(node)
        recv = receiver(node)
        if recv is None or method_name(node) not in self.methods:
            return
        if isinstance(recv, cst.Name) and recv.value in self.trials.known_trial_names():
            self.check_suggest(node)
        elif _named_trial(recv) or (isinstance(recv, cst.Name) and self._lambda_trial(node, recv.value)):
            self.check_suggest(node)  # self.trial.suggest_float(...), lambda t: t.suggest_float(...)
        elif isinstance(recv, cst.Name) and self.trials.current is not None and recv.value == self.trials.current.first_param:
            # a trial only if this function turns out to be passed to optimize()
            self._deferred.append((node, self.trials.current.node))

    def _lambda_trial(self, call: cst.Call, name: str) -> bool:
        """``study.optimize(lambda t: train(t.suggest_float(...)))``: the lambda's
        parameter is the trial."""
        for ancestor in self.ctx.ancestors(call):
            if isinstance(ancestor, cst.Lambda):
                if name not in [p.name.value for p in ancestor.params.params]:
                    return False
                holder = self.ctx.parent(self.ctx.parent(ancestor))
                return isinstance(holder, cst.Call) and method_name(holder) == "optimize"
            if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef)):
                return False
        return False

    def leave_Module(self, original_node: cst.Module) -> None:
        for call, func in self._deferred:
            if self.trials.is_objective(func):
                self.check_suggest(call)

    def check_suggest(self, call: cst.Call) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def _identity(comp: Optional[cst.CSTNode], loop: cst.CompFor) -> bool:
    """``[v for v in values]``: a comprehension that copies its iterable's values."""
    return (
        isinstance(comp, (cst.ListComp, cst.SetComp, cst.GeneratorExp))
        and comp.for_in is loop
        and not loop.ifs
        and loop.inner_for_in is None
        and isinstance(comp.elt, cst.Name)
        and isinstance(loop.target, cst.Name)
        and comp.elt.value == loop.target.value
    )
