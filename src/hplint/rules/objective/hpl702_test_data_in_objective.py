"""HPL702: an objective that scores its trials on the test set."""

from __future__ import annotations

import ast
import functools
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterator, List, NamedTuple, Optional, Set, Tuple

from hplint.core.registry import register
from hplint.core.rule import Example, Rule
from hplint.prefilter.structure import Nodes
from hplint.prefilter.triggers import Calls, DictKeys, Imports, Names, Words
from hplint.reading.calls import (
    arg_value,
    dict_call_items,
    dict_items,
    has_star_args,
    method_name,
    param_names,
    string_value,
    subscript_key,
)
from hplint.reading.flow import Flow as ModuleFlow
from hplint.reading.metrics import is_test_data_name, is_test_metric_name, test_marks
from hplint.reading.objectives import FileObjectives
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import normalize, tokens
from hplint.rules.objective.facts import FAMILY, Flow, line_of, returns_of, scope_nodes, searches
from hplint.rules.objective.hand_searches import (
    TestSelection,
    ast_picks_by_test_metric,
    ast_selects_on_test,
    pick_text,
    selection_text,
    test_selections,
)
from hplint.rules.objective.hf_searches import hf_evaluates, hf_test_searches
from hplint.rules.objective.ray_metrics import ast_ray_test_metric, ray_test_metrics
from hplint.rules.objective.test_reads import data_names, made_outside, makes_test_data, references, test_name, watched
from hplint.rules.pruning.facts import FileFacts
from hplint.rules.search_space.wandb import WANDB_METHODS

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

OPTUNA_TRIAL_TYPES = frozenset({"optuna.Trial", "optuna.trial.Trial", "optuna.trial._trial.Trial"})
# keywords that hand a framework the data it validates (and early-stops) on
# the keywords a framework reads its validation data from (``evals=``: ``xgb.train``'s watch list)
VALIDATION_KEYWORDS = frozenset({"validation_data", "eval_set", "valid_sets", "eval_dataset", "val_dataloaders", "validation_set", "evals"})
KERAS_TUNER_ROOTS = ("keras_tuner", "kerastuner")
# keywords only a Keras Tuner tuner's constructor takes: a class made with them is one
KERAS_TUNER_KEYWORDS = frozenset({"hypermodel", "max_trials", "executions_per_trial", "hyperband_iterations"})
def sweep_metric_message(metric: str, search: str = "the W&B sweep") -> str:
    """HPL702's message for a sweep (a Python dict or a sweep file) that optimizes a test metric."""
    return (
        f"{search} selects its configurations by `{metric}`, a metric of the test set: the "
        "hyperparameters are selected on the test set and its score becomes optimistic; optimize a "
        "validation metric and evaluate on the test set once, after the sweep"
    )


VALIDATION_WORDS = frozenset({"val", "valid", "validation", "dev"})


def _names_validation(expr: cst.BaseExpression) -> bool:
    """``valid_subset``, ``val_loader``: a name for the validation split."""
    return isinstance(expr, cst.Name) and bool(set(tokens(normalize(expr.value))) & VALIDATION_WORDS)


def _names_tuner(name: str) -> bool:
    return "tuner" in tokens(normalize(name))


def _ast_dict_call_sweep(site) -> bool:
    """``dict(method="bayes", metric=dict(name="test_acc"))``: a sweep written with calls."""
    keywords = {k.arg: k.value for k in site.node.keywords}
    method, metric = keywords.get("method"), keywords.get("metric")
    if not (isinstance(method, ast.Constant) and method.value in WANDB_METHODS and isinstance(metric, ast.Call)):
        return False
    named = next((k.value for k in metric.keywords if k.arg == "name"), None)
    return isinstance(named, ast.Constant) and isinstance(named.value, str) and is_test_metric_name(named.value)


def _ast_metric_assigned(node: ast.AST, index) -> bool:
    """``sweep["metric"] = ...``: a W&B sweep's metric may be set after the dict."""
    return any(
        isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and t.slice.value == "metric"
        for t in node.targets  # type: ignore[attr-defined]
    )


def _ast_test_metric_sweep(node: ast.AST, index) -> bool:
    """``visit_Dict`` on the ``ast``: a ``method`` of W&B's and a ``metric`` whose ``name`` is a test metric."""
    items = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant)}  # type: ignore[attr-defined]
    method, metric = items.get("method"), items.get("metric")
    if not (isinstance(method, ast.Constant) and method.value in WANDB_METHODS and isinstance(metric, ast.Dict)):
        return False
    named = {k.value: v for k, v in zip(metric.keys, metric.values) if isinstance(k, ast.Constant)}.get("name")
    return isinstance(named, ast.Constant) and isinstance(named.value, str) and is_test_metric_name(named.value)


def _mentions_test(scan) -> bool:
    return "test" in scan.lowered


