"""Calendar arithmetic and TimeML value formats for the time-expression stage.

Pure functions, no text: moving a date by calendar units, writing a date at a granularity
(``2024-W11``, ``2024-Q1``, ``199`` for the 1990s), durations (``P2W``, ``PT5H30M``), holiday dates,
spoken years, and :func:`value_bounds`, which turns a TimeML value back into the first and last
calendar day, month or year it covers.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from ..partial_dates import is_partial_date
from .timelex import Lexicon, Unit

__all__ = [
    "PRECISION_OF_LETTER",
    "add_months",
    "at_granularity",
    "day_value",
    "duration_value",
    "easter",
    "fractional_duration",
    "holiday_date",
    "parse_date",
    "quarter_of",
    "shift",
    "spoken_year",
    "unit_precision",
    "value_bounds",
    "week_value",
]

log = logging.getLogger(__name__)


def parse_date(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` (or ISO datetime) string as a date; None when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        log.debug("date %r is not YYYY-MM-DD", value)
        return None


def day_value(d: date) -> str:
    return d.isoformat()


def week_value(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + k
    return index // 12, index % 12 + 1


def shift(d: date, unit: Unit, n: int) -> date:
    """``d`` moved by ``n`` units (negative: back); months clamp to the month's last day."""
    count = n * unit.factor
    if unit.letter == "D":
        return d + timedelta(days=count)
    if unit.letter == "W":
        return d + timedelta(weeks=count)
    months = {"M": 1, "Q": 3, "Y": 12}[unit.letter] * count
    year, month = add_months(d.year, d.month, months)
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(f"cannot shift {d} by {n} {unit.name}")  # pragma: no cover


def at_granularity(d: date, unit: Unit) -> tuple[str, str]:
    """The value of ``d`` at the granularity of ``unit``, and its precision."""
    if unit.letter == "D":
        return day_value(d), "day"
    if unit.letter == "W":
        return week_value(d), "week"
    if unit.letter == "M" and not unit.time:
        return f"{d.year:04d}-{d.month:02d}", "month"
    if unit.letter == "Q":
        return f"{d.year:04d}-Q{quarter_of(d)}", "quarter"
    if unit.factor >= 100:
        return f"{d.year // 100:02d}", "decade"
    if unit.factor >= 10:
        return f"{d.year // 10:03d}", "decade"
    return f"{d.year:04d}", "year"


def duration_value(n: float | None, unit: Unit) -> str:
    """TimeML duration: P2W, PT5H, P10Y for a decade, PXD for an unknown count."""
    prefix = "PT" if unit.time else "P"
    if n is None:
        return f"{prefix}X{unit.letter}"
    amount = n * unit.factor
    text = f"{amount:g}" if amount != int(amount) else str(int(amount))
    return f"{prefix}{text}{unit.letter}"


