"""The places stage: find place names in the body and resolve them to the gazetteer.

Recognition reads the spaCy Doc: GPE, LOC and FAC entities (NORP or ORG only when their words are a
place name and not a demonym), plus runs of capitalised words outside any entity that the gazetteer
knows as a country, subdivision or sizeable town (a town only as the whole run: "Franklin Elementary"
is no Franklin), plus names that the words around them make places where the model tagged them as
people or organisations or not at all ("shelled Sumy", "the town of X": context.py).
"X region" / "X oblast" / "X province" become one
place, the whole phrase, resolved to a first-order subdivision. Demonyms ("Russian") are never
places. A place in the possessive before a word of power ("Moscow's war effort", "Kyiv's forces"),
or a country or capital that says or does what states do ("Washington said"), keeps its resolution
with ``role="metonymic"``: the actors stage reads those as states.

Resolution, demonyms and the dateline's town are resolve.py (re-exported here): every name is
ranked among its gazetteer candidates in the context of the article's other places. A name the
gazetteer lacks stays a place with no coordinates and a note saying why. Afterwards a place named
with its region ("Tonenke, Donetsk") is placed in that region (context.py).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import ConfigError
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
from .resolve import (
    BIG_KINDS,
    DATELINE_NOTE,
    NO_TOWN_FALLBACK,
    Query,
    ResolutionContext,
    dateline_place,
    demonym_place,
    distance_km,
    is_demonym,
    name_candidates,
    resolve_name,
    resolve_names,
    resolve_queries,
)

__all__ = [
    "DATELINE_NOTE",
    "ResolutionContext",
    "dateline_place",
    "demonym_place",
    "distance_km",
    "find_places",
    "is_demonym",
    "place_from_entry",
    "places_ready",
    "resolve_name",
    "resolve_names",
]

log = logging.getLogger(__name__)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# A town found only by the gazetteer (no entity around it) must be at least this big.
_MIN_BARE_POPULATION = 15_000
_MAX_NGRAM = 4

# --- recognition ---------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int  # token indices, end exclusive
    end: int
    query: Query
    label: str
    keep_unresolved: bool = False  # "the town of X": a place even where the gazetteer lacks it


def places_ready(options: Options) -> None:
    """The stage's check at the start of a run: the gazetteer is built (ConfigError naming the
    command that builds it otherwise)."""
    get_gazetteer(getattr(options, "gazetteer", None))


def find_places(article: Article, options: Options) -> Article:
    """The stage: fill ``article.places`` from ``article.doc``, which the nlp stage parsed."""
    doc = article.doc
    if doc is None:  # as the runner's order check says (check_order): a caller must parse first
        raise ConfigError(f"stage 'places' needs doc, which article {article.id} lacks: "
                          "parse it first (eventsift.read.nlp.parse_article)")
    gazetteer = get_gazetteer(getattr(options, "gazetteer", None))
    mentions = _mentions(doc, gazetteer)
    entries = resolve_queries([m.query for m in mentions], gazetteer)
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
    around them make places (context.py); no overlaps."""
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
    known = functools.partial(name_candidates, gazetteer=gazetteer, strict=True)
    for cue in cue_mentions(doc, taken, existing, known, gazetteer.lookup, is_demonym):
        text = _cased(doc[cue.start : cue.end])
        mention = _with_feature_word(doc, _Mention(cue.start, cue.end, Query(text, strict=True), "CUE",
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
    return _with_feature_word(doc, _Mention(start, end, Query(text, strict=True), label), gazetteer)


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
    if (wide_start, wide_end) != (start, end) and name_candidates(_cased(doc[wide_start:wide_end]), gazetteer, strict=True):
        return wide_start, wide_end
    return start, end


def _held_back(doc: Any, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """A common word ("Officer", "Congress", "March", "West") or a mixed-case acronym ("MoD") that
    names no country or continent and has no strong evidence of a place around it."""
    if not is_common_word(doc, start, end):
        return False
    text = doc[start:end].text
    if any(e.kind in BIG_KINDS and e.match in {"name", "alias"} for e in gazetteer.lookup(text)):
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
    if len(words) > 1 and _feature_word(words[-1]) and name_candidates(" ".join(words[:-1]), gazetteer,
                                                                   admin1_only=True, strict=True):
        return True
    for entry in name_candidates(text, gazetteer, strict=True):
        if entry.kind in BIG_KINDS | {"admin1"} and entry.match in {"name", "alias", "short"}:
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
        if name_candidates(name, gazetteer, admin1_only=True, strict=True) or last in NO_TOWN_FALLBACK:
            query = Query(name, True, True, last not in NO_TOWN_FALLBACK, phrase=_cased(span))
            return _Mention(mention.start, mention.end, query, mention.label, mention.keep_unresolved)
        return mention
    if mention.end < len(doc) and doc[mention.end].lower_ in words:
        word = doc[mention.end].lower_
        if name_candidates(_cased(span), gazetteer, admin1_only=True, strict=True) or word in NO_TOWN_FALLBACK:
            phrase = _cased(doc[mention.start : mention.end + 1])
            query = Query(_cased(span), True, True, word not in NO_TOWN_FALLBACK, phrase=phrase)
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
        for entry in name_candidates(text, gazetteer, strict=True):
            if word_only and entry.kind not in BIG_KINDS:
                continue
            if entry.kind in BIG_KINDS | {"admin1"} and entry.match in {"name", "alias", "short"}:
                return _Mention(start, end, Query(text, strict=True), "GAZ")
            if towns and entry.kind == "city" and entry.population >= _MIN_BARE_POPULATION and entry.match == "name":
                return _Mention(start, end, Query(text, strict=True), "GAZ")
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
