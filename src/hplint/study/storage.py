"""Opening an Optuna storage read-only: it is read once, never written or upgraded.

A study's storage is often the only record of weeks of compute, and other
workers may still be writing to it: hplint must not create a table, upgrade a
schema, add a row or hold a lock longer than one read.

- SQLite (a ``sqlite:///`` URL or a file starting with SQLite's header) is
  opened through a ``file:...?mode=ro`` URI: SQLite itself refuses any write.
- Other RDB URLs (PostgreSQL, MySQL) are opened with the session set
  read-only by the server (``default_transaction_read_only``, ``SET SESSION
  TRANSACTION READ ONLY``).
- The schema version is read with a plain query before Optuna sees the URL,
  and Optuna is told to skip table creation and its compatibility check: a
  mismatch is reported, never repaired.
- A journal file (``JournalFileBackend``) is read once into memory and
  replayed by Optuna's ``JournalStorage`` over a backend that refuses appends.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from urllib.parse import quote

SQLITE_HEADER = b"SQLite format 3\x00"
EXTRA = "hplint[study]"


class StudyError(Exception):
    """A storage hplint cannot read; ``str()`` is the one line shown (exit status 2)."""


@dataclass
class Opened:
    """A storage opened read-only, and how to let go of it."""

    label: str  # the storage as the findings name it (a URL without its password)
    storage: Any  # an optuna BaseStorage
    kind: str  # "sqlite", "rdb" or "journal"
    closers: List[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()
        self.closers.clear()


def require_optuna() -> Any:
    try:
        import optuna
    except ImportError:
        raise StudyError(f"hplint study needs optuna: pip install '{EXTRA}'") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def open_storage(target: str) -> Opened:
    """The storage ``target`` names (an RDB URL or a file), opened read-only."""
    require_optuna()
    if "://" in target:
        if target.startswith("sqlite:"):
            return _open_sqlite(_sqlite_path(target), target)
        return _open_rdb(target)
    if not os.path.exists(target):
        raise StudyError(f"{target}: no such file")
    if os.path.isdir(target):
        raise StudyError(f"{target}: a folder, not an Optuna storage (a SQLite file, a journal file or an RDB URL)")
    try:
        with open(target, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StudyError(f"{target}: cannot read: {exc.strerror or exc}") from None
    if head == SQLITE_HEADER:
        return _open_sqlite(target, target)
    return _open_journal(target)


# ---------------------------------------------------------------------------
# SQLite and other RDBs


def _sqlite_path(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        database = make_url(url).database
    except Exception as exc:  # sqlalchemy's ArgumentError: a malformed URL
        raise StudyError(f"{url}: not a storage URL: {exc}") from None
    if not database or database == ":memory:":
        raise StudyError(f"{url}: an in-memory SQLite database holds no finished study")
    if database.startswith("file:"):
        raise StudyError(f"{url}: give the database file's path, not a file: URI")
    if not os.path.isfile(database):
        raise StudyError(f"{url}: no such file {database}")
    return database


def _open_sqlite(path: str, label: str) -> Opened:
    # SQLite's own read-only mode: no write, no journal file, no schema change
    url = "sqlite:///file:" + quote(os.path.abspath(path)) + "?mode=ro&uri=true"
    return _open_url(url, label, {}, "sqlite")


def _open_rdb(url: str) -> Opened:
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception as exc:
        raise StudyError(f"{url}: not a storage URL: {exc}") from None
    label = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        kwargs: Dict[str, Any] = {"connect_args": {"options": "-c default_transaction_read_only=on"}}
    elif backend in ("mysql", "mariadb"):
        kwargs = {"connect_args": {"init_command": "SET SESSION TRANSACTION READ ONLY"}}
    else:
        raise StudyError(f"{label}: hplint reads SQLite, PostgreSQL and MySQL storages read-only, not {backend}")
    return _open_url(url, label, kwargs, "rdb")


def _open_url(url: str, label: str, engine_kwargs: Dict[str, Any], kind: str) -> Opened:
    import sqlalchemy
    from sqlalchemy import exc as sa_exc

    try:
        engine = sqlalchemy.create_engine(url, **engine_kwargs)
    except ImportError as exc:
        name = getattr(exc, "name", None) or str(exc)
        raise StudyError(f"{label}: the database driver is not installed ({name}): install it beside optuna") from None
    except sa_exc.ArgumentError as exc:
        raise StudyError(f"{label}: not a storage URL: {exc}") from None
    except sa_exc.NoSuchModuleError as exc:
        raise StudyError(f"{label}: no SQLAlchemy dialect for this URL ({exc})") from None
    try:
        _check_schema(engine, label)
    finally:
        engine.dispose()
    import optuna

    try:
        storage = optuna.storages.RDBStorage(
            url, engine_kwargs=engine_kwargs, skip_compatibility_check=True, skip_table_creation=True
        )
    except (sa_exc.SQLAlchemyError, ImportError) as exc:
        raise StudyError(f"{label}: cannot open: {_first_line(exc)}") from None
    return Opened(label, storage, kind, [storage.engine.dispose])


def _check_schema(engine: Any, label: str) -> None:
    """The schema version, read with plain queries: Optuna would create the
    tables of an empty database or stamp a version on an old one."""
    import optuna
    from sqlalchemy import exc as sa_exc
    from sqlalchemy import inspect, text

    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if not {"studies", "trials"} <= tables:
                raise StudyError(f"{label}: not an Optuna storage (no studies and trials tables)")
            current = None
            if "alembic_version" in tables:
                current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            written_by = None
            if "version_info" in tables:
                written_by = connection.execute(text("SELECT library_version FROM version_info")).scalar()
    except sa_exc.DBAPIError as exc:
        raise StudyError(f"{label}: not an Optuna storage, or not readable: {_first_line(exc.orig or exc)}") from None
    except sa_exc.SQLAlchemyError as exc:
        raise StudyError(f"{label}: cannot read: {_first_line(exc)}") from None
    head, known = _schema_versions()
    if current == head:
        return
    who = f" (written by optuna {written_by})" if written_by else ""
    ours = f"optuna {optuna.__version__} reads schema {head}"
    if current is None:
        raise StudyError(f"{label}: no schema version recorded{who}; {ours}. hplint never upgrades a storage: "
                         f"upgrade a copy with `optuna storage upgrade --storage URL`")
    if current in known:
        raise StudyError(f"{label}: schema {current}{who} is older than {ours}. hplint never upgrades a storage: "
                         f"upgrade a copy with `optuna storage upgrade --storage URL`, or install optuna {written_by or 'of that schema'}")
    raise StudyError(f"{label}: schema {current}{who} is newer than {ours}: upgrade optuna (pip install -U optuna)")


def _schema_versions() -> Tuple[str, List[str]]:
    """Optuna's head schema revision and every revision it knows, from its alembic scripts."""
    import optuna.storages._rdb as rdb
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(os.path.join(os.path.dirname(rdb.__file__), "alembic"))
    return script.get_current_head() or "", [rev.revision for rev in script.walk_revisions()]


