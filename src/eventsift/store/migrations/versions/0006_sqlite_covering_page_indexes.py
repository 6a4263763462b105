"""SQLite: the page's order and its bounding-box and actor tests read from the indexes alone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

On SQLite a page of events is chosen first by row ids alone, then only those rows are read in full
(eventsift.store.query ``_keys_first``): the sorter otherwise carries every matching row's record
and article, and a bounding box over a dense region (14,000 events at a million) took 75-100 ms.
For the choice to need no table row, the indexes that drive it must hold what it tests and orders by:

- ``ix_events_lat_lon`` (lat, lon) becomes (lat, lon, date_start DESC, id): a box's matches are
  sorted from the index (95 ms -> 8 ms for that box, measured at 1,000,320 events);
- ``ix_events_date_order`` (date_start DESC, id) gains actor1 and actor2: names on many events are
  tested as the rows are read in date order without fetching them (a common actor, 1-2 µs a row).

PostgreSQL is unchanged: its planner sorts narrow tuples and fetches the heap rows of the page.
Rebuilding the two indexes on a million events takes about half a minute.
Migrations are frozen: this file never imports the package's own definitions.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BEFORE = {"ix_events_lat_lon": "lat, lon", "ix_events_date_order": "date_start DESC, id"}
_AFTER = {"ix_events_lat_lon": "lat, lon, date_start DESC, id",
          "ix_events_date_order": "date_start DESC, id, actor1, actor2"}


def _recreate(columns: dict[str, str]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, spec in columns.items():
        op.execute(f"DROP INDEX {name}")
        op.execute(f"CREATE INDEX {name} ON events ({spec})")
    analysed = op.get_bind().exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    if analysed:  # statistics of the old indexes were dropped with them: gather the new ones'
        op.execute("ANALYZE events")


def upgrade() -> None:
    _recreate(_AFTER)


def downgrade() -> None:
    _recreate(_BEFORE)
