"""The read side of events and stories: filters, keyset pages, items, counts.

    Filters (eventsift.store.filters; parse_filters: query-string values) -> SQL conditions on flat columns
    list_events / list_stories   one page, ``Page(items, next)``, in a stable order
    get_event / get_story        one item (a story with its event items)
    iter_event_items / iter_story_items   every matching item, page by page (exports, frames)
    list_actors / list_places    actor names and places with event counts
    stats                        event counts by day, type and region

Items are built as docs/api.md says: an event item is the stored
``Event.to_dict()`` record with ``id``, ``event_id``, ``article_id``, ``story_id``, ``merge_reason`` and
``article`` added; a story item is the stored story record.

Decisions worth knowing (docs/api.md repeats them for users):

- Dates are ``YYYY[-MM[-DD]]`` strings. An event occupies ``[first day of date_start, last day of
  date_end or date_start]``; it matches ``date_from``/``date_to`` when that interval overlaps the asked
  one, so an event dated "2024-03" matches ``date_from=2024-03-10``. An undated event matches no date
  filter. Bounds may be partial too: ``date_to=2024-03`` means through 2024-03-31.
- ``min_sources``: a story's independent sources (``n_sources``); for an event, its story's, and an
  event in no story counts as one source.
- Sorting puts unknown values (no date, no fatality count) last in either direction; the id breaks
  ties, so the order is total and a cursor (the last item's sort value and id, base64url JSON) resumes
  exactly after it however many rows are added or removed meanwhile.
- Comma-separated values of ``country``, ``admin1``, ``event_type``, ``sub_event_type`` and ``status``
  match any of them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, literal_column, or_, select, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from .filters import (
    DEFAULT_LIMIT,
    FILTER_FIELDS,
    MAX_LIMIT,
    SORTS,
    Filters,
    check_limit,
    decode_cursor,
    encode_cursor,
    parse_filters,
)
from .fulltext import fulltext_condition
from .lookups import Lookups as _Lookups
from .lookups import actor_condition as _actor_condition
from .lookups import lookups as _lookups
from .schema import articles, events, stories
from .slices import UNDATED, slice_condition
from .stats import counted_stats
from .store import Store

__all__ = [
    "DEFAULT_LIMIT",
    "FILTER_FIELDS",
    "MAX_LIMIT",
    "SORTS",
    "Filters",
    "Page",
    "article_events",
    "get_event",
    "get_story",
    "iter_event_items",
    "iter_story_items",
    "list_actors",
    "list_events",
    "list_places",
    "list_stories",
    "parse_filters",
    "stats",
]

logger = logging.getLogger(__name__)

_ITER_PAGE = MAX_LIMIT  # rows read per page by iter_event_items / iter_story_items


# ------------------------------------------------------------------------------------- SQL parts

_EVENT_FROM: FromClause = events.join(articles, articles.c.id == events.c.article_id).outerjoin(
    stories, stories.c.id == events.c.story_id
)
_EVENT_SOURCES: ColumnElement[Any] = func.coalesce(stories.c.n_sources, 1)


def _first_day(column: ColumnElement[Any]) -> ColumnElement[Any]:
    length = func.length(column)
    return case((length == 4, column + "-01-01"), (length == 7, column + "-01"), else_=column)


def _last_day(column: ColumnElement[Any]) -> ColumnElement[Any]:
    # "-31" for any month: a real date bound compares the same against it as against the month's end.
    length = func.length(column)
    return case((length == 4, column + "-12-31"), (length == 7, column + "-31"), else_=column)


def _any_of(column: ColumnElement[Any], value: str) -> ColumnElement[bool]:
    options = [v.strip() for v in value.split(",") if v.strip()]
    return column == options[0] if len(options) == 1 else column.in_(options)


def _contains(column: ColumnElement[Any], needle: str) -> ColumnElement[bool]:
    return func.lower(column).contains(needle.lower(), autoescape=True)


def _conditions(table: Any, sources: ColumnElement[Any], f: Filters, backend: str,
                looked_up: _Lookups | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses on the coded columns every events and stories row has; ``looked_up``: what
    :func:`_lookups` found for these filters (events only)."""
    found = looked_up or _Lookups()
    c = table.c
    out: list[ColumnElement[bool]] = []
    if f.date_from:
        out.append(_last_day(func.coalesce(c.date_end, c.date_start)) >= f.date_from)
    if f.date_to:
        # date_start is a prefix of its first day, so never after it: the plain bound is implied, and
        # it lets the (..., date_start DESC) indexes start the read at date_to.
        out.extend((c.date_start <= f.date_to, _first_day(c.date_start) <= f.date_to))
    for name, column in (("country", c.country), ("admin1", c.admin1), ("event_type", c.acled_event_type),
                         ("sub_event_type", c.acled_sub_event_type), ("status", c.status)):
        if getattr(f, name):
            out.append(_any_of(column, getattr(f, name)))
    if f.bbox:
        west, south, east, north = f.bbox
        lon = c.lon.between(west, east) if west <= east else or_(c.lon >= west, c.lon <= east)
        out.append(and_(c.lat.between(south, north), lon))
    if f.actor:
        out.append(_actor_condition(c, f.actor, found))
    if f.q:
        out.append(fulltext_condition(table, f.q, backend, found.common_text))
    if f.min_sources is not None:
        out.append(sources >= f.min_sources)
    return out


