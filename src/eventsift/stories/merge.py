"""Stories: one real-world event reported by many articles, every value with who reported it.

The merge rule (thresholds in data/story_rules.yaml; docs/stories.md explains it to users). An event
joins a candidate story when it is COMPATIBLE with every event of the story and TIED to at least one:

Compatible
  - same ACLED event type (or a pair the rules list as compatible; none by default);
  - same temporal frame: "past" and "habitual" never merge with "new" ("new" and "ongoing" do);
  - status: asserted, claimed, unverified and denied merge with each other (a claim and its denial make
    one disputed story); planned, hypothetical and negated only with their own status;
  - dates: dates stated in the text overlap as ranges, 1 day apart at most for day precision; a side
    with no stated date ("reported", "unknown", none) is dated by its publication date, within 2 days;
  - places: two precise places (city/point) within 25 km; a region on either side: same admin1; a
    country: same country; a place guessed from context, or a missing one, does not separate;
  - actor1: two named actors conflict when they differ (two entries of the actor list; else names,
    case-insensitively, unless one name is a run of the other's words: "Hill Brigade" / "Hill
    Brigade fighters"); for battles one report's actor1 may be the other's actor2;
  - actor2: the same, where both reports name it as an entity ("civilians" names nobody);
  - never two events of one article: the in-article rule (events.same_event) already kept them apart.
Tied by
  - the same syndication group (copies of one report); the same named actor1 at one spot (or with no
    place on either side, on the same day); the same claimant entity; or precise places within 10 km
    with the same sub-event type.

Candidates are scored (ties, closeness of places and of dates) and the best one wins; between equal
scores, the one told alike in more fields, then the one whose event sentence shares more names; when
even those are equal, a new story. The reason line names what matched. ``summarise_story`` builds
the contract's story item: headline values chosen by stated rules, and every member's value with its
words ("fields"), disagreements kept side by side.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..records import Actor, Event, Fatalities, Place, Span, When

__all__ = ["MergeDecision", "StoryMember", "StoryRules", "candidate_window", "new_story_id", "rules",
           "story_columns", "story_match", "summarise_story"]

FIELDS = ("acled_event_type", "acled_sub_event_type", "place", "when", "actor1", "actor2", "fatalities", "status")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_EARTH_KM = 6371.0088
_WHEN_KEYS = ("start", "end", "precision", "text")
DateRange = tuple[date, date]


@dataclass
class StoryMember:
    """One event of one stored article, with what the story needs to know about the article."""

    event: Event  # spans point into the article's body (or title/standfirst when event.in_title)
    event_key: str  # "{article_id}:{event.id}"
    article_id: str
    group: str  # syndication group id, or the article id when it has none
    published: str | None  # YYYY-MM-DD
    source: str | None
    title: str | None
    url: str | None


@dataclass(frozen=True)
class MergeDecision:
    """Which candidate story an event joins, why (one line), and how strongly."""

    index: int
    reason: str
    score: float


@dataclass(frozen=True)
class StoryRules:
    """data/story_rules.yaml, read once."""

    day_slack_days: int
    published_window_days: int
    weak_precisions: frozenset[str]
    precise: frozenset[str]
    max_km: float
    tight_km: float
    guess_note_prefix: str
    placed_in_region: str
    precision_rank: tuple[tuple[str, int], ...]
    unnamed: frozenset[str]
    symmetric_types: frozenset[str]
    compatible_types: frozenset[frozenset[str]]
    real: frozenset[str]
    not_credible: frozenset[str]
    temporal_pairs: frozenset[frozenset[str]]
    tie_weight: float
    place_weight: float
    date_weight: float
    fatalities_rule: str

    def rank(self, precision: str) -> int:
        return dict(self.precision_rank).get(precision, len(self.precision_rank))


@lru_cache(maxsize=1)
def rules() -> StoryRules:
    text = resources.files("eventsift.data").joinpath("story_rules.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    dates, places, actors, score = raw["dates"], raw["places"], raw["actors"], raw["score"]
    return StoryRules(
        day_slack_days=int(dates["day_slack_days"]),
        published_window_days=int(dates["published_window_days"]),
        weak_precisions=frozenset(dates["weak_precisions"]),
        precise=frozenset(places["precise"]),
        max_km=float(places["max_km"]),
        tight_km=float(places["tight_km"]),
        guess_note_prefix=str(places["guess_note_prefix"]),
        placed_in_region=str(places["placed_in_region"]),
        precision_rank=tuple((str(k), int(v)) for k, v in places["precision_rank"].items()),
        unnamed=frozenset(_norm(n) for n in actors["unnamed"]),
        symmetric_types=frozenset(actors["symmetric_event_types"]),
        compatible_types=frozenset(frozenset(pair) for pair in raw["types"]["compatible"] or []),
        real=frozenset(raw["status"]["real"]),
        not_credible=frozenset(raw["status"]["not_credible"]),
        temporal_pairs=frozenset(frozenset(pair) for pair in raw["temporal"]["compatible"] or []),
        tie_weight=float(score["tie"]),
        place_weight=float(score["place"]),
        date_weight=float(score["date"]),
        fatalities_rule=" ".join(str(raw["fatalities"]["rule"]).split()),
    )


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- dates -------------------------------------------------------------------------------------------


def _bound(value: str | None, *, last: bool) -> date | None:
    """YYYY[-MM[-DD]] as its first (or last) day; None when it is no date."""
    match = _DATE.fullmatch(value or "")
    if match is None:
        return None
    year = int(match[1])
    month = int(match[2]) if match[2] else (12 if last else 1)
    try:
        day = int(match[3]) if match[3] else (monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError:
        return None


def _stated_range(when: When | None) -> DateRange | None:
    """The days a date stated in the text covers; None for publication-date fallbacks and non-dates."""
    if when is None or when.precision in rules().weak_precisions:
        return None
    start, end = _bound(when.start, last=False), _bound(when.end or when.start, last=True)
    return (start, end) if start is not None and end is not None and start <= end else None


def _anchor(member: StoryMember) -> tuple[DateRange | None, bool]:
    """The days a member is compared on, and whether its text states them (else: publication date)."""
    stated = _stated_range(member.event.when)
    if stated is not None:
        return stated, True
    when = member.event.when
    for value in (member.published, when.start if when else None):
        day = _bound(value, last=False) if value and len(value) == 10 else None
        if day is not None:
            return (day, day), False
    return None, False


_CALENDAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _calendar_date(when: When | None) -> bool:
    """The date's words name the year themselves ("14 March 2023"), so no reading against a
    publication time moved it."""
    return bool(when and when.text and _CALENDAR.search(when.text))


def _gap(a: DateRange, b: DateRange) -> int:
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


def _show(span: DateRange) -> str:
    return span[0].isoformat() if span[0] == span[1] else f"{span[0].isoformat()}..{span[1].isoformat()}"


@dataclass(frozen=True)
class _Check:
    ok: bool
    text: str
    measure: float | None = None  # days apart for dates, km for places


def _date_check(new: StoryMember, old: StoryMember) -> _Check:
    r = rules()
    (a, a_stated), (b, b_stated) = _anchor(new), _anchor(old)
    if a is None or b is None:
        return _Check(True, "no date to compare")
    gap = _gap(a, b)
    if a_stated and b_stated:
        precisions = {m.event.when.precision for m in (new, old) if m.event.when}
        # Slack for dates read relative to publication ("overnight", "yesterday"); two calendar
        # dates the texts spell out ("14 March 2023") mean what they say.
        relative = not (_calendar_date(new.event.when) and _calendar_date(old.event.when))
        limit = r.day_slack_days if "day" in precisions and relative else 0
        if gap == 0:
            return _Check(True, f"dates overlap ({_show((max(a[0], b[0]), min(a[1], b[1])))})", 0)
        return _Check(gap <= limit, f"dates {gap} day(s) apart ({_show(a)} / {_show(b)})", gap)
    text = f"dated by publication, {gap} day(s) apart ({_show(a)} / {_show(b)})"
    return _Check(gap <= r.published_window_days, text, gap)


# --- places ------------------------------------------------------------------------------------------


def _guess(place: Place) -> bool:
    return bool(place.note and place.note.startswith(rules().guess_note_prefix))


def _level(place: Place) -> int:
    """0: precise with coordinates; 1: admin1 known; 2: country known; 3: unresolved."""
    if place.precision in rules().precise and place.lat is not None and place.lon is not None:
        return 0
    if place.admin1 and place.precision != "country":
        return 1
    return 2 if place.country else 3


def _km(a: Place, b: Place) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _locality(place: Place) -> bool:
    """A town or village, whether or not the gazetteer knows it; a village it lacks may have been
    placed in its region (places.py says so in the note). Regions and countries are not localities."""
    if place.precision in {"region", "country"}:
        return bool(place.geonameid is None and place.note and rules().placed_in_region in place.note)
    return bool(place.text.strip())


def _place_name(place: Place) -> str:
    return _norm(place.text if place.geonameid is None else place.name)


def _place_check(a: Place | None, b: Place | None) -> _Check:
    if a is None or b is None:
        return _Check(True, "place named in one report only" if a or b else "no place named")
    if _guess(a) or _guess(b):
        return _Check(True, f"a place guessed from context does not separate ({a.name} / {b.name})")
    names = f"({a.name} / {b.name})"
    if a.country and b.country and a.country != b.country:
        return _Check(False, f"different countries {names}")
    level = max(_level(a), _level(b))
    if level == 0:
        km = _km(a, b)
        return _Check(km <= rules().max_km, f"places {km:.0f} km apart {names}", km)
    if _locality(a) and _locality(b):
        # Two towns with no distance to compare (one or both missing from the gazetteer): the names decide.
        same = _place_name(a) == _place_name(b)
        return _Check(same, f"same place name ({a.text})" if same else f"different places {names}", 0.0 if same else None)
    if level == 1 and a.admin1 and b.admin1:
        same = a.admin1 == b.admin1
        return _Check(same, f"same admin1 ({a.admin1}) {names}" if same else f"different admin1 {names}")
    if level <= 2 and a.country and b.country:
        return _Check(True, f"same country ({a.country}) {names}")
    return _Check(True, f"place unresolved {names}")


# --- actors, types, status ---------------------------------------------------------------------------


def _named(actor: Actor | None) -> bool:
    return actor is not None and _norm(actor.name) not in rules().unnamed and bool(actor.name.strip())


def _same_actor(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None or not _named(a) or not _named(b):
        return False
    if a.entity_id and b.entity_id:
        return a.entity_id == b.entity_id
    return _norm(a.name) == _norm(b.name)


@lru_cache(maxsize=1)
def _listed_ids() -> frozenset[str]:
    """Entity ids of the actor list (data/actors.yaml); other ids are minted from an article's words."""
    from ..read.actors import load_lexicon

    return frozenset(entry.id for entry in load_lexicon())


