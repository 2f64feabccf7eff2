"""Epoch loops that frameworks run: what HPL301 reads of a training call.

``model.fit(..., epochs=50, validation_data=...)`` trains 50 epochs and
evaluates after each one just as a written-out loop does; only a pruning
callback (or the trial handed to the call) lets a value reach the trial.
Each framework is recognised with the validation it needs to evaluate per
epoch, since a pruning callback has nothing to monitor without it:

- Keras ``fit``/``fit_generator``: ``epochs=`` and ``validation_data=`` or ``validation_split=``;
- PyTorch Lightning: ``Trainer(max_epochs=...)`` then ``trainer.fit(...)`` with
  ``val_dataloaders``, or a ``validation_step`` in this file, or a validation
  metric read from ``trainer.callback_metrics``/``logged_metrics``;
- Hugging Face ``Trainer(args=TrainingArguments(...), eval_dataset=...).train()`` with an
  evaluation strategy other than ``"no"`` (the default evaluates never);
- ``xgb.train(..., evals=[...])``, ``lgb.train(..., valid_sets=[...])``, ``xgb.cv`` and
  ``lgb.cv`` (each round scores the held-out folds) and the scikit-learn boosters'
  ``fit(..., eval_set=[...])``;
- any other call with an epochs keyword and a validation-named argument
  (``trainer.fit(train_loader, val_loader, epochs=n)``), whose callee is not in this file.

An epoch count of 1 (``epochs=1``, ``max_epochs=1``, ``num_boost_round=1``) is no epoch loop.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set, Tuple

from hplint.reading.calls import arg_value, dict_items, has_star_args, method_name, param_names, string_value
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import number
from hplint.rules.pruning.epochs import is_validation_name, name_words
from hplint.rules.pruning.facts import FileFacts, calls_in, walk

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

EPOCH_KEYWORDS = frozenset({
    "epochs", "num_epochs", "n_epochs", "max_epochs", "nb_epoch", "nb_epochs", "num_epoch",
    "epoch_num", "total_epochs", "train_epochs", "n_epoch",
})
TRAINING_NAMES = frozenset({"fit", "fit_generator", "train"})
LIGHTNING_TRAINERS = frozenset({
    "pytorch_lightning.Trainer", "pytorch_lightning.trainer.Trainer", "lightning.Trainer",
    "lightning.pytorch.Trainer", "lightning.pytorch.trainer.Trainer",
})
HF_TRAINERS = frozenset({"transformers.Trainer", "transformers.Seq2SeqTrainer", "transformers.trainer.Trainer", "trl.SFTTrainer"})
HF_ARGUMENTS = frozenset({"transformers.TrainingArguments", "transformers.Seq2SeqTrainingArguments", "trl.SFTConfig"})
BOOSTER_MODULES = ("xgboost", "lightgbm", "catboost")
# each booster library's pruning callback and its name
BOOSTER_HOOKS = {"xgboost": ("XGBoostPruningCallback", "XGBoost"), "lightgbm": ("LightGBMPruningCallback", "LightGBM"), "catboost": ("CatBoostPruningCallback", "CatBoost")}
VALIDATION_SETTINGS = frozenset({
    "validation_steps", "validation_freq", "validation_batch_size", "val_check_interval",
    "check_val_every_n_epoch", "eval_steps", "eval_batch_size", "val_every", "eval_every",
})
HOOK_SUFFIX = "PruningCallback"
INTEGRATION = "optuna_integration"


@dataclass
class EpochCall:
    """A training call that runs an epoch loop inside a framework."""

    call: cst.Call
    label: str  # "Keras `model.fit`"
    hook: Optional[str]  # the pruning callback to pass, None where the framework has none
    count: Optional[int]  # epochs or rounds, when written
    unit: str  # "epochs", "boosting rounds"
    sites: List[cst.Call] = field(default_factory=list)  # calls a hook may be passed to


# ---------------------------------------------------------------------------
# pruning hooks


def is_hook(call: cst.Call) -> bool:
    """``KerasPruningCallback(trial, ...)``, ``XGBoostPruningCallback(...)``: any Optuna pruning callback."""
    return (method_name(call) or "").endswith(HOOK_SUFFIX)


# scikit-learn-style boosters a snippet may use without importing them
SNIPPET_BOOSTERS = {
    "XGBClassifier": "xgboost.XGBClassifier", "XGBRegressor": "xgboost.XGBRegressor",
    "LGBMClassifier": "lightgbm.LGBMClassifier", "LGBMRegressor": "lightgbm.LGBMRegressor",
    "CatBoostClassifier": "catboost.CatBoostClassifier", "CatBoostRegressor": "catboost.CatBoostRegressor",
}


def hook_names(func: cst.FunctionDef) -> List[str]:
    """The pruning callbacks created in ``func`` (own body), in order."""
    return [method_name(c) or "" for c in calls_in(func.body, into_defs=False) if is_hook(c)]


def hooked_names(func: cst.FunctionDef) -> Set[str]:
    """Names in ``func`` that hold a pruning callback: bound to an expression holding
    one (``cbs = [early, pruning]``), or grown with one (``cbs.append(pruning)``,
    ``trainer.add_callback(pruning)``), transitively."""
    found: Set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in walk(func.body, into_defs=False):
            for name, value in _bindings_of(node):
                if name not in found and holds_hook(value, found):
                    found.add(name)
                    changed = True
    return found


def _bindings_of(node: cst.CSTNode) -> Iterator[Tuple[str, cst.CSTNode]]:
    if isinstance(node, cst.Assign):
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                yield target.target.value, node.value
    elif isinstance(node, (cst.AugAssign, cst.AnnAssign)) and isinstance(node.target, cst.Name) and node.value is not None:
        yield node.target.value, node.value
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        root = _root_name(node.func.value)
        if root is not None and node.func.attr.value in ("append", "extend", "insert", "add_callback", "add"):
            yield root, node


def _root_name(expr: cst.BaseExpression) -> Optional[str]:
    while isinstance(expr, (cst.Attribute, cst.Subscript, cst.Call)):
        expr = expr.value if not isinstance(expr, cst.Call) else expr.func
    return expr.value if isinstance(expr, cst.Name) else None


def holds_hook(node: cst.CSTNode, hooked: Set[str]) -> bool:
    for sub in [node, *walk(node)]:
        if isinstance(sub, cst.Call) and is_hook(sub):
            return True
        if isinstance(sub, cst.Name) and sub.value in hooked:
            return True
    return False


def hook_used(func: cst.FunctionDef) -> bool:
    """Some call of ``func`` (other than a hook's own constructor) is given a pruning callback."""
    hooked = hooked_names(func)
    for call in calls_in(func.body, into_defs=False):
        if is_hook(call):
            continue
        if any(holds_hook(a.value, hooked) for a in call.args):
            return True
    return False


def passes_hook(epoch_call: EpochCall, func: cst.FunctionDef) -> bool:
    """A pruning callback reaches the training call, its trainer's constructor or the trainer."""
    hooked = hooked_names(func)
    for site in epoch_call.sites:
        if any(holds_hook(a.value, hooked) for a in site.args):
            return True
    root = _root_name(epoch_call.call.func.value) if isinstance(epoch_call.call.func, cst.Attribute) else None
    return root is not None and root in hooked


# ---------------------------------------------------------------------------
# recognising the frameworks


class Reader:
    """Reads the training calls of one function, resolving names through its own assignments."""

    def __init__(self, ctx: RuleContext, facts: FileFacts, func: cst.FunctionDef) -> None:
        self.ctx = ctx
        self.facts = facts
        self.func = func
        self.local: Dict[str, cst.BaseExpression] = {}
        self.params = set(param_names(func))
        for node in walk(func.body, into_defs=False):
            if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                name = node.targets[0].target.value
                if _refits(node.value, name) and name in self.local:
                    continue  # ``gbm = gbm.fit(...)``: scikit-learn's fit returns the estimator it was called on
                self.local[name] = node.value

    def value(self, expr: Optional[cst.BaseExpression]) -> Optional[cst.BaseExpression]:
        """Follow one plain-name assignment, in this function first, then anywhere in the file."""
        if isinstance(expr, cst.Name):
            if expr.value in self.local:
                return self.local[expr.value]
            if expr.value in self.params:
                return None  # given by the caller: not visible here
            return self.facts.resolve(expr)
        return expr

    def count(self, expr: Optional[cst.BaseExpression]) -> Tuple[bool, Optional[int]]:
        """(more than one pass possible, the count when written)."""
        if expr is None:
            return True, None
        found = number(self.value(expr), self.ctx.imports)
        if found is None:
            return True, None
        return found > 1, int(found)

    def epoch_calls(self) -> Iterator[EpochCall]:
        """Training calls that run an epoch loop, outside any loop of the function:
        one inside a loop over folds or seeds is one of several trainings, unless the
        function creates a pruning callback (it means to prune, and the callback
        created in the fold loop but not passed is the mistake)."""
        created = bool(hook_names(self.func))
        for call in calls_in(self.func.body, into_defs=False):
            if in_loop(self.ctx, call, self.func) and not created:
                continue
            found = self.read(call)
            if found is not None:
                yield found

    def read(self, call: cst.Call) -> Optional[EpochCall]:
        if any(a.star for a in call.args):
            return None
        name = method_name(call) or ""
        qualified = _forwarded(self.ctx.qualify(call.func) or "")
        if qualified in ("xgboost.train", "lightgbm.train") or qualified in BOOSTER_CV:
            return self._booster(call, qualified)
        # a function or class of this file is read as a helper instead; ``model.fit`` on
        # anything but ``self`` is the framework's, whatever methods this file's classes define
        local = isinstance(call.func, cst.Name) or (
            isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name) and call.func.value.value in ("self", "cls")
        )
        defined = local and (name in self.facts.functions or name in self.facts.classes)
        if defined and not qualified:
            return None
        if name in ("fit", "fit_generator") and arg_value(call, None, "epochs") is not None and self._keras_validation(call):
            return self._counted(call, "Keras", self._keras_hook(), arg_value(call, None, "epochs"), "epochs", [call])
        if name == "fit" and isinstance(call.func, cst.Attribute):
            made = self._constructor(call.func.value)
            found = self._lightning(call, made) if made is not None else None
            found = found or self._sklearn_booster(call, self._constructor(call.func.value, spread=True))
            if found is not None:
                return found
        if name == "train" and isinstance(call.func, cst.Attribute) and not call.args:
            made = self._constructor(call.func.value)
            if made is not None:
                return self._transformers(call, made)
        return self._custom(call, name)

    # -- per framework ----------------------------------------------------
    def _counted(self, call, framework, hook, count_expr, unit, sites) -> Optional[EpochCall]:
        more, count = self.count(count_expr)
        if not more:
            return None
        label = f"{framework} `{self.ctx.code_for(call.func)}`"
        return EpochCall(call, label, hook, count, unit, sites)

    def _keras_validation(self, call: cst.Call) -> bool:
        if _given(arg_value(call, None, "validation_data")):
            return True
        split = arg_value(call, None, "validation_split")
        return split is not None and number(self.value(split), self.ctx.imports) != 0

    def _keras_hook(self) -> str:
        tf = any(t == "tensorflow" or t.startswith("tensorflow.") for t in self.ctx.imports.aliases.values())
        return "TFKerasPruningCallback" if tf else "KerasPruningCallback"

    def _constructor(self, expr: cst.BaseExpression, spread: bool = False) -> Optional[cst.Call]:
        """The call that made ``expr``; with ``spread``, also ``XGBClassifier(**params)``
        where ``params`` is a dict written in this function holding no pruning callback."""
        made = self.value(expr)
        if not isinstance(made, cst.Call):
            return None
        for a in made.args:
            if a.star and not (spread and a.star == "**" and self._plain_dict(a.value)):
                return None
        return made

    def _plain_dict(self, expr: cst.BaseExpression) -> bool:
        value = self.local.get(expr.value) if isinstance(expr, cst.Name) else expr
        literal = isinstance(value, cst.Dict) or (isinstance(value, cst.Call) and method_name(value) == "dict")
        return literal and not holds_hook(value, set())  # type: ignore[arg-type]

    def _lightning(self, call: cst.Call, made: cst.Call) -> Optional[EpochCall]:
        if self.ctx.qualify(made.func) not in LIGHTNING_TRAINERS:
            return None
        epochs = arg_value(made, None, "max_epochs")
        if epochs is None or not (self._lightning_validation(call) or (_validates_each_epoch(made) and self._given_data_module(call))):
            return None
        return self._counted(call, "PyTorch Lightning", "PyTorchLightningPruningCallback", epochs, "epochs", [call, made])

    def _given_data_module(self, call: cst.Call) -> bool:
        """``trainer.fit(model, dm)`` with ``dm = TrackerDataModule(...)`` in the function (or named
        for one): a data module brings its own validation loader, a train loader alone does not."""
        given = arg_value(call, 1, "datamodule") or arg_value(call, 1, "train_dataloaders")
        if isinstance(given, cst.Name) and (_names_data_module(given.value) or given.value == "dm"):
            return True
        made = self.local.get(given.value) if isinstance(given, cst.Name) else given
        return isinstance(made, cst.Call) and _names_data_module(dotted_name(made.func))

    def _lightning_validation(self, call: cst.Call) -> bool:
        if _given(arg_value(call, 2, "val_dataloaders")):
            return True
        if "validation_step" in self.facts.functions:
            return True
        if _given(arg_value(call, None, "datamodule")) and any(  # a data module, and a validation metric monitored
            isinstance(n, cst.SimpleString) and (string_value(n) or "").startswith(("val_", "val/", "valid")) for n in walk(self.func.body, into_defs=False)
        ):
            return True
        for node in walk(self.func.body, into_defs=False):
            if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Attribute):
                if node.value.attr.value in ("callback_metrics", "logged_metrics") and _string_key_is_validation(node):
                    return True
        return False

    def _sklearn_booster(self, call: cst.Call, made: Optional[cst.Call]) -> Optional[EpochCall]:
        if made is None:
            return None
        qualified = self.ctx.qualify(made.func) or self._unimported_booster(made)
        if not qualified.startswith(tuple(m + "." for m in BOOSTER_MODULES)) or not _given(arg_value(call, None, "eval_set")):
            return None
        hook, label = BOOSTER_HOOKS[qualified.split(".", 1)[0]]
        rounds = next((v for v in (arg_value(made, None, k) for k in ("n_estimators", "iterations", "num_boost_round", "num_trees")) if v is not None), None)
        return self._counted(call, label, hook, rounds, "boosting rounds", [call, made])

    def _unimported_booster(self, made: cst.Call) -> str:
        """``XGBClassifier(...)`` in a snippet that never imports it (nor defines it):
        the class names are xgboost's and lightgbm's own."""
        name = made.func.value if isinstance(made.func, cst.Name) else ""
        if name in self.facts.classes or name in self.facts.functions:
            return ""
        return SNIPPET_BOOSTERS.get(name, "")

    def _booster(self, call: cst.Call, qualified: str) -> Optional[EpochCall]:
        xgb = qualified.startswith("xgboost")
        if not qualified.endswith(".cv") and not _given(arg_value(call, 3, "evals" if xgb else "valid_sets")):
            return None  # no validation set: nothing to monitor per round (``cv`` scores its held-out folds)
        hook, framework = BOOSTER_HOOKS["xgboost" if xgb else "lightgbm"]
        return self._counted(call, framework, hook, arg_value(call, 2, "num_boost_round"), "boosting rounds", [call])

    def _transformers(self, call: cst.Call, made: cst.Call) -> Optional[EpochCall]:
        """A Hugging Face trainer: ``Trainer``, or a subclass (``CustomTrainer``, often imported from the
        project) given Hugging Face ``TrainingArguments``, which only such a trainer reads."""
        qualified = self.ctx.qualify(made.func) or ""
        called = qualified or (made.func.value if isinstance(made.func, cst.Name) else "")
        if qualified not in HF_TRAINERS and not called.rsplit(".", 1)[-1].endswith("Trainer"):
            return None
        if not _given(arg_value(made, None, "eval_dataset")):
            return None
        arguments = self.value(arg_value(made, 1, "args"))
        if not isinstance(arguments, cst.Call) or self.ctx.qualify(arguments.func) not in HF_ARGUMENTS:
            return None
        strategy = self.value(self._hf_setting(arguments, "eval_strategy") or self._hf_setting(arguments, "evaluation_strategy"))
        written = string_value(strategy)
        if isinstance(strategy, cst.Attribute):
            written = strategy.attr.value.lower()  # IntervalStrategy.EPOCH
        if written is None or written == "no":
            return None  # the default ("no") never evaluates during training; an unknown one may not
        found = self._counted(call, "Hugging Face", None, self._hf_setting(arguments, "num_train_epochs"), "epochs", [call, made])
        return found

    def _hf_setting(self, arguments: cst.Call, keyword: str) -> Optional[cst.BaseExpression]:
        """A ``TrainingArguments`` keyword, also from the one dict it unpacks
        (``TrainingArguments(**args)`` with ``args`` a dict literal or ``dict(...)`` call)."""
        found = arg_value(arguments, None, keyword)
        unpacked = [a.value for a in arguments.args if a.star == "**"]
        if found is not None or len(unpacked) != 1:
            return found
        table = self.value(unpacked[0])
        if isinstance(table, cst.Dict):
            return next((value for key, value, _ in dict_items(table) if key == keyword), None)
        if isinstance(table, cst.Call) and isinstance(table.func, cst.Name) and table.func.value == "dict" and not has_star_args(table):
            return arg_value(table, None, keyword)
        return None

    def _custom(self, call: cst.Call, name: str) -> Optional[EpochCall]:
        """``trainer.fit(train_loader, val_loader, epochs=n)``: a trainer this file does not define."""
        epochs = next((a.value for a in call.args if a.keyword is not None and a.keyword.value in EPOCH_KEYWORDS), None)
        if epochs is None or self.ctx.qualify(call.func) in LIGHTNING_TRAINERS | HF_TRAINERS | HF_ARGUMENTS:
            return None
        if not any(_validation_argument(a) for a in call.args):
            return None
        more, count = self.count(epochs)
        if not more:
            return None
        return EpochCall(call, f"`{self.ctx.code_for(call.func)}`", None, count, "epochs", [call])


