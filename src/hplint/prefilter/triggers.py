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
import re
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Sequence, Tuple, Union

from hplint.core import memo
from hplint.prefilter import text as texts
from hplint.prefilter.astindex import AstIndex
from hplint.prefilter.text import TextScan
from hplint.reading import numbers
from hplint.reading.imports import snippet_spellings
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
        return self.matching is not None and judge(self.matching, name)

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
    defaults: Optional[Tuple[float, float]] = None,
    names: bool = False,
) -> Where:
    """``where``: the two bounds (position, keywords) are constants for which
    ``holds(low, high)``; either unknown keeps the file.  ``summed``: the second
    argument is a width (scipy's ``loc, scale``).  ``defaults``: the values of
    bounds left out (scipy's ``loc=0, scale=1``).  ``names``: a bound written as a
    name or an index into one (``LR_RANGE[0]``) is unknown, for a rule that reads
    the constant such a name holds (``reading.held_numbers``)."""

    def where(site: CallSite) -> Judgement:
        a, b = site.number(low[0], *low[1]), site.number(high[0], *high[1])
        named_low, named_high = names and _named(site.arg(low[0], *low[1])), names and _named(site.arg(high[0], *high[1]))
        if named_low and named_high:
            return UNKNOWN
        if named_low or named_high:  # unknown unless no value of the name lets the other bound pass
            known = b if named_low else a
            if known is UNKNOWN or known is None:
                return UNKNOWN if known is UNKNOWN else False
            probes = [known * 10.0**k for k in range(-12, 13, 3)] + [-known, 0.0, 1e-12, 1e12, -1e12]
            pairs = [(p, known) if named_low else (known, p) for p in probes]
            return UNKNOWN if any(holds(x, x + y if summed else y) for x, y in pairs) else False
        if defaults is not None:
            a = defaults[0] if site.arg(low[0], *low[1]) is None else a
            b = defaults[1] if site.arg(high[0], *high[1]) is None else b
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        if a is None or b is None:
            return False
        return holds(a, a + b if summed else b)  # type: ignore[operator]

    return where


def _named(expr: Optional[ast.expr]) -> bool:
    """A name, or an index into one: what ``reading.held_numbers`` can read a constant through."""
    if isinstance(expr, ast.Subscript):
        expr = expr.value
    return isinstance(expr, ast.Name)


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


def judge(meaning: Callable[[str], bool], name: str) -> bool:
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
        return any(judge(self.meaning, name) for name in _tree_names(index))


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
            isinstance(node.value, str) and judge(self.meaning, node.value)  # type: ignore[attr-defined]
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
            keys = memo.once("quoted-keys", scan, _quoted_keys)
            return any(self.marks(key, key.lower()) for key in keys)
        return all(scan.has(key) and pattern.search(scan.text) for key, pattern in zip(self.keys, self.patterns))

    def tree(self, index: AstIndex) -> bool:
        wanted = set(self.keys)
        for node in index.of(ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}  # type: ignore[attr-defined]
            if self.meaning is not None:
                if any(judge(self.meaning, key) for key in keys):
                    return True
            elif wanted <= keys:
                return True
        return False


# a quoted string on one line followed by a colon: a dict key (or a slice, an annotation...)
_QUOTED_KEY = re.compile(r"[\"']([^\"'\n]*)[\"'](?:[\s\"'\\]|#[^\n]*\n)*:")


def _quoted_keys(scan: TextScan) -> FrozenSet[str]:
    """The text of every quoted key, read once per file for every rule that asks."""
    if ":" not in scan.text:
        return frozenset()
    return frozenset(_QUOTED_KEY.findall(scan.text))


class Imports(Trigger):
    """An absolute import of one of these top-level modules (how a call can qualify to it)."""

    def __init__(self, *roots: str) -> None:
        self.roots = roots

    def __repr__(self) -> str:
        return f"Imports{self.roots}"

    def text(self, scan: TextScan) -> bool:
        # an import statement writes the root as a whole word (``ray`` in ``from ray import
        # tune``, never the ``ray`` of ``array``); a snippet without imports writes a
        # conventional alias (``hp.uniform``) instead
        return any(scan.has_word(root) for root in self.roots) or any(scan.has_word(n) for n in snippet_spellings(*self.roots))

    def tree(self, index: AstIndex) -> bool:
        return index.imports_module(*self.roots)


def may_span_decades(low: float, high: float) -> bool:
    """Bounds (in either order) more than a decade apart, with slack for rounding."""
    low, high = min(low, high), max(low, high)
    return 0 < low and high / low > 10 * (1 - 1e-6)

