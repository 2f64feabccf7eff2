"""HPL7xx: whether a search points at the right target (the right direction, the right data).

Each rule is a module of its own, found by ``hplint.rules``.
"""
