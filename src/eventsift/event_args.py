"""Event arguments: who did it to whom, where, when, and how many died, for one event trigger.

Each function takes a :class:`~eventsift.event_types.Trigger` and the article as the reading stages
left it (``article.doc``, ``places``, ``entities``, ``times``, ``quotes``) and reads one argument from
the trigger's own sentence, through the dependency parse. Every value carries the exact words it came
from; where the sentence says nothing, the value stays unknown (``None``) rather than guessed.

- :func:`event_actors`: actor1 (the doer), actor2 (the target actor), associated actors (coordinated
  doers) and targets (non-actor objects), each actor linked to ``article.entities`` by its mention.
- :func:`event_place`: which literal place of the sentence is where the event happened.
- :func:`event_when`: the event's date from the sentence's time expressions, or the publication date
  as the reporting date.
- :func:`event_fatalities`: deaths (and injuries) reported in the sentence, or the next one when it
  carries on the same quote.

The word lists live in data/event_arguments.yaml, data/number_words.yaml and data/casualty_lexicon.yaml.
See docs/event-arguments.md for the rules and their limits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .event_types import Trigger
from .records import Actor, Article, Entity, Fatalities, Place, Span, When

__all__ = ["event_actors", "event_fatalities", "event_place", "event_when"]

log = logging.getLogger(__name__)

_SUBJECTS = frozenset({"nsubj", "csubj"})
_OBJECTS = frozenset({"dobj", "obj", "attr", "oprd"})
# Labels that keep walking up from a place to the word it modifies.
_TRANSPARENT = frozenset({"compound", "pobj", "conj", "appos", "nmod", "amod", "poss", "npadvmod", "case", "cc",
                          "det", "punct", "nummod", "quantmod", "flat"})
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT", "DT", "EX"})
_NP_LEFT = frozenset({"compound", "amod", "nmod", "poss", "case", "nummod", "quantmod", "det", "npadvmod"})
_NOT_SPAN_START = frozenset({"the", "a", "an", "this", "that", "these", "those"})


# --- lexicons ------------------------------------------------------------------------------------


def _load(name: str) -> dict[str, Any]:
    text = resources.files("eventsift.data").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@dataclass(frozen=True)
class _Words:
    locative: frozenset[str]
    origin: frozenset[str]
    place_nouns: frozenset[str]
    target_preps: frozenset[str]
    actor_nouns: frozenset[str]
    generic_modifiers: frozenset[str]
    generic_targets: frozenset[str]
    place_verbs: frozenset[str]
    max_place_score: float
    quantity_nouns: frozenset[str] = frozenset()
    onlooker_verbs: frozenset[str] = frozenset()
    joining_verbs: frozenset[str] = frozenset()
    doer_adjectives: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _words() -> _Words:
    data = _load("event_arguments.yaml")
    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key])

    return _Words(words("locative_preps"), words("origin_preps"), words("place_nouns"), words("target_preps"),
                  words("actor_nouns"), words("generic_modifiers"), words("generic_targets"), words("place_verbs"),
                  float(data["max_place_score"]), words("quantity_nouns"), words("onlooker_verbs"),
                  words("joining_verbs"), words("doer_adjectives"))


# --- shared helpers ------------------------------------------------------------------------------


def _in_sentence(trigger: Trigger, start: int, end: int) -> bool:
    return trigger.sentence_start <= start and end <= trigger.sentence_end


def _span(article: Article, start: int, end: int) -> Span:
    return Span(start, end, article.body[start:end])


def _ancestors(token: Any) -> list[Any]:
    """The token and every head above it, up to the sentence root."""
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def _tree_path(a: Any, b: Any) -> tuple[int, list[Any], list[Any]] | None:
    """Edges between two tokens, with the path up from ``a`` and from ``b`` to their common head."""
    up_a, up_b = _ancestors(a), _ancestors(b)
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in index_b:
            m = index_b[token.i]
            return n + m, up_a[: n + 1], up_b[: m + 1]
    return None


# --- actors --------------------------------------------------------------------------------------


def event_actors(trigger: Trigger, article: Article) -> tuple[Actor | None, Actor | None, list[Actor], list[Span]]:
    """actor1, actor2, associated actors and targets of the event the trigger names.

    actor1 is the doer: the subject of the trigger verb (the agent of a passive), the possessor or a
    compound of a nominal trigger ("the Legion's raid"), or the subject of the verb governing it
    ("X launched a raid"). actor2 is the target actor (object, or "against/on/with X"); coordinated
    doers after the first are associated actors; objects that are no actors are targets. A pronoun or
    short form counts only where the actors stage linked it to an entity; otherwise it stays unknown.
    """
    doc = article.doc
    if doc is None:
        return None, None, [], []
    head = doc[trigger.token_i]
    doers = _doers(head)
    actor1: Actor | None = None
    associated: list[Actor] = []
    for token in doers:
        actor = _actor(token, article, doer=True)
        if actor is None:
            continue
        if actor1 is None:
            actor1 = actor
        elif actor.entity_id is None or actor.entity_id != actor1.entity_id:
            associated.append(actor)
    actor2, targets = _objects(head, article, actor1)
    return actor1, actor2, associated, targets


def _doers(head: Any) -> list[Any]:
    """The tokens naming the doer(s): first the doer, then coordinated ones."""
    first = _doer(head)
    if first is None:
        return []
    return [first, *[t for t in first.conjuncts if t.i > first.i]]


def _doer(head: Any, depth: int = 0) -> Any | None:
    if depth > 3:
        return None
    words = _words()
    children = list(head.children)
    for child in children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _wielder(pobj)
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in children):
        return None  # a passive without "by X": the doer is not said
    subject = next((c for c in children if c.dep_ in _SUBJECTS), None)
    if subject is not None:
        if subject.tag_ in {"WDT", "WP"} and head.dep_ == "relcl":
            antecedent = _copula_subject(head.head)  # "the group that launched raids"
            if antecedent.pos_ == "NOUN" and not _is_people(antecedent):
                return _doer(antecedent, depth + 1) or antecedent  # "sniper shootings that injured"
            return antecedent
        return _counted(subject)
    if head.pos_ in {"NOUN", "PROPN"}:
        if _is_people(head):
            return head  # "protesters" as the trigger: the crowd named is the doer
        modifier = next((c for c in children if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN")
                         or (c.dep_ == "compound" and _is_people(c))
                         or (c.dep_ == "amod" and c.lower_ in words.doer_adjectives)), None)
        if modifier is not None:
            return modifier
        for prep in (c for c in children if c.dep_ == "prep" and c.lower_ in {"by", "between"}):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _counted(pobj)  # "a rally by media workers", "clashes between police and X"
        governor = head.head
        if head.dep_ in _OBJECTS and governor.pos_ in {"VERB", "AUX"}:
            by = next((c for c in governor.children if c.dep_ in {"prep", "agent"} and c.lower_ == "by"), None)
            pobj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            if pobj is not None and _is_people(_counted(pobj)):
                return _counted(pobj)  # "X attended a rally Thursday by media workers"
            if governor.lemma_.lower() not in words.onlooker_verbs:
                return _doer(governor, depth + 1)  # "X launched a raid"
        if head.dep_ == "pobj" and governor.dep_ == "prep" and governor.lower_ in {"on", "in", "into"}:
            joined = governor.head  # "X set off on a march", "X took part in a rally"
            if joined.lemma_.lower() in words.joining_verbs:
                if joined.pos_ in {"NOUN", "PROPN"} and joined.dep_ in _OBJECTS:
                    joined = joined.head
                if joined.pos_ in {"VERB", "AUX"}:
                    return _doer(joined, depth + 1)
        return None
    if head.dep_ == "acl" and head.tag_ == "VBG" and head.head.pos_ in {"NOUN", "PROPN"}:
        return head.head  # "exiles protesting in Miami"
    if head.dep_ in {"xcomp", "conj", "advcl"} and head.head.pos_ in {"VERB", "AUX"}:
        return _doer(head.head, depth + 1)  # "X went on to attack", "X stormed and burned"
    return None


def _is_people(token: Any) -> bool:
    """A common noun (or adjective: "terrorist bombings") that names people or a group."""
    nouns = _words().actor_nouns
    return token.pos_ in {"NOUN", "ADJ"} and (token.lemma_.lower() in nouns or token.lower_ in nouns)


def _counted(token: Any) -> Any:
    """"hundreds of protesters", "a group of gunmen": the people counted, not the count."""
    for _ in range(3):
        if token.lemma_.lower() not in _words().quantity_nouns and token.pos_ != "NUM":
            break
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is None:
            break
        token = pobj
    return token


def _wielder(token: Any) -> Any:
    """"by a sniper's bullet": the one whose weapon it was, where the agent itself is no actor."""
    if _is_people(token) or token.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}:
        return _counted(token)
    owner = next((c for c in token.children if c.dep_ == "poss" and c.tag_ not in _PRONOUN_TAGS), None)
    return owner if owner is not None else token


def _copula_subject(noun: Any) -> Any:
    """"X is one such group that ...": X; any other noun stays itself."""
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        subject = next((c for c in noun.head.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            return subject
    return noun


def _objects(head: Any, article: Article, actor1: Actor | None) -> tuple[Actor | None, list[Span]]:
    """actor2 and the targets: objects of the trigger, passive subjects, "against/on/with X"."""
    words = _words()
    tokens = [c for c in head.children if c.dep_ in _OBJECTS or c.dep_ == "nsubjpass"]
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in words.target_preps):
        tokens.extend(c for c in prep.children if c.dep_ == "pobj")
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "between"):
        tokens.extend(t for c in prep.children if c.dep_ == "pobj" for t in c.conjuncts)  # "between X and Y": Y
    actor2: Actor | None = None
    targets: list[Span] = []
    for token in tokens:
        for item in [token, *token.conjuncts]:
            if _is_place(item, article):
                continue
            actor = _actor(item, article)
            if actor is not None and _is_actorish(item, actor):
                if actor2 is None and (actor1 is None or actor.entity_id is None or actor.entity_id != actor1.entity_id) \
                        and (actor1 is None or actor.span != actor1.span):
                    actor2 = actor
                continue
            target = _target(item, article)
            if target is not None and target not in targets:
                targets.append(target)
    return actor2, targets


def _is_actorish(token: Any, actor: Actor) -> bool:
    return actor.entity_id is not None or token.lemma_.lower() in _words().actor_nouns or token.lower_ in _words().actor_nouns


def _is_place(token: Any, article: Article) -> bool:
    start = token.idx
    return any(p.start <= start < p.end for p in article.places if p.role == "literal")


def _np_bounds(token: Any) -> tuple[int, int]:
    """Character bounds of the noun phrase headed by ``token``, without a leading article."""
    left = token
    for child in token.lefts:
        if child.dep_ in _NP_LEFT:
            left = min(left, child.left_edge, key=lambda t: t.i)
            break
    doc = token.doc
    i = left.i
    while i < token.i and (doc[i].lower_ in _NOT_SPAN_START or doc[i].is_punct):
        i += 1
    return doc[i].idx, token.idx + len(token)


def _mention_of(article: Article, start: int, end: int, head_start: int) -> tuple[Entity, Span] | None:
    best: tuple[int, Entity, Span] | None = None
    for entity in article.entities:
        for mention in entity.mentions:
            if mention.start < end and start < mention.end:
                rank = 0 if mention.start <= head_start < mention.end else 1
                if best is None or rank < best[0]:
                    best = (rank, entity, mention)
    return (best[1], best[2]) if best else None


def _actor(token: Any, article: Article, doer: bool = False) -> Actor | None:
    """The actor a token names: its entity where a mention covers it; a group noun; else None.

    A country named as the doer ("U.S. missile attacks", "Russia shelled the town") is an actor too: its
    state or forces, as ACLED codes it; a town or region ("the Orlando massacre") is where, not who, and
    as an object a country is more often a place.
    """
    start, end = _np_bounds(token)
    linked = _mention_of(article, start, end, token.idx)
    if linked is not None:
        entity, mention = linked
        return Actor(entity.id, entity.name, entity.kind, mention)
    if token.tag_ in _PRONOUN_TAGS or token.pos_ == "PRON":
        return None  # an unlinked pronoun: unknown, not invented
    lemma = token.lemma_.lower()
    state = doer and token.ent_type_ == "GPE" and _is_state(token, article)
    if lemma in _words().actor_nouns or token.lower_ in _words().actor_nouns or token.ent_type_ in {"PERSON", "ORG", "NORP"} \
            or state:
        return Actor(None, article.body[start:end], None, _span(article, start, end))
    return None


def _is_state(token: Any, article: Article) -> bool:
    """The token names a country, or a place standing for its state ("Moscow's war effort")."""
    return any(p.start <= token.idx < p.end and (p.precision == "country" or p.role == "metonymic") for p in article.places)


def _target(token: Any, article: Article) -> Span | None:
    if token.pos_ not in {"NOUN", "PROPN"} or token.tag_ in _PRONOUN_TAGS:
        return None
    if token.ent_type_ in {"DATE", "TIME"}:  # "struck a depot late on Monday": a when, not a target
        return None
    words = _words()
    if token.lemma_.lower() in words.generic_targets and any(c.lower_ in words.generic_modifiers for c in token.lefts):
        return None
    start, end = _np_bounds(token)
    return _span(article, start, end)


# --- place ---------------------------------------------------------------------------------------


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
    in_sentence = [p for p in article.places if _in_sentence(trigger, p.start, p.end) and p.role == "literal"
                   and not _inside_other_name(p, article)]
    scored: list[tuple[float, int, Place]] = []
    for place in in_sentence:
        score = _place_score(place, head, doc)
        if score is not None:
            scored.append((score, place.start, place))
    if scored:
        return min(scored, key=lambda s: (s[0], s[1]))[2]
    if in_sentence:
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
    path = _tree_path(root, head)
    if path is None:  # parsed as another sentence: as far as the two roots
        up_place, up_head = _ancestors(root), _ancestors(head)
        path = (len(up_place) + len(up_head) + 1, up_place, up_head)
    distance, up_place, _up_head = path
    if _not_a_location(place, root, up_place, head):
        return None
    words = _words()
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
    if any(t.dep_ in _SUBJECTS for t in up_place[1:-1]):
        score += 2.0  # inside the subject: "residents of X protested"
    if root.dep_ == "poss" and root.head.lemma_.lower() in words.place_nouns:
        score += 2.0  # "Iraq's northern city of Mosul": the container of a nearer place
    return score if score <= words.max_place_score else None


def _not_a_location(place: Place, root: Any, up_place: list[Any], head: Any) -> bool:
    words = _words()
    modified = root.head
    if root.dep_ in {"compound", "amod", "poss", "nmod"} and (
            modified.lemma_.lower() in words.actor_nouns or modified.ent_type_ in {"PERSON", "ORG", "NORP"}):
        return True  # "U.S. forces", "Caracas' Diario 2001 newspaper"
    if root.dep_ in {"compound", "amod", "nmod"} and place.precision == "country" and modified.pos_ in {"NOUN", "PROPN"}:
        return True  # "a US convoy", "a U.S. airstrike": a nationality, not a location
    if root.dep_ in _SUBJECTS and modified.i == head.i:
        return True  # "Israel captured ...": the doer, not the place
    return any(t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"} for t in up_place[1:-1])  # a sibling event


def _clause_penalty(up_place: list[Any]) -> float:
    """Places under another verb than the trigger belong less to it: "when their convoy hit a bomb
    near X" still places the event, "the Taliban, which control X" does not."""
    penalty = 0.0
    words = _words()
    for token in up_place[1:-1]:
        if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() in words.place_verbs:
            continue
        penalty += 3.0 if token.dep_ == "relcl" and token.head.dep_ in _SUBJECTS else 1.0
    return penalty


