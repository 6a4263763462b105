"""Reading a name by the words around it: places the NER missed, and a place named with its region.

The small English model tags many towns as people or organisations ("shelled Sumy", "in Grozny",
"the town of Marsh Hollow"), or not at all. :func:`cue_mentions` finds runs of capitalised words
(entities of those kinds, on their bounds, or words outside any entity) that the words around them
make a place:

- a settlement noun and "of" before it ("the town of X", "the villages of X and Y"): a place even
  when the gazetteer lacks it (then unresolved, "not in gazetteer");
- a locative preposition ("in X", "near X", "in northern X", "outside of X", "the outskirts of X";
  not "according to X"), an attack verb or noun ("shelled X", "captured X", "an attack on X"), or a
  region after it ("X, Donetsk", "X (Luhansk)"): a place when the gazetteer knows it as a town,
  subdivision or country; with a region after it as well ("near X, Kherson"), even when it does not;
- the next item of a list that one of these cues began ("in Palmyra and X", "the towns of X, Y and
  Z") counts as having that cue; a subdivision or country right after a place and a comma ("X,
  Kherson") is that place's region.

A name is never read so where the article shows it is a person's or an organisation's: written after
a title ("President X", "Mr X"), the subject of a speech verb ("X said"), a word of a longer person's
name elsewhere ("Ahmed X"), an actor of the lexicon, an acronym. The cue words are
data/place_cues.yaml.

Then, once names are resolved, :func:`apply_containers` reads "Tonenke, Donetsk" as a town inside a
region and :func:`near_spellings` matches "Zaporizhia" to a region of a country the article names.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import load_data
from ..read.nlp import per_doc
from ..read.reporting_verbs import tagged
from ..records import Place
from .gazetteer import Entry, Gazetteer, load_place_context, normalize_name

__all__ = ["CueMention", "apply_containers", "cue_mentions", "is_common_word", "is_mixed_acronym", "load_cues",
           "near_spellings", "person_words", "place_from_entry", "strong_place_evidence", "written_lower_elsewhere"]

# Entity labels whose words may still be a place: the small model's usual mistakes on town names.
RELABEL = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
_MAX_RUN = 6  # tokens, hyphens included ("Mazar-e-Sharif" is five)
_MIN_ALIAS_POPULATION = 10_000  # a town found by one of its other names must be at least this big
# Joined by hyphens inside a name: "al-Bukamal", "Mazar-e-Sharif", "Rostov-on-Don".
_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "az", "an", "e", "ez", "es", "ul", "ur",
                        "bin", "ibn", "de", "du", "la", "le", "sur", "on", "upon", "am", "der"})
# Written apart inside a name: "Davao del Sur", "Deir ez Zor", "Bergen op Zoom".
_SPACED_PARTICLES = frozenset({"al", "el", "ez", "ad", "ul", "ur", "bin", "ibn", "de", "del", "della", "di", "da",
                               "dos", "das", "du", "la", "les", "los", "van", "von", "der", "den", "op", "aan"})
_LIST_GAP = frozenset({",", "and", "or", "&"})
_REGION_GAP = frozenset({",", "("})
_ITEM_END = frozenset({".", ";", ":", "(", ")", "!", "?"})
_AREA_KINDS = frozenset({"continent", "country", "macroregion", "admin1"})
_TOWN_KINDS = frozenset({"city", "admin2"})

Known = Callable[[str], list[Entry]]


@dataclass(frozen=True)
class Cues:
    settlement_nouns: frozenset[str]
    locative_preps: frozenset[str]
    non_locative_before: frozenset[str]
    locative_nouns: frozenset[str]
    attack_verbs: frozenset[str]
    attack_nouns: frozenset[str]
    person_titles: frozenset[str]
    speech_verbs: frozenset[str]
    common_words: frozenset[str] = frozenset()  # person_titles included


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """data/place_cues.yaml."""
    data = load_data("place_cues.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key) or ())

    return Cues(words("settlement_nouns"), words("locative_preps"), words("non_locative_before"),
                words("locative_nouns"), words("attack_verbs"), words("attack_nouns"), words("person_titles"),
                frozenset(tagged("person_subject")), words("common_words") | words("person_titles"))


@dataclass(frozen=True)
class CueMention:
    """A run of tokens (end exclusive) that its cue makes a place; ``keep_unresolved`` where the cue
    alone is enough ("the town of X"), so that a name the gazetteer lacks is still a place."""

    start: int
    end: int
    cue: str
    keep_unresolved: bool


# --- recognition by cue words ----------------------------------------------------------------------


def cue_mentions(doc: Any, taken: Sequence[bool], existing: Sequence[tuple[int, int]], known: Known,
                 lookup: Known, is_demonym: Callable[[str], bool]) -> list[CueMention]:
    """Places among the name runs of ``doc`` outside ``taken`` tokens, found by their cue words.

    ``existing`` are the places already found (token bounds), which start and extend lists; ``known``
    gives a name's gazetteer candidates as running text reads them, ``lookup`` every place of that
    name (a region after a name may be a stem: "Kherson" for Kherson Oblast).
    """
    cues = load_cues()
    persons = _person_words(doc, cues)
    list_cue: dict[int, str | None] = {}  # end token of a place -> the cue its list carries
    runs = _runs(doc, taken)
    found: list[CueMention] = []
    items = sorted([(s, e, True) for s, e in existing] + [(s, e, False) for s, e in runs])
    for start, end, is_place in items:
        if is_place:
            list_cue[end] = _start_cue(doc, start, cues) or _inherited(doc, start, end, list_cue)
            continue
        mention = _read_run(doc, start, end, cues, (known, lookup), persons, list_cue, is_demonym)
        if mention is not None:
            found.append(mention)
            list_cue[mention.end] = mention.cue if mention.cue in {"settlement", "locative", "attack"} else None
    return found


def _read_run(doc: Any, start: int, end: int, cues: Cues, gaz: tuple[Known, Known], persons: set[str],
              list_cue: dict[int, str | None], is_demonym: Callable[[str], bool]) -> CueMention | None:
    """Whether one run of names is a place, and by which cue."""
    known, lookup = gaz
    follows = _region_follows(doc, end, lookup)
    own = _start_cue(doc, start, cues)
    cue = own or _inherited(doc, start, end, list_cue)
    after_place = start >= 2 and doc[start - 1].text in _REGION_GAP and start - 1 in list_cue
    if cue is None and not after_place and not follows:
        return None
    text = doc[start:end].text
    if is_demonym(text) or _looks_like_person(doc, start, end, persons, own == "settlement"):
        return None
    if is_common_word(doc, start, end) and own != "settlement" and not follows:
        return None  # "to Congress", "near Police": a common word needs "the town of X" or "X, <region>"
    if cue is None and not follows:  # "X, Kherson": a region after a place, nothing less
        return CueMention(start, end, "region", False) if _is_area(lookup(text)) else None
    entries = known(text)
    if _is_area(entries) or _is_town(entries):
        return CueMention(start, end, cue or "before region", False)
    if cue == "settlement" or (cue is not None and follows):
        return CueMention(start, end, cue, True)  # "the village of X", "near X, Kherson": the gazetteer lacks X
    return None


# --- common words that are also small places ---------------------------------------------------------

# "MoD", "PoP", "DoD": a short word with a capital inside is an acronym, not a place's name.
_MIXED_ACRONYM = re.compile(r"^[A-Z][a-z]{1,3}[A-Z][A-Za-z]?$")
_NAME_PREFIXES = ("Mc", "Mac", "De", "La", "Le", "Di", "Da", "Du", "Van", "Von")


def is_mixed_acronym(text: str) -> bool:
    """"MoD", "PoP": an acronym written in mixed case (not "McAllen", "DeKalb")."""
    return bool(_MIXED_ACRONYM.match(text)) and not text.startswith(_NAME_PREFIXES)


def is_common_word(doc: Any, start: int, end: int) -> bool:
    """One capitalised word that is a common English word of data/place_cues.yaml (``common_words``:
    offices, institutions, months, compass words, abstract nouns; titles too) or a mixed-case acronym."""
    if end - start != 1:
        return False
    token = doc[start]
    return token.lower_.rstrip(".") in load_cues().common_words or is_mixed_acronym(token.text)


def written_lower_elsewhere(doc: Any, start: int, end: int) -> bool:
    """The article itself writes this one word in lower case ("the police ... Police"): a word."""
    if end - start != 1 or not doc[start].is_alpha:
        return False
    token = doc[start]
    written_lower = per_doc(doc, "lower_counts", _lower_counts).get(token.lower, 0)
    return written_lower - (1 if token.is_lower else 0) > 0


def _lower_counts(doc: Any) -> dict[int, int]:
    """How often each word (its LOWER hash) is written in lower case in ``doc``."""
    if not len(doc):
        return {}
    table = doc.to_array(["LOWER", "IS_LOWER"])
    return dict(Counter(table[table[:, 1] == 1, 0].tolist()))


def strong_place_evidence(doc: Any, start: int, end: int, lookup: Known) -> bool:
    """What makes even a common word a place: "the town of X", "X, <region or country>", "X County"."""
    if _start_cue(doc, start, load_cues()) == "settlement" or _region_follows(doc, end, lookup):
        return True
    return end < len(doc) and (doc[end].lower_ in _admin1_words() or doc[end].lower_ in load_cues().settlement_nouns)


def _is_area(entries: list[Entry]) -> bool:
    return any(e.kind in _AREA_KINDS and e.match in {"name", "alias", "short", "stem"} for e in entries)


def _is_town(entries: list[Entry]) -> bool:
    """A town or county by its own name, or by another of its names when it is no village: the
    alternate names of small places are often words ("Hausa" is one of a Western Saharan village's)."""
    return any(e.kind in _TOWN_KINDS and (e.match == "name" or (e.match == "alias" and e.population >= _MIN_ALIAS_POPULATION))
               for e in entries)


def _start_cue(doc: Any, start: int, cues: Cues) -> str | None:
    """What the words before a name say: "the town of", "near", "shelled", "an attack on", or nothing.
    Up to two lower-case adjectives may stand between ("in northern X", "patrolled coastal X")."""
    i = start - 1
    while i >= 0 and start - i <= 2 and doc[i].pos_ == "ADJ" and doc[i].is_lower:
        i -= 1
    if i < 0:
        return None
    prev = doc[i]
    word = prev.lower_
    before = doc[i - 1] if i >= 1 else None
    if word == "of" and before is not None and i == start - 1:
        if before.lemma_.lower() in cues.settlement_nouns or before.lower_ in cues.settlement_nouns:
            return "settlement"
        if before.lower_ in cues.locative_nouns or before.lower_ in cues.locative_preps:
            return "locative"  # "the outskirts of X", "outside of X"
        if before.lemma_.lower() in cues.attack_nouns:
            return "attack"  # "the siege of X"
        return None
    if word in cues.locative_preps and prev.pos_ in {"ADP", "SCONJ", "ADV", "PART"}:
        return None if before is not None and before.lower_ in cues.non_locative_before else "locative"
    if word in {"on", "against"} and before is not None and before.lemma_.lower() in cues.attack_nouns:
        return "attack"  # "an attack on X", "the offensive against X"
    if prev.pos_ == "VERB" and prev.lemma_.lower() in cues.attack_verbs:
        return "attack"
    return None


def _inherited(doc: Any, start: int, end: int, list_cue: dict[int, str | None]) -> str | None:
    """The cue of the list this name continues: "in Palmyra and X", "the towns of A, B and X". After a
    bare comma the name must be followed by another separator or the end of the sentence, as list
    items are ("the city of Multan, Deputy Inspector-General of Police ..." is no list)."""
    i = start - 1
    if i < 1 or doc[i].lower_ not in _LIST_GAP:
        return None
    if doc[i].lower_ in {"and", "or"} and doc[i - 1].text == ",":
        i -= 1  # the serial comma
    elif doc[i].text == "," and end < len(doc) and doc[end].lower_ not in _LIST_GAP | _ITEM_END:
        return None
    return list_cue.get(i)


def _region_follows(doc: Any, end: int, lookup: Known) -> bool:
    """"X, Donetsk", "X, Sumy region", "X (Luhansk)": a subdivision or country right after the name."""
    if end + 1 >= len(doc) or doc[end].text not in _REGION_GAP:
        return False
    start = end + 1
    for stop in range(min(len(doc), start + 3), start, -1):
        span = doc[start:stop]
        if not span[0].text[:1].isupper() or any(not t.is_alpha and t.text != "-" for t in span):
            continue
        if stop < len(doc) and _capital(doc[stop]) and doc[stop].lower_ not in _admin1_words():
            continue  # "Beijing Health Bureau" is no region
        if _is_area(lookup(span.text)):
            return True
    return False


@lru_cache(maxsize=1)
def _admin1_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load_place_context()["admin1_words"])


