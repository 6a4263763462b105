"""The read side (eventsift.store.query) on SQLite and PostgreSQL: filters, sorts, keyset pages, counts."""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from eventsift.errors import QueryError
from eventsift.store import query
from eventsift.store.query import (
    SORTS,
    Filters,
    get_event,
    get_story,
    iter_event_items,
    iter_story_items,
    list_actors,
    list_events,
    list_places,
    list_stories,
    parse_filters,
    stats,
)
from eventsift.store.store import Store, open_store

from .querydata import STORY_SOURCES, add_event, expected_order, seed, story_sources

pytest_plugins = ["tests.pg"]  # db_url: SQLite, then PostgreSQL


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def specs(store: Store) -> list[dict[str, Any]]:
    return seed(store)


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]


def _all_pages(lister: Any, store: Store, cursor: str | None = None, **filters: Any) -> list[list[str]]:
    pages: list[list[str]] = []
    while True:
        page = lister(store, Filters(**filters, cursor=cursor))
        pages.append(_ids(page.items))
        if page.next is None:
            return pages
        cursor = page.next
        assert len(pages) < 100, "pagination does not end"


@pytest.fixture
def matching(store: Store, specs: list[dict[str, Any]]) -> Any:
    def ids(**filters: Any) -> set[str]:
        return {i["id"] for i in iter_event_items(store, Filters(**filters))}

    return ids


# ----------------------------------------------------------------------------- parsing filters


