"""Time-expression normaliser: TimeML TIMEX3 values for the mentions the recogniser found.

Values follow TimeML: ``2024-03-12``, ``2024-03``, ``2024``, ``2024-W11``, ``2024-Q1``, ``2024-SU``,
``199`` (the 1990s), ``19`` (the 20th century), ``2024-03-12T09:30``, ``2024-03-12TMO``,
``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``, durations ``P2W``/``PT5H``/``PXY`` and sets ``P1D``/
``XXXX-WXX-2``. Deictic expressions are resolved against the publication date; narrative ones ("the
next day", "a year earlier") against the last date the text itself gave. Where neither exists the
value is None with a note: a date is never invented.

News conventions used where the words alone do not decide (they are the ones TimeBank's annotators
and HeidelTime's news mode follow): a bare weekday is the most recent one up to the publication day
unless the clause speaks of the future; a bare month or quarter is in the publication year unless
the clause speaks of the future and it has passed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .timecal import (
    PRECISION_OF_LETTER,
    add_months,
    at_granularity,
    day_value,
    duration_value,
    fractional_duration,
    holiday_date,
    quarter_of,
    shift,
    spoken_year,
    unit_precision,
    week_value,
)
from .timex import Lexicon, Mention, is_deadline, opens_past_sentence, speaks_of_future

__all__ = ["Context", "Value", "normalise"]

log = logging.getLogger(__name__)

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


def _narrative_anchor(ctx: Context, m: Mention) -> date | None:
    """The story's timeline for "a day earlier", "the next day": the last date given, but not one after
    publication when the clause tells the past ("... ahead of next Tuesday's primary. A day earlier,
    six were arrested": the arrests are the day before the last past date, not before that Tuesday)."""
    last, published = ctx.last_date, ctx.published
    if last is not None and published is not None and last > published and not speaks_of_future(
            ctx.text, m.start, m.end):
        return ctx.last_past_date or published
    return ctx.anchor


# --- rules ------------------------------------------------------------------------------------------


def _unresolved(type_: str = "DATE") -> Value:
    return Value(None, type_, "unknown", NO_ANCHOR)


def _two_digit_year(ctx: Context, two: int) -> int:
    """'98 -> 1998: the century that puts it nearest the publication date (at most 10 years ahead);
    without one, the POSIX pivot (00-68 -> 2000s, 69-99 -> 1900s)."""
    if ctx.published is None:
        return 2000 + two if two <= 68 else 1900 + two
    ref = ctx.published.year
    year = (ref // 100) * 100 + two
    return year - 100 if year > ref + 10 else year


def _month_number(ctx: Context, word: str) -> int:
    return ctx.lexicon.months[word.rstrip(".").lower()]


def _day_number(ctx: Context, word: str) -> int:
    word = word.lower()
    if word in ctx.lexicon.ordinals:
        return ctx.lexicon.ordinals[word]
    return int(re.sub(r"\D", "", word))


def _year_number(ctx: Context, word: str) -> int:
    word = word.strip()
    if word[:1] in "'’":
        return _two_digit_year(ctx, int(word[1:]))
    if word[:1].isdigit():
        return int(word)
    return spoken_year(ctx.lexicon, word)


def _year_near(ctx: Context, month: int, day: int | None, mention: Mention) -> int | None:
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


def _full_date(ctx: Context, m: Mention) -> Value:
    month = _month_number(ctx, m.parts["month"])
    day = _day_number(ctx, m.parts["day"])
    if m.part("year"):
        year: int | None = _year_number(ctx, m.parts["year"])
    else:
        year = _year_near(ctx, month, day, m)
    if year is None:
        return _unresolved()
    try:
        d = date(year, month, day)
    except ValueError:
        return Value(None, "DATE", "unknown", "not a calendar date")
    return Value(day_value(_named_side(ctx, m, d)), "DATE", "day")


def _named_side(ctx: Context, m: Mention, d: date) -> date:
    """"last Oct. 23" lies before publication, "next March 5" after it: a year's shift where needed."""
    rel = " ".join((m.part("rel") or "").lower().split())
    pub = ctx.published
    if pub is None or m.part("year") or m.part("dow"):
        return d
    try:
        if rel in {"last", "this past"} and d >= pub:
            return d.replace(year=d.year - 1)
        if rel in {"next", "this coming", "coming"} and d <= pub:
            return d.replace(year=d.year + 1)
    except ValueError:  # Feb. 29
        return d
    return d


def _week_of(ctx: Context, m: Mention) -> Value:
    day = _full_date(ctx, m)
    if day.value is None:
        return day
    return Value(week_value(date.fromisoformat(day.value)), "DATE", "week")


def _iso(ctx: Context, m: Mention) -> Value:
    try:
        d = date(int(m.parts["year"]), int(m.parts["month"]), int(m.parts["day"]))
    except ValueError:
        return Value(None, "DATE", "unknown", "not a calendar date")
    if m.part("hour"):
        return Value(f"{d.isoformat()}T{m.parts['hour']}:{m.parts['minute']}", "TIME", "time")
    return Value(day_value(d), "DATE", "day")


def _numeric(ctx: Context, m: Mention) -> Value:
    a, b = int(m.parts["a"]), int(m.parts["b"])
    year = int(m.parts["year"])
    if year < 100:
        year = _two_digit_year(ctx, year)
    month, day = (b, a) if a > 12 else (a, b)  # US order unless the first number cannot be a month
    try:
        return Value(day_value(date(year, month, day)), "DATE", "day")
    except ValueError:
        return Value(None, "DATE", "unknown", "not a calendar date")


def _month_year(ctx: Context, m: Mention) -> Value:
    month = _month_number(ctx, m.parts["month"])
    year = _year_number(ctx, m.parts["year"])
    return Value(f"{year:04d}-{month:02d}", "DATE", "month")


def _month(ctx: Context, m: Mention) -> Value:
    month = _month_number(ctx, m.parts["month"])
    rel = " ".join((m.part("rel") or "").lower().split())
    rel2 = (m.part("rel2") or "").lower()
    pub = ctx.published
    if pub is None:
        if ctx.last_date is not None and not rel and not rel2:
            return Value(f"{ctx.last_date.year:04d}-{month:02d}", "DATE", "month",
                         f"year from the date before, {ctx.last_date.year}")
        return _unresolved()
    if rel2:
        year = pub.year + {"last": -1, "this": 0, "next": 1}[rel2]
    elif rel in {"last", "past", "this past", "the past", "the last", "the previous", "previous"}:
        year = pub.year if month < pub.month else pub.year - 1
    elif rel in {"next", "coming", "this coming", "the next", "the coming", "the following", "following"}:
        year = pub.year if month > pub.month else pub.year + 1
    else:
        year = _year_near(ctx, month, None, m) or pub.year
    return Value(f"{year:04d}-{month:02d}", "DATE", "month")


def _year(ctx: Context, m: Mention) -> Value:
    year = int(m.parts["year"])
    mod = " ".join((m.part("mod") or "").lower().split())
    if mod.endswith("half of"):  # "the first half of 2023"
        return Value(f"{year:04d}-H{1 if 'first' in mod else 2}", "DATE", "quarter", "half")
    return Value(f"{year:04d}", "DATE", "year")


def _spoken_year(ctx: Context, m: Mention) -> Value:
    return Value(f"{spoken_year(ctx.lexicon, m.parts['spoken']):04d}", "DATE", "year")


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}


def _decade(ctx: Context, m: Mention) -> Value:
    if m.part("decade"):
        start = int(m.parts["decade"])
    else:
        tens = int(m.parts["decade2"][0]) if m.part("decade2") else _DECADE_WORDS[m.parts["decadeword"].lower()]
        start = _two_digit_year(ctx, tens * 10)  # "the '90s", "the nineties"
    return Value(f"{start // 10:03d}", "DATE", "decade")


def _century(ctx: Context, m: Mention) -> Value:
    if m.part("ordinal"):
        word = m.parts["ordinal"].lower()
        number = ctx.lexicon.ordinals.get(word) or int(re.sub(r"\D", "", word))
        return Value(f"{number - 1:02d}", "DATE", "decade", "century")
    if ctx.published is None:
        return _unresolved()
    offset = _rel_offset(m.parts["rel"])
    return Value(f"{ctx.published.year // 100 + offset:02d}", "DATE", "decade", "century")


def _clock_time(m: Mention) -> tuple[int, int] | None:
    if m.part("noon"):
        return {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}[m.parts["noon"].lower()]
    hour = int(m.parts["hour"]) if m.parts["hour"].isdigit() else 0
    minute = int(m.part("minute") or 0)
    ampm = (m.part("ampm") or "").lower()
    pod = (m.part("pod") or "").lower()
    if ampm.startswith("p") or pod in {"afternoon", "evening"} or (pod == "night" and hour < 12 and hour > 5):
        hour = hour % 12 + 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return hour, minute


def _day_of_mention(ctx: Context, m: Mention) -> date | None:
    """The day a time of day belongs to: its weekday or "yesterday", else the publication day."""
    if m.part("dow"):
        return _weekday_date(ctx, ctx.lexicon.weekdays[m.parts["dow"].lower()], "", m)
    if m.part("relday"):
        if ctx.published is None:
            return None
        return ctx.published + timedelta(days=ctx.lexicon.relative_days[m.parts["relday"].lower()])
    if m.part("month") and m.part("day"):
        value = _full_date(ctx, m)
        return date.fromisoformat(value.value) if value.value else None
    return ctx.anchor


def _clock(ctx: Context, m: Mention) -> Value:
    hm = _clock_time(m)
    if hm is None:
        return Value(None, "TIME", "unknown", "not a clock time")
    day = _day_of_mention(ctx, m)
    if day is None:
        return _unresolved("TIME")
    return Value(f"{day.isoformat()}T{hm[0]:02d}:{hm[1]:02d}", "TIME", "time")


def _oclock(ctx: Context, m: Mention) -> Value:
    parts = dict(m.parts)
    number = ctx.lexicon.number(parts["hour"])
    if number is None:
        return Value(None, "TIME", "unknown", "not a clock time")
    parts["hour"] = str(number)
    return _clock(ctx, Mention(m.start, m.end, m.rule, parts))


def _weekday_date(ctx: Context, weekday: int, rel: str, m: Mention) -> date | None:
    pub = ctx.published
    if rel in {"the previous", "the following", "the next"}:
        pub = _narrative_anchor(ctx, m)
    if pub is None:
        return None
    back = (pub.isoweekday() - weekday) % 7
    ahead = (weekday - pub.isoweekday()) % 7
    if rel in {"last", "past", "this past", "the previous"}:
        return pub - timedelta(days=back or 7)
    if rel in {"next", "coming", "this coming", "the following", "the next"}:
        return pub + timedelta(days=ahead or 7)
    possessive = ctx.text[m.end : m.end + 2] in {"'s", "’s"}  # "Wednesday's ruling": already happened
    if not possessive and speaks_of_future(ctx.text, m.start, m.end):
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=back)


