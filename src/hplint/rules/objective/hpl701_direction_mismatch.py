"""HPL701: a search that optimizes its metric the wrong way round."""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Set, Tuple

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example, Rule
from hplint.prefilter.triggers import Calls, DictKeys, Imports, Words
from hplint.reading.calls import arg_value, dict_items, has_star_args, method_name, string_value
from hplint.reading.metrics import HIGHER, LOWER, name_direction
from hplint.reading.objectives import BAYES_OPT, FileObjectives
from hplint.reading.tree import descendants
from hplint.rules.objective.facts import (
    FAMILY,
    HYPERAS_MINIMIZE,
    HYPEROPT_FMIN,
    Directions,
    Evidence,
    Flow,
    describe,
    is_constant,
    line_of,
    returns_of,
    scope_nodes,
    searches,
)
from hplint.rules.search_space.edits import quote_of

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

STUDY_FACTORIES = frozenset({"optuna.create_study", "optuna.study.create_study"})
WANTED = {HIGHER: "maximize", LOWER: "minimize"}
BETTER = {HIGHER: "higher is better", LOWER: "lower is better"}
KERAS_OBJECTIVE_ROOTS = ("keras_tuner", "kerastuner")
# Optuna: a direction needs a study factory and an optimize call; hyperopt: fmin;
# Ray: a ``mode=`` keyword; Keras Tuner: an ``Objective(...)``; W&B: a dict with "name" and "goal"
TRIGGER = (
    (Calls("create_study") & Calls("optimize", method=True))
    | (Calls("fmin") & Imports("hyperopt"))
    | (Calls("BayesianOptimization") & Imports("bayes_opt"))
    | (Words("mode") & Words("metric") & Imports("ray"))
    | (Calls("Objective") & Imports(*KERAS_OBJECTIVE_ROOTS))
    | DictKeys("name", "goal")
    # an objective returning ``{"loss": ..., "status": STATUS_OK}`` with no ``fmin`` in the file
    | (DictKeys("loss", "status") & Words("STATUS_OK") & Imports("hyperopt"))
)
HYPEROPT_STATUS_OK = frozenset({"hyperopt.STATUS_OK", "hyperopt.base.STATUS_OK"})


def _direction_value(expr: Optional[cst.BaseExpression]) -> Optional[str]:
    """``"maximize"`` / ``StudyDirection.MAXIMIZE`` -> maximize; anything else None."""
    text = string_value(expr)
    if text is None and isinstance(expr, cst.Attribute):
        text = expr.attr.value
    text = (text or "").lower()
    return text if text in ("maximize", "minimize") else None


def _swapped(node: cst.BaseExpression, wanted: str) -> str:
    """The direction ``wanted`` written as ``node`` writes a direction (a string or an enum)."""
    if isinstance(node, cst.Attribute):
        return f"{cst.Module(body=[]).code_for_node(node.value)}.{wanted.upper()}"
    quote = quote_of(node)
    return f"{quote}{wanted}{quote}"


