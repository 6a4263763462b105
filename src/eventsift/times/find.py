"""The times stage: every date, time, duration and frequency in the body, with its TimeML value.

``find_times(article, options)`` fills ``article.times`` with :class:`~eventsift.records.TimeExpr`
records whose spans point into ``article.body``. It reads the plain body (no spaCy parse needed):

- :mod:`eventsift.times.timex` recognises the expressions (TimeML extents: "May 2023" in "In May 2023");
- :mod:`eventsift.times.timenorm` gives each its value against the publication date ("yesterday",
  "last Tuesday", "this week" -> ``2024-W11``) or the last date the text gave ("the next day");
- named events from ``data/event_anchors.yaml`` anchor phrases such as "since Putin launched his
  invasion of Ukraine", whose value is the range ``2022-02-24/2024-03-12`` (open-ended,
  ``2022-02-24/..``, without a publication date).

Without a publication date, deictic expressions get ``value=None`` and the note "no publication date
to anchor on"; absolute ones ("May 2023") resolve all the same. "now" / "at the moment" get the
TimeML value ``PRESENT_REF`` with precision "day": the day is the publication date, which
:func:`value_bounds` returns for it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..datafiles import load_data
from ..read.truecase import cased_text, is_lowercased, load_truecaser
from ..records import Article, TimeExpr
from ..settings import Options
from .timecal import parse_date, value_bounds
from .timenorm import NO_ANCHOR, Context, Value, normalise
from .timex import Mention, recogniser

__all__ = ["NO_ANCHOR", "Anchor", "extract_times", "find_times", "load_anchors", "value_bounds"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    """A named event used as a point in time, with the phrases that name it."""

    id: str
    date: str
    source: str
    pattern: re.Pattern[str]
    triggers: frozenset[str]


# "since" before an anchor makes a range from it; "before"/"after"/"until" are kept in the note.
_ANCHOR_PREFIX = r"(?:(?P<prep>ever\s+since|since|before|after|until|till|prior\s+to)\s+)?"


@lru_cache(maxsize=1)
def load_anchors() -> tuple[Anchor, ...]:
    """The anchors of ``data/event_anchors.yaml``, compiled once."""
    anchors = []
    for raw in load_data("event_anchors.yaml")["anchors"]:
        phrases = "|".join(f"(?:{p})" for p in raw["phrases"])
        pattern = re.compile(rf"(?<![\w-]){_ANCHOR_PREFIX}(?:{phrases})(?![\w-])", re.IGNORECASE)
        triggers = frozenset(w.lower() for w in raw.get("triggers") or [])
        anchors.append(Anchor(raw["id"], str(raw["date"]), raw["source"], pattern, triggers))
    return tuple(anchors)


_WORD = re.compile(r"\w+")


def _anchor_mentions(text: str) -> list[tuple[Mention, Anchor]]:
    found = []
    words = {w.lower() for w in _WORD.findall(text)}
    for anchor in load_anchors():
        if anchor.triggers and anchor.triggers.isdisjoint(words):
            continue
        for match in anchor.pattern.finditer(text):
            parts = {"prep": match.group("prep")} if match.group("prep") else {}
            found.append((Mention(match.start(), match.end(), "anchor", parts), anchor))
    return found


def _anchor_value(mention: Mention, anchor: Anchor, published: date | None) -> Value:
    prep = " ".join((mention.part("prep") or "").lower().split())
    precision = "day" if len(anchor.date) == 10 else "month"
    note = f"anchor {anchor.id}: {anchor.date} ({anchor.source})"
    if prep in {"since", "ever since"}:
        end = published.isoformat() if published else ".."
        return Value(f"{anchor.date}/{end}", "DATE", "range", note)
    if prep:
        note = f"{prep} {note}"
    return Value(anchor.date, "DATE", precision, note)


def extract_times(text: str, published: str | date | None = None) -> list[TimeExpr]:
    """The time expressions of ``text``, in order, valued against ``published`` (YYYY-MM-DD)."""
    pub = published if isinstance(published, date) else parse_date(published)
    anchors = _anchor_mentions(text)
    taken = [(m.start, m.end) for m, _ in anchors]
    mentions = [m for m in recogniser().find(text) if not any(m.start < e and s < m.end for s, e in taken)]
    by_start: dict[int, Anchor] = {m.start: a for m, a in anchors}
    ctx = Context(text=text, lexicon=recogniser().lexicon, published=pub)
    times: list[TimeExpr] = []
    for mention in sorted([*mentions, *(m for m, _ in anchors)], key=lambda m: m.start):
        if mention.rule == "anchor":
            value = _anchor_value(mention, by_start[mention.start], pub)
        else:
            value = normalise(ctx, mention)
        times.append(TimeExpr(
            start=mention.start, end=mention.end, text=text[mention.start : mention.end], value=value.value,
            precision=value.precision if value.value is not None else "unknown", type=value.type,
            note=value.note,
        ))
    return times


def find_times(article: Article, options: Options) -> Article:
    """The stage: fill ``article.times`` from ``article.body`` and ``article.published``.

    A body that came all in lower case is read in its truecased copy (eventsift.read.truecase: weekday and
    month names, sentence starts), each expression keeping the body's own words."""
    text = _cased_body(article, options)
    article.times = extract_times(text, article.published)
    if text is not article.body:
        for time in article.times:
            time.text = article.body[time.start : time.end]
    unresolved = sum(1 for t in article.times if t.value is None)
    if unresolved:
        log.debug("%s: %d of %d time expressions unresolved", article.id, unresolved, len(article.times))
    return article


def _cased_body(article: Article, options: Options) -> str:
    """The body, or its truecased copy (same length) where it came all in lower case."""
    body = article.body
    if not is_lowercased(body):
        return body
    cased = cased_text(article.doc) if article.doc is not None else load_truecaser(options.spacy_model).truecase(body)
    return cased if len(cased) == len(body) and cased != body else body
