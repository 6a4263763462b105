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
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from ..datafiles import load_data
from ..partial_dates import last_day
from ..read.nlp import per_article
from ..read.reporting_verbs import tagged
from ..records import Article, Claim, Quote, Span, When
from .types import Trigger
from .when import in_lead, is_background_shaped, lead_when

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
    denied_objects: frozenset[str] = frozenset()
    strong_claim_verbs: frozenset[str] = frozenset()
    interested_kinds: frozenset[str] = frozenset()
    interested_sources: tuple[str, ...] = ()
    first_person: frozenset[str] = frozenset()
    unrealised_modifiers: frozenset[str] = frozenset()
    unrealised_governors: frozenset[str] = frozenset()
    generic_adverbs: frozenset[str] = frozenset()
    conditional_marks: frozenset[str] = frozenset()
    cancelling_verbs: frozenset[str] = frozenset()
    neutral_sources: tuple[str, ...] = ()
    frequency_adverbs: frozenset[str] = frozenset()
    frequency_determiners: frozenset[str] = frozenset()
    durative_lemmas: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def cues() -> StatusCues:
    """The cue words of data/event_status.yaml: each list as its field's type (tuple or frozenset)."""
    raw = load_data("event_status.yaml")
    raw.update({f"{tag}_verbs": tagged(tag) for tag in ("claim", "strong_claim", "denial")})  # reporting_verbs.yaml
    values: dict[str, Any] = {f.name: (tuple if str(f.type).startswith("tuple") else frozenset)(raw[f.name]) for f in fields(StatusCues)}
    values["hedges"] = tuple(sorted(raw["hedges"], key=len, reverse=True))  # longest first in the regex
    return StatusCues(**values)


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
    """Hedges about the article's reports as a whole: "The unverified reports gave no details ..."
    (read once per article: every event asks)."""
    return list(per_article(article, "article_hedges", _article_hedges))


def _article_hedges(article: Article) -> list[Span]:
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


def _subject_claim(verb: Any, article: Article, passive: bool = True) -> Claim | None:
    """The source a reporting verb's subject names; ``passive=False``: "were reported killed" names none."""
    subjects = [c for c in verb.children if c.dep_ in ({"nsubj", "nsubjpass"} if passive else {"nsubj"})]
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
    return _unrealised(head)


def _unrealised(head: Any) -> str | None:
    """Events only possible, intended or generic: "a possible strike", "the threat of detention",
    "willing to attack", "a chance to fight", "militants often attack convoys", "until they attack"."""
    c = cues()
    if _has_child(head, c.unrealised_modifiers, {"amod", "compound"}):
        return "planned"
    gov = head.head
    # "organisers cancelled the march", "the strike was called off": the event did not take place.
    phrasal = gov.lemma_.lower() + "".join(" " + t.lower_ for t in gov.children if t.dep_ == "prt")
    if head.dep_ in {"dobj", "nsubjpass"} and (gov.lemma_.lower() in c.cancelling_verbs or phrasal in c.cancelling_verbs):
        return "negated"
    if head.dep_ == "pobj" and gov.lower_ in {"of", "for"} and gov.head.lemma_.lower() in c.unrealised_governors:
        return "planned"
    if head.dep_ == "compound" and gov.lemma_.lower() in c.unrealised_governors:
        return "planned"
    infinitive = head.tag_ == "VB" and any(t.dep_ == "aux" and t.lower_ == "to" for t in head.children)
    if infinitive and gov.i != head.i and (
        (head.dep_ in {"acl", "relcl"} and gov.pos_ in {"NOUN", "PROPN", "PRON"})
        or (head.dep_ == "xcomp" and gov.pos_ == "ADJ")
    ):
        return "planned" if gov.lemma_.lower() in c.unrealised_governors else "hypothetical"
    # "would be used to buy arms to fight insecurity", "would break the law by attacking": an
    # infinitive or a gerund after a preposition shares the modal of the verb it hangs from.
    if infinitive or head.dep_ == "pcomp":
        reach = _governors(head)[:3]
        if any(_has_child(t, c.future_auxiliaries, {"aux"}) for t in reach):
            return "planned"
        if any(_has_child(t, c.hypothetical_markers, {"aux"}) for t in reach):
            return "hypothetical"
    present = head.tag_ in {"VBP", "VBZ"} and not any(t.dep_ in {"aux", "auxpass"} for t in head.children)
    if present and (_has_child(head, c.generic_adverbs, {"advmod"}) or _has_child(head, c.conditional_marks, {"mark"})):
        return "hypothetical"
    return None