def _runs(doc: Any, taken: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of name-like tokens outside places already found and outside entities of other
    kinds (dates, numbers); hyphenated particles join ("al-Bukamal", "Mazar-e-Sharif")."""
    runs: list[tuple[int, int]] = []
    may_start = _start_candidates(doc)
    i = 0
    while i < len(doc):
        if not (may_start[i] and _may_start(doc, i, taken)):
            i += 1
            continue
        j = i
        while j < len(doc) and j - i < _MAX_RUN and _in_name(doc, j, i, taken):
            j += 1
        while j > i and not _capital(doc[j - 1]):
            j -= 1  # a run ends on a capitalised word
        if j < len(doc) and doc[j].ent_iob_ == "I" and doc[j].text != ",":
            i = max(j, i + 1)  # ... and where its entity ends ("Vanderbilt University Medical Center")
            continue
        if j > i:
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _start_candidates(doc: Any) -> list[bool]:
    """Per token, whether it may start a name (see _may_start), from the Doc's arrays: no Token built."""
    from spacy.attrs import LOWER, ORTH

    strings, particles = doc.vocab.strings, _PARTICLES | _SPACED_PARTICLES
    return [strings[orth][:1].isupper() or strings[lower] in particles for orth, lower in doc.to_array([ORTH, LOWER]).tolist()]


def _free(token: Any, taken: Sequence[bool]) -> bool:
    return not taken[token.i] and (not token.ent_type_ or token.ent_type_ in RELABEL or _misread_date(token))


def _misread_date(token: Any) -> bool:
    """"in Manbij" tagged DATE: a proper noun of letters only that is no month or day name (the common
    words of place_cues.yaml) is a name the small model took for a date."""
    return bool(token.ent_type_ == "DATE" and token.pos_ == "PROPN" and token.is_alpha
                and not is_common_word(token.doc, token.i, token.i + 1))


def _capital(token: Any) -> bool:
    return token.is_alpha and token.text[:1].isupper() and not token.is_stop and token.pos_ in {"PROPN", "NOUN", "ADJ"}


def _joined(doc: Any, i: int) -> bool:
    """A hyphen or a particle written against its neighbours: "al-", "-e-"."""
    token = doc[i]
    before = i > 0 and not doc[i - 1].whitespace_
    after = bool(i + 1 < len(doc) and not token.whitespace_)
    if token.text in {"-", "‑"}:
        return before and after
    if token.lower_ in _SPACED_PARTICLES and i + 1 < len(doc) and _capital(doc[i + 1]):
        return True  # "Davao del Sur", "Ras al Ain"
    return token.lower_ in _PARTICLES and token.is_lower and (after and doc[i + 1].text == "-")


def _may_start(doc: Any, i: int, taken: Sequence[bool]) -> bool:
    """A name starts where an entity starts (or after its "the"), never after a possessive."""
    token = doc[i]  # asked of every token: each doc[i] builds a new Token
    if not _free(token, taken):
        return False
    before = doc[i - 1]  # the last token when i == 0 (as it always was)
    if i > 0 and before.lower_ in {"'s", "’s"}:
        return False
    if token.ent_iob_ == "I" and before.text != "," and not (before.ent_iob_ == "B" and before.lower_ == "the"):
        return False  # "University of California": a word inside another kind's name
    if _capital(token):
        return True
    return _joined(doc, i) and token.text not in {"-", "‑"} and i + 2 < len(doc) and _capital(doc[i + 2])


def _in_name(doc: Any, j: int, start: int, taken: Sequence[bool]) -> bool:
    token = doc[j]
    if not _free(token, taken):
        return False
    if j > start and doc[j - 1].whitespace_ and doc[j - 1].text in {"-", "‑"}:
        return False
    return _capital(token) or _joined(doc, j)


# --- who is a person here --------------------------------------------------------------------------


def person_words(doc: Any) -> set[str]:
    """The normalised names the article surely gives people: after a title, the words of longer person
    names, actors of the lexicon (not the subjects of speech verbs: "Fort Hood said" is a base)."""
    return _person_words(doc, load_cues(), speakers=False)


def _person_words(doc: Any, cues: Cues, speakers: bool = True) -> set[str]:
    """Names the article shows are people's: after a title, subjects of speech verbs, the words of
    longer person names, actors of the lexicon."""
    names: set[str] = set()
    for ent in doc.ents:
        if ent.ent_id_ and ent.label_ in RELABEL:
            names.add(normalize_name(ent.text))  # an actor of the lexicon
        if ent.label_ == "PERSON" and len(ent) > 1:
            names.update(normalize_name(t.text) for t in ent if t.is_alpha and t.text[:1].isupper())
    for i in _title_or_subject_indexes(doc, cues, speakers):  # Tokens only where one may be
        token = doc[i]
        if token.lower_.rstrip(".") in cues.person_titles and token.i + 1 < len(doc):
            nxt = doc[token.i + 1]
            if nxt.text[:1].isupper() and nxt.is_alpha:
                names.add(normalize_name(nxt.text))
        if speakers and token.dep_ in {"nsubj"} and token.pos_ == "PROPN" and token.head.lemma_.lower() in cues.speech_verbs:
            names.add(normalize_name(_compound_name(token)))
            names.add(normalize_name(token.text))
    return names


def _title_or_subject_indexes(doc: Any, cues: Cues, speakers: bool) -> list[int]:
    """The tokens that are a person title or (``speakers``) a proper-noun subject, from the Doc's arrays."""
    from spacy.attrs import DEP, LOWER, POS
    from spacy.symbols import PROPN, nsubj

    strings, titles = doc.vocab.strings, {}
    for lower, _, _ in (rows := doc.to_array([LOWER, DEP, POS]).tolist()):
        if lower not in titles:
            titles[lower] = strings[lower].rstrip(".") in cues.person_titles
    return [i for i, (lower, dep, pos) in enumerate(rows) if titles[lower] or (speakers and dep == nsubj and pos == PROPN)]


def _compound_name(token: Any) -> str:
    left = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    start = left[0].i if left else token.i
    return str(token.doc[start : token.i + 1].text)


def _looks_like_person(doc: Any, start: int, stop: int, persons: set[str], settlement: bool = False) -> bool:
    """Whether the article shows the name is a person's or an organisation's; after "the town of" a
    title word may begin a place's name ("the village of Sheikh Najjar")."""
    if normalize_name(doc[start:stop].text) in persons:
        return True
    titles = load_cues().person_titles
    if doc[start].lower_.rstrip(".") in titles and not settlement:
        return True  # "Deputy Inspector-General"
    if start > 0 and doc[start - 1].lower_.rstrip(".") in titles:
        return True  # "President X"
    after = doc[stop] if stop < len(doc) else None
    if after is not None and after.lower_ in {"'s", "’s"}:
        return True  # "near Goma's house"
    text = doc[start:stop].text
    return len(text) <= 5 and text.isupper()  # an acronym: an organisation ("NISA", "IS")


# --- a place named with its region, and near spellings -----------------------------------------


def place_from_entry(entry: Entry | None, start: int, end: int, text: str, role: str = "literal") -> Place:
    """The record for a mention: resolved from a gazetteer entry, or unresolved with a note."""
    if entry is None:
        return Place(start, end, text, None, text, None, None, None, None, "unknown", "unknown",
                     note="not in gazetteer", role=role)
    note = None if entry.lat is not None else "the gazetteer has no coordinates for this place"
    return Place(
        start, end, text, entry.geonameid if entry.geonameid > 0 else None, entry.name, entry.country,
        entry.admin1, entry.lat, entry.lon, entry.feature, entry.precision, note=note, role=role,
    )


def near_spellings(places: list[Place], gazetteer: Gazetteer) -> None:
    """Unresolved names spelt almost like a region of a country the article names ("Zaporizhia")."""
    countries = {p.country for p in places if p.country}
    for place in places:
        if place.geonameid is not None or place.country is not None or place.role != "literal":
            continue
        entry = gazetteer.admin1_near_spelling(place.text, countries)
        if entry is not None:
            _replace(place, place_from_entry(entry, place.start, place.end, place.text, place.role))
            place.note = f"spelling matched to {entry.name}"


# "Tonenke, Donetsk", "Berylivka, Chernihiv region": a place followed by the region that contains it.
_CONTAINER_GAP = {", ", " (", ", in "}
_BIG_TOWN = 100_000


def apply_containers(places: list[Place], body: str, gazetteer: Gazetteer) -> None:
    """A place named with its region: read the second as the region, the first inside it.

    Only at the end of a list ("Lagos, Abuja, Kano" names three towns, not a town in a region), only
    where the second name is foremost a region, and never against a big town the first name resolved to.
    """
    for index, (inner, outer) in enumerate(itertools.pairwise(places)):
        if body[inner.end:outer.start] not in _CONTAINER_GAP or inner.role != "literal":
            continue
        following = places[index + 2] if index + 2 < len(places) else None
        if following is not None and body[outer.end:following.start] in {", ", " and ", ", and "}:
            continue
        region = _as_region(outer, gazetteer)
        if region is None or (inner.country and inner.country != region.country) or _is_big_town(inner, gazetteer):
            continue
        if outer.precision != "region":
            _replace(outer, place_from_entry(region, outer.start, outer.end, outer.text, outer.role))
        if inner.admin1 == region.admin1:
            continue
        inside = [e for e in gazetteer.lookup(inner.text) if e.admin1 == region.admin1 and e.kind == "city"]
        if inside:
            _replace(inner, place_from_entry(inside[0], inner.start, inner.end, inner.text, inner.role))
        else:
            # No place of that name in the region the text names: known only as far as that region.
            _replace(inner, place_from_entry(region, inner.start, inner.end, inner.text, inner.role))
            inner.name = inner.text
            inner.geonameid = None
            inner.note = f"not in the gazetteer within {region.name}, named after it; placed in that region"


def _is_big_town(place: Place, gazetteer: Gazetteer) -> bool:
    entry = gazetteer.get(place.geonameid) if place.geonameid else None
    return entry is not None and entry.kind != "admin1" and entry.population >= _BIG_TOWN


def _as_region(place: Place, gazetteer: Gazetteer) -> Entry | None:
    if place.precision == "region":
        return gazetteer.get(place.geonameid) if place.geonameid else None
    entries = gazetteer.lookup(place.text)
    return entries[0] if entries and entries[0].kind == "admin1" else None  # foremost a region


def _replace(place: Place, new: Place) -> None:
    for name in ("geonameid", "name", "country", "admin1", "lat", "lon", "feature", "precision", "note"):
        setattr(place, name, getattr(new, name))
