"""HPL207: a value the trial suggests that the objective never uses.

``l2 = trial.suggest_float("l2", 1e-6, 1e-2, log=True)`` and then nothing
reads ``l2``: every trial samples a dimension that changes nothing.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, List, Optional, Set

from hplint.core.file_facts import file_values, values_in
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.triggers import Calls, Imports
from hplint.reading.calls import method_name, string_value
from hplint.reading.tree import children
from hplint.rules.search_space.facts import FAMILY, _TrialRule
from hplint.rules.search_space.space_keys import unread_keys
from hplint.rules.search_space.wording import short_code
from hplint.rules.strategy.hypermodels import KERAS_TUNED, KERAS_TUNER_ROOTS

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

SUGGEST_METHODS = (
    "suggest_float", "suggest_int", "suggest_categorical",
    "suggest_uniform", "suggest_loguniform", "suggest_discrete_uniform",
)
# calls that can read any local by name: the value may be used after all
DYNAMIC_READS = frozenset({"locals", "vars", "eval", "exec"})


def loaded_names(node: cst.CSTNode) -> Iterator[str]:
    """Names ``node`` reads: not an attribute's name, a keyword, a parameter, a
    definition's name or a plain assignment's target."""
    if isinstance(node, cst.Name):
        yield node.value
        return
    if isinstance(node, cst.Attribute):
        yield from loaded_names(node.value)
        return
    if isinstance(node, cst.Arg):
        yield from loaded_names(node.value)
        return
    if isinstance(node, cst.AssignTarget):
        if not isinstance(node.target, cst.Name):
            yield from loaded_names(node.target)  # ``d[key] = ...`` reads d and key
        return
    if isinstance(node, cst.Param):
        for part in (node.default, node.annotation):
            if part is not None:
                yield from loaded_names(part)
        return
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        for part in children(node):
            if part is not node.name:
                yield from loaded_names(part)
        return
    if isinstance(node, (cst.Import, cst.ImportFrom)):
        return
    for child in children(node):
        yield from loaded_names(child)


def _not_on_self(site) -> bool:
    """``self.suggest_float(...)``: a trial class's own code, not an objective."""
    func = site.node.func
    return not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self")