PRECISION_OF_LETTER = {"S": "time", "H": "time", "D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def unit_precision(unit: Unit) -> str:
    if unit.time:
        return "time"
    if unit.letter == "Y" and unit.factor >= 10:
        return "decade"
    return PRECISION_OF_LETTER[unit.letter]


# A fraction of a unit in the next smaller one: 2 1/2 years = P2Y6M, 5 1/2 hours = PT5H30M.
_SMALLER = {("Y", False): ("M", 12), ("M", False): ("D", 30), ("W", False): ("D", 7), ("D", False): ("H", 24),
            ("H", True): ("M", 60), ("M", True): ("S", 60)}


def fractional_duration(n: float, unit: Unit) -> str:
    whole, fraction = int(n), n - int(n)
    smaller = _SMALLER.get((unit.letter, unit.time))
    if smaller is None or unit.factor != 1:
        return duration_value(n, unit)
    letter, per = smaller
    rest = fraction * per
    if rest != int(rest):
        return duration_value(n, unit)
    big = f"{whole}{unit.letter}" if whole else ""
    if unit.time or letter == "H":  # hours and below are written after the T
        head = "P" if not unit.time else "PT"
        if not unit.time:  # days and hours: P1DT12H
            return f"P{big}T{int(rest)}{letter}"
        return f"{head}{big}{int(rest)}{letter}"
    return f"P{big}{int(rest)}{letter}"


def spoken_year(lex: Lexicon, words: str) -> int:
    """"nineteen ninety-six" -> 1996, "two thousand and one" -> 2001."""
    tokens = [t for t in re.split(r"[ \-]+", words.lower()) if t not in {"and", "hundred", "oh"}]
    if tokens[:2] == ["two", "thousand"]:
        rest = tokens[2:]
        return 2000 + (lex.number(" ".join(rest)) or 0 if rest else 0)
    head = lex.numbers[tokens[0]]
    rest = tokens[1:]
    return head * 100 + (lex.number(" ".join(rest)) or 0)


def holiday_date(lex: Lexicon, name: str, year: int) -> date:
    """The date of a holiday of the lexicon in a given year."""
    rule = next(v for k, v in lex.holidays.items() if k.lower() == " ".join(name.lower().split()))
    if "easter" in rule:
        return easter(year) + timedelta(days=int(rule["easter"]))
    if "day" in rule:
        return date(year, rule["month"], rule["day"])
    first = date(year, rule["month"], 1)
    if rule.get("after_monday"):  # US Election Day: the Tuesday after the first Monday
        monday = first + timedelta(days=(1 - first.isoweekday()) % 7)
        return monday + timedelta(days=1)
    if rule["nth"] > 0:
        d = first + timedelta(days=(rule["weekday"] - first.isoweekday()) % 7)
        return d + timedelta(weeks=rule["nth"] - 1)
    year2, month2 = add_months(year, rule["month"], 1)
    last = date(year2, month2, 1) - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - rule["weekday"]) % 7)


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


_SEASON_MONTHS = {"SP": ("03", "05"), "SU": ("06", "08"), "FA": ("09", "11"), "WI": ("12", "02")}


def value_bounds(value: str | None, published: str | None = None) -> tuple[str | None, str | None]:
    """First and last calendar day, month or year a DATE value covers: ``("2023-05", "2023-05")``.

    Dates come back as ``YYYY[-MM[-DD]]`` (the event ``when`` format). ``PRESENT_REF`` is the
    publication day, ``PAST_REF`` ends and ``FUTURE_REF`` starts there; a range ``A/B`` gives its
    ends (``..`` is open). Durations, sets and values with unknown parts give ``(None, None)``.
    """
    if not value or value.startswith("P") and not value.endswith("_REF") or "X" in value:
        return None, None
    pub = parse_date(published)
    if value.endswith("_REF"):
        day = pub.isoformat() if pub else None
        return {"PRESENT_REF": (day, day), "PAST_REF": (None, day), "FUTURE_REF": (day, None)}.get(value, (None, None))
    if "/" in value:
        start, _, end = value.partition("/")
        return value_bounds(start, published)[0], (None if end == ".." else value_bounds(end, published)[1])
    value = value.split("T")[0]
    if is_partial_date(value):
        return value, value
    week = re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value)
    if week:
        monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        first = monday + timedelta(days=5) if week.group(3) else monday
        return first.isoformat(), (monday + timedelta(days=6)).isoformat()
    quarter = re.fullmatch(r"(\d{4})-([QH])([1-4])", value)
    if quarter:
        year, size, n = quarter.group(1), 3 if quarter.group(2) == "Q" else 6, int(quarter.group(3))
        return f"{year}-{(n - 1) * size + 1:02d}", f"{year}-{n * size:02d}"
    season = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
    if season:
        year, (first_month, last_month) = int(season.group(1)), _SEASON_MONTHS[season.group(2)]
        return f"{year}-{first_month}", f"{year + 1 if season.group(2) == 'WI' else year}-{last_month}"
    if re.fullmatch(r"\d{3}", value):
        return f"{value}0", f"{value}9"
    if re.fullmatch(r"\d{2}", value):
        return f"{value}00", f"{value}99"
    return None, None

