"""Serving a million events: ordered indexes, full text over evidence, event counters for /stats.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

What the read side (eventsift.store.query, eventsift.store.fulltext, eventsift.store.stats) relies on:

- Ordered indexes for the default sort (``date_start DESC NULLS LAST``, then the id byte-wise) alone,
  after a country, and after a country and an event type, so a page is an index range read in
  order and stopped at the limit, never a scan and sort of every matching row; and (lat, lon) for
  bounding boxes. PostgreSQL needs ``DESC NULLS LAST`` and ``COLLATE "C"`` spelled out to serve
  that order; SQLite puts NULL first in ascending order, so ``DESC`` alone does.
- Full text over the evidence of events and stories: SQLite FTS5 tables with external content (the
  ``rowid`` of ``events`` / ``stories``; VACUUM keeps rowids of these tables) kept in step by
  triggers; PostgreSQL a GIN index on ``to_tsvector('simple', evidence)``, which the database keeps
  in step itself. The ``simple`` configuration and FTS5's ``unicode61`` tokenizer without diacritic
  removal both fold case and neither stems, so the two read words alike.
- ``event_counts``: how many events have each ``date_start``, each (event type, sub-event type) and
  each (country, admin1), kept by triggers on ``events`` (SQLite: per row; PostgreSQL: per statement,
  over its transition tables, so a bulk COPY costs one aggregate). Keys are ``'=' || value`` or ``'-'``
  for NULL, so a NULL is a key like any other. Unfiltered /stats reads these few thousand rows.
- ``actor_names``: every actor name an event has had (actor1 or actor2), added by the same triggers
  and never removed (a stale name matches no event). The actor filter looks up the names containing
  its text here, then reads the events through the (actor, date) indexes.

Existing databases are filled in place: the FTS tables rebuilt, the counters counted once.
Migrations are frozen: this file never imports the package's own definitions.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COUNTED = ("date_start", "acled_event_type", "acled_sub_event_type", "country", "admin1")


def _key(column: str, source: str) -> str:
    return f"coalesce('=' || {source}.{column}, '-')"


def _count_rows(source: str, sign: str) -> str:
    """The counter deltas of the rows of ``source``, one SELECT per counted dimension."""
    day = f"SELECT 'day' AS dim, {_key('date_start', source)} AS k1, '-' AS k2, {sign} AS n FROM {source}"
    sub = (f"SELECT 'sub', {_key('acled_event_type', source)}, {_key('acled_sub_event_type', source)}, {sign} "
           f"FROM {source}")
    region = f"SELECT 'region', {_key('country', source)}, {_key('admin1', source)}, {sign} FROM {source}"
    return f"{day} UNION ALL {sub} UNION ALL {region}"


def _actor_names(source: str) -> str:
    return (f"SELECT actor1 FROM {source} WHERE actor1 IS NOT NULL "
            f"UNION SELECT actor2 FROM {source} WHERE actor2 IS NOT NULL")


def _actor_names_table() -> None:
    op.execute("CREATE TABLE actor_names (name TEXT NOT NULL, CONSTRAINT pk_actor_names PRIMARY KEY (name))")
    op.execute(f"INSERT INTO actor_names (name) {_actor_names('events')}")


def _counters_table() -> None:
    op.execute(
        "CREATE TABLE event_counts (dim TEXT NOT NULL, k1 TEXT NOT NULL, k2 TEXT NOT NULL, "
        "n INTEGER NOT NULL, CONSTRAINT pk_event_counts PRIMARY KEY (dim, k1, k2))"
    )
    op.execute(
        f"INSERT INTO event_counts (dim, k1, k2, n) SELECT dim, k1, k2, sum(n) "
        f"FROM ({_count_rows('events', '1')}) AS counted GROUP BY dim, k1, k2"
    )


# ------------------------------------------------------------------------------------------ SQLite


def _sqlite_counter_upserts(row: str, sign: str) -> str:
    upsert = "INSERT INTO event_counts (dim, k1, k2, n) VALUES ({}, {}, {}, {}) ON CONFLICT (dim, k1, k2) DO UPDATE SET n = n + excluded.n;"
    return " ".join((
        upsert.format("'day'", _key("date_start", row), "'-'", sign),
        upsert.format("'sub'", _key("acled_event_type", row), _key("acled_sub_event_type", row), sign),
        upsert.format("'region'", _key("country", row), _key("admin1", row), sign),
    ))


def _sqlite_add_actors(row: str) -> str:
    return " ".join(f"INSERT OR IGNORE INTO actor_names (name) SELECT {row}.{c} WHERE {row}.{c} IS NOT NULL;"
                    for c in ("actor1", "actor2"))


def _sqlite_fts(table: str) -> None:
    fts = f"{table}_fts"
    op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(evidence, content='{table}', content_rowid='rowid', "
               "tokenize='unicode61 remove_diacritics 0')")
    op.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")
    add = f"INSERT INTO {fts} (rowid, evidence) VALUES (new.rowid, new.evidence);"
    remove = f"INSERT INTO {fts} ({fts}, rowid, evidence) VALUES ('delete', old.rowid, old.evidence);"
    op.execute(f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {remove} END")
    op.execute(f"CREATE TRIGGER {table}_fts_update AFTER UPDATE OF evidence ON {table} BEGIN {remove} {add} END")


def _sqlite_upgrade() -> None:
    op.execute("CREATE INDEX ix_events_date_order ON events (date_start DESC, id)")
    op.execute("CREATE INDEX ix_events_country_date ON events (country, date_start DESC, id)")
    op.execute("CREATE INDEX ix_events_country_type_date ON events (country, acled_event_type, date_start DESC, id)")
    op.execute("CREATE INDEX ix_events_lat_lon ON events (lat, lon)")
    op.execute("CREATE INDEX ix_events_actor1_date ON events (actor1, date_start DESC, id)")
    op.execute("CREATE INDEX ix_events_actor2_date ON events (actor2, date_start DESC, id)")
    op.execute("CREATE INDEX ix_stories_date_order ON stories (date_start DESC, id)")
    _sqlite_fts("events")
    _sqlite_fts("stories")
    _counters_table()
    _actor_names_table()
    counted = ", ".join(_COUNTED)
    op.execute("CREATE TRIGGER events_count_insert AFTER INSERT ON events BEGIN "
               f"{_sqlite_counter_upserts('new', '1')} {_sqlite_add_actors('new')} END")
    op.execute(f"CREATE TRIGGER events_actors_update AFTER UPDATE OF actor1, actor2 ON events BEGIN "
               f"{_sqlite_add_actors('new')} END")
    op.execute(f"CREATE TRIGGER events_count_delete AFTER DELETE ON events BEGIN {_sqlite_counter_upserts('old', '-1')} END")
    op.execute(f"CREATE TRIGGER events_count_update AFTER UPDATE OF {counted} ON events BEGIN "
               f"{_sqlite_counter_upserts('old', '-1')} {_sqlite_counter_upserts('new', '1')} END")


# -------------------------------------------------------------------------------------- PostgreSQL

_PG_COUNT_FUNCTION = """
CREATE OR REPLACE FUNCTION eventsift_count_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO actor_names (name) {names} ON CONFLICT (name) DO NOTHING;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO event_counts (dim, k1, k2, n)
        SELECT dim, k1, k2, sum(n) FROM ({added}) AS delta GROUP BY dim, k1, k2
        ON CONFLICT (dim, k1, k2) DO UPDATE SET n = event_counts.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO event_counts (dim, k1, k2, n)
        SELECT dim, k1, k2, sum(n) FROM ({removed}) AS delta GROUP BY dim, k1, k2
        ON CONFLICT (dim, k1, k2) DO UPDATE SET n = event_counts.n + excluded.n;
    ELSE
        INSERT INTO event_counts (dim, k1, k2, n)
        SELECT dim, k1, k2, sum(n) FROM ({removed} UNION ALL {added}) AS delta GROUP BY dim, k1, k2
        ON CONFLICT (dim, k1, k2) DO UPDATE SET n = event_counts.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$
