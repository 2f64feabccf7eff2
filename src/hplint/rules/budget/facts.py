"""What the HPL5 rules read around a budget: where a budget parameter is given a
value, and how many hyperparameters the search tunes.

A budget is often a parameter (``def run_search(max_evals): fmin(...,
max_evals=max_evals)``) that this module calls with a constant
(``run_search(max_evals=10)``): one call is followed, never more.  The number
of hyperparameters is counted from the objective ``study.optimize`` runs
(through a lambda, ``partial``, a bound method, a class's ``__call__``...), a
hyperopt space, or a Keras Tuner build function, only where every name is a
literal; otherwise it is not stated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Set, Tuple

from hplint.reading.calls import arg, arg_value, first_param, has_star_args, method_name, receiver, string_value
from hplint.reading.objectives import FileObjectives
from hplint.reading.tree import descendants, nested_scopes
from hplint.rules.strategy.hypermodels import keras_tuned

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst



@dataclass
class Given:
    """A budget parameter's value at one call site."""

    given: cst.Arg  # the argument the call site writes
    caller: str  # the function called


def call_sites(ctx: RuleContext, func: cst.FunctionDef, param: str) -> Optional[List[Given]]:
    """What each call of ``func`` in this module passes for ``param``; None when
    ``func`` rebinds it, a call's arguments are unknown (``*args``), a call
    leaves it to the default, or a call runs in a loop."""
    if _rebinds(func, param):
        return None
    positional = [p.name.value for p in list(func.params.posonly_params) + list(func.params.params)]
    keyword_only = {p.name.value for p in func.params.kwonly_params}
    if param not in positional and param not in keyword_only:
        return None
    name = func.name.value
    found: List[Given] = []
    for call in _calls_named(ctx, name):
        if has_star_args(call) or _in_loop(ctx, call):
            return None
        index: Optional[int] = None
        if param in positional:
            index = positional.index(param)
            if positional[0] in ("self", "cls") and isinstance(call.func, cst.Attribute):
                index -= 1  # ``self.run_search(10)``: self is bound
        given = arg(call, index, param)
        if given is None:
            return None
        found.append(Given(given, name))
    return found


def _calls_named(ctx: RuleContext, name: str) -> List[cst.Call]:
    return [n for n in descendants(ctx.module) if isinstance(n, cst.Call) and method_name(n) == name]


def _rebinds(func: cst.FunctionDef, param: str) -> bool:
    for node in descendants(func.body, nested_scopes() + (cst.Lambda,)):
        targets: List[cst.BaseExpression] = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, (cst.For, cst.CompFor)):
            targets = [node.target]
        for target in targets:
            if any(isinstance(n, cst.Name) and n.value == param for n in [target, *descendants(target)]):
                return True
    return False


def _in_loop(ctx: RuleContext, node: cst.CSTNode) -> bool:
    for ancestor in ctx.ancestors(node):
        if isinstance(ancestor, (cst.For, cst.While)):
            return True
        if isinstance(ancestor, cst.FunctionDef):
            return False
    return False


def enclosing_function(ctx: RuleContext, node: cst.CSTNode) -> Optional[cst.FunctionDef]:
    return next((a for a in ctx.ancestors(node) if isinstance(a, cst.FunctionDef)), None)


# ---------------------------------------------------------------------------
# how many hyperparameters


def optuna_count(ctx: RuleContext, call: cst.Call) -> Optional[Tuple[int, bool]]:
    """Distinct ``trial.suggest_*`` names in the one objective ``call`` runs (and in
    the functions of this file it hands the trial to), if every name is a literal,
    and whether that is all of them (False: the trial also reaches a function not
    defined here, which may suggest more).  None where a suggestion sits in a branch
    (``if model == "als": ...``): a trial samples one branch's, not their sum."""
    runs = ctx.facts(FileObjectives).runs_of(call)
    funcs = {id(run.func): run for run in runs}
    if len(funcs) != 1 or runs[0].trial is None:
        return None
    names: Set[str] = set()
    hidden: List[bool] = []
    if not _suggested(ctx, runs[0].func, runs[0].trial, names, set(), hidden):
        return None
    return (len(names), not hidden) if names else None


def _suggested(ctx: RuleContext, func: cst.FunctionDef, trial: str, names: Set[str], seen: Set[int], hidden: List[bool]) -> bool:
    """Add the literal names ``func`` suggests on ``trial``; False if one is not a literal.
    ``hidden`` gets an entry when the trial is handed to a function not defined here."""
    if id(func) in seen:
        return True
    seen.add(id(func))
    functions = ctx.facts(FileObjectives).functions
    for node in descendants(func.body):
        if not isinstance(node, cst.Call):
            continue
        recv = receiver(node)
        if isinstance(recv, cst.Name) and recv.value == trial and (method_name(node) or "").startswith("suggest_"):
            label = string_value(arg_value(node, 0, "name"))
            if label is None or _in_branch(ctx, node, func):
                return False
            names.add(label)
            continue
        for index, a in enumerate(node.args):  # one hop into a helper of this file given the trial
            if isinstance(a.value, cst.Name) and a.value.value == trial:
                helpers = functions.get(method_name(node) or "", ())
                if not helpers and not (method_name(node) or "").endswith("PruningCallback"):
                    hidden.append(True)  # a function not visible here may suggest more
                for helper in helpers:
                    param = _param_at(helper, index if a.keyword is None else None, a.keyword.value if a.keyword else None)
                    if param is None or not _suggested(ctx, helper, param, names, seen, hidden):
                        return False
    return True


def _in_branch(ctx: RuleContext, node: cst.CSTNode, func: cst.FunctionDef) -> bool:
    """``node`` runs under an ``if`` (or ``match``) of ``func``: not in every trial."""
    for above in ctx.ancestors(node):
        if above is func:
            return False
        if isinstance(above, (cst.If, cst.Match, cst.IfExp)):
            return True
    return False


def _param_at(func: cst.FunctionDef, index: Optional[int], keyword: Optional[str]) -> Optional[str]:
    params = list(func.params.posonly_params) + list(func.params.params)
    if params and params[0].name.value in ("self", "cls"):
        params = params[1:]
    if keyword is not None:
        return keyword if any(p.name.value == keyword for p in params + list(func.params.kwonly_params)) else None
    return params[index].name.value if index is not None and index < len(params) else None


def hyperopt_count(ctx: RuleContext, space: Optional[cst.BaseExpression], resolve) -> Optional[int]:
    """Distinct labels of the ``hp.*`` expressions in a hyperopt space, if every label is a literal."""
    value = resolve(space)
    if value is None:
        return None
    labels: Set[str] = set()
    for node in [value, *descendants(value)]:
        if isinstance(node, cst.Call) and (ctx.qualify(node.func) or "").startswith("hyperopt.hp."):
            label = string_value(arg_value(node, 0, "label"))
            if label is None:
                return None
            labels.add(label)
    return len(labels) or None


def keras_count(ctx: RuleContext, hypermodel: Optional[cst.BaseExpression]) -> Optional[int]:
    """Distinct tuned names (``hp.Float/Int/Choice/Boolean``) of a build function in this file."""
    if not isinstance(hypermodel, cst.Name):
        return None
    defs = ctx.facts(FileObjectives).functions.get(hypermodel.value, [])
    if len(defs) != 1:
        return None
    hp = first_param(defs[0])
    if hp is None:
        return None
    names = keras_tuned(ctx, defs[0], hp.name.value, formatted=False)
    if names is None:
        return None
    return len(set(names)) or None
