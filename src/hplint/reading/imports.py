"""A small import-alias table: which local names stand for which modules.

libcst's ``QualifiedNameProvider`` would answer the same question, but it
needs scope analysis that costs about ten times the parse.  hplint only needs
to know that ``np`` is ``numpy`` or that ``lin`` is ``numpy.linspace``, so the
import statements are enough.  Scopes are ignored on purpose: an import
inside a function (common in Optuna objectives) counts for the module.

The table is built once, from CPython's ``ast`` import nodes, and answers for
both trees: the prefilter's ``ast`` and the rules' libcst nodes.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple, Union

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


def dotted_name(expr: cst.BaseExpression) -> Optional[str]:
    """``np.random.uniform`` (libcst) -> ``"np.random.uniform"``; anything else -> None."""
    parts = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
        return ".".join(reversed(parts))
    return None


def ast_dotted_name(expr: Optional[ast.AST]) -> Optional[str]:
    """``dotted_name`` for an ``ast`` expression."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        parts.append(expr.id)
        return ".".join(reversed(parts))
    return None


# Public names reachable under more than one path: a fix that needs the
# first may use an existing import of any of the others.
EQUIVALENT_NAMES: Dict[str, Tuple[str, ...]] = {
    "optuna.TrialPruned": ("optuna.exceptions.TrialPruned",),
    "optuna.Trial": ("optuna.trial.Trial",),
}

# Modules that re-export the same objects under another path: a name imported
# through one of them is read as its public spelling, so every rule matches
# ``from hyperopt.fmin import fmin`` and ``from sklearn.grid_search import
# GridSearchCV`` (scikit-learn before 0.20) as it matches the usual imports.
PUBLIC_SPELLING = {
    "hyperopt.fmin.fmin": "hyperopt.fmin",
}
PUBLIC_MODULES = {
    "sklearn.grid_search": "sklearn.model_selection",
    "sklearn.cross_validation": "sklearn.model_selection",
    "sklearn.model_selection._search": "sklearn.model_selection",
    "sklearn.model_selection._validation": "sklearn.model_selection",
    "sklearn.model_selection._split": "sklearn.model_selection",
}

LEGACY_SKLEARN = frozenset({"sklearn.grid_search", "sklearn.cross_validation"})


def public_name(qualified: str) -> str:
    """``hyperopt.fmin.fmin`` -> ``hyperopt.fmin``; ``sklearn.grid_search.GridSearchCV`` ->
    ``sklearn.model_selection.GridSearchCV``; any other name unchanged."""
    public = PUBLIC_SPELLING.get(qualified)
    if public is not None:
        return public
    module, _, name = qualified.rpartition(".")
    public = PUBLIC_MODULES.get(module)
    return qualified if public is None else f"{public}.{name}"


# Code pasted without its imports (a gist, a notebook cell, a code-snippets collection)
# still means these libraries by their own names and conventional aliases, where the file
# uses the name and never binds it.
SNIPPET_NAMES = {
    "np": "numpy", "numpy": "numpy", "pd": "pandas", "pandas": "pandas", "scipy": "scipy",
    "hp": "hyperopt.hp", "hyperopt": "hyperopt", "optuna": "optuna", "ray": "ray",
    "lgb": "lightgbm", "lightgbm": "lightgbm", "xgb": "xgboost", "xgboost": "xgboost",
    "kt": "keras_tuner", "keras_tuner": "keras_tuner", "sklearn": "sklearn", "torch": "torch", "tune": "ray.tune",
    # classes only one tuning library names so
    "RandomSearch": "keras_tuner.RandomSearch", "Hyperband": "keras_tuner.Hyperband",
    "fmin": "hyperopt.fmin", "tpe": "hyperopt.tpe", "Trials": "hyperopt.Trials", "STATUS_OK": "hyperopt.STATUS_OK",
}


def snippet_spellings(*roots: str) -> List[str]:
    """The names a snippet may use for the top-level modules ``roots``."""
    return [name for name, target in SNIPPET_NAMES.items() if target.split(".")[0] in roots]


