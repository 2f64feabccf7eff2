"""Hugging Face trainers and their evaluation set.

A trainer given ``eval_dataset=`` selects on it where it evaluates it: inside an
objective, when its ``TrainingArguments`` evaluate or something calls ``evaluate()``;
and always under ``trainer.hyperparameter_search(...)``, which scores every trial on
``eval_dataset`` (``compute_objective`` only reads the metrics of that evaluation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, List, Optional

from hplint.reading.calls import arg_value, has_star_args, method_name, string_value
from hplint.reading.flow import Flow as ModuleFlow
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import normalize, tokens
from hplint.rules.objective.facts import scope_nodes
from hplint.rules.objective.test_reads import references, test_name

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

# ``TrainingArguments`` settings under which a Hugging Face trainer evaluates its ``eval_dataset``
HF_EVALUATES = frozenset({"eval_steps", "load_best_model_at_end", "metric_for_best_model", "do_eval"})
# the trainer's methods that evaluate ``eval_dataset`` themselves
EVALUATING_METHODS = ("evaluate", "predict", "hyperparameter_search")


def hf_evaluates(trainer: cst.Call, func: cst.FunctionDef) -> bool:
    """Whether a trainer given ``eval_dataset=`` evaluates it: an ``evaluate()``/``predict()``
    call in the objective, or ``TrainingArguments`` (as written here) with an evaluation
    strategy other than "no" (the default) or a setting that evaluates; True when its
    arguments are not visible here."""
    nodes = list(scope_nodes(func.body))
    if any(isinstance(n, cst.Call) and method_name(n) in EVALUATING_METHODS for n in nodes):
        return True
    given = arg_value(trainer, 1, "args")
    if isinstance(given, cst.Name):
        made = [n.value for n in nodes if isinstance(n, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == given.value for t in n.targets)]
        given = made[0] if len(made) == 1 else None
    if not isinstance(given, cst.Call) or has_star_args(given) or not (method_name(given) or "").endswith("TrainingArguments"):
        return True
    for a in given.args:
        name = a.keyword.value if a.keyword is not None else ""
        if name in ("evaluation_strategy", "eval_strategy"):
            return string_value(a.value) != "no"
        if name in HF_EVALUATES and not (isinstance(a.value, cst.Name) and a.value.value in ("False", "None")):
            return True
    return False


@dataclass
class TestSearch:
    """``trainer.hyperparameter_search(...)`` (``call``) on a trainer whose ``eval_dataset``
    (``given``, where it is handed over) holds the test data read at ``ref``."""

    call: cst.Call
    given: cst.BaseExpression
    ref: cst.CSTNode


def hf_test_searches(ctx: RuleContext) -> Iterator[TestSearch]:
    """Every ``hyperparameter_search`` of the file whose trainer (bound to a call with
    ``eval_dataset=`` in the scope of the search, or returned by a function of the file)
    evaluates on test data when the search runs."""
    flow = ctx.facts(ModuleFlow)
    for node in descendants(ctx.module):
        if not (isinstance(node, cst.Call) and method_name(node) == "hyperparameter_search" and isinstance(node.func, cst.Attribute)):
            continue
        trainer = node.func.value
        if not isinstance(trainer, cst.Name):
            continue
        origins = flow.origins(trainer)
        made = origins[0].value if len(origins) == 1 else None
        if not isinstance(made, cst.Call) or has_star_args(made):
            continue  # ``Trainer(**kwargs)``: its eval_dataset is not visible here
        replaced = _replaced(flow, trainer, node)
        given = replaced or arg_value(made, None, "eval_dataset")
        # a trainer a function of the file returns: its parameters hold what every caller gives, not this one's
        ref = _test_data(flow, given, replaced is not None or origins[0].via is None) if given is not None else None
        if ref is not None:
            yield TestSearch(node, given, ref)  # type: ignore[arg-type]


def _replaced(flow: ModuleFlow, trainer: cst.Name, search: cst.Call) -> Optional[cst.BaseExpression]:
    """``trainer.eval_dataset = ...`` in the search's scope before it: the last such value."""
    scope, at = flow.scope_of(search), flow.order_of(search)
    found: List[cst.Assign] = []
    for node in scope_nodes(scope.node):
        if isinstance(node, cst.Assign) and flow.order_of(node) < at and any(
            isinstance(t.target, cst.Attribute) and t.target.attr.value == "eval_dataset"
            and isinstance(t.target.value, cst.Name) and t.target.value.value == trainer.value
            for t in node.targets
        ):
            found.append(node)
    return found[-1].value if found else None


