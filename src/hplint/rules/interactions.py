"""HPL4xx: hyperparameters that interact, tuned as if they did not.

The learning rate and the batch size interact: a larger batch has less
gradient noise and wants a larger learning rate (lr ∝ √batch as a rule of
thumb).  These rules read a file's searches — loops over values, Optuna
objectives and their studies, grid dictionaries — and ask which parameters
each search varies, which it holds fixed, and which it rescales.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple


from hplint.reading.tree import children as child_nodes
from hplint.reading.calls import arg_value, callable_names, descendants, dict_items, has_star_args, method_name, nested_scopes, string_value, target_names
from hplint.reading.numbers import format_number, number, number_list
from hplint.reading.imports import dotted_name
from hplint.prefilter.astindex import written_names
from hplint.prefilter.triggers import Calls, LoopsOver, Names
from hplint.core.rule import Example, Option, Rule
from hplint.core.registry import register
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, shows_batch_size, shows_learning_rate, OPTIMIZERS, SWEEP_TRAINING_TOKENS, Vocabulary, normalize, tokens, trains_in_sweep

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

FAMILY = "interactions"

LR, BATCH, WD = "lr", "batch_size", "weight_decay"
ROLE_LABEL = {LR: "learning rate", BATCH: "batch size", WD: "weight decay"}
JOINT_FORM = {
    LR: "trial.suggest_float('lr', …, log=True)",
    BATCH: "trial.suggest_categorical('batch_size', […])",
    WD: "trial.suggest_float('weight_decay', …, log=True)",
}
PAIR_REASON = {
    frozenset({LR, BATCH}): (
        "a larger batch has less gradient noise and wants a larger learning rate "
        "(lr ∝ √batch: doubling the batch → 1.4× lr)"
    ),
    frozenset({LR, WD}): "the decay applied per step is lr × weight_decay, so the best weight decay moves with the learning rate",
    frozenset({BATCH, WD}): "the number of decay steps per epoch, and so the regularisation, changes with the batch size",
}
SPACE_FUNCS = frozenset({"range", "linspace", "logspace", "geomspace", "arange"})
MULTI_ITER = frozenset({"zip", "enumerate", "product"})
SEARCH_CHOICE = frozenset({"choice", "grid_search", "sample_from"})
BENCHMARK_CALLS = frozenset(
    {
        "perf_counter", "perf_counter_ns", "monotonic", "process_time", "timeit", "Timer",
        "max_memory_allocated", "max_memory_reserved",
    }
)
# Wall-clock reads that only a speed probe makes (``time.time`` by its qualified name:
# a bare ``time`` could be anything).
CLOCK_CALLS = frozenset({"time.time", "time.time_ns"})
# Evidence that a file trains with a learning rate: deep-learning frameworks and
# estimators that take one.  Mini-batch PCA or k-means take a batch size but no lr.
LR_FRAMEWORKS = frozenset(
    {
        "torch", "tensorflow", "keras", "jax", "flax", "optax", "lightning", "pytorch_lightning",
        "transformers", "mxnet", "paddle", "stable_baselines3",
    }
)
LR_ESTIMATORS = frozenset({"MLPClassifier", "MLPRegressor", "SGDClassifier", "SGDRegressor"})
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


def searches(role: str):
    """A search that varies the role: a loop over it, or a suggested parameter named for it."""
    meaning, marks = _names_role(role), MARKS[role]
    return Names(meaning, f"{role} names", marks) & (LoopsOver(meaning, marks, f"loop over {role}") | _suggests(role))


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


def _every_node(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node below ``node`` (inclusive), nested functions and classes included."""
    yield node
    yield from descendants(node)


def _names_learning_rate(node: cst.CSTNode, vocabulary: Vocabulary) -> bool:
    """A name, keyword or string key that means a learning rate, or an optimizer/estimator that has one."""
    if isinstance(node, cst.Name):
        return node.value in OPTIMIZERS or node.value in LR_ESTIMATORS or role_of(node.value, vocabulary) == LR
    if isinstance(node, cst.SimpleString):
        return role_of(string_value(node), vocabulary) == LR
    return False


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
    path: Tuple = ()  # the if/try/match branches the search sits in

    def may_follow(self, earlier: "Search") -> bool:
        """False when the two sit in alternative branches and never both run."""
        shorter, longer = sorted((self.path, earlier.path), key=len)
        return longer[: len(shorter)] == shorter


