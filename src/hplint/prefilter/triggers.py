"""Triggers: what a rule declares must be present in a file for it to report.

A rule states its trigger once, as a small formula over shared primitives::

    trigger = Calls("linspace", "arange", where=bounds_span(...)) & Names(log_scale)

and both prefilter stages are derived from it: ``text(scan)`` reads the raw
text of every file, ``tree(index)`` reads CPython's ``ast`` of the files the
text admitted.  Each primitive's two readings are written here once and
tested here once; a rule never restates its logic on another tree.

Both readings must be *sound*: never reject a file on which the rule would
report.  They may admit more (a word in a comment, a call in a test).
``where`` predicates read an ``ast`` call through ``CallSite``, on the tree
and on the text alike (the call's text is parsed on its own); a value the
text cannot tell (a callee imported under another name) is ``UNKNOWN``, and
a predicate that meets one keeps the file.
"""

from __future__ import annotations

import ast
import bisect
import re
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from hplint.core import memo
from hplint.prefilter import text as texts
from hplint.prefilter.astindex import AstIndex, scope_index
from hplint.prefilter.text import TextScan
from hplint.reading import numbers
from hplint.reading.numbers import UNKNOWN, Unknown, Value

Judgement = Union[bool, Unknown]
# what the text of every name a meaning accepts shows: (text, its lower case) -> bool
Marks = Callable[[str, str], bool]


class Trigger:
    """A condition on a file, read on its text and on its ``ast``."""

    def text(self, scan: TextScan) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def tree(self, index: AstIndex) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def __and__(self, other: "Trigger") -> "Trigger":
        return AllOf(self, other)

    def __or__(self, other: "Trigger") -> "Trigger":
        return AnyOf(self, other)


class AllOf(Trigger):
    def __init__(self, *parts: Trigger) -> None:
        self.parts = parts

    def text(self, scan: TextScan) -> bool:
        return all(p.text(scan) for p in self.parts)

    def tree(self, index: AstIndex) -> bool:
        return all(p.tree(index) for p in self.parts)

    def __repr__(self) -> str:
        return "(" + " & ".join(map(repr, self.parts)) + ")"


class AnyOf(Trigger):
    def __init__(self, *parts: Trigger) -> None:
        self.parts = parts

    def text(self, scan: TextScan) -> bool:
        return any(p.text(scan) for p in self.parts)

    def tree(self, index: AstIndex) -> bool:
        return any(p.tree(index) for p in self.parts)

    def __repr__(self) -> str:
        return "(" + " | ".join(map(repr, self.parts)) + ")"


class Always(Trigger):
    """No condition: the rule reads every file (user-configured names, changed options)."""

    def text(self, scan: TextScan) -> bool:
        return True

    def tree(self, index: AstIndex) -> bool:
        return True


# ---------------------------------------------------------------------------
# calls


class CallSite:
    """An ``ast`` call as a ``where`` predicate reads it: arguments by position
    or keyword (as ``reading.calls.arg`` finds them) and their values."""

    def __init__(self, node: ast.Call, qualify: numbers.Qualifier, index: Optional[AstIndex] = None) -> None:
        self.node = node
        self.qualify = qualify
        self.index = index  # the file's index; None when read from the text (imports unknown)

    @property
    def has_star_args(self) -> bool:
        return any(isinstance(a, ast.Starred) for a in self.node.args) or any(k.arg is None for k in self.node.keywords)

    def arg(self, index: Optional[int], *keywords: str) -> Optional[ast.expr]:
        """The argument given as one of ``keywords`` or at ``index`` (a ``*args`` before it hides it)."""
        for keyword in keywords:
            for given in self.node.keywords:
                if given.arg == keyword:
                    return given.value
        if index is None:
            return None
        position = -1
        for value in self.node.args:
            if isinstance(value, ast.Starred):
                return None
            position += 1
            if position == index:
                return value
        return None

    def number(self, index: Optional[int], *keywords: str) -> Value:
        found = self.arg(index, *keywords)
        return None if found is None else numbers.evaluate(found, self.qualify)

    def string(self, index: Optional[int], *keywords: str) -> Optional[str]:
        found = self.arg(index, *keywords)
        return found.value if isinstance(found, ast.Constant) and isinstance(found.value, str) else None

    def is_true(self, keyword: str) -> bool:
        found = self.arg(None, keyword)
        return isinstance(found, ast.Constant) and found.value is True

    @property
    def is_method(self) -> bool:
        return isinstance(self.node.func, ast.Attribute)


