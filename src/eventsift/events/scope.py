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

from ..records import Article
from .types import Trigger, load_lexicon

__all__ = ["ScopeWords", "crowd_met_by_force", "occupation_as_protest", "one_sided_shooting", "out_of_scope", "scope_words"]

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
    while node.head.i != node.i and hops < 3:
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
        if child.dep_ in {"compound", "amod", "poss", "advmod", "npadvmod", "nmod"} and child.lower_ in words.non_violent_modifiers:
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
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _has_scope_signal(head: Any, article: Article, words: ScopeWords) -> bool:
    context = _context_tokens(head)
    arrest = head.lemma_.lower() in words.arrest_lemmas
    # Police and officials are everywhere in crime news ("police found the body"): they count only
    # as the act's own doer or victim (inside the trigger's clause), never for an arrest.
    clause_tokens = sorted((head.head if head.dep_ in {"dobj", "pobj", "nsubjpass"} else head).subtree, key=lambda t: t.i)
    if _armed_actor_in(head, article, words, context, words.armed_kinds - {"state forces"}):
        return True
    if not arrest and _armed_actor_in(head, article, words, clause_tokens, frozenset({"state forces"})):
        return True
    sentence = {t.i for t in _sentence_tokens(head)}
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


def _conflict_near(head: Any, article: Article, words: ScopeWords) -> bool:
    """Organised armed conflict named in the trigger's sentence or beside it."""
    context = _context_tokens(head)
    if _armed_actor_in(head, article, words, context, words.armed_kinds - {"state forces"}):
        return True
    return any({t.lemma_.lower(), t.lower_} & words.conflict_signals for t in context)


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
    if head.dep_ == "pobj" and head.head.lower_ == "at" and head.head.head.lemma_.lower() in words.speech_lemmas | {"speak"}:
        return True  # "Trump said at a rally in Louisiana": a venue of speech
    return head.dep_ in {"dobj", "obj"} and head.head.lemma_.lower() in words.speech_lemmas | {"address"}


def _criticism(head: Any) -> bool:
    """"attacked him for failing to act": blame with its reason is speech, not violence."""
    if head.lemma_.lower() not in {"attack", "assault", "hit", "blast", "slam", "target"} or head.pos_ != "VERB":
        return False
    return any(c.dep_ == "prep" and c.lower_ == "for" and any(g.tag_ == "VBG" or g.pos_ == "NOUN" for g in c.children)
               for c in head.children)


def _vague_plural(head: Any, article: Article) -> bool:
    """"organising rallies", "will not retreat because of terrorist attacks": a bare plural with no
    time and no place of its own names a kind of event, not one event at one place on one day. Only a
    time or place in the plural's own frame counts, not the clause's subject ("the United States will
    not retreat ..."). A bare plural that is the subject of a past or perfect verb tells that such
    events happened ("train derailments have stretched the supply lines")."""
    if head.tag_ != "NNS" or any(c.dep_ in {"det", "nummod", "poss"} for c in head.children):
        return False
    if head.dep_ in {"nsubj", "nsubjpass"} and _past_or_perfect(head.head):
        return False
    return not _framed(head, article)


def _past_or_perfect(verb: Any) -> bool:
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)


def _own_frame(head: Any) -> set[int]:
    """Token indices that can place or date the trigger: its own phrase, the modifiers of the words
    above it up to its clause's verb, and that verb's adverbials and time clauses ("Since the
    invasion began, there have been fires across the country, including arson attacks")."""
    frame = {t.i for t in head.subtree}
    path = {head.i}
    node = head
    for _ in range(6):
        if node.head.i == node.i or node.dep_ in {"ccomp", "relcl", "conj", "parataxis"}:
            break
        node = node.head
        path.add(node.i)
        for child in node.children:
            if child.i in path or any(t.i in path for t in child.subtree):
                continue
            if child.dep_ in {"prep", "npadvmod", "advmod", "obl", "tmod"} or _time_clause(child):
                frame |= {t.i for t in child.subtree}
        if node.pos_ in {"VERB", "AUX"} and node.dep_ != "prep":  # "including" is a preposition here
            break
    return frame


def _time_clause(token: Any) -> bool:
    return token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"since", "after", "before", "when", "while"}
                                         for c in token.children)


