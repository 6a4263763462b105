"""Time-normaliser rules for periods and repetitions: seasons, quarters and halves (with the
financial-report readings of "the year-ago quarter"), durations, sets ("every Tuesday", "daily"),
holidays and the deictic "now", "recently", "in the future"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from .tense import speaks_of_future
from .timecal import (
    PRECISION_OF_LETTER,
    add_months,
    day_value,
    duration_value,
    fractional_duration,
    holiday_date,
    quarter_of,
    unit_precision,
)
from .timelex import Mention
from .timenorm_base import (
    Context,
    Value,
    count_of,
    recent_quarter,
    rel_offset,
    unresolved,
    year_near,
    year_number,
)
from .timenorm_dates import full_date

__all__ = ["PERIOD_RULES"]

_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _season(ctx: Context, m: Mention) -> Value:
    code = ctx.lexicon.seasons[m.parts["season"].lower()]
    if m.part("year"):
        return Value(f"{year_number(ctx, m.parts['year']):04d}-{code}", "DATE", "quarter", "season")
    if ctx.published is None:
        return unresolved()
    rel = " ".join((m.part("rel") or "").lower().split())
    offset = rel_offset(rel) if rel not in {"", "the", "this", "that"} else 0
    year = ctx.published.year + offset
    if offset == 0 and rel != "this":
        year = year_near(ctx, _SEASON_MONTH[code], None, m) or year
    return Value(f"{year:04d}-{code}", "DATE", "quarter", "season")


_ORDINAL_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                    "final": 4}


def _quarter_at(d: date, k: int = 0) -> tuple[int, int]:
    """(year, quarter) of the quarter ``k`` quarters after the one ``d`` is in."""
    year, month = add_months(d.year, (quarter_of(d) - 1) * 3 + 1, 3 * k)
    return year, (month - 1) // 3 + 1


def _reference_quarter(ctx: Context, m: Mention) -> tuple[int, int] | None:
    """The quarter under discussion: the last one named, else the last one completed."""
    if recent_quarter(ctx, m):
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
    explicit_year = year_number(ctx, year_word) if year_word else None
    if m.parts["q"].lower() == "half":
        year = explicit_year or (ctx.published.year if ctx.published else None)
        if year is None:
            return unresolved()
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
            return unresolved()
        year, number = found
    elif explicit_year is not None:
        year = explicit_year
    elif ctx.published is not None:
        year = ctx.published.year  # reports name quarters just ended or under way
    elif ctx.last_quarter is not None:
        year = ctx.last_quarter[0]
    else:
        return unresolved()
    return Value(f"{year + year_shift:04d}-Q{number}", "DATE", "quarter")


def _quarter_end(ctx: Context, m: Mention) -> date | None:
    if not (m.part("end_month") and m.part("end_day")):
        return None
    parts = {"month": m.parts["end_month"], "day": m.parts["end_day"]}
    if m.part("end_year"):
        parts["year"] = m.parts["end_year"]
    ended = full_date(ctx, Mention(m.start, m.end, m.rule, parts))
    return date.fromisoformat(ended.value) if ended.value else None


def _qcode(ctx: Context, m: Mention) -> Value:
    code = m.parts["q"].upper()
    if m.part("year"):
        year: int | None = int(m.parts["year"])
    else:
        year = ctx.published.year if ctx.published else None
    if year is None:
        return unresolved()
    return Value(f"{year:04d}-{code}", "DATE", "quarter")


def _period(ctx: Context, m: Mention) -> Value:
    which = " ".join(m.parts["which"].lower().split())
    ref = _reference_quarter(ctx, m)
    if ref is None:
        return unresolved()
    year, quarter = ref
    if m.part("ago") or "year-" in which or which in {"comparable", "corresponding"}:
        year -= 1
    return Value(f"{year:04d}-Q{quarter}", "DATE", "quarter")


def _yearago_adj(ctx: Context, m: Mention) -> Value:
    if recent_quarter(ctx, m):
        year, quarter, _ = ctx.last_quarter  # type: ignore[misc]
        return Value(f"{year - 1:04d}-Q{quarter}", "DATE", "quarter")
    if ctx.published is None:
        return unresolved()
    return Value(f"{ctx.published.year - 1:04d}", "DATE", "year")


def _duration(ctx: Context, m: Mention) -> Value:
    unit = ctx.lexicon.unit(m.parts["unit"])
    n = count_of(ctx, m)
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
        return unresolved()
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
            return unresolved()
        note = f"the publication date, {ctx.published.isoformat()}" if value == "PRESENT_REF" else None
        return Value(value, "DATE", precision, note)

    return resolve


def _current(ctx: Context, m: Mention) -> Value:
    word = m.parts["word"].lower()
    return _deictic("PAST_REF" if word in {"recent", "then-current"} else "PRESENT_REF",
                    "unknown" if word != "current" else "day")(ctx, m)


# The rules of this module, by their name in data/time_rules.yaml.
PERIOD_RULES: dict[str, Callable[[Context, Mention], Value]] = {
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
