"""Event status (eventsift.events.status.event_status) with the triggers the stage itself finds.

Unlike test_event_status.py (hand-built triggers), each sentence here is read by the stages before
events and its trigger comes from ``find_triggers``: a fact stays asserted (a neutral source is kept
as a claim but does not demote it), a party's claim stays a claim with who made it and through which
channel, a denial stays denied with who denies, and a rumour is unverified with the hedging words.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from eventsift.events.status import StatusReading, event_status, same_claim
from eventsift.events.types import find_triggers
from eventsift.pipeline import read_article
from eventsift.records import Article, Claim, Span


@lru_cache(maxsize=16)
def _read(text: str) -> Article:
    article = Article(id="s1", source_kind="text", raw_text=text, published="2024-03-12")
    return read_article(article, until="speakers")


def _reading(text: str, word: str) -> tuple[Article, StatusReading]:
    article = _read(text)
    trigger = next(t for t in find_triggers(article) if t.text == word)
    reading = event_status(trigger, article)
    for span in [*(c.span for c in reading.claims), *reading.hedges]:
        assert article.body[span.start:span.end] == span.text  # every claim and hedge is the text's words
    return article, reading


def _claims(reading: StatusReading) -> list[tuple[str, str | None, str | None, str]]:
    return [(c.claimant, c.entity_id, c.channel, c.span.text) for c in reading.claims]


def test_a_fact_told_without_a_source_is_asserted() -> None:
    _, reading = _reading("Thousands of students marched through Nairobi on Tuesday to protest against a new tax.",
                          "protest")
    assert reading.status == "asserted"
    assert reading.claims == [] and reading.hedges == []


def test_a_fact_from_a_neutral_source_is_asserted_with_its_source() -> None:
    _, reading = _reading("Gunmen attacked a police checkpoint in Maiduguri on Monday, killing three officers, "
                          "police said.", "attacked")
    assert reading.status == "asserted"
    assert _claims(reading) == [("police", None, None, "police")]


@pytest.mark.parametrize(("text", "word", "claim"), [
    (("Islamic State claimed responsibility for the bombing of a market in Kabul on Monday in a statement "
      "on Telegram."), "bombing", ("Islamic State", "islamic-state", "Telegram", "Islamic State")),
    ("Hamas said on its Telegram channel that its fighters ambushed an army patrol near Khan Younis on Monday.",
     "ambushed", ("Hamas", "hamas", "Telegram", "Hamas")),
])
def test_a_party_claiming_its_own_act_is_claimed_with_claimant_and_channel(
        text: str, word: str, claim: tuple[str, str, str, str]) -> None:
    _, reading = _reading(text, word)
    assert reading.status == "claimed"
    assert _claims(reading) == [claim]


@pytest.mark.parametrize(("text", "word", "claim"), [
    ("The Nigerian army denied that its soldiers burned houses in the village of Kajuru on Sunday.", "burned",
     ("Military Forces of Nigeria", "military-forces-of-nigeria", None, "The Nigerian army")),
    ("The ministry denied reports that its forces shelled the village of Kupiansk on Sunday.", "shelled",
     ("The ministry", None, None, "The ministry")),
    ("The rebels denied carrying out the attack on the convoy near Goma on Monday.", "attack",
     ("The rebels", None, None, "The rebels")),
])
def test_a_denied_act_is_denied_with_who_denies_it(text: str, word: str, claim: tuple[str, ...]) -> None:
    _, reading = _reading(text, word)
    assert reading.status == "denied"
    assert _claims(reading) == [claim]


def test_a_rumour_is_unverified_with_its_hedge() -> None:
    _, reading = _reading("Gunmen reportedly attacked a village in Zamfara state on Sunday.", "attacked")
    assert reading.status == "unverified"
    assert [h.text for h in reading.hedges] == ["reportedly"]
    assert reading.claims == []


def test_a_rumour_from_unconfirmed_reports_names_them_as_the_claimant() -> None:
    _, reading = _reading("Gunmen reportedly attacked a village in Zamfara state on Sunday, according to "
                          "unconfirmed reports.", "attacked")
    assert reading.status == "unverified"
    assert [h.text for h in reading.hedges] == ["reportedly"]
    assert _claims(reading) == [("unconfirmed reports", None, "report", "unconfirmed reports")]


def test_same_claim_is_the_same_words_or_one_claimant_through_one_channel() -> None:
    legion = Claim("Freedom of Russia Legion", "freedom-of-russia-legion", "Telegram", Span(0, 6, "Legion"))
    again = Claim("Freedom of Russia Legion", "freedom-of-russia-legion", "Telegram", Span(40, 46, "Legion"))
    in_person = Claim("Freedom of Russia Legion", "freedom-of-russia-legion", None, Span(40, 46, "Legion"))
    other = Claim("Russian Volunteer Corps", "russian-volunteer-corps", "Telegram", Span(60, 83, "Russian Volunteer Corps"))
    witnesses = Claim("witnesses", None, None, Span(90, 99, "witnesses"))
    assert same_claim(legion, again) and same_claim(again, legion)
    assert not same_claim(legion, other)
    assert not same_claim(legion, in_person)  # another channel is another claim
    assert same_claim(witnesses, Claim("witnesses", None, None, Span(90, 99, "witnesses")))  # the same words
    assert not same_claim(witnesses, Claim("witnesses", None, None, Span(120, 129, "witnesses")))
