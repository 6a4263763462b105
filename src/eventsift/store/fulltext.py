"""Full text over evidence: the ``q`` filter as one SQL condition on SQLite (FTS5) and PostgreSQL (tsvector).

``q`` is read as a phrase: its words must appear in the evidence in that order, next to each other,
case-insensitive, the last word as a prefix ("drone strike" finds "Drone strikes hit ..."). Words are
the runs of letters and digits; anything else in ``q`` only separates words, so ``100%`` looks for
the word 100, and a ``q`` with no word in it matches nothing.

- SQLite: ``rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH '"w1 w2"*')``; FTS5 reads
  the quoted phrase with the table's ``unicode61`` tokenizer, so nothing in ``q`` is FTS syntax.
- PostgreSQL: ``evidence_tsv @@ to_tsquery('simple', '''w1'' <-> ''w2'':*')``, where ``evidence_tsv`` is
  ``to_tsvector('simple', evidence)`` stored with the row and GIN-indexed (migration 0005): testing a
  row reads the stored vector, never parses the text again. Each word is quoted, so nothing in ``q``
  is tsquery syntax.

Both fold case and neither stems. At the edges the two parsers split differently (PostgreSQL keeps
"e-mail" or "3.5" whole as well as in parts); ordinary words read the same on both.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import false, func, literal_column, select, table
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from .schema import TSVECTOR_COLUMN, fulltext_table

__all__ = ["COMMON_HITS", "fulltext_condition", "is_common", "query_words"]

_WORD = re.compile(r"[^\W_]+")
# A phrase in this many rows or more is common: reading rows in order finds a page of it sooner
# than fetching and sorting all its rows (measured at 20,000 events: 3,000 hits, 15 ms against 90 ms).
COMMON_HITS = 2000
_CONFIG = "'simple'::regconfig"  # the configuration evidence_tsv is made with (migration 0005)


def query_words(q: str) -> list[str]:
    """The words of ``q``, in order (runs of letters and digits)."""
    return _WORD.findall(q)


def _fts5_phrase(words: list[str]) -> str:
    return '"' + " ".join(words) + '"*'  # words hold no quote: they are letters and digits only


def _tsquery(words: list[str]) -> str:
    return " <-> ".join(f"'{w}'" for w in words) + ":*"


def _fts5_matches(source: Any, words: list[str]) -> Any:
    fts = table(fulltext_table(source.name), literal_column("rowid"))
    match = literal_column(fulltext_table(source.name)).op("MATCH")(_fts5_phrase(words))
    return select(literal_column("rowid")).select_from(fts).where(match)


def is_common(conn: Connection, source: Any, q: str, backend: str) -> bool:
    """Whether the phrase ``q`` is in at least COMMON_HITS rows (SQLite; PostgreSQL's planner weighs
    that itself from its statistics). Counting stops there, so this costs little either way."""
    words = query_words(q)
    if backend == "postgresql" or not words:
        return False
    first = _fts5_matches(source, words).limit(COMMON_HITS).subquery()
    return int(conn.scalar(select(func.count()).select_from(first)) or 0) >= COMMON_HITS


def fulltext_condition(source: Any, q: str, backend: str, common: bool = False) -> ColumnElement[bool]:
    """Rows of ``source`` (the events or stories table) whose evidence holds the phrase ``q``.

    On SQLite, a ``common`` phrase (see :func:`is_common`) is tested row by row as the rows are read
    in the page's order (``+rowid``: not used to drive the read), which finds a page of matches after
    a few hundred rows; a rarer one drives the read, its few matches then sorted. PostgreSQL makes
    that choice itself, from the word frequencies ANALYZE keeps for the stored vector."""
    words = query_words(q)
    if not words:
        return false()
    if backend == "postgresql":
        vector: ColumnElement[Any] = literal_column(f"{source.name}.{TSVECTOR_COLUMN}")  # not in schema.py
        return vector.op("@@")(func.to_tsquery(literal_column(_CONFIG), _tsquery(words)))
    rowid: ColumnElement[Any] = literal_column(f"{'+' if common else ''}{source.name}.rowid")
    return rowid.in_(_fts5_matches(source, words))
