"""hplint: a linter for hyperparameter-tuning mistakes in machine-learning code."""

__version__ = "0.2.0"

from hplint.core.config import Config  # noqa: E402
from hplint.core.diagnostics import Diagnostic, Edit, Fix, Safety  # noqa: E402
from hplint.engine.lint import FixResult, fix_source, lint_source  # noqa: E402

__all__ = ["Config", "Diagnostic", "Edit", "Fix", "FixResult", "Safety", "fix_source", "lint_source", "__version__"]