# a report needs a search that runs an objective (or a Keras Tuner search) and a test-named value
TRIGGER = (
    Calls("optimize", method=True)
    | (Imports("optuna") & Words("Trial") & Calls(prefixes=("suggest_",), method=True))
    | (Calls("fmin") & Imports("hyperopt"))
    | (Calls("minimize", method=True) & Imports("hyperas"))
    | (Calls("BayesianOptimization") & Imports("bayes_opt"))
    | (Calls("gp_minimize", "forest_minimize", "gbrt_minimize", "dummy_minimize") & Imports("skopt"))
    | ((Calls("run") | Calls("Tuner")) & Imports("ray"))
    | (Calls("search", method=True) & Imports(*KERAS_TUNER_ROOTS))
    | (Calls("search", method=True) & Names(_names_tuner, "tuner names"))  # ``tuner = model.define_tuner()``
    | Calls("hyperparameter_search", method=True)  # a Hugging Face trainer's search on its eval_dataset
) & Names(is_test_data_name, "test data", marks=test_marks) | (
    # a loop that tries hyperparameter values and keeps the best test score
    Names(is_test_data_name, "test data", marks=test_marks) & Nodes(ast.For, holds=ast_selects_on_test, label="hand-written search on test data", text=selection_text)
) | (
    # collected results picked by a key that names a test metric (``min(rows, key=lambda r: r["test_mae"])``)
    Calls("append", method=True) & Nodes(ast.Call, holds=ast_picks_by_test_metric, label="pick by a test metric", text=pick_text)
) | (
    # a W&B sweep dict optimizing a test metric, written in it or assigned to it (``sweep["metric"] = metric``)
    DictKeys("method", "metric") & Nodes(ast.Dict, holds=_ast_test_metric_sweep, label="sweep on a test metric")
) | (
    DictKeys("method") & DictKeys("name") & Nodes(ast.Assign, holds=_ast_metric_assigned, label="sweep metric assigned by key")
) | Calls("dict", where=_ast_dict_call_sweep) | (
    # a Ray Tune search that optimizes or picks by a test metric (``get_best_trial("test_loss", "min")``)
    Imports("ray") & Nodes(ast.Call, holds=ast_ray_test_metric, label="Ray Tune metric of the test set", text=_mentions_test)
)


def _dict_call_items(call: cst.Call) -> Optional[Dict[str, cst.BaseExpression]]:
    """``dict(a=1, b=2)``: its keywords; None for any other call."""
    if not isinstance(call.func, cst.Name) or call.func.value != "dict" or any(a.keyword is None for a in call.args):
        return None
    return {key: value for key, value, _ in dict_call_items(call)}


def _names(expr: cst.BaseExpression, name: str) -> bool:
    """``f`` or ``self.f``: a reference to the function ``name``."""
    return (isinstance(expr, cst.Name) and expr.value == name) or (isinstance(expr, cst.Attribute) and expr.attr.value == name)


# a call whose name says it loads data (not one that splits it: a split made here is validation data)
LOADING_TOKENS = frozenset({"load", "loader", "loaders", "dataloader", "dataloaders", "dataset", "datasets", "data"})
VALIDATION_WORDS = frozenset({"val", "valid", "validation", "dev", "eval", "xval", "yval"})
SPLITTING_TOKENS = frozenset({"split", "splits", "fold", "folds", "kfold", "cv", "partition", "holdout"})


def _loads_data(value: cst.BaseExpression, flow: Flow) -> bool:
    """``get_dataloaders(batch_size)``, ``load_data(cfg)``: data loaded by a call, not split
    by one; ``DataLoader(test_ds)`` of a ``test_ds`` this function binds wraps that
    binding, which decides (a split made here is validation data)."""
    if not isinstance(value, cst.Call):
        return False
    words = set(tokens(normalize(method_name(value) or "")))
    if isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.Name):
        words |= set(tokens(normalize(value.func.value.value)))  # ``dataset.get_transformed()``: what a dataset gives
    if not words & LOADING_TOKENS or words & SPLITTING_TOKENS:
        return False
    return not any(
        isinstance(ref, cst.Name) and ref.value in flow.bound and is_test_data_name(ref.value)
        for a in value.args for ref in references(a.value)
    )


