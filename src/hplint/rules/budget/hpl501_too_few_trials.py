"""HPL501: too few trials for a model-based sampler to get past its random warm-up."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from hplint.core.registry import register
from hplint.core.rule import Example, Option, Rule
from hplint.prefilter.triggers import Calls, DictKeys, Imports
from hplint.reading.calls import arg, arg_value, has_star_args, method_name, string_value
from hplint.reading.flow import Flow
from hplint.reading.numbers import number
from hplint.reading.objectives import BAYES_OPT
from hplint.reading.reaching import reaching
from hplint.rules.budget.facts import call_sites, enclosing_function, hyperopt_count, keras_count, optuna_count
from hplint.rules.budget.skopt import BAYES_SEARCH, MINIMIZERS, SKOPT_CALLS, gives_n_iter, gives_warm_up, skopt_search
from hplint.rules.budget.wandb_agents import COUNT_POSITION, bayes_agent

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "budget"

# Optuna samplers that fit a model to past trials, with the number of random
# start-up trials each one draws before its model is used.
MODEL_SAMPLERS: Dict[str, Tuple[str, int]] = {
    "TPESampler": ("TPE", 10),
    "GPSampler": ("GP", 10),
    "BoTorchSampler": ("BoTorch", 10),
    "CmaEsSampler": ("CMA-ES", 1),
}
STUDY_FACTORIES = ("optuna.create_study", "optuna.load_study", "optuna.study.create_study", "optuna.study.load_study")
HYPEROPT_TPE = "hyperopt.tpe.suggest"
HYPERAS_MINIMIZE = "hyperas.optim.minimize"  # hyperas runs hyperopt's fmin on its template's space
HYPEROPT_STARTUP = 20  # hyperopt's tpe.suggest: n_startup_jobs=20
KERAS_BAYES = frozenset(
    {
        "keras_tuner.BayesianOptimization", "keras_tuner.tuners.BayesianOptimization",
        "kerastuner.BayesianOptimization", "kerastuner.tuners.BayesianOptimization",
        "keras_tuner.oracles.BayesianOptimizationOracle", "kerastuner.oracles.BayesianOptimizationOracle",
        "keras_tuner.oracles.BayesianOptimization", "kerastuner.oracles.BayesianOptimization",  # the oracle's short name
    }
)
# Ray Tune searchers that fit a model, with their random warm-up: (label, default,
# its parameter, its position); ``points_to_evaluate`` is the fourth for all three.
RAY_SEARCHERS: Dict[str, Tuple[str, int, str, int]] = {
    "HyperOptSearch": ("Ray's HyperOptSearch", 20, "n_initial_points", 4),
    "BayesOptSearch": ("Ray's BayesOptSearch", 10, "random_search_steps", 6),
    "OptunaSearch": ("Ray's OptunaSearch", 10, "sampler", 4),
}
RAY_RUNS = ("ray.tune.run", "ray.tune.tune.run")
BAYES_OPT_DEFAULTS = (5, 25)  # ``maximize(init_points=5, n_iter=25)``
RAY_RANDOM = "Ray's default random search (no search_alg)"
DEFAULT_MIN_TRIALS = 20


@dataclass(frozen=True)
class Sampler:
    """A model-based sampler and its random warm-up length (None: depends on the space)."""

    label: str
    startup: Optional[int]
    startup_name: str
    random_alternative: str = "RandomSampler"
    startup_note: Optional[str] = None  # how the warm-up length was found, when not written
    refusal: Optional[str] = None  # what the library does with a budget below its warm-up


WANDB_BAYES = Sampler(
    "the W&B Bayesian sweep (`method: bayes`)", None, "", "`method: random`",
    "its Gaussian-process model is fit to the runs finished so far, so with this few runs it has little to fit",
)


def _stored(study: cst.BaseExpression) -> bool:
    """A study kept in storage (``storage=``, ``load_if_exists=True``, ``load_study``): binding it
    again resumes the same study, whose trials add up."""
    if not isinstance(study, cst.Call):
        return True
    if method_name(study) == "load_study":
        return True
    return arg(study, None, "storage") is not None or arg(study, None, "load_if_exists") is not None


def _resumed(study: cst.BaseExpression) -> bool:
    """``load_study(...)``, ``create_study(storage=..., load_if_exists=True)``: a stored study each run adds to."""
    if not isinstance(study, cst.Call):
        return False
    given = arg(study, None, "load_if_exists")
    stored = arg_value(study, None, "storage") is not None
    return method_name(study) == "load_study" or (stored and given is not None and not (isinstance(given.value, cst.Name) and given.value.value == "False"))


# calls that run a function handed to them many times, in parallel: ``pool.map(work, ...)``
WORKER_CALLS = frozenset({"map", "imap", "imap_unordered", "starmap", "map_async", "starmap_async", "submit", "apply_async", "Process", "Thread", "delayed"})


def _last(qualified: Optional[str]) -> str:
    return (qualified or "").rsplit(".", 1)[-1]


def _budget_may_be_small(position: Optional[int], keyword: str, limit: Optional[int] = DEFAULT_MIN_TRIALS):
    """``where``: the budget argument is given and is not a constant at or above
    ``limit`` (a name may hold a small one; None: any budget); ``*args`` makes the rule skip the call."""

    def where(site) -> bool:
        if site.has_star_args:
            return False
        given = site.arg(position, keyword)
        if given is None:
            return False
        if isinstance(given, ast.Constant) and limit is not None:
            value = given.value
            return isinstance(value, (int, float)) and not isinstance(value, bool) and value < limit
        return True

    return where


def _gives(*keywords: str):
    """``where``: the call sets one of ``keywords`` (a warm-up longer than its default)."""

    def where(site) -> bool:
        return any(site.arg(None, k) is not None for k in keywords)

    return where


@register
class TooFewTrials(Rule):
    code = "HPL501"
    name = "too-few-trials-for-sampler"
    family = FAMILY
    summary = "Too few trials for a model-based sampler (TPE, GP, CMA-ES, Bayesian optimization)"
    why = (
        "Model-based samplers start with random trials and only then fit a model: "
        "Optuna's default TPE draws its first 10 trials at random (n_startup_trials=10), "
        "GPSampler likewise 10, hyperopt's tpe.suggest 20 (n_startup_jobs=20; also under hyperas's "
        "`optim.minimize`), and Keras "
        "Tuner's BayesianOptimization 3 per hyperparameter. A study with n_trials=8 is a "
        "random search that never reaches its model, and Bayesian optimization needs 20+ "
        "trials to warm up before it beats random search. With 1–2 hyperparameters and a "
        "small budget, a manual learning-rate sweep (4 values a decade apart, then a refinement "
        "around the best) spends none of it on a random warm-up (the message says so only when "
        "it counts every hyperparameter and finds 1 or 2); otherwise budget at least 20 trials, "
        "or say what you mean with RandomSampler. "
        "Reported: a budget (`n_trials`, `max_evals`, `max_trials`, the `count` of a `wandb.agent` "
        "running a `method: bayes` sweep created in the same file) below `min-trials`, or no longer "
        "than the sampler's random warm-up (hyperopt's `max_evals=20` with tpe.suggest), written as a "
        "constant, a name bound once in the file (`N_TRIALS = 15`), a key of a dict literal bound "
        "once (`CONFIG[\"n_trials\"]`), an attribute set once (`self.trials = 7` in `__init__`), or a "
        "parameter of the enclosing function that every call "
        "of it in this module passes as such a constant (`def run_search(max_evals): fmin(..., "
        "max_evals=max_evals)` then `run_search(max_evals=10)`: reported at that call; one call "
        "followed). The message counts the hyperparameters when every name is a literal and none is "
        "suggested in a branch (a trial samples one branch's, not their sum; \"at "
        "least N\" when the trial also reaches a function not defined in the file): the "
        "`suggest_*` calls of the objective `study.optimize` runs (a name, a lambda or "
        "`functools.partial` handing it the trial, a bound method, a class's `__call__`, a "
        "factory's inner function, a variable holding one of these) and of the helpers it gives "
        "the trial, a hyperopt space's `hp.*` labels, or a Keras Tuner build function's "
        "`hp.Int/Float/Choice/Boolean` (then `num_initial_points` defaults to 3 per hyperparameter). "
        "Not reported: budgets from the command line or a config file, a parameter left to its "
        "default or given in a loop, a study optimized more than once or inside a loop (the "
        "budget adds up), a stored study (`load_study`, `storage=` with `load_if_exists=True`) in a "
        "function handed to workers (`pool.map(work, ...)`, `executor.submit`: each adds its trials), a `BayesianOptimization` maximized again (its Gaussian process keeps "
        "every evaluation), unknown or random samplers. "
        "Ray Tune: `num_samples` of `tune.run(...)` or `tune.TuneConfig(...)` whose `search_alg` is "
        "HyperOptSearch (n_initial_points=20), BayesOptSearch (random_search_steps=10) or "
        "OptunaSearch (its Optuna sampler's warm-up; TPE's 10 by default), also through "
        "`ConcurrencyLimiter`; not when `points_to_evaluate` seeds the search. bayes_opt: "
        "`maximize(init_points=..., n_iter=...)` (defaults 5 and 25) of a `BayesianOptimization`, "
        "whose first `init_points` evaluations are random. scikit-optimize: `n_calls` of `gp_minimize`, "
        "`forest_minimize` or `gbrt_minimize` (n_initial_points=10, or the deprecated `n_random_starts`; "
        "dimensions counted from a literal list of `Real`/`Integer`/`Categorical` or tuples), and "
        "`n_iter` of `BayesSearchCV` over one dict (its optimizer's n_initial_points=10 unless "
        "`optimizer_kwargs` sets it); not `dummy_minimize` (random search), nor a search seeded with `x0`."
    )
    options = (
        Option("min-trials", int, DEFAULT_MIN_TRIALS, "Fewest trials a model-based sampler should get before HPL501 is quiet.", minimum=1),
    )
    demonstration = "budget"
    # a report is a budget below the minimum for a model-based sampler: Optuna
    # (a study factory and an optimize call), hyperopt's fmin, Keras Tuner's BayesianOptimization
    trigger = (
        (
            (Calls("optimize", method=True, where=_budget_may_be_small(1, "n_trials")) | (Calls("optimize", method=True) & Calls(*MODEL_SAMPLERS, where=_gives("n_startup_trials"))))
            & Calls("create_study", "load_study")
            & Imports("optuna")
        )
        | (
            (Calls("fmin", where=_budget_may_be_small(3, "max_evals", HYPEROPT_STARTUP + 1)) | (Calls("fmin") & Calls("partial", where=_gives("n_startup_jobs"))))
            & Imports("hyperopt")
        )
        | (Calls("minimize", method=True, where=_budget_may_be_small(3, "max_evals", HYPEROPT_STARTUP + 1)) & Imports("hyperas"))
        | (
            # the warm-up grows with the hyperparameters (3 each): any budget may be short
            (Calls("BayesianOptimization", where=_budget_may_be_small(2, "max_trials", None)) | Calls("BayesianOptimizationOracle", where=_budget_may_be_small(1, "max_trials", None)))
            & Imports("keras_tuner", "kerastuner")
        )
        | (Imports("bayes_opt") & Calls("maximize", method=True) & Calls("BayesianOptimization"))
        | (Imports("wandb") & Calls("agent", where=_budget_may_be_small(COUNT_POSITION, "count")) & Calls("sweep"))
        | (
            # scikit-optimize: a budget below the minimum, or a warm-up set by hand (longer than the budget)
            Imports("skopt")
            & (
                Calls(*MINIMIZERS, where=_budget_may_be_small(3, "n_calls"))
                | Calls(*MINIMIZERS, where=gives_warm_up)
                | Calls(BAYES_SEARCH, where=_budget_may_be_small(3, "n_iter"))
                | (Calls(BAYES_SEARCH, where=gives_n_iter) & DictKeys("n_initial_points"))
                | (Calls(BAYES_SEARCH, where=gives_n_iter) & DictKeys("n_random_starts"))
            )
        )
        | (
            Imports("ray")  # the cheap test first
            & (
                (Calls(*RAY_SEARCHERS) & Calls("run", "TuneConfig", where=_budget_may_be_small(None, "num_samples", HYPEROPT_STARTUP + 1)))
                | (Calls(*RAY_SEARCHERS, *MODEL_SAMPLERS, where=_gives("n_initial_points", "random_search_steps", "n_startup_trials")) & Calls("run", "TuneConfig"))
            )
        )
    )
    bad_examples = (
        Example(
            """
            import optuna

            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=8)
            """,
            note="TPE's first 10 trials are random: this study never uses its model.",
        ),
        Example(
            """
            from hyperopt import fmin, tpe

            best = fmin(train, space, algo=tpe.suggest, max_evals=15)
            """
        ),
        Example(
            """
            import keras_tuner as kt

            tuner = kt.BayesianOptimization(build_model, objective="val_accuracy", max_trials=6)
            """
        ),
        Example(
            """
            from ray import tune
            from ray.tune.search.hyperopt import HyperOptSearch

            tune.run(train, config=space, search_alg=HyperOptSearch(metric="loss", mode="min"), num_samples=12)
            """,
            note="HyperOptSearch draws its first 20 configurations at random.",
        ),
        Example(
            """
            from skopt import gp_minimize

            res = gp_minimize(train, dimensions=space, n_calls=10, n_random_starts=10)
            """,
            note="All 10 calls are random starts: the Gaussian process never picks a point.",
        ),
    )
    good_examples = (
        Example(
            """
            import optuna

            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=100)
            """
        ),
        Example(
            """
            import optuna

            study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
            study.optimize(objective, n_trials=5)
            """,
            note="Random search has no warm-up: a small budget is an honest random search.",
        ),
        Example(
            """
            import optuna

            def tune(n_trials):
                study = optuna.create_study()
                study.optimize(objective, n_trials=n_trials)
            """,
            note="The budget is not a constant here.",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._bindings: Dict[str, List[cst.BaseExpression]] = {}
        self._scoped: Dict[Tuple[int, str], List[cst.BaseExpression]] = {}  # (id(function) or 0, name) -> values
        self._calls: List[cst.Call] = []
        self._loop_depth = 0
        self._in_loop: Set[cst.Call] = set()
        self._call_scopes: Dict[cst.Call, int] = {}  # optimize call -> id(function it is in) or 0
        self._keys: Dict[cst.Call, Tuple[int, str, int]] = {}
        self._optimize_receivers: Dict[Tuple[int, str, int], int] = {}
        self._scopes: List[cst.CSTNode] = []
        self._calls_made: List[cst.Call] = []  # calls that hand a function to workers
        self._reported: Set[int] = set()

    # -- collecting -------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._bind(target.target.value, node.value)
            elif isinstance(target.target, cst.Attribute):  # ``self.study = optuna.create_study()``
                self._bindings.setdefault(self.ctx.code_for(target.target), []).append(node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self._bind(node.target.value, node.value)

    def _bind(self, name: str, value: cst.BaseExpression) -> None:
        self._bindings.setdefault(name, []).append(value)
        scope = id(self._scopes[-1]) if self._scopes else 0
        self._scoped.setdefault((scope, name), []).append(value)

    def _bound(self, name: cst.Name) -> List[cst.BaseExpression]:
        """What ``name`` holds where it is read: the bindings of the innermost function that
        binds it, else the module's (``study`` in ``run()`` is not the module's ``study``)."""
        for scope in [id(a) for a in self.ctx.ancestors(name) if isinstance(a, cst.FunctionDef)] + [0]:
            found = self._scoped.get((scope, name.value))
            if found:
                return reaching(self.ctx, name, found)
        return reaching(self.ctx, name, self._bindings.get(name.value, []))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def _receiver_key(self, call: cst.Call, scope: int) -> Tuple[int, str, int]:
        """The study a call optimizes, per function (``study`` in f() is not ``study`` in g())
        and per binding (a second ``study = optuna.create_study()`` is another study)."""
        receiver = call.func.value  # type: ignore[attr-defined]
        bound = self._bound(receiver) if isinstance(receiver, cst.Name) else []
        fresh = len(bound) == 1 and not _stored(bound[0])
        return scope, self.ctx.code_for(receiver), id(bound[0]) if fresh else 0

    def visit_For(self, node: cst.For) -> None:
        self._loop_depth += 1

    def leave_For(self, original_node: cst.For) -> None:
        self._loop_depth -= 1

    def visit_While(self, node: cst.While) -> None:
        self._loop_depth += 1

    def leave_While(self, original_node: cst.While) -> None:
        self._loop_depth -= 1

    def visit_Call(self, node: cst.Call) -> None:
        name = method_name(node)
        if name in WORKER_CALLS:
            self._calls_made.append(node)
        if name not in ("optimize", "fmin", "minimize", "BayesianOptimization", "BayesianOptimizationOracle", "run", "TuneConfig", "maximize", "agent", *SKOPT_CALLS):
            return
        self._calls.append(node)
        if self._loop_depth:
            self._in_loop.add(node)  # called repeatedly: the total budget is unknown
        if name in ("optimize", "maximize") and isinstance(node.func, cst.Attribute):
            self._call_scopes[node] = id(self._scopes[-1]) if self._scopes else 0

    def leave_Module(self, original_node: cst.Module) -> None:
        for node, scope in self._call_scopes.items():  # every binding is known now
            key = self._receiver_key(node, scope)
            self._optimize_receivers[key] = self._optimize_receivers.get(key, 0) + 1
            self._keys[node] = key
        for call in self._calls:
            if has_star_args(call) or call in self._in_loop:
                continue
            name = method_name(call)
            if name == "optimize":
                self._check_optuna(call)
            elif name in ("fmin", "minimize"):
                self._check_hyperopt(call)
            elif name in ("run", "TuneConfig"):
                self._check_ray(call)
            elif name == "maximize":
                self._check_bayes_opt(call)
            elif name in SKOPT_CALLS:
                self._check_skopt(call)
            elif name == "agent":
                self._check_wandb(call)
            else:
                self._check_keras(call)

    # -- resolving names ----------------------------------------------------
    def _resolve(self, expr: Optional[cst.BaseExpression]) -> Optional[cst.BaseExpression]:
        """A name bound exactly once in the file stands for its value; so does
        ``CONFIG["n_trials"]`` of a dict literal bound once."""
        if isinstance(expr, cst.Name):
            bound = self._bound(expr)
            return bound[0] if len(bound) == 1 else None
        if isinstance(expr, cst.Subscript) and isinstance(expr.value, cst.Name) and len(expr.slice) == 1:
            table = self._resolve(expr.value)
            index = expr.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            if isinstance(table, cst.Dict) and key is not None:
                found = [e.value for e in table.elements if isinstance(e, cst.DictElement) and string_value(e.key) == key]
                return found[0] if len(found) == 1 else None
            return None
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
            return self.ctx.facts(Flow).value(expr)  # ``self.trials = 7`` set once in ``__init__``
        return expr

    def _constant(self, expr: Optional[cst.BaseExpression]) -> Optional[int]:
        value = self._resolve(expr)
        found = None if value is None else number(value, self.ctx.imports)
        if found is None or found < 0 or not float(found).is_integer():
            return None
        return int(found)

    # -- Optuna ---------------------------------------------------------------
    def _check_optuna(self, call: cst.Call) -> None:
        budget = arg(call, 1, "n_trials")
        budgets = self._budgets(call, budget)
        if not budgets or not isinstance(call.func, cst.Attribute):
            return
        if self._optimize_receivers.get(self._keys[call], 0) > 1:
            return  # the same study is optimized more than once: its budget adds up
        if isinstance(call.func.value, cst.Name) and any(_resumed(b) for b in self._bound(call.func.value)) and self._run_by_workers(call):
            return  # one stored study every worker resumes: their trials add up
        sampler = self._study_sampler(call.func.value)
        if sampler is not None:
            counted = optuna_count(self.ctx, call)
            count, exact = counted if counted is not None else (None, True)
            self._report_budgets(budgets, "n_trials", sampler, count, exact)

    def _run_by_workers(self, call: cst.Call) -> bool:
        """The function holding ``call`` is handed to a pool, an executor or a process of this file."""
        func = enclosing_function(self.ctx, call)
        if func is None:
            return False
        return any(isinstance(a.value, cst.Name) and a.value.value == func.name.value for node in self._calls_made for a in node.args)

    def _budgets(self, call: cst.Call, budget: Optional[cst.Arg]) -> List[Tuple[cst.Arg, int, Optional[str]]]:
        """(argument to report, budget, function it is passed through) for each budget
        below the minimum: a constant here, or a parameter that this module's calls
        of the enclosing function give constants (one call followed)."""
        if budget is None:
            return []
        value = self._constant(budget.value)
        found: List[Tuple[cst.Arg, int, Optional[str]]] = []
        if value is not None:
            found.append((budget, value, None))
        elif isinstance(budget.value, cst.Name):
            func = enclosing_function(self.ctx, call)
            for site in (call_sites(self.ctx, func, budget.value.value) or []) if func is not None else []:
                given = self._constant(site.given.value)
                if given is not None:
                    found.append((site.given, given, site.caller))
        return found

    def _report_budgets(self, budgets, budget_name: str, sampler: Sampler, count: Optional[int], exact: bool = True) -> None:
        for node, value, via in budgets:
            short = value < self.option("min-trials") or (sampler.startup is not None and value <= sampler.startup)
            if short and id(node) not in self._reported:
                self._reported.add(id(node))
                self.report(node, self._message(budget_name, value, sampler, count, via, exact))

    def _study_sampler(self, study: cst.BaseExpression) -> Optional[Sampler]:
        """The sampler of the study every binding of ``study`` creates (None if unsure)."""
        if isinstance(study, cst.Name):
            candidates = self._bound(study)
        elif isinstance(study, cst.Attribute) and self.ctx.code_for(study) in self._bindings:
            candidates = self._bindings[self.ctx.code_for(study)]
        else:
            candidates = [study]
        found = set()
        for value in candidates:
            if not isinstance(value, cst.Call) or self.ctx.qualify(value.func) not in STUDY_FACTORIES:
                return None
            if has_star_args(value):
                return None
            found.add(self._optuna_sampler(arg_value(value, None, "sampler")))
        if len(found) != 1:
            return None
        return found.pop()

    def _optuna_sampler(self, expr: Optional[cst.BaseExpression]) -> Optional[Sampler]:
        if expr is None:
            return Sampler("the TPE sampler", 10, "n_startup_trials")  # Optuna's default sampler
        value = self._resolve(expr)
        if not isinstance(value, cst.Call) or has_star_args(value):
            return None
        qualified = self.ctx.qualify(value.func)
        if not qualified or not qualified.startswith("optuna"):
            return None
        known = MODEL_SAMPLERS.get(_last(qualified))
        if known is None:
            return None  # random, grid, QMC, brute force, genetic: no model warm-up
        label, default = known
        given = arg_value(value, None, "n_startup_trials")
        startup = default if given is None else self._constant(given)
        if given is not None and startup is None:
            return None
        return Sampler(f"the {label} sampler", startup, "n_startup_trials")

    # -- hyperopt -------------------------------------------------------------
    def _check_hyperopt(self, call: cst.Call) -> None:
        """hyperopt's ``fmin(fn, space, algo, max_evals)``, or hyperas's ``optim.minimize(model,
        data, algo, max_evals)``, which runs ``fmin`` on the space its template writes."""
        qualified = self.ctx.qualify(call.func)
        if qualified not in ("hyperopt.fmin", HYPERAS_MINIMIZE):
            return
        budgets = self._budgets(call, arg(call, 3, "max_evals"))
        if not budgets:
            return
        algo = self._resolve(arg_value(call, 2, "algo"))
        startup: Optional[int] = HYPEROPT_STARTUP
        if isinstance(algo, cst.Call) and _last(self.ctx.qualify(algo.func)) == "partial" and algo.args:
            given = arg_value(algo, None, "n_startup_jobs")
            startup = HYPEROPT_STARTUP if given is None else self._constant(given)
            algo = algo.args[0].value
        if algo is None or self.ctx.qualify(algo) != HYPEROPT_TPE or startup is None:
            return
        sampler = Sampler("hyperopt's tpe.suggest", startup, "n_startup_jobs", "rand.suggest")
        count = None if qualified == HYPERAS_MINIMIZE else hyperopt_count(self.ctx, arg_value(call, 1, "space"), self._resolve_space)
        self._report_budgets(budgets, "max_evals", sampler, count)

    def _resolve_space(self, expr: Optional[cst.BaseExpression]) -> Optional[cst.BaseExpression]:
        return self._resolve(expr) if isinstance(expr, cst.Name) else expr

    # -- Keras Tuner ----------------------------------------------------------
    def _check_keras(self, call: cst.Call) -> None:
        qualified = self.ctx.qualify(call.func)
        if qualified not in KERAS_BAYES:
            return
        oracle = ".oracles." in qualified
        index = 1 if oracle else 2
        budgets = self._budgets(call, arg(call, index, "max_trials"))
        if not budgets:
            return
        given = arg_value(call, None, "num_initial_points")
        startup = None if given is None else self._constant(given)
        if given is not None and startup is None:
            return
        tuner = self.ctx.parent(self.ctx.parent(call)) if oracle else call  # ``MyTuner(oracle=..., hypermodel=build)``
        count = keras_count(self.ctx, arg_value(tuner, None if oracle else 0, "hypermodel")) if isinstance(tuner, cst.Call) else None
        note = None
        if given is None and count is not None:
            startup, note = 3 * count, f"num_initial_points defaults to 3 × {count} hyperparameters"
        sampler = Sampler("Keras Tuner's BayesianOptimization", startup, "num_initial_points", "RandomSearch", note)
        self._report_budgets(budgets, "max_trials", sampler, count)

    # -- bayes_opt ---------------------------------------------------------------
    def _check_bayes_opt(self, call: cst.Call) -> None:
        """``optimizer.maximize(init_points=3, n_iter=10)`` of a ``bayes_opt.BayesianOptimization``:
        ``init_points`` random evaluations, then ``n_iter`` that the Gaussian process chooses."""
        if not isinstance(call.func, cst.Attribute) or not isinstance(call.func.value, cst.Name):
            return
        made = self._resolve(call.func.value)
        if not isinstance(made, cst.Call) or self.ctx.qualify(made.func) not in BAYES_OPT:
            return
        if self._optimize_receivers.get(self._keys.get(call), 0) > 1:  # type: ignore[arg-type]
            return  # maximized again (``set_bounds`` and more steps): its Gaussian process keeps every evaluation
        counts = []
        for keyword, default in zip(("init_points", "n_iter"), BAYES_OPT_DEFAULTS):
            given = arg(call, None, keyword)
            value = default if given is None else self._constant(given.value)
            if value is None:
                return
            counts.append(value)
        init, model = counts
        if init + model >= self.option("min-trials") and model > 0:
            return
        anchor = arg(call, None, "n_iter") or arg(call, None, "init_points") or call
        if id(anchor) in self._reported:
            return
        self._reported.add(id(anchor))
        sampler = Sampler("bayes_opt's Gaussian process", init, "init_points", "a random search")
        self.report(anchor, self._message("n_iter", init + model, sampler, shown=f"init_points={init} + n_iter={model} = {init + model} evaluations"))

    # -- scikit-optimize -------------------------------------------------------
    def _check_skopt(self, call: cst.Call) -> None:
        found = skopt_search(self.ctx, call, self._resolve, self._constant)
        budgets = self._budgets(call, found.budget) if found is not None else []
        if found is not None and budgets:
            sampler = Sampler(found.label, found.startup, found.startup_name, found.alternative, refusal=found.refusal)
            self._report_budgets(budgets, found.budget_name, sampler, found.count)

    def _check_wandb(self, call: cst.Call) -> None:
        found = bayes_agent(self.ctx, call)
        budgets = self._budgets(call, found.budget) if found is not None else []
        if found is not None and budgets:
            self._report_budgets(budgets, "count", WANDB_BAYES, found.parameters)

    # -- Ray Tune --------------------------------------------------------------
    def _check_ray(self, call: cst.Call) -> None:
        qualified = self.ctx.qualify(call.func) or ""
        if qualified not in RAY_RUNS and not (qualified.startswith("ray.") and _last(qualified) == "TuneConfig"):
            return
        budgets = self._budgets(call, arg(call, None, "num_samples"))
        sampler = self._ray_searcher(arg_value(call, None, "search_alg")) if budgets else None
        if sampler is not None:
            self._report_budgets(budgets, "num_samples", sampler, None)

    def _ray_searcher(self, expr: Optional[cst.BaseExpression]) -> Optional[Sampler]:
        """The warm-up of a Ray searcher written here (through ``ConcurrencyLimiter``),
        None when unknown or when ``points_to_evaluate`` seeds it."""
        value = self._unwrap_limiter(expr)
        if isinstance(value, cst.Call) and self._is_limiter(value):
            value = self._unwrap_limiter(arg_value(value, 0, "searcher"))
        if not isinstance(value, cst.Call) or has_star_args(value):
            return None
        qualified = self.ctx.qualify(value.func) or ""
        known = RAY_SEARCHERS.get(_last(qualified))
        if known is None or not qualified.startswith("ray.") or arg(value, 3, "points_to_evaluate") is not None:
            return None
        label, default, parameter, position = known
        given = arg_value(value, position, parameter)
        if parameter == "sampler":  # OptunaSearch: the warm-up of the Optuna sampler it wraps
            inner_sampler = self._optuna_sampler(given)
            if inner_sampler is None:
                return None
            return Sampler(f"{label} ({inner_sampler.label[4:]})", inner_sampler.startup, inner_sampler.startup_name, RAY_RANDOM)
        startup = default if given is None else self._constant(given)
        return None if startup is None else Sampler(label, startup, parameter, RAY_RANDOM)

    def _is_limiter(self, value: cst.BaseExpression) -> bool:
        return isinstance(value, cst.Call) and _last(self.ctx.qualify(value.func)) == "ConcurrencyLimiter"

    def _unwrap_limiter(self, expr: Optional[cst.BaseExpression]) -> Optional[cst.BaseExpression]:
        """What ``expr`` holds; a name bound to a searcher and then to
        ``ConcurrencyLimiter(<that name>, ...)`` stands for the searcher."""
        if not isinstance(expr, cst.Name):
            return self._resolve(expr) if expr is not None else None
        bound = self._bound(expr)
        if len(bound) == 1:
            return bound[0]  # the binding the use sees (a limiter around it is unwrapped by the caller)
        rewraps = [
            v for v in bound
            if self._is_limiter(v) and isinstance(arg_value(v, 0, "searcher"), cst.Name)
            and arg_value(v, 0, "searcher").value == expr.value  # type: ignore[union-attr]
        ]
        rest = [v for v in bound if all(v is not w for w in rewraps)]
        return rest[0] if len(rest) == 1 and len(rewraps) <= 1 else None

    # -- wording ----------------------------------------------------------------
    def _message(self, budget_name: str, budget: int, sampler: Sampler, count: Optional[int] = None, via: Optional[str] = None, exact: bool = True, shown: Optional[str] = None) -> str:
        """``shown``: how the budget is written, where it is a sum (``init_points=3 + n_iter=10 = 13``)."""
        passed = f" (passed to `{via}`)" if via else ""
        over = ""
        if count:
            over = f" over {'' if exact else 'at least '}{count} hyperparameter{'s' if count != 1 else ''}"
        head = f"{shown or f'{budget_name}={budget}'}{passed} with {sampler.label}{over}: "
        why = sampler.startup_note or f"{sampler.startup_name}={sampler.startup}"
        if "CMA-ES" in sampler.label:
            body = (
                "CMA-ES samples a population of 4 + 3·ln(d) points per generation, "
                f"so {budget} trials are only a few generations and its covariance model barely adapts"
            )
        elif sampler.startup is None and sampler.startup_note:
            body = sampler.startup_note  # a warm-up whose length is not visible here, in the library's words
        elif sampler.startup is None:
            body = (
                "its first 3 trials per hyperparameter are random (num_initial_points defaults to "
                "3 × the number of hyperparameters), so the model gets few or no trials"
            )
        elif budget <= sampler.startup:
            body = f"its first {sampler.startup} trials are random ({why}), so this search never uses its model"
            if sampler.refusal and budget < sampler.startup:
                body += f" ({sampler.refusal})"
        else:
            body = (
                f"its first {sampler.startup} trials are random ({why}), "
                f"so only {budget - sampler.startup} of {budget} trials use its model"
            )
        minimum, alternative = self.option("min-trials"), sampler.random_alternative
        advice = f"budget ≥ {minimum} trials" + (f" or use {alternative}" if alternative else "")
        if budget >= minimum:  # reported for its warm-up alone
            advice = f"budget well over its {sampler.startup} random trials, shorten the warm-up, or use {alternative}"
        if count is not None and exact and count <= 2:
            advice = (
                f"for {count} hyperparameter{'s' if count != 1 else ''} a manual sweep (4 values a decade apart, "
                f"then a refinement around the best) spends no trials on a random warm-up; else {advice}"
            )
        return f"{head}{body}; {advice}"
