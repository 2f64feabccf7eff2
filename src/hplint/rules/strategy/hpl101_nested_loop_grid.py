"""HPL101: nested ``for`` loops that enumerate a hyperparameter grid, and the
rewrite of a perfect nest into one random-search loop."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, List, Optional, Set

from hplint.core.context import REFUSED, NodeEdit
from hplint.core.diagnostics import Safety
from hplint.core.file_facts import text_word
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.structure import LoopNests, Nodes
from hplint.prefilter.triggers import Calls
from hplint.reading.calls import in_test_function
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import DEFAULT_VOCABULARY, LAUNCHERS, runs_configuration
from hplint.rules.strategy.grids import (
    FAMILY,
    LOOP,
    OPTIONS,
    RUN_SPELLINGS,
    Dim,
    LoopInfo,
    _GridLoopRule,
    _runs,
    chain_dims,
    grid_message,
    grid_size,
    header_named,
    hyperparameter_name,
    is_product,
    product_dims,
    too_big,
)

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


# names the rewrite may give its seeded generator, if the file writes none of them
SEED_NAMES = tuple(text_word(name) for name in ("rng", "search_rng", "grid_rng"))


def _several_loops(node: ast.AST, index) -> bool:
    """What ``visit_ListComp`` reads: a list comprehension with two ``for`` clauses or more, no
    ``if``, one but the last over a (dotted) name, each over values that do not depend on
    another's (not ``for row in m for x in row``), one of them a hyperparameter's name."""
    generators = node.generators  # type: ignore[attr-defined]
    if len(generators) < 2 or any(g.ifs or g.is_async for g in generators):
        return False
    if not any(_dotted_ast(g.iter) for g in generators[:-1]):
        return False  # (``for lr in lrs for bs in sizes``: some clause but the last walks a name)
    bound: Set[str] = set()
    for g in generators:
        if any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(g.iter)):
            return False
        bound.update(n.id for n in ast.walk(g.target) if isinstance(n, ast.Name))
    names = [n.id for g in generators for part in (g.target, g.iter) for n in ast.walk(part) if isinstance(n, ast.Name)]
    return any(_hyperparameter_name(name) for name in names)


# a ``for`` clause over a (dotted) name followed by another clause: what every comprehension
# ``_several_loops`` accepts writes, whatever its layout
_CLAUSES = re.compile(r"for\s+[\w\s,()]+?\s+in\s+[\w.]+(?:\s|#[^\n]*)+for\s")


def _comprehension_fors(scan) -> bool:
    """The text of ``_several_loops``'s comprehension: a clause over a name, then another."""
    return _CLAUSES.search(scan.text) is not None


