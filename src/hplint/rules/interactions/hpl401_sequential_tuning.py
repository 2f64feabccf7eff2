"""HPL401: interacting hyperparameters tuned one after the other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hplint.core.registry import register
from hplint.core.rule import Example, Option
from hplint.rules.interactions.file_searches import _InteractionRule
from hplint.rules.interactions.reader import BATCH, FAMILY, LR, searches

if TYPE_CHECKING:
    import libcst as cst
else:
    from hplint.core.lazy_libcst import cst


@register
class SequentialTuning(_InteractionRule):
    code = "HPL401"
    name = "sequential-tuning-of-interacting-parameters"
    family = FAMILY
    summary = "Interacting hyperparameters (learning rate × batch size) tuned one after the other"
    why = (
        "The learning rate and the batch size interact: a larger batch has less gradient "
        "noise and wants a larger learning rate (lr ∝ √batch as a rule of thumb: doubling the "
        "batch → 1.4× lr). Tuning batch size first at a default lr, then lr at the winning "
        "batch size, can end on a pair good for neither: batch 256 + lr 0.001 reaches 60% where "
        "batch 256 + lr 0.01 reaches 82% (and batch 16 + lr 0.001 also 82%). Searching both "
        "in one study costs the same number of trials and can find the matching pair. The pair "
        "list is configurable (`interaction-pairs`); learning rate × weight decay is an opt-in "
        "pair (`\"lr:weight_decay\"`), because the decay per step is lr × weight_decay. A search "
        "is a loop over one parameter's values, a loop that draws it at random each pass "
        "(`lr = 10 ** random.uniform(-5, -1)`), or an Optuna study that suggests it."
    )
    default_enabled = True
    options = (
        Option(
            "interaction-pairs",
            list,
            ("lr:batch_size",),
            'Pairs that must be tuned together, as "a:b" (names of lr, batch_size, weight_decay); add "lr:weight_decay" to check it too.',
        ),
    )
    demonstration = "interactions"
    # a report is one search varying a learning rate and another a batch size
    # (the default pair; other pairs are options, which bypass the prefilter)
    trigger = searches(LR) & searches(BATCH)
    bad_examples = (
        Example(
            """
            for batch_size in [16, 32, 64, 128, 256]:
                train(lr=0.001, batch_size=batch_size)
            best_batch = pick_best()

            for lr in [1e-4, 1e-3, 1e-2, 1e-1]:
                train(lr=lr, batch_size=best_batch)
            """,
            note="lr is tuned at the batch size that was chosen with lr fixed at 0.001.",
        ),
        Example(
            """
            import optuna

            def objective_bs(trial):
                bs = trial.suggest_categorical("batch_size", [32, 64, 128])
                return train(lr=1e-3, batch_size=bs)

            def objective_lr(trial):
                lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
                return train(lr=lr, batch_size=first.best_params["batch_size"])

            first = optuna.create_study()
            first.optimize(objective_bs, n_trials=20)
            second = optuna.create_study()
            second.optimize(objective_lr, n_trials=30)
            """
        ),
    )
    good_examples = (
        Example(
            """
            def objective(trial):
                batch_size = trial.suggest_categorical("batch_size", [16, 32, 64, 128, 256])
                lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
                return train(lr=lr, batch_size=batch_size)
            """,
            note="One joint search learns how the best lr moves with the batch size.",
        ),
        Example(
            """
            for batch_size in [32, 64, 128, 256]:
                lr = 0.1 * batch_size / 256
                train(lr=lr, batch_size=batch_size)
            for lr in [0.01, 0.1]:
                train(lr=lr, batch_size=256)
            """,
            note="The batch sweep rescales lr with the batch (linear scaling rule).",
        ),
    )

    def leave_Module(self, original_node: cst.Module) -> None:
        for later, message, _ in self.sequences(self.reader()):
            self.report(later.node, message)
