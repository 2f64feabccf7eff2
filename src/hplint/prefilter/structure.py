"""Triggers that read a file's structure: literal lists, loops, objectives, nodes.

The text stage cannot see structure, so these read what the text shows of it
(runs of numbers, ``for`` headers and indentation, ``trial``) and leave the
rest to the tree stage.  ``prefilter.triggers`` has the contract and the
primitives that read names and calls.
"""

from __future__ import annotations

import ast
import bisect
import re
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from hplint.core import memo
from hplint.prefilter import text as texts
from hplint.prefilter.astindex import AstIndex, scope_index
from hplint.prefilter.text import TextScan
from hplint.prefilter.triggers import Marks, Trigger, judge
from hplint.reading import numbers
from hplint.reading.numbers import UNKNOWN

# ---------------------------------------------------------------------------
# literal lists


class NumberLists(Trigger):
    """A literal list or tuple of >= ``least`` constants for which ``holds(values)``.

    ``window_holds(run)`` must be true of every run of numbers written in
    the text that holds such a list (``texts.NumberRun``: the run may hold
    more values, and unknown ones), so that the text stage reads only runs.
    """

    def __init__(
        self,
        holds: Callable[[Sequence[float]], bool],
        window_holds: Callable[["texts.NumberRun"], bool],
        least: int = 3,
        outside_tests: bool = False,
    ) -> None:
        self.holds = holds
        self.window_holds = window_holds
        self.least = least
        self.outside_tests = outside_tests

    def __repr__(self) -> str:
        return f"NumberLists({getattr(self.holds, '__name__', '')})"

    def text(self, scan: TextScan) -> bool:
        if "," not in scan.text:
            return False
        runs = texts.number_runs(scan)
        if runs is None:
            return True
        return any(len(run.values) + 1 >= self.least and self.window_holds(run) for run in runs)

    def tree(self, index: AstIndex) -> bool:
        qualify = index.imports.qualifier()
        for node in index.of(ast.List, ast.Tuple):
            elements = node.elts  # type: ignore[attr-defined]
            if len(elements) < self.least or any(isinstance(e, ast.Starred) for e in elements):
                continue
            values = [numbers.evaluate(e, qualify) for e in elements]
            if any(v is None for v in values):
                continue
            if self.outside_tests and index.in_test(node):
                continue
            if any(v is UNKNOWN for v in values) or self.holds(values):  # type: ignore[arg-type]
                return True
        return False


# ---------------------------------------------------------------------------
# structure: nodes of a kind, loop nests, objectives


class Nodes(Trigger):
    """An ``ast`` node of one of ``kinds`` that ``holds(node, index)``.

    The text cannot show structure, only words: ``marks`` are pieces of lower
    case text of which every node ``holds`` accepts shows at least one (the
    names it must call, say).  Without marks the text stage admits the file,
    so a ``Nodes`` trigger goes with one that reads the text (a call, a word).
    """

    def __init__(
        self,
        *kinds: type,
        holds: Callable[[ast.AST, AstIndex], bool],
        label: str = "",
        marks: Tuple[str, ...] = (),
        text: Optional[Callable[[TextScan], bool]] = None,
    ) -> None:
        self.kinds = kinds
        self.holds = holds
        self.label = label or getattr(holds, "__name__", "nodes")
        self.marks = marks
        self.text_holds = text  # what the text of a file with such a node shows, where marks cannot say

    def __repr__(self) -> str:
        return f"Nodes({self.label})"

    def text(self, scan: TextScan) -> bool:
        if self.text_holds is not None and not self.text_holds(scan):
            return False
        if not self.marks:
            return True
        low = scan.lowered
        return any(mark in low for mark in self.marks)

    def tree(self, index: AstIndex) -> bool:
        return any(self.holds(node, index) for node in index.of(*self.kinds))


LOOPS = (ast.For, ast.AsyncFor)


