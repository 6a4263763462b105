"""The fast attribute ruler and lemmatizer (nlp_rules.py) annotate exactly as spaCy's own components."""

from __future__ import annotations

from typing import Any

import pytest

from eventsift.read.nlp_rules import FastAttributeRuler, FastLemmatizer, speed_up
from eventsift.settings import Options

from .conftest import REFERENCE, SAMPLES

# Sentences that meet the two-token patterns, the pronoun and auxiliary rules, spaces and odd forms.
_CRAFTED = [
    "Y'all ain't gonna believe it: we gotta go, let's move. C'mon, there is nothin' left.",
    "There are two of them and it's done; I'd have told you if I had known. Did he?",
    "They gave it to me and him.  \n\n  Whether or not you're ready, we'll see - it wasn't ours.",
    "GUNMEN KILLED 3 IN LAGOS ON MONDAY, POLICE SAID.\n\t\n",
    "",
    "   ",
]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    if REFERENCE.exists():
        texts.append(REFERENCE.read_text(encoding="utf-8"))
    return texts + [t.lower() for t in texts] + _CRAFTED


def _annotations(doc: Any) -> list[tuple[Any, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
             t.is_sent_start) for t in doc]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Any, Any]:
    import spacy

    model = Options().spacy_model
    plain, fast = spacy.load(model), spacy.load(model)
    speed_up(fast)
    return plain, fast


def test_the_fast_components_are_in_place(pipelines: tuple[Any, Any]) -> None:
    plain, fast = pipelines
    assert fast.pipe_names == plain.pipe_names
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), FastLemmatizer)


def test_every_token_attribute_is_spacys(pipelines: tuple[Any, Any]) -> None:
    plain, fast = pipelines
    texts = _texts()
    for _ in range(2):  # the second pass answers from the memos
        for text, mine, theirs in zip(texts, fast.pipe(texts), plain.pipe(texts), strict=True):
            assert _annotations(mine) == _annotations(theirs), text[:80]


def test_a_rule_of_unknown_form_keeps_spacys_ruler() -> None:
    import spacy

    nlp = spacy.load(Options().spacy_model)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "very"}, {"POS": "ADJ", "OP": "+"}]], {"LEMMA": "x"})
    speed_up(nlp)
    assert not isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), FastLemmatizer)


def test_memos_stay_bounded(pipelines: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import eventsift.read.nlp_rules as rules

    _, fast = pipelines
    monkeypatch.setattr(rules, "_MEMO_LIMIT", 5)
    lemmatizer = fast.get_pipe("lemmatizer")
    ruler = fast.get_pipe("attribute_ruler")
    lemmatizer._lemmas.clear()
    ruler._regex_results.clear()
    docs = list(fast.pipe(_texts()[:3]))
    assert docs and 0 < len(lemmatizer._lemmas) <= 6 and 0 < len(ruler._regex_results) <= 6
