"""Where an event happened: the dateline, narrowing a country to the article's town, marches, and the
guards that keep institutions and nationalities from being places. Hand-written sentences through
``read_article``; triggers are built by hand as in test_event_args.py.
"""

from __future__ import annotations

from functools import lru_cache

from eventsift.events.place import event_place
from eventsift.events.types import Trigger
from eventsift.pipeline import read_article
from eventsift.places.find import DATELINE_NOTE
from eventsift.records import Article, content_hash


@lru_cache(maxsize=32)
def _read(text: str, published: str | None = "2024-03-12") -> Article:
    return read_article(Article(id=content_hash(text), source_kind="text", raw_text=text, published=published))


def _trigger(article: Article, word: str) -> Trigger:
    at = article.body.index(word)
    token = next(t for t in article.doc if t.idx <= at < t.idx + len(t))
    sentence = token.sent
    return Trigger(token.idx, token.idx + len(token), token.text, token.i, sentence.start_char, sentence.end_char,
                   "Battles", "Armed clash", "19", "ASSAULT")


# --- the dateline ------------------------------------------------------------------------------------


def test_inline_dateline_places_a_lead_event_that_names_no_place() -> None:
    article = _read("DES MOINES, Iowa, Aug. 10 (Wire) — A man threw a firebomb at the party office on Wednesday.")
    assert article.dateline == "DES MOINES, Iowa, Aug. 10 (Wire)"
    assert article.body.startswith("A man threw")
    place = event_place(_trigger(article, "threw"), article)
    assert place is not None and place.name == "Des Moines" and place.admin1 == "US-IA"
    assert place.note is not None and place.note.startswith(DATELINE_NOTE)


def test_dateline_on_its_own_line_is_no_title() -> None:
    article = _read("AMHERST, N.Y. (AP) --\n\nA sniper shot a doctor in his kitchen last fall.\n\nNobody was arrested.")
    assert article.title is None and article.dateline == "AMHERST, N.Y. (AP)"
    place = event_place(_trigger(article, "shot"), article)
    assert place is not None and place.name == "Amherst" and place.admin1 == "US-NY"


def test_wire_underscore_dateline_after_an_unrecognised_headline() -> None:
    article = _read("Crowd storms depot.\n\nTULSA, Okla. (AP)_ A crowd stormed a fuel depot on Monday.\n\nTwo were hurt.")
    assert article.dateline == "TULSA, Okla. (AP)"
    place = event_place(_trigger(article, "stormed"), article)
    assert place is not None and place.name == "Tulsa" and place.admin1 == "US-OK"


def test_the_sentence_place_beats_the_dateline() -> None:
    article = _read("WASHINGTON (AP) -- Gunmen attacked a police post in Kandahar on Monday, officials said.")
    place = event_place(_trigger(article, "attacked"), article)
    assert place is not None and place.text == "Kandahar"


# --- a nationality names no location -----------------------------------------------------------------


def test_a_nationality_modifier_does_not_hide_the_context() -> None:
    article = _read("Rebels shelled Aleppo on Monday. Two U.S. aid workers were wounded.")
    place = event_place(_trigger(article, "wounded"), article)
    assert place is not None and place.text == "Aleppo" and place.note == "from context"


# --- a country narrowed to the article's one town ----------------------------------------------------


def test_a_country_is_narrowed_to_the_one_town_named_there() -> None:
    article = _read("Rescue teams reached Mombasa by road on Saturday. A bomb exploded in Kenya on Friday, "
                    "killing four people.")
    place = event_place(_trigger(article, "exploded"), article)
    assert place is not None and place.text == "Kenya" and place.name == "Mombasa"
    assert place.precision == "city" and place.note is not None and place.note.startswith("narrowed from Kenya")


def test_two_towns_leave_the_country() -> None:
    article = _read("Rescue teams reached Kisumu and Mombasa on Saturday. A bomb exploded in Kenya on Friday.")
    place = event_place(_trigger(article, "exploded"), article)
    assert place is not None and place.name == "Kenya" and place.precision == "country"


def test_a_town_in_another_country_does_not_narrow() -> None:
    article = _read("Officials met in Kampala on Saturday. A bomb exploded in Kenya on Friday.")
    place = event_place(_trigger(article, "exploded"), article)
    assert place is not None and place.name == "Kenya"


# --- marches, cities and institutions ----------------------------------------------------------------


def test_a_march_is_placed_where_it_set_off() -> None:
    article = _read("Activists set off on Monday on a march from Kharkiv to the parliament in Kyiv.")
    place = event_place(_trigger(article, "march"), article)
    assert place is not None and place.text == "Kharkiv"


def test_an_origin_still_places_no_other_event() -> None:
    article = _read("Gunmen from Kharkiv shot two guards at the depot.")
    assert event_place(_trigger(article, "shot"), article) is None


def test_a_city_named_like_its_region_is_the_city() -> None:
    article = _read("Police fired tear gas at protesters in Dar es Salaam on Friday.")
    place = event_place(_trigger(article, "fired"), article)
    assert place is not None and place.precision == "city" and place.admin1 == "TZ-02"


def test_a_court_is_no_district() -> None:
    article = _read("A judge of the U.S. District Court denied him bail on Monday after the shooting in Fresno.")
    assert not any("District" in p.text for p in article.places)


def test_a_name_the_article_gives_a_person_is_no_place() -> None:
    article = _read("Attorney General Dennis Vacco spoke on Monday. In the debate against Vacco, his rival "
                    "attacked him over the clinic protests.")
    assert not any(p.text == "Vacco" for p in article.places)


def test_a_hyphenated_name_cut_by_the_model_is_read_whole() -> None:
    article = _read("Militants attacked a checkpoint near Mazar-e-Sharif on Monday.")
    assert [p.text for p in article.places] == ["Mazar-e-Sharif"]


def test_a_town_the_model_took_for_a_date_is_still_a_place() -> None:
    article = _read("The soldier had been embedded with US Special Forces in Manbij near the Turkish border "
                    "when the bomb exploded.")
    assert any(p.name == "Manbij" for p in article.places)


# --- places that say where from, or what was said ------------------------------------------------------


def test_a_hyphenated_place_adjective_names_no_location() -> None:
    article = _read("Rebels shelled Aleppo on Monday. A Kenya-based aid worker was wounded.")
    place = event_place(_trigger(article, "wounded"), article)
    assert place is not None and place.text == "Aleppo"


def test_a_place_in_a_chant_is_not_where_the_protest_was() -> None:
    article = _read("Hundreds marched in Istanbul on Sunday. ``Stop the killing in Kosovo,'' the protesters chanted.")
    place = event_place(_trigger(article, "protesters"), article)
    assert place is not None and place.text == "Istanbul"


def test_a_town_and_its_state_are_one_place_the_town() -> None:
    article = _read("He is charged in the bombing of a Tulsa, Okla., clinic that wounded a guard.")
    place = event_place(_trigger(article, "bombing"), article)
    assert place is not None and place.text == "Tulsa"


def test_a_country_spread_over_is_not_narrowed() -> None:
    article = _read("Rescue teams reached Mombasa on Saturday. Fires were set across Kenya on Friday.")
    place = event_place(_trigger(article, "set"), article)
    assert place is not None and place.name == "Kenya"


def test_plural_events_in_a_country_are_not_narrowed() -> None:
    article = _read("Rescue teams reached Mombasa on Saturday. Bombings in Kenya have killed dozens this year.")
    place = event_place(_trigger(article, "Bombings"), article)
    assert place is not None and place.name == "Kenya"
