"""HPL3xx: pruning — searches that train every trial to the end.

Optuna prunes only when an objective reports intermediate values *and* asks
``trial.should_prune()`` *and* raises ``optuna.TrialPruned``; Ray Tune stops
trials early only with a scheduler.  The rules here read one file at a time:
what happens inside a function the trial is never passed to is not guessed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence, Set, Tuple


from hplint.reading.calls import (
    nested_scopes,
    descendants,
    annotated_trial_params,
    arg_value,
    callable_names,
    first_param,
    has_star_args,
    method_name,
    optimize_objective_names,
    param_names,
    receiver,
    TRIAL_TYPES,
)
from hplint.prefilter.astindex import written_names
from hplint.prefilter.triggers import Calls, Imports, Nodes, Objectives, Words
from hplint.reading.vocabulary import trains_a_step
from hplint.core.context import RuleContext
from hplint.core.diagnostics import Safety
from hplint.reading.numbers import number
from hplint.reading.imports import dotted_name
from hplint.core.rule import Example, Option, Rule
from hplint.core.registry import register

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "pruning"

SAVINGS = "stopping poor trials early saves a large share of the epochs (`hplint verify HPL301` measures it)"
MEDIAN_PRUNER_HOW = (
    "Optuna's MedianPruner stops a trial whose best intermediate value so far is worse "
    "than the median of the previous trials' values at the same step; it waits for "
    "`n_startup_trials` complete trials (default 5) and `n_warmup_steps` steps of each "
    "trial (default 0) before it prunes anything. "
)
BUDGET_NUMBERS = (
    "The tuning guide's example: 100 trials x 100 epochs = 10,000 epoch-trainings without "
    "pruning; with pruning most trials stop by epoch 20-30, about 3,000 epoch-trainings, "
    "and the best trial is the same one (it is never below the median, so it is never stopped). "
)
RAY_SCHEDULERS = frozenset({
    "ASHAScheduler", "AsyncHyperBandScheduler", "HyperBandScheduler", "HyperBandForBOHB",
    "MedianStoppingRule", "PopulationBasedTraining", "PB2", "ResourceChangingScheduler",
})
RAY_REPORTS = frozenset({
    "ray.tune.report", "ray.train.report", "ray.air.session.report", "ray.train.session.report",
    "ray.tune.session.report", "ray.tune.tune.report",
})
EPOCH_WORDS = ("epoch", "step", "iter", "round")
SHORT_EPOCH_NAMES = frozenset({"ep", "it", "itr"})
ITERABLE_EPOCH_WORDS = ("epoch", "step", "iteration", "round")
NOT_EPOCH_WORDS = ("fold", "split", "seed", "batch", "layer", "sample", "trial")
METRIC_TOKENS = frozenset({
    "acc", "accuracy", "loss", "f1", "auc", "roc", "score", "metric", "metrics", "error", "err",
    "mse", "rmse", "mae", "mape", "perplexity", "ppl", "bleu", "rouge", "iou", "map", "precision",
    "recall", "r2", "logloss", "nll", "dice", "wer", "cer", "top1", "top5",
})
VALIDATION_TOKENS = ("val", "valid", "validation", "test", "eval", "dev")
_WORDS = re.compile(r"[a-z]+\d*|\d+")


# ---------------------------------------------------------------------------
# tree walking (no metadata: plain child iteration, skipping nested scopes)


def walk(node: cst.CSTNode, into_defs: bool = True) -> Iterator[cst.CSTNode]:
    """Every node below ``node``; nested functions, classes and lambdas only if ``into_defs``."""
    return descendants(node, () if into_defs else nested_scopes() + (cst.Lambda,))


def calls_in(node: cst.CSTNode, into_defs: bool = True) -> Iterator[cst.Call]:
    return (n for n in walk(node, into_defs) if isinstance(n, cst.Call))


def name_words(name: str) -> List[str]:
    """``val_acc`` -> ["val", "acc"]; ``valAcc`` -> ["val", "acc"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    return _WORDS.findall(spaced)


def is_metric_name(name: str) -> bool:
    return any(word in METRIC_TOKENS for word in name_words(name))


def is_validation_name(name: str) -> bool:
    return any(word in VALIDATION_TOKENS for word in name_words(name))


def block_statements(block: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    if isinstance(block, cst.IndentedBlock):
        return block.body
    return ()


def simple_small(stmt: cst.CSTNode) -> Optional[cst.BaseSmallStatement]:
    """The only small statement of a one-statement line, else None."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt.body[0]
    return None


def assigned_names(stmt: cst.CSTNode) -> List[str]:
    """Plain names bound by an assignment statement line."""
    out: List[str] = []
    if not isinstance(stmt, cst.SimpleStatementLine):
        return out
    for small in stmt.body:
        targets: List[cst.BaseExpression] = []
        if isinstance(small, cst.Assign):
            targets = [t.target for t in small.targets]
        elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
            targets = [small.target]
        for target in targets:
            out.extend(_plain_names(target))
    return out


def _plain_names(target: cst.BaseExpression) -> List[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: List[str] = []
        for element in target.elements:
            names.extend(_plain_names(element.value))
        return names
    return []


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
    optimize_links: Dict[str, List[Optional[str]]] = field(default_factory=dict)  # objective -> study vars
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
            return self.assignments[expr.value]
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


_FACTS_ATTR = "_hpl3_file_facts"


def file_facts(ctx: RuleContext) -> FileFacts:
    """Facts of ``ctx.module``, computed once per file and shared by the HPL3 rules."""
    facts = getattr(ctx, _FACTS_ATTR, None)
    if facts is None:
        facts = _collect(ctx)
        setattr(ctx, _FACTS_ATTR, facts)
    return facts


def _collect(ctx: RuleContext) -> FileFacts:
    facts = FileFacts()
    facts.imports_optuna = any(t == "optuna" or t.startswith("optuna.") for t in ctx.imports.aliases.values())
    for node in walk(ctx.module):
        if isinstance(node, cst.FunctionDef):
            facts.functions.setdefault(node.name.value, []).append(node)
        elif isinstance(node, cst.ClassDef):
            facts.classes.setdefault(node.name.value, []).append(node)
        elif isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            _see_assignment(facts, node.targets[0].target.value, node.value)
        elif isinstance(node, cst.Call):
            _see_call(facts, node)
    _find_objectives(ctx, facts)
    return facts


def _see_assignment(facts: FileFacts, name: str, value: cst.BaseExpression) -> None:
    facts.assignments[name] = value
    if isinstance(value, cst.Call) and method_name(value) == "create_study":
        facts.create_studies[name] = value


def _see_call(facts: FileFacts, call: cst.Call) -> None:
    name = method_name(call)
    if name == "create_study":
        facts.anonymous_studies.append(call)
    elif name == "optimize":
        study = receiver(call)
        var = study.value if isinstance(study, cst.Name) else None
        for objective in optimize_objective_names(call):
            facts.optimize_links.setdefault(objective, []).append(var)
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
            optimized = name in facts.optimize_links
            names = _live_trial_params(ctx, func, optimized)
            if names:
                facts.objectives.append(Objective(func, names, optimized))
            elif "trial" in param_names(func) and facts.imports_optuna:
                candidates.append((func, {"trial"}, False))
    changed = True
    while changed and candidates:
        changed = False
        for entry in list(candidates):
            func, names, _ = entry
            if _uses_trial(func, names) or _handed_a_trial(func, facts.objectives):
                facts.objectives.append(Objective(func, names, False))
                candidates.remove(entry)
                changed = True


def _live_trial_params(ctx: RuleContext, func: cst.FunctionDef, optimized: bool) -> Set[str]:
    names = {n for n in annotated_trial_params(func, ctx.imports) if not _frozen(func, n)}
    if optimized:
        first = first_param(func)
        if first is not None:
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


def trial_receivers(node: cst.CSTNode, names: Set[str]) -> List[str]:
    """Names of the callables ``node`` hands a trial to (helpers, pruning callbacks)."""
    out = []
    for call in calls_in(node):
        if any(isinstance(a.value, cst.Name) and a.value.value in names for a in call.args):
            out.append(method_name(call) or "")
    return out


def may_prune_through(callees: List[str], facts: FileFacts, seen: Optional[Set[str]] = None) -> bool:
    """Could one of these callees report or prune?  Unknown callees could (not guessed).

    A helper defined in this file that neither reports nor prunes nor passes
    its arguments on (``build(trial)`` that only suggests parameters) cannot.
    """
    seen = set() if seen is None else seen
    for name in callees:
        if name in seen:
            continue
        seen.add(name)
        funcs, classes = facts.functions.get(name, []), facts.classes.get(name, [])
        if not funcs and not classes:
            return True
        for cls in classes:
            bases = [dotted_name(b.value) or "" for b in cls.bases]
            if _reports_or_prunes(cls) or any("Prun" in b for b in bases):
                return True
        for func in funcs:
            if _reports_or_prunes(func):
                return True
            onward = trial_receivers(func, set(param_names(func)))
            if may_prune_through(onward, facts, seen):
                return True
    return False


def _reports_or_prunes(node: cst.CSTNode) -> bool:
    return any(method_name(c) in ("report", "should_prune") for c in calls_in(node))


def mentions_prune_calls(node: cst.CSTNode) -> bool:
    return any(method_name(c) == "should_prune" for c in calls_in(node))


def returned_expr(func: cst.FunctionDef) -> Optional[cst.BaseExpression]:
    """The one expression every ``return`` of ``func`` gives (compared by code)."""
    values = [n.value for n in walk(func.body, into_defs=False) if isinstance(n, cst.Return)]
    values = [v for v in values if v is not None]
    if not values:
        return None
    first = cst.Module(body=[]).code_for_node(values[0])
    if all(cst.Module(body=[]).code_for_node(v) == first for v in values):
        return values[0]
    return None


def returned_name(expr: Optional[cst.BaseExpression]) -> Optional[str]:
    """``acc`` or ``-acc`` -> ``acc``."""
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        expr = expr.expression
    return expr.value if isinstance(expr, cst.Name) else None


def is_training_call(call: cst.Call) -> bool:
    """A call one pass of an epoch loop trains with (``vocabulary.trains_a_step``)."""
    return trains_a_step(method_name(call))


def loop_words(loop: cst.For) -> List[str]:
    """Identifier words of the loop target and of the names in its iterable."""
    words = []
    for node in [loop.target, *walk(loop.target)]:
        if isinstance(node, cst.Name):
            words.extend(name_words(node.value))
    for node in walk(loop.iter):
        if isinstance(node, cst.Name):
            words.extend(name_words(node.value))
        elif isinstance(node, cst.Attribute):
            words.extend(name_words(node.attr.value))
    return words


def is_epoch_loop(loop: cst.For) -> bool:
    """Loop over epochs/steps/iterations (not folds, seeds or batches)."""
    words = loop_words(loop)
    target_words: List[str] = []
    for node in [loop.target, *walk(loop.target)]:
        if isinstance(node, cst.Name):
            target_words.extend(name_words(node.value))
    if any(any(bad in w for bad in NOT_EPOCH_WORDS) for w in target_words):
        return False
    if any(w in ("fold", "folds", "kfold", "split", "seeds", "batches", "loader") for w in words):
        return False
    if any(w in SHORT_EPOCH_NAMES or w.startswith(EPOCH_WORDS) for w in target_words):
        return True
    # ``range(n_epochs)``, ``range(max_iter)`` — but not ``data_iterator``
    return any(w.startswith(ITERABLE_EPOCH_WORDS) or w in ("iter", "iters") for w in words)


def loop_metrics(loop: cst.For) -> List[str]:
    """Metric-like names assigned in the loop body (in order), outside nested defs."""
    out: List[str] = []
    for node in walk(loop.body, into_defs=False):
        if isinstance(node, cst.SimpleStatementLine):
            for name in assigned_names(node):
                if is_metric_name(name) and name not in out:
                    out.append(name)
    return out


def trains(loop: cst.For) -> bool:
    return any(is_training_call(c) for c in calls_in(loop.body, into_defs=False))


def epoch_count(loop: cst.For, ctx: RuleContext, facts: FileFacts) -> Optional[str]:
    """``range(100)`` -> "100"; ``range(EPOCHS)`` with ``EPOCHS = 20`` -> "20"."""
    rng = range_call(loop.iter)
    if rng is None:
        return None
    positional = [a.value for a in rng.args if a.keyword is None]
    if not positional or has_star_args(rng):
        return None
    stop = positional[1] if len(positional) >= 2 else positional[0]
    start = positional[0] if len(positional) >= 2 else None
    stop_value = number(facts.resolve(stop) or stop, ctx.imports)
    start_value = 0.0 if start is None else number(facts.resolve(start) or start, ctx.imports)
    if stop_value is None or start_value is None:
        return None
    count = int(stop_value - start_value)
    return str(count) if count > 0 else None


def range_call(expr: cst.BaseExpression) -> Optional[cst.Call]:
    """``range(...)``, also inside ``tqdm(range(...))``; ``trange(...)`` counts too."""
    if not isinstance(expr, cst.Call):
        return None
    name = method_name(expr)
    if name in ("range", "trange"):
        return expr
    if name == "tqdm" and expr.args and expr.args[0].keyword is None:
        return range_call(expr.args[0].value)
    return None


def _direct_statements(block: cst.BaseSuite) -> Iterator[cst.BaseStatement]:
    """Statements that run on every pass through ``block`` (``with`` bodies included)."""
    for stmt in block_statements(block):
        yield stmt
        if isinstance(stmt, cst.With):
            yield from _direct_statements(stmt.body)


def pruned_spelling(ctx: RuleContext) -> Tuple[str, Optional[object]]:
    """How to write ``TrialPruned`` here, reusing ``from optuna.exceptions import TrialPruned``."""
    found = [ctx.imports.local_name(q) for q in ("optuna.TrialPruned", "optuna.exceptions.TrialPruned")]
    spellings = sorted((s for s in found if s is not None), key=len)
    if spellings:
        return spellings[0], None
    return ctx.spell("optuna.TrialPruned")


def prune_check_lines(ctx: RuleContext, trial: str, indent: str) -> Tuple[List[str], Optional[object]]:
    spelled, import_edit = pruned_spelling(ctx)
    return [f"if {trial}.should_prune():", f"{indent}raise {spelled}()"], import_edit


def block_indent(ctx: RuleContext, block: cst.BaseSuite) -> str:
    if isinstance(block, cst.IndentedBlock) and block.indent is not None:
        return block.indent
    return ctx.module.default_indent


# ---------------------------------------------------------------------------
# what the rules' triggers read


def _epoch_loop_training(loop: ast.AST, index) -> bool:
    """The positive half of ``is_epoch_loop``, with a training call and a
    metric-named assignment in the body (``trains`` and ``loop_metrics``)."""
    words: List[str] = []
    for part in (loop.target, loop.iter):  # type: ignore[attr-defined]
        for name in written_names(part, arguments=True):
            words.extend(name_words(name))
    if not any(w in SHORT_EPOCH_NAMES or w.startswith(EPOCH_WORDS) or w in ("iter", "iters") for w in words):
        return False
    trains = metric = False
    for stmt in loop.body:  # type: ignore[attr-defined]
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and not trains:
                func = node.func
                trains = trains_a_step(func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and not metric:
                metric = is_metric_name(node.id)
            if trains and metric:
                return True
    return False


def _bare_should_prune(node: ast.AST, index) -> bool:
    return _is_should_prune_call(node.value)  # type: ignore[attr-defined]


def _unraised_prune_branch(node: ast.AST, index) -> bool:
    """An ``if`` on ``should_prune()`` whose body ends the trial with
    return/break/continue/pass and raises nothing directly."""
    if not _is_should_prune_call(node.test):  # type: ignore[attr-defined]
        return False
    body = node.body  # type: ignore[attr-defined]
    return not any(isinstance(s, ast.Raise) for s in body) and any(isinstance(s, (ast.Return, ast.Break, ast.Continue, ast.Pass)) for s in body)


def _is_should_prune_call(expr: ast.AST) -> bool:
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, (ast.Attribute, ast.Name))
        and (expr.func.attr if isinstance(expr.func, ast.Attribute) else expr.func.id) == "should_prune"
        and not expr.args
        and not expr.keywords
    )


# ---------------------------------------------------------------------------
# the rules


class _PruningRule(Rule):
    """Base: the analysis runs once, when the module is left."""

    def leave_Module(self, original_node: cst.Module) -> None:
        self.check(file_facts(self.ctx))

    def check(self, facts: FileFacts) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


@register
class ObjectiveNeverReports(_PruningRule):
    code = "HPL301"
    name = "objective-never-reports"
    family = FAMILY
    summary = "Optuna objective trains epoch by epoch but never reports, so no trial can be pruned"
    why = (
        "Most trials of a search are visibly worse than the best after a fraction of their "
        "epochs. Optuna can stop them only if the objective calls `trial.report(value, epoch)` "
        "and `trial.should_prune()` each epoch; without that the default MedianPruner never "
        "sees a number and every trial trains to the last epoch. " + MEDIAN_PRUNER_HOW + BUDGET_NUMBERS +
        "Reported: an Optuna objective (a function passed to `study.optimize`, or taking a "
        "Trial) with a loop over epochs/steps that trains and computes a metric each pass, and "
        "no `trial.report`/`should_prune` in it. Not reported: single-fit objectives "
        "(`cross_val_score`, `clf.fit`), loops over folds or seeds, multi-objective studies "
        "(Optuna cannot prune those), GridSampler studies (an ablation runs every cell to the "
        "end), objectives that pass `trial` to a helper or a pruning callback "
        "(`PyTorchLightningPruningCallback(trial, ...)`, `XGBoostPruningCallback`, ...), and "
        "`Trainer.hyperparameter_search`, which prunes by itself. hplint does not guess across "
        "functions: an epoch loop hidden in a callee that never receives `trial` is not seen."
    )
    fix_description = (
        "Appends `trial.report(<metric>, <epoch>)` and `if trial.should_prune(): raise "
        "optuna.TrialPruned()` as the last statements of the epoch loop (adding `import optuna` "
        "if needed), when the loop variable is a plain name over `range(...)` and the returned "
        "metric is assigned on every pass. Unsafe: it changes control flow and lets the pruner "
        "stop trials."
    )
    fix_safety = Safety.UNSAFE
    demonstration = "pruning"
    # a report is an objective whose epoch loop trains and computes a metric
    trigger = Objectives(Nodes(ast.For, ast.AsyncFor, holds=_epoch_loop_training, label="epoch loop"))
    bad_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                model = build(lr)
                for epoch in range(100):
                    train_one_epoch(model)
                    val_acc = evaluate(model)
                return val_acc

            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=100)
            """,
            fixed="""
            import optuna

            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                model = build(lr)
                for epoch in range(100):
                    train_one_epoch(model)
                    val_acc = evaluate(model)
                    trial.report(val_acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return val_acc

            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=100)
            """,
        ),
    )
    good_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                model = build(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                for epoch in range(100):
                    train_one_epoch(model)
                    val_acc = evaluate(model)
                    trial.report(val_acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return val_acc

            pruner = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=10)
            study = optuna.create_study(direction="maximize", pruner=pruner)
            study.optimize(objective, n_trials=100)
            """
        ),
        Example(
            """
            import optuna
            from sklearn.model_selection import cross_val_score

            def objective(trial):
                clf = make_model(trial.suggest_float("C", 1e-3, 1e3, log=True))
                return cross_val_score(clf, X, y, cv=5).mean()

            optuna.create_study().optimize(objective, n_trials=50)
            """,
            note="A single fit has no intermediate values to report.",
        ),
    )



    def check(self, facts: FileFacts) -> None:
        for objective in facts.objectives:
            self._check_objective(objective, facts)

    def _check_objective(self, objective: Objective, facts: FileFacts) -> None:
        func, names = objective.func, objective.trial_names
        if calls_on(func, names, "report") or mentions_prune_calls(func):
            return
        if may_prune_through(trial_receivers(func, names), facts):
            return
        if facts.excused(func):
            return
        for loop in walk(func.body, into_defs=False):
            if isinstance(loop, cst.For) and is_epoch_loop(loop) and trains(loop):
                metrics = loop_metrics(loop)
                if metrics:
                    self._report_loop(objective, loop, metrics, facts)
                    return  # one finding per objective: the outermost epoch loop

    def _report_loop(self, objective: Objective, loop: cst.For, metrics: List[str], facts: FileFacts) -> None:
        func = objective.func
        trial = _first_trial(func, objective.trial_names)
        returned = returned_expr(func)
        ret_name = returned_name(returned)
        in_loop = ret_name if ret_name in metrics else None
        metric = in_loop or _best_metric(metrics)
        count = epoch_count(loop, self.ctx, facts)
        epochs = f"{count} epochs" if count else "epoch by epoch"
        unit = "epoch" if any("epoch" in w for w in loop_words(loop)) else "step"
        where = f"`{func.name.value}`"
        message = (
            f"objective {where} trains {epochs} and computes `{metric}` each {unit} but never calls "
            f"{trial}.report()/should_prune(); Optuna's MedianPruner can only stop trials that report "
            f"— {SAVINGS}"
        )
        if in_loop is None and ret_name is not None:
            message += f" (it returns `{ret_name}`, computed only after the loop: evaluate it each {unit} and report it)"
        fix = self._fix(loop, trial, returned if in_loop else None)
        self.report(loop, message, fix)

    def _fix(self, loop: cst.For, trial: str, returned: Optional[cst.BaseExpression]):
        if returned is None or not isinstance(loop.target, cst.Name) or range_call(loop.iter) is None:
            return None
        body = list(block_statements(loop.body))
        if not body or loop.orelse is not None:
            return None
        name = returned_name(returned)
        if not any(name in assigned_names(s) for s in _direct_statements(loop.body)):
            return None  # assigned only under a condition: maybe unbound at the report
        last = body[-1]
        small = simple_small(last)
        if isinstance(small, (cst.Return, cst.Break, cst.Continue, cst.Raise)):
            return None
        value = cst.Module(body=[]).code_for_node(returned)
        indent = block_indent(self.ctx, loop.body)
        check, import_edit = prune_check_lines(self.ctx, trial, indent)
        lines = [f"{trial}.report({value}, {loop.target.value})", *check]
        edits = [self.ctx.insert_lines_after(last, lines), import_edit]
        return self.ctx.fix(Safety.UNSAFE, edits, "report each epoch and prune")


def _first_trial(func: cst.FunctionDef, names: Set[str]) -> str:
    for name in param_names(func):
        if name in names:
            return name
    return sorted(names)[0]


def _best_metric(metrics: List[str]) -> str:
    """Prefer a validation metric (``val_acc``) over a training loss."""
    for name in metrics:
        if is_validation_name(name):
            return name
    return metrics[-1]


@register
class ReportsButNeverPrunes(_PruningRule):
    code = "HPL302"
    name = "reports-but-never-prunes"
    family = FAMILY
    summary = "trial.report() without trial.should_prune(): the pruner's decision is never asked for"
    why = (
        "`trial.report()` only records a value; Optuna never stops a trial by itself. The "
        "objective has to ask `trial.should_prune()` and raise `optuna.TrialPruned` — without "
        "that check the study's pruner (MedianPruner by default) is consulted by nobody and "
        "every trial trains to the end. " + MEDIAN_PRUNER_HOW + BUDGET_NUMBERS +
        "Not reported: studies with a GridSampler (an ablation over fixed configurations that "
        "must all finish, where reporting only draws learning curves), multi-objective studies, "
        "and objectives where `should_prune()` is asked in the same function, an enclosing or "
        "nested one, or a function that calls it."
    )
    fix_description = (
        "Inserts `if trial.should_prune(): raise optuna.TrialPruned()` right after the "
        "`trial.report(...)` statement (adding `import optuna` if needed). Unsafe: it changes "
        "control flow and lets the pruner stop trials."
    )
    fix_safety = Safety.UNSAFE
    demonstration = "pruning"
    # a report is an objective that calls ``<trial>.report(...)`` in its own body
    trigger = Objectives(Calls("report", method=True))
    bad_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                model = build(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                for epoch in range(50):
                    train_one_epoch(model)
                    acc = evaluate(model)
                    trial.report(acc, epoch)
                return acc

            optuna.create_study(direction="maximize").optimize(objective, n_trials=100)
            """,
            fixed="""
            import optuna

            def objective(trial):
                model = build(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                for epoch in range(50):
                    train_one_epoch(model)
                    acc = evaluate(model)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc

            optuna.create_study(direction="maximize").optimize(objective, n_trials=100)
            """,
        ),
    )
    good_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                config = trial.suggest_categorical("config", ["a", "b", "c"])
                for epoch in range(50):
                    acc = train_and_eval(config)
                    trial.report(acc, epoch)  # learning curves for the dashboard
                return acc

            sampler = optuna.samplers.GridSampler({"config": ["a", "b", "c"]})
            optuna.create_study(sampler=sampler).optimize(objective)
            """,
            note="A GridSampler ablation runs every configuration to the end on purpose.",
        ),
    )



    def check(self, facts: FileFacts) -> None:
        for objective in facts.objectives:
            if facts.excused(objective.func) or _nop_pruned(objective.func, facts):
                continue
            if self._asks_elsewhere(objective.func, facts):
                continue
            for call in calls_on(objective.func, objective.trial_names, "report"):
                if self._owner(call, objective.func) and not self._single_point(call, objective.func):
                    self._report(call)

    def _single_point(self, call: cst.Call, func: cst.FunctionDef) -> bool:
        """One report at a constant step outside any loop (``trial.report(score, step=0)``).

        The trial has already run to the end when it reports its only value, so a
        pruning check there would save nothing.
        """
        step = arg_value(call, 1, "step")
        if step is None or number(step, self.ctx.imports) is None:
            return False
        for node in self.ctx.ancestors(call):
            if node is func:
                return True
            if isinstance(node, (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
                return False
        return True

    def _owner(self, call: cst.Call, func: cst.FunctionDef) -> bool:
        """Report each call once: in the innermost objective containing it."""
        for node in walk(func.body, into_defs=False):
            if node is call:
                return True
        return False

    def _asks_elsewhere(self, func: cst.FunctionDef, facts: FileFacts) -> bool:
        """should_prune() in this function, an enclosing or nested one, or a caller."""
        if mentions_prune_calls(func):
            return True
        for node in self._enclosing(func):
            if mentions_prune_calls(node):
                return True
        name = func.name.value
        for defs in facts.functions.values():
            for other in defs:
                if other is func:
                    continue
                called = any(method_name(c) == name for c in calls_in(other))
                if called and mentions_prune_calls(other):
                    return True
        return False

    def _enclosing(self, func: cst.FunctionDef) -> Iterator[cst.FunctionDef]:
        for node in self.ctx.ancestors(func):
            if isinstance(node, cst.FunctionDef):
                yield node

    def _report(self, call: cst.Call) -> None:
        trial = receiver(call).value  # type: ignore[union-attr]
        message = (
            f"`{trial}.report()` records intermediate values but `{trial}.should_prune()` is never asked, "
            f"so the pruner can stop no trial and every trial trains to the end; add "
            f"`if {trial}.should_prune(): raise optuna.TrialPruned()` after the report — {SAVINGS}"
        )
        self.report(call, message, self._fix(call, trial))

    def _fix(self, call: cst.Call, trial: str):
        stmt = self.ctx.parent(call)
        line = self.ctx.parent(stmt) if isinstance(stmt, cst.Expr) else None
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        if not isinstance(self.ctx.parent(line), cst.IndentedBlock):
            return None
        block = self.ctx.parent(line)
        check, import_edit = prune_check_lines(self.ctx, trial, block_indent(self.ctx, block))  # type: ignore[arg-type]
        return self.ctx.fix(Safety.UNSAFE, [self.ctx.insert_lines_after(line, check), import_edit], "ask should_prune")


def _nop_pruned(func: cst.FunctionDef, facts: FileFacts) -> bool:
    """The study running ``func`` has NopPruner: HPL304 reports it there."""
    studies = [s for s in facts.studies_of(func) if s is not None]
    return any(facts.study_keyword_call(s, "pruner") == "NopPruner" for s in studies)


@register
class PruningNotExecuted(_PruningRule):
    code = "HPL303"
    name = "pruning-not-executed"
    family = FAMILY
    summary = "should_prune() answered but the trial is not stopped with raise optuna.TrialPruned()"
    why = (
        "Optuna marks a trial PRUNED only when the objective raises `optuna.TrialPruned`. "
        "Returning a value from the `should_prune()` branch records the stopped trial as "
        "COMPLETE with a partial score (say 0.61 after 10 of 100 epochs): the sampler then "
        "learns from a number that was never a final result, and the study's best value can "
        "be an unfinished trial. `break` does the same after the loop, and `pass` or a "
        "discarded `should_prune()` result trains the trial to the end anyway, so the pruner "
        "saves nothing."
    )
    fix_description = (
        "The branch's `return`/`break`/`continue`/`pass` becomes `raise optuna.TrialPruned()` "
        "(spelled as the file imports it: `opt.TrialPruned`, `TrialPruned`); a bare "
        "`trial.should_prune()` becomes `if trial.should_prune(): raise optuna.TrialPruned()`."
    )
    fix_safety = Safety.SAFE
    demonstration = "pruning"
    # a report is a bare ``should_prune()`` or an ``if`` on it that raises nothing
    trigger = Calls("should_prune") & (
        Nodes(ast.Expr, holds=_bare_should_prune, label="bare should_prune()")
        | Nodes(ast.If, holds=_unraised_prune_branch, label="unraised branch")
    )
    bad_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                for epoch in range(100):
                    acc = train_and_eval(trial, epoch)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        return acc
                return acc
            """,
            fixed="""
            import optuna

            def objective(trial):
                for epoch in range(100):
                    acc = train_and_eval(trial, epoch)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc
            """,
        ),
    )
    good_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                for epoch in range(100):
                    acc = train_and_eval(trial, epoch)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc
            """
        ),
    )


    def leave_Module(self, original_node: cst.Module) -> None:
        """Purely local: needs no study or objective facts."""
        self._wilcoxon = any(isinstance(n, cst.Name) and n.value == "WilcoxonPruner" for n in walk(original_node))
        for node in walk(original_node):
            if isinstance(node, cst.If) and _is_should_prune(node.test):
                self._check_branch(node)
            elif isinstance(node, cst.Expr) and _is_should_prune(node.value):
                self._check_discarded(node)

    def _check_branch(self, node: cst.If) -> None:
        body = node.body
        statements: List[cst.BaseSmallStatement] = []
        if isinstance(body, cst.SimpleStatementSuite):
            statements = list(body.body)
        else:
            for stmt in block_statements(body):
                if isinstance(stmt, cst.SimpleStatementLine):
                    statements.extend(stmt.body)
                elif any(isinstance(n, cst.Raise) for n in walk(stmt, into_defs=False)):
                    return  # raises somewhere inside a nested block
        if any(isinstance(s, cst.Raise) for s in statements):
            return
        enders = [s for s in statements if isinstance(s, (cst.Return, cst.Break, cst.Continue, cst.Pass))]
        if not enders:
            return
        ender = enders[-1]
        if _signals_caller(ender) or (self._wilcoxon and isinstance(ender, (cst.Return, cst.Break))):
            return
        trial = _should_prune_receiver(node.test)
        what = {cst.Return: "returns a value", cst.Break: "breaks out of the loop",
                cst.Continue: "continues training", cst.Pass: "does nothing"}[type(ender)]
        if isinstance(ender, cst.Return) and ender.value is None:
            what = "returns None"
        message = (
            f"`{trial}.should_prune()` is true but the branch {what} instead of raising "
            f"optuna.TrialPruned(): the trial is recorded as COMPLETE with a partial score "
            f"(or trains on), misleading the sampler; raise optuna.TrialPruned()"
        )
        fix = None
        if len(enders) == 1 and statements[-1] is ender:
            spelled, import_edit = pruned_spelling(self.ctx)
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(ender, f"raise {spelled}()"), import_edit],
                               "raise TrialPruned")
        self.report(node, message, fix)

    def _check_discarded(self, expr: cst.Expr) -> None:
        trial = _should_prune_receiver(expr.value)
        line = self.ctx.parent(expr)
        message = (
            f"the result of `{trial}.should_prune()` is discarded, so no trial is ever stopped; "
            f"write `if {trial}.should_prune(): raise optuna.TrialPruned()`"
        )
        fix = None
        alone = isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
        if alone and isinstance(self.ctx.parent(line), cst.IndentedBlock):
            fix = self._fix_discarded(line, expr)  # type: ignore[arg-type]
        self.report(expr, message, fix)

    def _fix_discarded(self, line: cst.SimpleStatementLine, expr: cst.Expr):
        """``trial.should_prune()`` -> ``if trial.should_prune():`` plus a ``raise`` line."""
        spelled, import_edit = pruned_spelling(self.ctx)
        indent = block_indent(self.ctx, self.ctx.parent(line))  # type: ignore[arg-type]
        header = f"if {self.ctx.code_for(expr.value)}:"
        raise_line = self.ctx.insert_lines_after(line, [f"{indent}raise {spelled}()"])
        edits = [self.ctx.replace(expr, header), raise_line, import_edit]
        return self.ctx.fix(Safety.SAFE, edits, "raise TrialPruned")


def _signals_caller(ender: cst.BaseSmallStatement) -> bool:
    """``return True``/``return False``: a helper or callback tells its caller to stop.

    An objective never returns a bare boolean as its score; the caller decides to raise.
    """
    return isinstance(ender, cst.Return) and isinstance(ender.value, cst.Name) and ender.value.value in ("True", "False")


def _is_should_prune(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Call) and method_name(expr) == "should_prune" and not expr.args


def _should_prune_receiver(expr: cst.BaseExpression) -> str:
    recv = receiver(expr) if isinstance(expr, cst.Call) else None
    if recv is None:
        return "trial"
    return cst.Module(body=[]).code_for_node(recv)


@register
class PruningSwitchedOff(_PruningRule):
    code = "HPL304"
    name = "pruning-switched-off"
    family = FAMILY
    summary = "Intermediate results reported, but the pruner/scheduler that would use them is off"
    why = (
        "Reporting every epoch costs nothing only if something acts on the numbers. An Optuna "
        "study created with `pruner=optuna.pruners.NopPruner()` ignores every `trial.report()`; "
        "a Ray Tune search without a scheduler uses FIFO, which never stops a trial, so each "
        "of `num_samples` trials trains to its last epoch. " + MEDIAN_PRUNER_HOW +
        "ASHA (`ASHAScheduler(grace_period=..., reduction_factor=3)`) keeps the best third of "
        "the trials at each rung (1, 3, 9, ... epochs), so most trials stop after a few epochs. "
        + BUDGET_NUMBERS +
        "Reported for Ray Tune when the trainable defined in the file reports inside a loop and "
        "`num_samples` is at least the `tune-min-samples` option (default 10)."
    )
    options = (
        Option("tune-min-samples", int, 10,
               "HPL304: smallest Ray Tune num_samples for which a missing scheduler is reported"),
    )
    demonstration = "pruning"
    # a report is a reporting objective with a study on a NopPruner, or a Ray
    # Tune run over num_samples without a scheduler
    trigger = Calls("report") & (
        (Calls("create_study") & Words("NopPruner"))
        | (Calls("run", "Tuner") & Words("num_samples") & Imports("ray"))
    )
    bad_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                for epoch in range(100):
                    acc = train_and_eval(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc

            study = optuna.create_study(pruner=optuna.pruners.NopPruner())
            study.optimize(objective, n_trials=100)
            """
        ),
        Example(
            """
            from ray import tune

            def trainable(config):
                for epoch in range(100):
                    acc = train_one_epoch(config)
                    tune.report({"acc": acc})

            tune.run(trainable, config={"lr": tune.loguniform(1e-5, 1e-1)}, num_samples=50)
            """
        ),
    )
    good_examples = (
        Example(
            """
            from ray import tune
            from ray.tune.schedulers import ASHAScheduler

            def trainable(config):
                for epoch in range(100):
                    acc = train_one_epoch(config)
                    tune.report({"acc": acc})

            tune.run(trainable, num_samples=50, scheduler=ASHAScheduler(metric="acc", mode="max"))
            """
        ),
    )



    def check(self, facts: FileFacts) -> None:
        self._check_optuna(facts)
        self._check_ray(facts)

    # -- Optuna ----------------------------------------------------------
    def _check_optuna(self, facts: FileFacts) -> None:
        reporting = [o for o in facts.objectives if calls_on(o.func, o.trial_names, "report")]
        if not reporting:
            return
        for study in facts.all_studies():
            if facts.study_keyword_call(study, "pruner") != "NopPruner" or facts.is_grid(study):
                continue
            if facts.is_multi_objective(study):
                continue
            value = arg_value(study, None, "pruner")
            self.report(
                value if value is not None else study,
                "the objective reports intermediate values but the study is created with "
                "NopPruner, which never stops a trial: every trial trains to the end; use "
                "optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=10) "
                f"(or HyperbandPruner) — {SAVINGS}",
            )

    # -- Ray Tune --------------------------------------------------------
    def _check_ray(self, facts: FileFacts) -> None:
        for call in calls_in(self.ctx.module):
            qualified = self.ctx.qualify(call.func) or ""
            if qualified in ("ray.tune.run", "ray.tune.Tuner", "ray.tune.tuner.Tuner"):
                self._check_tune_call(call, facts, qualified.endswith("Tuner"))

    def _check_tune_call(self, call: cst.Call, facts: FileFacts, is_tuner: bool) -> None:
        if has_star_args(call):
            return
        settings: Optional[cst.Call] = call
        if is_tuner:
            config = facts.resolve(arg_value(call, None, "tune_config"))
            settings = config if isinstance(config, cst.Call) and not has_star_args(config) else None
        if settings is None:
            return
        samples_expr = arg_value(settings, None, "num_samples")
        samples = None if samples_expr is None else number(facts.resolve(samples_expr) or samples_expr, self.ctx.imports)
        if samples is None or samples < self.option("tune-min-samples"):
            return
        scheduler = facts.resolve(arg_value(settings, None, "scheduler"))
        if scheduler is not None and not _is_fifo(scheduler):
            return
        trainable = self._trainable(call, facts)
        if trainable is None:
            return
        self.report(
            call,
            f"Ray Tune runs {int(samples)} samples of `{trainable.name.value}`, which reports inside its training loop, "
            f"with no early-stopping scheduler (FIFO): every sample trains to the end; pass "
            f"scheduler=ASHAScheduler(metric=..., mode=..., grace_period=1, reduction_factor=3) "
            f"(ray.tune.schedulers; or HyperBandScheduler / MedianStoppingRule) — {SAVINGS}",
        )

    def _trainable(self, call: cst.Call, facts: FileFacts) -> Optional[cst.FunctionDef]:
        """The trainable function, if defined here and reporting inside a loop."""
        value = arg_value(call, 0, "trainable") or arg_value(call, None, "run_or_experiment")
        while isinstance(value, cst.Call) and value.args:  # tune.with_parameters(fn, ...)
            value = value.args[0].value
        names = callable_names(value) if value is not None else []
        for name in names:
            for func in facts.functions.get(name, []):
                if self._reports_in_loop(func):
                    return func
        return None

    def _reports_in_loop(self, func: cst.FunctionDef) -> bool:
        for loop in walk(func.body, into_defs=False):
            if isinstance(loop, (cst.For, cst.While)):
                for c in calls_in(loop.body, into_defs=False):
                    if (self.ctx.qualify(c.func) or "") in RAY_REPORTS:
                        return True
        return False


def _is_fifo(scheduler: cst.BaseExpression) -> bool:
    if isinstance(scheduler, cst.Name) and scheduler.value == "None":
        return True
    if isinstance(scheduler, cst.Call):
        callee = dotted_name(scheduler.func) or ""
        return callee.rsplit(".", 1)[-1] == "FIFOScheduler"
    return False
