"""Parquet schemas of the Spark job's output (docs/spark.md): articles, events, stories, rejects.

Articles carry the extract format's fields (docs/format.md; nested lists as JSON text) plus what the
store needs to load them; events and stories carry the store's columns (schema.py), so that
``eventsift load`` copies rows without reading anything again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyspark.sql.types import (
    ArrayType,
    DataType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

__all__ = ["ARTICLES", "ARTICLES_READ", "EVENTS", "EVENTS_IN", "REJECTS", "REJECTS_READ", "STORIES", "as_tuple"]

_S, _L, _D = StringType(), LongType(), DoubleType()


def _struct(columns: Sequence[tuple[str, DataType]]) -> StructType:
    return StructType([StructField(name, kind, nullable=True) for name, kind in columns])


_ARTICLE_COLUMNS: list[tuple[str, DataType]] = [
    ("id", _S), ("title", _S), ("standfirst", _S), ("published", _S), ("language", _S), ("body", _S),
    ("removed", _S), ("repairs", _S), ("entities", _S), ("places", _S), ("times", _S), ("quotes", _S),
    ("events", _S),
    ("byline", _S), ("dateline", _S), ("author", _S), ("source", _S), ("url", _S), ("location", _S),
    ("syndication_group", _S), ("halted", _S), ("published_note", _S),
    ("content_hash", _S), ("source_kind", _S), ("language_score", _D), ("minhash", ArrayType(_L)),
    ("input_file", _S), ("input_line", _L),
    ("repeat_of", _S),  # the id of the first input with the same text, whose reading this row copies
]
ARTICLES = _struct(_ARTICLE_COLUMNS)
# While the job runs, articles also carry what their input gave (a repeated text keeps its own).
ARTICLES_READ = _struct([*_ARTICLE_COLUMNS, ("input_title", _S), ("input_url", _S), ("input_source", _S)])

# The store's coded columns (schema._coded_columns) as story_store.event_columns fills them.
_CODED: list[tuple[str, DataType]] = [
    ("acled_event_type", _S), ("acled_sub_event_type", _S), ("date_start", _S), ("date_end", _S),
    ("date_precision", _S), ("country", _S), ("admin1", _S), ("location", _S), ("lat", _D), ("lon", _D),
    ("geo_precision", _S), ("actor1", _S), ("actor2", _S), ("fatalities", _L), ("status", _S),
    ("evidence", _S), ("record", _S),
]
# Events as read from the articles, before merging: what the merge rule needs, and their order.
EVENTS_IN = _struct([
    ("id", _S), ("article_id", _S), ("published", _S), ("syndication_group", _S), ("source", _S),
    ("title", _S), ("url", _S), ("input_file", _S), ("input_line", _L), ("event_index", _L),
    ("temporal_status", _S), *_CODED, ("reach_low", _S), ("reach_high", _S),
])
EVENTS = StructType([*EVENTS_IN.fields, StructField("story_id", _S), StructField("merge_reason", _S)])
STORIES = _struct([
    ("id", _S), ("updated_at", TimestampType()), ("members", ArrayType(_S)),
    ("n_events", _L), ("n_articles", _L), ("n_sources", _L), ("n_origins", _L), *_CODED,
])
_REJECT_COLUMNS: list[tuple[str, DataType]] = [("location", _S), ("stage", _S), ("reason", _S), ("article_id", _S),
                                                ("input_file", _S), ("input_line", _L)]
REJECTS = _struct(_REJECT_COLUMNS)
# While the job runs, a reject of a text that failed a stage also carries its content hash.
REJECTS_READ = _struct([*_REJECT_COLUMNS, ("content_hash", _S)])


def as_tuple(schema: StructType, row: dict[str, Any]) -> tuple[Any, ...]:
    """A dict row in the schema's column order (missing keys are nulls)."""
    return tuple(row.get(name) for name in schema.names)