"""


def _pg_ordered_index(name: str, table: str, *leading: str) -> None:
    columns = ", ".join([*leading, "date_start DESC NULLS LAST", 'id COLLATE "C"'])
    op.execute(f"CREATE INDEX {name} ON {table} ({columns})")


def _pg_upgrade() -> None:
    _pg_ordered_index("ix_events_date_order", "events")
    _pg_ordered_index("ix_events_country_date", "events", "country")
    _pg_ordered_index("ix_events_country_type_date", "events", "country", "acled_event_type")
    op.execute("CREATE INDEX ix_events_lat_lon ON events (lat, lon)")
    _pg_ordered_index("ix_events_actor1_date", "events", "actor1")
    _pg_ordered_index("ix_events_actor2_date", "events", "actor2")
    _pg_ordered_index("ix_stories_date_order", "stories")
    for table in ("events", "stories"):
        op.execute(f"CREATE INDEX ix_{table}_evidence_fts ON {table} "
                   "USING gin (to_tsvector('simple'::regconfig, evidence))")
    _counters_table()
    _actor_names_table()
    op.execute(_PG_COUNT_FUNCTION.format(added=_count_rows("new_rows", "1"), removed=_count_rows("old_rows", "-1"),
                                         names=_actor_names("new_rows")))
    call = "FOR EACH STATEMENT EXECUTE FUNCTION eventsift_count_events()"
    op.execute(f"CREATE TRIGGER events_count_insert AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows {call}")
    op.execute(f"CREATE TRIGGER events_count_delete AFTER DELETE ON events REFERENCING OLD TABLE AS old_rows {call}")
    op.execute("CREATE TRIGGER events_count_update AFTER UPDATE ON events "
               f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {call}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for trigger in ("events_count_insert", "events_count_delete", "events_count_update", "events_actors_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}" + (" ON events" if postgres else ""))
    op.execute("DROP TABLE event_counts")
    op.execute("DROP TABLE actor_names")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS eventsift_count_events()")
        for table in ("events", "stories"):
            op.execute(f"DROP INDEX ix_{table}_evidence_fts")
    else:
        for table in ("events", "stories"):
            for action in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{action}")
            op.execute(f"DROP TABLE {table}_fts")
    for name in ("ix_events_date_order", "ix_events_country_date", "ix_events_country_type_date", "ix_events_lat_lon",
                 "ix_events_actor1_date", "ix_events_actor2_date", "ix_stories_date_order"):
        op.execute(f"DROP INDEX {name}")