def _weekday(ctx: Context, m: Mention) -> Value:
    weekday = ctx.lexicon.weekdays[m.parts["dow"].lower()]
    rel = " ".join((m.part("rel") or "").lower().split())
    d = _weekday_date(ctx, weekday, rel, m)
    if d is None:
        return _unresolved()
    if m.part("pod"):
        return Value(f"{d.isoformat()}T{ctx.lexicon.parts_of_day[m.parts['pod'].lower()]}", "TIME", "time")
    return Value(day_value(d), "DATE", "day")


def _relday(ctx: Context, m: Mention) -> Value:
    word = " ".join(m.parts["word"].lower().split())
    if ctx.published is None:
        return _unresolved()
    d = ctx.published + timedelta(days=ctx.lexicon.relative_days[word])
    pod = (m.part("pod") or "").lower() or ("night" if word == "tonight" else "")
    if pod:
        return Value(f"{d.isoformat()}T{ctx.lexicon.parts_of_day[pod]}", "TIME", "time")
    return Value(day_value(d), "DATE", "day")


def _pod(ctx: Context, m: Mention) -> Value:
    rel = " ".join(m.parts["rel"].lower().split())
    base = _narrative_anchor(ctx, m) if rel in {"the next", "the following", "the previous", "that"} else ctx.published
    if base is None:
        return _unresolved("TIME")
    pod = m.parts["pod"].lower()
    offset = {"last": -1 if pod in {"night", "evening"} else 0, "yesterday": -1, "tomorrow": 1,
              "the next": 1, "the following": 1, "the previous": -1}.get(rel, 0)
    d = base + timedelta(days=offset)
    return Value(f"{d.isoformat()}T{ctx.lexicon.parts_of_day[pod]}", "TIME", "time")


