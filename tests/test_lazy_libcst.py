"""libcst is imported only when a file reaches it.

Most files are rejected by the prefilters; for them (and for flake8, which
loads the plugin in every run) importing libcst would be pure cost.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from hplint.core.lazy_libcst import cst


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_front_ends_and_rules_import_without_libcst() -> None:
    out = _run(
        """
        import sys
        import hplint, hplint.frontends.cli, hplint.frontends.flake8, hplint.frontends.notebooks
        from hplint.core.registry import all_rules
        all_rules()
        print("libcst" in sys.modules)
        """
    )
    assert out == "False"


def test_a_file_without_candidates_never_imports_libcst() -> None:
    out = _run(
        """
        import sys
        from hplint import lint_source
        found = lint_source("import numpy as np\\nx = np.linspace(0, 1, 5)\\nfor i in range(3):\\n    print(i)\\n")
        print(found, "libcst" in sys.modules)
        """
    )
    assert out == "[] False"


def test_a_candidate_file_imports_it_and_is_linted() -> None:
    out = _run(
        """
        import sys
        from hplint import lint_source
        found = lint_source("def objective(trial):\\n    return trial.suggest_float('lr', 1e-5, 1e-1)\\n")
        print([d.code for d in found], "libcst" in sys.modules)
        """
    )
    assert out == "['HPL202'] True"


def test_the_stand_in_behaves_like_the_module() -> None:
    import libcst

    assert cst.Call is libcst.Call
    assert cst.metadata.PositionProvider is libcst.metadata.PositionProvider
    assert getattr(cst, "NoSuchNode", None) is None
    with pytest.raises(AttributeError):
        cst.NoSuchNode  # noqa: B018
