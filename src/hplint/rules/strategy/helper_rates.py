"""The learning rate a training function of this file holds, read where a
search loop calls it: ``train(model, batch_size)`` whose body makes
``torch.optim.Adam(model.parameters(), lr=1e-3)`` (or compiles a Keras model)
trains every configuration of the loop at that one rate.

One hop only: the function the loop calls by its plain name, not what that
function calls in turn.  A rate set from the function's parameters holds what
the calls of this file give it (``Flow.origins``): one constant, or the
parameter's default where every call leaves it out; anything else is unknown
and nothing is read.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from hplint.core.file_facts import file_fact, holds_in, text_word
from hplint.reading.calls import arg_value, has_star_args, method_name, string_value
from hplint.reading.imports import dotted_name
from hplint.reading.numbers import format_number, number
from hplint.reading.objectives import FileObjectives
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import (
    DEFAULT_VOCABULARY,
    OPTIMIZER_MODULES,
    OPTIMIZERS,
    name_tokens,
    names_network_setting,
    shows_learning_rate,
)
from hplint.rules.strategy.launched_rates import one_launched_rate
from hplint.rules.strategy.lr_sources import compiled_learning_rate, default_rate_of, names_optimizer_key

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


# what may set attributes by name, and a space built for Population Based Training
DYNAMIC_ATTRIBUTE_WORDS = tuple(text_word(w) for w in ("setattr(", "vars(", "__dict__"))
PBT_WORDS = tuple(text_word(w) for w in ("hyperparam_mutations", "PopulationBasedTraining"))


def optimizer_made(ctx, call: cst.Call) -> Optional[str]:
    """The optimizer class a call constructs (``torch.optim.Adam(...)``, ``Adam(...)``
    imported from an optimizer module, or an unresolved bare ``Adam(...)``), or None."""
    qual = ctx.qualify(call.func)
    short = (qual or dotted_name(call.func) or "").rsplit(".", 1)[-1]
    if short not in OPTIMIZERS:
        return None
    if qual is None:
        return short if isinstance(call.func, cst.Name) else None
    if any(qual.startswith(m) for m in OPTIMIZER_MODULES):
        return short
    return None


def helper_rates(reader, calls: List[cst.Call]) -> List[Tuple[cst.CSTNode, str, cst.Call]]:
    """Where a plain function of this file, called by one of ``calls``, holds its
    training rate fixed (the rate, the optimizer or the compile argument: what a
    fix changes), how it holds it (``"a fixed learning rate of 1e-3"``), and the call."""
    found = []
    for call in calls:
        if not isinstance(call.func, cst.Name) or has_star_args(call):
            continue
        scope = reader.flow.function_at(call.func.value, call)
        if scope is None or any(scope.node is a for a in reader.ctx.ancestors(call)):
            continue  # not one function of this file, or the loop's own
        held = compiled_learning_rate(reader, scope, (), helper=True) or _optimizer_rate(reader, scope)
        if held is None:  # the one rate the commands it launches fix
            held = one_launched_rate(reader.ctx, reader, scope.node)
        if held is not None:
            found.append((held[0], held[1], call))
    return found


def held_in_helper_message(ctx, searches: List[Tuple[str, str, cst.Call]]) -> Tuple[str, str]:
    """The context and the description of one rate held in a helper, for every
    search that calls it: ``(tuned, how, call)`` each."""
    tuned, how, first = searches[0]
    lines = sorted({site[0] for site in (ctx.site(call) for _, _, call in searches) if site})
    more = f" (and {len(searches) - 1} more search{'es' if len(searches) > 2 else ''})" if len(searches) > 1 else ""
    at = f", called at line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}" if lines else ""
    return f"{tuned}{more}", f"{how} (in `{first.func.value}()`{at})"  # type: ignore[attr-defined]


def _optimizer_rate(reader, scope) -> Optional[Tuple[cst.CSTNode, str]]:
    """The one optimizer the function makes, and the rate it makes it with."""
    ctx = reader.ctx
    made = [(n, optimizer_made(ctx, n)) for n in descendants(scope.node.body) if isinstance(n, cst.Call)]
    made = [(n, name) for n, name in made if name is not None]
    if len(made) != 1 or has_star_args(made[0][0]):
        return None
    optimizer, name = made[0]
    qual = ctx.qualify(optimizer.func) or ""
    torch = qual.startswith("torch.optim.")
    rate = arg_value(optimizer, None, "lr") or arg_value(optimizer, None, "learning_rate")
    if rate is None and qual:  # torch takes the parameters first; Keras and optax the rate
        rate = arg_value(optimizer, 1 if torch else 0)
    if rate is None:
        if not qual:
            return None  # whose optimizer, and so whose default, is not visible
        if not torch:
            return (optimizer, default_rate_of(name))  # type: ignore[arg-type]
        default = OPTIMIZERS.get(name)  # type: ignore[arg-type]
        return (optimizer, f"{name}'s default learning rate ({format_number(default)})") if default is not None else None
    held = one_constant(reader, rate)
    return (rate, f"a fixed learning rate of {ctx.code_for(held)}") if held is not None else None


def within(ctx, node: Optional[cst.CSTNode], outer: cst.CSTNode) -> bool:
    """``node`` lies inside ``outer``."""
    return node is not None and any(a is outer for a in ctx.ancestors(node))


def is_estimator(call: cst.Call) -> bool:
    """A capitalised callee: a class made, as estimators are."""
    return (method_name(call) or "")[:1].isupper()


def one_constant(reader, expr: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """The one constant an expression (a name: wherever the file gives it a value) holds."""
    origins = reader.flow.origins(expr, called=True)
    values = {number(o.value, reader.ctx.imports) for o in origins}
    if not origins or None in values or len(values) != 1:
        return None
    return origins[0].value


def one_value_rates(vocabulary, chain: Sequence) -> Dict[str, cst.BaseExpression]:
    """Learning-rate axes of a grid nest with one value (``learning_rates = [0.001]`` in a
    ``product``), by the loop name that binds each -> that value.  The rate is held, not searched
    (the trigger's ``ast_one_rate_axis`` admits every file where this finds one)."""
    out: Dict[str, cst.BaseExpression] = {}
    for loop in chain:
        target = loop.node.target
        bound = {e.value.value for e in target.elements if isinstance(e.value, cst.Name)} if isinstance(target, (cst.Tuple, cst.List)) else set()
        bound |= {target.value} if isinstance(target, cst.Name) else set()
        for dim in loop.dims:
            literal = dim.literal
            if dim.size == 1 and dim.name in bound and isinstance(literal, (cst.List, cst.Tuple)) and vocabulary.is_learning_rate(dim.name):
                (element,) = literal.elements
                if isinstance(element, cst.Element) and isinstance(element.value, cst.Float) and not element.value.lpar:
                    out[dim.name] = element.value  # a rate is written as a float (what ``one_float_text`` looks for)
    return out


def ast_one_rate_axis(loop: ast.AST, index) -> bool:
    """A ``for`` loop binding a learning-rate name, in a file that writes a list or tuple of
    one float: what ``one_value_rates`` needs, read on ``ast``."""
    target = getattr(loop, "target", None)
    names = [target] if isinstance(target, ast.Name) else list(getattr(target, "elts", ()))
    if not any(isinstance(n, ast.Name) and DEFAULT_VOCABULARY.is_learning_rate(n.id) for n in names):
        return False
    return any(
        len(node.elts) == 1 and isinstance(node.elts[0], ast.Constant) and isinstance(node.elts[0].value, float)
        for kind in (ast.List, ast.Tuple)
        for node in index.nodes.get(kind, ())
    )


# ``[0.001]``, ``(1e-3,)``: a bracket around one float literal (a comment may follow its comma)
_ONE_FLOAT = re.compile(r"[\[(]\s*(?:\d[\d_]*\.[\d_]*|\.\d[\d_]*|\d[\d_]*[eE][-+]?\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?\s*,?\s*(?:#[^\n]*\n\s*)?[\])]")


# a literal first (``re`` searches it fast); the target ends at the word ``in``, not at a name holding it
_FOR_TARGET = re.compile(r"for(?s:(.{1,200}?))(?<!\w)in(?!\w)")


def one_float_text(scan) -> bool:
    """The text stage of ``ast_one_rate_axis``: a ``for`` binds a learning-rate name, and the file
    writes a list or tuple of one float."""
    if not any(shows_learning_rate(m.group(1), m.group(1).lower()) for m in _FOR_TARGET.finditer(scan.text)):
        return False
    return _ONE_FLOAT.search(scan.text) is not None


def reported_at_held(held: Dict[str, cst.BaseExpression], uses: List) -> List:
    """Each use once, one reading a ``one_value_rates`` value reported where that value is written."""
    moved = (replace(u, node=u.literal) if any(u.literal is v for v in held.values()) else u for u in uses)
    return list({id(u.node): u for u in moved}.values())


@dataclass
class LrUse:
    """A learning rate that the search does not vary."""

    node: cst.CSTNode  # where to report
    literal: Optional[cst.BaseExpression]  # the literal (None: optimizer default)
    value: Optional[float]
    optimizer: Optional[str] = None
    described: Optional[str] = None  # how it is held, where neither a literal nor an optimizer says it
    once: Optional[str] = None  # uses of one setting (``args.lr`` in each branch): reported at the first


# names a parsed command line is kept in (``args = parser.parse_args()``)
COMMAND_LINE_OWNERS = frozenset({"args", "opt", "opts", "flags", "FLAGS", "cfg", "hparams", "hps", "options"})
PARSING_CALLS = frozenset({"parse_args", "parse_known_args"})


def command_line_setting(ctx, value: cst.BaseExpression, func: cst.FunctionDef) -> Optional[str]:
    """``args.lr`` of ``args = parser.parse_args()``, read in ``func``: one value for every
    trial of a search the process runs. None unless every binding of the owner in the file
    parses the command line, ``func`` binds no such name itself, and nothing in the file
    assigns the setting (``args.lr = trial.suggest_float(...)``, ``setattr``, ``vars(args)``)."""
    if not isinstance(value, cst.Attribute) or not isinstance(value.value, cst.Name) or value.value.value not in COMMAND_LINE_OWNERS:
        return None
    owner, setting = value.value.value, value.attr.value
    bound = ctx.facts(FileObjectives).bindings.get(owner, [])
    if not bound or not all(_parses_command_line(v) for v in bound):
        return None
    if any(p.name.value == owner for p in func.params.params) or any(s in ctx.file_text for s in DYNAMIC_ATTRIBUTE_WORDS):
        return None
    for node in descendants(ctx.module):
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target] if isinstance(node, (cst.AugAssign, cst.AnnAssign)) else []
        for target in targets:
            if isinstance(target, cst.Name) and target.value == owner and any(a is func for a in ctx.ancestors(target)):
                return None  # the objective's own ``args``
            if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == owner and target.attr.value == setting:
                return None
    return f"{owner}.{setting}"


