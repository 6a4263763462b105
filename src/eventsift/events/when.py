"""Event date: from the trigger's own clause, then its sentence, then the lead, then publication.

Part of the event-arguments reading (see event_args.py for the shared lexicon and parse helpers).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from itertools import islice
from typing import Any

from ..read.nlp import per_article
from ..records import Article, When
from .args import tree_path
from .dates import relational_prep as _relational_prep
from .dates import time_words as _time_words
from .dates import when_from_value as _when_from_value
from .lead import in_first_paragraph, in_lead, lead_sentences, lead_when
from .types import Trigger

__all__ = ["event_when", "in_lead", "is_background_shaped", "lead_sentences", "lead_when"]

log = logging.getLogger(__name__)


_FUTURE_AUX = frozenset({"will", "would", "could", "might", "may", "shall", "should", "'ll"})
_REPORTED_NOTE = "no date in the text; publication date"


def event_when(trigger: Trigger, article: Article) -> When | None:
    """The event's date: from its own clause, then its sentence, then the article, then publication.

    The time words nearest the trigger's own clause win ("marched Friday"); then a time of the
    sentence on a clause that governs the trigger, but not one on a verb of saying ("an official
    said Friday") nor across "after"/"for"/"following" to a noun event that is another event. An
    event with no time words of its own takes the date of a dated mention of the same kind of
    happening elsewhere in the article ("the bombing" ... "the Aug. 7 bombings"); else, when it is
    the article's news, the date of the lead, then the publication date (precision "reported", note
    saying so). A background event (a relative clause, a noun after "after"/"for"/"following") with
    no date of its own stays None, as does a future event.

    A TimeML date becomes start (and end for ranges: "since X" runs from X to the publication date);
    "now"/"at the moment" (PRESENT_REF) is the publication date, at day precision.
    """
    doc = article.doc
    if doc is None:
        return _reported(trigger, article)
    head = doc[trigger.token_i]
    link = _interval_link(head)
    if link is not None:  # "one year after he was killed": the governing date less the interval, or none
        return _interval_when(link, article, trigger.sentence_start, trigger.sentence_end)
    own = _own_when(head, article, trigger.sentence_start, trigger.sentence_end)
    if own is not None and own.precision in {"month", "week"} and own.start:
        same = _same_event_when(head, article)  # "the bombing last month" + "the Aug. 7 bombings"
        if same is not None and same.start and same.start[:len(own.start)] == own.start:
            return replace(same, note=None)
    if own is not None:
        return own
    if _is_future(trigger, article):
        return None
    background = is_background_shaped(head)
    news = in_first_paragraph(trigger.sentence_start, article) and not background
    lead = lead_when(article) if news else None
    if lead is not None:
        return replace(lead, note=_LEAD_NOTE)
    same = None if news else _same_event_when(head, article)  # the lead's news is not its background
    if same is not None:
        return same
    if background:
        return None
    return _reported(trigger, article)


_LEAD_NOTE = "no date in its sentence; the date of the article's lead"
_SAME_NOTE = "no date in its sentence; the date of another mention of the same event"


def _reported(trigger: Trigger, article: Article) -> When | None:
    if article.published and not _is_future(trigger, article):
        return When(article.published, None, "reported", None, None, _REPORTED_NOTE)
    return None


_CLAUSE_DEPS = frozenset({"ccomp", "relcl", "acl", "advcl", "csubj", "csubjpass", "parataxis", "pcomp"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "appos", "conj", "compound"})


def _after_clause(token: Any) -> bool:
    """A clause or noun introduced by "after", "since", "before": "one year after he was killed"."""
    words = _time_words()["relational"]
    if token.dep_ in {"pcomp", "pobj"} and token.head.lower_ in words:
        return True
    return token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in words for c in token.children)


def _anchor(head: Any) -> Any:
    """The token whose clause is the event's: the verb of a noun that is its subject, object or place."""
    token = head
    for _ in range(4):
        if token.pos_ in {"VERB", "AUX"}:
            return token
        if token.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "oprd"} and token.head.pos_ in {"VERB", "AUX"}:
            # "condemned the attacks": the verb of a reaction dates the reaction, not the attacks
            return token if token.head.lemma_.lower() in _time_words()["reporting"] else token.head
        if token.dep_ in {"compound", "amod", "conj", "appos"}:
            token = token.head
            continue
        if token.dep_ == "pobj" and not _relational_prep(token) and token.head.head.pos_ in {"VERB", "AUX"}:
            return token.head.head
        return token
    return token


