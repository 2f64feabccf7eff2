"""Every name a module binds, and how: what a fix may safely introduce.

A fix that adds ``from scipy.stats import loguniform`` must not shadow a
``loguniform`` the code already has (Ray Tune's, a variable, a parameter),
and one that writes ``np.geomspace`` must know that ``np`` is numpy wherever
the fix lands.  Scopes are not told apart on purpose: a name bound anywhere
in the file (a parameter of some function, a class attribute, a ``global``)
counts as taken everywhere, which refuses a few fixes that would have been
safe and never allows one that is not.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set


@dataclass
class NameTable:
    """name -> what binds it: ``import:<qualified name>`` or another kind of binding."""

    bindings: Dict[str, Set[str]] = field(default_factory=dict)
    star_import: bool = False  # ``from x import *``: any name may be bound

    @classmethod
    def from_tree(cls, tree: ast.AST) -> "NameTable":
        table = cls()
        for node in ast.walk(tree):
            kind = type(node)
            if kind is ast.Name and not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                table._bind(node.id, "assignment")  # type: ignore[attr-defined]
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                table._bind(node.name, "definition")  # type: ignore[attr-defined]
            elif kind is ast.arg:
                table._bind(node.arg, "parameter")  # type: ignore[attr-defined]
            elif kind in (ast.Global, ast.Nonlocal):
                for name in node.names:  # type: ignore[attr-defined]
                    table._bind(name, "global")
            elif kind is ast.ExceptHandler and node.name:  # type: ignore[attr-defined]
                table._bind(node.name, "exception")  # type: ignore[attr-defined]
            elif kind is ast.Import:
                for alias in node.names:  # type: ignore[attr-defined]
                    if alias.asname:
                        table._bind(alias.asname, f"import:{alias.name}")
                    else:
                        root = alias.name.split(".")[0]
                        table._bind(root, f"import:{root}")
            elif kind is ast.ImportFrom:
                for alias in node.names:  # type: ignore[attr-defined]
                    if alias.name == "*":
                        table.star_import = True
                    elif node.level or not node.module:  # type: ignore[attr-defined]
                        table._bind(alias.asname or alias.name, "relative-import")
                    else:
                        table._bind(alias.asname or alias.name, f"import:{node.module}.{alias.name}")  # type: ignore[attr-defined]
            else:
                for name in _pattern_names(node):
                    table._bind(name, "match")
        return table

    def _bind(self, name: str, how: str) -> None:
        self.bindings.setdefault(name, set()).add(how)

    def free(self, name: str) -> bool:
        """Nothing binds ``name`` anywhere in the file (a star import may bind anything)."""
        return not self.star_import and name not in self.bindings

    def only_imports(self, name: str, qualified: Optional[str] = None) -> bool:
        """Every binding of ``name`` is one import (of ``qualified``, if given):
        then ``name`` means that object wherever it is read."""
        found = self.bindings.get(name)
        if not found or self.star_import:
            return False
        if len(found) != 1:
            return False
        (how,) = found
        return how.startswith("import:") and (qualified is None or how == f"import:{qualified}")


def _pattern_names(node: ast.AST) -> List[str]:
    """Names a ``match`` pattern captures (Python 3.10+)."""
    kind = type(node).__name__
    if kind in ("MatchAs", "MatchStar"):
        name = getattr(node, "name", None)
        return [name] if name else []
    if kind == "MatchMapping":
        rest = getattr(node, "rest", None)
        return [rest] if rest else []
    return []