def _governing_prep(up_place: list[Any], words: _Words) -> str | None:
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
        if token.dep_ not in _TRANSPARENT and token.pos_ not in {"NOUN", "PROPN"}:
            return None
    return None


def _bare_penalty(root: Any, up_place: list[Any]) -> float:
    """A place with no preposition: an object of the trigger ("stormed Gaza") is fine; a modifier of a
    noun ("Caracas' newspaper") or a subject is weak."""
    if root.dep_ in {"dobj", "nsubjpass"} and len(up_place) == 2:
        return 0.0
    if root.dep_ in {"poss", "compound", "amod", "nmod"} and root.head.lemma_.lower() not in _words().place_nouns:
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


# --- when ----------------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_FUTURE_AUX = frozenset({"will", "would", "could", "might", "may", "shall", "should", "'ll"})
_REPORTED_NOTE = "no date in the text; publication date"


def event_when(trigger: Trigger, article: Article) -> When | None:
    """The event's date: from its own clause, then its sentence, then the article, then publication.

    The time words nearest the trigger's own clause win ("marched Friday"); then a time of the
    sentence on a clause that governs the trigger, but not one on a verb of saying ("an official
    said Friday") nor across "after"/"for"/"following" to a noun event that is another event. An
    event with no time words of its own takes the date of a dated mention of the same kind of
    happening elsewhere in the article ("the bombing" ... "the Aug. 7 bombings"); else, when it is
    the article's news, the date of the lead, then the publication date (precision "reported", note
    saying so). A background event (a relative clause, a noun after "after"/"for"/"following") with
    no date of its own stays None, as does a future event.

    A TimeML date becomes start (and end for ranges: "since X" runs from X to the publication date);
    "now"/"at the moment" (PRESENT_REF) is the publication date, at day precision.
    """
    doc = article.doc
    if doc is None:
        return _reported(trigger, article)
    head = doc[trigger.token_i]
    own = _own_when(head, article, trigger.sentence_start, trigger.sentence_end)
    if own is not None and own.precision in {"month", "week"} and own.start:
        same = _same_event_when(head, article)  # "the bombing last month" + "the Aug. 7 bombings"
        if same is not None and same.start and same.start[:len(own.start)] == own.start:
            return replace(same, note=None)
    if own is not None:
        return own
    if _is_future(trigger, article):
        return None
    background = is_background_shaped(head)
    news = _in_first_paragraph(trigger.sentence_start, article) and not background
    lead = lead_when(article) if news else None
    if lead is not None:
        return replace(lead, note=_LEAD_NOTE)
    same = None if news else _same_event_when(head, article)  # the lead's news is not its background
    if same is not None:
        return same
    if background:
        return None
    return _reported(trigger, article)


