"""One cheap pass over a file's ``ast``, shared by every rule's second prefilter stage.

CPython builds an ``ast`` about 8x faster than libcst builds its tree, but a
walk over it in Python still costs: each rule walking the tree on its own
made the prefilter stage cost more than the parse.  ``index(tree)`` walks it
once and keeps what the ``ast_wants`` checks ask about: the names that occur,
the calls by callee, the nodes of each kind, and (on demand) the lines of
test functions.  The text prefilters share ``lowered(source)``, the lower-case
text computed once per file, and literal line scans (``keyword_lines``,
``for_headers``).
"""

from __future__ import annotations

import ast
import re
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple, Type, TypeVar

from hplint.core import memo
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, Scale

N = TypeVar("N", bound=ast.AST)
SHORT_STRING = 60  # longer strings are prose, not parameter names
# expression contexts and operators: singletons no prefilter asks about
_NOT_WALKED = frozenset({"ctx", "op", "ops"})
_FIELDS: Dict[type, Tuple[str, ...]] = {}
_NAMED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def callee_name(call: ast.Call) -> str:
    """Last segment of what is called: ``np.linspace`` -> ``linspace``; '' for anything else."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


class AstIndex:
    """What one walk over a module's ``ast`` found."""

    def __init__(self, tree: ast.AST) -> None:
        self.identifiers: Set[str] = set()
        self.calls: Dict[str, List[ast.Call]] = {}
        self.nodes: Dict[type, List[ast.AST]] = {}
        self._scales: Optional[FrozenSet[Scale]] = None
        self._tests: Optional[List[Tuple[int, int]]] = None
        self._walk(tree)

    def _walk(self, tree: ast.AST) -> None:
        names, calls, nodes = self.identifiers, self.calls, self.nodes
        stack: List[ast.AST] = [tree]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            kind = type(node)
            bucket = nodes.get(kind)
            if bucket is None:
                bucket = nodes[kind] = []
            bucket.append(node)
            if kind is ast.Name:
                names.add(node.id)  # type: ignore[attr-defined]
                continue
            if kind is ast.Attribute:
                names.add(node.attr)  # type: ignore[attr-defined]
            elif kind is ast.Call:
                calls.setdefault(callee_name(node), []).append(node)  # type: ignore[arg-type]
            elif kind is ast.Constant:
                value = node.value  # type: ignore[attr-defined]
                if isinstance(value, str) and len(value) <= SHORT_STRING:
                    names.add(value)
                continue
            elif kind is ast.keyword or kind is ast.arg:
                name = node.arg  # type: ignore[attr-defined]
                if name:
                    names.add(name)
            elif kind is ast.alias:
                names.add(node.name)  # type: ignore[attr-defined]
                if node.asname:  # type: ignore[attr-defined]
                    names.add(node.asname)  # type: ignore[attr-defined]
                continue
            elif kind in _NAMED_SCOPES:
                names.add(node.name)  # type: ignore[attr-defined]
            fields = _FIELDS.get(kind)
            if fields is None:
                fields = _FIELDS[kind] = tuple(f for f in kind._fields if f not in _NOT_WALKED)
            for field in fields:
                value = getattr(node, field, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, ast.AST):
                            push(item)
                elif isinstance(value, ast.AST):
                    push(value)

    # -- questions --------------------------------------------------------
    def of(self, *kinds: Type[N]) -> List[N]:
        """Every node of these types, in no particular order."""
        if len(kinds) == 1:
            return self.nodes.get(kinds[0], [])  # type: ignore[return-value]
        out: List[N] = []
        for kind in kinds:
            out.extend(self.nodes.get(kind, []))  # type: ignore[arg-type]
        return out

    def calls_to(self, names: Iterable[str]) -> List[ast.Call]:
        out: List[ast.Call] = []
        for name in names:
            out.extend(self.calls.get(name, ()))
        return out

    def has_call(self, *names: str) -> bool:
        return any(name in self.calls for name in names)

    @property
    def scales(self) -> FrozenSet[Scale]:
        """The vocabulary scales of every name in the file (built-in vocabulary)."""
        if self._scales is None:
            self._scales = frozenset(_scale(name) for name in self.identifiers)
        return self._scales

    def mentions_log_scale(self) -> bool:
        """Some name the vocabulary calls log-scale, ambiguous ones included."""
        return Scale.LOG in self.scales or Scale.AMBIGUOUS_LOG in self.scales

    def test_spans(self) -> List[Tuple[int, int]]:
        """Lines of ``def test*`` and ``class Test*``, decorators included: what
        ``analysis.in_test_function`` calls a test (statements never share lines)."""
        if self._tests is None:
            spans = []
            for node in self.of(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                prefix = "Test" if isinstance(node, ast.ClassDef) else "test"
                if node.name.startswith(prefix):
                    first = min([d.lineno for d in node.decorator_list] + [node.lineno])
                    spans.append((first, node.end_lineno or node.lineno))
            self._tests = spans
        return self._tests

    def in_test(self, node: ast.AST) -> bool:
        line = node.lineno  # type: ignore[attr-defined]
        return any(first <= line <= last for first, last in self.test_spans())

    def imports_module(self, *roots: str) -> bool:
        """An absolute import of one of ``roots`` or a submodule: how a call can qualify to it
        (``ImportTable`` ignores relative imports too)."""
        for node in self.nodes.get(ast.Import, ()):
            if any(a.name.split(".")[0] in roots for a in node.names):  # type: ignore[attr-defined]
                return True
        return any(
            n.level == 0 and (n.module or "").split(".")[0] in roots  # type: ignore[attr-defined]
            for n in self.nodes.get(ast.ImportFrom, ())
        )


_SCALES: Dict[str, Scale] = {}


def _scale(name: str) -> Scale:
    """``DEFAULT_VOCABULARY.scale``, memoised: the same names recur in every file."""
    found = _SCALES.get(name)
    if found is None:
        if len(_SCALES) > 200_000:
            _SCALES.clear()
        found = _SCALES[name] = DEFAULT_VOCABULARY.scale(name)
    return found


def written_names(node: ast.AST, *, strings: bool = False, arguments: bool = False) -> Iterator[str]:
    """Every name written below ``node``: identifiers and attribute names, and on
    request string constants and keyword/parameter names."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.Attribute):
            yield sub.attr
        elif strings and isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value:
            yield sub.value
        elif arguments and isinstance(sub, (ast.keyword, ast.arg)) and sub.arg:
            yield sub.arg


def index(tree: ast.AST) -> AstIndex:
    """The index of ``tree``, built once per file however many rules ask."""
    return memo.once("ast-index", tree, AstIndex)


def lowered(source: str) -> str:
    """``source.lower()``, computed once per file for every text prefilter."""
    return memo.once("lowered", source, str.lower)


_ONE_LINE_STRING = re.compile(r"'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"")
_KEYWORDS = {word: re.compile(word + r"\b") for word in ("for", "def", "class")}
_INDENT = " \t\f"


def unix_newlines(source: str) -> str:
    """Lone ``\r`` and ``\r\n`` end lines too; line-anchored scans only know ``\n``."""
    return source if "\r" not in source else source.replace("\r\n", "\n").replace("\r", "\n")


def occurrences(text: str, word: str) -> Iterator[int]:
    """The start of every occurrence of ``word`` in ``text``: ``str.find`` in a
    loop, which the text prefilters use before any (anchored) regex."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


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
    """The text after ``for`` on every line that starts with a ``for`` (every
    ``for`` statement's header starts such a line), or None when a header may
    go on past its line (open brackets, an open quote, a backslash): then the
    caller must assume anything."""
    text = unix_newlines(source)
    headers = []
    for _, _, end in keyword_lines(text, "for"):
        stop = text.find("\n", end)
        header = text[end : stop if stop >= 0 else len(text)]
        bare = _ONE_LINE_STRING.sub("", header)
        if "\\" in bare or "'" in bare or '"' in bare:
            return None
        if bare.count("(") > bare.count(")") or bare.count("[") > bare.count("]") or bare.count("{") > bare.count("}"):
            return None
        headers.append(header)
    return headers


def one_line_strings(text: str) -> List[str]:
    """The contents of the quoted strings in one line of code."""
    return [quoted[1:-1] for quoted in _ONE_LINE_STRING.findall(text)]


def without_strings(text: str) -> str:
    return _ONE_LINE_STRING.sub("''", text)
