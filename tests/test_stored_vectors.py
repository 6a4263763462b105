"""PostgreSQL's stored evidence vectors (migration 0005): the ``q`` filter tests ``evidence_tsv``, a
generated column kept in step by the database, never ``to_tsvector(evidence)`` computed per row; SQLite
has no such column; the migration goes down to 0004's expression index and back up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text, update
from sqlalchemy.engine import Connection

from eventsift.store.query import Filters, events_page_queries, iter_event_items, iter_story_items
from eventsift.store.schema import TSVECTOR_COLUMN, events
from eventsift.store.store import MIGRATIONS, Store, database_url, open_store

from .querydata import seed

pytest_plugins = ["tests.pg"]  # db_url: SQLite, then PostgreSQL


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def pg_store(pg_db_url: str) -> Iterator[Store]:
    with open_store(pg_db_url) as opened:
        yield opened


def _columns(store: Store, table: str) -> set[str]:
    with store.engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns(table)}


def _stale_vectors(store: Store, table: str) -> int:
    """Rows whose stored vector is not the one their evidence (and, for events, date) makes now."""
    words = "to_tsvector('simple'::regconfig, evidence)"
    with store.engine.connect() as conn:
        if table == "stories":
            query = f"SELECT count(*) FROM stories WHERE {TSVECTOR_COLUMN} IS DISTINCT FROM {words}"
            return int(conn.scalar(text(query)) or 0)
        rows = conn.execute(text("SELECT id, date_start FROM events")).all()
        query = (f"SELECT {TSVECTOR_COLUMN} IS DISTINCT FROM {words} || array_to_tsvector(CAST(:dates AS text[])) "
                 "FROM events WHERE id = :id")
        return sum(bool(conn.scalar(text(query), {"id": id_, "dates": _date_lexemes(date)})) for id_, date in rows)


def _date_lexemes(date: str | None) -> list[str]:
    """Migration 0007's lexemes of an event's date, spelled out: year and month, or none."""
    if date is None:
        return ["~?"]
    return [f"~{date[:4]}", "~" + {4: f"{date}-00", 7: date}.get(len(date), date[:7])]


def test_events_vectors_name_their_year_and_month(pg_store: Store) -> None:
    seed(pg_store)
    with pg_store.engine.connect() as conn:
        vectors = {row[0]: row[1] for row in conn.execute(text(f"SELECT date_start, {TSVECTOR_COLUMN}::text FROM events"))}
    assert "'~2024' '~2024-03'" in vectors["2024-03-12"] and "'~2024-03'" in vectors["2024-03"]
    assert "'~2024-00'" in vectors["2024"] and "'~2023-05'" in vectors["2023-05"] and "'~?'" in vectors[None]
    with pg_store.engine.connect() as conn:  # no query word reaches them: "2024" is not "~2024"
        hits = conn.scalar(text(f"SELECT count(*) FROM events WHERE {TSVECTOR_COLUMN} @@ to_tsquery('simple', '2024:*')"))
    assert hits == 0


def test_only_postgresql_stores_the_vector_and_keeps_it_in_step(store: Store) -> None:
    specs = seed(store)
    for table in ("events", "stories"):
        assert (TSVECTOR_COLUMN in _columns(store, table)) == (store.backend == "postgresql"), table
    if store.backend != "postgresql":
        return
    with store.writing("test: new evidence") as conn:  # an insert (the seed) and an update both recompute it
        conn.execute(update(events).where(events.c.id == specs[0]["id"]).values(evidence="Rockets struck a depot."))
        conn.execute(update(events).where(events.c.id == specs[1]["id"]).values(date_start="2019-07-01"))
    assert _stale_vectors(store, "events") == 0 and _stale_vectors(store, "stories") == 0
    with store.engine.connect() as conn:
        generated = conn.scalar(text("SELECT is_generated FROM information_schema.columns "
                                     "WHERE table_name = 'events' AND column_name = :name"), {"name": TSVECTOR_COLUMN})
    assert generated == "ALWAYS"


def test_stories_are_searched_through_their_own_vector(store: Store) -> None:
    seed(store)
    with store.engine.connect() as conn:
        expected = {r[0] for r in conn.execute(text("SELECT id FROM stories WHERE evidence LIKE '%Drones HIT%'"))}
    found = {item["id"] for item in iter_story_items(store, Filters(q="drones hit"))}
    assert expected and found == expected


def _pg_plan(store: Store, q: str, *settings: str) -> str:
    """PostgreSQL's plans for the first page of events holding ``q``, under ``settings``."""
    lines: list[str] = []
    with store.engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for setting in settings:
            cursor.execute(f"SET {setting}")
        for query in events_page_queries(store, Filters(q=q)):
            sql = str(query.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}))
            cursor.execute("EXPLAIN " + sql)
            lines.extend(row[0] for row in cursor.fetchall())
    return "\n".join(lines)


