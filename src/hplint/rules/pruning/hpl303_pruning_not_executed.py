"""HPL303: should_prune() answered, but the trial is not stopped by raising TrialPruned."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, List, Optional, Tuple

from hplint.core import memo
from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.astindex import callee_name
from hplint.prefilter.structure import Nodes
from hplint.prefilter.triggers import Calls, Words
from hplint.reading.calls import method_name, receiver
from hplint.reading.objectives import FileObjectives
from hplint.reading.tree import descendants
from hplint.rules.pruning.answers import (
    FRAMEWORK_FLAGS,
    answer_sites,
    branch_ender,
    consumer_scopes,
    flag_is_read,
    flag_name,
    is_log_statement,
    raises_pruned_in,
    stop_flag,
)
from hplint.rules.pruning.facts import FAMILY, _PruningRule, block_indent, block_statements, pruned_spelling, walk

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


# ---------------------------------------------------------------------------
# what the trigger reads


def _bare_should_prune(node: ast.AST, index) -> bool:
    return _is_should_prune_call(node.value)  # type: ignore[attr-defined]


def _unraised_prune_branch(node: ast.AST, index) -> bool:
    """An ``if`` on ``should_prune()`` whose body raises nothing directly (it ends
    the trial with return/break/continue/pass, logs, sets a stop flag, or answers
    its caller, whose ``if`` lies in the same file)."""
    if not _is_should_prune_call(node.test):  # type: ignore[attr-defined]
        return False
    return not any(isinstance(s, ast.Raise) for s in node.body)  # type: ignore[attr-defined]


# what an ``except`` must name to catch optuna.TrialPruned
CATCHES_PRUNED = frozenset({"TrialPruned", "OptunaError", "Exception", "BaseException"})


def _ast_raises_pruned(statements) -> bool:
    return any(
        isinstance(n, ast.Raise) and n.exc is not None and _ast_raised_name(n.exc) == "TrialPruned"
        for stmt in statements
        for n in ast.walk(stmt)
    )


def _pruning_functions(index) -> frozenset:
    """Names of the file's functions and methods whose body raises TrialPruned."""
    return memo.once(
        "pruning-functions", index,
        lambda idx: frozenset(f.name for f in idx.of(ast.FunctionDef, ast.AsyncFunctionDef) if _ast_raises_pruned(f.body)),
    )


def _swallowing_try(node: ast.AST, index) -> bool:
    """``_check_swallowed`` on the ``ast``: a ``try`` whose body raises TrialPruned (or
    calls a function of this file that does) and whose first handler that catches it
    raises nothing."""
    raises = _ast_raises_pruned(node.body) or any(  # type: ignore[attr-defined]
        isinstance(n, ast.Call) and callee_name(n) in _pruning_functions(index)
        for stmt in node.body  # type: ignore[attr-defined]
        for n in ast.walk(stmt)
    )
    return raises and _ast_swallows(node)


def _ast_swallows(node: ast.AST) -> bool:
    """The ``try``'s first handler that catches TrialPruned raises nothing and tells no study."""
    for handler in node.handlers:  # type: ignore[attr-defined]
        if _ast_catches(handler.type):
            handled = [n for stmt in handler.body for n in ast.walk(stmt)]
            return not any(isinstance(n, ast.Raise) or (isinstance(n, ast.Call) and callee_name(n) == "tell") for n in handled)
    return False


# callbacks that raise TrialPruned inside the training call they are given (CatBoost's does not:
# its ``check_pruned()`` raises, after ``fit``)
RAISING_HOOK_EXCLUDED = frozenset({"CatBoostPruningCallback"})


def _raising_hook(name: str) -> bool:
    return name.endswith("PruningCallback") and name not in RAISING_HOOK_EXCLUDED


