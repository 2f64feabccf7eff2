"""Where a grid dict goes: the call it is an argument of, and whether that call runs a
search (a library's, or a function of the project named for one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from hplint.reading.calls import method_name
from hplint.reading.vocabulary import name_tokens
from hplint.rules.strategy.grids import LIBRARY_GRID_NAMES, LIBRARY_GRIDS
from hplint.rules.strategy.lr_sources import SEARCH_CV

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

SEARCH_CALL_TOKENS = frozenset({"optimize", "optimise", "search", "tune", "grid", "sweep", "gridsearch", "hyperopt"})


def receiving_call(ctx, node: cst.Dict) -> Optional[cst.Call]:
    """The call the dict is an argument of (directly, ``**``, or in a list of grids)."""
    parent = ctx.parent(node)
    while isinstance(parent, (cst.Arg, cst.Element, cst.List)):
        grand = ctx.parent(parent)
        if isinstance(grand, cst.Call):
            return grand
        parent = grand
    return None


def own_search_call(ctx, node: cst.Dict) -> Optional[cst.Call]:
    """The call the dict is handed to when it is a search function named so (``optimize_NN``,
    ``run_grid_search``) rather than a library's search, whose estimator the wrapped-network
    reading judges."""
    call = receiving_call(ctx, node)
    if call is None:
        return None
    qual = ctx.qualify(call.func) or ""
    library = qual.startswith(("itertools.", "sklearn.", "ray.", "optuna.", "hyperopt.", "wandb."))
    if qual in LIBRARY_GRIDS or library or method_name(call) in LIBRARY_GRID_NAMES or method_name(call) in SEARCH_CV:
        return None
    return call if name_tokens(method_name(call)) & SEARCH_CALL_TOKENS else None


def passed_to_search(ctx, node: cst.Dict) -> bool:
    """The dict is an argument of a search call (directly or ``**``)."""
    call = receiving_call(ctx, node)
    if call is None:
        return False
    qual = ctx.qualify(call.func) or ""
    if qual in LIBRARY_GRIDS or qual == "itertools.product":
        return True
    return bool(name_tokens(method_name(call)) & SEARCH_CALL_TOKENS)
