"""Event status on hand-written sentences: who claims an event, and when it asserts nothing.

The coding guide (news-events SOURCE.md) keeps "claimed" for a party with an interest claiming an act;
neutral attribution (police, officials, witnesses) of a reported fact is "asserted"; planned, threatened,
hypothetical, negated and generic mentions assert nothing. Triggers are built by hand (the word's token
and its sentence), so these tests do not depend on the trigger finder.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from eventsift.events.status import event_status
from eventsift.events.types import Trigger
from eventsift.pipeline import read_article
from eventsift.records import Article, content_hash


@lru_cache(maxsize=64)
def _read(text: str) -> Article:
    return read_article(Article(id=content_hash(text), source_kind="text", raw_text=text, published="2024-03-12"))


def _status(text: str, word: str) -> tuple[str, list[str]]:
    article = _read(text)
    at = article.body.index(word)
    token = next(t for t in article.doc if t.idx <= at < t.idx + len(t))
    sentence = token.sent
    trigger = Trigger(token.idx, token.idx + len(token), token.text, token.i, sentence.start_char,
                      sentence.end_char, "Battles", "Armed clash", "19", "ASSAULT")
    reading = event_status(trigger, article)
    return reading.status, [c.claimant for c in reading.claims]


@pytest.mark.parametrize(("text", "word"), [
    ("Six protesters were arrested outside the hotel on Monday, police said.", "arrested"),
    ("Bombs exploded outside the embassy in Nairobi on Friday, killing dozens of people, witnesses said.", "exploded"),
    ("Police said they arrested six protesters in the city centre on Monday.", "arrested"),
    ("At least 51 people were reported killed in clashes between police and villagers in recent days.", "clashes"),
    ("Officials confirmed that the gunmen attacked a bus near the border town on Sunday.", "attacked"),
    ("U.S. forces launched cruise missile strikes against alleged terrorist camps on Thursday.", "strikes"),
    ("The police denied permission for the rally, but thousands marched through the capital on Sunday.", "marched"),
    ("Hospital officials said 12 people were killed in the air strike on the market.", "strike"),
    ("According to the Syrian Observatory for Human Rights, 15 fighters were killed in clashes near Idlib.", "clashes"),
])
def test_neutral_attribution_is_asserted(text: str, word: str) -> None:
    status, _ = _status(text, word)
    assert status == "asserted"


@pytest.mark.parametrize(("text", "word"), [
    ("The army said its troops killed 20 militants in the northern province on Tuesday.", "killed"),
    ("The rebels claimed responsibility for the attack on the checkpoint on Monday.", "attack"),
    ("Insurgents said they have launched another raid in the border region.", "raid"),
    ("Russia's defence ministry said its forces shot down 20 drones over the region overnight.", "shot"),
    ("Islamic State claimed the bombing in a statement on Telegram.", "bombing"),
    ("A rebel spokesman said: \u201cWe attacked the convoy near the bridge this morning.\u201d", "attacked"),
])
def test_a_party_claiming_an_act_is_claimed(text: str, word: str) -> None:
    status, claimants = _status(text, word)
    assert status == "claimed" and claimants


def test_an_explicitly_unverified_report_is_unverified() -> None:
    status, _ = _status("Gunmen reportedly attacked a village in the north of the country on Sunday.", "attacked")
    assert status == "unverified"


def test_denying_the_event_itself_is_denied() -> None:
    status, _ = _status("The ministry denied that its forces shelled the village on Sunday.", "shelled")
    assert status == "denied"


@pytest.mark.parametrize(("text", "word", "want"), [
    ("No shots were fired when the police cleared the square on Monday.", "fired", {"negated"}),
    ("The unions called off the march planned for Saturday after talks with the government.", "march", {"negated"}),
    ("Organisers cancelled the rally in the capital on Friday.", "rally", {"negated"}),
    ("The group threatened to strike the oil fields if the talks fail.", "strike", {"planned"}),
    ("Officials warned of a possible strike against the port in the coming days.", "strike", {"planned", "hypothetical"}),
    ("Families there face the threat of detention and deportation.", "detention", {"planned"}),
    ("The plan was built around the possibility of a ground assault toward the west.", "assault", {"planned"}),
    ("Militants often attack convoys on the highway in the province.", "attack", {"hypothetical"}),
    ("It is all but impossible to find these fanatics until they attack.", "attack", {"hypothetical"}),
    ("Few of the senators were willing to attack him in the debate.", "attack", {"planned", "hypothetical"}),
    ("He said Washington would break international law by attacking without UN approval.", "attacking",
     {"planned", "hypothetical"}),
])
def test_unrealised_events_assert_nothing(text: str, word: str, want: set[str]) -> None:
    status, _ = _status(text, word)
    assert status in want
