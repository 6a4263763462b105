"""The merge stage: store each article's events and fold them into stories, incrementally.

For every event of a newly stored article (after syndicated copies are grouped):

1. write its row in ``events`` (flat, indexed columns plus the full record as JSON);
2. fetch candidate stories cheaply in SQL: events of the same ACLED event type whose date, or whose
   article's publication date, falls in the window :func:`stories.candidate_window` gives;
3. let :func:`stories.story_match` pick the story this event reports too (the rule and its reason
   live there), or start a new story;
4. summarise that one story again from its members and write it back.

Only the stories an article touches are recomputed, so a new article never costs a pass over the
world; an article already stored is skipped before it gets here (content hash), so re-running a
batch changes nothing. Each article's events and stories are written in one transaction, the same
one that stores the article during an ingest (``Store.atomic``), under the writers' lock.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, union_all
from sqlalchemy.engine import Connection

from ..records import Article, Event
from ..settings import Options
from ..store.schema import articles, events, stories
from .merge import StoryMember, candidate_window, new_story_id, rules, story_match
from .summary import story_record, story_values

if TYPE_CHECKING:  # a type only: the merge stage needs no store/ module at run time
    from ..store.store import Store

__all__ = ["StoryIndex", "event_columns", "event_key", "lon_ranges", "rebuild_stories"]

log = logging.getLogger(__name__)

# How far around an event's article date to look when the event itself has no usable date.
_PUBLISHED_SLACK_DAYS = 2
# Most candidate stories examined per event (the newest first); the SQL window keeps this small.
_MAX_CANDIDATES = 200
_MEMBER_COLUMNS = (
    events.c.id,
    events.c.article_id,
    events.c.record,
    events.c.merge_reason,
    articles.c.syndication_group,
    articles.c.published,
    articles.c.source,
    articles.c.title,
    articles.c.url,
)


def event_columns(event: Event) -> dict[str, Any]:
    """The flat, indexed values of one event's row (the record keeps everything else)."""
    place, when, fatalities = event.place, event.when, event.fatalities
    deaths = None if fatalities is None else fatalities.value if fatalities.value is not None else fatalities.low
    evidence = " … ".join([event.evidence.text, *(m.text for m in event.mentions)])
    return {
        "acled_event_type": event.acled_event_type,
        "acled_sub_event_type": event.acled_sub_event_type,
        "date_start": when.start if when else None,
        "date_end": (when.end or when.start) if when else None,
        "date_precision": when.precision if when else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "location": place.name if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "geo_precision": place.precision if place else None,
        "actor1": event.actor1.name if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "fatalities": deaths,
        "status": event.status,
        "temporal_status": event.temporal_status,
        "evidence": evidence,
        "record": json.dumps(event.to_dict(), ensure_ascii=False),
    }


def event_key(article: Article, event: Event) -> str:
    """The event's id across the database: the events stage already prefixes the article id."""
    return event.id if event.id.startswith(f"{article.id}:") else f"{article.id}:{event.id}"


def _member(article: Article, event: Event) -> StoryMember:
    return StoryMember(
        event=event,
        event_key=event_key(article, event),
        article_id=article.id,
        group=article.syndication_group or article.id,
        published=article.published,
        source=article.source,
        title=article.title,
        url=article.url,
    )


class _EventCache:
    """Decoded events by id: a stored event's record never changes (its story does, and that lives
    in its own column), so candidates examined again need no second JSON decode. Bounded."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self.events: dict[str, Event] = {}

    def get(self, key: str, record: str) -> Event:
        event = self.events.get(key)
        if event is None:
            if len(self.events) >= self.size:
                self.events.clear()
            event = self.events[key] = Event.from_dict(json.loads(record))
        return event


def _member_from_row(row: Any, cache: _EventCache) -> StoryMember:
    return StoryMember(
        event=cache.get(row.id, row.record),
        event_key=row.id,
        article_id=row.article_id,
        group=row.syndication_group or row.article_id,
        published=row.published,
        source=row.source,
        title=row.title,
        url=row.url,
    )


def _shift(day: str | None, days: int) -> str | None:
    try:
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat() if day else None
    except ValueError:
        return None


class StoryIndex:
    """Writes events and keeps stories up to date as articles arrive (the ``merge`` stage)."""

    def __init__(self, store: Store, options: Options | None = None) -> None:
        self.store = store
        self.options = options
        self.cache = _EventCache()

    def add(self, article: Article) -> Article:
        """Store the article's events and merge each into a story; returns the article unchanged."""
        if article.halted or not article.events:
            return article
        # atomic: joins the ingest's transaction for this article, or is one of its own (merge,
        # rebuild); either way writers serialise, so no other writer changes a candidate story
        # between reading it and writing it back.
        with self.store.atomic(f"cannot merge events of article {article.id}") as conn:
            if _already_merged(conn, article.id):
                log.debug("events of %s already stored", article.id)
                return article
            for event in article.events:
                self._merge_one(conn, _member(article, event))
        return article

    def _merge_one(self, conn: Connection, member: StoryMember) -> None:
        candidates = _candidate_stories(conn, member, self.cache)
        decision = story_match(member, [m for _, m in candidates]) if candidates else None
        if decision is None:
            story_id, reason = new_story_id(member), None
        else:
            story_id, reason = candidates[decision.index][0], decision.reason
            log.info("%s joins story %s: %s", member.event_key, story_id, reason)
        conn.execute(insert(events).values(
            id=member.event_key, article_id=member.article_id, published=member.published,
            story_id=story_id, merge_reason=reason, **event_columns(member.event),
        ))
        _write_story(conn, story_id, self.cache)


