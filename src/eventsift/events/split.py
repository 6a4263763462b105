"""One record per place: an event whose clause names two or more distinct places becomes one per place.

ACLED's unit is one actor pair, one location, one day. "Bombs exploded outside the U.S. embassies in
Nairobi, Kenya, and Dar es Salaam, Tanzania" is two events, one in each city; "the bombings killed 247
people in Kenya and 10 in Tanzania" two events with their own tolls.

- :func:`event_places`: the event's place (:func:`eventsift.events.args.event_place`) and the places
  coordinated with it in the trigger's sentence ("in A and B", "in A, X, and B, Y", "at camps in A and a
  plant in B", "killed 3 in A and 5 in B"), one per distinct town, region or country, in text order.
  A container named with its town ("Nairobi, Kenya") is that town, not a second place.
- :func:`place_fatalities`: the toll the sentence gives that place ("247 people in Kenya"), else None:
  a total for several places ("killed 258 people") belongs to none of them alone.
- :func:`split_by_place`: the event, copied once per place with that place and its toll.
"""

from __future__ import annotations

import copy
import logging
import re
from functools import lru_cache
from typing import Any

from ..records import Article, Event, Fatalities, Place, Span
from .args import argument_words
from .fatalities import (
    _casualty_lemmas,
    _casualty_words,
    _is_date_number,
    _next_sentence,
    _number,
    _numbers,
    _toll_sentence,
    event_fatalities,
)
from .place import _inside_other_name, finer_place, sentence_place
from .types import Trigger

__all__ = ["event_places", "place_fatalities", "split_by_place"]

log = logging.getLogger(__name__)

_FINE = {"point": 0, "city": 1, "region": 2, "country": 3}
# Prepositions that join two places as ends of one event, not as two events.
_NOT_PARALLEL = frozenset({"between", "from", "to", "towards", "toward", "into", "through", "across", "along"})


def event_places(trigger: Trigger, article: Article) -> list[Place]:
    """The event's distinct places, in text order: one where the sentence names one, several where it
    names coordinated places under the same preposition (or parallel ones: "3 in A and 5 in B")."""
    chosen = sentence_place(trigger, article)
    doc = article.doc
    if chosen is None or doc is None or (chosen.note or "").startswith("from context"):
        return [chosen] if chosen is not None else []
    key = _coordination(chosen, doc)
    if key is None:
        return [chosen]
    group = [chosen]
    for place in article.places:
        if place is chosen or place.role != "literal" or not (trigger.sentence_start <= place.start
                                                             and place.end <= trigger.sentence_end):
            continue
        if _inside_other_name(place, article):
            continue
        other = _coordination(place, doc)
        if other is not None and _parallel(key, other):
            group.append(place)
    if len(group) < 2:
        return [chosen]
    units = _distinct(_without_containers(group))
    return sorted(units, key=lambda p: p.start) if len(units) > 1 else [chosen]


def _coordination(place: Place, doc: Any) -> tuple[Any, Any, str | None] | None:
    """(top of the place's coordination, the word its preposition hangs on, the preposition)."""
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    top = span.root
    for _ in range(8):
        if top.dep_ in {"conj", "appos"} and top.head.i != top.i:
            top = top.head
        else:
            break
    if top.dep_ == "pobj" and top.head.dep_ in {"prep", "agent"}:
        prep = top.head
        return top, prep.head, prep.lower_
    return top, None, None


def _parallel(a: tuple[Any, Any, str | None], b: tuple[Any, Any, str | None]) -> bool:
    top_a, anchor_a, prep_a = a
    top_b, anchor_b, prep_b = b
    if top_a.i == top_b.i:
        return prep_a not in _NOT_PARALLEL  # "in A and B", "in A, X, and B, Y"
    if prep_a is None or prep_a != prep_b or prep_a in _NOT_PARALLEL or prep_a not in argument_words().locative:
        return False
    if anchor_a is None or anchor_b is None:
        return False
    if anchor_a.i == anchor_b.i:
        return True  # "killed 130 in Paris last November and 32 in Brussels"
    # "camps in A and a plant in B", "killed 247 people in A and 10 in B"; not two verbs' places ("lived
    # in A and was visiting B"): those are two clauses, each with its own event or none
    verbs = {"VERB", "AUX"}
    if anchor_a.pos_ in verbs and anchor_b.pos_ in verbs:
        return False
    if anchor_b.i in {t.i for t in anchor_a.conjuncts}:
        return True
    # the parser hangs the second noun on the first place: "camps in A and [a plant in B]" as "A and plant"
    return anchor_b.i in {top_a.i, *(t.i for t in top_a.conjuncts)} or anchor_a.i in {top_b.i, *(t.i for t in top_b.conjuncts)}


def _contains(big: Place, small: Place) -> bool:
    """``big`` is a country or region that holds ``small``, a finer place."""
    if _FINE.get(big.precision, 9) <= _FINE.get(small.precision, 9) or big.country is None:
        return False
    if big.precision == "country":
        return small.country == big.country
    return big.admin1 is not None and small.admin1 == big.admin1


