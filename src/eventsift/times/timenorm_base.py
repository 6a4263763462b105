"""What every time-normaliser rule reads: the :class:`Value` it returns, the :class:`Context` it resolves
against, and the readings the rules share (numbers, years near the publication date, narrative anchors).

Split from :mod:`eventsift.times.timenorm`, which holds the rule table; the rules themselves are in
:mod:`eventsift.times.timenorm_dates` and :mod:`eventsift.times.timenorm_periods`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .tense import is_deadline, opens_past_sentence, speaks_of_future
from .timecal import spoken_year
from .timelex import Lexicon, Mention

__all__ = [
    "NO_ANCHOR",
    "Context",
    "Value",
    "count_of",
    "day_number",
    "month_number",
    "narrative_anchor",
    "recent_quarter",
    "rel_offset",
    "two_digit_year",
    "unresolved",
    "year_near",
    "year_number",
]

NO_ANCHOR = "no publication date to anchor on"


@dataclass(frozen=True)
class Value:
    """A normalised expression: TimeML value and type, precision, and a note where useful."""

    value: str | None
    type: str = "DATE"
    precision: str = "unknown"
    note: str | None = None


@dataclass
class Context:
    """What a mention is resolved against: the text, the publication date and what came before."""

    text: str
    lexicon: Lexicon
    published: date | None
    last_date: date | None = None  # the last day-precise date the text gave (narrative anchor)
    last_past_date: date | None = None  # the last such date on or before publication
    last_quarter: tuple[int, int, int] | None = None  # (year, quarter, offset in the text)

    @property
    def anchor(self) -> date | None:
        """Narrative anchor for "the next day", "a year earlier": the last date given, else publication."""
        return self.last_date or self.published


def narrative_anchor(ctx: Context, m: Mention) -> date | None:
    """The story's timeline for "a day earlier", "the next day": the last date given, but not one after
    publication when the clause tells the past ("... ahead of next Tuesday's primary. A day earlier,
    six were arrested": the arrests are the day before the last past date, not before that Tuesday)."""
    last, published = ctx.last_date, ctx.published
    if last is not None and published is not None and last > published and not speaks_of_future(
            ctx.text, m.start, m.end):
        return ctx.last_past_date or published
    return ctx.anchor


def unresolved(type_: str = "DATE") -> Value:
    return Value(None, type_, "unknown", NO_ANCHOR)


def two_digit_year(ctx: Context, two: int) -> int:
    """'98 -> 1998: the century that puts it nearest the publication date (at most 10 years ahead);
    without one, the POSIX pivot (00-68 -> 2000s, 69-99 -> 1900s)."""
    if ctx.published is None:
        return 2000 + two if two <= 68 else 1900 + two
    ref = ctx.published.year
    year = (ref // 100) * 100 + two
    return year - 100 if year > ref + 10 else year


def month_number(ctx: Context, word: str) -> int:
    return ctx.lexicon.months[word.rstrip(".").lower()]


def day_number(ctx: Context, word: str) -> int:
    word = word.lower()
    if word in ctx.lexicon.ordinals:
        return ctx.lexicon.ordinals[word]
    return int(re.sub(r"\D", "", word))


def year_number(ctx: Context, word: str) -> int:
    word = word.strip()
    if word[:1] in "'’":
        return two_digit_year(ctx, int(word[1:]))
    if word[:1].isdigit():
        return int(word)
    return spoken_year(ctx.lexicon, word)


def year_near(ctx: Context, month: int, day: int | None, mention: Mention) -> int | None:
    """The year of a month (and day) given without one, from the publication date and the tense.

    It stays in the publication year unless that puts it four or more months on the wrong side: a
    clause not about the future reads a month that far ahead as last year's, a future clause reads one
    that far behind as next year's, and a deadline ("by January", "effective Feb. 1") one in an earlier
    month. Nearer months ahead stay in the
    year even in past-tense copy ("was invited to a ceremony on March 12" announces it), except where
    the date opens a sentence whose verb is past ("In May, the offensive stalled.").
    """
    if ctx.published is None:
        return ctx.last_date.year if ctx.last_date else None
    pub = ctx.published
    future = speaks_of_future(ctx.text, mention.start, mention.end, deadlines=True)
    here = (month, day or 0)
    now = (pub.month, pub.day if day else 0)
    behind = (pub.month - month) % 12  # whole months back to it within the publication year
    if here < now and (behind >= 4 and future or behind >= 1 and is_deadline(ctx.text, mention.start)):
        return pub.year + 1
    if not future and here > now and ((month - pub.month) % 12 >= 4 or opens_past_sentence(ctx.text, mention.start, mention.end)):
        return pub.year - 1
    return pub.year


def rel_offset(rel: str) -> int:
    rel = " ".join(rel.lower().split())
    if rel in {"last", "past", "the past", "the last", "previous", "the previous", "the preceding", "this past"}:
        return -1
    if rel in {"next", "the next", "coming", "the coming", "following", "the following", "this coming"}:
        return 1
    return 0


def count_of(ctx: Context, m: Mention) -> float | None:
    """The number of a count phrase ("two", "24", "2 1/2", "a"), None when vague ("several")."""
    word = (m.part("num") or "").lower()
    if not word:
        return 1.0 if not (m.part("unit") or "").lower().endswith("s") else None
    fraction = re.fullmatch(r"(\d+)[ -](\d)/(\d)", word)
    if fraction:
        return int(fraction.group(1)) + int(fraction.group(2)) / int(fraction.group(3))
    if re.fullmatch(r"\d+\.\d+", word):
        return float(word)
    number = ctx.lexicon.number(word)
    if number is None:
        return None
    return number + (0.5 if m.part("half") else 0.0)


def recent_quarter(ctx: Context, m: Mention) -> bool:
    """Whether a quarter was named shortly before (financial reports compare with it)."""
    return ctx.last_quarter is not None and m.start - ctx.last_quarter[2] < 1500