def _sort_key(table: Any, sources: ColumnElement[Any], sort: str) -> ColumnElement[Any]:
    name = sort.lstrip("-")
    return table.c.date_start if name == "date" else table.c.fatalities if name == "fatalities" else sources


def _ident(column: ColumnElement[Any], backend: str) -> ColumnElement[Any]:
    """Ids compared byte-wise on PostgreSQL too, so both back-ends order ties alike."""
    return column.collate("C") if backend == "postgresql" else column


def _after(key: ColumnElement[Any], ident: ColumnElement[Any], descending: bool, value: Any,
           last_id: str) -> list[ColumnElement[bool]]:
    """Rows after (value, last_id) in the order ``key`` (NULLs last), then id ascending, as one
    condition per stretch of that order: the known values after the cursor, then the unknown ones.
    Each is a range of the ordered indexes (``key <= value`` is implied, and spelled out so the
    database starts the read there instead of scanning up to the cursor)."""
    tie = ident > last_id
    if value is None:
        return [and_(key.is_(None), tie)]
    bound = key <= value if descending else key >= value
    beyond = key < value if descending else key > value
    return [and_(bound, or_(beyond, tie)), key.is_(None)]


def _order(key: ColumnElement[Any], ident: ColumnElement[Any], f: Filters) -> tuple[ColumnElement[Any], ...]:
    """The page's order: ``key`` as the sort asks, unknown values last, then the id."""
    return (key.desc() if f.sort.startswith("-") else key.asc()).nulls_last(), ident.asc()


def _paged(query: Select[Any], key: ColumnElement[Any], ident: ColumnElement[Any], f: Filters) -> list[Select[Any]]:
    """The queries of one page, to run in turn until the page is full: one, or after a cursor on a
    known value two (the rest of the known values, then the unknown ones)."""
    order = _order(key, ident, f)
    if not f.cursor:
        return [query.order_by(*order).limit(f.limit + 1)]
    stretches = _after(key, ident, f.sort.startswith("-"), *decode_cursor(f.cursor, f.sort))
    if f.sort.lstrip("-") == "sources":  # a source count is never unknown: no second stretch
        stretches = stretches[:1]
    return [query.where(stretch).order_by(*order).limit(f.limit + 1) for stretch in stretches]


def _page(store: Store, queries: list[Select[Any]], f: Filters, build: Any, action: str) -> Page:
    rows: list[Any] = []
    with store.reading(action) as conn:
        for query in queries:  # each keeps the page's limit: a smaller one can tempt PostgreSQL into
            rows += conn.execute(query).all()  # walking the date order from the top for a late slice
            if len(rows) > f.limit:
                break
    more = len(rows) > f.limit
    rows = rows[: f.limit]
    following = encode_cursor(f.sort, rows[-1].sort_value, rows[-1].id) if more else None
    return Page([build(row) for row in rows], following)


# ---------------------------------------------------------------------------------------- items

_EVENT_COLUMNS = (
    events.c.id,
    events.c.article_id,
    events.c.story_id,
    events.c.merge_reason,
    events.c.record,
    articles.c.title.label("article_title"),
    articles.c.source.label("article_source"),
    articles.c.url.label("article_url"),
    articles.c.published.label("article_published"),
    articles.c.syndication_group.label("article_group"),
    articles.c.ingested_at.label("article_ingested_at"),
)


