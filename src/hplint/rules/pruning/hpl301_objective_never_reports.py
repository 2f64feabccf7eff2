"""HPL301: an Optuna objective that trains epoch by epoch and never reports."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, AbstractSet, List, Optional, Set

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.structure import Nodes, Objectives
from hplint.prefilter.triggers import Always
from hplint.reading.calls import arg_value, method_name, param_names, string_value
from hplint.reading.imports import dotted_name
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import names_model_builder, names_space_sampler
from hplint.rules.pruning.epochs import (
    EPOCH_LOOP_MARKS,
    Loop,
    assigned_names,
    direct_statements,
    epoch_count,
    epoch_loop_training,
    epoch_loops,
    is_validation_name,
    loop_metrics,
    loop_unit,
    metric_statement,
    range_call,
)
from hplint.rules.pruning.facts import (
    BUDGET_NUMBERS,
    FAMILY,
    MEDIAN_PRUNER_HOW,
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
from hplint.rules.pruning.frameworks import (
    HOOK_SUFFIX,
    INTEGRATION,
    TRAINING_CALL_MARKS,
    EpochCall,
    Reader,
    hook_names,
    hook_used,
    in_loop,
    may_train_epochs,
    passes_hook,
)
from hplint.rules.pruning.savings import prunes_nothing, savings_for

if TYPE_CHECKING:
    import libcst as cst

else:
    from hplint.core.lazy_libcst import cst

INTEGRATION_MODULES = ("optuna_integration", "optuna.integration")
HOOK_ADVICE = {
    "KerasPruningCallback": 'pass `callbacks=[KerasPruningCallback({trial}, "{monitor}")]`',
    "TFKerasPruningCallback": 'pass `callbacks=[TFKerasPruningCallback({trial}, "{monitor}")]`',
    "PyTorchLightningPruningCallback": 'pass `PyTorchLightningPruningCallback({trial}, monitor="val_loss")` in `Trainer(callbacks=[...])` (monitor the validation metric the objective returns)',
    "XGBoostPruningCallback": 'pass `callbacks=[XGBoostPruningCallback({trial}, "validation-<metric>")]`',
    "LightGBMPruningCallback": 'pass `callbacks=[LightGBMPruningCallback({trial}, "<metric>")]`',
    "CatBoostPruningCallback": 'pass `callbacks=[pruning]` to `fit` with `pruning = CatBoostPruningCallback({trial}, "<metric>")` and call `pruning.check_pruned()` after it',
}
HF_ADVICE = (
    "add a `TrainerCallback` whose `on_evaluate` calls `{trial}.report(...)` and raises `optuna.TrialPruned()` "
    "when `{trial}.should_prune()` (optuna-integration has none for transformers), or tune with "
    '`trainer.hyperparameter_search(backend="optuna")`, which prunes'
)
CUSTOM_ADVICE = "hand it the trial (or a callback that calls `{trial}.report(value, epoch)` and `{trial}.should_prune()` each epoch)"


# ---------------------------------------------------------------------------
# returns


def simple_small(stmt: cst.CSTNode) -> Optional[cst.BaseSmallStatement]:
    """The only small statement of a one-statement line, else None."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt.body[0]
    return None


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


def history_key(expr: Optional[cst.BaseExpression], reader: Reader) -> Optional[str]:
    """``history.history["val_accuracy"][-1]``, ``max(h.history["val_acc"])`` or a name bound
    to one: the Keras metric the objective returns, unchanged in sign and scale."""
    expr = reader.value(expr) if isinstance(expr, cst.Name) else expr
    if isinstance(expr, cst.Call) and method_name(expr) in ("max", "min") and len(expr.args) == 1:
        expr = expr.args[0].value
    if isinstance(expr, cst.Subscript) and isinstance(expr.value, cst.Subscript):
        expr = expr.value
    if not isinstance(expr, cst.Subscript) or len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
        return None
    if not (isinstance(expr.value, cst.Attribute) and expr.value.attr.value == "history"):
        return None
    key = string_value(expr.slice[0].slice.value)
    return key if key is not None and key.startswith("val_") else None


# ---------------------------------------------------------------------------
# does the trial reach a report elsewhere


