"""What the HPL3 rules share: a file's studies and objectives, and how to read them.

``FileFacts`` is collected once per file (``ctx.facts(FileFacts)``): every
pruning rule but HPL303 starts from the same objectives and studies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from hplint.core.rule import Rule
from hplint.reading.calls import (
    annotated_trial_params,
    arg_value,
    callable_names,
    first_param,
    method_name,
    param_names,
    receiver,
)
from hplint.reading.imports import dotted_name
from hplint.reading.objectives import FileObjectives
from hplint.reading.tree import descendants, nested_scopes
from hplint.reading.vocabulary import name_tokens

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "pruning"

MEDIAN_PRUNER_HOW = (
    "Optuna's MedianPruner stops a trial whose best intermediate value so far is worse "
    "than the median of the previous trials' values at the same step; it waits for "
    "`n_startup_trials` complete trials (default 5) and `n_warmup_steps` steps of each "
    "trial (default 0) before it prunes anything. "
)
BUDGET_NUMBERS = (
    "With 100 trials of 100 epochs (10,000 epoch-trainings) the first 5 trials run to the end "
    "and each later trial can stop at the first step where it is worse than the median; how many "
    "epochs that saves depends on how many trials are clearly worse early, so the message "
    "states the study's own warm-up and trial budget (with `n_trials=6` only the sixth trial "
    "can be pruned, with 5 or fewer none) and `hplint verify HPL301` measures the saving on "
    "a demonstration. A trial that starts slowly can be stopped although it would have ended "
    "best: `n_warmup_steps` guards against that. "
)


# ---------------------------------------------------------------------------
# tree walking (no metadata: plain child iteration, skipping nested scopes)


def walk(node: cst.CSTNode, into_defs: bool = True) -> Iterator[cst.CSTNode]:
    """Every node below ``node``; nested functions, classes and lambdas only if ``into_defs``."""
    return descendants(node, () if into_defs else nested_scopes() + (cst.Lambda,))


def calls_in(node: cst.CSTNode, into_defs: bool = True) -> Iterator[cst.Call]:
    return (n for n in walk(node, into_defs) if isinstance(n, cst.Call))


def block_statements(block: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    if isinstance(block, cst.IndentedBlock):
        return block.body
    return ()


# ---------------------------------------------------------------------------
# what a file says about its studies and objectives


@dataclass
class Objective:
    """A function that receives an Optuna trial, and under which name."""

    func: cst.FunctionDef
    trial_names: Set[str]
    passed_to_optimize: bool


@dataclass
class FileFacts:
    """Studies, samplers, pruners and objectives of one module."""

    functions: Dict[str, List[cst.FunctionDef]] = field(default_factory=dict)
    classes: Dict[str, List[cst.ClassDef]] = field(default_factory=dict)
    objectives: List[Objective] = field(default_factory=list)
    create_studies: Dict[str, cst.Call] = field(default_factory=dict)  # study var -> create_study
    anonymous_studies: List[cst.Call] = field(default_factory=list)
    assignments: Dict[str, cst.BaseExpression] = field(default_factory=dict)  # last plain `x = ...`
    reassigned: Set[str] = field(default_factory=set)  # names given more than one value
    optimize_links: Dict[str, List[Optional[str]]] = field(default_factory=dict)  # objective -> study vars
    run_trials: Dict[int, Optional[str]] = field(default_factory=dict)  # id(objective) -> trial parameter
    hf_search_callables: Set[str] = field(default_factory=set)
    imports_optuna: bool = False

    # -- studies ---------------------------------------------------------
    def studies_of(self, func: cst.FunctionDef) -> List[Optional[cst.Call]]:
        """The create_study calls whose study runs ``func`` (None = unknown study)."""
        out: List[Optional[cst.Call]] = []
        for var in self.optimize_links.get(func.name.value, []):
            out.append(self.create_studies.get(var) if var else None)
        return out

    def all_studies(self) -> List[cst.Call]:
        """Every create_study call once (assigned ones are also seen as calls)."""
        return self.anonymous_studies

    def resolve(self, expr: Optional[cst.BaseExpression]) -> Optional[cst.BaseExpression]:
        """Follow one plain-name assignment (``pruner = NopPruner()``)."""
        if isinstance(expr, cst.Name) and expr.value in self.assignments:
            return self.assignments[expr.value] if expr.value not in self.reassigned else expr
        return expr

    def study_keyword_call(self, study: cst.Call, keyword: str) -> Optional[str]:
        """Callee name of ``create_study(<keyword>=X(...))``, following one assignment."""
        value = self.resolve(arg_value(study, None, keyword))
        if isinstance(value, cst.Call):
            callee = dotted_name(value.func)
            return callee.rsplit(".", 1)[-1] if callee else None
        return None

    def is_multi_objective(self, study: cst.Call) -> bool:
        return arg_value(study, None, "directions") is not None

    def is_grid(self, study: cst.Call) -> bool:
        return self.study_keyword_call(study, "sampler") == "GridSampler"

    def excused(self, func: cst.FunctionDef) -> bool:
        """A study Optuna cannot prune (multi-objective) or that must run every
        configuration to the end (GridSampler ablations)."""
        studies = self.studies_of(func)
        known = [s for s in studies if s is not None]
        if any(self.is_multi_objective(s) or self.is_grid(s) for s in known):
            return True
        if len(known) < len(studies) or not studies:
            # study not linked by name: any multi-objective or grid study in the file excuses it
            return any(self.is_multi_objective(s) or self.is_grid(s) for s in self.all_studies())
        return False

    # -- collecting --------------------------------------------------------
    @classmethod
    def collect(cls, ctx: RuleContext) -> FileFacts:
        """The facts of ``ctx.module``; ``ctx.facts(FileFacts)`` keeps them for every HPL3 rule."""
        facts = cls()
        facts.imports_optuna = any(t == "optuna" or t.startswith("optuna.") for t in ctx.imports.aliases.values())
        found = ctx.facts(FileObjectives)
        facts.functions, facts.classes = found.functions, found.classes
        for node in walk(ctx.module):
            if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                _see_assignment(facts, node.targets[0].target.value, node.value)
            elif isinstance(node, cst.Call):
                _see_call(facts, node)
        for run in found.runs:  # the functions each optimize() runs, however they are spelled
            study = receiver(run.call)
            var = study.value if isinstance(study, cst.Name) else None
            facts.optimize_links.setdefault(run.func.name.value, []).append(var)
            if facts.run_trials.get(id(run.func)) is None:
                facts.run_trials[id(run.func)] = run.trial
        _find_objectives(ctx, facts)
        return facts


def _see_assignment(facts: FileFacts, name: str, value: cst.BaseExpression) -> None:
    if name in facts.assignments and facts.assignments[name] is not value:
        facts.reassigned.add(name)  # ``pruner = ...`` in each branch of a choice: which one runs is not visible
    facts.assignments[name] = value
    if isinstance(value, cst.Call) and method_name(value) == "create_study":
        facts.create_studies[name] = value


def _see_call(facts: FileFacts, call: cst.Call) -> None:
    name = method_name(call)
    if name == "create_study":
        facts.anonymous_studies.append(call)
    elif name == "hyperparameter_search":
        for a in call.args:
            facts.hf_search_callables.update(callable_names(a.value))
    for a in call.args:  # transformers' Trainer(model_init=...) takes a trial too
        if a.keyword is not None and a.keyword.value == "model_init":
            facts.hf_search_callables.update(callable_names(a.value))


TRIAL_METHODS = ("suggest_", "report", "should_prune")


def _find_objectives(ctx: RuleContext, facts: FileFacts) -> None:
    """Objectives: passed to optimize, annotated Trial, or a ``trial`` parameter
    used as a live trial (suggest/report/should_prune) or handed over by an objective.

    A ``trial`` that is only read (``study.best_trial`` passed to a retraining
    function) is not an objective: pruning it makes no sense.
    """
    candidates: List[Tuple[cst.FunctionDef, Set[str], bool]] = []
    for name, defs in facts.functions.items():
        for func in defs:
            if name in facts.hf_search_callables:
                continue  # transformers' Trainer.hyperparameter_search prunes by itself
            optimized = id(func) in facts.run_trials
            names = _live_trial_params(ctx, func, optimized, facts.run_trials.get(id(func)))
            if names:
                facts.objectives.append(Objective(func, names, optimized))
            elif "trial" in param_names(func) and facts.imports_optuna:
                candidates.append((func, {"trial"}, False))
    if candidates:
        replays = _replays(ctx, {func.name.value: _trial_position(func) for func, _, _ in candidates})
        candidates = [c for c in candidates if not replays.get(c[0].name.value)]
    changed = True
    while changed and candidates:
        changed = False
        for entry in list(candidates):
            func, names, _ = entry
            if _uses_trial(func, names) or _handed_a_trial(func, facts.objectives):
                facts.objectives.append(Objective(func, names, False))
                candidates.remove(entry)
                changed = True


def _trial_position(func: cst.FunctionDef) -> Optional[int]:
    """Where a call gives the ``trial`` parameter by position (``self`` not counted), or None."""
    positional = [p.name.value for p in list(func.params.posonly_params) + list(func.params.params)]
    if positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    return positional.index("trial") if "trial" in positional else None


def _replays(ctx: RuleContext, names: Dict[str, Optional[int]]) -> Dict[str, bool]:
    """For each function name (and the position of its ``trial`` parameter): is every
    call of it in the file handed a finished trial
    (``detailed_objective(study.best_trial)``, ``FixedTrial(params)``), at least one?
    Such a function re-runs a configuration the search chose; it searches nothing."""
    found: Dict[str, bool] = {}
    for call in walk(ctx.module):
        if not isinstance(call, cst.Call) or (method_name(call) or "") not in names:
            continue
        name = method_name(call) or ""
        given = arg_value(call, names[name], "trial")
        found[name] = found.get(name, True) and given is not None and _finished_trial(given)
    return found


# the tokens of a name that holds a trial the search has finished: ``best_trial``, ``frozen``
FINISHED_TRIAL_TOKENS = frozenset({"best", "frozen", "fixed", "completed", "finished"})


def _finished_trial(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Attribute):
        return expr.attr.value in ("best_trial",)
    if isinstance(expr, cst.Subscript):
        return isinstance(expr.value, cst.Attribute) and expr.value.attr.value in ("trials", "best_trials")
    if isinstance(expr, cst.Call):
        return (dotted_name(expr.func) or "").rsplit(".", 1)[-1] in ("FixedTrial", "FrozenTrial", "create_trial")
    if isinstance(expr, cst.Name):
        return bool(name_tokens(expr.value) & FINISHED_TRIAL_TOKENS)
    return False


def _live_trial_params(ctx: RuleContext, func: cst.FunctionDef, optimized: bool, trial: Optional[str]) -> Set[str]:
    names = {n for n in annotated_trial_params(func, ctx.imports) if not _frozen(func, n)}
    if optimized:
        first = first_param(func)
        if trial is not None:
            names.add(trial)  # the parameter the optimize call hands the trial to
        elif first is not None:
            names.add(first.name.value)
        if "trial" in param_names(func):
            names.add("trial")
    return names


def _frozen(func: cst.FunctionDef, name: str) -> bool:
    """A parameter annotated ``FrozenTrial`` is a finished trial, never pruned."""
    params = func.params
    for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params):
        if p.name.value == name and p.annotation is not None:
            return "FrozenTrial" in cst.Module(body=[]).code_for_node(p.annotation.annotation)
    return False


def _uses_trial(func: cst.FunctionDef, names: Set[str]) -> bool:
    for call in calls_in(func):
        recv, method = receiver(call), method_name(call) or ""
        if isinstance(recv, cst.Name) and recv.value in names and method.startswith(TRIAL_METHODS):
            return True
    return False


def _handed_a_trial(func: cst.FunctionDef, objectives: List[Objective]) -> bool:
    """Does a known objective call ``func`` with its trial as an argument?"""
    name = func.name.value
    for objective in objectives:
        for call in calls_in(objective.func):
            if method_name(call) == name and any(
                isinstance(a.value, cst.Name) and a.value.value in objective.trial_names for a in call.args
            ):
                return True
    return False


# ---------------------------------------------------------------------------
# reading an objective


def calls_on(node: cst.CSTNode, names: Set[str], method: str) -> List[cst.Call]:
    """``<name>.<method>(...)`` calls below ``node`` whose receiver is one of ``names``."""
    out = []
    for call in calls_in(node):
        recv = receiver(call)
        if method_name(call) == method and isinstance(recv, cst.Name) and recv.value in names:
            out.append(call)
    return out


def mentions_prune_calls(node: cst.CSTNode) -> bool:
    return any(method_name(c) == "should_prune" for c in calls_in(node))


def pruned_spelling(ctx: RuleContext, at: cst.CSTNode) -> Tuple[str, Optional[object]]:
    """How to write ``TrialPruned`` where ``at`` stands: an import of it the code
    already trusts (``from optuna.exceptions import TrialPruned``), else ``optuna.TrialPruned``."""
    return ctx.spell("optuna.TrialPruned", at)


def prune_check_lines(ctx: RuleContext, trial: str, indent: str, at: cst.CSTNode) -> Tuple[List[str], Optional[object]]:
    spelled, import_edit = pruned_spelling(ctx, at)
    return [f"if {trial}.should_prune():", f"{indent}raise {spelled}()"], import_edit


def block_indent(ctx: RuleContext, block: cst.BaseSuite) -> str:
    if isinstance(block, cst.IndentedBlock) and block.indent is not None:
        return block.indent
    return ctx.module.default_indent


# ---------------------------------------------------------------------------
# the rules' common base


class _PruningRule(Rule):
    """Base: the analysis runs once, when the module is left, on the file's shared facts."""

    def leave_Module(self, original_node: cst.Module) -> None:
        self.check(self.ctx.facts(FileFacts))

    def check(self, facts: FileFacts) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
