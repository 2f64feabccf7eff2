"""Keras Tuner hypermodels, read for HPL103: what a build function tunes and the
learning rate its ``model.compile`` trains every trial with.

A hypermodel is a build function handed to a tuner (``RandomSearch(build_model,
...)``) or the ``build(self, hp)`` of a ``HyperModel`` subclass, which another
module may hand to the tuner.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, List, Optional, Set

from hplint.reading.calls import arg_value, in_test_function, method_name, receiver, string_value
from hplint.reading.tree import descendants
from hplint.rules.strategy.lr_sources import compiled_learning_rate, trades_lr_for_iterations

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# Keras Tuner's tuners, which call the hypermodel they are given once per trial
KERAS_TUNERS = frozenset({"RandomSearch", "BayesianOptimization", "Hyperband", "GridSearch"})
KERAS_TUNER_ROOTS = ("keras_tuner", "kerastuner")
KERAS_TUNED = frozenset({"Float", "Int", "Choice", "Boolean"})
# the name Keras Tuner's documentation gives a build function's HyperParameters parameter
KERAS_TUNER_PARAMETER = "hp"


@dataclass
class Hypermodel:
    scope: object  # the build function's ``flow.Scope``
    hp_index: int  # which parameter is the HyperParameters object
    searched_by: str  # "the Keras Tuner search over `build_model`"


@dataclass
class HeldRate:
    node: cst.CSTNode  # where the rate is set: the optimizer argument of ``compile``
    fixed: str  # "Adam's default learning rate (0.001)"
    tuned: List[str]  # the names the hypermodel tunes


def handed_to_tuner(reader, call: cst.Call) -> Optional[Hypermodel]:
    """The hypermodel of ``RandomSearch(build_model, ...)`` or ``Hyperband(MyHyperModel(), ...)``."""
    qual = reader.ctx.qualify(call.func) or ""
    if not qual.startswith(KERAS_TUNER_ROOTS) or qual.rsplit(".", 1)[-1] not in KERAS_TUNERS:
        return None
    build = arg_value(call, 0, "hypermodel")
    if isinstance(build, cst.Name):  # a build function: the one defined last before the tuner
        found = reader.flow.function_at(build.value, call)
        scopes, hp_index, label = ([found] if found is not None else []), 0, build.value
    elif isinstance(build, cst.Call) and isinstance(build.func, cst.Name):  # ``MyHyperModel()``: its ``build(self, hp)``
        label = build.func.value
        scopes = [s for s in reader.flow.functions.get("build", []) if s.klass is not None and s.klass.name.value == label]
        hp_index = 1
    else:
        return None
    if len(scopes) != 1 or in_test_function(reader.ctx, call):
        return None
    return Hypermodel(scopes[0], hp_index, f"the Keras Tuner search over `{label}`")


def hypermodel_classes(reader) -> Iterator[Hypermodel]:
    """``class Net(kt.HyperModel)`` with a ``build(self, hp)``: a hypermodel whatever module
    hands it to the tuner."""
    for scope in reader.flow.functions.get("build", []):
        klass = scope.klass
        if klass is None or in_test_function(reader.ctx, klass):
            continue
        bases = {reader.ctx.qualify(b.value) or "" for b in klass.bases}
        if any(b.startswith(KERAS_TUNER_ROOTS) and b.endswith(".HyperModel") for b in bases):
            yield Hypermodel(scope, 1, f"the Keras Tuner hypermodel `{klass.name.value}`")


def build_functions(reader, named: Optional[str] = None) -> Iterator[Hypermodel]:
    """A module-level function whose first parameter it tunes through (``def build_model(hp):
    hp.Int("units", ...)``), in a file that imports Keras Tuner: a hypermodel whatever module
    hands it to a tuner.  One this file hands to a tuner is read there (``handed_to_tuner``).
    ``named``: only a first parameter of this name (a Keras file that leaves the tuner to
    another module: ``hp.Int``/``hp.Float`` on ``hp`` are Keras Tuner's spelling)."""
    handed = {
        arg.value for call in descendants(reader.ctx.module)
        if isinstance(call, cst.Call) and (method_name(call) or "") in KERAS_TUNERS
        for arg in [arg_value(call, 0, "hypermodel")] if isinstance(arg, cst.Name)
    }
    for scopes in reader.flow.functions.values():
        for scope in scopes:
            node = scope.node
            if scope.klass is not None or not scope.params or reader.ctx.parent(node) is not reader.ctx.module or node.name.value in handed:
                continue
            hp = scope.params[0].name.value
            if named is not None and hp != named:
                continue
            if any(isinstance(n, cst.Call) and method_name(n) in KERAS_TUNED and isinstance(receiver(n), cst.Name) and receiver(n).value == hp
                   for n in descendants(node.body)) and not in_test_function(reader.ctx, node):
                yield Hypermodel(scope, 0, f"the Keras Tuner build function `{node.name.value}`")


def file_hypermodels(reader) -> List[Hypermodel]:
    """The hypermodels of a file that imports Keras Tuner (its ``HyperModel`` classes and build
    functions), or of a Keras file that leaves the tuner to another module (build functions
    whose first parameter is ``hp``, Keras Tuner's spelling)."""
    roots = {t.split(".")[0] for t in reader.ctx.imports.aliases.values()}
    if roots & set(KERAS_TUNER_ROOTS):
        return [*hypermodel_classes(reader), *build_functions(reader)]
    if roots & {"keras", "tensorflow", "tf_keras"}:
        return list(build_functions(reader, named=KERAS_TUNER_PARAMETER))
    return []


def held_rate(reader, model: Hypermodel, seen: Set[int]) -> Optional[HeldRate]:
    """The rate a hypermodel that tunes two parameters or more, none of them the learning
    rate, compiles with (once per build scope: ``seen``)."""
    scope = model.scope
    if id(scope) in seen or len(scope.params) <= model.hp_index:  # type: ignore[attr-defined]
        return None
    seen.add(id(scope))
    tuned = keras_tuned(reader.ctx, scope.node, scope.params[model.hp_index].name.value)  # type: ignore[attr-defined]
    if tuned is None or len(set(tuned)) < 2 or trades_lr_for_iterations(tuned):
        return None
    hp = scope.params[model.hp_index].name.value  # type: ignore[attr-defined]
    if any(reader.ctx.vocabulary.is_learning_rate(name) and _may_be_a_rate(reader, scope.node, hp, name) for name in tuned):
        return None
    held = compiled_learning_rate(reader, scope, tuned)
    return HeldRate(held[0], held[1], tuned) if held is not None else None


def _may_be_a_rate(reader, func: cst.FunctionDef, hp: str, name: str) -> bool:
    """Some declaration of ``name`` could hold a learning rate: not a ``Boolean``
    (``is_using_LR``), not an ``Int``/``Float`` from 1 up (``LR_order`` 24..240)."""
    for node in descendants(func.body):
        if not isinstance(node, cst.Call) or method_name(node) not in KERAS_TUNED or string_value(arg_value(node, 0, "name")) != name:
            continue
        recv = receiver(node)
        if not isinstance(recv, cst.Name) or recv.value != hp or method_name(node) == "Boolean":
            continue
        given = arg_value(node, 1, "min_value") if method_name(node) in ("Int", "Float") else None
        low = reader.number(given) if given is not None else None
        if low is None or low < 1:
            return True
    return False


def keras_tuned(ctx, func: cst.FunctionDef, hp: str, formatted: bool = True) -> Optional[List[str]]:
    """Names the hypermodel tunes (``hp.Int("units", ...)``); None when one is not a literal.
    ``formatted``: an f-string label reads as its pattern (``units_{i}``); else it is not a
    literal either (the number of names it makes is not visible)."""
    names: List[str] = []
    for node in descendants(func.body):
        if isinstance(node, cst.Call) and method_name(node) in KERAS_TUNED:
            recv = receiver(node)
            if isinstance(recv, cst.Name) and recv.value == hp:
                label = arg_value(node, 0, "name")
                text = string_value(label) if label is not None else None
                if text is None and formatted and label is not None:  # f"units_{i}", "units_" + str(i)
                    text = _label_pattern(ctx, label)
                if text is None:
                    return None
                names.append(text)
    return names


def _label_pattern(ctx, label: cst.BaseExpression) -> Optional[str]:
    """A label built per layer read as its pattern: ``f"units_{i}"`` and
    ``"units_" + str(i)`` -> ``units_{i}`` (``"units_{}".format(i)`` and ``"units_%d" % i``
    keep their template); None when no part of it is a literal."""
    if isinstance(label, cst.FormattedString):
        return "".join(p.value if isinstance(p, cst.FormattedStringText) else "{" + ctx.code_for(p.expression) + "}" for p in label.parts)
    if isinstance(label, cst.Call) and isinstance(label.func, cst.Attribute) and label.func.attr.value == "format":
        return string_value(label.func.value)  # ``"units_{}".format(i)``: the template
    if isinstance(label, cst.BinaryOperation) and isinstance(label.operator, cst.Modulo):
        return string_value(label.left)  # ``"units_%d" % i``
    if isinstance(label, cst.BinaryOperation) and isinstance(label.operator, cst.Add):
        left, right = _label_pattern(ctx, label.left), _label_pattern(ctx, label.right)
        if left is None and right is None:
            return None
        return (left if left is not None else _slot(ctx, label.left)) + (right if right is not None else _slot(ctx, label.right))
    return string_value(label)


def _slot(ctx, part: cst.BaseExpression) -> str:
    """``str(i)`` -> ``{i}``: the part of a label that changes per layer."""
    if isinstance(part, cst.Call) and isinstance(part.func, cst.Name) and part.func.value == "str" and len(part.args) == 1:
        part = part.args[0].value
    return "{" + ctx.code_for(part) + "}"


def ast_build_function(node, index) -> bool:
    """``build_functions`` on the ``ast`` (any function, a superset): it tunes through its first parameter."""
    if not node.args.args:
        return False
    hp = node.args.args[0].arg
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in KERAS_TUNED
        and isinstance(n.func.value, ast.Name) and n.func.value.id == hp
        for n in ast.walk(node)
    )
