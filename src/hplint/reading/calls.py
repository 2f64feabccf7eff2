"""Small pieces of code reading shared by the rule families.

Kept deliberately shallow: argument lookup, the name a value is bound to,
and which function parameters are Optuna trials.  No data-flow analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, List, Mapping, Optional, Sequence, Set, Tuple, Union

from hplint.reading.imports import ImportTable, dotted_name

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

TRIAL_TYPES = frozenset({"optuna.Trial", "optuna.trial.Trial", "optuna.trial._trial.Trial", "optuna.trial.BaseTrial", "optuna.trial.FrozenTrial"})


def arg(call: cst.Call, index: Optional[int], keyword: Optional[str] = None) -> Optional[cst.Arg]:
    """The argument given at ``index`` positionally or as ``keyword=``."""
    if keyword is not None:
        for a in call.args:
            if a.keyword is not None and a.keyword.value == keyword:
                return a
    if index is not None:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if index < len(positional):
            # a *args before it makes positions unknown
            if any(a.star == "*" for a in call.args[: call.args.index(positional[index])]):
                return None
            return positional[index]
    return None


def arg_value(call: cst.Call, index: Optional[int], keyword: Optional[str] = None) -> Optional[cst.BaseExpression]:
    found = arg(call, index, keyword)
    return None if found is None else found.value


def has_star_args(call: cst.Call) -> bool:
    """``*args``/``**kwargs`` make a call's meaning unknown: never fix those."""
    return any(a.star for a in call.args)


def string_value(expr: Optional[cst.BaseExpression]) -> Optional[str]:
    """The value of a plain string literal (no f-strings), else None."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.ConcatenatedString):
        left, right = string_value(expr.left), string_value(expr.right)  # type: ignore[arg-type]
        if left is not None and right is not None:
            return left + right
    return None


def method_name(call: cst.Call) -> Optional[str]:
    """``x.y.suggest_float(...)`` -> ``suggest_float``; ``f(...)`` -> ``f``."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return None


def receiver(call: cst.Call) -> Optional[cst.BaseExpression]:
    return call.func.value if isinstance(call.func, cst.Attribute) else None