@register
class SuggestedValueUnused(_TrialRule):
    code = "HPL207"
    name = "suggested-value-unused"
    family = FAMILY
    summary = "A value the trial suggests that the objective never uses"
    why = (
        "Each `trial.suggest_*` call adds a dimension to the search. When the objective binds "
        "the suggested value to a name and never reads it, every trial samples a parameter "
        "that changes nothing: a model-based sampler (TPE, GP) spends its model on a dimension "
        "whose effect is pure noise, the study's importances and best parameters report a "
        "value that was never trained with, and the parameter the author meant to tune stays "
        "at whatever the code fixes it to. Pass the value to the model, or remove the "
        "suggestion. Reported: a name bound to a suggestion in an objective and not read "
        "anywhere in it (nested functions included). Not reported: names starting with `_`, "
        "objectives that read `trial.params` or call `locals()`/`vars()`/`eval`/`exec`, "
        "`global`/`nonlocal` names, and suggestions not bound to a name. Also reported: a key a Ray "
        "Tune (`config=`, `param_space=`) or hyperopt (`space=`) dict space samples that the "
        "objective never reads, where the objective reads its config by literal keys alone "
        "(`config[\"lr\"]`, `config.get(\"lr\")`); one that hands the config on (`Net(**config)`) "
        "may read any key and is not judged. And a key of bayes_opt's `pbounds` whose parameter the "
        "function `BayesianOptimization(f=...)` runs never reads (not judged with `**kwargs`). "
        "In a file that imports Keras Tuner, a name bound to a draw of the build function's "
        "`hp` (`batch_size = hp.Int(\"batch_size\", 16, 128)`) and not read in it: a batch size "
        "or epoch count drawn in `build` never reaches `fit`. Not judged when the draw's label "
        "is read through a HyperParameters object elsewhere (`hp.get(\"batch_size\")` in `HyperModel.fit`, "
        "`trial.hyperparameters.get(...)` in a tuner's `run_trial`); read off the best values after the search, it is no use in a trial."
    )
    methods = SUGGEST_METHODS
    # a report is a suggest call bound to a name, or a key of a dict space a Ray or
    # hyperopt search passes
    trigger = (
        Calls(*SUGGEST_METHODS, method=True, where=_not_on_self)
        | (Imports("ray", "hyperopt") & Calls("run", "Tuner", "fmin"))
        | (Imports("bayes_opt") & Calls("BayesianOptimization"))
        | (Imports(*KERAS_TUNER_ROOTS) & Calls(*KERAS_TUNED, method=True))
    )
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                l2 = trial.suggest_float("l2", 1e-6, 1e-2, log=True)
                model = Net(weight_decay=0.0)
                return train(model, lr=lr)
            """,
            note="`l2` is sampled in every trial and never reaches the model.",
        ),
        Example(
            """
            import keras_tuner as kt
            from tensorflow import keras

            def build_model(hp):
                units = hp.Int("units", 32, 256, step=32)
                batch_size = hp.Choice("batch_size", [16, 32, 64])
                model = keras.Sequential([keras.layers.Dense(units, activation="relu"), keras.layers.Dense(1)])
                model.compile(optimizer="adam", loss="mse")
                return model

            tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=20)
            tuner.search(x, y, epochs=10, batch_size=32, validation_split=0.2)
            """,
            note="The batch size drawn in the build function never reaches `fit`: every trial trains with 32.",
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                l2 = trial.suggest_float("l2", 1e-6, 1e-2, log=True)
                return train(Net(weight_decay=l2), lr=lr)
            """
        ),
        Example(
            """
            def objective(trial):
                trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return train(**trial.params)
            """,
            note="The values are read back through `trial.params`.",
        ),
        Example(
            """
            import keras_tuner as kt

            class Tuned(kt.HyperModel):
                def build(self, hp):
                    hp.Choice("batch_size", [16, 32, 64])
                    return make_model(hp.Int("units", 32, 256))

                def fit(self, hp, model, *args, **kwargs):
                    return model.fit(*args, batch_size=hp.get("batch_size"), **kwargs)
            """,
            note="The batch size is drawn in `build` and read back by its label in `fit`.",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._reads: dict = {}  # id(function) -> names it reads, or None when any may be read

    def check_suggest(self, call: cst.Call) -> None:
        recv = call.func.value if isinstance(call.func, cst.Attribute) else None
        if isinstance(recv, cst.Name) and recv.value == "self":
            return  # a trial class's own code (what the trigger leaves out too)
        assign = self.ctx.parent(call)
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
            return
        name = assign.targets[0].target.value
        func = next((a for a in self.ctx.ancestors(call) if isinstance(a, (cst.FunctionDef, cst.Lambda))), None)
        if name.startswith("_") or not isinstance(func, cst.FunctionDef):
            return
        reads = self._function_reads(func)
        if reads is None or name in reads:
            return
        label = string_value(call.args[0].value) if call.args and call.args[0].keyword is None else None
        spelled = f" (\"{label}\")" if label is not None and label != name else ""
        self.report(
            assign,
            f"`{name}` = {short_code(self.ctx, call)} is sampled in every trial but never read in "
            f"`{func.name.value}`{spelled}: the study searches a dimension that changes nothing, so the "
            "sampler models noise and the parameter meant to be tuned stays fixed; pass it to the "
            "model or remove the suggestion",
        )

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if method_name(node) in KERAS_TUNED and isinstance(self.ctx.parent(node), cst.Assign):
            self._keras_draw(node)

    def _keras_draw(self, call: cst.Call) -> None:
        """``batch_size = hp.Int("batch_size", ...)`` in a build function that never reads it."""
        recv = call.func.value if isinstance(call.func, cst.Attribute) else None
        func = next((a for a in self.ctx.ancestors(call) if isinstance(a, (cst.FunctionDef, cst.Lambda))), None)
        if not isinstance(recv, cst.Name) or not isinstance(func, cst.FunctionDef) or recv.value != _hp_parameter(func):
            return
        if not {t.split(".")[0] for t in self.ctx.imports.aliases.values()} & set(KERAS_TUNER_ROOTS):
            return
        assign = self.ctx.parent(call)
        if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):  # type: ignore[attr-defined]
            return
        name = assign.targets[0].target.value  # type: ignore[attr-defined]
        label = string_value(call.args[0].value) if call.args and call.args[0].keyword is None else None
        if name.startswith("_") or label is None or self._read_back(func, recv.value, method_name(call) or "", label):
            return  # the label read back in a trial (``hp.get``, a ``fit`` that draws it again)
        reads = self._function_reads(func)
        if reads is None or name in reads or any(isinstance(n, cst.Attribute) and n.attr.value == "values" for n in _walk(func)):
            return
        self.report(
            assign,
            f"`{name}` = {short_code(self.ctx, call)} is drawn in every trial but never read in `{func.name.value}`: "
            "the tuner searches a dimension that changes nothing, so its best values report a setting never "
            "trained with (a batch size or epoch count drawn in `build` does not reach `fit`); pass it to the "
            "model, draw it in `HyperModel.fit`, or remove it",
        )

    def _read_back(self, func: cst.FunctionDef, hp: str, method: str, label: str) -> bool:
        """The label read through a HyperParameters object besides this draw: ``hp.get(label)``
        in ``HyperModel.fit`` (any method or function on a parameter of its own), a draw of it
        elsewhere, ``trial.hyperparameters.get(label)`` in a tuner's ``run_trial``, or
        module-level code on an ``hp`` (a space defined ahead).  Read off the best values after
        the search (``best_hps.get(label)``, not a parameter), it is no use in a trial."""
        here = _qualified_name(self.ctx, func)
        for entry in values_in("hyperparameter-labels", self.ctx):
            owner, kind, receiver, called, read = entry.split("|", 4)
            if read != label or (owner, receiver, called) == (here, hp, method):
                continue
            if receiver == "hyperparameters" or kind == "parameter" or (owner == "" and receiver == hp):
                return True
        return False

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)
        for unread in unread_keys(self.ctx, self._function_reads):
            if unread.as_parameter:
                message = (
                    f"`{unread.key}` is sampled by `{unread.search}` (its `pbounds`) and passed to `{unread.objective}`, "
                    "which never reads that parameter: every evaluation samples a dimension that changes nothing; "
                    "pass it to the model or remove it from `pbounds`"
                )
            else:
                message = (
                    f"`{unread.key}` is sampled by the space `{unread.search}` searches, but `{unread.objective}` never "
                    f"reads it from its config (it reads the config by key alone): every trial samples a dimension "
                    "that changes nothing; pass it to the model or remove it from the space"
                )
            self.report(unread.element, message)

    def _function_reads(self, func: cst.FunctionDef) -> Optional[Set[str]]:
        if id(func) not in self._reads:
            self._reads[id(func)] = _reads_of(func)
        return self._reads[id(func)]


