"""What the HPL4 rules share: the roles of names, and reading one search.

A search is a loop over candidate values or an Optuna objective; the reader
says which roles (learning rate, batch size, weight decay) it varies, holds
fixed and rescales.  The rules' triggers are built from the same roles.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple

from hplint.core import memo
from hplint.prefilter.structure import LoopsOver, Nodes
from hplint.prefilter.text import logical_end
from hplint.prefilter.triggers import Calls, Names, Trigger
from hplint.reading.calls import arg_value, has_star_args, method_name, string_value, target_names
from hplint.reading.draws import RANDOM_DRAWS, is_random_draw, may_draw
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import format_number, number, number_list
from hplint.reading.objectives import FileObjectives, handed_trial_draws
from hplint.reading.tree import children as child_nodes
from hplint.reading.tree import descendants, nested_scopes
from hplint.reading.vocabulary import (
    DEFAULT_VOCABULARY,
    SWEEP_TRAINING_TOKENS,
    Vocabulary,
    name_tokens,
    normalize,
    shows_batch_size,
    shows_learning_rate,
    tokens,
    trains_in_sweep,
)
from hplint.rules.objective.hand_searches import SELECTING_WORDS, keeps_best
from hplint.rules.strategy.axes import ValueReader
from hplint.rules.strategy.helper_rates import helper_rates
from hplint.rules.strategy.lr_sources import compiled_optimizer_name, default_rate_of

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "interactions"

LR, BATCH, WD = "lr", "batch_size", "weight_decay"
ROLE_LABEL = {LR: "learning rate", BATCH: "batch size", WD: "weight decay"}
SPACE_FUNCS = frozenset({"range", "linspace", "logspace", "geomspace", "arange"})
MULTI_ITER = frozenset({"zip", "enumerate", "product"})
BENCHMARK_CALLS = frozenset(
    {
        "perf_counter", "perf_counter_ns", "monotonic", "process_time", "timeit", "Timer",
        "max_memory_allocated", "max_memory_reserved",
    }
)
# Wall-clock reads that only a speed probe makes (``time.time`` by its qualified name:
# a bare ``time`` could be anything).
CLOCK_CALLS = frozenset({"time.time", "time.time_ns"})
SPEED_WORDS = frozenset({"speed", "throughput", "time", "elapsed", "latency", "duration", "fps", "seconds", "secs"})
NOT_TRAINING = frozenset({"print", "DataLoader", "len", "str", "format", "append", "info", "debug", "log", "write", "makedirs", "join"})


# ---------------------------------------------------------------------------
# names and roles


def role_of(name: Optional[str], vocabulary: Vocabulary) -> Optional[str]:
    """lr, batch_size or weight_decay for a name that means one of them."""
    if not name:
        return None
    if vocabulary.is_learning_rate(name):
        return LR
    if vocabulary.is_batch_size(name):
        return BATCH
    parts = set(tokens(normalize(name)))
    if parts & {"wd", "weightdecay", "wds"} or {"weight", "decay"} <= parts or {"weight", "decays"} <= parts:
        return WD
    return None


# ---------------------------------------------------------------------------
# what the rules' triggers read


_ROLES: Dict[str, Optional[str]] = {}


def default_role(name: str) -> Optional[str]:
    """``role_of`` with the built-in vocabulary, memoised (the same names recur in every file)."""
    if name not in _ROLES:
        if len(_ROLES) > 100_000:
            _ROLES.clear()
        _ROLES[name] = role_of(name, DEFAULT_VOCABULARY)
    return _ROLES[name]


def _names_role(role: str):
    def names(name: str) -> bool:
        return default_role(name) == role

    names.__name__ = f"names {role}"
    return names


def _suggests(role: str) -> Calls:
    """A ``x.suggest_*(name, ...)`` call whose name has the role."""

    def where(site) -> bool:
        values = [a for a in site.node.args if not isinstance(a, ast.Starred)][:1] + [k.value for k in site.node.keywords if k.arg == "name"]
        return any(isinstance(v, ast.Constant) and isinstance(v.value, str) and default_role(v.value) == role for v in values)

    return Calls(prefixes=("suggest_",), method=True, where=where)


MARKS = {LR: shows_learning_rate, BATCH: shows_batch_size}


def draw_loop(role: str):
    """``Nodes(ast.For, holds=...)``: what ``Reader.draw_roles`` needs, a statement of the
    loop's body that draws a value of the role at random (``batch_size = random.choice(sizes)``)."""

    def holds(loop: ast.AST, index) -> bool:
        for stmt in loop.body:  # type: ignore[attr-defined]
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                if default_role(stmt.targets[0].id) == role and may_draw(stmt.value):
                    return True
        return False

    holds.__name__ = f"draws_{role}"
    return holds


