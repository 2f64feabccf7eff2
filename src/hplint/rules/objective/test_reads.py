"""What HPL702 reads as test data: the references an expression is scored from, and
which of them hold the test set (a test-named value, a ``["test"]`` split, or what a
call whose name says so makes: ``test_dataloader(cfg)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, List, Optional

from hplint.reading.calls import method_name, string_value
from hplint.reading.flow import Flow as ModuleFlow
from hplint.reading.metrics import TEST_WORDS, is_test_data_name
from hplint.reading.objectives import FileObjectives
from hplint.reading.tree import children
from hplint.reading.vocabulary import normalize, tokens

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
    from hplint.rules.objective.facts import Flow
else:
    from hplint.core.lazy_libcst import cst

SETTINGS_OWNERS = frozenset({"args", "opt", "opts", "flags", "cfg", "config", "conf", "hparams", "settings", "options"})
# a key that picks the cross-validated or validation score out of a result that holds more
# (``res["final_cv"]``, ``history["val acc"]``; not ``eval``: Hugging Face's ``eval_loss`` is
# whatever ``eval_dataset`` holds, read where it is given)
CROSS_VALIDATED_TOKENS = frozenset({"cv", "oof", "xval", "crossval", "val", "valid", "validation", "dev"})
# what makes XGBoost's watch list more than a log: it early-stops on it, feeds callbacks (a
# pruning callback) or returns its history
WATCH_LIST_USES = frozenset({"early_stopping_rounds", "callbacks", "evals_result"})
# a call that makes the test split says test and data in its name, and nothing else but a
# verb (``test_dataloader``, ``make_test_loader``, ``load_test_data``; not ``test_model``,
# ``evaluate_test``, ``prepare_test``); every such name is one ``is_test_data_name`` accepts
MAKING_VERBS = frozenset({"get", "make", "load", "build", "create", "prepare", "init", "setup", "read", "fetch", "new"})
DATA_TOKENS = frozenset({"loader", "loaders", "dataloader", "dataloaders", "dataset", "datasets", "data", "ds", "set", "iter", "iterator"})
DATA_TEST_WORDS = frozenset({"testset", "testloader", "testdata"})
# words of data handed to a ``.test(...)`` call that make it a validation run
VALIDATING_TOKENS = frozenset({"val", "valid", "validation", "dev", "eval", "xval", "yval", "valloader", "validloader"})


def watched(call: cst.Call, keyword: str) -> bool:
    """``evals=`` counts where the booster uses it (``WATCH_LIST_USES``); the other keywords always."""
    return keyword != "evals" or any(a.keyword is not None and a.keyword.value in WATCH_LIST_USES for a in call.args)


def references(expr: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Names, attributes, string-keyed subscripts and calls an expression reads, callees'
    names and keywords left out."""
    stack: List[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            yield node
            continue
        if isinstance(node, cst.Attribute):
            yield node
            stack.append(node.value)
            continue
        if isinstance(node, cst.Subscript):
            yield node
            if cross_validated(node):
                continue  # ``results["final_cv"]``: the cross-validated score, whatever else was passed
        if isinstance(node, cst.Call):
            yield node  # ``test_dataloader(cfg)``: what the call makes may be the test set
            if isinstance(node.func, cst.Attribute):
                stack.append(node.func.value)
            elif not isinstance(node.func, cst.Name):
                stack.append(node.func)
            # a watch list the booster only logs does not shape what it returns
            # (a Hugging Face ``eval_dataset=`` is read where it is given, asking whether it is evaluated)
            stack.extend(a.value for a in node.args if a.keyword is None or a.keyword.value != "eval_dataset" and watched(node, a.keyword.value))
            continue
        if isinstance(node, cst.Arg):
            stack.append(node.value)
            continue
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            continue
        stack.extend(children(node))


def cross_validated(read: cst.Subscript) -> bool:
    key = read.slice[0].slice if len(read.slice) == 1 else None
    text = string_value(key.value) if isinstance(key, cst.Index) else None
    return text is not None and bool(set(tokens(normalize(text))) & CROSS_VALIDATED_TOKENS)


def makes_test_data(node: cst.CSTNode) -> bool:
    """``test_dataloader(cfg)``, ``dm.test_dataloader()``, ``make_test_loader(...)``: a call
    whose name says it makes the test split (a definition of such a function is not one)."""
    name = method_name(node) if isinstance(node, cst.Call) else None
    if not name or not is_test_data_name(name):
        return False
    words = set(tokens(normalize(name)))
    if not words <= MAKING_VERBS | DATA_TOKENS | TEST_WORDS:
        return False
    return bool(words & DATA_TEST_WORDS) or bool(words & TEST_WORDS and words & DATA_TOKENS)


def test_name(node: cst.CSTNode) -> Optional[str]:
    """The test-set name a reference reads, if any (``make_test_loader()`` for a call that makes it)."""
    if isinstance(node, cst.Name):
        return node.value if is_test_data_name(node.value) else None
    if isinstance(node, cst.Attribute):
        if isinstance(node.value, cst.Name) and node.value.value.lower() in SETTINGS_OWNERS:
            return None  # ``args.test``: a command-line flag, not data
        return node.attr.value if is_test_data_name(node.attr.value) else None
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        key = string_value(node.slice[0].slice.value)
        return key if key is not None and is_test_data_name(key) else None
    if isinstance(node, cst.Call) and makes_test_data(node):
        return f"{method_name(node)}()"
    if isinstance(node, cst.Call) and scores_the_test_split(node):
        return f"{cst.Module(body=[]).code_for_node(node.func).strip()}()"
    return None


def scores_the_test_split(call: cst.Call) -> bool:
    """``trainer.test(model, datamodule=dm)``, ``exp.test(setting)``: a method named ``test``
    scores the test split its owner holds (Lightning's ``Trainer.test`` runs the datamodule's
    ``test_dataloader``), unless it is handed validation data (``trainer.test(dataloaders=val_dl)``)."""
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "test":
        return False
    if isinstance(call.func.value, cst.Name) and call.func.value.value in ("self", "cls", "unittest"):
        return False
    for argument in call.args:
        for ref in references(argument.value):
            name = ref.value if isinstance(ref, cst.Name) else ref.attr.value if isinstance(ref, cst.Attribute) else None
            if name is not None and set(tokens(normalize(name))) & VALIDATING_TOKENS:
                return False
    return True


def made_outside(ctx: RuleContext, ref: cst.Name) -> List[cst.Call]:
    """The calls making the test split that a name a function does not bind holds: every
    binding of it in the nearest enclosing scope that binds it (``VAL_LOADER =
    test_dataloader(cfg)`` in the module), or nothing."""
    if not any(makes_test_data(value) for value in ctx.facts(FileObjectives).bindings.get(ref.value, ())):
        return []  # no such call is bound to the name anywhere in the file: most names
    flow = ctx.facts(ModuleFlow)
    scope, own = flow.scope_of(ref), True
    while scope is not None:
        if own or not isinstance(scope.node, cst.ClassDef):  # a method does not see its class's names
            if any(p.name.value == ref.value for p in scope.params):
                return []
            bound = [value for _, value in scope.bindings.get(ref.value, ())]
            if bound:
                return bound if all(value is not None and makes_test_data(value) for value in bound) else []  # type: ignore[return-value]
        scope, own = scope.parent, False
    return []


DATA_KEYWORDS = frozenset({"dataset", "data", "x", "X", "tensors"})


def data_names(expr: cst.BaseExpression, flow: Flow, depth: int = 0) -> Iterator[str]:
    """The names whose values an expression's data comes from: through this function's
    bindings and the positional (or ``dataset=``) arguments of the calls that wrap them."""
    if depth > 6:
        return
    if isinstance(expr, cst.Name):
        if expr.value in flow.bound:
            for bound in flow.bound[expr.value]:
                if bound is not None:
                    yield from data_names(bound, flow, depth + 1)
        else:
            yield expr.value
    elif isinstance(expr, cst.Call):
        for argument in expr.args:
            if argument.keyword is None or argument.keyword.value in DATA_KEYWORDS:
                yield from data_names(argument.value, flow, depth + 1)
    elif isinstance(expr, (cst.Subscript, cst.Attribute)):
        yield from data_names(expr.value, flow, depth + 1)
    elif isinstance(expr, (cst.Tuple, cst.List)):
        for element in expr.elements:
            yield from data_names(element.value, flow, depth + 1)
