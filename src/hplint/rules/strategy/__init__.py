"""HPL1xx: the search strategy — exhaustive grids and the learning rate left out.

A grid grows as k^n and spends most of its trials repeating the same few
values of the parameters that matter (Bergstra & Bengio 2012); and the
learning rate usually matters more than any architecture choice, so a search
that holds it fixed tunes the wrong thing.

``grids`` holds what the three rules share; importing the rule modules here
runs their ``@register``.
"""

from __future__ import annotations

from hplint.rules.strategy import hpl101_nested_loop_grid, hpl102_library_grid_search, hpl103_learning_rate_not_tuned  # noqa: F401
