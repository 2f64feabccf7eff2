"""HPL103: a search that tunes other hyperparameters while the learning rate
stays fixed — in an Optuna objective, a grid nest, a random-search loop or a
grid dict handed to a search."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Set

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.structure import LoopNests, Nodes
from hplint.prefilter.triggers import Calls, DictKeys, Imports, Names, Words
from hplint.reading.calls import TrialTracker, arg_value, dict_items, has_star_args, in_test_function, method_name, receiver
from hplint.reading.draws import RANDOM_DRAWS
from hplint.reading.numbers import format_number, number
from hplint.reading.objectives import FileObjectives, handed_trial_draws
from hplint.reading.vocabulary import (
    OPTIMIZERS,
    builds_model,
    names_lr_bound,
    names_network_setting,
    shows_learning_rate,
    shows_network_setting,
)
from hplint.rules.strategy.grids import (
    FAMILY,
    OPTIONS,
    RUN_SPELLINGS,
    LoopInfo,
    _GridLoopRule,
    _runs,
    chain_dims,
    is_training_call,
    literal_size,
    unwrap,
)
from hplint.rules.strategy.helper_rates import (
    LrUse,
    ast_one_rate_axis,
    command_line_setting,
    held_in_helper_message,
    helper_rates,
    is_estimator,
    names_network_key,
    one_constant,
    one_float_text,
    one_value_rates,
    optimizer_made,
    ray_space_without_rate,
    reported_at_held,
    shows_network_key,
    suggested_name,
    within,
)
from hplint.rules.strategy.hyperas_models import HYPERAS_WORD, hyperas_held_rates
from hplint.rules.strategy.hypermodels import (
    KERAS_TUNER_PARAMETER,
    KERAS_TUNER_ROOTS,
    KERAS_TUNERS,
    Hypermodel,
    ast_build_function,
    file_hypermodels,
    handed_to_tuner,
    held_rate,
)
from hplint.rules.strategy.launched_rates import launched_rate
from hplint.rules.strategy.lr_sources import (
    KERAS_OPTIMIZER_SPELLINGS,
    KERAS_WRAPPERS,
    MLP_GRID_KEYS,
    RAY_SAMPLERS,
    SEARCH_CV,
    SKORCH_WRAPPERS,
    compiled_optimizer_name,
    default_rate_of,
    factory_rates,
    grid_ablation,
    keyed_constant,
    lr_grid_shape,
    names_optimizer_key,
    names_optimizers,
    network_grid_shape,
    not_tuned_message,
    random_draws,
    trades_lr_for_iterations,
    wrapped_search,
)
from hplint.rules.strategy.rate_triggers import (
    LR_USE,
    SEARCH_SPELLINGS,
    compiles_by_name,
    draws_around_lr_use,
    is_learning_rate,
    search_callee,
)
from hplint.rules.strategy.search_calls import own_search_call, passed_to_search
from hplint.rules.strategy.sweep_rates import ast_held_rate, held_rate_context, sweep_held_rate, wandb_parameters

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

@dataclass
class Objective:
    node: cst.FunctionDef
    tuned: List[str] = field(default_factory=list)
    tunes_lr: bool = False
    uses: List[LrUse] = field(default_factory=list)
    trial_name: Optional[str] = None
    real: bool = False  # trial_name is annotated optuna.Trial or called ``trial``
    local_literals: Dict[str, cst.BaseExpression] = field(default_factory=dict)
    local_choices: Dict[str, cst.Call] = field(default_factory=dict)  # ``opt = trial.suggest_categorical(...)``


@register
class LearningRateNotTuned(_GridLoopRule):
    code = "HPL103"
    name = "learning-rate-not-tuned"
    family = FAMILY
    summary = "A search tunes other hyperparameters while the learning rate stays fixed"
    why = (
        "The learning rate typically has the largest effect on accuracy of any hyperparameter: "
        "7-20x more than model width, and tuning it alone often gains +10% where architecture "
        "tuning gains +2%. A search over layers, width and dropout that keeps `lr=1e-3` (or the "
        "optimizer's default) compares architectures at a learning rate that suits none of "
        "them. Tune the learning rate first, over 3 decades on a log scale, then the rest. "
        "Also reported: a scikit-learn search over a wrapped network (Keras's "
        "`KerasClassifier`/`KerasRegressor`, skorch's `NeuralNetClassifier`) whose grid has no "
        "learning-rate key, so the wrapper's or the optimizer's default (named with its value "
        "only where it is the same in every version: Adam and RMSprop 0.001, SGD 0.01 in Keras, "
        "0.01 in skorch) or a constructor constant runs in every trial; a scikit-learn search over "
        "its own MLP (a `hidden_layer_sizes` key, also `model__hidden_layer_sizes` in a pipeline) "
        "with no `learning_rate_init` key, whose sgd and adam solvers train at 0.001 (its "
        "`learning_rate` key is the schedule; a grid of lbfgs alone has no rate); a random-search loop "
        "that writes its draws into a config beside a constant learning rate, or passes a "
        "learning-rate constant by name to the model it builds (`build_model(x, learning_rate)`); a grid "
        "or random-search loop that trains through a function of this file making its one optimizer at a "
        "fixed rate or a default (reported there, once for every loop that calls it; not after a loop "
        "of the file that searched the rate: tuned first, then held); a hyperas model "
        "function (run by `optim.minimize`) with two `{{...}}` templates or more, none a rate, that "
        "compiles with `{{choice([\"adam\", \"sgd\"])}}`, a name or a fixed rate; "
        "a W&B sweep (a Python dict or a sweep file) holding the learning rate at one value "
        "(`{\"value\": 1e-4}`, `values: [1e-4]`) while it searches two or more other parameters; "
        "a Hydra sweep that selects (the Optuna sweeper, an `optimized_metric`) searching two or more network settings with the "
        "rate one plain value or no parameter at all (not if an optimizer or the trees are searched, or the rate interpolated); "
        "a Keras Tuner hypermodel (a build function handed to a tuner, or tuning through its first "
        "parameter in a file that imports Keras Tuner, or the `build` of a "
        "`HyperModel` subclass, wherever it is searched) that tunes two or more "
        "hyperparameters and compiles (itself, or in the model factory of this file whose result it "
        "returns; or it makes the one optimizer a builder of another module compiles) with `optimizer=\"adam\"`, a default optimizer, a constant "
        "rate or a choice among optimizer names (`hp.Choice(\"optimizer\", [\"adam\", \"sgd\"])`: each "
        "at its own default); an Optuna objective that tunes two or more hyperparameters and "
        "compiles a Keras model (itself, or in a model factory of this file it calls without the trial, "
        "reported at that call) with an optimizer named by a string (`model.compile(optimizer=\"adam\")`) "
        "or by a suggested choice among names (`trial.suggest_categorical(\"optimizer\", [\"adam\", \"sgd\"])`); "
        "a build function redefined in a notebook is read as defined last before the tuner; a grid over a network's settings (dropout, momentum, weight decay) handed to a "
        "search function of the project (`optimize_net(**{\"dropout\": [...], \"weight_decay\": "
        "[...]})`) with no learning-rate or optimizer key, whose rate is not visible here; a Ray "
        "Tune search space that samples two parameters or more (`tune.choice`, `tune.randint`...) "
        "beside a constant `\"lr\"` entry; and a "
        "learning rate held at a module constant, or read by key from a config dict of the file that "
        "nothing changes or hands on (`lr=CONFIG[\"lr\"]`), or a setting of the parsed command line "
        "(`lr=args.lr` of `args = parser.parse_args()`) that nothing in the file assigns: one value for "
        "every trial of the process, reported once per objective. A search that trains by launching a "
        "script holds the rate fixed when the command gives a learning-rate flag a constant "
        "(`subprocess.run([..., \"--lr\", \"3e-4\"])`, `os.system(f\"python train.py --lr 0.001 --depth {depth}\")`), "
        "in the search's own code or in the one function of this file it calls (`--min-lr` is a bound). "
        "An objective's draws include those of a function of this file it hands the trial "
        "(`blocks, k = block_settings(trial)`). One rate written at several calls of an objective "
        "(`SGD(lr=0.1)` and `OneCycleLR(max_lr=0.1)`) is reported once, and the fix tunes them together. A Keras build function whose first "
        "parameter is `hp` (`hp.Int`, `hp.Float`) is a Keras Tuner hypermodel even where another module "
        "imports the tuner. A Ray Tune search space that samples two settings only a network has "
        "(dropout, batch size, epochs, layer widths) with no learning-rate key anywhere in the file "
        "(nor an optimizer key, nor PBT's mutations) trains every sample at the one rate its trainable "
        "sets. A schedule's bound (`min_lr`, "
        "`final_lr`, `warmup_init_lr`) is not the rate trained with. A search must vary at least two parameters: fixing "
        "the learning rate while tuning one (fine-tuning epochs, say) is a deliberate choice, as is an Optuna ablation run by a GridSampler."
    )
    fix_description = (
        "In an Optuna objective, the literal becomes `trial.suggest_float(\"lr\", v/10, v*100, "
        "log=True)`: three decades from a tenth of the old value to a hundred times it (capped "
        "at 1.0, keeping three decades), since hand-picked learning rates are usually on the "
        "safe, small side. Unsafe: it changes what the search samples."
    )
    fix_safety = Safety.UNSAFE
    options = OPTIONS
    demonstration = "lr-first"
    # a report is a learning rate held fixed (a keyword, a grid key or an
    # optimizer's default) in a search: an objective suggesting values, a grid
    # nest, a loop drawing values at random, or a grid dict handed to a search
    trigger = (
        (Names(is_learning_rate, marks=shows_learning_rate) | Calls(*OPTIMIZERS) | Calls("compile", method=True, where=compiles_by_name))
        & (
            Calls(prefixes=("suggest_",), method=True, least=2)
            | LoopNests(_runs, RUN_SPELLINGS, inner=LR_USE)
            | Nodes(ast.For, holds=ast_one_rate_axis, label="grid axis of one learning rate", text=one_float_text)
            | (Calls(*RANDOM_DRAWS, least=2) & Nodes(ast.For, ast.AsyncFor, holds=draws_around_lr_use, label="random-search loop"))
            | (
                Calls(matching=search_callee, spellings=SEARCH_SPELLINGS)
                & DictKeys(meaning=is_learning_rate, marks=shows_learning_rate)
                & Nodes(ast.Dict, holds=lambda node, index: lr_grid_shape(node))
            )
        )
    ) | (
        # a W&B sweep's parameters holding the learning rate at one value (``sweep_rates``)
        DictKeys(meaning=is_learning_rate, marks=shows_learning_rate)
        & Nodes(ast.Dict, holds=lambda node, index: ast_held_rate(node), label="W&B sweep at one learning rate")
    ) | (
        Imports("hyperas") & Calls("minimize", method=True) & Calls("compile", method=True)  # a hyperas model function
    ) | (
        # an objective compiling a Keras model with an optimizer named by a string
        Calls("compile", method=True, where=compiles_by_name) & Calls(prefixes=("suggest_",), method=True, least=2)
    ) | (
        Names(names_network_setting, "network settings", shows_network_setting)  # the cheap tests first
        & DictKeys(meaning=names_network_setting, marks=shows_network_setting)
        & Calls(matching=search_callee, spellings=SEARCH_SPELLINGS)
        & Nodes(ast.Dict, holds=lambda node, index: network_grid_shape(node), label="network grid without a learning rate")
    ) | (
        (Calls(*KERAS_WRAPPERS, *SKORCH_WRAPPERS) & Calls(*SEARCH_CV, outside_tests=True))
        | (Calls(*SEARCH_CV, outside_tests=True) & MLP_GRID_KEYS)
        | (Imports(*KERAS_TUNER_ROOTS) & (Calls(*KERAS_TUNERS) | Words("HyperModel") | Nodes(ast.FunctionDef, holds=ast_build_function)) & (Calls("compile") | Calls(*KERAS_OPTIMIZER_SPELLINGS)))
        | (Imports("keras", "tensorflow", "tf_keras") & Words(KERAS_TUNER_PARAMETER) & Nodes(ast.FunctionDef, holds=ast_build_function) & (Calls("compile") | Calls(*KERAS_OPTIMIZER_SPELLINGS)))
        | (Imports("ray") & Calls(*(q.rsplit(".", 1)[1] for q in RAY_SAMPLERS), least=2) & DictKeys(meaning=is_learning_rate, marks=shows_learning_rate))
        | (Imports("ray") & Calls(*(q.rsplit(".", 1)[1] for q in RAY_SAMPLERS), least=2) & DictKeys(meaning=names_network_key, marks=shows_network_key))
    )
    bad_examples = (
        Example(
            """
            import torch

            def objective(trial):
                n_layers = trial.suggest_int("n_layers", 1, 4)
                hidden = trial.suggest_int("hidden", 32, 512, log=True)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                model = build(n_layers, hidden, dropout)
                optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
                return train(model, optimizer)
            """,
            fixed="""
            import torch

            def objective(trial):
                n_layers = trial.suggest_int("n_layers", 1, 4)
                hidden = trial.suggest_int("hidden", 32, 512, log=True)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                model = build(n_layers, hidden, dropout)
                optimizer = torch.optim.Adam(model.parameters(), lr=trial.suggest_float("lr", 0.0001, 0.1, log=True))
                return train(model, optimizer)
            """,
        ),
        Example(
            """
            for n_layers in [2, 4, 8]:
                for width in [64, 128, 256]:
                    score = train_model(n_layers=n_layers, width=width, lr=3e-4)
            """
        ),
        Example(
            """
            from keras.layers import Dense
            from keras.models import Sequential
            from scikeras.wrappers import KerasClassifier
            from sklearn.model_selection import GridSearchCV

            def create_model(units=32):
                model = Sequential([Dense(units, activation="relu"), Dense(1, activation="sigmoid")])
                model.compile(loss="binary_crossentropy", optimizer="adam")
                return model

            search = GridSearchCV(
                KerasClassifier(model=create_model),
                {"batch_size": [16, 32, 64], "epochs": [10, 50], "model__units": [16, 32, 64]},
                cv=3,
            )
            """,
            note="Every trial trains with Adam's default learning rate, 0.001.",
        ),
    )
    good_examples = (
        Example(
            """
            from scikeras.wrappers import KerasClassifier
            from sklearn.model_selection import GridSearchCV

            net = KerasClassifier(model=build_model, optimizer="adam")
            grid = {"batch_size": [32, 64], "model__units": [32, 64], "optimizer__learning_rate": [1e-3, 1e-2]}
            search = GridSearchCV(net, grid, cv=3)
            """,
            note="The learning rate is a key of the grid.",
        ),
        Example(
            """
            import torch

            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                hidden = trial.suggest_int("hidden", 32, 512, log=True)
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                model = build(hidden, dropout)
                optimizer = torch.optim.Adam(model.parameters(), lr=lr)
                return train(model, optimizer)
            """
        ),
        Example(
            """
            def objective(trial):
                dropout = trial.suggest_float("dropout", 0.0, 0.5)
                optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
                return train(model, optimizer)
            """,
            note="One tuned parameter is not a search over the architecture.",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.trials = TrialTracker(ctx.imports)
        self.objectives: List[Objective] = []
        self.finished: List[Objective] = []
        self._hypermodels: Set[int] = set()  # id() of the build scopes checked
        self._rate_searched: Set[int] = set()  # id() of the scopes where an earlier loop searched the rate
        self._in_helpers: Dict[cst.CSTNode, List] = {}  # a rate a called helper holds -> the searches calling it

    # -- Optuna objectives -------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.trials.enter(node)
        info = self.trials.current
        trial = next(iter(sorted(info.trial_params)), None) if info and info.trial_params else (info.first_param if info else None)
        real = bool(info and trial in info.trial_params)
        self.objectives.append(Objective(node, trial_name=trial, real=real))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        objective = self.objectives.pop()
        info = self.trials.current
        self.trials.leave()
        if objective.trial_name is None:
            return
        if info is not None and objective.trial_name in info.trial_params:
            self._check_objective(objective)
        elif objective.tuned:
            self.finished.append(objective)  # an objective only if passed to optimize()

    def leave_Module(self, original_node: cst.Module) -> None:
        for node, searches in self._in_helpers.items():  # one report where the helper holds it
            context, held = held_in_helper_message(self.ctx, searches)
            self.report(node, self._message(LrUse(node, None, None, described=held), context))
        for objective in self.finished:
            if self.trials.is_objective(objective.node):
                self._check_objective(objective)
        for model in file_hypermodels(self.reader):
            self._report_hypermodel(model)
        for node, held, model, count in hyperas_held_rates(self.reader) if HYPERAS_WORD in self.ctx.file_text else ():
            self.report(node, self._message(LrUse(node, None, None, described=held), f"the hyperas model function `{model}` tunes {count} hyperparameters"))

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        if self.objectives and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            name = node.targets[0].target.value
            if number(node.value, self.ctx.imports) is not None:
                self.objectives[-1].local_literals[name] = node.value
            value = node.value
            if isinstance(value, cst.Call) and self._is_suggest(value) and self.ctx.vocabulary.is_learning_rate(name):
                self._owner().tunes_lr = True
            if isinstance(value, cst.Call) and self._is_suggest(value):
                self.objectives[-1].local_choices[name] = value

    def _owner(self) -> Objective:
        """The innermost enclosing objective: closures inside it report to it."""
        for objective in reversed(self.objectives):
            if objective.real:
                return objective
        for objective in reversed(self.objectives):
            if objective.trial_name is not None:
                return objective
        return self.objectives[-1]

    def _is_suggest(self, call: cst.Call) -> bool:
        recv = receiver(call)
        name = method_name(call) or ""
        if not isinstance(recv, cst.Name) or not name.startswith("suggest_"):
            return False
        return any(recv.value == o.trial_name for o in self.objectives)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        self.trials.see_call(node)
        self._wrapped_search(node)
        self._report_hypermodel(handed_to_tuner(self.reader, node))
        if not self.objectives:
            return
        owner = self._owner()
        if self._is_suggest(node):
            self._tunes(owner, suggested_name(arg_value(node, 0, "name")))
            return
        trials = {o.trial_name for o in self.objectives if o.trial_name}
        for name, _ in handed_trial_draws(self.ctx.facts(FileObjectives).functions, node, trials):
            self._tunes(owner, name)  # ``ec = EdgeConv_params(trial)``: drawn for this trial
        if not owner.tunes_lr:  # an objective that tunes the rate is never reported: its uses do not matter
            owner.uses.extend(self._lr_uses(node, self.objectives[-1].local_literals))

    def _tunes(self, owner: Objective, name: Optional[str]) -> None:
        if name is not None and self.ctx.vocabulary.is_learning_rate(name):
            owner.tunes_lr = True
        elif name is not None:
            owner.tuned.append(name)

    def _check_objective(self, objective: Objective) -> None:
        if objective.tunes_lr or len(set(objective.tuned)) < 2 or trades_lr_for_iterations(objective.tuned) or grid_ablation(self.ctx, objective.node):
            return
        if not objective.uses:
            objective.uses.extend(self._factory_rates(objective))
        if not objective.uses:
            return
        tuned = ", ".join(sorted(set(objective.tuned))[:4])
        values = {u.value for u in objective.uses}
        if self._one_rate_written_twice(objective, values, f"the objective tunes {tuned}"):
            return
        held: Set[object] = set()  # one report for a constant several calls read (``lr = 0.12`` in each branch)
        for use in objective.uses:
            if use.once is not None and use.once in held:
                continue
            held.add(use.once)  # type: ignore[arg-type]
            shared = within(self.ctx, use.literal, objective.node) and not within(self.ctx, use.literal, use.node)
            if shared and id(use.literal) in held:
                continue
            held.add(id(use.literal))
            fix = None
            if use.literal is not None and use.value is not None and use.value > 0 and len(values) == 1:
                fix = self._suggest_fix(use, objective)
            self.report(use.literal if shared else use.node, self._message(use, f"the objective tunes {tuned}"), fix)  # type: ignore[arg-type]

    def _one_rate_written_twice(self, objective: Objective, values: Set[Optional[float]], context: str) -> bool:
        """One rate written at several calls of the objective (``SGD(lr=0.1)`` and
        ``OneCycleLR(max_lr=0.1)``): one report, at the first, whose fix tunes them together."""
        uses = objective.uses
        if len(uses) < 2 or len(values) != 1 or not all(
            u.literal is not None and u.value is not None and u.value > 0 and within(self.ctx, u.literal, u.node) for u in uses
        ):
            return False
        sites = [self.ctx.site(u.literal) for u in uses]  # type: ignore[arg-type]
        if len(set(sites)) != len(uses) or None in sites:
            return False
        fix = self._suggest_fix(uses[0], objective, every=[u.literal for u in uses])  # type: ignore[misc]
        lines = [str(site[0]) for site in sites[1:]]  # type: ignore[index]
        again = f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(lines[:-1])} and {lines[-1]}"
        first = uses[0]
        described = f"a fixed learning rate of {self.ctx.code_for(first.literal)} (written again at {again})"  # type: ignore[arg-type]
        self.report(first.node, self._message(replace(first, described=described), context), fix)
        return True

    def _factory_rates(self, objective: Objective) -> List[LrUse]:
        """The rate a model factory the objective calls without the trial compiles with, at that call."""
        found = []
        for call, (node, held) in factory_rates(self.reader, objective.node, objective.trial_name, objective.tuned):
            site = self.ctx.site(node)
            found.append(LrUse(call, None, None, described=held + (f" (set by `{self.ctx.code_for(call.func)}()` at line {site[0]})" if site else "")))
        return found

    def _suggest_fix(self, use: LrUse, objective: Objective, every: Sequence[cst.BaseExpression] = ()):
        """Each literal of ``every`` (or ``use``'s) replaced by one suggestion of the rate:
        Optuna hands the same value to a name suggested again over the same range."""
        literals = list(every) or [use.literal]
        if objective.trial_name is None or not all(within(self.ctx, literal, objective.node) for literal in literals):
            return None
        value = use.value or 0.0
        high = min(value * 100, 1.0)
        low = high / 1000
        code = f'{objective.trial_name}.suggest_float("lr", {format_number(low)}, {format_number(high)}, log=True)'
        return self.ctx.fix(Safety.UNSAFE, [self.ctx.replace(literal, code) for literal in literals], "tune the learning rate")

    # -- grid loops -----------------------------------------------------------
    def check_nest(self, chain: List[LoopInfo]) -> None:
        dims = chain_dims(chain)
        if any(self.ctx.vocabulary.is_learning_rate(d.name) for d in dims):
            self._rate_searched.add(self._scope_of(chain[0].node))  # later searches here tune the rest after it
            return
        held = one_value_rates(self.ctx.vocabulary, chain)  # an axis of one rate: reported where that rate is written
        if (len(chain) < 2 and not held) or len(dims) < 2 or self._scope_of(chain[0].node) in self._rate_searched:
            return
        if trades_lr_for_iterations([d.name for d in dims]):
            return
        if self.trials.known_trial_names() or in_test_function(self.ctx, chain[0].node):
            return  # inside an Optuna objective (judged there) or a test
        literals = {k: v for k, v in self.bindings.scopes[-1].items() if number(v, self.ctx.imports) is not None}
        uses = reported_at_held(held, [u for call in chain[-1].calls for u in self._lr_uses(call, {**literals, **held})])
        tuned = ", ".join(d.name for d in dims)
        for node, held, call in [] if uses else helper_rates(self.reader, chain[-1].calls):
            self._in_helpers.setdefault(node, []).append((f"the grid varies {tuned}", held, call))
        for use in uses:
            self.report(use.node, self._message(use, f"the grid varies {tuned}"))

    # -- random-search loops ------------------------------------------------
    def check_loop(self, info: LoopInfo) -> None:
        draws = random_draws(self.ctx, info.node)
        drawn = list(dict.fromkeys(draws.drawn))
        if len(drawn) < 2 or any(self.ctx.vocabulary.is_learning_rate(n) for n in drawn):
            return
        if trades_lr_for_iterations(drawn) or self.trials.known_trial_names() or in_test_function(self.ctx, info.node) or self._scope_of(info.node) in self._rate_searched:
            return
        literals = {k: v for k, v in self.bindings.scopes[-1].items() if number(v, self.ctx.imports) is not None}
        uses = [LrUse(value, value, literal) for value, literal in draws.fixed]
        for call in info.calls:
            uses.extend(self._lr_uses(call, literals))
        for node, held, call in [] if uses else helper_rates(self.reader, info.calls):
            self._in_helpers.setdefault(node, []).append((f"the random search draws {', '.join(drawn[:4])}", held, call))
        for use in uses:
            self.report(use.node, self._message(use, f"the random search draws {', '.join(drawn[:4])}"))

    def _scope_of(self, node: cst.CSTNode) -> int:
        return id(next((a for a in self.ctx.ancestors(node) if isinstance(a, cst.FunctionDef)), self.ctx.module))

    # -- a scikit-learn search over a wrapped network ----------------------------
    def _wrapped_search(self, call: cst.Call) -> None:
        qual = self.ctx.qualify(call.func) or ""
        if qual.rsplit(".", 1)[-1] not in SEARCH_CV or not qual.startswith("sklearn.") or in_test_function(self.ctx, call):
            return
        found = wrapped_search(self.reader, call)
        if found is not None:
            use = LrUse(call, None, None, described=found.fixed)
            self.report(found.at or call, self._message(use, f"the grid varies {', '.join(found.searched[:4])}"))

    # -- a Keras Tuner hypermodel -------------------------------------------------
    def _report_hypermodel(self, model: Optional[Hypermodel]) -> None:
        held = held_rate(self.reader, model, self._hypermodels) if model is not None else None
        if held is not None:
            use = LrUse(held.node, None, None, described=held.fixed)
            self.report(held.node, self._message(use, f"{model.searched_by} tunes {', '.join(sorted(set(held.tuned))[:4])}"))  # type: ignore[union-attr]

    # -- param dicts --------------------------------------------------------
    def visit_Dict(self, node: cst.Dict) -> None:
        items = dict_items(node)
        if len(items) < 2:
            return
        if self.objectives and any(isinstance(v, cst.Call) and self._is_suggest(v) for _, v, _ in items):
            self._objective_config(items)
            return
        if self._wandb_parameters(items):
            return
        sampled = [k for k, v, _ in items if isinstance(v, cst.Call) and (self.ctx.qualify(v.func) or "") in RAY_SAMPLERS]
        if sampled:
            self._ray_space(items, sampled)
            return
        multi = [k for k, v, _ in items if (literal_size(unwrap(v)) or 0) >= 2 and not self.ctx.vocabulary.is_learning_rate(k)]
        lr_items = [(k, v) for k, v, _ in items if self.ctx.vocabulary.is_learning_rate(k)]
        if not lr_items:
            self._network_grid(node, items, multi)
            return
        if len(items) < 3 or len(multi) < 2 or len(lr_items) != 1 or trades_lr_for_iterations(multi):
            return
        key, value = lr_items[0]
        inner = unwrap(value)
        if literal_size(inner) == 1:
            inner = inner.elements[0].value  # type: ignore[attr-defined]
        literal = number(inner, self.ctx.imports)
        if literal is None or not passed_to_search(self.ctx, node):
            return
        use = LrUse(value, inner, literal)
        self.report(value, self._message(use, f"the grid varies {', '.join(multi[:4])}"))

    def _wandb_parameters(self, items) -> bool:
        """A W&B sweep's ``parameters`` (every entry a spec dict): reported when it holds the
        learning rate at one value while it searches two parameters or more (``sweep_rates``)."""
        params = wandb_parameters(items, self.ctx.imports)
        if params is None:
            return False
        found = sweep_held_rate(params, self.ctx.vocabulary)
        if found is not None and not in_test_function(self.ctx, items[0][1]):
            rate, varied = found
            use = LrUse(rate.node, None, None, described=f"a fixed learning rate of {rate.written}")
            self.report(rate.node, self._message(use, held_rate_context(varied)))
        return True

    def _ray_space(self, items, sampled: List[str]) -> None:
        """A Ray Tune search space (``tune.choice``, ``tune.randint``...) over two parameters or
        more with the learning rate a constant entry: every sample trains at that rate."""
        vocabulary = self.ctx.vocabulary
        varied = [k for k in sampled if not vocabulary.is_learning_rate(k)]
        if len(set(varied)) < 2 or len(varied) != len(sampled) or trades_lr_for_iterations(varied) or in_test_function(self.ctx, items[0][1]):
            return  # fewer than two searched, or the rate is searched too
        context = f"the Ray Tune search space samples {', '.join(varied[:4])}"
        for use in self._constant_rates(items):
            self.report(use.node, self._message(use, context))
        space = ray_space_without_rate(self.ctx, items, varied)
        if space is not None:
            self.report(space.node, self._message(space, context + " with no learning-rate key"))

    def _objective_config(self, items) -> None:
        """``config = {"batch_size": trial.suggest_...(...), "learning_rate": 1.8e-4}`` in an
        objective: the rate the trial's configuration trains with is the constant."""
        owner = self._owner()
        if not owner.tunes_lr:
            owner.uses.extend(self._constant_rates(items))

    def _constant_rates(self, items) -> List[LrUse]:
        """The dict entries that hold the learning rate as a constant (a schedule's bound is not it)."""
        uses = []
        for key, value, _ in items:
            if self.ctx.vocabulary.is_learning_rate(key) and not names_lr_bound(key):
                literal = number(value, self.ctx.imports)
                if literal is not None:
                    uses.append(LrUse(value, value, literal))
        return uses

    def _network_grid(self, node: cst.Dict, items, multi: List[str]) -> None:
        """A grid over a network's settings (dropout, weight decay) handed to a search
        function of the project's own, with no learning-rate key at all."""
        if len(multi) < 2 or not any(names_network_setting(k) for k in multi) or trades_lr_for_iterations(multi):
            return
        if any(names_optimizer_key(k) for k, _, _ in items) or in_test_function(self.ctx, node):
            return
        search = own_search_call(self.ctx, node)
        if search is None:
            return
        name = method_name(search) or "the search"
        use = LrUse(node, None, None, described=f"the one learning rate `{name}` uses (not visible here)")
        self.report(node, self._message(use, f"the grid handed to `{name}` varies {', '.join(multi[:4])} with no learning-rate key"))

    # -- shared -------------------------------------------------------------
    def _lr_uses(self, call: cst.Call, literals: Dict[str, cst.BaseExpression]) -> List[LrUse]:
        if has_star_args(call):
            return []
        launched = launched_rate(self.ctx, self.reader, call)
        if launched is not None:  # ``subprocess.run([..., "--lr", "1e-3"])``: every launched run alike
            return [LrUse(launched[0], None, None, described=launched[1])]
        compiled = compiled_optimizer_name(call)
        if compiled is not None:  # Keras: ``model.compile(optimizer="adam")`` trains at Adam's default rate
            return [LrUse(arg_value(call, 0, "optimizer"), None, None, described=default_rate_of(compiled))]  # type: ignore[arg-type]
        chosen = arg_value(call, 0, "optimizer") if method_name(call) == "compile" and isinstance(call.func, cst.Attribute) else None
        if isinstance(chosen, cst.Name):
            chosen = self.objectives[-1].local_choices.get(chosen.value) if self.objectives else None
        if isinstance(chosen, cst.Call) and self._is_suggest(chosen) and names_optimizers(chosen, self.reader):
            return [LrUse(call, None, None, described="each optimizer's default learning rate")]  # a choice among names
        optimizer = optimizer_made(self.ctx, call)
        found: List[LrUse] = []
        for a in call.args:
            # ``lr=...``, or a name for a learning rate passed positionally: ``build_model(x, learning_rate)``
            named = a.keyword.value if a.keyword is not None else getattr(a.value, "value", None)
            if a.keyword is None and not isinstance(a.value, cst.Name):
                continue
            if not self.ctx.vocabulary.is_learning_rate(named) or names_lr_bound(named):
                continue
            value = a.value
            if isinstance(value, cst.Name) and value.value in literals:
                value = literals[value.value]
            elif isinstance(value, cst.Name):
                value = one_constant(self.reader, value) or value  # a module constant, a parameter always given one value
            elif isinstance(value, cst.Subscript):
                value = keyed_constant(self.reader, value) or value  # ``CONFIG["lr"]`` of a dict literal never changed
            literal = number(value, self.ctx.imports)
            trains = optimizer is not None or is_training_call(call) or is_estimator(call) or builds_model(method_name(call))
            if literal is not None and trains:
                found.append(LrUse(a, value, literal, optimizer))
            setting = command_line_setting(self.ctx, value, self.objectives[-1].node) if literal is None and trains and self.objectives else None
            if setting is not None:  # ``lr=args.lr``: one value per process, every trial alike
                found.append(LrUse(a, None, None, optimizer, described=f"the command-line setting `{setting}`, the same in every trial", once=setting))
            return found
        if optimizer is not None:
            qual = self.ctx.qualify(call.func) or ""
            if qual.startswith("torch.optim."):
                second = arg_value(call, 1)
                if second is not None:
                    literal = number(second, self.ctx.imports)
                    if literal is not None:
                        found.append(LrUse(call, second, literal, optimizer))
                    return found
            elif arg_value(call, 0) is not None and not qual.startswith("torch"):
                return found  # keras/optax: the first positional is the learning rate
            found.append(LrUse(call, None, OPTIMIZERS.get(optimizer), optimizer))
        return found

    def _message(self, use: LrUse, context: str) -> str:
        if use.described is not None:
            fixed = use.described
        elif use.literal is None:
            default = f" ({format_number(use.value)})" if use.value is not None else ""
            fixed = f"{use.optimizer}'s default learning rate{default}"
        else:
            fixed = f"a fixed learning rate of {self.ctx.code_for(use.literal)}"
        return not_tuned_message(context, fixed)

