"""One event, or a kind, a count or a span of them: the frame checks of the scope decision.

An event ACLED codes happened at one place on one day. A trigger without a time or place of its own
("organising rallies", "several protests", "victims of armed attack") names a kind of event or a
tally; acts summed over years ("since 2014", "over the past three years") are a campaign; "the fight
against the group" is a struggle, "protested the law" an objection. Each check here reads the
trigger's own frame in the parse (:func:`own_frame`); :func:`.scope.out_of_scope` gives the reasons.
"""

from __future__ import annotations

from typing import Any

from ..records import Article
from .scope_signals import ScopeWords, lemmas_and_forms, scope_words, sentence_tokens

__all__ = [
    "framed",
    "is_year",
    "kind_reading",
    "names_a_place",
    "objected",
    "over_a_period",
    "own_frame",
    "struggle",
    "tally",
    "vague_plural",
]


def vague_plural(head: Any, article: Article) -> bool:
    """"organising rallies", "will not retreat because of terrorist attacks": a bare plural with no
    time and no place of its own names a kind of event, not one event at one place on one day. Only a
    time or place in the plural's own frame counts, not the clause's subject ("the United States will
    not retreat ..."). A bare plural that is the subject of a past or perfect verb tells that such
    events happened ("train derailments have stretched the supply lines")."""
    if head.tag_ != "NNS" or any(c.dep_ in {"det", "nummod", "poss"} for c in head.children):
        return False
    if head.dep_ in {"nsubj", "nsubjpass"} and _past_or_perfect(head.head):
        return False
    return not framed(head, article)


def _past_or_perfect(verb: Any) -> bool:
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)


def own_frame(head: Any) -> set[int]:
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


def over_a_period(head: Any, words: ScopeWords) -> bool:
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
        if token.lower_ == "since" and following and is_year(following[0]):
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
        if prep.lower_ == "since" and any(is_year(t) for t in objects):
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


def objected(head: Any, article: Article) -> bool:
    """"providers have protested longer detention periods": "protest" with an object and no place or
    time of its own is objecting, not demonstrating ("thousands protested the law in Paris" is)."""
    if head.lemma_.lower() != "protest" or head.pos_ != "VERB" or not any(c.dep_ == "dobj" for c in head.children):
        return False
    words = scope_words()
    if head.dep_ in {"advcl", "xcomp", "conj"} and head.head.lemma_.lower() in words.assembly_verbs | {"ransack", "loot"}:
        return False  # "marched in Dhaka to protest the killings": the march is the act
    if not lemmas_and_forms(sentence_tokens(head)).isdisjoint(words.crowd_people | words.violence_context | {"rioter", "crowd"}):
        return False  # "Rioters ransacked the market and protested food shortages"
    frame = own_frame(head)
    doc = head.doc
    if any(doc[i].ent_type_ in {"DATE", "TIME"} and doc[i].head.lower_ not in {"for", "over"} for i in frame):
        return False  # a point in time; "for months" is how long the objection lasts
    return not names_a_place(frame, doc, article)


def struggle(head: Any, article: Article, words: ScopeWords) -> bool:
    """"an outpost in the fight against the group", "the war on drugs": a campaign, not a battle."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in words.struggle_nouns:
        return False
    if not any(c.dep_ == "prep" and c.lower_ in {"against", "on"} for c in head.children):
        return False
    return not framed(head, article)


def kind_reading(head: Any, article: Article) -> bool:
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
    return not names_a_place(frame, head.doc, article)


def is_year(token: Any) -> bool:
    return token.like_num and len(token.text) == 4 and token.text.isdigit()


def tally(head: Any, article: Article, words: ScopeWords) -> bool:
    """"several protests", "a spate of attacks" with no time or place of their own: a count of events
    ("several air strikes on a base near X on the night of 11/04" is one event, told)."""
    if head.tag_ != "NNS" or head.lemma_.lower() in words.participant_nouns:
        return False  # "hundreds of protesters" is a crowd, not a count of events
    counted = any(c.dep_ == "amod" and c.lower_ in words.tally_quantifiers for c in head.children) or (
        head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in words.tally_quantifiers)
    return counted and not framed(head, article)


def framed(head: Any, article: Article) -> bool:
    """A time or a place in the trigger's own frame (see own_frame)."""
    frame = own_frame(head)
    doc = head.doc
    if any(doc[i].ent_type_ in {"DATE", "TIME"} for i in frame):
        return True
    return names_a_place(frame, doc, article)


def names_a_place(frame: set[int], doc: Any, article: Article) -> bool:
    """Some token of ``frame`` lies inside one of the article's places."""
    if not frame:
        return False
    start, end = doc[min(frame)].idx, doc[max(frame)].idx + len(doc[max(frame)])
    spans = [(p.start, p.end) for p in article.places if p.start < end and start < p.end]
    return any(a < doc[i].idx + len(doc[i]) and doc[i].idx < b for a, b in spans for i in frame)
