"""The events stage (eventsift.events.find.find_events) on short articles written for these tests.

Each article is read by the stages before events (``read_article(..., until="speakers")``), then
``find_events`` runs on it: type, actor, place, date, fatalities, status and evidence are checked, and
every span must be the exact words it claims to come from (in the body, or in the title for a
headline-only report).
"""

from __future__ import annotations

from typing import Any

import pytest

from eventsift.events.find import find_events
from eventsift.pipeline import read_article
from eventsift.records import Article, Event, Span
from eventsift.settings import Options

PUBLISHED = "2024-03-12"  # a Tuesday


def _read(text: str, options: Options, title: str | None = None) -> Article:
    """The article as the reading stages leave it for the events stage (a first line is its title)."""
    raw = f"{title}\n\n{text}" if title else text
    article = Article(id="t1", source_kind="text", raw_text=raw, published=PUBLISHED)
    return read_article(article, options, until="speakers")


def _events(text: str, options: Options, title: str | None = None) -> tuple[Article, list[Event]]:
    article = find_events(_read(text, options, title), options)
    return article, article.events


def _spans(event: Event) -> list[Span]:
    found = [event.evidence, *event.mentions, *event.hedges, *event.targets]
    found += [s for s in (event.trigger, event.when and event.when.span, event.fatalities and event.fatalities.span) if s]
    found += [a.span for a in (event.actor1, event.actor2, *event.associated) if a and a.span]
    return found + [c.span for c in event.claims]


def _assert_exact_spans(article: Article, event: Event) -> None:
    """Every span of the event is the words at its offsets in the text it was read from."""
    text: Any = getattr(article, event.in_title) if event.in_title else article.body
    for span in _spans(event):
        assert text[span.start:span.end] == span.text, span
    if event.place is not None and not event.in_title:
        assert event.place.start < event.place.end <= len(text)


def test_an_attack_with_its_doer_place_date_toll_and_source(options: Options) -> None:
    text = "Gunmen attacked a police checkpoint in Maiduguri on Monday, killing three officers, police said."
    article, events = _events(text, options)
    assert len(events) == 1
    event = events[0]
    assert (event.acled_event_type, event.acled_sub_event_type) == ("Battles", "Armed clash")
    assert event.id == "t1:e1" and event.in_title is None
    assert event.actor1 is not None and event.actor1.span is not None and event.actor1.span.text == "Gunmen"
    assert event.place is not None and (event.place.name, event.place.country, event.place.admin1) == ("Maiduguri", "NG", "NG-BO")
    assert article.body[event.place.start:event.place.end] == "Maiduguri"
    assert event.when is not None and (event.when.start, event.when.precision, event.when.text) == ("2024-03-11", "day", "Monday")
    assert event.fatalities is not None and event.fatalities.value == 3
    assert event.fatalities.span is not None and event.fatalities.span.text == "killing three officers"
    assert (event.status, event.temporal_status) == ("asserted", "new")  # "police said": a neutral source
    assert [c.claimant for c in event.claims] == ["police"]
    assert event.trigger is not None and event.trigger.text == "attacked"
    assert event.evidence == Span(0, len(text), text)
    assert [t.text for t in event.targets] == ["police checkpoint"]
    _assert_exact_spans(article, event)


def test_a_protest_by_a_named_crowd(options: Options) -> None:
    text = "Thousands of students marched through Nairobi on Tuesday to protest against a new tax on fuel."
    article, events = _events(text, options)
    assert len(events) == 1
    event = events[0]
    assert (event.acled_event_type, event.acled_sub_event_type) == ("Protests", "Peaceful protest")
    assert event.actor1 is not None and event.actor1.span is not None and event.actor1.span.text == "students"
    assert event.place is not None and (event.place.name, event.place.country) == ("Nairobi", "KE")
    assert event.when is not None and (event.when.start, event.when.text) == (PUBLISHED, "Tuesday")
    assert event.fatalities is None
    assert event.status == "asserted" and event.claims == []
    _assert_exact_spans(article, event)


def test_a_denied_act_stays_denied_with_who_denies_it(options: Options) -> None:
    text = "The Nigerian army denied that its soldiers burned houses in the village of Kajuru on Sunday."
    article, events = _events(text, options)
    assert len(events) == 1
    event = events[0]
    assert event.status == "denied"
    assert [(c.entity_id, c.span.text) for c in event.claims] == [("military-forces-of-nigeria", "The Nigerian army")]
    assert event.trigger is not None and event.trigger.text == "burned"
    assert event.place is not None and event.place.name == "Kajuru"
    assert event.when is not None and event.when.start == "2024-03-10"
    _assert_exact_spans(article, event)


def test_a_claim_on_telegram_is_claimed_not_fact(options: Options) -> None:
    text = ("The Freedom of Russia Legion said on Telegram that its fighters attacked a border post in the "
            "Belgorod region on Thursday.")
    article, events = _events(text, options)
    assert len(events) == 1
    event = events[0]
    assert event.status == "claimed"
    assert [(c.entity_id, c.channel) for c in event.claims] == [("freedom-of-russia-legion", "Telegram")]
    assert event.place is not None and (event.place.country, event.place.admin1) == ("RU", "RU-BEL")
    assert event.when is not None and event.when.start == "2024-03-07"
    _assert_exact_spans(article, event)


@pytest.mark.parametrize("text", [
    "The minister opened a new bridge in Lagos on Monday. Traffic was light.",
    "Rumours spread on social media that soldiers had shot protesters in the main square of Bamako on Friday.",
])
def test_no_event_where_none_is_told(options: Options, text: str) -> None:
    _, events = _events(text, options)
    assert events == []


def test_two_events_in_two_places_are_two_records(options: Options) -> None:
    text = ("Rebels attacked an army base in Goma on Monday. "
            "Separately, police dispersed a protest in Kinshasa on Tuesday.")
    article, events = _events(text, options)
    assert [(e.id, e.acled_event_type, e.place.name if e.place else None) for e in events] == [
        ("t1:e1", "Battles", "Goma"), ("t1:e2", "Protests", "Kinshasa")]
    for event in events:
        _assert_exact_spans(article, event)


def test_a_headline_only_report_reads_the_title_without_parsing_again(
        options: Options, monkeypatch: pytest.MonkeyPatch) -> None:
    article = _read("Residents said the roads were closed. More details to follow.", options,
                    title="Gunmen kill five villagers in Zamfara")
    assert article.title == "Gunmen kill five villagers in Zamfara"

    def no_parse(*_args: object) -> None:
        raise AssertionError("the events stage must use the nlp stage's parse of the title")

    monkeypatch.setattr("eventsift.read.nlp.load_nlp", no_parse)
    events = find_events(article, options).events
    assert len(events) == 1
    event = events[0]
    assert event.in_title == "title"
    assert (event.acled_event_type, event.acled_sub_event_type) == ("Violence against civilians", "Attack")
    assert event.evidence == Span(0, len(article.title), article.title)
    assert event.actor1 is not None and event.actor1.name == "Gunmen"
    assert event.fatalities is not None and event.fatalities.value == 5
    assert event.when is not None and event.when.precision == "reported"  # no date of its own
    _assert_exact_spans(article, event)


def test_an_unparsed_article_gets_no_events(options: Options) -> None:
    article = Article(id="t2", source_kind="text", body="Gunmen attacked a police checkpoint on Monday.")
    assert find_events(article, options).events == []