def test_sources(
    expr: cst.BaseExpression,
    flow: Flow,
    given: FrozenSet[str] = frozenset(),
    made: Optional[Callable[[cst.Name], List[cst.Call]]] = None,
    handed: Optional[Callable[[cst.BaseExpression, str], bool]] = None,
) -> Iterator[Tuple[cst.CSTNode, Optional[cst.CSTNode]]]:
    """Test-set references ``expr`` is computed from, through the function's own bindings,
    each with the read that carries it into the score (or None: the reference itself).

    A test-named name bound inside the function (``X_test`` of a split made
    there, a fold of a CV loop) is the function's own validation data: its
    sources are followed, it is not reported itself. The first such name read on
    the way from ``expr`` whose binding wraps test data itself (``for xb, yb in test_dl`` of a
    ``test_dl = DataLoader(X_test)``), or that a call making the test split binds
    (``loader = make_test_loader()``; not ``test_sharpe = metrics.get(...)``), is where the
    test data is scored: the carrier. ``made``: the calls making the test split that a name
    the function does not bind holds (``VAL_LOADER = test_dataloader(cfg)`` in the module);
    ``handed``: whether a call of this file hands the name it is unpacked into the test set
    (``net, test_dl = define_model(trial)`` with ``return net, test_dl`` of a global split)."""
    seen: Set[str] = set()
    reached: Set[int] = set()
    # (node, reached through a name unpacked from a call given several splits:
    # ``train, val, _ = loaders(tr_ds, val_ds, test_ds)`` binds every name to the whole
    # call, so the test split among its arguments need not feed this name, carrier)
    stack: List[Tuple[cst.CSTNode, bool, Optional[cst.CSTNode]]] = [(expr, False, None)]
    while stack:
        node, blurred, carrier = stack.pop()
        for ref in references(node):
            if isinstance(ref, cst.Name):
                if ref.value in flow.bound:
                    test_named = is_test_data_name(ref.value)
                    loaded = not blurred and test_named and any(
                        _loads_data(v, flow) or (handed is not None and handed(v, ref.value)) for v in flow.bound[ref.value]
                    )
                    if loaded and id(ref) not in reached:
                        reached.add(id(ref))
                        yield ref, carrier  # ``_, test_loader = get_loaders(...)``: the test set, loaded here
                    if ref.value not in seen:  # and what it was loaded from (a global test set)
                        seen.add(ref.value)
                        unpacked = ref.value in flow.unpacked
                        making = any(makes_test_data(v) for v in flow.bound[ref.value])
                        wraps = (test_named or making) and any(test_name(r) is not None for v in flow.bound[ref.value] for r in references(v))
                        held = carrier if carrier is not None or not wraps else ref
                        stack.extend((v, blurred or unpacked and _maps_splits(v), held) for v in flow.bound[ref.value])
                    continue
                if id(ref) in reached:
                    continue
                reached.add(id(ref))
                outside = made(ref) if made is not None and not blurred and ref.value not in given and ref.value not in seen else []
                if outside:  # ``VAL_LOADER`` of ``VAL_LOADER = test_dataloader(cfg)``: the test split
                    seen.add(ref.value)
                    stack.extend((call, False, carrier or ref) for call in outside)
                    continue
            if blurred:
                continue  # ``train_dl, val_dl, _ = make_loaders(X_tr, X_val, X_test)``: the test split went elsewhere
            if test_name(ref) is not None or (isinstance(ref, cst.Name) and ref.value in given):
                yield ref, carrier


def _maps_splits(value: cst.BaseExpression) -> bool:
    """A call given both a validation and a test split: it returns one result per split."""
    if not isinstance(value, cst.Call):
        return False
    names = [r.value for a in value.args for r in references(a.value) if isinstance(r, cst.Name)]
    return any(is_test_data_name(n) for n in names) and any(set(tokens(normalize(n))) & VALIDATION_WORDS for n in names)


