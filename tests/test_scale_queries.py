"""What keeps the read side fast at a million events, on small databases, on SQLite and PostgreSQL:
full text over evidence (FTS5 / tsvector) kept in step with writes, the /stats counters, the actor
name lookup, the migration that adds them to an existing database, and the query plans of the common
requests (an index, never a full scan of the events table: the regression test for their speed)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, delete, insert, text, update

from eventsift.store import fulltext, slices
from eventsift.store import lookups as query_lookups
from eventsift.store.query import (
    Filters,
    events_page_queries,
    iter_event_items,
    list_actors,
    list_events,
    stats,
)
from eventsift.store.query import scanned_stats as scanned
from eventsift.store.schema import articles, events
from eventsift.store.store import MIGRATIONS, Store, database_url, open_store

from .querydata import seed

pytest_plugins = ["tests.pg"]  # db_url: SQLite, then PostgreSQL


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def specs(store: Store) -> list[dict[str, Any]]:
    return seed(store)


def _found(store: Store, **filters: Any) -> set[str]:
    return {item["id"] for item in iter_event_items(store, Filters(**filters))}


def _where(specs: list[dict[str, Any]], test: Any) -> set[str]:
    return {s["id"] for s in specs if test(s)}


def _set_evidence(store: Store, event_id: str, evidence: str) -> None:
    with store.writing("test: update evidence") as conn:
        conn.execute(update(events).where(events.c.id == event_id).values(evidence=evidence))


# ------------------------------------------------------------------------------------- full text


def test_full_text_finds_phrases_and_word_starts(store: Store, specs: list[dict[str, Any]]) -> None:
    drones = _where(specs, lambda s: "Drones HIT" in s["evidence"])
    assert drones and _found(store, q="drones hit") == drones
    assert _found(store, q="DRONE") == drones  # the last word matches as a word start, any case
    assert _found(store, q="hit drones") == set()  # a phrase: words in their order
    assert _found(store, q="zeppelin") == set()
    assert _found(store, q="ones hit") == set()  # words, not any substring
    assert _found(store, q="%") == set()  # no word at all: nothing
    assert _found(store, q="shelling", country="RU") == _where(
        specs, lambda s: "shelling" in s["evidence"] and s["country"] == "RU")


def test_a_common_phrase_reads_in_order_with_the_same_results(store: Store, specs: list[dict[str, Any]],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    rare = [_found(store, q=q) for q in ("drones hit", "shelling", "sentence 1")]
    rare_page = list_events(store, Filters(q="sentence", limit=5))
    monkeypatch.setattr(fulltext, "COMMON_HITS", 1)  # every phrase counts as common now
    assert [_found(store, q=q) for q in ("drones hit", "shelling", "sentence 1")] == rare
    common_page = list_events(store, Filters(q="sentence", limit=5))
    assert [i["id"] for i in common_page.items] == [i["id"] for i in rare_page.items]
    if store.backend == "sqlite":
        assert "+events.rowid" in str(events_page_queries(store, Filters(q="sentence"))[0])


def test_full_text_read_in_date_slices_gives_the_same_pages(store: Store, specs: list[dict[str, Any]],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL reads q newest first in slices of dates (store.slices); page by page, through the
    cursor, the events and their order are those of one unsliced read."""
    whole = {q: _pages(store, q) for q in ("sentence", "drones hit", "shelling", "zeppelin")}
    if store.backend == "postgresql":  # a handful of events: every phrase is rare, read unsliced
        assert len(events_page_queries(store, Filters(q="sentence"))) == 1
    monkeypatch.setattr(slices, "RARE_ROWS", -1)  # every phrase sliced ...
    monkeypatch.setattr(slices, "WALK_ROWS", -1)
    monkeypatch.setattr(query_lookups, "slice_cuts", lambda *_: (2, 5))  # ... cut after 2 and 5 events
    if store.backend == "postgresql":
        assert len(events_page_queries(store, Filters(q="sentence"))) == 4  # three date slices, the undated
    assert {q: _pages(store, q) for q in whole} == whole