_LEAD_NOTE = "no date in its sentence; the date of the article's lead"
_SAME_NOTE = "no date in its sentence; the date of another mention of the same event"


def _reported(trigger: Trigger, article: Article) -> When | None:
    if article.published and not _is_future(trigger, article):
        return When(article.published, None, "reported", None, None, _REPORTED_NOTE)
    return None


@lru_cache(maxsize=1)
def _time_words() -> dict[str, Any]:
    data = _load("event_time.yaml")
    families: dict[str, set[str]] = {}
    for group in data["same_event_lemmas"]:
        for lemma in group:
            families.setdefault(str(lemma), set()).update(str(w) for w in group)
    return {"relational": frozenset(str(w).lower() for w in data["relational_preps"]),
            "reporting": frozenset(str(w).lower() for w in data["reporting_verbs"]),
            "families": {k: frozenset(v) for k, v in families.items()}}


_CLAUSE_DEPS = frozenset({"ccomp", "relcl", "acl", "advcl", "csubj", "csubjpass", "parataxis", "pcomp"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "appos", "conj", "compound"})


def _relational_prep(token: Any) -> bool:
    """True for a noun governed by "after", "following", "in response to", ... (another event's time)."""
    if token.dep_ != "pobj":
        return False
    prep = token.head
    words = _time_words()["relational"]
    if prep.lower_ in words:
        return True
    chain = [prep.lower_]
    node = prep
    for _ in range(3):  # "in response to", "responsible for", "in the wake of"
        if node.i == node.head.i:
            break
        node = node.head
        chain.insert(0, node.lower_)
        if " ".join(chain) in words or " ".join([node.lower_, "the", *chain[1:]]) in words:
            return True
        if node.dep_ == "prep" or node.pos_ in {"VERB", "AUX"}:
            break
    return False


