"""HPL102: exhaustive grids run through a library — ``itertools.product``,
scikit-learn's ``GridSearchCV``/``ParameterGrid``, Optuna's ``GridSampler``,
Ray Tune's ``grid_search``, Keras Tuner's ``GridSearch``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.triggers import Calls, DictKeys, Imports, Words
from hplint.reading.calls import arg_value, has_star_args, in_test_function, method_name, receiver
from hplint.reading.flow import Origin
from hplint.reading.numbers import number
from hplint.rules.search_space.edits import append_dict_element
from hplint.rules.strategy.grid_calls import (
    GRID_SEARCH_SPELLINGS,
    SAMPLING_CALLS,
    assigned_name,
    consuming_loop,
    cv_folds,
    dict_key_of,
    inside_sampling,
    keras_dim,
    loops_over,
    may_be_product_grid,
    may_hold_grid,
    may_pass_grid,
    names_in,
    outermost_dict,
    runs_grid_search,
    sum_sizes,
    target_labels,
    trains_inside,
)
from hplint.rules.strategy.grids import (
    FAMILY,
    LIBRARY_GRID_NAMES,
    LIBRARY_GRIDS,
    OPTIONS,
    WITHOUT_REPLACEMENT,
    Dim,
    Repeat,
    _BindingsRule,
    config_axis,
    grid_message,
    grid_size,
    header_named,
    loop_dims,
    product_dims,
    star_source,
    too_big,
    tuning_name,
    unwrap,
    values_count,
    values_of,
)
from hplint.rules.strategy.wandb_grids import wandb_grid

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


@dataclass
class LibraryGrid:
    call: cst.Call  # the search (or product) that runs the grid
    kind: str
    grids: List[List[Dim]]
    repeat: Optional[Repeat] = None
    fixable: bool = False
    anchor: Optional[cst.CSTNode] = None  # where to report (default: the call)
    through: Optional[str] = None  # the function in this file the grid is handed to


@register
class LibraryGridSearch(_BindingsRule):
    code = "HPL102"
    name = "library-grid-search"
    family = FAMILY
    summary = "Exhaustive grid through a library (itertools.product, GridSearchCV, GridSampler, tune.grid_search)"
    why = (
        "`itertools.product`, scikit-learn's `GridSearchCV`/`ParameterGrid`, Optuna's "
        "`GridSampler`, Ray Tune's `tune.grid_search` and Keras Tuner's `GridSearch` all run "
        "every combination: 5 values of 4 parameters are 5^4 = 625 configurations (13 days at "
        "30 min each; 3,125 fits with 5-fold CV), and each parameter still gets only 5 distinct "
        "values. `RandomizedSearchCV` over the same lists samples grid points without "
        "replacement (n_iter of them); a scipy.stats distribution in place of a list gives that "
        "parameter a new value in every trial (Bergstra & Bengio 2012), which matters because one "
        "or two parameters - usually the learning rate - dominate the result. The cost is stated "
        "once with its unit: configurations, times CV folds = fits, with the time computed from "
        "the fits. A sweep's grid (Ray Tune's config, W&B, Hydra) is judged on its hyperparameter "
        "axes alone: a grid over datasets, splits, seeds or folds at one setting runs each "
        "experimental condition on purpose, though every axis counts in the size; a key of Ray's "
        "config given to `tune.grid_search` or of a W&B sweep's `parameters` counts as searched "
        "whatever its name (`\"m\"`, `\"kl\"`) unless it names such a condition (Hydra's "
        "multirun sweeps are judged on hyperparameter names alone). A W&B sweep written as a Python "
        "dict is read also when its `parameters` are set on it afterwards (`sweep[\"parameters\"] = "
        "parameters_dict`, `.update(...)`), as W&B's quickstart writes it. The CV folds are read from `cv=` or the "
        "splitter it is bound to (`cv = StratifiedKFold(n_splits=10)`). Grids are read as real "
        "code writes them: a dict of value lists expanded by `product(*grid.values())` (also "
        "after `names, values = zip(*grid.items())`, or its values picked key by key: `[grid[k] for k in "
        "sorted(grid)]`), a dict filled key by key, axes written as "
        "comprehensions, `range`, `np.arange` or arrays, kept in `self.param_grid`, a class "
        "attribute, a module constant or a parameter default. A grid handed to a search through "
        "a function in the same file (`def validate(model, grid): GridSearchCV(model, grid, "
        "cv=10)`) is reported where the grid is written, once however many calls pass it on; so "
        "is a grid a function of the file returns (`GridSearchCV(model, make_grid())`), and each "
        "grid of a dict of grids picked by a key not written there (`grids[name]` in a loop over "
        "models), and each `\"params\"` of a dict of model specs a loop walks (`for name, mp in "
        "model_params.items(): GridSearchCV(mp[\"model\"], mp[\"params\"])`) or each grid of a "
        "list of rows a loop unpacks (`for name, model, grid in [(\"svc\", SVC(), svc_grid), ...]`, or "
        "`for name, (model, grid) in SEARCHES.items()` over a dict of such pairs); so "
        "is a (nested) dict whose every leaf is a value list handed to a function whose name "
        "says it runs a grid search (`grid_search_cv(config, X, y)`), when that function is not "
        "defined in the file (then its body is read instead). A product is a grid when its "
        "factors are named like hyperparameters (`lrs`, `C_values`, `gammas`), when it expands a "
        "dict, or when training runs on its values, in the loop over it or in a later loop over "
        "the list it was stored in."
    )
    fix_description = (
        "`GridSearchCV(est, grid, ...)` becomes `RandomizedSearchCV(est, grid, n_iter=N, "
        "random_state=0, ...)` with every other argument kept (`param_grid=` is renamed "
        "`param_distributions=`; seeded, because the grid ran the same configurations every time); "
        "N is a third of the grid. Other libraries are reported without a fix. Unsafe: it "
        "changes the budget and which configurations run."
    )
    fix_safety = Safety.UNSAFE
    options = OPTIONS
    demonstration = "strategy"
    # every report is a call to a grid API, through an import of its library
    # (scikit-learn's and Optuna's names also bare, outside tests)
    trigger = (
        Calls(*LIBRARY_GRID_NAMES, outside_tests=True, where=may_hold_grid)
        | (Calls("product", outside_tests=True, where=may_be_product_grid) & Imports("itertools"))
        | (Calls("grid_search") & Imports("ray"))
        | (Calls(suffixes=("GridSearch",)) & Imports("keras_tuner", "kerastuner"))
        | Calls(matching=runs_grid_search, spellings=GRID_SEARCH_SPELLINGS, where=may_pass_grid, outside_tests=True)
        # a W&B grid sweep written as a dict, its "parameters" there or set on it later
        | (DictKeys("method") & Words("parameters") & Words("grid"))
    )
    bad_examples = (
        Example(
            """
            from sklearn.model_selection import GridSearchCV
            from sklearn.svm import SVC
            grid = {
                "C": [0.01, 0.1, 1, 10, 100],
                "gamma": [1e-4, 1e-3, 1e-2, 1e-1, 1],
                "kernel": ["rbf", "poly", "sigmoid"],
            }
            search = GridSearchCV(SVC(), grid, cv=5)
            """,
            fixed="""
            from sklearn.model_selection import RandomizedSearchCV
            from sklearn.svm import SVC
            grid = {
                "C": [0.01, 0.1, 1, 10, 100],
                "gamma": [1e-4, 1e-3, 1e-2, 1e-1, 1],
                "kernel": ["rbf", "poly", "sigmoid"],
            }
            search = RandomizedSearchCV(SVC(), grid, n_iter=25, random_state=0, cv=5)
            """,
            note="5×5×3 = 75 configurations × 5 folds = 375 fits.",
        ),
        Example(
            """
            import itertools
            params = {
                "lr": [0.001, 0.01, 0.1, 1.0, 10.0],
                "batch_size": [16, 32, 64, 128, 256],
                "weight_decay": [0, 1e-5, 1e-4, 1e-3, 1e-2],
                "dropout": [0.0, 0.2, 0.4, 0.6, 0.8],
            }
            configs = list(itertools.product(*params.values()))
            """
        ),
        Example(
            """
            from sklearn.model_selection import GridSearchCV
            from sklearn.neural_network import MLPClassifier

            def validate(model, grid, x, y):
                return GridSearchCV(model, param_grid=grid, cv=10).fit(x, y)

            validate(MLPClassifier(), {
                "activation": ["identity", "logistic", "tanh", "relu"],
                "solver": ["sgd", "adam"],
                "batch_size": [16, 32, 64, 128],
                "hidden_layer_sizes": [(16,), (32,), (64,), (128,)],
            }, x, y)
            """,
            note="4×2×4×4 = 128 configurations × 10 folds, reported at the dict the call passes.",
        ),
    )
    sweep_examples = (
        Example(
            """
            method: grid
            parameters:
              learning_rate: {values: [0.1, 0.01, 0.001, 0.0001]}
              batch_size: {values: [16, 32, 64, 128]}
              dropout: {values: [0.0, 0.1, 0.3]}
            """,
            fixed="""
            method: random
            run_cap: 16
            parameters:
              learning_rate: {values: [0.1, 0.01, 0.001, 0.0001]}
              batch_size: {values: [16, 32, 64, 128]}
              dropout: {values: [0.0, 0.1, 0.3]}
            """,
        ),
        Example(
            """
            # @package _global_
            hydra:
              sweeper:
                params:
                  model.optimizer.lr: 0.1,0.01,0.001,0.0001
                  model.depth: choice(2, 4, 8)
                  model.dropout: range(0, 0.3, step=0.1)
                  +seed: 1,2
            """,
            note=(
                "Hydra's basic sweeper (the default sweeper) runs every combination: 4×3×3×2 = 72 "
                "configurations (seeds count in the total, but never make a grid on their own). "
                "The same grid on a command line, `python train.py -m model.optimizer.lr=0.1,0.01,0.001,0.0001 "
                "model.depth=2,4,8 ...` in a shell script or a Markdown code block, is reported at its first "
                "swept override. Values whose count is not written (`glob(...)`, an interpolation) are not counted."
            ),
        ),
    )
    good_examples = (
        Example(
            """
            import random
            from sklearn.model_selection import ParameterGrid
            grid = {"lr": [1e-4, 1e-3, 1e-2], "depth": [2, 4, 8, 16], "width": [64, 128, 256]}
            trials = random.sample(list(ParameterGrid(grid)), 20)
            """,
            note="A sample of the grid is random search over a discretised space.",
        ),
        Example(
            """
            import itertools
            for dx, dy in itertools.product(range(8), range(8)):
                board[dx][dy] = 0
            """,
            note="A product over indices is not a grid search.",
        ),
        Example(
            """
            def configure(run):
                config = {"layers": [64, 64], "channels": [3, 16, 32], "epochs": 10}
                return run_experiment(config)
            """,
            note="A configuration holding lists is not a grid unless a search expands it.",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.sampled_names: Set[str] = set()
        self.pending: List[Tuple[LibraryGrid, Optional[str]]] = []
        self.ray_groups: Dict[cst.CSTNode, List[cst.Call]] = {}
        self.num_samples: Set[int] = set()
        self.keras_calls: List[cst.Call] = []
        self.keras_dims: List[Dim] = []
        self.later: List[Tuple[LibraryGrid, str]] = []  # products kept only if a later loop trains on them

    def visit_Dict(self, node: cst.Dict) -> None:
        """A W&B grid sweep written as a Python dict (``wandb_grids``)."""
        found = wandb_grid(node, self.ctx.vocabulary, self.option, self.reader.flow)
        if found is None or in_test_function(self.ctx, node):
            return
        value, key = found.method.value, found.method.key
        fix = None
        if isinstance(value, cst.SimpleString) and isinstance(key, cst.SimpleString):  # (not a prefixed or implicit concatenation)
            random = cst.SimpleString(f"{value.prefix}{value.quote}random{value.quote}")
            edits = [self.ctx.replace(value, self.ctx.code_for(random))]
            if not found.has_cap:
                cap = cst.DictElement(key=cst.SimpleString(f"{key.quote}run_cap{key.quote}"), value=cst.Integer(str(found.run_cap)))
                renamed = node.with_changes(elements=[e.with_changes(value=random) if e is found.method else e for e in node.elements])
                edits = [self.ctx.replace(node, self.ctx.code_for(append_dict_element(renamed, cap)))]
            fix = self.ctx.fix(Safety.UNSAFE, edits, "random search with a run cap")
        self.report(value, found.message, fix)

    def visit_Call(self, node: cst.Call) -> None:
        name = method_name(node)
        if name in SAMPLING_CALLS:
            for a in node.args:
                for sub in names_in(a.value):
                    self.sampled_names.add(sub)
        for a in node.args:
            if a.keyword is not None and a.keyword.value == "num_samples":
                value = number(a.value, self.ctx.imports)
                if value is not None:
                    self.num_samples.add(int(value))
        if name in ("Choice", "Int", "Boolean", "Float") and isinstance(receiver(node), cst.Name):
            dim = keras_dim(node, self.ctx)
            if dim is not None:
                self.keras_dims.append(dim)
        qual = self.ctx.qualify(node.func)
        if qual is None and isinstance(node.func, cst.Name):
            qual = {"GridSearchCV": "sklearn.model_selection.GridSearchCV", "ParameterGrid": "sklearn.model_selection.ParameterGrid"}.get(node.func.value)
        if qual == "itertools.product":
            self._product(node)
        elif qual in LIBRARY_GRIDS:
            self._library(node, LIBRARY_GRIDS[qual])  # type: ignore[index]
        elif qual == "ray.tune.grid_search":
            root = outermost_dict(self.ctx, node)
            if root is not None:
                self.ray_groups.setdefault(root, []).append(node)
        elif qual is not None and qual.split(".")[0] in ("keras_tuner", "kerastuner") and qual.endswith("GridSearch"):
            self.keras_calls.append(node)
        elif name is not None and runs_grid_search(name) and (qual is None or qual.split(".")[0] not in ("ray", "keras_tuner", "kerastuner", "sklearn")):
            self._named_search(node, name)

    # -- itertools.product ---------------------------------------------
    def _product(self, call: cst.Call) -> None:
        loop = consuming_loop(self.ctx, call)
        dims = [d for d in product_dims(self.reader, call, target_labels(loop)) if d.counts]
        positional = [a for a in call.args if a.keyword is None]
        starred = len(positional) == 1 and positional[0].star == "*"
        if isinstance(loop, cst.For) and trains_inside(loop.body) and self._in_nest(loop):
            return  # a nest of loops and products: HPL101 counts every axis of it
        if starred and self._product_through_parameter(call, positional[0].value):
            return
        from_dict = starred and bool(dims)
        grid = LibraryGrid(call, "itertools.product", [dims])
        assigned = assigned_name(self.ctx, call)
        # test-input generators also take products of "sizes" and "dims": only the
        # tuning vocabulary (lr, batch size, dropout, C, gamma...), a dict of value
        # lists or training on its values make a product a hyperparameter grid
        tuning = sum(1 for d in dims if tuning_name(d.name, self.ctx.vocabulary))
        if from_dict or tuning >= 2 or (isinstance(loop, cst.For) and trains_inside(loop.body)):
            self._queue(grid, assigned)
        elif assigned is not None and loop is None or isinstance(loop, cst.CompFor) and assigned is not None:
            self.later.append((grid, assigned))  # type: ignore[arg-type]

    def _product_through_parameter(self, call: cst.Call, starred: cst.BaseExpression) -> bool:
        """``product(*grid.values())`` in a helper given ``grid`` by its callers:
        one finding per grid they pass, where it is written."""
        grid = values_of(star_source(self.reader, starred), self.reader)
        if not isinstance(grid, (cst.Name, cst.Attribute)):
            return False
        origins = self.reader.flow.origins(grid)
        if not any(o.via is not None for o in origins):
            return False
        popped = self.reader.flow.popped(grid) if isinstance(grid, cst.Name) else set()  # taken off here, whatever the caller wrote
        for origin in origins:
            grids = self.reader.dict_dims(origin.value)
            grids = [[d for d in g if d.name not in popped] for g in grids] if grids and popped else grids
            if grids and len(grids) == 1:
                found = LibraryGrid(call, "itertools.product", grids)
                self._hand_over(found, origin)
                self._queue(found, None)
        return True

    def _in_nest(self, loop: cst.For) -> bool:
        """Another ``for`` over hyperparameter values around or inside the
        product's loop, in a nest HPL101 reads as a grid (``header_named``)."""
        top, nested = loop, False
        for ancestor in self.ctx.ancestors(loop):
            if isinstance(ancestor, cst.For) and loop_dims(self.reader, ancestor):
                top, nested = ancestor, True
            if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef)):
                break
        nested = nested or any(loop_dims(self.reader, n) for n in _own_loops(loop.body))
        return nested and header_named(self.reader, top)

    # -- scikit-learn / Optuna ------------------------------------------
    def _library(self, call: cst.Call, kind: str) -> None:
        if kind in ("GridSearchCV", "HalvingGridSearchCV"):
            grid_arg = arg_value(call, 1, "param_grid")
        else:
            grid_arg = arg_value(call, 0, "search_space" if kind == "GridSampler" else "param_grid")
        if grid_arg is None:
            return
        local: List[List[List[Dim]]] = []
        for origin in self._origins(grid_arg):
            grids = self.reader.dict_dims(origin.value)
            if not grids:
                continue
            if origin.via is None:
                local.append(grids)
            else:
                self._library_grid(call, kind, grids, origin)
        if local:
            biggest = max(local, key=lambda g: sum_sizes(g) or 0)
            self._library_grid(call, kind, biggest, None)

    def _origins(self, expr: cst.BaseExpression) -> List[Origin]:
        """The grids an argument may be: itself, or what the name it is holds."""
        inner = self.reader.strip(expr)
        flow = self.reader.flow
        found = flow.origins(inner) if isinstance(inner, (cst.Name, cst.Attribute, cst.Call)) else [Origin(expr)]
        out: List[Origin] = []
        for origin in found:  # ``param_grids[name]`` in a loop over models: each grid it may pick
            members = flow.members(origin.value)
            out.extend([Origin(m, origin.via or origin.value) for m in members] if members else [origin])  # type: ignore[arg-type]
        return out

    def _library_grid(self, call: cst.Call, kind: str, grids: List[List[Dim]], origin: Optional[Origin]) -> None:
        repeat, fixable = None, False
        if kind in ("GridSearchCV", "HalvingGridSearchCV"):
            folds = cv_folds(call, self.ctx)
            if folds is not None and folds > 1:
                repeat = Repeat(f"{folds} CV folds", folds, "fits", "fit")
            # No fix for scikit-learn before 0.20: its default of 3 folds would become 5.
            fixable = kind == "GridSearchCV" and origin is None and not self.ctx.imports.legacy_sklearn
        grid = LibraryGrid(call, kind, grids, repeat, fixable)
        if origin is not None:
            self._hand_over(grid, origin)
        self._queue(grid, assigned_name(self.ctx, call))

    def _hand_over(self, grid: LibraryGrid, origin: Origin) -> None:
        """A grid passed in through a parameter is reported where it is written
        (its literal), or at the call in this file that passes it."""
        written = origin.value
        real = self.ctx.parent(written) is not None
        grid.anchor = written if real and isinstance(written, (cst.Dict, cst.List, cst.Call)) else origin.via
        func = next((a for a in self.ctx.ancestors(grid.call) if isinstance(a, cst.FunctionDef)), None)
        grid.through = func.name.value if func is not None else None

    # -- a function named like a grid search ----------------------------------------
    def _named_search(self, call: cst.Call, name: str) -> None:
        """``grid_search(params)``, ``gs.grid_search_cv(config, X, y)``: a (nested)
        dict whose every leaf is a list of values, handed to a function whose
        name says it runs a grid search."""
        if has_star_args(call):
            return
        flow = self.reader.flow
        local = isinstance(call.func, cst.Name) or isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name) and call.func.value.value in ("self", "cls")
        if local and (name in flow.functions or name in flow.classes):
            return  # defined here: what its body does with the grid is read there, not guessed from its name
        for a in call.args:
            for origin in self._origins(a.value):
                dims = self.reader.nested_dims(origin.value)
                if dims:
                    grid = LibraryGrid(call, f"{name}()", [dims])
                    written = origin.value
                    grid.anchor = written if self.ctx.parent(written) is not None and isinstance(written, (cst.Dict, cst.Call)) else (origin.via or call)
                    self._queue(grid, None)
                    return

    def _queue(self, grid: LibraryGrid, assigned: Optional[str]) -> None:
        if inside_sampling(self.ctx, grid.call) or in_test_function(self.ctx, grid.call):
            return
        if grid.anchor is not None and in_test_function(self.ctx, grid.anchor):
            return
        self.pending.append((grid, assigned))

    # -- end of file: decide ----------------------------------------------
    def leave_Module(self, original_node: cst.Module) -> None:
        for grid, name in self.later:
            scope = next((a for a in self.ctx.ancestors(grid.call) if isinstance(a, (cst.FunctionDef, cst.Module))), self.ctx.module)
            if any(trains_inside(loop.body) for loop in loops_over(scope, name)):
                self._queue(grid, name)
        reported: Set[cst.CSTNode] = set()
        for grid, assigned in self.pending:
            if assigned is not None and assigned in self.sampled_names:
                continue
            anchor = grid.anchor or grid.call
            if anchor in reported:
                continue  # one finding per grid, however many calls pass it on
            if self._report_grid(grid):
                reported.add(anchor)
        for calls in self.ray_groups.values():
            self._report_ray(calls)
        if self.keras_calls and self.keras_dims:
            dims = [d for d in self.keras_dims if d.counts]
            for call in self.keras_calls:
                self._report_grid(LibraryGrid(call, "GridSearch", [dims]))

    def _report_grid(self, grid: LibraryGrid) -> bool:
        subgrids = [[d for d in g if d.counts] for g in grid.grids]
        subgrids = [g for g in subgrids if g] or [[]]
        largest = max(subgrids, key=len)
        configs = sum_sizes(subgrids)
        if not too_big(largest, configs, self.option) or not largest:
            return False
        sizes_text = None
        if len(subgrids) > 1:
            sizes_text = " + ".join("×".join(str(d.size) for d in g) or "1" for g in subgrids)
        if grid.fixable:
            message, n_trials = grid_message(largest, configs, self.option, sizes_text, grid.repeat, "RandomizedSearchCV with n_iter={n}", WITHOUT_REPLACEMENT)
        else:
            message, n_trials = grid_message(largest, configs, self.option, sizes_text, grid.repeat)
        if len(subgrids) > 1 and configs is not None:
            message = message.replace(" × ".join(d.name for d in largest), f"{len(subgrids)} sub-grids ({' × '.join(d.name for d in largest)}, ...)", 1)
        fix = self._randomized_fix(grid.call, n_trials) if grid.fixable and n_trials else None
        kind = f"{grid.kind} in {grid.through}()" if grid.through else grid.kind
        self.report(grid.anchor or grid.call, f"{kind}: {message}", fix)
        return True

    def _report_ray(self, calls: List[cst.Call]) -> None:
        dims = []
        for call in calls:
            values = arg_value(call, 0, "values")
            size = values_count(unwrap(values)) if values is not None else None
            dims.append(Dim(dict_key_of(self.ctx, call) or "grid_search", size, named=True))
        dims = [d for d in dims if d.counts]
        configs = grid_size(dims)
        tuned = [d for d in dims if config_axis(d.name, self.ctx.vocabulary)]
        if len(tuned) < 2 or not too_big(tuned, grid_size(tuned), self.option):
            return  # decided on the searched keys alone: not seeds, datasets or splits
        repeat = None
        if len(self.num_samples) == 1 and configs is not None:
            samples = next(iter(self.num_samples))
            if samples > 1:
                repeat = Repeat(f"num_samples={samples}", samples, "trials", "trial")
        if not dims or not too_big(dims, configs, self.option):
            return
        message, _ = grid_message(dims, configs, self.option, repeat=repeat)
        self.report(calls[0], f"tune.grid_search: {message}")

    def _randomized_fix(self, call: cst.Call, n_trials: int):
        if has_star_args(call):
            return None
        spelled, import_edit = self.ctx.spell("sklearn.model_selection.RandomizedSearchCV", call)
        args = list(call.args)
        for index, a in enumerate(args):
            if a.keyword is not None and a.keyword.value == "param_grid":
                args[index] = a.with_changes(keyword=cst.Name("param_distributions"))
            if a.keyword is not None and a.keyword.value == "n_iter":
                return None
        new = call.with_changes(func=cst.parse_expression(spelled), args=args)
        positional = [a for a in args if a.keyword is None]
        if len(positional) >= 2:
            # right after the grid, before the keywords: RandomizedSearchCV(est, grid, n_iter=N, cv=5)
            position = args.index(positional[1]) + 1
            new_arg = cst.Arg(
                value=cst.Integer(str(n_trials)),
                keyword=cst.Name("n_iter"),
                equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
                comma=positional[1].comma if position < len(args) else cst.MaybeSentinel.DEFAULT,
            )
            if position < len(args):
                args[position - 1] = args[position - 1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            elif isinstance(args[-1].comma, cst.Comma):
                new_arg = new_arg.with_changes(comma=args[-1].comma)
                args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            else:
                args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            args.insert(position, new_arg)
            new = new.with_changes(args=args)
        else:
            from hplint.core.codegen import add_keyword

            new = add_keyword(new, "n_iter", str(n_trials))
        new = _seeded(new)
        return self.ctx.fix(Safety.UNSAFE, [import_edit, self.ctx.replace(call, new)], "RandomizedSearchCV instead of GridSearchCV")


def _seeded(call: cst.Call) -> cst.Call:
    """``random_state=0`` right after ``n_iter=N``: the grid ran the same configurations
    every time, so the search does too."""
    args = list(call.args)
    index = next(i for i, a in enumerate(args) if a.keyword is not None and a.keyword.value == "n_iter")
    n_iter = args[index]
    between = args[index - 1].comma if index > 0 and isinstance(args[index - 1].comma, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    seed = n_iter.with_changes(keyword=cst.Name("random_state"), value=cst.Integer("0"))
    args[index] = n_iter.with_changes(comma=between)
    args.insert(index + 1, seed)
    return call.with_changes(args=args)


def _own_loops(block: cst.CSTNode):
    """``for`` loops inside a block, not inside a nested function or class."""
    stack = list(block.children)
    while stack:
        node = stack.pop()
        if isinstance(node, cst.For):
            yield node
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            continue
        stack.extend(node.children)