_ASSIGNED = re.compile(r"^[ \t]*([^\W\d]\w*)[ \t]*=(?!=)", re.MULTILINE)


def draw_text(role: str):
    """``draw_loop`` on the text: a statement ``<name of the role> = ...`` whose value calls a
    random draw (``batch_size = random.choice(sizes)``, ``bs = int(rng.integers(...))``)."""

    def marks(scan) -> bool:
        return role in memo.once("drawn-roles", scan, _drawn_roles)

    marks.__name__ = f"draws_{role}_text"
    return marks


def _drawn_roles(scan) -> Set[str]:
    """The roles of the names the text assigns a random draw to, read once per file: from
    each draw call back to the assignment whose statement holds it (up to 20 lines up)."""
    text = scan.text
    found: Set[str] = set()
    calls = (at for name in RANDOM_DRAWS if scan.has(name) for at in scan.calls_to(name))
    for at in calls:
        start = text.rfind("\n", 0, at) + 1
        for _ in range(20):
            match = _ASSIGNED.match(text, start)
            if match is not None and match.end() <= at:
                role = default_role(match.group(1))
                if role is not None and logical_end(text, match.end()) >= at:
                    found.add(role)
                break  # the statement starts here, whatever it assigns
            if start == 0:
                break
            start = text.rfind("\n", 0, start - 1) + 1
    return found


def draws(role: str) -> Trigger:
    """A hand-written random search: a loop that draws the role's value each pass."""
    return Nodes(ast.For, ast.AsyncFor, holds=draw_loop(role), text=draw_text(role), label=f"random draw of {role}")


def searches(role: str):
    """A search that varies the role: a loop over it, a loop drawing it at random, or a
    suggested parameter named for it."""
    meaning, marks = _names_role(role), MARKS[role]
    return Names(meaning, f"{role} names", marks) & (LoopsOver(meaning, marks, f"loop over {role}") | draws(role) | _suggests(role))


def parse_pairs(values: Sequence[str], vocabulary: Vocabulary) -> List[Tuple[str, str]]:
    """``["lr:batch_size"]`` -> ``[("lr", "batch_size")]``; unknown names are skipped."""
    pairs: List[Tuple[str, str]] = []
    for value in values:
        left, sep, right = value.partition(":")
        a, b = role_of(left.strip(), vocabulary), role_of(right.strip(), vocabulary)
        if sep and a and b and a != b:
            pairs.append((a, b))
    return pairs


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node below ``node`` (inclusive), without entering nested defs."""
    yield node
    yield from descendants(node, nested_scopes())


def names_in(expr: cst.CSTNode) -> Set[str]:
    """Variable names an expression reads (``args.lr`` reads ``args``; keywords are not read)."""
    found: Set[str] = set()
    stack: List[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            found.add(node.value)
        elif isinstance(node, cst.Attribute):
            stack.append(node.value)
        elif isinstance(node, cst.Arg):
            stack.append(node.value)
        else:
            stack.extend(child_nodes(node))
    return found


def callee(call: cst.Call) -> str:
    return method_name(call) or ""


# calls whose result holds the same values as their one argument
SAME_VALUES = frozenset({"list", "tuple", "sorted", "array", "asarray", "tensor", "as_tensor"})


def same_values(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``lrs.tolist()``, ``list(lrs)``, ``np.asarray(lrs)`` -> ``lrs``: the same axis."""
    while isinstance(expr, cst.Call) and not has_star_args(expr):
        positional = [a for a in expr.args if a.keyword is None]
        if isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "tolist" and not expr.args:
            expr = expr.func.value
        elif callee(expr) in SAME_VALUES and len(positional) == 1 and expr.args[0] is positional[0]:
            expr = positional[0].value
        else:
            break
    return expr


