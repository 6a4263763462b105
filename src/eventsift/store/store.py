"""The store: articles, rejects, HTTP validators and MinHash LSH bands in SQLite or PostgreSQL.

SQLAlchemy Core only. The schema is created and upgraded by the Alembic migrations shipped inside the
package (``eventsift/store/migrations``), run every time a store is opened (engine.py). The tables
(schema.py) mirror the migrations for building queries; a test checks that the two agree. How articles
become rows is rows.py.

``db`` may be a SQLAlchemy URL (``sqlite:///path.db``, ``postgresql://user@host/db``) or a plain file
path, read as a SQLite path. ``postgresql://`` uses the psycopg 3 driver. SQLite runs in WAL mode with
foreign keys on; every write is one transaction, so a failure on one article never undoes another.

Other modules reach the database through the units of work: :meth:`Store.reading` (a connection for
reading) and :meth:`Store.writing` (one transaction).

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
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any, Self

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import StoreError
from ..records import Article, Reject
from .engine import IMMEDIATE, MIGRATIONS, current_revision, database_url, db_message, make_engine, upgrade
from .rows import (
    ArticleSummary,
    article_from_row,
    article_row,
    candidates_query,
    date_bound,
    ensure_hash,
    hash_exists,
    listing_filters,
    read_signature,
    summary,
    to_json,
    validate,
    write_signature,
)
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

_PG_WRITER_LOCK = 0x65767772  # advisory lock key ("evwr") serialising atomic writers (ingest, merge)


def _now() -> datetime:
    return datetime.now(UTC)


# ----------------------------------------------------------------------------------------- Store


class Store:
    """A handle on one eventsift database. Open with :func:`open_store`; use as a context manager."""

    def __init__(self, db: str) -> None:
        self.url = database_url(db)
        self._closed = False
        try:
            self._engine = make_engine(self.url)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot open database {self.display_url}: {db_message(exc)}") from exc
        self._writer = self._engine.execution_options(**{IMMEDIATE: True})
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
    def reading(self, action: str) -> Iterator[Connection]:
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
            raise StoreError(f"{action}: {db_message(exc)}") from exc

    @contextmanager
    def writing(self, action: str) -> Iterator[Connection]:
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
            raise StoreError(f"{action}: {db_message(exc)}") from exc

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
        with self.writing(action) as conn:
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
        with self.writing(f"cannot migrate database {self.display_url}") as conn:
            migrated = upgrade(conn, self.display_url)
        if migrated is not None:
            logger.info("migrated %s from %s to %s", self.display_url, migrated[0] or "empty", migrated[1])

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        with self.reading("cannot read schema revision") as conn:
            return current_revision(conn)

    # ---------------------------------------------------------------------------- articles

    def add_article(self, article: Article) -> bool:
        """Store a new article; False (storing nothing) when its content hash is already stored."""
        validate(article)
        digest = ensure_hash(article)
        try:
            with self.writing(f"cannot store article {article.id}") as conn:
                if hash_exists(conn, digest):
                    logger.debug("article %s: content %s already stored", article.id, digest)
                    return False
                conn.execute(insert(articles).values(**article_row(article), ingested_at=_now()))
                if article.minhash:
                    write_signature(conn, article.id, article.minhash, len(article.minhash))
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
        validate(article)
        values = article_row(article)
        if not article.content_hash:
            values.pop("content_hash")
        with self.writing(f"cannot update article {article.id}") as conn:
            result = conn.execute(update(articles).where(articles.c.id == article.id).values(**values))
            if result.rowcount == 0:
                raise StoreError(f"cannot update article {article.id}: it is not stored")
            if article.minhash:
                write_signature(conn, article.id, article.minhash, len(article.minhash))

    def get_article_exact(self, article_id: str) -> Article | None:
        """The article with exactly this id, or None."""
        with self.reading(f"cannot read article {article_id}") as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
            return None if row is None else article_from_row(row, read_signature(conn, row.id))

    def get_article(self, id_or_prefix: str) -> Article | None:
        """The article with this id or unique id prefix; StoreError when the prefix is ambiguous."""
        key = id_or_prefix.strip()
        if not key:
            raise StoreError("no article id given")
        exact = self.get_article_exact(key)
        if exact is not None:
            return exact
        with self.reading(f"cannot read article {key}") as conn:
            query = select(articles.c.id).where(articles.c.id.startswith(key, autoescape=True))
            ids = list(conn.scalars(query.order_by(articles.c.id).limit(6)))
        if len(ids) > 1:
            shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
            raise StoreError(f"article id prefix {key!r} is ambiguous: it matches {shown}")
        return self.get_article_exact(ids[0]) if ids else None

    def has_content_hash(self, digest: str) -> bool:
        with self.reading("cannot look up content hash") as conn:
            return hash_exists(conn, digest)

    def article_id_for_hash(self, digest: str) -> str | None:
        with self.reading("cannot look up content hash") as conn:
            query = select(articles.c.id).where(articles.c.content_hash == digest)
            return conn.scalars(query).first()

    def count_articles(self) -> int:
        with self.reading("cannot count articles") as conn:
            return int(conn.scalar(select(func.count()).select_from(articles)) or 0)

    def url_known(self, url: str) -> bool:
        """Whether an article read from this URL is stored."""
        with self.reading("cannot look up URL") as conn:
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
        conditions = listing_filters(
            language=language,
            source=source,
            since=date_bound("since", since),
            until=date_bound("until", until),
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
        with self.reading("cannot list articles") as conn:
            return [summary(row) for row in conn.execute(query)]

    # ----------------------------------------------------------------------------- rejects

    def add_reject(self, reject: Reject) -> None:
        """Record an input or article that failed a stage."""
        values = {**reject.to_dict(), "created_at": _now()}
        for name in ("location", "stage", "reason", "article_id"):
            if isinstance(values[name], str):
                values[name] = values[name].replace("\x00", "\\x00")
        with self.writing(f"cannot record reject for {reject.location}") as conn:
            conn.execute(insert(rejects).values(**values))

    def list_rejects(self, limit: int = 100) -> list[Reject]:
        """The newest rejects first."""
        query = select(rejects).order_by(rejects.c.id.desc()).limit(max(0, limit))
        with self.reading("cannot list rejects") as conn:
            return [Reject(r.location, r.stage, r.reason, r.article_id) for r in conn.execute(query)]

    def count_rejects(self) -> int:
        with self.reading("cannot count rejects") as conn:
            return int(conn.scalar(select(func.count()).select_from(rejects)) or 0)

    def count_events(self) -> int:
        with self.reading("cannot count events") as conn:
            return int(conn.scalar(select(func.count()).select_from(events)) or 0)

    def count_stories(self) -> int:
        with self.reading("cannot count stories") as conn:
            return int(conn.scalar(select(func.count()).select_from(stories)) or 0)

    # ----------------------------------------------------------------------- HTTP validators

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """``(etag, last_modified)`` remembered for a URL, or None if it was never fetched."""
        query = select(http_cache.c.etag, http_cache.c.last_modified).where(http_cache.c.url == url)
        with self.reading("cannot read HTTP cache") as conn:
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
        with self.writing(f"cannot write HTTP cache for {url}") as conn:
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
        with self.writing(f"cannot store MinHash for article {article_id}") as conn:
            conn.execute(delete(minhash_bands).where(minhash_bands.c.article_id == article_id))
            if rows:
                conn.execute(insert(minhash_bands), rows)
            write_signature(conn, article_id, signature, num_perm)

    def lsh_candidates(self, bands: Iterable[tuple[int, str]], *, exclude: str | None = None) -> set[str]:
        """Ids of stored articles sharing at least one (band, bucket) with ``bands``."""
        pairs = sorted({(int(b), str(k)) for b, k in bands})
        found: set[str] = set()
        with self.reading("cannot look up LSH candidates") as conn:
            for start in range(0, len(pairs), 200):
                found.update(conn.scalars(candidates_query(pairs[start : start + 200])))
        found.discard(exclude or "")
        return found

    def get_signature(self, article_id: str) -> list[int] | None:
        with self.reading(f"cannot read signature of article {article_id}") as conn:
            return read_signature(conn, article_id)

    def set_syndication_group(self, article_id: str, group_id: str | None) -> None:
        """Put an article in a syndication group (None takes it out of any)."""
        with self.writing(f"cannot set syndication group of article {article_id}") as conn:
            record = conn.scalar(select(articles.c.record).where(articles.c.id == article_id))
            if record is None:
                raise StoreError(f"cannot set syndication group of article {article_id}: it is not stored")
            data = json.loads(record)
            data["syndication_group"] = group_id
            values = {"syndication_group": group_id, "record": to_json(article_id, data)}
            conn.execute(update(articles).where(articles.c.id == article_id).values(**values))

    def get_syndication_group(self, article_id: str) -> str | None:
        """The syndication group of a stored article (None if it has none or is not stored)."""
        query = select(articles.c.syndication_group).where(articles.c.id == article_id)
        with self.reading(f"cannot read syndication group of article {article_id}") as conn:
            return conn.scalar(query)

    def syndication_members(self, group_id: str) -> list[str]:
        """Ids in a syndication group, in the order they were stored."""
        query = (
            select(articles.c.id)
            .where(articles.c.syndication_group == group_id)
            .order_by(articles.c.ingested_at, articles.c.id)
        )
        with self.reading(f"cannot list syndication group {group_id}") as conn:
            return list(conn.scalars(query))


def open_store(url: str) -> Store:
    """Open (creating or upgrading the schema if needed) the database at ``url``."""
    store = Store(url)
    logger.debug("opened store %s", store.display_url)
    return store
