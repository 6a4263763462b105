"""Recoding a candidate in scope by ACLED's rules, after :func:`.scope.out_of_scope` kept it.

- :func:`crowd_met_by_force`: security forces clashing with demonstrators is a protest met by force
  (with deaths, excessive force), not an armed clash;
- :func:`one_sided_shooting`: a person shot with no second armed side is an attack on a civilian;
- :func:`occupation_as_protest`: a room or building taken with no armed actor near is a sit-in.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..records import Article
from .scope_signals import ScopeWords, armed_actor_in, conflict_near, premises_taken, scope_words
from .types import Trigger, load_lexicon

__all__ = ["crowd_met_by_force", "occupation_as_protest", "one_sided_shooting"]


def one_sided_shooting(trigger: Trigger, article: Article) -> Trigger:
    """"shot and wounded the president": a person shot, with no second armed side, is an attack on a
    civilian, not an armed clash (ACLED's Armed clash needs two organised armed sides)."""
    if trigger.acled_sub_event_type != "Armed clash" or article.doc is None:
        return trigger
    words = scope_words()
    head = article.doc[trigger.token_i]
    if head.lemma_.lower() not in words.shooting_lemmas | {"fire"}:
        return trigger
    verbs = [head, *(c for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB")]  # "shot and wounded X"
    victims = [c for v in verbs for c in v.children if c.dep_ in {"dobj", "obj", "nsubjpass"}]
    shooting = head.lemma_.lower() in words.shooting_lemmas
    person_shot = shooting and bool(victims) and all(v.ent_type_ == "PERSON" or v.pos_ == "PROPN" for v in victims)
    if _lone_shooter(head, words):  # the shooter is armed by definition: only a second side counts
        return _retyped(trigger, "civilian_attack")
    if not person_shot or armed_actor_in(head, article, words, list(head.sent)):
        return trigger
    return _retyped(trigger, "civilian_attack")


def _lone_shooter(head: Any, words: ScopeWords) -> bool:
    """"near where the sniper fired": a lone shooter firing, with no second side named, is an attack."""
    subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if head.dep_ == "acl":
        subjects.append(head.head)  # "a gunman fired at ..." parsed as a noun phrase
    node = head
    while not subjects and node.dep_ in {"xcomp", "conj", "ccomp"} and node.head.i != node.i:
        node = node.head  # "the sniper is thought to have fired"
        subjects = [c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not any(s.lemma_.lower() in words.lone_shooters or s.lower_ in words.lone_shooters for s in subjects):
        return False
    sides = words.force_words | words.conflict_signals
    return not any(c.dep_ == "prep" and c.lower_ in {"on", "at"} and any({g.lemma_.lower(), g.lower_} & sides
                   for g in c.subtree) for c in head.children)  # "fired on troops" has a second side


def occupation_as_protest(trigger: Trigger, article: Article) -> Trigger:
    """"occupying the lobby", "took over the dean's office": a room or building taken with no armed
    actor near is a sit-in, a protest (ACLED), not territory changing hands."""
    if trigger.acled_event_type != "Battles" or "territory" not in trigger.acled_sub_event_type.lower() or article.doc is None:
        return trigger
    words = scope_words()
    head = article.doc[trigger.token_i]
    if not premises_taken(head, words):
        return trigger
    if conflict_near(head, article, words):  # police near a sit-in are expected; soldiers are not
        return trigger
    return _retyped(trigger, "peaceful_protest")


def _retyped(trigger: Trigger, key: str) -> Trigger:
    kind = load_lexicon().types[key]
    return replace(trigger, acled_event_type=kind.acled_event_type, acled_sub_event_type=kind.acled_sub_event_type,
                   cameo_root=kind.cameo_root, plover_type=kind.plover_type, plover_mode=kind.plover_mode)


def crowd_met_by_force(trigger: Trigger, article: Article) -> Trigger:
    """ACLED's rule: security forces clashing with demonstrators is a protest met by force, not an
    armed clash (Armed clash needs two organised armed sides); with deaths, excessive force."""
    if trigger.acled_sub_event_type != "Armed clash" or article.doc is None:
        return trigger
    words = scope_words()
    sentence = list(article.doc[trigger.token_i].sent)
    lemmas = {t.lemma_.lower() for t in sentence}
    if lemmas.isdisjoint(words.crowd_nouns):
        return trigger
    key = "excessive_force" if not lemmas.isdisjoint(words.lethal_words) else "protest_intervention"
    return _retyped(trigger, key)