def _after_clause(token: Any) -> bool:
    """A clause or noun introduced by "after", "since", "before": "one year after he was killed"."""
    words = _time_words()["relational"]
    if token.dep_ in {"pcomp", "pobj"} and token.head.lower_ in words:
        return True
    return token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in words for c in token.children)


def _anchor(head: Any) -> Any:
    """The token whose clause is the event's: the verb of a noun that is its subject, object or place."""
    token = head
    for _ in range(4):
        if token.pos_ in {"VERB", "AUX"}:
            return token
        if token.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "oprd"} and token.head.pos_ in {"VERB", "AUX"}:
            # "condemned the attacks": the verb of a reaction dates the reaction, not the attacks
            return token if token.head.lemma_.lower() in _time_words()["reporting"] else token.head
        if token.dep_ in {"compound", "amod", "conj", "appos"}:
            token = token.head
            continue
        if token.dep_ == "pobj" and not _relational_prep(token) and token.head.head.pos_ in {"VERB", "AUX"}:
            return token.head.head
        return token
    return token


def _clause_of(anchor: Any) -> set[int]:
    """Token indices of the anchor's clause: its subtree without nested clauses, and conjoined verbs."""
    top = anchor
    while top.dep_ in {"conj", "xcomp"} and top.head.pos_ in {"VERB", "AUX"}:
        top = top.head
    keep: set[int] = set()
    stack = [top]
    while stack:
        token = stack.pop()
        keep.add(token.i)
        for child in token.children:
            if child.dep_ in _CLAUSE_DEPS or (child.dep_ == "pobj" and _relational_prep(child)) or (
                    child.dep_ == "prep" and child.lower_ in _time_words()["relational"]):
                continue
            stack.append(child)
    return keep


def _own_when(head: Any, article: Article, start: int, end: int) -> When | None:
    """The date from the time words of the trigger's own clause, else of a clause governing it."""
    doc = article.doc
    times = [t for t in article.times if start <= t.start and t.end <= end and t.type in {"DATE", "TIME"}]
    if not times:
        return None
    anchor = _anchor(head)
    clause = _clause_of(anchor) | {t.i for t in head.subtree}
    governing = _governing_clauses(anchor)
    background = is_background_shaped(head)
    ranked: list[tuple[int, int, Any]] = []
    for time in times:
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        if root.i in clause or any(t.i in clause for t in span):
            tier = 0
        elif any(root.i in c for c in governing):
            tier = 1
        elif not background and not _on_reporting_verb(root):
            tier = 2  # a time elsewhere in the sentence, when nothing ties it to another event
        else:
            continue
        ranked.append((tier, _time_distance(time.start, time.end, head, doc), time))
    ranked.sort(key=lambda r: (r[0], r[1], abs(r[2].start - head.idx)))
    for _, _, time in ranked:
        when = _when_from_value(time.value, time.precision, article.published)
        if when is not None:
            return replace(when, text=time.text, span=time.span)
    return None


def _on_reporting_verb(token: Any) -> bool:
    reporting = _time_words()["reporting"]
    for node in [token, *list(token.ancestors)[:3]]:
        if node.pos_ in {"VERB", "AUX"}:
            return bool(node.lemma_.lower() in reporting)
    return False


