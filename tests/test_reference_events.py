"""Acceptance: the `events` section of belgorod-raid.expected.yaml, with and without a publication date."""

from __future__ import annotations

import pytest

from eventsift.pipeline import read_article
from eventsift.records import Article, Event, content_hash

from .conftest import REFERENCE


def _read(text: str, published: str | None) -> Article:
    raw = Article(id=content_hash(text), source_kind="text", location=str(REFERENCE), raw_text=text, published=published)
    return read_article(raw)


@pytest.fixture(scope="module", params=["2024-03-12", None], ids=["published", "no-date"])
def article(request: pytest.FixtureRequest, reference_text: str) -> Article:
    return _read(reference_text, request.param)


def _items(expected: dict) -> dict[str, dict]:
    return {item["id"]: item for item in expected["events"]["items"]}


def _e1(article: Article) -> Event:
    found = [e for e in article.events if e.acled_sub_event_type == "Armed clash" and e.temporal_status != "past"]
    assert found, [(e.acled_sub_event_type, e.temporal_status, e.trigger) for e in article.events]
    return found[0]


def _e2(article: Article) -> Event:
    found = [e for e in article.events if e.acled_sub_event_type == "Armed clash" and e.temporal_status == "past"]
    assert found, [(e.acled_sub_event_type, e.temporal_status, e.trigger) for e in article.events]
    return found[0]


def _with_trigger(article: Article, *words: str) -> Event:
    for event in article.events:
        texts = [event.trigger.text if event.trigger else "", event.evidence.text, *[m.text for m in event.mentions]]
        if any(w in t for t in texts for w in words):
            return event
    raise AssertionError(f"no event reading {words}: {[e.trigger for e in article.events]}")


def test_every_event_span_is_exact(article: Article) -> None:
    assert article.events
    for event in article.events:
        spans = [event.evidence, *event.hedges, *[c.span for c in event.claims], *event.mentions, *event.targets]
        spans += [a.span for a in (event.actor1, event.actor2, *event.associated) if a and a.span]
        spans += [event.trigger] if event.trigger else []
        for span in spans:
            assert article.body[span.start:span.end] == span.text


def test_e1_current_assault_is_a_claimed_clash(article: Article, reference_expected: dict) -> None:
    must = _items(reference_expected)["E1"]["must"]
    event = _e1(article)
    assert (event.acled_event_type, event.acled_sub_event_type) == (must["type"]["acled_event_type"],
                                                                     must["type"]["acled_sub_event_type"])
    assert event.actor1 is not None and event.actor1.name == must["actor1"]
    assert event.place is not None
    assert (event.place.admin1, event.place.country) == (must["location"]["admin1"], must["location"]["country"])
    assert event.place.precision == must["location"]["geo_precision"]
    assert event.status == must["status"]
    claimants = {c.claimant for c in event.claims}
    assert set(must["claimed_by"]) <= claimants, claimants
    assert any(must["claim_channel_includes"] == c.channel for c in event.claims)
    assert {h.text.lower() for h in event.hedges} >= set(must["hedges_reported"])


def test_e1_date_needs_the_publication_date(article: Article, reference_expected: dict) -> None:
    must = _items(reference_expected)["E1"]["must"]
    event = _e1(article)
    if article.published:
        want = must["date_with_publication_date_2024-03-12"]
        assert event.when is not None and (event.when.start, event.when.precision) == (want["value"], want["precision"])
    else:
        assert event.when is None or event.when.start is None
        assert event.when is None or event.when.note


def test_e2_may_2023_raid_is_past_background(article: Article, reference_expected: dict) -> None:
    must = _items(reference_expected)["E2"]["must"]
    event = _e2(article)
    assert event.acled_sub_event_type == must["type"]["acled_sub_event_type"]
    assert event.actor1 is not None and event.actor1.name == must["actor1"]
    assert [a.name for a in event.associated] == must["associated_actors"]
    assert event.place is not None and (event.place.admin1, event.place.country) == (
        must["location"]["admin1"], must["location"]["country"])
    assert event.when is not None and (event.when.start, event.when.precision) == (must["date"]["value"],
                                                                                     must["date"]["precision"])
    assert event.temporal_status == must["temporal_status"] and event.status == must["status"]


def test_e3_arson_since_the_invasion(article: Article, reference_expected: dict) -> None:
    must = _items(reference_expected)["E3"]["must"]
    event = _with_trigger(article, "arson", "fires")
    assert {"acled_event_type": event.acled_event_type, "acled_sub_event_type": event.acled_sub_event_type} in must[
        "type_one_of"]
    assert event.actor1 is not None and event.actor1.name.lower() == must["actor1"]
    assert event.place is not None and event.place.country == must["location"]["country"]
    assert event.place.precision == must["location"]["geo_precision"]
    assert event.when is not None and event.when.start == must["date"]["start"]
    assert event.when.precision == must["date"]["precision"]


def test_e4_train_derailments(article: Article, reference_expected: dict) -> None:
    must = _items(reference_expected)["E4"]["must"]
    event = _with_trigger(article, "derailment")
    assert {"acled_event_type": event.acled_event_type, "acled_sub_event_type": event.acled_sub_event_type} in must[
        "type_one_of"]
    assert event.place is not None and event.place.country == must["location"]["country"]
    assert event.actor1 is not None and event.actor1.name.lower() == must["actor1"]


def test_must_nots(article: Article) -> None:
    assert len(article.events) <= 7, [(e.acled_sub_event_type, e.trigger) for e in article.events]
    for event in article.events:
        assert "spoke" not in (event.trigger.text if event.trigger else "")
        assert "fireball" not in event.evidence.text


def test_should_e1_details(article: Article, reference_expected: dict) -> None:
    should = _items(reference_expected)["E1"]["should"]
    event = _e1(article)
    assert event.cameo_root == should["cameo_root"] and event.plover_type == should["plover_type"]
    assert event.fatalities is not None and event.fatalities.value == should["fatalities"]["value"]
    assert event.actor2 is None or "Ukraine" not in event.actor2.name


def test_should_e5_sabotage_is_claimed_and_habitual(article: Article, reference_expected: dict) -> None:
    should = _items(reference_expected)["E5"]["should"]
    event = _with_trigger(article, "commissariats", "railways", "sabotage")
    assert event.acled_sub_event_type == should["type"]["acled_sub_event_type"]
    assert event.status == should["status"] and {c.claimant for c in event.claims} >= set(should["claimed_by"])
    assert event.temporal_status == "habitual"
    assert event.actor1 is not None and event.actor1.name == should["actor1"]
