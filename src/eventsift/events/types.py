"""Event triggers and their types: which words of a sentence name an event, and what kind it is.

A trigger is typed in three taxonomies at once: ACLED event and sub-event type (exact names from
../shared/taxonomy/acled.yaml), CAMEO root code and PLOVER type and mode. The lexicon and the
mappings live in data files (data/event_lexicon.yaml, data/event_mappings.yaml), compiled by
:mod:`.trigger_lexicon` (re-exported here).

How a sentence is read (:func:`find_triggers`):

1. Each token's lemma is looked up in the lexicon (one dict lookup per token); a lemma's rules are
   tried in order against the token's near words in the dependency parse (children, grandchildren,
   head, head's head) and its victim (object, passive subject, "on"/"against" object).
2. Some rules resolve their kind from the clause's words: ``weapon`` ("attack", "fire", "strike":
   drones, aircraft, artillery, small arms ...), ``explosive`` ("explosion", "derailment") and
   ``protest`` (dispersed, violent or lethal).
3. Tokens inside proper names, or under "prevent"/"keep ... from", are not triggers.
4. Triggers in one clause (conjoined verbs and participial add-ons count as one clause) name one
   event: the kind listed first in ``precedence`` wins ("shelled, assaulted and were repulsed" is an
   armed clash). A sentence keeps its strongest trigger, plus any other strong one of another kind
   from another clause ("a sentence clearly reports two different events").

Future and hypothetical mentions ("the fighting would continue") are returned; the status stage marks
them. Territorial changes come out provisional: :func:`refine_type` decides government vs non-state.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from .trigger_lexicon import EventType, Lexicon, Rule, event_type, load_lexicon, modern_plover, old_acled_type

__all__ = [
    "EventType",
    "Lexicon",
    "Trigger",
    "event_type",
    "find_triggers",
    "load_lexicon",
    "main_trigger",
    "modern_plover",
    "old_acled_type",
    "refine_type",
    "sentence_triggers",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Trigger:
    """The words that name one event in a sentence, with the event's type.

    ``start``/``end``/``text`` point into the article body (``body[start:end] == text``);
    ``token_i`` is the index of the trigger's head token in ``article.doc``; ``sentence_start``/
    ``sentence_end`` bound its sentence (character offsets into the body).
    """

    start: int
    end: int
    text: str
    token_i: int
    sentence_start: int
    sentence_end: int
    acled_event_type: str
    acled_sub_event_type: str
    cameo_root: str | None
    plover_type: str | None
    plover_mode: str | None = None
    score: float = 1.0
    cue: str | None = None  # the lexicon entry that matched, for explanations


# Resolution order for "weapon" rules: the first class present in the clause decides the kind.
_WEAPON_ORDER = (
    ("chemical", "chemical_weapon"),
    ("suicide", "suicide_bomb"),
    ("drone", "drone_strike"),
    ("air", "air_strike"),
    ("small_arms", "armed_clash"),
    ("heavy", "shelling"),
    ("explosive", "remote_explosive"),
    ("grenade", "grenade"),
)
_EXPLOSIVE_ORDER = (
    ("suicide", "suicide_bomb"),
    ("drone", "drone_strike"),
    ("air", "air_strike"),
    ("heavy", "shelling"),
    ("explosive", "remote_explosive"),
    ("grenade", "grenade"),
)
# Proper-name tokens are never triggers ("Freedom of Russia Legion", "Battle Creek").
_NAME_ENTS = frozenset({"ORG", "PERSON", "GPE", "NORP", "FAC", "WORK_OF_ART", "LAW", "PRODUCT", "LOC"})
# Governors under which a mention is a non-event: "prevent attacks", "keep artillery from firing".
_PREVENT = frozenset({"prevent", "avert", "deter", "thwart", "foil", "forestall"})
_PREVENT_FROM = frozenset({"keep", "stop", "stave", "bar", "ban", "prohibit"})
_VICTIM_DEPS = frozenset({"dobj", "nsubjpass", "obj", "attr"})
_VICTIM_PREPS = frozenset({"on", "against", "at"})
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "parataxis", "pcomp"})
_DESCRIPTIVE = 0.25  # penalty for a participle that describes a noun
_WEAK = 0.5  # below this a cue only stands in when nothing else is there
_STRONG = 0.75  # triggers at least this sure take part in precedence; a second event in a sentence needs it


# -- reading one token -------------------------------------------------------------------------------


_SIBLING_DEPS = frozenset({"prt", "dobj", "compound"})


def _near(token: Any) -> set[str]:
    """Lemmas of the token's children, grandchildren, head and head's head (lower case)."""
    near: set[str] = set()
    for child in token.children:
        near.add(child.lemma_.lower())
        near.update(grand.lemma_.lower() for grand in child.children)
    if token.head.i != token.i:
        near.add(token.head.lemma_.lower())
        near.update(_sibling_lemmas(token.doc).get(token.head.i, ()))
        if token.head.head.i != token.head.i:
            near.add(token.head.head.lemma_.lower())
    near.discard(token.lemma_.lower())
    return near


def _sibling_lemmas(doc: Any) -> dict[int, tuple[str, ...]]:
    """Head index -> lemmas of its particle, object and compound children, built in one pass per Doc:
    walking ``head.children`` for every token scans the head's whole span, quadratic in a long sentence."""
    from ..read.nlp import per_doc

    def build(doc: Any) -> dict[int, tuple[str, ...]]:
        found: dict[int, list[str]] = {}
        for t in doc:
            if t.dep_ in _SIBLING_DEPS and t.head.i != t.i:
                found.setdefault(t.head.i, []).append(t.lemma_.lower())
        return {head: tuple(lemmas) for head, lemmas in found.items()}

    return per_doc(doc, "sibling_lemmas", build)


