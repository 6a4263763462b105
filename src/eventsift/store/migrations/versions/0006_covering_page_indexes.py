"""A page of events chosen from the indexes alone: its order and its bounding-box and actor tests.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

A page of events is chosen first by keys alone (SQLite's rowid, PostgreSQL's id), then only those
rows are read in full with their article (eventsift.store.query ``_keys_first``): otherwise every
matching row's record and article were fetched before the sort, and a bounding box over a dense
region (14,000 events at a million) took 75-200 ms. For the choice to need no table row, the
indexes that drive it hold what it tests and orders by:

- ``ix_events_lat_lon`` (lat, lon) becomes (lat, lon, date_start DESC, id): a box's matches are
  sorted from the index (at 1,000,320 events: SQLite 95 -> 8 ms, PostgreSQL 196 -> 6 ms for that box);
- ``ix_events_date_order`` also holds actor1 and actor2 (PostgreSQL: as INCLUDE columns): names on
  many events are tested as the rows are read in date order without fetching them.

PostgreSQL reads an index alone only for pages its visibility map marks all-visible (autovacuum
keeps it so). Rebuilding the two indexes on a million events takes under a minute.
Migrations are frozen: this file never imports the package's own definitions.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ORDER = 'date_start DESC NULLS LAST, id COLLATE "C"'  # PostgreSQL's page order (migration 0004)
_SQLITE = {
    "before": {"ix_events_lat_lon": "lat, lon", "ix_events_date_order": "date_start DESC, id"},
    "after": {"ix_events_lat_lon": "lat, lon, date_start DESC, id",
              "ix_events_date_order": "date_start DESC, id, actor1, actor2"},
}
_POSTGRES = {
    "before": {"ix_events_lat_lon": "(lat, lon)", "ix_events_date_order": f"({_ORDER})"},
    "after": {"ix_events_lat_lon": f"(lat, lon, {_ORDER})",
              "ix_events_date_order": f"({_ORDER}) INCLUDE (actor1, actor2)"},
}


def _recreate(which: str) -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for name, spec in (_POSTGRES if postgres else _SQLITE)[which].items():
        op.execute(f"DROP INDEX {name}")
        op.execute(f"CREATE INDEX {name} ON events {spec}" if postgres else f"CREATE INDEX {name} ON events ({spec})")
    if postgres:
        op.execute("ANALYZE events")
    elif bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        op.execute("ANALYZE events")  # the old indexes' statistics went with them: gather the new ones'


def upgrade() -> None:
    _recreate("after")


def downgrade() -> None:
    _recreate("before")
