"""HPL201: a grid that spaces a log-scale hyperparameter linearly.

``np.linspace``/``np.arange`` and literal lists evenly spaced over more than a
decade, tried for a learning rate, a weight decay or a regularisation
strength; the fix swaps in the geometric spacing with the same endpoints.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.structure import Nodes, NumberLists
from hplint.prefilter.triggers import Calls, Names, all_of, any_of, bounds, may_span_decades
from hplint.reading.calls import arg, arg_value, has_star_args, in_test_function
from hplint.reading.held_numbers import held_number
from hplint.reading.numbers import UNKNOWN, comprehension_values, format_number, literal_elements, number, number_list, parse_expression
from hplint.reading.ranges import DECADE, EPS, evenly_over_decades, linear_log_scale, loosely_even, spans_decades
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, normalize, tokens
from hplint.rules.search_space.edits import renamed_func, wrapped_arg
from hplint.rules.search_space.facts import (
    FAMILY,
    LINSPACE,
    LOG_SCALE_NAMES,
    Binding,
    _log_scale_name,
    _SpaceRule,
    callee_last,
    held_arg,
    num_arg,
)
from hplint.rules.search_space.tried_for import tried_for
from hplint.rules.search_space.wording import decades_text, points_waste, sci, short_code

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

ARANGE = frozenset({"numpy.arange", "torch.arange", "jax.numpy.arange"})
# Words in a point count that mark a schedule (one value per step), not a search grid.
SCHEDULE_COUNT_TOKENS = frozenset({"step", "steps", "epoch", "epochs", "iter", "iters", "iteration", "iterations", "warmup", "total", "len", "batches", "updates"})


def arange_points(start: float, stop: float, step: float, inclusive: bool = False, cap: int = 1_000_000) -> Optional[List[float]]:
    if step <= 0 or stop <= start:
        return None
    count = math.ceil((stop - start) / step - EPS)
    if inclusive and start + count * step <= stop * (1 + EPS):
        count += 1
    if count <= 0 or count > cap:
        return None
    return [start + i * step for i in range(count)]


def linspace_points(start: float, stop: float, num: int) -> List[float]:
    if num == 1:
        return [start]
    step = (stop - start) / (num - 1)
    return [start + i * step for i in range(num)]


def _floor_2_digits(value: int) -> str:
    """A count rounded down to two significant digits (a bound that stays true): 111111112 -> 1.1e8."""
    if value < 1000:
        return str(value)
    exp = int(math.floor(math.log10(value)))
    mantissa = math.floor(value / 10 ** (exp - 1)) / 10
    return f"{mantissa:g}e{exp}"


def geometric(low: float, high: float, num: int) -> List[float]:
    return [low * (high / low) ** (i / (num - 1)) for i in range(num)]


def _even_over_decade(values: Sequence[Optional[float]]) -> bool:
    """Some window of >= 3 consecutive values could pass ``loosely_even`` and ``spans_decades``.

    Such a window's steps after the first are within 2% of each other, so
    they lie in one stretch of neighbouring steps within 5%; the window is
    that stretch plus at most one value before it.
    """
    count = len(values)
    index = 0
    while index < count - 2:
        end = index
        while end + 2 < count and _steps_match(values[end], values[end + 1], values[end + 2]):
            end += 1
        if end > index:  # values[index .. end + 1] are evenly spaced
            window = [v for v in values[max(0, index - 1) : end + 2] if v is not None and v > 0]
            if len(window) >= 2 and may_span_decades(min(window), max(window)):
                return True
            index = end
        else:
            index += 1
    return False


def _steps_match(a: Optional[float], b: Optional[float], c: Optional[float]) -> bool:
    if a is None or b is None or c is None:
        return False
    first, second = b - a, c - b
    if first == 0 or second == 0 or (first > 0) != (second > 0):
        return False
    return abs(second - first) <= 0.05 * max(abs(first), abs(second))


def _value_before_may_matter(after: Sequence[Optional[float]]) -> bool:
    """Could a passing window start at the value before the run's first comma?

    That value ``v0`` steps to ``v1`` by 0.45..1.1 times ``v1``'s step to
    ``v2`` (strict or first-step allowance of ``loosely_even``); the bounds
    below say whether any such ``v0`` could make a window span a decade.
    """
    if len(after) < 2 or after[0] is None or after[1] is None:
        return False
    v1, v2 = after[0], after[1]
    step = v2 - v1
    if step == 0:
        return False
    end = 1
    while end + 1 < len(after) and _steps_match(after[end - 1], after[end], after[end + 1]):
        end += 1
    stretch = after[: end + 1]
    if step > 0:
        if v1 - 0.45 * step <= 0:
            return False  # v0 <= 0: no window holding it spans decades
        least = v1 - 1.1 * step
        return least <= 0 or stretch[-1] / least > DECADE * (1 - 1e-6)  # type: ignore[operator]
    most = v1 - 1.1 * step
    positives = [v for v in stretch if v is not None and v > 0]
    return bool(positives) and most / min(positives) > DECADE * (1 - 1e-6)


def _evenly_spaced_run(run) -> bool:
    """A run of numbers in the text that may hold an evenly spaced list over a decade."""
    values = run.values
    if any(v is UNKNOWN for v in values) or _even_over_decade(values):
        return True
    if _value_before_may_matter(values):
        before = run.before()
        return before is UNKNOWN or _even_over_decade([before] + values)
    return False


@dataclass
class Grid:
    """A grid of values found in the code: its points, and how to spell a better one."""

    points: List[float]  # for a count not visible here: the two ends
    suggestion: str
    edits: Optional[list] = None
    count_code: Optional[str] = None  # the count's code when it is not a constant here

    @property
    def from_zero(self) -> bool:
        """Starts at 0: wasteful only where 0 is no setting (``zero_is_no_setting``)."""
        return min(self.points) == 0


def _from_zero_grid(points: Sequence[float]) -> Grid:
    """A grid from 0: no geometric grid starts there, so the advice names its first positive point."""
    rest = sorted(p for p in points if p > 0)
    low, high = rest[0], rest[-1]
    return Grid(list(points), f"a positive start and geometric spacing, such as np.geomspace({format_number(low, 3)}, {format_number(high, 3)}, {len(rest)})")


def _over_decades(points: Sequence[float]) -> bool:
    """Positive points over a decade apart, or 0 then positive points over a decade apart."""
    low, high = min(points), max(points)
    if low == 0:
        rest = [p for p in points if p > 0]
        return bool(rest) and spans_decades(min(rest), high)
    return spans_decades(low, high)


def _over_positive_decades(low: float, high: float) -> bool:
    return linear_log_scale(low, high) and min(low, high) > 0


def _from_zero(low: float, high: float) -> bool:
    return linear_log_scale(low, high) and min(low, high) <= 0


def _spacing_calls(holds, named, names: bool = False) -> Calls:
    """``linspace``/``arange`` calls outside tests whose constant bounds ``holds``,
    whose value may be tried for a name ``named`` accepts (``tried_for``); ``names``:
    a bound may be a name holding a constant (``reading.held_numbers``).  A ``range``
    counts with literal bounds only (``range(1, n_clusters)`` is a count)."""
    return Calls(
        "linspace", "arange", "np_list_arange",
        where=all_of(
            any_of(bounds((0, ("start",)), (1, ("stop",)), holds, names=names), bounds((0, ("start",)), (1, ("end",)), holds, names=names)),
            tried_for(named),
        ),
        outside_tests=True,
    ) | Calls("range", where=all_of(bounds((0, ()), (1, ()), holds), tried_for(named)), outside_tests=True)  # literal bounds only


# what the text of a comprehension over a constant range shows (``comprehension_values``
# evaluates the range's arguments: numbers and arithmetic, never a name)
_RANGE_END = re.compile(r"\s*\([\da-fA-FxXoObB\s+\-*/.,()_]*\)(?:\s|#[^\n]*)*\]")  # 0x3e9, 0o17, 0b101 too


def _comprehension_text(scan) -> bool:
    """``in range(<numbers>)]``: the end of a list comprehension whose one loop, with no
    ``if``, runs over a constant range (what ``comprehension_values`` computes)."""
    text = scan.text
    at = text.find("range")
    while at >= 0:
        before = text[max(0, at - 16) : at].rstrip(" \t\n(")
        if before.endswith("in") and (len(before) == 2 or not (before[-3].isalnum() or before[-3] == "_")) and _RANGE_END.match(text, at + 5):
            return True
        at = text.find("range", at + 5)
    return False


def _even_comprehension(node: ast.AST, index) -> bool:
    """``visit_ListComp``'s grid: computed values evenly spaced over more than a decade."""
    values = comprehension_values(node, index.imports.qualifier())
    return bool(values) and loosely_even(values) and spans_decades(min(values), max(values))  # type: ignore[arg-type]