# callables that take a trial and never report for it: Optuna's artifact store, printing
# callees that only look at or log the trial (``isinstance(trial, optuna.Trial)``): none can prune
NEVER_REPORT = frozenset({
    "upload_artifact", "print", "repr", "str", "pprint", "isinstance", "type", "id", "hash", "hasattr",
    "getattr", "bool", "format", "debug", "info", "warning",
})


def trial_receivers(node: cst.CSTNode, names: Set[str], loop: Optional[cst.CSTNode] = None) -> List[str]:
    """Names of the callables ``node`` hands a trial to (helpers, pruning callbacks).

    With the objective's own epoch ``loop``: a model built before it or after it
    (``Autoencoder(trial, ...)``, ``define_model(trial)``: the trial read only to
    suggest its architecture) cannot report that loop's epochs, so it is left out."""
    inside = {id(c) for c in calls_in(loop)} if loop is not None else set()
    out = []
    for call in calls_in(node):
        if any(isinstance(a.value, cst.Name) and a.value.value in names for a in call.args):
            name = method_name(call) or ""
            if name in NEVER_REPORT or names_space_sampler(name) or (loop is not None and id(call) not in inside and names_model_builder(name)):
                continue
            out.append(name)
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
            onward = trial_receivers(func, _trial_params(func))
            if may_prune_through(onward, facts, seen):
                return True
    return False


def _trial_params(func: cst.FunctionDef) -> Set[str]:
    """The parameters of a helper that may hold the trial it is handed: those named for a
    trial, else the first (``build_model(trial, input_shape)`` hands ``input_shape`` to
    ``Input(shape=...)``, which is no trial going further)."""
    names = [n for n in param_names(func) if n not in ("self", "cls")]
    named = {n for n in names if "trial" in n.lower()}
    return named or set(names[:1])


def _reports_or_prunes(node: cst.CSTNode) -> bool:
    return any(method_name(c) in ("report", "should_prune") for c in calls_in(node))


def raises_pruned(func: cst.FunctionDef) -> bool:
    """``raise optuna.TrialPruned()`` in a loop or a callback, outside an ``except`` block: the
    objective prunes by a rule of its own while it trains.  Raised only when handling an error
    (out of memory, say), or once before training to reject a combination
    (``if emb_size % heads: raise TrialPruned()``), it stops no training early."""
    for node in descendants(func.body, (cst.ExceptHandler,)):
        if isinstance(node, (cst.For, cst.While, cst.FunctionDef, cst.Lambda)) and _raises_pruned_below(node):
            return True
    return False