def _overnight(ctx: Context, m: Mention) -> Value:
    if ctx.published is None:
        return _unresolved("TIME")
    return Value(f"{ctx.published.isoformat()}TNI", "TIME", "time")


def _count(ctx: Context, m: Mention) -> float | None:
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


def _ago(ctx: Context, m: Mention) -> Value:
    unit = ctx.lexicon.unit(m.parts["unit"])
    n = _count(ctx, m)
    direction = " ".join(m.parts["dir"].lower().split())
    back = direction in {"ago", "earlier", "before", "previously", "back"}
    narrative = direction in {"earlier", "later", "before", "after"}
    if n is None:
        return Value("PAST_REF" if back else "FUTURE_REF", "DATE", "unknown") if ctx.published else _unresolved()
    if unit.letter == "Y" and unit.factor == 1 and n == 1 and back and _recent_quarter(ctx, m):
        year, quarter, _ = ctx.last_quarter  # type: ignore[misc]
        return Value(f"{year - 1:04d}-Q{quarter}", "DATE", "quarter", "the same quarter a year before")
    base = _narrative_anchor(ctx, m) if narrative else ctx.published
    if base is None:
        return _unresolved()
    whole = int(n) if n == int(n) else None
    if unit.time or whole is None:  # "two hours ago", "18 months ago": no day to name, only the direction
        return Value("PAST_REF" if back else "FUTURE_REF", "TIME" if unit.time else "DATE", "unknown")
    d = shift(base, unit, -whole if back else whole)
    value, precision = at_granularity(d, unit)
    return Value(value, "DATE", precision)