def _event_item(row: Any) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(row.record)
    item: dict[str, Any] = {"id": row.id}
    item.update((k, v) for k, v in record.items() if k != "id")
    item.update(
        event_id=_in_article_id(record.get("id"), row.article_id),
        article_id=row.article_id,
        story_id=row.story_id,
        merge_reason=row.merge_reason,
        article={
            "id": row.article_id,
            "title": row.article_title,
            "source": row.article_source,
            "url": row.article_url,
            "published": row.article_published,
            "syndication_group": row.article_group,
            "ingested_at": _stored_at(row.article_ingested_at),
        },
    )
    return item


def _stored_at(value: Any) -> str | None:
    """When the article was stored, ISO 8601 in UTC (SQLite hands the time back without its zone)."""
    if value is None:
        return None
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return str(moment.isoformat())


def _in_article_id(event_id: Any, article_id: str) -> Any:
    """"e1" for an event id the events stage may already have prefixed with its article's id."""
    prefix = f"{article_id}:"
    return event_id[len(prefix):] if isinstance(event_id, str) and event_id.startswith(prefix) else event_id


def _story_item(row: Any) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(row.record)
    return {"id": row.id, **{k: v for k, v in record.items() if k != "id"}}


@dataclass(frozen=True)
class Page:
    """One page of items and the cursor of the next page (None on the last)."""

    items: list[dict[str, Any]]
    next: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "next": self.next}


def events_page_queries(store: Store, f: Filters) -> list[Select[Any]]:
    """The SELECTs one page of :func:`list_events` runs, in turn (tests read their plans)."""
    key = _sort_key(events, _EVENT_SOURCES, f.sort)
    ident = _ident(events.c.id, store.backend)
    found = _lookups(store, f)
    conditions = _conditions(events, _EVENT_SOURCES, f, store.backend, found)
    if key is _EVENT_SOURCES:  # the order needs the stories: one query does it all
        query = select(*_EVENT_COLUMNS, key.label("sort_value")).select_from(_EVENT_FROM)
        return _paged(query.where(*conditions), key, ident, f)
    return _keys_first(conditions, key, ident, f, store.backend, found.date_slices)


def _keys_first(conditions: list[ColumnElement[bool]], key: ColumnElement[Any], ident: ColumnElement[Any],
                f: Filters, backend: str, sliced: Sequence[str] = ()) -> list[Select[Any]]:
    """Each page query picks its rows by key first (SQLite's rowid, PostgreSQL's id), from the events
    table alone (and the stories for ``min_sources``), then reads only those rows in full with their
    article. Otherwise the database fetched every match's record and article before ordering them,
    which for a wide filter (a bounding box over a dense region) cost 75-200 ms at a million events;
    the choice needs only what the indexes hold (migration 0006). With ``sliced``, the known dates
    are read in those slices (eventsift.store.slices)."""
    row_key: ColumnElement[Any] = literal_column("events.rowid") if backend == "sqlite" else events.c.id
    source = events if f.min_sources is None else events.outerjoin(stories, stories.c.id == events.c.story_id)
    keys = select(row_key.label("row_key"), key.label("sort_value"), ident.label("ident")).select_from(source)
    choices = _paged(keys.where(*conditions), key, ident, f)
    if sliced:  # the first stretch holds the known dates (and, with no cursor, the undated after them)
        parts = [*sliced, UNDATED] if not f.cursor else list(sliced)
        choices = [choices[0].where(slice_condition(part)) for part in parts] + choices[1:]
    queries = []
    for choice in choices:
        if backend == "sqlite":  # rowid IN (...): faster there than the join (8.6 against 12 ms, dense box at 1M)
            query = select(*_EVENT_COLUMNS, key.label("sort_value")).select_from(_EVENT_FROM)
            query = query.where(row_key.in_(choice.with_only_columns(row_key)))
            queries.append(query.order_by(*_order(key, ident, f)).limit(f.limit + 1))
            continue
        page = choice.subquery("page")  # PostgreSQL: the keys' order carries through the join, no second sort
        chosen = select(*_EVENT_COLUMNS, page.c.sort_value).select_from(_EVENT_FROM.join(page, row_key == page.c.row_key))
        queries.append(chosen.order_by(*_order(page.c.sort_value, page.c.ident, f)).limit(f.limit + 1))
    return queries


def list_events(store: Store, filters: Filters | None = None) -> Page:
    """One page of event items matching the filters, in the filters' sort order."""
    f = filters or Filters()
    return _page(store, events_page_queries(store, f), f, _event_item, "cannot list events")


