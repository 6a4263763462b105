"""Event actors: who did it (actor1), to whom (actor2), with whom (associated), and non-actor targets.

Part of the event-arguments reading (see args.py for the shared lexicon and parse helpers). Which
token names the doer is read in doers.py; here tokens become actors, linked to the article's entities.
"""

from __future__ import annotations

import logging
from typing import Any

from ..read.actors import listed_entry
from ..records import Actor, Article, Entity, Span
from .args import NOT_SPAN_START, NP_LEFT, OBJECTS, PRONOUN_TAGS, actor_words, argument_words, span_of
from .doers import clause_subject, doer_tokens, is_collective, is_crowd_noun, is_people, is_person_word
from .types import Trigger

__all__ = ["event_actors"]

log = logging.getLogger(__name__)


def event_actors(trigger: Trigger, article: Article) -> tuple[Actor | None, Actor | None, list[Actor], list[Span]]:
    """actor1, actor2, associated actors and targets of the event the trigger names.

    actor1 is the doer: the subject of the trigger verb (the agent of a passive), the possessor or a
    compound of a nominal trigger ("the Legion's raid"), or the subject of the verb governing it
    ("X launched a raid"). actor2 is the target actor (object, or "against/on/with X"); coordinated
    doers after the first are associated actors; objects that are no actors are targets. A pronoun
    doer stands for the agreeing subject of the clause above it or of the previous sentence ("X said
    it recovered arms"), where the actors stage did not link it; with none, it stays unknown.
    """
    doc = article.doc
    if doc is None:
        return None, None, [], []
    head = doc[trigger.token_i]
    doers = doer_tokens(head)
    actor1: Actor | None = None
    associated: list[Actor] = []
    for token in doers:
        actor = _actor(token, article, doer=True)
        if actor is None and _is_personal_pronoun(token):
            antecedent = _antecedent(token, article)  # "X said it recovered arms": X
            actor = _actor(antecedent, article, doer=True) if antecedent is not None else None
        if actor is None and token.i == head.head.i and head.dep_ in {"amod", "acl"} and is_crowd_noun(token):
            actor = _unlinked(token, article)  # "rallying Cuban scientists": whoever the participle describes
        if actor is None:
            continue
        actor = _named_as_people(_after_trigger(actor, head, article), token, head)
        if actor1 is None:
            actor1 = actor
        elif actor.entity_id is None or actor.entity_id != actor1.entity_id:
            associated.append(actor)
    actor2, targets = _objects(head, article, actor1)
    return _crowd_named(actor1, trigger), actor2, associated, targets


def _crowd_named(actor: Actor | None, trigger: Trigger) -> Actor | None:
    """"thousands of people rallied": a crowd named only as people is coded as ACLED names it, by what
    it did ("protesters", "rioters"); its words stay "people"."""
    crowd = actor_words().crowd_names.get(trigger.acled_event_type)
    if actor is None or crowd is None or actor.entity_id is not None or actor.span is None:
        return actor
    if actor.name.lower().split()[-1:] != [actor.span.text.lower().split()[-1]] \
            or actor.name.lower().split()[-1] not in actor_words().generic_people:
        return actor
    return Actor(None, crowd, actor.kind, actor.span)


def _unlinked(token: Any, article: Article) -> Actor:
    start, end = _np_bounds(token)
    return Actor(None, article.body[start:end], None, span_of(article, start, end))


# --- pronouns: "X said it recovered arms", "X was charged after he punched a guard" ----------------

# What a personal pronoun stands for: one person, one group, or several.
_PERSONAL = {"he": "person", "she": "person", "it": "group", "they": "many"}
# Clause links that keep a pronoun's antecedent in the clause above ("X said it ...", "after he ...").
_CLAUSE_LINKS = frozenset({"ccomp", "advcl", "conj", "xcomp", "parataxis"})


def _is_personal_pronoun(token: Any) -> bool:
    return token.lower_ in _PERSONAL