class Reader:
    """Reads searches out of one parsed file (shared by HPL401 and HPL402)."""

    def __init__(self, ctx, bindings: Dict[str, List[cst.BaseExpression]], functions: Dict[str, List[cst.FunctionDef]]) -> None:
        self.ctx = ctx
        self.vocabulary = ctx.vocabulary
        self.bindings = bindings
        self.functions = functions

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
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            values = number_list(expr, self.ctx.imports)
            return values is not None and len(values) >= 2
        if isinstance(expr, (cst.Name, cst.Attribute)):
            name = dotted_name(expr) or ""
            if role_of(name.rsplit(".", 1)[-1], self.vocabulary) == role:
                return True
            resolved = self.bound(name) if isinstance(expr, cst.Name) else None
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
        role = role_of(names[0], self.vocabulary)
        if role is None or not self.value_iterable(iterable, role):
            return {}
        return {names[0]: role}

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
                if role is not None and self.value_iterable(values, role):
                    roles[element.value] = role
        return roles

    # -- reading a body -----------------------------------------------------
    def read(self, search: Search, body: cst.CSTNode, varied_names: Dict[str, str], trial_names: Set[str]) -> Search:
        """Fill in what ``body`` varies, holds fixed and rescales."""
        depends: Dict[str, Set[str]] = {name: {role} for name, role in varied_names.items()}
        for name, role in varied_names.items():
            search.varied.setdefault(role, name)
        nodes = list(walk(body))
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
        assigns = [n for n in nodes if isinstance(n, (cst.Assign, cst.AugAssign, cst.AnnAssign))]
        for _ in range(3):  # names computed from varied ones, to a fixpoint
            for node in assigns:
                self._propagate(node, depends, trial_names)
        for node in assigns:
            self._assignment_facts(search, node, depends, trial_names)
        for node in nodes:
            if isinstance(node, cst.Call):
                self._call_facts(search, node, depends, trial_names)
        return search

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
        return roles

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

    def _note(self, search: Search, role: Optional[str], value: cst.BaseExpression, depends, trial_names) -> bool:
        """Record how ``role`` is set by ``value``; True when the role is a hyperparameter."""
        if role is None:
            return False
        roles = self._value_roles(value, depends, trial_names)
        if role in roles:
            if roles - {role}:
                search.coupled.add(role)
            return True
        if roles:
            search.coupled.add(role)
        elif role not in search.varied:
            search.fixed.setdefault(role, self.describe(value))
        return True


# ---------------------------------------------------------------------------
# finding the searches of a file