def _verb_of(head: Any) -> Any:
    """The verb whose clause tells the trigger: the trigger itself, or the verb its noun hangs from."""
    node = head
    for _ in range(4):
        if node.pos_ in {"VERB", "AUX"} or node.head.i == node.i:
            return node
        node = node.head
    return node


def _over_a_period(head: Any, words: ScopeWords) -> bool:
    """"has fought the group in Syria since 2014", "seven killed and 12 injured since 1993", "hit by
    protests over the past three years", "40 years of blockade and sabotage": acts summed over a span
    of years are a tally or a campaign, not one event. The span follows the trigger in its clause (no
    finite verb between: the parse of such phrases is unreliable, the word order is not)."""
    if _under_period_noun(head, words) or _opened_by_a_span(head, words):
        return True
    for token in head.doc[head.i + 1:head.sent.end]:
        finite = token.tag_ in {"VBD", "VBZ", "VBP"} and not token.text.isupper()  # "fought IS": a name
        if finite or token.text in {";", ":"} or token.tag_ == "JJS" or token.lower_ == "first":
            return False  # another clause, or "the worst violence since 2014" (a record, not a span)
        if token.lower_ not in words.period_preps:
            continue
        following = head.doc[token.i + 1:min(token.i + 5, head.sent.end)]
        if token.lower_ == "since" and following and _is_year(following[0]):
            return True
        if token.lower_ != "since" and any(t.lemma_.lower() in words.period_units and t.tag_ == "NNS" for t in following):
            return True
    return False


def _opened_by_a_span(head: Any, words: ScopeWords) -> bool:
    """"Over the past three years, the country has been hit by several protests": a span of years
    before the trigger, on a verb that governs it (not "on the run since the 1998 bombing")."""
    governing = {head.i} | {t.i for t in head.ancestors}
    for prep in head.doc[head.sent.start:head.i]:
        if prep.lower_ not in words.period_preps or prep.dep_ != "prep" or prep.head.i not in governing:
            continue
        objects = [t for t in prep.subtree if t.i != prep.i]
        if any(t.i == head.i for t in objects):
            continue
        if prep.lower_ == "since" and any(_is_year(t) for t in objects):
            return True
        if any(t.lemma_.lower() in words.period_units and t.tag_ == "NNS" for t in objects):
            return True
    return False


def _under_period_noun(head: Any, words: ScopeWords) -> bool:
    """"40 years of blockade, invasions, sabotage and attempts to kill": up the list to "years of"."""
    node = head
    for _ in range(6):
        if node.lemma_.lower() in words.period_units and any(c.dep_ == "nummod" for c in node.children):
            return node.i != head.i
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lemma_.lower() in words.period_units:
            return True
        if node.dep_ not in {"conj", "xcomp"} and not (node.dep_ == "pobj" and node.head.lower_ == "of"):
            return False
        node = node.head
    return False


def _pronoun_homograph(head: Any, words: ScopeWords) -> bool:
    if head.lower_ not in words.pronoun_homographs:
        return False
    return not any(c.dep_ in {"det", "amod", "compound", "nummod", "poss"} for c in head.children)


def _domain_sense(head: Any, words: ScopeWords) -> bool:
    """"rallied to beat the top seed", "intercepted three times", "stocks rallied": sport or market."""
    if head.lemma_.lower() not in words.domain_triggers and head.lower_ not in words.domain_triggers:
        return False
    sentence = _words(_sentence_tokens(head))
    if sentence.isdisjoint(words.sport_context | words.market_context):
        return False
    return sentence.isdisjoint(words.hard_violence)


def _purpose(head: Any, words: ScopeWords) -> bool:
    """"trained the opposition forces to fight the group": an infinitive of purpose is not an act
    told; "began to fight", "went on to attack" are."""
    if head.pos_ != "VERB" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children):
        return False
    if head.dep_ not in {"xcomp", "advcl", "acl", "ccomp"} or head.head.i == head.i:
        return False
    return head.head.lemma_.lower() not in words.aspect_verbs | words.assembly_verbs