def _raises_pruned_below(scope: cst.CSTNode) -> bool:
    for node in descendants(scope, (cst.ExceptHandler,)):
        if isinstance(node, cst.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
            if (dotted_name(exc) or "").rsplit(".", 1)[-1] == "TrialPruned":
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
        "and `trial.should_prune()` each epoch, or passes a pruning callback that does; without "
        "that the default MedianPruner never sees a number and every trial trains to the last "
        "epoch. " + MEDIAN_PRUNER_HOW + BUDGET_NUMBERS +
        "Reported: an Optuna objective (a function passed to `study.optimize` directly, through a "
        "lambda that hands it the trial, `functools.partial`, a name, a bound method, a factory's "
        "inner function or a class's `__call__`; or one taking a Trial) that never reports and "
        "(1) has a loop over epochs/steps/iterations (`for`, `while` with an epoch counter, "
        "`partial_fit` over `range`) that trains and computes a metric each pass; or (2) trains "
        "through a framework's epoch loop with validation data each epoch and no pruning callback "
        "passed to it: Keras `fit(epochs=N, validation_data=...|validation_split=...)` "
        "(`KerasPruningCallback`/`TFKerasPruningCallback`), PyTorch Lightning `Trainer(max_epochs=N)` "
        "then `trainer.fit` with `val_dataloaders`, a `validation_step` in the file or a validation "
        "metric read from `callback_metrics`, a `datamodule=` with a validation metric monitored, "
        "or a data module given to a `Trainer` told how to validate (`check_val_every_n_epoch`, "
        "`limit_val_batches`, `val_check_interval`) "
        "(`PyTorchLightningPruningCallback`), Hugging Face "
        "`Trainer(args=TrainingArguments(...), eval_dataset=...).train()` (or a subclass of it such as "
        "`CustomTrainer`, given the same `TrainingArguments`, its keywords also read from the one dict it "
        "unpacks: `TrainingArguments(**settings)`) with an evaluation strategy other than \"no\", `xgb.train(..., evals=[...])` (`XGBoostPruningCallback`), "
        "`lgb.train(..., valid_sets=[...])`, `xgb.cv` and `lgb.cv` (also `lgb.cv` of `import optuna.integration.lightgbm as lgb`, "
        "which hands out LightGBM's API but for its stepwise-tuning `train`), and the scikit-learn boosters' `fit(eval_set=...)` "
        "(`LightGBMPruningCallback`; CatBoost's with `CatBoostPruningCallback` and `check_pruned()`), or any call with an epochs keyword and a validation-named "
        "argument (`trainer.fit(train_loader, val_loader, epochs=n)`) that the trial never reaches; "
        "or (3) calls a function of this file, without passing the trial, whose own body holds "
        "such an epoch loop (one hop). A pruning callback created but never passed to the "
        "training call is no pruning, nor is a `raise optuna.TrialPruned()` in an `except` block. "
        "The epoch count is quoted only when the code writes it. A loop written in the objective "
        "is reported at the statement that computes, each pass, the validation value the message "
        "names (where the report belongs: a value the epoch computes once, `val_acc = accuracy(...)`, "
        "over a reset, `val_loss = 0.0`, or a sum a batch loop adds to; the value compared with a "
        "best-so-far the objective returns, `if val_loss < best: best = val_loss`, over that best), or at the loop when a pass computes only a training "
        "loss; a framework's training call at the call. Not reported: a study whose `n_trials` is no "
        "larger than its pruner's warm-up (`n_trials=5` with the default MedianPruner: reporting "
        "would prune no trial; HPL501 is about that budget), single-fit "
        "objectives (`cross_val_score`, `clf.fit(X, y)`), `epochs=1` or a loop over `range(1)`, boosting without a "
        "validation set, loops over folds or seeds (unless the objective creates a pruning callback "
        "there and never passes it), multi-objective studies (Optuna cannot prune "
        "those), GridSampler studies (an ablation runs every cell to the end), objectives that "
        "hand `trial` to the training call or to a helper not defined here (it may report: not "
        "guessed; a helper named for drawing the hyperparameters, `suggest_hyperparams(trial)`, "
        "cannot report the training that follows), functions the file only calls with a finished "
        "trial (`study.best_trial`, `FixedTrial(...)`: a re-run, no search), objectives that raise `optuna.TrialPruned` by a rule of their own, and "
        "`Trainer.hyperparameter_search`, which prunes by itself. hplint does not guess across "
        "functions beyond that one hop, nor across modules."
    )
    fix_description = (
        "Appends `trial.report(<metric>, <epoch>)` and `if trial.should_prune(): raise "
        "optuna.TrialPruned()` as the last statements of the epoch loop (adding `import optuna` "
        "if needed), when the loop variable is a plain name over `range(...)` and the returned "
        "metric is assigned on every pass; for a Keras `fit` that already takes `callbacks=[...]` "
        "and an objective that returns a `history.history[\"val_...\"]` value, adds "
        "`KerasPruningCallback(trial, \"val_...\")` (`TFKerasPruningCallback` for tf.keras) to "
        "that list, monitoring the metric the objective returns. Unsafe: it changes control flow "
        "and lets the pruner stop trials."
    )
    fix_safety = Safety.UNSAFE
    demonstration = "pruning"
    # a report is an objective that never reports, where an epoch loop written out,
    # or a framework training call, lies in the objective or in a function it calls
    trigger = Objectives(Always()) & (
        Nodes(ast.For, ast.AsyncFor, ast.While, holds=epoch_loop_training, label="epoch loop", marks=EPOCH_LOOP_MARKS)
        | Nodes(ast.Call, holds=may_train_epochs, label="training call", marks=TRAINING_CALL_MARKS)
    )
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
        Example(
            """
            import optuna
            from tensorflow import keras

            def objective(trial):
                model = build_model(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                history = model.fit(x_train, y_train, epochs=50, validation_data=(x_val, y_val))
                return history.history["val_accuracy"][-1]

            optuna.create_study(direction="maximize").optimize(objective, n_trials=100)
            """,
            note="Keras runs the epoch loop; only a pruning callback passed to `fit` reports from it.",
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
            from optuna_integration import TFKerasPruningCallback

            def objective(trial):
                model = build_model(trial.suggest_float("lr", 1e-5, 1e-1, log=True))
                pruning = TFKerasPruningCallback(trial, "val_accuracy")
                history = model.fit(x_train, y_train, epochs=50, validation_data=(x_val, y_val), callbacks=[pruning])
                return history.history["val_accuracy"][-1]

            optuna.create_study(direction="maximize").optimize(objective, n_trials=100)
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
        if calls_on(func, names, "report") or mentions_prune_calls(func) or raises_pruned(func):
            return
        own_loop = next(epoch_loops(func.body), None)
        receivers = [r for r in trial_receivers(func, names, own_loop) if not r.endswith(HOOK_SUFFIX)]
        if may_prune_through(receivers, facts) or facts.excused(func):
            return
        for loop in epoch_loops(func.body):
            if not hook_used(func):
                self._report_loop(objective, loop, facts)
            return  # one finding per objective: the outermost epoch loop
        reader = Reader(self.ctx, facts, func)
        seen = False
        for epoch_call in reader.epoch_calls():
            seen = True
            if not passes_hook(epoch_call, func):
                self._report_call(objective, epoch_call, reader)
                return
        if not seen and not hook_used(func):
            self._check_helpers(objective, facts)

    def _label(self, func: cst.FunctionDef) -> str:
        """``objective``, or ``Objective.__call__`` for a method."""
        for node in self.ctx.ancestors(func):
            if isinstance(node, cst.ClassDef):
                return f"{node.name.value}.{func.name.value}"
            if isinstance(node, cst.FunctionDef):
                break
        return func.name.value

    # -- an epoch loop written in the objective ------------------------------
    def _report_loop(self, objective: Objective, loop: Loop, facts: FileFacts) -> None:
        func = objective.func
        if prunes_nothing(self.ctx, facts, func):
            return
        trial = _first_trial(func, objective.trial_names)
        metrics = loop_metrics(loop)
        returned = returned_expr(func)
        ret_name = returned_name(returned)
        in_loop = ret_name if ret_name in metrics else None
        per_pass = _per_pass(loop)
        metric = (in_loop and _compared_each_pass(loop, in_loop, per_pass)) or in_loop or _best_metric(metrics, per_pass)
        count = epoch_count(loop, self.ctx, facts, func)
        if count == "1":
            return  # one pass (``range(1)``): no epoch to report after, as with ``epochs=1``
        unit = loop_unit(loop)
        epochs = f"{count} {unit}s" if count else f"{unit} by {unit}"
        message = (
            f"objective `{self._label(func)}` trains {epochs} and computes `{metric}` each {unit} but never calls "
            f"{trial}.report()/should_prune(); Optuna's pruners can only stop trials that report "
            f"— {savings_for(self.ctx, facts, func)}"
        )
        if in_loop is None and ret_name is not None and metric_statement(loop, ret_name) is None:
            message += f" (it returns `{ret_name}`, computed only after the loop: evaluate it each {unit} and report it)"
        fix = self._fix(loop, trial, returned if in_loop else None) if isinstance(loop, cst.For) else None
        # Point at the value to report, computed each pass (the returned value or a validation
        # metric); at the loop when the pass computes only a training loss, or nothing is found.
        to_report = metric_statement(loop, metric) if in_loop or is_validation_name(metric) else None
        self.report(to_report or loop, message, fix)

    def _fix(self, loop: cst.For, trial: str, returned: Optional[cst.BaseExpression]):
        if returned is None or not isinstance(loop.target, cst.Name) or range_call(loop.iter) is None:
            return None
        body = list(block_statements(loop.body))
        if not body or loop.orelse is not None:
            return None
        name = returned_name(returned)
        if not any(name in assigned_names(s) for s in direct_statements(loop.body)):
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

    # -- an epoch loop inside a framework's training call ---------------------
    def _report_call(self, objective: Objective, found: EpochCall, reader: Reader) -> None:
        func = objective.func
        if prunes_nothing(self.ctx, self.ctx.facts(FileFacts), func):
            return
        trial = _first_trial(func, objective.trial_names)
        created = hook_names(func)
        if created:
            problem = f"the `{created[0]}` it creates is never passed to the training call, so no value reaches the trial"
        elif found.hook is not None:
            problem = f"passes no `{found.hook}`, so no value reaches the trial"
        elif found.label.startswith("Hugging Face"):
            problem = "no callback reports to the trial"
        else:
            problem = f"the trial never reaches `{self.ctx.code_for(found.call.func)}`, so no value is reported"
        if found.hook is not None:
            monitor = history_key(returned_expr(func), reader)
            advice = HOOK_ADVICE[found.hook].format(trial=trial, monitor=monitor or "val_loss") + f" from {INTEGRATION}"
            if monitor is None and "{monitor}" in HOOK_ADVICE[found.hook]:
                advice += " (monitor the validation metric the objective returns)"
        elif found.label.startswith("Hugging Face"):
            advice = HF_ADVICE.format(trial=trial)
        else:
            advice = CUSTOM_ADVICE.format(trial=trial)
        message = (
            f"objective `{self._label(func)}` trains {_counted(found)} with {found.label} and validation data, "
            f"but {problem} and no trial can be pruned; {advice} — {savings_for(self.ctx, self.ctx.facts(FileFacts), func)}"
        )
        self.report(found.call, message, self._fix_keras(found, trial, reader))

    def _fix_keras(self, found: EpochCall, trial: str, reader: Reader):
        """Add the Keras pruning callback to the ``callbacks=[...]`` the fit already takes."""
        if found.hook not in ("KerasPruningCallback", "TFKerasPruningCallback") or hook_names(reader.func):
            return None
        listed = arg_value(found.call, None, "callbacks")
        if not isinstance(listed, cst.List) or any(isinstance(e, cst.StarredElement) for e in listed.elements):
            return None
        monitor = history_key(returned_expr(reader.func), reader)
        if monitor is None:
            return None  # the monitored value must be the one the objective returns
        module = INTEGRATION if any(t.startswith(INTEGRATION) for t in self.ctx.imports.aliases.values()) else "optuna.integration"
        spelled, import_edit = self.ctx.spell(f"{module}.{found.hook}", found.call)
        hook = f'{spelled}({trial}, "{monitor}")'
        if listed.elements:
            last = listed.elements[-1].value
            edit = self.ctx.replace(last, f"{self.ctx.code_for(last)}, {hook}")
        else:
            edit = self.ctx.replace(listed, f"[{hook}]")
        return self.ctx.fix(Safety.UNSAFE, [edit, import_edit], "add the pruning callback")

    # -- one hop: a helper that trains, called without the trial --------------
    def _check_helpers(self, objective: Objective, facts: FileFacts) -> None:
        func, names = objective.func, objective.trial_names
        inside = {id(n) for n in walk(func.body) if isinstance(n, cst.FunctionDef)}
        objectives = {id(o.func) for o in facts.objectives}
        for call in calls_in(func.body, into_defs=False):
            if in_loop(self.ctx, call, func) or any(_hands_over(a.value, names) for a in call.args):
                continue  # in a loop of the objective, the helper is one pass (or one fold) of it
            helper = method_name(call) or ""
            defs = facts.functions.get(helper, [])
            if not defs or any(id(d) in inside or id(d) in objectives or d is func for d in defs):
                continue
            found = [self._helper_epochs(d, facts) for d in defs]
            if all(found):
                self._report_helper(objective, call, helper, found[0])  # type: ignore[arg-type]
                return

    def _helper_epochs(self, helper: cst.FunctionDef, facts: FileFacts) -> Optional[str]:
        """What the helper's own epoch loop does, for the message; None if it has none."""
        if _reports_or_prunes(helper) or raises_pruned(helper):
            return None
        for loop in epoch_loops(helper.body):
            count = epoch_count(loop, self.ctx, facts, helper)
            if count == "1":
                return None
            unit = loop_unit(loop)
            metric = _best_metric(loop_metrics(loop))
            return f"epoch loop trains {f'{count} {unit}s' if count else f'{unit} by {unit}'} and computes `{metric}` each {unit}"
        for found in Reader(self.ctx, facts, helper).epoch_calls():
            if not passes_hook(found, helper):
                return f"{found.label} trains {_counted(found)} with validation data"
        return None

    def _report_helper(self, objective: Objective, call: cst.Call, helper: str, what: str) -> None:
        if prunes_nothing(self.ctx, self.ctx.facts(FileFacts), objective.func):
            return
        trial = _first_trial(objective.func, objective.trial_names)
        message = (
            f"objective `{self._label(objective.func)}` calls `{helper}`, whose {what}, but `{helper}` never "
            f"receives the trial, so nothing is reported and no trial can be pruned; pass `{trial}` to it and "
            f"report each epoch (`{trial}.report(value, epoch)`, then `if {trial}.should_prune(): raise "
            f"optuna.TrialPruned()`) — {savings_for(self.ctx, self.ctx.facts(FileFacts), objective.func)}"
        )
        self.report(call, message)


def _counted(found: EpochCall) -> str:
    if found.count:
        return f"{found.count} {found.unit}"
    return "round by round" if found.unit == "boosting rounds" else "epoch by epoch"


def _hands_over(expr: cst.BaseExpression, names: Set[str]) -> bool:
    """The trial itself appears in ``expr`` (``trial``, ``[Callback(trial)]``), not only
    something read from it (``trial.number``, ``trial.suggest_int(...)``)."""
    nodes = [expr, *walk(expr)]
    read = {id(n.value) for n in nodes if isinstance(n, cst.Attribute)}
    return any(isinstance(n, cst.Name) and n.value in names and id(n) not in read for n in nodes)


def _first_trial(func: cst.FunctionDef, names: Set[str]) -> str:
    for name in param_names(func):
        if name in names:
            return name
    return sorted(names)[0]


def _best_metric(metrics: List[str], per_pass: AbstractSet[str] = frozenset()) -> str:
    """Prefer a validation metric (``val_acc``) over a training loss, and one the
    epoch computes once (``val_acc = accuracy(...)``, ``avg_val_loss = total / n``)
    over a sum a batch loop inside it accumulates (``val_loss += loss.item()``)."""
    validation = [name for name in metrics if is_validation_name(name)]
    for name in validation:
        if name in per_pass:
            return name
    return validation[0] if validation else metrics[-1]


def _per_pass(loop: Loop) -> Set[str]:
    """The names a statement run on every pass of the epoch loop computes (not a reset
    to a constant, ``val_loss = 0.0``, nor a sum it adds to, ``total += ...``)."""
    found: Set[str] = set()
    for stmt in direct_statements(loop.body):
        small = simple_small(stmt) if isinstance(stmt, cst.SimpleStatementLine) else None
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None and not _constant(small.value):
            found.update(assigned_names(stmt))
    return found


def _constant(value: cst.BaseExpression) -> bool:
    """``0``, ``0.0``, ``float("inf")``, ``[]``, ``None``: a reset, not a computed value."""
    if isinstance(value, (cst.Integer, cst.Float)) or (isinstance(value, cst.Name) and value.value in ("None", "True", "False")):
        return True
    if isinstance(value, cst.UnaryOperation):
        return _constant(value.expression)
    if isinstance(value, (cst.List, cst.Dict, cst.Tuple)) and not getattr(value, "elements", None):
        return True
    return isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in ("float", "list", "dict") and all(
        isinstance(a.value, cst.SimpleString) for a in value.args
    )


def _compared_each_pass(loop: Loop, best: str, per_pass: AbstractSet[str]) -> Optional[str]:
    """``if val_loss < best_val_loss: best_val_loss = val_loss``: the validation value
    the epoch computes (one of ``per_pass``), kept as the best so far in ``best``."""
    if best in per_pass:
        return None
    for node in walk(loop.body, into_defs=False):
        if isinstance(node, cst.If) and isinstance(node.test, cst.Comparison) and any(best in assigned_names(s) for s in walk(node.body)):
            compared = [n.value for n in walk(node.test) if isinstance(n, cst.Name) and n.value != best]
            found = [n for n in compared if n in per_pass and is_validation_name(n)]
            if found:
                return found[0]
    return None