def _rel_offset(rel: str) -> int:
    rel = " ".join(rel.lower().split())
    if rel in {"last", "past", "the past", "the last", "previous", "the previous", "the preceding", "this past"}:
        return -1
    if rel in {"next", "the next", "coming", "the coming", "following", "the following", "this coming"}:
        return 1
    return 0


def _relunit(ctx: Context, m: Mention) -> Value:
    rel = " ".join(m.parts["rel"].lower().split())
    unit_word = m.parts["unit"].lower().replace("-", "")
    # "the next day" follows the story's own timeline; "next week" (no article) is the reader's.
    narrative = rel in {"the following", "following", "the previous", "the preceding", "that", "the same", "the next"}
    base = _narrative_anchor(ctx, m) if narrative else ctx.published
    if base is None:
        return _unresolved()
    offset = _rel_offset(rel)
    if unit_word in {"weekend", "week end"}:
        d = base + timedelta(weeks=offset)
        if offset == 0 and d.isoweekday() < 6 and not speaks_of_future(ctx.text, m.start, m.end):
            d -= timedelta(weeks=1)  # "the weekend" read on a weekday in past-tense news: the one just gone
        return Value(f"{week_value(d)}-WE", "DATE", "week")
    unit = ctx.lexicon.unit(unit_word)
    value, precision = at_granularity(shift(base, unit, offset), unit)
    return Value(value, "DATE", precision)


def _the_unit(ctx: Context, m: Mention) -> Value:
    """"the year ended June 30" is a span of a year; "for the year", "the week" the current one."""
    word = m.parts["unit"].lower()
    if m.part("ended") and word != "weekend":
        unit = ctx.lexicon.unit(word)
        return Value(duration_value(1, unit), "DURATION", unit_precision(unit))
    if word == "weekend":
        return _relunit(ctx, Mention(m.start, m.end, m.rule, {"rel": "the", "unit": "weekend"}))
    if ctx.published is None:
        return _unresolved()
    value, precision = at_granularity(ctx.published, ctx.lexicon.unit(word))
    return Value(value, "DATE", precision)


def _current_unit(ctx: Context, m: Mention) -> Value:
    """"earlier in the year", "year-end": the publication date's year (month, week, quarter)."""
    if ctx.published is None:
        return _unresolved()
    value, precision = at_granularity(ctx.published, ctx.lexicon.unit(m.parts["unit"]))
    return Value(value, "DATE", precision)


