"""HPL301: an Optuna objective that trains epoch by epoch and never reports."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Iterator, List, Optional, Set

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.astindex import written_names
from hplint.prefilter.structure import Nodes, Objectives
from hplint.reading.calls import has_star_args, method_name, param_names
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import number
from hplint.reading.vocabulary import trains_a_step
from hplint.rules.pruning.facts import (
    BUDGET_NUMBERS,
    FAMILY,
    MEDIAN_PRUNER_HOW,
    SAVINGS,
    FileFacts,
    Objective,
    _PruningRule,
    block_indent,
    block_statements,
    calls_in,
    calls_on,
    mentions_prune_calls,
    prune_check_lines,
    walk,
)

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

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
# names, statements and returns


def name_words(name: str) -> List[str]:
    """``val_acc`` -> ["val", "acc"]; ``valAcc`` -> ["val", "acc"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    return _WORDS.findall(spaced)


def is_metric_name(name: str) -> bool:
    return any(word in METRIC_TOKENS for word in name_words(name))


def is_validation_name(name: str) -> bool:
    return any(word in VALIDATION_TOKENS for word in name_words(name))


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


# ---------------------------------------------------------------------------
# does the trial reach a report elsewhere


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


# ---------------------------------------------------------------------------
# epoch loops


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


# ---------------------------------------------------------------------------
# what the trigger reads


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
        check, import_edit = prune_check_lines(self.ctx, trial, indent, last)
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