def _subject_negated(head: Any) -> bool:
    """"No shots were fired", "no one was arrested": a subject with "no" negates the event."""
    return any(
        s.dep_ in {"nsubj", "nsubjpass"} and (s.lower_ in {"nobody", "none"} or _has_child(s, cues().negations, {"det"}))
        for s in head.children
    )


def _event_hedges(head: Any, article: Article, trigger: Trigger) -> list[Span]:
    """Hedges on this event: a single hedge word on the event word or the verbs governing it ("the
    alleged attack", "reportedly attacked"); a hedge phrase anywhere in the sentence ("could not be
    verified"). "Strikes on alleged terrorist camps" hedges the camps, not the strikes."""
    found = []
    attached = {t.i for t in [head, *_governors(head)[:2]] for t in t.children if t.dep_ in {"amod", "advmod", "acomp"}}
    for hedge in hedges_in(article, trigger.sentence_start, trigger.sentence_end):
        if " " in hedge.text.strip():
            found.append(hedge)
            continue
        token = next((t for t in head.sent if t.idx == hedge.start), None)
        if token is not None and token.i in attached:
            found.append(hedge)
    return found


def _denies(verb: Any, head: Any) -> bool:
    """Whether a denial verb denies the event itself: "denied the attack", "denied that it attacked",
    "rejected reports of an attack"; not "denied permission for the rally"."""
    below = head
    while below.head.i != verb.i:
        if below.head.i == below.i:
            return False
        below = below.head
    if below.i == head.i:
        return head.dep_ in {"dobj", "nsubjpass", "ccomp", "xcomp", "pcomp"}
    if below.dep_ in {"ccomp", "xcomp", "pcomp"}:
        return True
    return below.lemma_.lower() in cues().denied_objects


def _interested(claim: Claim, article: Article) -> bool:
    """A claim by a party with an interest: a conflict actor (by kind, or a person tied to one), or a
    source whose words name one ("the army", "a rebel spokesman")."""
    c = cues()
    by_id = {e.id: e for e in article.entities}
    entity = by_id.get(claim.entity_id or "")
    if entity is not None:
        tied = by_id.get(entity.affiliation or "")
        if entity.kind in c.interested_kinds or (tied is not None and tied.kind in c.interested_kinds):
            return True
    for other in article.entities:
        if other.kind in c.interested_kinds and any(_overlap(m, claim.span) for m in other.mentions):
            return True
    text = " " + re.sub(r"\W+", " ", claim.span.text.lower()) + " "
    return any(f" {w} " in text for w in c.interested_sources)


def _self_claim(head: Any, verb: Any | None) -> bool:
    """The source tells its own act: "we attacked", "our fighters struck" (in a quote), or "X say they
    have launched a raid" (the event's subject is a pronoun standing for the reporting verb's subject)."""
    c = cues()
    doers = [t for t in head.children if t.dep_ in {"nsubj", "poss", "agent"}]
    doers += [g for t in doers if t.dep_ == "agent" for g in t.children]
    if any(t.lower_ in c.first_person or _has_child(t, c.first_person, {"poss"}) for t in doers):
        return True
    if verb is None:
        return False
    return any(t.dep_ == "nsubj" and t.lower_ in {"they", "it", "we"} for t in head.children) and any(
        t.dep_ == "nsubj" for t in verb.children
    )


