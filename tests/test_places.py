"""The places stage on real text through spaCy: the reference article's places (its acceptance test),
demonyms, metonymy, "X region" phrases, context in resolution, and unresolved names."""

from __future__ import annotations

from typing import Any

import pytest

from eventsift.places.find import distance_km, find_places, is_demonym, resolve_name, resolve_names
from eventsift.read.nlp import load_nlp
from eventsift.records import Article, Place
from eventsift.settings import Options


def _places(text: str) -> list[Place]:
    options = Options()
    article = Article(id="t", source_kind="text", body=text)
    article.doc = load_nlp(options.spacy_model)(text)
    places = find_places(article, options).places
    for place in places:
        assert text[place.start : place.end] == place.text  # every span exact
    return places


def _by_text(places: list[Place], text: str) -> list[Place]:
    return [p for p in places if p.text == text]


@pytest.fixture(scope="module")
def reference_places(reference_text: str) -> list[Place]:
    return _places(reference_text)


def _expected_places(expected: dict[str, Any]) -> list[dict[str, Any]]:
    return list(expected["places"])


def test_reference_article_places(reference_places: list[Place], reference_expected: dict[str, Any]) -> None:
    for item in _expected_places(reference_expected):
        found = _by_text(reference_places, item["mention"])
        assert found, f"{item['mention']!r} not found as a place"
        want = item["resolves_to"]
        for place in found:
            assert place.country == want["country"], (item["mention"], place)
            if "iso_3166_2" in want or "admin1" in want:
                assert place.admin1 == want.get("iso_3166_2", want.get("admin1")), (item["mention"], place)
            if "feature" in want:
                assert place.feature == want["feature"], (item["mention"], place)
            if "name" in want:
                assert place.name == want["name"]
            if "coordinates_within_km" in item:
                target = item["coordinates_within_km"]
                assert place.lat is not None and place.lon is not None
                assert distance_km(place.lat, place.lon, target["lat"], target["lon"]) <= target["km"]


def test_reference_names_the_russian_federation(reference_places: list[Place]) -> None:
    federation = _by_text(reference_places, "Russian Federation")
    assert federation and all(p.country == "RU" and p.feature == "country" for p in federation)


def test_demonyms_are_not_places(reference_places: list[Place]) -> None:
    texts = {p.text for p in reference_places}
    assert not texts & {"Russian", "Ukrainian", "Russians"}
    assert is_demonym("Russian") and is_demonym("Ukrainians") and not is_demonym("Russia")


def test_metonymy_in_the_reference(reference_places: list[Place]) -> None:
    moscow = _by_text(reference_places, "Moscow")
    assert moscow and all(p.role == "metonymic" for p in moscow)  # "Moscow’s war effort", "... supply lines"
    kyiv = _by_text(reference_places, "Kyiv")
    assert kyiv and all(p.role == "metonymic" and p.country == "UA" for p in kyiv)
    assert all(p.role == "literal" for p in _by_text(reference_places, "Belgorod region"))


@pytest.mark.parametrize(
    ("text", "place", "role"),
    [
        ("Washington said on Monday that it would send more aid.", "Washington", "metonymic"),
        ("Beijing's foreign ministry rejected the report.", "Beijing", "metonymic"),
        ("Three people died in a fire in Kharkiv on Monday.", "Kharkiv", "literal"),
    ],
)
def test_metonymy_cases(text: str, place: str, role: str) -> None:
    found = _by_text(_places(text), place)
    assert found and found[0].role == role


def test_province_phrase_is_one_subdivision() -> None:
    places = _places("Shelling continued in the Aleppo province and near Idlib on Tuesday.")
    province = _by_text(places, "Aleppo province")
    assert province and province[0].admin1 == "SY-HL" and province[0].precision == "region"
    assert province[0].feature == "first-order administrative division"


def test_country_names_beat_towns() -> None:
    places = _places("Officials in Mexico and Georgia met delegates from Jordan in Ukraine.")
    for text, code in (("Mexico", "MX"), ("Ukraine", "UA")):
        found = _by_text(places, text)
        assert found and found[0].feature == "country" and found[0].country == code


def test_context_chooses_between_namesakes() -> None:
    us = resolve_name("Georgia", ["Atlanta", "Savannah", "Macon"])
    assert (us.country, us.admin1) == ("US", "US-GA")
    caucasus = resolve_name("Georgia", ["Tbilisi", "Russia", "Armenia"])
    assert (caucasus.country, caucasus.feature) == ("GE", "country")
    assert resolve_name("Paris").country == "FR"


def test_resolution_reads_demonyms_and_region_phrases_for_gold_names() -> None:
    syria, oblast = resolve_names(["Syrian", "Belgorod region"])
    assert syria is not None and syria.country == "SY" and syria.kind == "country"
    assert oblast is not None and oblast.admin1 == "RU-BEL" and oblast.kind == "admin1"


def test_unknown_places_stay_unknown_with_a_reason() -> None:
    place = resolve_name("Zzyzxqwv Ridge")
    assert place.geonameid is None and place.lat is None and place.note
    assert place.precision == "unknown"