def _dotted_ast(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _dotted(node: cst.BaseExpression) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def _hyperparameter_name(name: str) -> bool:
    return hyperparameter_name(name, DEFAULT_VOCABULARY)


def _may_run(name: str) -> bool:
    """A callee that may train a configuration, whatever it is called on (``subprocess.call`` too)."""
    return name in LAUNCHERS or runs_configuration(name, None, 2) or runs_configuration(name, None, 0)


@register
class NestedLoopGrid(_GridLoopRule):
    reads_collected = True
    code = "HPL101"
    name = "nested-loop-grid-search"
    family = FAMILY
    summary = "Nested for-loops enumerate a hyperparameter grid (k^n trainings)"
    why = (
        "A grid costs k^n trainings: 4 parameters with 5 values each are 5^4 = 625 "
        "configurations, 13 days at 30 min per training, and every parameter still sees only "
        "5 distinct values. Most dimensions barely matter (the learning rate is typically "
        "7-20x more important than width), so a grid repeats the same few values of the "
        "important one over and over. A random search with a third of the budget (200 trials) "
        "that draws the learning rate log-uniformly from its range tries 200 distinct learning "
        "rates (Bergstra & Bengio 2012, 'Random Search for Hyper-Parameter Optimization'); a "
        "parameter drawn from the same 5 values still gets only those 5, and 200 draws with "
        "replacement cover about 171 of the 625 grid points. The message says which axes the "
        "suggested search draws from a range and how many grid points it covers. Grids under "
        "`grid-ignore-below` (16) trainings are not reported: a 2×2×2 sweep is 8 trainings. "
        "A nest that only collects its combinations (`configs.append({...})`) is read the same when a "
        "later loop of the same function walks that list and trains on each entry (and so is a list "
        "comprehension with a `for` per hyperparameter, reported without a fix), and a nest that launches "
        "a script for each combination (`os.system(f\"python train.py --lr {lr}\")`, `subprocess.check_call`) trains. "
        "A nest may mix `for` loops and `itertools.product`: every axis counts, once (the "
        "product is not reported again as HPL102). Values are read where the code keeps them: "
        "a name bound earlier, `self.x` set in any method of the class, a class attribute, a "
        "module constant or a parameter given a literal by the calls in the same file; where "
        "the counts are not visible the message says so instead of inventing them. A progress bar "
        "around the values (`for lr in tqdm(lrs)`) yields those values, and a call of a function of "
        "the same file whose own code trains (`results.append(score_config(lr, depth))`) counts as "
        "the training. "
        "Loops over seeds, folds, epochs, batches or indices are not counted (a loop named "
        "`batch` over values named like a hyperparameter, `for batch in self.batch_size`, is), "
        "unless they walk the indices of a hyperparameter's values: `for i in range(len(lrs))`, "
        "`for j in range(len(HP[\"lr\"]))` (such a nest gets no fix). TensorBoard's "
        "`HP_X.domain.values` walks the values of `hp.HParam(\"x\", hp.Discrete([...]))`."
    )
    fix_description = (
        "Rewrites the nest into one random-search loop, `for _ in range(N):`, drawing each "
        "variable with `rng.choice(<same values>)` from `rng = random.Random(0)` (seeded: the "
        "grid ran the same configurations every time, so the search does too; a log-scale "
        "parameter with numeric bounds is drawn log-uniformly: "
        "`10 ** rng.uniform(math.log10(a), math.log10(b))`). "
        "The body is unchanged; N is a third of the grid (`random-trials-fraction`). Unsafe: it "
        "changes the budget and which configurations run."
    )
    fix_safety = Safety.UNSAFE
    options = OPTIONS
    demonstration = "strategy"
    # a report is a nest of >= 2 loops whose innermost runs a configuration
    trigger = LoopNests(_runs, RUN_SPELLINGS, named=lambda name: hyperparameter_name(name, DEFAULT_VOCABULARY), collected=True) | (
        Nodes(ast.ListComp, holds=_several_loops, label="comprehension over several lists", text=_comprehension_fors) & Calls(matching=_may_run, spellings=RUN_SPELLINGS)
    )
    bad_examples = (
        Example(
            """
            results = {}
            for lr in [0.001, 0.01, 0.1, 1.0, 10.0]:
                for batch_size in [16, 32, 64, 128, 256]:
                    for weight_decay in [0, 1e-5, 1e-4, 1e-3, 1e-2]:
                        for dropout in [0.0, 0.2, 0.4, 0.6, 0.8]:
                            results[lr, batch_size, weight_decay, dropout] = train(lr, batch_size, weight_decay, dropout)
            """,
            fixed="""
            import math
            import random

            results = {}
            rng = random.Random(0)
            for _ in range(200):
                lr = 10 ** rng.uniform(math.log10(0.001), math.log10(10.0))
                batch_size = rng.choice([16, 32, 64, 128, 256])
                weight_decay = rng.choice([0, 1e-5, 1e-4, 1e-3, 1e-2])
                dropout = rng.choice([0.0, 0.2, 0.4, 0.6, 0.8])
                results[lr, batch_size, weight_decay, dropout] = train(lr, batch_size, weight_decay, dropout)
            """,
            note="5^4 = 625 configurations; 200 random trials cost a third.",
        ),
        Example(
            """
            import itertools
            lrs = [1e-4, 1e-3, 1e-2, 1e-1]
            batch_sizes = [16, 32, 64, 128]
            for lr, batch_size in itertools.product(lrs, batch_sizes):
                for weight_decay in [0.0, 1e-5, 1e-4, 1e-3]:
                    train(lr=lr, batch_size=batch_size, weight_decay=weight_decay)
            """,
            note="A product inside or around a loop: 4×4×4 = 64 configurations, reported once.",
        ),
    )
    good_examples = (
        Example(
            """
            for epoch in range(num_epochs):
                for x, y in train_loader:
                    loss = model.train_step(x, y)
            """,
            note="Epochs and batches are not hyperparameter dimensions.",
        ),
        Example(
            """
            for seed in [0, 1, 2]:
                for lr in [1e-4, 1e-3, 1e-2]:
                    score = train(lr=lr, seed=seed)
            """,
            note="One hyperparameter swept over three seeds.",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._comprehensions: List[tuple] = []  # (comprehension, its statement, the name it is bound to)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        """``configs = [(lr, bs) for lr in lrs for bs in sizes]``: every combination, collected."""
        fors = []
        clause: Optional[cst.CompFor] = node.for_in
        while clause is not None:
            fors.append(clause)
            clause = clause.inner_for_in
        if len(fors) < 2 or any(f.ifs or f.asynchronous is not None for f in fors) or not any(_dotted(f.iter) for f in fors[:-1]):
            return
        bound: Set[str] = set()
        for clause in fors:  # a grid's axes are independent: not ``for row in m for x in row``
            if any(isinstance(n, cst.Name) and n.value in bound for n in (clause.iter, *descendants(clause.iter))):
                return
            bound.update(n.value for n in (clause.target, *descendants(clause.target)) if isinstance(n, cst.Name))
        statement = self.ctx.parent(node)
        if isinstance(statement, cst.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0].target, cst.Name):
            self._comprehensions.append((node, fors, statement, statement.targets[0].target.value))
        elif isinstance(statement, cst.For) and statement.iter is node:
            self._comprehensions.append((node, fors, statement, None))  # walked where it is written

    def leave_Module(self, original_node: cst.Module) -> None:
        super().leave_Module(original_node)
        for node, fors, statement, name in self._comprehensions:
            dims = [d for f in fors for d in self._clause_dims(f) if d.counts]
            if len(dims) < 2 or not any(d.named for d in dims) or in_test_function(self.ctx, node):
                continue
            named = any(isinstance(n, cst.Name) and hyperparameter_name(n.value, self.ctx.vocabulary) for f in fors for n in (f.target, f.iter, *descendants(f.target), *descendants(f.iter)))
            configs = grid_size(dims)
            if named and too_big(dims, configs, self.option) and self._trained(statement, name):
                message, _ = grid_message(dims, configs, self.option, drawing=LOOP, vocabulary=self.ctx.vocabulary)
                self.report(node, message)  # no fix: the comprehension is the author's to rewrite

    def _trained(self, statement: cst.CSTNode, name: Optional[str]) -> bool:
        """The loop that walks the combinations trains: the ``for`` whose iterable the
        comprehension is, or a later loop over the name it is bound to."""
        if name is not None:
            return self._trained_later(statement, {name})  # type: ignore[arg-type]
        return self.trains_in(statement.body)  # type: ignore[attr-defined]

    def _clause_dims(self, clause: cst.CompFor) -> List[Dim]:
        if is_product(self.ctx, clause.iter):
            return product_dims(self.reader, clause.iter, clause.target)  # type: ignore[arg-type]
        if isinstance(clause.target, cst.Name):
            found = self.reader.dim(clause.iter, clause.target.value)
            return [found] if found is not None else []
        return []

    def check_nest(self, chain: List[LoopInfo]) -> None:
        dims = chain_dims(chain)
        if len(chain) < 2 or len(dims) < 2 or not any(d.named for d in dims) or in_test_function(self.ctx, chain[0].node):
            return
        if not header_named(self.reader, chain[0].node):
            return
        configs = grid_size(dims)
        if not too_big(dims, configs, self.option):
            return
        message, n_trials = grid_message(dims, configs, self.option, drawing=LOOP, vocabulary=self.ctx.vocabulary)
        fix = None
        if n_trials is not None:
            fix = LoopRewriter(self.ctx, chain, n_trials).fix()
        self.report(chain[0].node, message, fix)


class LoopRewriter:
    """Builds the random-search loop that replaces a perfect nest of grid loops."""

    def __init__(self, ctx, chain: List[LoopInfo], n_trials: int) -> None:
        self.ctx = ctx
        self.chain = chain
        self.n_trials = n_trials
        self.rng = "rng"

    def fix(self):
        if not self._rewritable():
            return None
        self.rng = self._seed_name()
        if self.rng is None:
            return None
        text = self._text(self.ctx.positions)
        if text is None:
            return None
        edits = [self.ctx.replace(self.chain[0].node, text)]
        _, random_import = self.ctx.spell("random.Random", self.chain[0].node)
        math_import = None
        if "math.log10(" in text:
            _, math_import = self.ctx.spell("math.log10", self.chain[0].node)
        if REFUSED in (random_import, math_import):
            return None  # ``random`` or ``math`` means something else where the loop stands
        return self.ctx.fix(Safety.UNSAFE, [_joined_imports([math_import, random_import])] + edits, "random search instead of the grid")

    def _rewritable(self) -> bool:
        for index, info in enumerate(self.chain):
            node = info.node
            if node.asynchronous is not None or node.orelse is not None or not isinstance(node.target, cst.Name):
                return False
            if not isinstance(node.body, cst.IndentedBlock) or info.dim is None:
                return False
            if info.dim.size is None or (info.dim.values is None and info.dim.log_exponents is None):
                return False
            if index + 1 < len(self.chain):
                if len(node.body.body) != 1 or node.body.body[0] is not self.chain[index + 1].node:
                    return False
                if node.body.footer:
                    return False
        return not _breaks(self.chain[-1].node.body)

    def _seed_name(self) -> Optional[str]:
        """A name for the seeded generator that nothing in the file reads or binds:
        the grid ran the same configurations every time, so the search does too."""
        for name in SEED_NAMES:
            if self.ctx.names.unbound(name) and not re.search(rf"\b{name}\b", self.ctx.file_text):
                return name
        return None

    def _draw(self, dim: Dim) -> str:
        rnd = self.rng
        vocab = self.ctx.vocabulary
        if dim.log_exponents is not None:
            return f"10 ** {rnd}.uniform({dim.log_exponents[0]}, {dim.log_exponents[1]})"
        nums = dim.numbers
        values = dim.values
        if dim.bounds is not None and vocab.is_log_scale(dim.name, tuning_context=True):
            log10 = self.ctx.spell("math.log10", self.chain[0].node)[0]
            return f"10 ** {rnd}.uniform({log10}({dim.bounds[0]}), {log10}({dim.bounds[1]}))"
        if nums and dim.literal is not None and vocab.is_log_scale(dim.name, tuning_context=True) and min(nums) > 0 and max(nums) / min(nums) >= 10:
            log10 = self.ctx.spell("math.log10", self.chain[0].node)[0]
            elements = [e.value for e in dim.literal.elements]  # type: ignore[attr-defined]
            low = self.ctx.code_for(elements[nums.index(min(nums))])
            high = self.ctx.code_for(elements[nums.index(max(nums))])
            return f"10 ** {rnd}.uniform({log10}({low}), {log10}({high}))"
        assert values is not None
        return f"{rnd}.choice({self.ctx.code_for(values)})"

    def _text(self, positions) -> Optional[str]:
        outer, inner = self.chain[0].node, self.chain[-1].node
        lines = re.split(r"\r\n|\r|\n", self.ctx.source)
        outer_body = outer.body.body[0]  # type: ignore[union-attr]
        first_inner = inner.body.body[0]  # type: ignore[union-attr]
        new_indent = _indent(lines[positions[outer_body].start.line - 1])
        old_indent = _indent(lines[positions[first_inner].start.line - 1])
        if not old_indent.startswith(new_indent) or len(set(old_indent)) > 1:
            return None
        removal = len(old_indent) - len(new_indent)
        body_start = positions[first_inner].start.line - len(first_inner.leading_lines)
        body_end = positions[inner].end.line
        frozen = _string_continuation_lines(inner.body, positions)
        body: List[str] = []
        for number_, line in enumerate(lines[body_start - 1 : body_end], start=body_start):
            lead = _indent(line)
            cut = min(removal, len(lead)) if line.strip() else 0
            if number_ in frozen:
                if cut:
                    return None  # re-indenting would change a string's value
                body.append(line)
                continue
            body.append(line[cut:] if cut and set(lead[:cut]) == {old_indent[0]} else line)
        loop_var = "_" if not re.search(r"\b_\b", "\n".join(body)) else "trial_index"
        generator = self.ctx.spell("random.Random", outer)[0]
        head = [f"{self.rng} = {generator}(0)", f"{_indent(lines[positions[outer].start.line - 1])}for {loop_var} in range({self.n_trials}):"]
        for index, info in enumerate(self.chain):
            if index:
                for empty in info.node.leading_lines:
                    if empty.comment is not None:
                        head.append(new_indent + empty.comment.value)
            target = info.node.target.value  # type: ignore[attr-defined]
            comment = _header_comment(info.node)
            head.append(f"{new_indent}{target} = {self._draw(info.dim)}{comment}")  # type: ignore[arg-type]
        return "\n".join(head + body)


def _joined_imports(edits: List[Optional[NodeEdit]]) -> Optional[NodeEdit]:
    """One import edit for several lines: two edits at one spot would apply in no fixed order."""
    lines = [e.text for e in edits if e is not None and isinstance(e.text, str)]
    return NodeEdit("import", None, "\n".join(lines)) if lines else None


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _header_comment(node: cst.For) -> str:
    header = node.body.header if isinstance(node.body, cst.IndentedBlock) else None
    if header is not None and header.comment is not None:
        return "  " + header.comment.value
    return ""


def _breaks(block: cst.BaseSuite) -> bool:
    """A ``break`` that belongs to this loop (not to a loop nested in it)."""
    return any(type(node) is cst.Break for node in descendants(block, skip=(cst.For, cst.While, cst.FunctionDef)))


def _string_continuation_lines(block: cst.CSTNode, positions) -> Set[int]:
    """Lines that continue a multi-line string literal: re-indenting them changes its value."""
    lines: Set[int] = set()
    for node in descendants(block):
        if type(node) is cst.SimpleString or type(node) is cst.FormattedString:
            rng = positions.get(node)
            if rng is not None and rng.end.line > rng.start.line:
                lines.update(range(rng.start.line + 1, rng.end.line + 1))
    return lines
