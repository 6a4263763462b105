"""The places stage: find place names in the body and resolve them to the gazetteer.

Recognition reads the spaCy Doc: GPE, LOC and FAC entities (NORP or ORG only when their words are a
place name and not a demonym), plus runs of capitalised words outside any entity that the gazetteer
knows as a country, subdivision or sizeable town (a town only as the whole run: "Franklin Elementary"
is no Franklin), plus names that the words around them make places where the model tagged them as
people or organisations or not at all ("shelled Sumy", "the town of X": places_context.py).
"X region" / "X oblast" / "X province" become one
place, the whole phrase, resolved to a first-order subdivision. Demonyms ("Russian") are never
places. A place in the possessive before a word of power ("Moscow's war effort", "Kyiv's forces"),
or a country or capital that says or does what states do ("Washington said"), keeps its resolution
with ``role="metonymic"``: the actors stage reads those as states.

Resolution (:func:`resolve_names`) ranks each name's gazetteer candidates by a prior (continents and
countries over subdivisions over towns, town size, capitals, how the name matched) plus the article's
own context: the countries and subdivisions of the article's other places and their nearness. It runs
twice: first without context, then each name again against what the others resolved to. A name the
gazetteer lacks stays a place with no coordinates and a note saying why. Afterwards a place named
with its region ("Tonenke, Donetsk") is placed in that region (places_context.py). The dateline's
town, outside the body, is read on demand by :func:`dateline_place` with an empty span and a note.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..read.truecase import cased_span
from ..records import Article, Place
from ..settings import Options
from .context import (
    apply_containers,
    cue_mentions,
    is_common_word,
    load_cues,
    near_spellings,
    person_words,
    place_from_entry,
    strong_place_evidence,
    written_lower_elsewhere,
)
from .gazetteer import Entry, Gazetteer, get_gazetteer, load_place_context, normalize_name

__all__ = [
    "ResolutionContext",
    "dateline_place",
    "demonym_place",
    "distance_km",
    "find_places",
    "is_demonym",
    "place_from_entry",
    "resolve_name",
    "resolve_names",
]

log = logging.getLogger(__name__)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Prominence on one scale: a town scores log10(population); bigger units score as large towns.
_PROMINENCE = {"continent": 9.0, "country": 9.0, "macroregion": 8.5, "admin1": 7.0}
_REGIONAL = frozenset({"admin1", "admin2"})
_BIG = frozenset({"continent", "country", "macroregion"})
_CAPITAL_BONUS = 1.5  # "Washington" in the news is the capital unless the article says otherwise
_MATCH_PENALTY = {"name": 0.0, "alias": 0.3, "short": 0.2, "stem": 1.5, "code": 3.0}
_COUNTRY_WEIGHT = 3.0  # times the share of the article's other places in the candidate's country
_ADMIN1_BONUS = 1.5  # the candidate's subdivision holds another place of the article
_NEAR_BONUS = 1.0  # another place of the article lies within _NEAR_KM
_NEAR_KM = 150.0
# A town found only by the gazetteer (no entity around it) must be at least this big.
_MIN_BARE_POPULATION = 15_000
# Feature words after which a name that is no subdivision stays unresolved rather than a town.
_NO_TOWN_FALLBACK = frozenset({"county", "district"})
_MAX_NGRAM = 4
# A city with at least this share of its region's people is what the region's shared name means.
_CITY_SHARE = 0.4


# --- demonyms ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, tuple[str, str]]:
    """data/demonyms.tsv: normalised demonym -> (kind, code)."""
    from importlib import resources

    text = resources.files("eventsift").joinpath("data", "demonyms.tsv").read_text(encoding="utf-8")
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


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


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
    if entry.admin1 and entry.kind not in _BIG and context.admin1s[entry.admin1]:
        score += _ADMIN1_BONUS
    if entry.kind == "city" and entry.lat is not None and entry.lon is not None:
        lat, lon = entry.lat, entry.lon
        if any(distance_km(lat, lon, p[0], p[1]) < _NEAR_KM for p in context.points):
            score += _NEAR_BONUS
    return score


def _candidates(name: str, gazetteer: Gazetteer, *, admin1_only: bool = False, strict: bool = False) -> list[Entry]:
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
    if any(e.kind in _BIG and e.match in {"name", "alias", "short"} for e in found):
        found = [e for e in found if e.kind in _BIG or e.match == "name"]
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
class _Query:
    text: str
    admin1_only: bool = False  # "X region": a subdivision named X (or named the whole phrase)
    strict: bool = False
    fallback: bool = True  # when admin1_only finds nothing, try the bare name
    phrase: str | None = None


def _resolve_queries(queries: Sequence[_Query], gazetteer: Gazetteer) -> list[Entry | None]:
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


def _query_candidates(query: _Query, gazetteer: Gazetteer) -> list[Entry]:
    if query.admin1_only:
        found = _candidates(query.text, gazetteer, admin1_only=True, strict=query.strict)
        if query.phrase:
            whole = [e for e in gazetteer.lookup(query.phrase) if e.kind in _REGIONAL and e.match != "code"]
            found = whole + [e for e in found if e.geonameid not in {w.geonameid for w in whole}]
        if found or not query.fallback:
            return found
    if not query.strict:
        demonym = demonym_place(query.text, gazetteer)  # a gold set's "Syrian" means Syria
        if demonym is not None:
            return [demonym]
    return _city_over_its_region(_candidates(query.text, gazetteer, strict=query.strict))


def resolve_names(names: Sequence[str], gazetteer: Gazetteer | None = None) -> list[Entry | None]:
    """Resolve the place names of one article together; None where the gazetteer has no such place.

    Used for gold names in the eval: each name also resolves as a demonym ("Syrian" -> Syria) and
    "X region" as a subdivision, as in running text.
    """
    gaz = gazetteer or get_gazetteer()
    return _resolve_queries([_query_for(name) for name in names], gaz)


def _query_for(name: str) -> _Query:
    words = name.split()
    admin1_words = {w.lower() for w in load_place_context()["admin1_words"]}
    if len(words) > 1 and words[-1].lower() in admin1_words:
        return _Query(" ".join(words[:-1]), admin1_only=True, fallback=words[-1].lower() not in _NO_TOWN_FALLBACK,
                      phrase=name)
    return _Query(name)


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


# --- recognition ---------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int  # token indices, end exclusive
    end: int
    query: _Query
    label: str
    keep_unresolved: bool = False  # "the town of X": a place even where the gazetteer lacks it


def find_places(article: Article, options: Options) -> Article:
    """The stage: fill ``article.places`` from ``article.doc`` (parsed here if missing)."""
    doc = article.doc
    if doc is None:
        from ..read.nlp import parse_article

        doc = parse_article(article, options).doc
    gazetteer = get_gazetteer(getattr(options, "gazetteer", None))
    mentions = _mentions(doc, gazetteer)
    entries = _resolve_queries([m.query for m in mentions], gazetteer)
    places: list[Place] = []
    persons: set[str] | None = None
    for mention, entry in zip(mentions, entries, strict=True):
        span = doc[mention.start : mention.end]
        if entry is None and mention.label not in PLACE_LABELS and not mention.keep_unresolved:
            continue  # a gazetteer-only guess that did not resolve is no place
        if entry is None and not mention.keep_unresolved:
            persons = person_words(doc) if persons is None else persons
            if normalize_name(span.text) in persons:
                continue  # "the debate against Vacco": a name the article gives a person, in no gazetteer
        if entry is None and mention.query.admin1_only and _name_goes_on(doc, mention.end):
            continue  # "U.S. District Court", "U.S. District Magistrate Judge": an institution's name
        role = "metonymic" if _is_metonymic(doc, mention, entry) else "literal"
        place = place_from_entry(entry, span.start_char, span.end_char, span.text, role)
        if entry is None and mention.query.admin1_only:
            place.note = "no first-order subdivision of this name in the gazetteer"
        places.append(place)
    near_spellings(places, gazetteer)
    apply_containers(places, article.body, gazetteer)
    article.places = places
    log.debug("%s: %d places", article.id, len(places))
    return article


def _mentions(doc: Any, gazetteer: Gazetteer) -> list[_Mention]:
    """Candidate spans, entity first, then gazetteer runs outside entities, then names that the words
    around them make places (places_context.py); no overlaps."""
    taken = [False] * len(doc)
    found: list[_Mention] = []
    for ent in doc.ents:
        for part in _comma_parts(doc, ent):  # "Krasne, Kharkiv" is two places, not one
            mention = _entity_mention(doc, part, gazetteer)
            if mention is None or any(taken[mention.start : mention.end]):
                continue
            found.append(mention)
            for i in range(mention.start, mention.end):
                taken[i] = True
    in_entity = [False] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            in_entity[i] = True
    for mention in _gazetteer_runs(doc, gazetteer, in_entity):
        if not any(taken[mention.start : mention.end]):
            found.append(_with_feature_word(doc, mention, gazetteer))
            for i in range(mention.start, mention.end):
                taken[i] = True
    existing = [(m.start, m.end) for m in found]
    known = functools.partial(_candidates, gazetteer=gazetteer, strict=True)
    for cue in cue_mentions(doc, taken, existing, known, gazetteer.lookup, is_demonym):
        text = _cased(doc[cue.start : cue.end])
        mention = _with_feature_word(doc, _Mention(cue.start, cue.end, _Query(text, strict=True), "CUE",
                                                   cue.keep_unresolved), gazetteer)
        if not any(taken[mention.start : mention.end]):
            found.append(mention)
            for i in range(mention.start, mention.end):
                taken[i] = True
    return sorted(found, key=lambda m: m.start)


def _name_goes_on(doc: Any, end: int) -> bool:
    """The next word carries the capitalised name on ("District Court"): the words are part of a
    longer name, and "X District" that names no subdivision is no place of its own there."""
    return end < len(doc) and doc[end].is_alpha and doc[end].text[:1].isupper() and doc[end].pos_ == "PROPN" \
        and not doc[end].is_sent_start


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and trailing possessives or punctuation from an entity span."""
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s", "'"}):
        end -= 1
    return start, end