def _refits(value: cst.BaseExpression, name: str) -> bool:
    return (
        isinstance(value, cst.Call) and method_name(value) == "fit" and isinstance(value.func, cst.Attribute)
        and isinstance(value.func.value, cst.Name) and value.func.value.value == name
    )


def _given(expr: Optional[cst.BaseExpression]) -> bool:
    """An argument that holds something: not absent, ``None`` or an empty literal."""
    if expr is None:
        return False
    if isinstance(expr, cst.Name) and expr.value == "None":
        return False
    if isinstance(expr, (cst.List, cst.Tuple)) and not expr.elements:
        return False
    return True


def _string_key_is_validation(node: cst.Subscript) -> bool:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return False
    key = string_value(node.slice[0].slice.value)
    return key is not None and is_validation_name(key)


def in_loop(ctx: RuleContext, node: cst.CSTNode, func: cst.FunctionDef) -> bool:
    """``node`` runs inside a ``for``/``while`` of ``func``."""
    for ancestor in ctx.ancestors(node):
        if ancestor is func:
            return False
        if isinstance(ancestor, (cst.For, cst.While)):
            return True
    return False


def _validation_argument(a: cst.Arg) -> bool:
    """``val_loader``, ``valid_data=...``, ``(X_val, y_val)``: an argument that names validation data
    (``validation_steps=``, ``check_val_every_n_epoch=`` are settings, not data)."""
    if a.keyword is not None and a.keyword.value in VALIDATION_SETTINGS:
        return False
    if a.keyword is not None and _names_validation(a.keyword.value):
        return True
    names = [a.value] + list(walk(a.value))
    return any(isinstance(n, cst.Name) and _names_validation(n.value) for n in names)


