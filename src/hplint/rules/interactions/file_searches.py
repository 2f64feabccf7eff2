"""The searches of a file, block by block, and the one-at-a-time sequences among them.

Both rules start here: HPL401 reports the later search of a sequence, and
HPL402 leaves those searches to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from hplint.core.rule import Rule
from hplint.reading.calls import arg_value, callable_names, target_names
from hplint.reading.draws import is_random_draw
from hplint.reading.tree import children as child_nodes
from hplint.rules.interactions.reader import BATCH, LR, ROLE_LABEL, WD, Reader, Search, indexed_list, parse_pairs, role_of, walk

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

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


# ---------------------------------------------------------------------------
# what both rules collect


@dataclass
class InteractionFacts:
    """What both rules need of a file before they read its searches (``ctx.facts``)."""

    module: cst.Module
    bindings: Dict[str, List[cst.BaseExpression]] = field(default_factory=dict)  # every ``name = value``
    functions: Dict[str, List[cst.FunctionDef]] = field(default_factory=dict)
    suggesting: Set[cst.FunctionDef] = field(default_factory=set)  # only these can be objectives
    optimize_calls: Dict[cst.SimpleStatementLine, List[cst.Call]] = field(default_factory=dict)
    candidate_loops: int = 0  # loops over a role's name or over several names
    searches: Dict[int, List[Search]] = field(default_factory=dict)  # id(block) -> its searches, read once
    found_sequences: Optional[List[Tuple[Search, str, Search]]] = None  # HPL401's findings, read once

    @classmethod
    def collect(cls, ctx: RuleContext) -> InteractionFacts:
        """One walk in source order, each node seen with its function and statement line."""
        facts = cls(ctx.module)
        stack: List[Tuple[cst.CSTNode, Optional[cst.FunctionDef], Optional[cst.SimpleStatementLine]]] = [(ctx.module, None, None)]
        while stack:
            node, function, statement = stack.pop()
            if isinstance(node, cst.Assign):
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        facts.bindings.setdefault(target.target.value, []).append(node.value)
            elif isinstance(node, cst.FunctionDef):
                facts.functions.setdefault(node.name.value, []).append(node)
                function = node
            elif isinstance(node, cst.SimpleStatementLine):
                statement = node
            elif isinstance(node, cst.For):
                names = target_names(node.target)
                indexed = indexed_list(node.iter)  # ``for i in range(len(batch_sizes))``
                if any(role_of(name, ctx.vocabulary) for name in names) or len(names) > 1 or _draws_a_role(node, ctx) or (indexed is not None and role_of(indexed.value, ctx.vocabulary)):
                    facts.candidate_loops += 1
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                method = node.func.attr.value
                # only functions that call ``x.suggest_*`` can be objectives
                if function is not None and method.startswith("suggest_"):
                    facts.suggesting.add(function)
                elif method == "optimize" and statement is not None:
                    facts.optimize_calls.setdefault(statement, []).append(node)
            stack.extend((child, function, statement) for child in reversed(child_nodes(node)))
        return facts


def _draws_a_role(loop: cst.For, ctx: RuleContext) -> bool:
    """A body statement ``batch_size = random.choice(...)``: a random search over a role."""
    body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
    for stmt in body:
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                if role_of(small.targets[0].target.value, ctx.vocabulary) and is_random_draw(ctx, small.value):
                    return True
    return False


# ---------------------------------------------------------------------------
# finding the searches of a file


class _InteractionRule(Rule):
    """Reads the file's searches at the end, from the facts both rules share."""

    @property
    def facts(self) -> InteractionFacts:
        return self.ctx.facts(InteractionFacts)

    def reader(self) -> Reader:
        return Reader(self.ctx, self.facts.bindings, self.facts.functions)

    def sequences(self, reader: Reader) -> List[Tuple[Search, str, Search]]:
        """HPL401's findings: (later search, message, earlier search) of each one-at-a-time sequence, per block."""
        if self.facts.found_sequences is not None:  # both rules ask: read the file once
            return self.facts.found_sequences
        pairs = parse_pairs(self.ctx.config.option("interaction-pairs"), reader.vocabulary)
        found: List[Tuple[Search, str, Search]] = []
        searches = self.facts.candidate_loops + sum(len(calls) for calls in self.facts.optimize_calls.values())
        if pairs and searches >= 2:  # a sequence needs two searches
            for block in self.blocks():
                found.extend(find_sequences(self.searches_in(block, reader), pairs))
        self.facts.found_sequences = found
        return found

    # -- blocks and their searches, in source order ------------------------
    def blocks(self) -> Iterator[cst.CSTNode]:
        yield self.facts.module
        for defs in self.facts.functions.values():
            yield from defs

    def searches_in(self, block: cst.CSTNode, reader: Reader) -> List[Search]:
        cached = self.facts.searches.get(id(block))
        if cached is not None:
            return cached
        body = block.body if isinstance(block, cst.Module) else block.body.body
        out: List[Search] = []
        for stmt in body:
            out.extend(self._statement_searches(stmt, reader))
        self.facts.searches[id(block)] = out
        return out

    def _statement_searches(self, stmt: cst.CSTNode, reader: Reader, path: Tuple = ()) -> Iterator[Search]:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return
        if isinstance(stmt, cst.For):
            roles = reader.loop_roles(stmt)
            if roles:
                search = reader.read(Search(stmt, "loop", path=path), stmt, roles, set())
                listed = indexed_list(stmt.iter)
                for name, role in roles.items() if listed is not None else ():
                    search.varied[role] = f"{listed.value}[{name}]"  # type: ignore[union-attr]  # walked by index
                yield search
                return
            drawn = reader.draw_roles(stmt)
            if drawn:  # a random search: each pass draws its values
                search = Search(stmt, "loop", path=path, anchors=dict(drawn))
                names = {target_names(s.body[0].targets[0].target)[0]: role for role, s in drawn.items()}  # type: ignore[attr-defined]
                yield reader.read(search, stmt, names, set())
                return
        if isinstance(stmt, cst.SimpleStatementLine):
            for call in self.facts.optimize_calls.get(stmt, ()):
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
        defs = self.facts.functions.get(names[0], []) if names else []
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
        if func not in self.facts.suggesting:
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


def find_sequences(searches: List[Search], pairs: List[Tuple[str, str]]) -> List[Tuple[Search, str, Search]]:
    """(later search, message, earlier search) for each search that follows a one-at-a-time search of its partner.

    A search that is itself the second step of a sequence does not start another one.
    """
    ordered = pairs + [(b, a) for a, b in pairs]
    found: List[Tuple[Search, str, Search]] = []
    seconds: Set[int] = set()
    for index, later in enumerate(searches):
        for earlier_index, earlier in enumerate(searches[:index]):
            if earlier_index in seconds:
                continue
            match = next(((a, b) for a, b in ordered if _sequential(earlier, later, a, b)), None)
            if match is not None:
                seconds.add(index)
                found.append((later, sequence_message(earlier, later, *match), earlier))
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
        f"them one after the other picks {a_name} at one value of {b_name} and can miss the best pair; {joint_form(a, b)}"
    )


def joint_form(first: str, second: str) -> str:
    return f"search them together: {JOINT_FORM[first]} and {JOINT_FORM[second]} in one objective"
