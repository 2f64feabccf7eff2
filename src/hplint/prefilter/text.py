"""What the text stage reads from a file's raw text, once per file.

Everything here over-approximates what the ``ast`` holds: a word in a
comment counts as a name, a call in a string as a call.  Nothing may ever
miss what the tree has (the differential test in ``tests/test_prefilter.py``
checks it), and nothing may cost more than a few literal scans: every file
of a repository pays for this stage.
"""

from __future__ import annotations

import ast
import bisect
import functools
import re
import sys
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from hplint.core import memo
from hplint.reading import numbers

# ``from m import *`` (also across a backslash continuation)
_STAR_AFTER_IMPORT = re.compile(r"[ \t]*(?:\\\n[ \t]*)?\*")

_WORD = re.compile(r"[^\W\d]\w*")
# short quoted strings, and strings without blanks of any length: what can be a name or key
_STRING = re.compile(r"'([^'\\\n]{1,60}|[^'\\\s]{61,})'|\"([^\"\\\n]{1,60}|[^\"\\\s]{61,})\"")
# ``as alias``: the keyword after a blank, then blanks, continuations or comments, then the alias
_AS = re.compile(r"as(?:\s|\\|#[^\n]*\n)+([^\W\d]\w*)")
_BLANKS = " \t\r\n\\\f"
# what may follow a callee's name before its opening bracket: blanks, line
# breaks, comments, the closing bracket of ``(tune.uniform)(...)``
_CALL_REST = re.compile(r"[\s\\)]*(?:#[^\n]*\n[\s\\)]*)*\(")
_BRACKETS = re.compile(r"[()]|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
_ONE_LINE_STRING = re.compile(r"'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"")
_KEYWORDS = {word: re.compile(word + r"\b") for word in ("for", "def", "class")}
_INDENT = " \t\f"
_HIDES_LINES = re.compile(r'"""|\'\'\'|\\\n')
MAX_LOOPS_SCANNED = 2000  # beyond this the nest scan would cost more than parsing
MAX_CALL_TEXT = 20_000  # a longer argument list is kept unread


@functools.lru_cache(maxsize=None)
def _is_word_piece(piece: str) -> bool:
    """``piece`` is a whole ``_WORD`` match: every occurrence of it lies inside
    one ``_WORD`` match of the text (a word may not start with a digit, so a
    piece that does can sit where no word starts)."""
    return _WORD.fullmatch(piece) is not None


def unix_newlines(source: str) -> str:
    """Lone ``\\r`` and ``\\r\\n`` end lines too; line-anchored scans only know ``\\n``."""
    return source if "\r" not in source else source.replace("\r\n", "\n").replace("\r", "\n")


class TextScan:
    """One file's text with what the triggers ask of it, each read on first use."""

    def __init__(self, text: str, file: Optional["TextScan"] = None) -> None:
        self.text = text  # ``\n`` line ends
        # the whole file's scan when this one reads a region of it: imports
        # and aliases live at the file's level, the calls in the region
        self._file = file  # None: this scan is the file's (no reference to itself: see ``file``)
        self._words: Optional[FrozenSet[str]] = None
        self._names: Optional[FrozenSet[str]] = None
        self._aliases: Optional[Dict[str, Set[str]]] = None
        self._lowered: Optional[str] = None
        self._joined: Optional[str] = None
        self._has: Dict[str, bool] = {}
        self._nests: object = False
        self._qualify: Optional[numbers.Qualifier] = None
        self._positions: Dict[Tuple[Tuple[str, ...], Callable[[str], bool]], List[int]] = {}

    @property
    def file(self) -> "TextScan":
        """The whole file's scan; a property, since a scan holding itself would be
        garbage only the cycle collector frees (with every value it memoised)."""
        return self if self._file is None else self._file

    def has(self, piece: str) -> bool:
        """``piece`` occurs in the text (a literal search, remembered)."""
        found = self._has.get(piece)
        if found is None:
            # a piece that can only occur inside a word occurs in the text
            # exactly when it occurs in one of its words: search those, once each
            haystack = self.joined_words if _is_word_piece(piece) else self.text
            found = self._has[piece] = piece in haystack
        return found

    @property
    def joined_words(self) -> str:
        """The distinct words, one per line: far shorter than the text."""
        if self._joined is None:
            self._joined = "\n".join(self.words)
        return self._joined

    @property
    def lowered(self) -> str:
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered

    @property
    def words(self) -> FrozenSet[str]:
        """Every identifier-like word, in code, strings and comments alike."""
        if self._words is None:
            self._words = frozenset(_WORD.findall(self.text))
        return self._words

    @property
    def names(self) -> FrozenSet[str]:
        """The words, and the contents of strings that may be names or keys (``"learning-rate"``)."""
        if self._names is None:
            strings = {a or b for a, b in _STRING.findall(self.text)}
            self._names = self.words | strings
        return self._names

    def aliases(self, name: str) -> Set[str]:
        """The names ``name`` may be imported as (``linspace as lin``)."""
        if self._aliases is None:
            found: Dict[str, Set[str]] = {}
            text = self.text
            for at in occurrences(text, "as"):
                if not at or text[at - 1] not in _BLANKS:
                    continue
                match = _AS.match(text, at)
                if match is not None:
                    original = _word_before(text, at)
                    if original:
                        found.setdefault(original, set()).add(match.group(1))
            self._aliases = found
        return self._aliases.get(name, set())

    @property
    def qualify(self) -> numbers.Qualifier:
        """How the text stage reads a callee in a number (``numbers.text_qualifier``)."""
        if self._qualify is None:
            # a name is suspect when some math function is imported under it, or
            # when a star import may bind it (the import table cannot read those);
            # the closure holds the answer, not ``self``: a scan that pointed at
            # itself would live on until the cycle collector ran
            if star_import(self.text):
                self._qualify = numbers.text_qualifier(lambda name: True)
            else:
                aliased = frozenset(alias for math_name in numbers.MATH_NAMES for alias in self.aliases(math_name))
                self._qualify = numbers.text_qualifier(aliased.__contains__)
        return self._qualify

    def nests(self) -> Optional[List[Tuple[int, int, int]]]:
        """``loop_nests`` of the text, read once."""
        if self._nests is False:
            self._nests = loop_nests(self.text)
        return self._nests  # type: ignore[return-value]

    def call_positions(self, spellings: Tuple[str, ...], accept: Callable[[str], bool]) -> List[int]:
        """Sorted offsets of the called names that hold one of ``spellings`` (in
        lower case) and that ``accept`` takes, read once per set of spellings."""
        found = self._positions.get((spellings, accept))
        if found is None:
            text, low = self.text, self.lowered
            found = []
            if len(low) == len(text):
                for at in call_positions(low, spellings):
                    start = at
                    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                        start -= 1
                    end = at
                    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                        end += 1
                    if accept(text[start:end]):
                        found.append(at)
            else:  # lower-casing moved offsets: every spelling counts
                found = call_positions(low, spellings)
            self._positions[(spellings, accept)] = found
        return found

    def has_word(self, word: str) -> bool:
        """``word`` occurs as a whole word (not inside a longer name)."""
        return self.has(word) and next(self.word_starts(word), None) is not None

    def word_starts(self, word: str) -> Iterator[int]:
        text = self.text
        for at in occurrences(text, word):
            if at and (text[at - 1].isalnum() or text[at - 1] == "_"):
                continue
            after = at + len(word)
            if after < len(text) and (text[after].isalnum() or text[after] == "_"):
                continue
            yield at

    def words_with(self, piece: str) -> FrozenSet[str]:
        """The whole words that contain ``piece``."""
        if not self.has(piece):
            return frozenset()
        return frozenset(re.findall(r"\w*" + re.escape(piece) + r"\w*", self.text))

    def calls_to(self, name: str) -> Iterator[int]:
        """Where ``name`` (a whole word) is followed by an opening bracket: the
        offset of that bracket's end."""
        text = self.text
        for at in self.word_starts(name):
            opened = _CALL_REST.match(text, at + len(name))
            if opened is not None:
                yield opened.end()

    def bound_to_keyed_subscript(self, name: str, hops: int = 3) -> bool:
        """``name`` is assigned, within ``hops`` assignments of plain names, a
        value holding a string-keyed subscript (``a = params["lr"]``): the
        value read to the end of its logical line (brackets, backslashes)."""
        cache = self.__dict__.setdefault("_keyed_cache", {})
        key = (name, hops)
        if key not in cache:
            cache[key] = self._bound_to_keyed_subscript(name, hops)
        return cache[key]

    def _bound_to_keyed_subscript(self, name: str, hops: int) -> bool:
        names, seen = {name}, set()
        for _ in range(hops):
            values = [self._assigned_value(n) for n in names - seen]
            seen |= names
            if any(keyed for keyed, _ in values):
                return True
            names = {w for _, words in values for w in words}
            if not names - seen:
                return False
        return False

    def _assigned_value(self, name: str) -> Tuple[bool, FrozenSet[str]]:
        """Over every assignment of ``name``: whether a value holds a string-keyed
        subscript, and the names the values read.  Every file's assignments are
        found in one scan (``assignment_ends``), not one scan per name asked."""
        table = self.__dict__.get("_assigned")
        if table is None:
            table = self.__dict__["_assigned"] = assignment_ends(self.text)
            self.__dict__["_assigned_values"] = {}
        values: Dict[str, Tuple[bool, FrozenSet[str]]] = self.__dict__["_assigned_values"]
        found = values.get(name)
        if found is None:
            texts = [_logical_rest(self.text, end) for end in table.get(name, ())]
            words = frozenset(w for v in texts for w in _WORD.findall(_ONE_LINE_STRING.sub("", v)))
            found = values[name] = (any(_KEYED.search(v) for v in texts), words)
        return found

    def method_called(self, name: str) -> bool:
        """``<something>.name(`` occurs: a method call (blanks allowed around the dot)."""
        text = self.text
        for at in self.word_starts(name):
            before = at
            while before > 0 and text[before - 1] in _BLANKS:
                before -= 1
            if before > 0 and text[before - 1] == "." and _CALL_REST.match(text, at + len(name)):
                return True
        return False

    def call_texts(self, name: str) -> Iterator[Optional[str]]:
        """The text of every call to ``name`` as ``name(...)``: None where the
        call cannot be read from the text (never closed, or too long)."""
        text = self.text
        for start in self.calls_to(name):
            close = call_end(text, start)
            if close < 0 or close - start > MAX_CALL_TEXT:
                yield None
                continue
            yield name + "(" + text[start : close + 1]


def _word_before(text: str, at: int) -> str:
    """The word that ends before ``at``, over blanks, continuations and a
    comment at the end of an earlier line."""
    end = at
    while True:
        crossed = False
        while end > 0 and text[end - 1] in _BLANKS:
            crossed = crossed or text[end - 1] == "\n"
            end -= 1
        if not crossed:
            break
        start = text.rfind("\n", 0, end) + 1
        comment = text.find("#", start, end)
        if comment < 0:
            break
        end = comment
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start:end]


_KEYED = re.compile(r"\[\s*[rRbBuU]?[\"']")


def identifiers(text: str) -> List[str]:
    """The identifiers written in ``text``, in order."""
    return _WORD.findall(text)


def assignments(name: str) -> "re.Pattern[str]":
    """Where ``name`` is assigned (``name = ...``, ``name: T = ...``, also after ``;``):
    the match ends where the value starts."""
    return re.compile(r"(?<![\w.])" + re.escape(name) + r"[ \t]*(?::[^=\n]*)?=(?![=])")


# ``assignments`` for every name at once: a lookahead, so that no match hides
# another that starts inside it (``a: b = 1`` assigns ``a`` and, to that
# pattern, ``b``)
_ANY_ASSIGNMENT = re.compile(r"(?<![\w.])(?=(([^\W\d]\w*)[ \t]*(?::[^=\n]*)?=(?![=])))")


def assignment_ends(text: str) -> Dict[str, List[int]]:
    """name -> where each value starts, for every match ``assignments(name)`` has in ``text``."""
    out: Dict[str, List[int]] = {}
    for m in _ANY_ASSIGNMENT.finditer(text):
        out.setdefault(m.group(2), []).append(m.end(1))
    return out


def _logical_rest(text: str, start: int) -> str:
    """The text from ``start`` to the end of its logical line (``logical_end``)."""
    return text[start : logical_end(text, start)]


def logical_end(text: str, start: int) -> int:
    """Where the logical line from ``start`` ends: past newlines inside brackets
    and after a backslash (quotes are not tracked: a bracket inside a string only
    makes the value read longer)."""
    depth, at = 0, start
    while at < len(text):
        char = text[at]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif char == "\\" and text.startswith("\n", at + 1):
            at += 2
            continue
        elif char == "\n" and depth == 0:
            break
        at += 1
    return at


def scan(text: str) -> TextScan:
    """The scan of ``text``, made once per file however many rules ask."""
    return memo.once("text-scan", text, TextScan)


def star_import(text: str) -> bool:
    """``import *`` occurs (``import`` a whole word).  Found from the literal
    word: a pattern that starts with ``\\b`` is tried at every offset."""
    after = _STAR_AFTER_IMPORT.match
    for at in occurrences(text, "import"):
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")) and after(text, at + 6):
            return True
    return False


def occurrences(text: str, word: str) -> Iterator[int]:
    """The start of every occurrence of ``word``: ``str.find`` in a loop."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def call_end(source: str, start: int) -> int:
    """Where the call whose ``(`` ends at ``start`` closes, or -1 if it never does."""
    depth = 1
    for token in _BRACKETS.finditer(source, start):
        piece = token.group()
        if piece == "(":
            depth += 1
        elif piece == ")":
            depth -= 1
            if depth == 0:
                return token.start()
    return -1


_HARD_TO_READ = re.compile(r"\"\"\"|\'\'\'|\\|(?<![\w])[rRbBuU]?[fF][rR]?[\"\']")


def read_call(code: Optional[str]):
    """The ``ast.Call`` a call's text parses to; None when the text may be a
    call its scan could not delimit (a triple-quoted or f-string argument, a
    backslash, too long), False when it is no call (prose in a docstring or
    comment: real code between matched brackets parses)."""
    if code is None:
        return None
    tree = numbers.parse_expression(code)
    if isinstance(tree, ast.Call):
        return tree
    return None if _HARD_TO_READ.search(code) else False


# ---------------------------------------------------------------------------
# statements by line: for headers and loop nests


def keyword_lines(source: str, keyword: str) -> List[Tuple[int, int, int]]:
    """(line start, indentation width, end of the keyword) for each line that
    starts with ``keyword`` (``async`` may precede it): where the statements
    ``for``, ``def`` and ``class`` begin.  A literal search and a look back
    along the line: a regex anchored at every line start costs 20x more."""
    found = []
    for match in _KEYWORDS[keyword].finditer(source):
        start = match.start()
        line = source.rfind("\n", 0, start) + 1
        prefix = source[line:start]
        code = prefix.strip(_INDENT)
        if code and not (code == "async" and prefix[-1] in _INDENT):
            continue
        found.append((line, len(prefix) - len(prefix.lstrip(_INDENT)), match.end()))
    return found


def for_headers(source: str) -> Optional[List[str]]:
    """The text after ``for`` on every line that starts with a ``for``, or None
    when a header may go on past its line (open brackets, an open quote, a
    backslash): then the caller must assume anything."""
    headers = []
    for _, _, end in keyword_lines(source, "for"):
        stop = source.find("\n", end)
        header = source[end : stop if stop >= 0 else len(source)]
        bare = _ONE_LINE_STRING.sub("", header)
        if "\\" in bare or "'" in bare or '"' in bare:
            return None
        if bare.count("(") > bare.count(")") or bare.count("[") > bare.count("]") or bare.count("{") > bare.count("}"):
            return None
        headers.append(header)
    return headers


def header_names(header: str) -> List[str]:
    """The words of a ``for`` header and the strings in it."""
    return [quoted[1:-1] for quoted in _ONE_LINE_STRING.findall(header)] + _WORD.findall(_ONE_LINE_STRING.sub("''", header))


def loop_nests(source: str) -> Optional[List[Tuple[int, int, int]]]:
    """(line start, block end, first deeper ``for`` line) for each ``for`` line
    with a deeper-indented ``for`` inside its block: a nest needs one.  None
    when the file has too many loops to scan (anything may nest then).

    Only a ``def``/``class`` line at the outer loop's indentation or less ends
    its block, and only when no multi-line string or backslash continuation
    lies between (the line could be inside a string)."""
    loops = keyword_lines(source, "for")
    if len(loops) > MAX_LOOPS_SCANNED:
        return None
    if len(loops) < 2:
        return []
    scopes = sorted((line, indent) for word in ("def", "class") for line, indent, _ in keyword_lines(source, word))
    starts = [pos for pos, _ in scopes]
    hiding: List[int] = []
    nests = []
    for index, (start, indent, _) in enumerate(loops):
        end = len(source)
        for pos, depth in scopes[bisect.bisect_right(starts, start) :]:
            if depth <= indent:
                if not hiding:
                    hiding = [m.start() for m in _HIDES_LINES.finditer(source)] + [len(source) + 1]
                if bisect.bisect_left(hiding, start) == bisect.bisect_left(hiding, pos):
                    end = pos  # nothing between could hide this line in a string
                break
        for other, depth, _ in loops[index + 1 :]:
            if other >= end:
                break
            if depth > indent:
                nests.append((start, end, other))
                break
    return nests


def call_positions(low: str, spellings: Tuple[str, ...]) -> List[int]:
    """Sorted offsets in the lower-case text of each spelling that starts or sits
    in a called name (a literal search, then an anchored match of the rest)."""
    rest = _CALLED_NAME_REST
    return sorted(at for word in spellings for at in occurrences(low, word) if rest.match(low, at + len(word)))


_CALLED_NAME_REST = re.compile(r"\w*" + _CALL_REST.pattern)


# ---------------------------------------------------------------------------
# runs of numbers: literal lists written in the text
#
# A list of >= 3 constants has two commas each followed by a constant; the
# regexes below find such runs, anchored on the comma, and the value before
# the first comma.  An element is a constant numeric expression as
# ``numbers.evaluate`` reads it: numbers, signs, parentheses, + - * / ** and
# one-argument calls.  Possessive quantifiers (Python 3.11+) keep them
# linear; before 3.11 the runs are not read and every file is kept.

POSSESSIVE = sys.version_info >= (3, 11)


def _possessive(pattern: str) -> "Optional[re.Pattern[str]]":
    return re.compile(pattern) if POSSESSIVE else None


_WS = r"(?:\s++|\\\r?\n|#[^\n]*+)*+"  # no backtracking through blanks
_NUMBER = r"(?<![\w.])(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?)[jJ]?(?![\w.])"
# a callee: a dotted name, any part of it (or the whole) in parentheses: (math.exp)(x), (math).exp(x), μ.exp(x)
_PART = r"(?:\(" + _WS + r")?[^\W\d]\w*+(?:" + _WS + r"\))?"
_CALLEE = r"(?<![\w.])" + _PART + r"(?:" + _WS + r"\." + _WS + _PART + r")*+" + _WS + r"\("
_OPERAND = r"(?:[-+(]" + _WS + "|" + _CALLEE + _WS + r")*+" + _NUMBER + r"(?:" + _WS + r"(?:," + _WS + r")?\))*+"
_ELEMENT = _OPERAND + r"(?:" + _WS + r"(?:\*\*|[-+*/])" + _WS + _OPERAND + r")*+"
_RUN = _possessive(r"," + _WS + _ELEMENT + r"(?:" + _WS + r"," + _WS + _ELEMENT + r")+")
_ELEMENT_BEFORE = _possessive(r"(?:" + _ELEMENT + r")" + _WS + r"\Z")
_COMMENT = re.compile(r"#[^\n]*")
_TRAILING_COMMA = re.compile(r",\s*\)")
_BEFORE_WINDOW = 80  # a longer element before a run is taken as unknown


class NumberRun:
    """The values of a run of >= 2 constants after a comma (None: not a
    constant; UNKNOWN: may be one), and, read on demand, the value of the
    element before the first comma.  A literal list of constants lies
    within one run, its first element perhaps before it."""

    def __init__(self, source: str, comma: int, values: List[numbers.Value], qualify: numbers.Qualifier) -> None:
        self.values = values
        self._source, self._comma, self._qualify = source, comma, qualify

    def before(self) -> numbers.Value:
        return _value_before(self._source, self._comma, self._qualify)


def number_runs(scan: TextScan) -> Optional[Iterator[NumberRun]]:
    """The runs of numbers written in the text; None: runs cannot be read on this Python."""
    if _RUN is None:
        return None
    return _runs(scan.text, scan.qualify)


def _runs(source: str, qualify: numbers.Qualifier) -> Iterator[NumberRun]:
    run = _RUN.search(source)  # type: ignore[union-attr]
    while run is not None:
        yield NumberRun(source, run.start(), [_element_value(text, qualify) for text in _run_elements(run.group())], qualify)
        # a run that starts in a comment may swallow the real list's first
        # element: look again from its next comma
        start = run.start()
        in_comment = "#" in source[source.rfind("\n", 0, start) + 1 : start]
        run = _RUN.search(source, start + 1 if in_comment else run.end())  # type: ignore[union-attr]


def _run_elements(text: str) -> List[str]:
    """The elements of a run that starts at a comma; a comma before ``)`` ends a call."""
    if "#" in text:
        text = _COMMENT.sub("", text)
    if ")" in text:
        text = _TRAILING_COMMA.sub(")", text)
    return text.split(",")[1:]


def _value_before(source: str, comma: int, qualify: numbers.Qualifier) -> numbers.Value:
    window = source[max(0, comma - _BEFORE_WINDOW) : comma]
    found = _ELEMENT_BEFORE.search(window)  # type: ignore[union-attr]
    if found is None:
        return None
    if found.start() == 0 and comma > _BEFORE_WINDOW:
        return numbers.UNKNOWN  # it may begin before the window
    return _element_value(_COMMENT.sub("", found.group()), qualify)


def _element_value(text: str, qualify: numbers.Qualifier) -> numbers.Value:
    """Value of one element's text; parentheses it does not close belong to an
    enclosing tuple or call."""
    try:
        return float(text)
    except ValueError:
        pass
    if "(" in text or ")" in text:
        text = _unwrapped(text)
    text = text.strip().rstrip(",").strip()
    try:
        return float(text)
    except ValueError:
        pass
    if "\n" in text or "\\" in text:
        return numbers.UNKNOWN  # operands on several lines: maybe two statements
    return numbers.from_text(text, qualify)


def _unwrapped(text: str) -> str:
    """The part after the last unclosed ``(`` and before the first unopened ``)``."""
    stack: List[int] = []
    begin = 0
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")":
            if not stack:
                return text[begin:index]
            stack.pop()
    if stack:
        begin = stack[-1] + 1
    return text[begin:]


def memoised(table: Dict[str, bool], limit: int = 100_000) -> Callable[[Callable[[str], bool]], Callable[[str], bool]]:
    """Name judgements recur in every file: decide each once."""

    def wrap(decide: Callable[[str], bool]) -> Callable[[str], bool]:
        def judged(name: str) -> bool:
            found = table.get(name)
            if found is None:
                if len(table) > limit:
                    table.clear()
                found = table[name] = bool(decide(name))
            return found

        return judged

    return wrap
