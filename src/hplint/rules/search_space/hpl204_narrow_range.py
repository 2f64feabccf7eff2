"""HPL204 (opt-in): a log-scale hyperparameter searched within less than a decade.

Ranges read from Optuna suggest calls, distributions (Ray Tune, Hyperopt,
scipy, Optuna, Keras Tuner) and grid calls (linspace, geomspace, logspace).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Optional, Tuple

from hplint.core.file_facts import text_word
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.triggers import Calls, Names
from hplint.reading.calls import arg, arg_value, method_name, string_value
from hplint.reading.numbers import format_number
from hplint.reading.ranges import decades, is_narrow, real_values
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, Scale
from hplint.rules.search_space.facts import (
    FAMILY,
    HYPEROPT_EXP,
    LINSPACE,
    LOGSPACE,
    SCIPY_UNIFORM,
    _TrialRule,
    num_arg,
    star_imported,
    suggest_bounds,
)
from hplint.rules.search_space.wording import sci, short_code

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

GEOMSPACE = frozenset({"numpy.geomspace", "jax.numpy.geomspace"})
TUNE_RANGES = frozenset({"ray.tune.uniform", "ray.tune.loguniform", "ray.tune.quniform", "ray.tune.qloguniform"})
HYPEROPT_REAL = frozenset({"hyperopt.hp.uniform", "hyperopt.hp.quniform"})
SCIPY_LOG = frozenset({"scipy.stats.loguniform", "scipy.stats.reciprocal"})
RANGE_CALLS = (
    "suggest_float", "suggest_uniform", "suggest_loguniform", "uniform", "loguniform", "quniform",
    "qloguniform", "reciprocal", "Float", "linspace", "geomspace", "logspace",
)


# a fine-tuning file (``from_pretrained``): a narrow learning-rate range may be meant
PRETRAINED = text_word("pretrained")


def _strictly_log_scale_name(name: str) -> bool:
    return DEFAULT_VOCABULARY.scale(name) is Scale.LOG


def wider_range(low: float, high: float) -> Tuple[str, str]:
    """Three decades around the geometric middle of a narrow range: 0.005..0.015 -> 1e-4..1e-1."""
    middle = math.log10(math.sqrt(low * high))
    return sci(10 ** math.floor(middle - 1)), sci(10 ** math.ceil(middle + 1))


@register
class NarrowRange(_TrialRule):
    code = "HPL204"
    name = "search-range-too-narrow"
    family = FAMILY
    summary = "Log-scale hyperparameter searched over less than one decade"
    why = (
        "A first search over a learning rate or a regularisation strength should span 2-3 "
        "decades: good values move by 10x between models, datasets and batch sizes. "
        "np.linspace(0.005, 0.015, 50) spends 50 trainings inside a factor of 3 (0.48 decades); "
        "if the optimum is 1e-3 the search cannot find it and every point looks alike. "
        "np.logspace(-4, -1, 50) covers 1e-4..1e-1 with the same budget; narrow down in a "
        "second, focused phase once the best decade is known. Deliberate fine-tuning ranges "
        "(2e-5..5e-5 for a pretrained transformer) are common, so this rule is opt-in, and a "
        "learning rate at or under 1e-4 in a file that loads pretrained weights is left alone."
    )
    default_enabled = False
    methods = ("suggest_float", "suggest_uniform", "suggest_loguniform")

    demonstration = "range"
    # a report is a range read from a suggest call, a distribution or a grid
    # call, for a parameter the vocabulary calls log-scale (not ambiguous)
    trigger = Calls(*RANGE_CALLS, suffixes=("Distribution",)) & Names(_strictly_log_scale_name, "log-scale")
    bad_examples = (
        Example(
            """
            def objective(trial):
                lr = trial.suggest_float("lr", 0.005, 0.015)
                return train(lr)
            """
        ),
        Example(
            """
            import numpy as np
            learning_rates = np.linspace(0.005, 0.015, 50)
            """
        ),
    )
    good_examples = (
        Example(
            """
            import numpy as np
            def objective(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-2, log=True)
                momentum = trial.suggest_float("momentum", 0.85, 0.99)  # bounded
                return train(lr, momentum)
            learning_rates = np.logspace(-4, -1, 50)
            """
        ),
    )

    def check_suggest(self, call: cst.Call) -> None:
        name, low, high = suggest_bounds(call, self.ctx)
        if self.ctx.vocabulary.is_log_scale(name, tuning_context=True) and is_narrow(low, high):
            self._report(call, name, low, high)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        found = self._api_range(node)
        if found is None:
            return
        label, low, high, deferred = found
        if not is_narrow(low, high):
            return
        if label is not None and self.ctx.vocabulary.is_log_scale(label, tuning_context=True):
            self._report(node, label, low, high)
            return
        binding = self.binding_of(node)
        if binding is None:
            return
        if deferred:
            self._pending.append((node, binding, (low, high)))
            return
        name = self.tuned_name(binding, {}, api=True)
        if name is not None:
            self._report(node, name, low, high)

    def _api_range(self, call: cst.Call) -> Optional[Tuple[Optional[str], Optional[float], Optional[float], bool]]:
        """(label, low, high, needs-file-context) of a distribution or grid call."""
        qual = self.qualify(call.func) or star_imported(self.ctx, call.func) or ""
        ctx = self.ctx
        if qual in TUNE_RANGES:
            return None, num_arg(call, 0, "lower", ctx), num_arg(call, 1, "upper", ctx), False
        if qual in HYPEROPT_REAL | HYPEROPT_EXP:
            label = string_value(arg_value(call, 0, "label"))
            low, high = num_arg(call, 1, "low", ctx), num_arg(call, 2, "high", ctx)
            if qual in HYPEROPT_EXP and real_values(low, high):
                return None  # HPL205's finding: real values where exponents belong
            if qual in HYPEROPT_EXP and low is not None and high is not None and max(abs(low), abs(high)) < 50:
                low, high = math.exp(low), math.exp(high)
            return label, low, high, False
        if qual in SCIPY_LOG:
            return None, num_arg(call, 0, "a", ctx), num_arg(call, 1, "b", ctx), False
        if qual in SCIPY_UNIFORM:
            loc, scale = num_arg(call, 0, "loc", ctx), num_arg(call, 1, "scale", ctx)
            return None, loc, None if loc is None or scale is None else loc + scale, False
        if qual.split(".")[0] in ("optuna", "pycaret") and qual.endswith("Distribution") and "Int" not in qual and "Categorical" not in qual:
            pycaret = qual.startswith("pycaret")
            return None, num_arg(call, 0, "lower" if pycaret else "low", ctx), num_arg(call, 1, "upper" if pycaret else "high", ctx), False
        if method_name(call) == "Float" and isinstance(call.func, cst.Attribute):
            return string_value(arg_value(call, 0, "name")), num_arg(call, 1, "min_value", ctx), num_arg(call, 2, "max_value", ctx), False
        if qual in LINSPACE | GEOMSPACE | LOGSPACE:
            return self._grid_range(call, qual)
        return None

    def _grid_range(self, call: cst.Call, qual: str):
        torch = qual.startswith("torch.")
        start = num_arg(call, 0, "start", self.ctx)
        stop = num_arg(call, 1, "end" if torch else "stop", self.ctx)
        count = num_arg(call, 2, "steps" if torch else "num", self.ctx)
        if start is None or stop is None or (count is None and arg(call, 2, "num") is not None) or (count is not None and count > 100):
            return None  # a schedule or a plot axis, not a search grid
        if qual in LOGSPACE:
            if max(abs(start), abs(stop)) > 30 or real_values(start, stop):
                return None
            start, stop = 10 ** start, 10 ** stop
        return None, min(start, stop), max(start, stop), True

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)
        if not self._pending:
            return  # parents cost a pass over the tree: only files with candidates pay it
        uses = self.tuning_uses()
        for node, binding, (low, high) in self._pending:
            name = self.tuned_name(binding, uses)
            if name is not None and not self.exponent_grid(binding):
                self._report(node, name, low, high)

    def _fine_tuning(self, name: str, high: float) -> bool:
        """A learning rate at or under 1e-4 in a file that loads pretrained weights
        (``from_pretrained``, ``pretrained=True``): the narrow range a fine-tuning
        recipe prescribes (2e-5..5e-5 for a transformer), not a first search."""
        return self.ctx.vocabulary.is_learning_rate(name) and high <= 1e-4 and PRETRAINED in self.ctx.file_text.lower()

    def _report(self, node: cst.CSTNode, name: str, low: float, high: float) -> None:
        if self.ctx.vocabulary.scale(name) is not Scale.LOG:
            return  # epsilon, alpha, gamma: often thresholds or bounded, never judged narrow
        if self._fine_tuning(name, high):
            return
        wide_low, wide_high = wider_range(low, high)
        self.report(
            node,
            f"{short_code(self.ctx, node)} searches `{name}` only within {high / low:.2g}x "
            f"({format_number(low)}..{format_number(high)}, {decades(low, high):.2f} of a decade): an optimum outside "
            f"it cannot be found; search 2-3 decades first "
            f"(e.g. {wide_low}..{wide_high} on a log scale), then narrow around the best value in a second phase",
        )
