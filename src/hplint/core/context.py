"""What a rule sees of the file it checks, and how it asks for edits.

Rules describe edits relative to libcst nodes (``replace(node, text)``); the
engine turns them into string offsets only after the traversal, and only for
files with findings, because computing positions costs a second pass.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple, Type, TypeVar, Union

from hplint.reading.tree import parents
from hplint.core.diagnostics import Safety
from hplint.reading.imports import ImportTable
from hplint.reading.names import NameTable
from hplint.reading.positions import StatementPositions
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
    ) -> None:
        self.source = source
        self.path = path
        self.module = module
        self.tree = tree
        self.config = config
        self.vocabulary: Vocabulary = config.vocabulary
        self.imports = ImportTable.from_tree(tree) if tree is not None else ImportTable.from_module(module)
        self.reports: List[PendingReport] = []
        self._parents: Optional[Dict[cst.CSTNode, cst.CSTNode]] = None
        self._facts: Dict[type, object] = {}
        self._positions: Optional[StatementPositions] = None
        self._names: Optional[NameTable] = None

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
        """Every name the file binds, and how (what a fix may introduce)."""
        if self._names is None:
            tree = self.tree if self.tree is not None else _tree_of(self.source)
            self._names = NameTable.from_tree(tree) if tree is not None else NameTable(star_import=True)
        return self._names

    def means_import(self, name: str, qualified: Optional[str] = None) -> bool:
        """``name`` is bound only by an import (of ``qualified``): a fix may read it as that object."""
        return self.names.only_imports(name, qualified)

    def spell(self, qualified: str) -> Tuple[str, Optional[NodeEdit]]:
        """How to write ``qualified`` here, and the import to add if none reaches it.

        ``spell("math.log10")`` -> ``("math.log10", <import math>)`` or
        ``("m.log10", None)`` after ``import math as m``.
        ``spell("scipy.stats.loguniform")`` adds ``from scipy.stats import loguniform``,
        or ``import scipy.stats`` and the qualified name where ``loguniform``
        is taken.  Where no spelling can be trusted to mean the object
        everywhere the fix lands, the import edit is a refusal: the fix is
        not offered.
        """
        local = self.imports.local_name(qualified)
        if local is not None and self._trusted(local, qualified):
            return local, None
        module, _, name = qualified.rpartition(".")
        root = qualified.split(".")[0]
        names = self.names
        if module in ("math", "random", "optuna", "itertools") or not module:
            if names.free(root) or names.only_imports(root, root):
                return qualified, NodeEdit("import", None, f"import {root}")
            return qualified, REFUSED
        if names.free(name):
            return name, NodeEdit("import", None, f"from {module} import {name}")
        if names.free(root) or names.only_imports(root, root):
            return qualified, NodeEdit("import", None, f"import {module}")
        return name, REFUSED

    def _trusted(self, local: str, qualified: str) -> bool:
        """An existing spelling means ``qualified`` everywhere: its root name is
        bound only by the one import it comes from."""
        root = local.split(".")[0]
        target = self.imports.aliases.get(root)
        return target is not None and self.names.only_imports(root, target)


REFUSED = NodeEdit("refuse", None, "")  # resolves to nothing: the fix holding it is dropped


def _tree_of(source: str) -> Optional[ast.AST]:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