def _objected(head: Any, article: Article) -> bool:
    """"providers have protested longer detention periods": "protest" with an object and no place or
    time of its own is objecting, not demonstrating ("thousands protested the law in Paris" is)."""
    if head.lemma_.lower() != "protest" or head.pos_ != "VERB" or not any(c.dep_ == "dobj" for c in head.children):
        return False
    words = scope_words()
    if head.dep_ in {"advcl", "xcomp", "conj"} and head.head.lemma_.lower() in words.assembly_verbs | {"ransack", "loot"}:
        return False  # "marched in Dhaka to protest the killings": the march is the act
    if not _words(_sentence_tokens(head)).isdisjoint(words.crowd_people | words.violence_context | {"rioter", "crowd"}):
        return False  # "Rioters ransacked the market and protested food shortages"
    frame = _own_frame(head)
    doc = head.doc
    if any(doc[i].ent_type_ in {"DATE", "TIME"} and doc[i].head.lower_ not in {"for", "over"} for i in frame):
        return False  # a point in time; "for months" is how long the objection lasts
    return not _names_a_place(frame, doc, article)


def _struggle(head: Any, article: Article, words: ScopeWords) -> bool:
    """"an outpost in the fight against the group", "the war on drugs": a campaign, not a battle."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in words.struggle_nouns:
        return False
    if not any(c.dep_ == "prep" and c.lower_ in {"against", "on"} for c in head.children):
        return False
    return not _framed(head, article)


def _topic_of_speech(head: Any, words: ScopeWords) -> bool:
    """"he brought up the 1995 bombing", "cited the massacre": a named event as what someone spoke of."""
    if head.pos_ != "NOUN" or head.dep_ not in {"dobj", "obj"}:
        return False
    return head.head.lemma_.lower() in words.topic_verbs


def _kind_reading(head: Any, article: Article) -> bool:
    """"proven in combat", "victims of armed attack": a singular event noun with no determiner after a
    preposition names a kind of event, unless it has a time or place of its own."""
    if head.tag_ != "NN" or head.dep_ != "pobj" or head.lemma_.lower() in {"protest", "demonstration", "riot"}:
        return False  # "in protest against the arrest" is how a crowd acted
    if head.head.lower_ == "of" and head.head.head.lemma_.lower() in {"act", "series", "wave", "spate", "campaign"}:
        return False  # "acts of military sabotage" are acts
    if not any(t.dep_ == "det" for t in head.sent):
        return False  # headline style drops every article: "Girl pepper-sprayed in scuffle outside rally"
    if any(c.dep_ in {"det", "poss", "nummod"} or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in head.children):
        return False
    frame = {t.i for t in head.subtree}
    if any(head.doc[i].ent_type_ in {"DATE", "TIME", "CARDINAL"} for i in frame):
        return False
    return not _names_a_place(frame, head.doc, article)


def _is_year(token: Any) -> bool:
    return token.like_num and len(token.text) == 4 and token.text.isdigit()


def _tally(head: Any, article: Article, words: ScopeWords) -> bool:
    """"several protests", "a spate of attacks" with no time or place of their own: a count of events
    ("several air strikes on a base near X on the night of 11/04" is one event, told)."""
    if head.tag_ != "NNS" or head.lemma_.lower() in words.participant_nouns:
        return False  # "hundreds of protesters" is a crowd, not a count of events
    counted = any(c.dep_ == "amod" and c.lower_ in words.tally_quantifiers for c in head.children) or (
        head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in words.tally_quantifiers)
    return counted and not _framed(head, article)


def _framed(head: Any, article: Article) -> bool:
    """A time or a place in the trigger's own frame (see _own_frame)."""
    frame = _own_frame(head)
    doc = head.doc
    if any(doc[i].ent_type_ in {"DATE", "TIME"} for i in frame):
        return True
    return _names_a_place(frame, doc, article)


def _names_a_place(frame: set[int], doc: Any, article: Article) -> bool:
    """Some token of ``frame`` lies inside one of the article's places."""
    if not frame:
        return False
    start, end = doc[min(frame)].idx, doc[max(frame)].idx + len(doc[max(frame)])
    spans = [(p.start, p.end) for p in article.places if p.start < end and start < p.end]
    return any(a < doc[i].idx + len(doc[i]) and doc[i].idx < b for a, b in spans for i in frame)


