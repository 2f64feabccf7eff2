"""HPL703: a transformer fitted on the data a cross-validated search then splits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set

from hplint.core.registry import register
from hplint.core.rule import Example, Rule
from hplint.prefilter.triggers import Calls
from hplint.reading.calls import arg_value, has_star_args, in_test_function, method_name, target_names
from hplint.reading.tree import descendants
from hplint.rules.objective.facts import FAMILY, line_of

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst

# transformers that learn statistics of the rows they are fitted on (a vocabulary counts as
# one; stateless ones, such as PolynomialFeatures, Normalizer or HashingVectorizer, leak nothing
# and are left out)
FITTED = frozenset(
    {
        "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "QuantileTransformer",
        "PowerTransformer", "SimpleImputer", "KNNImputer", "IterativeImputer", "PCA", "TruncatedSVD",
        "KernelPCA", "SelectKBest", "SelectPercentile", "SelectFromModel", "RFE", "RFECV",
        "TfidfVectorizer", "CountVectorizer", "SMOTE", "ADASYN", "BorderlineSMOTE", "RandomOverSampler", "SMOTENC",
    }
)
FITTING = ("fit_transform", "fit_resample")
CV_FUNCTIONS = frozenset({"cross_val_score", "cross_validate", "cross_val_predict"})
CV_SEARCHES = frozenset(
    {
        "GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV",
        "BayesSearchCV", "OptunaSearchCV", "TuneSearchCV", "TuneGridSearchCV",
    }
)
# a report needs a fitting call and a cross-validated search or CV function
TRIGGER = Calls(*FITTING, "transform") & Calls(*(CV_FUNCTIONS | CV_SEARCHES))


@dataclass(frozen=True)
class Fitted:
    """Data made by a transformer fitted on the rows it came from."""

    call: cst.Call  # the fitting call (``StandardScaler().fit_transform(X)``)
    kind: str  # ``StandardScaler``


def _last(name: Optional[str]) -> str:
    return (name or "").rsplit(".", 1)[-1]


def _names_in(expr: cst.CSTNode) -> Set[str]:
    found = {n.value for n in descendants(expr) if isinstance(n, cst.Name)}
    if isinstance(expr, cst.Name):
        found.add(expr.value)
    return found


def _scope_statements(body: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Assignments and calls of one scope in source order (nested functions and classes left out)."""
    for node in descendants(body, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        if isinstance(node, (cst.Assign, cst.Expr, cst.Return)):
            yield node


@register
class PreprocessingBeforeCV(Rule):
    code = "HPL703"
    name = "preprocessing-before-cv-search"
    family = FAMILY
    summary = "A transformer is fitted on the data a cross-validated search then splits"
    why = (
        "Cross-validation scores a configuration on folds the model has not seen. A scaler, imputer, "
        "PCA, feature selector, TF-IDF or count vectorizer (its vocabulary) or oversampler (SMOTE) fitted on the whole data "
        "before `GridSearchCV(...).fit(X, y)` or `cross_val_score(model, X, y)` has seen every "
        "validation fold: its statistics (means, variances, selected features, synthetic samples "
        "built from validation rows) leak into the scores the search compares, so they are "
        "optimistic, and with feature selection or oversampling the leak can pick the wrong "
        "configuration (scikit-learn's 'common pitfalls' guide). Reported: data made by "
        "`fit_transform`/`fit_resample` (or `fit` then `transform` of the same data) of such a "
        "transformer, followed through this scope's assignments, then given to a CV search's `fit` "
        "or to `cross_val_score`/`cross_validate`/`cross_val_predict` (also inside an objective "
        "that reads it). Not reported: stateless transformers (PolynomialFeatures, Normalizer), a "
        "`Pipeline` that fits the transformer inside the search, code in `test_*` functions. Off by default: fitting on the "
        "training split before a search is common and its leak is often small."
    )
    default_enabled = False
    trigger = TRIGGER
    bad_examples = (
        Example(
            """
            from sklearn.model_selection import GridSearchCV
            from sklearn.preprocessing import StandardScaler
            from sklearn.svm import SVC

            X_scaled = StandardScaler().fit_transform(X)
            search = GridSearchCV(SVC(), {"C": [0.1, 1, 10]}, cv=5)
            search.fit(X_scaled, y)
            """,
            note="Every fold's validation rows shaped the scaler's mean and variance.",
        ),
    )
    good_examples = (
        Example(
            """
            from sklearn.model_selection import GridSearchCV
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler
            from sklearn.svm import SVC

            search = GridSearchCV(make_pipeline(StandardScaler(), SVC()), {"svc__C": [0.1, 1, 10]}, cv=5)
            search.fit(X, y)
            """,
            note="The pipeline fits the scaler on each training fold only.",
        ),
    )

    def leave_Module(self, original_node: cst.Module) -> None:
        self._reported: Set[int] = set()
        self._searches: Dict[str, List[cst.BaseExpression]] = {}
        module_marks = self._walk(original_node, {}, {})
        for node in descendants(original_node):
            if isinstance(node, cst.FunctionDef):
                local = {n for s in _scope_statements(node.body) if isinstance(s, cst.Assign) for t in s.targets for n in target_names(t.target)}
                params = {p.name.value for p in list(node.params.params) + list(node.params.kwonly_params) + list(node.params.posonly_params)}
                inherited = {k: v for k, v in module_marks.items() if k not in local and k not in params}
                self._walk(node.body, inherited, {})

    # -- one scope ------------------------------------------------------------
    def _walk(self, body: cst.CSTNode, marks: Dict[str, Fitted], transformers: Dict[str, cst.Call]) -> Dict[str, Fitted]:
        """Follow one scope's statements: mark the data fitted transformers make, report CV over it."""
        marks = dict(marks)
        fitted_on: Dict[str, str] = {}  # transformer name -> code of the data it was fitted on
        for stmt in _scope_statements(body):
            value = stmt.value
            if value is None:
                continue
            for call in [n for n in [value, *descendants(value)] if isinstance(n, cst.Call)]:
                self._check_cv(call, marks)
                name = method_name(call)
                if name == "fit" and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name) and call.args:
                    fitted_on[call.func.value.value] = self.ctx.code_for(call.args[0].value).strip()
            if not isinstance(stmt, cst.Assign):
                continue
            targets = [n for t in stmt.targets for n in target_names(t.target)]
            if isinstance(value, cst.Call) and self._transformer(value) is not None:
                for t in targets:
                    transformers[t] = value  # ``scaler = StandardScaler()``
                continue
            chained = value.func.value if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) else None
            if isinstance(chained, cst.Call) and method_name(value) == "fit" and self._transformer(chained) and value.args:
                for t in targets:  # ``scaler = StandardScaler().fit(X)``
                    transformers[t] = chained
                    fitted_on[t] = self.ctx.code_for(value.args[0].value).strip()
                continue
            made = self._fitted_data(value, transformers, fitted_on)
            if made is None:
                derived = [marks[n] for n in _names_in(value) if n in marks]
                made = derived[0] if derived else None
            for t in targets:
                if made is not None:
                    marks[t] = made
                else:
                    marks.pop(t, None)  # rebound to something else
            if isinstance(value, cst.Call) and _last(self.ctx.qualify(value.func) or method_name(value)) in CV_SEARCHES:
                for t in targets:
                    self._searches.setdefault(t, []).append(value)
        return marks

    def _transformer(self, call: cst.Call) -> Optional[str]:
        kind = _last(self.ctx.qualify(call.func) or method_name(call))
        return kind if kind in FITTED else None

    def _fitted_data(self, value: cst.BaseExpression, transformers: Dict[str, cst.Call], fitted_on: Dict[str, str]) -> Optional[Fitted]:
        """``T().fit_transform(X)``, ``t.fit_transform(X)``, ``t.fit(X)`` then ``t.transform(X)``."""
        if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute) or not value.args:
            return None
        name, owner = value.func.attr.value, value.func.value
        kind = None
        if isinstance(owner, cst.Call):
            kind = self._transformer(owner)
        elif isinstance(owner, cst.Name) and owner.value in transformers:
            kind = self._transformer(transformers[owner.value])
        if kind is None:
            return None
        if name in FITTING:
            return Fitted(value, kind)
        if name == "transform" and isinstance(owner, cst.Name):
            data = self.ctx.code_for(value.args[0].value).strip()
            if fitted_on.get(owner.value) == data:
                return Fitted(value, kind)
        return None

    # -- the cross-validation -------------------------------------------------
    def _check_cv(self, call: cst.Call, marks: Dict[str, Fitted]) -> None:
        if id(call) in self._reported or has_star_args(call) or not marks or in_test_function(self.ctx, call):
            return  # a unit test's fixture data is not a tuning workflow
        name = method_name(call)
        data: Optional[cst.BaseExpression] = None
        if _last(self.ctx.qualify(call.func) or name) in CV_FUNCTIONS:
            data = arg_value(call, 1, "X")
            label = f"`{self.ctx.code_for(call.func).strip()}(...)`"
        elif name == "fit" and isinstance(call.func, cst.Attribute) and self._is_search(call.func.value):
            data = arg_value(call, 0, "X")
            owner = call.func.value
            head = f"{self.ctx.code_for(owner.func).strip()}(...)" if isinstance(owner, cst.Call) else self.ctx.code_for(owner).strip()
            label = f"`{head}.fit(...)`"
        if data is None:
            return
        used = [n for n in _names_in(data) if n in marks]
        if not used:
            return
        fitted = marks[used[0]]
        self._reported.add(id(call))
        self.report(
            call,
            f"`{fitted.kind}` (`{self.ctx.code_for(fitted.call.func).strip()}(...)`, {line_of(self.ctx, fitted.call)}) was fitted "
            f"on the rows that {label} then splits into folds (through `{used[0]}`): every validation fold "
            "shaped what it learned, so the search compares optimistic scores; put it in a `Pipeline` with the "
            "model and search over the pipeline",
        )

    def _is_search(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Call):
            return _last(self.ctx.qualify(expr.func) or method_name(expr)) in CV_SEARCHES
        if isinstance(expr, cst.Name):
            made = self._searches.get(expr.value, [])
            return bool(made)
        return False