def _antecedent(pronoun: Any, article: Article) -> Any | None:
    """The person or group a doer pronoun stands for: the agreeing subject of a clause above it in the
    sentence, else the agreeing subject of the previous sentence; else none (unknown stays unknown)."""
    clause = pronoun.head
    for _ in range(4):
        if clause.dep_ not in _CLAUSE_LINKS or clause.head.i == clause.i:
            break
        clause = clause.head
        subject = clause_subject(clause)
        if subject is not None and subject.i != pronoun.i and _agrees(pronoun, subject, article):
            return None if _is_victim(subject) else subject
    start = pronoun.sent.start
    if start == 0:
        return None
    subject = clause_subject(pronoun.doc[start - 1].sent.root)
    return subject if subject is not None and _agrees(pronoun, subject, article) and not _is_victim(subject) else None


def _is_victim(subject: Any) -> bool:
    """"a man was killed as he tried to defuse a grenade": the one killed or hurt is not taken as the
    doer of what "he" did around it (ACLED codes such blasts to the weapon's unknown owner)."""
    verb = subject.head
    lemma = verb.lemma_.lower()
    words = actor_words()
    return lemma in words.dying or (subject.dep_ == "nsubjpass" and lemma in words.harm)


def _agrees(pronoun: Any, token: Any, article: Article) -> bool:
    """Number and gender: "he/she" one person, "it" a group or state, "they" a group or several."""
    if token.tag_ in PRONOUN_TAGS or token.pos_ == "PRON":
        return False
    start, end = _np_bounds(token)
    linked = _mention_of(article, start, end, token.idx)
    several = token.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in token.children)
    if linked is not None:
        person = linked[0].kind == "person"
        group = not person
    else:
        person = is_person_word(token)
        group = token.ent_type_ in {"ORG", "NORP"} or is_collective(token) \
            or (token.ent_type_ == "GPE" and _is_state(token, article))
    wanted = _PERSONAL[pronoun.lower_]
    if wanted == "person":
        return person and not several
    if wanted == "group":
        return group and not several
    return several and (is_people(token) or linked is not None or token.ent_type_ in {"PERSON", "ORG", "NORP"}) \
        or group


def _named_as_people(actor: Actor, token: Any, head: Any) -> Actor:
    """"terrorist bombings": the doers are named as the people ("terrorists"), the words stay "terrorist"."""
    people = actor_words().adjective_people.get(token.lower_)
    if actor.entity_id is not None or people is None or token.dep_ not in {"amod", "compound"} \
            or is_people(token.head):
        return actor
    return Actor(None, people, actor.kind, actor.span)


def _after_trigger(actor: Actor, head: Any, article: Article) -> Actor:
    """"several thousand rallying students": the crowd's words begin after the trigger inside them."""
    span = actor.span
    end = head.idx + len(head.text)
    if actor.entity_id is not None or span is None or not span.start < head.idx < end < span.end:
        return actor
    start = end + len(article.body[end:span.end]) - len(article.body[end:span.end].lstrip())
    return Actor(None, article.body[start:span.end], actor.kind, span_of(article, start, span.end))


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
    if linked is not None and not _cause_of_crowd(token, linked, article):
        entity, mention = linked
        return Actor(entity.id, entity.name, entity.kind, mention, listed=listed_entry(entity.id))
    if token.tag_ in PRONOUN_TAGS or token.pos_ == "PRON":
        return None  # an unlinked pronoun: unknown, not invented
    lemma = token.lemma_.lower()
    state = doer and token.ent_type_ == "GPE" and _is_state(token, article)
    if lemma in argument_words().actor_nouns or token.lower_ in argument_words().actor_nouns or token.ent_type_ in {"PERSON", "ORG", "NORP"} \
            or state:
        return Actor(None, article.body[start:end], None, span_of(article, start, end))
    return None


def _cause_of_crowd(token: Any, linked: tuple[Entity, Span], article: Article) -> bool:
    """"anti-Trump protesters", "Smith's supporters": a name inside a crowd's words is what the crowd is
    for or against, or whose it is, not the crowd; an armed group's name ("Hamas fighters") is the actor."""
    entity, mention = linked
    if mention.start <= token.idx < mention.end or not is_people(token):
        return False
    before = article.body[max(0, mention.start - 12):mention.start].lower()
    return entity.kind == "person" or any(before.endswith(prefix + "-") for prefix in actor_words().stance_prefixes)


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
