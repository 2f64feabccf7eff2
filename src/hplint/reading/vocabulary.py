"""What a name means to a tuning expert: log-scale, batch size, or bounded.

Every rule asks this module, never a regex of its own, so a name is judged
the same way everywhere and users extend one list in config.

Short names that also mean something else (``alpha`` is plot transparency,
``C`` a constant, ``eps`` a tolerance) are *ambiguous*: they count as
hyperparameters only in a tuning context the caller establishes (a search
API argument, an estimator or optimizer keyword).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import FrozenSet, Iterable, List, Optional


class Scale(enum.Enum):
    LOG = "log"  # spans orders of magnitude: lr, weight decay, regularisation
    AMBIGUOUS_LOG = "ambiguous-log"  # log-scale only in a tuning context
    BATCH = "batch"
    LINEAR = "linear"  # bounded: dropout, momentum, fractions, mixing weights
    UNKNOWN = "unknown"


LOG_NAMES = frozenset(
    {
        "lr", "learning_rate", "learningrate", "eta", "base_lr", "init_lr", "initial_lr",
        "max_lr", "min_lr", "peak_lr", "learning_rate_init", "weight_decay", "weightdecay",
        "wd", "l1", "l2", "l1_reg", "l2_reg", "l1_penalty", "l2_penalty", "reg",
        "reg_lambda", "reg_alpha", "lambda_l1", "lambda_l2", "reg_strength", "reg_weight",
        "regularization", "regularisation", "regularizer", "regulariser",
        "regularization_strength", "regularization_scale", "reg_scale", "l2_lambda",
        "l1_lambda", "decay_rate_l2", "lr_rate", "eta0",
    }
) | frozenset({"lrate", "learn_rate", "learnrate"})
# Not here: ``min_child_weight``, a minimum sum of hessians per leaf (for squared error, the
# minimum number of samples in a leaf): count-like, searched linearly (1..10, 1..50) in most
# tuning guides and by every labeller of the real-code audits.
# learning-rate spellings without the ``lr`` token or ``learning`` + ``rate``
LR_SPELLINGS = frozenset({"lrate", "learn_rate", "learnrate", "eta", "eta0"})

AMBIGUOUS_NAMES = frozenset(
    {"alpha", "gamma", "c", "lambda", "lambda_", "lamda", "lam", "lmbda", "lambd", "eps", "epsilon", "tol"}
)

BATCH_NAMES = frozenset(
    {
        "batch_size", "batchsize", "bs", "batch", "train_batch_size", "mini_batch_size",
        "minibatch_size", "micro_batch_size", "per_device_train_batch_size", "global_batch_size",
        "batch_sz", "b_size", "bsize", "batch_sizes",
    }
)

LINEAR_NAMES = frozenset(
    {
        "dropout", "drop_rate", "drop_prob", "p_drop", "dropout_rate", "dropout_prob",
        "attention_dropout", "hidden_dropout", "momentum", "beta", "beta1", "beta2", "betas",
        "beta_1", "beta_2", "label_smoothing", "smoothing", "subsample", "colsample_bytree",
        "colsample_bylevel", "colsample_bynode", "feature_fraction", "bagging_fraction",
        "l1_ratio", "mixup_alpha", "cutmix_alpha", "ema_decay", "warmup_ratio", "max_features",
        "validation_fraction", "tau", "temperature",
        "nu",  # NuSVC / OneClassSVM: a bound on a fraction of the training points, in (0, 1]
    }
)

# Words that turn a learning-rate name into something that is not a
# learning-rate *value*: a schedule, a multiplier, a warm-up length.
LR_EXCLUDING_TOKENS = frozenset(
    {
        "schedule", "scheduler", "sched", "warmup", "decay", "mult", "multi", "multiplier",
        "factor", "ratio", "scale", "scaler", "step", "steps", "gamma", "patience", "finder",
        "find", "range", "plot", "history", "hist", "log", "curve", "cycle", "policy", "drop",
        "milestones", "epochs", "power", "lambda",
    }
)

# A name holding one of these words is a bounded share of something (``pct_lr_ramp``:
# the fraction of training spent ramping the learning rate), whatever else it holds.
LINEAR_TOKENS = frozenset(
    {
        "dropout", "momentum", "fraction", "frac", "ratio", "smoothing", "prob", "probability",
        "subsample", "pct", "percent", "percentage", "share", "proportion", "portion",
    }
)

# Optimizer words that prefix a hyperparameter name (``adam_epsilon``, ``sgd_lr``):
# the rest of the name says what it is.
OPTIMIZER_PREFIXES = frozenset(
    {"adam", "adamw", "sgd", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "lamb", "lion", "optimizer", "optim", "opt"}
)
# words that name where a value starts (a Bayesian optimizer's ``init_gamma``): the same parameter
STARTING_WORDS = frozenset({"init", "initial"})
# Short tokens that keep their meaning with a digit suffix (``lr0``, ``lr2``, ``wd1``):
# ``l2`` and ``beta1`` are names of their own, ``layer2`` means nothing here.
NUMBERED_TOKENS = frozenset({"lr", "lrs", "eta", "wd", "bs"})
# a penalty's weight, named by the weight and the penalty: ``lambda_l1``, ``lambda_sparse``
PENALTY_WEIGHTS = frozenset({"lambda", "lamda", "lmbda", "lam"})
PENALTY_KINDS = frozenset({"l1", "l2", "reg", "sparse", "sparsity", "penalty"})
# parts of a network a penalty is named for (``encoder_l1``, ``activity_l2``); a layer index
# (``n_units_l1``, ``hidden_l2``) names no penalty
PENALISED_PARTS = frozenset({"encoder", "decoder", "weight", "weights", "activity", "bias", "embedding", "latent"})

# Plural container names map to their singular value name: ``lrs`` -> ``lr``.
_PLURALS = {
    "lrs": "lr", "learning_rates": "learning_rate", "lr_list": "lr", "lr_values": "lr",
    "lr_grid": "lr", "lr_range": "lr", "lr_space": "lr", "lr_candidates": "lr", "lr_options": "lr",
    "weight_decays": "weight_decay", "wds": "wd", "alphas": "alpha", "gammas": "gamma",
    "lambdas": "lambda", "cs": "c", "c_range": "c", "c_values": "c", "c_list": "c",
    "alpha_range": "alpha", "gamma_range": "gamma", "alpha_values": "alpha", "gamma_values": "gamma",
    "regs": "reg", "reg_values": "reg", "batch_sizes": "batch_size", "tols": "tol",
    "epsilons": "epsilon", "etas": "eta", "l2s": "l2", "l1s": "l1",
}

_CONTAINER_SUFFIXES = ("_list", "_values", "_grid", "_range", "_space", "_candidates", "_options", "_vals", "_set", "s")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def normalize(name: str) -> str:
    """``self.config["Learning-Rate"]`` pieces -> ``learning_rate``; ``logreg__C`` -> ``c``.

    scikit-learn pipeline keys (``step__param``) name the parameter last;
    argparse flags lose their dashes; camelCase becomes snake_case.
    """
    name = name.strip().lstrip("-")
    if "__" in name:
        name = name.rsplit("__", 1)[1]
    name = name.rsplit(".", 1)[-1].rsplit("/", 1)[-1]
    name = _CAMEL.sub("_", name)
    name = re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
    return name


def tokens(normalized: str) -> List[str]:
    return [t for t in normalized.split("_") if t]


@dataclass(frozen=True)
class Vocabulary:
    """The name lists in force, with the user's config extensions."""

    log_names: FrozenSet[str] = LOG_NAMES
    ambiguous_names: FrozenSet[str] = AMBIGUOUS_NAMES
    batch_names: FrozenSet[str] = BATCH_NAMES
    linear_names: FrozenSet[str] = LINEAR_NAMES
    extra_log_names: FrozenSet[str] = field(default_factory=frozenset)
    extra_batch_names: FrozenSet[str] = field(default_factory=frozenset)
    extra_linear_names: FrozenSet[str] = field(default_factory=frozenset)

    def extended(
        self,
        log: Iterable[str] = (),
        batch: Iterable[str] = (),
        linear: Iterable[str] = (),
    ) -> "Vocabulary":
        return Vocabulary(
            extra_log_names=self.extra_log_names | {normalize(n) for n in log},
            extra_batch_names=self.extra_batch_names | {normalize(n) for n in batch},
            extra_linear_names=self.extra_linear_names | {normalize(n) for n in linear},
        )

    # -- classification -------------------------------------------------
    def scale(self, raw_name: Optional[str]) -> Scale:
        """Classify a parameter, variable, keyword or dict-key name."""
        if not raw_name:
            return Scale.UNKNOWN
        name = normalize(raw_name)
        if not name:
            return Scale.UNKNOWN
        direct = self._direct(name)
        if direct is not None:
            return direct
        singular = _singular(name)
        if singular != name:
            direct = self._direct(singular)
            if direct is not None:
                return direct
            name = singular
        return self._by_tokens(name)

    def _direct(self, name: str) -> Optional[Scale]:
        if name in self.extra_linear_names:
            return Scale.LINEAR
        if name in self.extra_batch_names:
            return Scale.BATCH
        if name in self.extra_log_names:
            return Scale.LOG
        if name in self.linear_names:
            return Scale.LINEAR
        if name in self.batch_names:
            return Scale.BATCH
        if name in self.log_names:
            return Scale.LOG
        if name in self.ambiguous_names:
            return Scale.AMBIGUOUS_LOG
        return None

    def _by_tokens(self, name: str) -> Scale:
        parts = [_token_core(p) for p in tokens(name)]
        if not parts:
            return Scale.UNKNOWN
        if len(parts) == 1 and parts[0] != name:
            return self.scale(parts[0])  # lr0 -> lr
        if len(parts) > 1 and parts[0] in OPTIMIZER_PREFIXES | STARTING_WORDS:
            return self.scale("_".join(parts[1:]))  # adam_epsilon -> epsilon, init_gamma -> gamma
        if len(parts) > 1 and parts[-1] in STARTING_WORDS:
            return self.scale("_".join(parts[:-1]))  # gamma_init -> gamma
        part_set = set(parts)
        if part_set & LINEAR_TOKENS or any(p.startswith("dropout") for p in parts):
            return Scale.LINEAR
        if "drop" in part_set and part_set & {"p", "rate", "path"}:
            return Scale.LINEAR  # ``drop_p``, ``attn_drop_rate``, ``drop_path``: a probability
        if "batch" in part_set and ("size" in part_set or "sz" in part_set):
            return Scale.BATCH
        is_lr = "lr" in part_set or ("learning" in part_set and part_set & {"rate", "rates"})
        if is_lr:
            return Scale.UNKNOWN if part_set & LR_EXCLUDING_TOKENS else Scale.LOG
        if "weight" in part_set and "decay" in part_set:
            return Scale.LOG
        if parts[0] in {"reg", "l1", "l2"} or parts[0].startswith("regulari") or parts[-1] in {"reg", "regularization", "regularisation"}:
            return Scale.LOG
        if len(parts) == 2 and parts[-1] in {"l1", "l2"} and parts[0] in PENALISED_PARTS:
            return Scale.LOG  # ``encoder_l1``: a penalty on a part; ``units_l1`` is the width of layer 1
        if part_set & PENALTY_WEIGHTS and part_set & PENALTY_KINDS:
            return Scale.LOG  # ``lambda_l1``, ``lambda_sparse``, ``sparsity_lambda``: a penalty's weight
        if parts[-1] == "wd" or parts[0] == "wd":
            return Scale.LOG
        return Scale.UNKNOWN

    def is_log_scale(self, raw_name: Optional[str], tuning_context: bool = False) -> bool:
        """Log-scale; ambiguous short names only where ``tuning_context`` holds."""
        kind = self.scale(raw_name)
        return kind is Scale.LOG or (kind is Scale.AMBIGUOUS_LOG and tuning_context)

    def is_learning_rate(self, raw_name: Optional[str]) -> bool:
        if not raw_name:
            return False
        name = _singular(normalize(raw_name))
        if self.scale(name) is not Scale.LOG:
            return False
        parts = {_token_core(p) for p in tokens(name)}
        return "lr" in parts or ("learning" in parts and bool(parts & {"rate", "rates"})) or bool(parts & LR_SPELLINGS) or name in LR_SPELLINGS

    def is_batch_size(self, raw_name: Optional[str]) -> bool:
        return self.scale(raw_name) is Scale.BATCH

    def is_linear(self, raw_name: Optional[str]) -> bool:
        return self.scale(raw_name) is Scale.LINEAR

    def zero_is_no_setting(self, raw_name: Optional[str]) -> bool:
        """A parameter 0 is not a setting of: a learning rate (nothing trains) or
        an inverse penalty ``C`` (scikit-learn rejects 0).  A linear range from 0
        wastes its draws on these; for a penalty (``weight_decay``, ``alpha``,
        ``reg_lambda``) 0 means "off", a value a log scale cannot reach, so a
        range from 0 is a deliberate choice."""
        if self.is_learning_rate(raw_name):
            return True
        return bool(raw_name) and _singular(normalize(raw_name or "")) == "c"


