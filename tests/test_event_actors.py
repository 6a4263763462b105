"""Event actors (event_actors.py) on hand-written sentences: who did it, read through the parse.

Triggers are built by hand (the word's token and its sentence), as in test_event_args.py, so these
tests do not depend on the trigger finder; the last tests read whole articles through the pipeline.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from eventsift.events.actors import event_actors
from eventsift.events.types import Trigger
from eventsift.pipeline import read_article
from eventsift.records import Actor, Article, content_hash


@lru_cache(maxsize=64)
def _read(text: str) -> Article:
    return read_article(Article(id=content_hash(text), source_kind="text", raw_text=text, published="2024-03-12"))


def _trigger(article: Article, word: str, event_type: str = "Battles") -> Trigger:
    at = article.body.index(word)
    token = next(t for t in article.doc if t.idx <= at < t.idx + len(t))
    sentence = token.sent
    return Trigger(token.idx, token.idx + len(token), token.text, token.i, sentence.start_char, sentence.end_char,
                   event_type, "Armed clash", "19", "ASSAULT")


def _doer(text: str, word: str, event_type: str = "Battles") -> Actor | None:
    article = _read(text)
    actor1, *_ = event_actors(_trigger(article, word, event_type), article)
    if actor1 is not None and actor1.span is not None:
        assert article.body[actor1.span.start:actor1.span.end] == actor1.span.text
    return actor1


def _words(actor: Actor | None) -> tuple[str, str] | None:
    return (actor.name, actor.span.text if actor.span else "") if actor is not None else None


# --- a name inside a crowd's words is no crowd ---------------------------------------------------------


@pytest.mark.parametrize(("sentence", "word", "span"), [
    ("Hundreds of anti-Putin protesters gathered outside the embassy on Friday.", "protesters", "anti-Putin protesters"),
    ("Dozens of pro-Kagame supporters marched through the town.", "marched", "pro-Kagame supporters"),
])
def test_stance_name_is_the_cause_not_the_crowd(sentence: str, word: str, span: str) -> None:
    actor = _doer(sentence, word, "Protests")
    assert actor is not None and actor.entity_id is None and actor.span is not None and actor.span.text == span


def test_armed_group_named_on_its_fighters_stays_the_actor() -> None:
    actor = _doer("Al-Shabaab fighters attacked a police post in Mandera.", "attacked")
    assert actor is not None and actor.span is not None and "Al-Shabaab" in actor.span.text


# --- a doer named by a modifier: the people, with the modifier's words ---------------------------------


@pytest.mark.parametrize(("sentence", "word", "name", "span"), [
    ("The minister condemned the terrorist bombings of two churches.", "bombings", "terrorists", "terrorist"),
    ("Two villages were emptied after rebel attacks last week.", "attacks", "rebels", "rebel"),
    ("Militant raids on the border posts continued overnight.", "raids", "militants", "Militant"),
])
def test_modifier_doer_is_named_as_people(sentence: str, word: str, name: str, span: str) -> None:
    assert _words(_doer(sentence, word)) == (name, span)


@pytest.mark.parametrize(("sentence", "word"), [
    ("The death toll in the Uganda blast rose to twelve.", "blast"),  # a country on a blast: where
    ("Officials reviewed the Embassy bombings with the ambassador.", "bombings"),  # a building hit: the target
    ("Mourners said the journalist's murder shocked the town.", "murder"),  # the one murdered
])
def test_modifiers_that_name_no_doer(sentence: str, word: str) -> None:
    assert _doer(sentence, word) is None


# --- pronouns ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "word", "span"), [
    # the subject of the clause above
    ("The Lagos State Police Command said it seized 40 rifles in the raid.", "seized", "Lagos State Police Command"),
    ("A 40-year-old man was arrested after he stabbed a steward at the march.", "stabbed", "40-year-old man"),
    # the subject of the previous sentence
    ("Local residents blocked the highway near the mine. They burned tyres and threw stones at officers.",
     "threw", "Local residents"),
])
def test_pronoun_doer_takes_its_antecedent(sentence: str, word: str, span: str) -> None:
    actor = _doer(sentence, word)
    assert actor is not None and actor.span is not None and actor.span.text == span


@pytest.mark.parametrize(("sentence", "word"), [
    # "he" cannot stand for a group, nor "it" for a person
    ("The army said he shot the driver at the checkpoint.", "shot"),
    ("The mayor said it shelled the market twice.", "shelled"),
    # the one killed is not the doer of what he did as it happened
    ("A farmer was killed in an explosion as he tried to move a shell.", "shell"),
])
def test_pronoun_without_an_agreeing_antecedent_stays_unknown(sentence: str, word: str) -> None:
    assert _doer(sentence, word) is None


# --- blame, sides, relative clauses --------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "word", "span"), [
    ("A 19-year-old student was charged with the stabbing of a guard.", "stabbing", "19-year-old student"),
    ("Police arrested two men over the bombing of the bus depot.", "bombing", "two men"),
    ("John Okello is serving a long sentence for the killing of the chief.", "killing", "John Okello"),
    ("The Ashanti Freedom Front claimed responsibility for the attack on the convoy.", "attack",
     "Ashanti Freedom Front"),
    ("Investigators said Mwangi is a suspect in the shootings.", "shootings", "Mwangi"),
])
def test_the_one_blamed_is_the_doer(sentence: str, word: str, span: str) -> None:
    actor = _doer(sentence, word)
    assert actor is not None and actor.span is not None and actor.span.text == span


@pytest.mark.parametrize(("sentence", "word", "span"), [
    ("The raid was carried out by Wagner fighters.", "raid", "Wagner"),
    ("Two soldiers died in an attack carried out by Boko Haram fighters near Maiduguri.", "attack", "Boko Haram"),
    ("Officials said Al-Shabaab was responsible for the bombing of the hotel.", "bombing", "Al-Shabaab"),
    ("The rally was organised by students of the university.", "rally", "students"),
])
def test_doer_of_a_passive_event_noun(sentence: str, word: str, span: str) -> None:
    actor = _doer(sentence, word)
    assert actor is not None and actor.span is not None and actor.span.text == span


def test_a_watcher_of_a_passive_event_noun_is_no_doer() -> None:
    assert _doer("The attack was condemned by the United Nations.", "attack") is None


@pytest.mark.parametrize(("sentence", "word"), [
    ("The minister blamed the rebels for the attack on the convoy.", "attack"),
    ("The president accused Rwanda of involvement in the bombing.", "bombing"),
])
def test_a_political_accusation_names_no_doer(sentence: str, word: str) -> None:
    actor = _doer(sentence, word)
    assert actor is None or actor.span is None or actor.span.text not in {"rebels", "Rwanda"}


def test_a_suspect_handed_over_is_no_doer_of_the_handing_party() -> None:
    actor = _doer("Police in Kenya paraded a suspect in the market bombing before reporters.", "bombing")
    assert actor is None or actor.span is None or actor.span.text not in {"Police", "Kenya"}


def test_the_other_side_of_a_shootout() -> None:
    actor = _doer("Two robbers died in a shootout with police on the highway.", "shootout")
    assert actor is not None and actor.name == "police"


def test_which_names_the_group_not_the_member() -> None:
    # the parser hangs "which" on "member"; the organisation just before it is what "which" stands for
    text = "He is a member of the student organization Youth for Justice, which also tried to disrupt a march."
    actor = _doer(text, "disrupt", "Protests")
    assert actor is not None and actor.span is not None and "Justice" in actor.span.text


def test_attack_in_which_someone_killed() -> None:
    actor = _doer("They recalled the attack in which a masked gunman killed two guards.", "attack")
    assert actor is not None and actor.span is not None and actor.span.text == "masked gunman"


def test_participle_on_the_crowd() -> None:
    actor = _doer("A message was read to several thousand rallying Kenyan teachers.", "rallying", "Protests")
    assert actor is not None and actor.span is not None and actor.span.text == "Kenyan teachers"


# --- the instrument's owner ---------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "word", "span"), [
    ("The judge was killed in his garden by a bullet fired by a sniper.", "killed", "sniper"),
    ("Three soldiers were killed by sniper fire near the bridge.", "killed", "sniper"),
    ("Two farmers were killed by a bomb planted by militants on the road.", "killed", "militants"),
    # the event noun's "of" object, felled by someone named in a relative clause
    ("Officials spoke about the slaying of a judge who was struck down outside his house by a gunman's bullet.",
     "slaying", "gunman"),
])
def test_instrument_owner_is_the_doer(sentence: str, word: str, span: str) -> None:
    actor = _doer(sentence, word)
    assert actor is not None and actor.span is not None and actor.span.text == span


# --- crowd named only as people ------------------------------------------------------------------------


def test_people_who_protest_are_named_protesters() -> None:
    actor = _doer("Thousands of people rallied in the capital on Sunday.", "rallied", "Protests")
    assert _words(actor) == ("protesters", "people")


def test_residents_keep_their_name() -> None:
    actor = _doer("Angry residents rallied in the capital on Sunday.", "rallied", "Protests")
    assert actor is not None and actor.name == "Angry residents"


# --- through the pipeline -------------------------------------------------------------------------------


def test_events_stage_reads_a_pronoun_doer() -> None:
    article = _read("The Rivers State Police Command on Tuesday said it recovered 30 rifles and 500 cartridges "
                    "from a militant camp in Ahoada.")
    doers = [e.actor1.name for e in article.events if e.actor1 is not None]
    assert any("Police Command" in name for name in doers)