def _criminal_doer(head: Any, words: ScopeWords) -> bool:
    """"Kidnappers kept their promise to kill": the doer is named as an ordinary criminal."""
    governing = [head]
    while governing[-1].head.i != governing[-1].i and len(governing) < 8:
        governing.append(governing[-1].head)  # "Kidnappers kept their promise to kill a man they took hostage"
    subjects = [c for v in governing if v.pos_ in {"VERB", "AUX"} for c in v.children if c.dep_ in {"nsubj", "agent"}]
    subjects += [g for s in subjects if s.dep_ == "agent" for g in s.children]
    return any(s.lemma_.lower() in words.criminal_doers for s in subjects)


def _intended(head: Any, words: ScopeWords) -> bool:
    """"a commitment to destroying the group": an act under a noun of intent is not yet done."""
    node = head
    for _ in range(4):
        if node.head.i == node.i:
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
    if lemma == "demonstrate" and any(c.dep_ in {"mark", "advmod"} and c.lower_ == "as" for c in head.children):
        return True  # "as demonstrated by his departure"
    # "sit" is a protest only as a sit-in ("sat in at the office"), not "sat down" nor "sitting alone"
    return lemma == "sit" and head.lower_ != "sit-in" and not any(c.dep_ == "prt" and c.lower_ == "in" for c in head.children)


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
    while subject.dep_ == "conj" and subject.head.i != subject.i:
        subject = subject.head
    if subject.dep_ == "pobj" and subject.head.lower_ == "of" and subject.head.head.dep_ in {"nsubj", "nsubjpass"}:
        subject = subject.head.head  # "hundreds of protesters filled the arena"
    idle = {"be", "have"} | words.stative_verbs  # "Protesters believe the bill ...": no act
    acting = subject.dep_ in {"nsubj", "nsubjpass"} and subject.head.lemma_.lower() not in idle
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
    if head.pos_ == "PRON" or _pronoun_homograph(head, words):
        return "not an event word here"  # "mine is a treasure"
    if _is_charge(head, words):
        return "charge"
    if _domain_sense(head, words):
        return "sport or market sense"
    if trigger.acled_sub_event_type == "Agreement" and not _words(_context_tokens(head)) & words.agreement_context:
        return "not a conflict agreement"
    if _purpose(head, words):
        return "intended"
    if _asked(head):
        return "question"
    if _criticism(head) or _other_sense(head, words):
        return "figurative"
    if _intended(head, words):
        return "intended"
    if (_vague_plural(head, article) and lemma not in words.participant_nouns) or _tally(head, article, words):
        return "vague"
    if _over_a_period(head, words):
        return "tally over a period"
    if _topic_of_speech(head, words):
        return "mentioned, not told"
    if _struggle(head, article, words):
        return "campaign"
    if _objected(head, article):
        return "figurative"
    if _kind_reading(head, article):
        return "generic"
    if _generic_present(head, article):
        return "generic"
    if _modifier_only(head):
        return "modifier"
    if _participant_only(head, words):
        return "participant only"
    if _modified_away(head, words):
        return "figurative"
    figurative = lemma in words.figurative_triggers or head.lower_ in words.figurative_triggers
    if figurative and not _has_violence(head, article, words) and not _premises_taken(head, words):
        return "figurative"  # a building occupied by a crowd is literal: a sit-in
    if _detention_state(head, trigger, words):
        return "detention state"
    if _campaign(head, trigger, words):
        return "campaign"
    if _crime_like(trigger, words) and not _has_scope_signal(head, article, words):
        return "ordinary crime"
    if _crime_like(trigger, words) and _criminal_doer(head, words) and not _conflict_near(head, article, words):
        return "ordinary crime"
    return None


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
    if not person_shot or _armed_actor_in(head, article, words, list(head.sent)):
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
    if not _premises_taken(head, words):
        return trigger
    if _conflict_near(head, article, words):  # police near a sit-in are expected; soldiers are not
        return trigger
    return _retyped(trigger, "peaceful_protest")


def _premises_taken(head: Any, words: ScopeWords) -> bool:
    """The trigger's object is a room or building ("occupying the lobby area", "the administration building")."""
    objects = [c for c in head.children if c.dep_ in {"dobj", "obj"}]
    return any(o.lemma_.lower() in words.premises or any(c.dep_ == "compound" and c.lemma_.lower() in words.premises
               for c in o.children) for o in objects)


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
