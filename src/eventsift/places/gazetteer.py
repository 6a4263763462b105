"""The offline gazetteer: GeoNames places in one indexed SQLite file, built once, read by every worker.

This module is the reading side. The file lives in ``$EVENTSIFT_CACHE`` (default
``~/.cache/eventsift``) as ``gazetteer-<version>.sqlite``. :func:`get_gazetteer` opens it
read-only, building it on first use (:func:`ensure_gazetteer`: under a lock, so that concurrent
builders build it once). Queries go through the ``name`` index of normalised names
(:func:`normalize_name`); nothing is loaded whole into memory. :func:`load_place_context` reads
data/place_context.yaml, which the build and the places stage share.

Building the file is gazetteer_build.py (the sources on PyPI and how places are derived from
them), with gazetteer_points.py (where areas get their points) and gazetteer_names.py (the names a
place is found under); :func:`build_gazetteer` here hands over to it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

__all__ = [
    "GAZETTEER_VERSION",
    "Entry",
    "Gazetteer",
    "build_gazetteer",
    "built_gazetteer",
    "default_gazetteer_path",
    "ensure_gazetteer",
    "get_gazetteer",
    "normalize_name",
]

# Bump when the schema or the way places are derived changes (gazetteer_build.py): a new version
# builds a new file.
GAZETTEER_VERSION = "2"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "ʹ": "'"})
_NOT_WORD = re.compile(r"[^\w' ]+")
_SPACES = re.compile(r"\s+")


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


def build_gazetteer(path: Path | str | None = None) -> Path:
    """Build the gazetteer file at ``path`` (default :func:`default_gazetteer_path`); return the path.

    The build is :func:`eventsift.places.gazetteer_build.build_gazetteer` (about 30 s and 600 MB of memory,
    once), imported only when a file is built, so that workers reading the file never load it.
    """
    from .gazetteer_build import build_gazetteer as build

    return build(path)


# --- data files -----------------------------------------------------------------------------------


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


def built_gazetteer() -> Gazetteer | None:
    """The process's gazetteer when it is already built at the default path; never builds one
    (for readers that can do without it, e.g. exports naming regions)."""
    return get_gazetteer() if _is_built(default_gazetteer_path()) else None


@lru_cache(maxsize=4)
def get_gazetteer(path: str | None = None) -> Gazetteer:
    """The process's gazetteer, opened once per path; built first when missing."""
    return Gazetteer(ensure_gazetteer(Path(path) if path else None))
