"""The offline gazetteer: GeoNames places in one indexed SQLite file, built once, read by every worker.

This module is the reading side. The file lives in ``$EVENTSIFT_CACHE`` (default
``~/.cache/eventsift``) as ``gazetteer-<version>.sqlite``. :func:`get_gazetteer` opens it
read-only and never builds it: a missing file is a ConfigError naming the command that builds it
(``eventsift gazetteer build``; ``make install`` runs it). Queries go through the ``name`` index of
normalised names (:func:`normalize_name`); nothing is loaded whole into memory. :func:`load_place_context`
reads data/place_context.yaml, which the build and the places stage share.

Building the file is gazetteer_build.py (the sources on PyPI and how places are derived from
them, and building once under a lock), with gazetteer_points.py (where areas get their points) and
gazetteer_names.py (the names a place is found under). The build imports this module, never the
other way round: a worker that reads the gazetteer never loads the build.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..datafiles import load_data
from ..errors import ConfigError
from ..settings import cache_dir

__all__ = [
    "GAZETTEER_VERSION",
    "Entry",
    "Gazetteer",
    "built_gazetteer",
    "default_gazetteer_path",
    "get_gazetteer",
    "is_built",
    "missing_message",
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
    """One gazetteer place, as the build writes it and a lookup reads it back.

    ``kind`` is continent, macroregion, country, admin1, admin2 or city; ``admin1`` is ISO 3166-2;
    ``admin1_code`` the source's own code (GeoNames "RU.09", a continent's or region's code).
    """

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
    admin1_code: str | None = None

    @property
    def precision(self) -> str:
        return {"continent": "continent", "macroregion": "continent", "country": "country",
                "admin1": "region", "admin2": "region"}.get(self.kind, "city")


# --- where the file lives -------------------------------------------------------------------------


def default_gazetteer_path() -> Path:
    """``$EVENTSIFT_CACHE/gazetteer-<version>.sqlite`` (default cache ``~/.cache/eventsift``)."""
    return cache_dir() / f"gazetteer-{GAZETTEER_VERSION}.sqlite"


def is_built(path: Path) -> bool:
    """Whether ``path`` holds a gazetteer of this version (the build renames a whole file into place)."""
    if not path.is_file():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0] == GAZETTEER_VERSION)


def missing_message(path: Path, default: bool = True) -> str:
    """What to do when no gazetteer of this version is at ``path``: the command that builds it."""
    where = "" if default else f" --path {path}"
    return f"no gazetteer of version {GAZETTEER_VERSION} at {path}: build it with `eventsift gazetteer build{where}`"


# --- data files -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_place_context() -> dict[str, Any]:
    """data/place_context.yaml: feature words, type words, metonymy cues."""
    data: dict[str, Any] = load_data("place_context.yaml")
    return data


# --- reading --------------------------------------------------------------------------------------


# Entry's fields in order up to ``match`` (which a lookup reads from the name table).
_COLUMNS = "p.geonameid, p.name, p.kind, p.feature, p.country, p.admin1, p.lat, p.lon, p.population"


class Gazetteer:
    """Read-only queries on a built gazetteer file; safe to open in every worker process."""

    def __init__(self, path: Path | str) -> None:
        self._admin1_by_country: dict[str, dict[str, int]] = {}
        self.path = Path(path)
        if not self.path.is_file():
            raise ConfigError(missing_message(self.path, default=self.path == default_gazetteer_path()))
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
                f"SELECT {_COLUMNS}, n.source, p.admin1_code FROM name n JOIN place p USING (geonameid) "
                "WHERE n.norm = ? ORDER BY p.population DESC",
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
            f"SELECT {_COLUMNS}, 'name', p.admin1_code FROM place p WHERE geonameid = ?",
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
            f"SELECT {_COLUMNS}, 'name', p.admin1_code FROM place p WHERE {where} LIMIT 1",
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
    return get_gazetteer() if is_built(default_gazetteer_path()) else None


@lru_cache(maxsize=4)
def get_gazetteer(path: str | None = None) -> Gazetteer:
    """The process's gazetteer, opened once per path; ConfigError naming the build command when
    none of this version is there (opening never builds: building is explicit)."""
    target = Path(path) if path else default_gazetteer_path()
    if not is_built(target):
        raise ConfigError(missing_message(target, default=not path))
    return Gazetteer(target)
