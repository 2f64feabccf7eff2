"""``hplint verify``: small torch demonstrations that measure what each fix buys.

Nothing here is imported by linting: torch, optuna and matplotlib are loaded
only when ``hplint verify`` runs (``pip install "hplint[verify]"``).
"""

INSTALL_HINT = 'hplint verify needs torch and optuna: pip install "hplint[verify]"'

# The demonstrations, in the order they run; which rules each one measures
# is said once, by the rules themselves (``Rule.demonstration``).
DEMOS = ("spacing", "range", "strategy", "lr-first", "pruning", "interactions", "budget", "direction",
         "test-selection")


def demo_codes() -> dict[str, tuple[str, ...]]:
    """demo name -> the rule codes whose claim it measures (torch-free, for ``hplint explain``)."""
    from hplint.core.registry import all_rules

    rules = all_rules()
    return {demo: tuple(r.code for r in rules if r.demonstration == demo) for demo in DEMOS}


def demos_for(selectors: list[str]) -> list[str]:
    """Demo names whose codes match any selector (a code, a prefix like ``HPL3``, or a demo name).

    No selector means every demo. Raises ``KeyError`` naming a selector that matches nothing.
    """
    codes_of = demo_codes()
    if not selectors:
        return list(codes_of)
    chosen: set[str] = set()
    for selector in selectors:
        key = selector.strip()
        matched = {
            name
            for name, codes in codes_of.items()
            if name == key.lower() or any(code.startswith(key.upper()) for code in codes)
        }
        if not key or not matched:
            raise KeyError(selector)
        chosen |= matched
    return [name for name in codes_of if name in chosen]
