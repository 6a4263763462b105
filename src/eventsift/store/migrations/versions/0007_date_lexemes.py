"""PostgreSQL: each event's stored vector also names its year and month, for full text in date slices.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

A page of ``q`` newest first is read in slices of the date order (eventsift.store.slices). Cut as date
ranges, each slice intersected the full-text index with the date index, whose share of a slice (up
to 160,000 entries at a million events) cost 20-25 ms a query. Here ``events.evidence_tsv`` (migration
0005) also holds two lexemes of the event's date, which the GIN index keeps with the words, so a
slice is a tsquery the index answers alone:

- ``~YYYY``: the year (every date starting with it: 2024, 2024-03, 2024-03-12);
- ``~YYYY-MM``: the month, from the date with "-00" appended (2024 -> ``~2024-00``, 2024-03 and
  2024-03-12 -> ``~2024-03``), so a year-only date, which sorts after its year's months, has its own;
- ``~?``: no date.

No query word can spell them: a query's words are runs of letters and digits (eventsift.store.fulltext)
and these begin with "~". The column stays generated (the database recomputes it when the evidence or
the date changes; never written by the application). Stories keep migration 0005's vector.

PostgreSQL only. A generated column's expression cannot be altered before PostgreSQL 17, so the column
is dropped and added again (rewriting the table: on a million events, a few minutes, holding an
exclusive lock), with its GIN index.
Migrations are frozen: this file never imports the package's own definitions.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_WORDS = "to_tsvector('simple'::regconfig, evidence)"
_DATES = ("CASE WHEN date_start IS NULL THEN array_to_tsvector(ARRAY['~?']) "
          "ELSE array_to_tsvector(ARRAY['~' || left(date_start, 4), '~' || left(date_start || '-00', 7)]) END")


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _vector(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_events_evidence_tsv")
    op.execute("ALTER TABLE events DROP COLUMN evidence_tsv")
    op.execute(f"ALTER TABLE events ADD COLUMN evidence_tsv tsvector GENERATED ALWAYS AS ({expression}) STORED")
    op.execute("CREATE INDEX ix_events_evidence_tsv ON events USING gin (evidence_tsv)")
    op.execute("ANALYZE events")  # the new lexemes' frequencies, for the planner's estimates


def upgrade() -> None:
    if _postgres():
        _vector(f"{_WORDS} || {_DATES}")


def downgrade() -> None:
    if _postgres():
        _vector(_WORDS)
