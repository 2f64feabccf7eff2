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
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set, Tuple

from hplint.reading.calls import dict_call_items, dict_items, method_name, string_value, target_names
from hplint.reading.metrics import is_test_data_name, is_test_metric_name
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
    """A loop over ``variable`` that selects on the test data read at ``ref`` (``metric``:
    on the test metric named at ``ref``, the key a pick reads: ``r["test_mae"]``)."""

    loop: cst.For
    variable: str
    ref: cst.CSTNode
    data: str
    metric: bool = False


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
        found = found or _collected_and_picked(ctx, loop, body, scored, own) or keyed_pick(ctx, loop, body, scored, own)
        if found is not None and not any(id(a) in skip for a in ctx.ancestors(loop)):
            yield TestSelection(loop, searched, *found)


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
                picks = [n for n in descendants(node.value) if isinstance(n, cst.Call) and ((method_name(n) or "") in PICKING_CALLS or _index_of_extreme(n))]
            else:
                continue  # a pick only printed or plotted is a look, not a choice the code makes
            for pick in picks:
                read = [n.value for n in descendants(pick) if isinstance(n, cst.Name) and n.value in lists]
                if read:
                    return lists[read[0]]
    return None


def _index_of_extreme(call: cst.Call) -> bool:
    """``scores.index(max(scores))``: the position of the best score, as ``argmax`` gives it."""
    if method_name(call) != "index" or not isinstance(call.func, cst.Attribute) or len(call.args) != 1:
        return False
    inner = call.args[0].value
    return isinstance(inner, cst.Call) and isinstance(inner.func, cst.Name) and inner.func.value in ("max", "min")


def _following(ctx, loop: cst.For) -> List[cst.CSTNode]:
    """The statements after the loop in its own block."""
    block = ctx.parent(loop)
    statements = list(getattr(block, "body", ()) or ())
    at = next((i for i, statement in enumerate(statements) if statement is loop), None)
    return statements[at + 1:] if at is not None else []


# -- the best of collected results, picked by a key --------------------------------
# ``min(results, key=lambda r: r["test_mae"])``, ``sorted(runs, key=...)[0]``,
# ``max(scores, key=scores.get)``, ``frame.sort_values("test_mae").iloc[0]``,
# ``frame["test_rmse"].idxmin()``: one configuration taken from what the loop collected

KEYED_BUILTINS = frozenset({"min", "max"})
# what a sorted table is read by when one row is taken from it
TAKING_ATTRIBUTES = frozenset({"iloc", "index", "head", "tail"})
FRAME_SORTS = frozenset({"sort_values", "nsmallest", "nlargest"})
FRAME_MAKERS = frozenset({"DataFrame", "from_records", "from_dict", "json_normalize"})
# a key of another split's score: ``val_mae`` (a pick by it is the search's choice)
VALIDATION_TOKENS = frozenset({"val", "valid", "validation", "dev", "cv", "oof", "xval"})
VALUE = "value"  # the selector of a dict's stored value: ``key=scores.get``
# a test-set key that measures a cost, not a score: ``test_time``, ``n_test_samples``
COST_TOKENS = frozenset({"time", "seconds", "secs", "sec", "duration", "latency", "speed", "memory", "mem", "size", "samples", "count", "n", "num", "len", "length", "rows"})


@dataclass
class _Pick:
    """A pick of one of the collected results: which collection, by what (a string key or
    column, a tuple position, the stored value) and the node that names the key."""

    collection: str
    selector: object
    node: cst.CSTNode