def _parses_command_line(value: cst.BaseExpression) -> bool:
    """``parser.parse_args()``, ``parser.parse_known_args()[0]``."""
    if isinstance(value, cst.Subscript):
        value = value.value
    return isinstance(value, cst.Call) and method_name(value) in PARSING_CALLS


def suggested_name(expr: Optional[cst.BaseExpression]) -> Optional[str]:
    """The name a ``suggest_*`` call gives: ``"hidden"`` -> hidden; ``f"n_units_l{i}"`` -> its literal parts, n_units_l."""
    if expr is None:
        return None
    if isinstance(expr, cst.FormattedString):
        parts = [p.value for p in expr.parts if isinstance(p, cst.FormattedStringText)]
        return "".join(parts) or None
    return string_value(expr)


# words of a search-space key that only a network trained by gradient descent has
NETWORK_KEY_TOKENS = frozenset(
    {
        "dropout", "drop", "momentum", "batch", "epoch", "epochs", "hidden", "layers", "layer", "units", "conv", "fc", "channels",
        "filters", "neurons", "embed", "embd", "emb", "embedding", "heads", "nhead", "attn", "blocks",
    }
)


def names_network_key(key: str) -> bool:
    """``drop1``, ``batch_size``, ``num_epochs``, ``fc2``, ``weight_decay``: a key of a network's search space."""
    words = {re.sub(r"\d+$", "", w) for w in name_tokens(key)}
    return bool(words & NETWORK_KEY_TOKENS) or names_network_setting(key)


