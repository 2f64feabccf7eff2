"""hplint: a linter for hyperparameter-tuning mistakes in machine-learning code."""

__version__ = "0.1.0"

from .config import Config  # noqa: E402
from .diagnostics import Diagnostic, Edit, Fix, Safety  # noqa: E402
from .engine import FixResult, fix_source, lint_source  # noqa: E402

__all__ = ["Config", "Diagnostic", "Edit", "Fix", "FixResult", "Safety", "fix_source", "lint_source", "__version__"]
