"""The registry: the one list of rule families and of the rules that exist.

Rules register themselves with ``@register``; the rule packages are loaded
by name (``hplint.rules``) the first time the list is asked for, as a plugin
host loads its plugins, so nothing here depends on any rule.
"""

from __future__ import annotations

import importlib
from typing import Dict, List, Optional, Type

from hplint.core.rule import Option, Rule

RULE_PACKAGE = "hplint.rules"

_REGISTRY: Dict[str, Type[Rule]] = {}
_SORTED: List[Type[Rule]] = []
_LOADED = False

FAMILIES: Dict[str, str] = {
    "HPL1": "search-strategy",
    "HPL2": "search-space",
    "HPL3": "pruning",
    "HPL4": "interactions",
    "HPL5": "budget",
}


def register(rule: Type[Rule]) -> Type[Rule]:
    """Class decorator: make a rule known to the engine, CLI and docs."""
    code = rule.code
    if code in _REGISTRY and _REGISTRY[code] is not rule:
        raise ValueError(f"rule code {code} registered twice")
    for attr in ("name", "family", "summary", "why"):
        if not getattr(rule, attr, None):
            raise ValueError(f"rule {code} lacks {attr}")
    _REGISTRY[code] = rule
    return rule


def all_rules() -> List[Type[Rule]]:
    global _LOADED
    if not _LOADED:
        _LOADED = True
        importlib.import_module(RULE_PACKAGE)

    if len(_SORTED) != len(_REGISTRY):  # asked for every file: sort once per registration
        _SORTED[:] = [_REGISTRY[c] for c in sorted(_REGISTRY)]
    return list(_SORTED)


def get_rule(code: str) -> Optional[Type[Rule]]:
    all_rules()
    return _REGISTRY.get(code.upper())


def all_options() -> Dict[str, Option]:
    """Every option any rule declares, by name (shared names must agree)."""
    found: Dict[str, Option] = {}
    for rule in all_rules():
        for opt in rule.options:
            known = found.get(opt.name)
            if known is not None and (known.type, known.default) != (opt.type, opt.default):
                raise ValueError(f"option {opt.name} declared differently by two rules")
            found[opt.name] = opt
    return found