def _comma_parts(doc: Any, ent: Any) -> list[Any]:
    """An entity span split at its commas, each part keeping the entity's label."""
    from spacy.tokens import Span as DocSpan

    commas = [t.i for t in ent if t.text == ","]
    if not commas:
        return [ent]
    bounds = [ent.start, *[i + 1 for i in commas]]
    ends = [*commas, ent.end]
    return [DocSpan(doc, a, b, label=ent.label_) for a, b in zip(bounds, ends, strict=True) if a < b]


def _entity_mention(doc: Any, ent: Any, gazetteer: Gazetteer) -> _Mention | None:
    start, end = _trim(doc, ent.start, ent.end)
    if start >= end:
        return None
    start, end = _hyphenated(doc, start, end, gazetteer)
    text = _cased(doc[start:end])
    if is_demonym(text) or not any(c.isupper() for c in text):  # "us" is no place
        return None
    label = ent.label_
    if label not in PLACE_LABELS and (label not in {"NORP", "ORG"} or not _strong_place(text, gazetteer)):
        return None
    if _held_back(doc, start, end, gazetteer):
        return None  # "Officer", "Congress", "MoD": a common word, whatever the model's label
    return _with_feature_word(doc, _Mention(start, end, _Query(text, strict=True), label), gazetteer)


