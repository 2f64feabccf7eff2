"""HPL402: batch size searched while the learning rate stays constant."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Dict, List, Optional, Set

from hplint.core.file_facts import file_fact, holds_in
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.astindex import AstIndex, callee_name, target_names
from hplint.prefilter.structure import LoopsOver, Nodes
from hplint.prefilter.text import assignments, call_end, identifiers, keyword_lines
from hplint.prefilter.triggers import Calls, DictKeys, Imports, Names
from hplint.reading.calls import arg_value, dict_items, has_star_args, in_test_function
from hplint.reading.numbers import format_number, number, number_list
from hplint.reading.vocabulary import OPTIMIZERS, Vocabulary, normalize, shows_batch_size
from hplint.rules.interactions.file_searches import _InteractionRule
from hplint.rules.interactions.reader import (
    BATCH,
    FAMILY,
    LR,
    MULTI_ITER,
    SAME_VALUES,
    SPACE_FUNCS,
    Reader,
    Search,
    _names_role,
    _suggests,
    callee,
    default_role,
    draws,
    role_of,
)
from hplint.rules.strategy.axes import ValueReader
from hplint.rules.strategy.helper_rates import ray_space_without_rate
from hplint.rules.strategy.lr_sources import KERAS_WRAPPERS, MLP_GRID_KEYS, RAY_SAMPLERS, SEARCH_CV, SKORCH_WRAPPERS, wrapped_search

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

SEARCH_CHOICE = frozenset({"choice", "grid_search", "sample_from"})
# Evidence that a file trains with a learning rate: deep-learning frameworks and
# estimators that take one.  Mini-batch PCA or k-means take a batch size but no lr.
LR_FRAMEWORKS = frozenset(
    {
        "torch", "tensorflow", "keras", "jax", "flax", "optax", "lightning", "pytorch_lightning",
        "transformers", "mxnet", "paddle", "stable_baselines3",
    }
)
LR_ESTIMATORS = frozenset({"MLPClassifier", "MLPRegressor", "SGDClassifier", "SGDRegressor"})


def _batch_target_text(text: str, low: str) -> bool:
    """A ``for`` target's text that may bind a batch-size name (``_batch_loop``
    reads the names a target binds): one of its identifiers has that role; a
    quoted subscript key is judged by the vocabulary's looser marks."""
    if "'" in text or '"' in text:
        return shows_batch_size(text, low)
    return any(default_role(word) == BATCH for word in identifiers(text))


_IN = re.compile(r"(?<![\w.])in(?!\w)")
_DOTTED = re.compile(r"[^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*")


def _batch_loop_text(scan) -> bool:
    """``_batch_loop`` on the text of the ``for`` headers: a target with a
    batch-size name over an iterable that may hold values.  Only a bare name is
    judged (named for a batch size, or assigned somewhere in the text), alone
    or as an argument of ``enumerate``/``zip``; anything else may hold values."""
    source = scan.text
    for _, _, end in keyword_lines(source, "for"):
        stop = source.find("\n", end)
        header = source[end : stop if stop >= 0 else len(source)]
        keyword = _IN.search(header)
        if keyword is None:
            bare = header.strip()
            if not bare or bare.startswith(("(", "[")) or bare.endswith("\\") or bare.count("(") > bare.count(")"):
                return True  # a target that goes on past its line
            continue  # prose that starts with "for"
        target, rest = header[: keyword.start()], header[keyword.end() :]
        if "'" in target or '"' in target:
            return True
        if not _batch_target_text(target, target.lower()):
            continue
        colon = rest.rfind(":")
        iterable = (rest[:colon] if colon >= 0 else rest).strip()
        inner = re.fullmatch(r"(?:enumerate|zip)\s*\((.*)\)", iterable)
        pieces = [p.strip() for p in inner.group(1).split(",")] if inner else [iterable]
        if any(_may_hold_values_text(piece, source) for piece in pieces):
            return True
    return False


_KEYWORD = re.compile(r"([^\W\d]\w*)\s*=(?!=)")