def test_slices_are_sized_from_the_expected_matches() -> None:
    """Two pages of evenly spread matches in the first slice, each next one three times larger; only
    phrases between rare and common enough to meet a page soon in date order are sliced."""
    assert slices.slice_cuts(10_000, 1_000_000, 101) == (20_200, 80_800, 262_600, 808_000)
    assert slices.slice_cuts(500_000, 1_000_000, 101)[0] == slices.SMALLEST_SLICE
    assert not slices.worth_slicing(2_000, 1_000_000, 101)  # rare: fetch the matches and sort them
    assert slices.worth_slicing(10_000, 1_000_000, 101)  # a page in date order only after ~10,000 events
    assert not slices.worth_slicing(84_000, 1_000_000, 101)  # a page after ~1,200 events: walk in date order


def _pages(store: Store, q: str) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = list_events(store, Filters(q=q, limit=3, cursor=cursor))
        pages.append([item["id"] for item in page.items])
        if not (cursor := page.next):
            return pages


def test_full_text_stays_in_step_after_an_update_and_a_delete(store: Store, specs: list[dict[str, Any]]) -> None:
    target = specs[1]["id"]  # "shelling reported"
    _set_evidence(store, target, "Artillery pounded the bridge at dawn.")
    assert _found(store, q="pounded the bridge") == {target}
    assert target not in _found(store, q="shelling")
    with store.writing("test: delete") as conn:
        conn.execute(delete(events).where(events.c.id == target))
    assert _found(store, q="pounded") == set()
    with store.writing("test: delete an article") as conn:  # its events go by the foreign key's cascade
        conn.execute(delete(articles).where(articles.c.id == "art0"))
    assert _found(store, q="drones") == _where(specs, lambda s: "Drones" in s["evidence"] and s["article_id"] != "art0")


def test_unicode_words_fold_case_on_both_back_ends(store: Store, specs: list[dict[str, Any]]) -> None:
    _set_evidence(store, specs[2]["id"], "Военные России обстреляли Белгород.")
    assert _found(store, q="военные россии") == {specs[2]["id"]}
    assert _found(store, q="БЕЛГОР") == {specs[2]["id"]}


# ------------------------------------------------------------------------------ counters, actors


def test_stats_counters_match_a_full_count_through_writes(store: Store, specs: list[dict[str, Any]]) -> None:
    assert stats(store) == scanned(store) and stats(store)["total"] == len(specs)
    with store.writing("test: move an event") as conn:
        conn.execute(update(events).where(events.c.id == specs[0]["id"]).values(
            country="FR", admin1="FR-IDF", date_start="2019-01-01", acled_event_type="Riots"))
        conn.execute(delete(events).where(events.c.id == specs[5]["id"]))
        conn.execute(delete(articles).where(articles.c.id == "art3"))
    after = stats(store)
    assert after == scanned(store)
    assert {"event_type": "Riots", "count": 1} in after["by_type"]
    assert after["total"] == len(specs) - 1 - sum(1 for s in specs[1:] if s["article_id"] == "art3" and s != specs[5])


def test_actor_filter_reads_names_added_by_any_write(store: Store, specs: list[dict[str, Any]]) -> None:
    volunteers = _where(specs, lambda s: "Volunteer" in f"{s['actor1']} {s['actor2']}")
    assert _found(store, actor="volunteer CORPS") == volunteers
    with store.writing("test: rename") as conn:
        conn.execute(update(events).where(events.c.id == specs[3]["id"]).values(actor2="Wagner Group"))
    assert _found(store, actor="wagner") == {specs[3]["id"]}
    assert _found(store, actor="nobody at all") == set()
    assert {r["name"] for r in list_actors(store, Filters(actor="wagner"))} >= {"Wagner Group"}


