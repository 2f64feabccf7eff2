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
corrupt shard, or entry, is treated as empty, never as an error.

The cache only ever deletes files it can prove it wrote: its folder carries a
``CACHEDIR.TAG`` naming hplint, written when hplint created the folder; only
in such a folder does it write a ``.gitignore`` and remove stale shards, and
only files named like its own shards.  Pointed at a folder it did not create
(``--cache-dir .``), it keeps its files in a tagged ``.hplint_cache`` inside.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from hplint import __version__
from hplint.core.config import Config
from hplint.core.diagnostics import Diagnostic

DEFAULT_DIR = ".hplint_cache"
_FORMAT = 1
Entry = Tuple[str, List[Diagnostic]]  # (content digest, diagnostics)
TAG_NAME = "CACHEDIR.TAG"
# the cache-directory tag convention (bford.org/cachedir), naming its writer
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache written by hplint; it can be deleted.\n"
_SHARD = re.compile(r"v\d+-[0-9a-f]{16}-[0-9a-f]{16}\.pickle")


def package_root() -> Path:
    """The ``hplint`` package folder (this module lives in ``hplint/frontends``)."""
    return Path(__file__).resolve().parent.parent


def _package_fingerprint() -> str:
    """Size and mtime of every hplint module: a changed rule changes findings."""
    root = package_root()
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
        self.directory = _own_folder(directory)
        self._fingerprint = _package_fingerprint()
        self._shards: Dict[str, Dict[str, Entry]] = {}
        self._dirty: Dict[str, Dict[str, Entry]] = {}

    def shard_name(self, config: Config) -> str:
        settings = hashlib.sha256(config.cache_key.encode()).hexdigest()[:16]
        return f"v{_FORMAT}-{self._fingerprint[:16]}-{settings}.pickle"

    def get(self, path: str, digest: str, config: Config) -> Optional[List[Diagnostic]]:
        """The cached diagnostics for these exact bytes at this path, or None."""
        entry = self._shard(self.shard_name(config)).get(path)
        if not _well_formed(entry) or entry[0] != digest:  # type: ignore[index]
            return None
        return list(entry[1])  # type: ignore[index]

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
            _make_own_folder(self.directory)
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
        if not _is_own_folder(self.directory):
            return
        current = f"v{_FORMAT}-{self._fingerprint[:16]}-"
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        for name in names:
            if _SHARD.fullmatch(name) and not name.startswith(current):
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


def _well_formed(entry: object) -> bool:
    """An entry as ``put`` writes it: (digest, [Diagnostic, ...])."""
    return (
        isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and isinstance(entry[1], list)
        and all(isinstance(d, Diagnostic) for d in entry[1])
    )


_IGNORE_ALL = "# created by hplint\n*\n"


def _is_own_folder(directory: str) -> bool:
    """Tagged by hplint, or (a folder an earlier hplint made) holding only its
    ``.gitignore`` and shards: then it is tagged now."""
    if _read(os.path.join(directory, TAG_NAME)) == TAG:
        return True
    if _read(os.path.join(directory, ".gitignore")) != _IGNORE_ALL:
        return False
    try:
        names = os.listdir(directory)
        if not all(name == ".gitignore" or _SHARD.fullmatch(name) or name.startswith(".tmp-") for name in names):
            return False
        with open(os.path.join(directory, TAG_NAME), "w", encoding="utf-8") as handle:
            handle.write(TAG)
    except OSError:
        return False
    return True


def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return None


def _own_folder(directory: str) -> str:
    """Where the shards go: ``directory`` if hplint made it (or may make it), else
    a folder of hplint's own inside it."""
    if not os.path.exists(directory) or _is_own_folder(directory):
        return directory
    return os.path.join(directory, DEFAULT_DIR)


def _make_own_folder(directory: str) -> None:
    """Create the cache folder, tagged as hplint's, ignored by git."""
    if os.path.isdir(directory):
        if not _is_own_folder(directory):
            raise OSError(f"{directory} is not hplint's cache folder")
        return
    os.makedirs(directory)
    with open(os.path.join(directory, TAG_NAME), "w", encoding="utf-8") as handle:
        handle.write(TAG)
    with open(os.path.join(directory, ".gitignore"), "w", encoding="utf-8") as handle:
        handle.write(_IGNORE_ALL)