# What the text of any name ``is_learning_rate`` / ``is_batch_size`` accepts
# shows (built-in vocabulary), for prefilters that cannot afford to judge every
# word.  ``text`` and its lower-case ``low`` (of the same length, else every
# text may show one).


# ``learn_rate``/``LearnRate``/``learnrate`` (``learn`` alone is in every ``sklearn`` import)
_LEARN_RATE = re.compile(r"learn[^a-z0-9]*rate")


def shows_learning_rate(text: str, low: str) -> bool:
    """The token ``lr`` (after a non-alphanumeric, or camelCase ``baseLR``),
    ``eta`` after a non-alphanumeric, ``learning``, or ``learn`` then ``rate``:
    what every learning-rate name holds once normalised (``lrs``, ``base_lr``,
    ``baseLR``, ``Learning-Rate``, ``learn_rate``)."""
    if len(low) != len(text) or "learning" in low or _LEARN_RATE.search(low):
        return True
    for word in ("lr", "eta"):
        at = low.find(word)
        while at >= 0:
            before = text[at - 1] if at else " "
            if not before.isalnum() or (word == "lr" and text[at] == "L" and (before.islower() or before.isdigit())):
                return True
            at = low.find(word, at + 1)
    return False


def shows_batch_size(text: str, low: str) -> bool:
    """``batch`` anywhere; else a whole name ``bs``/``bsize``, or ``b`` and
    ``size`` with punctuation between (b_size, b-size, bSize): the batch names
    without ``batch`` are whole names, so they start after a non-alphanumeric."""
    if len(low) != len(text) or "batch" in low:
        return True
    at = low.find("b")
    while at >= 0:
        if at == 0 or not low[at - 1].isalnum():
            rest = at + 1
            if low.startswith("s", rest):
                return True
            while rest < len(low) and not low[rest].isalnum():
                rest += 1
            if low.startswith("size", rest):
                return True
        at = low.find("b", at + 1)
    return False


