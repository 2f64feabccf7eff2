"""The core every front end calls: ``lint_source`` and ``fix_source``."""

from hplint.engine.lint import FixResult, fix_source, lint_source

__all__ = ["FixResult", "fix_source", "lint_source"]
