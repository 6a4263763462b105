"""One record per real event (events._merge_mentions), on short articles written here."""

from __future__ import annotations

from eventsift.pipeline import read_article
from eventsift.records import Article, Event
from eventsift.settings import Options

ENGLISH = Options().with_overrides(min_language_confidence=1.01)


def read_events(text: str, published: str = "2024-05-10") -> list[Event]:
    article = read_article(Article(id="t", source_kind="text", raw_text=text, published=published), ENGLISH)
    return article.events


def test_a_bare_reference_told_before_the_event_joins_it() -> None:
    found = read_events(
        "The prime minister blamed the neighbouring government for the attack on the couple. "
        "The two were attacked with a nerve agent in Salisbury on March 4, police said.")
    assert len(found) == 1
    assert len(found[0].mentions) == 1


def test_a_bare_reference_in_a_later_sentence_joins_the_event() -> None:
    found = read_events(
        "A car bomb exploded outside the embassy in Nairobi on Friday, killing 40 people. "
        "On Tuesday, police raided two homes and searched for a suspect in the bombing, identified as a man who "
        "had lived in Khartoum.")
    assert len(found) == 1


def test_a_dated_reference_does_not_join_an_undated_event() -> None:
    found = read_events(
        "Investigators found a cap near where the sniper fired at the doctor. "
        "The man is also charged in the 1996 Olympic bombing in Atlanta that killed one person.")
    assert len(found) == 2


def test_a_reference_naming_its_own_place_stays_apart() -> None:
    found = read_events(
        "A car bomb exploded outside the embassy in Nairobi on Friday, killing 40 people. "
        "The death toll in the Tanzania blast has risen to 12, officials said on Wednesday.")
    assert len(found) == 2


def test_a_protest_and_a_riot_at_one_place_on_one_day_are_one_riot() -> None:
    found = read_events(
        "Protesters rioted outside the stadium in Lahore on Tuesday, throwing stones at police. "
        "Thousands of students had marched through Lahore on Tuesday to demand lower fees.")
    kinds = [(e.acled_event_type, e.place.name if e.place else None) for e in found]
    assert kinds == [("Riots", "Lahore")]