def _without_containers(places: list[Place]) -> list[Place]:
    """"Nairobi, Kenya": Kenya says where Nairobi is; it is no place of its own."""
    return [p for p in places if not any(q is not p and _contains(p, q) for q in places)]


def _distinct(places: list[Place]) -> list[Place]:
    """One place per town, region or country, in text order."""
    kept: list[Place] = []
    for place in sorted(places, key=lambda p: p.start):
        if all(_apart(place, other) for other in kept):
            kept.append(place)
    return kept


def _apart(a: Place, b: Place) -> bool:
    if a.country and b.country and a.country != b.country:
        return True
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return True
    towns = {"point", "city"}
    return a.precision in towns and b.precision in towns and (a.geonameid != b.geonameid or a.name != b.name)


# --- tolls per place ------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _number_before_place() -> re.Pattern[str]:
    nums = _numbers()
    unit = "|".join(sorted((re.escape(w) for w in nums["units"] if len(w) > 2), key=len, reverse=True))
    number = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{unit})(?:[\s-]+(?:{unit}))*)"
    people = "|".join(re.escape(w) for w in _casualty_words()["people_words"])
    return re.compile(
        rf"\b(?P<num>{number})(?:\s+(?:[\w-]+\s+)?(?:{people}))?(?:\s+(?:fatalities|deaths|dead))?"
        rf"(?:\s+(?:were|was|are|have\s+been|had\s+been))?(?:\s+(?:killed|dead|died|recorded|reported|confirmed))?"
        rf"\s+(?:in|at|near|outside|inside|on)\s+(?:the\s+)?(?:[\w.'-]+,?\s+){{0,3}}$",
        re.IGNORECASE)


def place_fatalities(trigger: Trigger, article: Article, place: Place, places: list[Place]) -> Fatalities | None:
    """The toll the trigger's sentence gives this one of the event's places ("killed 247 people in Kenya
    and 10 in Tanzania"), or None: a toll for all the places together is no place's own."""
    if len(places) < 2:
        return event_fatalities(trigger, article)
    ordered = sorted(places, key=lambda p: p.start)
    at = next((n for n, p in enumerate(ordered) if p is place), None)
    if at is None:
        return None
    window_start = ordered[at - 1].end if at > 0 else trigger.sentence_start
    found = _toll_before(article, trigger.sentence_start, window_start, place.start)
    if found is None:
        following = _next_sentence(trigger, article)
        if following is not None and _toll_sentence(trigger, following, article):
            found = _toll_in_next(article, following, place)  # "... killed 258. Of those, 11 died in Tanzania."
    return found


def _toll_in_next(article: Article, following: tuple[int, int], place: Place) -> Fatalities | None:
    """The next sentence's toll for this place, or its country or region ("11 were killed in Tanzania")."""
    for other in article.places:
        if not (following[0] <= other.start and other.end <= following[1]) or other.role != "literal":
            continue
        if other.name == place.name or _contains(other, place):
            window_start = max([following[0], *(p.end for p in article.places
                                                if following[0] <= p.start and p.end <= other.start)])
            found = _toll_before(article, following[0], window_start, other.start)
            if found is not None:
                return found
    return None


def _toll_before(article: Article, sentence_start: int, window_start: int, place_start: int) -> Fatalities | None:
    """A death count right before "in <place>": "247 people in Kenya", "11 were killed in Tanzania"."""
    body = article.body
    window = body[window_start:place_start]
    match = _number_before_place().search(window)
    if match is None:
        return None
    start, end = window_start + match.start("num"), window_start + match.end("num")
    if _is_date_number(article, start, end) or not _death_context(article, sentence_start, start, window_start + match.end()):
        return None
    value = _number(match.group("num"))
    if value is None:
        return None
    return Fatalities(value, value, value, None, Span(start, window_start + match.end(), body[start:window_start + match.end()]))


def _death_context(article: Article, sentence_start: int, start: int, end: int) -> bool:
    """The number counts the dead: the nearest casualty word before it (or in it) reports deaths."""
    words = _casualty_words()
    death = {str(w).lower() for w in words["death_words"]}
    casualty = _casualty_lemmas()
    if re.search(r"\b(?:killed|dead|died|fatalities|deaths)\b", article.body[start:end], re.IGNORECASE):
        return True
    before = re.findall(r"[\w’'-]+", article.body[sentence_start:start].lower())
    for word in reversed(before):
        if word in casualty:
            return word in death
    return False


def split_by_place(event: Event, trigger: Trigger, article: Article) -> list[Event]:
    """The event once per distinct place its clause names, each with its place and its own toll; the
    event itself where it has one place. The copies share nothing mutable."""
    places = event_places(trigger, article)
    if len(places) < 2 or event.in_title:
        return [event]
    out = []
    for place in places:
        copy_ = copy.deepcopy(event)
        # each place narrowed to the article's one town in it ("in Kenya and Tanzania": the towns)
        copy_.place = finer_place(place, trigger, article)
        copy_.fatalities = place_fatalities(trigger, article, place, places)
        out.append(copy_)
    log.debug("%s: %r split over %d places", article.id, trigger.text, len(out))
    return out
