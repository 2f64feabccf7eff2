"""Epoch loops written out in the code: what HPL301 reads of ``for`` and ``while`` loops.

An epoch loop passes over epochs, steps, iterations or boosting rounds (not
folds, seeds or batches), trains on each pass and computes a metric there,
so it has a value it could report.  ``partial_fit`` over ``range(...)`` is
one whatever the counter is called; a ``while`` loop is one when its test or
the counter it increments names epochs or steps.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Iterator, List, Optional, Union

from hplint.prefilter.astindex import written_names
from hplint.reading.calls import has_star_args, method_name, param_names
from hplint.reading.numbers import number
from hplint.reading.vocabulary import STEP_CALLS, trains_a_step
from hplint.rules.pruning.facts import FileFacts, block_statements, calls_in, walk

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

EPOCH_WORDS = ("epoch", "step", "iter", "round")
SHORT_EPOCH_NAMES = frozenset({"ep", "it", "itr"})
ITERABLE_EPOCH_WORDS = ("epoch", "step", "iteration", "round")
NOT_EPOCH_WORDS = ("fold", "split", "seed", "batch", "layer", "sample", "trial")
NOT_EPOCH_ITERABLES = ("fold", "folds", "kfold", "split", "seeds", "batches", "loader")
METRIC_TOKENS = frozenset({
    "acc", "accuracy", "loss", "f1", "auc", "roc", "score", "metric", "metrics", "error", "err",
    "mse", "rmse", "mae", "mape", "perplexity", "ppl", "bleu", "rouge", "iou", "map", "precision",
    "recall", "r2", "logloss", "nll", "dice", "wer", "cer", "top1", "top5",
})
VALIDATION_TOKENS = ("val", "valid", "validation", "test", "eval", "dev")
_WORDS = re.compile(r"[a-z]+\d*|\d+")

Loop = Union["cst.For", "cst.While"]


# ---------------------------------------------------------------------------
# names


def name_words(name: str) -> List[str]:
    """``val_acc`` -> ["val", "acc"]; ``valAcc`` -> ["val", "acc"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    return _WORDS.findall(spaced)


def is_metric_name(name: str) -> bool:
    return any(word in METRIC_TOKENS for word in name_words(name))


def is_validation_name(name: str) -> bool:
    return any(word in VALIDATION_TOKENS for word in name_words(name))


def epoch_word(word: str) -> bool:
    return word in SHORT_EPOCH_NAMES or word.startswith(EPOCH_WORDS) or word in ("iter", "iters")


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
# loops


def _names_below(node: cst.CSTNode) -> Iterator[str]:
    for sub in [node, *walk(node)]:
        if isinstance(sub, cst.Name):
            yield sub.value
        elif isinstance(sub, cst.Attribute):
            yield sub.attr.value


def target_words(loop: cst.For) -> List[str]:
    return [w for name in _names_below(loop.target) for w in name_words(name)]


def loop_words(loop: Loop) -> List[str]:
    """Identifier words of a ``for`` target and iterable, or of a ``while`` test and counters."""
    if isinstance(loop, cst.While):
        names = list(_names_below(loop.test)) + counters(loop)
        return [w for name in names for w in name_words(name)]
    return target_words(loop) + [w for name in _names_below(loop.iter) for w in name_words(name)]


def counters(loop: cst.While) -> List[str]:
    """Names a ``while`` body increments (``epoch += 1``), outside nested defs."""
    out = []
    for node in walk(loop.body, into_defs=False):
        if isinstance(node, cst.AugAssign) and isinstance(node.operator, cst.AddAssign) and isinstance(node.target, cst.Name):
            out.append(node.target.value)
    return out


def is_epoch_loop(loop: Loop) -> bool:
    """A loop over epochs/steps/iterations (not folds, seeds or batches)."""
    words = loop_words(loop)
    if any(w in NOT_EPOCH_ITERABLES for w in words):
        return False
    if isinstance(loop, cst.While):
        return not any(any(bad in w for bad in NOT_EPOCH_WORDS) for w in words) and any(epoch_word(w) for w in words)
    targets = target_words(loop)
    if any(any(bad in w for bad in NOT_EPOCH_WORDS) for w in targets):
        return False
    if any(w in SHORT_EPOCH_NAMES or w.startswith(EPOCH_WORDS) for w in targets):
        return True
    if range_call(loop.iter) is not None and any(method_name(c) == "partial_fit" for c in calls_in(loop.body, into_defs=False)):
        return True  # each pass of ``for _ in range(n): clf.partial_fit(...)`` is an epoch
    # ``range(n_epochs)``, ``range(max_iter)`` — but not ``data_iterator``
    return any(w.startswith(ITERABLE_EPOCH_WORDS) or w in ("iter", "iters") for w in words)


def loop_metrics(loop: Loop) -> List[str]:
    """Metric-like names assigned in the loop body (in order), outside nested defs."""
    out: List[str] = []
    for node in walk(loop.body, into_defs=False):
        if isinstance(node, cst.SimpleStatementLine):
            for name in assigned_names(node):
                if is_metric_name(name) and name not in out:
                    out.append(name)
    return out


def metric_statement(loop: Loop, name: str) -> Optional[cst.SimpleStatementLine]:
    """The last statement in the loop body (outside nested defs) that assigns ``name``:
    where the value the trial should report is computed each pass."""
    found: Optional[cst.SimpleStatementLine] = None
    for node in walk(loop.body, into_defs=False):
        if isinstance(node, cst.SimpleStatementLine) and name in assigned_names(node):
            found = node
    return found


def trains(loop: Loop) -> bool:
    return any(trains_a_step(method_name(c)) for c in calls_in(loop.body, into_defs=False))


def epoch_loops(scope: cst.CSTNode) -> Iterator[Loop]:
    """Outermost-first epoch loops below ``scope`` (nested defs left out) that train and compute a metric."""
    for loop in walk(scope, into_defs=False):
        if isinstance(loop, (cst.For, cst.While)) and is_epoch_loop(loop) and trains(loop) and loop_metrics(loop):
            yield loop


def epoch_count(loop: Loop, ctx: RuleContext, facts: FileFacts, func: Optional[cst.FunctionDef] = None) -> Optional[str]:
    """``range(100)`` -> "100"; ``range(EPOCHS)`` with ``EPOCHS = 20`` -> "20"; a parameter
    of ``func`` (the function holding the loop) is not visible here."""
    if not isinstance(loop, cst.For):
        return None
    hidden = set(param_names(func)) if func is not None else set()
    rng = range_call(loop.iter)
    if rng is None:
        return None
    positional = [a.value for a in rng.args if a.keyword is None]
    if not positional or has_star_args(rng):
        return None
    stop = positional[1] if len(positional) >= 2 else positional[0]
    start = positional[0] if len(positional) >= 2 else None
    if any(isinstance(n, cst.Name) and n.value in hidden for n in (stop, start)):
        return None
    local = _local_values(func) if func is not None else {}

    def value(expr: cst.BaseExpression) -> Optional[float]:
        if isinstance(expr, cst.Name) and expr.value in local:
            return number(local[expr.value], ctx.imports)
        return number(facts.resolve(expr) or expr, ctx.imports)

    stop_value = value(stop)
    start_value = 0.0 if start is None else value(start)
    if stop_value is None or start_value is None:
        return None
    count = int(stop_value - start_value)
    return str(count) if count > 0 else None


def _local_values(func: cst.FunctionDef) -> dict:
    """Names bound by a plain assignment in ``func``'s own body, to the last value."""
    found = {}
    for node in walk(func.body, into_defs=False):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            found[node.targets[0].target.value] = node.value
    return found


def loop_unit(loop: Loop) -> str:
    return "epoch" if any("epoch" in w for w in loop_words(loop)) else "step"


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


def direct_statements(block: cst.BaseSuite) -> Iterator[cst.BaseStatement]:
    """Statements that run on every pass through ``block`` (``with`` bodies included)."""
    for stmt in block_statements(block):
        yield stmt
        if isinstance(stmt, cst.With):
            yield from direct_statements(stmt.body)


# ---------------------------------------------------------------------------
# what the trigger reads


# what the text of a file holding such a loop shows: one of its step calls
EPOCH_LOOP_MARKS = tuple(sorted(STEP_CALLS | {"train", "fit_"}))


def epoch_loop_training(loop: ast.AST, index) -> bool:
    """What every loop ``epoch_loops`` accepts shows on the ``ast``: an epoch
    word in the header, the test or an incremented counter (or ``partial_fit``
    in the body), a training call and a metric-named assignment."""
    parts = [loop.target, loop.iter] if isinstance(loop, (ast.For, ast.AsyncFor)) else [loop.test]  # type: ignore[attr-defined]
    if isinstance(loop, ast.While):
        parts += [n.target for n in ast.walk(loop) if isinstance(n, ast.AugAssign)]
    words = [w for part in parts for name in written_names(part, arguments=True) for w in name_words(name)]
    epochs = any(epoch_word(w) for w in words)
    trains = metric = partial_fit = False
    for stmt in loop.body:  # type: ignore[attr-defined]
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                trains = trains or trains_a_step(name)
                partial_fit = partial_fit or name == "partial_fit"
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and not metric:
                metric = is_metric_name(node.id)
    return (epochs or partial_fit) and trains and metric