class _InteractionRule(Rule):
    """Collects the file's functions and bindings, then reads its searches at the end."""

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._bindings: Dict[str, List[cst.BaseExpression]] = {}
        self._functions: Dict[str, List[cst.FunctionDef]] = {}
        self._module: Optional[cst.Module] = None
        self._stack: List[cst.FunctionDef] = []
        self._suggesting: Set[cst.FunctionDef] = set()
        self._statement: Optional[cst.SimpleStatementLine] = None
        self._optimize_calls: Dict[cst.SimpleStatementLine, List[cst.Call]] = {}
        self._candidate_loops = 0

    def visit_Module(self, node: cst.Module) -> None:
        self._module = node

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._bindings.setdefault(target.target.value, []).append(node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.setdefault(node.name.value, []).append(node)
        self._stack.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self._statement = None

    def visit_For(self, node: cst.For) -> None:
        names = target_names(node.target)
        if any(role_of(name, self.ctx.vocabulary) for name in names) or len(names) > 1:
            self._candidate_loops += 1

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        # only functions that call ``x.suggest_*`` can be objectives
        if self._stack and method.startswith("suggest_"):
            self._suggesting.add(self._stack[-1])
        elif method == "optimize" and self._statement is not None:
            self._optimize_calls.setdefault(self._statement, []).append(node)

    def reader(self) -> Reader:
        return Reader(self.ctx, self._bindings, self._functions)

    def sequences(self, reader: Reader) -> List[Tuple[Search, str]]:
        """HPL401's findings: later searches of one-at-a-time sequences, per block."""
        pairs = parse_pairs(self.ctx.config.option("interaction-pairs"), reader.vocabulary)
        found: List[Tuple[Search, str]] = []
        searches = self._candidate_loops + sum(len(calls) for calls in self._optimize_calls.values())
        if pairs and searches >= 2:  # a sequence needs two searches
            for block in self.blocks():
                found.extend(find_sequences(self.searches_in(block, reader), pairs))
        return found

    # -- blocks and their searches, in source order ------------------------
    def blocks(self) -> Iterator[cst.CSTNode]:
        if self._module is not None:
            yield self._module
        for defs in self._functions.values():
            yield from defs

    def searches_in(self, block: cst.CSTNode, reader: Reader) -> List[Search]:
        body = block.body if isinstance(block, cst.Module) else block.body.body
        out: List[Search] = []
        for stmt in body:
            out.extend(self._statement_searches(stmt, reader))
        return out

    def _statement_searches(self, stmt: cst.CSTNode, reader: Reader, path: Tuple = ()) -> Iterator[Search]:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return
        if isinstance(stmt, cst.For):
            roles = reader.loop_roles(stmt)
            if roles:
                yield reader.read(Search(stmt, "loop", path=path), stmt, roles, set())
                return
        if isinstance(stmt, cst.SimpleStatementLine):
            for call in self._optimize_calls.get(stmt, ()):
                study = self.study_search(call, reader)
                if study is not None:
                    study.path = path
                    yield study
            return
        if isinstance(stmt, cst.BaseCompoundStatement):
            for child, branch in _child_statements(stmt):
                inner = path if branch is None else path + ((id(stmt), branch),)
                yield from self._statement_searches(child, reader, inner)

    def study_search(self, call: cst.Call, reader: Reader) -> Optional[Search]:
        """``study.optimize(objective)``: what the objective varies and fixes."""
        func = arg_value(call, 0, "func")
        if func is None:
            return None
        names = callable_names(func)
        defs = self._functions.get(names[0], []) if names else []
        if len(defs) != 1:
            return None
        search = self.objective_search(defs[0], reader, call)
        if search is None:
            return None
        for node in walk(func):  # lambda t: objective(t, batch_size=256) / partial(...)
            if isinstance(node, cst.Arg) and node.keyword is not None:
                role = role_of(node.keyword.value, reader.vocabulary)
                if role is not None and role not in search.varied:
                    search.fixed[role] = reader.describe(node.value)
        return search

    def objective_search(self, func: cst.FunctionDef, reader: Reader, anchor: Optional[cst.CSTNode] = None) -> Optional[Search]:
        if func not in self._suggesting:
            return None
        params = list(func.params.posonly_params) + list(func.params.params)
        trial = [p.name.value for p in params if p.name.value not in ("self", "cls")][:1]
        trial_names = set(trial) | ({"trial"} & {p.name.value for p in params})
        if not trial_names:
            return None
        search = reader.read(Search(anchor or func, "study"), func.body, {}, trial_names)
        if not search.anchors:
            return None  # no suggest call: not an objective
        return search


def _block(block: Optional[cst.CSTNode]) -> Sequence[cst.CSTNode]:
    return block.body if isinstance(block, cst.IndentedBlock) else ()


def _child_statements(stmt: cst.BaseCompoundStatement) -> Iterator[Tuple[cst.CSTNode, Optional[int]]]:
    """Statements directly inside a compound statement, each with its branch.

    The branch is None for code that runs along with the statement's body
    (a loop body, ``finally``), and a number per alternative otherwise: the
    two sides of an ``if``, each ``except`` handler, each ``case``.
    """
    alternatives = isinstance(stmt, (cst.If, cst.Try, cst.TryStar, cst.Match))
    for child in _block(getattr(stmt, "body", None)):
        yield child, (0 if alternatives else None)
    orelse = getattr(stmt, "orelse", None)
    branch = 1 if isinstance(stmt, cst.If) else (0 if alternatives else None)
    if isinstance(orelse, cst.If):
        yield orelse, branch  # elif: read as a statement of its own
    elif orelse is not None:
        for child in _block(orelse.body):
            yield child, branch
    finalbody = getattr(stmt, "finalbody", None)
    if finalbody is not None:
        for child in _block(finalbody.body):
            yield child, None
    for index, handler in enumerate(getattr(stmt, "handlers", ()) or (), start=1):
        for child in _block(handler.body):
            yield child, index
    for index, case in enumerate(getattr(stmt, "cases", ()) or ()):  # match statements
        for child in _block(case.body):
            yield child, index


def _alone(search: Search, varied: str, other: str) -> bool:
    return varied in search.varied and other not in search.varied and not ({varied, other} & search.coupled)


def _sequential(earlier: Search, later: Search, a: str, b: str) -> bool:
    """``earlier`` searched a alone; ``later`` searches b with a held fixed."""
    if not later.may_follow(earlier):
        return False
    trains = all((s.trains and not s.benchmark) or s.kind == "study" for s in (earlier, later))
    return trains and _alone(earlier, a, b) and _alone(later, b, a) and a in later.fixed


def find_sequences(searches: List[Search], pairs: List[Tuple[str, str]]) -> List[Tuple[Search, str]]:
    """(later search, message) for each search that follows a one-at-a-time search of its partner.

    A search that is itself the second step of a sequence does not start another one.
    """
    ordered = pairs + [(b, a) for a, b in pairs]
    found: List[Tuple[Search, str]] = []
    seconds: Set[int] = set()
    for index, later in enumerate(searches):
        for earlier_index, earlier in enumerate(searches[:index]):
            if earlier_index in seconds:
                continue
            match = next(((a, b) for a, b in ordered if _sequential(earlier, later, a, b)), None)
            if match is not None:
                seconds.add(index)
                found.append((later, sequence_message(earlier, later, *match)))
                break
    return found


def sequence_message(earlier: Search, later: Search, a: str, b: str) -> str:
    a_name, b_name = earlier.varied[a], later.varied[b]
    during = earlier.fixed.get(b)
    stayed = f"{b_name} stayed at {during}" if during else f"{b_name} was not varied"
    reason = PAIR_REASON[frozenset({a, b})]
    return (
        f"{b_name} is searched with {a_name} fixed to {later.fixed[a]}, after a separate "
        f"{ROLE_LABEL[a]} search above ({stayed} during that search): {reason}, so tuning "
        f"them one after the other finds a pair good for neither; {joint_form(a, b)}"
    )


def joint_form(first: str, second: str) -> str:
    return f"search them together: {JOINT_FORM[first]} and {JOINT_FORM[second]} in one objective"


@register
class SequentialTuning(_InteractionRule):
    code = "HPL401"
    name = "sequential-tuning-of-interacting-parameters"
    family = FAMILY
    summary = "Interacting hyperparameters (learning rate × batch size) tuned one after the other"
    why = (
        "The learning rate and the batch size interact: a larger batch has less gradient "
        "noise and wants a larger learning rate (lr ∝ √batch as a rule of thumb: doubling the "
        "batch → 1.4× lr). Tuning batch size first at a default lr, then lr at the winning "
        "batch size, finds a pair good for neither: batch 256 + lr 0.001 reaches 60% where "
        "batch 256 + lr 0.01 reaches 82% (and batch 16 + lr 0.001 also 82%). Searching both "
        "in one study costs the same number of trials and finds the matching pair. The pair "
        "list is configurable (`interaction-pairs`); learning rate × weight decay is an opt-in "
        "pair (`\"lr:weight_decay\"`), because the decay per step is lr × weight_decay."
    )
    default_enabled = True
    options = (
        Option(
            "interaction-pairs",
            list,
            ("lr:batch_size",),
            'Pairs that must be tuned together, as "a:b" (names of lr, batch_size, weight_decay); add "lr:weight_decay" to check it too.',
        ),
    )
    demonstration = "interactions"
    # a report is one search varying a learning rate and another a batch size
    # (the default pair; other pairs are options, which bypass the prefilter)
    trigger = searches(LR) & searches(BATCH)
    bad_examples = (
        Example(
            """
            for batch_size in [16, 32, 64, 128, 256]:
                train(lr=0.001, batch_size=batch_size)
            best_batch = pick_best()

            for lr in [1e-4, 1e-3, 1e-2, 1e-1]:
                train(lr=lr, batch_size=best_batch)
            """,
            note="lr is tuned at the batch size that was chosen with lr fixed at 0.001.",
        ),
        Example(
            """
            import optuna

            def objective_bs(trial):
                bs = trial.suggest_categorical("batch_size", [32, 64, 128])
                return train(lr=1e-3, batch_size=bs)

            def objective_lr(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return train(lr=lr, batch_size=first.best_params["batch_size"])

            first = optuna.create_study()
            first.optimize(objective_bs, n_trials=20)
            second = optuna.create_study()
            second.optimize(objective_lr, n_trials=30)
            """
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                batch_size = trial.suggest_categorical("batch_size", [16, 32, 64, 128, 256])
                lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
                return train(lr=lr, batch_size=batch_size)
            """,
            note="One joint search learns how the best lr moves with the batch size.",
        ),
        Example(
            """
            for batch_size in [32, 64, 128, 256]:
                lr = 0.1 * batch_size / 256
                train(lr=lr, batch_size=batch_size)
            for lr in [0.01, 0.1]:
                train(lr=lr, batch_size=256)
            """,
            note="The batch sweep rescales lr with the batch (linear scaling rule).",
        ),
    )



    def leave_Module(self, original_node: cst.Module) -> None:
        for later, message in self.sequences(self.reader()):
            self.report(later.node, message)


@register
class BatchAtFixedLearningRate(_InteractionRule):
    code = "HPL402"
    name = "batch-size-varied-at-fixed-lr"
    family = FAMILY
    summary = "Batch size searched while the learning rate stays constant"
    why = (
        "Comparing batch sizes at one learning rate compares each batch size at a different "
        "distance from its own best learning rate: a larger batch has less gradient noise "
        "and wants a larger lr (lr ∝ √batch as a rule of thumb: doubling the batch → 1.4× "
        "lr; linear scaling for SGD). At lr 0.001, batch 256 reaches 60% while batch 16 "
        "reaches 82% — yet batch 256 with lr 0.01 also reaches 82%, so the sweep blames the "
        "batch size for a learning-rate mismatch. Rescale the learning rate with the batch "
        "size, or tune the two together."
    )
    default_enabled = False
    demonstration = "interactions"
    # every finding names a batch size searched: a loop target, a suggested name or a grid key
    trigger = Names(_names_role(BATCH), "batch names", shows_batch_size)
    bad_examples = (
        Example(
            """
            import torch

            for batch_size in [32, 64, 128, 256]:
                loader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
                optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
                train(model, loader, optimizer)
            """
        ),
        Example(
            """
            def objective(trial):
                batch_size = trial.suggest_categorical("batch_size", [16, 32, 64])
                optimizer = Adam(model.parameters(), lr=1e-3)
                return train(model, optimizer, batch_size=batch_size)
            """
        ),
        Example(
            """
            param_grid = {"batch_size": [32, 64, 128], "lr": [0.001]}
            """
        ),
    )
    good_examples = (
        Example(
            """
            import math

            for batch_size in [32, 64, 128, 256]:
                lr = 0.001 * math.sqrt(batch_size / 32)
                train(lr=lr, batch_size=batch_size)
            """,
            note="The learning rate is rescaled with the batch size (lr ∝ √batch).",
        ),
        Example(
            """
            for epoch in range(10):
                for batch in train_loader:
                    loss = step(model, batch, lr=0.001)
            """,
            note="Iterating a data loader's batches is training, not a batch-size search.",
        ),
        Example(
            """
            import time

            for bs in [32, 64, 128]:
                loader = DataLoader(dataset, batch_size=bs, num_workers=4)
                start = time.time()
                for _ in loader:
                    pass
                print(bs, time.time() - start)
            """,
            note="A data-loading benchmark trains nothing, so no learning rate is involved.",
        ),
    )


    def leave_Module(self, original_node: cst.Module) -> None:
        reader = self.reader()
        self._sequenced = self._reported_by_sequence(reader)
        for block in self.blocks() if self._candidate_loops else ():
            for search in self.searches_in(block, reader):
                if search.kind == "loop" and search.node not in self._sequenced:
                    self._check_loop(search)
        for defs in self._functions.values():
            for func in defs:
                search = self.objective_search(func, reader)
                if search is not None:
                    self._check_objective(search)

    def _reported_by_sequence(self, reader: Reader) -> Set[cst.CSTNode]:
        """HPL401 already reports these batch searches (the later step of a sequence)."""
        if "HPL401" not in self.ctx.config.enabled_codes(self.ctx.path):
            return set()
        return {later.node for later, _ in self.sequences(reader)}

    def visit_Dict(self, node: cst.Dict) -> None:
        items = {normalize(k): (k, v, e) for k, v, e in dict_items(node)}
        self._check_grid(items)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if isinstance(node.func, cst.Name) and node.func.value == "dict" and not has_star_args(node):
            items = {normalize(a.keyword.value): (a.keyword.value, a.value, a) for a in node.args if a.keyword is not None}
            self._check_grid(items)

    # -- loops and objectives ----------------------------------------------
    def _fixed_lr(self, search: Search) -> Optional[str]:
        if BATCH not in search.varied or LR in search.varied or LR in search.coupled:
            return None
        return search.fixed.get(LR)

    def _check_loop(self, search: Search) -> None:
        if BATCH not in search.consumed or not search.trains or search.benchmark:
            return
        fixed = self._fixed_lr(search)
        if fixed is not None:
            self.report(search.node, self._message(search.varied[BATCH], f"lr stays at {fixed}"))
        elif search.names_training and not ({LR} & (set(search.varied) | search.coupled | set(search.fixed))):
            if not self._learns_with_rate():
                return  # nothing in the file has a learning rate to hold fixed
            how = "no learning rate is passed in the loop, so every batch size trains with the same lr"
            self.report(search.node, self._message(search.varied[BATCH], how))

    def _learns_with_rate(self) -> bool:
        """Whether the file trains with a learning rate at all.

        A learning-rate name, an optimizer, a deep-learning framework import or an
        estimator that takes a learning rate; ``IncrementalPCA(batch_size=...)`` alone
        has no learning rate that a batch-size loop could hold fixed.
        """
        cached = getattr(self, "_lr_evidence", None)
        if cached is None:
            if any(root.split(".")[0] in LR_FRAMEWORKS for root in self.ctx.imports.aliases.values()):
                cached = True
            elif self._module is None:
                cached = True
            else:
                cached = any(_names_learning_rate(node, self.ctx.vocabulary) for node in _every_node(self._module))
            self._lr_evidence = cached
        return cached

    def _check_objective(self, search: Search) -> None:
        fixed = self._fixed_lr(search)
        anchor = search.anchors.get(BATCH)
        if fixed is not None and anchor is not None:
            self.report(anchor, self._message(search.varied[BATCH], f"lr stays at {fixed}"))

    # -- grids ------------------------------------------------------------------
    def _check_grid(self, items: Dict[str, tuple]) -> None:
        vocabulary = self.ctx.vocabulary
        batch = [(k, v) for n, (k, v, _) in items.items() if role_of(k, vocabulary) == BATCH]
        lrs = [(k, v) for n, (k, v, _) in items.items() if role_of(k, vocabulary) == LR]
        if len(batch) != 1 or len(lrs) != 1:
            return
        (batch_key, batch_value), (lr_key, lr_value) = batch[0], lrs[0]
        values = self._grid_values(batch_value)
        constant = self._grid_constant(lr_value)
        if values is None or len(values) < 2 or constant is None:
            return
        self.report(batch_value, self._message(batch_key, f"{lr_key} is the single value {format_number(constant, 3)}"))

    def _grid_values(self, expr: cst.BaseExpression) -> Optional[List[float]]:
        """Candidate values of a grid axis: a list, ``tune.choice([...])``, ``{"values": [...]}``."""
        if isinstance(expr, cst.Call) and callee(expr) in SEARCH_CHOICE and expr.args:
            expr = expr.args[0].value
        elif isinstance(expr, cst.Dict):
            found = {k: v for k, v, _ in dict_items(expr)}
            expr = found.get("values")
            if expr is None:
                return None
        return number_list(expr, self.ctx.imports)

    def _grid_constant(self, expr: cst.BaseExpression) -> Optional[float]:
        """A grid entry that holds one value: ``0.001``, ``[0.001]``, ``{"value": 0.001}``."""
        if isinstance(expr, cst.Dict):
            found = {k: v for k, v, _ in dict_items(expr)}
            expr = found.get("value") or found.get("values")
            if expr is None:
                return None
        values = number_list(expr, self.ctx.imports)
        if values is not None:
            return values[0] if len(values) == 1 else None
        return number(expr, self.ctx.imports)

    @staticmethod
    def _message(batch_name: str, how: str) -> str:
        return (
            f"{batch_name} is searched while {how}: a larger batch wants a larger learning rate, "
            "so this compares each batch size at a different distance from its own best lr; "
            "scale lr with the batch size (lr ∝ √batch rule of thumb: doubling the batch → 1.4× lr) "
            "or tune the two together"
        )