def _dict_call_text(scan) -> bool:
    """A ``dict(`` call (the builtin, not a method) with a keyword named for a
    batch size between its brackets, or one whose end the text cannot find."""
    source = scan.text
    for start in scan.calls_to("dict"):  # method calls too: the tree tells them apart
        end = call_end(source, start)
        if end < 0:
            return True
        if any(default_role(name) == BATCH for name in _KEYWORD.findall(source, start, end)):
            return True
    return False


def _may_hold_values_text(expr: str, text: str) -> bool:
    if not _DOTTED.fullmatch(expr):
        return True  # a display, a call, a subscript...: the tree decides
    last = expr.rsplit(".", 1)[-1].strip()
    if default_role(last) == BATCH:
        return True
    return "." not in expr and assignments(expr).search(text) is not None


def _batch_loop(loop: ast.AST, index) -> bool:
    """What ``Reader.loop_roles`` needs to find a batch size varied by a loop:
    its one target named for a batch size over values (a display of two or more,
    a name or attribute, a ``range``-like call, through ``list``/``.tolist()``),
    or a ``zip``/``enumerate``/``product`` whose targets include such a name."""
    target, iterable = loop.target, loop.iter  # type: ignore[attr-defined]
    if isinstance(iterable, ast.Call) and callee_name(iterable) in MULTI_ITER:
        multi = callee_name(iterable)
        elements = list(target.elts) if isinstance(target, (ast.Tuple, ast.List)) else []
        values = [a for a in iterable.args]
        if multi == "enumerate":
            elements, values = elements[1:2], values[:1]
        return len(elements) == len(values) and any(
            isinstance(e, ast.Name) and default_role(e.id) == BATCH and (multi == "product" or _values(v, index))
            for e, v in zip(elements, values)
        )
    names = target_names(target)
    return len(names) == 1 and default_role(names[0]) == BATCH and _values(iterable, index)


_INDEX_LOOP = re.compile(r"in\s+range\s*\(\s*(?:0\s*,\s*)?len\s*\(\s*([^\W\d]\w*)\s*\)\s*\)")


def _batch_index_text(scan) -> bool:
    """``in range(len(batch_sizes))``: a loop that walks a batch-size list by index."""
    return any(default_role(m.group(1)) == BATCH for m in _INDEX_LOOP.finditer(scan.text))


def _batch_index_loop(loop: ast.AST, index) -> bool:
    """``Reader.loop_roles`` for a loop by index: ``range(len(sizes))`` over a batch-size list."""
    iterable = loop.iter  # type: ignore[attr-defined]
    if not isinstance(iterable, ast.Call) or callee_name(iterable) != "range" or iterable.keywords:
        return False
    args = iterable.args[1:] if len(iterable.args) == 2 and isinstance(iterable.args[0], ast.Constant) and iterable.args[0].value == 0 else iterable.args
    if len(args) != 1 or not isinstance(args[0], ast.Call) or callee_name(args[0]) != "len" or len(args[0].args) != 1:
        return False
    listed = args[0].args[0]
    return isinstance(listed, ast.Name) and default_role(listed.id) == BATCH and _values(listed, index)


def _values(iterable: ast.AST, index, hops: int = 4) -> bool:
    """``Reader.value_iterable``, short of evaluating: what may walk through
    candidate values.  A name counts when it is named for a batch size or some
    ``name = value`` in the file binds it to such values (the reader follows a
    plain assignment whose value is not itself a bare name or attribute)."""
    while isinstance(iterable, ast.Call):
        if isinstance(iterable.func, ast.Attribute) and iterable.func.attr == "tolist":
            iterable = iterable.func.value
        elif callee_name(iterable) in SAME_VALUES and iterable.args:
            iterable = iterable.args[0]
        else:
            return callee_name(iterable) in SPACE_FUNCS
    if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
        return len(iterable.elts) >= 2
    if isinstance(iterable, ast.Attribute):
        return default_role(iterable.attr) == BATCH
    if isinstance(iterable, ast.Name):
        if default_role(iterable.id) == BATCH:
            return True
        if hops <= 0:
            return True  # deeper than this reads: assume it may
        return any(
            isinstance(target, ast.Name)
            and target.id == iterable.id
            and not isinstance(node.value, (ast.Name, ast.Attribute))  # type: ignore[attr-defined]
            and _values(node.value, index, hops - 1)  # type: ignore[attr-defined]
            for node in index.file.of(ast.Assign)
            for target in node.targets  # type: ignore[attr-defined]
        )
    return isinstance(iterable, ast.Starred)