def event_status(trigger: Trigger, article: Article) -> StatusReading:
    """Status, claims and hedges of one event mention."""
    c = cues()
    head = article.doc[trigger.token_i]
    about_reports = article_hedges(article)  # these hedge the reports, not this sentence's event
    hedges = [h for h in _event_hedges(head, article, trigger) if h not in about_reports]
    claims = _quote_claims(trigger, article)
    # Every source is kept as a claim (who says so); only a party with an interest makes it "claimed".
    interested = any(_interested(claim, article) for claim in claims) or (bool(claims) and _self_claim(head, None))
    denied = False
    for verb in _governors(head)[:3]:
        lemma = verb.lemma_.lower()
        if lemma in c.denial_verbs or lemma in c.claim_verbs:
            claim = _subject_claim(verb, article, passive=lemma in c.denial_verbs)
            if claim is None:
                continue
            # A quote already names the source better (speaker, channel) than the clause's subject.
            if not claims:
                claims.append(claim)
            interested = interested or lemma in c.strong_claim_verbs or _interested(claim, article)
            interested = interested or (_self_claim(head, verb) and not _neutral(claim))
            denied = denied or (lemma in c.denial_verbs and _denies(verb, head))
    status = "negated" if _subject_negated(head) else _modality(head)
    if status is None:
        status = "denied" if denied else "claimed" if interested else "unverified" if hedges else "asserted"
    return StatusReading(status, claims, hedges)


def _neutral(claim: Claim) -> bool:
    """Police, officials, witnesses, hospitals, media: sources that report, not parties that claim."""
    text = " " + re.sub(r"\W+", " ", claim.span.text.lower()) + " "
    return any(f" {w} " in text for w in cues().neutral_sources)


def temporal_status(trigger: Trigger, article: Article, when: When | None) -> str:
    """new, past, habitual or ongoing."""
    status = _temporal_status(trigger, article, when)
    if status == "past" and _repeated_in_perfect(article.doc[trigger.token_i]):
        return "habitual"  # "has launched raids into Russia": a pattern, not one earlier event
    return status


def _repeated_in_perfect(head: Any) -> bool:
    """A plural event noun with no article, number or date, object of a perfect ("has launched raids")."""
    perfect = head.dep_ in {"dobj", "obj"} and any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.head.children)
    return perfect and head.tag_ == "NNS" and not any(
        c.dep_ in {"det", "nummod", "poss"} or c.ent_type_ in {"DATE", "CARDINAL"} for c in head.children)


def _temporal_status(trigger: Trigger, article: Article, when: When | None) -> str:
    c = cues()
    head = article.doc[trigger.token_i]
    sentence = article.body[trigger.sentence_start:trigger.sentence_end].lower()
    if _told_as_frequent(head):
        return "habitual"
    running = _perfect_since(head, article)
    if running is not None:
        return running
    if when is not None and when.precision == "range" and when.start and not when.end:
        return "ongoing"
    if _is_background(when, article, head) or any(m in sentence for m in c.past_markers):
        return "past"
    if when is not None and when.precision == "range":
        return "ongoing"
    lead = in_lead(trigger.sentence_start, article)
    if _before_the_news(when, article, head, lead):
        return "past"
    if lead or (when is not None and when.text is not None and when.precision == "day"):
        return "new"  # the article's lead, or one day named: news, not a habit
    nearby = {t.lower_ for t in head.subtree} | {t.lower_ for t in head.head.children} | {head.head.lower_}
    if nearby & c.habitual_markers or _is_habitual_gerund(head):
        return "habitual"
    return "new"


def _recent_since(since: Any, article: Article) -> bool:
    """"since Friday": a run of days before publication (the news), not of years ("since 1990")."""
    if not article.published:
        return False
    start, end = since.idx, since.right_edge.idx + len(since.right_edge.text)
    for time in article.times:
        if start <= time.start and time.end <= end and time.type in {"DATE", "TIME"} and time.value:
            value = time.value.split("T", 1)[0]
            if re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", value):
                return _period_end(value) >= _days_before(article.published, _PAST_DAYS)
    return False