class LoopNests(Trigger):
    """A ``for`` loop with a deeper ``for`` in its body, the deeper one holding
    a call ``inner_calls`` accepts, the outer one outside tests.

    ``inner_calls(name, receiver, arguments)`` judges a callee by its last
    name, the last name of what it is called on and its argument count;
    ``spellings`` are substrings, one of which every accepted name holds in
    lower case (what the text stage looks for).  ``named``: some loop of the
    nest is over a name ``named`` accepts, a subscript, or a name bound (in up
    to three assignments) to a subscript.  ``inner``: a trigger the deeper
    loop's own body must satisfy too (read on the tree only).  ``collected``: a
    deeper loop that appends to a list (``configs.append(...)``) some loop of the
    file walks and trains on stands for one that trains.
    """

    def __init__(
        self,
        inner_calls: Callable[[str, Optional[str], int], bool],
        spellings: Tuple[str, ...],
        named: Optional[Callable[[str], bool]] = None,
        inner: Optional[Trigger] = None,
        collected: bool = False,
    ) -> None:
        self.inner_calls = inner_calls
        self.spellings = spellings
        self.named = named
        self.inner = inner
        self.collected = collected

    def __repr__(self) -> str:
        return "LoopNests()"

    # -- text -----------------------------------------------------------------
    def text(self, scan: TextScan) -> bool:
        source = scan.text
        if "for" not in source:
            return False
        nests = scan.nests()
        if nests is None:
            return True
        if not nests:
            return False
        low = scan.lowered
        if len(low) != len(source):  # lower-casing moved offsets: any nest will do
            return True
        calls = scan.call_positions(self.spellings, self._accepts_name)
        helpers: Optional[frozenset] = None  # names of the file's functions, read when a nest needs them
        for start, end, deeper in nests:
            at = bisect.bisect_right(calls, deeper)
            if at >= len(calls) or calls[at] >= end:
                if not calls:
                    continue  # no training call anywhere: no function of the file makes one either
                if helpers is None:  # the same for HPL101's and HPL103's nests: read once a file
                    helpers = memo.once(f"loop-helpers-{id(self.inner_calls)}", scan, lambda _: _training_functions(source, calls))
                # a function of this file the nest calls may hold the training call, or a
                # list it collects may be trained on in a later loop
                collects = self.collected and _walked_later(source, source[deeper:end])
                if not collects and not any(name in helpers for name in _CALLED.findall(source, deeper, end)):
                    continue
            if self.named is not None and not self._named_text(source[start:end], scan):
                continue
            if self.inner is not None and not self._inner_text(source, deeper, end, scan):
                continue
            return True
        return False

    def _inner_text(self, source: str, deeper: int, end: int, scan: TextScan) -> bool:
        """``inner`` holds in the deeper loop's text, or in the text of a function
        of this file that loop calls by name (one hop: ``train(model, bs)``)."""
        if self.inner.text(texts.TextScan(source[deeper:end], scan)):  # type: ignore[union-attr]
            return True
        spans = memo.once("function-spans", scan, lambda _: _function_spans(source))
        called = set(_CALLED.findall(source, deeper, end))
        return any(
            self.inner.text(texts.TextScan(source[start:stop], scan))  # type: ignore[union-attr]
            for name, start, stop in spans
            if name in called
        )

    def _named_text(self, block: str, scan: TextScan) -> bool:
        headers = texts.for_headers(block)
        if headers is None:
            return True
        for header in headers:
            if "[" in header:
                return True  # a subscript
            words = texts.header_names(header)
            if any(judge(self.named, w) for w in words):  # type: ignore[arg-type]
                return True
            bare = _BARE_ITERABLE.search(header)
            if bare is not None and scan.bound_to_keyed_subscript(bare.group(1)):
                return True
        variables = {w for header in headers for w in texts.header_names(header)}
        return any(m.group(2) in variables and judge(self.named, m.group(1)) for m in _PASSED_AS.finditer(block))  # type: ignore[arg-type]

    # -- tree -----------------------------------------------------------------
    def tree(self, index: AstIndex) -> bool:
        loops = index.of(*LOOPS)
        if len(loops) < 2:
            return False
        trains = memo.once(f"loop-nest-calls-{id(self.inner_calls)}", index, self._training_lines)
        if not trains:
            return False
        spans = sorted((loop.lineno, loop.end_lineno, loop) for loop in loops)  # type: ignore[attr-defined]
        bound = None
        appends: Optional[List[int]] = None
        for position, (_, last, outer) in enumerate(spans):
            if index.in_test(outer):
                continue
            for inner_first, _, deeper in spans[position + 1 :]:
                if inner_first > last:
                    break
                if deeper is outer:
                    continue
                if not _has_line(deeper, trains):
                    if not self.collected:
                        continue
                    if appends is None:  # lists a training loop walks, read once a file
                        appends = memo.once(f"trained-appends-{id(self.inner_calls)}", index, lambda _: _trained_appends(index, trains))
                    if not _has_line(deeper, appends):
                        continue
                if self.inner is not None and not self._inner_tree(index, deeper):
                    continue
                if self.named is not None:
                    if bound is None:
                        bound = _bindings(index)
                    if not self._named_tree(outer, bound):
                        continue
                return True
        return False

    def _inner_tree(self, index: AstIndex, deeper: ast.AST) -> bool:
        """``inner`` holds in the deeper loop, or in a module-level function it calls by name."""
        if self.inner.tree(scope_index(index, deeper, own_scope=False)):  # type: ignore[union-attr]
            return True
        called = {c.func.id for c in ast.walk(deeper) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
        return any(
            self.inner.tree(scope_index(index, func, own_scope=False))  # type: ignore[union-attr]
            for func in _module_functions(index.file.tree)
            if func.name in called  # type: ignore[attr-defined]
        )

    def _accepts_name(self, name: str) -> bool:
        """``inner_calls`` of a callee known only by its name (receiver and arguments unknown)."""
        return judge(self._any_receiver, name)

    def _any_receiver(self, name: str) -> bool:
        return self.inner_calls(name, None, 2) or self.inner_calls(name, None, 0)

    def _training_lines(self, index: AstIndex) -> List[int]:
        """Lines of training calls, and of calls to a function of this file that makes one."""
        spelled = [name for name in index.calls if name and any(s in name.lower() for s in self.spellings)]
        training = [c for name in spelled for c in index.calls[name] if self._trains(c)]
        if not training:
            return []
        helpers = {  # module-level functions, called by their plain name (what ``_trains_through`` reads)
            func.name  # type: ignore[attr-defined]
            for func in _module_functions(index.file.tree)
            if any(func.lineno <= c.lineno <= func.end_lineno for c in training)  # type: ignore[attr-defined]
        }
        through = [c for name in helpers for c in index.calls.get(name, ()) if isinstance(c.func, ast.Name)]
        return sorted(c.lineno for c in training + through)

    def _trains(self, call: ast.Call) -> bool:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        receiver = None
        if isinstance(func, ast.Attribute):
            value = func.value
            receiver = value.attr if isinstance(value, ast.Attribute) else value.id if isinstance(value, ast.Name) else None
        return bool(name) and self.inner_calls(name, receiver, len(call.args) + len(call.keywords))

    def _named_tree(self, outer: ast.AST, bound: Dict[str, List[ast.AST]]) -> bool:
        for loop in ast.walk(outer):
            if not isinstance(loop, LOOPS):
                continue
            for part in (loop.target, loop.iter):
                if any(isinstance(n, ast.Subscript) for n in ast.walk(part)):
                    return True
                if any(judge(self.named, name) for name in _written(part)):  # type: ignore[arg-type]
                    return True
            if _bound_to_subscript(loop.iter, bound):
                return True
        # ``for est in range(10, 51, 10): ... RandomForest(n_estimators=est)``: the keyword names it
        targets = {name for loop in ast.walk(outer) if isinstance(loop, LOOPS) for name in _written(loop.target)}
        return any(
            isinstance(k.value, ast.Name) and k.value.id in targets and k.arg is not None and judge(self.named, k.arg)  # type: ignore[arg-type]
            for k in ast.walk(outer)
            if isinstance(k, ast.keyword)
        )


_DEF_NAME = re.compile(r"(?m)^([ \t]*)(?:async[ \t]+)?(def|class)[ \t]+(\w+)")


def _module_functions(tree: ast.AST) -> Iterator[ast.AST]:
    """Functions defined in the module's own scope: at its top level, or under an ``if``,
    ``try``, ``with`` or loop there, never inside another function or a class."""
    stack = list(getattr(tree, "body", []))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node
        elif not isinstance(node, ast.ClassDef):
            for field in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, field, ()) or ())


