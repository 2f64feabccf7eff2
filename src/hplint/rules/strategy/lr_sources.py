"""Where HPL103 finds a search's learning rate held fixed, besides a keyword
in a training call: a random-search loop that writes its draws into a config
(``params["hidden"] = np.random.randint(...)``, ``params["lr"] = 0.003``), and
a scikit-learn search over a wrapped network (``KerasClassifier``, skorch's
``NeuralNetClassifier``) whose grid has no learning-rate key, so the wrapper's
or the optimizer's default runs in every trial."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple, Union

from hplint.core import memo
from hplint.prefilter.triggers import Names
from hplint.reading.calls import arg_value, dict_items, has_star_args, method_name, string_value, subscript_key
from hplint.reading.draws import is_random_draw, may_draw
from hplint.reading.flow import Origin
from hplint.reading.numbers import format_number, number
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, name_tokens, names_network_setting, normalize
from hplint.rules.pruning.facts import FileFacts
from hplint.rules.strategy.axes import ast_unwrap
from hplint.rules.strategy.grids import hyperparameter_name
from hplint.rules.strategy.launched_rates import one_launched_rate

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

ITERATION_COUNTS = frozenset(
    {"n_estimators", "num_boost_round", "num_boost_rounds", "num_iterations", "num_iteration", "iterations", "n_iter", "max_iter", "num_rounds", "nrounds", "num_trees", "n_trees"}
)
# scikit-learn searches a wrapped network is handed to
SEARCH_CV = frozenset({"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV"})
KERAS_WRAPPERS = frozenset({"KerasClassifier", "KerasRegressor"})
SKORCH_WRAPPERS = frozenset({"NeuralNet", "NeuralNetClassifier", "NeuralNetRegressor", "NeuralNetBinaryClassifier"})
WRAPPER_ROOTS = ("scikeras", "keras", "tensorflow", "skorch")
# defaults that are the same in Keras 2 and 3 and tf.keras: the others changed between versions
KERAS_DEFAULT_LR = {"adam": ("Adam", 0.001), "rmsprop": ("RMSprop", 0.001), "sgd": ("SGD", 0.01)}
# the optimizers Keras's ``compile(optimizer="...")`` takes by name: each trains at its own default rate
KERAS_OPTIMIZER_NAMES = frozenset({"adam", "adamw", "sgd", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "lion", "adafactor"})
SKORCH_DEFAULT_LR = 0.01  # ``NeuralNet(lr=0.01)``, passed on to the optimizer
MLP_DEFAULT_LR = 0.001  # scikit-learn's MLPClassifier/MLPRegressor ``learning_rate_init``


def names_mlp_layers(name: str) -> bool:
    """``hidden_layer_sizes`` (``model__hidden_layer_sizes``): the grid is over scikit-learn's MLP."""
    return name.rsplit("__", 1)[-1] == "hidden_layer_sizes"


# a grid key that makes a search one over scikit-learn's MLP (what ``_mlp_search`` reads)
MLP_GRID_KEYS = Names(names_mlp_layers, "MLP layer sizes", marks=lambda text, lowered: "hidden_layer_sizes" in text)
LR_KEYWORDS = ("lr", "learning_rate", "optimizer__lr", "optimizer__learning_rate")


def not_tuned_message(context: str, fixed: str) -> str:
    """HPL103's message, for a search in Python and in a sweep file alike."""
    return (
        f"learning rate not tuned: {context} but trains with {fixed}; the learning rate "
        "typically has the largest effect on accuracy of any hyperparameter (7-20x more "
        "than width) - tune it first, log-uniformly over ~3 decades, before the architecture"
    )


def trades_lr_for_iterations(tuned: Sequence[str]) -> bool:
    """Boosting: fixing the learning rate and tuning the number of trees is a standard strategy."""
    return any(normalize(name) in ITERATION_COUNTS for name in tuned)


# -- random-search loops --------------------------------------------------------


@dataclass
class LoopDraws:
    """What one pass of a random-search loop draws, and the learning rates it writes as constants."""

    drawn: List[str]
    fixed: List[Tuple[cst.BaseExpression, float]]  # a config entry ``params["lr"] = 0.003``


