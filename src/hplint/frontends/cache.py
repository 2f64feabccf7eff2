"""A content-hash result cache, so an unchanged file is never linted twice.

One shard file per effective configuration, holding ``path -> (sha256 of the
file's bytes, outcome)``.  The shard name hashes the hplint version, a
fingerprint of hplint's own source files (an edited rule invalidates
everything) and ``Config.cache_key``; an entry is used only when the file's
bytes hash to the recorded digest, so a touched-but-unchanged file still hits
and an edited one always misses.  The path is part of the entry because
messages name the file.

Only lint results are cached: fixing writes files, so it always runs fresh.

Concurrent runs are safe: a shard is written to a temporary file and renamed
into place, merged with what another run wrote meanwhile; an unreadable or
corrupt shard is treated as empty, never as an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from hplint import __version__
from hplint.core.config import Config
from hplint.core.diagnostics import Diagnostic

DEFAULT_DIR = ".hplint_cache"
_FORMAT = 1
Entry = Tuple[str, List[Diagnostic]]  # (content digest, diagnostics)


def _package_fingerprint() -> str:
    """Size and mtime of every hplint module: a changed rule changes findings."""
    root = Path(__file__).resolve().parent
    parts = [__version__, str(_FORMAT)]
    for path in sorted(root.rglob("*.py")):
        try:
            info = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(root)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class ResultCache:
    """Shards of cached outcomes under one directory, loaded on first use."""

    def __init__(self, directory: str = DEFAULT_DIR) -> None:
        self.directory = directory
        self._fingerprint = _package_fingerprint()
        self._shards: Dict[str, Dict[str, Entry]] = {}
        self._dirty: Dict[str, Dict[str, Entry]] = {}

    def shard_name(self, config: Config) -> str:
        settings = hashlib.sha256(config.cache_key.encode()).hexdigest()[:16]
        return f"v{_FORMAT}-{self._fingerprint[:16]}-{settings}.pickle"

    def get(self, path: str, digest: str, config: Config) -> Optional[List[Diagnostic]]:
        """The cached diagnostics for these exact bytes at this path, or None."""
        entry = self._shard(self.shard_name(config)).get(path)
        if entry is None or entry[0] != digest:
            return None
        return entry[1]

    def put(self, path: str, digest: str, config: Config, diagnostics: Iterable[Diagnostic]) -> None:
        name = self.shard_name(config)
        entry = (digest, list(diagnostics))
        self._shard(name)[path] = entry
        self._dirty.setdefault(name, {})[path] = entry

    def save(self) -> None:
        """Write the shards that gained entries; never raises (a cache is optional)."""
        if not self._dirty:
            return
        try:
            os.makedirs(self.directory, exist_ok=True)
            _write_gitignore(self.directory)
        except OSError:
            return
        for name, new in self._dirty.items():
            merged = _load(os.path.join(self.directory, name))  # another run may have written
            merged.update(new)
            _atomic_write(os.path.join(self.directory, name), merged)
        self._dirty.clear()
        self._drop_stale()

    def _drop_stale(self) -> None:
        """Shards of another hplint build can never hit again: remove them."""
        current = f"v{_FORMAT}-{self._fingerprint[:16]}-"
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        for name in names:
            if name.endswith(".pickle") and not name.startswith((current, ".")):
                try:
                    os.unlink(os.path.join(self.directory, name))
                except OSError:
                    pass

    def _shard(self, name: str) -> Dict[str, Entry]:
        shard = self._shards.get(name)
        if shard is None:
            shard = self._shards[name] = _load(os.path.join(self.directory, name))
        return shard


def _load(path: str) -> Dict[str, Entry]:
    """A shard's entries; anything unreadable or malformed counts as empty."""
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except FileNotFoundError:
        return {}
    except Exception:  # a truncated or foreign file must not stop a lint run
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return data["entries"]


def _atomic_write(path: str, entries: Dict[str, Entry]) -> None:
    directory = os.path.dirname(path) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".pickle")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump({"format": _FORMAT, "entries": entries}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _write_gitignore(directory: str) -> None:
    """The cache ignores itself, so no project needs a .gitignore line for it."""
    path = os.path.join(directory, ".gitignore")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("# created by hplint\n*\n")
