"""HPL1xx: the search strategy — exhaustive grids and the learning rate left out.

A grid grows as k^n and spends most of its trials repeating the same few
values of the parameters that matter (Bergstra & Bengio 2012); and the
learning rate usually matters more than any architecture choice, so a search
that holds it fixed tunes the wrong thing.

``grids`` holds what the three rules share; each rule is a module of its own.
"""
