"""What a value is tried for, read on the ``ast``: the prefilter's mirror of
``SpaceFacts.binding_of`` and ``tuning_uses``.

A rule that reports a value (a draw, a grid) for the name it is tried under
declares ``tried_for(meaning)`` in its trigger: the value's label, a name it
is bound to, or a keyword or dict key a variable holding it is later passed
as, must be one ``meaning`` accepts.  A binding is read through the same
transparent wrappers as the rules read it (``list(...)``, ``.tolist()``,
``tune.choice(...)``), and a variable's uses are every keyword, dict entry and
loop its name appears in.
"""

from __future__ import annotations

import ast
from typing import Callable, Dict, Iterator, List, Set, Tuple

from hplint.core import memo
from hplint.prefilter.astindex import callee_name, target_names
from hplint.reading.numbers import UNKNOWN
from hplint.rules.search_space.facts import LABELLED_CHOICES, TRANSPARENT_CALLS, TRANSPARENT_METHODS


def tried_for(meaning: Callable[[str], bool]):
    """A ``Calls(where=...)`` predicate: the call's value may be tried for a name ``meaning`` accepts."""

    def tried(site):
        label = site.string(0, "label", "name")
        if label is not None and meaning(label):
            return True
        if site.index is None:
            return UNKNOWN  # bindings are read on the tree
        names, variables = _bindings_of(site.index).get(id(site.node), (set(), set()))
        if any(meaning(name) for name in names):
            return True
        if not variables:
            return False
        if site.index.calls.get("validation_curve"):
            return True  # param_name is a string the rule pairs with the range variable
        return any(meaning(key) for key in _keys_fed_by(site.index, variables))

    tried.__name__ = f"tried_for_{getattr(meaning, '__name__', 'name')}"
    return tried


def _bindings_of(index):
    """id(node) -> (names it is bound to, of which variables), for every node a binding carries."""
    return memo.once("space-bindings", index, _collect_bindings)


def _collect_bindings(index):
    found: Dict[int, Tuple[Set[str], Set[str]]] = {}
    for value, bound_to, is_variable in _binding_sites(index):
        for core in _carried(value):
            names, variables = found.setdefault(id(core), (set(), set()))
            names.update(bound_to)
            if is_variable:
                variables.update(bound_to)
    return found


def _carried(value) -> Iterator[ast.AST]:
    """``value`` and what it wraps transparently: the expressions whose own
    binding is this one (``list(x)``, ``x.tolist()``, ``tune.choice(x)``)."""
    stack = [value]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.Starred):  # list(*x): libcst's argument holds the star
            stack.append(node.value)
        if isinstance(node, ast.Lambda):  # {"lr": lambda: random.uniform(a, b)}: the draw's binding
            stack.append(node.body)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            stack.append(node.elt)  # [random.uniform(a, b) for _ in range(10)]: a list of draws
            if _identity(node):
                stack.append(node.generators[0].iter)  # [v for v in np.arange(...)]: the same values
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in TRANSPARENT_METHODS:
            stack.append(func.value)
        last = callee_name(node)
        if (last in TRANSPARENT_CALLS or last in LABELLED_CHOICES) and node.args:
            stack.append(node.args[0])


def _identity(comp) -> bool:
    """``SpaceFacts``'s identity comprehension on the ``ast``: ``[v for v in values]``."""
    if len(comp.generators) != 1:
        return False
    loop = comp.generators[0]
    return not loop.ifs and isinstance(comp.elt, ast.Name) and isinstance(loop.target, ast.Name) and comp.elt.id == loop.target.id


def _binding_sites(index) -> Iterator[Tuple[ast.AST, List[str], bool]]:
    """(value, names it is bound to, whether the names are variables) for
    each place ``binding_of`` can end at."""
    for call in index.of(ast.Call):
        label = None
        if call.args and not isinstance(call.args[0], ast.Starred):
            label = call.args[0]
        for keyword in call.keywords:
            if keyword.arg == "name":
                label = keyword.value
        labels = [label.value] if isinstance(label, ast.Constant) and isinstance(label.value, str) else []
        for keyword in call.keywords:
            if keyword.arg is not None:
                yield keyword.value, [keyword.arg, *labels], False
        if labels and callee_name(call) in LABELLED_CHOICES:
            for positional in call.args[1:]:
                yield positional, labels, False
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "append" and isinstance(func.value, ast.Name) \
                and len(call.args) == 1 and not call.keywords and not isinstance(call.args[0], ast.Starred):
            yield call.args[0], [func.value.id], True  # ``cs.append(draw)``: the list holds the draws
    for node in index.of(ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield value, [key.value], False
    # a subscript target binds a dict key, or (several targets, a dict that is
    # not a plain name) a variable named like the key: both are kept as variables
    for node in index.of(ast.Assign):
        for target in node.targets:
            yield node.value, target_names(target), True
    for node in index.of(ast.AnnAssign):
        if node.value is not None:
            yield node.value, target_names(node.target), True
    for node in index.of(ast.For, ast.AsyncFor, ast.comprehension):
        yield node.iter, target_names(node.target), True


def _keys_fed_by(index, variables: Set[str]) -> Set[str]:
    """Keywords and dict keys any of ``variables`` (or a loop variable over
    one of them) is passed as, anywhere in the file."""
    reach = set(variables)
    loops = [(n.iter.id, target_names(n.target)) for n in index.of(ast.For, ast.AsyncFor, ast.comprehension) if isinstance(n.iter, ast.Name)]
    grew = True
    while grew:
        grew = False
        for iterated, targets in loops:
            if iterated in reach and not reach.issuperset(targets):
                reach.update(targets)
                grew = True
    keys: Set[str] = set()
    for call in index.of(ast.Call):
        for keyword in call.keywords:
            if keyword.arg is not None and isinstance(keyword.value, ast.Name) and keyword.value.id in reach:
                keys.add(keyword.arg)
    for node in index.of(ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(value, ast.Name) and value.id in reach and isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
    return keys