_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _season(ctx: Context, m: Mention) -> Value:
    code = ctx.lexicon.seasons[m.parts["season"].lower()]
    if m.part("year"):
        return Value(f"{_year_number(ctx, m.parts['year']):04d}-{code}", "DATE", "quarter", "season")
    if ctx.published is None:
        return _unresolved()
    rel = " ".join((m.part("rel") or "").lower().split())
    offset = _rel_offset(rel) if rel not in {"", "the", "this", "that"} else 0
    year = ctx.published.year + offset
    if offset == 0 and rel != "this":
        year = _year_near(ctx, _SEASON_MONTH[code], None, m) or year
    return Value(f"{year:04d}-{code}", "DATE", "quarter", "season")


_ORDINAL_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                    "final": 4}


def _recent_quarter(ctx: Context, m: Mention) -> bool:
    """Whether a quarter was named shortly before (financial reports compare with it)."""
    return ctx.last_quarter is not None and m.start - ctx.last_quarter[2] < 1500


def _quarter_at(d: date, k: int = 0) -> tuple[int, int]:
    """(year, quarter) of the quarter ``k`` quarters after the one ``d`` is in."""
    year, month = add_months(d.year, (quarter_of(d) - 1) * 3 + 1, 3 * k)
    return year, (month - 1) // 3 + 1


def _reference_quarter(ctx: Context, m: Mention) -> tuple[int, int] | None:
    """The quarter under discussion: the last one named, else the last one completed."""
    if _recent_quarter(ctx, m):
        year, quarter, _ = ctx.last_quarter  # type: ignore[misc]
        return year, quarter
    return _quarter_at(ctx.published, -1) if ctx.published else None


def _unnumbered_quarter(ctx: Context, m: Mention, word: str, det: str) -> tuple[int, int] | None:
    """"the latest quarter", "the current quarter", "next quarter", "the quarter"."""
    if ctx.published is not None:
        if word == "latest":  # the last one completed, i.e. the one reported
            return _quarter_at(ctx.published, -1)
        if word in {"current", "this"} or det == "this":
            return _quarter_at(ctx.published)
        if word in {"next", "coming"}:
            return _quarter_at(ctx.published, 1)
    return _reference_quarter(ctx, m)


def _quarter(ctx: Context, m: Mention) -> Value:
    word = (m.part("ordinal") or "").lower()
    det = " ".join((m.part("det") or "").lower().split()).replace("’", "'")
    year_word = m.part("year") or m.part("year2") or m.part("year3")
    year_shift = -1 if m.part("ago") or det.startswith("last year") or word in {
        "year-ago", "year-earlier", "comparable", "corresponding"} else 0
    year_shift += 1 if det.startswith("next year") else 0
    explicit_year = _year_number(ctx, year_word) if year_word else None
    if m.parts["q"].lower() == "half":
        year = explicit_year or (ctx.published.year if ctx.published else None)
        if year is None:
            return _unresolved()
        return Value(f"{year + year_shift:04d}-H{1 if word in {'first', '1st'} else 2}", "DATE", "quarter", "half")
    number = 4 if word == "last" and explicit_year else _ORDINAL_QUARTER.get(word)
    ended = _quarter_end(ctx, m)
    if ended is not None:
        # "the quarter ended July 31": the calendar quarter most of it falls in; "its fourth quarter
        # ended Sept. 30" keeps the company's own (fiscal) number, in the year it ended.
        return Value(f"{ended.year:04d}-Q{number or quarter_of(ended - timedelta(days=45))}", "DATE", "quarter")
    if number is None:
        found = _unnumbered_quarter(ctx, m, word, det)
        if found is None:
            return _unresolved()
        year, number = found
    elif explicit_year is not None:
        year = explicit_year
    elif ctx.published is not None:
        year = ctx.published.year  # reports name quarters just ended or under way
    elif ctx.last_quarter is not None:
        year = ctx.last_quarter[0]
    else:
        return _unresolved()
    return Value(f"{year + year_shift:04d}-Q{number}", "DATE", "quarter")


