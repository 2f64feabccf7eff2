"""What a rule sees of the file it checks, and how it asks for edits.

Rules describe edits relative to libcst nodes (``replace(node, text)``); the
engine turns them into string offsets only after the traversal, and only for
files with findings, because computing positions costs a second pass.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple, Type, TypeVar, Union

from hplint.core.diagnostics import Safety
from hplint.prefilter.astindex import index
from hplint.reading.imports import ImportTable
from hplint.reading.names import NameTable, file_names
from hplint.reading.positions import StatementPositions
from hplint.reading.tree import parents
from hplint.reading.vocabulary import Vocabulary

if TYPE_CHECKING:  # pragma: no cover
    import libcst as cst

    from hplint.core.config import Config
else:
    from hplint.core.lazy_libcst import cst


F = TypeVar("F")


@dataclass(frozen=True)
class NodeEdit:
    """An edit anchored to a node: ``kind`` is replace, before-lines, after-lines or import.

    ``text`` is either code or a libcst node; a node is rendered when the
    edit is resolved, at the indentation of the statement it sits in.
    """

    kind: str
    node: Optional[cst.CSTNode]
    text: Union[str, cst.CSTNode]


@dataclass(frozen=True)
class PendingFix:
    safety: Safety
    edits: Tuple[NodeEdit, ...]
    description: str = ""


@dataclass
class PendingReport:
    code: str
    node: cst.CSTNode
    message: str
    fix: Optional[PendingFix]


class RuleContext:
    """Shared, read-only view of one parsed file, plus the report sink."""

    def __init__(
        self,
        source: str,
        path: str,
        module: cst.Module,
        config: "Config",
        tree: Optional[ast.AST] = None,
        file_text: Optional[str] = None,
    ) -> None:
        self.source = source
        # the whole file's text, for facts about the file (a word it mentions anywhere): where
        # only some statements are linted (``engine.incremental``), ``source`` holds only those
        self.file_text = source if file_text is None else file_text
        self.path = path
        self.module = module
        self.tree = tree
        self.config = config
        self.vocabulary: Vocabulary = config.vocabulary
        # the prefilter's index of the tree has read the imports already
        self.imports = index(tree).imports if tree is not None else ImportTable.from_module(module)
        self.reports: List[PendingReport] = []
        self._parents: Optional[Dict[cst.CSTNode, cst.CSTNode]] = None
        self._facts: Dict[type, object] = {}
        self._positions: Optional[StatementPositions] = None
        self._names: Optional[NameTable] = None
        self._source_lines: Optional[List[str]] = None

    def release(self) -> None:
        """Drop what was derived from the file once it is linted.  Facts hold
        the context they were read through: left in place, the cycle would
        keep the file's trees alive until the cycle collector walked them."""
        self._facts.clear()
        self.reports = []  # their fixes close over the rules, which hold the context
        self._parents = self._positions = self._names = None

    # -- facts several rules share ----------------------------------------
    def facts(self, kind: Type[F]) -> F:
        """The file's ``kind`` facts, collected once (``kind.collect(ctx)``) for every rule that asks."""
        found = self._facts.get(kind)
        if found is None:
            found = self._facts[kind] = kind.collect(self)  # type: ignore[attr-defined]
        return found  # type: ignore[return-value]

    # -- reading the code -----------------------------------------------
    def qualify(self, expr: cst.BaseExpression) -> Optional[str]:
        """Fully qualified name of ``expr`` through the file's imports."""
        return self.imports.qualify(expr)

    def code_for(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    @property
    def positions(self) -> StatementPositions:
        """Where nodes lie (``node -> CodeRange``), worked out per top-level statement on first use."""
        if self._positions is None:
            self._positions = StatementPositions(self.module, self.tree, self.parent)
        return self._positions

    def parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        """The node's parent (computed on first use, once per file)."""
        if self._parents is None:
            self._parents = parents(self.module)
        return self._parents.get(node)

    def ancestors(self, node: cst.CSTNode):
        current = self.parent(node)
        while current is not None:
            yield current
            current = self.parent(current)

    # -- reporting --------------------------------------------------------
    def report(self, code: str, node: cst.CSTNode, message: str, fix: Optional[PendingFix] = None) -> None:
        self.reports.append(PendingReport(code, node, message, fix))

    # -- building fixes ---------------------------------------------------
    @staticmethod
    def fix(safety: Safety, edits: Sequence[Optional[NodeEdit]], description: str = "") -> PendingFix:
        return PendingFix(safety, tuple(e for e in edits if e is not None), description)

    @staticmethod
    def replace(node: cst.CSTNode, new: Union[str, cst.CSTNode]) -> NodeEdit:
        """Replace the node's code (without surrounding whitespace).

        Pass a libcst node rather than ``code_for(...)`` text when the new code
        may span lines: it is rendered at the right indentation.
        """
        return NodeEdit("replace", node, new)

    @staticmethod
    def insert_lines_before(stmt: cst.CSTNode, lines: Sequence[str]) -> NodeEdit:
        """Insert whole lines before the statement, at its indentation."""
        return NodeEdit("before-lines", stmt, "\n".join(lines))

    @staticmethod
    def insert_lines_after(stmt: cst.CSTNode, lines: Sequence[str]) -> NodeEdit:
        """Insert whole lines after the statement's last line, at its indentation."""
        return NodeEdit("after-lines", stmt, "\n".join(lines))

    @property
    def names(self) -> NameTable:
        """Every scope of the file and what binds each name in it (what a fix may write)."""
        if self._names is None:
            tree = self.tree if self.tree is not None else _tree_of(self.source)
            # the same table the prefilter may have read (``AstIndex``), built once per tree
            self._names = file_names(tree) if tree is not None else NameTable.from_tree(ast.Module(body=[], type_ignores=[]))
            if tree is None:
                self._names.star_import = True  # nothing known: nothing may be introduced
        return self._names

    def site(self, node: Optional[cst.CSTNode]) -> Optional[Tuple[int, int]]:
        """Where ``node`` starts, as ``ast`` counts (line, byte column)."""
        rng = self.positions.get(node) if node is not None else None
        if rng is None:
            return None
        line = self._lines()[rng.start.line - 1] if rng.start.line <= len(self._lines()) else ""
        return rng.start.line, len(line[: rng.start.column].encode("utf-8"))

    def _lines(self) -> List[str]:
        if self._source_lines is None:
            self._source_lines = self.source.splitlines()
        return self._source_lines

    def means_import(self, name: str, at: Optional[cst.CSTNode] = None, qualified: Optional[str] = None) -> bool:
        """``name``, read where ``at`` stands, is bound only by an import (of ``qualified``)."""
        return self.names.means_import(name, self.site(at), qualified)

    def spell(self, qualified: str, at: Optional[cst.CSTNode] = None) -> Tuple[str, Optional[NodeEdit]]:
        """How to write ``qualified`` where ``at`` stands, and the import to add if none reaches it.

        ``spell("math.log10")`` -> ``("math.log10", <import math>)`` or
        ``("m.log10", None)`` after ``import math as m``.
        ``spell("scipy.stats.loguniform")`` adds ``from scipy.stats import loguniform``,
        or ``import scipy.stats`` and the qualified name where ``loguniform``
        is taken.  A name is used only where it means that object at the site
        (without a site: anywhere in the file); where no spelling can be
        trusted, the import edit is a refusal and the fix is not offered.
        """
        site = self.site(at)
        sites = [site] if site is not None else []
        names = self.names
        local = self.imports.local_name(qualified)
        if local is not None:
            root = local.split(".")[0]
            if names.means_import(root, site, self.imports.aliases.get(root)):
                return local, None
        module, _, name = qualified.rpartition(".")
        root = qualified.split(".")[0]

        def free(word: str) -> bool:
            return names.free_at(word, sites) if site is not None else names.unbound(word)

        def is_module(word: str) -> bool:
            return names.means_import(word, site, word)

        if module in ("math", "random", "optuna", "itertools") or not module:
            if free(root) or is_module(root):
                return qualified, NodeEdit("import", None, f"import {root}")
            return qualified, REFUSED
        if free(name):
            return name, NodeEdit("import", None, f"from {module} import {name}")
        if free(root) or is_module(root):
            return qualified, NodeEdit("import", None, f"import {module}")
        return name, REFUSED


REFUSED = NodeEdit("refuse", None, "")  # resolves to nothing: the fix holding it is dropped


def _tree_of(source: str) -> Optional[ast.AST]:
    try:
        with warnings.catch_warnings():  # user code's invalid escapes are not ours to warn about
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
