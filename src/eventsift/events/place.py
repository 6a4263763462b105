"""Event place: which literal place of the trigger's sentence is where the event happened.

Part of the event-arguments reading (see event_args.py for the shared lexicon and parse helpers).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..places.find import dateline_place
from ..records import Article, Place
from .args import (
    SUBJECTS,
    TRANSPARENT,
    ArgumentWords,
    ancestors,
    argument_words,
    in_sentence,
    load_lexicon,
    tree_path,
)
from .types import Trigger

__all__ = ["event_place", "finer_place", "sentence_place"]

log = logging.getLogger(__name__)

# Words between quotation marks, as wire copy and typeset text write them (``...'', “...”, "...").
_QUOTED = re.compile(r"``.*?''|“.*?”|\"[^\"]*\"")
_TOWNS = frozenset({"city", "point"})


def event_place(trigger: Trigger, article: Article) -> Place | None:
    """The place where the event happened, or None.

    Places attached to the trigger through a locative preposition ("in", "into", "across", "on the
    territory of") win, the closest in the parse first; origin places ("from Ukraine"), metonymic
    places, places inside actor names and time expressions are skipped. A sentence with no place takes
    the nearest earlier place of the article, or else the dateline's town, noted "from context". A
    country is then narrowed to the one town the article names in it (:func:`finer_place`).
    """
    place = sentence_place(trigger, article)
    if article.doc is not None and article.doc[trigger.token_i].tag_ in {"NNS", "NNPS"}:
        return place  # "derailments in Russia": several events, no one town's (a split narrows each)
    return finer_place(place, trigger, article)


def sentence_place(trigger: Trigger, article: Article) -> Place | None:
    """The literal place of the trigger's sentence where the event happened, or the context's."""
    doc = article.doc
    if doc is None:
        return None
    head = doc[trigger.token_i]
    sentence_places = [p for p in article.places if in_sentence(trigger, p.start, p.end) and p.role == "literal"
                       and not _inside_other_name(p, article) and not _quoted_apart(p, trigger, article)]
    scored: list[tuple[float, int, Place]] = []
    for place in sentence_places:
        score = _place_score(place, head, doc)
        if score is not None:
            scored.append((score, place.start, place))
    if scored:
        return _town_of_pair(min(scored, key=lambda s: (s[0], s[1]))[2], sentence_places, article)
    if any(not _names_no_location(p, doc) for p in sentence_places):
        return None  # the sentence names places, none of them the event's: do not look elsewhere
    return _context_place(trigger, article)


def _names_no_location(place: Place, doc: Any) -> bool:
    """"the U.S. embassies", "a Buffalo-area doctor": a place that only says whose or where-from a
    thing or person is names no location in the sentence, so the context may still give one."""
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    return _modifier_only(place, span.root)


def _town_of_pair(place: Place, places: list[Place], article: Article) -> Place:
    """"a Birmingham, Ala., clinic", "in Nairobi, Kenya": the region or country after a town says
    where the town is; the pair is one place, the town (the parser may hang the town on its region)."""
    if place.precision not in {"region", "country"} or place.country is None:
        return place
    for town in places:
        if town.precision in _TOWNS and town.country == place.country and article.body[town.end:place.start].strip() == "," \
                and (place.precision == "country" or town.admin1 == place.admin1):
            return town
    return place


def _quoted_apart(place: Place, trigger: Trigger, article: Article) -> bool:
    """"``Stop the bloodshed in Kosovo,'' the protesters chanted": a place inside quoted words that do
    not hold the trigger is what was said, not where the event happened."""
    # reported speech ("according to X, forces shot down a drone near Y") tells the facts: not skipped
    stretches = [(q.content.start, q.content.end) for q in article.quotes if q.kind == "direct"]
    sentence = article.body[trigger.sentence_start:trigger.sentence_end]
    stretches += [(trigger.sentence_start + m.start(), trigger.sentence_start + m.end()) for m in _QUOTED.finditer(sentence)]
    for start, end in stretches:
        if start <= place.start and place.end <= end:
            return not start <= trigger.start < end
    return False


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
    route, destinations = _route_words()
    if prep is not None:
        if prep in words.origin and head.lemma_.lower() in route:
            score -= 1.5  # "a march from Beijing to X": a march is coded where it set off
        elif prep in words.origin:
            return None
        elif prep in destinations and head.lemma_.lower() in route:
            score += 1.0  # its destination only where no start is named
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


def _modifier_only(place: Place, root: Any) -> bool:
    """A modifier that says whose a thing is, not where anything happened."""
    words = argument_words()
    modified = root.head
    if root.dep_ in {"compound", "amod", "poss", "nmod"} and (
            modified.lemma_.lower() in words.actor_nouns or modified.ent_type_ in {"PERSON", "ORG", "NORP"}):
        return True  # "U.S. forces", "Caracas' Diario 2001 newspaper"
    if _hyphen_adjective(root):
        return True  # "the Buffalo-area doctor", "a London-based charity", "an Iran-backed militia"
    # "a US convoy", "a U.S. airstrike", "the U.S. embassies": a nationality, not a location
    return root.dep_ in {"compound", "amod", "nmod"} and place.precision == "country" and modified.pos_ in {"NOUN", "PROPN"}


def _hyphen_adjective(root: Any) -> bool:
    """The place opens a hyphenated adjective of a person or thing ("Buffalo-area", "Kenya-based")."""
    doc, i = root.doc, root.i
    if i + 2 >= len(doc) or doc[i + 1].text != "-" or root.whitespace_ or doc[i + 1].whitespace_:
        return False
    return doc[i + 2].lower_ in _hyphen_words()


@lru_cache(maxsize=1)
def _hyphen_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_lexicon("event_arguments.yaml")["place_adjective_words"])


def _spread_over(place: Place, article: Article) -> bool:
    """"fires across Russia", "protests throughout Iran": the event is spread over the whole country."""
    words = re.findall(r"[\w'-]+", article.body[max(0, place.start - 24):place.start].lower())
    return bool(words) and words[-1] in _spread_preps() or words[-2:-1] == ["all"] and words[-1:] == ["over"]


@lru_cache(maxsize=1)
def _spread_preps() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_lexicon("event_arguments.yaml")["spread_preps"])


@lru_cache(maxsize=1)
def _route_words() -> tuple[frozenset[str], frozenset[str]]:
    """Events that go from one place to another, and the prepositions of where they went to."""
    data = load_lexicon("event_arguments.yaml")
    return (frozenset(str(w).lower() for w in data["route_events"]),
            frozenset(str(w).lower() for w in data["destination_preps"]))


def _not_a_location(place: Place, root: Any, up_place: list[Any], head: Any) -> bool:
    modified = root.head
    if _modifier_only(place, root):
        return True
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
    """The nearest literal place before the trigger's sentence, noted "from context"; with none, the
    dateline's town (wire copy names where it was filed, and the lead's events happened there)."""
    earlier = [p for p in article.places if p.end <= trigger.sentence_start and p.role == "literal"
               and not _inside_other_name(p, article)]
    if not earlier:
        return dateline_place(article)
    return replace(max(earlier, key=lambda p: p.start), note="from context")


def finer_place(place: Place | None, trigger: Trigger, article: Article) -> Place | None:
    """A country narrowed to the one town the article names in it (or its dateline names):
    "the Tanzania blast" in an article whose only Tanzanian town is Dar es Salaam happened there, as an
    ACLED coder would code it. Two or more such towns leave the place as it is. A region stays a region:
    "the Belgorod region" names more than its chief town, which an article often names too."""
    if place is None or place.precision != "country" or place.country is None or place.note:
        return place  # a place from context is a guess already: not narrowed further
    if _spread_over(place, article):
        return place
    towns: dict[str, Place] = {}
    dateline = dateline_place(article)
    for other in [*article.places, *([dateline] if dateline is not None else [])]:
        if other.role != "literal" or other.precision not in _TOWNS or other.country != place.country:
            continue
        if other is not dateline and _inside_other_name(other, article):
            continue
        towns.setdefault(other.name, other)
    if len(towns) != 1:
        return place
    # The words stay the sentence's own ("Tanzania"), so the place still tells this event from one in
    # another country; only the resolution is the town's, and the note says where it came from.
    town = next(iter(towns.values()))
    note = f"narrowed from {place.name} to {town.name}, the one town the article names there"
    return replace(place, geonameid=town.geonameid, name=town.name, admin1=town.admin1, lat=town.lat,
                   lon=town.lon, feature=town.feature, precision=town.precision,
                   note=f"{place.note}; {note}" if place.note else note)  # "from context" stays first
