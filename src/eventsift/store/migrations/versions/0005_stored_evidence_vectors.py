"""Full text over a stored tsvector on PostgreSQL: common words served fast at a million events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Migration 0004 indexed ``to_tsvector('simple', evidence)`` as an expression. The index finds the rows
holding a word, but any other use of the vector computes it again from the text: when a word is on
many events the planner reads the events in the page's order (date descending) and parses each row's
evidence until a page of matches is found, or fetches every match and sorts it; at a million events
a common word such as "killed" took over a second either way, and the planner, pricing a parse at a
hundred times a comparison, could not tell which was cheaper.

Here events and stories get ``evidence_tsv``, the same vector as a generated column stored with the
row (kept in step by the database on every insert and update, COPY included; never written by the
application), and the GIN index moves onto it. Testing a row is then a cheap comparison, and ANALYZE
gathers the column's word frequencies, so a common word is read in the page's order and stopped at
the limit, a rare one fetched through the index. ``evidence`` is NOT NULL, so no coalesce is needed.

PostgreSQL only: SQLite's FTS5 tables (migration 0004) already store their index. Adding a stored
column rewrites the table (on a million events, minutes, holding an exclusive lock).
Migrations are frozen: this file never imports the package's own definitions.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TABLES = ("events", "stories")
_VECTOR = "to_tsvector('simple'::regconfig, evidence)"


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgres():
        return
    for table in _TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN evidence_tsv tsvector GENERATED ALWAYS AS ({_VECTOR}) STORED")
        op.execute(f"DROP INDEX ix_{table}_evidence_fts")
        op.execute(f"CREATE INDEX ix_{table}_evidence_tsv ON {table} USING gin (evidence_tsv)")
        op.execute(f"ANALYZE {table}")  # the new column's word frequencies, for the planner's choice


def downgrade() -> None:
    if not _postgres():
        return
    for table in _TABLES:
        op.execute(f"DROP INDEX ix_{table}_evidence_tsv")
        op.execute(f"ALTER TABLE {table} DROP COLUMN evidence_tsv")
        op.execute(f"CREATE INDEX ix_{table}_evidence_fts ON {table} USING gin ({_VECTOR})")