def random_draws(ctx, loop: cst.For) -> LoopDraws:
    """Hyperparameters a loop body draws at random: ``hidden = random.choice([...])``,
    ``params["hidden"] = np.random.randint(...)``, ``config = {"hidden": random.choice(...), ...}``;
    and, in the configs it fills, learning rates given as constants."""
    found = LoopDraws([], [])
    if not isinstance(loop.body, cst.IndentedBlock):
        return found
    filled: set = set()  # configs the loop writes draws into
    entries: List[Tuple[str, str, cst.BaseExpression]] = []  # (config, key, value)
    for stmt in loop.body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                continue
            target, value = small.targets[0].target, small.value
            if isinstance(target, cst.Name) and is_random_draw(ctx, value):
                if hyperparameter_name(target.value, ctx.vocabulary):
                    found.drawn.append(target.value)
            elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                key = subscript_key(target)
                if key is not None:
                    entries.append((target.value.value, key, value))
            elif isinstance(target, cst.Name) and isinstance(value, cst.Dict):
                entries.extend((target.value, key, v) for key, v, _ in dict_items(value))
    for config, key, value in entries:
        if is_random_draw(ctx, value) and hyperparameter_name(key, ctx.vocabulary):
            found.drawn.append(key)
            filled.add(config)
    for config, key, value in entries:
        literal = number(value, ctx.imports)
        if config in filled and literal is not None and ctx.vocabulary.is_learning_rate(key):
            found.fixed.append((value, literal))
    return found


