"""``eventsift load``: the Parquet output of ``eventsift spark`` into the store, in bulk.

The four folders (spark_schema.py) are read with pyarrow batch by batch, so memory stays flat for any
corpus; each batch is one transaction (``Store.atomic``: on PostgreSQL under the writers' lock) and
one multi-row INSERT per table (SQLAlchemy's executemany, which psycopg sends in batches).

Loading again changes nothing: an article whose id or content hash is stored is skipped (with its
signature and bands), an event whose id is stored is skipped, a story row is replaced by the same
row, a reject already recorded (same location, stage and reason) is not added twice. Articles get
their MinHash signature and LSH bands as a local ingest stores them, so copies ingested later still
join the groups found by Spark.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
from sqlalchemy import delete, insert, or_, select, tuple_
from sqlalchemy.engine import Connection

from ..clean.dedup import band_keys, lsh_params
from ..errors import StoreError
from ..records import Article
from ..settings import Options
from ..store.rows import article_row, encode_signature
from ..store.schema import articles, events, minhash_bands, rejects, signatures, stories
from ..store.store import Store
from .partition import ARTICLE_JSON_FIELDS

__all__ = ["article_from_parquet", "load_parquet"]

log = logging.getLogger(__name__)

PARTS = ("articles", "events", "stories", "rejects")


def _batches(root: Path, part: str, size: int) -> Iterator[list[dict[str, Any]]]:
    folder = root / part
    if not folder.is_dir():
        raise StoreError(f"{folder} is not there: is {root} the output of `eventsift spark`?")
    for batch in ds.dataset(folder, format="parquet").to_batches(batch_size=size):
        if batch.num_rows:
            yield batch.to_pylist()


def article_from_parquet(row: dict[str, Any]) -> Article:
    """An article row of the Spark output as the Article the reading stages made."""
    data = dict(row)
    for name in ARTICLE_JSON_FIELDS:
        data[name] = json.loads(data[name] or "[]")
    return Article.from_dict(data)


def load_parquet(store: Store, path: str, options: Options, *, batch_size: int = 2_000) -> dict[str, int]:
    """Load every part under ``path``; returns the rows added per table (stories: those new, though
    every story row is written again) and the articles already stored."""
    root, size = Path(path), max(1, batch_size)
    if not root.is_dir():
        raise StoreError(f"{root} is not a folder")
    counts = dict.fromkeys((*PARTS, "already stored"), 0)
    for rows in _batches(root, "articles", size):
        with store.atomic("cannot load articles") as conn:
            added = _add_articles(conn, [article_from_parquet(r) for r in rows], options)
        counts["articles"] += added
        counts["already stored"] += len(rows) - added
    for part, add in (("events", _add_events), ("stories", _add_stories), ("rejects", _add_rejects)):
        for rows in _batches(root, part, size):
            with store.atomic(f"cannot load {part}") as conn:
                counts[part] += add(conn, rows)
    log.info("loaded %s from %s", counts, path)
    return counts


def _add_articles(conn: Connection, batch: list[Article], options: Options) -> int:
    ids, hashes = [a.id for a in batch], [a.content_hash or "" for a in batch]
    stored = conn.execute(select(articles.c.id, articles.c.content_hash).where(
        or_(articles.c.id.in_(ids), articles.c.content_hash.in_(hashes))))
    seen = {value for row in stored for value in row}
    new: list[Article] = []
    for article in batch:  # a repeated text (repeat_of) has its first's content hash: stored once
        if article.id not in seen and article.content_hash not in seen:
            new.append(article)
            seen.update((article.id, article.content_hash or ""))
    if not new:
        return 0
    now = datetime.now(UTC)
    conn.execute(insert(articles), [{**article_row(a), "ingested_at": now} for a in new])
    marked = [a for a in new if a.minhash]
    if marked:
        conn.execute(insert(signatures), [{"article_id": a.id, "num_perm": len(a.minhash or []),
                                           "signature": encode_signature(a.minhash or [])} for a in marked])
    params = lsh_params(options.dedup_threshold, options.dedup_num_perm)
    bands = [{"article_id": a.id, "band": band, "bucket": bucket}
             for a in marked if a.syndication_group and len(a.minhash or []) == options.dedup_num_perm
             for band, bucket in band_keys(a.minhash or [], params)]
    if bands:
        conn.execute(insert(minhash_bands), bands)
    return len(new)


def _add_events(conn: Connection, rows: list[dict[str, Any]]) -> int:
    ids = [r["id"] for r in rows]
    taken = set(conn.scalars(select(events.c.id).where(events.c.id.in_(ids))))
    owners = set(conn.scalars(select(articles.c.id).where(articles.c.id.in_({r["article_id"] for r in rows}))))
    columns = events.columns.keys()
    new = [{name: r.get(name) for name in columns} for r in rows if r["id"] not in taken and r["article_id"] in owners]
    if new:
        conn.execute(insert(events), new)
    return len(new)


def _add_stories(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Write the batch's stories (replacing rows of the same id); returns how many were new."""
    columns, ids = stories.columns.keys(), [r["id"] for r in rows]
    known = set(conn.scalars(select(stories.c.id).where(stories.c.id.in_(ids))))
    conn.execute(delete(stories).where(stories.c.id.in_(ids)))  # then insert: a portable upsert
    conn.execute(insert(stories), [{name: r.get(name) for name in columns} for r in rows])
    return len(set(ids) - known)


def _add_rejects(conn: Connection, rows: list[dict[str, Any]]) -> int:
    keys = [(r["location"], r["stage"], r["reason"]) for r in rows]
    query = select(rejects.c.location, rejects.c.stage, rejects.c.reason).where(
        tuple_(rejects.c.location, rejects.c.stage, rejects.c.reason).in_(keys))
    known = {tuple(row) for row in conn.execute(query)}
    now = datetime.now(UTC)
    new = [{"location": r["location"], "stage": r["stage"], "reason": r["reason"], "article_id": r["article_id"],
            "created_at": now} for r, key in zip(rows, keys, strict=True) if key not in known]
    if new:
        conn.execute(insert(rejects), new)
    return len(new)