def _name_words(actor: Actor) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", actor.name.casefold()))


def _told_shorter(a: Actor, b: Actor) -> bool:
    """One name is a run of the other's words ("Hill Brigade" / "Hill Brigade fighters",
    "Millbrook" / "Millbrook, South Province"): one actor, named at more or less length."""
    short, long = sorted((_name_words(a), _name_words(b)), key=len)
    return bool(short) and any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _different_actors(a: Actor | None, b: Actor | None) -> bool:
    """Two named actors that cannot be one: two entries of the actor list, or two names of which
    neither is part of the other."""
    if a is None or b is None or not _named(a) or not _named(b) or _same_actor(a, b):
        return False
    listed = _listed_ids()
    if a.entity_id in listed and b.entity_id in listed:
        return True
    return not _told_shorter(a, b)


def _actor_check(a: Event, b: Event) -> _Check:
    symmetric = a.acled_event_type in rules().symmetric_types
    crossed = symmetric and (_same_actor(a.actor1, b.actor2) or _same_actor(a.actor2, b.actor1))
    a1, b1, a2, b2 = a.actor1, b.actor1, a.actor2, b.actor2
    if _different_actors(a1, b1):
        if not crossed:
            return _Check(False, f"different actor1 ({a1.name if a1 else ''} / {b1.name if b1 else ''})")
        return _Check(True, f"sides told the other way round ({a1.name if a1 else ''} / {b1.name if b1 else ''})")
    # The other side only when both reports name it (linked to an entity: "civilians" names nobody).
    if a2 and b2 and a2.entity_id and b2.entity_id and _different_actors(a2, b2) and not crossed:
        return _Check(False, f"different actor2 ({a2.name} / {b2.name})")
    return _Check(True, "")


