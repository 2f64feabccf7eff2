"""HPL5xx: the trial budget a search method needs before it pays off.

Each rule is a module of its own, found by ``hplint.rules``.
"""