def _event_verb(head: Any) -> Any:
    """The verb that tells the event: the trigger itself, or the verb its noun hangs on."""
    if head.pos_ in {"VERB", "AUX"}:
        return head
    return next((a for a in head.ancestors if a.pos_ in {"VERB", "AUX"}), head)


def _told_as_frequent(head: Any) -> bool:
    """A frequency adverb on the event or its verb: "held rallies almost daily", "raided it every week"."""
    c = cues()
    for token in {head, _event_verb(head)}:
        for child in token.children:
            if child.dep_ == "advmod" and child.lower_ in c.frequency_adverbs:
                return True
            if child.dep_ == "npadvmod" and _has_child(child, c.frequency_determiners, {"det"}):
                return True
    return False


def _perfect_since(head: Any, article: Article) -> str | None:
    """A perfect with "since X": habitual for a repeated act, ongoing for a lasting one; else None.
    A repeated act since a recent day ("have arrested 12 since Friday") is the news: None."""
    verb = _event_verb(head)
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
    since = [c for c in verb.children if c.dep_ in {"prep", "mark"} and c.lower_ == "since"]
    if not perfect or not since or any(s in head.ancestors for s in since):
        return None  # "on the run since the bombing": the bombing is the start, not the pattern
    if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in cues().future_auxiliaries for c in verb.children):
        return None
    if verb.lemma_.lower() in cues().durative_lemmas:
        return "ongoing"
    return None if _recent_since(since[0], article) else "habitual"


# An event of the lead told as background ("after the bombings") is past when this many days before.
_LEAD_PAST_DAYS = 3


def _before_the_news(when: When | None, article: Article, head: Any, lead: bool) -> bool:
    """Background: an event dated before the article's news, or told as background with no date.

    The news date is the lead's own date, else the publication date. Outside the lead, an event
    dated to an earlier day ("A day earlier", "last Thursday") or to the news month or week but not
    its day ("earlier this month") is past; in the lead, only one told as background ("after the
    bombings") and dated days before. An event told as background with no date at all is past.
    """
    background = is_background_shaped(head)
    if when is None or when.start is None:
        return background and article.doc is not None
    if when.precision in {"reported", "range", "unknown"}:
        return False
    news_when = lead_when(article)
    news = news_when.start if news_when is not None and news_when.start else None
    if news is None and article.published:  # news is mostly told the day after; allow for it
        news = _days_before(article.published, _LEAD_PAST_DAYS - 1)
    if not news:
        return False
    if lead:
        return background and _period_end(when.end or when.start) < _days_before(news, _LEAD_PAST_DAYS)
    if when.precision in {"day", "week", "month"}:
        return when.start < news[:len(when.start)] or (when.precision != "day" and when.start < news)
    return _period_end(when.end or when.start) < news


def _is_background(when: When | None, article: Article, head: Any) -> bool:
    if when is None or when.start is None or when.precision in {"reported", "range"}:
        return False
    if article.published:
        return _period_end(when.end or when.start) < _days_before(article.published, _PAST_DAYS)
    # No publication date: an absolute month or year told in the past tense is background, and so is
    # a day written with its year outside the lead (news style gives the year only to a day of another
    # year: "on July 9, 2015"; the day's news is "on Wednesday").
    absolute = when.precision in {"month", "year"} or (
        when.precision == "day" and when.text is not None and _YEAR.search(when.text) is not None
        and not in_lead(head.sent.start_char, article))
    return absolute and head.tag_ in {"VBD", "VBN", "NN", "NNS"} and any(t.tag_ == "VBD" for t in head.sent)


_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


def _period_end(value: str) -> str:
    """The last day a YYYY[-MM[-DD]] value covers, comparable as a string with YYYY-MM-DD."""
    day = last_day(value)
    return day.isoformat() if day else value


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
