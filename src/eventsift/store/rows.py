"""Articles and MinHash signatures as table rows, and back; the article listing's filters.

An article is stored as its own columns (those in ``COLUMN_FIELDS``, which win on reading) plus the
whole record as JSON, less the MinHash (its own table) and the raw input (the ``raw`` column, HTML
first). The Store writes one article at a time with these; the bulk loader (scale/bulk_load.py) many.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ..errors import StoreError
from ..records import Article
from .article_json import check_text, ensure_hash, raw_of, record_json, to_json, validate
from .schema import articles, minhash_bands, signatures

__all__ = [
    "ArticleSummary",
    "article_from_row",
    "article_row",
    "candidates_query",
    "check_text",
    "date_bound",
    "decode_signature",
    "encode_signature",
    "ensure_hash",
    "hash_exists",
    "listing_filters",
    "read_signature",
    "summary",
    "to_json",
    "validate",
    "write_signature",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Article fields that have a column of their own; the column wins over the JSON record on reading.
COLUMN_FIELDS = (
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


# ------------------------------------------------------------------------------------ articles


def article_row(article: Article) -> dict[str, Any]:
    """The ``articles`` column values of an article (all but ``ingested_at``)."""
    raw_kind, raw = raw_of(article)
    values = {name: getattr(article, name) for name in COLUMN_FIELDS}
    values.update(
        body=article.body or "",
        words=len((article.body or "").split()),
        raw_kind=raw_kind,
        raw=raw,
        record=record_json(article, raw_kind),
    )
    return values


def article_from_row(row: Any, minhash: list[int] | None) -> Article:
    """The Article an ``articles`` row holds, with its MinHash signature."""
    data: dict[str, Any] = json.loads(row.record)
    data.update({name: getattr(row, name) for name in COLUMN_FIELDS})
    if row.raw_kind == "html":
        data["raw_html"] = row.raw
    elif row.raw_kind == "text":
        data["raw_text"] = row.raw
    data["minhash"] = minhash
    return Article.from_dict(data)


def summary(row: Any) -> ArticleSummary:
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


def hash_exists(conn: Connection, digest: str) -> bool:
    query = select(articles.c.id).where(articles.c.content_hash == digest).limit(1)
    return conn.scalars(query).first() is not None


# ------------------------------------------------------------------------- MinHash signatures


def encode_signature(signature: Sequence[int]) -> bytes:
    """A MinHash signature as the bytes of its column: 32-bit values when all fit, else 64-bit."""
    values = [int(v) for v in signature]
    if any(v < 0 or v >= 2**64 for v in values):
        raise StoreError("MinHash signature values must be unsigned 64-bit integers")
    code = "I" if all(v < 2**32 for v in values) else "Q"
    return struct.pack(f"<{len(values)}{code}", *values)


def decode_signature(blob: bytes, num_perm: int) -> list[int]:
    if num_perm <= 0 or len(blob) not in (4 * num_perm, 8 * num_perm):
        raise StoreError(f"stored MinHash signature has {len(blob)} bytes for {num_perm} permutations")
    code = "I" if len(blob) == 4 * num_perm else "Q"
    return list(struct.unpack(f"<{num_perm}{code}", blob))


def write_signature(conn: Connection, article_id: str, signature: Sequence[int], num_perm: int) -> None:
    blob = encode_signature(signature)
    conn.execute(delete(signatures).where(signatures.c.article_id == article_id))
    conn.execute(insert(signatures).values(article_id=article_id, num_perm=num_perm, signature=blob))


def read_signature(conn: Connection, article_id: str) -> list[int] | None:
    query = select(signatures.c.signature, signatures.c.num_perm).where(signatures.c.article_id == article_id)
    row = conn.execute(query).first()
    return None if row is None else decode_signature(bytes(row.signature), int(row.num_perm))


def candidates_query(pairs: Sequence[tuple[int, str]]) -> Any:
    """Ids of the articles with any of these (band, bucket) pairs."""
    matches = [and_(minhash_bands.c.band == b, minhash_bands.c.bucket == k) for b, k in pairs]
    return select(minhash_bands.c.article_id).where(or_(*matches)).distinct()


# ------------------------------------------------------------------------------- article listing


def date_bound(name: str, value: str | date | None) -> str | None:
    """A listing's date bound as YYYY-MM-DD text; StoreError for anything else."""
    if value is None:
        return None
    text_value = value.isoformat() if isinstance(value, date) else str(value)
    if not _DATE.match(text_value):
        raise StoreError(f"{name}: expected a date as YYYY-MM-DD, got {text_value!r}")
    return text_value


def listing_filters(
    *,
    language: str | None,
    source: str | None,
    since: str | None,
    until: str | None,
    halted: bool | None,
    group: str | None,
    search: str | None,
) -> list[ColumnElement[bool]]:
    """The conditions of :meth:`Store.list_articles` on the ``articles`` table."""
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
