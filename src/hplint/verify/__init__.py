"""``hplint verify``: small torch demonstrations that measure what each fix buys.

Nothing here is imported by linting: torch, optuna and matplotlib are loaded
only when ``hplint verify`` runs (``pip install "hplint[verify]"``).
"""

INSTALL_HINT = 'hplint verify needs torch and optuna: pip install "hplint[verify]"'

# demo name -> the rule codes whose claim it measures (torch-free, for `hplint explain`)
DEMO_CODES: dict[str, tuple[str, ...]] = {
    "spacing": ("HPL201", "HPL202", "HPL203", "HPL205"),
    "range": ("HPL204",),
    "strategy": ("HPL101", "HPL102"),
    "lr-first": ("HPL103",),
    "pruning": ("HPL301", "HPL302", "HPL303", "HPL304"),
    "interactions": ("HPL401", "HPL402"),
    "budget": ("HPL501",),
}


def demos_for(selectors: list[str]) -> list[str]:
    """Demo names whose codes match any selector (a code, a prefix like ``HPL3``, or a demo name).

    No selector means every demo. Raises ``KeyError`` naming a selector that matches nothing.
    """
    if not selectors:
        return list(DEMO_CODES)
    chosen: set[str] = set()
    for selector in selectors:
        key = selector.strip()
        matched = {
            name
            for name, codes in DEMO_CODES.items()
            if name == key.lower() or any(code.startswith(key.upper()) for code in codes)
        }
        if not key or not matched:
            raise KeyError(selector)
        chosen |= matched
    return [name for name in DEMO_CODES if name in chosen]
