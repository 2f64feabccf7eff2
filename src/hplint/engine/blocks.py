"""A file's top-level statements, and what links one to another.

A block is a top-level statement with the comments and blank lines after it.
``engine.reparse`` parses each block alone; ``engine.incremental`` lints only
the blocks an edit can reach, which are those linked to a changed block
(``reached``): by a name one binds and another reads or binds (a module-level
name, a method or attribute, a function defined at any depth), by being the
module's own code that runs in order (a loop reads the loops before it), or by
being a study and an objective (a grid study anywhere excuses an objective no
study runs by name).  Over-linking only costs time; a missed link would keep
a stale finding, which ``tests/test_incremental.py`` looks for.
"""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from hplint.reading.names import NameTable


def block_starts(lines: Sequence[str], statements: Sequence[ast.stmt]) -> Optional[List[int]]:
    """The line (0-based) where each block of ``lines`` starts, the first at 0:
    a block is a top-level statement with the comments and blank lines after
    it.  None where the text cannot be cut safely."""
    starts = [0]
    previous_end = statements[0].end_lineno or 0
    for stmt in statements[1:]:
        first = statement_start(stmt) - 1
        if first <= previous_end - 1 or stmt.col_offset != 0 or not _starts_line(lines, first):
            return None  # two statements on one line (``a = 1; b = 2``) or anything unusual
        if trailer_only(lines[previous_end:first]):
            starts.append(first)  # else kept with the statement before: libcst reads indented lines differently at a text's end
        previous_end = stmt.end_lineno or 0
    return starts


def statement_start(stmt: ast.stmt) -> int:
    """The first line (1-based) of a top-level statement, its decorators included."""
    return min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", ())])


def trailer_only(lines: Sequence[str]) -> bool:
    """Lines a block may end with: blank lines and comments at the margin."""
    return all(line == "\n" or line.startswith("#") for line in lines)


def _starts_line(lines: Sequence[str], index: int) -> bool:
    """The statement's first line begins with it (no indent, no continuation into it)."""
    if index <= 0 or index >= len(lines):
        return False
    before = lines[index - 1]
    return before.endswith("\n") and not before.rstrip("\n").endswith("\\") and not lines[index][:1].isspace()


@dataclass(frozen=True)
class BlockFacts:
    """What links a top-level statement to the others."""

    context: bool  # imports (and their ``try``/``if`` guards) alone: in every text linted
    script: bool  # module-level code that runs in order (a loop, a call): the rules read what ran before it
    study: bool  # creates or runs an Optuna study
    objective: bool  # defines a function that takes a trial
    statements: Tuple[ast.stmt, ...] = field(compare=False)  # for the facts of the whole file (``core.file_facts``)
    imports: Tuple[str, ...]  # each import it holds, at any depth: the file's import table
    binds: FrozenSet[str]  # names bound at module level, in a class body, or as an attribute
    names: FrozenSet[str]  # every name and attribute it reads or binds, at any depth
    module_bindings: Dict[str, FrozenSet[str]]  # ``NameTable``'s module scope, from this statement
    nested_bindings: Dict[str, FrozenSet[str]]  # its own scopes' bindings
    reads: FrozenSet[str]
    file_facts: Dict[int, Tuple[object, Tuple[str, ...]]] = field(default_factory=dict, compare=False)  # per vocabulary


@dataclass(frozen=True)
class Block:
    """A top-level statement with the comments and blank lines after it (``engine.reparse``)."""

    text: str
    start: int  # offset in the file
    line: int  # 0-based line of its first character
    facts: BlockFacts

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def last_line(self) -> int:
        """0-based line of its last character."""
        return self.line + self.text.count("\n", 0, len(self.text) - 1)

    def holds(self, offset: int) -> bool:
        """An offset inside it, or at its end (where a line is added after its statement)."""
        return self.start <= offset <= self.end

    def moved(self, start: int, line: int) -> "Block":
        return self if (start, line) == (self.start, self.line) else Block(self.text, start, line, self.facts)

    @property
    def included(self) -> bool:
        """Kept in every text linted: it holds imports, which the whole file's table reads."""
        return self.facts.context or bool(self.facts.imports)


def cut_whole(source: str, tree: Optional[ast.AST]) -> Optional[List[Block]]:
    """The file's blocks, or None where it cannot be cut (``engine.reparse``)."""
    if not isinstance(tree, ast.Module) or not tree.body or "\r" in source or "\f" in source:
        return None
    return cut(source, tree.body, 0, 0, at_file_start=True)


def cut(text: str, statements: Sequence[ast.stmt], offset: int, line: int, at_file_start: bool) -> Optional[List[Block]]:
    """``text`` (starting at ``offset``, on 0-based ``line`` of the file) cut into blocks."""
    lines = text.splitlines(keepends=True)
    if not at_file_start and statement_start(statements[0]) != 1:
        return None  # the lines before it belong to the statement before
    starts = block_starts(lines, statements)
    if starts is None:
        return None
    bounds = starts + [len(lines)]
    held: List[List[ast.stmt]] = [[] for _ in starts]
    for stmt in statements:  # a statement after indented comments is kept with the one before
        held[bisect.bisect_right(starts, statement_start(stmt) - 1) - 1].append(stmt)
    blocks: List[Block] = []
    position = 0
    for index, group in enumerate(held):
        piece = "".join(lines[bounds[index] : bounds[index + 1]])
        blocks.append(Block(piece, offset + position, line + bounds[index], block_facts(group)))
        position += len(piece)
    return blocks


