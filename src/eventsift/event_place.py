"""Event place: which literal place of the trigger's sentence is where the event happened.

Part of the event-arguments reading (see event_args.py for the shared lexicon and parse helpers).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from .event_args import (
    SUBJECTS,
    TRANSPARENT,
    ArgumentWords,
    ancestors,
    argument_words,
    in_sentence,
    tree_path,
)
from .event_types import Trigger
from .records import Article, Place

__all__ = ["event_place"]

log = logging.getLogger(__name__)


def event_place(trigger: Trigger, article: Article) -> Place | None:
    """The literal place of the trigger's sentence where the event happened, or None.

    Places attached to the trigger through a locative preposition ("in", "into", "across", "on the
    territory of") win, the closest in the parse first; origin places ("from Ukraine"), metonymic
    places, places inside actor names and time expressions are skipped. A sentence with no place takes
    the nearest earlier place of the article, noted "from context".
    """
    doc = article.doc
    if doc is None:
        return None
    head = doc[trigger.token_i]
    sentence_places = [p for p in article.places if in_sentence(trigger, p.start, p.end) and p.role == "literal"
                       and not _inside_other_name(p, article)]
    scored: list[tuple[float, int, Place]] = []
    for place in sentence_places:
        score = _place_score(place, head, doc)
        if score is not None:
            scored.append((score, place.start, place))
    if scored:
        return min(scored, key=lambda s: (s[0], s[1]))[2]
    if sentence_places:
        return None  # the sentence names places, none of them the event's: do not look elsewhere
    return _context_place(trigger, article)


def _inside_other_name(place: Place, article: Article) -> bool:
    """Inside an actor's name ("Freedom of Russia Legion") or a time expression."""
    for entity in article.entities:
        for m in entity.mentions:
            if m.start <= place.start and place.end <= m.end and (m.end - m.start) > (place.end - place.start):
                return True
    return any(t.start <= place.start and place.end <= t.end for t in article.times)


def _place_score(place: Place, head: Any, doc: Any) -> float | None:
    """Lower is better; None where the place is not where this event happened: an origin ("from X"),
    a modifier of a noun that is no place ("U.S. forces", "Caracas' newspaper"), the doer itself
    ("Israel captured ..."), or a place of another clause's verb ("the Taliban, which control X")."""
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    root = span.root
    if span.start <= head.i < span.end:
        return 0.0  # the trigger inside the place phrase
    path = tree_path(root, head)
    if path is None:  # parsed as another sentence: as far as the two roots
        up_place, up_head = ancestors(root), ancestors(head)
        path = (len(up_place) + len(up_head) + 1, up_place, up_head)
    distance, up_place, _up_head = path
    if _not_a_location(place, root, up_place, head):
        return None
    words = argument_words()
    score = float(distance) + _clause_penalty(up_place)
    prep = _governing_prep(up_place, words)
    if prep is not None:
        if prep in words.origin:
            return None
        if prep in words.locative:
            score -= 1.5
        elif prep != "of":
            score += 1.0
    else:
        score += _bare_penalty(root, up_place)
    if up_place[-1].i != head.i:
        score += 1.0  # the place hangs under another clause than the trigger's
    if any(t.dep_ in SUBJECTS for t in up_place[1:-1]):
        score += 2.0  # inside the subject: "residents of X protested"
    if root.dep_ == "poss" and root.head.lemma_.lower() in words.place_nouns:
        score += 2.0  # "Iraq's northern city of Mosul": the container of a nearer place
    return score if score <= words.max_place_score else None


def _not_a_location(place: Place, root: Any, up_place: list[Any], head: Any) -> bool:
    words = argument_words()
    modified = root.head
    if root.dep_ in {"compound", "amod", "poss", "nmod"} and (
            modified.lemma_.lower() in words.actor_nouns or modified.ent_type_ in {"PERSON", "ORG", "NORP"}):
        return True  # "U.S. forces", "Caracas' Diario 2001 newspaper"
    if root.dep_ in {"compound", "amod", "nmod"} and place.precision == "country" and modified.pos_ in {"NOUN", "PROPN"}:
        return True  # "a US convoy", "a U.S. airstrike": a nationality, not a location
    if root.dep_ in SUBJECTS and modified.i == head.i:
        return True  # "Israel captured ...": the doer, not the place
    return any(t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"} for t in up_place[1:-1])  # a sibling event


def _clause_penalty(up_place: list[Any]) -> float:
    """Places under another verb than the trigger belong less to it: "when their convoy hit a bomb
    near X" still places the event, "the Taliban, which control X" does not."""
    penalty = 0.0
    words = argument_words()
    for token in up_place[1:-1]:
        if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() in words.place_verbs:
            continue
        penalty += 3.0 if token.dep_ == "relcl" and token.head.dep_ in SUBJECTS else 1.0
    return penalty


def _governing_prep(up_place: list[Any], words: ArgumentWords) -> str | None:
    """The nearest preposition on the way from the place up to the common head, looking through
    "the town of X" and coordination ("in Palmyra and Quaryatayn")."""
    for token in up_place[1:]:
        if token.dep_ in {"prep", "agent"} or token.pos_ == "ADP":
            text = token.lower_
            if text == "of" and token.head.lemma_.lower() in words.place_nouns:
                continue
            if text == "of" and token.head.dep_ == "pobj" and token.head.head.dep_ == "prep":
                return token.head.head.lower_  # "on the territory of X", "in the centre of X"
            return text
        if token.dep_ not in TRANSPARENT and token.pos_ not in {"NOUN", "PROPN"}:
            return None
    return None


def _bare_penalty(root: Any, up_place: list[Any]) -> float:
    """A place with no preposition: an object of the trigger ("stormed Gaza") is fine; a modifier of a
    noun ("Caracas' newspaper") or a subject is weak."""
    if root.dep_ in {"dobj", "nsubjpass"} and len(up_place) == 2:
        return 0.0
    if root.dep_ in {"poss", "compound", "amod", "nmod"} and root.head.lemma_.lower() not in argument_words().place_nouns:
        return 2.0
    if root.dep_ in {"nsubj"}:
        return 2.0
    return 1.0


def _context_place(trigger: Trigger, article: Article) -> Place | None:
    """The nearest literal place before the trigger's sentence, noted "from context"."""
    earlier = [p for p in article.places if p.end <= trigger.sentence_start and p.role == "literal"
               and not _inside_other_name(p, article)]
    if not earlier:
        return None
    return replace(max(earlier, key=lambda p: p.start), note="from context")
