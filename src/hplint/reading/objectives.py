"""Which functions of a file Optuna runs as objectives, however they are handed over.

Real code rarely writes ``study.optimize(objective)`` alone: it passes
``lambda t: train(t, data)``, ``functools.partial(objective, data=d)``,
``self.objective``, an instance of a class with ``__call__(self, trial)``,
what ``make_objective(data)`` returns, or a name bound to any of these.
``reading.calls.objective_refs`` reads the spelling; this module finds the
functions it means in the file and the parameter that receives the trial.
One plain assignment per hop is followed (three hops at most); nothing is
guessed across modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Collection, Dict, Iterator, List, Optional, Set, Tuple

from hplint.reading.calls import ObjectiveRef, arg_value, objective_refs, optimize_argument, string_value
from hplint.reading.reaching import reaching
from hplint.reading.tree import children, descendants, nested_scopes

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst


# bayes_opt's optimizer: ``BayesianOptimization(f=black_box, pbounds=...)`` always maximizes ``f``
BAYES_OPT = frozenset({"bayes_opt.BayesianOptimization", "bayes_opt.bayesian_optimization.BayesianOptimization"})


@dataclass
class Run:
    """``func`` runs as the objective of the ``optimize`` call ``call``; ``trial`` is its trial parameter."""

    call: cst.Call
    func: cst.FunctionDef
    trial: Optional[str]


@dataclass
class FileObjectives:
    """A module's functions, classes, plain-name bindings and what its ``optimize`` calls run."""

    functions: Dict[str, List[cst.FunctionDef]] = field(default_factory=dict)
    classes: Dict[str, List[cst.ClassDef]] = field(default_factory=dict)
    bindings: Dict[str, List[cst.BaseExpression]] = field(default_factory=dict)
    optimize_calls: List[cst.Call] = field(default_factory=list)
    runs: List[Run] = field(default_factory=list)
    methods: Set[int] = field(default_factory=set)  # id() of functions defined in a class body
    # id() of a function or an optimize call -> the function it is written in (None: the module)
    outer: Dict[int, Optional[cst.FunctionDef]] = field(default_factory=dict)
    # the file's context: which of several same-named functions a call sees (``reading.reaching``)
    ctx: Optional[RuleContext] = field(default=None, repr=False, compare=False)

    @classmethod
    def collect(cls, ctx: RuleContext) -> FileObjectives:
        return cls.of_module(ctx.module, ctx)

    @classmethod
    def of_module(cls, module: cst.Module, ctx: Optional[RuleContext] = None) -> FileObjectives:
        found = cls(ctx=ctx)
        for node, outer in _with_outer(module):
            kind = type(node)  # compared exactly: parsed trees hold libcst's own classes
            if kind is cst.FunctionDef:
                found.functions.setdefault(node.name.value, []).append(node)
                found.outer[id(node)] = outer
            elif kind is cst.ClassDef:
                found.classes.setdefault(node.name.value, []).append(node)
                found.methods.update(id(s) for s in _own_statements(node.body) if isinstance(s, cst.FunctionDef))
            elif kind is cst.Assign:
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        found.bindings.setdefault(target.target.value, []).append(node.value)
            elif kind is cst.Call and optimize_argument(node) is not None:
                found.optimize_calls.append(node)
                found.outer[id(node)] = outer
        for call in found.optimize_calls:
            for func, trial in found.resolve(optimize_argument(call), found.outer.get(id(call)), call):  # type: ignore[arg-type]
                found.runs.append(Run(call, func, trial))
        return found

    # -- resolving ---------------------------------------------------------
    def resolve(
        self, value: cst.BaseExpression, near: Optional[cst.FunctionDef] = None, use: Optional[cst.CSTNode] = None
    ) -> List[Tuple[cst.FunctionDef, Optional[str]]]:
        """(function, trial parameter) for every function of this file ``value`` runs with the trial.

        ``near``: the function the reference is written in; of several functions of
        one name, those defined beside it (a nested ``def objective``) are the ones meant.
        ``use``: the call that runs them; where a script or notebook defines the name
        again before each call, the definition before it is the one meant."""
        out: List[Tuple[cst.FunctionDef, Optional[str]]] = []
        seen = set()
        for ref in objective_refs(value, self.bindings):
            funcs = self._functions_of(ref)
            if len(funcs) > 1:
                beside = [f for f in funcs if self.outer.get(id(f)) is near]
                funcs = beside or funcs
            if len(funcs) > 1 and use is not None and self.ctx is not None and not ref.returned:
                funcs = reaching(self.ctx, use, funcs)
            for func in funcs:
                if id(func) not in seen:
                    seen.add(id(func))
                    out.append((func, trial_parameter(func, ref)))
        return out

    def _functions_of(self, ref: ObjectiveRef) -> List[cst.FunctionDef]:
        if not ref.returned:
            return [f for f in self.functions.get(ref.name, ()) if ref.attribute or id(f) not in self.methods]
        out: List[cst.FunctionDef] = []
        for klass in self.classes.get(ref.name, ()):
            out.extend(s for s in _own_statements(klass.body) if isinstance(s, cst.FunctionDef) and s.name.value == "__call__")
        for factory in self.functions.get(ref.name, ()):
            out.extend(returned_functions(factory))
        return out

    def runs_of(self, call: cst.Call) -> List[Run]:
        return [run for run in self.runs if run.call is call]

    def trial_of(self, func: cst.FunctionDef) -> Optional[str]:
        """The trial parameter of ``func`` if some ``optimize`` call runs it."""
        for run in self.runs:
            if run.func is func and run.trial is not None:
                return run.trial
        return None