def ast_draws(loop: ast.AST) -> Tuple[int, bool]:
    """``random_draws`` on the ``ast``: how many hyperparameters the loop's
    body may draw, and whether a config entry there holds a constant learning rate."""
    drawn, fixed = 0, False
    for stmt in loop.body:  # type: ignore[attr-defined]
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            continue
        target, value = stmt.targets[0], stmt.value
        pairs: List[Tuple[str, ast.AST]] = []
        if isinstance(target, ast.Name) and not isinstance(value, ast.Dict):
            pairs = [(target.id, value)]
        elif isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
            pairs = [(target.slice.value, value)]
        elif isinstance(target, ast.Name) and isinstance(value, ast.Dict):
            pairs = [(k.value, v) for k, v in zip(value.keys, value.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        for name, expr in pairs:
            if may_draw(expr) and hyperparameter_name(name, DEFAULT_VOCABULARY):
                drawn += 1
            elif not isinstance(target, ast.Name) or isinstance(value, ast.Dict):
                fixed = fixed or DEFAULT_VOCABULARY.is_learning_rate(name)
    return drawn, fixed


# -- a search over a wrapped network ----------------------------------------------


@dataclass
class WrappedSearch:
    searched: List[str]  # grid keys with several values
    fixed: str  # how the learning rate is held: "Adam's default learning rate (0.001)"
    at: Optional[cst.CSTNode] = None  # where the grid is written, when it is one of a dict of grids


def wrapped_search(reader, call: cst.Call, least: int = 2) -> Optional[WrappedSearch]:
    """``GridSearchCV(KerasClassifier(...), grid)`` with no learning rate in the grid,
    searching ``least`` parameters or more (HPL402 asks for one: the batch size alone)."""
    ctx = reader.ctx
    estimator = arg_value(call, 0, "estimator")
    grid = arg_value(call, 1, "param_grid") or arg_value(call, None, "param_distributions")
    if estimator is None or grid is None:
        return None
    mlp = _mlp_search(reader, grid)
    if mlp is not None:
        return mlp or None
    wrapper = _one_call(reader, estimator)
    grids = reader.dict_dims(grid)
    if wrapper is None or not grids or has_star_args(wrapper):
        return None
    keys = [d.name for g in grids for d in g]
    if any(ctx.vocabulary.is_learning_rate(k) for k in keys):
        return None  # tuned, or a single value the grid rule reports
    searched = list(dict.fromkeys(d.name for g in grids for d in g if d.size is None or d.size >= 2))
    if len(searched) < least or trades_lr_for_iterations(searched):
        return None  # one searched parameter: fine-tuning around a chosen learning rate
    qual = ctx.qualify(wrapper.func) or ""
    short = qual.rsplit(".", 1)[-1]
    if not qual.startswith(WRAPPER_ROOTS):
        return None
    given = _given_lr(reader, wrapper)
    if given is not None:
        return WrappedSearch(searched, given) if given else None
    if short in SKORCH_WRAPPERS:
        return WrappedSearch(searched, f"skorch's default learning rate ({format_number(SKORCH_DEFAULT_LR)})")
    if short not in KERAS_WRAPPERS:
        return None
    fixed = _keras_optimizer(reader, wrapper, keys)
    return WrappedSearch(searched, fixed) if fixed else None


def _mlp_search(reader, grid: cst.BaseExpression) -> Union[WrappedSearch, bool, None]:
    """A grid over scikit-learn's MLPClassifier/MLPRegressor, known by its
    ``hidden_layer_sizes`` key (``model__hidden_layer_sizes`` in a pipeline), with
    no ``learning_rate_init``: the sgd and adam solvers train at its default, 0.001
    (``learning_rate`` there names the schedule).  None: not such a grid; False:
    one that sets the rate, runs only lbfgs (no rate), or varies one parameter."""
    candidates = [grid]
    inner = reader.strip(grid)
    for origin in reader.flow.origins(inner) if isinstance(inner, (cst.Name, cst.Attribute)) else [Origin(inner)]:
        candidates.extend(reader.flow.members(origin.value) or [])  # ``grids[name]`` in a loop over models
    for index, candidate in enumerate(candidates):
        grids = reader.dict_dims(candidate)
        dims = {d.name.rsplit("__", 1)[-1]: d for g in grids or () for d in g}
        if "hidden_layer_sizes" not in dims:
            continue
        solvers = _strings(dims["solver"].values) if "solver" in dims else ["adam"]
        searched = list(dict.fromkeys(d.name for g in grids for d in g if d.counts))
        if "learning_rate_init" in dims or not solvers or set(solvers) <= {"lbfgs"} or len(searched) < 2:
            return False
        fixed = f"scikit-learn MLP's default learning_rate_init ({format_number(MLP_DEFAULT_LR)})"
        return WrappedSearch(searched, fixed, candidate if index else None)
    return None


def _strings(values: Optional[cst.BaseExpression]) -> List[str]:
    if not isinstance(values, (cst.List, cst.Tuple)):
        return []
    found = [string_value(e.value) for e in values.elements]
    return [f for f in found if f is not None] if None not in found else []


def _one_call(reader, expr: cst.BaseExpression) -> Optional[cst.Call]:
    inner = reader.strip(expr)
    if isinstance(inner, (cst.Name, cst.Attribute)):
        values = [o.value for o in reader.flow.origins(inner)]
        inner = values[0] if len(values) == 1 else None
    return inner if isinstance(inner, cst.Call) else None


def _given_lr(reader, call: cst.Call) -> Optional[str]:
    """A learning rate the call sets: its text ('' when it is not a constant), or None."""
    for a in call.args:
        if a.keyword is not None and a.keyword.value in LR_KEYWORDS:
            value = reader.number(a.value)
            return f"a fixed learning rate of {reader.ctx.code_for(a.value)}" if value is not None else ""
    return None


def names_optimizers(choice: cst.Call, reader=None) -> bool:
    """A ``Choice``/``suggest_categorical`` among optimizer names only: each runs at its default rate.
    With a ``reader``, a name bound to the list is read too (``optimizer_types = ["sgd", "adam"]``)."""
    if method_name(choice) not in ("Choice", "suggest_categorical") or has_star_args(choice):
        return False
    values = arg_value(choice, 1, "values") or arg_value(choice, 1, "choices")
    if isinstance(values, cst.Name) and reader is not None:
        values = reader.lookup(values)
    if not isinstance(values, (cst.List, cst.Tuple)) or not values.elements:
        return False
    names = [string_value(e.value) for e in values.elements]
    return all(n is not None and n.lower() in KERAS_OPTIMIZER_NAMES for n in names)


def compiled_optimizer_name(call: cst.Call) -> Optional[str]:
    """``model.compile(optimizer="adam")``: the optimizer a Keras model is compiled with by name."""
    if method_name(call) != "compile" or not isinstance(call.func, cst.Attribute) or has_star_args(call):
        return None
    name = string_value(arg_value(call, 0, "optimizer"))
    return name if name is not None and name.lower() in KERAS_OPTIMIZER_NAMES else None


def default_rate_of(name: str) -> str:
    known = KERAS_DEFAULT_LR.get(name.lower())
    if known is not None:
        return f"{known[0]}'s default learning rate ({format_number(known[1])})"
    return f"{name}'s default learning rate"


def _keras_optimizer(reader, wrapper: cst.Call, keys: List[str]) -> Optional[str]:
    """The learning rate a Keras model compiled by the wrapped build function trains with."""
    optimizer = arg_value(wrapper, None, "optimizer")
    if optimizer is not None:
        name = string_value(optimizer)
        return default_rate_of(name) if name else None
    build = arg_value(wrapper, 0, "model") or arg_value(wrapper, None, "build_fn")
    if not isinstance(build, cst.Name):
        return None
    unseen = f"the learning rate `{build.value}` compiles with (not visible here), which no grid key varies"
    if not reader.flow.functions.get(build.value):
        return unseen if build.value in reader.ctx.imports.aliases else None  # imported from another module
    scope = reader.flow.function_at(build.value, wrapper)
    if scope is None:
        return None
    if not any(isinstance(n, cst.Call) and method_name(n) == "compile" for n in descendants(scope.node.body)):
        return unseen  # a build function that does not compile here (an unfinished exercise, a helper's job)
    held = compiled_learning_rate(reader, scope, keys)
    return held[1] if held is not None else None


KERAS_OPTIMIZER_SPELLINGS = ("Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl")
KERAS_OPTIMIZER_CLASSES = frozenset(k.lower() for k in KERAS_OPTIMIZER_SPELLINGS)


def _optimizer_class(reader, call: cst.Call) -> Optional[str]:
    """``Adam(...)``, ``keras.optimizers.SGD(...)``: the optimizer class a call makes, or None."""
    cls = (reader.ctx.qualify(call.func) or method_name(call) or "").rsplit(".", 1)[-1]
    return cls if cls.lower() in KERAS_OPTIMIZER_CLASSES else None


def _returned_builder(reader, scope):
    """The scope of the plain function of this file a build function returns the result of."""
    returns = [n for n in descendants(scope.node.body) if isinstance(n, cst.Return)]
    if len(returns) != 1 or not isinstance(returns[0].value, cst.Call) or not isinstance(returns[0].value.func, cst.Name):
        return None
    scopes = reader.flow.functions.get(returns[0].value.func.value, [])
    if len(scopes) != 1 or scopes[0].klass is not None or scopes[0] is scope:
        return None
    return scopes[0]


def compiled_learning_rate(reader, scope, keys: Sequence[str], helper: bool = False) -> Optional[Tuple[cst.CSTNode, str]]:
    """How the one ``model.compile(optimizer=...)`` of a build function holds the learning
    rate, with the node that sets it: ``"adam"`` -> Adam's default, ``Adam(learning_rate=1e-3)``
    -> a fixed rate.  None when it is tuned (a searched key, an ``hp.*`` call), or unknown.
    A build function that compiles nothing and returns a model factory's result
    (``return build_model(units)``) is read through that factory (``helper``), where an
    optimizer set from the factory's parameters is left unknown."""
    compiles = [n for n in descendants(scope.node.body) if isinstance(n, cst.Call) and method_name(n) == "compile"]
    if not compiles and not helper:
        made_by = _returned_builder(reader, scope)  # ``return build_model(units)``: a model factory of this file
        if made_by is not None:
            return compiled_learning_rate(reader, made_by, keys, helper=True)
        built = [n for n in descendants(scope.node.body) if isinstance(n, cst.Call) and _optimizer_class(reader, n) in KERAS_OPTIMIZER_SPELLINGS]
        if len(built) != 1:
            return None
        chosen: Optional[cst.BaseExpression] = built[0]  # ``opt = Adagrad(learning_rate=0.0015)`` handed to a builder elsewhere
    elif len(compiles) != 1:
        return None
    else:
        chosen = arg_value(compiles[0], 0, "optimizer")
    if chosen is None:
        return None
    at: cst.CSTNode = chosen
    params = {p.name.value: p for p in scope.params}
    if helper and any(isinstance(n, cst.Name) and n.value in params for n in (chosen, *descendants(chosen))):
        return None  # the factory's caller decides: what it passes is not read here
    searched_keys = {normalize(k) for k in keys}
    if isinstance(chosen, cst.Name) and chosen.value in params:
        if normalize(chosen.value) in searched_keys:
            return (at, "each optimizer's default learning rate")
        default = params[chosen.value].default
        name = string_value(default) if default is not None else None
        return (at, default_rate_of(name)) if name else None
    if isinstance(chosen, cst.Name):
        chosen = reader.lookup(chosen) or chosen
    declared = _declared(scope, chosen)  # ``hp.get("optimizer")`` of ``hp.Choice("optimizer", [...])``
    if declared is not None:
        return (at, declared)
    name = string_value(chosen)
    if name:
        return (at, default_rate_of(name))
    if isinstance(chosen, cst.Call) and names_optimizers(chosen, reader):  # ``hp.Choice("optimizer", ["adam", "sgd"])``
        return (at, "each optimizer's default learning rate")
    if not isinstance(chosen, cst.Call) or has_star_args(chosen):
        return None
    cls = _optimizer_class(reader, chosen)
    if cls is None:
        return None
    rate = arg_value(chosen, 0, "learning_rate") or arg_value(chosen, None, "lr")
    if rate is None:
        return (at, default_rate_of(cls))
    if isinstance(rate, cst.Name) and rate.value in params:
        if normalize(rate.value) in searched_keys:
            return None
        rate = params[rate.value].default
    value = reader.number(rate) if rate is not None else None
    if value is None:
        return None
    written = reader.lookup(rate) if isinstance(rate, cst.Name) else None
    if written is not None and reader.ctx.parent(written) is not None and reader.number(written) == value:
        # ``init_lr = 0.001`` then ``Nadam(lr=init_lr)``: where the rate is written
        return (written, f"a fixed learning rate of {rate.value} = {reader.ctx.code_for(written).strip()}")  # type: ignore[union-attr]
    return (rate, f"a fixed learning rate of {reader.ctx.code_for(rate)}")  # type: ignore[arg-type]


def _declared(scope, chosen: cst.BaseExpression) -> Optional[str]:
    """How ``hp.get("optimizer")`` holds the rate where every ``hp.Choice``/``hp.Fixed`` of the
    build function declaring that label names optimizers: their defaults; None otherwise."""
    if not isinstance(chosen, cst.Call) or method_name(chosen) != "get" or not isinstance(chosen.func, cst.Attribute):
        return None
    label = string_value(arg_value(chosen, 0, "name"))
    declared = [
        n for n in descendants(scope.node.body)
        if isinstance(n, cst.Call) and method_name(n) in ("Choice", "Fixed") and label is not None and string_value(arg_value(n, 0, "name")) == label
    ]
    fixed = [string_value(arg_value(n, 1, "value")) for n in declared if method_name(n) == "Fixed"]
    if not declared or not all(names_optimizers(n) for n in declared if method_name(n) == "Choice"):
        return None
    if not all(f is not None and f.lower() in KERAS_OPTIMIZER_NAMES for f in fixed):
        return None
    return default_rate_of(fixed[0]) if len(declared) == 1 and fixed else "each optimizer's default learning rate"  # type: ignore[arg-type]


def grid_ablation(ctx, objective: cst.FunctionDef) -> bool:
    """The objective is run by a study with a ``GridSampler``: an ablation that measures every
    configuration of its grid, at a rate held on purpose (as HPL301 and HPL702 read it)."""
    facts = ctx.facts(FileFacts)
    return any(study is not None and facts.is_grid(study) for study in facts.studies_of(objective))


# -- what HPL103's prefilter reads of a grid dict (``ast``) ------------------------------


def lr_grid_shape(node: ast.AST) -> bool:
    """``visit_Dict``'s grid: >= 3 string keys, one learning rate, two value lists beside it."""
    items = [(k.value, v) for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)]  # type: ignore[attr-defined]
    if len(items) < 3:
        return False
    lrs = [k for k, _ in items if DEFAULT_VOCABULARY.is_learning_rate(k)]
    multi = [k for k, v in items if not DEFAULT_VOCABULARY.is_learning_rate(k) and literal_len(v) >= 2]
    return len(lrs) == 1 and len(multi) >= 2 and not trades_lr_for_iterations(multi)


def network_grid_shape(node: ast.AST) -> bool:
    """``visit_Dict``'s grid with no learning rate: two value lists or more, one of them a
    network's setting (dropout, momentum, weight decay), and no learning-rate or optimizer key."""
    keys = [(k.value, v) for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)]  # type: ignore[attr-defined]
    multi = [k for k, v in keys if literal_len(v) >= 2]
    return (
        len(multi) >= 2
        and any(names_network_setting(k) for k in multi)
        and not any(DEFAULT_VOCABULARY.is_learning_rate(k) or names_optimizer_key(k) for k, _ in keys)
        and not trades_lr_for_iterations(multi)
    )