def _kind_check(a: Event, b: Event) -> _Check:
    r = rules()
    if a.acled_event_type == b.acled_event_type:
        type_ok, text = True, f"same event type ({a.acled_event_type})"
    else:
        type_ok = frozenset({a.acled_event_type, b.acled_event_type}) in r.compatible_types
        text = f"event types {a.acled_event_type} / {b.acled_event_type}"
    frame_ok = a.temporal_status == b.temporal_status or frozenset(
        {a.temporal_status, b.temporal_status}) in r.temporal_pairs
    status_ok = a.status == b.status or (a.status in r.real and b.status in r.real)
    return _Check(type_ok and frame_ok and status_ok, text)


def _shared_claimant(a: Event, b: Event) -> str | None:
    ids = {c.entity_id: c.claimant for c in a.claims if c.entity_id}
    return next((ids[c.entity_id] for c in b.claims if c.entity_id in ids), None)


# --- matching ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    ok: bool
    parts: tuple[str, ...] = ()
    ties: tuple[str, ...] = ()
    score: float = 0.0
    agree: int = 0  # fields told alike: breaks ties between equally scored candidates
    names: float = 0.0  # names shared by the two reports' event sentences: breaks the remaining ties

    def rank(self) -> tuple[float, int, float]:
        return (round(self.score, 9), self.agree, round(self.names, 9))