def _quarter_end(ctx: Context, m: Mention) -> date | None:
    if not (m.part("end_month") and m.part("end_day")):
        return None
    parts = {"month": m.parts["end_month"], "day": m.parts["end_day"]}
    if m.part("end_year"):
        parts["year"] = m.parts["end_year"]
    ended = _full_date(ctx, Mention(m.start, m.end, m.rule, parts))
    return date.fromisoformat(ended.value) if ended.value else None


def _qcode(ctx: Context, m: Mention) -> Value:
    code = m.parts["q"].upper()
    if m.part("year"):
        year: int | None = int(m.parts["year"])
    else:
        year = ctx.published.year if ctx.published else None
    if year is None:
        return _unresolved()
    return Value(f"{year:04d}-{code}", "DATE", "quarter")


def _period(ctx: Context, m: Mention) -> Value:
    which = " ".join(m.parts["which"].lower().split())
    ref = _reference_quarter(ctx, m)
    if ref is None:
        return _unresolved()
    year, quarter = ref
    if m.part("ago") or "year-" in which or which in {"comparable", "corresponding"}:
        year -= 1
    return Value(f"{year:04d}-Q{quarter}", "DATE", "quarter")


def _yearago_adj(ctx: Context, m: Mention) -> Value:
    if _recent_quarter(ctx, m):
        year, quarter, _ = ctx.last_quarter  # type: ignore[misc]
        return Value(f"{year - 1:04d}-Q{quarter}", "DATE", "quarter")
    if ctx.published is None:
        return _unresolved()
    return Value(f"{ctx.published.year - 1:04d}", "DATE", "year")


def _duration(ctx: Context, m: Mention) -> Value:
    unit = ctx.lexicon.unit(m.parts["unit"])
    n = _count(ctx, m)
    if n is not None and n != int(n):
        return Value(fractional_duration(n, unit), "DURATION", unit_precision(unit))
    return Value(duration_value(n, unit), "DURATION", unit_precision(unit))


def _vague_units(ctx: Context, m: Mention) -> Value:
    unit = ctx.lexicon.unit(m.parts["unit"])
    return Value(duration_value(None, unit), "DURATION", unit_precision(unit))


def _set_word(ctx: Context, m: Mention) -> Value:
    value = ctx.lexicon.sets[m.parts["word"].lower()]
    letter = value[-1]
    return Value(value, "SET", "time" if value.startswith("PT") else PRECISION_OF_LETTER[letter])


def _every(ctx: Context, m: Mention) -> Value:
    word = m.parts["unit"]
    lower = word.lower().rstrip(".")
    lex = ctx.lexicon
    if lower in lex.weekdays:
        return Value(f"XXXX-WXX-{lex.weekdays[lower]}", "SET", "day")
    if word[:1].isupper() and lower in lex.months:
        return Value(f"XXXX-{lex.months[lower]:02d}", "SET", "month")
    if lower in lex.seasons:
        return Value(f"XXXX-{lex.seasons[lower]}", "SET", "quarter")
    if lower in lex.parts_of_day:
        return Value(f"XXXX-XX-XXT{lex.parts_of_day[lower]}", "SET", "time")
    if lower == "weekend":
        return Value("XXXX-WXX-WE", "SET", "week")
    unit = lex.unit(lower)
    num = (m.part("num") or "").lower()
    n = 2 if num == "other" else (lex.number(num) or 1) if num else 1
    return Value(duration_value(n, unit), "SET", unit_precision(unit))


def _times_per(ctx: Context, m: Mention) -> Value:
    unit = ctx.lexicon.unit(m.parts["unit"])
    return Value(duration_value(1, unit), "SET", unit_precision(unit))


def _weekdays(ctx: Context, m: Mention) -> Value:
    weekday = ctx.lexicon.weekdays[m.parts["dows"].lower()[:-1]]
    pod = (m.part("pod") or "").lower().rstrip("s")
    suffix = f"T{ctx.lexicon.parts_of_day[pod]}" if pod else ""
    return Value(f"XXXX-WXX-{weekday}{suffix}", "SET", "day")