def keyed_pick(ctx, loop: cst.For, body: List[cst.CSTNode], scored: Dict[str, tuple], own: Set[str]) -> Optional[tuple]:
    """A pick after the loop, into a name, of the result the loop collected with the best
    test score: (ref, data, metric) or None. A pick by a key that names a test metric is
    one (``metric``) unless the same results are also picked by a validation key: that pick
    is the choice, the test one a comparison."""
    collected, stored = _collected(body)
    if not collected:
        return None
    following = _following(ctx, loop)
    frames = _frames(following, collected, stored)
    picks = [pick for statement in following for node in [statement, *descendants(statement)]
             if isinstance(node, (cst.Assign, cst.AnnAssign, cst.Return)) and node.value is not None
             for pick in _picks(ctx, node.value, collected, stored, frames) if pick.selector != 0 or _into_best(node)]
    validated = {p.collection for p in picks if isinstance(p.selector, str) and name_tokens(p.selector) & VALIDATION_TOKENS}
    for pick in picks:
        if pick.collection in validated:
            continue  # ``best = min(runs, key=lambda r: r["val_mae"])`` chooses; a test pick beside it compares
        values = collected[pick.collection]
        elements = [e for e in (_element(v, pick.selector, body) for v in values) if e is not None]
        for element in elements:
            ref = _test_ref(element)
            data = (ref.value if isinstance(ref, cst.Name) else ref.attr.value) if ref is not None else None  # type: ignore[attr-defined]
            if ref is not None and data not in own:
                return ref, data, False
            if isinstance(element, cst.Name) and element.value in scored:
                return (*scored[element.value], False)
        if not (isinstance(pick.selector, str) and is_test_metric_name(pick.selector)) or name_tokens(pick.selector) & COST_TOKENS:
            continue
        if not any(ref is not None and (ref.value if isinstance(ref, cst.Name) else ref.attr.value) in own  # type: ignore[attr-defined]
                   for ref in map(_test_ref, elements)):  # the loop's own split, named test, is validation data
            return pick.node, pick.selector, True
    return None


def _into_best(node: cst.CSTNode) -> bool:
    """A pick with no key (``max(pairs)``) counts assigned to a best-so-far name (``best = max(pairs)``):
    what the text stage sees of it (``selection_text``)."""
    targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [getattr(node, "target", None)]
    names = [e.value for t in targets if isinstance(t, (cst.Tuple, cst.List)) for e in t.elements] + targets
    return any(isinstance(t, cst.Name) and _selecting(t.value) for t in names)


def _collected(body: List[cst.CSTNode]) -> Tuple[Dict[str, List[cst.BaseExpression]], Set[str]]:
    """What the loop collects, by name: ``results.append(row)``, and ``scores[k] = value`` (the
    names stored so, a dict of results: second)."""
    found: Dict[str, List[cst.BaseExpression]] = {}
    stored: Set[str] = set()
    for node in body:
        if isinstance(node, cst.Call) and method_name(node) == "append" and isinstance(node.func, cst.Attribute) \
                and isinstance(node.func.value, cst.Name) and len(node.args) == 1 and not node.args[0].star:
            found.setdefault(node.func.value.value, []).append(node.args[0].value)
        elif isinstance(node, cst.Assign) and len(node.targets) == 1:
            target = node.targets[0].target
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                found.setdefault(target.value.value, []).append(node.value)
                stored.add(target.value.value)
    return found, stored


def _frames(following: List[cst.CSTNode], collected: Dict[str, List[cst.BaseExpression]], stored: Set[str]) -> Dict[str, str]:
    """Tables made of the collected results after the loop (``frame = pd.DataFrame(rows)``): table -> results."""
    found: Dict[str, str] = {}
    for statement in following:
        for node in [statement, *descendants(statement)]:
            if not (isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name)):
                continue
            made = _frame_of(node.value, collected)
            if made is not None and made not in stored:
                found[node.targets[0].target.value] = made
    return found


def _frame_of(expr: cst.BaseExpression, collected: Dict[str, List[cst.BaseExpression]]) -> Optional[str]:
    """``pd.DataFrame(rows)``: the collected results a table is made of."""
    if not (isinstance(expr, cst.Call) and method_name(expr) in FRAME_MAKERS and expr.args):
        return None
    given = expr.args[0].value
    return given.value if isinstance(given, cst.Name) and given.value in collected else None


