"""The web UI in a real browser (tests/browser.py): the map and timeline draw, filters change the
list, an event's detail highlights its evidence, a story shows its sources, the article view lists
what cleaning removed, and no request leaves 127.0.0.1. Every test saves a screenshot under
artifacts/screenshots/. The map's names, the selection ring, the phone layout: test_web_map.py.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import quote, urlencode, urlparse

from .browser import BROWSER_MARKS, Page, all_events, api, mapped

pytestmark = BROWSER_MARKS


# --------------------------------------------------------------------------------------- tests


def test_page_draws_map_markers_timeline_and_list(ui: Page) -> None:
    events = all_events(ui.base)
    assert mapped(events), "the sample data should have events with coordinates"
    ui.open()
    page = ui.page
    page.wait_for_selector("#map[data-basemap]")  # the outlines load on their own, apart from the data
    assert int(page.get_attribute("#map", "data-basemap") or 0) > 100  # country outlines drawn
    assert page.locator(".leaflet-marker-icon").count() > 0  # markers or clusters on the map
    assert int(page.get_attribute("#map", "data-markers") or 0) == len(mapped(events))
    assert page.locator("#timeline canvas").count() > 0
    by_day = api(ui.base, "/stats")["by_day"]
    assert int(page.get_attribute("#timeline", "data-total") or 0) == sum(r["count"] for r in by_day) > 0
    assert sorted(ui.item_ids()) == sorted(e["id"] for e in events[:50])
    ui.shot()


def test_filtering_by_event_type_changes_list_and_map(ui: Page) -> None:
    events = all_events(ui.base)
    types = sorted({e["acled_event_type"] for e in events})
    assert len(types) > 1, "the sample data should cover more than one event type"
    chosen = min(types, key=lambda t: sum(e["acled_event_type"] == t for e in events))
    expected = all_events(ui.base, event_type=chosen)
    ui.open()
    before = ui.item_ids()
    ui.page.select_option('[data-testid="filter-event-type"]', chosen)
    ui.page.wait_for_function(
        "n => document.body.dataset.state === 'ready' && "
        "document.querySelectorAll('[data-testid=event-item]').length === n", arg=len(expected))
    after = ui.item_ids()
    assert sorted(after) == sorted(e["id"] for e in expected)
    assert after != before
    assert set(ui.page.eval_on_selector_all('[data-testid="event-item"]', "els => els.map(e => e.dataset.type)")) \
        == {chosen}
    assert int(ui.page.get_attribute("#map", "data-markers") or 0) == len(mapped(expected))
    assert "event_type=" in ui.page.url  # the filter is kept in the address
    ui.shot()


def _reference_event(base: str) -> dict[str, Any]:
    """An event with evidence, a place and claims, told in words no other event has (not a
    syndicated copy's); the reference article's raid when it is there."""
    events = all_events(base)
    told = Counter(e["evidence"]["text"] for e in events if e.get("evidence"))
    rich = [e for e in events if e.get("place") and e.get("claims") and e.get("evidence")
            and told[e["evidence"]["text"]] == 1]
    assert rich, "no event with a place and claims in the sample data"
    return rich[0]


def test_event_detail_highlights_evidence_and_field_words(ui: Page) -> None:
    event = _reference_event(ui.base)
    ui.open()
    ui.page.click(f'[data-testid="event-item"][data-id="{event["id"]}"]')
    ui.detail_ready()
    page = ui.page
    assert page.get_attribute('[data-testid="event-detail"]', "data-id") == event["id"]
    marks = page.locator('[data-testid="evidence-highlight"]')
    assert marks.count() == 1
    assert marks.text_content() == event["evidence"]["text"]
    assert page.locator('[data-testid="span-mismatch"]').count() == 0
    # the place row quotes the words the place was read from, and they are highlighted in the text
    place_words = page.locator('[data-testid="field-place"] q').first.text_content()
    assert place_words == event["place"]["text"]
    assert page.locator('#detail mark[data-field="place"]').first.text_content() == event["place"]["text"]
    assert page.locator('[data-testid="field-sub-type"]').text_content().count(event["acled_sub_event_type"]) == 1
    claims = page.locator('[data-testid="claim"]')
    assert claims.count() == len(event["claims"])
    for i, claim in enumerate(event["claims"]):
        assert claim["claimant"] in (claims.nth(i).text_content() or "")
        if claim.get("channel"):
            assert claim["channel"] in (claims.nth(i).text_content() or "")
    ui.shot()


def test_marker_click_opens_event_detail(ui: Page) -> None:
    event = _reference_event(ui.base)
    words = event["evidence"]["text"][:40]
    assert [e["id"] for e in all_events(ui.base, q=words)] == [event["id"]], "pick words only one event has"
    ui.open("/?" + urlencode({"q": words}))
    marker = ui.page.locator('[data-testid="map-marker"]')
    assert marker.count() == 1
    marker.click()
    ui.detail_ready()
    assert ui.page.get_attribute('[data-testid="event-detail"]', "data-id") == event["id"]
    assert ui.page.locator('[data-testid="evidence-highlight"]').text_content() == event["evidence"]["text"]
    ui.shot()


def test_story_detail_shows_sources_groups_and_disagreements(ui: Page) -> None:
    stories = api(ui.base, "/stories", limit=1000)["items"]
    story = max(stories, key=lambda s: (s["sources"]["articles"], len(s.get("disagreements") or {})))
    assert story["sources"]["articles"] > 1, "the samples hold syndicated copies: some story has several articles"
    ui.open()
    ui.page.click('[data-testid="tab-stories"]')
    ui.page.wait_for_selector(f'[data-testid="story-item"][data-id="{story["id"]}"]')
    assert sorted(ui.item_ids("story-item")) == sorted(s["id"] for s in stories[:50])
    ui.page.click(f'[data-testid="story-item"][data-id="{story["id"]}"]')
    ui.detail_ready()
    page = ui.page
    assert page.text_content('[data-testid="story-independent"]') == str(story["sources"]["independent"])
    assert page.locator('[data-testid="story-group"]').count() == len(story["sources"]["groups"])
    assert page.locator('[data-testid="story-article"]').count() == story["sources"]["articles"]
    for field, provenance in (story.get("disagreements") or {}).items():
        text = page.locator(f'[data-testid="disagreement"][data-field="{field}"]').text_content() or ""
        assert " vs " in text or "vs" in text
        for p in provenance:
            value = p["value"]
            if isinstance(value, (int, str)):
                assert str(value) in text
    assert page.locator('[data-testid="story-event"]').count() == len(story["events"])
    ui.shot()


def test_article_view_shows_highlights_and_removed_blocks(ui: Page) -> None:
    article_ids = list(dict.fromkeys(e["article_id"] for e in all_events(ui.base)))
    articles = [api(ui.base, f"/articles/{quote(a, safe='')}") for a in article_ids]
    article = max(articles, key=lambda a: len(a["cleaning"]["removed"]))
    removed = article["cleaning"]["removed"]
    assert removed, "the reference article has boilerplate that cleaning removes"
    ui.open(f"/#/article/{quote(article['id'], safe='')}")
    page = ui.page
    page.wait_for_selector("#article-view[data-state=ready]")
    assert page.is_hidden("#main-view")
    blocks = page.locator('[data-testid="removed-block"]')
    assert blocks.count() == len(removed)
    for i, block in enumerate(removed):
        text = blocks.nth(i).text_content() or ""
        assert block["text"] in text and block["reason"] in text
    assert page.locator('[data-testid="repair"]').count() == len(article["cleaning"]["repairs"])
    assert page.locator('[data-testid="span-mismatch"]').count() == 0
    for testid, key in (("article-place", "places"), ("article-time", "times"), ("article-quote", "quotes")):
        if article[key]:
            assert page.locator(f'[data-testid="{testid}"]').count() > 0, testid
    if article["entities"]:
        assert page.locator('[data-testid="article-entity"]').count() > 0
    ui.shot()
    # an event's evidence in the text links to that event's detail
    marks = page.locator('[data-testid="article-event"]')
    assert marks.count() > 0
    marks.first.click()
    ui.detail_ready()
    assert page.is_visible('[data-testid="event-detail"]')
    assert page.locator('[data-testid="evidence-highlight"]').count() == 1
    ui.shot("event")


def test_load_more_follows_the_cursor(ui: Page) -> None:
    events = all_events(ui.base)
    assert len(events) > 3
    ui.open("/?limit=3")
    assert len(ui.item_ids()) == 3
    more = ui.page.locator('[data-testid="load-more"]')
    while more.is_visible():
        count = len(ui.item_ids())
        more.click()
        ui.page.wait_for_function("n => document.querySelectorAll('[data-testid=event-item]').length > n", arg=count)
    ids = ui.item_ids()
    assert len(ids) == len(set(ids)) == len(events)
    assert ids == [e["id"] for e in events]
    ui.shot()


def test_empty_results_and_api_errors_are_shown(ui: Page) -> None:
    ui.open("/?" + urlencode({"q": "words no article contains zqxj"}))
    page = ui.page
    assert page.is_visible('[data-testid="empty"]')
    assert page.is_visible('[data-testid="timeline-empty"]')
    assert page.get_attribute("#map", "data-markers") == "0"
    ui.shot("empty")
    page.route("**/events?**", lambda route: route.fulfill(
        status=503, content_type="application/json", body=json.dumps({"error": "the database is unavailable"})))
    page.fill('[data-testid="filter-q"]', "")
    page.click('[data-testid="filter-apply"]')
    page.wait_for_selector('[data-testid="error-banner"]:not([hidden])')
    assert "the database is unavailable" in (page.text_content('[data-testid="error-banner"]') or "")
    assert page.is_visible('[data-testid="list-error"]')
    ui.shot("error")


def test_every_request_stays_on_127_0_0_1(ui: Page) -> None:
    event = _reference_event(ui.base)
    story = api(ui.base, "/stories", limit=1)["items"][0]
    ui.open()
    ui.page.click(f'[data-testid="event-item"][data-id="{event["id"]}"]')
    ui.detail_ready()
    ui.page.click('[data-testid="open-article"]')
    ui.page.wait_for_selector("#article-view[data-state=ready]")
    ui.page.goto(f"{ui.base}/#/story/{quote(story['id'], safe='')}")
    ui.ready()
    ui.detail_ready()
    foreign = []
    for url in ui.requests:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob"):
            continue
        if parsed.scheme not in ("http", "https") or parsed.hostname != "127.0.0.1":
            foreign.append(url)
    assert not foreign, f"requests left 127.0.0.1: {foreign}"
    paths = {urlparse(u).path for u in ui.requests}
    for asset in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/world-atlas/countries-50m.json",
                  "/static/vendor/uplot/uPlot.iife.min.js", "/static/app.js"):
        assert asset in paths, asset
    assert not ui.failed, f"failed requests: {ui.failed}"
    blocked = [m for m in ui.console if "Content Security Policy" in m]
    assert not blocked, f"the page's own files broke its Content-Security-Policy: {blocked}"
    ui.shot()


def test_map_area_filter_sends_the_view_as_bbox(ui: Page) -> None:
    event = _reference_event(ui.base)
    everything = all_events(ui.base)
    ui.open(f"/#/event/{quote(event['id'], safe='')}")  # the map zooms to the event's place
    ui.detail_ready()
    page = ui.page
    page.click('[data-testid="detail-close"]')
    page.click('[data-testid="filter-bbox"]')
    page.wait_for_function("() => document.body.dataset.state === 'ready' && "
                           "document.querySelector('[name=bbox]').value !== ''")
    ui.ready()
    bbox = page.input_value('[data-testid="filter-bbox-value"]')
    west, south, east, north = (float(v) for v in bbox.split(","))
    assert -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south < north <= 90
    assert "bbox=" in page.url
    expected = all_events(ui.base, bbox=bbox)
    assert sorted(ui.item_ids()) == sorted(e["id"] for e in expected[:50])
    assert event["id"] in ui.item_ids()
    assert len(expected) < len(everything)
    assert all(west <= e["place"]["lon"] <= east and south <= e["place"]["lat"] <= north
               for e in expected) or west > east
    ui.shot()
    page.click('[data-testid="filter-bbox"]')
    page.wait_for_function("() => document.querySelector('[name=bbox]').value === ''")
    ui.ready()
    assert len(ui.item_ids()) == min(50, len(everything))


def test_api_pages_load_from_vendored_files_only(ui: Page) -> None:
    ui.page.goto(f"{ui.base}/docs")
    ui.page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    paths = [t.strip() for t in ui.page.locator(".opblock-summary-path").all_text_contents()]
    assert "/events" in paths and any(p.startswith("/stories/") for p in paths), paths
    hosts = {urlparse(u).hostname for u in ui.requests if urlparse(u).scheme in ("http", "https")}
    assert hosts == {"127.0.0.1"}, f"requests left 127.0.0.1: {hosts}"
    assert not ui.failed, f"failed requests: {ui.failed}"
    ui.shot()