def _holiday(ctx: Context, m: Mention) -> Value:
    name = m.parts["holiday"]
    if m.part("year"):
        return Value(day_value(holiday_date(ctx.lexicon, name, int(m.parts["year"]))), "DATE", "day")
    pub = ctx.published
    if pub is None:
        return _unresolved()
    rel = " ".join((m.part("rel") or "").lower().split())
    this_year = holiday_date(ctx.lexicon, name, pub.year)
    if rel in {"last", "this past"}:
        d = this_year if this_year < pub else holiday_date(ctx.lexicon, name, pub.year - 1)
    elif rel in {"next", "this coming"} or speaks_of_future(ctx.text, m.start, m.end):
        d = this_year if this_year >= pub else holiday_date(ctx.lexicon, name, pub.year + 1)
    else:
        d = this_year if this_year <= pub else holiday_date(ctx.lexicon, name, pub.year - 1)
    return Value(day_value(d), "DATE", "day")


def _deictic(value: str, precision: str) -> Callable[[Context, Mention], Value]:
    def resolve(ctx: Context, m: Mention) -> Value:
        if ctx.published is None:
            return _unresolved()
        note = f"the publication date, {ctx.published.isoformat()}" if value == "PRESENT_REF" else None
        return Value(value, "DATE", precision, note)

    return resolve


def _current(ctx: Context, m: Mention) -> Value:
    word = m.parts["word"].lower()
    return _deictic("PAST_REF" if word in {"recent", "then-current"} else "PRESENT_REF",
                    "unknown" if word != "current" else "day")(ctx, m)


NORMALISERS: dict[str, Callable[[Context, Mention], Value]] = {
    "iso": _iso,
    "numeric": _numeric,
    "month_day": _full_date,
    "week_of": _week_of,
    "day_month": _full_date,
    "month_year": _month_year,
    "month": _month,
    "year": _year,
    "spoken_year": _spoken_year,
    "decade": _decade,
    "century": _century,
    "clock": _clock,
    "clock24": _clock,
    "oclock": _oclock,
    "hour_pod": _clock,
    "noon": _clock,
    "weekday": _weekday,
    "relday": _relday,
    "pod": _pod,
    "overnight": _overnight,
    "ago": _ago,
    "relunit": _relunit,
    "inthe": _current_unit,
    "the_unit": _the_unit,
    "year_end": _current_unit,
    "season": _season,
    "quarter": _quarter,
    "qcode": _qcode,
    "period": _period,
    "yearago_adj": _yearago_adj,
    "duration": _duration,
    "units_long": _vague_units,
    "bare_units": _vague_units,
    "recent_units": _vague_units,
    "set": _set_word,
    "every": _every,
    "times_per": _times_per,
    "weekdays": _weekdays,
    "holiday": _holiday,
    "present": _deictic("PRESENT_REF", "day"),
    "past": _deictic("PAST_REF", "unknown"),
    "future": _deictic("FUTURE_REF", "unknown"),
    "current": _current,
}


def normalise(ctx: Context, mention: Mention) -> Value:
    """The value of one mention; updates the context's narrative anchors from what it resolves to."""
    value = NORMALISERS[mention.rule](ctx, mention)
    _remember(ctx, mention, value)
    return value


_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def _remember(ctx: Context, mention: Mention, value: Value) -> None:
    """Explicit dates become the narrative anchor; named quarters the quarter under discussion."""
    if value.value is None or value.type not in {"DATE", "TIME"}:
        return
    day = _DAY.match(value.value)
    if day and mention.rule in {"iso", "numeric", "month_day", "day_month", "weekday", "relday", "clock", "relunit",
                                "ago"}:
        ctx.last_date = date(int(day.group(1)), int(day.group(2)), int(day.group(3)))
        if ctx.published is None or ctx.last_date <= ctx.published:
            ctx.last_past_date = ctx.last_date
    quarter = _QUARTER.match(value.value)
    if ctx.published is not None and quarter and int(quarter.group(1)) < ctx.published.year:
        return  # "the 1988 third quarter" is the comparison, not the quarter under discussion
    if quarter and mention.rule in {"quarter", "qcode"} and (mention.part("ordinal") or "").lower() in {
            "first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th", "final", "last", ""}:
        ctx.last_quarter = (int(quarter.group(1)), int(quarter.group(2)), mention.start)