def _test_data(flow: ModuleFlow, given: cst.BaseExpression, here: bool) -> Optional[cst.CSTNode]:
    """The test data ``given`` holds: a test-named value, one bound to a name before
    (``held_out = encoded["test"]``), not a parameter every visible call fills with other data
    nor the held-out part of a training split; None for several sets (a dict of them).
    ``here``: ``given`` is read where the trainer is made for this search, its parameters
    filled by the calls of its function (not by a factory's every caller)."""
    if isinstance(given, (cst.Dict, cst.List, cst.Tuple)):
        return None  # several evaluation sets: which metric is the objective is not visible here
    for ref in references(given):
        if test_name(ref) is None:
            continue
        if isinstance(ref, cst.Name) and _parameter(flow, ref):
            if not here:
                continue
            passed = flow.origins(ref, called=True)
            if passed and not any(_held_test(flow, o.value) for o in passed):
                continue  # ``tune(train_part, test_part)`` called with a validation split
        if not _carved_from_training(flow, ref):
            return ref
    if here and isinstance(given, cst.Name) and test_name(given) is None:
        for origin in flow.origins(given, called=True):  # ``held_out = encoded["test"]``, or what a call passes
            held = _held_test(flow, origin.value) if origin.value is not given else None
            if held is not None:
                return held
    return None


def _parameter(flow: ModuleFlow, name: cst.Name) -> bool:
    """A parameter of the function ``name`` is read in, not bound again there."""
    scope = flow.scope_of(name)
    return any(p.name.value == name.value for p in scope.params) and name.value not in scope.bindings


def _held_test(flow: ModuleFlow, value: cst.BaseExpression) -> Optional[cst.CSTNode]:
    """The test data a value reads (a held-out part of a training split is not)."""
    return next((r for r in references(value) if test_name(r) is not None and not _carved_from_training(flow, r)), None)


TRAINING_WORDS = frozenset({"train", "training", "trainset"})


def _carved_from_training(flow: ModuleFlow, ref: cst.CSTNode) -> bool:
    """``split["test"]`` of ``split = ds["train"].train_test_split(...)``: the part held out of
    the training split is a validation split, whatever its key."""
    if not (isinstance(ref, cst.Subscript) and isinstance(ref.value, cst.Name)):
        return False
    split = flow.value(ref.value)
    if not (isinstance(split, cst.Call) and method_name(split) == "train_test_split" and isinstance(split.func, cst.Attribute)):
        return False
    source = split.func.value
    words = {w for r in references(source) for w in _words(r)}
    return bool(words & TRAINING_WORDS)


def _words(ref: cst.CSTNode) -> List[str]:
    if isinstance(ref, cst.Name):
        return tokens(normalize(ref.value))
    if isinstance(ref, cst.Attribute):
        return tokens(normalize(ref.attr.value))
    if isinstance(ref, cst.Subscript) and len(ref.slice) == 1 and isinstance(ref.slice[0].slice, cst.Index):
        key = string_value(ref.slice[0].slice.value)
        return tokens(normalize(key)) if key else []
    if isinstance(ref, cst.Call):
        return [w for a in ref.args if a.keyword is not None and a.keyword.value == "split" for w in tokens(normalize(string_value(a.value) or ""))]
    return []