def _zero_is_no_setting(name: str) -> bool:
    return DEFAULT_VOCABULARY.zero_is_no_setting(name)


# a grid from 0 is reported only for these names (HPL202/HPL203's zero policy)
ZERO_IS_NO_SETTING_NAMES = Names(_zero_is_no_setting, "zero-is-no-setting")


@register
class LinearSpacingLogScale(_SpaceRule):
    code = "HPL201"
    name = "linear-spacing-log-scale"
    family = FAMILY
    summary = "Linearly spaced values for a log-scale hyperparameter (learning rate, weight decay, regularisation)"
    why = (
        "A learning rate, weight decay or regularisation strength acts by its order of magnitude: "
        "3e-4 and 3e-3 differ as much as 3e-3 and 3e-2. Linear spacing puts almost every point in "
        "the top decade: np.linspace(1e-4, 1e-2, 6) tries 1e-4, 2.1e-3, 4.1e-3, 6.0e-3, 8.0e-3 and "
        "1e-2, so 5 of 6 points are above 2e-3 and an optimum at 3e-4 is never approached. "
        "np.geomspace(1e-4, 1e-2, 6) tries 1e-4, 2.5e-4, 6.3e-4, 1.6e-3, 4e-3, 1e-2: every decade "
        "gets the same share of the same budget. A grid from 0 follows HPL202/HPL203's "
        "zero policy: reported for a learning rate or `C` (0 is no setting of them), silent for "
        "a penalty, where 0 means \"off\". A count that is not a constant here "
        "(`np.linspace(1, 1e9, n)`) is reported with what holds for every count. Bounds and "
        "counts held by names of the file assigned once (`np.linspace(LR_MIN, LR_MAX, N_RATES)`, "
        "`RANGE[0]`) are read through them, for a grid over positive values. A list "
        "comprehension over a constant `range` (`[i / 1000 for i in range(1, 1001, 100)]`) is "
        "read as the values it computes (no fix: the formula is the author's), and so is a "
        "`range` with constant bounds (`\"C\": range(1, 1002, 100)`)."
    )
    fix_description = (
        "`np.linspace(a, b, n)` -> `np.geomspace(a, b, n)` (same module alias, bounds and count); "
        "`torch.linspace(a, b, n)` -> `torch.logspace(math.log10(a), math.log10(b), n)`; a literal "
        "evenly spaced list -> a geometric list with the same endpoints and count, rounded to 2 "
        "significant digits. `np.arange` grids are reported without a fix (their count is implicit)."
    )
    fix_safety = Safety.SAFE

    demonstration = "spacing"
    # a report is a spacing call with constant bounds over a decade apart, or
    # a literal list evenly spaced over more than a decade, outside tests,
    # tried for a parameter with a log-scale name
    # (from 0: for a name 0 is no setting of, the zero policy)
    trigger = (
        (
            _spacing_calls(_over_positive_decades, _log_scale_name, names=True)
            | NumberLists(evenly_over_decades, _evenly_spaced_run, outside_tests=True)
            | Nodes(ast.ListComp, holds=_even_comprehension, label="comprehension over a range", text=_comprehension_text)
        )
        & LOG_SCALE_NAMES
    ) | (_spacing_calls(_from_zero, _zero_is_no_setting) & ZERO_IS_NO_SETTING_NAMES)
    bad_examples = (
        Example(
            """
            import numpy as np
            for lr in np.linspace(0.0001, 0.01, 6):
                train(lr=lr)
            """,
            fixed="""
            import numpy as np
            for lr in np.geomspace(0.0001, 0.01, 6):
                train(lr=lr)
            """,
        ),
        Example(
            """
            weight_decays = [0.0001, 0.002, 0.004, 0.006, 0.008, 0.01]
            """,
            fixed="""
            weight_decays = [0.0001, 0.00025, 0.00063, 0.0016, 0.004, 0.01]
            """,
        ),
        Example(
            """
            import numpy as np
            from sklearn.svm import SVC
            from sklearn.model_selection import GridSearchCV
            C_range = np.linspace(0.01, 30, 50)
            search = GridSearchCV(SVC(), {"C": C_range})
            """,
            fixed="""
            import numpy as np
            from sklearn.svm import SVC
            from sklearn.model_selection import GridSearchCV
            C_range = np.geomspace(0.01, 30, 50)
            search = GridSearchCV(SVC(), {"C": C_range})
            """,
            note="`C` is a regularisation strength here because the grid goes to GridSearchCV.",
        ),
        Example(
            """
            from sklearn.svm import SVC
            from sklearn.model_selection import GridSearchCV
            search = GridSearchCV(SVC(), {"C": range(1, 1002, 100), "kernel": ["linear", "rbf"]})
            """,
            note="A stepped `range` is linear spacing too: 10 of its 11 values are 101 or more.",
        ),
    )
    good_examples = (
        Example(
            """
            import numpy as np
            for lr in np.geomspace(1e-4, 1e-2, 6):
                train(lr=lr)
            """
        ),
        Example(
            """
            import numpy as np
            import matplotlib.pyplot as plt
            for alpha in np.linspace(0.1, 1.0, 10):
                plt.plot(x, y, alpha=alpha)  # transparency, not a penalty
            dropouts = np.linspace(0.0, 0.5, 6)  # bounded: linear is right
            lr_schedule = np.linspace(1e-2, 1e-4, num_steps)  # a schedule, one value per step
            """,
            note="Transparency, bounded parameters and schedules are not search grids.",
        ),
        Example(
            """
            import numpy as np
            exponents = np.linspace(-8, 2, 100)
            for x in exponents:
                fit(lam=10 ** x)  # exponents are already log-spaced
            """
        ),
        Example(
            """
            from sklearn.neighbors import KNeighborsClassifier
            for k in range(1, 200, 10):
                KNeighborsClassifier(n_neighbors=k).fit(X, y)  # a count: linear is right
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        grid = self._call_grid(node)
        if grid is not None:
            self._remember(node, grid)

    def visit_List(self, node: cst.List) -> None:
        self._literal(node)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        """``[i / 1000 for i in range(1, 1001, 100)]``: values computed from a range (no fix:
        the comprehension is the author's formula)."""
        tree = parse_expression(self.ctx.code_for(node))
        values = comprehension_values(tree, self.ctx.imports.qualifier()) if tree is not None else None
        if values and loosely_even(values) and spans_decades(min(values), max(values)):
            first, last = values[0], values[-1]
            self._remember(node, Grid(values, f"np.geomspace({format_number(first, 3)}, {format_number(last, 3)}, {len(values)})"))

    def visit_Tuple(self, node: cst.Tuple) -> None:
        self._literal(node)

    def _remember(self, node: cst.CSTNode, grid: Grid) -> None:
        if in_test_function(self.ctx, node):
            return
        binding = self.binding_of(node)
        if binding is not None:
            self._pending.append((node, binding, grid))

    def _literal(self, node: cst.CSTNode) -> None:
        values = number_list(node, self.ctx.imports)
        if not values or not loosely_even(values) or not spans_decades(min(values), max(values)):
            return
        first, last = values[0], values[-1]
        new = [format_number(v) for v in geometric(first, last, len(values))]
        if len(set(new)) < len(new):
            grid = Grid(values, f"np.geomspace({format_number(first, 3)}, {format_number(last, 3)}, {len(values)})")
        else:
            shown = "[" + ", ".join(new) + "]" if len(values) <= 8 else f"np.geomspace({format_number(first, 3)}, {format_number(last, 3)}, {len(values)}) rounded to 2 digits"
            elements = literal_elements(node) or []
            edits = [self.ctx.replace(e, text) for e, text in zip(elements[1:-1], new[1:-1])]
            grid = Grid(values, f"a geometric list such as {shown}", edits)
        self._remember(node, grid)

    def _call_grid(self, call: cst.Call) -> Optional[Grid]:
        qual = self.qualify(call.func)
        if qual in LINSPACE:
            return self._linspace(call, qual)
        if qual in ARANGE or callee_last(call) == "np_list_arange":
            return self._arange(call, qual or "numpy.arange")
        if isinstance(call.func, cst.Name) and call.func.value == "range" and qual in (None, "", "range"):
            return self._arange(call, "range")
        return None

    def _linspace(self, call: cst.Call, qual: str) -> Optional[Grid]:
        torch = qual.startswith("torch.")
        start, stop = self._held_bounds(call, "end" if torch else "stop")
        count_node = arg_value(call, 2, "steps" if torch else "num")
        if count_node is None:
            count: Optional[float] = None if torch else 50.0  # numpy's default num
        else:
            count = held_number(self.ctx, count_node)
        if count is None and count_node is not None and start is not None and stop is not None:
            return self._unknown_count(call, qual, torch, start, stop, count_node)
        if start is None or stop is None or count is None or count != int(count) or count < 3:
            return None
        endpoint = arg_value(call, None, "endpoint")
        if endpoint is not None and not (isinstance(endpoint, cst.Name) and endpoint.value == "True"):
            if not (isinstance(endpoint, cst.Name) and endpoint.value == "False"):
                return None
            points = [start + i * (stop - start) / count for i in range(int(count))]
        else:
            points = linspace_points(start, stop, int(count))
        if not _over_decades(points):
            return None
        if min(points) == 0:
            return _from_zero_grid(points)
        a, b = (self.ctx.code_for(arg_value(call, i, k)).strip() for i, k in ((0, "start"), (1, "end" if torch else "stop")))
        n = self.ctx.code_for(count_node).strip() if count_node is not None else "50"
        if torch:
            log10, _ = self.ctx.spell("math.log10", call)
            suggestion = f"{self._module_text(call, 'torch')}.logspace({log10}({a}), {log10}({b}), {n})"
        else:
            suggestion = f"{self._module_text(call, 'numpy')}.geomspace({a}, {b}, {n})" if isinstance(call.func, cst.Attribute) else f"geomspace({a}, {b}, {n})"
        return Grid(points, suggestion, self._linspace_fix(call, qual, torch))

    def _held_bounds(self, call: cst.Call, end: str) -> Tuple[Optional[float], Optional[float]]:
        """The two bounds, read through names of the file (``np.linspace(LR_MIN, LR_MAX, 8)``)
        only for a grid over positive values (the trigger's names: a grid from 0 is literal)."""
        start, stop = held_arg(call, 0, "start", self.ctx), held_arg(call, 1, end, self.ctx)
        literal = num_arg(call, 0, "start", self.ctx), num_arg(call, 1, end, self.ctx)
        if (start, stop) != literal and (start is None or stop is None or min(start, stop) <= 0):
            return literal
        return start, stop

    def _unknown_count(self, call: cst.Call, qual: str, torch: bool, start: float, stop: float, count_node: cst.BaseExpression) -> Optional[Grid]:
        """``np.linspace(1, 1e9, n)``: the spacing is linear whatever ``n`` is."""
        if arg_value(call, None, "endpoint") is not None or not spans_decades(min(start, stop), max(start, stop)):
            return None
        a, b = (self.ctx.code_for(arg_value(call, i, k)).strip() for i, k in ((0, "start"), (1, "end" if torch else "stop")))
        n = self.ctx.code_for(count_node).strip()
        if torch:
            log10, _ = self.ctx.spell("math.log10", call)
            suggestion = f"{self._module_text(call, 'torch')}.logspace({log10}({a}), {log10}({b}), {n})"
        else:
            suggestion = f"{self._module_text(call, 'numpy')}.geomspace({a}, {b}, {n})" if isinstance(call.func, cst.Attribute) else f"geomspace({a}, {b}, {n})"
        return Grid([start, stop], suggestion, self._linspace_fix(call, qual, torch), count_code=n)

    def _module_text(self, call: cst.Call, default: str) -> str:
        if isinstance(call.func, cst.Attribute):
            return self.ctx.code_for(call.func.value).strip()
        return self.ctx.imports.local_name(default) or default

    def _linspace_fix(self, call: cst.Call, qual: str, torch: bool) -> Optional[list]:
        if has_star_args(call) or arg(call, None, "retstep") is not None:
            return None
        if not torch:
            return renamed_func(self, call, qual.rsplit(".", 1)[0] + ".geomspace")
        edits = renamed_func(self, call, "torch.logspace")
        for index, keyword in ((0, "start"), (1, "end")):
            edits += wrapped_arg(self, arg_value(call, index, keyword), "math.log10")
        return edits

    def _arange(self, call: cst.Call, qual: str) -> Optional[Grid]:
        if has_star_args(call) or len(call.args) < 2:
            return None
        if qual == "range":  # literal bounds and step only: a range over names is a count
            start, stop = num_arg(call, 0, None, self.ctx), num_arg(call, 1, None, self.ctx)
            step = num_arg(call, 2, None, self.ctx) if len(call.args) > 2 else 1.0
        else:
            start, stop = self._held_bounds(call, "stop" if "torch" not in qual else "end")
            step = held_arg(call, 2, "step", self.ctx) if arg(call, 2, "step") is not None else 1.0
        inclusive = arg_value(call, None, "inclusive")
        closed = isinstance(inclusive, cst.Name) and inclusive.value == "True"
        if start is None or stop is None or step is None:
            return None
        points = arange_points(start, stop, step, closed)
        if not points or len(points) < 3 or not _over_decades(points):
            return None
        if min(points) == 0:
            return _from_zero_grid(points)
        module = "torch" if qual.startswith("torch.") else "np"
        if module == "torch":
            suggestion = f"torch.logspace(math.log10({format_number(points[0], 3)}), math.log10({format_number(points[-1], 3)}), {len(points)})"
        else:
            suggestion = f"np.geomspace({format_number(points[0], 3)}, {format_number(points[-1], 3)}, {len(points)})"
        return Grid(points, suggestion)

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._pending:
            return  # parents cost a pass over the tree: only files with candidates pay it
        uses = self.tuning_uses()
        for node, binding, grid in self._pending:
            name = self.tuned_name(binding, uses)
            if name is None or self.exponent_grid(binding) or self._schedule(node, binding, grid, name):
                continue
            if grid.from_zero and not self.ctx.vocabulary.zero_is_no_setting(name):
                continue  # a penalty's grid from 0 ("off"): deliberate
            fix = self.ctx.fix(Safety.SAFE, grid.edits, "use log spacing") if grid.edits else None
            self.report(node, f"{short_code(self.ctx, node)} for `{name}`: {self._waste(grid)}; use {grid.suggestion}", fix)

    @staticmethod
    def _waste(grid: Grid) -> str:
        if grid.count_code is None and grid.from_zero:
            rest = [p for p in grid.points if p > 0]
            return f"its first point is 0, no setting of it, and {points_waste(rest)}"
        if grid.count_code is None:
            return points_waste(grid.points)
        low, high = min(grid.points), max(grid.points)
        needed = math.ceil((high - low) / (low * DECADE - low) - EPS) + 1
        return (
            f"{grid.count_code} points spaced evenly over {decades_text(low, high)}, whatever their count: "
            f"the bottom decade {sci(low)}..{sci(low * DECADE)} gets no point beyond the first unless "
            f"{grid.count_code} >= {_floor_2_digits(needed)}"
        )

    def _schedule(self, node: cst.CSTNode, binding: Binding, grid: Grid, name: str) -> bool:
        """A learning-rate schedule (one value per step/epoch) is not a search grid."""
        if binding.kind == "api" or (binding.kind == "dictkey" and self.grid_dict(binding.holder)):
            return False
        if isinstance(node, cst.Call):
            count = arg_value(node, 2, "num") or arg_value(node, 2, "steps")
            if count is not None and number(count, self.ctx.imports) is None:
                words = set(tokens(normalize(self.ctx.code_for(count))))
                if words & SCHEDULE_COUNT_TOKENS:
                    return True
        if not self.ctx.vocabulary.is_learning_rate(name):
            return False
        decreasing = grid.points[0] > grid.points[-1]
        if grid.count_code is not None:
            return decreasing  # a falling learning rate over an unknown count: a schedule
        return len(grid.points) > 100 or (decreasing and len(grid.points) > 20)
