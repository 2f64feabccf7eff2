"""The learning rate a hyperas model function trains with.

hyperas turns a model function into a hyperopt search: each ``{{choice([...])}}``
or ``{{uniform(a, b)}}`` template in its body is one hyperparameter.  A model
function with two templates or more, none of them a learning rate, that
compiles with ``optimizer={{choice(["adam", "sgd"])}}`` (each optimizer at its
default rate), ``optimizer="adam"`` or ``Adam(lr=1e-3)`` tunes everything but
the rate (HPL103).  A template is a set display holding one set display, which
Python parses (and hyperas rewrites before it runs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, List, Optional, Tuple

from hplint.core.file_facts import text_word
from hplint.reading.calls import arg_value, method_name
from hplint.reading.tree import descendants
from hplint.rules.objective.facts import HYPERAS_MINIMIZE
from hplint.rules.strategy.lr_sources import compiled_learning_rate, names_optimizers

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


# a file that names hyperas (its model functions are read only then)
HYPERAS_WORD = text_word("hyperas")


def template_draw(node: cst.CSTNode) -> Optional[cst.BaseExpression]:
    """``{{choice([...])}}`` -> ``choice([...])``; None for anything else."""
    if isinstance(node, cst.Set) and len(node.elements) == 1:
        inner = node.elements[0].value
        if isinstance(inner, cst.Set) and len(inner.elements) == 1:
            return inner.elements[0].value
    return None


def hyperas_held_rates(reader) -> Iterator[Tuple[cst.CSTNode, str, str, int]]:
    """Each model function ``optim.minimize(model=...)`` runs that holds its rate:
    where, how, the function's name and how many templates it tunes."""
    ctx = reader.ctx
    for call in (n for n in descendants(ctx.module) if isinstance(n, cst.Call) and ctx.qualify(n.func) == HYPERAS_MINIMIZE):
        model = arg_value(call, 0, "model")
        scope = reader.flow.function_at(model.value, call) if isinstance(model, cst.Name) else None
        if scope is None:
            continue
        draws = [d for d in (template_draw(n) for n in descendants(scope.node.body)) if d is not None]
        if len(draws) < 2 or _tunes_rate(scope.node):
            continue
        held = _held(reader, scope)
        if held is not None:
            yield held[0], held[1], model.value, len(draws)  # type: ignore[union-attr]


def _tunes_rate(func: cst.FunctionDef) -> bool:
    """A template given as a learning rate (``Adam(lr={{uniform(...)}})``) or bound to a rate's name."""
    for node in descendants(func.body):
        if isinstance(node, cst.Arg) and node.keyword is not None and node.keyword.value in ("lr", "learning_rate"):
            if any(template_draw(n) is not None for n in [node.value, *descendants(node.value)]):
                return True
        if isinstance(node, cst.Assign) and template_draw(node.value) is not None:
            names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
            if any(n in ("lr", "learning_rate") for n in names):
                return True
    return False


def _held(reader, scope) -> Optional[Tuple[cst.CSTNode, str]]:
    compiles: List[cst.Call] = [n for n in descendants(scope.node.body) if isinstance(n, cst.Call) and method_name(n) == "compile"]
    if len(compiles) != 1:
        return None
    chosen = arg_value(compiles[0], 0, "optimizer")
    bound = reader.lookup(chosen) if isinstance(chosen, cst.Name) else None  # ``optim = {{choice([...])}}``
    drawn = template_draw(bound if bound is not None else chosen) if chosen is not None else None
    if isinstance(drawn, cst.Call) and method_name(drawn) == "choice":
        names = drawn.with_changes(func=cst.Name("Choice"), args=[cst.Arg(cst.SimpleString('"optimizer"')), *drawn.args])
        return (chosen, "each optimizer's default learning rate") if names_optimizers(names) else None  # type: ignore[return-value]
    return compiled_learning_rate(reader, scope, ())
