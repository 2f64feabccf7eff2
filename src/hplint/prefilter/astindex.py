"""One cheap pass over a file's ``ast``, shared by every trigger's tree stage.

CPython builds an ``ast`` about 8x faster than libcst builds its tree, but a
walk over it in Python still costs: each rule walking the tree on its own
made the prefilter stage cost more than the parse.  ``index(tree)`` walks it
once and keeps what the triggers ask about: the names that occur, the calls
by callee (import aliases resolved), the nodes of each kind, and (on demand)
the lines of test functions.  ``scope_index(node)`` does the same for one
function's own body.
"""

from __future__ import annotations

import ast
import bisect
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple, Type, TypeVar

from hplint.core import memo
from hplint.reading.imports import SNIPPET_NAMES, ImportTable, snippet_spellings
from hplint.reading.names import file_names
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
        self.tree = tree
        self.identifiers: Set[str] = set()
        self.calls: Dict[str, List[ast.Call]] = {}
        self.nodes: Dict[type, List[ast.AST]] = {}
        self._scales: Optional[FrozenSet[Scale]] = None
        self._tests: Optional[List[Tuple[int, int]]] = None
        self._aliases: Optional[Dict[str, Set[str]]] = None
        self._imports: Optional[ImportTable] = None
        self._by_position: Dict[type, Tuple[List[Tuple[int, int]], List[ast.AST]]] = {}
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

    @property
    def file(self) -> "AstIndex":
        """The whole file's index (``ScopeView`` has the same attribute); a
        property, since an attribute pointing back at the index would make it,
        and the tree it holds, garbage only the cycle collector can free."""
        return self

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

    def positioned(self, kind: type) -> Tuple[List[Tuple[int, int]], List[ast.AST]]:
        """The nodes of ``kind`` sorted by where they start, with their starts."""
        found = self._by_position.get(kind)
        if found is None:
            ordered = sorted(self.nodes.get(kind, ()), key=_start)
            found = self._by_position[kind] = ([_start(n) for n in ordered], ordered)
        return found

    # -- imports ------------------------------------------------------------
    @property
    def imports(self) -> ImportTable:
        """The file's import table, as the rules read it."""
        file = self.file
        if file._imports is None:
            nodes = file.of(ast.Import, ast.ImportFrom)
            file._imports = ImportTable.from_nodes(sorted(nodes, key=lambda n: (n.lineno, n.col_offset)))  # type: ignore[attr-defined]
            file._imports.unbound = file._unbound_library_names(file._imports)
        return file._imports

    def _unbound_library_names(self, table: ImportTable) -> FrozenSet[str]:
        """``SNIPPET_NAMES`` the file reads and no scope binds (``NameTable.unbound``):
        code pasted without its imports."""
        read = {n.id for n in self.nodes.get(ast.Name, ()) if isinstance(n.ctx, ast.Load)}  # type: ignore[attr-defined]
        outside = memo.seeded("outside")  # statements a partial lint left out read names too
        if outside is not None:
            read |= outside.reads
        wanted = read.intersection(SNIPPET_NAMES) - set(table.aliases)
        if not wanted:
            return frozenset()
        names = file_names(self.tree)
        return frozenset(name for name in wanted if names.unbound(name))

    def aliases(self, name: str) -> Set[str]:
        """The local names an ``import ... as`` binds to something whose last name is ``name``."""
        file = self.file
        if file._aliases is None:
            found: Dict[str, Set[str]] = {}
            for alias in file.of(ast.alias):
                if alias.asname:  # type: ignore[attr-defined]
                    found.setdefault(alias.name.rsplit(".", 1)[-1], set()).add(alias.asname)  # type: ignore[attr-defined]
            file._aliases = found
        return file._aliases.get(name, set())

    def calls_named(self, names: Iterable[str]) -> List[ast.Call]:
        """Calls whose callee's last name is one of ``names``, or an import alias of one."""
        out: List[ast.Call] = []
        seen: Set[str] = set()
        for name in names:
            for spelled in (name, *self.aliases(name)):
                if spelled not in seen:
                    seen.add(spelled)
                    out.extend(self.calls.get(spelled, ()))
        return out

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
        ``in_test_function`` calls a test (statements never share lines)."""
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
        if any(name in self.imports.unbound for name in snippet_spellings(*roots)):
            return True  # pasted without its import: the library's own or conventional name, never bound
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


def target_names(target: ast.AST) -> List[str]:
    """``reading.calls.target_names`` of an ``ast`` target: the names, attribute
    names and string subscript keys an assignment or loop target binds."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return target_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in target_names(element)]
    if isinstance(target, ast.Attribute):
        return [target.attr]
    if isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Tuple) and len(key.elts) == 1:
            key = key.elts[0]  # grid["lr",]: libcst reads one subscript element
        return [key.value] if isinstance(key, ast.Constant) and isinstance(key.value, str) else []
    return []


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


