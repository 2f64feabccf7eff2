"""libcst, imported when the first file needs it.

The prefilters reject most files from their text or their ``ast`` alone, so
most runs (a warm rerun, flake8 over a repository without tuning code) never
parse anything with libcst.  Importing it costs about 0.15 s and leaves some
16,000 objects that the host process's garbage collector walks on every
full collection.  Modules therefore refer to ``cst`` through this stand-in,
which imports libcst on the first attribute asked of it; type checkers see
the real module (``if TYPE_CHECKING: import libcst as cst``).
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class _Deferred(types.ModuleType):
    """A module object whose attributes are fetched from the real module on first use."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)  # copy, pickle and introspection must not import libcst
        real = importlib.import_module(self.__name__)
        try:
            value = getattr(real, name)
        except AttributeError:
            try:
                value = importlib.import_module(f"{self.__name__}.{name}")  # a submodule: cst.metadata
            except ImportError:
                raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None
        setattr(self, name, value)  # later lookups are plain attribute reads
        return value


cst: Any = _Deferred("libcst")
