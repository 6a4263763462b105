"""Stories across articles, end to end: ingest real text, read the merged story from the database.

The bundled sample trio reports one drone strike: a wire story, a syndicated copy of it (same text,
other headline, promo lines), and an independent report with another death toll.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from eventsift.records import Article
from eventsift.settings import Options
from eventsift.store.schema import events, stories
from eventsift.store.store import Store, open_store
from eventsift.stories.store import event_key, rebuild_stories
from eventsift.workflow import ingest

from .conftest import SAMPLES

pytest_plugins = ["tests.pg"]

TRIO = [SAMPLES / f"depot-strike-{name}.txt" for name in ("wire", "copy", "independent")]


def _ingest(store: Store, paths: list[Path]) -> list[Article]:
    summary, stored = ingest([str(p) for p in paths], store, Options(), published="2024-03-12")
    assert summary.rejected == 0
    return stored


def _stories(store: Store) -> list[dict[str, Any]]:
    with store.reading("test") as conn:
        rows = conn.execute(select(stories).order_by(stories.c.id)).all()
    return [{**json.loads(row.record), "_row": row._asdict()} for row in rows]


def _story_of_three(store: Store) -> dict[str, Any]:
    many = [s for s in _stories(store) if s["sources"]["articles"] == 3]
    assert len(many) == 1, [(s["id"], s["sources"]["articles"], s["acled_sub_event_type"]) for s in _stories(store)]
    return many[0]


def _strip_times(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in s.items() if k not in ("updated_at", "_row")} for s in items]


@pytest.fixture
def trio_store(db_url: str) -> Any:
    with open_store(db_url) as store:
        _ingest(store, TRIO)
        yield store


def test_copies_count_once_and_the_independent_report_joins(trio_store: Store) -> None:
    story = _story_of_three(trio_store)
    assert story["acled_event_type"] == "Explosions/Remote violence"
    assert story["acled_sub_event_type"] == "Air/drone strike"
    assert story["sources"]["independent"] == 2  # the wire story and its copy are one source
    groups = sorted(len(g["articles"]) for g in story["sources"]["groups"])
    assert groups == [1, 2]
    assert story["_row"]["n_sources"] == 2 and story["_row"]["n_articles"] == 3
    assert story["place"]["text"] == "Kupiansk" and story["place"]["admin1"] == "UA-63"
    assert all(m["reason"] for m in story["merges"])  # every later member says why it joined


def test_disagreeing_tolls_are_kept_with_their_sources(trio_store: Store) -> None:
    story = _story_of_three(trio_store)
    reported = {(p["article_id"], p["value"]) for p in story["fields"]["fatalities"] if p["value"] is not None}
    assert {value for _a, value in reported} == {3, 5}
    assert len({article for article, _v in reported}) == 3
    assert {p["value"] for p in story["disagreements"]["fatalities"]} >= {3, 5}
    assert story["fatalities"]["value"] == 3  # ACLED's rule: the most conservative credible figure
    assert "conservative" in story["fatalities"]["rule"] or "lowest" in story["fatalities"]["rule"]


def test_every_provenance_span_points_into_its_article(trio_store: Store) -> None:
    story = _story_of_three(trio_store)
    checked = 0
    for name, values in story["fields"].items():
        for prov in values:
            span = prov["span"]
            if span is None:
                continue
            article = trio_store.get_article_exact(prov["article_id"])
            assert article is not None
            event = next(e for e in article.events if event_key(article, e) == prov["event_id"])
            text = {"title": article.title, "standfirst": article.standfirst}.get(event.in_title or "", article.body)
            assert text[span["start"]:span["end"]] == span["text"], name
            checked += 1
    assert checked >= 9


def test_claims_name_their_origin(trio_store: Store) -> None:
    story = _story_of_three(trio_store)
    claimants = {c["claimant"].lower() for c in story["claims"]}
    assert any("governor" in c for c in claimants)
    assert story["status"] == "claimed"  # every outlet relays an official: a claim stays a claim
    # The governor's Telegram post reached two outlets as one wire story: one origin there, and the
    # independent report quotes another official.
    assert story["sources"]["origins"] == 2


def test_reingesting_changes_nothing(trio_store: Store) -> None:
    before = _strip_times(_stories(trio_store))
    summary, _ = ingest([str(p) for p in TRIO], trio_store, Options(), published="2024-03-12")
    assert summary.skipped == 3 and summary.done == 0
    assert _strip_times(_stories(trio_store)) == before


def test_incremental_merge_equals_merging_at_once(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as at_once, open_store(f"sqlite:///{tmp_path / 'b.db'}") as stepwise:
        _ingest(at_once, TRIO)
        _ingest(stepwise, TRIO[:2])
        first = _stories(stepwise)
        _ingest(stepwise, TRIO[2:])
        assert _strip_times(_stories(stepwise)) == _strip_times(_stories(at_once))
        # The new article only touched the story it joined.
        after = {s["id"]: s for s in _stories(stepwise)}
        untouched = [s for s in first if after[s["id"]]["sources"]["articles"] == s["sources"]["articles"]]
        assert untouched and all(after[s["id"]]["updated_at"] == s["updated_at"] for s in untouched)


def test_rebuild_gives_the_same_stories(trio_store: Store) -> None:
    before = _strip_times(_stories(trio_store))
    count = rebuild_stories(trio_store)
    with trio_store.reading("test") as conn:
        assert count == len(conn.execute(select(events.c.id)).all())
    assert _strip_times(_stories(trio_store)) == before


def test_until_events_stores_no_stories(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        ingest([str(TRIO[0])], store, Options(), published="2024-03-12", until="events")
        assert store.count_articles() == 1 and store.count_stories() == 0 and store.count_events() == 0
        stored = store.get_article_exact(store.list_articles()[0].id)
        assert stored is not None and stored.events  # coded, kept in the article record


def test_events_either_side_of_the_antimeridian_merge(db_url: str) -> None:
    """Two reports of one event on Taveuni (Fiji), 4 km apart across longitude 180: the candidate box
    wraps around, so the second joins the first's story; a box that did not wrap never found it."""
    from eventsift.records import Actor, Event, Place, Span, When
    from eventsift.stories.store import StoryIndex, lon_ranges

    assert lon_ranges(179.98, 0.3) == [(pytest.approx(179.68), 180.0), (-180.0, pytest.approx(-179.72))]
    assert lon_ranges(10.0, 200) == [(-180.0, 180.0)]

    def report(n: int, lon: float) -> Article:
        words = f"Gunmen attacked Waiyevo on Tuesday, report {n}."
        span = Span(0, 6, "Gunmen")
        event = Event(
            id="e1", acled_event_type="Violence against civilians", acled_sub_event_type="Attack",
            cameo_root="18", plover_type="ASSAULT", plover_mode=None,
            actor1=Actor(None, "Unidentified Armed Group", "armed group", span), actor2=None, associated=[],
            place=Place(16, 23, "Waiyevo", None, "Waiyevo", "FJ", "FJ-N", -16.79, lon, "populated place",
                        "city", None),
            when=When("2024-03-12", None, "day", "on Tuesday", Span(24, 34, "on Tuesday")),
            fatalities=None, status="asserted", temporal_status="new", claims=[], hedges=[],
            evidence=Span(0, len(words), words))
        return Article(id=f"fiji{n}", source_kind="text", raw_text=words, body=words, title=f"Report {n}",
                       source=f"outlet{n}", url=f"https://example.org/fiji/{n}", published="2024-03-12",
                       language="en", syndication_group=f"fiji{n}", events=[event])

    with open_store(db_url) as store:
        index = StoryIndex(store)
        for n, lon in ((1, 179.98), (2, -179.98)):
            article = report(n, lon)
            store.add_article(article)
            index.add(article)
        with store.reading("test") as conn:
            story_ids = {row.story_id for row in conn.execute(select(events.c.story_id))}
    assert len(story_ids) == 1
