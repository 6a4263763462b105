"""One record per place (event_split) on hand-written sentences: which places an event is split over,
and which toll each place gets."""

from __future__ import annotations

from functools import lru_cache

import pytest

from eventsift.events.find import find_events
from eventsift.events.split import event_places, place_fatalities, split_by_place
from eventsift.events.types import Trigger
from eventsift.pipeline import read_article
from eventsift.records import Article, content_hash
from eventsift.settings import Options


@lru_cache(maxsize=32)
def _read(text: str) -> Article:
    return read_article(Article(id=content_hash(text), source_kind="text", raw_text=text, published="2024-03-12"))


def _trigger(article: Article, word: str) -> Trigger:
    at = article.body.index(word)
    token = next(t for t in article.doc if t.idx <= at < t.idx + len(t))
    sentence = token.sent
    return Trigger(token.idx, token.idx + len(token), token.text, token.i, sentence.start_char, sentence.end_char,
                   "Explosions/Remote violence", "Remote explosive/landmine/IED", "18", "ASSAULT")


def _names(places: list) -> list[str]:
    return [p.text for p in places]


@pytest.mark.parametrize(("sentence", "word", "expected"), [
    ("Car bombs exploded outside the police stations in Kabul, Afghanistan, and Quetta, Pakistan, on Monday.",
     "exploded", ["Kabul", "Quetta"]),
    ("Protesters marched in Nairobi and Mombasa on Saturday against the tax bill.", "marched", ["Nairobi", "Mombasa"]),
    ("The bombings killed 40 people in Iraq and 12 in Syria.", "bombings", ["Iraq", "Syria"]),
    ("Warplanes struck rebel camps in Yemen and a weapons depot in Somalia.", "struck", ["Yemen", "Somalia"]),
])
def test_coordinated_places_split(sentence: str, word: str, expected: list[str]) -> None:
    article = _read(sentence)
    assert _names(event_places(_trigger(article, word), article)) == expected


@pytest.mark.parametrize(("sentence", "word"), [
    ("A bomb exploded outside a hotel in Lahore, Pakistan, on Monday.", "exploded"),  # a town and its country
    ("Protesters marched from Bamako to Koulikoro on Sunday.", "marched"),  # two ends of one march
    ("The journalist, who lived in Paris and was visiting friends in Lyon, was attacked on Friday.", "attacked"),
    ("Clashes broke out on the border between Armenia and Azerbaijan.", "Clashes"),
])
def test_one_place_stays_one(sentence: str, word: str) -> None:
    article = _read(sentence)
    assert len(event_places(_trigger(article, word), article)) <= 1


def test_each_place_gets_its_own_toll() -> None:
    article = _read("The bombings killed 40 people in Iraq and 12 in Syria.")
    trigger = _trigger(article, "bombings")
    places = event_places(trigger, article)
    tolls = [place_fatalities(trigger, article, p, places) for p in places]
    assert [t.value if t else None for t in tolls] == [40, 12]
    assert all(t is not None and t.span is not None and article.body[t.span.start:t.span.end] == t.span.text
               for t in tolls)


def test_a_total_toll_is_no_place_own() -> None:
    article = _read("Car bombs exploded outside the police stations in Kabul, Afghanistan, and Quetta, Pakistan, "
                    "killing at least 30 people.")
    trigger = _trigger(article, "exploded")
    places = event_places(trigger, article)
    assert len(places) == 2
    assert all(place_fatalities(trigger, article, p, places) is None for p in places)


def test_split_by_place_copies_the_event() -> None:
    text = "Car bombs exploded outside the police stations in Kabul, Afghanistan, and Quetta, Pakistan, on Monday."
    article = find_events(_read(text), Options())
    event = article.events[0]
    trigger = _trigger(article, "exploded")
    split = split_by_place(event, trigger, article)
    assert [e.place.text for e in split if e.place] == ["Kabul", "Quetta"]
    split[0].mentions.append(split[0].evidence)
    assert split[1].mentions == []  # nothing shared between the copies


def test_a_place_toll_in_the_next_sentence() -> None:
    article = _read("Car bombs exploded outside the police stations in Kabul, Afghanistan, and Quetta, Pakistan, "
                    "killing 58 people. Of those killed, 11 were killed in Pakistan.")
    trigger = _trigger(article, "exploded")
    places = event_places(trigger, article)
    tolls = [place_fatalities(trigger, article, p, places) for p in places]
    assert [t.value if t else None for t in tolls] == [None, 11]


def test_place_tolls_recorded_in_the_next_sentence() -> None:
    article = _read("Troops stormed militant hideouts in Kabul, Afghanistan, and Quetta, Pakistan, killing a total of 9 "
                    "militants. 3 fatalities were recorded in Kabul and 6 in Quetta.")
    trigger = _trigger(article, "stormed")
    places = event_places(trigger, article)
    assert [place_fatalities(trigger, article, p, places) is not None for p in places] == [True, True]
    assert [t.value for p in places if (t := place_fatalities(trigger, article, p, places))] == [3, 6]
