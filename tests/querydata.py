"""Events and stories written straight into a store, with every value chosen, for read-side tests.

``seed(store)`` stores a few articles, 36 events and 8 stories whose dates (days, months, years, a
range, none), fatalities (ties, none), places, actors and source counts exercise every filter and
sort; it returns the specs (plain dicts) so tests can compute what a query must answer.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert

from eventsift.records import Actor, Article, Event, Fatalities, Place, Span, When
from eventsift.store.schema import events, stories

__all__ = ["N_ARTICLES", "add_event", "expected_order", "seed", "story_sources"]

N_ARTICLES = 4
DATES = [("2024-03-12", None), ("2024-03", None), ("2024-03-05", None), (None, None), ("2024", None),
         ("2024-03-12", None), ("2023-05", None), ("2024-02-20", "2024-03-02"), ("2024-03-09", None)]
PLACES = [
    ("Belgorod", "RU", "RU-BEL", 50.6, 36.6),
    ("Kharkiv", "UA", "UA-63", 50.0, 36.23),
    ("Suva", "FJ", "FJ-C", -18.14, 178.44),
    ("Taveuni", "FJ", "FJ-N", -16.8, -179.9),  # east of the antimeridian
    (None, None, None, None, None),
]
ACTORS = [("Russian Volunteer Corps", "Military Forces of Russia"), ("Военные России", None),
          (None, "Civilians"), ("Military Forces of Ukraine", "Russian Volunteer Corps")]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Protests", "Peaceful protest")]
STATUSES = ["asserted", "claimed", "unverified"]
FATALITIES = [3, None, 0, 3, 12, None]
STORY_SOURCES = {"s-01": 1, "s-02": 2, "s-03": 3, "s-04": 4, "s-05": 2, "s-06": 1, "s-07": 5, "s-08": 2}


def _span(text: str) -> Span:
    return Span(0, len(text), text)


def _article(n: int) -> Article:
    body = f"Report number {n} about fighting."
    return Article(id=f"art{n}", source_kind="text", raw_text=body, body=body, title=f"Title {n}",
                   source=f"outlet{n % 2}", url=f"https://example.org/{n}", published="2024-03-12",
                   language="en", syndication_group=f"g{n % 3}")


def _spec(i: int) -> dict[str, Any]:
    start, end = DATES[i % len(DATES)]
    location, country, admin1, lat, lon = PLACES[i % len(PLACES)]
    actor1, actor2 = ACTORS[i % len(ACTORS)]
    event_type, sub_type = TYPES[i % len(TYPES)]
    story = None if i % 5 == 4 else f"s-{i % 8 + 1:02d}"
    return {
        "id": f"art{i % N_ARTICLES}:e{i // N_ARTICLES + 1}", "article_id": f"art{i % N_ARTICLES}",
        "event_id": f"e{i // N_ARTICLES + 1}", "date_start": start, "date_end": end or start,
        "location": location, "country": country, "admin1": admin1, "lat": lat, "lon": lon,
        "actor1": actor1, "actor2": actor2, "event_type": event_type, "sub_type": sub_type,
        "status": STATUSES[i % len(STATUSES)], "fatalities": FATALITIES[i % len(FATALITIES)],
        "evidence": f"Sentence {i}: {'Drones HIT the depot' if i % 4 == 0 else 'shelling reported'}.",
        "story_id": story, "merge_reason": None if story is None or i < 8 else "same place and day",
    }


def _event(spec: dict[str, Any]) -> Event:
    def actor(name: str | None) -> Actor | None:
        return Actor(None, name, "military", _span(name)) if name else None

    place = None
    if spec["location"]:
        place = Place(0, len(spec["location"]), spec["location"], 1, spec["location"], spec["country"],
                      spec["admin1"], spec["lat"], spec["lon"], "populated place", "city")
    when = When(spec["date_start"], spec["date_end"], "day", spec["date_start"]) if spec["date_start"] else None
    deaths = Fatalities(spec["fatalities"], None, None, None) if spec["fatalities"] is not None else None
    # The events stage may prefix the in-article id with the article's ("art1:e2"): both kinds are stored.
    own_id = spec["id"] if spec["article_id"] in ("art1", "art3") else spec["event_id"]
    return Event(own_id, spec["event_type"], spec["sub_type"], "19", None, None, actor(spec["actor1"]),
                 actor(spec["actor2"]), [], place, when, deaths, spec["status"], "new", [], [], _span(spec["evidence"]))


def event_row(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": spec["id"], "article_id": spec["article_id"], "story_id": spec["story_id"],
        "merge_reason": spec["merge_reason"], "published": "2024-03-12", "temporal_status": "new",
        "acled_event_type": spec["event_type"], "acled_sub_event_type": spec["sub_type"],
        "date_start": spec["date_start"], "date_end": spec["date_end"], "date_precision": "day",
        "country": spec["country"], "admin1": spec["admin1"], "location": spec["location"], "lat": spec["lat"],
        "lon": spec["lon"], "geo_precision": "city" if spec["location"] else None, "actor1": spec["actor1"],
        "actor2": spec["actor2"], "fatalities": spec["fatalities"], "status": spec["status"],
        "evidence": spec["evidence"], "record": json.dumps(_event(spec).to_dict(), ensure_ascii=False),
    }


def _story_row(story_id: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    first = members[0]
    item = {"id": story_id, "acled_event_type": first["event_type"], "sources": {"independent": STORY_SOURCES[story_id]},
            "events": [m["id"] for m in members]}
    values = {k: v for k, v in event_row(first).items() if k not in ("id", "article_id", "story_id",
                                                                      "merge_reason", "published", "temporal_status")}
    values.update(id=story_id, n_events=len(members), n_articles=len(members), n_sources=STORY_SOURCES[story_id],
                  n_origins=1, updated_at=datetime(2024, 3, 12, tzinfo=UTC), record=json.dumps(item))
    return values


def add_event(store: Any, spec: dict[str, Any]) -> None:
    with store.writing("test: add event") as conn:
        conn.execute(insert(events).values(**event_row(spec)))


def seed(store: Any, n_events: int = 36) -> list[dict[str, Any]]:
    """Store the articles, events and stories; the event specs come back."""
    for n in range(N_ARTICLES):
        store.add_article(_article(n))
    specs = [_spec(i) for i in range(n_events)]
    with store.writing("test: seed") as conn:
        for story_id in STORY_SOURCES:
            members = [s for s in specs if s["story_id"] == story_id]
            if members:
                conn.execute(insert(stories).values(**_story_row(story_id, members)))
        conn.execute(insert(events), [event_row(s) for s in specs])
    return specs


def story_sources(spec: dict[str, Any]) -> int:
    """Independent sources of an event: its story's, 1 without a story."""
    return STORY_SOURCES[spec["story_id"]] if spec["story_id"] else 1


def expected_order(specs: list[dict[str, Any]], sort: str, key_name: str = "id") -> list[str]:
    """Ids in the order a query must give: the sort value (unknown last either way), then id."""
    name = sort.lstrip("-")
    descending = sort.startswith("-")

    def value(spec: dict[str, Any]) -> Any:
        if name == "date":
            return spec["date_start"]
        if name == "fatalities":
            return spec["fatalities"]
        return spec["n_sources"] if "n_sources" in spec else story_sources(spec)

    known = sorted((s for s in specs if value(s) is not None), key=lambda s: s[key_name])
    known.sort(key=value, reverse=descending)  # stable: ties keep id order
    unknown = sorted((s for s in specs if value(s) is None), key=lambda s: s[key_name])
    return [s[key_name] for s in known + unknown]
