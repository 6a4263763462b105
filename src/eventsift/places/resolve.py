"""Resolving place names to the gazetteer: demonyms, ranking candidates in the article's context, the dateline.

Resolution (:func:`resolve_names`) ranks each name's gazetteer candidates by a prior (continents and
countries over subdivisions over towns, town size, capitals, how the name matched) plus the article's
own context: the countries and subdivisions of the article's other places and their nearness. It runs
twice: first without context, then each name again against what the others resolved to. Demonyms
("Russian") are never places in running text, but a gold set's "Syrian" resolves to Syria. The
dateline's town, outside the body, is read on demand by :func:`dateline_place` with an empty span and
a note. Recognition in the body (find.py) builds :class:`Query` objects and resolves them here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..datafiles import data_text
from ..records import Article, Place
from .context import place_from_entry
from .gazetteer import Entry, Gazetteer, get_gazetteer, load_place_context, normalize_name
from .geodesy import distance_km

__all__ = [
    "BIG_KINDS",
    "DATELINE_NOTE",
    "NO_TOWN_FALLBACK",
    "Query",
    "ResolutionContext",
    "dateline_place",
    "demonym_place",
    "distance_km",
    "is_demonym",
    "name_candidates",
    "resolve_name",
    "resolve_names",
    "resolve_queries",
]

# Prominence on one scale: a town scores log10(population); bigger units score as large towns.
_PROMINENCE = {"continent": 9.0, "country": 9.0, "macroregion": 8.5, "admin1": 7.0}
_REGIONAL = frozenset({"admin1", "admin2"})
BIG_KINDS = frozenset({"continent", "country", "macroregion"})
_CAPITAL_BONUS = 1.5  # "Washington" in the news is the capital unless the article says otherwise
_MATCH_PENALTY = {"name": 0.0, "alias": 0.3, "short": 0.2, "stem": 1.5, "code": 3.0}
_COUNTRY_WEIGHT = 3.0  # times the share of the article's other places in the candidate's country
_ADMIN1_BONUS = 1.5  # the candidate's subdivision holds another place of the article
_NEAR_BONUS = 1.0  # another place of the article lies within _NEAR_KM
_NEAR_KM = 150.0
# Feature words after which a name that is no subdivision stays unresolved rather than a town.
NO_TOWN_FALLBACK = frozenset({"county", "district"})
# A city with at least this share of its region's people is what the region's shared name means.
_CITY_SHARE = 0.4


# --- demonyms ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, tuple[str, str]]:
    """data/demonyms.tsv: normalised demonym -> (kind, code)."""
    text = data_text("demonyms.tsv")
    table: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, kind, code = line.split("\t")
            table[normalize_name(word)] = (kind, code)
    return table


def _demonym_key(text: str) -> str | None:
    norm = normalize_name(text)
    table = _demonyms()
    if norm in table:
        return norm
    for cut in ("s", "es"):  # Russians, Ukrainians
        if norm.endswith(cut) and norm[: -len(cut)] in table:
            return norm[: -len(cut)]
    return None


def is_demonym(text: str) -> bool:
    """Whether the words name a people or an adjective of a place ("Russian", "Ukrainians")."""
    return _demonym_key(text) is not None


def demonym_place(text: str, gazetteer: Gazetteer | None = None) -> Entry | None:
    """The country or continent a demonym refers to ("Russian" -> Russia); None when not a demonym."""
    key = _demonym_key(text)
    if key is None:
        return None
    gaz = gazetteer or get_gazetteer()
    kind, code = _demonyms()[key]
    if kind == "country":
        return gaz.country(code)
    continents = [e for e in gaz.lookup(_CONTINENT_NAMES.get(code, "")) if e.kind == "continent"]
    return continents[0] if continents else None


_CONTINENT_NAMES = {"AF": "Africa", "EU": "Europe", "AS": "Asia", "NA": "North America",
                    "SA": "South America", "OC": "Oceania", "AN": "Antarctica"}


# --- resolution ----------------------------------------------------------------------------------


@dataclass
class ResolutionContext:
    """What the rest of the article says about where it is: countries, subdivisions, points."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1s: Counter[str] = field(default_factory=Counter)
    points: list[tuple[float, float]] = field(default_factory=list)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry | None]) -> ResolutionContext:
        context = cls()
        for entry in entries:
            if entry is None:
                continue
            if entry.country:
                context.countries[entry.country] += 1
            if entry.admin1:
                context.admin1s[entry.admin1] += 1
            if entry.kind == "city" and entry.lat is not None and entry.lon is not None:
                context.points.append((entry.lat, entry.lon))
        return context


