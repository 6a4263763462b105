"""Which names a gazetteer place is found under, besides its own: the build's naming rules.

Alternate names worth indexing for English text (:func:`keep_alias`: Latin names with a capital,
and Cyrillic), the short names of subdivisions without their type words ("Aleppo Governorate" ->
"Aleppo"; "Belgorodskaya oblast'" -> "Belgorod": :func:`subdivision_stems`), their display names
in English usage (:func:`english_name`), and the compass variants of regions of countries
("Western Africa" -> "West Africa": :func:`compass_variants`). The type words and suffixes are data
(data/place_context.yaml). Used by gazetteer_build.py; keys are :func:`normalize_name`'s.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .gazetteer import normalize_name

__all__ = ["compass_variants", "english_name", "keep_alias", "strip_type_words", "subdivision_stems"]


def keep_alias(name: str) -> bool:
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


def strip_type_words(name: str, context: dict[str, Any]) -> str:
    words: list[str] = context["name_type_words"]
    norm = normalize_name(name)
    for word in sorted(words, key=len, reverse=True):
        norm = re.sub(rf"(^| ){re.escape(word)}'?( of)?($| )", " ", norm).strip()
    return norm


def subdivision_stems(names: list[str], towns: list[tuple[float, float, int, str]], context: dict[str, Any]) -> list[str]:
    """Short names of a subdivision: its names without type words ("Aleppo Governorate" -> "Aleppo"),
    and, for adjectival names ("Belgorodskaya oblast'"), the town it is named after ("Belgorod")."""
    stems: list[str] = []
    for name in names:
        if not keep_alias(name) and not name.isascii():
            continue
        stem = strip_type_words(name, context)
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


def english_name(name: str, aliases: list[str], stems: list[str], context: dict[str, Any]) -> str:
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


def compass_variants(name: str) -> list[str]:
    """"Western Africa" -> "West Africa"; "Southeast Asia" -> "South-East Asia", "South East Asia"."""
    out = []
    for long, short in (("Western", "West"), ("Eastern", "East"), ("Northern", "North"), ("Southern", "South")):
        if name.startswith(long + " "):
            out.append(short + name[len(long):])
    if name.startswith("Southeast "):
        out.append("South-East " + name[len("Southeast "):])
    return out
