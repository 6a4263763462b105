"""Filters of the read side: what to select and in which order, checked and normalised.

:class:`Filters` takes query-string text (``"2024-03"``, ``"35,50,39,52"``, ``"7"``) or typed values and
raises :class:`~eventsift.errors.QueryError` with a one-line reason on a bad one; :func:`parse_filters`
builds one from a mapping of query-string values. A cursor is the sort name, the sort value and the id
of the last item of a page, as base64url JSON: opaque to clients, checked on the way back in.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from ..errors import QueryError

__all__ = [
    "DEFAULT_LIMIT",
    "FILTER_FIELDS",
    "MAX_CURSOR_CHARS",
    "MAX_INT",
    "MAX_LIMIT",
    "SORTS",
    "Filters",
    "check_limit",
    "decode_cursor",
    "encode_cursor",
    "parse_filters",
]

SORTS = ("date", "-date", "fatalities", "-fatalities", "sources", "-sources")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# The largest value of the INTEGER columns compared with numbers (fatalities, n_sources): PostgreSQL
# casts a bound parameter to the column's 32-bit type, so a larger min_sources or cursor value is
# refused here instead of failing in the database.
MAX_INT = 2**31 - 1
# A cursor this API hands out is a short flat JSON list; longer text is refused before decoding it.
MAX_CURSOR_CHARS = 2048
_MAX_DATE_CHARS = 32  # the longest stored date value is a TimeML range bound such as 2024-03-12T10:00
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ADMIN1 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


# ------------------------------------------------------------------------------------- filters


def _text(value: Any, name: str = "value") -> str | None:
    text = str(value).strip() if value is not None else ""
    if "\x00" in text:  # PostgreSQL refuses NUL in text: a clear 400 instead of a database error
        raise QueryError(f"{name}: holds a NUL byte (\\x00)")
    return text or None


def _date_bound(name: str, value: Any, *, last: bool) -> str | None:
    """A YYYY[-MM[-DD]] bound as a full day: the first day of it, or the ``last`` day."""
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value, name)
    if text is None:
        return None
    match = _DATE.match(text)
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match[1]), int(match[2] or (12 if last else 1)), match[3]
        last_day = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        return date(year, month, int(day) if day else (last_day if last else 1)).isoformat()
    except ValueError:
        raise QueryError(f"{name}: expected a date as YYYY-MM-DD (or YYYY-MM, YYYY), got {text!r}") from None


def _codes(name: str, value: Any, pattern: re.Pattern[str], example: str) -> str | None:
    text = _text(value, name)
    if text is None:
        return None
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    bad = [c for c in codes if not pattern.match(c)]
    if bad:
        raise QueryError(f"{name}: expected codes such as {example}, got {', '.join(bad)!r}")
    return ",".join(codes) or None


def _bbox(value: Any) -> tuple[float, float, float, float] | None:
    if value is None or value == "":
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        if len(parts) != 4:
            raise ValueError
        west, south, east, north = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise QueryError(f"bbox: expected west,south,east,north in degrees, got {value!r}") from None
    numbers = (west, south, east, north)
    if not all(math.isfinite(n) for n in numbers) or not all(-180 <= n <= 180 for n in (west, east)):
        raise QueryError(f"bbox: longitudes must lie in -180..180, got {value!r}")
    if not (-90 <= south <= north <= 90):
        raise QueryError(f"bbox: latitudes must lie in -90..90 with south <= north, got {value!r}")
    return numbers


def _int(name: str, value: Any, low: int, high: int | None = None) -> int:
    """A whole number in ``low..high`` (``high`` defaults to MAX_INT, what the databases hold)."""
    high = MAX_INT if high is None else high
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).strip()
        if len(text.lstrip("+-")) > len(str(MAX_INT)):  # int() of thousands of digits is slow, and out of range
            raise QueryError(f"{name}: must be {low}..{high}, got a number of {len(text)} characters")
        try:
            number = int(text)
        except ValueError:
            raise QueryError(f"{name}: expected a whole number, got {text[:40]!r}") from None
    if number < low or number > high:
        raise QueryError(f"{name}: must be {low}..{high}, got {number}")
    return number


def check_limit(value: Any) -> int:
    """A row limit: a whole number in 1..MAX_LIMIT (QueryError otherwise)."""
    return _int("limit", value, 1, MAX_LIMIT)


@dataclass(frozen=True)
class Filters:
    """What to select and in which order. Values may be given as query-string text; they are checked
    and normalised on construction (a bad one raises :class:`~eventsift.errors.QueryError`)."""

    date_from: str | None = None  # YYYY[-MM[-DD]]; kept as the first day it names
    date_to: str | None = None  # kept as the last day it names
    country: str | None = None  # ISO 3166-1 alpha-2, comma-separated for several
    admin1: str | None = None  # ISO 3166-2
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # case-insensitive substring of actor1 or actor2
    status: str | None = None
    min_sources: int | None = None
    q: str | None = None  # case-insensitive substring of the evidence text
    sort: str = "-date"
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None

    def __post_init__(self) -> None:
        values = {
            "date_from": _date_bound("date_from", self.date_from, last=False),
            "date_to": _date_bound("date_to", self.date_to, last=True),
            "country": _codes("country", self.country, _COUNTRY, "RU or RU,UA"),
            "admin1": _codes("admin1", self.admin1, _ADMIN1, "RU-BEL"),
            "bbox": _bbox(self.bbox),
            "event_type": _text(self.event_type, "event_type"),
            "sub_event_type": _text(self.sub_event_type, "sub_event_type"),
            "actor": _text(self.actor, "actor"),
            "status": _text(self.status.lower() if isinstance(self.status, str) else self.status, "status"),
            "min_sources": None if self.min_sources in (None, "") else _int("min_sources", self.min_sources, 0),
            "q": _text(self.q, "q"),
            "sort": _text(self.sort, "sort") or "-date",
            "limit": DEFAULT_LIMIT if self.limit in (None, "") else check_limit(self.limit),
            "cursor": _text(self.cursor, "cursor"),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        if self.sort not in SORTS:
            raise QueryError(f"sort: expected one of {', '.join(SORTS)}, got {self.sort!r}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError(f"date_from {self.date_from} is after date_to {self.date_to}")
        if self.cursor:
            decode_cursor(self.cursor, self.sort)


FILTER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Filters))


def parse_filters(values: Mapping[str, Any]) -> Filters:
    """Filters from query-string values (missing or empty values mean "not given")."""
    unknown = sorted(set(values) - set(FILTER_FIELDS))
    if unknown:
        raise QueryError(f"unknown filter(s): {', '.join(unknown)}; known: {', '.join(FILTER_FIELDS)}")
    return Filters(**{k: v for k, v in values.items() if v is not None and v != ""})


# -------------------------------------------------------------------------------------- cursors


def encode_cursor(sort: str, value: Any, ident: str) -> str:
    raw = json.dumps([sort, value, ident], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    """``(sort value, id)`` of the item a page ended on; anything else is a QueryError, checked before
    the database sees it (length, nesting, types, integer range, NUL bytes)."""
    foreign = QueryError("cursor: not a cursor this API handed out (take it from a page's 'next')")
    if len(cursor) > MAX_CURSOR_CHARS:
        raise QueryError(f"cursor: longer than {MAX_CURSOR_CHARS} characters; take it from a page's 'next'")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        made_for, value, ident = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, RecursionError):
        raise foreign from None
    if made_for != sort:
        raise QueryError(f"cursor: it belongs to sort {str(made_for)[:20]!r}, not {sort!r}; start again without it")
    if not _cursor_value_ok(value, sort) or not isinstance(ident, str) or "\x00" in ident:
        raise foreign
    return value, ident


def _cursor_value_ok(value: Any, sort: str) -> bool:
    """A date sort's value is a short TimeML string (2024-03-12, 2024-W11), the others a whole number
    the databases hold; only the sources sort never has an unknown (null) value."""
    name = sort.lstrip("-")
    if value is None:
        return name != "sources"
    if name == "date":
        return isinstance(value, str) and len(value) <= _MAX_DATE_CHARS and "\x00" not in value
    return isinstance(value, int) and not isinstance(value, bool) and -MAX_INT <= value <= MAX_INT
