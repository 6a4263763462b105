"""PostgreSQL full text, newest first, read in slices of dates (eventsift.store.query ``_keys_first``).

A page of ``q`` in the default order (newest first) is the first matches in date order. PostgreSQL
finds them one of two ways: it walks the events newest first and tests each row, quick when the
phrase is on many of the newest events; or it fetches every match through the full-text index and
sorts them, quick when there are few. A word on about 1% of the events is slow both ways: at a
million events, "calling" (10,941 events, none among the newest 18,000) walked the date order for
200-300 ms, or fetched every match's row for 65-90 ms.

So the date order is cut into slices, each read by its own query, newest first, until the page is
full. A slice is named inside the full-text index itself: each event's stored vector also holds its
year and month as lexemes no query word can spell (migration 0007: ``~2024``, ``~2024-03``; a
year-only date ``~2024-00``, an undated event ``~?``), so a slice is ``q`` AND a few of those
lexemes, answered by the GIN index alone before any row is read. Whole years in a slice are named
by their year, the rest by their months. At a million events the three slice queries for "calling"
took 17 ms in all (measured on a copy of the table); slices cut as date ranges, intersected with
the date index, took 50-80 ms (the date index gave up 130,000 entries for a slice of a year).

Only the words in between are sliced (:func:`worth_slicing`, from the planner's estimate of the
matches): a rare word (at most RARE_ROWS matches) is read unsliced, its few matches fetched and
sorted (8-20 ms; a word on no event 2 ms), and so is a word common enough that the walk in date
order meets a page of matches within WALK_ROWS events ("killed", on 84,000 events: 19-28 ms walked;
sliced, each slice reads its 84,000 index entries: 45-100 ms). The slices are sized from the same
estimate: the first should hold two pages of matches were they spread evenly, each next one is
GROWTH times the one before (a word's matches cluster in time), the rest of the dates in one more.

The month counts come from the day counters (migration 0004's ``event_counts``), from the cursor's
date on. The slices are consecutive stretches of the order (a month's dates sort together, a year's
months too; a year-only date after its months), so the page read slice by slice, in turn, is the
same page (eventsift.store.query ``_page`` stops once it is full).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql.elements import ColumnElement

from .schema import TSVECTOR_COLUMN, event_counts

__all__ = ["GROWTH", "RARE_ROWS", "UNDATED", "WALK_ROWS", "date_slices", "planned_rows",
           "slice_condition", "slice_cuts", "worth_slicing"]

RARE_ROWS = 3_000  # at or under this many expected matches, one unsliced read (measured at a million)
WALK_ROWS = 5_000  # events walked in date order to meet a page of evenly spread matches: unsliced below
SMALLEST_SLICE = 2_000  # events
GROWTH = 3  # each slice after the first this many times the one before
LATER_SLICES = 3  # after the first; then the rest of the dates in one more
UNDATED = "'~?'"  # the lexeme of an event with no date (migration 0007)


def planned_rows(conn: Any, query: Any) -> float:
    """How many rows PostgreSQL's planner expects ``query`` to return (EXPLAIN; nothing is read)."""
    compiled = query.compile(dialect=conn.dialect)
    plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def worth_slicing(expected: float, total: int, page_rows: int) -> bool:
    """Whether a phrase expected on ``expected`` of ``total`` events is read faster in slices."""
    return expected > RARE_ROWS and page_rows * total / max(expected, 1.0) > WALK_ROWS


def slice_cuts(expected: float, total: int, page_rows: int) -> tuple[int, ...]:
    """Events up to each cut, counted from the newest: a first slice of about twice page_rows x
    total / expected events (two pages of evenly spread matches), then slices GROWTH times the size
    of the one before."""
    first = max(SMALLEST_SLICE, round(2 * page_rows * total / max(expected, 1.0)))
    sizes = [first * GROWTH**k for k in range(LATER_SLICES + 1)]
    return tuple(sum(sizes[: k + 1]) for k in range(len(sizes)))


def date_slices(conn: Any, below: str | None, cuts: Sequence[int]) -> list[str]:
    """The slices of the known dates at or before ``below`` (a cursor's date; None: all), newest
    first, each as the tsquery of its lexemes; a cut once ``cuts``' running totals of events have
    passed, at the end of a month, the rest after the last cut in one slice."""
    months = _month_counts(conn, below)
    slices: list[list[str]] = [[]]
    seen = 0
    for month, count in months:
        if len(slices) <= len(cuts) and seen >= cuts[len(slices) - 1] and slices[-1]:
            slices.append([])
        slices[-1].append(month)
        seen += count
    whole_years = _months_by_year(m for m, _ in months)
    return [_lexemes(part, whole_years) for part in slices if part]


def _month_counts(conn: Any, below: str | None) -> list[tuple[str, int]]:
    """(month, events) of the dated events, newest first, from the day counters; the month as its
    lexeme spells it: "2024-03" for 2024-03 and 2024-03-12, "2024-00" for 2024 (migration 0007)."""
    key = func.substr(event_counts.c.k1 + literal("-00"), 2, 7)  # counter keys are the value behind one mark
    query = select(key.label("month"), func.sum(event_counts.c.n)).where(
        event_counts.c.dim == "day", event_counts.c.k1 != "-", event_counts.c.n > 0)
    if below is not None:
        query = query.where(event_counts.c.k1 <= "=" + below)
    rows = conn.execute(query.group_by(key).order_by(key.desc()))
    return [(str(month), int(n)) for month, n in rows]


def _months_by_year(months: Any) -> dict[str, set[str]]:
    years: dict[str, set[str]] = {}
    for month in months:
        years.setdefault(month[:4], set()).add(month)
    return years


def _lexemes(months: list[str], years: dict[str, set[str]]) -> str:
    """The tsquery naming ``months``: a year whose every month is here by the year, the rest by month."""
    here = set(months)
    named: list[str] = []
    for month in months:
        year = month[:4]
        if years[year] <= here:
            if f"'~{year}'" not in named:
                named.append(f"'~{year}'")
        else:
            named.append(f"'~{month}'")
    return " | ".join(named)


def slice_condition(tsquery: str) -> ColumnElement[bool]:
    """Events whose stored vector holds one of the slice's lexemes (taken as written: no parsing)."""
    vector: ColumnElement[Any] = literal_column(f"events.{TSVECTOR_COLUMN}")
    return vector.op("@@")(cast(literal(tsquery), TSQUERY))
