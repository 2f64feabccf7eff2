"""HPL203: a log-scale hyperparameter drawn from a linear distribution.

Ray Tune, Hyperopt, scipy, Keras Tuner, ``random``/numpy draws and W&B sweep
specs; each library's log-uniform form is the fix.  The prefilter reads the
name a draw is tried for on the ``ast`` (``tried_for``), the rule on the
libcst tree (``binding_of``).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, List, Optional, Union

from hplint.core.codegen import append_arg, set_keyword
from hplint.core.diagnostics import Safety
from hplint.core.file_facts import text_word
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.structure import Nodes
from hplint.prefilter.triggers import Calls, DictKeys, Imports, all_of, any_of, bounds
from hplint.reading.calls import arg, arg_value, dict_call_items, dict_items, has_star_args, method_name, string_value, target_names
from hplint.reading.numbers import UNKNOWN, evaluate, number
from hplint.reading.objectives import BAYES_OPT
from hplint.reading.ranges import linear_log_scale, wastes_linear
from hplint.reading.vocabulary import Scale, normalize
from hplint.rules.search_space.bound_tables import Bounds, ax_range, bayes_opt_bounds, exponent_advice, gpyopt_bounds
from hplint.rules.search_space.edits import append_dict_element, quote_of, renamed_func, wrapped_arg
from hplint.rules.search_space.facts import (
    FAMILY,
    LOG_SCALE_NAMES,
    SCIPY_UNIFORM,
    SpaceFacts,
    _log_scale_name,
    _SpaceRule,
    held_arg,
    num_arg,
)
from hplint.rules.search_space.tried_for import tried_for
from hplint.rules.search_space.wandb import WANDB_KEYS, WANDB_LOG, linear_spec_message, linear_spec_target
from hplint.rules.search_space.wording import ZERO_BOUND_POLICY, bound, plain_number, short_code, span_text, uniform_waste

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

SKOPT_REAL = frozenset({"skopt.space.Real", "skopt.space.space.Real", "skopt.Real"})
# ConfigSpace (BOHB, HpBandSter, SMAC, Ray's TuneBOHB): ``UniformFloatHyperparameter(name, lower, upper, log=False)``
CONFIGSPACE_FLOAT = frozenset({"ConfigSpace.UniformFloatHyperparameter", "ConfigSpace.hyperparameters.UniformFloatHyperparameter"})
TUNE_LINEAR = {"ray.tune.uniform": "ray.tune.loguniform", "ray.tune.quniform": "ray.tune.qloguniform"}
HYPEROPT_LINEAR = {"hyperopt.hp.uniform": "hyperopt.hp.loguniform", "hyperopt.hp.quniform": "hyperopt.hp.qloguniform"}
RANDOM_UNIFORM = frozenset({"random.uniform", "numpy.random.uniform"})


# -- what the trigger reads ----------------------------------------------------


WANDB_WORD = text_word("wandb")


def _wandb_dict_call(site) -> object:
    """``dict(min=1e-5, max=1e-1)``: keywords only, W&B's, constant min/max over a decade apart."""
    keywords = [k.arg for k in site.node.keywords]
    if site.node.args or None in keywords or "min" not in keywords or "max" not in keywords or not set(keywords) <= WANDB_KEYS:
        return False
    low, high = site.number(None, "min"), site.number(None, "max")
    if low is UNKNOWN or high is UNKNOWN:
        return UNKNOWN
    return low is not None and high is not None and linear_log_scale(low, high)

_tried_for_log_scale = tried_for(_log_scale_name)


def _wandb_spec(node: ast.AST, index) -> bool:
    """``visit_Dict``'s W&B parameter: only W&B keys, constant min/max over a decade apart."""
    items = {k.value: v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)}  # type: ignore[attr-defined]
    if "min" not in items or "max" not in items or not set(items) <= WANDB_KEYS:
        return False
    qualify = index.imports.qualifier()
    low, high = evaluate(items["min"], qualify), evaluate(items["max"], qualify)
    if low is UNKNOWN or high is UNKNOWN:
        return True
    return low is not None and high is not None and linear_log_scale(low, high)  # type: ignore[arg-type]