def _training_functions(source: str, calls: List[int]) -> frozenset:
    """Names of the file's functions whose text holds one of the training calls at
    ``calls`` (sorted offsets).  A function's text runs to the next ``def``/``class``
    indented no deeper: past any other statement, so never shorter than its body."""
    found = set()
    for name, start, end in _function_spans(source):  # (a method too: the text cannot tell a module-level ``if`` from a class)
        at = bisect.bisect_left(calls, start)
        if at < len(calls) and calls[at] < end:
            found.add(name)
    return frozenset(found)


def _function_spans(source: str) -> List[Tuple[str, int, int]]:
    """Every ``def``'s name and text span: to the next ``def``/``class`` indented no
    deeper, past any other statement, so never shorter than its body."""
    heads = [(m.start(), len(m.group(1).expandtabs()), m.group(2), m.group(3)) for m in _DEF_NAME.finditer(source)]
    spans = []
    for index, (start, indent, kind, name) in enumerate(heads):
        if kind == "def":
            spans.append((name, start, next((s for s, i, _, _ in heads[index + 1 :] if i <= indent), len(source))))
    return spans


_CALLED = re.compile(r"([^\W\d]\w*)\s*\(")


def _target_text(header: str) -> str:
    """The part of a ``for`` header before its last `` in ``: the target, and
    part of the iterable where that holds an ``in`` of its own."""
    at = max(header.rfind(" in "), header.rfind(" in("), header.rfind(" in["), header.rfind(")in "))
    return header[:at + 1] if at >= 0 else header


