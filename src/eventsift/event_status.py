"""Whether an event is fact, claim, denial or rumour, who claims it, and when it stands in time.

Status (FORMAT.md): asserted (the article states it), claimed (a source says so: a quote, reported
speech, "X claimed"), denied, unverified (the article's own hedges: "reportedly", "unverified reports"),
planned (threatened, vowed, "will"), hypothetical ("if", "could"), negated ("did not attack").
Temporal status: new (news of this article), past (background: "In May 2023, ..."), habitual ("burning
war commissariats"), ongoing ("since the invasion ...").

Every claim and hedge carries the words it was read from. The cue words live in data/event_status.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .event_types import Trigger
from .records import Article, Claim, Quote, Span, When

__all__ = ["StatusReading", "article_hedges", "event_status", "same_claim", "temporal_status"]

# Background events lie at least this far before the publication date.
_PAST_DAYS = 21


@dataclass(frozen=True)
class StatusCues:
    hedges: tuple[str, ...]
    report_nouns: frozenset[str]
    claim_verbs: frozenset[str]
    denial_verbs: frozenset[str]
    planned_lemmas: frozenset[str]
    future_auxiliaries: frozenset[str]
    hypothetical_markers: frozenset[str]
    negations: frozenset[str]
    habitual_markers: frozenset[str]
    past_markers: tuple[str, ...]
    unidentified_cues: tuple[str, ...]


@lru_cache(maxsize=1)
def cues() -> StatusCues:
    raw = yaml.safe_load(resources.files("eventsift.data").joinpath("event_status.yaml").read_text(encoding="utf-8"))
    return StatusCues(
        hedges=tuple(sorted(raw["hedges"], key=len, reverse=True)),
        report_nouns=frozenset(raw["report_nouns"]),
        claim_verbs=frozenset(raw["claim_verbs"]),
        denial_verbs=frozenset(raw["denial_verbs"]),
        planned_lemmas=frozenset(raw["planned_lemmas"]),
        future_auxiliaries=frozenset(raw["future_auxiliaries"]),
        hypothetical_markers=frozenset(raw["hypothetical_markers"]),
        negations=frozenset(raw["negations"]),
        habitual_markers=frozenset(raw["habitual_markers"]),
        past_markers=tuple(raw["past_markers"]),
        unidentified_cues=tuple(raw["unidentified_cues"]),
    )


@lru_cache(maxsize=1)
def _hedge_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(h) for h in cues().hedges) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class StatusReading:
    status: str
    claims: list[Claim]
    hedges: list[Span]


def _span(article: Article, start: int, end: int) -> Span:
    return Span(start, end, article.body[start:end])


def hedges_in(article: Article, start: int, end: int) -> list[Span]:
    """Hedge words between two body offsets."""
    return [_span(article, start + m.start(), start + m.end()) for m in _hedge_pattern().finditer(article.body[start:end])]


def article_hedges(article: Article) -> list[Span]:
    """Hedges about the article's reports as a whole: "The unverified reports gave no details ..."."""
    found: list[Span] = []
    if article.doc is None:
        return found
    for sent in article.doc.sents:
        for subject in sent:
            if subject.dep_ in {"nsubj", "nsubjpass"} and subject.lemma_.lower() in cues().report_nouns:
                start, end = subject.left_edge.idx, subject.idx + len(subject.text)
                found.extend(hedges_in(article, start, end))
    return found


def same_claim(a: Claim, b: Claim) -> bool:
    """One claim twice: the same words, or the same source through the same channel."""
    same_words = a.span.start < b.span.end and b.span.start < a.span.end
    return same_words or (a.entity_id is not None and a.entity_id == b.entity_id and a.channel == b.channel)


def _quote_claims(trigger: Trigger, article: Article) -> list[Claim]:
    names = {e.id: e.name for e in article.entities}
    claims: list[Claim] = []
    for quote in article.quotes:
        if quote.content.start <= trigger.start and trigger.end <= quote.content.end:
            claim = _claim_from_quote(quote, names, article)
            if not any(same_claim(claim, c) for c in claims):
                claims.append(claim)
    return claims


def _claim_from_quote(quote: Quote, names: dict[str, str], article: Article) -> Claim:
    speaker = quote.speaker
    claimant = names.get(speaker.entity_id or "", speaker.text)
    if speaker.start is not None and speaker.end is not None:
        span = _span(article, speaker.start, speaker.end)
    else:
        span = quote.cue or quote.content
    return Claim(claimant, speaker.entity_id, quote.channel, span)


