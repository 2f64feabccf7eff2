"""The rules: one package per family, one module per rule (``hplNNN_<name>.py``).

HPL1xx search strategy, HPL2xx search space, HPL3xx pruning, HPL4xx
interacting parameters, HPL5xx budget.  Importing this package imports every
rule module it finds, so each rule's ``@register`` runs: a new rule is a new
module, with nothing to list anywhere else.
"""

import pkgutil
import re
from importlib import import_module

RULE_MODULE = re.compile(r"hpl\d{3}_\w+")

for _family in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _family.ispkg:
        continue
    _package = import_module(f"{__name__}.{_family.name}")
    for _module in sorted(pkgutil.iter_modules(_package.__path__), key=lambda m: m.name):
        if RULE_MODULE.fullmatch(_module.name):
            import_module(f"{_package.__name__}.{_module.name}")
