"""ACLED columns derived from what an event holds: inter codes, interaction, region, source and its
scale, event_id_cnty, timestamp, civilian_targeting (data/acled_codes.yaml)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from eventsift.export.columns import ALWAYS_EMPTY, event_row
from eventsift.store.query import iter_event_items
from eventsift.store.store import open_store


def _item(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"id": "0123456789abcdef:e1", "acled_event_type": "Battles",
                            "place": {"country": "UA", "name": "Kharkiv", "precision": "city"},
                            "article": {"source": None, "url": None, "ingested_at": None}}
    item.update(fields)
    return item


@pytest.mark.parametrize("event_type, actor1, actor2, inter1, inter2, interaction", [
    ("Battles", {"name": "Military Forces of Russia", "kind": "state forces"},
     {"name": "Freedom of Russia Legion", "kind": "armed group"}, 1, 2, 12),
    ("Violence against civilians", {"name": "Wagner", "kind": "militia"}, {"name": "villagers", "kind": "person"},
     3, 7, 37),
    ("Protests", {"name": "Protesters", "kind": "group"}, None, 6, 0, 60),
    ("Riots", {"name": "Rioters", "kind": None}, {"name": "Police Forces of Ukraine", "kind": "police"}, 5, 1, 15),
    ("Battles", {"name": "Someone", "kind": "organisation"}, None, None, None, None),
])
def test_inter_codes_and_interaction_from_actor_kinds(event_type: str, actor1: Any, actor2: Any, inter1: Any,
                                                      inter2: Any, interaction: Any) -> None:
    row = event_row(_item(acled_event_type=event_type, actor1=actor1, actor2=actor2))
    assert (row["inter1"], row["inter2"], row["interaction"]) == (inter1, inter2, interaction)


@pytest.mark.parametrize("country, region", [("UA", "Europe"), ("RU", "Europe"), ("SY", "Middle East"),
                                             ("IR", "Middle East"), ("GE", "Caucasus and Central Asia"),
                                             ("NG", "Western Africa"), ("MX", "Central America"), (None, None)])
def test_region_from_the_country(country: str | None, region: str | None) -> None:
    place = {"country": country, "name": "x", "precision": "country"} if country else None
    assert event_row(_item(place=place))["region"] == region


@pytest.mark.parametrize("article, source, scale", [
    ({"source": "Reuters"}, "Reuters", "International"),
    ({"url": "https://www.pravda.com.ua/news/1"}, "pravda.com.ua", "National"),
    ({"source": "Daily Express", "url": "https://www.express.co.uk/news/world/1"}, "Daily Express", "International"),
    ({"url": "https://t.me/channel/5"}, "t.me", "New media"),
    ({"source": "Example Gazette", "url": "https://example.org/a"}, "Example Gazette", None),
    ({}, None, None),
])
def test_source_and_source_scale_from_the_outlet(article: dict[str, Any], source: str | None,
                                                 scale: str | None) -> None:
    row = event_row(_item(article=article))
    assert (row["source"], row["source_scale"]) == (source, scale)


def test_event_id_cnty_timestamp_and_civilian_targeting() -> None:
    stored = datetime(2024, 3, 12, 8, 30, tzinfo=UTC)
    row = event_row(_item(article={"ingested_at": stored.isoformat()}))
    assert row["event_id_cnty"] == "UKR-0123456789abcdef:e1"
    assert row["timestamp"] == int(stored.timestamp())
    assert row["civilian_targeting"] is None
    assert event_row(_item(place=None))["event_id_cnty"] == "0123456789abcdef:e1"  # no country, no prefix
    strike = _item(acled_event_type="Explosions/Remote violence", actor1={"name": "Army", "kind": "state forces"},
                   actor2={"name": "Civilians", "kind": "civilians"})
    assert event_row(strike)["civilian_targeting"] == "Civilian targeting"
    assert event_row(_item(acled_event_type="Violence against civilians"))["civilian_targeting"] == "Civilian targeting"


def test_stored_events_fill_the_derived_columns(sample_db: str) -> None:
    with open_store(sample_db) as store:
        rows = [event_row(item) for item in iter_event_items(store)]
    assert rows
    derived = ("inter1", "inter2", "interaction", "region", "event_id_cnty", "timestamp")  # samples name no outlet
    for column in derived:
        assert any(row[column] is not None for row in rows), column
    assert all(isinstance(row["timestamp"], int) for row in rows)
    assert all(row["event_id_cnty"].endswith(row["eventsift_id"]) for row in rows)
    assert not set(derived) & set(ALWAYS_EMPTY)