def _governing_clauses(anchor: Any) -> list[set[int]]:
    """The clauses above the anchor's own, up to a verb of saying or an "after"/"for" noun link."""
    reporting = _time_words()["reporting"]
    out: list[set[int]] = []
    token = anchor
    for _ in range(6):
        if (token.dep_ == "pobj" and _relational_prep(token)) or _after_clause(token):
            break
        if token.dep_ in {"relcl", "acl"} and not _when_clause(token):
            break
        parent = token.head
        if parent.i == token.i:
            break
        if parent.pos_ in {"VERB", "AUX"}:
            if parent.lemma_.lower() in reporting:
                break
            out.append(_clause_of(parent))
        token = parent
    return out


def is_background_shaped(head: Any) -> bool:
    """An event told as background: in a relative clause ("a doctor who was killed by a sniper"), or a
    noun event after "after", "following", "for", "in response to" ("met after the bombings")."""
    token = head
    for _ in range(8):
        if (token.dep_ == "pobj" and _relational_prep(token)) or _after_clause(token):
            return True
        if (token.dep_ == "relcl" and not _progressive(token) and not _when_clause(token)) or (token.dep_ == "advcl" and any(
                c.lower_ in {"where", "when"} and c.dep_ == "advmod" for c in token.children)
                and token.head.pos_ in {"NOUN", "PROPN", "ADV"}):
            return True
        if token.dep_ in {"ccomp", "ROOT"} or token.head.i == token.i:
            return False
        token = token.head
    return False


def _when_clause(verb: Any) -> bool:
    """"an explosion, when he stepped on a mine": a clause told at the time of what it hangs on."""
    return any(c.dep_ == "advmod" and c.lower_ in {"when", "while", "as"} for c in verb.children)


def _progressive(verb: Any) -> bool:
    """"demonstrators who were protesting": a relative clause told at the time of its noun's clause."""
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)


def _same_event_when(head: Any, article: Article) -> When | None:
    """The own date of another mention of the same kind of happening in the article."""
    doc = article.doc
    lemma = head.lemma_.lower()
    family = _time_words()["families"].get(lemma, frozenset({lemma}))
    for sent in doc.sents:
        for token in sent:
            if token.i == head.i or token.lemma_.lower() not in family:
                continue
            when = _own_when(token, article, sent.start_char, sent.end_char)
            if when is not None and when.precision != "range" and when.start:
                if article.published and when.start > article.published:
                    continue
                return replace(when, note=_SAME_NOTE)
    return None


def lead_sentences(article: Article) -> list[tuple[int, int]]:
    """The lead: the article's first sentence, and the next one when the first is a short headline."""
    if article.doc is None:
        return []
    out = []
    for sent in article.doc.sents:
        words = [t for t in sent if t.is_alpha]
        if not words:
            continue
        out.append((sent.start_char, sent.end_char))
        if len(out) == 2 or len(words) >= _HEADLINE_WORDS:
            break
    return out


_HEADLINE_WORDS = 12  # a first "sentence" shorter than this is read as a headline


_LEAD_PARAGRAPH_SENTENCES = 3  # the lead paragraph's date dates at most its first three sentences


def _in_first_paragraph(start: int, article: Article) -> bool:
    """In the lead sentences, or in the first three sentences of an article's first paragraph."""
    if in_lead(start, article):
        return True
    if article.doc is None:
        return False
    body = article.body
    first = body.lstrip()
    offset = len(body) - len(first)
    cut = first.find("\n\n")
    end = offset + (cut if cut >= 0 else len(first))
    sents = [sent for sent in article.doc.sents if sent.text.strip()][:_LEAD_PARAGRAPH_SENTENCES]
    return any(sent.start_char <= start < sent.end_char and sent.end_char <= end + 1 for sent in sents)


def in_lead(start: int, article: Article) -> bool:
    return any(a <= start < b for a, b in lead_sentences(article))


def lead_when(article: Article) -> When | None:
    """The lead's date: its first day-precise time words on or before publication."""
    for a, b in lead_sentences(article):
        for time in article.times:
            if not (a <= time.start and time.end <= b) or time.type not in {"DATE", "TIME"}:
                continue
            when = _when_from_value(time.value, time.precision, article.published)
            if when is None or when.precision != "day" or not when.start:
                continue
            if article.published and when.start > article.published:
                continue
            return replace(when, text=time.text, span=time.span)
    return None


def _time_distance(start: int, end: int, head: Any, doc: Any) -> int:
    span = doc.char_span(start, end, alignment_mode="expand")
    path = _tree_path(span.root, head) if span is not None and len(span) else None
    return path[0] if path else 99


def _when_from_value(value: str | None, precision: str, published: str | None) -> When | None:
    """A TimeML value as a When; None where it names no date (PAST_REF, durations)."""
    if not value:
        return None
    if value == "PRESENT_REF":
        if published:
            return When(published, None, "day", None)
        return When(None, None, "unknown", None, note="'now' with no publication date")
    if "/" in value:
        first, last = value.split("/", 1)
        start, end = _date_part(first), _date_part(last)
        if start is None and end is None:
            return None
        return When(start, end, "range", None)
    week = _WEEK.match(value)
    if week:
        monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        return When(monday.isoformat(), (monday + timedelta(days=6)).isoformat(), "week", None)
    season = _SEASON.match(value)
    if season:  # "last fall": the year is known, the months only roughly
        return When(season[1], None, "year", None)
    quarter = _QUARTER.match(value)
    if quarter:
        first_month = 3 * int(quarter[2]) - 2
        return When(f"{quarter[1]}-{first_month:02d}", f"{quarter[1]}-{first_month + 2:02d}", "quarter", None)
    part = _date_part(value)
    if part is None:
        return None
    return When(part, None, _precision_of(part, precision), None)


def _date_part(value: str) -> str | None:
    head = value.split("T", 1)[0]
    return head if _DATE.match(head) else None


def _precision_of(value: str, given: str) -> str:
    if given in {"day", "month", "year"} or given not in {"time", "unknown"}:
        by_length = {4: "year", 7: "month", 10: "day"}
        return by_length.get(len(value), given)
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "unknown")