def _clause_of(anchor: Any) -> set[int]:
    """Token indices of the anchor's clause: its subtree without nested clauses, and conjoined verbs."""
    top = anchor
    while top.dep_ in {"conj", "xcomp"} and top.head.pos_ in {"VERB", "AUX"}:
        top = top.head
    keep: set[int] = set()
    stack = [top]
    while stack:
        token = stack.pop()
        keep.add(token.i)
        for child in token.children:
            if child.dep_ in _CLAUSE_DEPS or (child.dep_ == "pobj" and _relational_prep(child)) or (
                    child.dep_ == "prep" and child.lower_ in _time_words()["relational"]):
                continue
            stack.append(child)
    return keep


def _own_when(head: Any, article: Article, start: int, end: int) -> When | None:
    """The date from the time words of the trigger's own clause, else of a clause governing it."""
    doc = article.doc
    times = [t for t in article.times if start <= t.start and t.end <= end and t.type in {"DATE", "TIME"}]
    if not times:
        return None
    anchor = _anchor(head)
    # A noun event's own words, its relative clause included ("the Aug. 7 bombing", "the assaults that
    # killed 130 last November"); a verb's subordinate clauses and "before X" phrases are not its own.
    clause = _clause_of(anchor) | _own_words(head)
    governing = _governing_clauses(anchor)
    background = is_background_shaped(head)
    framing = _framing_times(anchor, times)
    ranked: list[tuple[int, int, Any, bool]] = []
    for time in times:
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is None or not len(span) or _dates_another_thing(span.root, head, anchor):
            continue
        root = span.root
        frame_only = False
        if time in framing or root.i in clause or any(t.i in clause for t in span):
            tier = 0
        elif any(root.i in c for c, _ in governing):
            tier = 1
            frame_only = next(only for c, only in governing if root.i in c)
        elif not background and not _on_reporting_verb(root) and not _under_other_event(span, anchor):
            tier = 2  # a time elsewhere in the sentence, when nothing ties it to another event
        elif not background and _after_dated_event(root, clause):
            tier, frame_only = 3, True  # "died in a shootout following the Dec. 2 attack": that month
        else:
            continue
        ranked.append((tier, _time_distance(time.start, time.end, head, doc), time, frame_only))
    ranked.sort(key=lambda r: (r[0], r[1], abs(r[2].start - head.idx)))
    past = _told_in_past(anchor)
    for tier, _, time, frame_only in ranked:
        when = _when_from_value(time.value, time.precision, article.published)
        if when is not None and tier == 3 and when.precision == "day" and when.start:
            when = When(when.start[:7], None, "month", None)
        if when is None or (frame_only and when.precision not in _FRAME_PRECISIONS):
            continue
        if past and _after_publication(when, article.published):
            continue  # a happened event is not dated after its report: the time is another clause's
        return replace(when, text=time.text, span=time.span)
    return None


# A time of the clause governing an "after"/"before" clause dates the subordinate event only as a
# frame: "Earlier this month, X canceled a rally after protesters filled the arena" (month), never
# "X spoke Tuesday after protesters filled the arena" (that day is the speaking's).
_FRAME_PRECISIONS = frozenset({"week", "month", "quarter", "year"})


def _own_words(head: Any) -> set[int]:
    """The trigger's subtree ("the assaults that killed 130 last November", "detained for days beginning
    on July 9") less its "before"/"after"/"ahead of" phrases, which name other events ("gathered on the
    bridge before Sunday's match")."""
    words = _time_words()["relational"]
    out: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        out.add(token.i)
        stack.extend(c for c in token.children if not (c.dep_ == "prep" and c.lower_ in words)
                     and not (c.dep_ == "pobj" and _relational_prep(c)))
    return out


def _after_publication(when: When, published: str | None) -> bool:
    if not published or not when.start:
        return False
    return when.start > published[:len(when.start)]