def _token_core(token: str) -> str:
    """One word of a name as its singular, without a digit suffix: ``lrs`` -> ``lr``, ``lr0`` -> ``lr``."""
    stem = token.rstrip("0123456789")
    if stem != token and stem in NUMBERED_TOKENS:
        token = stem
    return _PLURALS.get(token, token)


def _singular(name: str) -> str:
    if name in _PLURALS:
        return _PLURALS[name]
    for suffix in _CONTAINER_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            stem = name[: -len(suffix)].rstrip("_")
            if suffix == "s" and stem.endswith("s"):
                continue  # "loss" is not the plural of "los"
            return stem
    return name


DEFAULT_VOCABULARY = Vocabulary()


# ---------------------------------------------------------------------------
# what an ambiguous keyword means to the class that receives it
#
# ``alpha`` is a penalty to Ridge and a mixture scale to a RationalQuadratic
# kernel; ``gamma`` is a kernel width to SVC and a decay factor to StepLR.
# The receiving class decides; where none is visible the caller's tuning
# context does (``Vocabulary.is_log_scale``).

_PENALTY_ALPHA = (
    "Ridge", "RidgeClassifier", "RidgeCV", "Lasso", "LassoLars", "LassoLarsIC", "ElasticNet",
    "MultiTaskLasso", "MultiTaskElasticNet", "SGDClassifier", "SGDRegressor", "SGDOneClassSVM",
    "MLPClassifier", "MLPRegressor", "KernelRidge", "HuberRegressor", "QuantileRegressor",
    "TweedieRegressor", "PoissonRegressor", "GammaRegressor", "Perceptron", "MultinomialNB",
    "BernoulliNB", "ComplementNB", "CategoricalNB", "XGBClassifier", "XGBRegressor",
    "XGBRanker", "XGBRFClassifier", "XGBRFRegressor",
)
_SVM = ("SVC", "SVR", "NuSVC", "NuSVR", "LinearSVC", "LinearSVR", "OneClassSVM")
RECEIVER_LOG = {
    "alpha": frozenset(_PENALTY_ALPHA),
    "c": frozenset(_SVM + ("LogisticRegression", "PassiveAggressiveClassifier", "PassiveAggressiveRegressor")),
    "gamma": frozenset(_SVM + ("KernelRidge", "RBFSampler", "Nystroem", "KernelPCA", "SpectralClustering")),
    "lambda": frozenset({"XGBClassifier", "XGBRegressor", "XGBRanker", "XGBRFClassifier", "XGBRFRegressor"}),
    "eps": frozenset({"Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Adagrad", "Adadelta", "RMSprop", "Adafactor"}),
    "epsilon": frozenset({"Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "Adagrad", "Adadelta", "SVR", "LinearSVR"}),
    "tol": frozenset({"LogisticRegression", "SVC", "SVR", "LinearSVC", "Lasso", "ElasticNet", "Ridge", "SGDClassifier", "SGDRegressor", "MLPClassifier", "MLPRegressor"}),
}
# reinforcement-learning classes, to which ``epsilon`` is the exploration probability
EXPLORING_RECEIVERS = frozenset({"agent", "policy", "dqn", "bandit", "greedy", "explorer", "exploration", "qlearning"})
RECEIVER_NOT_LOG = {
    # a kernel's scale mixture, a GP's noise jitter, a quantile, a smoothing constant, an activation slope
    "alpha": frozenset({"RationalQuadratic", "GaussianProcessRegressor", "GradientBoostingRegressor", "RMSprop", "ELU", "CELU", "LeakyReLU", "Dirichlet", "FocalLoss", "sigmoid_focal_loss"}),
    # a decay factor, a focusing exponent, XGBoost's minimum loss reduction (searched either way: not reported)
    "gamma": frozenset({"StepLR", "MultiStepLR", "ExponentialLR", "CyclicLR", "FocalLoss", "sigmoid_focal_loss", "XGBClassifier", "XGBRegressor", "XGBRanker", "XGBRFClassifier", "XGBRFRegressor"}),
    # Huber's threshold
    "epsilon": frozenset({"HuberRegressor"}),
}


def receiver_scale(callee: Optional[str], keyword: Optional[str]) -> Optional[Scale]:
    """What ``keyword`` means to the class ``callee`` (its last name): LOG for a
    penalty, kernel width or step size, LINEAR where that class reads it as a
    bounded or non-scale quantity, None when the table does not know the pair."""
    if not callee or not keyword:
        return None
    key = normalize(keyword)
    last = callee.rsplit(".", 1)[-1]
    if last in RECEIVER_LOG.get(key, ()):
        return Scale.LOG
    if last in RECEIVER_NOT_LOG.get(key, ()):
        return Scale.LINEAR
    if key in ("eps", "epsilon") and any(word in last.lower() for word in EXPLORING_RECEIVERS):
        return Scale.LINEAR  # ``Agent(epsilon=0.1)``: an exploration probability
    return None


# ---------------------------------------------------------------------------
# what a called name does: train, step, optimise
#
# Three rules ask "does this call train?" with three meanings, each named here
# so that every reader of a tree (the rules' libcst, the prefilter's ast and
# text) asks the same question of the same words.

# Calls whose name carries one of these words run (train or evaluate) one
# configuration: what a search loop does per point of its grid.
RUN_TOKENS = frozenset(
    {
        "fit", "train", "training", "trainer", "evaluate", "evaluation", "eval", "score",
        "validate", "validation", "experiment", "run", "objective", "finetune", "tune",
    }
)
# ``x.train()`` / ``x.eval()`` switch modes unless ``x`` is named like one of these.
RUN_RECEIVER_TOKENS = frozenset({"trainer", "runner", "engine", "learner", "experiment", "pipeline", "estimator"})
# A call one pass of an epoch loop trains with.
STEP_CALLS = frozenset({"fit", "partial_fit", "backward", "step", "run_epoch", "train", "apply_gradients"})
# Words of a call that trains inside a sweep (with the optimizers, ``backward`` and ``step``).
SWEEP_TRAINING_TOKENS = frozenset({"train", "fit", "training", "experiment", "finetune"})

# A call that builds the network a configuration trains: ``build_model``, ``create_net``.
BUILD_TOKENS = frozenset({"build", "create", "make", "get", "init", "construct", "define"})
MODEL_TOKENS = frozenset({"model", "net", "network", "classifier", "regressor", "estimator", "nn", "mlp", "cnn", "rnn", "lstm", "gru"})
# Words of a learning-rate keyword that names a bound of a schedule, not the rate trained with:
# ``ReduceLROnPlateau(min_lr=0)``, ``warmup_init_lr``, ``final_lr``.
LR_BOUND_TOKENS = frozenset({"min", "minimum", "floor", "end", "final", "warmup", "lower"})


# Grid keys only a network trained by gradient descent has: a grid over them trains at some
# learning rate, whether or not the grid names one.
NETWORK_TOKENS = frozenset({"dropout", "momentum"})


def names_network_setting(name: Optional[str]) -> bool:
    """``dropout1_rate``, ``momentum``, ``weight_decay``: a setting of a network trained with a learning rate."""
    words = name_tokens(name or "")
    return bool(words & NETWORK_TOKENS) or {"weight", "decay"} <= words


def shows_network_setting(text: str, low: str) -> bool:
    """Text marks of ``names_network_setting``."""
    return "dropout" in low or "momentum" in low or "decay" in low


def builds_model(name: Optional[str]) -> bool:
    """``build_model``, ``create_network``, ``make_classifier``: a call that builds what is trained."""
    if not name:
        return False
    words = name_tokens(name)
    return bool(words & BUILD_TOKENS) and bool(words & MODEL_TOKENS)


# architectures a model class or factory may be named for (``Autoencoder``, ``build_unet``)
ARCHITECTURE_TOKENS = frozenset({"autoencoder", "encoder", "decoder", "transformer", "resnet", "unet", "vae", "gan", "convnet", "perceptron", "architecture"})


def names_model_builder(name: Optional[str]) -> bool:
    """A callee that makes the model trained: a factory (``builds_model``), or a class or
    function named for a model or an architecture (``Net``, ``MLP``, ``Autoencoder``)."""
    words = name_tokens(name or "")
    return builds_model(name) or bool(words & (MODEL_TOKENS | ARCHITECTURE_TOKENS)) and not words & TRAINING_ROLE_TOKENS


# words of a callee that draws the hyperparameters from a trial (``suggest_params``, ``sample_config``)
SAMPLING_TOKENS = frozenset({"suggest", "sample"})


def names_space_sampler(name: Optional[str]) -> bool:
    """``suggest_params(trial)``, ``optuna_suggest_hyperparams``, ``sample_config``: a callee
    named for drawing the hyperparameters from the trial, not for training with them."""
    words = name_tokens(name or "")
    return bool(words & SAMPLING_TOKENS) and not words & TRAINING_ROLE_TOKENS


# what a callee named for a model may still do to one: train it, report on it, run it
TRAINING_ROLE_TOKENS = frozenset({"train", "trainer", "fit", "callback", "report", "reporter", "prune", "pruner", "run", "loop", "epoch", "step", "search", "tune", "tuner", "objective"})


def names_lr_bound(name: Optional[str]) -> bool:
    """``min_lr``, ``lr_end``, ``warmup_init_lr``: a schedule's bound rather than its learning rate."""
    return bool(name_tokens(name or "") & LR_BOUND_TOKENS)


# Optimizers by class name, with the default learning rate where it is fixed.
OPTIMIZERS = {
    "Adam": 1e-3, "AdamW": 1e-3, "SGD": 1e-3, "RMSprop": 1e-2, "Adagrad": 1e-2, "Adadelta": 1.0,
    "Adamax": 2e-3, "NAdam": 2e-3, "RAdam": 1e-3, "Nadam": 1e-3, "Lion": 1e-4, "LAMB": 1e-3,
    "SparseAdam": 1e-3, "ASGD": 1e-2, "LBFGS": 1.0, "Adafactor": None, "Lamb": 1e-3,
}
OPTIMIZER_MODULES = ("torch.optim.", "keras.optimizers.", "tensorflow.keras.optimizers.", "tf.keras.optimizers.", "optax.")


def name_tokens(raw: Optional[str]) -> FrozenSet[str]:
    return frozenset(tokens(normalize(raw))) if raw else frozenset()


# calls that launch a run of a script (``os.system(f"python train.py --lr {lr}")``,
# ``subprocess.check_call([...])``); ``call`` only on a module that launches
LAUNCHERS = frozenset({"system", "popen", "Popen", "call", "check_call", "check_output"})
LAUNCHER_MODULES = frozenset({"os", "subprocess", "sp"})
LAUNCH_SPELLINGS = ("system", "popen", "call", "check_output")


def runs_configuration(name: Optional[str], receiver: Optional[str] = None, arguments: int = 0) -> bool:
    """A call that trains or evaluates one configuration: ``fit``, ``train_model``,
    ``cross_val_score``, a launched script (``os.system``, ``subprocess.check_call``)...
    ``model.train()`` / ``model.eval()`` with at most one argument switch modes, unless
    the receiver is a trainer or runner.

    ``receiver``: the last name of what the method is called on; None for a plain function.
    """
    if name in LAUNCHERS and (receiver in LAUNCHER_MODULES or (receiver is None and name != "call")):
        return True
    if not name or not name_tokens(name) & RUN_TOKENS:
        return False
    if name in ("train", "eval") and arguments <= 1 and receiver is not None:
        return bool(name_tokens(receiver) & RUN_RECEIVER_TOKENS)
    return True  # a function of its own, ``train(**config)``, trains


def trains_a_step(name: Optional[str]) -> bool:
    """A call one pass of an epoch loop trains with: ``fit``, ``backward``, ``train_one_epoch``..."""
    if not name:
        return False
    lowered = name.lower()
    return lowered in STEP_CALLS or "train" in lowered or (lowered.startswith("fit_") and lowered != "fit_transform")


def trains_in_sweep(name: Optional[str]) -> bool:
    """A call that trains inside a sweep: an optimizer, ``backward``/``step``, or a training word."""
    if not name:
        return False
    return name in OPTIMIZERS or name in ("backward", "step") or bool(name_tokens(name) & SWEEP_TRAINING_TOKENS)