def is_training_call(call: cst.Call) -> bool:
    """A call that trains inside a sweep (``vocabulary.trains_in_sweep``)."""
    return trains_in_sweep(callee(call))


# ---------------------------------------------------------------------------
# what a search varies and holds fixed


@dataclass
class Search:
    """One search: the roles it varies, holds fixed (with how), and rescales."""

    node: cst.CSTNode
    kind: str  # "loop" (a for-loop over values) or "study" (an Optuna objective)
    varied: Dict[str, str] = field(default_factory=dict)  # role -> name in the code
    fixed: Dict[str, str] = field(default_factory=dict)  # role -> value as written
    coupled: Set[str] = field(default_factory=set)  # roles computed from a varied one
    trains: bool = False
    names_training: bool = False  # a call named like training (train, fit, *_experiment)
    benchmark: bool = False  # times or measures memory: a speed probe, not a search
    consumed: Set[str] = field(default_factory=set)  # varied roles that reach a call
    anchors: Dict[str, cst.CSTNode] = field(default_factory=dict)  # role -> node to report
    loop_names: Set[str] = field(default_factory=set)  # names the search's loops bind: never a fixed value
    held: Dict[str, cst.BaseExpression] = field(default_factory=dict)  # loop variables over one number
    path: Tuple = ()  # the if/try/match branches the search sits in

    def may_follow(self, earlier: "Search") -> bool:
        """False when the two sit in alternative branches and never both run."""
        shorter, longer = sorted((self.path, earlier.path), key=len)
        return longer[: len(shorter)] == shorter


def indexed_list(iterable: cst.BaseExpression) -> Optional[cst.Name]:
    """``range(len(sizes))`` / ``range(0, len(sizes))``: the list a loop walks by index."""
    if not isinstance(iterable, cst.Call) or callee(iterable) != "range" or has_star_args(iterable):
        return None
    args = [a.value for a in iterable.args]
    if len(args) == 2 and number(args[0]) == 0:
        args = args[1:]
    if len(args) != 1 or not isinstance(args[0], cst.Call) or callee(args[0]) != "len" or len(args[0].args) != 1:
        return None
    listed = args[0].args[0].value
    return listed if isinstance(listed, cst.Name) else None


