"""Where an area's point goes: the gazetteer's centres of countries and subdivisions.

GeoNames' data on PyPI gives countries and subdivisions no coordinates, only the towns that lie in
them. :func:`hull_centre` places an area at the centroid of the convex hull of its towns,
:func:`area_centre` at the mean of the grid cells they occupy; :data:`POINT_METHODS` says which
the build uses for what (docs/places.md compares them on the geoparsing dev sets). Used by
gazetteer_build.py; pure functions of (lat, lon) points.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["POINT_METHODS", "area_centre", "area_point", "convex_hull", "hull_centre"]

# How points of areas are derived (kept switchable to compare them on the dev sets; see docs/places.md).
POINT_METHODS = {"subdivision": "hull", "country": "table"}

_CELL = 0.5  # degrees: the grid whose occupied cells stand for a subdivision's area


def area_centre(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """The centre of the area some points cover: mean of the occupied grid cells, by cell area.

    A population-weighted centroid sits on the biggest city and the plain mean of towns on the
    densest corner; occupied cells stand for the land the towns spread over.
    """
    cells = {(math.floor(lat / _CELL), math.floor(lon / _CELL)) for lat, lon in points}
    if not cells:
        return None
    total = lat_sum = x_sum = y_sum = 0.0
    for row, col in cells:
        lat = (row + 0.5) * _CELL
        lon = math.radians((col + 0.5) * _CELL)
        weight = math.cos(math.radians(lat))
        total += weight
        lat_sum += weight * lat
        # Longitudes are averaged on the circle, so a place across the antimeridian stays whole.
        x_sum += weight * math.cos(lon)
        y_sum += weight * math.sin(lon)
    if total <= 0:
        return None
    return lat_sum / total, math.degrees(math.atan2(y_sum, x_sum))


def hull_centre(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """The centroid of the convex hull of some points: the centre of the area its towns span.

    Towns crowd where people live (the south of Ontario, the coast of Queensland); the hull of all of
    them reaches the far ones too, so its centroid sits where a map's label would. Longitudes are
    unwrapped first when the points straddle the antimeridian.
    """
    pts = list(dict.fromkeys(points))
    if not pts:
        return None
    lons = [lon for _lat, lon in pts]
    shift = max(lons) - min(lons) > 180
    xy = sorted({(lon + 360 if shift and lon < 0 else lon, lat) for lat, lon in pts})
    hull = convex_hull(xy)
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(hull, hull[1:] + hull[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:  # one town, or towns on a line: their mean
        x, y = sum(p[0] for p in xy) / len(xy), sum(p[1] for p in xy) / len(xy)
    else:
        x, y = cx / (3 * area), cy / (3 * area)
    return y, (x - 360 if x > 180 else x)


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain over sorted (x, y) points; counter-clockwise, no repeated end."""
    if len(points) <= 2:
        return points

    def turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in points:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(points):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def area_point(points: list[tuple[float, float]], method: str) -> tuple[float, float] | None:
    """The point of an area covering ``points``, by ``method`` ("hull", else grid cells)."""
    return hull_centre(points) if method == "hull" else area_centre(points)