def _victims(token: Any) -> list[Any]:
    """Who an act is done to: its object or passive subject, or the object of "on"/"against"."""
    found = [c for c in token.children if c.dep_ in _VICTIM_DEPS]
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lemma_.lower() in _VICTIM_PREPS:
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    if token.dep_ in ("acl", "relcl") and token.tag_ == "VBN":  # "civilians killed in ..."
        found.append(token.head)
    found.extend(conj for f in list(found) for conj in f.conjuncts)
    return found


def _victim_lemmas(token: Any) -> set[str]:
    lemmas: set[str] = set()
    for victim in _victims(token):
        lemmas.add(victim.lemma_.lower())
        lemmas.update(c.lemma_.lower() for c in victim.children if c.dep_ in ("compound", "amod"))
        if victim.ent_type_ in ("GPE", "LOC", "FAC"):
            lemmas.add("@place")
        if victim.ent_type_ == "PERSON":
            lemmas.add("person")
    return lemmas


def _clause_head(token: Any) -> Any:
    """The verb heading the token's clause; conjoined verbs and participial add-ons share their head's."""
    current = token
    for _ in range(50):
        if current.dep_ == "conj" and current.head.i != current.i:
            current = current.head
            continue
        if current.dep_ == "advcl" and current.tag_ == "VBG":  # "shelled the town, killing two"
            current = current.head
            continue
        if current.pos_ in ("VERB", "AUX") and current.dep_ in _CLAUSE_DEPS:
            return current
        if current.head.i == current.i:
            return current
        current = current.head
    return current


def _clause_words(token: Any) -> tuple[set[str], set[tuple[str, str]]]:
    """Lemmas (and consecutive lemma pairs) of the token's clause, for weapon and protest resolution."""
    head = _clause_head(token)
    tokens = list(head.subtree) if head.i != token.i or token.pos_ in ("VERB", "AUX") else list(token.sent)
    lemmas = [t.lemma_.lower() for t in tokens]
    return set(lemmas), set(pairwise(lemmas))


def _blocked(token: Any) -> bool:
    """True for proper-name tokens and mentions under "prevent", "keep ... from"."""
    if token.ent_type_ in _NAME_ENTS:
        return True
    via_from = False
    for ancestor in token.ancestors:
        lemma = ancestor.lemma_.lower()
        if lemma in _PREVENT or (via_from and lemma in _PREVENT_FROM):
            return True
        via_from = via_from or lemma == "from"
        if ancestor.dep_ == "ROOT":
            break
    return False


def _rule_holds(rule: Rule, token: Any, near: set[str], lex: Lexicon) -> bool:
    if rule.pos and token.pos_ not in rule.pos:
        return False
    if rule.without and not rule.without.isdisjoint(near):
        return False
    if rule.no_deps and any(c.dep_ in rule.no_deps for c in token.children):
        return False
    if (rule.with_ or rule.with_classes) and rule.with_.isdisjoint(near) and not any(
        lex.in_class(c, near) for c in rule.with_classes
    ):
        return False
    if rule.victim or rule.not_victim:
        victims = _victim_lemmas(token)
        if rule.not_victim and lex.in_class(rule.not_victim, victims):
            return False
        if rule.victim and not (
            lex.in_class(rule.victim, victims) or (rule.victim == "place" and "@place" in victims)
        ):
            return False
    return True


