"""What HPL501 reads of scikit-optimize: the budget and random warm-up of its
model-based searches, and how many dimensions they tune.

``gp_minimize``, ``forest_minimize`` and ``gbrt_minimize(func, dimensions,
base_estimator, n_calls=100, n_random_starts=None, n_initial_points=10, ...)``
evaluate ``n_initial_points`` random points (``n_random_starts``, deprecated,
overrides it) before their surrogate model chooses any: ``n_calls`` at or
below that never reaches the model.  ``BayesSearchCV(estimator,
search_spaces, optimizer_kwargs=None, n_iter=50)`` runs one ``Optimizer``
(``n_initial_points=10`` unless ``optimizer_kwargs`` says otherwise) over a
search space given as one dict.  ``dummy_minimize`` is random search and is
never read; neither is a search seeded with ``x0`` (its first points are
chosen by hand) nor one whose first points are quasi-random
(``initial_point_generator``), whose message would not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from hplint.reading.calls import arg, arg_value, dict_items, has_star_args, method_name, receiver, string_value
from hplint.reading.tree import descendants

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

MINIMIZERS = ("gp_minimize", "forest_minimize", "gbrt_minimize")
BAYES_SEARCH = "BayesSearchCV"
SKOPT_CALLS = (*MINIMIZERS, BAYES_SEARCH)
STARTUP = 10  # ``n_initial_points`` of the minimizers and of ``Optimizer``
DIMENSIONS = frozenset({"Real", "Integer", "Categorical"})
# positions: n_calls 3, n_random_starts 4 in every release; 5 is n_initial_points
# now and acq_func before it was added, so a call with more positions is not read
MINIMIZER_POSITIONS = 5
_MUTATORS = frozenset({"append", "extend", "insert", "pop", "remove", "update", "setdefault", "clear", "popitem"})

Resolve = Callable[[Optional["cst.BaseExpression"]], Optional["cst.BaseExpression"]]
Constant = Callable[[Optional["cst.BaseExpression"]], Optional[int]]


@dataclass(frozen=True)
class SkoptSearch:
    """A scikit-optimize search whose budget may be short for its warm-up."""

    budget: cst.Arg  # the ``n_calls`` / ``n_iter`` argument
    budget_name: str
    label: str
    startup: int
    startup_name: str
    alternative: str  # its random-search counterpart
    count: Optional[int]  # dimensions, when every one is written here
    refusal: Optional[str] = None  # what a budget below the warm-up does


def skopt_search(ctx: RuleContext, call: cst.Call, resolve: Resolve, constant: Constant) -> Optional[SkoptSearch]:
    """The search ``call`` starts, or None when it is not a model-based skopt
    search or its warm-up is not known here."""
    qualified = ctx.qualify(call.func) or ""
    last = qualified.rsplit(".", 1)[-1]
    if not qualified.startswith("skopt.") or has_star_args(call):
        return None
    if last in MINIMIZERS:
        return _minimizer(ctx, call, last, resolve, constant)
    if last == BAYES_SEARCH:
        return _bayes_search(ctx, call, resolve, constant)
    return None


def _given(expr: Optional[cst.BaseExpression]) -> bool:
    """An argument written, and not ``None`` (the default of ``x0``, ``n_random_starts``)."""
    return expr is not None and not (isinstance(expr, cst.Name) and expr.value == "None")


def _minimizer(ctx: RuleContext, call: cst.Call, name: str, resolve: Resolve, constant: Constant) -> Optional[SkoptSearch]:
    budget = arg(call, 3, "n_calls")
    positional = [a for a in call.args if a.keyword is None]
    if budget is None or len(positional) > MINIMIZER_POSITIONS:
        return None
    if _given(arg_value(call, None, "x0")) or _given(arg_value(call, None, "y0")) or not _random_points(arg_value(call, None, "initial_point_generator")):
        return None
    legacy = arg_value(call, 4, "n_random_starts")
    startup_name = "n_random_starts" if _given(legacy) else "n_initial_points"
    written = legacy if _given(legacy) else arg_value(call, None, "n_initial_points")
    startup = STARTUP if written is None else constant(written)
    if startup is None or startup <= 0:
        return None
    count = _dimensions(ctx, arg_value(call, 1, "dimensions"), resolve)
    refusal = f"{name} raises ValueError for n_calls below {startup}"
    return SkoptSearch(budget, "n_calls", f"scikit-optimize's {name}", startup, startup_name, "dummy_minimize", count, refusal)


def _random_points(expr: Optional[cst.BaseExpression]) -> bool:
    """The first points are drawn at random: ``initial_point_generator`` not given or ``"random"``."""
    return expr is None or string_value(expr) == "random"


def _bayes_search(ctx: RuleContext, call: cst.Call, resolve: Resolve, constant: Constant) -> Optional[SkoptSearch]:
    """``BayesSearchCV(est, {...}, n_iter=8)``: one optimizer over one dict; a list of
    spaces (each may carry its own ``n_iter``) or a space not written here is not read."""
    budget = arg(call, 3, "n_iter")
    spaces = resolve(arg_value(call, 1, "search_spaces"))
    if budget is None or not isinstance(spaces, cst.Dict):
        return None
    startup, startup_name = STARTUP, "n_initial_points"
    given = arg_value(call, 2, "optimizer_kwargs")
    if _given(given):
        kwargs = resolve(given)
        if not isinstance(kwargs, cst.Dict) or len(dict_items(kwargs)) != len(kwargs.elements):
            return None
        items = {key: value for key, value, _ in dict_items(kwargs)}
        estimator = items.get("base_estimator")
        if estimator is not None and (not isinstance(estimator, (cst.SimpleString, cst.Call)) or (string_value(estimator) or "").lower() == "dummy"):
            return None  # a random "dummy" estimator, or one not known here
        if not _random_points(items.get("initial_point_generator")):
            return None
        for key in ("n_random_starts", "n_initial_points"):  # the deprecated one wins
            if _given(items.get(key)):
                startup, startup_name = constant(items[key]), key  # type: ignore[assignment]
                break
        if startup is None or startup <= 0:
            return None
    keys = [key for key, _, _ in dict_items(spaces)]
    count = len(keys) if keys and len(keys) == len(spaces.elements) and not _mutated(ctx, arg_value(call, 1, "search_spaces")) else None
    return SkoptSearch(budget, "n_iter", "scikit-optimize's BayesSearchCV", startup, startup_name, "RandomizedSearchCV", count)


def _dimensions(ctx: RuleContext, expr: Optional[cst.BaseExpression], resolve: Resolve) -> Optional[int]:
    """How many dimensions a literal list holds: skopt's ``Real``/``Integer``/``Categorical``,
    ``(low, high[, prior])`` tuples or lists of categories; None when any is not written here."""
    value = resolve(expr)
    if not isinstance(value, (cst.List, cst.Tuple)) or not value.elements or _mutated(ctx, expr):
        return None
    for element in value.elements:
        item = element.value
        if isinstance(element, cst.StarredElement):
            return None
        if isinstance(item, cst.Call):
            qualified = ctx.qualify(item.func) or ""
            if not qualified.startswith("skopt.") or qualified.rsplit(".", 1)[-1] not in DIMENSIONS:
                return None
        elif not isinstance(item, (cst.Tuple, cst.List)):
            return None
    return len(value.elements)


def _mutated(ctx: RuleContext, expr: Optional[cst.BaseExpression]) -> bool:
    """A name whose list or dict this module changes after binding it
    (``space.append(...)``, ``space["x"] = ...``, ``space += [...]``)."""
    if not isinstance(expr, cst.Name):
        return False
    name = expr.value

    def holds(node: Optional[cst.BaseExpression]) -> bool:
        return isinstance(node, cst.Name) and node.value == name

    for node in descendants(ctx.module):
        if isinstance(node, cst.Call) and method_name(node) in _MUTATORS and holds(receiver(node)):
            return True
        targets = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, cst.Del):
            targets = [node.target]
        for target in targets:
            if holds(target) and isinstance(node, cst.AugAssign):
                return True
            if isinstance(target, cst.Subscript) and holds(target.value):
                return True
    return False


def gives_warm_up(site) -> bool:
    """``where``: a minimizer's call sets its warm-up (``n_random_starts`` by position too)."""
    return site.arg(4, "n_random_starts") is not None or site.arg(None, "n_initial_points") is not None


def gives_n_iter(site) -> bool:
    """``where``: ``BayesSearchCV`` given its budget (by position too)."""
    return site.arg(3, "n_iter") is not None