def _picks(
    ctx, value: cst.BaseExpression, collected: Dict[str, List[cst.BaseExpression]], stored: Set[str], frames: Dict[str, str]
) -> Iterator[_Pick]:
    """The picks of one result an assigned or returned value makes (of a dict of results, only
    by its values: ``max(scores, key=scores.get)``)."""
    for node in [value, *descendants(value)]:
        if not isinstance(node, cst.Call):
            continue
        name = method_name(node)
        if isinstance(node.func, cst.Name) and (name in KEYED_BUILTINS or name == "sorted" and _taken(ctx, node)):
            yield from _builtin_pick(node, collected, stored)
        elif isinstance(node.func, cst.Attribute) and name in FRAME_SORTS and (name != "sort_values" or _taken(ctx, node)):
            table = _table(node.func.value, collected, stored, frames)
            column = _column_argument(node, 0 if name == "sort_values" else 1)
            if table is not None and column is not None:
                yield _Pick(table, string_value(column), column)
        elif isinstance(node.func, cst.Attribute) and name in PICKING_CALLS and not node.args:
            read = node.func.value  # ``frame["test_rmse"].idxmin()``
            if isinstance(read, cst.Subscript) and len(read.slice) == 1 and isinstance(read.slice[0].slice, cst.Index):
                key = read.slice[0].slice.value
                table = _table(read.value, collected, stored, frames)
                if table is not None and string_value(key) is not None:
                    yield _Pick(table, string_value(key), key)


def _builtin_pick(call: cst.Call, collected: Dict[str, List[cst.BaseExpression]], stored: Set[str]) -> Iterator[_Pick]:
    """``min(results, key=...)``: the results and what the key reads; ``max(scores, key=scores.get)``
    and ``max(scores.items(), key=lambda kv: kv[1])``: a dict's stored value."""
    positional = [a for a in call.args if a.keyword is None]
    key = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "key"), None)
    if len(positional) != 1 or positional[0].star:
        return
    given = positional[0].value
    items = isinstance(given, cst.Call) and method_name(given) == "items" and not given.args and isinstance(given.func, cst.Attribute)
    held = given.func.value if items else given  # type: ignore[union-attr]
    if not (isinstance(held, cst.Name) and held.value in collected) or key is None and items:
        return
    selector = _key_selector(key) if key is not None else None
    if held.value in stored:  # a dict of results, picked by its values (its own keys are the configurations)
        if isinstance(key, cst.Attribute) and key.attr.value == "get" and isinstance(key.value, cst.Name) and key.value.value == held.value:
            yield _Pick(held.value, VALUE, key)
        elif items and selector is not None and selector[0] == 1:
            yield _Pick(held.value, VALUE, selector[1])
    elif not items and key is None:
        if all(isinstance(v, cst.Tuple) for v in collected[held.value]):
            yield _Pick(held.value, 0, call)  # tuples compare by their first element
    elif not items and selector is not None:
        yield _Pick(held.value, *selector)


def _key_selector(key: cst.BaseExpression) -> Optional[tuple]:
    """``lambda r: r["test_mae"]`` / ``r.test_mae`` / ``itemgetter("test_mae")`` / ``lambda t: t[1]``:
    (string key or position, the node naming it)."""
    if isinstance(key, cst.Call) and method_name(key) in ("itemgetter", "attrgetter") and len(key.args) == 1:
        read = key.args[0].value
        text = string_value(read)
        if text is not None:
            return text, read
        return (int(read.value), read) if isinstance(read, cst.Integer) else None
    if not (isinstance(key, cst.Lambda) and len(key.params.params) == 1):
        return None
    param, body = key.params.params[0].name.value, key.body
    if isinstance(body, cst.Attribute) and isinstance(body.value, cst.Name) and body.value.value == param:
        return body.attr.value, body.attr
    if isinstance(body, cst.Subscript) and isinstance(body.value, cst.Name) and body.value.value == param \
            and len(body.slice) == 1 and isinstance(body.slice[0].slice, cst.Index):
        read = body.slice[0].slice.value
        text = string_value(read)
        if text is not None:
            return text, read
        return (int(read.value), read) if isinstance(read, cst.Integer) else None
    return None


def _taken(ctx, call: cst.Call) -> bool:
    """``sorted(...)[0]``, ``frame.sort_values(...).iloc[0]``: one row taken from the sorted results."""
    parent = ctx.parent(call)
    if isinstance(parent, cst.Subscript) and parent.value is call:
        return len(parent.slice) == 1 and isinstance(parent.slice[0].slice, cst.Index) \
            and isinstance(parent.slice[0].slice.value, (cst.Integer, cst.UnaryOperation))
    return isinstance(parent, cst.Attribute) and parent.value is call and parent.attr.value in TAKING_ATTRIBUTES