# Both ways a page of matches can be read: through the GIN index (the matching rows fetched, then
# sorted), or in the page's order with each row tested (a common word).
_PLANS = {
    "through the GIN index": ("enable_seqscan = off",),
    "in the page's order": ("enable_seqscan = off", "enable_bitmapscan = off", "enable_sort = off"),
}


@pytest.mark.parametrize("way", list(_PLANS))
def test_postgresql_tests_the_stored_vector_never_the_text(pg_store: Store, way: str) -> None:
    seed(pg_store)
    for q in ("sentence", "drones hit"):
        plan = _pg_plan(pg_store, q, *_PLANS[way])
        assert TSVECTOR_COLUMN in plan and "to_tsvector" not in plan, plan
        if way == "through the GIN index":
            assert "ix_events_evidence_tsv" in plan, plan
        else:
            assert "ix_events_date_order" in plan and "Sort" not in plan, plan


@contextmanager
def _connected(db_url: str) -> Iterator[Connection]:
    """A plain connection, for a schema the store would migrate on opening."""
    engine = create_engine(database_url(db_url))
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def _migrate(db_url: str, revision: str, down: bool = False) -> None:
    config = _config()
    with _connected(db_url) as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def _schema(conn: Connection) -> dict[str, Any]:
    """The events and stories tables' columns and the events table's indexes."""
    found = inspect(conn)
    return {"events": sorted(c["name"] for c in found.get_columns("events")),
            "stories": sorted(c["name"] for c in found.get_columns("stories")),
            "indexes": sorted(str(ix["name"]) for ix in found.get_indexes("events"))}


def _expression_index_finds(conn: Connection, words: str) -> set[str]:
    """What 0004's expression index answers for ``words`` (the condition its full text used)."""
    query = text("SELECT id FROM events WHERE to_tsvector('simple'::regconfig, evidence) "
                 "@@ plainto_tsquery('simple'::regconfig, :words)")
    return {r[0] for r in conn.execute(query, {"words": words})}


def test_the_migration_goes_down_and_up_again(db_url: str) -> None:
    with open_store(db_url) as store:
        specs = seed(store)
        with store.engine.connect() as conn:
            head = _schema(conn)
    drones = {s["id"] for s in specs if "Drones HIT" in s["evidence"]}
    _migrate(db_url, "0004", down=True)
    with _connected(db_url) as conn:
        down = _schema(conn)
        if conn.dialect.name == "postgresql":
            assert TSVECTOR_COLUMN not in down["events"] + down["stories"]
            assert "ix_events_evidence_fts" in down["indexes"] and "ix_events_evidence_tsv" not in down["indexes"]
            assert _expression_index_finds(conn, "drones hit") == drones
        else:
            assert down == head  # nothing to undo on SQLite
    with open_store(db_url) as store:  # opening migrates to the head again: vectors made for the stored rows
        assert store.schema_revision() == ScriptDirectory.from_config(_config()).get_current_head()
        with store.engine.connect() as conn:
            assert _schema(conn) == head
        assert {item["id"] for item in iter_event_items(store, Filters(q="drones hit"))} == drones
        if store.backend == "postgresql":
            assert _stale_vectors(store, "events") == 0 and _stale_vectors(store, "stories") == 0
