"""What the HPL7 rules share: which functions a search runs as its objective,
what they return, and where a returned value comes from.

Objectives are found as ``reading.objectives`` finds them for Optuna
(``study.optimize`` in every spelling), and for ``hyperopt.fmin`` and Ray
Tune's ``tune.run`` / ``Tuner`` / ``tune.with_parameters``. Values are
followed through the objective's own assignments (one function, no guessing
across modules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set, Tuple

from hplint.reading.calls import arg_value, has_star_args, method_name, string_value
from hplint.reading.metrics import CV_SCORERS, HIGHER, flipped, function_direction, name_direction
from hplint.reading.numbers import number
from hplint.reading.objectives import BAYES_OPT, FileObjectives
from hplint.reading.tree import descendants

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "objective"
HYPEROPT_FMIN = frozenset({"hyperopt.fmin", "hyperopt.fmin.fmin"})
HYPERAS_MINIMIZE = "hyperas.optim.minimize"
RAY_RUNNERS = frozenset({"ray.tune.run", "ray.tune.Tuner", "ray.tune.tuner.Tuner", "ray.tune.tune.run"})
# scikit-optimize's minimizers, called with the sampled point (a list, or keywords under ``use_named_args``)
SKOPT_MINIMIZERS = frozenset(
    f"skopt.{name}" for name in ("gp_minimize", "forest_minimize", "gbrt_minimize", "dummy_minimize")
) | frozenset(f"skopt.optimizer.{name}" for name in ("gp_minimize", "forest_minimize", "gbrt_minimize", "dummy_minimize"))
# wrappers that hand the trainable on unchanged: ``tune.with_parameters(fn, data=...)``,
# ``tune.with_resources(fn, {"cpu": 2})``, nested in either order
RAY_WITH_PARAMETERS = frozenset(
    {
        "ray.tune.with_parameters", "ray.tune.trainable.util.with_parameters",
        "ray.tune.with_resources", "ray.tune.tune.with_resources", "ray.tune.trainable.util.with_resources",
    }
)
# functions and methods that keep a value's direction (an average, a conversion)
KEEP_FUNCTIONS = frozenset({"float", "mean", "nanmean", "average", "median", "max", "min", "round", "sqrt", "array", "asarray", "tensor"})
KEEP_METHODS = frozenset({"mean", "item", "max", "min", "median", "cpu", "numpy", "detach", "tolist", "sum"})


def scope_nodes(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Nodes of one function's own code: nested functions, classes and lambdas are left out."""
    for node in descendants(root, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        if not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            yield node


def returns_of(func: cst.FunctionDef) -> List[cst.Return]:
    return [n for n in scope_nodes(func.body) if isinstance(n, cst.Return)]


def is_constant(expr: Optional[cst.BaseExpression], ctx: RuleContext) -> bool:
    """``0.0``, ``None``, ``float("inf")``, ``-np.inf``: a placeholder for a failed trial."""
    if expr is None:
        return True
    if isinstance(expr, cst.UnaryOperation):
        return is_constant(expr.expression, ctx)
    if isinstance(expr, cst.Name) and expr.value in ("None", "True", "False"):
        return True
    if isinstance(expr, cst.Attribute) and expr.attr.value in ("inf", "nan", "NaN", "Inf"):
        return True
    if isinstance(expr, cst.Call) and method_name(expr) == "float" and len(expr.args) == 1 and string_value(expr.args[0].value) is not None:
        return True
    return number(expr, ctx.imports) is not None


class Flow:
    """The names one function binds, and to what (assignments, loops, ``with``,
    augmented assignments, and a method call on a bound name, which changes it)."""

    def __init__(self, func: cst.FunctionDef) -> None:
        self.func = func
        self.bound: Dict[str, List[cst.BaseExpression]] = {}
        self.plain: Dict[str, List[cst.BaseExpression]] = {}  # ``name = value`` only
        self.unpacked: Set[str] = set()  # also bound some other way
        calls: List[cst.Call] = []
        for node in scope_nodes(func.body):
            if isinstance(node, cst.Assign):
                for target in node.targets:
                    self._bind(target.target, node.value, plain=True)
            elif isinstance(node, cst.AnnAssign) and node.value is not None:
                self._bind(node.target, node.value, plain=True)
            elif isinstance(node, cst.AugAssign):
                self._bind(node.target, node.value)
            elif isinstance(node, cst.For):
                self._bind(node.target, node.iter)
            elif isinstance(node, cst.WithItem) and node.asname is not None:
                self._bind(node.asname.name, node.item)
            elif isinstance(node, cst.NamedExpr):
                self._bind(node.target, node.value)
            elif isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
                calls.append(node.value)
        for call in calls:  # ``model.fit(X, y)``: the model now holds what it was given
            base = call.func.value if isinstance(call.func, cst.Attribute) else None
            if isinstance(base, cst.Name) and base.value in self.bound:
                self.bound[base.value].append(call)
                self.unpacked.add(base.value)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression, plain: bool = False) -> None:
        if isinstance(target, cst.Name):
            self.bound.setdefault(target.value, []).append(value)
            if plain:
                self.plain.setdefault(target.value, []).append(value)
            else:
                self.unpacked.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            values = value.elements if isinstance(value, (cst.Tuple, cst.List)) else None
            for index, element in enumerate(target.elements):
                part = values[index].value if values is not None and len(values) == len(target.elements) else value
                self._bind(element.value, part)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            self._bind(target.value, value)  # ``results["acc"] = v``: the container holds v
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, value)


