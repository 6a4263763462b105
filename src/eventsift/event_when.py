"""Event date: from the trigger's own clause, then its sentence, then the lead, then publication.

Part of the event-arguments reading (see event_args.py for the shared lexicon and parse helpers).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .event_args import load_lexicon, tree_path
from .event_types import Trigger
from .records import Article, When

__all__ = ["event_when", "in_lead", "is_background_shaped", "lead_sentences", "lead_when"]

log = logging.getLogger(__name__)


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
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
    news = _in_first_paragraph(trigger.sentence_start, article) and not background
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


@lru_cache(maxsize=1)
def _time_words() -> dict[str, Any]:
    data = load_lexicon("event_time.yaml")
    families: dict[str, set[str]] = {}
    for group in data["same_event_lemmas"]:
        for lemma in group:
            families.setdefault(str(lemma), set()).update(str(w) for w in group)
    return {"relational": frozenset(str(w).lower() for w in data["relational_preps"]),
            "reporting": frozenset(str(w).lower() for w in data["reporting_verbs"]),
            "families": {k: frozenset(v) for k, v in families.items()}}


_CLAUSE_DEPS = frozenset({"ccomp", "relcl", "acl", "advcl", "csubj", "csubjpass", "parataxis", "pcomp"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "appos", "conj", "compound"})


def _relational_prep(token: Any) -> bool:
    """True for a noun governed by "after", "following", "in response to", ... (another event's time)."""
    if token.dep_ != "pobj":
        return False
    prep = token.head
    words = _time_words()["relational"]
    if prep.lower_ in words:
        return True
    chain = [prep.lower_]
    node = prep
    for _ in range(3):  # "in response to", "responsible for", "in the wake of"
        if node.i == node.head.i:
            break
        node = node.head
        chain.insert(0, node.lower_)
        if " ".join(chain) in words or " ".join([node.lower_, "the", *chain[1:]]) in words:
            return True
        if node.dep_ == "prep" or node.pos_ in {"VERB", "AUX"}:
            break
    return False


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
    clause = _clause_of(anchor) | {t.i for t in head.subtree}
    governing = _governing_clauses(anchor)
    background = is_background_shaped(head)
    ranked: list[tuple[int, int, Any]] = []
    for time in times:
        span = doc.char_span(time.start, time.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        if root.i in clause or any(t.i in clause for t in span):
            tier = 0
        elif any(root.i in c for c in governing):
            tier = 1
        elif not background and not _on_reporting_verb(root):
            tier = 2  # a time elsewhere in the sentence, when nothing ties it to another event
        else:
            continue
        ranked.append((tier, _time_distance(time.start, time.end, head, doc), time))
    ranked.sort(key=lambda r: (r[0], r[1], abs(r[2].start - head.idx)))
    for _, _, time in ranked:
        when = _when_from_value(time.value, time.precision, article.published)
        if when is not None:
            return replace(when, text=time.text, span=time.span)
    return None


def _on_reporting_verb(token: Any) -> bool:
    reporting = _time_words()["reporting"]
    for node in [token, *list(token.ancestors)[:3]]:
        if node.pos_ in {"VERB", "AUX"}:
            return bool(node.lemma_.lower() in reporting)
    return False


def _governing_clauses(anchor: Any) -> list[set[int]]:
    """The clauses above the anchor's own, up to a verb of saying or an "after"/"for" noun link."""
    reporting = _time_words()["reporting"]
    out: list[set[int]] = []
    token = anchor
    for _ in range(6):
        if (token.dep_ == "pobj" and _relational_prep(token)) or _after_clause(token):
            break
        if token.dep_ in {"relcl", "acl"} and not _when_clause(token):
            break
        parent = token.head
        if parent.i == token.i:
            break
        if parent.pos_ in {"VERB", "AUX"}:
            if parent.lemma_.lower() in reporting:
                break
            out.append(_clause_of(parent))
        token = parent
    return out


def is_background_shaped(head: Any) -> bool:
    """An event told as background: in a relative clause ("a doctor who was killed by a sniper"), or a
    noun event after "after", "following", "for", "in response to" ("met after the bombings")."""
    token = head
    for _ in range(8):
        if (token.dep_ == "pobj" and _relational_prep(token)) or _after_clause(token):
            return True
        if (token.dep_ == "relcl" and not _progressive(token) and not _when_clause(token)) or (token.dep_ == "advcl" and any(
                c.lower_ in {"where", "when"} and c.dep_ == "advmod" for c in token.children)
                and token.head.pos_ in {"NOUN", "PROPN", "ADV"}):
            return True
        if token.dep_ in {"ccomp", "ROOT"} or token.head.i == token.i:
            return False
        token = token.head
    return False


def _when_clause(verb: Any) -> bool:
    """"an explosion, when he stepped on a mine": a clause told at the time of what it hangs on."""
    return any(c.dep_ == "advmod" and c.lower_ in {"when", "while", "as"} for c in verb.children)


def _progressive(verb: Any) -> bool:
    """"demonstrators who were protesting": a relative clause told at the time of its noun's clause."""
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)


def _same_event_when(head: Any, article: Article) -> When | None:
    """The own date of another mention of the same kind of happening in the article."""
    doc = article.doc
    lemma = head.lemma_.lower()
    family = _time_words()["families"].get(lemma, frozenset({lemma}))
    for sent in doc.sents:
        for token in sent:
            if token.i == head.i or token.lemma_.lower() not in family:
                continue
            when = _own_when(token, article, sent.start_char, sent.end_char)
            if when is not None and when.precision != "range" and when.start:
                if article.published and when.start > article.published:
                    continue
                return replace(when, note=_SAME_NOTE)
    return None


def lead_sentences(article: Article) -> list[tuple[int, int]]:
    """The lead: the article's first sentence, and the next one when the first is a short headline."""
    if article.doc is None:
        return []
    out = []
    for sent in article.doc.sents:
        words = [t for t in sent if t.is_alpha]
        if not words:
            continue
        out.append((sent.start_char, sent.end_char))
        if len(out) == 2 or len(words) >= _HEADLINE_WORDS:
            break
    return out


_HEADLINE_WORDS = 12  # a first "sentence" shorter than this is read as a headline


_LEAD_PARAGRAPH_SENTENCES = 3  # the lead paragraph's date dates at most its first three sentences


def _in_first_paragraph(start: int, article: Article) -> bool:
    """In the lead sentences, or in the first three sentences of an article's first paragraph."""
    if in_lead(start, article):
        return True
    if article.doc is None:
        return False
    body = article.body
    first = body.lstrip()
    offset = len(body) - len(first)
    cut = first.find("\n\n")
    end = offset + (cut if cut >= 0 else len(first))
    sents = [sent for sent in article.doc.sents if sent.text.strip()][:_LEAD_PARAGRAPH_SENTENCES]
    return any(sent.start_char <= start < sent.end_char and sent.end_char <= end + 1 for sent in sents)


def in_lead(start: int, article: Article) -> bool:
    return any(a <= start < b for a, b in lead_sentences(article))


def lead_when(article: Article) -> When | None:
    """The lead's date: its first day-precise time words on or before publication."""
    for a, b in lead_sentences(article):
        for time in article.times:
            if not (a <= time.start and time.end <= b) or time.type not in {"DATE", "TIME"}:
                continue
            when = _when_from_value(time.value, time.precision, article.published)
            if when is None or when.precision != "day" or not when.start:
                continue
            if article.published and when.start > article.published:
                continue
            return replace(when, text=time.text, span=time.span)
    return None


def _time_distance(start: int, end: int, head: Any, doc: Any) -> int:
    span = doc.char_span(start, end, alignment_mode="expand")
    path = tree_path(span.root, head) if span is not None and len(span) else None
    return path[0] if path else 99


def _when_from_value(value: str | None, precision: str, published: str | None) -> When | None:
    """A TimeML value as a When; None where it names no date (PAST_REF, durations)."""
    if not value:
        return None
    if value == "PRESENT_REF":
        if published:
            return When(published, None, "day", None)
        return When(None, None, "unknown", None, note="'now' with no publication date")
    if "/" in value:
        first, last = value.split("/", 1)
        start, end = _date_part(first), _date_part(last)
        if start is None and end is None:
            return None
        return When(start, end, "range", None)
    week = _WEEK.match(value)
    if week:
        monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        return When(monday.isoformat(), (monday + timedelta(days=6)).isoformat(), "week", None)
    season = _SEASON.match(value)
    if season:  # "last fall": the year is known, the months only roughly
        return When(season[1], None, "year", None)
    quarter = _QUARTER.match(value)
    if quarter:
        first_month = 3 * int(quarter[2]) - 2
        return When(f"{quarter[1]}-{first_month:02d}", f"{quarter[1]}-{first_month + 2:02d}", "quarter", None)
    part = _date_part(value)
    if part is None:
        return None
    return When(part, None, _precision_of(part, precision), None)


def _date_part(value: str) -> str | None:
    head = value.split("T", 1)[0]
    return head if _DATE.match(head) else None


def _precision_of(value: str, given: str) -> str:
    if given in {"day", "month", "year"} or given not in {"time", "unknown"}:
        by_length = {4: "year", 7: "month", 10: "day"}
        return by_length.get(len(value), given)
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "unknown")


def _is_future(trigger: Trigger, article: Article) -> bool:
    if article.doc is None:
        return False
    head = article.doc[trigger.token_i]
    verb = head if head.pos_ in {"VERB", "AUX"} else head.head
    return any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in verb.children)