def list_stories(store: Store, filters: Filters | None = None) -> Page:
    """One page of story items matching the filters (``min_sources``: independent sources)."""
    f = filters or Filters()
    key = _sort_key(stories, stories.c.n_sources, f.sort)
    ident = _ident(stories.c.id, store.backend)
    query = select(stories.c.id, stories.c.record, key.label("sort_value"))
    query = query.where(*_conditions(stories, stories.c.n_sources, f, store.backend))
    return _page(store, _paged(query, key, ident, f), f, _story_item, "cannot list stories")


def _iter_pages(lister: Any, store: Store, filters: Filters | None) -> Iterator[dict[str, Any]]:
    page_filters = replace(filters or Filters(), limit=_ITER_PAGE, cursor=None)
    while True:
        page = lister(store, page_filters)
        yield from page.items
        if page.next is None:
            return
        page_filters = replace(page_filters, cursor=page.next)


def iter_event_items(store: Store, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """Every event item matching the filters in their sort order (``limit`` and ``cursor`` ignored),
    read a page at a time so memory stays flat however many there are."""
    return _iter_pages(list_events, store, filters)


def iter_story_items(store: Store, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """Every story item matching the filters, a page at a time (``limit`` and ``cursor`` ignored)."""
    return _iter_pages(list_stories, store, filters)


def get_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """The event item with this id (``"{article_id}:{event id}"``), or None."""
    query = select(*_EVENT_COLUMNS).select_from(_EVENT_FROM).where(events.c.id == event_id)
    with store.reading(f"cannot read event {event_id}") as conn:
        row = conn.execute(query).first()
    return None if row is None else _event_item(row)


def _event_items_where(store: Store, condition: ColumnElement[bool], action: str) -> list[dict[str, Any]]:
    order = (events.c.date_start.asc().nulls_last(), _ident(events.c.id, store.backend))
    query = select(*_EVENT_COLUMNS).select_from(_EVENT_FROM).where(condition).order_by(*order)
    with store.reading(action) as conn:
        return [_event_item(row) for row in conn.execute(query)]


def get_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """The story item with this id and its event items under ``"event_items"`` (oldest first), or None."""
    with store.reading(f"cannot read story {story_id}") as conn:
        row = conn.execute(select(stories.c.id, stories.c.record).where(stories.c.id == story_id)).first()
    if row is None:
        return None
    item = _story_item(row)
    item["event_items"] = _event_items_where(store, events.c.story_id == story_id, f"cannot read story {story_id}")
    return item


def article_events(store: Store, article_id: str) -> list[dict[str, Any]]:
    """The event items of one article, oldest first."""
    return _event_items_where(store, events.c.article_id == article_id, f"cannot read events of {article_id}")


# ------------------------------------------------------------------------------------ aggregates


def _filtered_events(store: Store, f: Filters | None, *columns: ColumnElement[Any]) -> Any:
    """A CTE of the events matching the filters (sort, limit and cursor play no part)."""
    query = select(events.c.id, *columns).select_from(_EVENT_FROM)
    f = f or Filters()
    return query.where(*_conditions(events, _EVENT_SOURCES, f, store.backend, _lookups(store, f))).cte("matching")


def list_actors(store: Store, filters: Filters | None = None, *, name: str | None = None,
                limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    """Actor names of the matching events (actor1 or actor2) with how many events each is in, most
    first; ``name`` keeps names containing it (case-insensitive)."""
    limit = check_limit(limit)
    matching = _filtered_events(store, filters, events.c.actor1, events.c.actor2)
    names = union_all(
        select(matching.c.id, matching.c.actor1.label("name"), literal(1).label("role")),
        select(matching.c.id, matching.c.actor2.label("name"), literal(2).label("role")),
    ).subquery("names")
    count = func.count(names.c.id.distinct()).label("events")
    query = (
        select(
            names.c.name,
            count,
            func.sum(case((names.c.role == 1, 1), else_=0)).label("as_actor1"),
            func.sum(case((names.c.role == 2, 1), else_=0)).label("as_actor2"),
        )
        .where(names.c.name.is_not(None))
        .group_by(names.c.name)
        .order_by(count.desc(), _ident(names.c.name, store.backend))
        .limit(limit)
    )
    if name and name.strip():
        query = query.where(_contains(names.c.name, name.strip()))
    with store.reading("cannot list actors") as conn:
        return [{"name": r.name, "events": int(r.events), "as_actor1": int(r.as_actor1),
                 "as_actor2": int(r.as_actor2)} for r in conn.execute(query)]


def list_places(store: Store, filters: Filters | None = None, *, limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    """Places of the matching events (location, admin1, country, lat, lon, precision) with how many
    events each has, most first; events with no place at all are left out."""
    limit = check_limit(limit)
    c = events.c
    matching = _filtered_events(store, filters, c.location, c.admin1, c.country, c.lat, c.lon, c.geo_precision)
    m = matching.c
    group = (m.location, m.admin1, m.country, m.lat, m.lon, m.geo_precision)
    count = func.count().label("events")
    query = (
        select(*group, count)
        .where(or_(m.location.is_not(None), m.country.is_not(None), m.lat.is_not(None)))
        .group_by(*group)
        .order_by(count.desc(), *(_ident(col, store.backend).asc().nulls_last() for col in group[:3]),
                  m.lat.asc().nulls_last(), m.lon.asc().nulls_last())
        .limit(limit)
    )
    with store.reading("cannot list places") as conn:
        return [{"location": r.location, "admin1": r.admin1, "country": r.country, "lat": r.lat, "lon": r.lon,
                 "precision": r.geo_precision, "events": int(r.events)} for r in conn.execute(query)]


def _counts(conn: Any, query: Select[Any], names: Sequence[str]) -> list[dict[str, Any]]:
    return [{**{n: getattr(r, n) for n in names}, "count": int(r.count)} for r in conn.execute(query)]


def stats(store: Store, filters: Filters | None = None) -> dict[str, Any]:
    """Counts of the matching events: ``by_day`` (events dated to a day, by ``date_start``),
    ``by_type`` (ACLED event type), ``by_sub_type``, ``by_region`` (country, admin1), and ``total``,
    ``undated`` and ``imprecise`` (dated only to a month, a year or a week) so nothing goes uncounted.
    Without filters, read from the maintained counters (eventsift.store.stats); with, counted over
    the matching rows."""
    if not _selects(filters):
        with store.reading("cannot compute statistics") as conn:
            return counted_stats(conn)
    return scanned_stats(store, filters)


def _selects(filters: Filters | None) -> bool:
    """Whether the filters narrow the events at all (sort, limit and cursor do not)."""
    if filters is None:
        return False
    return any(getattr(filters, name) is not None for name in FILTER_FIELDS if name not in ("sort", "limit", "cursor"))


def scanned_stats(store: Store, filters: Filters | None = None) -> dict[str, Any]:
    """:func:`stats` counted over the matching rows, whatever the filters (the counters' reference)."""
    c = events.c
    m = _filtered_events(store, filters, c.date_start, c.acled_event_type, c.acled_sub_event_type, c.country, c.admin1).c
    count = func.count().label("count")
    length = func.length(m.date_start)
    totals = select(
        count,
        func.sum(case((m.date_start.is_(None), 1), else_=0)).label("undated"),
        func.sum(case((length < 10, 1), else_=0)).label("imprecise"),
    )
    by_day = select(m.date_start.label("day"), count).where(length == 10).group_by(m.date_start).order_by(m.date_start)
    by_type = (select(m.acled_event_type.label("event_type"), count).group_by(m.acled_event_type)
               .order_by(count.desc(), _ident(m.acled_event_type, store.backend)))
    by_sub = (select(m.acled_event_type.label("event_type"), m.acled_sub_event_type.label("sub_event_type"), count)
              .group_by(m.acled_event_type, m.acled_sub_event_type)
              .order_by(count.desc(), _ident(m.acled_event_type, store.backend),
                        _ident(m.acled_sub_event_type, store.backend)))
    regions = (m.country, m.admin1)
    by_region = (select(*regions, count).group_by(*regions)
                 .order_by(count.desc(), *(_ident(r, store.backend).asc().nulls_last() for r in regions)))
    with store.reading("cannot compute statistics") as conn:
        total = conn.execute(totals).one()
        return {
            "total": int(total._mapping["count"]),
            "undated": int(total.undated or 0),
            "imprecise": int(total.imprecise or 0),
            "by_day": _counts(conn, by_day, ("day",)),
            "by_type": _counts(conn, by_type, ("event_type",)),
            "by_sub_type": _counts(conn, by_sub, ("event_type", "sub_event_type")),
            "by_region": _counts(conn, by_region, ("country", "admin1")),
        }