def _hyphenated(doc: Any, start: int, end: int, gazetteer: Gazetteer) -> tuple[int, int]:
    """The whole hyphenated name around an entity the model cut at a hyphen ("Dar-es-Salaam" tagged
    as "Salaam", "Mazar-e-Sharif" as "Mazar"), where the gazetteer knows the whole."""
    def joined(i: int) -> bool:  # doc[i] is a hyphen written tight between two words
        return (0 < i < len(doc) - 1 and doc[i].text == "-" and not doc[i - 1].whitespace_
                and not doc[i].whitespace_ and doc[i - 1].is_alpha and doc[i + 1].is_alpha)
    wide_start, wide_end = start, end
    while joined(wide_start - 1):
        wide_start -= 2
    while joined(wide_end):
        wide_end += 2
    if (wide_start, wide_end) != (start, end) and _candidates(_cased(doc[wide_start:wide_end]), gazetteer, strict=True):
        return wide_start, wide_end
    return start, end


def _held_back(doc: Any, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """A common word ("Officer", "Congress", "March", "West") or a mixed-case acronym ("MoD") that
    names no country or continent and has no strong evidence of a place around it."""
    if not is_common_word(doc, start, end):
        return False
    text = doc[start:end].text
    if any(e.kind in _BIG and e.match in {"name", "alias"} for e in gazetteer.lookup(text)):
        return False  # "Turkey", "Chad": a country's name is the country's
    return not strong_place_evidence(doc, start, end, gazetteer.lookup)


# After these a capitalised word still starts a place name ("Northern Kharkiv", "Greater Manchester").
_RUN_OPENERS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                          "central", "northeastern", "northwestern", "southeastern", "southwestern",
                          "greater", "upper", "lower", "new", "old", "downtown", "rural", "coastal"})


