"""The map's town names (GET /map/places): the most populous places in the view, from the gazetteer."""

from __future__ import annotations

import httpx
import pytest

from eventsift.serve.map_labels import PlaceLabels, Town


def _towns() -> PlaceLabels:
    return PlaceLabels([Town("Big", 50.5, 36.5, 900_000, "UA"), Town("Small", 50.6, 36.6, 4_000, "UA"),
                        Town("Far", 10.0, 10.0, 2_000_000, "NG"), Town("Dateline", -17.8, 178.4, 90_000, "FJ"),
                        Town("Samoa", -13.8, -171.8, 40_000, "WS")])


def test_a_view_gets_its_biggest_places_first_and_no_others() -> None:
    labels = _towns()
    assert [t.name for t in labels.within(36, 50, 37, 51, 10)] == ["Big", "Small"]
    assert [t.name for t in labels.within(36, 50, 37, 51, 1)] == ["Big"]
    assert [t.name for t in labels.within(-180, -90, 180, 90, 2)] == ["Far", "Big"]  # the wide-view walk
    assert [t.name for t in labels.within(170, -30, -165, 0, 10)] == ["Dateline", "Samoa"]  # across 180°


@pytest.mark.network
def test_the_endpoint_answers_places_in_the_box_and_refuses_a_bad_box(live_server: str) -> None:
    answer = httpx.get(f"{live_server}/map/places", params={"bbox": "35,49,38,51.5", "limit": 20}, timeout=30).json()
    places = answer["places"]
    assert places and len(places) <= 20 and "GeoNames" in answer["source"]
    assert all(35 <= p["lon"] <= 38 and 49 <= p["lat"] <= 51.5 for p in places)
    assert [p["population"] for p in places] == sorted((p["population"] for p in places), reverse=True)
    assert httpx.get(f"{live_server}/map/places", params={"bbox": "1,2,3"}, timeout=30).status_code == 400