def _start(node: ast.AST) -> Tuple[int, int]:
    return (node.lineno, node.col_offset)  # type: ignore[attr-defined]


def _end(node: ast.AST) -> Tuple[int, int]:
    return (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


class ScopeView:
    """The file index seen from one node: what lies below it, and with
    ``own_scope`` nothing inside a nested function, class or lambda.  Answers
    the questions a trigger asks of an ``AstIndex`` from the file's one walk."""

    def __init__(self, file: AstIndex, node: ast.AST, own_scope: bool) -> None:
        self.file = file
        self.tree = node
        self._span = (_start(node), _end(node))
        self._own = own_scope
        self._holes: Optional[List[Tuple[Tuple[int, int], Tuple[int, int]]]] = None
        self._calls: Optional[Dict[str, List[ast.Call]]] = None
        self._identifiers: Optional[Set[str]] = None

    def _inside(self, node: ast.AST) -> bool:
        at = _start(node)
        if self._holes is None:
            self._holes = []
            if self._own:
                for scope in self._below(*_SCOPES):
                    if scope is not self.tree:
                        self._holes.append((_start(scope), _end(scope)))
        return not any(low <= at < high for low, high in self._holes)

    def _below(self, *kinds: type) -> List[ast.AST]:
        low, high = self._span
        out: List[ast.AST] = []
        for kind in kinds:
            starts, nodes = self.file.positioned(kind)
            first = bisect.bisect_left(starts, low)
            last = bisect.bisect_left(starts, high)
            out.extend(nodes[first:last])
        return out

    def of(self, *kinds: Type[N]) -> List[N]:
        return [n for n in self._below(*kinds) if n is not self.tree and self._inside(n)]  # type: ignore[misc]

    @property
    def calls(self) -> Dict[str, List[ast.Call]]:
        if self._calls is None:
            self._calls = {}
            for call in self.of(ast.Call):
                self._calls.setdefault(callee_name(call), []).append(call)
        return self._calls

    def calls_named(self, names: Iterable[str]) -> List[ast.Call]:
        out: List[ast.Call] = []
        seen: Set[str] = set()
        for name in names:
            for spelled in (name, *self.file.aliases(name)):
                if spelled not in seen:
                    seen.add(spelled)
                    out.extend(self.calls.get(spelled, ()))
        return out

    @property
    def identifiers(self) -> Set[str]:
        if self._identifiers is None:
            walked = AstIndex(self.tree)
            self._identifiers = walked.identifiers  # nested scopes included: an over-approximation
        return self._identifiers

    @property
    def imports(self) -> ImportTable:
        return self.file.imports

    def aliases(self, name: str) -> Set[str]:
        return self.file.aliases(name)

    def in_test(self, node: ast.AST) -> bool:
        return self.file.in_test(node)

    def imports_module(self, *roots: str) -> bool:
        return self.file.imports_module(*roots)


def scope_index(file: AstIndex, node: ast.AST, own_scope: bool = True) -> "ScopeView":
    """What lies below ``node``: with ``own_scope``, a function's own body
    (nested functions, classes and lambdas left out)."""
    return ScopeView(file, node, own_scope)
