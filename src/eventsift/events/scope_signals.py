"""The scope lexicon and the signals near a candidate event that bear on ACLED's scope.

:func:`scope_words` reads data/event_scope.yaml once. The readers here look at the trigger's sentence
and its neighbours: words of violence, an armed actor or state force named there (and not only as the
source of the report), a political, communal or organised armed dimension. :mod:`.scope` and
:mod:`.scope_frame` decide with them; :mod:`.retype` uses them to recode a candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import load_data
from ..records import Article
from .types import Trigger

__all__ = [
    "ScopeWords",
    "armed_actor_in",
    "conflict_near",
    "context_tokens",
    "has_scope_signal",
    "has_violence",
    "is_crime_like",
    "lemmas_and_forms",
    "premises_taken",
    "scope_words",
    "sentence_tokens",
]


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
    period_units: frozenset[str]
    period_preps: frozenset[str]
    tally_quantifiers: frozenset[str]
    criminal_doers: frozenset[str]
    lone_shooters: frozenset[str]
    premises: frozenset[str]
    topic_verbs: frozenset[str]
    domain_triggers: frozenset[str]
    sport_context: frozenset[str]
    market_context: frozenset[str]
    hard_violence: frozenset[str]
    agreement_context: frozenset[str]
    aspect_verbs: frozenset[str]
    pronoun_homographs: frozenset[str]
    stative_verbs: frozenset[str]
    assembly_verbs: frozenset[str]
    struggle_nouns: frozenset[str]


@lru_cache(maxsize=1)
def scope_words() -> ScopeWords:
    raw = load_data("event_scope.yaml")
    lists = {key: frozenset(str(w).lower() for w in raw[key]) for key in raw if key != "crime_like"}
    return ScopeWords(crime_like=tuple(raw["crime_like"]), **lists)


def lemmas_and_forms(tokens: Any) -> set[str]:
    return {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}


def sentence_tokens(head: Any) -> list[Any]:
    return list(head.sent)


def context_tokens(head: Any) -> list[Any]:
    """The trigger's sentence and its neighbours: "There is a battle going on" after a raid is told."""
    doc, sent = head.doc, head.sent
    before = doc[sent.start - 1].sent if sent.start > 0 else None
    after = doc[sent.end].sent if sent.end < len(doc) else None
    spans = [s for s in (before, sent, after) if s is not None]
    return [t for span in spans for t in span if t.i != head.i]


def armed_actor_in(head: Any, article: Article, words: ScopeWords, tokens: list[Any],
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


def has_violence(head: Any, article: Article, words: ScopeWords) -> bool:
    context = context_tokens(head)
    return not lemmas_and_forms(context).isdisjoint(words.violence_context) or armed_actor_in(head, article, words, context)


def _source_only(token: Any, words: ScopeWords) -> bool:
    """The token is (inside) the subject of a speech verb, or after "according to": it names a source."""
    node = token
    for _ in range(4):
        if node.dep_ in {"nsubj", "pobj"} and node.head.lemma_.lower() in words.speech_lemmas | {"to"}:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def has_scope_signal(head: Any, article: Article, words: ScopeWords) -> bool:
    context = context_tokens(head)
    arrest = head.lemma_.lower() in words.arrest_lemmas
    # Police and officials are everywhere in crime news ("police found the body"): they count only
    # as the act's own doer or victim (inside the trigger's clause), never for an arrest.
    clause_tokens = sorted((head.head if head.dep_ in {"dobj", "pobj", "nsubjpass"} else head).subtree, key=lambda t: t.i)
    if armed_actor_in(head, article, words, context, words.armed_kinds - {"state forces"}):
        return True
    if not arrest and armed_actor_in(head, article, words, clause_tokens, frozenset({"state forces"})):
        return True
    sentence = {t.i for t in sentence_tokens(head)}
    clause = {t.i for t in clause_tokens}
    own = words.scope_signals - words.arrest_agents
    for token in context:
        if token.i in clause and not arrest:
            signals = words.scope_signals
        else:
            signals = own if token.i in sentence else words.conflict_signals
        if {token.lemma_.lower(), token.lower_} & signals and not _source_only(token, words):
            return True
    return False


def conflict_near(head: Any, article: Article, words: ScopeWords) -> bool:
    """Organised armed conflict named in the trigger's sentence or beside it."""
    context = context_tokens(head)
    if armed_actor_in(head, article, words, context, words.armed_kinds - {"state forces"}):
        return True
    return any({t.lemma_.lower(), t.lower_} & words.conflict_signals for t in context)


def is_crime_like(trigger: Trigger, words: ScopeWords) -> bool:
    full = f"{trigger.acled_event_type}/{trigger.acled_sub_event_type}"
    return any(full == kind or trigger.acled_event_type == kind for kind in words.crime_like)


def premises_taken(head: Any, words: ScopeWords) -> bool:
    """The trigger's object is a room or building ("occupying the lobby area", "the administration building")."""
    objects = [c for c in head.children if c.dep_ in {"dobj", "obj"}]
    return any(o.lemma_.lower() in words.premises or any(c.dep_ == "compound" and c.lemma_.lower() in words.premises
               for c in o.children) for o in objects)