Where = Callable[[CallSite], Judgement]


class Calls(Trigger):
    """A call whose callee's last name is one of ``names`` (or an import alias
    of one), starts with one of ``prefixes``, ends with one of ``suffixes``,
    or that ``matching`` accepts; where given, ``where(site)`` must not be False.

    ``method``: only ``x.name(...)``.  ``outside_tests``: not inside a
    ``def test*``/``class Test*`` (what ``in_test_function`` skips).
    """

    def __init__(
        self,
        *names: str,
        prefixes: Sequence[str] = (),
        suffixes: Sequence[str] = (),
        matching: Optional[Callable[[str], bool]] = None,
        where: Optional[Where] = None,
        method: bool = False,
        outside_tests: bool = False,
        least: int = 1,
        spellings: Tuple[str, ...] = (),
    ) -> None:
        self.names = names
        self.prefixes = tuple(prefixes)
        self.suffixes = tuple(suffixes)
        self.matching = matching
        self.where = where
        self.method = method
        self.outside_tests = outside_tests
        self.least = least  # on the tree: at least this many such calls
        # with ``matching``: substrings one of which every name it accepts holds in
        # lower case; the text stage looks for them instead of judging every word
        self.spellings = spellings

    def __repr__(self) -> str:
        return f"Calls{self.names + self.prefixes + self.suffixes}"

    @property
    def _open(self) -> bool:
        """Names are judged by more than a fixed list."""
        return bool(self.prefixes or self.suffixes or self.matching)

    def _named(self, name: str) -> bool:
        if name in self.names or name.startswith(self.prefixes or ("\0",)) or name.endswith(self.suffixes or ("\0",)):
            return True
        return self.matching is not None and _judge(self.matching, name)

    # -- text -----------------------------------------------------------------
    def _spellings(self, scan: TextScan) -> List[str]:
        """The callee names present as words, and the names they are imported as."""
        file = scan.file
        found = [w for w in self.names if file.has(w)]
        for piece in self.prefixes + self.suffixes:
            found += [w for w in file.words_with(piece) if w not in self.names and self._named(w)]
        return found + [alias for name in found for alias in file.aliases(name)]

    def text(self, scan: TextScan) -> bool:
        if self.matching is not None:
            if not self.spellings:
                return True
            low = scan.lowered
            return any(s.lower() in low for s in self.names + self.prefixes + self.suffixes + self.spellings)
        if not any(scan.file.has(piece) for piece in self._pieces):
            return False
        spellings = self._spellings(scan)
        if self.where is None:
            calls = (at for name in spellings for at in scan.calls_to(name))
            return all(next(calls, None) is not None for _ in range(self.least))
        return any(self._text_call_may_match(code, scan) for name in spellings for code in scan.call_texts(name))

    @property
    def _pieces(self) -> Tuple[str, ...]:
        """The fewest substrings one of which every accepted name holds: no
        name here holds another (``Adam`` covers ``AdamW``)."""
        found = getattr(self, "_minimal", None)
        if found is None:
            every = self.names + self.prefixes + self.suffixes
            found = self._minimal = tuple(w for w in every if not any(o != w and o in w for o in every))
        return found

    def _text_call_may_match(self, code: Optional[str], scan: TextScan) -> bool:
        call = texts.read_call(code)
        if call is None:
            return True  # a call the text cannot show: the tree decides
        if call is False:
            return False  # prose that names the callee
        return self.where(CallSite(call, scan.qualify)) is not False  # type: ignore[misc]

    # -- tree -----------------------------------------------------------------
    def matches(self, index: AstIndex) -> Iterator[ast.Call]:
        names = list(self.names)
        if self._open:
            names += [n for n in index.calls if n not in self.names and self._named(n)]
            names += [a.asname for a in index.file.of(ast.alias) if a.asname and self._named(a.name.rsplit(".", 1)[-1])]
        qualify = index.imports.qualifier()
        for call in index.calls_named(names):
            if self.method and not isinstance(call.func, ast.Attribute):
                continue
            if self.outside_tests and index.in_test(call):
                continue
            if self.where is not None and self.where(CallSite(call, qualify, index)) is False:
                continue
            yield call

    def tree(self, index: AstIndex) -> bool:
        found = self.matches(index)
        return all(next(found, None) is not None for _ in range(self.least))