class ImportTable:
    """Maps local names to fully qualified names, e.g. ``np`` -> ``numpy``."""

    def __init__(self, aliases: Optional[Dict[str, str]] = None) -> None:
        self.aliases: Dict[str, str] = dict(aliases or {})
        self.legacy_sklearn = False  # imports from ``sklearn.grid_search``/``cross_validation`` (before 0.20)
        self.unbound: FrozenSet[str] = frozenset()  # ``SNIPPET_NAMES`` the file uses and never binds

    @classmethod
    def from_nodes(cls, nodes: Iterable[ast.AST]) -> "ImportTable":
        """From ``ast.Import``/``ast.ImportFrom`` nodes (others are ignored)."""
        table = cls()
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                table.legacy_sklearn |= any(m in LEGACY_SKLEARN for m in modules)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname is not None:
                        table.aliases[alias.asname] = PUBLIC_MODULES.get(alias.name, alias.name)
                    else:
                        root = alias.name.split(".")[0]  # ``import numpy.random`` binds ``numpy``
                        table.aliases.setdefault(root, root)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                for alias in node.names:
                    if alias.name != "*":
                        table.aliases[alias.asname or alias.name] = public_name(f"{node.module}.{alias.name}")
        return table

    @classmethod
    def from_tree(cls, tree: ast.AST) -> "ImportTable":
        """In source order: a later import of a name wins, as it would when the code runs."""
        nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        return cls.from_nodes(sorted(nodes, key=lambda n: (n.lineno, n.col_offset)))

    @classmethod
    def from_module(cls, module: cst.Module) -> "ImportTable":
        """For a module only libcst could parse: its import statements, read as ``ast``."""
        empty = cst.Module(body=[])
        nodes = []
        for statement in _import_statements(module.body):
            try:
                nodes.extend(ast.parse(empty.code_for_node(statement).strip()).body)
            except SyntaxError:
                continue
        return cls.from_nodes(nodes)

    # -- questions --------------------------------------------------------
    def qualify(self, expr: cst.BaseExpression) -> Optional[str]:
        """The qualified name a libcst expression refers to, or None if unknown.

        ``np.linspace`` -> ``numpy.linspace`` when ``import numpy as np``;
        a root name that was never imported gives None.
        """
        dotted = dotted_name(expr)
        return None if dotted is None else self.qualify_dotted(dotted)

    def qualify_ast(self, expr: ast.AST) -> Optional[str]:
        dotted = ast_dotted_name(expr)
        return None if dotted is None else self.qualify_dotted(dotted)

    def qualifier(self) -> Callable[[ast.expr], Union[str, None]]:
        """``qualify_ast``, for ``numbers.evaluate``."""
        return self.qualify_ast

    def qualify_dotted(self, dotted: str) -> Optional[str]:
        root, _, rest = dotted.partition(".")
        target = self.aliases.get(root)
        if target is None and root in self.unbound:
            target = SNIPPET_NAMES[root]
        if target is None:
            return None
        if not rest:
            return target
        if target == "sklearn" or target == "hyperopt":  # ``sklearn.grid_search.GridSearchCV``
            return public_name(f"{target}.{rest}")
        return f"{target}.{rest}"

    def local_name(self, qualified: str) -> Optional[str]:
        """How the code can spell ``qualified`` with its current imports.

        ``math.log10`` -> ``m.log10`` after ``import math as m``; None when no
        import reaches it (the caller then adds one).
        """
        best: Optional[str] = None
        names = (qualified,) + EQUIVALENT_NAMES.get(qualified, ())
        for name in names:
            for local, target in self.aliases.items():
                if name == target:
                    candidate = local
                elif name.startswith(target + "."):
                    candidate = local + name[len(target):]
                else:
                    continue
                if best is None or len(candidate) < len(best):
                    best = candidate
        return best


def _import_statements(body) -> Iterator[cst.CSTNode]:
    """Import/ImportFrom nodes found in statements, recursively (never in expressions)."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    yield small
        elif isinstance(stmt, cst.BaseCompoundStatement):
            for block in _blocks(stmt):
                yield from _import_statements(_block_statements(block))


def _blocks(stmt: cst.BaseCompoundStatement) -> Iterator[cst.CSTNode]:
    """Every suite of a compound statement: body, else, finally, handlers, match cases."""
    body = getattr(stmt, "body", None)
    if body is not None:
        yield body
    for attr in ("orelse", "finalbody"):
        extra = getattr(stmt, attr, None)
        while isinstance(extra, cst.If):  # elif chains
            yield extra.body
            extra = extra.orelse
        if extra is not None and hasattr(extra, "body"):
            yield extra.body
    for part in tuple(getattr(stmt, "handlers", ()) or ()) + tuple(getattr(stmt, "cases", ()) or ()):
        yield part.body


def _block_statements(block) -> tuple:
    if isinstance(block, cst.IndentedBlock):
        return tuple(block.body)
    if isinstance(block, cst.SimpleStatementSuite):
        return (cst.SimpleStatementLine(body=block.body),)
    if hasattr(block, "body"):
        return _block_statements(block.body)
    return ()