# ---------------------------------------------------------------------------
# direction of a value


@dataclass(frozen=True)
class Evidence:
    """A value's direction, and the expression that says so."""

    direction: str
    node: cst.CSTNode


def describe(node: cst.CSTNode, ctx: RuleContext) -> str:
    """``accuracy_score(...)``, ``model.score(...)``, ``val_acc``: short code for a message."""
    if isinstance(node, cst.Call):
        return f"{ctx.code_for(node.func).strip()}(...)"
    text = " ".join(ctx.code_for(node).split())
    return text if len(text) <= 48 else text[:45] + "..."


class Directions:
    """Reads whether a value is better higher or lower, from the names and calls that make it."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.objectives = ctx.facts(FileObjectives)

    def of(self, expr: cst.BaseExpression, flow: Optional[Flow], depth: int = 0) -> Optional[Evidence]:
        if depth > 8:
            return None
        if isinstance(expr, cst.Name):
            return self._name(expr, flow, depth)
        if isinstance(expr, cst.Attribute):
            found = name_direction(expr.attr.value)
            return Evidence(found, expr) if found else None
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr, flow, depth)
        if isinstance(expr, cst.UnaryOperation):
            inner = self.of(expr.expression, flow, depth + 1)
            if inner is None or isinstance(expr.operator, cst.Not):
                return None
            return Evidence(flipped(inner.direction), expr) if isinstance(expr.operator, cst.Minus) else inner  # type: ignore[arg-type]
        if isinstance(expr, cst.BinaryOperation):
            return self._binary(expr, flow, depth)
        if isinstance(expr, cst.Call):
            return self._call(expr, flow, depth)
        return None

    def _name(self, expr: cst.Name, flow: Optional[Flow], depth: int) -> Optional[Evidence]:
        """What the name's own assignments say; the name's words only when it is
        assigned at most once (``acc = evaluate(model)``), never against them."""
        by_name = name_direction(expr.value)
        values = flow.plain.get(expr.value, []) if flow is not None else []
        values = [v for v in values if not is_constant(v, self.ctx)]
        if any(_mentions(v, expr.value) for v in values):
            return None  # ``acc = -acc`` under a condition: the sign depends on the run
        found = [self.of(v, flow, depth + 1) for v in values]
        known = {e.direction for e in found if e is not None}
        if len(known) > 1 or (by_name is not None and known and by_name not in known):
            return None
        if known and None not in found and (flow is None or expr.value not in flow.unpacked):
            return next(e for e in found if e is not None)
        if by_name is None or len(values) > 1:
            return None
        return Evidence(by_name, expr)

    def _subscript(self, expr: cst.Subscript, flow: Optional[Flow], depth: int) -> Optional[Evidence]:
        if len(expr.slice) != 1:
            return None
        if isinstance(expr.slice[0].slice, cst.Slice):  # ``h["val_loss"][-8:]``
            inner = self.of(expr.value, flow, depth + 1)
            return Evidence(inner.direction, expr) if inner else None
        if not isinstance(expr.slice[0].slice, cst.Index):
            return None
        index = expr.slice[0].slice.value
        key = string_value(index)
        if key is not None:
            found = name_direction(key)
            return Evidence(found, expr) if found else None
        if number(index, self.ctx.imports) is not None:  # ``history.history["val_acc"][-1]``
            inner = self.of(expr.value, flow, depth + 1)
            return Evidence(inner.direction, expr) if inner else None
        return None

    def _binary(self, expr: cst.BinaryOperation, flow: Optional[Flow], depth: int) -> Optional[Evidence]:
        left, right, op = expr.left, expr.right, expr.operator
        left_number = number(left, self.ctx.imports)
        right_number = number(right, self.ctx.imports)
        if isinstance(op, cst.Subtract) and left_number is not None and left_number > 0:
            inner = self.of(right, flow, depth + 1)  # ``1 - acc``: an error rate
            return Evidence(flipped(inner.direction), expr) if inner else None  # type: ignore[arg-type]
        if isinstance(op, cst.Multiply):
            if left_number is not None and left_number > 0:
                return self.of(right, flow, depth + 1)
            if right_number is not None and right_number > 0:
                return self.of(left, flow, depth + 1)
            return None
        if isinstance(op, cst.Power) and right_number is not None and right_number > 0:
            return self.of(left, flow, depth + 1)  # ``mse ** 0.5``
        if isinstance(op, cst.Divide) and (right_number is None or right_number > 0):
            return self.of(left, flow, depth + 1)  # ``correct / total``
        return None

    def _call(self, call: cst.Call, flow: Optional[Flow], depth: int) -> Optional[Evidence]:
        name = method_name(call)
        if name is None or has_star_args(call):
            return None
        attribute = isinstance(call.func, cst.Attribute)
        if name in CV_SCORERS:
            positional = [a for a in call.args if a.keyword is None]
            scoring = arg_value(call, None, "scoring")
            if len(positional) <= 4 and (scoring is None or string_value(scoring) is not None):
                return Evidence(HIGHER, call)  # every scikit-learn scorer is higher-is-better
            return None
        found = function_direction(name)
        if found is not None:
            return Evidence(found, call)
        owner = call.func.value if attribute else None  # type: ignore[attr-defined]
        on_self = isinstance(owner, cst.Name) and owner.value in ("self", "cls")
        if attribute and name == "score" and call.args and not on_self:
            return Evidence(HIGHER, call)  # scikit-learn's estimator score: accuracy or R²
        if on_self and depth < 4:
            return self._helper(name, depth, methods=True)
        if name in KEEP_FUNCTIONS and len(call.args) == 1 and call.args[0].keyword is None:
            return self.of(call.args[0].value, flow, depth + 1)
        if attribute and name in KEEP_METHODS and not call.args:
            return self.of(call.func.value, flow, depth + 1)  # type: ignore[attr-defined]
        if not attribute and depth < 4:
            return self._helper(name, depth)
        return None

    def _helper(self, name: str, depth: int, methods: bool = False) -> Optional[Evidence]:
        """``return train_and_score(params)``: what the one function of that name in this file
        returns (``self.evaluate(params)``: the one method of that name)."""
        funcs = [f for f in self.objectives.functions.get(name, ()) if (id(f) in self.objectives.methods) == methods]
        if len(funcs) != 1:
            return None
        found = self.returned(funcs[0], depth + 1)
        return found if isinstance(found, Evidence) else None

    def returned(self, func: cst.FunctionDef, depth: int = 0):
        """The direction every non-placeholder ``return`` of ``func`` gives (an
        ``Evidence``), a list of them for tuples, or None when any is unknown."""
        flow = Flow(func)
        values = [r.value for r in returns_of(func) if not is_constant(r.value, self.ctx)]
        if not values:
            return None
        if all(isinstance(v, cst.Tuple) for v in values):
            sizes = {len(v.elements) for v in values}  # type: ignore[attr-defined]
            if len(sizes) != 1:
                return None
            out = []
            for position in range(sizes.pop()):
                parts = [self.of(v.elements[position].value, flow, depth) for v in values]  # type: ignore[attr-defined]
                out.append(_agreed(parts))
            return out
        return _agreed([self.of(v, flow, depth) for v in values])


def _mentions(expr: cst.CSTNode, name: str) -> bool:
    return any(isinstance(n, cst.Name) and n.value == name for n in descendants(expr)) or (isinstance(expr, cst.Name) and expr.value == name)


def _agreed(found: List[Optional[Evidence]]) -> Optional[Evidence]:
    if not found or any(e is None for e in found):
        return None
    if len({e.direction for e in found}) != 1:  # type: ignore[union-attr]
        return None
    return found[0]


# ---------------------------------------------------------------------------
# the objectives of a file


@dataclass(frozen=True)
class Search:
    """A call that runs ``funcs`` as its objective: ``study.optimize``, ``fmin``, ``tune.run``, bayes_opt's optimizer."""

    call: cst.Call
    funcs: Tuple[cst.FunctionDef, ...]
    label: str  # how the message names the call
    params: Tuple[Optional[str], ...] = ()  # the parameter of each of ``funcs`` the call fills with the trial or config


