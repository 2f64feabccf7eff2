"""Rule families, one module each.  Importing this package registers them all.

HPL1xx search strategy, HPL2xx search space, HPL3xx pruning,
HPL4xx interacting parameters, HPL5xx budget.
"""

from importlib import import_module

_FAMILY_MODULES = ("strategy", "search_space", "pruning", "interactions", "budget")

for _name in _FAMILY_MODULES:
    try:
        import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:  # a family not written yet
        if _exc.name != f"{__name__}.{_name}":
            raise
