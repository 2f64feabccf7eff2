"""HPL5xx: the trial budget a search method needs before it pays off.

Importing the package registers its rules, each in a module of its own.
"""

from __future__ import annotations

from hplint.rules.budget import hpl501_too_few_trials

__all__ = ["hpl501_too_few_trials"]