def test_filters_normalise_query_string_values() -> None:
    f = parse_filters({"date_from": "2024-02", "date_to": "2024-02", "country": "ru, ua", "admin1": "ru-bel",
                       "bbox": "35,50,39.5,52", "min_sources": "2", "limit": "7", "status": "Claimed", "q": " "})
    assert f.date_from == "2024-02-01" and f.date_to == "2024-02-29"
    assert f.country == "RU,UA" and f.admin1 == "RU-BEL" and f.status == "claimed"
    assert f.bbox == (35.0, 50.0, 39.5, 52.0) and f.min_sources == 2 and f.limit == 7
    assert f.q is None and f.sort == "-date"
    assert Filters(date_to="2023").date_to == "2023-12-31"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"date_from": "2024-13-01"}, "date_from: expected a date"),
        ({"date_to": "yesterday"}, "date_to: expected a date"),
        ({"date_from": "2024-02-30"}, "date_from"),
        ({"date_from": "2024-03-02", "date_to": "2024-03-01"}, "after date_to"),
        ({"bbox": "1,2,3"}, "bbox: expected west,south,east,north"),
        ({"bbox": "a,b,c,d"}, "bbox: expected"),
        ({"bbox": "0,60,10,50"}, "south <= north"),
        ({"bbox": "-200,0,10,10"}, "longitudes"),
        ({"sort": "newest"}, "sort: expected one of date, -date"),
        ({"limit": "0"}, "limit: must be 1..1000"),
        ({"limit": "1001"}, "limit: must be 1..1000"),
        ({"limit": "ten"}, "limit: expected a whole number"),
        ({"min_sources": "-1"}, "min_sources"),
        ({"country": "Russia"}, "country: expected codes such as RU"),
        ({"cursor": "not-a-cursor"}, "cursor: not a cursor"),
        ({"colour": "red"}, "unknown filter(s): colour"),
    ],
)
def test_bad_filters_raise_a_clear_query_error(values: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_filters(values)


def test_a_cursor_only_fits_its_own_sort(store: Store, specs: list[dict[str, Any]]) -> None:
    cursor = list_events(store, Filters(sort="fatalities", limit=2)).next
    assert cursor is not None
    with pytest.raises(QueryError, match="belongs to sort 'fatalities'"):
        Filters(sort="-date", cursor=cursor)
    forged = base64.urlsafe_b64encode(json.dumps(["fatalities", "three", "x"]).encode()).decode()
    with pytest.raises(QueryError, match="cursor: not a cursor"):
        Filters(sort="fatalities", cursor=forged)


# ----------------------------------------------------------------------------- sorts and pages


@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_gives_the_total_order_with_unknown_values_last(store: Store, specs: list[dict[str, Any]],
                                                                   sort: str) -> None:
    page = list_events(store, Filters(sort=sort, limit=1000))
    assert _ids(page.items) == expected_order(specs, sort)
    assert page.next is None


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("limit", [1, 5, 7])
def test_pages_cover_everything_once_in_order(store: Store, specs: list[dict[str, Any]], sort: str,
                                              limit: int) -> None:
    pages = _all_pages(list_events, store, sort=sort, limit=limit)
    assert all(len(p) == limit for p in pages[:-1]) and 0 < len(pages[-1]) <= limit
    flat = [i for p in pages for i in p]
    assert flat == expected_order(specs, sort)
    assert len(set(flat)) == len(flat) == len(specs)


@pytest.mark.parametrize("sort", ["date", "-date", "fatalities", "-sources"])
def test_story_pages_cover_every_story_once(store: Store, specs: list[dict[str, Any]], sort: str) -> None:
    flat = [i for p in _all_pages(list_stories, store, sort=sort, limit=3) for i in p]
    stories = [{"id": sid, "n_sources": n, **_first_member(specs, sid)} for sid, n in STORY_SOURCES.items()]
    assert flat == expected_order(stories, sort)


def _first_member(specs: list[dict[str, Any]], story_id: str) -> dict[str, Any]:
    first = next(s for s in specs if s["story_id"] == story_id)
    return {"date_start": first["date_start"], "fatalities": first["fatalities"]}


def test_a_cursor_resumes_after_its_item_when_rows_change(store: Store, specs: list[dict[str, Any]]) -> None:
    first = list_events(store, Filters(sort="-date", limit=5))
    before = expected_order(specs, "-date")
    # A new event that sorts onto the first page, and the removal of the page's last item.
    newer = {**specs[0], "id": "art1:e99", "event_id": "e99", "date_start": "2025-01-01", "date_end": "2025-01-01",
             "story_id": None, "merge_reason": None}
    add_event(store, newer)
    with store.writing("test: delete") as conn:
        conn.execute(query.events.delete().where(query.events.c.id == first.items[-1]["id"]))
    rest = [i for p in _all_pages(list_events, store, sort="-date", limit=5, cursor=first.next) for i in p]
    assert rest == before[5:]


def test_iter_event_items_reads_every_page(store: Store, specs: list[dict[str, Any]],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query, "_ITER_PAGE", 4)
    items = list(iter_event_items(store, Filters(sort="fatalities", limit=2, cursor=None)))
    assert _ids(items) == expected_order(specs, "fatalities")
    assert len(list(iter_story_items(store))) == len(STORY_SOURCES)


# ------------------------------------------------------------------------------------- filters


def test_dates_match_when_the_event_overlaps_the_range(matching: Any, specs: list[dict[str, Any]]) -> None:
    by_date = {s["id"]: (s["date_start"], s["date_end"]) for s in specs}
    found = matching(date_from="2024-03-10")
    assert {by_date[i][0] for i in found} == {"2024-03-12", "2024-03", "2024"}  # a month or year overlaps
    found = matching(date_from="2024-03-01", date_to="2024-03-01")
    assert {by_date[i] for i in found} == {("2024-03", "2024-03"), ("2024", "2024"), ("2024-02-20", "2024-03-02")}
    found = matching(date_to="2023-12-31")
    assert {by_date[i][0] for i in found} == {"2023-05"}
    assert {by_date[i][0] for i in matching(date_from="2023-05-31", date_to="2023-06")} == {"2023-05"}
    assert all(by_date[i][0] is not None for i in matching(date_from="1900"))  # undated never match


def test_place_filters(matching: Any, specs: list[dict[str, Any]]) -> None:
    def where(test: Any) -> set[str]:
        return {s["id"] for s in specs if test(s)}

    assert matching(country="ru") == where(lambda s: s["country"] == "RU")
    assert matching(country="RU,FJ") == where(lambda s: s["country"] in ("RU", "FJ"))
    assert matching(admin1="UA-63") == where(lambda s: s["admin1"] == "UA-63")
    assert matching(bbox="35,49,37,51") == where(lambda s: s["location"] in ("Belgorod", "Kharkiv"))
    assert matching(bbox="36.5,50.5,37,51") == where(lambda s: s["location"] == "Belgorod")
    # west > east: the box crosses the antimeridian, holding Suva (178.4) and Taveuni (-179.9)
    assert matching(bbox="178,-20,-179,-15") == where(lambda s: s["country"] == "FJ")
    assert matching(bbox="178,-20,179,-15") == where(lambda s: s["location"] == "Suva")


def test_type_actor_status_sources_and_text_filters(matching: Any, specs: list[dict[str, Any]]) -> None:
    def where(test: Any) -> set[str]:
        return {s["id"] for s in specs if test(s)}

    assert matching(event_type="Battles") == where(lambda s: s["event_type"] == "Battles")
    assert matching(event_type="Battles,Protests") == where(lambda s: s["event_type"] in ("Battles", "Protests"))
    assert matching(sub_event_type="Air/drone strike") == where(lambda s: s["sub_type"] == "Air/drone strike")
    assert matching(status="claimed") == where(lambda s: s["status"] == "claimed")
    volunteers = where(lambda s: "Volunteer" in f"{s['actor1']} {s['actor2']}")
    assert matching(actor="volunteer CORPS") == volunteers and volunteers
    assert matching(actor="военные") == where(lambda s: s["actor1"] == "Военные России")  # Unicode case folding
    assert matching(q="drones hit") == where(lambda s: "Drones HIT" in s["evidence"])
    assert matching(q="100%") == set()  # LIKE wildcards are literal
    assert matching(min_sources=2) == where(lambda s: story_sources(s) >= 2)
    assert matching(min_sources=1) == {s["id"] for s in specs}  # an event in no story has one source
    assert matching(country="RU", status="asserted") == where(lambda s: s["country"] == "RU"
                                                               and s["status"] == "asserted")


def test_story_filters_use_the_story_columns(store: Store, specs: list[dict[str, Any]]) -> None:
    found = _ids(list_stories(store, Filters(min_sources=3, sort="-sources")).items)
    assert found == ["s-07", "s-04", "s-03"]
    assert all(i.startswith("s-") for i in _ids(list_stories(store, Filters(country="RU")).items))


# --------------------------------------------------------------------------------------- items


def test_event_items_carry_the_record_and_the_article(store: Store, specs: list[dict[str, Any]]) -> None:
    spec = specs[9]
    item = get_event(store, spec["id"])
    assert item is not None
    assert item["id"] == spec["id"] and item["event_id"] == spec["event_id"]
    assert item["article_id"] == spec["article_id"] and item["story_id"] == spec["story_id"]
    assert item["merge_reason"] == spec["merge_reason"]
    article = dict(item["article"])
    assert article.pop("ingested_at", "absent") is not None  # when it was stored (ACLED's timestamp column)
    assert article == {"id": "art1", "title": "Title 1", "source": "outlet1", "url": "https://example.org/1",
                       "published": "2024-03-12", "syndication_group": "g1"}
    assert item["evidence"]["text"] == spec["evidence"] and item["acled_event_type"] == spec["event_type"]
    assert get_event(store, "art1:e404") is None


def test_a_story_comes_with_its_event_items(store: Store, specs: list[dict[str, Any]]) -> None:
    story = get_story(store, "s-02")
    assert story is not None and story["id"] == "s-02"
    members = [s for s in specs if s["story_id"] == "s-02"]
    assert sorted(_ids(story["event_items"])) == sorted(s["id"] for s in members)
    assert story["events"] == [s["id"] for s in members]
    assert get_story(store, "s-404") is None


# ---------------------------------------------------------------------------------------- counts


def test_actors_with_event_counts(store: Store, specs: list[dict[str, Any]]) -> None:
    counts: Counter[str] = Counter()
    for s in specs:
        counts.update({a for a in (s["actor1"], s["actor2"]) if a})
    rows = list_actors(store)
    assert {r["name"]: r["events"] for r in rows} == dict(counts)
    assert [r["events"] for r in rows] == sorted((r["events"] for r in rows), reverse=True)
    corps = next(r for r in rows if r["name"] == "Russian Volunteer Corps")
    assert corps["as_actor1"] + corps["as_actor2"] == corps["events"]
    assert [r["name"] for r in list_actors(store, name="military")] == sorted(
        n for n in counts if "Military" in n)
    assert list_actors(store, Filters(country="FJ"), limit=1)[0]["events"] <= counts.most_common(1)[0][1]


def test_places_with_event_counts(store: Store, specs: list[dict[str, Any]]) -> None:
    rows = list_places(store)
    expected = Counter(s["location"] for s in specs if s["location"])
    assert {r["location"]: r["events"] for r in rows} == dict(expected)
    belgorod = next(r for r in rows if r["location"] == "Belgorod")
    assert belgorod | {"events": 0} == {"location": "Belgorod", "admin1": "RU-BEL", "country": "RU", "lat": 50.6,
                                        "lon": 36.6, "precision": "city", "events": 0}
    assert {r["country"] for r in list_places(store, Filters(country="UA"))} == {"UA"}


def test_stats_count_every_matching_event(store: Store, specs: list[dict[str, Any]]) -> None:
    result = stats(store)
    days = Counter(s["date_start"] for s in specs if s["date_start"] and len(s["date_start"]) == 10)
    assert result["by_day"] == [{"day": d, "count": n} for d, n in sorted(days.items())]
    assert result["total"] == len(specs)
    assert result["undated"] == sum(1 for s in specs if s["date_start"] is None)
    assert result["total"] == sum(days.values()) + result["undated"] + result["imprecise"]
    assert {r["event_type"]: r["count"] for r in result["by_type"]} == dict(Counter(s["event_type"] for s in specs))
    assert sum(r["count"] for r in result["by_sub_type"]) == len(specs)
    regions = Counter((s["country"], s["admin1"]) for s in specs)
    assert {(r["country"], r["admin1"]): r["count"] for r in result["by_region"]} == dict(regions)
    assert stats(store, Filters(event_type="Protests"))["total"] == sum(s["event_type"] == "Protests" for s in specs)


def test_an_empty_store_answers_empty(store: Store) -> None:
    assert list_events(store).to_dict() == {"items": [], "next": None}
    assert list_stories(store).items == [] and list_actors(store) == [] and list_places(store) == []
    assert stats(store) == {"total": 0, "undated": 0, "imprecise": 0, "by_day": [], "by_type": [],
                            "by_sub_type": [], "by_region": []}


def test_frames_load_straight_from_the_database(db_url: str, store: Store, specs: list[dict[str, Any]]) -> None:
    from eventsift.export.frames import load_events, load_stories

    frame = load_events(db_url, country="FJ", sort="fatalities")
    fiji = [s for s in specs if s["country"] == "FJ"]
    assert list(frame["eventsift_id"]) == expected_order(fiji, "fatalities")
    assert frame["fatalities"].isna().sum() == sum(s["fatalities"] is None for s in fiji)
    assert sorted(load_stories(db_url, min_sources=3)["story_id"]) == ["s-03", "s-04", "s-07"]
    with pytest.raises(QueryError, match="bbox"):
        load_events(db_url, bbox="1,2")
