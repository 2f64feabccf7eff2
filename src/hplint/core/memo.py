"""Values several prefilter stages derive from the file being linted, computed once.

The text stages of every rule lower-case the same source, the ``ast`` stages
share one parse and one index of it.  They are memoised here for the length
of one file (``file_scope``) and dropped when the file is done: a host
process such as flake8 must not keep the previous file's tree alive, since
its garbage collector would walk it on every full collection.

An editor's document is linted again after every edit, and the server's
``Reparser`` hands each version the unchanged statements' libcst nodes of the
last one.  Values derived from such a node alone (its children, a statement's
parent map) are then carried over (``Carry``): a table entry of the last
version whose node is asked for again is reused, and what the new version did
not ask for is dropped with it.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Optional, Set, Tuple, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_scope: Optional[Dict[str, Tuple[Any, Any]]] = None
_carry: Optional["Carry"] = None


class Carry:
    """The node-keyed tables (``table``) of a document's last version, for the next one."""

    def __init__(self) -> None:
        self.last: Dict[str, Dict[Any, Any]] = {}
        self.kinds: Set[str] = set()  # the tables read through ``earlier``: only they are kept

    def earlier(self, kind: str, node: object) -> Optional[Tuple[Any, Any]]:
        """The last version's ``(node, value)`` entry for this very node, or None."""
        self.kinds.add(kind)
        entry = self.last.get(kind, {}).get(id(node))
        return entry if entry is not None and entry[0] is node else None


@contextmanager
def file_scope(carry: Optional[Carry] = None) -> Iterator[None]:
    """Memoise per-file values until the block ends; with ``carry``, node-keyed
    tables start from the last version's entries and are kept for the next."""
    global _scope, _carry
    outer, _scope = _scope, {}
    outer_carry, _carry = _carry, carry
    try:
        yield
        if carry is not None:
            carry.last = {kind: _scope[kind][1] for kind in carry.kinds if kind in _scope}
    finally:
        _scope, _carry = outer, outer_carry


def earlier(kind: str, node: object) -> Optional[Tuple[Any, Any]]:
    """The ``(node, value)`` entry the document's last version kept in table ``kind``
    for this very node (see ``Carry``), or None."""
    carry = _carry
    return carry.earlier(kind, node) if carry is not None else None


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


def seeded(kind: str) -> Any:
    """The value ``seed`` recorded for ``kind`` in this scope, whatever its key; None if none."""
    entry = _scope.get(kind) if _scope is not None else None
    return entry[1] if entry is not None else None
