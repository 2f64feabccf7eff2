"""Hand-written searches that keep the configuration with the best test score.

No library runs these: a loop tries one value per pass (``for k in range(1, 30):
KNeighborsClassifier(n_neighbors=k)``), scores each on the test data and keeps
the best (``if acc > best_acc: best_k = k``, or ``scores.append(acc)`` then
``ks[np.argmax(scores)]``).  HPL702 reports them as it reports an objective
scored on the test set.  A loop is a search when its variable is a
hyperparameter by name or is handed to a call as a keyword (``n_neighbors=k``,
``**params``); loops over seeds, folds, epochs or models are not.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set

from hplint.reading.calls import method_name, target_names
from hplint.reading.metrics import is_test_data_name
from hplint.reading.tree import descendants
from hplint.reading.vocabulary import name_tokens
from hplint.rules.objective.facts import scope_nodes
from hplint.rules.strategy.axes import excluded_loop_name, hyperparameter_name

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# words of a name that holds the best score so far (``best_acc``, ``highest_auc``); ``max_``
# and ``min_`` are left out: they name limits (``max_iter``) as often as records
SELECTING_WORDS = frozenset({"best", "highest", "lowest", "optimal", "bestscore", "bestacc"})
# calls that pick the best of the scores a loop collected
PICKING_CALLS = frozenset({"argmax", "argmin", "nanargmax", "nanargmin", "idxmax", "idxmin"})
# what the text of a file with such a search shows: a best-so-far name or a pick
SELECTION_MARKS = ("best", "highest", "lowest", "optimal", "argmax", "argmin", "idxmax", "idxmin")


@dataclass
class TestSelection:
    """A loop over ``variable`` that selects on the test data read at ``ref``."""

    loop: cst.For
    variable: str
    ref: cst.CSTNode
    data: str


def test_selections(ctx, skip: Set[int]) -> Iterator[TestSelection]:
    """Each hand-written search of the module that keeps its best test score (loops inside
    the functions whose ids are in ``skip``, objectives read by HPL702's own path, left out)."""
    vocabulary = ctx.vocabulary
    for loop in descendants(ctx.module):
        if not isinstance(loop, cst.For):
            continue
        variables = target_names(loop.target)
        body = list(scope_nodes(loop.body))
        searched = _searched(variables, body, vocabulary)
        if searched is None:
            continue
        own = {n for node in body if isinstance(node, cst.Assign) for t in node.targets for n in target_names(t.target)}
        own -= _wrappers(body, own)  # ``test_dl = DataLoader(test_data)`` in the loop is still the test set
        scored = {k: v for k, v in _scored(body).items() if v[1] not in own}  # a split made in the loop: validation data
        found = next(((ref, data) for name, (ref, data) in scored.items() if _compared_to_best(body, name)), None)
        found = found or _collected_and_picked(ctx, loop, body, scored, own)
        if found is not None and not any(id(a) in skip for a in ctx.ancestors(loop)):
            yield TestSelection(loop, searched, found[0], found[1])


def _searched(variables: List[str], body: List[cst.CSTNode], vocabulary) -> Optional[str]:
    """The loop variable that is a tried hyperparameter value, or None."""
    for name in variables:
        if excluded_loop_name(name, vocabulary) or name.startswith("_"):
            continue
        if hyperparameter_name(name, vocabulary):
            return name
        for node in body:
            if isinstance(node, cst.Arg) and isinstance(node.value, cst.Name) and node.value.value == name:
                if node.keyword is not None or node.star == "**":
                    return name  # n_neighbors=k, **params
            if _names_configuration(node, name):
                return name  # params = dict(zip(keys, combo))
    return None


def _wrappers(body: List[cst.CSTNode], own: Set[str]) -> Set[str]:
    """Test-named names the loop binds from test data it did not make itself
    (``test_loader = DataLoader(test_data)``): the test set, wrapped, not a split of the loop's."""
    found = set()
    for node in body:
        if not isinstance(node, cst.Assign):
            continue
        reads = [n.value for n in [node.value, *descendants(node.value)] if isinstance(n, cst.Name) and is_test_data_name(n.value)]
        if reads and all(r not in own for r in reads):
            found |= {n for t in node.targets for n in target_names(t.target) if is_test_data_name(n)}
    return found


def _names_configuration(node: cst.CSTNode, name: str) -> bool:
    """``dict(zip(keys, combo))``: the loop variable is a combination of hyperparameter values."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Name) or node.func.value != "dict" or len(node.args) != 1:
        return False
    inner = node.args[0].value
    return (
        isinstance(inner, cst.Call) and isinstance(inner.func, cst.Name) and inner.func.value == "zip"
        and any(isinstance(a.value, cst.Name) and a.value.value == name for a in inner.args)
    )


def _test_ref(expr: cst.CSTNode) -> Optional[cst.CSTNode]:
    """A test-named name or attribute an argument reads (``X_test``, ``data.y_test``)."""
    for node in [expr, *descendants(expr)]:
        if isinstance(node, cst.Name) and is_test_data_name(node.value):
            return node
        if isinstance(node, cst.Attribute) and is_test_data_name(node.attr.value):
            return node
    return None


def _scored(body: List[cst.CSTNode]) -> Dict[str, tuple]:
    """Names the loop binds from a call given test data, directly or through names it bound
    so (``pred = model.predict(X_test)``, ``acc = accuracy_score(y_true, pred)``): name -> (ref, data)."""
    found: Dict[str, tuple] = {}
    assigns = [n for n in body if isinstance(n, cst.Assign)]
    for _ in range(3):
        for assign in assigns:
            ref = None
            for call in [n for n in [assign.value, *descendants(assign.value)] if isinstance(n, cst.Call)]:
                for arg in call.args:
                    ref = _test_ref(arg.value)
                    if ref is None:
                        held = [n.value for n in [arg.value, *descendants(arg.value)] if isinstance(n, cst.Name) and n.value in found]
                        ref = found[held[0]][0] if held else None
                    if ref is not None:
                        break
                if ref is not None:
                    break
            if ref is None and isinstance(assign.value, cst.Name) and assign.value.value in found:
                ref = found[assign.value.value][0]  # ``val_loss = current_val_loss``: the same score
            if ref is None:
                continue
            data = ref.value if isinstance(ref, cst.Name) else ref.attr.value  # type: ignore[attr-defined]
            for target in assign.targets:
                for name in target_names(target.target):
                    if not is_test_data_name(name):  # a transformed copy of the data is data, not a score
                        found.setdefault(name, (ref, data))
    return found


def _selecting(name: str) -> bool:
    return bool(name_tokens(name) & SELECTING_WORDS)


def _compared_to_best(body: List[cst.CSTNode], score: Optional[str]) -> bool:
    """``if acc > best_acc:`` that keeps something: the score (any, for None) against a best-so-far name."""
    for node in body:
        if not isinstance(node, cst.If) or not isinstance(node.test, cst.Comparison):
            continue
        sides = [node.test.left, *(c.comparator for c in node.test.comparisons)]
        names = [s.value for s in sides if isinstance(s, cst.Name)]
        if (score is None or score in names) and any(_selecting(n) for n in names if n != score):
            return any(isinstance(n, (cst.Assign, cst.AugAssign)) for n in descendants(node.body))
    return False


def keeps_best(body: List[cst.CSTNode]) -> bool:
    """The nodes hold a best-so-far comparison that keeps a value: a search selecting, not a probe."""
    return _compared_to_best(body, None)


def _collected_and_picked(ctx, loop: cst.For, body: List[cst.CSTNode], scored: Dict[str, tuple], own: Set[str]) -> Optional[tuple]:
    """``scores.append(acc)`` (or ``scores.append(model.score(X_test, y_test))``) in the loop,
    and a pick of the best of ``scores`` after it: (ref, data) of the test data, or None."""
    lists: Dict[str, tuple] = {}
    for node in body:
        if isinstance(node, cst.Call) and method_name(node) == "append" and isinstance(node.func, cst.Attribute) \
                and isinstance(node.func.value, cst.Name) and len(node.args) == 1:
            value = node.args[0].value
            ref = _test_ref(value)
            data = (ref.value if isinstance(ref, cst.Name) else ref.attr.value) if ref is not None else None  # type: ignore[attr-defined]
            if ref is not None and data not in own:  # a split made in the loop: validation data
                lists[node.func.value.value] = (ref, data)
            elif isinstance(value, cst.Name) and value.value in scored:
                lists[node.func.value.value] = scored[value.value]
    if not lists:
        return None
    for statement in _following(ctx, loop):
        for node in [statement, *descendants(statement)]:
            if isinstance(node, (cst.Assign, cst.AnnAssign, cst.Return)) and node.value is not None:
                picks = [n for n in descendants(node.value) if isinstance(n, cst.Call) and (method_name(n) or "") in PICKING_CALLS]
            else:
                continue  # a pick only printed or plotted is a look, not a choice the code makes
            for pick in picks:
                read = [n.value for n in descendants(pick) if isinstance(n, cst.Name) and n.value in lists]
                if read:
                    return lists[read[0]]
    return None


def _following(ctx, loop: cst.For) -> List[cst.CSTNode]:
    """The statements after the loop in its own block."""
    block = ctx.parent(loop)
    statements = list(getattr(block, "body", ()) or ())
    at = next((i for i, statement in enumerate(statements) if statement is loop), None)
    return statements[at + 1:] if at is not None else []


# -- the prefilter's reading ------------------------------------------------------


def ast_selects_on_test(loop: ast.AST, index) -> bool:
    """``test_selections`` on the ``ast``, a superset: a loop whose body calls something with
    test data, and compares with a best-so-far name or appends to a list the file picks from."""
    reads_test = compares = appends = False
    for node in ast.walk(loop):
        if isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if any(isinstance(n, ast.Name) and is_test_data_name(n.id) or isinstance(n, ast.Attribute) and is_test_data_name(n.attr) for n in ast.walk(arg)):
                    reads_test = True
            if isinstance(node.func, ast.Attribute) and node.func.attr == "append":
                appends = True
        elif isinstance(node, ast.Compare):
            compares = compares or any(isinstance(n, ast.Name) and _selecting(n.id) for n in ast.walk(node))
    if not reads_test:
        return False
    if compares:
        return True
    return appends and any(
        (n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")) in PICKING_CALLS for n in index.of(ast.Call)
    )
