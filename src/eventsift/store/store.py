"""The store: articles, rejects, HTTP validators and MinHash LSH bands in SQLite or PostgreSQL.

SQLAlchemy Core only. The schema is created and upgraded by the Alembic migrations shipped inside the
package (``eventsift/store/migrations``), run programmatically every time a store is opened, so an installed
package needs no ``alembic.ini``. The tables below mirror the migrations for building queries; a test
checks that the two agree.

``db`` may be a SQLAlchemy URL (``sqlite:///path.db``, ``postgresql://user@host/db``) or a plain file
path, read as a SQLite path. ``postgresql://`` uses the psycopg 3 driver. SQLite runs in WAL mode with
foreign keys on; every write is one transaction, so a failure on one article never undoes another.

:meth:`Store.atomic` groups writes: every store call made inside the block (in this thread) joins one
transaction, each call a savepoint in it, committed together when the block ends or not at all. The
ingest commits an article's store, dedup and merge this way, so a crash never leaves an article
stored without its events. Writers serialise: SQLite by its write lock (``BEGIN IMMEDIATE``, waiting
up to ``busy_timeout``), PostgreSQL by a transaction-level advisory lock taken at the block's start.

Every database failure surfaces as :class:`~eventsift.errors.StoreError` with a one-line message.
"""

from __future__ import annotations

