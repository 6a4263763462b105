"""Event actors: who did it (actor1), to whom (actor2), with whom (associated), and non-actor targets.

Part of the event-arguments reading (see event_args.py for the shared lexicon and parse helpers).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..records import Actor, Article, Entity, Span
from .args import (
    NOT_SPAN_START,
    NP_LEFT,
    OBJECTS,
    PRONOUN_TAGS,
    SUBJECTS,
    argument_words,
    load_lexicon,
    span_of,
)
from .types import Trigger

__all__ = ["event_actors"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActorWords:
    """The actor-reading word lists of data/event_arguments.yaml (see the notes there)."""

    adjective_people: dict[str, str]
    stance_prefixes: frozenset[str]
    collective: frozenset[str]
    undergoer: frozenset[str]
    happening: frozenset[str]
    facility: frozenset[str]
    mutual: frozenset[str]
    culprit_verbs: frozenset[str]
    confessing: frozenset[str]
    culprit_nouns: frozenset[str]
    holding: frozenset[str]
    harm: frozenset[str]
    dying: frozenset[str]
    generic_people: frozenset[str]
    crowd_names: dict[str, str]
    conducting: frozenset[str]
    culprit_adjectives: frozenset[str]


@lru_cache(maxsize=1)
def actor_words() -> ActorWords:
    data = load_lexicon("event_arguments.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key) or ())

    def mapping(key: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in (data.get(key) or {}).items()}

    casualties = load_lexicon("casualty_lexicon.yaml")  # death and injury verbs: whose subject is a victim
    harm = frozenset(str(w).lower() for key in ("death_words", "injury_words") for w in casualties[key])
    return ActorWords(
        adjective_people={k.lower(): v for k, v in mapping("doer_adjective_people").items()},
        stance_prefixes=words("stance_prefixes"), collective=words("collective_nouns"),
        undergoer=words("undergoer_nouns"), happening=words("happening_nouns"), facility=words("facility_nouns"),
        mutual=words("mutual_event_nouns"), culprit_verbs=words("culprit_verbs"),
        confessing=words("confessing_verbs"), culprit_nouns=words("culprit_nouns"), holding=words("holding_verbs"),
        harm=harm, dying=words("dying_verbs"), generic_people=words("generic_people"),
        crowd_names=mapping("crowd_names"), conducting=words("conducting_verbs"),
        culprit_adjectives=words("culprit_adjectives"),
    )


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
    doers = _doers(head)
    actor1: Actor | None = None
    associated: list[Actor] = []
    for token in doers:
        actor = _actor(token, article, doer=True)
        if actor is None and _is_personal_pronoun(token):
            antecedent = _antecedent(token, article)  # "X said it recovered arms": X
            actor = _actor(antecedent, article, doer=True) if antecedent is not None else None
        if actor is None and token.i == head.head.i and head.dep_ in {"amod", "acl"} and _is_crowd_noun(token):
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
            antecedent = _copula_subject(_relative_antecedent(subject, head.head))  # "the group that launched raids"
            if antecedent.pos_ == "NOUN" and not _is_people(antecedent):
                return _doer(antecedent, depth + 1) or antecedent  # "sniper shootings that injured"
            return antecedent
        return _counted(subject)
    if head.pos_ in {"NOUN", "PROPN"}:
        if _is_people(head):
            return head  # "protesters" as the trigger: the crowd named is the doer
        modifier = next((c for c in children if _is_doer_modifier(c, head)), None)
        if modifier is not None:
            return modifier
        within = _doer_in_which(head)
        if within is not None:
            return within  # "the attack in which a gunman killed two"
        for prep in (c for c in children if c.dep_ == "prep" and c.lower_ in {"by", "between"}):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _counted(pobj)  # "a rally by media workers", "clashes between police and X"
        told = _agent_on_undergoer(head)
        if told is not None:
            return told  # "the slaying of a doctor who was shot by a sniper"
        done = next((_conductor(c) for c in children if c.dep_ == "acl" and c.tag_ == "VBN"), None)
        if done is not None:
            return done  # "an attack carried out by X"
        governor = head.head
        if head.dep_ == "nsubjpass" and governor.pos_ in {"VERB", "AUX"}:
            return _conductor(governor)  # "the attack was carried out by X", "the attack was blamed on X"
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
        return _culprit(head) or _side_with(head)
    if head.dep_ == "acl" and head.tag_ == "VBG" and head.head.pos_ in {"NOUN", "PROPN"}:
        return head.head  # "exiles protesting in Miami"
    if head.dep_ == "amod" and head.tag_ == "VBG" and _is_crowd_noun(head.head):
        return head.head  # "thousands of rallying students", "rallying Cuban scientists"
    if head.dep_ in {"xcomp", "conj", "advcl"} and head.head.pos_ in {"VERB", "AUX"}:
        return _doer(head.head, depth + 1)  # "X went on to attack", "X stormed and burned"
    return _culprit(head)  # "X was charged with assaulting a guard"


def _is_people(token: Any) -> bool:
    """A common noun (or adjective: "terrorist bombings") that names people or a group."""
    nouns = argument_words().actor_nouns
    return token.pos_ in {"NOUN", "ADJ"} and (token.lemma_.lower() in nouns or token.lower_ in nouns)


def _is_crowd_noun(token: Any) -> bool:
    """People named by a people noun, or by any plural under a nationality ("Cuban scientists")."""
    if _is_people(token):
        return True
    return token.tag_ == "NNS" and any(c.ent_type_ == "NORP" and c.dep_ in {"amod", "compound"} for c in token.children)


def _unlinked(token: Any, article: Article) -> Actor:
    start, end = _np_bounds(token)
    return Actor(None, article.body[start:end], None, span_of(article, start, end))


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
    owner = next((c for c in token.children if c.dep_ == "poss" and c.tag_ not in PRONOUN_TAGS
                  or c.dep_ in {"compound", "amod"} and _is_people(c)), None)  # "by sniper fire"
    if owner is not None:
        return owner
    for clause in (c for c in token.children if c.dep_ == "acl"):  # "by a bomb planted by militants"
        agent = next((c for c in clause.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if pobj is not None and (_is_people(pobj) or pobj.ent_type_ in {"PERSON", "ORG", "NORP"}):
            return _counted(pobj)
    return token


def _copula_subject(noun: Any) -> Any:
    """"X is one such group that ...": X; any other noun stays itself."""
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        subject = next((c for c in noun.head.children if c.dep_ in SUBJECTS), None)
        if subject is not None:
            return subject
    return noun


def _is_doer_modifier(child: Any, head: Any) -> bool:
    """A modifier of an event noun that names its doer: "the Legion's raid", "Hamas attacks", "rebel attacks".

    Not the undergoer of a noun like "murder" ("the journalist's murder"), a building hit ("the embassy
    bombings"), or a place on an event that merely happens ("the harbour blast").
    """
    words = actor_words()
    noun = head.lemma_.lower()
    if child.dep_ == "poss":
        undergoer = noun in words.undergoer or head.lower_ in words.undergoer
        return not undergoer or any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    if child.dep_ == "compound" and child.pos_ == "PROPN":
        if child.lower_ in words.facility or child.lemma_.lower() in words.facility:
            return False
        return not (noun in words.happening and child.ent_type_ in {"GPE", "LOC", "FAC"})
    if child.dep_ == "compound" and _is_people(child):
        return True
    return child.dep_ == "amod" and child.lower_ in argument_words().doer_adjectives


def _conductor(verb: Any) -> Any | None:
    """The event noun is the passive subject: "the raid was carried out by X" (a verb of doing with its
    agent); a watcher's "by X" ("was condemned by X") names no doer."""
    if verb.lemma_.lower() not in actor_words().conducting:
        return None
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    return _counted(pobj) if pobj is not None else None


def _agent_on_undergoer(head: Any) -> Any | None:
    """"the slaying of a doctor who was cut down by a sniper's bullet": the agent of a passive relative
    clause on the event's "of" object is the event's doer."""
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
        for undergoer in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in (c for c in undergoer.children if c.dep_ == "relcl"):
                agent = next((c for c in clause.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                if pobj is not None:
                    return _wielder(pobj)
    return None


def _doer_in_which(head: Any) -> Any | None:
    """"the attack in which a gunman killed two": the subject of a relative clause set in the event."""
    for clause in (c for c in head.children if c.dep_ == "relcl"):
        preps = [c for c in clause.children if c.dep_ == "prep"]
        if not any(w.lower_ == "which" for p in preps for w in p.children):
            continue
        subject = next((c for c in clause.children if c.dep_ in SUBJECTS), None)
        if subject is not None and subject.tag_ not in PRONOUN_TAGS:
            return _counted(subject)
    return None


def _culprit(head: Any) -> Any | None:
    """The one blamed for the event: "X was charged with the murder", "police arrested X over the attack",
    "X confessed to the killing", "X is serving a sentence for the killing", "X is a suspect in the attacks".
    """
    node, prep = head, head.head
    for _ in range(3):  # "charged in three attacks, including the bombing": through "including"
        if node.dep_ not in {"pobj", "pcomp"} or prep.dep_ != "prep":
            return None
        if prep.lower_ != "including" or prep.head.pos_ not in {"NOUN", "PROPN"}:
            break
        node, prep = prep.head, prep.head.head
    if prep.lower_ not in {"for", "in", "with", "of", "over", "to"}:
        return None
    owner = prep.head
    words = actor_words()
    lemma = owner.lemma_.lower()
    if owner.pos_ in {"VERB", "AUX"} and lemma in words.culprit_verbs:
        charged = next((c for c in owner.children if c.dep_ in {"nsubjpass", *OBJECTS}), None)
        return _counted(charged) if charged is not None else None
    if owner.pos_ in {"VERB", "AUX"} and lemma in words.confessing:
        return _clause_subject(owner)
    if owner.pos_ == "ADJ" and lemma in words.culprit_adjectives and owner.dep_ == "acomp":
        return _clause_subject(owner.head)  # "X was responsible for the attack"
    if owner.pos_ == "NOUN" and (lemma in words.culprit_nouns or owner.lower_ in words.culprit_nouns):
        return _holder(owner)
    return None


def _holder(noun: Any) -> Any | None:
    """Who holds a noun of blame: "X is a suspect", "a suspect, X", "X, a suspect", "X serves a sentence"."""
    if noun.dep_ == "attr":
        holder = _copula_subject(noun)
        return holder if holder.i != noun.i else None
    named = next((c for c in noun.children if c.dep_ == "appos"), None)
    if named is not None:
        return named
    if noun.dep_ == "appos":
        return noun.head
    verb = noun.head
    if noun.dep_ in OBJECTS and verb.lemma_.lower() in actor_words().holding:
        return _clause_subject(verb)
    return None


def _side_with(head: Any) -> Any | None:
    """"died in a shootout with police": a two-sided event names one side after "with"."""
    words = actor_words()
    if head.lemma_.lower() not in words.mutual and head.lower_ not in words.mutual:
        return None
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "with"):
        side = next((_counted(c) for c in prep.children if c.dep_ == "pobj"), None)
        if side is not None and (_is_people(side) or side.ent_type_ in {"ORG", "NORP"}):
            return side
    return None


def _clause_subject(verb: Any) -> Any | None:
    """The subject (or passive subject) of a verb, or of the verb it is coordinated with."""
    for _ in range(2):
        subject = next((c for c in verb.children if c.dep_ in {*SUBJECTS, "nsubjpass"}), None)
        if subject is not None:
            return _counted(subject)
        if verb.dep_ != "conj":
            break
        verb = verb.head
    return None


def _relative_antecedent(pronoun: Any, attached: Any) -> Any:
    """"a member of the group X, which tried ...": "which" stands for a thing or group, never a person,
    so where the parser hung it on a person, the group just before it is the antecedent."""
    if pronoun.lower_ != "which" or not _is_person_word(attached):
        return attached
    i = pronoun.i - 1
    while i > attached.i and pronoun.doc[i].is_punct:
        i -= 1
    near = pronoun.doc[i]
    if near.i != attached.i and near.pos_ in {"NOUN", "PROPN"} \
            and (near.ent_type_ in {"ORG", "NORP"} or near.lemma_.lower() in actor_words().collective):
        return near
    return attached


def _is_person_word(token: Any) -> bool:
    """One person: a PERSON name, or a singular people noun that is no group ("man", not "police")."""
    if token.ent_type_ == "PERSON":
        return True
    return _is_people(token) and token.tag_ == "NN" and not _is_collective(token)


def _is_collective(token: Any) -> bool:
    words = actor_words()
    return token.lemma_.lower() in words.collective or token.lower_ in words.collective


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
        subject = _clause_subject(clause)
        if subject is not None and subject.i != pronoun.i and _agrees(pronoun, subject, article):
            return None if _is_victim(subject) else subject
    start = pronoun.sent.start
    if start == 0:
        return None
    subject = _clause_subject(pronoun.doc[start - 1].sent.root)
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
        person = _is_person_word(token)
        group = token.ent_type_ in {"ORG", "NORP"} or _is_collective(token) \
            or (token.ent_type_ == "GPE" and _is_state(token, article))
    wanted = _PERSONAL[pronoun.lower_]
    if wanted == "person":
        return person and not several
    if wanted == "group":
        return group and not several
    return several and (_is_people(token) or linked is not None or token.ent_type_ in {"PERSON", "ORG", "NORP"}) \
        or group


def _named_as_people(actor: Actor, token: Any, head: Any) -> Actor:
    """"terrorist bombings": the doers are named as the people ("terrorists"), the words stay "terrorist"."""
    people = actor_words().adjective_people.get(token.lower_)
    if actor.entity_id is not None or people is None or token.dep_ not in {"amod", "compound"} \
            or _is_people(token.head):
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
        return Actor(entity.id, entity.name, entity.kind, mention)
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
    if mention.start <= token.idx < mention.end or not _is_people(token):
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