def _table(expr: cst.BaseExpression, collected: Dict[str, List[cst.BaseExpression]], stored: Set[str], frames: Dict[str, str]) -> Optional[str]:
    """The collected rows a table reads: a name of them, a table made of them, or made here."""
    if isinstance(expr, cst.Name):
        return expr.value if expr.value in collected and expr.value not in stored else frames.get(expr.value)
    made = _frame_of(expr, collected)
    return made if made not in stored else None


def _column_argument(call: cst.Call, position: int) -> Optional[cst.BaseExpression]:
    """``sort_values("test_mae")`` / ``by=["test_mae", "lr"]`` / ``nsmallest(1, "test_mae")``: the first column."""
    given = next((a.value for a in call.args if a.keyword is not None and a.keyword.value in ("by", "columns")), None)
    if given is None:
        positional = [a.value for a in call.args if a.keyword is None]
        given = positional[position] if len(positional) > position else None
    if isinstance(given, (cst.List, cst.Tuple)) and given.elements:
        given = given.elements[0].value
    return given if given is not None and string_value(given) is not None else None


def _element(value: cst.BaseExpression, selector: object, body: List[cst.CSTNode]) -> Optional[cst.BaseExpression]:
    """What a collected value holds under ``selector``, looking through one binding in the loop
    (``row = {...}; rows.append(row)``); None when not visible."""
    if selector == VALUE:
        return value
    if isinstance(value, cst.Name):
        bound = [n.value for n in body if isinstance(n, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == value.value for t in n.targets)]
        value = bound[0] if len(bound) == 1 else value
    if isinstance(selector, int) and isinstance(value, (cst.Tuple, cst.List)):
        elements = value.elements
        return elements[selector].value if -len(elements) <= selector < len(elements) and not any(isinstance(e, cst.StarredElement) for e in elements) else None
    if isinstance(selector, str):
        if isinstance(value, cst.Dict):
            return next((v for k, v, _ in dict_items(value) if k == selector), None)
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict":
            return next((v for k, v, _ in dict_call_items(value) if k == selector), None)
    return None


# -- the prefilter's reading ------------------------------------------------------


def ast_selects_on_test(loop: ast.AST, index) -> bool:
    """``test_selections`` on the ``ast``, a superset: a loop whose body reads test data, and
    compares with a best-so-far name, or collects (appends, stores by key) results the file
    picks from (``argmax``, ``min``/``max``/``sorted``, a table's ``sort_values``)."""
    reads_test = compares = False
    collected: Set[str] = set()  # what the loop appends to or stores into, by name
    for node in ast.walk(loop):
        if isinstance(node, ast.Call):
            reads_test = reads_test or any(_names_test_data(arg) for arg in [*node.args, *(k.value for k in node.keywords)])
            if isinstance(node.func, ast.Attribute) and node.func.attr == "append":
                collected.update(n.id for n in ast.walk(node.func.value) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets):
            reads_test = reads_test or _names_test_data(node.value)  # ``scores[k] = test_acc``
            collected.update(n.id for t in node.targets if isinstance(t, ast.Subscript) for n in ast.walk(t.value) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Compare):
            compares = compares or any(isinstance(n, ast.Name) and _selecting(n.id) for n in ast.walk(node))
    if not reads_test:
        return False
    return compares or bool(collected) and _ast_picks(index, collected)


def _ast_index_of_extreme(call: ast.AST) -> bool:
    args = getattr(call, "args", ())
    return (
        isinstance(getattr(call, "func", None), ast.Attribute) and len(args) == 1
        and isinstance(args[0], ast.Call) and getattr(args[0].func, "id", None) in ("max", "min")
    )


def _names_test_data(expr: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and is_test_data_name(n.id) or isinstance(n, ast.Attribute) and is_test_data_name(n.attr) for n in ast.walk(expr))