def _already_merged(conn: Connection, article_id: str) -> bool:
    return conn.execute(select(events.c.id).where(events.c.article_id == article_id).limit(1)).first() is not None


def _candidate_stories(conn: Connection, member: StoryMember, cache: _EventCache) -> list[tuple[str, list[StoryMember]]]:
    """Stories with an event of the same type dated (or published) near this one, and compatible on
    the cheap checks every member must pass; never the article's own other events, which the
    in-article merge already kept apart. Two index lookups, then every candidate's members at once."""
    own = _own_stories(conn, member.article_id)
    story_ids = [sid for sid in _near_story_ids(conn, member) if sid not in own]
    if not story_ids:
        return []
    members: dict[str, list[StoryMember]] = {sid: [] for sid in story_ids}
    query = (
        select(*_MEMBER_COLUMNS, events.c.story_id)
        .join(articles, articles.c.id == events.c.article_id)
        .where(events.c.story_id.in_(story_ids))
        .order_by(events.c.id)
    )
    for row in conn.execute(query):
        members[row.story_id].append(_member_from_row(row, cache))
    return [(sid, members[sid]) for sid in story_ids]


def _near_story_ids(conn: Connection, member: StoryMember) -> list[str]:
    """Story ids of stored events near the member: by stated date (overlapping its window) or by
    publication date; each lookup rides its own (type, date) index. Newest stories first, capped."""
    params: dict[str, Any] = {"event_type": member.event.acled_event_type, **_cheap_params(member.event)}
    low, high = candidate_window(member)
    stated = bool(low and high)
    if low and high:
        params.update(low=low, high=high, low_year=low[:4], low_month=low[:7])
    pub_low, pub_high = _shift(member.published, -_PUBLISHED_SLACK_DAYS), _shift(member.published, _PUBLISHED_SLACK_DAYS)
    published = bool(pub_low and pub_high)
    if published:
        params.update(pub_low=pub_low, pub_high=pub_high)
    if not stated and not published:
        return []
    shape = _Shape(stated, published, "country" in params, sum(1 for k in params if k.startswith("west")))
    return [row.story_id for row in conn.execute(_near_query(shape), params)]


@dataclass(frozen=True)
class _Shape:
    """Which parts a candidate lookup has; one SQL statement is built per shape and reused."""

    stated: bool  # the event's own dates give a window
    published: bool  # its article's publication date gives one
    country: bool  # its place names a country
    lon_ranges: int  # 0: no distance box; 1, or 2 across the antimeridian


@lru_cache(maxsize=64)
def _near_query(shape: _Shape) -> Any:
    """The candidate lookup of one shape, with bound parameters (building a SQLAlchemy statement per
    event cost more than running it)."""
    common = [
        events.c.acled_event_type == bindparam("event_type"),
        events.c.story_id.is_not(None),
        events.c.temporal_status.in_(bindparam("frames", expanding=True)),
        events.c.status.in_(bindparam("statuses", expanding=True)),
    ]
    if shape.country:
        common.append(or_(events.c.country.is_(None), events.c.country == bindparam("country")))
    if shape.lon_ranges:
        # Precise places further apart than max_km never merge: a box around this one, plus events
        # with no coordinates (regions, unresolved names), which the rule compares otherwise.
        lons = [events.c.lon.between(bindparam(f"west{i}"), bindparam(f"east{i}")) for i in range(shape.lon_ranges)]
        near_box = and_(events.c.lat.between(bindparam("south"), bindparam("north")), or_(*lons))
        precise = events.c.geo_precision.not_in(bindparam("precise", expanding=True))
        common.append(or_(events.c.lat.is_(None), precise, near_box))
    lookups = []
    if shape.stated:
        # Dates are YYYY[-MM[-DD]] strings: a coarse end ("2024-03") sorts before a day in it.
        ends_after = or_(events.c.date_end >= bindparam("low"),
                         events.c.date_end.in_([bindparam("low_year"), bindparam("low_month")]))
        lookups.append(select(events.c.story_id, events.c.published).where(
            *common, events.c.date_start <= bindparam("high"), ends_after))
    if shape.published:
        lookups.append(select(events.c.story_id, events.c.published).where(
            *common, events.c.published.between(bindparam("pub_low"), bindparam("pub_high"))))
    near = union_all(*lookups).subquery()
    return (
        select(near.c.story_id)
        .group_by(near.c.story_id)
        .order_by(func.max(near.c.published).desc(), near.c.story_id)
        .limit(_MAX_CANDIDATES)
    )