def _hooked_try(node: ast.AST, index) -> bool:
    """A ``try`` whose body hands a pruning callback (made there, or a name the file binds
    to one) to a call, and whose first handler that catches TrialPruned raises nothing."""
    hooked = memo.once(
        "hook-names", index,
        lambda idx: frozenset(
            t.id for a in idx.of(ast.Assign) if isinstance(a.value, ast.Call) and _raising_hook(callee_name(a.value) or "")  # type: ignore[attr-defined]
            for t in a.targets if isinstance(t, ast.Name)  # type: ignore[attr-defined]
        ),
    )
    given = any(
        isinstance(n, ast.Call) and _raising_hook(callee_name(n) or "") or isinstance(n, ast.Name) and n.id in hooked
        for stmt in node.body for call in ast.walk(stmt) if isinstance(call, ast.Call)  # type: ignore[attr-defined]
        for arg in [*call.args, *(k.value for k in call.keywords)] for n in ast.walk(arg)
    )
    return given and _ast_swallows(node)


def _ast_raised_name(exc: ast.AST) -> str:
    target = exc.func if isinstance(exc, ast.Call) else exc
    return target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""


def _ast_catches(kind: ast.AST) -> bool:
    if kind is None:
        return True
    kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any(_ast_raised_name(k) in CATCHES_PRUNED for k in kinds)


def _is_should_prune_call(expr: ast.AST) -> bool:
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, (ast.Attribute, ast.Name))
        and (expr.func.attr if isinstance(expr.func, ast.Attribute) else expr.func.id) == "should_prune"
        and not expr.args
        and not expr.keywords
    )


