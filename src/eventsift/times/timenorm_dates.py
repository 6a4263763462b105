"""Time-normaliser rules for points in time: calendar dates, months, years, decades, clock times,
weekdays, "yesterday", "two weeks ago", "next month" (see :mod:`eventsift.times.timenorm` for the
conventions they follow)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .tense import speaks_of_future
from .timecal import at_granularity, day_value, duration_value, shift, spoken_year, unit_precision, week_value
from .timelex import Mention
from .timenorm_base import (
    Context,
    Value,
    count_of,
    day_number,
    month_number,
    narrative_anchor,
    recent_quarter,
    rel_offset,
    two_digit_year,
    unresolved,
    year_near,
    year_number,
)

__all__ = ["DATE_RULES", "full_date"]


def full_date(ctx: Context, m: Mention) -> Value:
    """A month and day, with or without a year ("March 5", "5 March 2023")."""
    month = month_number(ctx, m.parts["month"])
    day = day_number(ctx, m.parts["day"])
    if m.part("year"):
        year: int | None = year_number(ctx, m.parts["year"])
    else:
        year = year_near(ctx, month, day, m)
    if year is None:
        return unresolved()
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
    day = full_date(ctx, m)
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
        year = two_digit_year(ctx, year)
    month, day = (b, a) if a > 12 else (a, b)  # US order unless the first number cannot be a month
    try:
        return Value(day_value(date(year, month, day)), "DATE", "day")
    except ValueError:
        return Value(None, "DATE", "unknown", "not a calendar date")


def _month_year(ctx: Context, m: Mention) -> Value:
    month = month_number(ctx, m.parts["month"])
    year = year_number(ctx, m.parts["year"])
    return Value(f"{year:04d}-{month:02d}", "DATE", "month")


def _month(ctx: Context, m: Mention) -> Value:
    month = month_number(ctx, m.parts["month"])
    rel = " ".join((m.part("rel") or "").lower().split())
    rel2 = (m.part("rel2") or "").lower()
    pub = ctx.published
    if pub is None:
        if ctx.last_date is not None and not rel and not rel2:
            return Value(f"{ctx.last_date.year:04d}-{month:02d}", "DATE", "month",
                         f"year from the date before, {ctx.last_date.year}")
        return unresolved()
    if rel2:
        year = pub.year + {"last": -1, "this": 0, "next": 1}[rel2]
    elif rel in {"last", "past", "this past", "the past", "the last", "the previous", "previous"}:
        year = pub.year if month < pub.month else pub.year - 1
    elif rel in {"next", "coming", "this coming", "the next", "the coming", "the following", "following"}:
        year = pub.year if month > pub.month else pub.year + 1
    else:
        year = year_near(ctx, month, None, m) or pub.year
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
        start = two_digit_year(ctx, tens * 10)  # "the '90s", "the nineties"
    return Value(f"{start // 10:03d}", "DATE", "decade")


def _century(ctx: Context, m: Mention) -> Value:
    if m.part("ordinal"):
        word = m.parts["ordinal"].lower()
        number = ctx.lexicon.ordinals.get(word) or int(re.sub(r"\D", "", word))
        return Value(f"{number - 1:02d}", "DATE", "decade", "century")
    if ctx.published is None:
        return unresolved()
    offset = rel_offset(m.parts["rel"])
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
        value = full_date(ctx, m)
        return date.fromisoformat(value.value) if value.value else None
    return ctx.anchor


def _clock(ctx: Context, m: Mention) -> Value:
    hm = _clock_time(m)
    if hm is None:
        return Value(None, "TIME", "unknown", "not a clock time")
    day = _day_of_mention(ctx, m)
    if day is None:
        return unresolved("TIME")
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
        pub = narrative_anchor(ctx, m)
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
        return unresolved()
    if m.part("pod"):
        return Value(f"{d.isoformat()}T{ctx.lexicon.parts_of_day[m.parts['pod'].lower()]}", "TIME", "time")
    return Value(day_value(d), "DATE", "day")


def _relday(ctx: Context, m: Mention) -> Value:
    word = " ".join(m.parts["word"].lower().split())
    if ctx.published is None:
        return unresolved()
    d = ctx.published + timedelta(days=ctx.lexicon.relative_days[word])
    pod = (m.part("pod") or "").lower() or ("night" if word == "tonight" else "")
    if pod:
        return Value(f"{d.isoformat()}T{ctx.lexicon.parts_of_day[pod]}", "TIME", "time")
    return Value(day_value(d), "DATE", "day")


def _pod(ctx: Context, m: Mention) -> Value:
    rel = " ".join(m.parts["rel"].lower().split())
    base = narrative_anchor(ctx, m) if rel in {"the next", "the following", "the previous", "that"} else ctx.published
    if base is None:
        return unresolved("TIME")
    pod = m.parts["pod"].lower()
    offset = {"last": -1 if pod in {"night", "evening"} else 0, "yesterday": -1, "tomorrow": 1,
              "the next": 1, "the following": 1, "the previous": -1}.get(rel, 0)
    d = base + timedelta(days=offset)
    return Value(f"{d.isoformat()}T{ctx.lexicon.parts_of_day[pod]}", "TIME", "time")


def _overnight(ctx: Context, m: Mention) -> Value:
    if ctx.published is None:
        return unresolved("TIME")
    return Value(f"{ctx.published.isoformat()}TNI", "TIME", "time")


def _ago(ctx: Context, m: Mention) -> Value:
    unit = ctx.lexicon.unit(m.parts["unit"])
    n = count_of(ctx, m)
    direction = " ".join(m.parts["dir"].lower().split())
    back = direction in {"ago", "earlier", "before", "previously", "back"}
    narrative = direction in {"earlier", "later", "before", "after"}
    if n is None:
        return Value("PAST_REF" if back else "FUTURE_REF", "DATE", "unknown") if ctx.published else unresolved()
    if unit.letter == "Y" and unit.factor == 1 and n == 1 and back and recent_quarter(ctx, m):
        year, quarter, _ = ctx.last_quarter  # type: ignore[misc]
        return Value(f"{year - 1:04d}-Q{quarter}", "DATE", "quarter", "the same quarter a year before")
    base = narrative_anchor(ctx, m) if narrative else ctx.published
    if base is None:
        return unresolved()
    whole = int(n) if n == int(n) else None
    if unit.time or whole is None:  # "two hours ago", "18 months ago": no day to name, only the direction
        return Value("PAST_REF" if back else "FUTURE_REF", "TIME" if unit.time else "DATE", "unknown")
    d = shift(base, unit, -whole if back else whole)
    value, precision = at_granularity(d, unit)
    return Value(value, "DATE", precision)


def _relunit(ctx: Context, m: Mention) -> Value:
    rel = " ".join(m.parts["rel"].lower().split())
    unit_word = m.parts["unit"].lower().replace("-", "")
    # "the next day" follows the story's own timeline; "next week" (no article) is the reader's.
    narrative = rel in {"the following", "following", "the previous", "the preceding", "that", "the same", "the next"}
    base = narrative_anchor(ctx, m) if narrative else ctx.published
    if base is None:
        return unresolved()
    offset = rel_offset(rel)
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
        return unresolved()
    value, precision = at_granularity(ctx.published, ctx.lexicon.unit(word))
    return Value(value, "DATE", precision)


def _current_unit(ctx: Context, m: Mention) -> Value:
    """"earlier in the year", "year-end": the publication date's year (month, week, quarter)."""
    if ctx.published is None:
        return unresolved()
    value, precision = at_granularity(ctx.published, ctx.lexicon.unit(m.parts["unit"]))
    return Value(value, "DATE", precision)


# The rules of this module, by their name in data/time_rules.yaml.
DATE_RULES: dict[str, Callable[[Context, Mention], Value]] = {
    "iso": _iso,
    "numeric": _numeric,
    "month_day": full_date,
    "week_of": _week_of,
    "day_month": full_date,
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
}