def _cheap_params(event: Event) -> dict[str, Any]:
    """The values of the checks story_match makes against every member, for the lookup in SQL: a
    story whose events all fail one can never take this event (a superset of the true candidates)."""
    r = rules()
    frames = {event.temporal_status} | {b for pair in r.temporal_pairs if event.temporal_status in pair for b in pair}
    statuses = set(r.real) if event.status in r.real else {event.status}
    params: dict[str, Any] = {"frames": sorted(frames), "statuses": sorted(statuses)}
    place = event.place
    if place is None or (place.note or "").startswith(r.guess_note_prefix):
        return params
    if place.country:
        params["country"] = place.country
    if place.precision in r.precise and place.lat is not None and place.lon is not None:
        dlat = r.max_km * 1.1 / 111.0
        dlon = dlat / max(0.05, math.cos(math.radians(place.lat)))
        params.update(south=place.lat - dlat, north=place.lat + dlat, precise=sorted(r.precise))
        for i, (west, east) in enumerate(lon_ranges(place.lon, dlon)):
            params.update({f"west{i}": west, f"east{i}": east})
    return params


def lon_ranges(lon: float, half_width: float) -> list[tuple[float, float]]:
    """Longitude intervals within ``half_width`` degrees of ``lon``: two where the box crosses the
    antimeridian (179.9 is 0.2 degrees from -179.9), all of -180..180 where it is wider than the globe."""
    if half_width >= 180:
        return [(-180.0, 180.0)]
    west, east = lon - half_width, lon + half_width
    if west < -180:
        return [(-180.0, east), (west + 360, 180.0)]
    if east > 180:
        return [(west, 180.0), (-180.0, east - 360)]
    return [(west, east)]


def _own_stories(conn: Connection, article_id: str) -> set[str]:
    query = select(events.c.story_id).where(events.c.article_id == article_id, events.c.story_id.is_not(None))
    return {row.story_id for row in conn.execute(query)}


def _story_rows(conn: Connection, story_id: str) -> list[Any]:
    query = (
        select(*_MEMBER_COLUMNS)
        .join(articles, articles.c.id == events.c.article_id)
        .where(events.c.story_id == story_id)
        .order_by(events.c.id)
    )
    return list(conn.execute(query))


def _write_story(conn: Connection, story_id: str, cache: _EventCache) -> None:
    """Summarise one story from its current members and upsert its row; drop it when empty."""
    rows = _story_rows(conn, story_id)
    conn.execute(delete(stories).where(stories.c.id == story_id))  # then insert: portable upsert
    if not rows:
        return
    members = [_member_from_row(row, cache) for row in rows]
    merges = [(row.id, row.merge_reason) for row in rows if row.merge_reason]
    story = story_record(story_id, members, merges)
    conn.execute(insert(stories).values(**story_values(story, members, datetime.now(UTC))))


def rebuild_stories(store: Store, article_ids: Iterable[str] | None = None) -> int:
    """Forget every event and story and merge the stored articles again, oldest first.

    For databases written before the events tables existed, and after the merge rule changes.
    Returns the number of events stored.
    """
    index = StoryIndex(store)
    with store.writing("cannot clear events and stories") as conn:
        conn.execute(delete(stories))
        conn.execute(delete(events))
    ids = list(article_ids) if article_ids is not None else _stored_ids(store)
    count = 0
    for article_id in ids:
        article = store.get_article_exact(article_id)
        if article is not None:
            index.add(article)
            count += len(article.events) if not article.halted else 0
    return count


def _stored_ids(store: Store) -> Sequence[str]:
    with store.reading("cannot list articles") as conn:
        query = select(articles.c.id).order_by(articles.c.ingested_at, articles.c.id)
        return [row.id for row in conn.execute(query)]