def _ast_picks(index, collected: Set[str]) -> bool:
    """What ``keyed_pick`` can read, on the ``ast``: a picking call or a table's sort, or a
    ``min``/``max``/``sorted`` of the ``collected`` results given a ``key=`` or assigned to a
    best-so-far name."""
    if any(name in index.calls for name in PICKING_CALLS | FRAME_SORTS):
        return True
    if any(_ast_index_of_extreme(call) for call in index.calls.get("index", ())):
        return True  # ``scores.index(max(scores))``
    builtins = KEYED_BUILTINS | {"sorted"}
    if any(
        any(k.arg == "key" for k in call.keywords) and any(isinstance(n, ast.Name) and n.id in collected for n in ast.walk(call))
        for name in builtins for call in index.calls.get(name, ())
    ):
        return True
    for node in [*index.nodes.get(ast.Assign, ()), *index.nodes.get(ast.AnnAssign, ())]:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        value = node.value
        if value is not None and any(_selecting(n) for n in names) and any(
            isinstance(c, ast.Call) and getattr(c.func, "id", None) in builtins for c in ast.walk(value)
        ):
            return True
    return False


# the text stages of ``ast_selects_on_test`` and ``ast_picks_by_test_metric``: what a file with such a
# pick shows (``argmax`` and ``idxmin`` are among ``SELECTION_MARKS``)
# (patterns that start with a literal: ``re`` searches those fast)
_KEY_ARGUMENT = re.compile(r"key\s*=")
_PICK_CALL = re.compile(r"(?:min|max|sorted)\s*\(")
_TABLE_PICK = re.compile(r"\.\s*(?:sort_values|nsmallest|nlargest)\s*\(")
_PICK_WORDS = ("sort_values", "nsmallest", "nlargest", "idxmin", "idxmax", "argmin", "argmax")
_INDEX_OF_EXTREME = re.compile(r"\.\s*index\s*\(\s*m(?:ax|in)\s*\(")


def selection_text(scan) -> bool:
    """A best-so-far word or a picking call (``argmax``, ``.index(max(...))``), a
    ``min``/``max``/``sorted`` call beside a ``key=`` argument, or a table's sort."""
    low, text = scan.lowered, scan.text
    if any(mark in low for mark in SELECTION_MARKS) or _TABLE_PICK.search(text) is not None:
        return True
    if ".index" in text and _INDEX_OF_EXTREME.search(text) is not None:
        return True
    return _KEY_ARGUMENT.search(text) is not None and _PICK_CALL.search(text) is not None


def pick_text(scan) -> bool:
    """A pick (a ``key=``, a table's sort, an ``idxmin``) and a test-named string or attribute."""
    text = scan.text
    if not (any(word in text for word in _PICK_WORDS) or _KEY_ARGUMENT.search(text) is not None):
        return False
    return _test_key_text(scan.lowered)


def _test_key_text(low: str) -> bool:
    """``test`` in a string (a quote before it on its line) or in an attribute's name (``r.test_mae``)."""
    at = low.find("test")
    while at >= 0:
        line = low[low.rfind("\n", 0, at) + 1 : at]
        if "'" in line or '"' in line or line.rstrip("abcdefghijklmnopqrstuvwxyz0123456789_").rstrip().endswith("."):
            return True
        at = low.find("test", at + 4)
    return False


def ast_picks_by_test_metric(call: ast.AST, index) -> bool:
    """``keyed_pick``'s picks by a key that names a test metric, on the ``ast``, a superset: a
    ``min``/``max``/``sorted`` whose ``key`` reads one, a table sorted or ``idxmin``-ed by one."""
    func = call.func  # type: ignore[attr-defined]
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in KEYED_BUILTINS or name == "sorted":
        read = [k.value for k in call.keywords if k.arg == "key"]  # type: ignore[attr-defined]
    elif name in FRAME_SORTS:
        read = [*call.args, *(k.value for k in call.keywords)]  # type: ignore[attr-defined]
    elif name in PICKING_CALLS and isinstance(func, ast.Attribute):
        read = [func.value]
    else:
        return False
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and is_test_metric_name(n.value)
        or isinstance(n, ast.Attribute) and is_test_metric_name(n.attr)
        for r in read for n in ast.walk(r)
    )