def _prior(entry: Entry) -> float:
    if entry.kind == "city":
        score = math.log10(entry.population + 1)
        return score + (_CAPITAL_BONUS if entry.feature.startswith("capital") else 0.0)
    if entry.kind == "admin2":  # counties: below their own big towns
        return min(6.0, math.log10(entry.population + 1)) - 0.5
    return _PROMINENCE.get(entry.kind, 0.0)


def _score(entry: Entry, context: ResolutionContext | None) -> float:
    score = _prior(entry) - _MATCH_PENALTY.get(entry.match, 1.0)
    if context is None:
        return score
    total = sum(context.countries.values())
    if total and entry.country:
        score += _COUNTRY_WEIGHT * context.countries[entry.country] / total
    if entry.admin1 and entry.kind not in BIG_KINDS and context.admin1s[entry.admin1]:
        score += _ADMIN1_BONUS
    if entry.kind == "city" and entry.lat is not None and entry.lon is not None:
        lat, lon = entry.lat, entry.lon
        if any(distance_km(lat, lon, p[0], p[1]) < _NEAR_KM for p in context.points):
            score += _NEAR_BONUS
    return score


def name_candidates(name: str, gazetteer: Gazetteer, *, admin1_only: bool = False, strict: bool = False) -> list[Entry]:
    """Gazetteer places a name may mean; ``strict`` (running text) drops codes and lower-case
    short forms, ``admin1_only`` keeps subdivisions when there are any."""
    found = gazetteer.lookup(name)
    if strict:
        found = [e for e in found if _strict_ok(e, name)]
    if admin1_only:
        return [e for e in found if e.kind in _REGIONAL]
    # A stem ("Belgorod" for Belgorod Oblast) only stands alone when no place has it as a name.
    if any(e.match != "stem" for e in found):
        found = [e for e in found if e.match != "stem"]
    # A country's name is the country's: "Mexico" is not Mexico City by one of its other names.
    if any(e.kind in BIG_KINDS and e.match in {"name", "alias", "short"} for e in found):
        found = [e for e in found if e.kind in BIG_KINDS or e.match == "name"]
    return found


def _city_over_its_region(found: list[Entry]) -> list[Entry]:
    """"Dar es Salaam", "Tianjin", "Kabul": a region named after the city that holds most of its people
    is, in running text, the city (the region's code stays the same)."""
    cities = [e for e in found if e.kind == "city" and e.match == "name" and e.admin1]
    if not cities:
        return found
    return [e for e in found if not (e.kind == "admin1" and any(
        c.admin1 == e.admin1 and c.population >= _CITY_SHARE * e.population for c in cities))]


def _strict_ok(entry: Entry, text: str) -> bool:
    if entry.match == "code":
        return text.isupper() and len(text) >= 3 and entry.kind == "country"
    if entry.match == "short" and len(normalize_name(text)) <= 4:
        return text.replace(".", "").isupper() or text.endswith(".")  # "NSW", "Fla."
    return True


def _choose(candidates: Sequence[Entry], context: ResolutionContext | None) -> Entry | None:
    if not candidates:
        return None
    return max(candidates, key=lambda e: (_score(e, context), e.population, -e.geonameid))


@dataclass(frozen=True)
class Query:
    text: str
    admin1_only: bool = False  # "X region": a subdivision named X (or named the whole phrase)
    strict: bool = False
    fallback: bool = True  # when admin1_only finds nothing, try the bare name
    phrase: str | None = None


def resolve_queries(queries: Sequence[Query], gazetteer: Gazetteer) -> list[Entry | None]:
    """Two passes: each name alone, then each against the context of the others' first readings."""
    candidates = [_query_candidates(q, gazetteer) for q in queries]
    first = [_choose(c, None) for c in candidates]
    keys = [normalize_name(q.text) for q in queries]
    result: list[Entry | None] = []
    for i, options in enumerate(candidates):
        if len(options) <= 1:
            result.append(first[i])
            continue
        others = [entry for j, entry in enumerate(first) if keys[j] != keys[i]]
        result.append(_choose(options, ResolutionContext.from_entries(others)))
    return result


