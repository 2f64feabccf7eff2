"""What HPL103's triggers look for: the calls a learning rate is read from, and
the searches a grid dict is handed to, in the prefilter's ``ast`` and text terms."""

from __future__ import annotations

import ast

from hplint.prefilter.astindex import scope_index
from hplint.prefilter.triggers import Calls, Names
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, OPTIMIZERS, name_tokens, shows_learning_rate
from hplint.rules.strategy.grids import LIBRARY_GRID_NAMES
from hplint.rules.strategy.launched_rates import LAUNCHING_CALLS
from hplint.rules.strategy.lr_sources import KERAS_OPTIMIZER_NAMES, ast_draws
from hplint.rules.strategy.search_calls import SEARCH_CALL_TOKENS


def is_learning_rate(name: str) -> bool:
    return DEFAULT_VOCABULARY.is_learning_rate(name)


def search_callee(name: str) -> bool:
    """A call ``_passed_to_search`` takes a grid dict to."""
    return name in LIBRARY_GRID_NAMES or name == "product" or bool(name_tokens(name) & SEARCH_CALL_TOKENS)


# every name ``search_callee`` accepts holds one of these in lower case
SEARCH_SPELLINGS = ("optimi", "search", "tune", "grid", "sweep", "hyperopt", "product")


def lr_keyword(site) -> bool:
    """``_lr_uses``'s calls: a learning-rate keyword, or a learning-rate name passed by position."""
    if site.has_star_args:
        return False
    return any(k.arg and is_learning_rate(k.arg) for k in site.node.keywords) or any(
        isinstance(a, ast.Name) and is_learning_rate(a.id) for a in site.node.args
    )


def compiles_by_name(site) -> bool:
    """``compiled_optimizer_name``'s calls: ``x.compile(optimizer="adam")``."""
    if site.has_star_args:  # (``method=True`` keeps ``x.compile`` only: the text stage sees no receiver)
        return False
    given = site.arg(0, "optimizer")
    if given is not None and not isinstance(given, ast.Constant):
        return True  # a name or a call: a suggested choice among optimizer names, perhaps
    name = site.string(0, "optimizer")
    return name is not None and name.lower() in KERAS_OPTIMIZER_NAMES


def any_name(name: str) -> bool:
    return True


def launches_rate(site) -> bool:
    """``launched_rate``'s calls: a command whose strings may give a learning-rate flag
    (a command held by a name is read by the rule, through its binding)."""
    command = site.arg(0, "args") or site.arg(0, "command")
    if command is None or isinstance(command, ast.Name):
        return command is not None
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and "-" in n.value and shows_learning_rate(n.value, n.value.lower())
        for n in ast.walk(command)
    )


# a call ``_lr_uses`` reads a learning rate from: an optimizer, a call with a learning-rate
# keyword, a compile by optimizer name, or a launched command with a learning-rate flag
LR_USE = (
    Calls(*OPTIMIZERS)
    | (Names(is_learning_rate, marks=shows_learning_rate) & Calls(matching=any_name, where=lr_keyword))
    | Calls("compile", method=True, where=compiles_by_name)  # ``model.compile(optimizer="adam")``
    | Calls(*sorted({q.rsplit(".", 1)[1] for q in LAUNCHING_CALLS}), where=launches_rate)
)


def draws_around_lr_use(loop: ast.AST, index) -> bool:
    """``random_draws`` finds two hyperparameters drawn in the loop's body, with
    a learning-rate use inside the loop (or a config entry holding a constant
    one), outside tests."""
    if index.in_test(loop):
        return False
    drawn, fixed_entry = ast_draws(loop)
    return drawn >= 2 and (fixed_entry or LR_USE.tree(scope_index(index, loop, own_scope=False)))
