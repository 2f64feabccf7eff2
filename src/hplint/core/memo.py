"""Values several prefilter stages derive from the file being linted, computed once.

The text stages of every rule lower-case the same source, the ``ast`` stages
share one parse and one index of it.  They are memoised here for the length
of one file (``file_scope``) and dropped when the file is done: a host
process such as flake8 must not keep the previous file's tree alive, since
its garbage collector would walk it on every full collection.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Optional, Tuple, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_scope: Optional[Dict[str, Tuple[Any, Any]]] = None


@contextmanager
def file_scope() -> Iterator[None]:
    """Memoise per-file values until the block ends."""
    global _scope
    outer, _scope = _scope, {}
    try:
        yield
    finally:
        _scope = outer


def once(kind: str, key: K, compute: Callable[[K], V]) -> V:
    """``compute(key)``, reused while the scope lasts and ``key`` is the same object.

    Outside a scope nothing is kept.
    """
    scope = _scope
    if scope is None:
        return compute(key)
    entry = scope.get(kind)
    if entry is not None and entry[0] is key:
        return entry[1]
    value = compute(key)
    scope[kind] = (key, value)
    return value


def table(kind: str) -> Optional[Dict[Any, Any]]:
    """A dict of ``kind`` for the file being linted (values keyed by the caller,
    say one per node), or None outside a scope: then nothing is kept."""
    scope = _scope
    if scope is None:
        return None
    entry = scope.get(kind)
    if entry is None:
        entry = scope[kind] = (None, {})
    return entry[1]


def seed(kind: str, key: Any, value: Any) -> None:
    """Record a value the caller already has (flake8's tree for the source)."""
    if _scope is not None:
        _scope[kind] = (key, value)
