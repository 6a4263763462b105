"""What the events' conditions need looked up before the page query is built (eventsift.store.query).

- The actor filter: the names in ``actor_names`` (kept by triggers, migration 0004) containing its
  text, case-insensitive; the events are then those with one of these names, read through the
  (actor, date) indexes. More than MAX_ACTOR_NAMES names: every row's names are tested instead.
- Whether the names, or the ``q`` phrase (eventsift.store.fulltext.is_common), are on many events: then on
  SQLite the rows are read in the page's order and tested one by one, which finds a page sooner
  than fetching and sorting every row they are on. PostgreSQL's planner makes that choice itself
  from its statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import isqrt
from typing import Any

from sqlalchemy import false, func, literal_column, or_, select
from sqlalchemy.sql.elements import ColumnElement

from .filters import Filters, decode_cursor
from .fulltext import fulltext_condition, is_common
from .schema import actor_names, event_counts, events
from .slices import date_slices, planned_rows, slice_cuts, worth_slicing
from .store import Store

__all__ = ["MAX_ACTOR_NAMES", "Lookups", "actor_condition", "lookups", "walk_threshold"]

MAX_ACTOR_NAMES = 2000


def _contains(column: ColumnElement[Any], needle: str) -> ColumnElement[bool]:
    return func.lower(column).contains(needle.lower(), autoescape=True)


@dataclass(frozen=True)
class Lookups:
    """What the events' conditions are built from besides the filters, looked up first: the actor
    names the actor filter matches (None: no actor filter, or so many names that testing every row
    is the better plan), and whether ``q`` is a common phrase (eventsift.store.fulltext.is_common)."""

    names: list[str] | None = None
    common_text: bool = False
    common_names: bool = False  # SQLite: the names are on walk_threshold() events or more
    date_slices: tuple[str, ...] = ()  # PostgreSQL, q newest first: the slices' lexemes (store.slices)


def lookups(store: Store, f: Filters) -> Lookups:
    if not (f.actor or f.q):
        return Lookups()
    names = None
    with store.reading("cannot look up actor names and text") as conn:
        if f.actor:
            query = select(actor_names.c.name).where(_contains(actor_names.c.name, f.actor))
            names = list(conn.scalars(query.limit(MAX_ACTOR_NAMES + 1)))
            names = None if len(names) > MAX_ACTOR_NAMES else names
        common_names = bool(names) and store.backend == "sqlite" and _on_many_events(conn, names or [], f.limit + 1)
        common = bool(f.q) and is_common(conn, events, f.q or "", store.backend)
        sliced = _date_slices(conn, f) if f.q and store.backend == "postgresql" and f.sort == "-date" else ()
    return Lookups(names, common, common_names, sliced)


def _date_slices(conn: Any, f: Filters) -> tuple[str, ...]:
    """The q filter's date slices, from the cursor's date on (none after an undated cursor, none for
    a phrase the planner expects on too few or on enough events: see eventsift.store.slices)."""
    below = decode_cursor(f.cursor, f.sort)[0] if f.cursor else None
    if f.cursor and below is None:
        return ()
    expected = planned_rows(conn, select(events.c.id).where(fulltext_condition(events, f.q or "", "postgresql")))
    total = _event_total(conn)
    if not worth_slicing(expected, total, f.limit + 1):
        return ()
    return tuple(date_slices(conn, below, slice_cuts(expected, total, f.limit + 1)))


def _on_many_events(conn: Any, names: list[str], page_rows: int) -> bool:
    """Whether these actor names are on enough events that reading rows in the page's order finds a
    page sooner than fetching every event they are on (counting stops at :func:`walk_threshold`)."""
    enough = walk_threshold(conn, page_rows)
    seen = 0
    for column in (events.c.actor1, events.c.actor2):
        first = select(events.c.id).where(column.in_(names)).limit(enough - seen).subquery()
        seen += int(conn.scalar(select(func.count()).select_from(first)) or 0)
        if seen >= enough:
            return True
    return False


def walk_threshold(conn: Any, page_rows: int) -> int:
    """How many events names must be on for the ordered read to win (SQLite). Read in the page's
    order, ``hits`` names among ``total`` events fill a page after about page_rows x total / hits
    index entries (migration 0006's date index holds the actors); fetched through the actor indexes,
    each hit costs a table lookup, about twice an index entry (measured at a million events: 1.4
    against 0.8 µs). The walk wins once hits exceed the square root of page_rows x total / 2: about
    7,000 at a million events and a page of 100."""
    return max(1, isqrt(page_rows * _event_total(conn) // 2))


def _event_total(conn: Any) -> int:
    counted = select(func.coalesce(func.sum(event_counts.c.n), 0)).where(event_counts.c.dim == "sub")
    return int(conn.scalar(counted) or 0)  # every event has one (type, sub-event type) counter


def actor_condition(c: Any, actor: str, found: Lookups) -> ColumnElement[bool]:
    """Either actor is one of the names looked up; on SQLite, names on many events are tested row by
    row as the rows are read in the page's order (``+actor1``: no index drives the read), which finds
    a page sooner than fetching and sorting every row they are on."""
    if found.names is None:
        return or_(_contains(c.actor1, actor), _contains(c.actor2, actor))
    if not found.names:
        return false()
    if found.common_names:
        first: ColumnElement[Any] = literal_column(f"+{c.actor1.table.name}.actor1")
        second: ColumnElement[Any] = literal_column(f"+{c.actor2.table.name}.actor2")
        return or_(first.in_(found.names), second.in_(found.names))
    return or_(c.actor1.in_(found.names), c.actor2.in_(found.names))
