"""What a metric's name says about its direction, and which names hold test data.

A search must be told whether its objective is to be maximized or minimized;
the only evidence a linter has is the name of the metric (``val_accuracy``,
``rmse``), the scikit-learn function that computes it, or the scorer string.
These words are read once here for every rule that needs them. A name with
words of both kinds, or a word that flips the sign (``neg``), says nothing.
"""

from __future__ import annotations

import re
from typing import FrozenSet, Optional

from hplint.reading.vocabulary import normalize, tokens

HIGHER = "higher"  # higher is better: maximize
LOWER = "lower"  # lower is better: minimize

HIGHER_WORDS: FrozenSet[str] = frozenset(
    {
        "acc", "accuracy", "accuracies", "auc", "roc", "rocauc", "auroc", "auprc", "f1", "f1score", "fscore", "r2",
        "precision", "recall", "iou", "miou", "dice", "bleu", "rouge", "ndcg", "mcc", "kappa", "correct",
        "reward", "rewards", "sharpe", "top1", "top5",
    }
)
LOWER_WORDS: FrozenSet[str] = frozenset(
    {
        "loss", "losses", "error", "errors", "err", "mse", "rmse", "mae", "mape", "smape", "rmsle", "msle",
        "logloss", "nll", "perplexity", "ppl", "wer", "cer", "regret", "deviance",
    }
)
# words that turn the value around or make its meaning unclear
FLIP_WORDS: FrozenSet[str] = frozenset({"neg", "negative", "minus", "inv", "inverse", "one", "delta", "diff", "gap", "improvement", "std", "var"})

# scikit-learn metric functions by the direction of their value
HIGHER_FUNCTIONS: FrozenSet[str] = frozenset(
    {
        "accuracy_score", "balanced_accuracy_score", "roc_auc_score", "f1_score", "fbeta_score", "r2_score",
        "precision_score", "recall_score", "average_precision_score", "matthews_corrcoef", "jaccard_score",
        "top_k_accuracy_score", "explained_variance_score", "ndcg_score", "cohen_kappa_score",
    }
)
LOWER_FUNCTIONS: FrozenSet[str] = frozenset(
    {
        "mean_squared_error", "root_mean_squared_error", "mean_absolute_error", "median_absolute_error",
        "mean_absolute_percentage_error", "mean_squared_log_error", "root_mean_squared_log_error", "log_loss",
        "hinge_loss", "brier_score_loss", "zero_one_loss", "hamming_loss", "mean_pinball_loss",
        "mean_poisson_deviance", "mean_gamma_deviance", "mean_tweedie_deviance", "max_error",
    }
)
# scikit-learn's cross-validation helpers: every scorer they use is higher-is-better
# (losses are negated: ``neg_mean_squared_error``), and the default is the estimator's score
CV_SCORERS: FrozenSet[str] = frozenset({"cross_val_score"})


def flipped(direction: Optional[str]) -> Optional[str]:
    if direction is None:
        return None
    return LOWER if direction == HIGHER else HIGHER


def name_direction(name: str) -> Optional[str]:
    """``val_accuracy`` -> higher, ``rmse`` -> lower, ``score``/``neg_mse``/``acc_loss`` -> None."""
    words = set(tokens(normalize(name)))
    if not words or words & FLIP_WORDS:
        return None
    higher, lower = bool(words & HIGHER_WORDS), bool(words & LOWER_WORDS)
    if higher == lower:
        return None
    return HIGHER if higher else LOWER


def function_direction(name: str) -> Optional[str]:
    """A scikit-learn metric function's direction by its name."""
    if name in HIGHER_FUNCTIONS:
        return HIGHER
    if name in LOWER_FUNCTIONS:
        return LOWER
    return None


# ---------------------------------------------------------------------------
# test data

TEST_WORDS: FrozenSet[str] = frozenset({"test", "testing", "testset", "testloader", "testdata", "xtest", "ytest", "testx", "testy", "dtest"})  # dtest: XGBoost's DMatrix of the test split
# words that make a test-named value a setting, a count or a split rule, not data
NOT_DATA_WORDS: FrozenSet[str] = frozenset(
    {
        "size", "sizes", "batch", "ratio", "frac", "fraction", "pct", "percent", "n", "num", "count", "steps", "step",
        "freq", "frequency", "interval", "every", "split", "splits", "mode", "time", "seed", "only", "bs", "fn", "func",
        "case", "cases", "path", "dir", "file", "files", "name", "url", "transform", "transforms", "kwargs", "args",
        "val", "valid", "validation", "dev", "acc", "accuracy", "loss", "score", "scores", "metric", "metrics", "result",
        "results", "pred", "preds", "prediction", "predictions", "error", "auc", "f1", "r2", "mse", "rmse", "mae",
        "is", "do", "use", "flag", "enable", "skip", "with", "run", "id", "ids",
        "fold", "folds",  # ``test_fold``: a cross-validation fold (or its number), not the test set
        "mean", "std", "logloss", "nll",  # ``scores["test-Logloss-mean"]``: a cross-validation summary
        # what a model makes of the test set, not the set: ``test_losses``, ``test_coef``
        "losses", "errors", "accs", "accuracies", "coef", "corr", "perplexity", "ppl", "bleu", "iou", "dice", "mape",
    }
)
TEST_MARK = re.compile(r"test", re.IGNORECASE)


def is_test_data_name(name: str) -> bool:
    """``X_test``, ``test_loader``, ``df_test``, ``testset``: data held out for the final test.

    ``test_size``, ``test_acc``, ``train_test_split`` and ``X_val_test`` are not."""
    words = set(tokens(normalize(name)))
    return bool(words & TEST_WORDS) and not words & NOT_DATA_WORDS


# a metric logged for another split, or a summary that is not the test set's
NOT_TEST_METRIC_WORDS: FrozenSet[str] = frozenset(
    {"val", "valid", "validation", "dev", "train", "training", "cv", "fold", "folds", "oof", "mean", "std", "rank", "split"}
)  # ``mean_test_score``: scikit-learn's cross-validation summary


_GLUED_TEST_METRIC = re.compile(r"test(?:loss|acc|accuracy|error|err|f1|auc|mse|mae|rmse|r2|score|ppl|perplexity)\d*")


def is_test_metric_name(name: str) -> bool:
    """``test/f1``, ``test_acc``, ``test-loss``: a metric computed on the test set
    (a search that optimizes it selects on the test set); ``val/f1`` and ``cv_test_score`` are not."""
    words = set(tokens(normalize(re.sub(r"[/.\-]", "_", name))))
    glued = any(_GLUED_TEST_METRIC.fullmatch(w) for w in words)  # ``testloss``, ``testacc1``
    return bool(words & {"test", "testing"} or glued) and not words & NOT_TEST_METRIC_WORDS


def test_marks(text: str, lowered: str) -> bool:
    """What the text of every name ``is_test_data_name`` accepts shows."""
    return "test" in lowered
