"""The actors stage on sentences written for the tests."""

from __future__ import annotations

import pytest

from eventsift.read.actors import find_actors, load_lexicon
from eventsift.read.nlp import parse_article
from eventsift.records import Article, Entity, Place
from eventsift.settings import Options

OPTIONS = Options()


def _read(body: str, places: list[Place] | None = None) -> Article:
    article = Article(id="t", source_kind="text", body=body)
    article.places = places or []
    parse_article(article, OPTIONS)
    return find_actors(article, OPTIONS)


def _by_name(article: Article, name: str) -> Entity:
    found = [e for e in article.entities if e.name == name]
    assert found, [e.name for e in article.entities]
    return found[0]


def test_lexicon_aliases_link_to_one_entity() -> None:
    article = _read("The Rapid Support Forces attacked the town. Witnesses said RSF fighters looted shops.")
    rsf = _by_name(article, "Rapid Support Forces")
    assert rsf.kind == "armed group" and rsf.country == "SD"
    assert [m.text for m in rsf.mentions] == ["Rapid Support Forces", "RSF"]


def test_article_reveals_acronym_and_alternative_name() -> None:
    article = _read(
        "The Northern Valley Defence Front (NVDF) claimed the ambush. "
        "The Northern Valley Defence Front or Valley Guardians Front has fought since 2019. "
        "A NVDF spokesman said the Valley Guardians Front would keep fighting."
    )
    front = article.entities[0]
    texts = [m.text for m in front.mentions]
    assert "NVDF" in texts and texts.count("Valley Guardians Front") == 2


def test_surname_links_to_full_name_and_roles_from_titles() -> None:
    article = _read("Kenyan Senator Amina Wekesa criticised the plan. Wekesa said the police must answer.")
    person = _by_name(article, "Amina Wekesa")
    assert [m.text for m in person.mentions] == ["Amina Wekesa", "Wekesa"]
    assert person.role == "Kenyan Senator" and person.country == "KE"
    assert person.role_span is not None and person.role_span.text == "Kenyan Senator"


def test_callsign_is_a_person_with_a_role() -> None:
    article = _read("Reporters met a commander of the unit, callsign Falcon, near the front line.")
    falcon = _by_name(article, "Falcon")
    assert falcon.kind == "person" and falcon.role == "commander"


def test_platforms_are_not_actors() -> None:
    article = _read("The governor posted on Telegram and Facebook that the fire was out.")
    assert not [e for e in article.entities if e.name in {"Telegram", "Facebook"}]


def test_short_form_links_to_nearest_group() -> None:
    article = _read(
        "Fighters of the Arakan Army seized a base. Later the army said it had taken prisoners."
    )
    arakan = _by_name(article, "Arakan Army")
    assert [m.text for m in arakan.mentions] == ["Arakan Army", "army"]


def test_metonymic_capital_becomes_state_actor() -> None:
    body = "Nairobi's troops crossed the river while Nairobi said talks would continue."
    places = [
        Place(0, 7, "Nairobi", 184745, "Nairobi", "KE", "KE-30", -1.28, 36.82, "populated place", "city", role="metonymic"),
        Place(41, 48, "Nairobi", 184745, "Nairobi", "KE", "KE-30", -1.28, 36.82, "populated place", "city", role="metonymic"),
    ]
    article = _read(body, places)
    names = {e.name: e for e in article.entities}
    assert [m.start for m in names["Military Forces of Kenya"].mentions] == [0]
    assert [m.start for m in names["Government of Kenya"].mentions] == [41]


@pytest.mark.parametrize("entry", load_lexicon(), ids=lambda e: e.id)
def test_lexicon_entries_are_well_formed(entry: object) -> None:
    assert entry.kind in {"state forces", "armed group", "militia", "agency", "person", "government",
                          "international organisation"}
    assert entry.aliases and entry.name in entry.aliases


def test_a_person_whose_every_mention_was_taken_gets_no_role_and_no_crash() -> None:
    from eventsift.read.actors import _Builder, _roles, load_rules

    article = _read("Commander Ivan Petrov said the unit held the bridge.")
    builder = _Builder(article.body)
    builder.entity("person:ghost", "Ghost", "person", None, "article")  # its one mention was not free
    _roles(parse_article(article, Options()).doc, builder, load_rules())
    assert "person:ghost" not in {e.id for e in builder.result()}
