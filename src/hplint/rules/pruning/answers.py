"""Who acts on a ``should_prune()`` answer that is not raised where it is asked (HPL303).

A branch that answers ``should_prune()`` without raising may hand the
decision on: it sets a stop flag (``self.model.stop_training = True``,
``control.should_training_stop = True``, a ``nonlocal`` flag) or returns
``True`` to its caller.  Whether the trial ends PRUNED depends on the code
that reads the flag or the answer.  It is judged only where that code is
visible in this file: the enclosing objective for a nested function, the
module for a method or a module-level function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Set, Tuple

from hplint.reading.calls import method_name, receiver
from hplint.reading.imports import dotted_name
from hplint.rules.pruning.facts import walk

if TYPE_CHECKING:
    import libcst as cst

    from hplint.core.context import RuleContext
else:
    from hplint.core.lazy_libcst import cst

# flags a framework reads after each step: training stops and the call returns normally
FRAMEWORK_FLAGS = {"stop_training": "Keras", "should_training_stop": "Hugging Face's Trainer"}
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "critical", "exception", "log", "write"})


# ---------------------------------------------------------------------------
# what a branch does


def is_log_statement(small: cst.BaseSmallStatement) -> bool:
    """``print(...)``, ``logger.info(...)``, ``logging.warning(...)``, ``warnings.warn(...)``,
    ``tqdm.write(...)``, ``mlflow.log_metric(...)``, ``wandb.log(...)``."""
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return False
    call = small.value
    name = method_name(call) or ""
    if isinstance(call.func, cst.Name):
        return name == "print"
    root = (dotted_name(receiver(call)) or "").lower() if receiver(call) is not None else ""
    if root.split(".")[-1] in ("mlflow", "wandb"):
        return name.startswith("log")
    if root in ("warnings", "tqdm"):
        return name in ("warn", "write")
    return name in LOG_METHODS and "log" in root


def stop_flag(small: cst.BaseSmallStatement) -> Optional[cst.BaseAssignTargetExpression]:
    """The target of ``<flag> = True`` (a name or an attribute), else None."""
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    if not (isinstance(small.value, cst.Name) and small.value.value == "True"):
        return None
    target = small.targets[0].target
    return target if isinstance(target, (cst.Name, cst.Attribute)) else None


def flag_name(target: cst.BaseExpression) -> str:
    return target.attr.value if isinstance(target, cst.Attribute) else target.value  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# where the consumer may be


def consumer_scopes(ctx: RuleContext, node: cst.CSTNode, local_name: bool = False) -> List[cst.CSTNode]:
    """Where the code acting on ``node``'s flag or answer may be.

    The outermost function when ``node`` sits in a function nested in it (a
    callback closing over the trial, a callback class defined there) or sets a
    local flag; for a method of a module-level class, the functions that
    create the class (none visible: nothing to judge); else the module.
    """
    functions = [a for a in ctx.ancestors(node) if isinstance(a, cst.FunctionDef)]
    if not functions:
        return [ctx.module]
    outer = functions[-1]
    owner = next((a for a in ctx.ancestors(outer) if isinstance(a, cst.ClassDef)), None)
    if owner is not None:
        return _creators(ctx, owner)
    if len(functions) >= 2 or local_name:
        return [outer]
    return [ctx.module]


def _creators(ctx: RuleContext, owner: cst.ClassDef) -> List[cst.CSTNode]:
    """The outermost functions (or the module) where ``Owner(...)`` is called."""
    out: List[cst.CSTNode] = []
    for node in walk(ctx.module):
        if isinstance(node, cst.Call) and method_name(node) == owner.name.value:
            functions = [a for a in ctx.ancestors(node) if isinstance(a, cst.FunctionDef)]
            scope = functions[-1] if functions else ctx.module
            if all(scope is not seen for seen in out):
                out.append(scope)
    return out


def _in_class(ctx: RuleContext, func: cst.FunctionDef) -> bool:
    return any(isinstance(a, cst.ClassDef) for a in ctx.ancestors(func))


def raises_pruned_in(scope: cst.CSTNode) -> bool:
    """Some ``raise ...TrialPruned`` lies in ``scope`` (nested functions included)."""
    for node in walk(scope):
        if isinstance(node, cst.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
            if (dotted_name(exc) or "").rsplit(".", 1)[-1] == "TrialPruned":
                return True
    return False


def flag_is_read(ctx: RuleContext, scope: cst.CSTNode, target: cst.BaseExpression) -> bool:
    """The flag is read somewhere in ``scope`` (``while not stop``, ``if cb.pruned``)."""
    name = flag_name(target)
    written = _written_ids(scope)
    for node in walk(scope):
        if id(node) in written or not is_reference(ctx, node):
            continue
        if isinstance(target, cst.Attribute) and isinstance(node, cst.Attribute) and node.attr.value == name:
            return True
        if isinstance(target, cst.Name) and isinstance(node, cst.Name) and node.value == name:
            return True
    return False


def _written_ids(scope: cst.CSTNode) -> Set[int]:
    """Assignment targets, declarations and definitions: places a name is not read."""
    out: Set[int] = set()
    for node in walk(scope):
        targets: List[cst.CSTNode] = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, (cst.Nonlocal, cst.Global)):
            targets = [item.name for item in node.names]
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            targets = [node.name]
        elif isinstance(node, cst.Param):
            targets = [node.name]
        out.update(id(t) for t in targets)
    return out


def is_reference(ctx: RuleContext, node: cst.CSTNode) -> bool:
    """A name read as a variable: not an attribute's name, a keyword or an import."""
    if not isinstance(node, cst.Name):
        return isinstance(node, cst.Attribute)
    parent = ctx.parent(node)
    if isinstance(parent, cst.Attribute) and parent.attr is node:
        return False
    if isinstance(parent, cst.Arg) and parent.keyword is node:
        return False
    return not isinstance(parent, (cst.ImportAlias, cst.AsName))