def names_optimizer_key(name: str) -> bool:
    """A key choosing the optimizer or solver: each then trains at its own default rate."""
    return bool(name_tokens(name) & {"optimizer", "optimiser", "optim", "opt", "solver"})


def literal_len(expr: ast.AST) -> int:
    """``literal_size(unwrap(...))`` of an ``ast`` value."""
    expr = ast_unwrap(expr)
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and not any(isinstance(e, ast.Starred) for e in expr.elts):
        return len(expr.elts)
    return 0


def keyed_constant(reader, read: cst.Subscript) -> Optional[cst.BaseExpression]:
    """``CONFIG["lr"]``: the number a dict literal of this file holds under the key, where
    the dict's name is only ever read by key (never given a key, updated or handed on)."""
    key = subscript_key(read)
    if key is None or not isinstance(read.value, cst.Name) or not _only_read_by_key(reader.ctx, read.value.value):
        return None
    held = reader.flow.value(read.value)
    found = [v for k, v, _ in dict_items(held) if k == key] if isinstance(held, cst.Dict) else []
    return found[0] if len(found) == 1 and number(found[0], reader.ctx.imports) is not None else None


def _only_read_by_key(ctx, name: str) -> bool:
    """``name`` is bound once and every other use reads a key of it."""
    table = memo.table("read-by-key")
    if table is not None and name in table:
        return table[name]
    uses = [n for n in descendants(ctx.module) if isinstance(n, cst.Name) and n.value == name]
    bindings = [n for n in uses if isinstance(ctx.parent(n), cst.AssignTarget)]
    reads = [n for n in uses if isinstance(ctx.parent(n), cst.Subscript) and ctx.parent(n).value is n]
    stores = [r for r in reads if isinstance(ctx.parent(ctx.parent(r)), (cst.AssignTarget, cst.AugAssign, cst.Del))]
    found = len(bindings) == 1 and not stores and len(bindings) + len(reads) == len(uses)
    if table is not None:
        table[name] = found
    return found


