"""Acceptance: the `actors`, `places` and `quotes` sections of belgorod-raid.expected.yaml.

"must" items are asserted; "should" items are checked by their own tests, so the run shows which hold.
"""

from __future__ import annotations

import pytest

from eventsift.pipeline import read_article
from eventsift.places.geodesy import distance_km
from eventsift.records import Article, Entity, content_hash

from .conftest import REFERENCE


@pytest.fixture(scope="module")
def article(reference_text: str) -> Article:
    raw = Article(id=content_hash(reference_text), source_kind="text", location=str(REFERENCE), raw_text=reference_text,
                  published="2024-03-12")
    return read_article(raw)


def _entity(article: Article, name: str) -> Entity:
    for entity in article.entities:
        if entity.name.casefold() == name.casefold() or name in entity.aliases:
            return entity
    raise AssertionError(f"no entity {name!r} among {[e.name for e in article.entities]}")


def _kind(text: str) -> str:
    return text.split(" (")[0]


def test_every_span_is_exact(article: Article) -> None:
    spans = [m for e in article.entities for m in e.mentions]
    spans += [p.span for p in article.places] + [t.span for t in article.times]
    spans += [q.content for q in article.quotes] + [q.cue for q in article.quotes if q.cue]
    assert spans
    for span in spans:
        assert article.body[span.start:span.end] == span.text


def test_entities_kinds_and_must_link_mentions(article: Article, reference_expected: dict) -> None:
    for expected in reference_expected["actors"]["entities"]:
        entity = _entity(article, expected["name"])
        assert entity.kind == _kind(expected["kind"]), (entity.name, entity.kind)
        texts = {m.text for m in entity.mentions}
        missing = [m for m in expected.get("must_link_mentions", []) if m not in texts]
        assert not missing, f"{entity.name}: mentions not linked: {missing}"
        assert all(article.body[m.start:m.end] == m.text for m in entity.mentions)


def test_roles(article: Article, reference_expected: dict) -> None:
    mp = _entity(article, "Yuriy Mysiagin")
    assert mp.role is not None and "MP" in mp.role and mp.country == "UA"
    assert mp.role_span is not None and article.body[mp.role_span.start:mp.role_span.end] == mp.role_span.text
    caesar = _entity(article, "Caesar")
    assert caesar.kind == "person" and caesar.role == "commander"


def test_actor_must_nots(article: Article) -> None:
    for entity in article.entities:
        assert "Belgorod" not in entity.name, f"Belgorod read as {entity.kind}"
        assert "Wagner" not in entity.name
    assert _entity(article, "Caesar").kind == "person"


def test_should_link_short_forms_of_the_legion(article: Article, reference_expected: dict) -> None:
    legion = _entity(article, "Freedom of Russia Legion")
    body = article.body
    wanted = reference_expected["actors"]["entities"][0]["should_link_mentions"]
    linked = {body[max(0, m.start - 4):m.end] for m in legion.mentions} | {m.text for m in legion.mentions}
    for form in wanted:  # "the Legion": the mention is "Legion", preceded by its determiner
        assert any(text.endswith(form) or form.endswith(text) and len(text) > 3 for text in linked), form


def test_should_metonymy(article: Article) -> None:
    moscow = [p for p in article.places if p.text.startswith("Moscow")]
    kyiv = [p for p in article.places if p.text.startswith("Kyiv")]
    assert moscow and all(p.role == "metonymic" for p in moscow)
    assert kyiv and all(p.role == "metonymic" for p in kyiv)
    forces = _entity(article, "Military Forces of Ukraine")
    assert any(m.text == "Kyiv" for m in forces.mentions)


def test_places(article: Article, reference_expected: dict) -> None:
    for expected in reference_expected["places"]:
        found = [p for p in article.places if p.text == expected["mention"]]
        assert found, f"place {expected['mention']!r} not found"
        place = found[0]
        want = expected["resolves_to"]
        assert place.country == want["country"], (place.text, place.country)
        if "iso_3166_2" in want:
            assert place.admin1 == want["iso_3166_2"]
        if "admin1" in want:
            assert place.admin1 == want["admin1"], (place.text, place.admin1)
        if "feature" in want:
            assert place.feature == want["feature"], (place.text, place.feature)
        if "coordinates_within_km" in expected:
            target = expected["coordinates_within_km"]
            assert place.lat is not None and place.lon is not None
            assert distance_km(place.lat, place.lon, target["lat"], target["lon"]) <= target["km"]


def test_quotes(article: Article, reference_expected: dict) -> None:
    by_id = {e.id: e for e in article.entities}
    for expected in reference_expected["quotes"]:
        found = [q for q in article.quotes if q.content.text.lstrip("“\"").startswith(expected["must_start_with"])]
        assert found, f"no quote starting {expected['must_start_with']!r}"
        quote = found[0]
        speaker = by_id.get(quote.speaker.entity_id or "")
        assert speaker is not None and speaker.name == expected["speaker"], (quote.speaker, expected["speaker"])
        if "channel" in expected:
            assert quote.channel == expected["channel"]
        if "must_end_with" in expected:
            assert quote.content.text.rstrip("”\"").endswith(expected["must_end_with"])
        if "speaker_qualifier" in expected:
            assert quote.qualifier is not None and quote.qualifier.text == expected["speaker_qualifier"]