# ---------------------------------------------------------------------------
# a helper that answers True to its caller


def answer_sites(ctx: RuleContext, branch: cst.If, is_should_prune) -> Optional[List[cst.If]]:
    """The caller branches that act on ``return True`` from ``branch``'s function.

    None unless every use of the function in its consumer scope is visible and
    is a direct ``if helper(...):``, nothing in that scope raises TrialPruned,
    and the function answers True only when ``should_prune()`` is true (else
    True means more).
    """
    helper = next((a for a in ctx.ancestors(branch) if isinstance(a, cst.FunctionDef)), None)
    if helper is None or not _true_only_when_pruned(ctx, helper, is_should_prune):
        return None
    scopes = consumer_scopes(ctx, branch)
    if len(scopes) != 1 or raises_pruned_in(scopes[0]):
        return None  # the caller is not visible, or raises somewhere (after the loop, say)
    scope = scopes[0]
    name = helper.name.value
    written = _written_ids(scope)
    sites: List[cst.If] = []
    for node in walk(scope):
        if id(node) in written or not is_reference(ctx, node):
            continue
        named = (isinstance(node, cst.Name) and node.value == name) or (isinstance(node, cst.Attribute) and node.attr.value == name)
        if not named or _inside_attribute_value(ctx, node):
            continue
        call = ctx.parent(node)
        if not isinstance(call, cst.Call) or call.func is not node:
            return None  # passed on as a value: its caller is not visible
        site = ctx.parent(call)
        if not isinstance(site, cst.If) or site.test is not call:
            return None
        if any(isinstance(n, cst.Raise) for n in walk(site.body)) or not _ends(site):
            return None
        sites.append(site)
    return sites or None


def _inside_attribute_value(ctx: RuleContext, node: cst.CSTNode) -> bool:
    """``helper`` in ``helper.attr``: the name is read, not called."""
    parent = ctx.parent(node)
    return isinstance(node, cst.Name) and isinstance(parent, cst.Attribute) and parent.value is node


def _true_only_when_pruned(ctx: RuleContext, helper: cst.FunctionDef, is_should_prune) -> bool:
    found = False
    for node in walk(helper.body, into_defs=False):
        if isinstance(node, cst.Return) and isinstance(node.value, cst.Name) and node.value.value == "True":
            found = True
            guard = next((a for a in ctx.ancestors(node) if isinstance(a, cst.If)), None)
            if guard is None or not is_should_prune(guard.test):
                return False
    return found


def _ends(site: cst.If) -> Optional[cst.BaseSmallStatement]:
    return branch_ender(site)[0]


def branch_ender(node: cst.If) -> Tuple[Optional[cst.BaseSmallStatement], List[cst.BaseSmallStatement]]:
    """The last return/break/continue/pass of a branch's own lines, and those lines."""
    statements: List[cst.BaseSmallStatement] = []
    body = node.body
    if isinstance(body, cst.SimpleStatementSuite):
        statements = list(body.body)
    elif isinstance(body, cst.IndentedBlock):
        for stmt in body.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                statements.extend(stmt.body)
    enders = [s for s in statements if isinstance(s, (cst.Return, cst.Break, cst.Continue, cst.Pass))]
    return (enders[-1] if enders else None), statements
