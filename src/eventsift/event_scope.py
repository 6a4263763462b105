"""In ACLED's scope or not: the checks a candidate event passes before it becomes a record.

The trigger lexicon proposes candidates generously; an analyst publishes only what is a concrete act
of political violence, protest, rioting or a strategic development. :func:`out_of_scope` gives the
reason a candidate is set aside, or None:

- ``charge``: the trigger names a crime charged or tried ("charged with murder", "two counts of
  assault", "second-degree murder"), not an act the article tells;
- ``figurative``: an often figurative word ("attack", "battle", "fight", "hit") with no weapon, wound
  or armed actor in its sentence ("attack ads", "the battle for the Senate"), or with a modifier that
  makes it something else ("heart attack", "personal attacks");
- ``ordinary crime``: a killing, kidnapping, clash or arrest whose sentence shows no political,
  communal, organised armed or state dimension (a scope signal); a signal that is only the source of
  the report ("police said") does not count;
- ``detention state``: "face detention", "detained lawyers" (a state or a description, not an arrest);
- ``campaign``: a candidate's rally, a boycott or a petition (not a protest in ACLED's sense);
- ``modifier``: the trigger only describes another noun ("riot police", "combat experience", "murder
  weapon", "bombing specialists");
- ``participant only``: "an anti-abortion protester", "took on the protesters": people named, no act;
- ``intended``: "a commitment to destroying the group" (an act under a noun of intent);
- ``vague``: a bare plural with no time or place in its sentence ("organising rallies");
- ``question`` and ``generic``: "How many attacks have there been?"; "gunmen kill people" in the simple
  present with no time of its own (a pattern, not an event).

Words live in data/event_scope.yaml with their source.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .event_types import Trigger, load_lexicon
from .records import Article

__all__ = ["ScopeWords", "crowd_met_by_force", "one_sided_shooting", "out_of_scope", "scope_words"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScopeWords:
    violence_context: frozenset[str]
    figurative_triggers: frozenset[str]
    non_violent_modifiers: frozenset[str]
    legal_governors: frozenset[str]
    legal_modifiers: frozenset[str]
    scope_signals: frozenset[str]
    crime_like: tuple[str, ...]
    speech_lemmas: frozenset[str]
    detention_states: frozenset[str]
    campaign_context: frozenset[str]
    campaign_triggers: frozenset[str]
    never_protest: frozenset[str]
    participant_nouns: frozenset[str]
    non_violent_objects: frozenset[str]
    crowd_nouns: frozenset[str]
    lethal_words: frozenset[str]
    armed_kinds: frozenset[str]
    conflict_signals: frozenset[str]
    arrest_agents: frozenset[str]
    shooting_lemmas: frozenset[str]
    intent_nouns: frozenset[str]
    showing_words: frozenset[str]
    arrest_lemmas: frozenset[str]
    force_words: frozenset[str]
    crowd_people: frozenset[str]


@lru_cache(maxsize=1)
def scope_words() -> ScopeWords:
    raw = yaml.safe_load(resources.files("eventsift.data").joinpath("event_scope.yaml").read_text(encoding="utf-8"))
    lists = {key: frozenset(str(w).lower() for w in raw[key]) for key in raw if key != "crime_like"}
    return ScopeWords(crime_like=tuple(raw["crime_like"]), **lists)


def _words(tokens: Any) -> set[str]:
    return {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}


def _is_charge(head: Any, words: ScopeWords) -> bool:
    """"charged with murder", "counts of assault", "acquitted of second-degree murder charges": a bare
    legal category. A specific act stays an act, even in court: "a sentence for the assassination of
    Rabin", "charged in the slaying of a doctor"."""
    if head.pos_ == "NOUN" and any(c.dep_ in {"det", "poss"} and c.lower_ not in {"no", "any"} or
                                   c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
        return False
    if any(c.lower_ in words.legal_modifiers or c.lemma_.lower() in words.legal_modifiers for c in head.subtree
           if c.i < head.i and c.i >= head.i - 3):
        return True
    if head.dep_ == "compound" and head.head.lemma_.lower() in {"charge", "case", "trial", "weapon", "suspect"}:
        return True
    node, hops = head, 0
    while node.head is not node and hops < 3:
        parent = node.head
        if node.dep_ in {"pobj", "dobj", "obj", "compound", "pcomp", "prep"} or parent.pos_ == "ADP":
            if parent.lemma_.lower() in words.legal_governors and parent.pos_ in {"VERB", "NOUN", "ADJ"}:
                return True
            node, hops = parent, hops + 1
            continue
        break
    return False


def _modified_away(head: Any, words: ScopeWords) -> bool:
    """"heart attack", "personal attacks", "fighting star", "hit its highest level": a modifier, an
    object or the head makes it non-violent."""
    for child in head.children:
        if child.dep_ in {"compound", "amod", "poss"} and child.lower_ in words.non_violent_modifiers:
            return True
        if child.dep_ in {"dobj", "obj"} and child.lemma_.lower() in words.non_violent_objects:
            return True
    return head.dep_ in {"compound", "amod"} and head.head.lower_ in words.non_violent_modifiers


def _sentence_tokens(head: Any) -> list[Any]:
    return list(head.sent)


def _context_tokens(head: Any) -> list[Any]:
    """The trigger's sentence and its neighbours: "There is a battle going on" after a raid is told."""
    doc, sent = head.doc, head.sent
    before = doc[sent.start - 1].sent if sent.start > 0 else None
    after = doc[sent.end].sent if sent.end < len(doc) else None
    spans = [s for s in (before, sent, after) if s is not None]
    return [t for span in spans for t in span if t.i != head.i]


def _armed_actor_in(head: Any, article: Article, words: ScopeWords, tokens: list[Any],
                    kinds: frozenset[str] | None = None) -> bool:
    """An armed group, militia or state force is named near the trigger, and not only as the source
    of the report ("a spokesman for the police department said")."""
    if not tokens:
        return False
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    doc = head.doc
    for entity in article.entities:
        if entity.kind not in (kinds or words.armed_kinds):
            continue
        for mention in entity.mentions:
            if not start <= mention.start < end:
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or not _source_only(span.root, words):
                return True
    return False


def _has_violence(head: Any, article: Article, words: ScopeWords) -> bool:
    context = _context_tokens(head)
    return not _words(context).isdisjoint(words.violence_context) or _armed_actor_in(head, article, words, context)


def _source_only(token: Any, words: ScopeWords) -> bool:
    """The token is (inside) the subject of a speech verb, or after "according to": it names a source."""
    node = token
    for _ in range(4):
        if node.dep_ in {"nsubj", "pobj"} and node.head.lemma_.lower() in words.speech_lemmas | {"to"}:
            return True
        if node.head is node:
            return False
        node = node.head
    return False


def _has_scope_signal(head: Any, article: Article, words: ScopeWords) -> bool:
    context = _context_tokens(head)
    arrest = head.lemma_.lower() in words.arrest_lemmas
    kinds = words.armed_kinds - {"state forces"} if arrest else words.armed_kinds  # the police arrest burglars too
    if _armed_actor_in(head, article, words, context, kinds):
        return True
    sentence = {t.i for t in _sentence_tokens(head)}
    # Police and officials are everywhere in crime news: they count only as the act's own doer or
    # victim (inside the trigger's clause), never for an arrest.
    clause = {t.i for t in (head.head if head.dep_ in {"dobj", "pobj", "nsubjpass"} else head).subtree}
    own = words.scope_signals - words.arrest_agents
    for token in context:
        if token.i in clause and not arrest:
            signals = words.scope_signals
        else:
            signals = own if token.i in sentence else words.conflict_signals
        if {token.lemma_.lower(), token.lower_} & signals and not _source_only(token, words):
            return True
    return False


def _crime_like(trigger: Trigger, words: ScopeWords) -> bool:
    full = f"{trigger.acled_event_type}/{trigger.acled_sub_event_type}"
    return any(full == kind or trigger.acled_event_type == kind for kind in words.crime_like)


def _detention_state(head: Any, trigger: Trigger, words: ScopeWords) -> bool:
    if trigger.acled_sub_event_type != "Arrests":
        return False
    if head.lemma_.lower() in words.detention_states and head.pos_ == "NOUN":
        return not any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    return head.dep_ == "amod" or (head.tag_ == "VBN" and head.dep_ == "acl" and head.head.pos_ == "NOUN"
                                   and head.i > head.head.i + 2)


def _campaign(head: Any, trigger: Trigger, words: ScopeWords) -> bool:
    if trigger.acled_event_type != "Protests":
        return False
    lemma = head.lemma_.lower()
    if lemma in words.never_protest or head.lower_ in words.never_protest:
        return True
    if lemma not in words.campaign_triggers and head.lower_ not in words.campaign_triggers:
        return False
    if not _words(_sentence_tokens(head)).isdisjoint(words.campaign_context):
        return True
    if any(c.dep_ == "poss" and (c.pos_ == "PRON" or c.ent_type_ == "PERSON") for c in head.children):
        return True
    if any(c.dep_ == "compound" and c.ent_type_ == "PERSON" for c in head.children):
        return True
    return head.dep_ in {"dobj", "obj"} and head.head.lemma_.lower() in words.speech_lemmas | {"address"}


def _criticism(head: Any) -> bool:
    """"attacked him for failing to act": blame with its reason is speech, not violence."""
    if head.lemma_.lower() not in {"attack", "assault", "hit", "blast", "slam", "target"} or head.pos_ != "VERB":
        return False
    return any(c.dep_ == "prep" and c.lower_ == "for" and any(g.tag_ == "VBG" or g.pos_ == "NOUN" for g in c.children)
               for c in head.children)


def _vague_plural(head: Any, article: Article) -> bool:
    """"organising rallies", "terrorist attacks": a bare plural with no time and no place in its
    sentence names a kind of event, not one event at one place on one day."""
    if head.tag_ != "NNS" or any(c.dep_ in {"det", "nummod", "poss"} for c in head.children):
        return False
    sent = head.sent
    if any(t.ent_type_ in {"DATE", "TIME"} for t in sent):
        return False
    start, end = sent.start_char, sent.end_char
    return not any(start <= p.start < end for p in article.places)


def _intended(head: Any, words: ScopeWords) -> bool:
    """"a commitment to destroying the group": an act under a noun of intent is not yet done."""
    node = head
    for _ in range(4):
        if node.head is node:
            return False
        through = node.dep_ in {"conj", "pcomp", "pobj"}  # "to degrading and destroying"
        node = node.head
        if node.pos_ == "NOUN" and node.lemma_.lower() in words.intent_nouns:
            return True
        if node.pos_ == "VERB" and not (through and node.tag_ == "VBG"):
            return False
    return False


def _other_sense(head: Any, words: ScopeWords) -> bool:
    """"the clearest demonstration of the fact" (showing), "sitting alone in a room" (not a sit-in)."""
    lemma = head.lemma_.lower()
    if lemma in words.showing_words and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
        return True
    return lemma == "sit" and head.lower_ != "sit-in" and not any(c.dep_ == "prt" for c in head.children)


def _asked(head: Any) -> bool:
    """"How many attacks have there been?": a question asserts no event."""
    doc = head.doc
    for token in doc[head.i:head.sent.end]:
        if token.text in {".", "!", ";"}:
            return False
        if token.text == "?":
            return True
    return False


def _generic_present(head: Any, article: Article) -> bool:
    """"individuals other than Muslims kill people": a simple-present verb with no time, count or
    place of its own states a pattern, not an event."""
    if head.pos_ != "VERB" or head.tag_ not in {"VBP", "VBZ", "VB"}:
        return False
    deps = {c.dep_ for c in head.children}
    if deps & {"aux", "auxpass"} or (head.tag_ == "VB" and "nsubj" not in deps):
        return False
    # A count, a time or a named place makes it one event told in the present ("Military kill 50
    # people in Adok", the headline style of wires and notes).
    clause = list(head.subtree)
    return not any(t.ent_type_ in {"DATE", "TIME", "CARDINAL", "GPE", "LOC", "FAC"} or t.like_num for t in clause)


def _modifier_only(head: Any) -> bool:
    if head.dep_ != "compound" and not (head.dep_ in {"amod", "nmod"} and head.pos_ == "NOUN"):
        return False
    lexicon = load_lexicon()
    return head.head.lemma_.lower() not in lexicon.rules and head.head.lower_ not in lexicon.rules


def _participant_only(head: Any, words: ScopeWords) -> bool:
    if head.lemma_.lower() not in words.participant_nouns and head.lower_ not in words.participant_nouns:
        return False
    subject = head
    while subject.dep_ == "conj" and subject.head is not subject:
        subject = subject.head
    if subject.dep_ == "pobj" and subject.head.lower_ == "of" and subject.head.head.dep_ in {"nsubj", "nsubjpass"}:
        subject = subject.head.head  # "hundreds of protesters filled the arena"
    acting = subject.dep_ in {"nsubj", "nsubjpass"} and subject.head.lemma_.lower() not in {"be", "have"}
    return not acting


def out_of_scope(trigger: Trigger, article: Article) -> str | None:
    """Why this candidate is not an ACLED-scope event, or None when it is one."""
    doc = article.doc
    if doc is None:
        return None
    head = doc[trigger.token_i]
    words = scope_words()
    lemma = head.lemma_.lower()
    if head.ent_type_ in {"DATE", "TIME"} or (head.lower_ == "according" and any(c.lower_ == "to" for c in head.children)):
        return "not an event word here"
    if _is_charge(head, words):
        return "charge"
    if _asked(head):
        return "question"
    if _criticism(head) or _other_sense(head, words):
        return "figurative"
    if _intended(head, words):
        return "intended"
    if _vague_plural(head, article):
        return "vague"
    if _generic_present(head, article):
        return "generic"
    if _modifier_only(head):
        return "modifier"
    if _participant_only(head, words):
        return "participant only"
    if _modified_away(head, words):
        return "figurative"
    if (lemma in words.figurative_triggers or head.lower_ in words.figurative_triggers) and not _has_violence(head, article, words):
        return "figurative"
    if _detention_state(head, trigger, words):
        return "detention state"
    if _campaign(head, trigger, words):
        return "campaign"
    if _crime_like(trigger, words) and not _has_scope_signal(head, article, words):
        return "ordinary crime"
    return None


def one_sided_shooting(trigger: Trigger, article: Article) -> Trigger:
    """"shot and wounded the president": a person shot, with no second armed side, is an attack on a
    civilian, not an armed clash (ACLED's Armed clash needs two organised armed sides)."""
    if trigger.acled_sub_event_type != "Armed clash" or article.doc is None:
        return trigger
    words = scope_words()
    head = article.doc[trigger.token_i]
    if head.lemma_.lower() not in words.shooting_lemmas:
        return trigger
    verbs = [head, *(c for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB")]  # "shot and wounded X"
    victims = [c for v in verbs for c in v.children if c.dep_ in {"dobj", "obj", "nsubjpass"}]
    if not victims or not all(v.ent_type_ == "PERSON" or v.pos_ == "PROPN" for v in victims):
        return trigger
    if _armed_actor_in(head, article, words, list(head.sent)):
        return trigger
    return _retyped(trigger, "civilian_attack")


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