def factory_rates(reader, func: cst.FunctionDef, trial: Optional[str], keys: Sequence[str]) -> List[Tuple[cst.Call, Tuple[cst.CSTNode, str]]]:
    """The calls in an objective of a plain function of this file, not given the trial, that
    compiles at a rate ``compiled_learning_rate`` reads (``model = get_mlp(h1, d1)``), with that rate."""
    found = []
    for call in (n for n in descendants(func.body) if isinstance(n, cst.Call) and isinstance(n.func, cst.Name)):
        scopes = reader.flow.functions.get(call.func.value, [])
        if len(scopes) != 1 or scopes[0].klass is not None or scopes[0].node is func:
            continue
        if any(isinstance(a.value, cst.Name) and a.value.value == trial for a in call.args):
            continue  # handed the trial: its own suggestions are read as an objective's
        held = compiled_learning_rate(reader, scopes[0], keys, helper=True)
        if held is None:  # ``run_training()`` launching ``--lr 5e-3``
            held = one_launched_rate(reader.ctx, reader, scopes[0].node)
        if held is not None:
            found.append((call, held))
    return found


# Ray Tune's sampling functions: a dict that holds them is a search space
RAY_SAMPLERS = frozenset(
    f"ray.tune.{name}"
    for name in ("choice", "uniform", "quniform", "loguniform", "qloguniform", "randint", "qrandint", "lograndint", "qlograndint", "randn", "qrandn", "grid_search", "sample_from")
)