def _calls_reached(expr: cst.CSTNode, flow: Flow) -> Iterator[cst.Call]:
    """The calls ``expr`` is computed from, through the function's own bindings."""
    seen: Set[str] = set()
    stack: List[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        for current in [node, *descendants(node)]:
            if isinstance(current, cst.Call):
                yield current
            elif isinstance(current, cst.Name) and current.value in flow.bound and current.value not in seen:
                seen.add(current.value)
                stack.extend(flow.bound[current.value])


def _spelled(ctx, ref: cst.CSTNode) -> str:
    """``raw["test"]``, ``test_ds``, ``make_test_loader()``: the test data as the code reads it."""
    text = " ".join(ctx.code_for(ref).split()) if isinstance(ref, cst.Subscript) else test_name(ref) or ""
    return text if len(text) <= 48 else test_name(ref) or text[:45] + "..."


class Leak(NamedTuple):
    """Test data reaching what an objective is scored by: the reference, the sink it
    reaches, how (``returns``, ``reports``...), and the function of this file it goes through."""

    ref: cst.CSTNode
    sink: cst.CSTNode
    how: str
    helper: Optional[str] = None
    through: Optional[cst.Call] = None  # the objective's call of the helper: where the finding is
    carrier: Optional[cst.CSTNode] = None  # the read of a test-named binding that scores it

    @property
    def anchor(self) -> cst.CSTNode:
        """In the objective: the helper's call, else where the test data is scored (the read
        of the test-named binding that carries it, or the test data read there)."""
        if self.through is not None:
            return self.through
        return self.carrier if self.carrier is not None else self.ref


@register
class TestDataInObjective(Rule):
    code = "HPL702"
    name = "test-data-in-objective"
    family = FAMILY
    summary = "An objective scores its trials on the test set"
    why = (
        "A search keeps the configuration its objective scores best. When that score is "
        "computed on `X_test`/`y_test`/`test_loader`/`test_ds`/`df_test`, the hyperparameters "
        "are selected on the test set, and the test score reported afterwards is optimistic: "
        "with 100 trials, picking the best of 100 noisy test scores alone inflates it by about "
        "2.5 standard errors of that score (the expected maximum of 100 standard normals). "
        "Objectives are the functions Optuna's `optimize`, hyperopt's `fmin` (and hyperas's `optim.minimize`), "
        "scikit-optimize's `gp_minimize`/`forest_minimize`/`gbrt_minimize`, Ray Tune and "
        "bayes_opt's `BayesianOptimization(f=...)` run. "
        "Reported: a test-named value from outside the objective (a global, a parameter, an "
        "attribute, a `[\"test\"]` split), or a parameter the call that runs it fills with one "
        "(`lambda t: objective(t, X_train, X_test)`), that reaches what the objective returns or reports "
        "(`trial.report`, `tune.report`), or that is handed to a framework as its validation "
        "data inside it (`validation_data=`, `eval_set=`, `valid_sets=`, `eval_dataset=`; XGBoost's `evals=` where it early-stops on it, feeds callbacks or fills `evals_result=`), "
        "a Keras Tuner `search(..., validation_data=(x_test, y_test))` (also of a tuner the project's own code makes: `tuner = model.define_tuner()`, or an "
        "imported class made with Keras Tuner's own constructor keywords, `hypermodel=`, `max_trials=`, in a file that "
        "imports Keras Tuner), "
        "a Hugging Face `trainer.hyperparameter_search(...)` whose trainer was given a test split as `eval_dataset` (the search scores "
        "every trial on it, whatever `TrainingArguments` say; not a split given after the search, nor the part held out of a training "
        "split: `ds[\"train\"].train_test_split(...)[\"test\"]`), and a W&B sweep (a Python dict or "
        "a sweep file, also written with `dict(...)` calls or given its metric by key) whose `metric` is a "
        "test metric (`test/f1`, `test_acc`; not `val/...` or "
        "scikit-learn's `mean_test_score`), a Hydra sweep whose `optimized_metric` is a test metric, and likewise a Ray Tune search that optimizes or picks its "
        "configuration by a test metric (`metric=\"testloss\"` given to `tune.run`, a scheduler or `TuneConfig`, "
        "`get_best_trial(\"test_loss\", \"min\")`; once per metric, at the pick), whatever module its trainable "
        "lives in. A search written out by hand is one too: a loop whose variable "
        "is a hyperparameter by name, is handed to a call as a keyword (`n_neighbors=k`, `**params`) "
        "or is a configuration (`params = dict(zip(keys, combo))`) "
        "and that keeps the value with the best score on test data (`if acc > best_acc:` against a "
        "best-so-far name, or scores appended to a list whose best an `argmax`/`argmin`/`idxmax` (or `scores.index(max(scores))`) picks "
        "into a name after the loop, or results a builtin or pandas picks from by a test metric or a score on test data: "
        "`min(results, key=lambda r: r[\"test_mae\"])`, `sorted(...)[0]`, `max(scores, key=scores.get)`, "
        "`frame.sort_values(\"test_mae\").iloc[0]`, `frame[\"test_rmse\"].idxmin()`); not a pick only printed "
        "or plotted, a test pick beside a pick of the same results by a validation metric (that one is the choice), "
        "a split made inside the loop (the global test set wrapped there, `DataLoader(test_data)`, "
        "is still the test set), or a loop over seeds, folds, epochs or models. Followed through the "
        "objective's own assignments, loops and method calls, and one call into a function of this file "
        "that computes its result from test data it reads itself (`return fit_and_score(params)` "
        "with `fit_and_score` scoring on a global `X_test`, reported at that call; not when it returns several values). A function "
        "whose first parameter is annotated `optuna.Trial` and that suggests values on it is an "
        "objective even when the study that runs it is in another module. A test-named value the "
        "objective loads with a call (`train_loader, test_loader = get_dataloaders(...)`, "
        "`load_data(cfg)`, a dataset object's method: `dataset.get_transformed()`) is test data (not when "
        "the function of this file it is unpacked from returns a validation-named value there: "
        "`trainset, testset = load_data()` with `return train_subset, valid_subset`), and so is a test-named "
        "value unpacked from a function of this file of any name that returns there, in every return, a test-named "
        "value whose data (followed through the positional or `dataset=` arguments of the calls that wrap it) is a "
        "global test split (`net, test_dl = define_model(trial)` with `test_dl = DataLoader(TensorDataset(test_X, "
        "test_Y))`; not a loader of other data given a `transform=test_tfms`), and so is what a call "
        "whose name says it makes the test split gives, whatever it is bound to (`VAL_LOADER = test_dataloader(cfg)`, "
        "`loader = make_test_loader(...)`, `dm.test_dataloader()`; not a method that defines it), and so is what a "
        "method named `test` returns (`trainer.test(model, datamodule=dm)`: Lightning runs the test split; "
        "`exp.test(setting)`) unless it is handed validation data (`trainer.test(dataloaders=val_loader)`). A Ray "
        "`tune.Trainable` subclass handed to the tuner is read through its `step`. The finding points where the objective scores the test "
        "data: its read, or the read of the test-named value the objective wraps it in "
        "(`for xb, yb in test_dl` after `test_dl = DataLoader(test_ds)`). Not reported: a final evaluation "
        "after the search, a test score only logged (`set_user_attr`), a split the objective "
        "makes itself (a train/validation split named `test`, a CV fold), a parameter named `X_test` "
        "that every visible caller fills with other data, `X_val` or CV, a cross-validated or validation score "
        "picked from a helper's results (`results[\"final_cv\"]`, `[\"oof_auc\"]`, `history[\"val acc\"]`) though "
        "the helper was given the test frame for its predictions, a Hugging Face trainer's `eval_dataset` when "
        "its `TrainingArguments` (as written here) never evaluate and nothing calls `evaluate()`, and a study with a "
        "GridSampler (an ablation that measures every configuration and selects none)."
    )
    trigger = TRIGGER
    demonstration = "test-selection"
    bad_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                model = make_model(trial.suggest_float("C", 1e-3, 1e3, log=True))
                model.fit(X_train, y_train)
                return model.score(X_test, y_test)

            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=100)
            """,
            note="The configuration is chosen by its test score: that score no longer measures generalization.",
        ),
    )
    good_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                model = make_model(trial.suggest_float("C", 1e-3, 1e3, log=True))
                model.fit(X_train, y_train)
                return model.score(X_val, y_val)

            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=100)
            best = make_model(study.best_params["C"]).fit(X_train, y_train)
            print(best.score(X_test, y_test))
            """,
            note="Selected on a validation split; the test set is used once, after the search.",
        ),
    )

    def visit_Dict(self, node: cst.Dict) -> None:
        """A W&B sweep (``{"method": ..., "metric": {"name": "test/f1"}}``) that optimizes a test metric."""
        items = {k: v for k, v, _ in dict_items(node)}
        if string_value(items.get("method")) in WANDB_METHODS:
            self._sweep_metric(items.get("metric"))

    def visit_Assign(self, node: cst.Assign) -> None:
        """``sweep["metric"] = metric`` on a W&B sweep dict of this file, the metric a dict here."""
        for target in (t.target for t in node.targets):
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and subscript_key(target) == "metric":
                flow = self.ctx.facts(ModuleFlow)
                sweep = flow.value(target.value)
                if isinstance(sweep, cst.Dict) and string_value({k: v for k, v, _ in dict_items(sweep)}.get("method")) in WANDB_METHODS:
                    self._sweep_metric(node.value if isinstance(node.value, cst.Dict) else flow.value(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        """The same sweep written with ``dict(method=..., metric=dict(name=...))``."""
        items = _dict_call_items(node)
        if items is not None and string_value(items.get("method")) in WANDB_METHODS:
            self._sweep_metric(items.get("metric"))

    def _sweep_metric(self, metric: Optional[cst.BaseExpression]) -> None:
        items = _dict_call_items(metric) if isinstance(metric, cst.Call) else None
        if not isinstance(metric, cst.Dict) and items is None:
            return
        named = (items if items is not None else {k: v for k, v, _ in dict_items(metric)}).get("name")  # type: ignore[arg-type]
        written = string_value(named)
        if named is not None and written is not None and is_test_metric_name(written):
            self.report(named, sweep_metric_message(written))

    def leave_Module(self, original_node: cst.Module) -> None:
        self._calls: Optional[List[cst.Call]] = None
        self._handed: Dict[Tuple[int, int, int], bool] = {}
        done: Set[int] = set()
        studies = self.ctx.facts(FileFacts)
        for search in searches(self.ctx):
            for func in search.funcs:
                if id(func) in done:
                    continue
                done.add(id(func))
                if any(s is not None and studies.is_grid(s) for s in studies.studies_of(func)):
                    continue  # a GridSampler ablation measures every configuration: it selects none
                self._check_objective(func, search.label, search.call)
        for func in self._unrun_objectives():  # run by a search in another module
            if id(func) not in done:
                self._check_objective(func, None, None)
                done.add(id(func))
        nests: Dict[int, List[TestSelection]] = {}  # a nest of such loops selects on one read: one finding
        for found in test_selections(self.ctx, done):  # a search written out by hand
            nests.setdefault(id(found.ref), []).append(found)
        for loops in nests.values():
            over = ", ".join(f"`{found.variable}`" for found in loops)
            kept = f"the best `{loops[0].data}`, a metric of the test set" if loops[0].metric else f"the best score on the test data `{loops[0].data}`"
            self.report(
                loops[0].ref,
                f"the hand-written search over {over} (line {self.ctx.site(loops[0].loop)[0]}) keeps the value "  # type: ignore[index]
                f"with {kept}: the hyperparameters are selected on the test "
                "set and its score becomes optimistic; select on a validation split or cross-validation and "
                "evaluate on the test set once, after the search",
            )
        self._check_keras_search(original_node)
        if not any(r.code == self.code for r in self.ctx.reports):  # a trainable of the file read the test data: said there
            for node, metric in ray_test_metrics(self.ctx):
                self.report(node, sweep_metric_message(metric, "the Ray Tune search"))
        for found in hf_test_searches(self.ctx):
            self.report(
                found.given,
                f"`{self.ctx.code_for(found.call.func).strip()}()` at {line_of(self.ctx, found.call)} scores every trial on the "
                f"trainer's `eval_dataset`, the test data `{_spelled(self.ctx, found.ref)}` ({line_of(self.ctx, found.ref)}): the hyperparameters "
                "are selected on the test set and its score becomes optimistic; give the trainer a validation split and "
                "evaluate on the test set once, after the search",
            )

    def _check_objective(self, func: cst.FunctionDef, label: Optional[str], call: Optional[cst.Call]) -> None:
        leak = self._first_leak(func)
        if leak is not None:
            self.report(leak.anchor, self._message(func, label, call, leak))

    def _unrun_objectives(self) -> Iterator[cst.FunctionDef]:
        """Functions whose first parameter is annotated ``optuna.Trial`` and that suggest
        values on it: objectives whatever module runs them."""
        for defs in self.ctx.facts(FileObjectives).functions.values():
            for func in defs:
                params = [p for p in func.params.params if p.name.value not in ("self", "cls")]
                if not params or params[0].annotation is None:
                    continue
                if self.ctx.qualify(params[0].annotation.annotation) not in OPTUNA_TRIAL_TYPES:
                    continue
                trial = params[0].name.value
                if any(isinstance(n, cst.Call) and (method_name(n) or "").startswith("suggest_") and isinstance(n.func, cst.Attribute)
                       and isinstance(n.func.value, cst.Name) and n.func.value.value == trial for n in scope_nodes(func.body)):
                    yield func

    def _sinks(self, func: cst.FunctionDef) -> Iterator[Tuple[cst.CSTNode, str]]:
        """What an objective's score is made of: its returns, its reports, its frameworks' validation data."""
        for ret in returns_of(func):
            if ret.value is not None:
                yield ret.value, "returns"
        for node in scope_nodes(func.body):
            if isinstance(node, cst.Call):
                if method_name(node) == "report" and isinstance(node.func, cst.Attribute):
                    for a in node.args:
                        yield a.value, "reports"
                for a in node.args:
                    if a.keyword is not None and a.keyword.value in VALIDATION_KEYWORDS and watched(node, a.keyword.value):
                        if a.keyword.value == "eval_dataset" and not hf_evaluates(node, func):
                            continue  # a Hugging Face trainer that never evaluates: its eval set selects nothing
                        yield a.value, f"validates on (`{a.keyword.value}=`)"

    def _first_leak(self, func: cst.FunctionDef) -> Optional[Leak]:
        flow = Flow(func)
        params = param_names(func)
        passed = {p: self._passed_test_data(func, params, p) for p in params}
        given = frozenset(p for p, test in passed.items() if test)  # ``f(t, X_train, X_test)`` into ``X_holdout``
        made = functools.partial(made_outside, self.ctx)  # ``VAL_LOADER = test_dataloader(cfg)``
        best: Optional[Tuple[Tuple[int, int, int], Leak]] = None
        for sink, how in self._sinks(func):
            found = [Leak(ref, sink, how, carrier=carrier) for ref, carrier in test_sources(sink, flow, given, made, self._hands_test_data)]  # type: ignore[arg-type]
            found += [Leak(ref, sink, how, helper, through) for ref, helper, through in self._helper_leaks(func, sink, flow)]
            for leak in found:
                if isinstance(leak.ref, cst.Name) and passed.get(leak.ref.value) is False:
                    continue  # every visible caller passes something else
                if isinstance(leak.ref, cst.Name) and self._unpacked_validation(func, leak.ref.value):
                    continue
                line, column = self.ctx.site(leak.anchor) or (10**9, 0)
                key = (line, column, 0 if how.startswith("validates") else 1)  # the direct reason first
                if best is None or key < best[0]:
                    best = (key, leak)
        return None if best is None else best[1]

    def _unpacked_validation(self, func: cst.FunctionDef, name: str) -> bool:
        """``trainset, testset = load_data()`` where every return of this file's ``load_data``
        hands a validation split there (``return train_subset, valid_subset``): named test, it
        holds validation data."""
        functions = self.ctx.facts(FileObjectives).functions
        for node in scope_nodes(func.body):
            if not (isinstance(node, cst.Assign) and isinstance(node.value, cst.Call) and isinstance(node.value.func, cst.Name)):
                continue
            defs = functions.get(node.value.func.value, [])
            for target in (t.target for t in node.targets):
                elements = target.elements if isinstance(target, (cst.Tuple, cst.List)) else []
                at = next((i for i, e in enumerate(elements) if isinstance(e.value, cst.Name) and e.value.value == name), None)
                if at is None or len(defs) != 1:
                    continue
                given = [r.value for r in returns_of(defs[0])]
                if given and all(
                    isinstance(g, cst.Tuple) and len(g.elements) == len(elements) and _names_validation(g.elements[at].value)
                    for g in given
                ):
                    return True
        return False

    def _hands_test_data(self, value: cst.BaseExpression, name: str) -> bool:
        """``net, train_dl, test_dl = define_model(trial, bs)`` where every return of this
        file's ``define_model`` hands, at ``test_dl``'s place, a test-named value whose data
        (followed through the calls' positional arguments, ``dataset=``) is a global test split
        (``DataLoader(TensorDataset(test_X, test_Y))``): the test set, whatever the function is
        called.  A transform, a collate function or a flag that is named test is not its data."""
        if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Name)):
            return False
        assign = self.ctx.parent(value)
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return False
        target = assign.targets[0].target
        elements = target.elements if isinstance(target, (cst.Tuple, cst.List)) else []
        at = next((i for i, e in enumerate(elements) if isinstance(e.value, cst.Name) and e.value.value == name), None)
        objectives = self.ctx.facts(FileObjectives)
        defs = objectives.functions.get(value.func.value, [])
        if at is None or len(defs) != 1 or id(defs[0]) in objectives.methods:
            return False
        key = (id(defs[0]), at, len(elements))  # read once per helper and place, however many sinks ask
        if key not in self._handed:
            self._handed[key] = self._returns_test_data(defs[0], at, len(elements))
        return self._handed[key]

    def _returns_test_data(self, helper: cst.FunctionDef, at: int, size: int) -> bool:
        objectives = self.ctx.facts(FileObjectives)
        returned = [r.value for r in returns_of(helper)]
        if not returned or not all(isinstance(g, cst.Tuple) and len(g.elements) == size for g in returned):
            return False
        own, inner = set(param_names(helper)), Flow(helper)
        for given in returned:
            element = given.elements[at].value  # type: ignore[union-attr]
            if not (isinstance(element, cst.Name) and is_test_data_name(element.value)):
                return False
            data = list(data_names(element, inner))
            if not any(n not in own and n not in objectives.functions and is_test_data_name(n) for n in data):
                return False
        return True

    def _helper_leaks(self, func: cst.FunctionDef, sink: cst.CSTNode, flow: Flow) -> Iterator[Tuple[cst.CSTNode, str, cst.Call]]:
        """Test data a function of this file reads itself (a global ``X_test``, not a
        parameter) to compute what it returns, where ``sink`` calls it: one call followed.
        A helper that returns several values (a tuple, a dict) is left out: the
        objective may take only its validation score."""
        objectives = self.ctx.facts(FileObjectives)
        for call in _calls_reached(sink, flow):
            defs = objectives.functions.get(call.func.value, []) if isinstance(call.func, cst.Name) else []
            if len(defs) > 1:  # the one defined beside the caller: ``def objective`` in the same function
                outer = self._enclosing(func)
                defs = [d for d in defs if self._enclosing(d) is outer]
            if len(defs) != 1 or defs[0] is func or id(defs[0]) in objectives.methods:
                continue
            helper = defs[0]
            own = set(param_names(helper))
            values = [r.value for r in returns_of(helper) if r.value is not None]
            if any(isinstance(v, (cst.Tuple, cst.List, cst.Dict)) for v in values):
                continue
            inner = Flow(helper)
            for value in values:
                for ref, _ in test_sources(value, inner, made=functools.partial(made_outside, self.ctx)):
                    if not (isinstance(ref, cst.Name) and ref.value in own):
                        yield ref, helper.name.value, call

    def _enclosing(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        return next((a for a in self.ctx.ancestors(node) if isinstance(a, (cst.FunctionDef, cst.ClassDef))), None)

    def _passed_test_data(self, func: cst.FunctionDef, params: List[str], name: str) -> Optional[bool]:
        """Whether the calls of ``func`` this file shows (``lambda t: f(t, X_tr, X_val)``,
        ``partial(f, X_test=X_val)``) pass test data to parameter ``name``; None: no call shows it."""
        index = params.index(name) - (1 if params[0] in ("self", "cls") else 0)  # a bound method's caller skips self
        if index < 0:
            return None
        given: List[cst.BaseExpression] = []
        if self._calls is None:
            self._calls = [n for n in descendants(self.ctx.module) if isinstance(n, cst.Call) and not has_star_args(n)]
        for node in self._calls:
            args = list(node.args)
            if method_name(node) == "partial" and args and args[0].keyword is None and _names(args[0].value, func.name.value):
                args = args[1:]
            elif not _names(node.func, func.name.value):
                continue
            found = arg_value(cst.Call(func=node.func, args=args), index, name)
            if found is not None:
                given.append(found)
        if not given:
            return None
        return any(test_name(r) is not None for g in given for r in references(g))

    def _message(self, func: cst.FunctionDef, label: Optional[str], call: Optional[cst.Call], leak: Leak) -> str:
        ref, sink, how, helper, through, carrier = leak
        if call is None:
            run_by = "its trial is an `optuna.Trial`; the study that runs it is not in this file"
        else:
            run_by = f"run by `{label}` at {line_of(self.ctx, call)}"
        computed = f"a value computed by `{helper}()` ({line_of(self.ctx, through)})" if through is not None else "a value computed"
        named = test_name(ref)
        data = f"`{named}`" if named else f"`{ref.value}` (the call that runs it passes test data there)"  # type: ignore[attr-defined]
        where = f"({line_of(self.ctx, ref if through is not None else sink)})"
        if isinstance(ref, cst.Call) and isinstance(carrier, cst.Name) and through is None:  # ``VAL_LOADER = test_dataloader(cfg)``
            data, where = f"`{carrier.value}`", f"{where}, made by `{named}` at {line_of(self.ctx, ref)}"
        return (
            f"the objective `{func.name.value}` ({run_by}) {how} {computed} "
            f"from the test data {data}{' it reads' if through is not None else ''} {where}: "
            "the hyperparameters are selected on the test set "
            "and its score becomes optimistic; score on a validation split or cross-validation inside the objective "
            "and evaluate on the test set once, after the search"
        )

    # -- Keras Tuner ------------------------------------------------------------
    def _makes_tuner(self, made: cst.Call) -> bool:
        """A Keras Tuner tuner, or an instance of a class of this file derived from one
        (``class CustomTuner(kt.tuners.BayesianOptimization)`` overriding ``run_trial``)."""
        if (self.ctx.qualify(made.func) or "").split(".")[0] in KERAS_TUNER_ROOTS:
            return True
        if not self.ctx.qualify(made.func) and _names_tuner(method_name(made) or ""):
            return True  # ``model.define_tuner()``, ``get_tuner(...)``: a function of the project's that makes one
        if self._imports_keras_tuner() and any(a.keyword is not None and a.keyword.value in KERAS_TUNER_KEYWORDS for a in made.args):
            return True  # ``LoggedRandomSearch(hypermodel=build, max_trials=20)``: the project's tuner class, imported
        classes = self.ctx.facts(FileObjectives).classes.get(made.func.value, []) if isinstance(made.func, cst.Name) else []
        return len(classes) == 1 and any(
            (self.ctx.qualify(base.value) or "").split(".")[0] in KERAS_TUNER_ROOTS for base in classes[0].bases
        )

    def _imports_keras_tuner(self) -> bool:
        return any(target.split(".")[0] in KERAS_TUNER_ROOTS for target in self.ctx.imports.aliases.values())

    def _check_keras_search(self, module: cst.Module) -> None:
        bindings = self.ctx.facts(FileObjectives).bindings
        for node in descendants(module):
            if not isinstance(node, cst.Call) or method_name(node) != "search" or not isinstance(node.func, cst.Attribute):
                continue
            tuner = node.func.value
            made = bindings.get(tuner.value, ()) if isinstance(tuner, cst.Name) else ()
            if not made or not all(isinstance(m, cst.Call) and self._makes_tuner(m) for m in made):
                continue
            given = arg_value(node, None, "validation_data")
            refs = [r for r in references(given) if test_name(r) is not None] if given is not None else []
            if refs:
                self.report(
                    refs[0],
                    f"`{self.ctx.code_for(node.func).strip()}()` at {line_of(self.ctx, node)} scores every trial on the test data "
                    f"`{test_name(refs[0])}` (`validation_data=`): the hyperparameters are selected on the test set and its "
                    "score becomes optimistic; pass a validation split and evaluate on the test set once, after the search",
                )