def bounds(
    low: Tuple[Optional[int], Sequence[str]],
    high: Tuple[Optional[int], Sequence[str]],
    holds: Callable[[float, float], bool],
    summed: bool = False,
) -> Where:
    """``where``: the two bounds (position, keywords) are constants for which
    ``holds(low, high)``; either unknown keeps the file.  ``summed``: the second
    argument is a width (scipy's ``loc, scale``)."""

    def where(site: CallSite) -> Judgement:
        a, b = site.number(low[0], *low[1]), site.number(high[0], *high[1])
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        if a is None or b is None:
            return False
        return holds(a, a + b if summed else b)  # type: ignore[operator]

    return where


def any_of(*wheres: Where) -> Where:
    """``where``: one of several readings of the call holds."""

    def where(site: CallSite) -> Judgement:
        found: Judgement = False
        for one in wheres:
            judged = one(site)
            if judged is True:
                return True
            if judged is UNKNOWN:
                found = UNKNOWN
        return found

    return where


def all_of(*wheres: Where) -> Where:
    """``where``: every condition holds (an unknown one keeps the file)."""

    def where(site: CallSite) -> Judgement:
        found: Judgement = True
        for one in wheres:
            judged = one(site)
            if judged is False:
                return False
            if judged is UNKNOWN:
                found = UNKNOWN
        return found

    return where


# ---------------------------------------------------------------------------
# names


_JUDGED: Dict[Tuple[Callable[[str], bool], str], bool] = {}


def _judge(meaning: Callable[[str], bool], name: str) -> bool:
    key = (meaning, name)
    found = _JUDGED.get(key)
    if found is None:
        if len(_JUDGED) > 200_000:
            _JUDGED.clear()
        found = _JUDGED[key] = bool(meaning(name))
    return found


class Names(Trigger):
    """A name, attribute, keyword, parameter or string key that ``meaning``
    accepts (say, a name the vocabulary calls log-scale).

    Judging every word of every file costs more than parsing it, so the text
    stage only looks for ``marks``: a pattern that the text of any name
    ``meaning`` accepts matches (the vocabulary states it beside the meaning
    and tests it).  Without marks the text stage admits the file.
    """

    def __init__(self, meaning: Callable[[str], bool], label: str = "", marks: Optional[Marks] = None) -> None:
        self.meaning = meaning
        self.label = label or getattr(meaning, "__name__", "names")
        self.marks = marks

    def __repr__(self) -> str:
        return f"Names({self.label})"

    def text(self, scan: TextScan) -> bool:
        return self.marks is None or self.marks(scan.text, scan.lowered)

    def tree(self, index: AstIndex) -> bool:
        return any(_judge(self.meaning, name) for name in _tree_names(index))


def _tree_names(index: AstIndex) -> Iterator[str]:
    yield from index.identifiers
    for node in index.of(ast.Constant):
        value = node.value  # type: ignore[attr-defined]
        if isinstance(value, str) and len(value) > 60 and not any(c.isspace() for c in value):
            yield value  # a long key (a pipeline parameter), not prose