class Reader:
    """Reads searches out of one parsed file (shared by HPL401 and HPL402)."""

    def __init__(self, ctx, bindings: Dict[str, List[cst.BaseExpression]], functions: Dict[str, List[cst.FunctionDef]]) -> None:
        self.ctx = ctx
        self.vocabulary = ctx.vocabulary
        self.bindings = bindings
        self.functions = functions
        self._draws: Dict[Tuple[int, FrozenSet[str]], List[Tuple[str, str, cst.Call]]] = {}

    # -- values ---------------------------------------------------------------
    def bound(self, name: str) -> Optional[cst.BaseExpression]:
        values = self.bindings.get(name, [])
        return values[0] if len(values) == 1 else None

    def describe(self, expr: cst.BaseExpression) -> str:
        """How a fixed value reads: ``0.001``, ``best_batch``, ``base_lr (= 0.001)``."""
        text = self.ctx.code_for(expr).strip()
        value = number(expr, self.ctx.imports)
        if value is not None:
            return text
        if isinstance(expr, cst.Name):
            resolved = self.bound(expr.value)
            constant = None if resolved is None else number(resolved, self.ctx.imports)
            if constant is not None:
                return f"{text} (= {format_number(constant, 3)})"
            if isinstance(resolved, (cst.Subscript, cst.Attribute)):
                origin = self.ctx.code_for(resolved).strip()
                if len(origin) <= 48 and "\n" not in origin:
                    return f"{text} (= {origin})"
        return text

    def value_iterable(self, expr: cst.BaseExpression, role: str) -> bool:
        """Does ``for x in expr`` walk through candidate values of ``role``?"""
        expr = same_values(expr)
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            values = number_list(expr, self.ctx.imports)
            return values is not None and len(values) >= 2
        if isinstance(expr, (cst.Name, cst.Attribute)):
            name = dotted_name(expr) or ""
            resolved = self.bound(name) if isinstance(expr, cst.Name) else None
            if isinstance(resolved, (cst.List, cst.Tuple)) and number_list(resolved, self.ctx.imports) is not None:
                return self.value_iterable(resolved, role)  # ``lrs = [0.1]``: one value is no search
            if role_of(name.rsplit(".", 1)[-1], self.vocabulary) == role:
                return True
            return resolved is not None and not isinstance(resolved, (cst.Name, cst.Attribute)) and self.value_iterable(resolved, role)
        if isinstance(expr, cst.Call):
            return callee(expr) in SPACE_FUNCS
        return False

    def loop_roles(self, node: cst.For) -> Dict[str, str]:
        """Loop variable -> role, for a loop over hyperparameter values."""
        names = target_names(node.target)
        iterable = node.iter
        if isinstance(iterable, cst.Call) and callee(iterable) in MULTI_ITER:
            return self._multi_roles(node.target, iterable)
        if len(names) != 1:
            return {}
        indexed = indexed_list(iterable)
        if indexed is not None:  # ``for i in range(len(batch_sizes))``: ``i`` stands for the values it indexes
            role = role_of(indexed.value, self.vocabulary)
            return {names[0]: role} if role is not None and self.value_iterable(indexed, role) else {}
        role = role_of(names[0], self.vocabulary)
        if role is None or not self.value_iterable(iterable, role):
            return {}
        return {names[0]: role}

    def draw_roles(self, node: cst.For) -> Dict[str, cst.SimpleStatementLine]:
        """Role -> statement, for a hand-written random search: a loop whose body draws a
        hyperparameter at random (``batch_size = random.choice(batch_sizes)``) from more than
        one value."""
        found: Dict[str, cst.SimpleStatementLine] = {}
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        for stmt in body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if not isinstance(small, cst.Assign) or len(small.targets) != 1 or not isinstance(small.targets[0].target, cst.Name):
                    continue
                role = role_of(small.targets[0].target.value, self.vocabulary)
                if role is not None and is_random_draw(self.ctx, small.value) and not self._one_choice(small.value):
                    found.setdefault(role, stmt)
        return found

    def _one_choice(self, draw: cst.BaseExpression) -> bool:
        """``random.choice(sizes)`` with ``sizes = [256]``: nothing varies."""
        pool = arg_value(draw, 0, "seq") if isinstance(draw, cst.Call) else None
        if isinstance(pool, cst.Name):
            pool = self.bound(pool.value) or pool
        values = number_list(pool, self.ctx.imports) if pool is not None else None
        return values is not None and len(set(values)) < 2

    def _multi_roles(self, target: cst.BaseExpression, call: cst.Call) -> Dict[str, str]:
        """``zip(bss, lrs)``, ``enumerate(bss)``, ``product(bss, lrs)`` paired with the target."""
        if not isinstance(target, (cst.Tuple, cst.List)) or has_star_args(call):
            return {}
        elements = [e.value for e in target.elements]
        args = [a.value for a in call.args]
        if callee(call) == "enumerate":
            elements, args = elements[1:2], args[:1]
        if len(elements) != len(args):
            return {}
        roles: Dict[str, str] = {}
        for element, values in zip(elements, args):
            if isinstance(element, cst.Name):
                role = role_of(element.value, self.vocabulary)
                # a product's factors are candidate values, whatever they are read from
                if role is not None and (callee(call) == "product" or self.value_iterable(values, role)):
                    roles[element.value] = role
        return roles

    # -- reading a body -----------------------------------------------------
    def read(self, search: Search, body: cst.CSTNode, varied_names: Dict[str, str], trial_names: Set[str]) -> Search:
        """Fill in what ``body`` varies, holds fixed and rescales."""
        depends: Dict[str, Set[str]] = {name: {role} for name, role in varied_names.items()}
        for name, role in varied_names.items():
            search.varied.setdefault(role, name)
        nodes = list(walk(body))
        search.loop_names |= {name for node in nodes if isinstance(node, cst.For) for name in target_names(node.target)}
        for node in nodes:  # ``for lr in [0.1]:`` (the other values commented out) holds one value
            held = self._one_value(node) if isinstance(node, cst.For) else None
            if held is not None:
                search.loop_names.discard(held[0])
                search.held[held[0]] = held[1]
        for node in nodes:
            if isinstance(node, cst.For) and node is not body:
                for name, role in self.loop_roles(node).items():
                    depends[name] = {role}
                    search.varied.setdefault(role, name)
            elif isinstance(node, cst.Call) and self._is_suggest(node, trial_names):
                role = role_of(string_value(arg_value(node, 0, "name")), self.vocabulary)
                if role is not None:
                    search.varied.setdefault(role, string_value(arg_value(node, 0, "name")) or role)
                    search.anchors.setdefault(role, node)
            elif isinstance(node, cst.Call):
                for role, name, _ in self._helper_draws(node, trial_names):  # ``hp = search_hyperparam(trial)``
                    search.varied.setdefault(role, name)
                    search.anchors.setdefault(role, node)  # at the call: the helper may serve other objectives
        assigns = [n for n in nodes if isinstance(n, (cst.Assign, cst.AugAssign, cst.AnnAssign))]
        for _ in range(3):  # names computed from varied ones, to a fixpoint
            for node in assigns:
                self._propagate(node, depends, trial_names)
        for node in assigns:
            self._assignment_facts(search, node, depends, trial_names)
        for node in nodes:
            if isinstance(node, cst.Call):
                self._call_facts(search, node, depends, trial_names)
        if search.benchmark and self._keeps_best_score(nodes):
            search.benchmark = False  # timed, but it keeps the best score: a search that logs its time
        return search

    def _keeps_best_score(self, nodes: List[cst.CSTNode]) -> bool:
        """``if accuracy > highest_acc:`` keeping something, where the score compared is not
        a speed (``speed = n / (time.time() - start)``, ``throughput``): a search, not a probe."""
        timed = {
            name
            for node in nodes
            if isinstance(node, cst.Assign) and any(self._clocked(c) for c in walk(node.value) if isinstance(c, cst.Call))
            for target in node.targets
            for name in target_names(target.target)
        }
        for node in nodes:
            if not isinstance(node, cst.If) or not isinstance(node.test, cst.Comparison):
                continue
            sides = [node.test.left, *(c.comparator for c in node.test.comparisons)]
            names = [s.value for s in sides if isinstance(s, cst.Name)]
            scores = [n for n in names if not name_tokens(n) & SELECTING_WORDS]
            if len(scores) < len(names) and scores and not any(n in timed or name_tokens(n) & SPEED_WORDS for n in scores):
                return keeps_best([node])
        return False

    def _clocked(self, call: cst.Call) -> bool:
        return callee(call) in BENCHMARK_CALLS or self.ctx.qualify(call.func) in CLOCK_CALLS

    def _held_by_loop(self, search: Search, name: cst.Name) -> Optional[cst.BaseExpression]:
        """The one number a loop over one value binds ``name`` to: in the search, or around it."""
        if name.value in search.held:
            return search.held[name.value]
        for loop in (a for a in self.ctx.ancestors(name) if isinstance(a, cst.For)):
            held = self._one_value(loop)
            if held is not None and held[0] == name.value:
                return held[1]
        return None

    def _one_value(self, loop: cst.For) -> Optional[Tuple[str, cst.BaseExpression]]:
        """A loop over a one-element list or tuple of a number: its variable and that number."""
        values = same_values(loop.iter)
        if isinstance(values, cst.Name):  # ``learning_rates = [0.1]`` bound once
            values = same_values(self.bound(values.value) or values)
        if not isinstance(loop.target, cst.Name) or not isinstance(values, (cst.List, cst.Tuple)) or len(values.elements) != 1:
            return None
        element = values.elements[0]
        if isinstance(element, cst.StarredElement) or number(element.value, self.ctx.imports) is None:
            return None
        return loop.target.value, element.value

    def _is_suggest(self, call: cst.Call, trial_names: Set[str]) -> bool:
        receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
        return (
            isinstance(receiver, cst.Name)
            and receiver.value in trial_names
            and callee(call).startswith("suggest_")
        )

    def _value_roles(self, expr: cst.CSTNode, depends: Dict[str, Set[str]], trial_names: Set[str]) -> Set[str]:
        """Varied roles an expression is computed from."""
        roles: Set[str] = set()
        for name in names_in(expr):
            roles |= depends.get(name, set())
        for node in walk(expr):
            if isinstance(node, cst.Call) and self._is_suggest(node, trial_names):
                role = role_of(string_value(arg_value(node, 0, "name")), self.vocabulary)
                roles.add(role or "?")
            elif isinstance(node, cst.Call) and trial_names:
                roles |= {role for role, _, _ in self._helper_draws(node, trial_names)}
        return roles

    def _helper_draws(self, call: cst.Call, trial_names: Set[str]) -> List[Tuple[str, str, cst.Call]]:
        """The roles a function of this file that the call hands the trial draws on it, each
        with the name it draws and the draw (``search_hyperparam(trial)`` drawing ``"batch_size"``)."""
        key = (id(call), frozenset(trial_names))
        cached = self._draws.get(key)
        if cached is not None:
            return cached
        found = []
        for name, draw in handed_trial_draws(self.functions, call, trial_names):
            role = role_of(name, self.vocabulary)
            if role is not None:
                found.append((role, name or role, draw))
        self._draws[key] = found
        return found

    def _propagate(self, node, depends: Dict[str, Set[str]], trial_names: Set[str]) -> None:
        value = node.value
        if value is None:
            return
        roles = self._value_roles(value, depends, trial_names)
        if not roles:
            return
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        for target in targets:
            for name in target_names(target):
                if isinstance(target, cst.Name) or isinstance(target, (cst.Tuple, cst.List)):
                    depends[name] = depends.get(name, set()) | roles

    def _assignment_facts(self, search: Search, node, depends: Dict[str, Set[str]], trial_names: Set[str]) -> None:
        if isinstance(node, cst.AugAssign) or node.value is None:
            return
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, (cst.Name, cst.Subscript, cst.Attribute)):
                continue
            for name in target_names(target):
                self._note(search, role_of(name, self.vocabulary), node.value, depends, trial_names)

    def _call_facts(self, search: Search, call: cst.Call, depends: Dict[str, Set[str]], trial_names: Set[str]) -> None:
        name = callee(call)
        if name in NOT_TRAINING or self._is_suggest(call, trial_names):
            return
        if is_training_call(call):
            search.trains = True
            # ``train(**config)`` may pass a learning rate we cannot see
            named = bool(set(tokens(normalize(name))) & SWEEP_TRAINING_TOKENS)
            search.names_training |= named and not has_star_args(call)
        if name in BENCHMARK_CALLS or self.ctx.qualify(call.func) in CLOCK_CALLS:
            search.benchmark = True
        for argument in call.args:
            roles = self._value_roles(argument.value, depends, trial_names)
            search.consumed |= roles
            if argument.keyword is not None:
                role = role_of(argument.keyword.value, self.vocabulary)
                self._note(search, role, argument.value, depends, trial_names)
                if role == LR:
                    search.trains = True  # a call that takes a learning rate trains
            elif isinstance(argument.value, cst.Name) and not argument.star:
                self._note(search, role_of(argument.value.value, self.vocabulary), argument.value, depends, trial_names)
        if LR not in search.varied and LR not in search.coupled and trial_names:
            held = self._compiled_default(call, trial_names)
            if held is not None:
                search.fixed.setdefault(LR, held)
        elif LR not in search.varied and LR not in search.coupled and isinstance(call.func, cst.Name) and not search.trains:
            for _, how, _ in self._helper_rate(call):  # ``dense_model(bs)``: a function of this file that trains at one rate
                search.trains = True
                search.fixed.setdefault(LR, f"{how} (in `{call.func.value}`)")
                search.benchmark |= self._times(call.func.value)  # a throughput or memory probe

    def _times(self, name: str) -> bool:
        """The function of this file named ``name`` reads a clock or peak memory."""
        return any(
            isinstance(n, cst.Call) and (callee(n) in BENCHMARK_CALLS or self.ctx.qualify(n.func) in CLOCK_CALLS)
            for func in self.ctx.facts(FileObjectives).functions.get(name, []) for n in descendants(func.body)
        )

    def _helper_rate(self, call: cst.Call):
        """The rate a plain function of this file called by the loop holds fixed (``helper_rates``, as HPL103 reads it)."""
        if not self.ctx.facts(FileObjectives).functions.get(call.func.value):  # type: ignore[attr-defined]
            return []
        return helper_rates(ValueReader(self.ctx), [call])

    def _compiled_default(self, call: cst.Call, trial_names: Set[str]) -> Optional[str]:
        """``model.compile(optimizer="adam")`` here, or in the one model factory of this file
        the call runs without the trial: the optimizer's default rate, as the search's fixed lr."""
        name = compiled_optimizer_name(call)
        if name is None and isinstance(call.func, cst.Name) and not any(isinstance(a.value, cst.Name) and a.value.value in trial_names for a in call.args):
            defs = self.ctx.facts(FileObjectives).functions.get(call.func.value, [])
            compiled = [n for n in descendants(defs[0].body) if isinstance(n, cst.Call) and method_name(n) == "compile"] if len(defs) == 1 else []
            name = compiled_optimizer_name(compiled[0]) if len(compiled) == 1 else None
        return default_rate_of(name) if name is not None else None

    def _note(self, search: Search, role: Optional[str], value: cst.BaseExpression, depends, trial_names) -> bool:
        """Record how ``role`` is set by ``value``; True when the role is a hyperparameter."""
        if role is None:
            return False
        roles = self._value_roles(value, depends, trial_names)
        if role in roles:
            if roles - {role}:
                search.coupled.add(role)
            return True
        held = self._held_by_loop(search, value) if isinstance(value, cst.Name) else None
        if roles or isinstance(value, cst.Name) and value.value in search.loop_names:
            search.coupled.add(role)  # computed from a varied value, or a loop variable read in no known way
        elif held is not None and role not in search.varied:
            search.fixed.setdefault(role, f"{self.ctx.code_for(held).strip()} (the only value `{value.value}` loops over)")  # type: ignore[union-attr]
        elif role not in search.varied:
            search.fixed.setdefault(role, self.describe(value))
        return True