def _first_line(exc: object) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


# ---------------------------------------------------------------------------
# journal files


def _open_journal(path: str) -> Opened:
    from optuna.storages.journal import JournalStorage

    logs = _read_journal(path)
    try:
        storage = JournalStorage(_read_only_backend(logs))
    except StudyError:
        raise
    except Exception as exc:  # a JSON file whose records are not Optuna's operations
        raise StudyError(f"{path}: not an Optuna journal: {_first_line(exc)}") from None
    return Opened(path, storage, "journal")


def _read_journal(path: str) -> List[Dict[str, Any]]:
    """Every complete record, read in one pass (a last line still being written is left out)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise StudyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise StudyError(f"{path}: empty file: not an Optuna storage")
    logs: List[Dict[str, Any]] = []
    lines = data.split(b"\n")
    for number, line in enumerate(lines[:-1], start=1):  # the part after the last newline is incomplete
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            raise StudyError(f"{path}: not an Optuna storage (line {number} is neither JSON nor SQLite)") from None
        if not isinstance(record, dict) or "op_code" not in record:
            raise StudyError(f"{path}: not an Optuna journal (line {number} is not a journal operation)")
        logs.append(record)
    if not logs:
        raise StudyError(f"{path}: not an Optuna storage (no complete journal line)")
    return logs


def _read_only_backend(logs: List[Dict[str, Any]]) -> Any:
    """A journal backend over records already read: Optuna replays them; an append is refused."""
    from optuna.storages.journal import BaseJournalBackend

    class ReadOnlyJournal(BaseJournalBackend):
        def read_logs(self, log_number_from: int) -> Iterable[Dict[str, Any]]:
            return logs[log_number_from:]

        def append_logs(self, new_logs: List[Dict[str, Any]]) -> None:
            raise StudyError("a read-only journal cannot be written")

    return ReadOnlyJournal()


def studies_of(opened: Opened, name: Optional[str]) -> List[Any]:
    """The storage's studies (FrozenStudy), or the one named; a one-line error otherwise."""
    try:
        studies = sorted(opened.storage.get_all_studies(), key=lambda s: s._study_id)
    except Exception as exc:
        raise StudyError(f"{opened.label}: cannot read its studies: {_first_line(exc)}") from None
    if not studies:
        raise StudyError(f"{opened.label}: no study in this storage")
    if name is None:
        return studies
    chosen = [s for s in studies if s.study_name == name]
    if not chosen:
        names = ", ".join(s.study_name for s in studies[:10]) + (", ..." if len(studies) > 10 else "")
        raise StudyError(f"{opened.label}: no study named {name!r} (it has: {names})")
    return chosen
