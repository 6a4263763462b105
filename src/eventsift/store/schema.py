"""The database tables, mirrored from the Alembic migrations for building queries.

The migrations (``eventsift/store/migrations/versions``) create and upgrade the schema; these definitions
only describe it to SQLAlchemy Core. tests/test_store.py checks that the two agree.

    articles ──< minhash_bands, signatures      (syndicated copies)
    articles ──< events >── stories             (each event in at most one story)
    rejects, http_cache                         (stand alone)
    events ──> event_counts, actor_names        (kept by triggers: /stats counters, actor lookup)

Some objects the migrations make are not described here, because their DDL differs by back-end and
SQLAlchemy does not reflect it: the ordered indexes, the full-text indexes (SQLite FTS5 tables, a
PostgreSQL GIN index) and the triggers. :data:`UNMODELLED` names them (migrations 0004 and 0005
explain them). So does PostgreSQL's stored ``evidence_tsv`` column of events and stories (0005): left
out here, SQLite never has it and no insert or bulk load lists it (the database computes it).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "TSVECTOR_COLUMN",
    "UNMODELLED",
    "actor_names",
    "articles",
    "event_counts",
    "events",
    "fulltext_table",
    "http_cache",
    "metadata",
    "minhash_bands",
    "rejects",
    "signatures",
    "stories",
]

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("content_hash", Text, nullable=False),
    Column("source_kind", Text, nullable=False),
    Column("location", Text),
    Column("url", Text),
    Column("source", Text),
    Column("author", Text),
    Column("title", Text),
    Column("standfirst", Text),
    Column("byline", Text),
    Column("dateline", Text),
    Column("published", Text),
    Column("published_note", Text),
    Column("body", Text, nullable=False),
    Column("words", Integer, nullable=False),
    Column("language", Text),
    Column("language_score", Float),
    Column("halted", Text),
    Column("syndication_group", Text),
    Column("raw_kind", Text),
    Column("raw", Text),
    Column("record", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    Index("ix_articles_syndication_group", "syndication_group"),
    Index("ix_articles_url", "url"),
    Index("ix_articles_published", "published"),
)

rejects = Table(
    "rejects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("location", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("article_id", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

http_cache = Table(
    "http_cache",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("band", Integer, nullable=False),
    Column("bucket", Text, nullable=False),
    PrimaryKeyConstraint("article_id", "band", name="pk_minhash_bands"),
    Index("ix_minhash_bands_band_bucket", "band", "bucket"),
)

signatures = Table(
    "signatures",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("num_perm", Integer, nullable=False),
    Column("signature", LargeBinary, nullable=False),
)


# Flat columns shared by events and stories: what the API and exports filter and sort on. The full
# record (every value with its words) is the JSON in `record`.
def _coded_columns() -> list[Column[object]]:
    return [
        Column("acled_event_type", Text, nullable=False),
        Column("acled_sub_event_type", Text, nullable=False),
        Column("date_start", Text),  # YYYY[-MM[-DD]]
        Column("date_end", Text),
        Column("date_precision", Text),
        Column("country", Text),  # ISO 3166-1 alpha-2
        Column("admin1", Text),  # ISO 3166-2
        Column("location", Text),
        Column("lat", Float),
        Column("lon", Float),
        Column("geo_precision", Text),
        Column("actor1", Text),
        Column("actor2", Text),
        Column("fatalities", Integer),
        Column("status", Text, nullable=False),
        Column("evidence", Text, nullable=False),  # searchable text: the evidence sentence(s)
        Column("record", Text, nullable=False),
    ]


events = Table(
    "events",
    metadata,
    Column("id", Text, primary_key=True),  # "{article_id}:{event id in the article}"
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("story_id", Text),  # no foreign key: a story row is (re)written after its members
    Column("merge_reason", Text),
    Column("published", Text),
    Column("temporal_status", Text),
    *_coded_columns(),
    Index("ix_events_article_id", "article_id"),
    Index("ix_events_story_id", "story_id"),
    Index("ix_events_date_start", "date_start"),
    Index("ix_events_type", "acled_event_type"),
    Index("ix_events_type_date_end", "acled_event_type", "date_end"),  # merge candidates by date
    Index("ix_events_type_published", "acled_event_type", "published"),  # ... and by publication
)

stories = Table(
    "stories",
    metadata,
    Column("id", Text, primary_key=True),
    Column("n_events", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("n_sources", Integer, nullable=False),  # independent: syndication groups count once
    Column("n_origins", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    *_coded_columns(),
    Index("ix_stories_date_start", "date_start"),
    Index("ix_stories_type", "acled_event_type"),
)

# Counts of events by date_start ("day"), by (event type, sub-event type) ("sub") and by (country,
# admin1) ("region"); each key is '=' || value, or '-' for NULL. Kept by triggers on events.
event_counts = Table(
    "event_counts",
    metadata,
    Column("dim", Text, nullable=False),
    Column("k1", Text, nullable=False),
    Column("k2", Text, nullable=False),
    Column("n", Integer, nullable=False),
    PrimaryKeyConstraint("dim", "k1", "k2", name="pk_event_counts"),
)

# Every actor name events have had, for the actor filter's lookup. Kept by triggers on events.
actor_names = Table(
    "actor_names",
    metadata,
    Column("name", Text, nullable=False),
    PrimaryKeyConstraint("name", name="pk_actor_names"),
)


# The evidence as a tsvector, a generated column PostgreSQL stores on events and stories (migration 0005).
TSVECTOR_COLUMN = "evidence_tsv"


def fulltext_table(table: str) -> str:
    """The SQLite FTS5 table indexing ``table``'s evidence."""
    return f"{table}_fts"


_FTS_SHADOWS = ("", "_data", "_idx", "_docsize", "_config", "_content")
UNMODELLED: frozenset[str] = frozenset({
    "ix_events_date_order",
    "ix_events_country_date",
    "ix_events_country_type_date",
    "ix_events_lat_lon",
    "ix_events_actor1_date",
    "ix_events_actor2_date",
    "ix_stories_date_order",
    "ix_events_evidence_tsv",
    "ix_stories_evidence_tsv",
    TSVECTOR_COLUMN,
    *(fulltext_table(t) + shadow for t in ("events", "stories") for shadow in _FTS_SHADOWS),
})
