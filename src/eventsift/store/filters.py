"""Filters of the read side: what to select and in which order, checked and normalised.

Each filter is declared once, in :data:`FILTER_SPECS` (name, type, help, CLI flag, API format); the
CLI's export options (cli_serve.py), the API's query parameters (serve/params.py) and the filter
tables of docs/api.md and docs/cli.md (tests/test_filter_specs.py) are built from it.
:class:`Filters` takes query-string text (``"2024-03"``, ``"35,50,39,52"``, ``"7"``) or typed values and
raises :class:`~eventsift.errors.QueryError` with a one-line reason on a bad one; :func:`parse_filters`
builds one from a mapping of query-string values. A cursor is the sort name, the sort value and the id
of the last item of a page, as base64url JSON: opaque to clients, checked on the way back in.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from ..errors import QueryError
from ..partial_dates import first_day, last_day

__all__ = [
    "DEFAULT_LIMIT",
    "FILTER_FIELDS",
    "FILTER_SPECS",
    "MAX_CURSOR_CHARS",
    "MAX_INT",
    "MAX_LIMIT",
    "SORTS",
    "FilterSpec",
    "Filters",
    "check_limit",
    "decode_cursor",
    "encode_cursor",
    "filter_doc_lines",
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
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ADMIN1 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


# -------------------------------------------------------------------------------- declaration


@dataclass(frozen=True)
class FilterSpec:
    """One filter: its name (the Filters field and API query parameter), type, help text (CLI help,
    API description and docs alike), CLI flag and metavar (None: not on the CLI), and the format the
    OpenAPI document states (pattern, examples, range). :class:`Filters` checks the values itself."""

    name: str
    help: str
    flag: str | None = None
    metavar: str = ""
    kind: type = str
    default: Any = None
    paging: bool = False  # sort, limit, cursor: only routes that page take them
    pattern: str | None = None
    examples: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    max_length: int | None = None


# The formats the OpenAPI document states. An empty value (a blank form field) means no filter, so
# every pattern also admits "".
_YEAR = r"(000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d{3})"  # 0001-9999, Python's date range
_DATE_PATTERN = rf"^({_YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"
_CODES = r"\s*{code}\s*(,\s*{code}\s*)*"
_COUNTRY_PATTERN = "^(" + _CODES.format(code="[A-Za-z]{2}") + ")?$"
_ADMIN1_PATTERN = "^(" + _CODES.format(code="[A-Za-z]{2}-[A-Za-z0-9]{1,3}") + ")?$"
_NUMBER = r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*"
_BBOX_PATTERN = f"^({_NUMBER}(,{_NUMBER}){{3}})?$"
_CURSOR_PATTERN = r"^[A-Za-z0-9_-]*$"  # unpadded URL-safe base64, as encode_cursor writes it

FILTER_SPECS: tuple[FilterSpec, ...] = (
    FilterSpec("date_from", "On or after this day: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` (their first day). Events "
               "overlapping the range match; undated events never do.", "--from", "DATE",
               pattern=_DATE_PATTERN, examples=("2024-03-12", "2024-03", "2024")),
    FilterSpec("date_to", "On or before this day: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` (through their last day). "
               "Not before the start of the range.", "--to", "DATE", pattern=_DATE_PATTERN, examples=("2024-03-31", "2024-03", "2024")),
    FilterSpec("country", "ISO 3166-1 alpha-2 code(s), comma-separated for any of several, any case: `RU,UA`.",
               "--country", "CODES", pattern=_COUNTRY_PATTERN, examples=("RU", "RU,UA")),
    FilterSpec("admin1", "ISO 3166-2 code(s) of a first-order subdivision, comma-separated: `RU-BEL`.",
               "--admin1", "CODES", pattern=_ADMIN1_PATTERN, examples=("RU-BEL", "UA-63")),
    FilterSpec("bbox", "`west,south,east,north` in degrees; west > east crosses the antimeridian.",
               "--bbox", "W,S,E,N", pattern=_BBOX_PATTERN, examples=("35,50,39,52",)),
    FilterSpec("event_type", "ACLED event type(s), comma-separated: `Battles`.", "--type", "TYPES"),
    FilterSpec("sub_event_type", "ACLED sub-event type(s), comma-separated: `Armed clash`.", "--sub-type", "TYPES"),
    FilterSpec("actor", "Text in actor1 or actor2, any case (Unicode-aware on SQLite too).", "--actor", "TEXT"),
    FilterSpec("status", "`asserted`, `claimed`, `disputed`, `denied`, `unverified`, ...; comma-separated for several.",
               "--status", "STATUS"),
    FilterSpec("min_sources", "At least this many independent sources (syndicated copies count once; an event "
               "counts its story's, an event in no story has 1).", "--min-sources", "N", kind=int, low=0, high=MAX_INT),
    FilterSpec("q", "Words of the evidence sentences, as a phrase, any case; the last word may be a word's start "
               "(`drone strike` finds \"Drone strikes\").", "--q", "TEXT"),
    FilterSpec("sort", "`-date` (default), `date`, `fatalities`, `-fatalities`, `sources`, `-sources`; unknown values "
               "last either way, ties by id.", "--sort", "ORDER", default="-date", paging=True),
    FilterSpec("limit", f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).", kind=int,
               default=DEFAULT_LIMIT, paging=True, low=1, high=MAX_LIMIT),
    FilterSpec("cursor", "The `next` of the previous page, unchanged.", paging=True, pattern=_CURSOR_PATTERN,
               max_length=MAX_CURSOR_CHARS),
)


def filter_doc_lines(kind: str) -> list[str]:
    """The filters as docs show them: ``"api"`` the rows of docs/api.md's table, ``"cli"`` the option
    list of docs/cli.md's export section (tests/test_filter_specs.py keeps both in step)."""
    if kind == "api":
        return [f"| `{spec.name}` | {spec.help} |" for spec in FILTER_SPECS]
    return [f"- `{spec.flag} {spec.metavar}`: {spec.help}" for spec in FILTER_SPECS if spec.flag]


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
    day = last_day(text) if last else first_day(text)
    if day is None:
        raise QueryError(f"{name}: expected a date as YYYY-MM-DD (or YYYY-MM, YYYY), got {text!r}")
    return day.isoformat()


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