def _qualified_name(ctx, func: cst.FunctionDef) -> str:
    """``Class.method`` or ``function`` (enclosing names joined), as ``_labels`` writes it."""
    names = [func.name.value]
    for ancestor in ctx.ancestors(func):
        if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef)):
            names.append(ancestor.name.value)
    return ".".join(reversed(names))


@file_values("hyperparameter-labels")
def _labels(stmt: ast.stmt, vocabulary) -> Iterator[str]:
    """``owner|kind|receiver|method|label`` for each call ``receiver.method("label", ...)``
    and subscript ``receiver.values["label"]`` of the statement: ``owner`` the enclosing
    functions and classes (``Tuned.fit``; empty at module level), ``kind`` whether the
    receiver is a parameter of the enclosing function (``HyperModel.fit(self, hp, ...)``).
    What ``_read_back`` reads, declared so a partial lint sees it whole."""
    stack: List[tuple] = [(stmt, "", frozenset())]
    while stack:
        node, owner, params = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = f"{owner}.{node.name}" if owner else node.name
            names = params
            if not isinstance(node, ast.ClassDef):
                names = frozenset(a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs)
            stack.extend((child, inner, names) for child in ast.iter_child_nodes(node))
            continue
        found = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args and isinstance(node.args[0], ast.Constant):
            found = (node.func.value, node.func.attr, node.args[0].value)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "values" and isinstance(node.slice, ast.Constant):
            found = (node.value.value, "values", node.slice.value)
        if found is not None and isinstance(found[2], str):
            base = found[0]
            receiver = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
            kind = "parameter" if isinstance(base, ast.Name) and base.id in params else "other"
            yield f"{owner}|{kind}|{receiver}|{found[1]}|{found[2]}"
        stack.extend((child, owner, params) for child in ast.iter_child_nodes(node))


def _hp_parameter(func: cst.FunctionDef) -> Optional[str]:
    """A build function's HyperParameters parameter: its first, after ``self`` for a method."""
    params = [p.name.value for p in func.params.params]
    if params and params[0] == "self":
        params = params[1:]
    return params[0] if params else None


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def _reads_of(func: cst.FunctionDef) -> Optional[Set[str]]:
    """The names ``func``'s body reads; None when it may read any local
    (``locals()``, ``trial.params``) or shares names with another scope."""
    reads: Set[str] = set()
    stack = list(children(func.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Global, cst.Nonlocal)):
            return None
        if isinstance(node, cst.Call) and method_name(node) in DYNAMIC_READS and isinstance(node.func, cst.Name):
            return None
        if isinstance(node, cst.Attribute) and node.attr.value == "params":
            return None  # ``trial.params``: the suggested values read back by their labels
        stack.extend(children(node))
    reads.update(loaded_names(func.body))
    return reads
