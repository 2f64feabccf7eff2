"""The results checks, one module per check (``hplNNN_<name>.py``).

Importing this package imports every check module, so each one's
``@register_check`` runs: a new check is a new module, listed nowhere else.
"""

import pkgutil
import re
from importlib import import_module

CHECK_MODULE = re.compile(r"hpl\d{3}_\w+")

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if CHECK_MODULE.fullmatch(_module.name):
        import_module(f"{__name__}.{_module.name}")
