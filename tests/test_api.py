"""The HTTP API through a real uvicorn server on 127.0.0.1: every endpoint, errors, exports, ingest."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest

from eventsift.serve import api
from eventsift.serve.api import create_app
from eventsift.store import query
from eventsift.store.store import open_store

from .conftest import REFERENCE
from .livesrv import copy_sqlite, serve_app
from .querydata import expected_order, seed

pytestmark = pytest.mark.network

NEW_ARTICLE = {
    "id": "api-test-1",
    "title": "Drone strike hits fuel depot near Kupiansk",
    "text": ("Drone strike hits fuel depot near Kupiansk\n\n"
             "A Russian drone struck a fuel depot near Kupiansk in the Kharkiv region on Monday, killing two "
             "workers, the regional governor said on Telegram.\n\n"
             "Firefighters worked through the night to put out the blaze, officials said."),
    "published": "2024-03-18",
    "source": "example.org",
    "url": "https://example.org/news/depot",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A server over a database of hand-made events (querydata.seed), and their specs."""
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'seeded.db'}"
    with open_store(url) as store:
        specs = seed(store)
    with serve_app(create_app(url)) as base:
        yield base, specs


@pytest.fixture(scope="module")
def writable(sample_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a copy of the sample database, for POST /articles."""
    with serve_app(create_app(copy_sqlite(sample_db, tmp_path_factory.mktemp("writable")))) as base:
        yield base


def _get(base: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{base}{path}", params=params, timeout=30)


def _pages(base: str, path: str, **params: Any) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    while len(pages) < 100:
        body = _get(base, path, **params, **({"cursor": cursor} if cursor else {})).json()
        pages.append([i["id"] for i in body["items"]])
        cursor = body["next"]
        if cursor is None:
            break
    return pages


# ------------------------------------------------------------------------------------ reading


def test_openapi_lists_every_endpoint_with_documented_parameters(live_server: str) -> None:
    doc = _get(live_server, "/openapi.json").json()
    assert doc["info"]["title"] == "eventsift" and doc["info"]["version"] and doc["info"]["description"]
    for path in ("/events", "/events/{event_id}", "/stories", "/stories/{story_id}", "/articles",
                 "/articles/{article_id}", "/actors", "/places", "/stats", "/export/events.{fmt}",
                 "/export/stories.{fmt}"):
        assert path in doc["paths"], path
    params = {p["name"]: p for p in doc["paths"]["/events"]["get"]["parameters"]}
    assert set(params) == set(query.FILTER_FIELDS)
    assert all(p.get("description") for p in params.values())
    assert "post" in doc["paths"]["/articles"]


@pytest.mark.parametrize("sort", query.SORTS)
def test_events_page_through_every_item_once(seeded: tuple[str, list[dict[str, Any]]], sort: str) -> None:
    base, specs = seeded
    pages = _pages(base, "/events", sort=sort, limit=7)
    assert [len(p) for p in pages[:-1]] == [7] * (len(pages) - 1)
    assert [i for p in pages for i in p] == expected_order(specs, sort)


def test_filters_reach_the_query(seeded: tuple[str, list[dict[str, Any]]]) -> None:
    base, specs = seeded

    def ids(**params: Any) -> set[str]:
        response = _get(base, "/events", limit=1000, **params)
        assert response.status_code == 200, response.text
        return {i["id"] for i in response.json()["items"]}

    assert ids(country="fj") == {s["id"] for s in specs if s["country"] == "FJ"}
    assert ids(bbox="36.5,50.5,37,51", event_type="Battles") == {
        s["id"] for s in specs if s["location"] == "Belgorod" and s["event_type"] == "Battles"}
    assert ids(date_from="2024-03-10") == {s["id"] for s in specs if s["date_start"] in ("2024-03-12", "2024-03", "2024")}
    assert ids(actor="CORPS", status="claimed", q="sentence") == {
        s["id"] for s in specs if "Corps" in f"{s['actor1']} {s['actor2']}" and s["status"] == "claimed"}
    assert ids(min_sources=3) and ids(min_sources=3) < ids()
    stories = _get(base, "/stories", min_sources=4, sort="-sources").json()
    assert [s["id"] for s in stories["items"]] == ["s-07", "s-04"] and stories["next"] is None


def test_one_event_and_one_story(seeded: tuple[str, list[dict[str, Any]]]) -> None:
    base, specs = seeded
    spec = next(s for s in specs if s["story_id"] == "s-03")
    event = _get(base, f"/events/{spec['id']}").json()
    assert event["id"] == spec["id"] and event["event_id"] == spec["event_id"] and event["story_id"] == "s-03"
    assert event["article"]["id"] == spec["article_id"] and event["evidence"]["text"] == spec["evidence"]
    story = _get(base, "/stories/s-03").json()
    assert story["id"] == "s-03" and spec["id"] in [e["id"] for e in story["event_items"]]


def test_counts(seeded: tuple[str, list[dict[str, Any]]]) -> None:
    base, specs = seeded
    actors = _get(base, "/actors", limit=2).json()
    assert len(actors["items"]) == 2 and actors["next"] is None
    assert set(actors["items"][0]) == {"name", "events", "as_actor1", "as_actor2"}
    assert all("Military" in a["name"] for a in _get(base, "/actors", name="military").json()["items"])
    places = _get(base, "/places", country="UA").json()["items"]
    assert [(p["location"], p["country"]) for p in places] == [("Kharkiv", "UA")]
    assert places[0]["events"] == sum(s["location"] == "Kharkiv" for s in specs)
    stats = _get(base, "/stats", event_type="Battles").json()
    assert stats["total"] == sum(s["event_type"] == "Battles" for s in specs)
    assert {"by_day", "by_type", "by_region"} <= set(stats) and stats["by_type"][0]["event_type"] == "Battles"
    assert all(set(d) == {"day", "count"} for d in stats["by_day"])
    from eventsift.serve.models import Stats

    for answer in (stats, _get(base, "/stats").json()):  # sent without the model: it must still fit it
        assert Stats.model_validate(answer).model_dump() == answer


def test_sample_events_and_the_reference_article(live_server: str) -> None:
    events = _get(live_server, "/events", limit=1000).json()["items"]
    assert events, "ingesting the samples stored no events"
    assert all(e["id"] == f"{e['article_id']}:{e['event_id']}" and ":" not in e["event_id"] for e in events)
    reference = [e for e in events if e["article"]["title"] and "saboteurs" in e["article"]["title"]]
    assert reference and all(e["article"]["published"] == "2024-03-12" for e in reference)
    record = _get(live_server, f"/articles/{reference[0]['article_id']}").json()
    assert record["body"] and record["cleaning"] == {"removed": record["removed"], "repairs": record["repairs"]}
    assert record["cleaning"]["removed"] and record["cleaning"]["repairs"]  # consent text, mojibake
    evidence = reference[0]["evidence"]
    assert record["body"][evidence["start"]:evidence["end"]] == evidence["text"] or reference[0]["in_title"]
    assert REFERENCE.exists()


# ------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/events", {"date_from": "2024-13-01"}, 400, "date_from: expected a date"),
        ("/events", {"bbox": "1,2,3"}, 400, "bbox: expected west,south,east,north"),
        ("/events", {"sort": "newest"}, 400, "sort"),
        ("/events", {"limit": "0"}, 400, "limit"),
        ("/events", {"cursor": "garbage"}, 400, "cursor: not a cursor"),
        ("/stories", {"min_sources": "many"}, 400, "min_sources"),
        ("/stats", {"country": "Russia"}, 400, "country: expected codes"),
        ("/events/art0:e404", {}, 404, "no event 'art0:e404'"),
        ("/stories/s-404", {}, 404, "no story 's-404'"),
        ("/articles/nope", {}, 404, "no article 'nope'"),
        ("/no/such/path", {}, 404, "Not Found"),
        ("/export/events.xlsx", {}, 404, "unknown events export format 'xlsx'"),
    ],
)
def test_errors_are_json_with_the_right_status(seeded: tuple[str, list[dict[str, Any]]], path: str,
                                               params: dict[str, str], status: int, message: str) -> None:
    response = _get(seeded[0], path, **params)
    assert response.status_code == status, response.text
    assert list(response.json()) == ["error"] and message in response.json()["error"]


def test_a_database_failure_is_503(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'gone.db'}")
    with serve_app(app) as base:
        app.state.store.close()
        response = _get(base, "/events")
    assert response.status_code == 503 and "the store is closed" in response.json()["error"]


# ------------------------------------------------------------------------------------- exports


def test_exports_are_parseable_and_filtered(live_server: str) -> None:
    events = _get(live_server, "/events", limit=1000).json()["items"]
    with_coordinates = [e for e in events if e["place"] and e["place"]["lat"] is not None]

    response = _get(live_server, "/export/events.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="events.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["eventsift_id"] for r in rows] == [e["id"] for e in events]
    assert list(rows[0])[:3] == ["event_id_cnty", "event_date", "year"]

    geo = _get(live_server, "/export/events.geojson")
    assert geo.headers["content-type"].startswith("application/geo+json")
    collection = geo.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == len(with_coordinates)

    parquet = _get(live_server, "/export/events.parquet")
    assert parquet.headers["content-disposition"].endswith('events.parquet"')
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == len(events) and "record" in table.column_names

    lines = _get(live_server, "/export/events.jsonl", country="UA", sort="date").text.splitlines()
    wanted = [e["id"] for e in _get(live_server, "/events", country="UA", sort="date").json()["items"]]
    assert [json.loads(line)["id"] for line in lines] == wanted and wanted

    stories = _get(live_server, "/export/stories.jsonl").text.splitlines()
    assert len(stories) == len(_get(live_server, "/stories", limit=1000).json()["items"])


def test_an_export_streams_every_page(seeded: tuple[str, list[dict[str, Any]]],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    base, specs = seeded
    monkeypatch.setattr(query, "_ITER_PAGE", 5)  # the server runs in this process: many small pages
    lines = _get(base, "/export/events.jsonl", sort="-fatalities", limit=3).text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == expected_order(specs, "-fatalities")


# ------------------------------------------------------------------------------------- writing


def test_post_article_ingests_it_and_its_events_are_served(writable: str) -> None:
    response = httpx.post(f"{writable}/articles", json=NEW_ARTICLE, timeout=120)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] == "api-test-1" and body["stored"] is True and body["halted"] is None
    assert body["events"] and body["stories"]
    listed = _get(writable, "/events", date_from="2024-03-18", limit=1000).json()["items"]
    assert set(body["events"]) <= {e["id"] for e in listed}
    event = _get(writable, f"/events/{body['events'][0]}").json()
    assert event["article"]["url"] == NEW_ARTICLE["url"] and event["story_id"] in body["stories"]
    assert _get(writable, "/articles/api-test-1").json()["title"] == NEW_ARTICLE["title"]

    again = httpx.post(f"{writable}/articles", json={**NEW_ARTICLE, "id": None}, timeout=60)
    assert again.status_code == 200 and again.json()["stored"] is False
    assert again.json()["id"] == "api-test-1" and again.json()["events"] == body["events"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"title": "no text"}, 'needs a "text" or "html" string'),
        ({"text": "   "}, "empty text"),
        ({"text": "Some text.", "published": "last week"}, "published is not an ISO 8601 date"),
        ({"text": "Some text.", "colour": "red"}, "colour"),
    ],
)
def test_post_article_rejects_what_it_cannot_read(writable: str, payload: dict[str, Any], message: str) -> None:
    response = httpx.post(f"{writable}/articles", json=payload, timeout=60)
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]


# -------------------------------------------------------------------------------------- web UI


def test_the_web_ui_is_served_or_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'ui.db'}"
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>eventsift</title>", encoding="utf-8")
    monkeypatch.setattr(api, "web_root", lambda: web)
    with serve_app(create_app(db)) as base:
        missing = _get(base, "/")
        no_docs = _get(base, "/docs")
    assert missing.status_code == 503 and "make install" in missing.json()["error"]
    assert no_docs.status_code == 404 and "/openapi.json" in no_docs.json()["error"]  # never from a CDN

    (web / "vendor").mkdir()
    (web / "vendor" / "lib.js").write_text("window.lib = 1;", encoding="utf-8")
    with serve_app(create_app(db)) as base:
        page = _get(base, "/")
        script = _get(base, "/static/vendor/lib.js")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>eventsift</title>" in page.text
    assert script.status_code == 200 and script.text == "window.lib = 1;"

    (web / "vendor" / "swagger-ui").mkdir()
    (web / "vendor" / "swagger-ui" / "swagger-ui-bundle.js").write_text("//", encoding="utf-8")
    with serve_app(create_app(db)) as base:
        docs = _get(base, "/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