def _is_future(trigger: Trigger, article: Article) -> bool:
    if article.doc is None:
        return False
    head = article.doc[trigger.token_i]
    verb = head if head.pos_ in {"VERB", "AUX"} else head.head
    return any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in verb.children)


# --- fatalities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Count:
    value: int | None
    low: int | None
    high: int | None
    qualifier: str | None
    start: int
    end: int


@lru_cache(maxsize=1)
def _casualty_words() -> dict[str, Any]:
    return _load("casualty_lexicon.yaml")


@lru_cache(maxsize=1)
def _numbers() -> dict[str, Any]:
    return _load("number_words.yaml")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    nums = _numbers()
    words = _casualty_words()
    unit = "|".join(sorted((re.escape(w) for w in nums["units"]), key=len, reverse=True))
    mult = "|".join(re.escape(w) for w in nums["multipliers"])
    word_number = rf"(?:(?:{unit})(?:[\s-]+(?:{unit}))*(?:\s+(?:{mult}))?(?:\s+(?:and\s+)?(?:{unit}))*)"
    number = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{word_number})"
    vague = "|".join(sorted((re.escape(w) for w in nums["vague"]), key=len, reverse=True))
    bound = "|".join(sorted((re.escape(w) for w in nums["bounds"]), key=len, reverse=True))
    quantity = (rf"(?:(?P<bound>{bound})\s+)?(?:between\s+(?P<lo>{number})\s+and\s+(?P<hi>{number})"
                rf"|(?P<lo2>\d+)\s*(?:-|–|to)\s*(?P<hi2>\d+)|(?P<num>{number})|(?P<vague>{vague}))")
    people = "|".join(re.escape(w) for w in words["people_words"])
    filler = r"(?:[\w’'-]+\s+){0,3}?"
    death = "|".join(sorted((re.escape(w) for w in words["death_words"]), key=len, reverse=True))
    injury = "|".join(sorted((re.escape(w) for w in words["injury_words"]), key=len, reverse=True))
    verb_link = r"(?:\s+(?:were|was|have\s+been|has\s+been|had\s+been|are|is|being|been|reportedly|also|"
    verb_link += r"later|all|reported|confirmed|believed|feared|found|now|said\s+to\s+have\s+been))*"
    # "killed 130 in Paris", "killing 3 on Monday": a bare number read as people where a clause goes on.
    after_bare = r"(?=\s*(?:[,.;:)]|and\b|$|(?:in|at|near|on|across|during|since|after|before|when|while|" \
                 r"including|among|as|last|this|overnight|yesterday|today)\b))"

    not_sentence = r"(?!\s+(?:sentence|imprisonment|term)\b)"  # "a life sentence" counts nobody

    def forms(kind: str) -> list[re.Pattern[str]]:
        """"12 civilians were killed" / "3 dead"; "killing 5 people"; "the death toll rose to 7"."""
        flags = re.IGNORECASE
        return [
            re.compile(rf"\b{quantity}(?:\s+{filler}(?:{people})\b)?{verb_link}\s+(?:{kind})\b{not_sentence}", flags),
            re.compile(rf"\b(?:{kind})\s+(?:an?\s+estimated\s+)?{quantity}\b(?:\s+{filler}(?:{people})\b|{after_bare})", flags),
            re.compile(rf"\b(?:death\s+toll|toll)\s+(?:\w+\s+){{0,3}}?(?:to|of|at)\s+{quantity}\b", flags),
            # "the death toll in the blast, initially 10, has risen to 12": the latest figure
            re.compile(rf"\b(?:death\s+toll|toll)\b[^.;]{{0,80}}?\b(?:rose|risen|climbed|increased|jumped|grew|"
                       rf"reached|stood|stands|hit)\s+(?:to\s+|at\s+)?{quantity}\b", flags),
        ]

    zero = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in words["zero_phrases"]) + r")\b", re.IGNORECASE)
    return {"death": forms(death), "injury": forms(injury), "zero": [zero]}


def event_fatalities(trigger: Trigger, article: Article) -> Fatalities | None:
    """Deaths reported for the event, from its sentence (or the next, when it carries on the quote).

    Reads digits and number words, ranges ("between 3 and 5", "3-5"), bounds ("at least 4" -> low),
    vague quantities ("dozens" -> low 24, qualifier "dozens", value None: no exact number) and "no
    casualties" (0). Injuries go to ``injured``. Dead of the speaker's own side, reported in its
    statement, get the qualifier "own soldiers". A count must be this event's: not a date's number
    ("on Aug. 7 killed"), not the toll of another event noun it hangs on ("died in a shootout following
    the attack that left 14 dead"). The next sentence counts when it carries on the quote, or when it
    only gives the toll ("Russian forces shelled X. A civilian was killed."). With no number, the persons
    a death word of the event names count one each ("shot and killed a doctor", "X and his wife died").
    None where the text gives no count.
    """
    for start, end in _fatality_scopes(trigger, article):
        found = _fatalities_in(article, start, end, trigger)
        if found is not None:
            if found.value == 1 and found.qualifier is None:  # "killing a student and his cousin": both
                named = _named_victims(trigger, article)
                if named is not None and (named.value or 0) > 1:
                    return named
            return found
    return _named_victims(trigger, article)


def _fatality_scopes(trigger: Trigger, article: Article) -> list[tuple[int, int]]:
    scopes = [(trigger.sentence_start, trigger.sentence_end)]
    following = _next_sentence(trigger, article)
    if following is not None and (_same_quote(trigger, following, article) or _toll_sentence(trigger, following, article)):
        scopes.append(following)
    return scopes