def _resolve(rule: Rule, token: Any, lex: Lexicon) -> str | None:
    if rule.resolve is None:
        return rule.type
    lemmas, pairs = _clause_words(token)
    lemmas.discard(token.lemma_.lower())
    if rule.resolve == "protest":
        if lex.in_class("protest_lethal", lemmas):
            return "excessive_force"
        if lex.in_class("protest_violent", lemmas):
            return "violent_demonstration"
        if lex.in_class("protest_intervention", lemmas, pairs):
            return "protest_intervention"
        return rule.type
    order = _WEAPON_ORDER if rule.resolve == "weapon" else _EXPLOSIVE_ORDER
    for name, kind in order:
        if lex.in_class(name, lemmas, pairs):
            return kind
    return rule.type


def _match(token: Any, lex: Lexicon) -> tuple[Rule, str] | None:
    """The first rule of the token's lemma that holds, with the event kind it gives."""
    rules = lex.rules.get(token.lemma_.lower())
    if not rules:
        return None
    near = _near(token)
    for rule in rules:
        if _rule_holds(rule, token, near, lex):
            kind = _resolve(rule, token, lex)
            return (rule, kind) if kind else None
    return None


def _span(token: Any) -> tuple[int, int]:
    """Character span of the trigger: a noun with its compounds to the left, a verb with its particle."""
    start_i = token.i
    for child in reversed(list(token.lefts)):
        if child.dep_ == "compound" and child.i == start_i - 1:
            start_i = child.i
    end_i = token.i
    for child in token.rights:
        if child.dep_ == "prt" and child.i == end_i + 1:
            end_i = child.i
    doc = token.doc
    return doc[start_i].idx, doc[end_i].idx + len(doc[end_i].text)


def _trigger(token: Any, rule: Rule, kind: EventType, body: str, sent: Any) -> Trigger:
    start, end = _span(token)
    score = rule.score
    if token.dep_ in ("acl", "amod") and token.tag_ == "VBG" and rule.resolve != "protest":
        score -= _DESCRIPTIVE  # "dissidents battling Putin" describes an actor, not an event
    return Trigger(
        start=start,
        end=end,
        text=body[start:end],
        token_i=token.i,
        sentence_start=sent.start_char,
        sentence_end=sent.end_char,
        acled_event_type=kind.acled_event_type,
        acled_sub_event_type=kind.acled_sub_event_type,
        cameo_root=kind.cameo_root,
        plover_type=kind.plover_type,
        plover_mode=kind.plover_mode,
        score=round(score, 3),
        cue=f"{rule.lemma}:{kind.key}",
    )


# -- reading one sentence ----------------------------------------------------------------------------


def _candidates(sent: Any, body: str, lex: Lexicon, include_all: bool) -> Iterator[tuple[Trigger, int, str]]:
    for token in sent:
        if token.lemma_.lower() not in lex.rules or _blocked(token):
            continue
        found = _match(token, lex)
        if found is None:
            continue
        rule, key = found
        kind = lex.types[key]
        if not kind.acled_event_type and not include_all:
            continue
        yield _trigger(token, rule, kind, body, sent), _clause_head(token).i, key


def _rank(item: tuple[Trigger, int, str], lex: Lexicon) -> tuple[int, int, float, int]:
    trigger, _clause, key = item
    strong = trigger.score >= _STRONG
    return (0 if strong else 1, lex.precedence.get(key, len(lex.precedence)), -trigger.score, trigger.token_i)


def sentence_triggers(sent: Any, body: str, *, include_all: bool = False, keep_all: bool = False) -> list[Trigger]:
    """The triggers of one spaCy sentence span, one per event mention, in text order.

    ``keep_all`` skips the choice of one trigger per event mention (every candidate comes back).
    """
    lex = load_lexicon()
    found = list(_candidates(sent, body, lex, include_all))
    if not found or keep_all:
        return [item[0] for item in found]
    found = _without_weapon_consequences(found, sent.doc, lex)
    by_token = {t.token_i: key for t, _c, key in found}
    # A noun compound inside a longer trigger of the same kind is that trigger ("arson attacks").
    doc = sent.doc
    found = [
        item for item in found
        if not (doc[item[0].token_i].dep_ == "compound" and by_token.get(doc[item[0].token_i].head.i) == item[2])
    ]
    clauses: dict[int, tuple[Trigger, int, str]] = {}
    for item in found:
        best = clauses.get(item[1])
        if best is None or _rank(item, lex) < _rank(best, lex):
            clauses[item[1]] = item
    winners = sorted(clauses.values(), key=lambda item: (-item[0].score, _rank(item, lex)))
    kept = [winners[0]]
    for item in winners[1:]:
        trigger = item[0]
        if trigger.score < _STRONG:
            continue
        # another kind, or a verb with a subject of its own telling another act of the same kind ("the
        # protest marked a return to December, when thousands rallied"); the events stage merges the
        # mentions of one event
        if all(_kind_of(trigger) != _kind_of(k[0]) for k in kept) or _own_subject(doc[trigger.token_i]):
            kept.append(item)
    return sorted((item[0] for item in kept), key=lambda t: t.start)


