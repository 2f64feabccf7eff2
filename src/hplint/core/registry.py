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
    "HPL6": "results",
    "HPL7": "objective",
}

# Checks of finished studies' results (``hplint study``): documented, selected
# and explained like rules, but they read a study's trials, not code.
CHECK_PACKAGE = "hplint.study.checks"
_CHECKS: Dict[str, type] = {}
_CHECKS_LOADED = False


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


def register_check(check: type) -> type:
    """Class decorator: make a results check known to ``hplint study``, the CLI and docs."""
    code = check.code
    if code in _REGISTRY or (code in _CHECKS and _CHECKS[code] is not check):
        raise ValueError(f"rule code {code} registered twice")
    for attr in ("name", "family", "summary", "why"):
        if not getattr(check, attr, None):
            raise ValueError(f"check {code} lacks {attr}")
    _CHECKS[code] = check
    return check


def result_checks() -> List[type]:
    global _CHECKS_LOADED
    if not _CHECKS_LOADED:
        _CHECKS_LOADED = True
        importlib.import_module(CHECK_PACKAGE)
    return [_CHECKS[c] for c in sorted(_CHECKS)]


def documented() -> List[type]:
    """Every code with a page, ``explain`` and a selector, rules and results checks, by code."""
    return sorted([*all_rules(), *result_checks()], key=lambda rule: rule.code)


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
    code = code.upper()
    if code in _REGISTRY:
        return _REGISTRY[code]
    return next((check for check in result_checks() if check.code == code), None)


def all_options() -> Dict[str, Option]:
    """Every option any rule declares, by name (shared names must agree)."""
    found: Dict[str, Option] = {}
    for rule in documented():
        for opt in rule.options:
            known = found.get(opt.name)
            if known is not None and (known.type, known.default) != (opt.type, opt.default):
                raise ValueError(f"option {opt.name} declared differently by two rules")
            found[opt.name] = opt
    return found