def _toll_sentence(trigger: Trigger, following: tuple[int, int], article: Article) -> bool:
    """The next sentence only gives the toll: "Russian forces shelled X. A civilian was killed." It names
    no other event (its only event words are deaths and injuries), no place the trigger's sentence does
    not, and does not open on another event ("In another attack", "Separately", "Last year")."""
    doc = article.doc
    if doc is None:
        return False
    from .event_types import sentence_triggers

    text = article.body[following[0]:following[1]].lstrip(" \t\n\"'`“‘").lower()
    openers = _casualty_words().get("other_event_openers") or []
    if any(re.match(rf"{re.escape(str(w))}\b", text) for w in openers):
        return False
    span = doc.char_span(following[0], following[1], alignment_mode="expand")
    if span is None:
        return False
    casualty = _casualty_lemmas()
    if any(doc[t.token_i].lemma_.lower() not in casualty for t in sentence_triggers(span, article.body, keep_all=True)):
        return False
    for token in span:  # "were killed near A, B and C": a toll spread over several places
        if token.dep_ == "pobj" and token.head.lower_ in _words().locative and token.pos_ == "PROPN" and any(
                c.pos_ == "PROPN" for c in token.conjuncts):
            return False
    own_times = {t.text.lower() for t in article.times if _in_sentence(trigger, t.start, t.end)}
    if any(following[0] <= t.start and t.end <= following[1] and t.type in {"DATE", "TIME"}
           and t.text.lower() not in own_times for t in article.times):
        return False  # "Rebels attacked X last year. On Monday 5 soldiers were killed": another time
    own = {p.name for p in article.places if _in_sentence(trigger, p.start, p.end)}
    return not any(p.name not in own for p in article.places
                   if following[0] <= p.start and p.end <= following[1] and p.role == "literal")


def _next_sentence(trigger: Trigger, article: Article) -> tuple[int, int] | None:
    doc = article.doc
    if doc is None:
        return None
    sentence = doc[trigger.token_i].sent
    if sentence.end >= len(doc):
        return None
    nxt = doc[sentence.end].sent
    return nxt.start_char, nxt.end_char


def _same_quote(trigger: Trigger, following: tuple[int, int], article: Article) -> bool:
    """The next sentence continues the trigger's quote (one statement, one event)."""
    for quote in article.quotes:
        content = quote.content
        if content.start <= trigger.start < content.end and content.start < following[1] and following[0] < content.end:
            return True
    return False


def _fatalities_in(article: Article, start: int, end: int, trigger: Trigger | None = None) -> Fatalities | None:
    """The first death count of the text that is this event's: not a date ("on Aug. 7 killed"), not
    the toll of another event the sentence names ("died in a shootout after the attack that left 14
    dead": the 14 are the attack's)."""
    text = article.body[start:end]
    patterns = _patterns()

    def keep(a: int, b: int) -> bool:
        return not _is_date_number(article, start + a, start + b) and (
            trigger is None or _toll_of(trigger, article, start + a, start + b))

    zero = patterns["zero"][0].search(text)
    deaths = _first_count(patterns["death"], text, keep)
    injuries = _first_count(patterns["injury"], text, keep)
    if deaths is None and zero is None:
        return None
    if deaths is None or (zero is not None and zero.start() < deaths.start):
        assert zero is not None
        own = _own_side(article, start + zero.start(), start + zero.end(), text[zero.end():zero.end() + 30])
        return Fatalities(0, 0, 0, own, _span(article, start + zero.start(), start + zero.end()),
                          injured=0 if "injur" in zero.group(0).lower() else None)
    injured = injuries.value if injuries is not None and injuries.start != deaths.start else None
    return Fatalities(deaths.value, deaths.low, deaths.high, deaths.qualifier,
                      _span(article, start + deaths.start, start + deaths.end), injured=injured)


def _first_count(patterns: list[re.Pattern[str]], text: str,
                 keep: Callable[[int, int], bool] | None = None) -> _Count | None:
    """The earliest count any of the forms reads in the text (that ``keep`` accepts)."""
    found: list[_Count] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            count = _count(match)
            if count is not None and (keep is None or keep(match.start(), match.end())):
                found.append(count)
                break
    return min(found, key=lambda c: c.start) if found else None


def _count(match: re.Match[str]) -> _Count | None:
    groups = match.groupdict()
    bound = (groups.get("bound") or "").lower() or None
    bounds: dict[str, str] = _numbers()["bounds"]
    if groups.get("lo") or groups.get("lo2"):
        low = _number(groups.get("lo") or groups.get("lo2") or "")
        high = _number(groups.get("hi") or groups.get("hi2") or "")
        return _Count(None, low, high, "range", match.start(), match.end())
    if groups.get("vague"):
        word = groups["vague"].lower()
        floor = _numbers()["vague"].get(word)
        return _Count(None, floor, None, word, match.start(), match.end())
    value = _number(groups.get("num") or "")
    if value is None:
        return None
    kind = bounds.get(bound) if bound else None
    if kind == "low":
        return _Count(value, value, None, bound, match.start(), match.end())
    if kind == "high":
        return _Count(None, None, value, bound, match.start(), match.end())
    return _Count(value, value, value, bound, match.start(), match.end())


def _number(text: str) -> int | None:
    """Digits ("1,200") or number words ("twenty-three", "two hundred and five")."""
    text = text.strip().lower()
    if not text:
        return None
    if text.replace(",", "").isdigit():
        return int(text.replace(",", ""))
    units: dict[str, int] = _numbers()["units"]
    multipliers: dict[str, int] = _numbers()["multipliers"]
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text):
        if word == "and":
            continue
        if word in units:
            current += units[word]
        elif word in multipliers:
            total += max(current, 1) * multipliers[word]
            current = 0
        else:
            return None
    return total + current


def _own_side(article: Article, start: int, end: int, after: str) -> str | None:
    """'own soldiers' where a side's own statement says its soldiers were not (or were) hurt."""
    inside_quote = any(q.content.start <= start and end <= q.content.end for q in article.quotes)
    words = _casualty_words()["own_side_words"]
    following = re.findall(r"[\w’']+", (article.body[start:end] + " " + after).lower())
    if inside_quote and any(w in words for w in following[:8]):
        return "own soldiers"
    return None


_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|febr|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
                           r"may|june|july|august|september|october|november|december)\.?\s*$", re.IGNORECASE)