def _place_support(a: Event, b: Event, km: float | None, days: float | None) -> bool:
    """The two reports are at the same spot (same town, or within tight_km), or neither names a place
    and both are dated to the same day."""
    def located(event: Event) -> bool:
        return event.place is not None and not _guess(event.place)

    if not located(a) and not located(b):
        return days == 0
    if km is not None:
        return km <= rules().tight_km
    # Both known only as one region (no town named on either side): as close as the text lets us say.
    pa, pb = a.place, b.place
    return bool(located(a) and located(b) and pa and pb and pa.precision == pb.precision == "region"
                and not _locality(pa) and not _locality(pb) and pa.admin1 and pa.admin1 == pb.admin1)


def _ties(new: StoryMember, old: StoryMember, km: float | None, days: float | None) -> tuple[str, ...]:
    a, b, r = new.event, old.event, rules()
    found = []
    if new.group == old.group:
        found.append(f"same syndication group ({new.group})")
    # In a war nearly every report names the same army: the doer ties two reports only at one spot.
    if _same_actor(a.actor1, b.actor1) and _place_support(a, b, km, days):
        found.append(f"same actor1 ({a.actor1.name if a.actor1 else ''}) at the same place")
    if km is not None and km <= r.tight_km and a.acled_sub_event_type == b.acled_sub_event_type:
        found.append(f"same sub-event type ({a.acled_sub_event_type}) within {r.tight_km:g} km")
    claimant = _shared_claimant(a, b)
    if claimant:
        found.append(f"same claimant ({claimant})")
    return tuple(found)


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or _guess(a) or _guess(b):
        return False
    return bool(a.geonameid and a.geonameid == b.geonameid) or _place_name(a) == _place_name(b)