def _told_in_past(anchor: Any) -> bool:
    """A clause in the past tense or the perfect, with no future or modal auxiliary ("had gathered",
    "was holding", "has been arrested", "killed"); a noun event takes the tense of its verb."""
    verb = anchor if anchor.pos_ in {"VERB", "AUX"} else next(
        (a for a in anchor.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return False
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(c.lower_ in _FUTURE_AUX or c.lower_ == "to" for c in auxes):
        return False
    if verb.tag_ == "VBD":
        return True
    perfect = verb.tag_ == "VBN" and any(c.lemma_ == "have" for c in auxes)  # "has been arrested"
    return perfect or (verb.tag_ in {"VBN", "VBG"} and any(c.lemma_ == "be" and c.tag_ == "VBD" for c in auxes))


_NOUN_MODIFIER_DEPS = frozenset({"poss", "compound", "nummod", "amod", "nmod"})
_FRAME_PREPS = frozenset({"in", "at", "during", "on", "throughout"})


def _dates_another_thing(root: Any, head: Any, anchor: Any) -> bool:
    """A time that dates something else than the event: a life event ("was born on August 14 1984"),
    or a noun it modifies ("ahead of next Tuesday's primary", "against the 1984 law"). A modified noun
    still dates the event when it is the trigger ("Friday's attack", "the 1996 bombing"), the clause's
    argument ("attended a Sunday memorial") or its frame ("In Sunday's debate, he attacked ...")."""
    verb = next((a for a in [root, *root.ancestors] if a.pos_ in {"VERB", "AUX"}), None)
    if verb is not None and verb.i != anchor.i and verb.lemma_.lower() in _time_words()["life"]:
        return True
    if root.dep_ not in _NOUN_MODIFIER_DEPS or root.head.pos_ not in {"NOUN", "PROPN"}:
        return False
    noun = root.head
    node = noun
    for _ in range(3):  # "the Aug. 7 car bombing": the time sits on a compound of the trigger
        if node.i == head.i or node.i == anchor.i:
            return False
        if node.dep_ not in {"compound", "amod", "nmod"}:
            break
        node = node.head
    if node.i in {head.i, anchor.i}:
        return False
    if noun.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"} and noun.head.i == anchor.i:
        return False
    if noun.dep_ == "pobj" and noun.head.lower_ in _FRAME_LINKS:
        return False  # "following the Dec. 2 attack": a frame at most, which the tiers decide
    return not (noun.dep_ == "pobj" and noun.head.lower_ in _FRAME_PREPS and noun.head.head.i == anchor.i)


def _under_other_event(span: Any, anchor: Any) -> bool:
    """A time inside another clause (a relative or adverbial clause not above the event) or an
    "after"/"ahead of" phrase: "gathered outside the hotel, where he held a rally ahead of the vote".
    A clause the time words themselves make up ("Since Putin launched his invasion, ...") is a time
    adverbial, not another event."""
    mine = {anchor.i, *(a.i for a in anchor.ancestors)}
    root = span.root
    for node in [root, *root.ancestors]:
        if node.i in mine:
            return False
        if span.start <= node.i < span.end:
            continue
        if (node.dep_ in {"relcl", "acl", "advcl"} and node.pos_ in {"VERB", "AUX"}) or (
                node.dep_ == "pobj" and _relational_prep(node)):
            return True
    return False


def _after_dated_event(root: Any, clause: set[int]) -> bool:
    """A time dating a noun event the clause follows: "a shootout following the Dec. 2 attack"."""
    for node in root.ancestors:
        if node.dep_ == "pobj" and node.head.lower_ in _FRAME_LINKS and node.head.lower_ != "before":
            return node.head.head.i in clause
    return False


def _framing_times(anchor: Any, times: list[Any]) -> list[Any]:
    """The time a "when"/"that" clause hangs on: "the demonstrations of early December, when crowds
    rallied" (the clause tells what happened then), "the days in 1994 that doctors were shot at"."""
    if anchor.dep_ not in {"relcl", "advcl", "acl"}:
        return []
    if _when_clause(anchor):
        left = anchor.left_edge.idx
        body = anchor.doc.text
        return [t for t in times if t.end <= left and not body[t.end:left].strip(" ,")]
    noun = anchor.head
    if noun.lemma_.lower() not in _time_words()["time_nouns"]:
        return []
    inside = {t.i for t in noun.subtree} - {t.i for t in anchor.subtree}
    doc = anchor.doc
    out = []
    for time in times:
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is not None and len(span) and span.root.i in inside:
            out.append(time)
    return out


def _on_reporting_verb(token: Any) -> bool:
    reporting = _time_words()["reporting"]
    for node in [token, *list(token.ancestors)[:3]]:
        if node.pos_ in {"VERB", "AUX"}:
            return bool(node.lemma_.lower() in reporting)
    return False


def _governing_clauses(anchor: Any) -> list[tuple[set[int], bool]]:
    """The clauses above the anchor's own, up to a verb of saying or an "after"/"for" noun link.

    Each clause comes with whether its time only frames the event (past an "after"/"before" link:
    its month or year, not its day)."""
    reporting = _time_words()["reporting"]
    out: list[tuple[set[int], bool]] = []
    token = anchor
    frame_only = False
    for _ in range(6):
        if (token.dep_ == "pobj" and _relational_prep(token)) or _after_clause(token):
            if not _frame_link(token):
                break
            frame_only = True
        if token.dep_ in {"relcl", "acl"} and not _when_clause(token):
            break
        parent = token.head
        if parent.i == token.i:
            break
        if parent.pos_ in {"VERB", "AUX"}:
            if parent.lemma_.lower() in reporting:
                break
            out.append((_clause_of(parent), frame_only))
        token = parent
    return out


def _frame_link(token: Any) -> bool:
    """An "after"/"before" link across which the governing clause's month or year still holds."""
    if token.dep_ in {"pcomp", "pobj"}:
        return bool(token.head.lower_ in _FRAME_LINKS)
    return any(c.dep_ == "mark" and c.lower_ in _FRAME_LINKS for c in token.children)


_FRAME_LINKS = frozenset({"after", "before", "following"})


def is_background_shaped(head: Any) -> bool:
    """An event told as background: in a relative clause ("a doctor who was killed by a sniper"), a
    noun event after "after", "following", "for", "in response to" ("met after the bombings"), or the
    object of a reaction ("condemned the attacks")."""
    token = head
    for _ in range(8):
        if (token.dep_ == "pobj" and _relational_prep(token)) or _after_clause(token):
            return True
        if token.dep_ == "dobj" and token.head.lemma_.lower() in _time_words()["reaction"]:
            return True  # "condemned the attacks": the attacks came before the condemning
        if (token.dep_ == "relcl" and not _progressive(token) and not _when_clause(token)) or (token.dep_ == "advcl" and any(
                c.lower_ in {"where", "when"} and c.dep_ == "advmod" for c in token.children)
                and token.head.pos_ in {"NOUN", "PROPN", "ADV"}):
            return True
        if token.dep_ in {"ccomp", "ROOT"} or token.head.i == token.i:
            return False
        token = token.head
    return False


_UNIT_LETTERS = {"year": "Y", "month": "M", "week": "W", "day": "D"}
_INTERVAL = re.compile(r"^P(\d+)([YMWD])$")


def _interval_link(head: Any) -> tuple[Any, Any, Any] | None:
    """(link word, interval noun, governing word) of an event told as "one year after he was killed",
    "a memorial a year after the attack", "two days before the vote"; None otherwise."""
    anchor = _anchor(head)
    if head.dep_ == "pobj" and head.head.lower_ in _FRAME_LINKS:
        link, owners, governor = head.head, [head.head], head.head.head
    elif anchor.dep_ == "advcl":
        link = next((c for c in anchor.children if c.dep_ == "mark" and c.lower_ in _FRAME_LINKS), None)
        if link is None:
            return None
        owners, governor = [link, anchor], anchor.head
    else:
        return None
    for owner in owners:
        for child in owner.children:
            if child.dep_ == "npadvmod" and child.i < link.i and child.lemma_.lower() in _UNIT_LETTERS:
                return link, child, governor
    return None


def _interval_when(link: tuple[Any, Any, Any], article: Article, start: int, end: int) -> When | None:
    """The governing clause's date shifted back ("after") or on ("before") by the interval, at the
    interval's precision; None when either is unknown. Never the governing date itself."""
    word, unit, governor = link
    count = _interval_count(unit, article)
    base = _own_when(governor, article, start, end)
    if count is None or base is None or not base.start or base.precision not in {"day", "month", "year"}:
        return None
    letter = _UNIT_LETTERS[unit.lemma_.lower()]
    sign = -1 if word.lower_ in {"after", "following"} else 1
    text = article.body[unit.left_edge.idx:word.idx + len(word.text)]
    if letter == "Y":
        return When(f"{int(base.start[:4]) + sign * count:04d}", None, "year", text)
    if letter == "M" and len(base.start) >= 7:
        months = int(base.start[:4]) * 12 + int(base.start[5:7]) - 1 + sign * count
        return When(f"{months // 12:04d}-{months % 12 + 1:02d}", None, "month", text)
    if len(base.start) != 10:
        return None
    day = date.fromisoformat(base.start) + timedelta(days=sign * count * (7 if letter == "W" else 1))
    if letter == "W":  # "two weeks after": that week, not a day of it
        monday = day - timedelta(days=day.weekday())
        return When(monday.isoformat(), (monday + timedelta(days=6)).isoformat(), "week", text)
    return When(day.isoformat(), None, "day", text)


def _interval_count(unit: Any, article: Article) -> int | None:
    """How many units: the duration the times stage read ("one year" = P1Y), else "a"/"an" = 1."""
    for time in article.times:
        if time.type == "DURATION" and time.start <= unit.idx < time.end:
            match = _INTERVAL.match(time.value or "")
            if match:
                return int(match[1])
    if any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in unit.children):
        return 1
    return None


def _when_clause(verb: Any) -> bool:
    """"an explosion, when he stepped on a mine": a clause told at the time of what it hangs on."""
    return any(c.dep_ == "advmod" and c.lower_ in {"when", "while", "as"} for c in verb.children)


def _progressive(verb: Any) -> bool:
    """"demonstrators who were protesting": a relative clause told at the time of its noun's clause."""
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)