def _inside_name(doc: Any, start: int) -> bool:
    """The word follows another capitalised name word ("Stoneman Douglas", "Sergeant Tonroe")."""
    if start == 0 or doc[start].is_sent_start:
        return False
    prev = doc[start - 1]
    return (prev.is_alpha and prev.text[:1].isupper() and prev.pos_ == "PROPN" and not prev.is_sent_start
            and prev.lower_ not in _RUN_OPENERS)


def _strong_place(text: str, gazetteer: Gazetteer) -> bool:
    """Words that are surely a place even where NER said otherwise: a country, continent or
    subdivision by name ("Kherson region" too), or a big town (ORG and NORP labels are often wrong
    on places)."""
    words = text.split()
    if len(words) > 1 and _feature_word(words[-1]) and _candidates(" ".join(words[:-1]), gazetteer,
                                                                   admin1_only=True, strict=True):
        return True
    for entry in _candidates(text, gazetteer, strict=True):
        if entry.kind in _BIG | {"admin1"} and entry.match in {"name", "alias", "short"}:
            return True
        if entry.kind == "city" and entry.population >= 100_000 and entry.match == "name":
            return True
    return False


def _with_feature_word(doc: Any, mention: _Mention, gazetteer: Gazetteer) -> _Mention:
    """"Belgorod region": the phrase is the place, a first-order subdivision named Belgorod."""
    words = _feature_words()
    span = doc[mention.start : mention.end]
    last = span[-1].lower_
    if len(span) > 1 and last in words:
        name = _cased(doc[mention.start : mention.end - 1])
        if _candidates(name, gazetteer, admin1_only=True, strict=True) or last in _NO_TOWN_FALLBACK:
            query = _Query(name, True, True, last not in _NO_TOWN_FALLBACK, phrase=_cased(span))
            return _Mention(mention.start, mention.end, query, mention.label, mention.keep_unresolved)
        return mention
    if mention.end < len(doc) and doc[mention.end].lower_ in words:
        word = doc[mention.end].lower_
        if _candidates(_cased(span), gazetteer, admin1_only=True, strict=True) or word in _NO_TOWN_FALLBACK:
            phrase = _cased(doc[mention.start : mention.end + 1])
            query = _Query(_cased(span), True, True, word not in _NO_TOWN_FALLBACK, phrase=phrase)
            return _Mention(mention.start, mention.end + 1, query, mention.label, mention.keep_unresolved)
    return mention