def searches(ctx: RuleContext) -> List[Search]:
    """Every search call of the file with the objective functions of this file it runs."""
    objectives = ctx.facts(FileObjectives)
    found: List[Search] = []
    for call in objectives.optimize_calls:
        runs = objectives.runs_of(call)
        if runs:
            found.append(Search(call, tuple(r.func for r in runs), f"{ctx.code_for(call.func).strip()}()", tuple(r.trial for r in runs)))
    for node in descendants(ctx.module):
        if not isinstance(node, cst.Call) or has_star_args(node):
            continue
        qualified = ctx.qualify(node.func)
        if qualified in HYPEROPT_FMIN:
            given = arg_value(node, 0, "fn")
        elif qualified == HYPERAS_MINIMIZE:
            given = arg_value(node, 0, "model")  # hyperas: the model function its template turns into fmin's
        elif qualified in BAYES_OPT:
            given = arg_value(node, 0, "f")  # called with the sampled values as keywords
        elif qualified in SKOPT_MINIMIZERS:
            given = arg_value(node, 0, "func")
        elif qualified in RAY_RUNNERS:
            given = arg_value(node, 0, "run_or_experiment" if qualified.endswith("run") else "trainable")
            while isinstance(given, cst.Call) and ctx.qualify(given.func) in RAY_WITH_PARAMETERS and given.args:
                given = given.args[0].value
        else:
            continue
        if given is None:
            continue
        near = next((a for a in ctx.ancestors(node) if isinstance(a, cst.FunctionDef)), None)
        resolved = objectives.resolve(given, near, node)
        if not resolved and qualified in RAY_RUNNERS:
            resolved = [(step, None) for step in _trainable_steps(ctx, given)]
        if resolved:
            params = tuple(None if qualified in BAYES_OPT | SKOPT_MINIMIZERS else p for _, p in resolved)
            found.append(Search(node, tuple(f for f, _ in resolved), f"{ctx.code_for(node.func).strip()}()", params))
    return found


def _trainable_steps(ctx: RuleContext, given: cst.BaseExpression) -> List[cst.FunctionDef]:
    """``class Net(tune.Trainable)`` of this file handed to Ray: its ``step`` (``_train``
    before Ray 1.0) returns the metrics each iteration reports."""
    if not isinstance(given, cst.Name):
        return []
    found = []
    for node in ctx.module.body:
        if isinstance(node, cst.ClassDef) and node.name.value == given.value:
            bases = [(ctx.qualify(b.value) or "").rsplit(".", 1)[-1] for b in node.bases]
            if "Trainable" in bases and isinstance(node.body, cst.IndentedBlock):
                found += [f for f in node.body.body if isinstance(f, cst.FunctionDef) and f.name.value in ("step", "_train")]
    return found


def line_of(ctx: RuleContext, node: cst.CSTNode) -> str:
    site = ctx.site(node)
    return f"line {site[0]}" if site else "a line not visible here"
