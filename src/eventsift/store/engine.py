"""Connecting to a store's database: the URL of a ``db`` setting, the engine, SQLite's settings, migrations.

``db`` may be a SQLAlchemy URL (``sqlite:///path.db``, ``postgresql://user@host/db``) or a plain file
path, read as a SQLite path. ``postgresql://`` uses the psycopg 3 driver. SQLite runs in WAL mode with
foreign keys on and real transactions (SQLAlchemy emits BEGIN; writers ``BEGIN IMMEDIATE``).

The schema is created and upgraded by the Alembic migrations shipped inside the package
(``eventsift/store/migrations``), run programmatically every time a store is opened, so an installed
package needs no ``alembic.ini``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import StaticPool

from ..errors import StoreError, one_line

__all__ = ["IMMEDIATE", "MIGRATIONS", "current_revision", "database_url", "db_message", "make_engine", "upgrade"]

MIGRATIONS = "eventsift.store:migrations"  # Alembic script location, as a package resource
IMMEDIATE = "eventsift_immediate"  # execution option: SQLite write transactions take the lock at BEGIN
_PG_MIGRATION_LOCK = 0x6576656E  # advisory lock key ("even") serialising first-open migrations
_MAX_MESSAGE = 300
_SQLITE_BUSY_MS = 30_000  # how long a SQLite writer waits for another's transaction (an article's storing)


def database_url(db: str) -> URL:
    """The SQLAlchemy URL for a ``db`` setting: a URL, or a plain path read as a SQLite file."""
    if not db or not db.strip():
        raise StoreError("no database given: set 'db' to a SQLite path or a postgresql:// URL")
    if "://" not in db:
        return URL.create("sqlite", database=str(Path(db).expanduser()))
    try:
        url = make_url(db)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"cannot read database URL {db!r}: {one_line(exc)}") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {url.get_backend_name()!r}: use SQLite or PostgreSQL")
    return url


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def make_engine(url: URL) -> Engine:
    """The engine for ``url``; SQLite ones get the connection settings below."""
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if _is_memory(url):
        engine = create_engine(url, poolclass=StaticPool)
    else:
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _sqlite_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL, foreign keys, a busy timeout, SQLAlchemy-controlled BEGIN, Unicode-aware ``lower()``."""
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _on_sqlite_begin)
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout first: the journal-mode switch takes a lock too, and without a timeout a
        # second writer opening the file at that moment fails at once with "database is locked".
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
    # SQLite's own lower() folds ASCII only; PostgreSQL's folds Unicode. Make search behave the same.
    dbapi_connection.create_function("lower", 1, _sqlite_lower, deterministic=True)


def _on_sqlite_begin(conn: Connection) -> None:
    """Real transactions on SQLite; writers take the write lock up front to avoid stale snapshots."""
    immediate = conn.get_execution_options().get(IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def db_message(exc: BaseException) -> str:
    """A database error as one line of at most ``_MAX_MESSAGE`` characters (the driver's own words)."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    message = one_line(cause)
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def current_revision(conn: Connection) -> str | None:
    """The Alembic revision recorded in the database (None when it has no schema yet)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.scalar(text("SELECT version_num FROM alembic_version"))


def upgrade(conn: Connection, display_url: str) -> tuple[str | None, str | None] | None:
    """Bring the schema to the newest migration inside ``conn``'s transaction (creating it if empty);
    returns the revisions before and after, or None when it was already at the newest."""
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    head = ScriptDirectory.from_config(config).get_current_head()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    before = current_revision(conn)
    if before == head:
        return None
    config.attributes["connection"] = conn
    try:
        command.upgrade(config, "head")
    except CommandError as exc:  # e.g. a schema revision this version does not know
        raise StoreError(f"cannot migrate database {display_url} from revision {before}: {one_line(exc)}") from exc
    return before, head
