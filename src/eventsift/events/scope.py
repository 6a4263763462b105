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

Words live in data/event_scope.yaml with their source (:mod:`.scope_signals` reads them). The frame
checks (vague, tally, campaign, generic) are in :mod:`.scope_frame`; the recoding of a candidate kept
in scope (a protest met by force, a one-sided shooting, a sit-in) in :mod:`.retype`.
"""

from __future__ import annotations

import logging
from typing import Any

from ..records import Article
from .scope_frame import kind_reading, objected, over_a_period, struggle, tally, vague_plural
from .scope_signals import (
    ScopeWords,
    conflict_near,
    context_tokens,
    has_scope_signal,
    has_violence,
    is_crime_like,
    lemmas_and_forms,
    premises_taken,
    scope_words,
    sentence_tokens,
)
from .types import Trigger, load_lexicon

__all__ = ["out_of_scope"]

log = logging.getLogger(__name__)


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
    if not lemmas_and_forms(sentence_tokens(head)).isdisjoint(words.campaign_context):
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


def _pronoun_homograph(head: Any, words: ScopeWords) -> bool:
    if head.lower_ not in words.pronoun_homographs:
        return False
    return not any(c.dep_ in {"det", "amod", "compound", "nummod", "poss"} for c in head.children)


def _domain_sense(head: Any, words: ScopeWords) -> bool:
    """"rallied to beat the top seed", "intercepted three times", "stocks rallied": sport or market."""
    if head.lemma_.lower() not in words.domain_triggers and head.lower_ not in words.domain_triggers:
        return False
    sentence = lemmas_and_forms(sentence_tokens(head))
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


def _topic_of_speech(head: Any, words: ScopeWords) -> bool:
    """"he brought up the 1995 bombing", "cited the massacre": a named event as what someone spoke of."""
    if head.pos_ != "NOUN" or head.dep_ not in {"dobj", "obj"}:
        return False
    return head.head.lemma_.lower() in words.topic_verbs


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
    if trigger.acled_sub_event_type == "Agreement" and not lemmas_and_forms(context_tokens(head)) & words.agreement_context:
        return "not a conflict agreement"
    if _purpose(head, words):
        return "intended"
    if _asked(head):
        return "question"
    if _criticism(head) or _other_sense(head, words):
        return "figurative"
    if _intended(head, words):
        return "intended"
    if (vague_plural(head, article) and lemma not in words.participant_nouns) or tally(head, article, words):
        return "vague"
    if over_a_period(head, words):
        return "tally over a period"
    if _topic_of_speech(head, words):
        return "mentioned, not told"
    if struggle(head, article, words):
        return "campaign"
    if objected(head, article):
        return "figurative"
    if kind_reading(head, article):
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
    if figurative and not has_violence(head, article, words) and not premises_taken(head, words):
        return "figurative"  # a building occupied by a crowd is literal: a sit-in
    if _detention_state(head, trigger, words):
        return "detention state"
    if _campaign(head, trigger, words):
        return "campaign"
    if is_crime_like(trigger, words) and not has_scope_signal(head, article, words):
        return "ordinary crime"
    if is_crime_like(trigger, words) and _criminal_doer(head, words) and not conflict_near(head, article, words):
        return "ordinary crime"
    return None