def _own_subject(token: Any) -> bool:
    """A verb with its own subject ("thousands rallied"), not a participle that adds to another act."""
    return token.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)


def _without_weapon_consequences(
    found: list[tuple[Trigger, int, str]], doc: Any, lex: Lexicon
) -> list[tuple[Trigger, int, str]]:
    """Drop "killed"/"injured" civilian attacks when the sentence names the weapon event that did it."""
    if not any(t.acled_event_type == "Explosions/Remote violence" for t, _c, _k in found):
        return found
    return [
        item for item in found
        if not (item[2] == "civilian_attack" and doc[item[0].token_i].lemma_.lower() in lex.weapon_consequences)
    ]


def _kind_of(trigger: Trigger) -> tuple[str, str, str | None]:
    return trigger.acled_event_type, trigger.acled_sub_event_type, trigger.plover_type


def find_triggers(article: Any, *, include_all: bool = False, keep_all: bool = False) -> list[Trigger]:
    """Every event-naming expression in ``article.doc``, typed, in text order.

    By default only kinds ACLED codes are returned; ``include_all`` adds the rest (statements,
    visits, demands, accusations, ... with ``acled_event_type == ""``), for CAMEO/PLOVER coding.
    ``keep_all`` returns every candidate instead of one trigger per event mention.
    """
    doc = getattr(article, "doc", None)
    if doc is None:
        logger.debug("find_triggers: article %s has no parse", getattr(article, "id", "?"))
        return []
    body = article.body or doc.text
    triggers: list[Trigger] = []
    for sent in doc.sents:
        for segment in _segments(sent):
            triggers.extend(sentence_triggers(segment, body, include_all=include_all, keep_all=keep_all))
    return triggers


def _segments(sent: Any) -> Iterator[Any]:
    """The sentence cut at line breaks: the parser sometimes runs a sentence across paragraphs."""
    start = sent.start
    for token in sent:
        if token.is_space and "\n" in token.text:
            if token.i > start:
                yield sent.doc[start : token.i]
            start = token.i + 1
    if start < sent.end:
        yield sent.doc[start : sent.end]


def refine_type(
    trigger: Trigger,
    actor1_kind: str | None,
    actor2_kind: str | None,
    *,
    actor1_domestic: bool | None = None,
) -> Trigger:
    """Settle a territorial change once the actors are known.

    ACLED codes "Government regains territory" when the state's own forces (or their allies) take
    ground from a non-state group, and "Non-state actor overtakes territory" otherwise. A state actor
    fighting abroad (``actor1_domestic`` False) takes ground as a non-state actor does. Other
    triggers come back unchanged.
    """
    if trigger.acled_event_type != "Battles" or trigger.acled_sub_event_type == "Armed clash":
        return trigger
    lex = load_lexicon()
    state1 = (actor1_kind or "").lower() in lex.state_kinds
    state2 = (actor2_kind or "").lower() in lex.state_kinds
    regained = state1 and not state2 and actor1_domestic is not False
    kind = lex.types["territory_regained" if regained else "territory_taken"]
    if not regained and actor1_kind is None and trigger.acled_sub_event_type == kind.acled_sub_event_type:
        return trigger
    return replace(
        trigger,
        acled_sub_event_type=kind.acled_sub_event_type,
        plover_type=kind.plover_type,
        plover_mode=kind.plover_mode,
        cameo_root=kind.cameo_root,
    )


def main_trigger(triggers: Sequence[Trigger], doc: Any = None) -> Trigger | None:
    """The one trigger that stands for a one-sentence report, as event coders read it.

    The governing act wins over what it governs ("threatened to attack" is a threat, "agreed to
    release" an agreement): the trigger nearest the root of the parse, among those that are not
    weak cues (reporting verbs); then the surest.
    """
    if not triggers:
        return None

    def depth(trigger: Trigger) -> int:
        if doc is None:
            return 0
        return sum(1 for _ in doc[trigger.token_i].ancestors)

    return min(triggers, key=lambda t: (t.score < _WEAK, depth(t), -t.score, t.start))