def _agreement(new: StoryMember, old: StoryMember) -> int:
    """How many fields the two reports tell alike: sub-event type, actor1, actor2, place, stated date,
    fatality figure. Only used to choose between candidate stories that fit equally well."""
    a, b = new.event, old.event
    stated = _stated_range(a.when)
    figure = _figure(a.fatalities)
    return sum((
        bool(a.acled_sub_event_type) and a.acled_sub_event_type == b.acled_sub_event_type,
        _same_actor(a.actor1, b.actor1),
        _same_actor(a.actor2, b.actor2),
        _same_place(a.place, b.place),
        stated is not None and stated == _stated_range(b.when),
        figure is not None and figure == _figure(b.fatalities),
    ))


_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _names(event: Event) -> frozenset[str]:
    """The capitalised words of the sentences that tell the event (its evidence and mentions), each
    sentence's first word left out: the names that set one report of a formulaic kind apart."""
    return _names_in((event.evidence.text, *(m.text for m in event.mentions)))


@lru_cache(maxsize=50_000)  # a stored event is compared with every new candidate: read its words once
def _names_in(texts: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for text in texts:
        for sentence in _SENTENCE.split(text.strip()):
            found.update(m.group().casefold() for m in _NAME.finditer(sentence) if m.start() > 0)
    return frozenset(found)


def _name_overlap(a: Event, b: Event) -> float:
    left, right = _names(a), _names(b)
    return len(left & right) / len(left | right) if left | right else 0.0


def _compare(new: StoryMember, old: StoryMember) -> _Pair:
    if new.article_id == old.article_id:
        return _Pair(False)
    kind = _kind_check(new.event, old.event)
    if not kind.ok:
        return _Pair(False)
    checks = (_date_check(new, old), _place_check(new.event.place, old.event.place),
              _actor_check(new.event, old.event))
    if not all(c.ok for c in checks):
        return _Pair(False)
    dates, places, _ = checks
    ties = _ties(new, old, places.measure, dates.measure)
    parts = tuple(c.text for c in (kind, *checks) if c.text)
    if not ties:  # a pair with no tie is never ranked (see _match_story): skip the scoring
        return _Pair(True, parts)
    r = rules()
    score = r.tie_weight * len(ties)
    if places.measure is not None:
        score += r.place_weight * max(0.0, 1 - places.measure / r.max_km)
    if dates.measure is not None:
        score += r.date_weight * max(0.0, 1 - dates.measure / (r.published_window_days + 1))
    return _Pair(True, parts, ties, score, _agreement(new, old), _name_overlap(new.event, old.event))


def _sort_key(member: StoryMember) -> tuple[bool, str, str, str]:
    return (member.published is None, member.published or "", member.article_id, member.event.id)


def _match_story(member: StoryMember, story: Sequence[StoryMember]) -> _Pair | None:
    pairs = []
    for other in sorted(story, key=_sort_key):
        if other.event_key == member.event_key:
            continue
        pair = _compare(member, other)
        if not pair.ok:  # the event must fit every member: one misfit settles it
            return None
        pairs.append(pair)
    return max((p for p in pairs if p.ties), key=_Pair.rank, default=None)


def story_match(member: StoryMember, candidates: Sequence[Sequence[StoryMember]]) -> MergeDecision | None:
    """The best candidate story (each given as ALL its current members) that ``member`` reports too."""
    matches = [(index, pair) for index, story in enumerate(candidates)
               if (pair := _match_story(member, story)) is not None]
    if not matches:
        return None
    matches.sort(key=lambda item: item[1].rank(), reverse=True)
    if len(matches) > 1 and matches[1][1].rank() >= matches[0][1].rank():
        # Two stories fit equally well: nothing says which event this is; a new story keeps it apart.
        return None
    index, pair = matches[0]
    return MergeDecision(index, " ".join("; ".join(pair.parts + pair.ties).split()), round(pair.score, 4))


def candidate_window(member: StoryMember) -> tuple[str | None, str | None]:
    """Inclusive YYYY-MM-DD range a story's date_start..date_end must overlap to be a candidate.

    The member's stated dates (or its publication date) widened by the larger of the two date
    slacks; (None, None) when it has neither: its dates can then not separate it from any story.
    """
    span, _ = _anchor(member)
    if span is None:
        return None, None
    pad = timedelta(days=max(rules().day_slack_days, rules().published_window_days))
    return (span[0] - pad).isoformat(), (span[1] + pad).isoformat()


def new_story_id(member: StoryMember) -> str:
    """"s-" + 16 hex: stable, from the event key of the story's first member."""
    return "s-" + hashlib.sha256(member.event_key.encode("utf-8")).hexdigest()[:16]


# --- summary -----------------------------------------------------------------------------------------


def _prov(member: StoryMember, value: Any, span: Span | None) -> dict[str, Any]:
    return {"value": value, "event_id": member.event_key, "article_id": member.article_id,
            "source": member.source, "group": member.group, "span": span.to_dict() if span else None,
            "in_title": member.event.in_title}


def _actor_value(actor: Actor) -> dict[str, Any]:
    return {"name": actor.name, "entity_id": actor.entity_id, "kind": actor.kind}


def _figure(fatalities: Fatalities | None) -> int | None:
    """The conservative figure of one report: the value, or the low end of its range."""
    if fatalities is None:
        return None
    known = [n for n in (fatalities.value, fatalities.low) if n is not None]
    return min(known) if known else None


def _member_fields(member: StoryMember) -> dict[str, dict[str, Any]]:
    """One member's provenance entry for each field it has a value for."""
    e = member.event
    out = {
        "acled_event_type": _prov(member, e.acled_event_type, e.evidence),
        "acled_sub_event_type": _prov(member, e.acled_sub_event_type, e.evidence),
        "status": _prov(member, e.status, e.claims[0].span if e.claims else e.evidence),
    }
    if e.place is not None:
        out["place"] = _prov(member, e.place.to_dict(), e.place.span)
    if e.when is not None and (e.when.start or e.when.end):
        out["when"] = _prov(member, {k: v for k, v in e.when.to_dict().items() if k in _WHEN_KEYS}, e.when.span)
    for name, actor in (("actor1", e.actor1), ("actor2", e.actor2)):
        if actor is not None:
            out[name] = _prov(member, _actor_value(actor), actor.span)
    figure = _figure(e.fatalities)
    if e.fatalities is not None and figure is not None:
        out["fatalities"] = _prov(member, figure, e.fatalities.span)
        out["fatalities"]["reported_as"] = {k: v for k, v in e.fatalities.to_dict().items() if k != "span"}
    return out


def _fields(members: Sequence[StoryMember]) -> dict[str, list[dict[str, Any]]]:
    """Every member's value of every field, with its words; members with no value are left out."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in FIELDS}
    for member in members:
        for name, prov in _member_fields(member).items():
            out[name].append(prov)
    return out


def _value_key(name: str, value: Any) -> str:
    """What makes two values of a field the same value (spans aside)."""
    if name == "place":
        return str(value["geonameid"]) if value.get("geonameid") else _norm(value["name"])
    if name == "when":
        return f"{value['start']}/{value['end']}"
    if name in {"actor1", "actor2"}:
        return value["entity_id"] or _norm(value["name"])
    return json.dumps(value, sort_keys=True)


def _disagreements(fields: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {name: provs for name, provs in fields.items()
            if len({_value_key(name, p["value"]) for p in provs}) > 1}


def _most_groups(keyed: Sequence[tuple[str, StoryMember]]) -> str | None:
    """The key most distinct groups give; ties go to the earliest member (``keyed`` is in order)."""
    groups: dict[str, set[str]] = {}
    for key, member in keyed:
        groups.setdefault(key, set()).add(member.group)
    return max(groups, key=lambda k: len(groups[k]), default=None)


def _headline_actor(members: Sequence[StoryMember], name: str) -> dict[str, Any] | None:
    actors = [(m, a) for m in members if (a := getattr(m.event, name)) is not None]
    actors = [(m, a) for m, a in actors if _named(a)] or actors
    key = _most_groups([(a.entity_id or _norm(a.name), m) for m, a in actors])
    chosen = next((a for _, a in actors if (a.entity_id or _norm(a.name)) == key), None)
    return _actor_value(chosen) if chosen else None


def _headline_place(members: Sequence[StoryMember]) -> Place | None:
    """The most precise place among those agreeing with the majority country and admin1."""
    places = [(m, m.event.place) for m in members if m.event.place is not None]
    places = [(m, p) for m, p in places if not _guess(p)] or places
    country = _most_groups([(p.country, m) for m, p in places if p.country])
    agreeing = [(m, p) for m, p in places if country is None or p.country == country]
    admin1 = _most_groups([(p.admin1, m) for m, p in agreeing if p.admin1])
    agreeing = [(m, p) for m, p in agreeing if admin1 is None or p.admin1 in {None, admin1}]
    return min((p for _, p in agreeing), key=lambda p: rules().rank(p.precision), default=None)


def _headline_when(members: Sequence[StoryMember]) -> dict[str, Any] | None:
    """The narrowest date stated in the text; else the earliest member's publication date."""
    stated = [(m.event.when, span) for m in members if m.event.when and (span := _stated_range(m.event.when))]
    if stated:
        when, _ = min(stated, key=lambda ws: (ws[0].text is None, (ws[1][1] - ws[1][0]).days))
        return {"start": when.start, "end": when.end, "precision": when.precision}
    for member in members:
        span, _ = _anchor(member)
        if span is not None:
            return {"start": span[0].isoformat(), "end": None, "precision": "reported"}
    return None


def _headline_status(members: Sequence[StoryMember]) -> str:
    statuses = {m.event.status for m in members}
    if "denied" in statuses and statuses & {"asserted", "claimed", "unverified"}:
        return "disputed"
    if "asserted" in statuses:
        return "asserted"
    if len(statuses) == 1:
        return members[0].event.status
    return "claimed" if "claimed" in statuses else members[0].event.status


def _fatalities(members: Sequence[StoryMember], reported: list[dict[str, Any]]) -> dict[str, Any]:
    credible = [_figure(m.event.fatalities) for m in members if m.event.status not in rules().not_credible]
    figures = [n for n in credible if n is not None]
    return {"value": min(figures) if figures else None, "rule": rules().fatalities_rule, "reported": reported}


def _sources(members: Sequence[StoryMember], origins: int) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for m in members:
        if m.article_id not in seen:
            seen.add(m.article_id)
            groups.setdefault(m.group, []).append(
                {"id": m.article_id, "title": m.title, "source": m.source, "url": m.url, "published": m.published})
    return {"independent": len(groups), "articles": len(seen), "origins": origins,
            "groups": [{"group": g, "articles": arts} for g, arts in groups.items()]}


_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their"})


def _short_form_of(name: str, others: Sequence[str]) -> str:
    """Within one article, "the administration" after "the head of the town's military
    administration" is the same source: a bare "the NOUN" takes the longer name ending in that noun."""
    words = name.split()
    if len(words) != 2 or words[0] not in _DETERMINERS:
        return name
    longer = sorted(o for o in others if o != name and o.split()[-1] == words[-1])
    return longer[0] if longer else name


def _claims(members: Sequence[StoryMember]) -> tuple[list[dict[str, Any]], int]:
    """Every claim with its origin; a member told by its outlet itself (no claims) counts its group."""
    items: list[dict[str, Any]] = []
    origins: set[tuple[str, str]] = set()
    for m in members:
        if not m.event.claims:
            origins.add(("outlet", m.group))
        names = [_norm(c.claimant) for c in m.event.claims if not c.entity_id]
        for claim in m.event.claims:
            origin = claim.entity_id or _short_form_of(_norm(claim.claimant), names)
            origins.add(("claimant", origin))
            items.append({"claimant": claim.claimant, "entity_id": claim.entity_id, "channel": claim.channel,
                          "origin": origin, "event_id": m.event_key, "article_id": m.article_id,
                          "group": m.group, "span": claim.span.to_dict()})
    return items, len(origins)


def summarise_story(story_id: str, members: Sequence[StoryMember],
                    merges: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The contract's story item (all keys but ``updated_at``); the same for any order of ``members``.

    ``merges`` are (event_key, reason) pairs of the events that joined after the first.
    """
    ordered = sorted(members, key=_sort_key)
    if not ordered:
        raise ValueError(f"story {story_id} has no members")
    fields = _fields(ordered)
    event_type = _most_groups([(m.event.acled_event_type, m) for m in ordered])
    typed = [m for m in ordered if m.event.acled_event_type == event_type]
    sub_type = _most_groups([(m.event.acled_sub_event_type, m) for m in typed])
    first = next(m for m in typed if m.event.acled_sub_event_type == sub_type).event
    place = _headline_place(ordered)
    claims, origins = _claims(ordered)
    position = {m.event_key: i for i, m in enumerate(ordered)}
    return {
        "id": story_id,
        "acled_event_type": event_type, "acled_sub_event_type": sub_type,
        "cameo_root": first.cameo_root, "plover_type": first.plover_type, "plover_mode": first.plover_mode,
        "when": _headline_when(ordered),
        "place": place.to_dict() if place else None,
        "actor1": _headline_actor(ordered, "actor1"), "actor2": _headline_actor(ordered, "actor2"),
        "fatalities": _fatalities(ordered, fields["fatalities"]),
        "status": _headline_status(ordered),
        "sources": _sources(ordered, origins),
        "claims": claims,
        "fields": fields,
        "disagreements": _disagreements(fields),
        "events": [m.event_key for m in ordered],
        "merges": [{"event_id": key, "reason": reason}
                   for key, reason in sorted(merges, key=lambda kr: (position.get(kr[0], len(position)), kr))],
    }


def story_columns(item: dict[str, Any]) -> dict[str, Any]:
    """Flat values of a story item for the indexed columns; dates widened to whole days (2024-03 ->
    2024-03-01..2024-03-31) so that string comparison on YYYY-MM-DD selects by range."""
    when, place = item.get("when") or {}, item.get("place") or {}
    start = _bound(when.get("start"), last=False)
    end = _bound(when.get("end") or when.get("start"), last=True)
    sources = item["sources"]
    return {
        "acled_event_type": item["acled_event_type"], "acled_sub_event_type": item["acled_sub_event_type"],
        "date_start": start.isoformat() if start else None, "date_end": end.isoformat() if end else None,
        "date_precision": when.get("precision"),
        "country": place.get("country"), "admin1": place.get("admin1"), "location": place.get("name"),
        "lat": place.get("lat"), "lon": place.get("lon"), "geo_precision": place.get("precision"),
        "actor1": (item.get("actor1") or {}).get("name"), "actor2": (item.get("actor2") or {}).get("name"),
        "fatalities": item["fatalities"]["value"],
        "status": item["status"],
        "n_events": len(item["events"]), "n_articles": sources["articles"],
        "n_sources": sources["independent"], "n_origins": sources["origins"],
    }