# ``n_estimators=est``: a keyword given a name (a loop variable passed as the hyperparameter it is)
_PASSED_AS = re.compile(r"([^\W\d]\w*)[ \t]*=[ \t]*([^\W\d]\w*)\b")
_BARE_ITERABLE = re.compile(r"\bin\s+(?:(?:list|tuple|sorted)\(\s*)?([^\W\d]\w*)\s*\)?\s*:")


def _bindings(index: AstIndex) -> Dict[str, List[ast.AST]]:
    """name -> every value a plain assignment binds to it."""
    found: Dict[str, List[ast.AST]] = {}
    for node in index.of(ast.Assign):
        for target in node.targets:  # type: ignore[attr-defined]
            if isinstance(target, ast.Name):
                found.setdefault(target.id, []).append(node.value)  # type: ignore[attr-defined]
    for node in index.of(ast.AnnAssign):
        if isinstance(node.target, ast.Name) and node.value is not None:  # type: ignore[attr-defined]
            found.setdefault(node.target.id, []).append(node.value)  # type: ignore[attr-defined]
    return found


def _bound_to_subscript(expr: ast.AST, bound: Dict[str, List[ast.AST]], hops: int = 3) -> bool:
    """A name in ``expr`` bound, within ``hops`` assignments, to a value holding a subscript."""
    names = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
    seen: set = set()
    for _ in range(hops):
        values = [v for name in names - seen for v in bound.get(name, ())]
        seen |= names
        if any(isinstance(n, ast.Subscript) for v in values for n in ast.walk(v)):
            return True
        names = {n.id for v in values for n in ast.walk(v) if isinstance(n, ast.Name)}
        if not names - seen:
            return False
    return False


def _written(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.Attribute):
            yield sub.attr
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.value


_APPENDED = re.compile(r"(\w+)\s*\.\s*append\s*\(")


def _walked_later(source: str, nest: str) -> bool:
    """The text of a nest that appends to a list (``configs.append(...)``) some loop of
    the file walks (``in configs``, ``in enumerate(configs)``)."""
    return any(
        re.search(rf"\bin\s+(?:\w*\(\s*)?{re.escape(name)}\b", source) is not None
        for name in set(_APPENDED.findall(nest))
    )


def _trained_appends(index: AstIndex, trains: List[int]) -> List[int]:
    """The sorted lines of ``name.append(...)`` calls whose list a loop around a training line walks."""
    walked = {
        n.id for other in index.of(ast.For) if _has_line(other, trains) for n in ast.walk(other.iter) if isinstance(n, ast.Name)
    }
    return sorted(
        c.lineno for c in index.of(ast.Call)
        if isinstance(c.func, ast.Attribute) and c.func.attr == "append" and isinstance(c.func.value, ast.Name) and c.func.value.id in walked
    )


def _has_line(node: ast.AST, lines: List[int]) -> bool:
    """One of the sorted ``lines`` falls within ``node``'s lines."""
    at = bisect.bisect_left(lines, node.lineno)  # type: ignore[attr-defined]
    return at < len(lines) and lines[at] <= node.end_lineno  # type: ignore[attr-defined]