def _gazetteer_runs(doc: Any, gazetteer: Gazetteer, in_entity: list[bool]) -> list[_Mention]:
    """Capitalised word runs outside entities that name a country, subdivision or sizeable town."""
    found: list[_Mention] = []
    i = 0
    while i < len(doc):
        if in_entity[i] or not _capitalised(doc[i]):
            i += 1
            continue
        j = i
        while j < len(doc) and j - i < _MAX_NGRAM and not in_entity[j] and _capitalised(doc[j]):
            j += 1
        match = _longest_match(doc, i, j, gazetteer)
        if match is None:
            i += 1
            continue
        found.append(match)
        i = match.end
    return found


def _feature_word(word: str) -> bool:
    return word.lower() in _feature_words()


@lru_cache(maxsize=1)
def _feature_words() -> frozenset[str]:
    """data/place_context.yaml's ``admin1_words``, lower case ("region", "oblast", "county")."""
    return frozenset(w.lower() for w in load_place_context()["admin1_words"])


def _feature_word_at(doc: Any, i: int) -> bool:
    """"Marka Town", "Bama LGA", "Kherson Oblast": a word for what kind of place it is."""
    return i < len(doc) and (_feature_word(doc[i].lower_) or doc[i].lower_ in load_cues().settlement_nouns)


def _capitalised(token: Any) -> bool:
    return token.is_alpha and token.pos_ in {"PROPN", "NOUN", "ADJ"} and _cased(token)[:1].isupper()


def _cased(span: Any) -> str:
    """A token's or span's words with the case the reader may trust (a lower-case body's truecased
    copy, see eventsift.read.truecase); spans keep the body's own text."""
    start = span.idx if hasattr(span, "idx") else span.start_char
    return cased_span(span.doc, start, start + len(span.text))


def _longest_match(doc: Any, start: int, stop: int, gazetteer: Gazetteer) -> _Mention | None:
    """The longest start of a capitalised run that names a place; a town only as the whole run (or
    before a word like "Town"): "Hola Prystan", "Franklin Elementary" are not Hola or Franklin."""
    for end in range(stop, start, -1):
        towns = end == stop or _feature_word_at(doc, end) or _feature_word_at(doc, end - 1)
        span = doc[start:end]
        if end - start == 1 and (span[0].is_sent_start or span[0].is_stop or span[0].pos_ != "PROPN"):
            continue  # "No", "Most", "Centre": a capital letter alone makes no place name
        text = _cased(span)
        if is_demonym(text) or _held_back(doc, start, end, gazetteer):
            continue
        # One word that ends a longer name ("Stoneman Douglas") or that the article also writes in
        # lower case ("the police ... Police") is a country or nothing.
        word_only = end - start == 1 and (_inside_name(doc, start) or written_lower_elsewhere(doc, start, end))
        for entry in _candidates(text, gazetteer, strict=True):
            if word_only and entry.kind not in _BIG:
                continue
            if entry.kind in _BIG | {"admin1"} and entry.match in {"name", "alias", "short"}:
                return _Mention(start, end, _Query(text, strict=True), "GAZ")
            if towns and entry.kind == "city" and entry.population >= _MIN_BARE_POPULATION and entry.match == "name":
                return _Mention(start, end, _Query(text, strict=True), "GAZ")
    return None


def _is_metonymic(doc: Any, mention: _Mention, entry: Entry | None) -> bool:
    """"Moscow's war effort", "Kyiv's forces", "Washington said": the state, not the place."""
    if entry is None or entry.kind not in {"country", "city", "admin1"}:
        return False
    context = load_place_context()
    heads = set(context["metonymic_heads"])
    after = mention.end
    if after < len(doc) and doc[after].lower_ in {"'s", "’s", "'"}:
        return any(tok.lemma_.lower() in heads or tok.lower_ in heads for tok in doc[after + 1 : after + 5])
    state_like = entry.kind == "country" or entry.feature.startswith("capital")
    if not state_like:
        return False
    root = doc[mention.start : mention.end].root
    return root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_.lower() in set(context["metonymic_verbs"])
