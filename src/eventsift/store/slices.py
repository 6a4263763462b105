"""PostgreSQL full text, newest first, read in slices of dates (eventsift.store.query ``_keys_first``).

A page of ``q`` in the default order (newest first) is the first matches in date order. PostgreSQL
finds them one of two ways: it walks the events newest first and tests each row, quick when the
phrase is on many of the newest events; or it fetches every match through the full-text index and
sorts them, quick when there are few. A word on about 1% of the events is slow both ways: at a
million events, "soviet" (7,815 events, none among the newest) walked 105,000 rows (150-300 ms)
or fetched 7,815 (65-90 ms). Cut into slices of the date order, each slice a separate query with
a date range, the planner can intersect the full-text index with the date index, and the page is
usually full after the first slice or two: 148 -> 21 ms for that word.

The slices' bounds come from the day counters (migration 0004's ``event_counts``: how many events
each ``date_start`` has), cut where about SLICE_EVENTS events have passed, counted from the newest
date or from the cursor's. Slices are consecutive stretches of the order, so the page read slice by
slice, in turn, is the same page (eventsift.store.query ``_page`` stops once it is full).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.sql.elements import ColumnElement

from .schema import event_counts, events

__all__ = ["SLICE_EVENTS", "date_bounds", "date_slices"]

SLICE_EVENTS = (20_000, 150_000)  # events up to each cut, counted from the newest (measured at a million)


def date_bounds(conn: Any, below: str | None) -> list[str]:
    """The ``date_start`` values where the slices are cut (newest first), for dates at or before
    ``below`` (a cursor's date; None: from the newest). No cut where fewer events are left."""
    keys = select(event_counts.c.k1, event_counts.c.n).where(event_counts.c.dim == "day", event_counts.c.k1 != "-",
                                                             event_counts.c.n > 0)
    if below is not None:
        keys = keys.where(event_counts.c.k1 <= "=" + below)  # counter keys are the value behind one mark
    bounds: list[str] = []
    seen = 0
    for key, count in conn.execute(keys.order_by(event_counts.c.k1.desc())):
        seen += int(count)
        if seen >= SLICE_EVENTS[len(bounds)]:
            bounds.append(key[1:])
            if len(bounds) == len(SLICE_EVENTS):
                break
    return bounds


def date_slices(bounds: Sequence[str], *, with_undated: bool) -> list[ColumnElement[bool]]:
    """The known dates cut at ``bounds`` (at least one, descending), newest slice first; then, with
    ``with_undated``, the events with no date (last in the order)."""
    date = events.c.date_start
    newest_first = [date >= bounds[0]]  # each bound: the oldest date of the slice it ends
    newest_first += [and_(date < newer, date >= older) for newer, older in pairwise(bounds)]
    newest_first.append(date < bounds[-1])
    return newest_first + [date.is_(None)] if with_undated else newest_first