class Words(Trigger):
    """One of these exact identifiers (a name, attribute, keyword, alias or short string)."""

    def __init__(self, *words: str) -> None:
        self.words = words

    def __repr__(self) -> str:
        return f"Words{self.words}"

    def text(self, scan: TextScan) -> bool:
        return any(scan.has_word(w) for w in self.words)

    def tree(self, index: AstIndex) -> bool:
        return any(w in index.identifiers for w in self.words)


class Strings(Trigger):
    """A string literal (a key, a label) that ``meaning`` accepts; the text
    stage looks for ``marks`` (what the text of every such string shows)."""

    def __init__(self, meaning: Callable[[str], bool], marks: Marks, label: str = "") -> None:
        self.meaning = meaning
        self.marks = marks
        self.label = label or getattr(meaning, "__name__", "strings")

    def __repr__(self) -> str:
        return f"Strings({self.label})"

    def text(self, scan: TextScan) -> bool:
        return self.marks(scan.text, scan.lowered)

    def tree(self, index: AstIndex) -> bool:
        return any(
            isinstance(node.value, str) and _judge(self.meaning, node.value)  # type: ignore[attr-defined]
            for node in index.of(ast.Constant)
        )


class DictKeys(Trigger):
    """A dict literal with all of ``keys`` as string keys, or (``meaning``)
    with a string key ``meaning`` accepts; the text stage looks for a quoted
    key followed by its colon (``marks`` judging the key's text)."""

    def __init__(self, *keys: str, meaning: Optional[Callable[[str], bool]] = None, marks: Optional[Marks] = None) -> None:
        self.keys = keys
        self.meaning = meaning
        self.marks = marks
        # the key's closing quote, then blanks, comments, the rest of a triple
        # quote or a backslash continuation, then the colon
        self.patterns = [re.compile(re.escape(key) + r"[\"'](?:[\s\"'\\]|#[^\n]*\n)*:") for key in keys]

    def __repr__(self) -> str:
        return f"DictKeys{self.keys or (getattr(self.meaning, '__name__', ''),)}"

    def text(self, scan: TextScan) -> bool:
        if self.meaning is not None:
            if self.marks is None:
                return True
            return any(self.marks(key, key.lower()) for key in _QUOTED_KEY.findall(scan.text))
        return all(scan.has(key) and pattern.search(scan.text) for key, pattern in zip(self.keys, self.patterns))

    def tree(self, index: AstIndex) -> bool:
        wanted = set(self.keys)
        for node in index.of(ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}  # type: ignore[attr-defined]
            if self.meaning is not None:
                if any(_judge(self.meaning, key) for key in keys):
                    return True
            elif wanted <= keys:
                return True
        return False


# a quoted string on one line followed by a colon: a dict key (or a slice, an annotation...)
_QUOTED_KEY = re.compile(r"[\"']([^\"'\n]*)[\"'](?:[\s\"'\\]|#[^\n]*\n)*:")


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
            any(_judge(self.meaning, name) for name in _written(loop.target))  # type: ignore[attr-defined]
            for loop in index.of(*LOOPS)
        )