def _same_event_when(head: Any, article: Article) -> When | None:
    """The own date of another mention of the same kind of happening in the article."""
    lemma = head.lemma_.lower()
    family = _time_words()["families"].get(lemma, frozenset({lemma}))
    dated = per_article(article, "same_event_dates", _SameEventDates)
    return next((when for i, when in dated.first_two(family, article) if i != head.i), None)


class _SameEventDates:
    """Per article: each lemma's mentions in text order, and per family of lemmas the first two
    mentions with a date of their own (the first that is not the asking event's own mention is the
    answer), found once instead of rescanning the whole article for every event."""

    def __init__(self, article: Article) -> None:
        self.mentions: dict[str, list[tuple[int, int, int]]] = {}
        for sent in article.doc.sents:
            for token in sent:
                self.mentions.setdefault(token.lemma_.lower(), []).append((token.i, sent.start_char, sent.end_char))
        self.found: dict[frozenset[str], list[tuple[int, When]]] = {}

    def first_two(self, family: frozenset[str], article: Article) -> list[tuple[int, When]]:
        if family not in self.found:
            self.found[family] = list(islice(self._dated(family, article), 2))
        return self.found[family]

    def _dated(self, family: frozenset[str], article: Article) -> Iterator[tuple[int, When]]:
        mentions = sorted(m for lemma in family for m in self.mentions.get(lemma, []))
        for i, start, end in mentions:
            when = _own_when(article.doc[i], article, start, end)
            if when is not None and when.precision != "range" and when.start:
                if article.published and when.start > article.published:
                    continue
                yield i, replace(when, note=_SAME_NOTE)


def _time_distance(start: int, end: int, head: Any, doc: Any) -> int:
    span = doc.char_span(start, end, alignment_mode="expand")
    path = tree_path(span.root, head) if span is not None and len(span) else None
    return path[0] if path else 99


def _is_future(trigger: Trigger, article: Article) -> bool:
    if article.doc is None:
        return False
    head = article.doc[trigger.token_i]
    verb = head if head.pos_ in {"VERB", "AUX"} else head.head
    return any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in verb.children)