def _is_date_number(article: Article, start: int, end: int) -> bool:
    """The count's number is a day of a date: "on Aug. 7 killed 258 people" read as "7 killed"."""
    if any(t.start < end and start < t.end and t.type in {"DATE", "TIME"} for t in article.times):
        return True
    return bool(_MONTH_BEFORE.search(article.body[max(0, start - 12):start]))


def _casualty_lemmas() -> frozenset[str]:
    words = _casualty_words()
    return frozenset(str(w).lower() for w in [*words["death_words"], *words["injury_words"]])


def _toll_of(trigger: Trigger, article: Article, start: int, end: int) -> bool:
    """The casualty words at start:end report this trigger's event: the way between them in the parse
    passes through no other event noun ("died in a shootout following the attack that left 14 dead")."""
    doc = article.doc
    if doc is None:
        return True
    from .event_types import load_lexicon

    lexicon = load_lexicon().rules
    casualty = _casualty_lemmas()
    head = doc[trigger.token_i]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return True
    words = [t for t in span if t.lemma_.lower() in casualty or t.lower_ in casualty]
    if not words:
        return True
    path = _tree_path(words[0], head)
    if path is None:
        return True
    _, up_word, _up_head = path
    # Only event nouns the toll hangs on before it reaches the trigger's branch count: "killed in an
    # explosion as a result of mishandling a grenade" tells the grenade's toll (the grenade is in the
    # explosion's words); "died in a shootout following the attack that left 14 dead" does not.
    between = list(up_word[1:-1])
    if len(up_word) >= 2 and up_word[-2].dep_ in {"relcl", "acl"}:
        between.append(up_word[-1])  # "the attack that left 14 dead", the trigger inside its words
    conjoined = {t.i for t in head.conjuncts}
    for token in between:
        if token.i in {head.i, words[0].i} or token.i in conjoined:
            continue
        lemma = token.lemma_.lower()
        if token.pos_ in {"NOUN", "PROPN"} and lemma in lexicon and lemma not in casualty:
            return False
    return True


def _victim_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    words = _casualty_words()

    def lower(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in words.get(key) or [])

    people = lower("person_nouns") | lower("people_words")
    return lower("victim_verbs"), lower("victim_nouns"), lower("to_death_verbs"), people, lower("one_person_words")


def _named_victims(trigger: Trigger, article: Article) -> Fatalities | None:
    """Where no number is given: the persons a death word of this event names, one each ("a sniper
    shot and killed a doctor": 1; "X and his wife died in a shootout": 2). A plural with no number
    ("killed civilians"), "they" or a group stays unknown."""
    doc = article.doc
    if doc is None:
        return None
    head = doc[trigger.token_i]
    bases = [head]
    if head.dep_ in {"nsubj", "nsubjpass", "dobj"}:
        bases.append(head.head)  # "the bombing killed ...", "opened fire, killing ..."
    elif head.dep_ == "pobj" and head.head.dep_ == "prep":
        bases.append(head.head.head)  # "died in a shootout"
    candidates: list[Any] = []
    for base in bases:
        for token in [base, *[c for c in base.children if c.dep_ in {"conj", "advcl", "xcomp", "relcl", "acl"}],
                      *base.conjuncts]:
            if token not in candidates:
                candidates.append(token)
    for token in candidates:
        if not (trigger.sentence_start <= token.idx < trigger.sentence_end):
            continue
        victims = _victims(token)
        if not victims:
            continue
        count = _person_count(victims, token.lemma_.lower() in _victim_words()[4])
        if count is None:
            return None
        first = min([token, *victims], key=lambda t: t.left_edge.i).left_edge if victims[0].i < token.i else token
        last = max([token, *victims], key=lambda t: t.i)
        return Fatalities(count, count, count, None, _span(article, first.idx, last.idx + len(last)))
    return None


def _victims(token: Any) -> list[Any]:
    """Who died by this death word: the object of "kill", the subject of "was killed" or "died", the
    "of" object or possessor of "murder"; the antecedent of "who"."""
    verbs, nouns, to_death, _people, _one = _victim_words()
    lemma = token.lemma_.lower()
    children = list(token.children)
    found: Any | None = None
    if token.pos_ in {"VERB", "AUX"}:
        dead = any(c.lower_ == "dead" and c.dep_ in {"oprd", "acomp", "advmod", "xcomp", "dobj"} for c in children) or any(
            c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in children)
        if lemma not in verbs and not (lemma in to_death and dead):
            return []
        passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if lemma in {"die", "perish"}:
            found = next((c for c in children if c.dep_ == "nsubj"), None)
        elif passive is not None:
            found = passive
        else:
            found = next((c for c in children if c.dep_ in {"dobj", "obj"}), None)
        if found is not None and found.tag_ in {"WP", "WDT"} and token.dep_ == "relcl":
            found = token.head  # "the soldier who was killed"
    elif token.pos_ == "NOUN" and lemma in nouns:
        of = next((c for c in children if c.dep_ == "prep" and c.lower_ == "of"), None)
        found = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if found is None:
            found = next((c for c in children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
    if found is None:
        return []
    return [found, *[c for c in found.conjuncts if c.i > found.i]]


def _person_count(victims: list[Any], one_person: bool = False) -> int | None:
    """One for each victim that names one person; None where any may be more ("civilians", "they")."""
    people = _victim_words()[3]
    total = 0
    for victim in victims:
        number = next((c for c in victim.children if c.dep_ == "nummod"), None)
        if number is not None or victim.like_num:  # "two brothers died": the number, whatever the noun
            value = _number((number or victim).text)
            if value is None:
                return None
            total += value
            continue
        total += 1
        if victim.pos_ == "PRON":
            if victim.lower_ not in {"he", "she", "him", "her"}:
                return None
        elif victim.pos_ == "PROPN":
            if victim.ent_type_ not in {"", "PERSON"} and not one_person:
                return None
        elif victim.pos_ != "NOUN" or victim.tag_ != "NN" or victim.lemma_.lower() not in people:
            return None
    return total