@register
class PruningNotExecuted(_PruningRule):
    code = "HPL303"
    name = "pruning-not-executed"
    family = FAMILY
    summary = "should_prune() answered but the trial is not stopped with raise optuna.TrialPruned()"
    why = (
        "Optuna marks a trial PRUNED only when the objective raises `optuna.TrialPruned`. "
        "Returning a value from the `should_prune()` branch records the stopped trial as "
        "COMPLETE with a partial score (say 0.61 after 10 of 100 epochs): the sampler then "
        "learns from a number that was never a final result, and the study's best value can "
        "be an unfinished trial. `break` does the same after the loop, and `pass`, a branch "
        "that only prints or logs, or a discarded `should_prune()` result trains the trial to "
        "the end anyway, so the pruner saves nothing. "
        "Also reported: a callback or nested function whose `should_prune()` branch only sets a "
        "stop flag (`self.model.stop_training = True`, `control.should_training_stop = True`, a "
        "`nonlocal` flag read in this file): training stops and the objective returns normally, "
        "with no `raise ...TrialPruned` where the callback is used; and a helper whose `return True` "
        "answers `should_prune()` where every caller in this file is `if helper(...):` that only "
        "breaks or returns a score; and a `try` whose body raises TrialPruned (itself, in a callback it "
        "defines, or in the one function or method of this file of that name it calls: `self.train_stage(trial)`; "
        "or a pruning callback it hands to a training call: `fit(..., callbacks=[TFKerasPruningCallback(trial, ...)])`) "
        "while its first handler that catches it (`except Exception`, a bare `except`, "
        "`except optuna.TrialPruned`) does not re-raise: the objective goes on and returns. Not reported: "
        "a handler that records the prune itself (ask-and-tell's `study.tell(trial, state=TrialState.PRUNED)`); "
        "a helper or callback answering True whose caller "
        "is not visible here (passed on as a value) or raises; a helper whose True also means "
        "something else (early stopping); a flag nobody in this file reads; a branch that sets a "
        "flag and breaks or returns where its function raises TrialPruned in an `if` on that flag "
        "(`pruned = True; break`, then `if pruned: raise optuna.TrialPruned()`); a branch that calls "
        "anything else (it may raise); WilcoxonPruner studies, where returning the partial mean "
        "is the documented use."
    )
    fix_description = (
        "The branch's `return`/`break`/`continue`/`pass` becomes `raise optuna.TrialPruned()` "
        "(spelled as the file imports it: `opt.TrialPruned`, `TrialPruned`), also in the "
        "caller's `if helper(...):` branch; a branch that only logs gets the raise after its "
        "last line; a bare `trial.should_prune()` becomes `if trial.should_prune(): raise "
        "optuna.TrialPruned()`. Stop flags get no fix."
    )
    fix_safety = Safety.SAFE
    demonstration = "pruning"
    # a report is a bare ``should_prune()`` or an ``if`` on it that raises nothing
    trigger = (
        Calls("should_prune")
        & (
            Nodes(ast.Expr, holds=_bare_should_prune, label="bare should_prune()")
            | Nodes(ast.If, holds=_unraised_prune_branch, label="unraised branch")
        )
    ) | (Words("TrialPruned") & Nodes(ast.Try, holds=_swallowing_try, label="try that swallows TrialPruned")) | (
        Calls(suffixes=("PruningCallback",)) & Nodes(ast.Try, holds=_hooked_try, label="try around a pruning callback")
    )
    bad_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                for epoch in range(100):
                    acc = train_and_eval(trial, epoch)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        return acc
                return acc
            """,
            fixed="""
            import optuna

            def objective(trial):
                for epoch in range(100):
                    acc = train_and_eval(trial, epoch)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc
            """,
        ),
    )
    good_examples = (
        Example(
            """
            import optuna

            def objective(trial):
                for epoch in range(100):
                    acc = train_and_eval(trial, epoch)
                    trial.report(acc, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()
                return acc
            """
        ),
    )

    def leave_Module(self, original_node: cst.Module) -> None:
        """Purely local: needs no study or objective facts."""
        self._wilcoxon = any(isinstance(n, cst.Name) and n.value == "WilcoxonPruner" for n in walk(original_node))
        for node in walk(original_node):
            if isinstance(node, cst.If) and _is_should_prune(node.test):
                self._check_branch(node)
            elif isinstance(node, cst.Expr) and _is_should_prune(node.value):
                self._check_discarded(node)
            elif isinstance(node, cst.Try):
                self._check_swallowed(node)

    def _check_branch(self, node: cst.If) -> None:
        body = node.body
        statements: List[cst.BaseSmallStatement] = []
        compound = False
        if isinstance(body, cst.SimpleStatementSuite):
            statements = list(body.body)
        else:
            for stmt in block_statements(body):
                if isinstance(stmt, cst.SimpleStatementLine):
                    statements.extend(stmt.body)
                elif any(isinstance(n, cst.Raise) for n in walk(stmt, into_defs=False)):
                    return  # raises somewhere inside a nested block
                else:
                    compound = True
        if any(isinstance(s, cst.Raise) for s in statements):
            return
        enders = [s for s in statements if isinstance(s, (cst.Return, cst.Break, cst.Continue, cst.Pass))]
        if not enders:
            if not compound and statements:
                self._check_hand_over(node, statements)
            return
        ender = enders[-1]
        if _signals_caller(ender):
            if not self._wilcoxon and isinstance(ender.value, cst.Name) and ender.value.value == "True":  # type: ignore[attr-defined]
                self._check_answer(node)
            return
        if self._wilcoxon and isinstance(ender, (cst.Return, cst.Break)):
            return
        if self._raised_on_flag(node, statements):
            return  # ``pruned = True; break``, then ``if pruned: raise optuna.TrialPruned()``
        trial = _should_prune_receiver(node.test)
        message = (
            f"`{trial}.should_prune()` is true but the branch {_what(ender)} instead of raising "
            f"optuna.TrialPruned(): the trial is recorded as COMPLETE with a partial score "
            f"(or trains on), misleading the sampler; raise optuna.TrialPruned()"
        )
        self.report(node, message, self._fix_ender(statements, enders))

    def _raised_on_flag(self, node: cst.If, statements: List[cst.BaseSmallStatement]) -> bool:
        """The branch sets a flag (``pruned = True``) that its function tests, elsewhere, in
        an ``if`` that raises TrialPruned: the trial is pruned once the loop is left."""
        flags = {flag_name(t) for t in map(stop_flag, statements) if t is not None}
        func = next((a for a in self.ctx.ancestors(node) if isinstance(a, cst.FunctionDef)), None)
        if not flags or func is None:
            return False
        for other in walk(func, into_defs=False):
            if isinstance(other, cst.If) and other is not node and raises_pruned_in(other.body):
                read = [other.test, *walk(other.test)]
                tested = {n.value for n in read if isinstance(n, cst.Name)} | {n.attr.value for n in read if isinstance(n, cst.Attribute)}
                if tested & flags:
                    return True
        return False

    def _fix_ender(self, statements: List[cst.BaseSmallStatement], enders: List[cst.BaseSmallStatement]):
        """The branch's one return/break/continue/pass, its last statement, becomes the raise."""
        if len(enders) != 1 or statements[-1] is not enders[0]:
            return None
        spelled, import_edit = pruned_spelling(self.ctx, enders[0])
        return self.ctx.fix(Safety.SAFE, [self.ctx.replace(enders[0], f"raise {spelled}()"), import_edit], "raise TrialPruned")

    def _check_hand_over(self, node: cst.If, statements: List[cst.BaseSmallStatement]) -> None:
        """A branch that only logs, or only sets a stop flag that ends training normally."""
        trial = _should_prune_receiver(node.test)
        if all(is_log_statement(s) for s in statements):
            func = next((a for a in self.ctx.ancestors(node) if isinstance(a, cst.FunctionDef)), self.ctx.module)
            if raises_pruned_in(func):
                return  # pruned elsewhere in the function: this branch may only announce it
            message = (
                f"`{trial}.should_prune()` is true but the branch only logs it: the trial trains on to the end, "
                f"so the pruner saves nothing; raise optuna.TrialPruned() after logging"
            )
            self.report(node, message, self._fix_append_raise(node))
            return
        flags = [stop_flag(s) for s in statements if not is_log_statement(s)]
        if self._wilcoxon or not flags or any(f is None for f in flags):
            return
        target = flags[-1]
        framework = FRAMEWORK_FLAGS.get(flag_name(target))  # type: ignore[arg-type]
        scopes = consumer_scopes(self.ctx, node, local_name=isinstance(target, cst.Name))
        if not scopes or any(raises_pruned_in(scope) for scope in scopes):
            return  # the code acting on the flag is not visible here, or may raise
        if framework is None and not any(flag_is_read(self.ctx, scope, target) for scope in scopes):  # type: ignore[arg-type]
            return  # who reads the flag is not visible here
        stops = f"{framework} stops training" if framework else f"setting `{flag_name(target)}` stops training"  # type: ignore[arg-type]
        message = (
            f"`{trial}.should_prune()` is true but the branch only sets `{self.ctx.code_for(target)}`: {stops} and "  # type: ignore[arg-type]
            f"the objective returns normally, so the trial is recorded as COMPLETE with a partial score instead of "
            f"PRUNED, misleading the sampler; raise optuna.TrialPruned() (it propagates out of the training call) "
            f"or raise it where the flag is read"
        )
        self.report(node, message)

    def _fix_append_raise(self, node: cst.If):
        if not isinstance(node.body, cst.IndentedBlock) or not node.body.body:
            return None
        last = node.body.body[-1]
        spelled, import_edit = pruned_spelling(self.ctx, last)
        return self.ctx.fix(Safety.SAFE, [self.ctx.insert_lines_after(last, [f"raise {spelled}()"]), import_edit], "raise TrialPruned")

    def _check_answer(self, node: cst.If) -> None:
        """``return True`` tells the caller; report the callers here that only stop and return a score."""
        sites = answer_sites(self.ctx, node, _is_should_prune)
        if not sites:
            return
        trial = _should_prune_receiver(node.test)
        helper = next(a for a in self.ctx.ancestors(node) if isinstance(a, cst.FunctionDef)).name.value
        for site in sites:
            ender, statements = branch_ender(site)
            enders = [s for s in statements if isinstance(s, (cst.Return, cst.Break, cst.Continue, cst.Pass))]
            message = (
                f"`{helper}` returns True when `{trial}.should_prune()` is true, but this branch {_what(ender)} "  # type: ignore[arg-type]
                f"instead of raising optuna.TrialPruned(): the trial is recorded as COMPLETE with a partial score "
                f"(or trains on), misleading the sampler; raise optuna.TrialPruned()"
            )
            self.report(site, message, self._fix_ender(statements, enders))

    def _check_swallowed(self, node: cst.Try) -> None:
        """``try: ... raise optuna.TrialPruned() ... except Exception: return 0.0``: the
        handler catches the prune, and the trial ends as COMPLETE."""
        raised: Optional[cst.CSTNode] = _raise_of_pruned(block_statements(node.body))
        through = ""
        if raised is None:
            found = self._raised_by_callee(node) or self._raised_by_hook(node)
            if found is None:
                return
            raised, call = found
            if isinstance(raised, cst.Call):  # a pruning callback, raising inside the call it is given
                through = f" by the `{method_name(raised)}` given to `{self.ctx.code_for(call.func).strip()}()`"
                raised = call
            else:
                through = f" in `{self.ctx.code_for(call.func).strip()}()`, called at line {self.ctx.positions[call].start.line},"
        for handler in node.handlers:
            if not _catches(handler.type):
                continue
            handled = list(walk_block(handler.body))
            if any(isinstance(n, cst.Raise) for n in handled):
                return  # re-raised, or turned into another error
            if any(isinstance(n, cst.Call) and method_name(n) == "tell" for n in handled):
                return  # ask-and-tell: ``study.tell(trial, state=TrialState.PRUNED)`` records the prune
            caught = "a bare `except:`" if handler.type is None else f"`except {self.ctx.code_for(handler.type).strip()}`"
            line = self.ctx.positions[raised].start.line
            message = (
                f"{caught} catches the optuna.TrialPruned raised at line {line}{through} and does not re-raise it: "
                f"the objective goes on and returns, so the pruned trial is recorded as COMPLETE with a partial "
                f"score instead of PRUNED, misleading the sampler; add `except optuna.TrialPruned: raise` before it"
            )
            self.report(handler, message)
            return

    def _raised_by_callee(self, node: cst.Try) -> Optional[Tuple[cst.Raise, cst.Call]]:
        """A call in the ``try`` body of a function of this file (``helper(...)``,
        ``self.train(...)``, the only one of its name) whose own body raises TrialPruned,
        given the trial the enclosing function receives: an objective handing its trial
        on (a loop that calls the objective with trials of its own is not one)."""
        functions = self.ctx.facts(FileObjectives).functions
        outer = next((a for a in self.ctx.ancestors(node) if isinstance(a, cst.FunctionDef)), None)
        if outer is None:
            return None
        received = {p.name.value for p in outer.params.params if p.name.value not in ("self", "cls")}
        for stmt in block_statements(node.body):
            for call in walk(stmt, into_defs=False):
                if not isinstance(call, cst.Call) or not any(isinstance(a.value, cst.Name) and a.value.value in received for a in call.args):
                    continue
                func = call.func
                if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
                    name = func.attr.value
                elif isinstance(func, cst.Name):
                    name = func.value
                else:
                    continue
                defs = functions.get(name, [])
                if len(defs) == 1:
                    raised = _raise_of_pruned(block_statements(defs[0].body))
                    if raised is not None:
                        return raised, call
        return None

    def _raised_by_hook(self, node: cst.Try) -> Optional[Tuple[cst.Call, cst.Call]]:
        """A call in the ``try`` body given a pruning callback (``fit(..., callbacks=[KerasPruningCallback(trial,
        ...)])``, or a name bound to one): the callback raises TrialPruned inside it. (The hook, the call.)"""
        made = {
            t.target.value: a.value for a in descendants(self.ctx.module) if isinstance(a, cst.Assign) and isinstance(a.value, cst.Call)
            and _raising_hook(method_name(a.value) or "") for t in a.targets if isinstance(t.target, cst.Name)
        }
        for stmt in block_statements(node.body):
            for call in walk(stmt, into_defs=False):
                if not isinstance(call, cst.Call):
                    continue
                for arg in call.args:
                    for n in (arg.value, *descendants(arg.value)):
                        if isinstance(n, cst.Call) and _raising_hook(method_name(n) or ""):
                            return n, call
                        if isinstance(n, cst.Name) and n.value in made:
                            return made[n.value], call  # type: ignore[return-value]
        return None

    def _check_discarded(self, expr: cst.Expr) -> None:
        if not any(isinstance(a, (cst.FunctionDef, cst.Lambda)) for a in self.ctx.ancestors(expr)):
            return  # a module-level line (an API list, a notebook cell of notes) runs no trial
        trial = _should_prune_receiver(expr.value)
        line = self.ctx.parent(expr)
        message = (
            f"the result of `{trial}.should_prune()` is discarded, so no trial is ever stopped; "
            f"write `if {trial}.should_prune(): raise optuna.TrialPruned()`"
        )
        fix = None
        alone = isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
        if alone and isinstance(self.ctx.parent(line), cst.IndentedBlock):
            fix = self._fix_discarded(line, expr)  # type: ignore[arg-type]
        self.report(expr, message, fix)

    def _fix_discarded(self, line: cst.SimpleStatementLine, expr: cst.Expr):
        """``trial.should_prune()`` -> ``if trial.should_prune():`` plus a ``raise`` line."""
        spelled, import_edit = pruned_spelling(self.ctx, line)
        indent = block_indent(self.ctx, self.ctx.parent(line))  # type: ignore[arg-type]
        header = f"if {self.ctx.code_for(expr.value)}:"
        raise_line = self.ctx.insert_lines_after(line, [f"{indent}raise {spelled}()"])
        edits = [self.ctx.replace(expr, header), raise_line, import_edit]
        return self.ctx.fix(Safety.SAFE, edits, "raise TrialPruned")


def walk_block(block: cst.BaseSuite):
    """The nodes of a block's statements, nested functions left out."""
    return (n for stmt in block_statements(block) for n in walk(stmt, into_defs=False))


def _raise_of_pruned(statements) -> Optional[cst.Raise]:
    """The first ``raise ...TrialPruned`` among ``statements`` (nested functions left out)."""
    return next(
        (n for stmt in statements for n in walk(stmt, into_defs=False) if isinstance(n, cst.Raise) and _raised_name(n.exc) == "TrialPruned"),
        None,
    )


def _raised_name(exc: Optional[cst.BaseExpression]) -> str:
    """``optuna.TrialPruned()`` / ``TrialPruned`` -> TrialPruned."""
    target = exc.func if isinstance(exc, cst.Call) else exc
    if isinstance(target, cst.Attribute):
        return target.attr.value
    return target.value if isinstance(target, cst.Name) else ""


def _catches(kind: Optional[cst.BaseExpression]) -> bool:
    """An ``except`` clause that catches optuna.TrialPruned: bare, ``Exception``, ``OptunaError``..."""
    if kind is None:
        return True
    kinds = [e.value for e in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
    return any(_raised_name(k) in CATCHES_PRUNED for k in kinds)


def _what(ender: cst.BaseSmallStatement) -> str:
    if isinstance(ender, cst.Return):
        return "returns None" if ender.value is None else "returns a value"
    return {cst.Break: "breaks out of the loop", cst.Continue: "continues training", cst.Pass: "does nothing"}[type(ender)]


def _signals_caller(ender: cst.BaseSmallStatement) -> bool:
    """``return True``/``return False``: a helper or callback tells its caller to stop.

    An objective never returns a bare boolean as its score; the caller decides to raise.
    """
    return isinstance(ender, cst.Return) and isinstance(ender.value, cst.Name) and ender.value.value in ("True", "False")


def _is_should_prune(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Call) and method_name(expr) == "should_prune" and not expr.args


def _should_prune_receiver(expr: cst.BaseExpression) -> str:
    recv = receiver(expr) if isinstance(expr, cst.Call) else None
    if recv is None:
        return "trial"
    return cst.Module(body=[]).code_for_node(recv)
