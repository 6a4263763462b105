"""Event actors: who did it (actor1), to whom (actor2), with whom (associated), and non-actor targets.

Part of the event-arguments reading (see event_args.py for the shared lexicon and parse helpers).
"""

from __future__ import annotations

import logging
from typing import Any

from .event_args import NOT_SPAN_START, NP_LEFT, OBJECTS, PRONOUN_TAGS, SUBJECTS, argument_words, span_of
from .event_types import Trigger
from .records import Actor, Article, Entity, Span

__all__ = ["event_actors"]

log = logging.getLogger(__name__)


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
    words = argument_words()
    children = list(head.children)
    for child in children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _wielder(pobj)
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in children):
        return None  # a passive without "by X": the doer is not said
    subject = next((c for c in children if c.dep_ in SUBJECTS), None)
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
        if head.dep_ in OBJECTS and governor.pos_ in {"VERB", "AUX"}:
            by = next((c for c in governor.children if c.dep_ in {"prep", "agent"} and c.lower_ == "by"), None)
            pobj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            if pobj is not None and _is_people(_counted(pobj)):
                return _counted(pobj)  # "X attended a rally Thursday by media workers"
            if governor.lemma_.lower() not in words.onlooker_verbs:
                return _doer(governor, depth + 1)  # "X launched a raid"
        if head.dep_ == "pobj" and governor.dep_ == "prep" and governor.lower_ in {"on", "in", "into"}:
            joined = governor.head  # "X set off on a march", "X took part in a rally"
            if joined.lemma_.lower() in words.joining_verbs:
                if joined.pos_ in {"NOUN", "PROPN"} and joined.dep_ in OBJECTS:
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
    nouns = argument_words().actor_nouns
    return token.pos_ in {"NOUN", "ADJ"} and (token.lemma_.lower() in nouns or token.lower_ in nouns)


def _counted(token: Any) -> Any:
    """"hundreds of protesters", "a group of gunmen": the people counted, not the count."""
    for _ in range(3):
        if token.lemma_.lower() not in argument_words().quantity_nouns and token.pos_ != "NUM":
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
    owner = next((c for c in token.children if c.dep_ == "poss" and c.tag_ not in PRONOUN_TAGS), None)
    return owner if owner is not None else token


def _copula_subject(noun: Any) -> Any:
    """"X is one such group that ...": X; any other noun stays itself."""
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        subject = next((c for c in noun.head.children if c.dep_ in SUBJECTS), None)
        if subject is not None:
            return subject
    return noun


def _objects(head: Any, article: Article, actor1: Actor | None) -> tuple[Actor | None, list[Span]]:
    """actor2 and the targets: objects of the trigger, passive subjects, "against/on/with X"."""
    words = argument_words()
    tokens = [c for c in head.children if c.dep_ in OBJECTS or c.dep_ == "nsubjpass"]
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
    return actor.entity_id is not None or token.lemma_.lower() in argument_words().actor_nouns or token.lower_ in argument_words().actor_nouns


def _is_place(token: Any, article: Article) -> bool:
    start = token.idx
    return any(p.start <= start < p.end for p in article.places if p.role == "literal")


def _np_bounds(token: Any) -> tuple[int, int]:
    """Character bounds of the noun phrase headed by ``token``, without a leading article."""
    left = token
    for child in token.lefts:
        if child.dep_ in NP_LEFT:
            left = min(left, child.left_edge, key=lambda t: t.i)
            break
    doc = token.doc
    i = left.i
    while i < token.i and (doc[i].lower_ in NOT_SPAN_START or doc[i].is_punct):
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
    if token.tag_ in PRONOUN_TAGS or token.pos_ == "PRON":
        return None  # an unlinked pronoun: unknown, not invented
    lemma = token.lemma_.lower()
    state = doer and token.ent_type_ == "GPE" and _is_state(token, article)
    if lemma in argument_words().actor_nouns or token.lower_ in argument_words().actor_nouns or token.ent_type_ in {"PERSON", "ORG", "NORP"} \
            or state:
        return Actor(None, article.body[start:end], None, span_of(article, start, end))
    return None


def _is_state(token: Any, article: Article) -> bool:
    """The token names a country, or a place standing for its state ("Moscow's war effort")."""
    return any(p.start <= token.idx < p.end and (p.precision == "country" or p.role == "metonymic") for p in article.places)


def _target(token: Any, article: Article) -> Span | None:
    if token.pos_ not in {"NOUN", "PROPN"} or token.tag_ in PRONOUN_TAGS:
        return None
    if token.ent_type_ in {"DATE", "TIME"}:  # "struck a depot late on Monday": a when, not a target
        return None
    words = argument_words()
    if token.lemma_.lower() in words.generic_targets and any(c.lower_ in words.generic_modifiers for c in token.lefts):
        return None
    start, end = _np_bounds(token)
    return span_of(article, start, end)