import json
import logging
import re
import struct
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Self

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import (
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.elements import ColumnElement

from ..errors import StoreError, one_line
from ..records import Article, Reject, content_hash
from .schema import articles, events, http_cache, metadata, minhash_bands, rejects, signatures, stories

__all__ = [
    "MIGRATIONS",
    "ArticleSummary",
    "Store",
    "articles",
    "database_url",
    "http_cache",
    "metadata",
    "minhash_bands",
    "open_store",
    "rejects",
    "signatures",
]

logger = logging.getLogger(__name__)

MIGRATIONS = "eventsift.store:migrations"  # Alembic script location, as a package resource
_PG_MIGRATION_LOCK = 0x6576656E  # advisory lock key ("even") serialising first-open migrations
_PG_WRITER_LOCK = 0x65767772  # advisory lock key ("evwr") serialising atomic writers (ingest, merge)
_IMMEDIATE = "eventsift_immediate"  # execution option: SQLite write transactions take the lock at BEGIN
_MAX_MESSAGE = 300
_SQLITE_BUSY_MS = 30_000  # how long a SQLite writer waits for another's transaction (an article's storing)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Article fields that have a column of their own; the column wins over the JSON record on reading.
_COLUMN_FIELDS = (
    "id",
    "content_hash",
    "source_kind",
    "location",
    "url",
    "source",
    "author",
    "title",
    "standfirst",
    "byline",
    "dateline",
    "published",
    "published_note",
    "body",
    "language",
    "language_score",
    "halted",
    "syndication_group",
)


@dataclass(frozen=True)
class ArticleSummary:
    """One line of an article listing."""

    id: str
    title: str | None
    published: str | None
    source: str | None
    language: str | None
    halted: str | None
    syndication_group: str | None
    words: int
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------------------------- URLs


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


def _create_engine(url: URL) -> Engine:
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
    immediate = conn.get_execution_options().get(_IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _db_message(exc: BaseException) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    message = one_line(cause)
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


# ---------------------------------------------------------------------------------- row conversion


def _check_text(article_id: str, name: str, value: Any) -> None:
    if not isinstance(value, str):
        return
    if "\x00" in value:
        raise StoreError(f"article {article_id}: {name} contains a NUL character, which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StoreError(f"article {article_id}: {name} is not valid Unicode ({exc.reason})") from exc


def _validate(article: Article) -> None:
    if not article.id:
        raise StoreError("article has no id")
    for name, value in vars(article).items():
        _check_text(article.id, name, value)


def _ensure_hash(article: Article) -> str:
    if not article.content_hash:
        article.content_hash = content_hash(article.raw_text or article.raw_html or article.body or "")
    return article.content_hash


def _raw_of(article: Article) -> tuple[str | None, str | None]:
    """Which raw field goes into the ``raw`` column (HTML first), and its text."""
    if article.raw_html is not None:
        return "html", article.raw_html
    if article.raw_text is not None:
        return "text", article.raw_text
    return None, None


def _record_json(article: Article, raw_kind: str | None) -> str:
    record = article.to_dict()
    record.pop("minhash", None)
    record.pop("raw_html", None)
    if raw_kind == "text" or record.get("raw_text") is None:
        record.pop("raw_text", None)
    return _to_json(str(article.id), record)


def _to_json(article_id: str, record: dict[str, Any]) -> str:
    dumped = json.dumps(record, ensure_ascii=False, sort_keys=True)  # control characters come out escaped
    _check_text(article_id, "record", dumped)
    return dumped


def _article_values(article: Article) -> dict[str, Any]:
    raw_kind, raw = _raw_of(article)
    values = {name: getattr(article, name) for name in _COLUMN_FIELDS}
    values.update(
        body=article.body or "",
        words=len((article.body or "").split()),
        raw_kind=raw_kind,
        raw=raw,
        record=_record_json(article, raw_kind),
    )
    return values


def _article_from_row(row: Any, minhash: list[int] | None) -> Article:
    data: dict[str, Any] = json.loads(row.record)
    data.update({name: getattr(row, name) for name in _COLUMN_FIELDS})
    if row.raw_kind == "html":
        data["raw_html"] = row.raw
    elif row.raw_kind == "text":
        data["raw_text"] = row.raw
    data["minhash"] = minhash
    return Article.from_dict(data)


def _summary(row: Any) -> ArticleSummary:
    return ArticleSummary(
        id=row.id,
        title=row.title,
        published=row.published,
        source=row.source,
        language=row.language,
        halted=row.halted,
        syndication_group=row.syndication_group,
        words=int(row.words),
        url=row.url,
    )


def _encode_signature(signature: Sequence[int]) -> bytes:
    values = [int(v) for v in signature]
    if any(v < 0 or v >= 2**64 for v in values):
        raise StoreError("MinHash signature values must be unsigned 64-bit integers")
    code = "I" if all(v < 2**32 for v in values) else "Q"
    return struct.pack(f"<{len(values)}{code}", *values)


def _decode_signature(blob: bytes, num_perm: int) -> list[int]:
    if num_perm <= 0 or len(blob) not in (4 * num_perm, 8 * num_perm):
        raise StoreError(f"stored MinHash signature has {len(blob)} bytes for {num_perm} permutations")
    code = "I" if len(blob) == 4 * num_perm else "Q"
    return list(struct.unpack(f"<{num_perm}{code}", blob))


def _date_bound(name: str, value: str | date | None) -> str | None:
    if value is None:
        return None
    text_value = value.isoformat() if isinstance(value, date) else str(value)
    if not _DATE.match(text_value):
        raise StoreError(f"{name}: expected a date as YYYY-MM-DD, got {text_value!r}")
    return text_value


def _now() -> datetime:
    return datetime.now(UTC)


# ----------------------------------------------------------------------------------------- Store


class Store:
    """A handle on one eventsift database. Open with :func:`open_store`; use as a context manager."""

    def __init__(self, db: str) -> None:
        self.url = database_url(db)
        self._closed = False
        try:
            self._engine = _create_engine(self.url)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot open database {self.display_url}: {_db_message(exc)}") from exc
        self._writer = self._engine.execution_options(**{_IMMEDIATE: True})
        self._local = threading.local()  # .unit: the connection of this thread's atomic block
        try:
            self._migrate()
        except BaseException:
            self._engine.dispose()
            raise

    # ---------------------------------------------------------------- lifecycle and plumbing

    @property
    def display_url(self) -> str:
        """The database URL with any password hidden, for messages and logs."""
        return self.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for read-only uses such as exports (writes go through methods)."""
        return self._engine

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.url.get_backend_name()

    def close(self) -> None:
        """Release every connection; the store cannot be used afterwards. Safe to call twice."""
        if not self._closed:
            self._closed = True
            self._engine.dispose()
            logger.debug("closed store %s", self.display_url)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _unit(self) -> Connection | None:
        return getattr(self._local, "unit", None)

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        """A connection for reading; inside :meth:`atomic`, its own (so reads see its writes)."""
        self._check_open()
        unit = self._unit()
        try:
            if unit is not None:
                yield unit
                return
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"{action}: {_db_message(exc)}") from exc

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back (and mapped) on error. Inside
        :meth:`atomic`, a savepoint of its transaction: a failure undoes this call only, and the
        caller decides whether the whole block goes on."""
        self._check_open()
        unit = self._unit()
        try:
            if unit is not None:
                with unit.begin_nested():
                    yield unit
                return
            with self._writer.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"{action}: {_db_message(exc)}") from exc

    @contextmanager
    def atomic(self, action: str = "cannot write") -> Iterator[Connection]:
        """Every store call in the block (in this thread) commits together, or none does.

        Writers serialise for the whole block (see the module docstring), so what the block reads
        (a copy already stored, candidate stories) cannot change under it before it commits. A
        block inside a block joins the outer one."""
        unit = self._unit()
        if unit is not None:
            yield unit
            return
        with self._write(action) as conn:
            if self.backend == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITER_LOCK})
            self._local.unit = conn
            try:
                yield conn
            finally:
                self._local.unit = None

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the store is closed")

    def _migrate(self) -> None:
        """Bring the schema to the newest migration (creating it in an empty database)."""
        config = Config()
        config.set_main_option("script_location", MIGRATIONS)
        head = ScriptDirectory.from_config(config).get_current_head()
        with self._write(f"cannot migrate database {self.display_url}") as conn:
            if self.backend == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            before = _current_revision(conn)
            if before == head:
                return
            config.attributes["connection"] = conn
            try:
                command.upgrade(config, "head")
            except CommandError as exc:  # e.g. a schema revision this version does not know
                raise StoreError(
                    f"cannot migrate database {self.display_url} from revision {before}: {one_line(exc)}"
                ) from exc
        logger.info("migrated %s from %s to %s", self.display_url, before or "empty", head)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        with self._read("cannot read schema revision") as conn:
            return _current_revision(conn)

    # ---------------------------------------------------------------------------- articles

    def add_article(self, article: Article) -> bool:
        """Store a new article; False (storing nothing) when its content hash is already stored."""
        _validate(article)
        digest = _ensure_hash(article)
        try:
            with self._write(f"cannot store article {article.id}") as conn:
                if _hash_exists(conn, digest):
                    logger.debug("article %s: content %s already stored", article.id, digest)
                    return False
                conn.execute(insert(articles).values(**_article_values(article), ingested_at=_now()))
                if article.minhash:
                    _put_signature(conn, article.id, article.minhash, len(article.minhash))
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                return self._after_conflict(article, digest, exc)
            raise
        logger.debug("stored article %s", article.id)
        return True

    def _after_conflict(self, article: Article, digest: str, exc: StoreError) -> bool:
        """An insert clashed: a concurrent copy of the same content is fine, anything else is not."""
        if self.has_content_hash(digest):
            return False
        if self.get_article_exact(article.id) is not None:
            raise StoreError(f"article id {article.id} is already stored with other content") from exc
        raise exc

    def update_article(self, article: Article) -> None:
        """Write a stored article's fields again (after later stages changed body, group, ...)."""
        _validate(article)
        values = _article_values(article)
        if not article.content_hash:
            values.pop("content_hash")
        with self._write(f"cannot update article {article.id}") as conn:
            result = conn.execute(update(articles).where(articles.c.id == article.id).values(**values))
            if result.rowcount == 0:
                raise StoreError(f"cannot update article {article.id}: it is not stored")
            if article.minhash:
                _put_signature(conn, article.id, article.minhash, len(article.minhash))

    def get_article_exact(self, article_id: str) -> Article | None:
        """The article with exactly this id, or None."""
        with self._read(f"cannot read article {article_id}") as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
            return None if row is None else _article_from_row(row, _get_signature(conn, row.id))

    def get_article(self, id_or_prefix: str) -> Article | None:
        """The article with this id or unique id prefix; StoreError when the prefix is ambiguous."""
        key = id_or_prefix.strip()
        if not key:
            raise StoreError("no article id given")
        exact = self.get_article_exact(key)
        if exact is not None:
            return exact
        with self._read(f"cannot read article {key}") as conn:
            query = select(articles.c.id).where(articles.c.id.startswith(key, autoescape=True))
            ids = list(conn.scalars(query.order_by(articles.c.id).limit(6)))
        if len(ids) > 1:
            shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
            raise StoreError(f"article id prefix {key!r} is ambiguous: it matches {shown}")
        return self.get_article_exact(ids[0]) if ids else None

    def has_content_hash(self, digest: str) -> bool:
        with self._read("cannot look up content hash") as conn:
            return _hash_exists(conn, digest)

    def article_id_for_hash(self, digest: str) -> str | None:
        with self._read("cannot look up content hash") as conn:
            query = select(articles.c.id).where(articles.c.content_hash == digest)
            return conn.scalars(query).first()

    def count_articles(self) -> int:
        with self._read("cannot count articles") as conn:
            return int(conn.scalar(select(func.count()).select_from(articles)) or 0)

    def url_known(self, url: str) -> bool:
        """Whether an article read from this URL is stored."""
        with self._read("cannot look up URL") as conn:
            return (
                conn.scalars(select(articles.c.id).where(articles.c.url == url).limit(1)).first() is not None
            )

    def list_articles(
        self,
        *,
        language: str | None = None,
        source: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        halted: bool | None = None,
        group: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ArticleSummary]:
        """Articles matching every given filter, newest publication first (undated last)."""
        conditions = _filters(
            language=language,
            source=source,
            since=_date_bound("since", since),
            until=_date_bound("until", until),
            halted=halted,
            group=group,
            search=search,
        )
        columns = [articles.c[f.name] for f in fields(ArticleSummary)]
        query = (
            select(*columns)
            .where(*conditions)
            .order_by(articles.c.published.desc().nulls_last(), articles.c.ingested_at.desc(), articles.c.id)
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        with self._read("cannot list articles") as conn:
            return [_summary(row) for row in conn.execute(query)]

    # ----------------------------------------------------------------------------- rejects

    def add_reject(self, reject: Reject) -> None:
        """Record an input or article that failed a stage."""
        values = {**reject.to_dict(), "created_at": _now()}
        for name in ("location", "stage", "reason", "article_id"):
            if isinstance(values[name], str):
                values[name] = values[name].replace("\x00", "\\x00")
        with self._write(f"cannot record reject for {reject.location}") as conn:
            conn.execute(insert(rejects).values(**values))

    def list_rejects(self, limit: int = 100) -> list[Reject]:
        """The newest rejects first."""
        query = select(rejects).order_by(rejects.c.id.desc()).limit(max(0, limit))
        with self._read("cannot list rejects") as conn:
            return [Reject(r.location, r.stage, r.reason, r.article_id) for r in conn.execute(query)]

    def count_rejects(self) -> int:
        with self._read("cannot count rejects") as conn:
            return int(conn.scalar(select(func.count()).select_from(rejects)) or 0)

    def count_events(self) -> int:
        with self._read("cannot count events") as conn:
            return int(conn.scalar(select(func.count()).select_from(events)) or 0)

    def count_stories(self) -> int:
        with self._read("cannot count stories") as conn:
            return int(conn.scalar(select(func.count()).select_from(stories)) or 0)

    # ----------------------------------------------------------------------- HTTP validators

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """``(etag, last_modified)`` remembered for a URL, or None if it was never fetched."""
        query = select(http_cache.c.etag, http_cache.c.last_modified).where(http_cache.c.url == url)
        with self._read("cannot read HTTP cache") as conn:
            row = conn.execute(query).first()
        return None if row is None else (row.etag, row.last_modified)

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of a fetched URL (replacing earlier ones)."""
        values = {"etag": etag, "last_modified": last_modified, "fetched_at": _now()}
        try:
            self._upsert_validators(url, values)
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            self._upsert_validators(url, values)  # a concurrent writer inserted it first: update

    def _upsert_validators(self, url: str, values: dict[str, Any]) -> None:
        with self._write(f"cannot write HTTP cache for {url}") as conn:
            result = conn.execute(update(http_cache).where(http_cache.c.url == url).values(**values))
            if result.rowcount == 0:
                conn.execute(insert(http_cache).values(url=url, **values))

    # ------------------------------------------------------------------- MinHash LSH, groups

    def add_minhash(
        self, article_id: str, bands: Sequence[tuple[int, str]], signature: Sequence[int], num_perm: int
    ) -> None:
        """Store (replacing) an article's LSH band buckets and MinHash signature."""
        if len(signature) != num_perm:
            raise StoreError(f"article {article_id}: signature has {len(signature)} values, not {num_perm}")
        rows = [{"article_id": article_id, "band": int(b), "bucket": str(k)} for b, k in bands]
        with self._write(f"cannot store MinHash for article {article_id}") as conn:
            conn.execute(delete(minhash_bands).where(minhash_bands.c.article_id == article_id))
            if rows:
                conn.execute(insert(minhash_bands), rows)
            _put_signature(conn, article_id, signature, num_perm)

    def lsh_candidates(self, bands: Iterable[tuple[int, str]], *, exclude: str | None = None) -> set[str]:
        """Ids of stored articles sharing at least one (band, bucket) with ``bands``."""
        pairs = sorted({(int(b), str(k)) for b, k in bands})
        found: set[str] = set()
        with self._read("cannot look up LSH candidates") as conn:
            for start in range(0, len(pairs), 200):
                found.update(conn.scalars(_candidates_query(pairs[start : start + 200])))
        found.discard(exclude or "")
        return found

    def get_signature(self, article_id: str) -> list[int] | None:
        with self._read(f"cannot read signature of article {article_id}") as conn:
            return _get_signature(conn, article_id)

    def set_syndication_group(self, article_id: str, group_id: str | None) -> None:
        """Put an article in a syndication group (None takes it out of any)."""
        with self._write(f"cannot set syndication group of article {article_id}") as conn:
            record = conn.scalar(select(articles.c.record).where(articles.c.id == article_id))
            if record is None:
                raise StoreError(f"cannot set syndication group of article {article_id}: it is not stored")
            data = json.loads(record)
            data["syndication_group"] = group_id
            values = {"syndication_group": group_id, "record": _to_json(article_id, data)}
            conn.execute(update(articles).where(articles.c.id == article_id).values(**values))

    def get_syndication_group(self, article_id: str) -> str | None:
        """The syndication group of a stored article (None if it has none or is not stored)."""
        query = select(articles.c.syndication_group).where(articles.c.id == article_id)
        with self._read(f"cannot read syndication group of article {article_id}") as conn:
            return conn.scalar(query)

    def syndication_members(self, group_id: str) -> list[str]:
        """Ids in a syndication group, in the order they were stored."""
        query = (
            select(articles.c.id)
            .where(articles.c.syndication_group == group_id)
            .order_by(articles.c.ingested_at, articles.c.id)
        )
        with self._read(f"cannot list syndication group {group_id}") as conn:
            return list(conn.scalars(query))


# --------------------------------------------------------------------------------- query helpers


def _current_revision(conn: Connection) -> str | None:
    """The Alembic revision recorded in the database (None when it has no schema yet)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.scalar(text("SELECT version_num FROM alembic_version"))


def _hash_exists(conn: Connection, digest: str) -> bool:
    query = select(articles.c.id).where(articles.c.content_hash == digest).limit(1)
    return conn.scalars(query).first() is not None


def _put_signature(conn: Connection, article_id: str, signature: Sequence[int], num_perm: int) -> None:
    blob = _encode_signature(signature)
    conn.execute(delete(signatures).where(signatures.c.article_id == article_id))
    conn.execute(insert(signatures).values(article_id=article_id, num_perm=num_perm, signature=blob))


def _get_signature(conn: Connection, article_id: str) -> list[int] | None:
    query = select(signatures.c.signature, signatures.c.num_perm).where(signatures.c.article_id == article_id)
    row = conn.execute(query).first()
    return None if row is None else _decode_signature(bytes(row.signature), int(row.num_perm))


def _candidates_query(pairs: Sequence[tuple[int, str]]) -> Any:
    matches = [and_(minhash_bands.c.band == b, minhash_bands.c.bucket == k) for b, k in pairs]
    return select(minhash_bands.c.article_id).where(or_(*matches)).distinct()


def _filters(
    *,
    language: str | None,
    source: str | None,
    since: str | None,
    until: str | None,
    halted: bool | None,
    group: str | None,
    search: str | None,
) -> list[ColumnElement[bool]]:
    c = articles.c
    conditions: list[ColumnElement[bool]] = []
    if language is not None:
        conditions.append(c.language == language)
    if source is not None:
        conditions.append(c.source == source)
    if since is not None:
        conditions.append(c.published >= since)
    if until is not None:
        conditions.append(c.published <= until)
    if halted is not None:
        conditions.append(c.halted.is_not(None) if halted else c.halted.is_(None))
    if group is not None:
        conditions.append(c.syndication_group == group)
    if search:
        needle = search.lower()
        conditions.append(
            or_(
                func.lower(c.title).contains(needle, autoescape=True),
                func.lower(c.body).contains(needle, autoescape=True),
            )
        )
    return conditions


def open_store(url: str) -> Store:
    """Open (creating or upgrading the schema if needed) the database at ``url``."""
    store = Store(url)
    logger.debug("opened store %s", store.display_url)
    return store