TRIAL_CLASSES = frozenset({"Trial", "BaseTrial", "FrozenTrial"})


class Objectives(Trigger):
    """A function that may receive an Optuna trial (passed to ``optimize``,
    a parameter annotated as a trial, or one named ``trial``) whose own body
    (nested functions left out) satisfies ``body``."""

    def __init__(self, body: Trigger) -> None:
        self.body = body

    def __repr__(self) -> str:
        return f"Objectives({self.body!r})"

    def text(self, scan: TextScan) -> bool:
        # the tree stage's candidates: a parameter named ``trial``, one annotated
        # with a trial class (every spelling holds ``Trial``, aliases included),
        # or a function handed to ``.optimize(``
        return (scan.has_word("trial") or scan.has("Trial") or scan.method_called("optimize")) and self.body.text(scan)

    def tree(self, index: AstIndex) -> bool:
        return any(self.body.tree(scope_index(index, func)) for func in objective_candidates(index))


def objective_candidates(index: AstIndex) -> List[ast.AST]:
    functions = index.of(ast.FunctionDef, ast.AsyncFunctionDef)
    if not functions:
        return []
    optimized = _optimized_names(index)
    annotations = _trial_annotations(index)
    return [
        func
        for func in functions
        if func.name in optimized  # type: ignore[attr-defined]
        or any(p.arg == "trial" or _annotated(p, annotations) for p in _params(func))
    ]


def _params(func: ast.AST) -> List[ast.arg]:
    args = func.args  # type: ignore[attr-defined]
    return list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)


def _trial_annotations(index: AstIndex) -> set:
    """Last names an annotation of a live trial can have: the trial classes
    (``FrozenTrial`` is finished) and any local alias of one."""
    names = set(TRIAL_CLASSES) - {"FrozenTrial"}
    for name in TRIAL_CLASSES:
        names |= index.aliases(name)
    return names


def _annotated(param: ast.arg, names: set) -> bool:
    ann = param.annotation
    if isinstance(ann, ast.Name):
        return ann.id in names
    if isinstance(ann, ast.Attribute):
        return ann.attr in names
    if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
        return ann.value.rsplit(".", 1)[-1] in names
    return False


def _optimized_names(index: AstIndex) -> set:
    """Every name inside what ``x.optimize(...)`` is given first, and what those
    names stand for in this file (``reading.objectives``): the values bound to
    them (three hops), a class's ``__call__``, the functions a factory defines."""
    found: set = set()
    for call in index.calls.get("optimize", ()):
        if not isinstance(call.func, ast.Attribute):
            continue
        given = [a for a in call.args if not isinstance(a, ast.Starred)][:1] + [k.value for k in call.keywords if k.arg == "func"]
        for value in given:
            found.update(_written(value))
    if not found:
        return found
    bound = memo.once("prefilter-bindings", index, _bindings)
    frontier = set(found)
    for _ in range(3):
        frontier = {name for old in frontier for value in bound.get(old, ()) for name in _written(value)} - found
        found |= frontier
    classes = {node.name for node in index.of(ast.ClassDef)}  # type: ignore[attr-defined]
    if found & classes:
        found.add("__call__")
    for func in index.of(ast.FunctionDef, ast.AsyncFunctionDef):
        if func.name in found:  # type: ignore[attr-defined]
            found.update(inner.name for inner in ast.walk(func) if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return found


class LoopsOver(Trigger):
    """A ``for`` loop whose target binds a name ``meaning`` accepts (a name,
    an attribute, a string subscript key); the text stage looks in ``for``
    headers for ``marks`` (what the text of every such name shows)."""

    def __init__(self, meaning: Callable[[str], bool], marks: Marks, label: str = "") -> None:
        self.meaning = meaning
        self.marks = marks
        self.label = label or getattr(meaning, "__name__", "loops")

    def __repr__(self) -> str:
        return f"LoopsOver({self.label})"

    def text(self, scan: TextScan) -> bool:
        headers = texts.for_headers(scan.text)
        if headers is None:
            return True
        targets = [_target_text(header) for header in headers]
        return any(self.marks(target, target.lower()) for target in targets)

    def tree(self, index: AstIndex) -> bool:
        return any(
            any(judge(self.meaning, name) for name in _written(loop.target))  # type: ignore[attr-defined]
            for loop in index.of(*LOOPS)
        )