def _governors(token: Any) -> list[Any]:
    """The verbs above the trigger, nearest first, within its sentence."""
    chain, current = [], token
    while current.head.i != current.i:  # the root is its own head (Token objects are not reused)
        current = current.head
        chain.append(current)
    return chain


def _subject_claim(verb: Any, article: Article) -> Claim | None:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects:
        return None
    subject = subjects[0]
    start, end = subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
    entity = _entity_at(article, subject.idx, subject.idx + len(subject.text))
    name = entity[1] if entity else article.body[start:end]
    return Claim(name, entity[0] if entity else None, None, _span(article, start, end))


def _entity_at(article: Article, start: int, end: int) -> tuple[str, str] | None:
    for entity in article.entities:
        if any(m.start < end and start < m.end for m in entity.mentions):
            return entity.id, entity.name
    return None


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _has_child(token: Any, words: frozenset[str], deps: set[str] | None = None) -> bool:
    return any(c.lower_ in words and (deps is None or c.dep_ in deps) for c in token.children)


def _modality(head: Any) -> str | None:
    """negated, hypothetical or planned, read from the trigger and the verbs that govern it."""
    c = cues()
    chain = [head, *_governors(head)[:2]]
    if any(_has_child(t, c.negations, {"neg", "det"}) for t in chain[:2]):
        return "negated"
    if any(_has_child(t, c.hypothetical_markers, {"mark", "aux", "advmod"}) for t in chain):
        return "hypothetical"
    if any(t.lemma_.lower() in c.planned_lemmas for t in chain[1:]):
        return "planned"
    if any(_has_child(t, c.future_auxiliaries, {"aux"}) for t in chain[:2]):
        return "planned"
    return None


def event_status(trigger: Trigger, article: Article) -> StatusReading:
    """Status, claims and hedges of one event mention."""
    head = article.doc[trigger.token_i]
    about_reports = article_hedges(article)  # these hedge the reports, not this sentence's event
    hedges = [h for h in hedges_in(article, trigger.sentence_start, trigger.sentence_end) if h not in about_reports]
    claims = _quote_claims(trigger, article)
    denied = False
    for verb in _governors(head)[:3]:
        lemma = verb.lemma_.lower()
        if lemma in cues().denial_verbs or lemma in cues().claim_verbs:
            claim = _subject_claim(verb, article)
            # A quote already names the source better (speaker, channel) than the clause's subject.
            if claim is not None and not claims:
                claims.append(claim)
            denied = denied or lemma in cues().denial_verbs
    status = _modality(head)
    if status is None:
        status = "denied" if denied else "claimed" if claims else "unverified" if hedges else "asserted"
    return StatusReading(status, claims, hedges)


def temporal_status(trigger: Trigger, article: Article, when: When | None) -> str:
    """new, past, habitual or ongoing."""
    c = cues()
    head = article.doc[trigger.token_i]
    sentence = article.body[trigger.sentence_start:trigger.sentence_end].lower()
    if when is not None and when.precision == "range" and when.start and not when.end:
        return "ongoing"
    if _is_background(when, article, head) or any(m in sentence for m in c.past_markers):
        return "past"
    if when is not None and when.precision == "range":
        return "ongoing"
    nearby = {t.lower_ for t in head.subtree} | {t.lower_ for t in head.head.children} | {head.head.lower_}
    if nearby & c.habitual_markers or _is_habitual_gerund(head):
        return "habitual"
    return "new"


def _is_background(when: When | None, article: Article, head: Any) -> bool:
    if when is None or when.start is None or when.precision in {"reported", "range"}:
        return False
    if article.published:
        return _period_end(when.end or when.start) < _days_before(article.published, _PAST_DAYS)
    # No publication date: an absolute month or year told in the past tense is background.
    return when.precision in {"month", "year"} and head.tag_ in {"VBD", "VBN", "NN", "NNS"} and any(
        t.tag_ == "VBD" for t in head.sent
    )


def _period_end(value: str) -> str:
    """The last day a YYYY[-MM[-DD]] value covers, comparable as a string with YYYY-MM-DD."""
    return {4: value + "-12-31", 7: value + "-31"}.get(len(value), value)


def _days_before(published: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(published) - timedelta(days=days)).isoformat()


def _is_habitual_gerund(head: Any) -> bool:
    """"burning war commissariats", "doing acts of sabotage": gerunds naming what a group does."""
    for token in [head, *_governors(head)[:4]]:
        if token.tag_ != "VBG":
            continue
        has_be = any(c.dep_ == "aux" and c.lemma_ == "be" for c in token.children)
        if not has_be and token.dep_ in {"appos", "conj", "acl", "advcl", "dep", "ROOT", "xcomp", "pcomp"}:
            return True
    return False
