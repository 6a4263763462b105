"""The map and the views a new user meets first, in a real browser (tests/browser.py): names on the
map at every zoom, the selected event ringed, whole-number timeline ticks and its count switch, an
article set aside for its language saying why, human dates, and every view at a phone's width.
Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote

import pytest

from eventsift.store.store import open_store

from .browser import BROWSER_MARKS, SCREENSHOTS, VENDOR, Page, all_events, api, mapped

pytestmark = BROWSER_MARKS
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}")  # a year or a month when that is all that is known


def _labels(page: Any, kind: str) -> list[str]:
    return page.eval_on_selector_all(f'[data-testid="map-label"][data-kind="{kind}"]', "els => els.map(e => e.textContent)")


def _labels_inside_map(page: Any) -> bool:
    return bool(page.evaluate("""() => {
        const box = document.querySelector('#map').getBoundingClientRect();
        return [...document.querySelectorAll('[data-testid=map-label]')].every((e) => {
            const r = e.getBoundingClientRect();
            return r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        });
    }"""))


def _towns_for(base: str, page: Any) -> set[str]:
    """The places the server answers for the view the page last asked about (what the labels may name)."""
    query = page.get_attribute("#map", "data-label-query") or ""
    params = {k: v[0] for k, v in parse_qs(query).items()}
    assert "bbox" in params
    return {p["name"] for p in api(base, "/map/places", **params)["places"]}


def test_the_map_names_countries_and_towns_when_zoomed_out_and_in(ui: Page) -> None:
    page = ui.page
    ui.open()
    page.wait_for_function("() => document.querySelector('#map').dataset.labelsPending === '0' && "
                           "Number(document.querySelector('#map').dataset.labelsPlace) > 0")
    world_countries, world_towns = _labels(page, "country"), _labels(page, "place")
    atlas = json.loads((VENDOR / "world-atlas" / "countries-50m.json").read_text(encoding="utf-8"))
    names = {g["properties"]["name"] for g in atlas["objects"]["countries"]["geometries"]}
    assert len(world_countries) > 10 and set(world_countries) <= names
    assert set(world_towns) <= _towns_for(ui.base, page) and len(world_towns) > 3
    assert _labels_inside_map(page)
    ui.shot("world")
    event = next(e for e in mapped(all_events(ui.base)) if e["place"]["precision"] == "city")
    ui.open(f"/#/event/{quote(event['id'], safe='')}")
    ui.detail_ready()
    for _ in range(3):  # down to a district: zoom 10
        with page.expect_response(lambda r: "/map/places" in r.url):
            page.click(".leaflet-control-zoom-in")
        page.wait_for_timeout(400)
    page.wait_for_function("() => document.querySelector('#map').dataset.labelsPending === '0' && "
                           "document.querySelectorAll('[data-testid=map-label][data-kind=place]').length > 0")
    close_towns = _labels(page, "place")
    assert set(close_towns) <= _towns_for(ui.base, page)
    assert not set(close_towns) & set(world_towns), "zoomed in, the names are of smaller places nearby"
    assert _labels(page, "country") == []  # inside one country its name is noise
    assert _labels_inside_map(page)
    ui.shot("district")


def test_the_selected_event_is_ringed_on_the_map(ui: Page) -> None:
    event = next(e for e in mapped(all_events(ui.base)) if e["place"]["precision"] in ("city", "region"))
    ui.open(f"/#/event/{quote(event['id'], safe='')}")
    ui.detail_ready()
    page = ui.page
    assert page.get_attribute("#map", "data-selected") == event["id"]
    page.wait_for_timeout(800)  # the clusters' zoom animation ends before positions are compared
    ring = page.locator('[data-testid="selected-ring"]')
    assert ring.count() == 1 and ring.is_visible()
    box, mapbox = ring.bounding_box(), page.locator("#map").bounding_box()
    assert box and mapbox and box["width"] >= 30  # a fixed-size ring, visible at any zoom
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert mapbox["x"] < centre[0] < mapbox["x"] + mapbox["width"] and mapbox["y"] < centre[1] < mapbox["y"] + mapbox["height"]
    marker = page.locator(f'[data-testid="map-marker"][data-id="{event["id"]}"]')
    if marker.count() and marker.is_visible():  # not gathered into a cluster: the ring is on it
        m = marker.bounding_box()
        assert m and abs(m["x"] + m["width"] / 2 - centre[0]) < 3 and abs(m["y"] + m["height"] / 2 - centre[1]) < 3
    ui.shot()
    page.click('[data-testid="detail-close"]')
    page.wait_for_function("() => !document.querySelector('[data-testid=selected-ring]')")
    assert page.get_attribute("#map", "data-selected") is None


def _halted_article(db: str) -> Any:
    with open_store(db) as store:
        halted = store.list_articles(halted=True)
    assert halted, "the samples hold an article in French, set aside for its language"
    return halted[0]


def test_an_article_set_aside_for_its_language_says_why(ui: Page, ui_db: str) -> None:
    article = _halted_article(ui_db)
    ui.open(f"/#/article/{article.id[:10]}")  # the short id `eventsift articles` shows
    page = ui.page
    page.wait_for_selector("#article-view[data-state=ready]")
    notice = page.text_content('[data-testid="article-halted"]') or ""
    assert article.halted in notice and "language" in notice
    assert "set aside" in (page.text_content('[data-testid="article-no-events"]') or "")
    ui.shot()


def test_timeline_ticks_are_whole_and_counts_switch_to_stories_and_sources(ui: Page) -> None:
    ui.open()
    page = ui.page
    ticks = [float(t) for t in (page.get_attribute("#timeline", "data-ticks") or "").split(",")]
    assert ticks[0] == 0 and all(t == int(t) for t in ticks) and len(ticks) >= 2
    labels = page.eval_on_selector_all("#timeline .u-axis", "els => els.map(e => e.textContent)")
    assert labels and not any("." in text for text in labels[1:])
    stories = api(ui.base, "/stories", limit=1000)["items"]
    dated = [s for s in stories if (s.get("when") or {}).get("precision") == "day" and len(s["when"]["start"]) >= 10]
    expected = {"stories": len(dated), "sources": sum(s["sources"]["independent"] for s in dated)}
    for mode, total in expected.items():
        page.select_option('[data-testid="count-by"]', mode)
        page.wait_for_function("n => document.body.dataset.state === 'ready' && "
                               "document.querySelector('#timeline').dataset.total === String(n)", arg=total)
        top = max(float(t) for t in (page.get_attribute("#timeline", "data-ticks") or "0").split(","))
        assert top >= 1
    ui.shot()


def test_dates_read_as_dates_and_placeholders_look_like_placeholders(ui: Page) -> None:
    ui.open()
    page = ui.page
    times = page.eval_on_selector_all('[data-testid="event-item"] time', "els => els.map(e => [e.textContent, e.title])")
    assert times
    for text, title in times:
        assert not ISO_DAY.match(text) and ISO_DATE.match(title), (text, title)
    for testid in ("filter-country", "filter-admin1", "filter-actor"):
        placeholder = page.get_attribute(f'[data-testid="{testid}"]', "placeholder") or ""
        style = page.evaluate(f"() => getComputedStyle(document.querySelector('[data-testid={testid}]'), "
                              "'::placeholder').fontStyle")
        assert placeholder.startswith(("e.g.", "any")) and style == "italic"


def test_fields_by_source_do_not_repeat_the_evidence(ui: Page) -> None:
    stories = api(ui.base, "/stories", limit=1000)["items"]
    story = max(stories, key=lambda s: s["sources"]["articles"])
    detail = api(ui.base, f"/stories/{quote(story['id'], safe='')}")
    evidence = {e["evidence"]["text"] for e in detail["event_items"] if e.get("evidence")}
    ui.open(f"/#/story/{quote(story['id'], safe='')}")
    ui.detail_ready()
    quoted = ui.page.eval_on_selector_all('[data-testid="story-fields"] q', "els => els.map(e => e.title || e.textContent)")
    assert not set(quoted) & evidence
    assert len(quoted) == len(set(quoted))


@pytest.fixture
def phone(chromium: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = Page(context.new_page(), server, f"phone-{request.node.name}")
    yield page
    context.close()
    assert not page.errors, f"script errors on the page: {page.errors}"


def test_every_view_fits_a_phone(phone: Page, ui_db: str) -> None:
    event = next(e for e in mapped(all_events(phone.base)) if e.get("story_id"))
    views = {"map": "/", "event": f"/#/event/{quote(event['id'], safe='')}",
             "story": f"/#/story/{quote(event['story_id'], safe='')}", "article": f"/#/article/{event['article_id'][:10]}",
             "set-aside": f"/#/article/{_halted_article(ui_db).id[:10]}"}
    page = phone.page
    for name, path in views.items():
        phone.open(path)
        if name in ("event", "story"):
            phone.detail_ready()
        if name in ("article", "set-aside"):
            page.wait_for_selector("#article-view[data-state=ready]")
        page.wait_for_timeout(300)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= 391, f"{name}: the page is {width}px wide on a 390px screen"
        phone.shot(name)
    phone.open("/")
    assert page.is_hidden('[data-testid="filters"]')  # folded away on a phone, one tap to open
    page.click('[data-testid="filters-toggle"]')
    assert page.is_visible('[data-testid="filter-q"]')
    phone.shot("filters")
    assert all((SCREENSHOTS / f"phone-{phone.name.removeprefix('phone-')}-{n}.png").exists() for n in views)