def trial_parameter(func: cst.FunctionDef, ref: ObjectiveRef) -> Optional[str]:
    """The parameter of ``func`` that receives the trial as ``ref`` says."""
    params = func.params
    positional = list(params.posonly_params) + list(params.params)
    if positional and positional[0].name.value in ("self", "cls"):
        positional = positional[1:]
    if ref.trial_keyword is not None:
        every = positional + list(params.kwonly_params)
        return ref.trial_keyword if any(p.name.value == ref.trial_keyword for p in every) else None
    if ref.trial_index is not None and ref.trial_index < len(positional):
        return positional[ref.trial_index].name.value
    return None


def handed_trial_draws(functions: Dict[str, List[cst.FunctionDef]], call: cst.Call, trials: Collection[str]) -> List[Tuple[Optional[str], cst.Call]]:
    """The draws a function of this file makes on the trial that ``call`` hands it
    (``settings = search_hyperparam(trial)`` suggesting ``"batch_size"``), each with
    the name it draws: one call followed, as the caller's own draws."""
    if not (trials and isinstance(call.func, cst.Name)):
        return []
    defs = functions.get(call.func.value, [])
    if len(defs) != 1:
        return []
    params = [p.name.value for p in [*defs[0].params.posonly_params, *defs[0].params.params]]
    given = set()
    for index, argument in enumerate(call.args):
        if isinstance(argument.value, cst.Name) and argument.value.value in trials and not argument.star:
            if argument.keyword is not None:
                given.add(argument.keyword.value)
            elif index < len(params):
                given.add(params[index])
    found: List[Tuple[Optional[str], cst.Call]] = []
    for node in descendants(defs[0].body) if given else ():
        func = node.func if isinstance(node, cst.Call) else None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in given and func.attr.value.startswith("suggest_"):
            found.append((string_value(arg_value(node, 0, "name")), node))  # type: ignore[arg-type]
    return found


def returned_functions(factory: cst.FunctionDef) -> List[cst.FunctionDef]:
    """Functions defined in ``factory`` and returned by name (``return objective``)."""
    inner = {s.name.value: s for s in _own_statements(factory.body) if isinstance(s, cst.FunctionDef)}
    out = []
    for node in descendants(factory.body, nested_scopes() + (cst.Lambda,)):
        if isinstance(node, cst.Return) and isinstance(node.value, cst.Name) and node.value.value in inner:
            out.append(inner[node.value.value])
    return out


def _with_outer(module: cst.Module) -> Iterator[Tuple[cst.CSTNode, Optional[cst.FunctionDef]]]:
    """Every node below ``module`` in source order, with the function it is written in."""
    stack: List[Tuple[cst.CSTNode, Optional[cst.FunctionDef]]] = [(child, None) for child in reversed(children(module))]
    while stack:
        node, outer = stack.pop()
        yield node, outer
        inner = node if type(node) is cst.FunctionDef else outer
        stack.extend((child, inner) for child in reversed(children(node)))


def _own_statements(block: cst.BaseSuite) -> List[cst.BaseStatement]:
    return list(block.body) if isinstance(block, cst.IndentedBlock) else []
