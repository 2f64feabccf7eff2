"""HPL303: should_prune() answered, but the trial is not stopped by raising TrialPruned."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, List

from hplint.core.diagnostics import Safety
from hplint.core.registry import register
from hplint.core.rule import Example
from hplint.prefilter.structure import Nodes
from hplint.prefilter.triggers import Calls
from hplint.reading.calls import method_name, receiver
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
    """An ``if`` on ``should_prune()`` whose body ends the trial with
    return/break/continue/pass and raises nothing directly."""
    if not _is_should_prune_call(node.test):  # type: ignore[attr-defined]
        return False
    body = node.body  # type: ignore[attr-defined]
    return not any(isinstance(s, ast.Raise) for s in body) and any(isinstance(s, (ast.Return, ast.Break, ast.Continue, ast.Pass)) for s in body)


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
        "be an unfinished trial. `break` does the same after the loop, and `pass` or a "
        "discarded `should_prune()` result trains the trial to the end anyway, so the pruner "
        "saves nothing."
    )
    fix_description = (
        "The branch's `return`/`break`/`continue`/`pass` becomes `raise optuna.TrialPruned()` "
        "(spelled as the file imports it: `opt.TrialPruned`, `TrialPruned`); a bare "
        "`trial.should_prune()` becomes `if trial.should_prune(): raise optuna.TrialPruned()`."
    )
    fix_safety = Safety.SAFE
    demonstration = "pruning"
    # a report is a bare ``should_prune()`` or an ``if`` on it that raises nothing
    trigger = Calls("should_prune") & (
        Nodes(ast.Expr, holds=_bare_should_prune, label="bare should_prune()")
        | Nodes(ast.If, holds=_unraised_prune_branch, label="unraised branch")
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

    def _check_branch(self, node: cst.If) -> None:
        body = node.body
        statements: List[cst.BaseSmallStatement] = []
        if isinstance(body, cst.SimpleStatementSuite):
            statements = list(body.body)
        else:
            for stmt in block_statements(body):
                if isinstance(stmt, cst.SimpleStatementLine):
                    statements.extend(stmt.body)
                elif any(isinstance(n, cst.Raise) for n in walk(stmt, into_defs=False)):
                    return  # raises somewhere inside a nested block
        if any(isinstance(s, cst.Raise) for s in statements):
            return
        enders = [s for s in statements if isinstance(s, (cst.Return, cst.Break, cst.Continue, cst.Pass))]
        if not enders:
            return
        ender = enders[-1]
        if _signals_caller(ender) or (self._wilcoxon and isinstance(ender, (cst.Return, cst.Break))):
            return
        trial = _should_prune_receiver(node.test)
        what = {cst.Return: "returns a value", cst.Break: "breaks out of the loop",
                cst.Continue: "continues training", cst.Pass: "does nothing"}[type(ender)]
        if isinstance(ender, cst.Return) and ender.value is None:
            what = "returns None"
        message = (
            f"`{trial}.should_prune()` is true but the branch {what} instead of raising "
            f"optuna.TrialPruned(): the trial is recorded as COMPLETE with a partial score "
            f"(or trains on), misleading the sampler; raise optuna.TrialPruned()"
        )
        fix = None
        if len(enders) == 1 and statements[-1] is ender:
            spelled, import_edit = pruned_spelling(self.ctx, ender)
            fix = self.ctx.fix(Safety.SAFE, [self.ctx.replace(ender, f"raise {spelled}()"), import_edit],
                               "raise TrialPruned")
        self.report(node, message, fix)

    def _check_discarded(self, expr: cst.Expr) -> None:
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
