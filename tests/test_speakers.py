"""Speakers (eventsift.quotes.speakers) on their own: who stands behind one speech cue in a parsed
sentence, the words that name them, and the entity they link to. Sentences written for these tests.
Also the reporting-verb lexicon (data/reporting_verbs.yaml) the cues come from."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest

from eventsift.quotes.speakers import SpeakerReader, Who
from eventsift.quotes.speech_cues import load_lexicon
from eventsift.read.nlp import load_nlp
from eventsift.read.reporting_verbs import load_reporting_verbs, past_forms, tagged
from eventsift.records import Article, Entity, Span
from eventsift.settings import Options


def reader(body: str, entities: list[Entity] | None = None) -> SpeakerReader:
    doc = load_nlp(Options().spacy_model)(body)
    article = Article(id="t", source_kind="text", body=body, doc=doc, entities=entities or [])
    return SpeakerReader(article, load_lexicon())


def cue(r: SpeakerReader, word: str, nth: int = 0) -> Any:
    return [t for t in r.doc if t.text == word][nth]


def speaker(body: str, word: str) -> tuple[str, Who]:
    """The words naming the speaker of cue ``word``, and the speaker."""
    r = reader(body)
    subject = r.subject(cue(r, word))
    assert subject is not None
    who = r.who(subject)
    assert who is not None
    return body[who.start : who.end], who


@pytest.mark.parametrize(("body", "word", "words"), [
    ("The mayor, Anna Kovac, said the road was closed.", "said", "The mayor, Anna Kovac"),  # apposition kept
    ("Critics of the plan said it would fail.", "said", "Critics of the plan"),
    ("Police chief Jo Bloggs told reporters the road was closed.", "told", "Jo Bloggs"),  # the name, not the title
    ("“We will return,” said Jo Bloggs.", "said", "Jo Bloggs"),
    ("According to local officials, six people died.", "According", "local officials"),
])
def test_speaker_words(body: str, word: str, words: str) -> None:
    assert speaker(body, word)[0] == words


def test_a_statement_gives_way_to_its_author() -> None:
    words, who = speaker("A statement by the Defence Ministry said two drones were downed.", "said")
    assert words == "the Defence Ministry" and who.pronoun is None


def test_an_account_gives_way_to_who_runs_it() -> None:
    assert speaker("An account that claims to be run by the Legion posted the video.", "posted")[0] == "the Legion"


def test_pronouns_are_kept_for_the_quotes_stage() -> None:
    words, who = speaker("She said the road was closed.", "said")
    assert (words, who.pronoun) == ("She", "she")
    r = reader("A commander who said the town had fallen was arrested.")
    who = r.who(r.subject(cue(r, "said")))
    assert who is not None and (who.pronoun, who.antecedent) == ("who", cue(r, "commander").i)


def test_no_subject_gives_none() -> None:
    r = reader("The road was closed, said.")
    assert r.subject(cue(r, "said")) is None


def test_link_to_the_entity_over_the_speaker() -> None:
    body = "Officials in Kyiv said Anna Kovac was safe. Kovac said she would stay."
    kovac = Entity("kovac", "Anna Kovac", "person", mentions=[Span(23, 33, "Anna Kovac"), Span(44, 49, "Kovac")])
    r = reader(body, [kovac])
    who = r.who(r.subject(cue(r, "said", 1)))
    assert who is not None and body[who.start : who.end] == "Kovac"
    assert r.link(who) == "kovac"
    officials = r.who(r.subject(cue(r, "said", 0)))
    assert officials is not None and r.link(officials) is None


# --- the reporting verbs the cues are read from ---------------------------------------------------------

_TAGS = {"speech", "evaluation", "documents", "belief", "object", "infinitive", "naming", "claim", "strong_claim",
         "denial", "dating", "report_time", "person_subject"}


def test_reporting_verbs_once_each_with_known_tags() -> None:
    """data/reporting_verbs.yaml is the one list: each lemma on one line (YAML would silently keep the last
    of two), every tag read by some stage, a past tense for every verb the time stage reads."""
    text = resources.files("eventsift.data").joinpath("reporting_verbs.yaml").read_text(encoding="utf-8")
    lines = re.findall(r"^  (\w+):", text, re.MULTILINE)
    verbs = load_reporting_verbs()
    assert len(lines) == len(set(lines)) == len(verbs)
    assert set().union(*(v.tags for v in verbs)) == _TAGS
    assert all(v.past for v in verbs if "dating" in v.tags)
    assert "said" in past_forms("dating") and "say" in tagged("claim") and "deny" in tagged("denial")


def test_cue_lexicon_reads_the_reporting_verbs() -> None:
    lex = load_lexicon()
    assert lex.verbs >= set(tagged("speech")) | set(tagged("evaluation")) | set(tagged("documents"))
    assert lex.clause_verbs == set(tagged("belief")) - set(tagged("speech")) - set(tagged("evaluation")) - set(
        tagged("documents"))
    assert lex.object_verbs == set(tagged("object")) and lex.naming_verbs == set(tagged("naming"))
