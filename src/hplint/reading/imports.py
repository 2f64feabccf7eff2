"""A small import-alias table: which local names stand for which modules.

libcst's ``QualifiedNameProvider`` would answer the same question, but it
needs scope analysis that costs about ten times the parse.  hplint only needs
to know that ``np`` is ``numpy`` or that ``lin`` is ``numpy.linspace``, so a
walk over the import statements is enough.  Scopes are ignored on purpose: an
import inside a function (common in Optuna objectives) counts for the module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Iterator, Optional, Tuple

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst



def dotted_name(expr: cst.BaseExpression) -> Optional[str]:
    """``np.random.uniform`` -> ``"np.random.uniform"``; anything else -> None."""
    parts = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
        return ".".join(reversed(parts))
    return None


def _module_name(node: cst.BaseExpression) -> Optional[str]:
    return dotted_name(node)


def _import_statements(body) -> Iterator[cst.CSTNode]:
    """Yield Import/ImportFrom nodes found in statements, recursively.

    Only statements are walked, never expressions, which keeps this cheap.
    """
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


# Public names reachable under more than one path: a fix that needs the
# first may use an existing import of any of the others.
EQUIVALENT_NAMES: Dict[str, Tuple[str, ...]] = {
    "optuna.TrialPruned": ("optuna.exceptions.TrialPruned",),
    "optuna.Trial": ("optuna.trial.Trial",),
}


class ImportTable:
    """Maps local names to fully qualified names, e.g. ``np`` -> ``numpy``."""

    def __init__(self, aliases: Optional[Dict[str, str]] = None) -> None:
        self.aliases: Dict[str, str] = dict(aliases or {})

    @classmethod
    def from_module(cls, module: cst.Module) -> "ImportTable":
        table = cls()
        for node in _import_statements(module.body):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    full = _module_name(alias.name)
                    if full is None:
                        continue
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        table.aliases[alias.asname.name.value] = full
                    else:
                        # ``import numpy.random`` binds ``numpy``
                        root = full.split(".")[0]
                        table.aliases.setdefault(root, root)
            else:  # ImportFrom
                if node.relative or node.module is None:
                    continue
                base = _module_name(node.module)
                if base is None or isinstance(node.names, cst.ImportStar):
                    continue
                for alias in node.names:
                    name = _module_name(alias.name)
                    if name is None:
                        continue
                    local = name
                    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                        local = alias.asname.name.value
                    table.aliases[local] = f"{base}.{name}"
        return table

    def qualify(self, expr: cst.BaseExpression) -> Optional[str]:
        """The qualified name an expression refers to, or None if unknown.

        ``np.linspace`` -> ``numpy.linspace`` when ``import numpy as np``;
        a root name that was never imported gives None.
        """
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        return self.qualify_dotted(dotted)

    def qualify_dotted(self, dotted: str) -> Optional[str]:
        root, _, rest = dotted.partition(".")
        target = self.aliases.get(root)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

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
