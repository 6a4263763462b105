"""The doer of an event in the parse: which token names who did it.

From the trigger's head token, :func:`doer_tokens` walks the dependency parse to the doer (the
subject, the agent of a passive, "the Legion's raid", "a rally by media workers", "X launched a raid",
"X was charged with the murder") and its coordinated doers. Tokens only: :mod:`.actors` turns them
into actors linked to the article's entities, and resolves pronouns.
"""

from __future__ import annotations

from typing import Any

from .args import OBJECTS, PRONOUN_TAGS, SUBJECTS, actor_words, argument_words

__all__ = ["clause_subject", "doer_tokens", "is_collective", "is_crowd_noun", "is_people", "is_person_word"]


def doer_tokens(head: Any) -> list[Any]:
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
            if antecedent.pos_ == "NOUN" and not is_people(antecedent):
                return _doer(antecedent, depth + 1) or antecedent  # "sniper shootings that injured"
            return antecedent
        return _counted(subject)
    if head.pos_ in {"NOUN", "PROPN"}:
        if is_people(head):
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
            if pobj is not None and is_people(_counted(pobj)):
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
    if head.dep_ == "amod" and head.tag_ == "VBG" and is_crowd_noun(head.head):
        return head.head  # "thousands of rallying students", "rallying Cuban scientists"
    if head.dep_ in {"xcomp", "conj", "advcl"} and head.head.pos_ in {"VERB", "AUX"}:
        return _doer(head.head, depth + 1)  # "X went on to attack", "X stormed and burned"
    return _culprit(head)  # "X was charged with assaulting a guard"


def is_people(token: Any) -> bool:
    """A common noun (or adjective: "terrorist bombings") that names people or a group."""
    nouns = argument_words().actor_nouns
    return token.pos_ in {"NOUN", "ADJ"} and (token.lemma_.lower() in nouns or token.lower_ in nouns)


def is_crowd_noun(token: Any) -> bool:
    """People named by a people noun, or by any plural under a nationality ("Cuban scientists")."""
    if is_people(token):
        return True
    return token.tag_ == "NNS" and any(c.ent_type_ == "NORP" and c.dep_ in {"amod", "compound"} for c in token.children)


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
    if is_people(token) or token.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}:
        return _counted(token)
    owner = next((c for c in token.children if c.dep_ == "poss" and c.tag_ not in PRONOUN_TAGS
                  or c.dep_ in {"compound", "amod"} and is_people(c)), None)  # "by sniper fire"
    if owner is not None:
        return owner
    for clause in (c for c in token.children if c.dep_ == "acl"):  # "by a bomb planted by militants"
        agent = next((c for c in clause.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if pobj is not None and (is_people(pobj) or pobj.ent_type_ in {"PERSON", "ORG", "NORP"}):
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
    if child.dep_ == "compound" and is_people(child):
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
        return clause_subject(owner)
    if owner.pos_ == "ADJ" and lemma in words.culprit_adjectives and owner.dep_ == "acomp":
        return clause_subject(owner.head)  # "X was responsible for the attack"
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
        return clause_subject(verb)
    return None


def _side_with(head: Any) -> Any | None:
    """"died in a shootout with police": a two-sided event names one side after "with"."""
    words = actor_words()
    if head.lemma_.lower() not in words.mutual and head.lower_ not in words.mutual:
        return None
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "with"):
        side = next((_counted(c) for c in prep.children if c.dep_ == "pobj"), None)
        if side is not None and (is_people(side) or side.ent_type_ in {"ORG", "NORP"}):
            return side
    return None


def clause_subject(verb: Any) -> Any | None:
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
    if pronoun.lower_ != "which" or not is_person_word(attached):
        return attached
    i = pronoun.i - 1
    while i > attached.i and pronoun.doc[i].is_punct:
        i -= 1
    near = pronoun.doc[i]
    if near.i != attached.i and near.pos_ in {"NOUN", "PROPN"} \
            and (near.ent_type_ in {"ORG", "NORP"} or near.lemma_.lower() in actor_words().collective):
        return near
    return attached


def is_person_word(token: Any) -> bool:
    """One person: a PERSON name, or a singular people noun that is no group ("man", not "police")."""
    if token.ent_type_ == "PERSON":
        return True
    return is_people(token) and token.tag_ == "NN" and not is_collective(token)


def is_collective(token: Any) -> bool:
    words = actor_words()
    return token.lemma_.lower() in words.collective or token.lower_ in words.collective