class Imports(Trigger):
    """An absolute import of one of these top-level modules (how a call can qualify to it)."""

    def __init__(self, *roots: str) -> None:
        self.roots = roots

    def __repr__(self) -> str:
        return f"Imports{self.roots}"

    def text(self, scan: TextScan) -> bool:
        return any(scan.has(root) for root in self.roots)

    def tree(self, index: AstIndex) -> bool:
        return index.imports_module(*self.roots)


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

    The text cannot show structure: the text stage admits the file, so a
    ``Nodes`` trigger goes with one that reads the text (a call, a word).
    """

    def __init__(self, *kinds: type, holds: Callable[[ast.AST, AstIndex], bool], label: str = "") -> None:
        self.kinds = kinds
        self.holds = holds
        self.label = label or getattr(holds, "__name__", "nodes")

    def __repr__(self) -> str:
        return f"Nodes({self.label})"

    def text(self, scan: TextScan) -> bool:
        return True

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
    loop's own body must satisfy too (read on the tree only).
    """

    def __init__(
        self,
        inner_calls: Callable[[str, Optional[str], int], bool],
        spellings: Tuple[str, ...],
        named: Optional[Callable[[str], bool]] = None,
        inner: Optional[Trigger] = None,
    ) -> None:
        self.inner_calls = inner_calls
        self.spellings = spellings
        self.named = named
        self.inner = inner

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
        for start, end, deeper in nests:
            at = bisect.bisect_right(calls, deeper)
            if at >= len(calls) or calls[at] >= end:
                continue
            if self.named is not None and not self._named_text(source[start:end], scan):
                continue
            if self.inner is not None and not self.inner.text(texts.TextScan(source[deeper:end], scan)):
                continue
            return True
        return False

    def _named_text(self, block: str, scan: TextScan) -> bool:
        headers = texts.for_headers(block)
        if headers is None:
            return True
        for header in headers:
            if "[" in header:
                return True  # a subscript
            words = texts.header_names(header)
            if any(_judge(self.named, w) for w in words):  # type: ignore[arg-type]
                return True
            bare = _BARE_ITERABLE.search(header)
            if bare is not None and scan.bound_to_keyed_subscript(bare.group(1)):
                return True
        return False

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
        for position, (first, last, outer) in enumerate(spans):
            if index.in_test(outer):
                continue
            for inner_first, inner_last, deeper in spans[position + 1 :]:
                if inner_first > last:
                    break
                if deeper is outer or not _has_line(deeper, trains):
                    continue
                if self.inner is not None and not self.inner.tree(scope_index(index, deeper, own_scope=False)):
                    continue
                if self.named is not None:
                    if bound is None:
                        bound = _bindings(index)
                    if not self._named_tree(outer, bound):
                        continue
                return True
        return False

    def _accepts_name(self, name: str) -> bool:
        """``inner_calls`` of a callee known only by its name (receiver and arguments unknown)."""
        return _judge(self._any_receiver, name)

    def _any_receiver(self, name: str) -> bool:
        return self.inner_calls(name, None, 2) or self.inner_calls(name, None, 0)

    def _training_lines(self, index: AstIndex) -> List[int]:
        spelled = [name for name in index.calls if name and any(s in name.lower() for s in self.spellings)]
        return sorted(c.lineno for name in spelled for c in index.calls[name] if self._trains(c))

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
                if any(_judge(self.named, name) for name in _written(part)):  # type: ignore[arg-type]
                    return True
            if _bound_to_subscript(loop.iter, bound):
                return True
        return False


def _target_text(header: str) -> str:
    """The part of a ``for`` header before its last `` in ``: the target, and
    part of the iterable where that holds an ``in`` of its own."""
    at = max(header.rfind(" in "), header.rfind(" in("), header.rfind(" in["), header.rfind(")in "))
    return header[:at + 1] if at >= 0 else header


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
        return ("trial" in scan.lowered or scan.method_called("optimize")) and self.body.text(scan)

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
    """Every name inside what ``x.optimize(...)`` is given first."""
    found: set = set()
    for call in index.calls.get("optimize", ()):
        if not isinstance(call.func, ast.Attribute):
            continue
        given = [a for a in call.args if not isinstance(a, ast.Starred)][:1] + [k.value for k in call.keywords if k.arg == "func"]
        for value in given:
            found.update(_written(value))
    return found


def may_span_decades(low: float, high: float) -> bool:
    """Bounds (in either order) more than a decade apart, with slack for rounding."""
    low, high = min(low, high), max(low, high)
    return 0 < low and high / low > 10 * (1 - 1e-6)