def _batch_and_rate_keys(node: ast.AST, index) -> bool:
    """What ``_check_grid`` needs of a dict: exactly one batch-size key and one
    learning-rate key (string keys of a display, keywords of ``dict(...)``)."""
    if isinstance(node, ast.Dict):
        keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    elif isinstance(node.func, ast.Name) and node.func.id == "dict":  # type: ignore[attr-defined]
        keys = [k.arg for k in node.keywords if k.arg is not None]  # type: ignore[attr-defined]
    else:
        return False
    roles = [default_role(key) for key in {normalize(k): k for k in keys}.values()]  # one entry per key, as the rule reads it
    return roles.count(BATCH) == 1 and roles.count(LR) == 1


@file_fact("names-a-learning-rate")
def _names_a_learning_rate(stmt: ast.stmt, vocabulary: Vocabulary) -> bool:
    """The statement writes a name, keyword or short string that means a learning rate,
    or names an optimizer or estimator that has one (HPL402 needs one in the file)."""
    words = AstIndex(ast.Module(body=[stmt], type_ignores=[])).identifiers
    return any(word in OPTIMIZERS or word in LR_ESTIMATORS or role_of(word, vocabulary) == LR for word in words)


@register
class BatchAtFixedLearningRate(_InteractionRule):
    code = "HPL402"
    name = "batch-size-varied-at-fixed-lr"
    family = FAMILY
    summary = "Batch size searched while the learning rate stays constant"
    why = (
        "Comparing batch sizes at one learning rate compares each batch size at a different "
        "distance from its own best learning rate: a larger batch has less gradient noise "
        "and wants a larger lr (lr ∝ √batch as a rule of thumb: doubling the batch → 1.4× "
        "lr; linear scaling for SGD). At lr 0.001, batch 256 reaches 60% while batch 16 "
        "reaches 82% — yet batch 256 with lr 0.01 also reaches 82%, so the sweep blames the "
        "batch size for a learning-rate mismatch. Rescale the learning rate with the batch "
        "size, or tune the two together. A learning rate searched in the same product or zip "
        "(`product(lrs.tolist(), batch_sizes)`, `list(lrs)`, `np.asarray(lrs)`: the same values) "
        "is tuned together with the batch size, not held fixed. A hand-written random search "
        "that draws the batch size each pass (`batch_size = random.choice(sizes)`) is a search "
        "too; a draw from a single value is not. A loop over one learning rate (`for lr in [0.1]:`, "
        "the other values commented out) holds it at that value. A scikit-learn search over a wrapped network "
        "(KerasClassifier, skorch, scikit-learn's MLP) whose grid varies the batch size and has no "
        "learning-rate key trains every batch size at the rate HPL103 names (the optimizer's "
        "default, a constant, or the build function's, when it is not visible here). A W&B sweep "
        "(a Python dict or a sweep file) that searches `batch_size` while its learning rate is "
        "one value (`values: [1e-4]`) is reported at the batch size, as is an Optuna objective whose "
        "model is compiled at the optimizer's default rate (`compile(optimizer=\"adam\")`, in the "
        "objective or in a model factory of this file it calls without the trial), and so is a Ray Tune "
        "search space that samples the batch size among a network's settings with no learning-rate "
        "key anywhere in the file (HPL103 reads the same space), and a Hydra sweep that selects (the "
        "Optuna sweeper, or an `optimized_metric`) searching the batch size with the rate one plain value "
        "or no parameter at all (not when the rate or an optimizer is searched, or the rate is "
        "interpolated in the file; Hydra's basic sweeper selects nothing). A list walked by index "
        "(`for i in range(len(batch_sizes)): train(batch_sizes[i])`) is a loop over its values, and a "
        "function of this file the loop calls that trains at one rate (`opt = SGD(lr=0.9)` in "
        "`dense_model(batch_size)`) holds the rate. An objective's batch size may be drawn by a function "
        "of this file it hands the trial (`settings = search_hyperparam(trial)`): reported at that call. On by default: on the 158 real tuning files "
        "of the project's audits and 4,322 library files it reports three searches, all true "
        "on reading, and stays silent on batch sizes swept for throughput or memory probes."
    )
    demonstration = "interactions"
    # a report is a loop over a batch size, a loop that draws one at random, or a
    # suggested batch size (``searches``), or
    # a dict (display or ``dict(...)``) with one batch-size key and one learning-rate key
    trigger = (
        Names(_names_role(BATCH), "batch names", shows_batch_size)
        & (
            (
                LoopsOver(_names_role(BATCH), _batch_target_text, "loop over batch_size")
                & Nodes(ast.For, ast.AsyncFor, holds=_batch_loop, text=_batch_loop_text, label="loop over batch-size values")
            )
            | Nodes(ast.For, holds=_batch_index_loop, text=_batch_index_text, label="loop over batch sizes by index")
            | draws(BATCH)
            | _suggests(BATCH)
            | (
                DictKeys(meaning=_names_role(BATCH), marks=shows_batch_size)
                & Nodes(ast.Dict, holds=_batch_and_rate_keys, label="batch and lr keys")
            )
            | Nodes(ast.Call, holds=_batch_and_rate_keys, text=_dict_call_text, label="dict() with batch and lr keywords")
            # a Ray Tune space sampling the batch size with no learning-rate key (``_ray_space``)
            | (Imports("ray") & DictKeys(meaning=_names_role(BATCH), marks=shows_batch_size) & Calls(*(q.rsplit(".", 1)[1] for q in RAY_SAMPLERS), least=2))
            # a scikit-learn search over a wrapped network (``wrapped_search``, as HPL103 reads it)
            | (Calls(*SEARCH_CV, outside_tests=True) & (Calls(*KERAS_WRAPPERS, *SKORCH_WRAPPERS) | MLP_GRID_KEYS))
        )
    )
    bad_examples = (
        Example(
            """
            import torch

            for batch_size in [32, 64, 128, 256]:
                loader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
                optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
                train(model, loader, optimizer)
            """
        ),
        Example(
            """
            def objective(trial):
                batch_size = trial.suggest_categorical("batch_size", [16, 32, 64])
                optimizer = Adam(model.parameters(), lr=1e-3)
                return train(model, optimizer, batch_size=batch_size)
            """
        ),
        Example(
            """
            param_grid = {"batch_size": [32, 64, 128], "lr": [0.001]}
            """
        ),
    )
    good_examples = (
        Example(
            """
            import math

            for batch_size in [32, 64, 128, 256]:
                lr = 0.001 * math.sqrt(batch_size / 32)
                train(lr=lr, batch_size=batch_size)
            """,
            note="The learning rate is rescaled with the batch size (lr ∝ √batch).",
        ),
        Example(
            """
            import itertools
            import numpy as np

            lrs = np.logspace(-4, -1, 4)
            for lr, bs in itertools.product(lrs.tolist(), [16, 64, 256]):
                train(lr=lr, batch_size=bs)
            """,
            note="The learning rate and the batch size are searched together.",
        ),
        Example(
            """
            for epoch in range(10):
                for batch in train_loader:
                    loss = step(model, batch, lr=0.001)
            """,
            note="Iterating a data loader's batches is training, not a batch-size search.",
        ),
        Example(
            """
            import time

            for bs in [32, 64, 128]:
                loader = DataLoader(dataset, batch_size=bs, num_workers=4)
                start = time.time()
                for _ in loader:
                    pass
                print(bs, time.time() - start)
            """,
            note="A data-loading benchmark trains nothing, so no learning rate is involved.",
        ),
    )

    def leave_Module(self, original_node: cst.Module) -> None:
        reader = self.reader()
        self._sequenced = self._reported_by_sequence(reader)
        for block in self.blocks() if self.facts.candidate_loops else ():
            for search in self.searches_in(block, reader):
                if search.kind == "loop" and search.node not in self._sequenced:
                    self._check_loop(search)
        for defs in self.facts.functions.values():
            for func in defs:
                search = self.objective_search(func, reader)
                if search is not None:
                    self._check_objective(search)

    def _reported_by_sequence(self, reader: Reader) -> Set[cst.CSTNode]:
        """HPL401 already reports these batch searches: either step of a sequence
        (its message names the earlier search and the value the other stayed at)."""
        if "HPL401" not in self.ctx.config.enabled_codes(self.ctx.path):
            return set()
        return {search.node for later, _, earlier in self.sequences(reader) for search in (later, earlier)}

    def visit_Dict(self, node: cst.Dict) -> None:
        items = {normalize(k): (k, v, e) for k, v, e in dict_items(node)}
        self._check_grid(items)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "dict" and not has_star_args(node):
            items = {normalize(a.keyword.value): (a.keyword.value, a.value, a) for a in node.args if a.keyword is not None}
            self._check_grid(items)
        self._check_wrapped(node)

    def _check_wrapped(self, call: cst.Call) -> None:
        """``GridSearchCV(KerasClassifier(...), {"batch_size": [...], "epochs": [...]})``: with no
        learning-rate key, every batch size trains at the rate HPL103 names (a default, a constant)."""
        qual = self.ctx.qualify(call.func) or ""
        if qual.rsplit(".", 1)[-1] not in SEARCH_CV or not qual.startswith("sklearn.") or in_test_function(self.ctx, call):
            return
        reader = ValueReader(self.ctx)
        found = wrapped_search(reader, call, least=1)
        batch = [k for k in found.searched if role_of(k.rsplit("__", 1)[-1], self.ctx.vocabulary) == BATCH] if found else []
        if found is None or not batch:
            return
        grid = found.at or arg_value(call, 1, "param_grid") or arg_value(call, None, "param_distributions")
        dims = [d for g in (reader.dict_dims(grid) or []) for d in g if d.name == batch[0]] if grid is not None else []
        anchor = dims[0].literal if dims and dims[0].literal is not None else (found.at or call)  # the batch sizes, where written
        self.report(anchor, self._message(batch[0], f"the grid has no learning-rate key, so every batch size trains with {found.fixed}"))

    # -- loops and objectives ----------------------------------------------
    def _fixed_lr(self, search: Search) -> Optional[str]:
        if BATCH not in search.varied or LR in search.varied or LR in search.coupled:
            return None
        return search.fixed.get(LR)

    def _check_loop(self, search: Search) -> None:
        if BATCH not in search.consumed or not search.trains or search.benchmark:
            return
        fixed = self._fixed_lr(search)
        if fixed is not None:  # at the loop, or at the draw of a random search
            self.report(search.anchors.get(BATCH, search.node), self._message(search.varied[BATCH], f"lr stays at {fixed}"))
        elif search.names_training and not ({LR} & (set(search.varied) | search.coupled | set(search.fixed))):
            if not self._learns_with_rate():
                return  # nothing in the file has a learning rate to hold fixed
            how = "no learning rate is passed in the loop, so every batch size trains with the same lr"
            self.report(search.node, self._message(search.varied[BATCH], how))

    def _learns_with_rate(self) -> bool:
        """Whether the file trains with a learning rate at all.

        A learning-rate name, an optimizer, a deep-learning framework import or an
        estimator that takes a learning rate; ``IncrementalPCA(batch_size=...)`` alone
        has no learning rate that a batch-size loop could hold fixed.
        """
        cached = getattr(self, "_lr_evidence", None)
        if cached is None:
            if any(root.split(".")[0] in LR_FRAMEWORKS for root in self.ctx.imports.aliases.values()):
                cached = True
            else:  # every name, keyword and short string of the file
                cached = holds_in("names-a-learning-rate", self.ctx)
            self._lr_evidence = cached
        return cached

    def _check_objective(self, search: Search) -> None:
        fixed = self._fixed_lr(search)
        anchor = search.anchors.get(BATCH)
        if fixed is not None and anchor is not None:
            self.report(anchor, self._message(search.varied[BATCH], f"lr stays at {fixed}"))

    # -- grids ------------------------------------------------------------------
    def _check_grid(self, items: Dict[str, tuple]) -> None:
        vocabulary = self.ctx.vocabulary
        batch = [(k, v) for n, (k, v, _) in items.items() if role_of(k, vocabulary) == BATCH]
        lrs = [(k, v) for n, (k, v, _) in items.items() if role_of(k, vocabulary) == LR]
        if len(batch) == 1 and not lrs:
            self._ray_space(list(items.values()), *batch[0])
        if len(batch) != 1 or len(lrs) != 1:
            return
        (batch_key, batch_value), (lr_key, lr_value) = batch[0], lrs[0]
        constant = self._grid_constant(lr_value)
        if constant is None:
            return
        if not self._suggested(batch_value):  # a config an objective fills: the trial draws the batch size
            values = self._grid_values(batch_value)
            if values is None or len(values) < 2:
                return
        self.report(batch_value, self._message(batch_key, f"{lr_key} is the single value {format_number(constant, 3)}"))

    def _ray_space(self, items: List[tuple], batch_key: str, batch_value: cst.BaseExpression) -> None:
        """A Ray Tune search space that samples the batch size among a network's settings with no
        learning-rate key in the file (``ray_space_without_rate``, as HPL103 reads it)."""
        sampled = [k for k, v, _ in items if isinstance(v, cst.Call) and (self.ctx.qualify(v.func) or "") in RAY_SAMPLERS]
        if batch_key in sampled and len(sampled) == len(items) and not in_test_function(self.ctx, batch_value):
            if ray_space_without_rate(self.ctx, items, sampled) is not None:
                self.report(batch_value, self._message(batch_key, "the search space has no learning-rate key, so every batch size trains with the one rate its trainable sets"))

    @staticmethod
    def _suggested(expr: cst.BaseExpression) -> bool:
        """``trial.suggest_categorical("batch_size", [32, 64])`` / ``suggest_int``: a searched value."""
        return isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value.startswith("suggest_")

    def _grid_values(self, expr: cst.BaseExpression) -> Optional[List[float]]:
        """Candidate values of a grid axis: a list, ``tune.choice([...])``, ``{"values": [...]}``."""
        if isinstance(expr, cst.Call) and callee(expr) in SEARCH_CHOICE and expr.args:
            expr = expr.args[0].value
        elif isinstance(expr, cst.Dict):
            found = {k: v for k, v, _ in dict_items(expr)}
            expr = found.get("values")
            if expr is None:
                return None
        return number_list(expr, self.ctx.imports)

    def _grid_constant(self, expr: cst.BaseExpression) -> Optional[float]:
        """A grid entry that holds one value: ``0.001``, ``[0.001]``, ``{"value": 0.001}``."""
        if isinstance(expr, cst.Dict):
            found = {k: v for k, v, _ in dict_items(expr)}
            expr = found.get("value") or found.get("values")
            if expr is None:
                return None
        values = number_list(expr, self.ctx.imports)
        if values is not None:
            return values[0] if len(values) == 1 else None
        return number(expr, self.ctx.imports)

    @staticmethod
    def _message(batch_name: str, how: str) -> str:
        return batch_message(batch_name, how)


def batch_message(batch_name: str, how: str) -> str:
    """HPL402's message, for a search in Python and in a sweep file alike."""
    return (
        f"{batch_name} is searched while {how}: a larger batch wants a larger learning rate, "
        "so this compares each batch size at a different distance from its own best lr; "
        "scale lr with the batch size (lr ∝ √batch rule of thumb: doubling the batch → 1.4× lr) "
        "or tune the two together"
    )


def sweep_batch_at_held_rate(params, vocabulary):
    """``_check_grid`` on a sweep file's parameters (``sweep_rates.SweepParameter``): the one
    batch size searched (two values or more) beside the one learning rate held at a number;
    (batch, rate) or None."""
    batch = [p for p in params if role_of(p.name, vocabulary) == BATCH]
    rates = [p for p in params if role_of(p.name, vocabulary) == LR]
    if len(batch) != 1 or len(rates) != 1 or not batch[0].searched or rates[0].constant is None:
        return None
    return batch[0], rates[0]
