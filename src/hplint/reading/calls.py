"""Small pieces of code reading shared by the rule families.

Kept deliberately shallow: argument lookup, the name a value is bound to,
and which function parameters are Optuna trials.  No data-flow analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, List, Optional, Set, Tuple, Union

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
    ``study.optimize(lambda t: objective(t, data))`` and
    ``study.optimize(partial(objective, data=d))`` all name ``objective``.
    """
    if method_name(call) != "optimize" or not isinstance(call.func, cst.Attribute):
        return []
    value = arg_value(call, 0, "func")
    if value is None:
        return []
    return callable_names(value)


def callable_names(value: cst.BaseExpression) -> List[str]:
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
