"""HPL3xx: pruning — searches that train every trial to the end.

Optuna prunes only when an objective reports intermediate values *and* asks
``trial.should_prune()`` *and* raises ``optuna.TrialPruned``; Ray Tune stops
trials early only with a scheduler.  The rules here read one file at a time:
what happens inside a function the trial is never passed to is not guessed.

Each rule is a module of its own (``hplNNN_<name>.py``), found by
``hplint.rules``; what several rules share lives beside them.
"""