def test_actors_on_many_events_read_in_order_with_the_same_results(
        store: Store, specs: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    few = [_ids_in_order(store, actor=a) for a in ("volunteer corps", "military", "civilians")]
    monkeypatch.setattr(query_lookups, "walk_threshold", lambda conn, page_rows: 1)  # every name is on many events now
    assert [_ids_in_order(store, actor=a) for a in ("volunteer corps", "military", "civilians")] == few
    if store.backend == "sqlite":
        assert "+events.actor1" in str(events_page_queries(store, Filters(actor="military"))[0])


def _ids_in_order(store: Store, **filters: Any) -> list[str]:
    return [item["id"] for item in iter_event_items(store, Filters(**filters))]


# ------------------------------------------------------------------------------------- migration


def test_migration_upgrades_a_database_of_the_previous_schema(db_url: str) -> None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    engine = create_engine(database_url(db_url))
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0003")  # the schema before this one, with a row written by it
            old = _previous_schema_rows()
            conn.execute(insert(articles), [old["article"]])
            conn.execute(insert(events), [old["event"]])
    finally:
        engine.dispose()
    with open_store(db_url) as store:
        assert store.schema_revision() == ScriptDirectory.from_config(config).get_current_head()
        assert _found(store, q="convoy ambushed") == {old["event"]["id"]}
        assert _found(store, actor="insurgents") == {old["event"]["id"]}
        assert stats(store) == scanned(store) and stats(store)["total"] == 1


def _previous_schema_rows() -> dict[str, dict[str, Any]]:
    from datetime import UTC, datetime

    article = {"id": "old1", "content_hash": "h-old1", "source_kind": "text", "body": "A convoy was ambushed.",
               "words": 4, "record": json.dumps({"id": "old1"}), "ingested_at": datetime(2024, 1, 2, tzinfo=UTC),
               "published": "2024-01-02"}
    event = {"id": "old1:e1", "article_id": "old1", "acled_event_type": "Battles",
             "acled_sub_event_type": "Armed clash", "date_start": "2024-01-01", "date_end": "2024-01-01",
             "country": "ML", "actor1": "Insurgents", "status": "asserted",
             "evidence": "Insurgents say the convoy ambushed at dawn was theirs.", "record": json.dumps({"id": "e1"})}
    return {"article": article, "event": event}


# ------------------------------------------------------------------------------------ query plans

# The API's common requests (benchmarks/serve_million.py times them at a million events): their
# filters, the index that must serve each (SQLite's name, PostgreSQL's), and whether it gives the order.
COMMON: dict[str, tuple[dict[str, str], tuple[str, str], bool]] = {
    "latest": ({}, ("ix_events_date_order", "ix_events_date_order"), True),
    "country, dates and type": ({"country": "RU", "date_from": "2024-03-01", "date_to": "2024-03-31",
                                 "event_type": "Battles"}, ("ix_events_country_type_date",) * 2, True),
    "country and dates": ({"country": "UA", "date_from": "2024-01", "date_to": "2024-06"},
                          ("ix_events_country_date",) * 2, True),
    "bounding box": ({"bbox": "35,49,37,51"}, ("ix_events_lat_lon",) * 2, False),
    "actor": ({"actor": "volunteer corps"}, ("ix_events_actor1_date",) * 2, False),
    "full text": ({"q": "drones hit"}, ("events_fts", "ix_events_evidence_tsv"), False),
}


def _plan(store: Store, filters: Filters, ordered: bool) -> str:
    """The database's plans for one page of events (each query it runs), as text."""
    return "\n".join(_one_plan(store, query, ordered) for query in events_page_queries(store, filters))


def _one_plan(store: Store, query: Any, ordered: bool) -> str:
    sql = str(query.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        if store.backend == "postgresql":
            # A table this small is cheapest to scan; make that the last resort, and sorting too when
            # the index must give the order, so the plan shows what the indexes can do.
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"SET enable_sort = {'off' if ordered else 'on'}")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        depth: dict[int, int] = {0: -1}
        lines = []
        for node, parent, _, detail in cursor.fetchall():  # indented by depth: "  " inside a subquery
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return "\n".join(lines)


def _full_scans(plan: str, backend: str, whole_index_ok: bool) -> list[str]:
    """Plan lines that read the whole events table, or a whole index of it (unless ``whole_index_ok``:
    no filter, the order index read from its start and stopped by the limit)."""
    lines = plan.splitlines()
    if backend == "sqlite":
        return [line for line in lines if re.match(r"\s*SCAN events( |$)", line)
                and not (whole_index_ok and re.search(r"USING (COVERING )?INDEX ix_events_date_order", line))]
    scans = [line for line in lines if "Seq Scan on events" in line]
    for n, line in enumerate(lines):
        whole_index = re.search(r"Index (Only )?Scan using \w+ on events ", line) and not (
            n + 1 < len(lines) and "Index Cond" in lines[n + 1])
        if whole_index and not whole_index_ok:
            scans.append(line)
    return scans


@pytest.mark.parametrize("name", list(COMMON))
def test_common_requests_use_their_indexes(store: Store, specs: list[dict[str, Any]], name: str) -> None:
    given, (sqlite_index, pg_index), ordered = COMMON[name]
    first_page = _plan(store, Filters(**given), ordered)
    assert (pg_index if store.backend == "postgresql" else sqlite_index) in first_page, first_page
    plans = [first_page]
    first = list_events(store, Filters(**given, limit=2))
    if first.next:  # a page deep in the results, after the cursor
        plans.append(_plan(store, Filters(**given, cursor=first.next), ordered))
    for plan in plans:
        assert not _full_scans(plan, store.backend, whole_index_ok=not given), plan
        if ordered:  # read in index order and stopped at the limit: no sort of the matching rows
            # (on SQLite the page's rows, chosen by the subquery, are sorted once more: that sort is
            # of one page, at the outermost level; inside the subquery there must be none)
            chosen = [line for line in plan.splitlines() if line.startswith(" ")]
            assert store.backend == "postgresql" or chosen, plan
            assert not any("TEMP B-TREE FOR ORDER BY" in line for line in chosen) and "Sort" not in plan, plan


def test_unfiltered_stats_read_no_event_row(store: Store, specs: list[dict[str, Any]]) -> None:
    with store.engine.connect() as conn:
        conn.execute(text("DELETE FROM articles WHERE 1 = 0"))  # a no-op that takes no lock
    calls: list[str] = []
    from sqlalchemy import event as sa_event

    def spy(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        calls.append(statement)

    sa_event.listen(store.engine, "before_cursor_execute", spy)
    try:
        stats(store)
    finally:
        sa_event.remove(store.engine, "before_cursor_execute", spy)
    assert calls and not any("FROM events" in c for c in calls), calls


def test_a_page_is_chosen_from_indexes_alone(store: Store, specs: list[dict[str, Any]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A bounding box, and names read in date order, choose the page's rows without reading a table
    row (migration 0006's covering indexes); only the chosen rows are then read in full."""
    if store.backend == "postgresql":  # the planner picks the actor plan itself; the box must be index-only
        assert "Index Only Scan using ix_events_lat_lon" in _plan(store, Filters(bbox="35,49,37,51"), ordered=False)
        return
    monkeypatch.setattr(query_lookups, "walk_threshold", lambda conn, page_rows: 1)
    for given, index in (({"bbox": "35,49,37,51"}, "ix_events_lat_lon"), ({"actor": "military"}, "ix_events_date_order")):
        plan = _plan(store, Filters(**given), ordered=False)
        chosen = [line.strip() for line in plan.splitlines() if line.startswith(" ") and "events" in line]
        assert chosen and all(f"USING COVERING INDEX {index}" in line for line in chosen), plan