def block_facts(statements: Sequence[ast.stmt]) -> BlockFacts:
    table = NameTable.from_tree(ast.Module(body=list(statements), type_ignores=[]))
    names: Set[str] = set()
    reads: Set[str] = set()
    binds: Set[str] = set(table.module.bindings)
    imports: List[str] = []
    study = objective = False
    for stmt in statements:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                study = study or callee in _STUDY_CALLS
            elif isinstance(node, ast.arg):
                objective = objective or node.arg in _TRIAL_NAMES
            if isinstance(node, ast.Name):
                names.add(node.id)
                if isinstance(node.ctx, ast.Load):
                    reads.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)  # ``self.objective``, ``study.optimize``: rules match them by name
                if not isinstance(node.ctx, ast.Load):
                    binds.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                binds.add(node.name)  # a nested definition too: rules find a function by its name
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(ast.dump(node))
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                names.update(node.names)
    module = {name: frozenset(how) for name, how in table.module.bindings.items()}
    nested: Dict[str, Set[str]] = {}
    for scope in table.scopes[1:]:
        if scope.kind == "class":
            binds.update(scope.bindings)  # a method or class attribute, read as ``obj.name``
        for name, how in scope.bindings.items():
            nested.setdefault(name, set()).update(how)
    return BlockFacts(
        context=all(_only_imports(stmt) for stmt in statements),
        script=any(isinstance(stmt, _SCRIPT) for stmt in statements),
        study=study,
        objective=objective,
        statements=tuple(statements),
        imports=tuple(imports),
        binds=frozenset(binds),
        names=frozenset(names | binds),
        module_bindings=module,
        nested_bindings={name: frozenset(how) for name, how in nested.items()},
        reads=frozenset(reads),
    )


# What the rules read across the file without a name to link the statements: whether any
# study of the file is a grid or multi-objective one excuses an objective that no study runs
# by name (HPL3).  So every statement holding a study is linked to every one holding a
# function that takes a trial.
_STUDY_CALLS = frozenset({"create_study", "load_study", "optimize"})
_TRIAL_NAMES = frozenset({"trial", "trl", "t", "optuna_trial", "_trial", "trial_"})

# statements that do something where they stand; a definition or an assignment only binds a name
_SCRIPT = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, ast.Try, ast.Expr) + ((ast.Match,) if hasattr(ast, "Match") else ())


def _only_imports(stmt: ast.stmt) -> bool:
    """An import, or a ``try``/``if``/``with`` that only imports (and sets a fallback):
    linked to nothing, as every statement is linked to the imports."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return True
    if not isinstance(stmt, (ast.Try, ast.If, ast.With)):
        return False
    inner = [s for s in ast.walk(stmt) if isinstance(s, ast.stmt) and s is not stmt]
    simple = (ast.Import, ast.ImportFrom, ast.Pass, ast.Try, ast.If, ast.With)
    return any(isinstance(s, (ast.Import, ast.ImportFrom)) for s in inner) and all(
        isinstance(s, simple) or (isinstance(s, (ast.Assign, ast.Expr)) and isinstance(s.value, ast.Constant)) for s in inner
    )


def reached(blocks: Sequence[Block], changed: Set[int], removed: Sequence[Block]) -> Set[int]:
    """The blocks whose findings the edit may change: the groups linked by
    names that hold a changed block, or one that shared a name with a removed one."""
    binders: Dict[str, List[int]] = {}
    for index, block in enumerate(blocks):
        if not block.facts.context:
            for name in block.facts.binds:
                binders.setdefault(name, []).append(index)
    parent = list(range(len(blocks)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[a] = b

    mentions: Dict[str, List[int]] = {}
    script = study = -1  # the module's own code is one group: a loop is read with the loops before it
    objectives: List[int] = []
    for index, block in enumerate(blocks):
        if block.facts.context:
            continue
        if block.facts.script:
            join(index, script if script >= 0 else index)
            script = index
        if block.facts.study:
            join(index, study if study >= 0 else index)
            study = index
        if block.facts.objective:
            objectives.append(index)
        for name in block.facts.names:
            for other in binders.get(name, ()):
                join(index, other)
            mentions.setdefault(name, []).append(index)
    for index in objectives if study >= 0 else ():
        join(index, study)
    seeds = set(changed)
    for gone in removed:
        if gone.facts.script and script >= 0:
            seeds.add(script)
        if gone.facts.study:
            seeds.update(objectives)
        if gone.facts.objective and study >= 0:
            seeds.add(study)
        for name in gone.facts.names:
            seeds.update(binders.get(name, ()))
        for name in gone.facts.binds:
            seeds.update(mentions.get(name, ()))
    groups = {root(i) for i in seeds}
    return {i for i in range(len(blocks)) if not blocks[i].facts.context and root(i) in groups}