@register
class DirectionMismatch(Rule):
    code = "HPL701"
    name = "direction-mismatch"
    family = FAMILY
    summary = "A search maximizes a loss or minimizes an accuracy"
    why = (
        "`optuna.create_study()` minimizes unless told otherwise and hyperopt's `fmin` always "
        "minimizes: an objective that returns an accuracy, an AUC, an F1 or R² score, "
        "`model.score(...)` or `cross_val_score(...).mean()` (every scikit-learn scorer is "
        "higher-is-better) makes the search look for the worst configuration, and it finds it, "
        "while every trial runs normally. The reverse, `direction=\"maximize\"` with a loss, an "
        "error, MSE/RMSE/MAE or log-loss, is the same mistake, and so is a loss returned by the "
        "function bayes_opt's `BayesianOptimization(f=...)` runs: it always maximizes. Ray Tune's `mode=`, Keras Tuner's "
        "`Objective(..., direction=...)` and a W&B sweep's `goal` are read the same way, and a "
        "multi-objective study's `directions=[...]` position by position, and an Optuna pruning "
        "callback fed `val_loss` in a study that maximizes (it stops the best trials). "
        "A function returning `{\"loss\": ..., \"status\": STATUS_OK}` with hyperopt's own `STATUS_OK` "
        "is hyperopt's objective even where its `fmin` is in another module; a `{\"loss\": ...}` dict "
        "without it (a Lightning `training_step`) is not read. "
        "Reported only where the value says which way is better: a scikit-learn metric function, "
        "`.score(...)`, `cross_val_score` with a scorer string or none, or a name or key whose words "
        "say it (`val_acc`, `rmse`; not `score`, not `neg_mse`), followed through the objective's "
        "own assignments and one helper of this file; `-acc`, `1 - acc` and `error_rate` are "
        "lower-is-better. Silent when any non-placeholder `return` is unknown, when the study is "
        "made elsewhere or loaded, or its direction is not a literal."
    )
    fix_description = (
        "Set the direction the metric needs (Optuna `direction=`, Ray `mode=`, Keras Tuner "
        "`direction=`, W&B `goal`), or negate the loss hyperopt minimizes (`{\"loss\": -acc, ...}`) "
        "or the error bayes_opt maximizes (`return -rmse`)."
    )
    fix_safety = Safety.UNSAFE
    trigger = TRIGGER
    demonstration = "direction"
    bad_examples = (
        Example(
            """
            import optuna
            from sklearn.metrics import accuracy_score

            def objective(trial):
                model = make_model(trial.suggest_float("C", 1e-3, 1e3, log=True))
                model.fit(X_train, y_train)
                return accuracy_score(y_val, model.predict(X_val))

            study = optuna.create_study()
            study.optimize(objective, n_trials=100)
            """,
            fixed="""
            import optuna
            from sklearn.metrics import accuracy_score

            def objective(trial):
                model = make_model(trial.suggest_float("C", 1e-3, 1e3, log=True))
                model.fit(X_train, y_train)
                return accuracy_score(y_val, model.predict(X_val))

            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=100)
            """,
            note="The study minimizes by default: it searches for the least accurate model.",
        ),
        Example(
            """
            from hyperopt import STATUS_OK, fmin, tpe

            def objective(params):
                acc = train_and_evaluate(params)
                return {"loss": acc, "status": STATUS_OK}

            best = fmin(objective, space, algo=tpe.suggest, max_evals=100)
            """,
            fixed="""
            from hyperopt import STATUS_OK, fmin, tpe

            def objective(params):
                acc = train_and_evaluate(params)
                return {"loss": -acc, "status": STATUS_OK}

            best = fmin(objective, space, algo=tpe.suggest, max_evals=100)
            """,
        ),
        Example(
            """
            from hyperopt import STATUS_OK
            from sklearn.model_selection import cross_val_score

            def objective(params):
                acc = cross_val_score(build_model(params), X, y, cv=5).mean()
                return {"loss": acc, "status": STATUS_OK}
            """,
            fixed="""
            from hyperopt import STATUS_OK
            from sklearn.model_selection import cross_val_score

            def objective(params):
                acc = cross_val_score(build_model(params), X, y, cv=5).mean()
                return {"loss": -acc, "status": STATUS_OK}
            """,
            note="The dict is hyperopt's (its `STATUS_OK`): `fmin`, in whichever module runs it, minimizes `\"loss\"`.",
        ),
    )
    good_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                return 1 - accuracy_score(y_val, fit(trial).predict(X_val))

            study = optuna.create_study()
            study.optimize(objective, n_trials=100)
            """,
            note="An error rate is minimized.",
        ),
        Example(
            """
            import optuna

            def objective(trial):
                return cross_val_score(make_model(trial), X, y, scoring="neg_mean_squared_error").mean()

            study = optuna.create_study(direction="maximize")
            study.optimize(objective, n_trials=100)
            """,
            note="Negated MSE is higher-is-better, as every scikit-learn scorer.",
        ),
    )

    def leave_Module(self, original_node: cst.Module) -> None:
        self._reported: Set[int] = set()
        self._directions = Directions(self.ctx)
        searched: Set[int] = set()
        for search in searches(self.ctx):
            searched.update(id(f) for f in search.funcs)
            if method_name(search.call) == "optimize":
                self._check_optuna(search.call, search.funcs)
            elif self.ctx.qualify(search.call.func) in HYPEROPT_FMIN | {HYPERAS_MINIMIZE}:
                self._check_hyperopt(search.call, search.funcs)
            elif self.ctx.qualify(search.call.func) in BAYES_OPT:
                self._check_bayes_opt(search.call, search.funcs)
        hyperopt = any(q.split(".")[0] == "hyperopt" for q in self.ctx.imports.aliases.values())
        for node in descendants(original_node) if hyperopt else ():  # STATUS_OK comes from a hyperopt import
            if isinstance(node, cst.FunctionDef) and id(node) not in searched:
                self._check_hyperopt_result(node)
        ray = any(q.split(".")[0] == "ray" for q in self.ctx.imports.aliases.values())
        for node in descendants(original_node):
            if isinstance(node, cst.Call) and not has_star_args(node):
                if ray:
                    self._check_ray(node)
                self._check_keras(node)
            elif isinstance(node, cst.Dict):
                self._check_wandb(node)

    # -- Optuna ---------------------------------------------------------------
    def _study_of(self, call: cst.Call) -> Optional[cst.Call]:
        """The ``create_study`` call that made the study ``call`` optimizes (None if unsure)."""
        receiver = call.func.value  # type: ignore[attr-defined]
        if isinstance(receiver, cst.Call):
            candidates: List[cst.BaseExpression] = [receiver]
        elif isinstance(receiver, cst.Name):
            candidates = list(self.ctx.facts(FileObjectives).bindings.get(receiver.value, ()))
        else:
            return None
        if not candidates or any(not isinstance(c, cst.Call) or self.ctx.qualify(c.func) not in STUDY_FACTORIES for c in candidates):
            return None
        readings = {self._study_directions(c) for c in candidates}  # type: ignore[arg-type]
        if len(readings) != 1 or None in readings:
            return None
        if len(candidates) == 1:
            return candidates[0]  # type: ignore[return-value]
        home, at = self._function_of(call), self.ctx.site(call)
        before = [c for c in candidates if self._function_of(c) is home and at is not None and (self.ctx.site(c) or at) < at]
        return before[-1] if before else None  # type: ignore[return-value]  # the latest binding before the call

    def _function_of(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        return next((a for a in self.ctx.ancestors(node) if isinstance(a, cst.FunctionDef)), None)

    def _study_directions(self, call: cst.Call) -> Optional[Tuple[Optional[str], ...]]:
        """The study's directions (``minimize`` when none is given), None when not literal."""
        if has_star_args(call) or len([a for a in call.args if a.keyword is None]) > 4:
            return None
        single, many = arg_value(call, None, "direction"), arg_value(call, None, "directions")
        if single is not None and many is not None:
            return None
        if many is not None:
            if not isinstance(many, (cst.List, cst.Tuple)):
                return None
            found = tuple(_direction_value(e.value) for e in many.elements)
            return found if None not in found else None
        if single is not None:
            value = _direction_value(single)
            return (value,) if value else None
        return ("minimize",)

    def _check_optuna(self, call: cst.Call, funcs) -> None:
        study = self._study_of(call)
        if study is None or id(study) in self._reported:
            return
        directions = self._study_directions(study)
        if directions is None:
            return
        if len(directions) == 1:
            self._check_pruning_callbacks(study, directions[0], funcs)  # type: ignore[arg-type]
        readings = [self._directions.returned(f) for f in funcs]
        if not readings or any(r is None for r in readings):
            return
        first = readings[0]
        if any(r != first and not _same(r, first) for r in readings):
            return
        if isinstance(first, Evidence):
            if len(directions) != 1:
                return
            positions = [(0, first)]
        else:
            if len(directions) != len(first) or len(directions) == 1:
                return
            positions = [(i, e) for i, e in enumerate(first) if e is not None]
        wrong = [(i, e) for i, e in positions if WANTED[e.direction] != directions[i]]
        if not wrong:
            return
        self._reported.add(id(study))
        name = funcs[0].name.value
        parts = []
        for i, evidence in wrong:
            where = f"position {i + 1} of `directions`: " if len(directions) > 1 else ""
            parts.append(f"{where}the objective `{name}` {self._returns(funcs, evidence)}, for which {BETTER[evidence.direction]}")
        given = arg_value(study, None, "direction") or arg_value(study, None, "directions")
        head = f"`{self.ctx.code_for(study.func).strip()}()` at {line_of(self.ctx, study)} "
        head += "minimizes by default" if given is None else f"is told `{' '.join(self.ctx.code_for(given).split())}`"
        advice = ", ".join(f'"{WANTED[e.direction]}"' for _, e in wrong)
        message = f"{head}; {'; '.join(parts)}: the study searches for the worst configuration; use {advice}"
        self.report(study, message, self._optuna_fix(study, wrong))

    def _check_pruning_callbacks(self, study: cst.Call, direction: str, funcs) -> None:
        """``KerasPruningCallback(trial, "val_loss")`` in a study that maximizes: the pruner
        compares what it is fed in the study's direction and stops the best trials."""
        for func in funcs:
            for node in scope_nodes(func.body):
                if not isinstance(node, cst.Call) or not (method_name(node) or "").endswith("PruningCallback"):
                    continue
                monitor = arg_value(node, 1, "monitor") or arg_value(node, None, "metric") or arg_value(node, None, "observation_key")
                key = string_value(monitor)
                found = name_direction(key) if key else None
                if found is None or WANTED[found] == direction or id(monitor) in self._reported:
                    continue
                self._reported.add(id(monitor))
                self.report(
                    monitor,  # type: ignore[arg-type]
                    f"`{self.ctx.code_for(node.func).strip()}` at {line_of(self.ctx, node)} feeds the pruner `{key}`, for which "
                    f"{BETTER[found]}, but `{self.ctx.code_for(study.func).strip()}()` at {line_of(self.ctx, study)} is set to "
                    f"{direction}: the pruner stops the trials doing best; monitor the metric the study optimizes",
                )

    def _returns(self, funcs, evidence: Evidence) -> str:
        """``returns `acc_score(...)` (line 3)`` or ``returns a value made by `...` (line 3)``."""
        returned = {id(r.value) for f in funcs for r in returns_of(f)}
        returned |= {id(e.value) for f in funcs for r in returns_of(f) if isinstance(r.value, cst.Tuple) for e in r.value.elements}
        how = "returns" if id(evidence.node) in returned else "returns a value made by"
        return f"{how} `{describe(evidence.node, self.ctx)}` ({line_of(self.ctx, evidence.node)})"

    def _optuna_fix(self, study: cst.Call, wrong):
        single, many = arg_value(study, None, "direction"), arg_value(study, None, "directions")
        if many is not None:
            elements = many.elements  # type: ignore[attr-defined]
            edits = [self.ctx.replace(elements[i].value, _swapped(elements[i].value, WANTED[e.direction])) for i, e in wrong]
        elif single is not None:
            edits = [self.ctx.replace(single, _swapped(single, WANTED[wrong[0][1].direction]))]
        else:
            arg = cst.Arg(
                keyword=cst.Name("direction"),
                value=cst.SimpleString(f'"{WANTED[wrong[0][1].direction]}"'),
                equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
            )
            edits = [self.ctx.replace(study, _appended(study, arg))]
        return self.ctx.fix(Safety.UNSAFE, edits, "set the study's direction")

    # -- hyperopt -------------------------------------------------------------
    def _check_hyperopt(self, call: cst.Call, funcs) -> None:
        self._check_fixed_direction(call, funcs, "minimizes", "the objective", HIGHER, " as its loss")

    def _check_bayes_opt(self, call: cst.Call, funcs) -> None:
        self._check_fixed_direction(call, funcs, "maximizes", "the function", LOWER, "")

    def _check_fixed_direction(self, call: cst.Call, funcs, way: str, role: str, wrong: str, as_what: str) -> None:
        """A search that always goes one ``way`` (hyperopt's ``fmin``, bayes_opt) given values that point ``wrong``."""
        losses = self._returned(funcs, wrong)
        if losses is None:
            return
        evidence = losses[0][1]
        message = (
            f"`{self.ctx.code_for(call.func).strip()}()` at {line_of(self.ctx, call)} always {way}; {role} "
            f"`{funcs[0].name.value}` returns `{describe(evidence.node, self.ctx)}` ({line_of(self.ctx, evidence.node)}){as_what}, "
            f"for which {BETTER[wrong]}: the search looks for the worst configuration; return its negative"
        )
        self._report_losses(losses, message)

    def _check_hyperopt_result(self, func: cst.FunctionDef) -> None:
        """A function whose returned dict carries hyperopt's ``STATUS_OK`` is a hyperopt
        objective wherever its ``fmin`` is (another module): its ``"loss"`` is minimized."""
        flow = Flow(func)
        dicts = [self._dict_of(r.value, flow) for r in returns_of(func)]
        marked = [s for s in (self._hyperopt_status(d) for d in dicts if d is not None) if s is not None]
        if not marked:
            return
        losses = self._higher_losses((func,))
        if losses is None:
            return
        node, evidence = losses[0]
        loss = describe(node, self.ctx)
        source = f"`{loss}`" if evidence.node is node else f"`{loss}`, made by `{describe(evidence.node, self.ctx)}` ({line_of(self.ctx, evidence.node)}),"
        message = (
            f"`{func.name.value}` returns `{{\"loss\": {loss}, ...}}` with hyperopt's `STATUS_OK` at {line_of(self.ctx, marked[0])}, "
            f"and hyperopt's `fmin`, wherever it runs `{func.name.value}`, always minimizes `\"loss\"`; {source} is a value for which {BETTER[HIGHER]}: "
            "the search looks for the worst configuration; return its negative"
        )
        self._report_losses(losses, message)

    def _hyperopt_status(self, node: cst.Dict) -> Optional[cst.BaseExpression]:
        """The dict's ``"status": STATUS_OK`` value, the constant imported from hyperopt (a bare ``"ok"`` is anyone's)."""
        status = [v for key, v, _ in dict_items(node) if key == "status"]
        return status[0] if len(status) == 1 and self.ctx.qualify(status[0]) in HYPEROPT_STATUS_OK else None

    def _higher_losses(self, funcs) -> Optional[List[Tuple[cst.BaseExpression, Evidence]]]:
        """Every non-placeholder loss the functions return, when each is known to be higher-is-better."""
        return self._returned(funcs, HIGHER)

    def _returned(self, funcs, wrong: str) -> Optional[List[Tuple[cst.BaseExpression, Evidence]]]:
        """Every non-placeholder value the functions return, when each is known to point ``wrong``."""
        losses: List[Tuple[cst.BaseExpression, Evidence]] = []
        for func in funcs:
            flow = Flow(func)
            for ret in returns_of(func):
                loss = self._loss_of(ret.value, flow)
                if is_constant(loss, self.ctx):
                    continue
                evidence = self._directions.of(loss, flow)  # type: ignore[arg-type]
                if evidence is None:
                    return None
                losses.append((loss, evidence))  # type: ignore[arg-type]
        if not losses or any(e.direction != wrong for _, e in losses) or id(losses[0][0]) in self._reported:
            return None
        return losses

    def _report_losses(self, losses: List[Tuple[cst.BaseExpression, Evidence]], message: str) -> None:
        node = losses[0][0]
        self._reported.add(id(node))
        edits = [self.ctx.replace(n, _negated(n, self.ctx)) for n, _ in losses]
        self.report(node, message, self.ctx.fix(Safety.UNSAFE, edits, "negate the returned loss"))

    def _dict_of(self, value: Optional[cst.BaseExpression], flow: Flow) -> Optional[cst.Dict]:
        """The dict literal a ``return`` gives, directly or through a name bound once to it."""
        if isinstance(value, cst.Name) and value.value not in flow.unpacked:
            bound = flow.plain.get(value.value, [])
            if len(bound) == 1 and isinstance(bound[0], cst.Dict):
                value = bound[0]
        return value if isinstance(value, cst.Dict) else None

    def _loss_of(self, value: Optional[cst.BaseExpression], flow: Flow) -> Optional[cst.BaseExpression]:
        """The loss a hyperopt objective returns: the value, or a dict's ``"loss"`` (also through a name)."""
        found_dict = self._dict_of(value, flow)
        if found_dict is not None:
            value = found_dict
        if isinstance(value, cst.Dict):
            found = [v for key, v, _ in dict_items(value) if key == "loss"]
            return found[0] if len(found) == 1 else None
        return value

    # -- Ray Tune, Keras Tuner, W&B -------------------------------------------
    def _check_ray(self, call: cst.Call) -> None:
        if self._asks_for_worst(call):
            return
        metric, mode = arg_value(call, None, "metric"), arg_value(call, None, "mode")
        self._check_named(string_value(metric), mode, {"max": HIGHER, "min": LOWER}, f"`{self.ctx.code_for(call.func).strip()}()`")

    def _asks_for_worst(self, call: cst.Call) -> bool:
        """``worst = results.get_best_result(metric="reward", mode="min")``: a query for the
        worst trial after the search, named so, not the search's direction."""
        if not (method_name(call) or "").startswith("get_best"):
            return False
        parent = self.ctx.parent(call)
        targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else []
        targets += [parent.target] if isinstance(parent, cst.AnnAssign) else []
        return any("worst" in self.ctx.code_for(t).lower() for t in targets)

    def _check_keras(self, call: cst.Call) -> None:
        qualified = self.ctx.qualify(call.func) or ""
        if qualified.split(".")[0] not in KERAS_OBJECTIVE_ROOTS or not qualified.endswith(".Objective"):
            return
        name, direction = arg_value(call, 0, "name"), arg_value(call, 1, "direction")
        self._check_named(string_value(name), direction, {"max": HIGHER, "min": LOWER}, "`Objective(...)`")

    def _check_wandb(self, node: cst.Dict) -> None:
        items = {key: value for key, value, _ in dict_items(node)}
        if "goal" in items and "name" in items:
            self._check_named(string_value(items["name"]), items["goal"], {"maximize": HIGHER, "minimize": LOWER}, "the sweep metric")

    def _check_named(self, metric: Optional[str], mode: Optional[cst.BaseExpression], modes, where: str) -> None:
        told = string_value(mode)
        if metric is None or told is None or told not in modes or id(mode) in self._reported:
            return
        found = name_direction(metric)
        if found is None or found == modes[told]:
            return
        self._reported.add(id(mode))
        wanted = next(k for k, v in modes.items() if v == found)
        message = (
            f"{where} at {line_of(self.ctx, mode)} is told `{told}` for the metric `{metric}`, for which "  # type: ignore[arg-type]
            f"{BETTER[found]}: the search looks for the worst configuration; use \"{wanted}\""
        )
        quote = quote_of(mode)
        self.report(mode, message, self.ctx.fix(Safety.UNSAFE, [self.ctx.replace(mode, f"{quote}{wanted}{quote}")], "set the direction"))  # type: ignore[arg-type]


def _same(a, b) -> bool:
    """Two readings that agree on every direction."""
    if isinstance(a, Evidence) and isinstance(b, Evidence):
        return a.direction == b.direction
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return all((x is None) == (y is None) and (x is None or x.direction == y.direction) for x, y in zip(a, b))
    return False


def _negated(node: cst.BaseExpression, ctx) -> str:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and not node.lpar:
        return ctx.code_for(node.expression).strip()  # ``-score`` -> ``score``: its operand binds at least as tightly
    code = ctx.code_for(node).strip()
    simple = isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)) and not node.lpar
    return f"-{code}" if simple else f"-({code})"


def _appended(call: cst.Call, new: cst.Arg) -> cst.Call:
    """``f(a)`` -> ``f(a, new)``; a call with one argument per line gets a new line."""
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # a trailing comma: the new argument takes its place
        separator = args[-2].comma if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = last.with_changes(comma=separator)
        return call.with_changes(args=args + [new.with_changes(comma=last.comma)])
    args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return call.with_changes(args=args + [new])