def target_names(target: cst.BaseExpression) -> List[str]:
    """Names bound by an assignment or for-loop target (``a, (b, c)`` -> a, b, c)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        out: List[str] = []
        for element in target.elements:
            out.extend(target_names(element.value))
        return out
    if isinstance(target, cst.Attribute):
        return [target.attr.value]
    if isinstance(target, cst.Subscript):
        key = subscript_key(target)
        return [key] if key else []
    return []


def subscript_key(node: cst.Subscript) -> Optional[str]:
    """``params["lr"]`` -> ``"lr"``."""
    if len(node.slice) != 1:
        return None
    element = node.slice[0].slice
    if isinstance(element, cst.Index):
        return string_value(element.value)
    return None


def dict_items(node: cst.Dict) -> List[Tuple[str, cst.BaseExpression, cst.DictElement]]:
    """String-keyed items of a dict literal."""
    out = []
    for element in node.elements:
        if isinstance(element, cst.DictElement):
            key = string_value(element.key)
            if key is not None:
                out.append((key, element.value, element))
    return out


def dict_call_items(call: cst.Call) -> List[Tuple[str, cst.BaseExpression, cst.Arg]]:
    """Keyword items of ``dict(lr=..., wd=...)``."""
    return [(a.keyword.value, a.value, a) for a in call.args if a.keyword is not None]


def param_names(func: cst.FunctionDef) -> List[str]:
    params = func.params
    every = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
    return [p.name.value for p in every]


def first_param(func: Union[cst.FunctionDef, cst.Lambda]) -> Optional[cst.Param]:
    params = list(func.params.posonly_params) + list(func.params.params)
    if params and params[0].name.value in ("self", "cls") and isinstance(func, cst.FunctionDef):
        params = params[1:]
    return params[0] if params else None


def annotated_trial_params(func: cst.FunctionDef, imports: ImportTable) -> Set[str]:
    """Parameters annotated ``optuna.Trial`` (or ``optuna.trial.Trial``)."""
    found = set()
    params = func.params
    for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params):
        if p.annotation is None:
            continue
        ann = p.annotation.annotation
        if isinstance(ann, cst.SimpleString):
            text = string_value(ann) or ""
            qual = imports.qualify_dotted(text) if text else None
        else:
            qual = imports.qualify(ann)
        if qual in TRIAL_TYPES:
            found.add(p.name.value)
    return found


def optimize_objective_names(call: cst.Call) -> List[str]:
    """Function names a ``study.optimize(...)`` call runs as objectives.

    ``study.optimize(objective)``, ``study.optimize(func=objective)``,
    ``study.optimize(self.objective)``, ``study.optimize(lambda t: objective(t, data))``
    and ``study.optimize(partial(objective, data=d))`` all name ``objective``
    (``reading.objectives`` also follows names, classes and factories).
    """
    value = optimize_argument(call)
    if value is None:
        return []
    return [ref.name for ref in objective_refs(value) if not ref.returned]


def optimize_argument(call: cst.Call) -> Optional[cst.BaseExpression]:
    """What ``x.optimize(...)`` is given to run (first argument or ``func=``)."""
    if method_name(call) != "optimize" or not isinstance(call.func, cst.Attribute):
        return None
    return arg_value(call, 0, "func")


@dataclass(frozen=True)
class ObjectiveRef:
    """A callable named ``name`` that Optuna calls with the trial.

    The trial is its parameter ``trial_index`` (``self``/``cls`` not counted)
    or the one named ``trial_keyword``; ``returned``: the callable is what a
    call of ``name`` returns (a class's ``__call__``, a factory's inner function).
    """

    name: str
    trial_index: Optional[int] = 0
    trial_keyword: Optional[str] = None
    returned: bool = False
    attribute: bool = False  # ``self.objective``: may be a method; a bare name never is


Bindings = Mapping[str, Sequence["cst.BaseExpression"]]


def objective_refs(
    value: cst.BaseExpression,
    bindings: Optional[Bindings] = None,
    position: Optional[int] = 0,
    keyword: Optional[str] = None,
    hops: int = 3,
) -> List[ObjectiveRef]:
    """The callables ``value`` stands for when it is called with the trial at
    ``position`` (or as ``keyword``): a name, ``self.method``, a lambda that
    hands its trial on, ``partial(f, a, b=...)``, ``Objective(data)``,
    ``make_objective(data)``, and, with ``bindings``, a name bound to one of these."""
    if hops <= 0:
        return []
    if isinstance(value, cst.Name):
        found = [ObjectiveRef(value.value, position, keyword)]
        for bound in (bindings or {}).get(value.value, ()):
            found.extend(objective_refs(bound, bindings, position, keyword, hops - 1))
        return found
    if isinstance(value, cst.Attribute):
        return [ObjectiveRef(value.attr.value, position, keyword, attribute=True)]
    if isinstance(value, cst.Lambda):
        return _lambda_refs(value, bindings, position, keyword, hops)
    if isinstance(value, cst.Call) and not has_star_args(value):
        callee = method_name(value)
        if callee == "partial" and value.args and value.args[0].keyword is None:
            bound = len([a for a in value.args[1:] if a.keyword is None])
            shifted = None if position is None else position + bound
            return objective_refs(value.args[0].value, bindings, shifted, keyword, hops - 1)
        if callee:
            return [ObjectiveRef(callee, 0, None, returned=True)]
    return []


def _lambda_refs(
    value: cst.Lambda, bindings: Optional[Bindings], position: Optional[int], keyword: Optional[str], hops: int
) -> List[ObjectiveRef]:
    """``lambda t: train(X, t)``: ``train`` receives the trial as its second parameter."""
    params = list(value.params.posonly_params) + list(value.params.params)
    if keyword is not None:
        names = [p.name.value for p in params + list(value.params.kwonly_params) if p.name.value == keyword]
    else:
        names = [params[position].name.value] if position is not None and position < len(params) else []
    body = value.body
    if not names or not isinstance(body, cst.Call) or has_star_args(body):
        return []
    for index, a in enumerate(body.args):
        if isinstance(a.value, cst.Name) and a.value.value == names[0]:
            if a.keyword is not None:
                return objective_refs(body.func, bindings, None, a.keyword.value, hops - 1)
            return objective_refs(body.func, bindings, index, None, hops - 1)
    return []  # the trial never reaches the callee


def callable_names(value: cst.BaseExpression) -> List[str]:
    """Names a callable argument stands for (``f``, ``m.f``, a lambda's callee, ``partial(f, ...)``)."""
    if isinstance(value, (cst.Name, cst.Attribute)):
        name = dotted_name(value)
        return [name.rsplit(".", 1)[-1]] if name else []
    if isinstance(value, cst.Lambda) and isinstance(value.body, cst.Call):
        return callable_names(value.body.func)
    if isinstance(value, cst.Call):
        callee = dotted_name(value.func) or ""
        if callee.rsplit(".", 1)[-1] == "partial" and value.args:
            return callable_names(value.args[0].value)
    return []


@dataclass
class FunctionInfo:
    node: cst.FunctionDef
    trial_params: Set[str] = field(default_factory=set)
    first_param: Optional[str] = None


class TrialTracker:
    """Which names are Optuna trials where.

    A trial is a parameter annotated ``optuna.Trial``, the first parameter of
    a function passed to ``study.optimize``, or, failing both, a parameter
    named ``trial``.  Names passed to ``optimize`` may be seen after the
    function, so callers that need that case decide at ``leave_Module`` with
    :meth:`is_objective`.
    """

    def __init__(self, imports: ImportTable) -> None:
        self.imports = imports
        self.stack: List[FunctionInfo] = []
        self.objective_names: Set[str] = set()

    def enter(self, node: cst.FunctionDef) -> None:
        info = FunctionInfo(node)
        info.trial_params = annotated_trial_params(node, self.imports)
        first = first_param(node)
        info.first_param = first.name.value if first is not None else None
        if "trial" in param_names(node):
            info.trial_params.add("trial")
        self.stack.append(info)

    def leave(self) -> None:
        self.stack.pop()

    def see_call(self, call: cst.Call) -> None:
        self.objective_names.update(optimize_objective_names(call))

    @property
    def current(self) -> Optional[FunctionInfo]:
        return self.stack[-1] if self.stack else None

    def known_trial_names(self) -> Set[str]:
        """Trial names visible now (closures see their outer function's trial)."""
        names: Set[str] = set()
        for info in self.stack:
            names |= info.trial_params
        return names

    def is_objective(self, func: cst.FunctionDef) -> bool:
        return func.name.value in self.objective_names


def in_test_function(ctx, node: cst.CSTNode) -> bool:
    """Tests enumerate values on purpose (``def test_...``, ``class Test...``):
    a sweep there checks the code under test, it does not tune anything."""
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, cst.FunctionDef) and ancestor.name.value.startswith("test"):
            return True
        if isinstance(ancestor, cst.ClassDef) and ancestor.name.value.startswith("Test"):
            return True
    return False