def shows_network_key(text: str, low: str) -> bool:
    """Text marks of ``names_network_key``."""
    return any(
        mark in low
        for mark in ("drop", "momentum", "batch", "epoch", "hidden", "layer", "units", "conv", "fc", "channels", "filters", "neurons", "decay", "emb", "head", "attn", "blocks")
    )


def ray_space_without_rate(ctx, items, varied: Sequence[str]) -> Optional[LrUse]:
    """A Ray Tune search space that samples two settings or more only a network has (dropout,
    batch size, epochs, layer widths) and holds no learning rate: its trainable trains every sample at one rate.  Not
    when the file names a learning rate as any dict key (a space built in parts, PBT's
    ``hyperparam_mutations``) or the space chooses the optimizer."""
    space = ctx.parent(ctx.parent(items[0][1]))
    if not isinstance(space, cst.Dict) or isinstance(ctx.parent(space), cst.DictElement):
        return None  # a part of a larger space
    if len([k for k in varied if names_network_key(k)]) < 2 or any(names_optimizer_key(k) for k, _, _ in items):
        return None
    if any(word in ctx.file_text for word in PBT_WORDS):
        return None
    if holds_in("keys-a-learning-rate", ctx):
        return None
    return LrUse(space, None, None, described="the one learning rate its trainable sets")


@file_fact("keys-a-learning-rate")
def _statement_keys_learning_rate(stmt: ast.stmt, vocabulary) -> bool:
    """The statement has a dict key or a subscript (``config["lr"] = ...``) that names a
    learning rate: a Ray Tune space elsewhere in the file may be built in parts."""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            keys = [node.slice.value]
        else:
            continue
        if any(vocabulary.is_learning_rate(k) for k in keys):
            return True
    return False