def _names_validation(name: str) -> bool:
    return any(w in ("val", "valid", "validation", "eval", "dev") for w in name_words(name))


# ---------------------------------------------------------------------------
# what the trigger reads


BOOSTER_CV = frozenset({"xgboost.cv", "lightgbm.cv"})  # a round of cross-validated boosting per step
# ``import optuna.integration.lightgbm as lgb`` hands out LightGBM's own API but for ``train``
# (its stepwise tuner, a search of its own): ``lgb.cv`` there is ``lightgbm.cv``
FORWARDING_MODULE = "optuna.integration.lightgbm."


def _forwarded(qualified: str) -> str:
    """A qualified name under ``optuna.integration.lightgbm`` as LightGBM's own (not ``train``)."""
    if qualified.startswith(FORWARDING_MODULE) and qualified != FORWARDING_MODULE + "train":
        return "lightgbm." + qualified[len(FORWARDING_MODULE):]
    return qualified


# what the text of a file holding such a call shows: a training name (an alias
# of one is imported under it) or an epochs keyword
TRAINING_CALL_MARKS = tuple(sorted(TRAINING_NAMES | {"epoch", "cv"}))
assert all("epoch" in keyword for keyword in EPOCH_KEYWORDS)


def may_train_epochs(call: ast.AST, index) -> bool:
    """Every call ``Reader.read`` accepts is named ``fit``/``fit_generator``/``train``
    (``xgb.train`` also under an alias: ``from xgboost import train as f``) or takes
    an epochs keyword."""
    func = call.func  # type: ignore[attr-defined]
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name in TRAINING_NAMES or any(k.arg in EPOCH_KEYWORDS for k in call.keywords):  # type: ignore[attr-defined]
        return True
    qualified = _forwarded(index.imports.qualify_ast(func) or "")
    return qualified.rsplit(".", 1)[-1] in TRAINING_NAMES or qualified in BOOSTER_CV


# a Lightning ``Trainer``'s settings of its validation loop: set, the trainer validates as it trains
LIGHTNING_VALIDATION_SETTINGS = ("check_val_every_n_epoch", "val_check_interval", "limit_val_batches")


def _names_data_module(name: Optional[str]) -> bool:
    return "datamodule" in (name or "").lower().replace("_", "")


def _validates_each_epoch(made: cst.Call) -> bool:
    """``Trainer(check_val_every_n_epoch=1)``, ``Trainer(limit_val_batches=cfg.val_len)``: the
    trainer is told how to validate, so it has a validation loop (not when it is told 0)."""
    for key in LIGHTNING_VALIDATION_SETTINGS:
        value = arg_value(made, None, key)
        if value is not None and number(value) != 0:
            return True
    return False
