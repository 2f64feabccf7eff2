"""``hplint study``: read finished Optuna studies and report what only their results show.

The checks (HPL6xx, "results") live in ``hplint.study.checks``, one module per
check; ``storage`` opens a storage read-only, ``analyse`` runs the checks,
``render`` and ``plots`` show the findings, ``cli`` is the subcommand.
Optuna (and scikit-learn for fANOVA, matplotlib for ``--plot``) come with the
``hplint[study]`` extra and are imported only when a study is read.
"""