@register
class LinearDistributionLogScale(_SpaceRule):
    code = "HPL203"
    name = "linear-distribution-log-scale"
    family = FAMILY
    summary = "Linear distribution of a log-scale hyperparameter (Ray Tune, Hyperopt, scipy, scikit-optimize, Keras Tuner, W&B, bayes_opt, GPyOpt, random)"
    why = (
        "Sampling a learning rate uniformly between 1e-5 and 3e-1 gives the top decade "
        "3e-2..3e-1 90% of the samples and the three decades below it 10% together: "
        "a 100-trial search tries about one value under 3e-3. Every tuning library has a "
        "log-uniform form that gives each decade the same share: tune.loguniform, "
        "hp.loguniform (natural-log bounds), scipy.stats.loguniform, Keras Tuner "
        "sampling=\"log\", W&B \"log_uniform_values\", or sampling the exponent. "
        + ZERO_BOUND_POLICY
        + "Keras Tuner's explicit `sampling=\"linear\"` and scikit-optimize's explicit "
        "`prior=\"uniform\"` are deliberate choices and stay silent (`Real(1e-5, 1e-1)` without a "
        "prior samples uniformly and is reported). "
        "A W&B spec written with `dict(min=..., max=...)` calls is read as the dict literal is. "
        "An ambiguous name counts as log-scale unless its receiver reads it otherwise: `gamma` in a "
        "space of XGBoost's own keys (`eta`, `min_child_weight`) is a loss threshold and stays silent. "
        "Reversed bounds (`tune.uniform(1e-1, 5e-6)`) are reported as such. Bounds of `random.uniform`, "
        "NumPy's and Ray's `uniform` held by names of the file assigned once (`LO`, `LR_RANGE[0]`) are read "
        "as those constants. A draw inside a "
        "lambda (`hyperparam_mutations={\"lr\": lambda: random.uniform(...)}`, "
        "`tune.sample_from(lambda spec: np.random.uniform(...))`) counts for the key it is drawn for, "
        "ConfigSpace's `UniformFloatHyperparameter(name, lower, upper)` (BOHB, SMAC, TuneBOHB) "
        "samples linearly unless `log=True` (an explicit `log=False` is a choice), and so does an Ax "
        "`range` parameter without `\"log_scale\": True` (the safe fix adds it; in a Hydra Ax sweeper's YAML, "
        "`log_scale: true`); "
        "and draws appended to a list (`cs.append(random.uniform(...))`) or made in a comprehension "
        "(`[random.uniform(a, b) for _ in range(10)]`) for the key the list is tried for. "
        "bayes_opt's `pbounds` (`{\"learning_rate\": (1e-4, 1e-1)}`, also when the dict reaches it through "
        "a helper's parameter: `run_search(bounds)`) and GPyOpt's continuous domains "
        "(`{\"name\": \"lr\", \"type\": \"continuous\", \"domain\": (1e-4, 1e-1)}`) are searched "
        "linearly with no log option: the message says to search the exponent instead (no fix: "
        "the objective must raise 10 to it)."
    )
    fix_description = (
        "`tune.uniform` -> `tune.loguniform`, `tune.quniform` -> `tune.qloguniform`; "
        "`hp.uniform(l, a, b)` -> `hp.loguniform(l, math.log(a), math.log(b))`; scipy "
        "`uniform(loc, scale)` -> `loguniform(loc, loc + scale)` (same interval); Keras Tuner "
        "`hp.Float(...)` gets `sampling=\"log\"`; a W&B spec gets `\"distribution\": "
        "\"log_uniform_values\"`; `random.uniform(a, b)` -> `10 ** random.uniform(math.log10(a), "
        "math.log10(b))`. Imports are added when needed."
    )
    fix_safety = Safety.SAFE

    demonstration = "spacing"
    # a report is a uniform draw (Ray Tune, hyperopt, scipy, random, numpy or a
    # generator; Keras Tuner's Float) over more than a decade, or a W&B
    # min/max spec over more than a decade, for a parameter with a log-scale name
    trigger = (
        Calls(
            "uniform", "quniform",
            where=all_of(_tried_for_log_scale, any_of(
                bounds((0, ("lower",)), (1, ("upper",)), linear_log_scale, names=True),
                bounds((1, ("low",)), (2, ("high",)), linear_log_scale),
                bounds((0, ("a",)), (1, ("b",)), linear_log_scale, names=True),
                bounds((0, ("low",)), (1, ("high",)), linear_log_scale, names=True),
                bounds((0, ("loc",)), (1, ("scale",)), linear_log_scale, summed=True, defaults=(0.0, 1.0)),
            )),
        )
        | Calls("Float", method=True, where=all_of(_tried_for_log_scale, bounds((1, ("min_value",)), (2, ("max_value",)), linear_log_scale)))
        | Calls("Real", where=all_of(_tried_for_log_scale, bounds((0, ("low",)), (1, ("high",)), linear_log_scale)))
        | Calls("UniformFloatHyperparameter", where=all_of(_tried_for_log_scale, bounds((1, ("lower",)), (2, ("upper",)), linear_log_scale)))
        | (DictKeys("min", "max") & Nodes(ast.Dict, holds=lambda node, index: _wandb_spec(node, index)))
        | Calls("dict", where=_wandb_dict_call)
        | (Imports("bayes_opt") & Calls("BayesianOptimization"))
        | (Imports("GPyOpt") & DictKeys("name", "type", "domain"))
        | (Imports("ax") & DictKeys("name", "type", "bounds"))
    ) & LOG_SCALE_NAMES
    bad_examples = (
        Example(
            """
            from ray import tune
            config = {"lr": tune.uniform(1e-5, 3e-1), "dropout": tune.uniform(0.0, 0.5)}
            """,
            fixed="""
            from ray import tune
            config = {"lr": tune.loguniform(1e-5, 3e-1), "dropout": tune.uniform(0.0, 0.5)}
            """,
        ),
        Example(
            """
            from hyperopt import hp
            space = {"lr": hp.uniform("lr", 1e-5, 1e-1)}
            """,
            fixed="""
            import math

            from hyperopt import hp
            space = {"lr": hp.loguniform("lr", math.log(1e-5), math.log(1e-1))}
            """,
        ),
        Example(
            """
            from scipy.stats import uniform
            param_distributions = {"C": uniform(0.01, 99.99)}
            """,
            fixed="""
            from scipy.stats import loguniform
            param_distributions = {"C": loguniform(0.01, 100.0)}
            """,
            note="scipy's uniform takes (loc, scale): the interval is 0.01..100.",
        ),
        Example(
            """
            sweep_config = {
                "method": "random",
                "parameters": {"lr": {"min": 0.0001, "max": 0.1}},
            }
            """,
            fixed="""
            sweep_config = {
                "method": "random",
                "parameters": {"lr": {"min": 0.0001, "max": 0.1, "distribution": "log_uniform_values"}},
            }
            """,
            note="W&B samples float min/max uniformly unless told otherwise.",
        ),
        Example(
            """
            import random
            lr = random.uniform(1e-5, 1e-2)
            """,
            fixed="""
            import math
            import random
            lr = 10 ** random.uniform(math.log10(1e-5), math.log10(1e-2))
            """,
        ),
    )
    sweep_examples = (
        Example(
            """
            method: random
            parameters:
              learning_rate:
                min: 1e-5
                max: 1e-2
            """,
            fixed="""
            method: random
            parameters:
              learning_rate:
                distribution: log_uniform_values
                min: 1e-5
                max: 1e-2
            """,
            note="Float min/max without a distribution are sampled uniformly; `distribution: uniform` reads the same.",
        ),
        Example(
            """
            # @package _global_
            hydra:
              sweeper:
                ax_config:
                  params:
                    model.lr:
                      type: range
                      bounds: [1e-5, 1e-2]
            """,
            fixed="""
            # @package _global_
            hydra:
              sweeper:
                ax_config:
                  params:
                    model.lr:
                      type: range
                      bounds: [1e-5, 1e-2]
                      log_scale: true
            """,
            note="Hydra's Ax sweeper searches a `range` linearly unless `log_scale: true`.",
        ),
    )
    good_examples = (
        Example(
            """
            import numpy as np
            from ray import tune
            config = {
                "lr": tune.loguniform(1e-5, 1e-1),
                "lambda_mse": tune.uniform(0.1, 1.0),  # a loss-mixing weight
                "reg_alpha": tune.uniform(0, 5),  # starts at 0: no log scale
            }
            lr = 10 ** np.random.uniform(-5, -1)  # sampling the exponent is right
            """
        ),
        Example(
            """
            def build_model(hp):
                lr = hp.Float("lr", min_value=1e-4, max_value=1e-2, sampling="log")
                dropout = hp.Float("dropout", min_value=0.0, max_value=0.5)
                return make(lr, dropout)
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.qualify(node.func) or ""
        if isinstance(node.func, cst.Name) and node.func.value == "dict" and not qual and not has_star_args(node):
            if all(a.keyword is not None for a in node.args):  # ``dict(min=1e-5, max=1e-1)``: a W&B spec too
                self._wandb_spec(node, {k: (value, a) for k, value, a in dict_call_items(node)}, self._spec_key(node))
        elif qual in TUNE_LINEAR:
            self._tune(node, qual)
        elif qual in HYPEROPT_LINEAR:
            self._hyperopt(node, qual)
        elif qual in SCIPY_UNIFORM:
            self._scipy(node)
        elif method_name(node) == "Float" and isinstance(node.func, cst.Attribute):
            self._keras(node)
        elif qual in SKOPT_REAL:
            self._skopt(node)
        elif qual in CONFIGSPACE_FLOAT:
            self._configspace(node)
        elif qual in RANDOM_UNIFORM or self._rng_uniform(node, qual):
            self._random(node)
        elif qual in BAYES_OPT:
            self._bound_pairs(bayes_opt_bounds(self.ctx, node))

    def _bound_pairs(self, pairs: List[Bounds]) -> None:
        """``(low, high)`` bounds a library searches linearly (bayes_opt, GPyOpt)."""
        for found in pairs:
            low, high = sorted((found.low, found.high))
            name = self._api_name(found.node, found.name) if self.ctx.vocabulary.is_log_scale(found.name, tuning_context=True) else None
            if name is not None and linear_log_scale(low, high) and self._wasted(name, low, high):
                self._report(found.node, name, found.low, found.high, exponent_advice(found), None)

    def _api_name(self, call: cst.Call, label: Optional[str] = None) -> Optional[str]:
        binding = self.binding_of(call)
        if label is not None and self.ctx.vocabulary.is_log_scale(label, tuning_context=True):
            ambiguous = self.ctx.vocabulary.scale(label) is Scale.AMBIGUOUS_LOG
            # ``gamma`` in a space of XGBoost's keys is its loss threshold, not a kernel width
            return None if ambiguous and binding is not None and self.receiver_verdict(binding) is Scale.LINEAR else label
        return None if binding is None else self.tuned_name(binding, {}, api=True)

    def _wasted(self, name: Optional[str], low: Optional[float], high: Optional[float]) -> bool:
        """The zero-lower-bound policy (``ranges.wastes_linear``) for this name."""
        return name is not None and wastes_linear(low, high, self.ctx.vocabulary.zero_is_no_setting(name))

    def _report(self, call: cst.Call, name: str, low: float, high: float, advice: str, fix) -> None:
        reversed_ = ""
        if low > high:
            reversed_ = f" (its bounds are reversed: {bound(low)} comes before {bound(high)})"
            low, high = high, low
        if low <= 0:
            advice = f"a log scale needs a positive lower bound: start at a small value and {advice}"
        self.report(
            call,
            f"{short_code(self.ctx, call)} samples `{name}` uniformly {span_text(low, high)}{reversed_}: "
            f"{uniform_waste(low, high, name)}; {advice}",
            fix,
        )

    def _tune(self, call: cst.Call, qual: str) -> None:
        low, high = held_arg(call, 0, "lower", self.ctx), held_arg(call, 1, "upper", self.ctx)
        if not linear_log_scale(low, high):
            return
        name = self._api_name(call)
        if not self._wasted(name, low, high):
            return
        assert name is not None and low is not None and high is not None
        target = TUNE_LINEAR[qual]
        fix = None
        if not has_star_args(call) and 0 < low < high:
            fix = self.ctx.fix(Safety.SAFE, renamed_func(self, call, target), "use a log-uniform distribution")
        self._report(call, name, low, high, f"use tune.{target.rsplit('.', 1)[1]}(lower, upper)", fix)

    def _hyperopt(self, call: cst.Call, qual: str) -> None:
        label = string_value(arg_value(call, 0, "label"))
        low_node, high_node = arg_value(call, 1, "low"), arg_value(call, 2, "high")
        low = None if low_node is None else number(low_node, self.ctx.imports)
        high = None if high_node is None else number(high_node, self.ctx.imports)
        if not linear_log_scale(low, high):
            return
        name = self._api_name(call, label)
        if not self._wasted(name, low, high):
            return
        assert name is not None and low is not None and high is not None and low_node is not None and high_node is not None
        target = HYPEROPT_LINEAR[qual]
        fix = None
        if not has_star_args(call) and 0 < low < high:
            edits = renamed_func(self, call, target) + wrapped_arg(self, low_node, "math.log") + wrapped_arg(self, high_node, "math.log")
            fix = self.ctx.fix(Safety.SAFE, edits, "use hp.loguniform with natural-log bounds")
        a, b = (self.ctx.code_for(n).strip() for n in ((low_node, high_node) if low < high else (high_node, low_node)))
        if min(low, high) <= 0:
            a = "low"
        self._report(call, name, low, high, f"use hp.{target.rsplit('.', 1)[1]}(..., math.log({a}), math.log({b})) (hyperopt's log bounds are natural-log exponents)", fix)

    def _scipy(self, call: cst.Call) -> None:
        if has_star_args(call):
            return
        loc_node, scale_node = arg_value(call, 0, "loc"), arg_value(call, 1, "scale")
        # scipy's defaults: loc=0, scale=1 (``uniform()`` draws from 0..1)
        loc = 0.0 if loc_node is None else number(loc_node, self.ctx.imports)
        scale = 1.0 if scale_node is None else number(scale_node, self.ctx.imports)
        if loc is None or scale is None or scale <= 0 or not linear_log_scale(loc, loc + scale):
            return
        name = self._api_name(call)
        if not self._wasted(name, loc, loc + scale):
            return
        assert name is not None
        high = plain_number(loc + scale)
        fix = None
        if loc_node is not None and scale_node is not None and len(call.args) == 2 and loc > 0:
            if isinstance(call.func, cst.Attribute):
                local, import_edit = f"{self.ctx.code_for(call.func.value).strip()}.loguniform", None
            else:
                local, import_edit = self.ctx.spell("scipy.stats.loguniform", call)
            text = f"{local}({self.ctx.code_for(loc_node).strip()}, {high})"
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, text), import_edit], "use scipy.stats.loguniform")
        low_code = self.ctx.code_for(loc_node).strip() if loc > 0 and loc_node is not None else ("low" if loc <= 0 else plain_number(loc))
        self._report(call, name, loc, loc + scale, f"scipy's uniform(loc, scale) covers {bound(loc)}..{bound(loc + scale)}: use loguniform({low_code}, {high})", fix)

    def _keras(self, call: cst.Call) -> None:
        label_node = arg_value(call, 0, "name")
        label = string_value(label_node)
        low, high = num_arg(call, 1, "min_value", self.ctx), num_arg(call, 2, "max_value", self.ctx)
        if arg_value(call, 4, "sampling") is not None:
            return  # sampling="linear" is as deliberate as sampling="log"
        if not linear_log_scale(low, high):
            return
        name = self._api_name(call, label)
        if not self._wasted(name, low, high):
            return
        assert name is not None and low is not None and high is not None
        q = quote_of(label_node)
        fix = None
        if low <= 0:
            advice = 'add sampling="log"'
        elif arg(call, 3, "step") is None and not has_star_args(call):
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, set_keyword(call, "sampling", f"{q}log{q}"))], "sample on a log scale")
            advice = 'add sampling="log"'
        else:
            advice = 'drop step= (with sampling="log" it becomes a factor) and add sampling="log"'
        self._report(call, name, low, high, advice, fix)

    def _skopt(self, call: cst.Call) -> None:
        """scikit-optimize's ``Real(low, high)``: its prior is "uniform" unless one is given
        (``prior="uniform"`` written out is as deliberate as ``prior="log-uniform"``)."""
        self._scale_keyword(call, (0, "low"), (1, "high"), string_value(arg_value(call, None, "name")), (2, "prior"),
                            '"log-uniform"', 'add prior="log-uniform" (skopt\'s Real defaults to "uniform")')

    def _configspace(self, call: cst.Call) -> None:
        """ConfigSpace's ``UniformFloatHyperparameter(name, lower, upper)``: linear unless
        ``log=True`` (``log=False`` written out is a choice)."""
        self._scale_keyword(call, (1, "lower"), (2, "upper"), string_value(arg_value(call, 0, "name")), (5, "log"),
                            "True", "add log=True (ConfigSpace samples uniformly without it)")

    def _scale_keyword(self, call: cst.Call, low_at, high_at, label: Optional[str], scale_at, log_value: str, advice: str) -> None:
        """A distribution whose scale keyword (``scale_at``: position, name) is left out, which
        samples linearly: the safe fix sets it to ``log_value``."""
        if arg_value(call, *scale_at) is not None or has_star_args(call):
            return
        low, high = num_arg(call, *low_at, self.ctx), num_arg(call, *high_at, self.ctx)
        if not linear_log_scale(low, high):
            return
        name = self._api_name(call, label)
        if not self._wasted(name, low, high):
            return
        assert name is not None and low is not None and high is not None
        fix = None
        if 0 < low < high:
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, set_keyword(call, scale_at[1], log_value))], "sample on a log scale")
        self._report(call, name, low, high, advice, fix)

    # -- random.uniform ----------------------------------------------------------
    def _rng_uniform(self, call: cst.Call, qual: str) -> bool:
        """``rng.uniform(a, b)`` on a generator an earlier statement made."""
        return method_name(call) == "uniform" and not qual and call in self.ctx.facts(SpaceFacts).rng_calls

    def _random(self, call: cst.Call) -> None:
        parent = self.ctx.parent(call)
        if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Power):
            return  # 10 ** uniform(a, b): the exponent is sampled
        stdlib = arg(call, None, "a") is not None or arg(call, None, "b") is not None
        low = held_arg(call, 0, "a" if stdlib else "low", self.ctx)
        high = held_arg(call, 1, "b" if stdlib else "high", self.ctx)
        if not linear_log_scale(low, high):
            return
        binding = self.binding_of(call)
        if binding is not None:
            self._pending.append((call, binding, (low, high)))

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._pending:
            return  # parents cost a pass over the tree: only files with candidates pay it
        uses = self.tuning_uses()
        for call, binding, (low, high) in self._pending:
            name = self.tuned_name(binding, uses)
            if not self._wasted(name, low, high) or self.exponent_grid(binding):
                continue
            log10, _ = self.ctx.spell("math.log10", call)
            callee = self.ctx.code_for(call.func).strip()
            a, b = (self.ctx.code_for(call.args[i].value).strip() for i in (0, 1))
            advice = f"sample the exponent: 10 ** {callee}({log10}({a}), {log10}({b}))"
            self._report(call, name, low, high, advice, self._random_fix(call) if 0 < low < high else None)

    def _random_fix(self, call: cst.Call):
        if has_star_args(call) or len(call.args) < 2 or any(a.keyword is not None for a in call.args[:2]):
            return None
        log10, import_edit = self.ctx.spell("math.log10", call)
        args = list(call.args)
        for index in (0, 1):
            inner = self.ctx.code_for(args[index].value).strip()
            args[index] = args[index].with_changes(value=cst.parse_expression(f"{log10}({inner})"))
        power = cst.BinaryOperation(
            left=cst.Integer("10"),
            operator=cst.Power(whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")),
            right=call.with_changes(args=args),
        )
        parent = self.ctx.parent(call)
        if not isinstance(parent, (cst.Assign, cst.AnnAssign, cst.Arg, cst.DictElement, cst.Element, cst.Return)):
            power = power.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return self.ctx.fix(Safety.SAFE, [self.ctx.replace(call, power), import_edit], "sample the exponent")

    # -- W&B sweeps ---------------------------------------------------------------
    def visit_Dict(self, node: cst.Dict) -> None:
        domain = gpyopt_bounds(self.ctx, node)
        if domain is not None:
            self._bound_pairs([domain])
            return
        ranged = ax_range(self.ctx, node)
        if ranged is not None:
            self._ax(node, ranged)
            return
        self._wandb_spec(node, {k: (value, element) for k, value, element in dict_items(node)}, self._spec_key(node))

    def _spec_key(self, node: Union[cst.Dict, cst.Call]) -> Optional[str]:
        """The parameter a W&B spec is written for: its dict key, or its keyword (``lr=dict(...)``)."""
        parent = self.ctx.parent(node)
        if isinstance(parent, cst.DictElement) and parent.value is node:
            return string_value(parent.key)
        return parent.keyword.value if isinstance(parent, cst.Arg) and parent.keyword is not None else None

    def _wandb_spec(self, node: Union[cst.Dict, cst.Call], items: Dict[str, tuple], key: Optional[str]) -> None:
        """A W&B parameter spec (a dict literal or ``dict(...)``) sampled linearly over decades."""
        if "min" not in items or "max" not in items or not set(items) <= WANDB_KEYS:
            return
        dist_node = items.get("distribution", (None, None))[0]
        dist = string_value(dist_node) if dist_node is not None else None
        if dist_node is not None and dist not in WANDB_LOG:
            return
        low_node, high_node = items["min"][0], items["max"][0]
        if dist is None and isinstance(low_node, cst.Integer) and isinstance(high_node, cst.Integer):
            return  # integer bounds: W&B infers int_uniform
        low, high = number(low_node, self.ctx.imports), number(high_node, self.ctx.imports)
        if low is None or high is None or low >= high or not linear_log_scale(low, high):
            return
        if not self._wandb_context(node, dist_node is not None):
            return
        target = None if key is None else linear_spec_target(key, dist, low, high, self.ctx.vocabulary)
        if key is None or target is None:
            return
        if dist_node is not None:
            q = quote_of(dist_node)
            edit = self.ctx.replace(dist_node, f"{q}{target}{q}")
        elif isinstance(node, cst.Call):
            keyword = cst.Arg(
                keyword=cst.Name("distribution"), value=cst.SimpleString(f'"{target}"'),
                equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
            )
            edit = self.ctx.replace(node, append_arg(node, keyword))
        else:
            q = quote_of(next(iter(e.key for e in node.elements if isinstance(e, cst.DictElement))))
            element = cst.DictElement(
                key=cst.SimpleString(f"{q}distribution{q}"),
                value=cst.SimpleString(f"{q}{target}{q}"),
            )
            edit = self.ctx.replace(node, append_dict_element(node, element))
        self.report(
            node,
            linear_spec_message(key, dist, low, high, target),
            self.ctx.fix(Safety.SAFE, [edit], "sample on a log scale") if low > 0 else None,
        )

    def _ax(self, node: cst.Dict, found: Bounds) -> None:
        """An Ax range parameter without ``log_scale``: the fix adds ``"log_scale": True``."""
        low, high = sorted((found.low, found.high))
        name = found.name if self.ctx.vocabulary.is_log_scale(found.name, tuning_context=True) else None
        if name is None or not linear_log_scale(low, high) or not self._wasted(name, low, high):
            return
        q = quote_of(next(iter(e.key for e in node.elements if isinstance(e, cst.DictElement))))
        element = cst.DictElement(key=cst.SimpleString(f"{q}log_scale{q}"), value=cst.Name("True"))
        fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(node, append_dict_element(node, element))], "sample on a log scale") if low > 0 else None
        self._report(found.node, name, found.low, found.high, 'add "log_scale": True (Ax searches a range linearly without it)', fix)

    def _wandb_context(self, node: Union[cst.Dict, cst.Call], has_distribution: bool) -> bool:
        """A W&B parameter spec: a "distribution" key, a "parameters" dict, or a wandb file."""
        if has_distribution or WANDB_WORD in self.ctx.file_text:
            return True
        outer = self.ctx.parent(self.ctx.parent(node))
        holder = self.ctx.parent(outer) if outer is not None else None
        if isinstance(holder, cst.DictElement) and string_value(holder.key) == "parameters":
            return True
        if isinstance(holder, cst.Arg) and holder.keyword is not None and holder.keyword.value == "parameters":
            return True  # ``parameters=dict(lr=dict(min=..., max=...))``
        if isinstance(holder, (cst.Assign, cst.AnnAssign)):
            targets = holder.targets if isinstance(holder, cst.Assign) else [holder]
            return any("parameters" in normalize(n) or "sweep" in normalize(n) for t in targets for n in target_names(t.target))
        return False