def _query_candidates(query: Query, gazetteer: Gazetteer) -> list[Entry]:
    if query.admin1_only:
        found = name_candidates(query.text, gazetteer, admin1_only=True, strict=query.strict)
        if query.phrase:
            whole = [e for e in gazetteer.lookup(query.phrase) if e.kind in _REGIONAL and e.match != "code"]
            found = whole + [e for e in found if e.geonameid not in {w.geonameid for w in whole}]
        if found or not query.fallback:
            return found
    if not query.strict:
        demonym = demonym_place(query.text, gazetteer)  # a gold set's "Syrian" means Syria
        if demonym is not None:
            return [demonym]
    return _city_over_its_region(name_candidates(query.text, gazetteer, strict=query.strict))


def resolve_names(names: Sequence[str], gazetteer: Gazetteer | None = None) -> list[Entry | None]:
    """Resolve the place names of one article together; None where the gazetteer has no such place.

    Used for gold names in the eval: each name also resolves as a demonym ("Syrian" -> Syria) and
    "X region" as a subdivision, as in running text.
    """
    gaz = gazetteer or get_gazetteer()
    return resolve_queries([_query_for(name) for name in names], gaz)


def _query_for(name: str) -> Query:
    words = name.split()
    admin1_words = {w.lower() for w in load_place_context()["admin1_words"]}
    if len(words) > 1 and words[-1].lower() in admin1_words:
        return Query(" ".join(words[:-1]), admin1_only=True, fallback=words[-1].lower() not in NO_TOWN_FALLBACK,
                      phrase=name)
    return Query(name)


def resolve_name(name: str, context: Sequence[str] = (), gazetteer: Gazetteer | None = None) -> Place:
    """One name resolved in the context of the article's other place names, as a Place record
    (``start``/``end`` index ``name`` itself); an unresolved Place carries a note."""
    entries = resolve_names([name, *context], gazetteer)
    return place_from_entry(entries[0], 0, len(name), name)


# --- the dateline --------------------------------------------------------------------------------

# "(AP)", "(Reuters)" and "Aug. 10" in a dateline say who and when, not where.
_DATELINE_AGENCY = re.compile(r"\([^)]*\)")
_DATELINE_DATE = re.compile(r"^[A-Z][a-z]{2,9}\.? \d{1,2}$")
DATELINE_NOTE = "from context: the dateline"


def dateline_place(article: Article, gazetteer: Gazetteer | None = None) -> Place | None:
    """The town of the article's dateline ("DES MOINES, Iowa, Aug. 10 (UPI)"), or None.

    The dateline is metadata outside the body (the ingest stage takes it out), so the place has an
    empty span at the body's start and a note naming the dateline. A state or country after the town
    ("AMHERST, N.Y.") picks among towns of that name; without one the most prominent town wins.
    """
    if not article.dateline:
        return None
    parts = [p.strip() for p in _DATELINE_AGENCY.sub("", article.dateline).split(",")]
    parts = [p for p in parts if p and not _DATELINE_DATE.match(p)]
    if not parts:
        return None
    entry = _dateline_entry(parts[0], parts[1] if len(parts) > 1 else None,
                            gazetteer or get_gazetteer())
    if entry is None:
        return None
    place = place_from_entry(entry, 0, 0, parts[0])
    place.note = f"{DATELINE_NOTE} ({article.dateline})"
    return place


def _dateline_entry(town: str, container: str | None, gazetteer: Gazetteer) -> Entry | None:
    """A dateline names a town; a region or country only where no town has the name."""
    found = [e for e in gazetteer.lookup(town) if e.kind in {"city", "admin1", "country"}
             and e.match in {"name", "alias", "short"}]
    if container:
        holders = [e for e in gazetteer.lookup(container) if e.kind in {"country", "admin1"}]
        holder = _choose(holders, None)
        if holder is not None:
            found = [e for e in found if e.country == holder.country
                     and (holder.kind == "country" or e.admin1 == holder.admin1)]
    towns = [e for e in found if e.kind == "city"]
    return _choose(towns or found, None)
