"""HPL4xx: hyperparameters that interact, tuned as if they did not.

The learning rate and the batch size interact: a larger batch has less
gradient noise and wants a larger learning rate (lr ∝ √batch as a rule of
thumb).  These rules read a file's searches — loops over values, Optuna
objectives and their studies, grid dictionaries — and ask which parameters
each search varies, which it holds fixed, and which it rescales.

The shared reading of searches is in ``reader`` and ``file_searches``; each
rule is a module of its own, found by ``hplint.rules``.
"""