# --- names the NER tags as people or organisations, read as places by the words around them --------


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Russian forces shelled Sumy overnight, officials said.", "Sumy", "UA"),  # attack verb; PERSON
        ("Residents fled from Grozny as the fighting spread.", "Grozny", "RU"),  # preposition; PERSON
        ("Government troops captured Jaffna after a long siege.", "Jaffna", "LK"),
        ("Dozens of students protested in Tolga on Monday.", "Tolga", "DZ"),
        ("Rebels launched an attack on Kobane at dawn.", "Kobane", "SY"),  # "an attack on"; ORG
        ("Militants attacked a checkpoint in northern Sinjar on Monday.", "Sinjar", "IQ"),  # adjective between
    ],
)
def test_towns_tagged_as_people_or_organisations_are_places_in_a_locative_context(
        text: str, name: str, country: str) -> None:
    found = _by_text(_places(text), name)
    assert found and found[0].country == country and found[0].feature == "populated place"


def test_the_town_of_a_name_the_gazetteer_lacks_is_an_unresolved_place() -> None:
    found = _by_text(_places("Gunmen stormed the town of Marsh Hollow at dawn."), "Marsh Hollow")
    assert found, "the whole name, not a town called Marsh"
    assert found[0].geonameid is None and found[0].lat is None and found[0].note == "not in gazetteer"


def test_a_list_after_a_settlement_noun_is_a_list_of_places() -> None:
    places = _places("Rebels entered the villages of Tel Hamis and Tel Birak on Sunday.")
    assert [p.text for p in places] == ["Tel Hamis", "Tel Birak"]
    assert all(p.geonameid is None and p.note == "not in gazetteer" for p in places)


def test_a_village_named_with_its_region_is_placed_in_that_region() -> None:
    # "Kherson" is tagged PERSON and "Veletenske" ORG; the gazetteer lacks the village.
    places = _places("Artillery struck near Veletenske, Kherson, overnight.")
    village, region = _by_text(places, "Veletenske"), _by_text(places, "Kherson")
    assert region and region[0].precision == "region" and region[0].admin1 == "UA-65"
    assert village and village[0].admin1 == "UA-65" and village[0].geonameid is None and village[0].note
    places = _places("Russian forces shelled near Kindrativka, Sumy. Casualties unknown.")
    assert {p.text: p.admin1 for p in places} == {"Kindrativka": "UA-59", "Sumy": "UA-59"}


@pytest.mark.parametrize(
    "text",
    [
        "Reporters waited near Goma for hours. Mr Goma said he had done nothing wrong.",  # a title
        "Police detained Ahmed Sanaa. Protesters marched in Sanaa on Friday.",  # a longer person's name
        "He died later at Vanderbilt University Medical Center on Friday.",  # a word inside an ORG name
        "According to Xinhua News Agency, Beijing Health Bureau officials said the outbreak was over.",
    ],
)
def test_people_and_organisations_stay_what_the_article_shows_they_are(text: str) -> None:
    assert not [p for p in _places(text) if p.text in {"Goma", "Sanaa", "Vanderbilt", "Xinhua News Agency"}]


def test_the_same_name_in_a_locative_context_alone_is_a_place() -> None:
    assert _by_text(_places("Reporters waited near Goma for hours."), "Goma")  # the control for the case above


def test_a_town_inside_a_longer_capitalised_name_is_not_that_town() -> None:
    places = _places("Protesters gathered in Hola Prystan on Friday.")
    assert [(p.text, p.admin1) for p in places] == [("Hola Prystan", "UA-65")]


def test_a_town_read_as_a_place_is_no_person_for_the_actors_stage() -> None:
    from eventsift.read.actors import find_actors

    options = Options()
    text = "Russian forces shelled Sumy overnight, officials said."
    article = Article(id="t", source_kind="text", body=text)
    article.doc = load_nlp(options.spacy_model)(text)
    article = find_actors(find_places(article, options), options)
    assert _by_text(article.places, "Sumy")
    assert not [e for e in article.entities if e.kind == "person" and e.name == "Sumy"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The Commanding Officer said the unit had lost two men in the blast.", "Officer"),
        ("Senators took the bill to Congress after the vote on the embassy bombings.", "Congress"),
        ("The MoD confirmed the death of the soldier on Thursday.", "MoD"),
        ("Protesters gathered outside the Police headquarters, and the police made no arrests.", "Police"),
        ("Students of Marjory Stoneman Douglas High School marched on the capital.", "Douglas"),
    ],
)
def test_common_words_titles_and_acronyms_are_no_places(text: str, word: str) -> None:
    assert not _by_text(_places(text), word)


def test_a_common_word_is_a_place_on_strong_evidence() -> None:
    places = _places("Gunmen opened fire in the town of Congress, Arizona, late on Friday.")
    found = _by_text(places, "Congress")
    assert found and found[0].admin1 == "US-AZ"


def test_a_country_that_is_a_common_word_stays_a_country() -> None:
    found = _by_text(_places("Troops crossed from Syria into Turkey on Monday."), "Turkey")
    assert found and found[0].country == "TR"
