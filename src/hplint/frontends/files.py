"""Finding files, reading them faithfully, and writing fixes back safely.

Reading keeps what a fix must give back: the PEP 263 encoding, a UTF-8 BOM
and the raw bytes (to notice a file that changed under us).  Writing is
atomic (temporary file + rename) and keeps the file's permissions.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Sequence

from hplint.core.config import Config
from hplint.frontends.gitignore import IgnoreCache


class SourceError(Exception):
    """A file that cannot be read as Python source; ``str()`` is the reason."""


@dataclass(frozen=True)
class SourceFile:
    path: str
    text: str  # decoded, BOM removed
    encoding: str  # as detected (utf-8, latin-1, ...)
    bom: bool
    digest: str  # sha256 of the bytes read

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return (codecs.BOM_UTF8 + data) if self.bom else data


def decode_source(data: bytes, path: str = "<stdin>") -> SourceFile:
    """Decode bytes as Python source: BOM, coding cookie, else UTF-8."""
    if b"\x00" in data[:8192]:
        raise SourceError("binary file (contains NUL bytes), not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise SourceError(_decode_message(data, "utf-8", bad) + " and no encoding declared") from None
        raise SourceError(f"cannot determine encoding: {exc}") from None
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if bom else data
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(_decode_message(body, codec, exc)) from None
    except LookupError as exc:
        raise SourceError(f"cannot decode as {codec}: {exc}") from None
    return SourceFile(path, text, codec, bom, hashlib.sha256(data).hexdigest())


def _decode_message(data: bytes, codec: str, exc: UnicodeDecodeError) -> str:
    """Where the first undecodable byte is, as an editor shows it."""
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    return f"not valid {codec}: byte 0x{data[exc.start]:02x} at line {line}, column {column}"


def read_source(path: str) -> SourceFile:
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise SourceError("not a regular file (a FIFO, socket or device); skipped")
            data = handle.read()
        except OSError as exc:
            raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    return decode_source(data, path)


def write_source(original: SourceFile, new_text: str) -> None:
    """Atomically replace the file with ``new_text`` in its original encoding.

    Refuses (SourceError) when the file changed since it was read, so a
    concurrent edit is never overwritten, and when it is not writable.
    """
    path = original.path
    try:
        data = original.encode(new_text)
    except UnicodeEncodeError as exc:
        raise SourceError(f"fix cannot be written in {original.encoding}: {exc}") from None
    try:
        info = os.stat(path)
        with open(path, "rb") as handle:
            current = handle.read()
    except OSError as exc:
        raise SourceError(f"cannot re-read before writing: {exc.strerror or exc}") from None
    if hashlib.sha256(current).hexdigest() != original.digest:
        raise SourceError("file changed while hplint was running; not overwritten")
    # the mode bits too: as root os.access() says yes even to a chmod 444 file
    if not os.access(path, os.W_OK) or not info.st_mode & 0o222:
        raise SourceError("file is read-only; fix not written")
    real = os.path.realpath(path)
    directory = os.path.dirname(real) or "."
    fd, tmp = tempfile.mkstemp(prefix=".hplint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, real)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise SourceError(f"cannot write: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------
# discovery


def is_included(path: str, config: Config) -> bool:
    import fnmatch

    name = os.path.basename(path)
    return any(fnmatch.fnmatch(name, pattern) for pattern in config.include)


def discover(
    paths: Sequence[str],
    config_for: Callable[[str], Config],
    force_exclude: bool = False,
    on_error: Optional[Callable[[str, str], None]] = None,
) -> Iterator[str]:
    """Files to lint under ``paths``: explicit files always (unless
    ``force_exclude``), folders recursively minus excluded ones and, where
    ``respect-gitignore`` is on, minus what ignore files exclude (as ruff)."""
    seen = set()
    for given in paths:
        if os.path.isdir(given):
            for found in _walk(given, config_for, on_error):
                key = os.path.realpath(found)
                if key not in seen:
                    seen.add(key)
                    yield found
        elif os.path.lexists(given):
            if force_exclude and config_for(given).is_excluded(given):
                continue
            key = os.path.realpath(given)
            if key not in seen:
                seen.add(key)
                yield given
        elif on_error is not None:
            on_error(given, "no such file or directory")


def _walk(root: str, config_for: Callable[[str], Config], on_error) -> Iterator[str]:
    def onerror(exc: OSError) -> None:
        if on_error is not None:
            on_error(exc.filename or root, f"cannot list directory: {exc.strerror or exc}")

    ignores = IgnoreCache()
    for directory, dirnames, filenames in os.walk(root, onerror=onerror):
        config = config_for(os.path.join(directory, "__init__.py"))
        rules = ignores.rules(directory, root) if config.respect_gitignore else None
        absolute = os.path.abspath(directory)
        kept = []
        for d in sorted(dirnames):
            full = os.path.join(directory, d)
            if config.is_excluded(full, below=root) or _is_virtualenv(full):
                continue
            if rules is not None and rules.ignored(os.path.join(absolute, d), is_dir=True):
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            full = os.path.join(directory, name)
            if not is_included(full, config) or config.is_excluded(full, below=root):
                continue
            if rules is not None and rules.ignored(os.path.join(absolute, name), is_dir=False):
                continue
            yield full


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))
