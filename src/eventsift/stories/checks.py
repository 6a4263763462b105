"""The pairwise checks of the merge rule: dates, places, actors, event kinds.

Each check compares two reports of an event and says whether they can be one event, in words
(the reason line of a merge), with a measure (days or km apart) the scoring uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..partial_dates import first_day, last_day
from ..places.geodesy import distance_km
from ..records import Actor, Event, Fatalities, Place, When
from .rules import StoryMember, norm, rules

__all__ = [
    "Check",
    "DateRange",
    "actor_check",
    "anchor",
    "bound",
    "date_check",
    "guess",
    "kind_check",
    "locality",
    "low_figure",
    "named",
    "place_check",
    "place_name",
    "same_actor",
    "shared_claimant",
    "stated_range",
]

DateRange = tuple[date, date]

# --- dates -------------------------------------------------------------------------------------------


def bound(value: str | None, *, last: bool) -> date | None:
    """YYYY[-MM[-DD]] as its first (or last) day; None when it is no date."""
    return last_day(value) if last else first_day(value)


def stated_range(when: When | None) -> DateRange | None:
    """The days a date stated in the text covers; None for publication-date fallbacks and non-dates."""
    if when is None or when.precision in rules().weak_precisions:
        return None
    start, end = bound(when.start, last=False), bound(when.end or when.start, last=True)
    return (start, end) if start is not None and end is not None and start <= end else None


def anchor(member: StoryMember) -> tuple[DateRange | None, bool]:
    """The days a member is compared on, and whether its text states them (else: publication date)."""
    stated = stated_range(member.event.when)
    if stated is not None:
        return stated, True
    when = member.event.when
    for value in (member.published, when.start if when else None):
        day = bound(value, last=False) if value and len(value) == 10 else None
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
class Check:
    ok: bool
    text: str
    measure: float | None = None  # days apart for dates, km for places


def date_check(new: StoryMember, old: StoryMember) -> Check:
    r = rules()
    (a, a_stated), (b, b_stated) = anchor(new), anchor(old)
    if a is None or b is None:
        return Check(True, "no date to compare")
    gap = _gap(a, b)
    if a_stated and b_stated:
        precisions = {m.event.when.precision for m in (new, old) if m.event.when}
        # Slack for dates read relative to publication ("overnight", "yesterday"); two calendar
        # dates the texts spell out ("14 March 2023") mean what they say.
        relative = not (_calendar_date(new.event.when) and _calendar_date(old.event.when))
        limit = r.day_slack_days if "day" in precisions and relative else 0
        if gap == 0:
            return Check(True, f"dates overlap ({_show((max(a[0], b[0]), min(a[1], b[1])))})", 0)
        return Check(gap <= limit, f"dates {gap} day(s) apart ({_show(a)} / {_show(b)})", gap)
    text = f"dated by publication, {gap} day(s) apart ({_show(a)} / {_show(b)})"
    return Check(gap <= r.published_window_days, text, gap)


# --- places ------------------------------------------------------------------------------------------


def guess(place: Place) -> bool:
    return bool(place.note and place.note.startswith(rules().guess_note_prefix))


def _level(place: Place) -> int:
    """0: precise with coordinates; 1: admin1 known; 2: country known; 3: unresolved."""
    if place.precision in rules().precise and place.lat is not None and place.lon is not None:
        return 0
    if place.admin1 and place.precision != "country":
        return 1
    return 2 if place.country else 3


def _km(a: Place, b: Place) -> float:
    return distance_km(a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0)


def locality(place: Place) -> bool:
    """A town or village, whether or not the gazetteer knows it; a village it lacks may have been
    placed in its region (places.py says so in the note). Regions and countries are not localities."""
    if place.precision in {"region", "country"}:
        return bool(place.geonameid is None and place.note and rules().placed_in_region in place.note)
    return bool(place.text.strip())


def place_name(place: Place) -> str:
    return norm(place.text if place.geonameid is None else place.name)


def place_check(a: Place | None, b: Place | None) -> Check:
    if a is None or b is None:
        return Check(True, "place named in one report only" if a or b else "no place named")
    if guess(a) or guess(b):
        return Check(True, f"a place guessed from context does not separate ({a.name} / {b.name})")
    names = f"({a.name} / {b.name})"
    if a.country and b.country and a.country != b.country:
        return Check(False, f"different countries {names}")
    level = max(_level(a), _level(b))
    if level == 0:
        km = _km(a, b)
        return Check(km <= rules().max_km, f"places {km:.0f} km apart {names}", km)
    if locality(a) and locality(b):
        # Two towns with no distance to compare (one or both missing from the gazetteer): the names decide.
        same = place_name(a) == place_name(b)
        return Check(same, f"same place name ({a.text})" if same else f"different places {names}", 0.0 if same else None)
    if level == 1 and a.admin1 and b.admin1:
        same = a.admin1 == b.admin1
        return Check(same, f"same admin1 ({a.admin1}) {names}" if same else f"different admin1 {names}")
    if level <= 2 and a.country and b.country:
        return Check(True, f"same country ({a.country}) {names}")
    return Check(True, f"place unresolved {names}")


# --- actors, types, status ---------------------------------------------------------------------------


def named(actor: Actor | None) -> bool:
    return actor is not None and norm(actor.name) not in rules().unnamed and bool(actor.name.strip())


def same_actor(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None or not named(a) or not named(b):
        return False
    if a.entity_id and b.entity_id:
        return a.entity_id == b.entity_id
    return norm(a.name) == norm(b.name)


def _listed(actor: Actor) -> bool:
    """An entry of the actor list (data/actors.yaml), as the actors stage recorded it on the event
    (``Actor.listed``): the merge reads what was stored, not today's list. Only a record stored
    before that provenance existed (``listed`` None) is looked up in the list."""
    if actor.listed is not None:
        return actor.listed
    from ..read.actors import listed_entry  # records without the provenance only

    return listed_entry(actor.entity_id)


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
    if a is None or b is None or not named(a) or not named(b) or same_actor(a, b):
        return False
    if _listed(a) and _listed(b):
        return True
    return not _told_shorter(a, b)


def actor_check(a: Event, b: Event) -> Check:
    symmetric = a.acled_event_type in rules().symmetric_types
    crossed = symmetric and (same_actor(a.actor1, b.actor2) or same_actor(a.actor2, b.actor1))
    a1, b1, a2, b2 = a.actor1, b.actor1, a.actor2, b.actor2
    if _different_actors(a1, b1):
        if not crossed:
            return Check(False, f"different actor1 ({a1.name if a1 else ''} / {b1.name if b1 else ''})")
        return Check(True, f"sides told the other way round ({a1.name if a1 else ''} / {b1.name if b1 else ''})")
    # The other side only when both reports name it (linked to an entity: "civilians" names nobody).
    if a2 and b2 and a2.entity_id and b2.entity_id and _different_actors(a2, b2) and not crossed:
        return Check(False, f"different actor2 ({a2.name} / {b2.name})")
    return Check(True, "")


def kind_check(a: Event, b: Event) -> Check:
    r = rules()
    if a.acled_event_type == b.acled_event_type:
        type_ok, text = True, f"same event type ({a.acled_event_type})"
    else:
        type_ok = frozenset({a.acled_event_type, b.acled_event_type}) in r.compatible_types
        text = f"event types {a.acled_event_type} / {b.acled_event_type}"
    frame_ok = a.temporal_status == b.temporal_status or frozenset(
        {a.temporal_status, b.temporal_status}) in r.temporal_pairs
    status_ok = a.status == b.status or (a.status in r.real and b.status in r.real)
    return Check(type_ok and frame_ok and status_ok, text)


def shared_claimant(a: Event, b: Event) -> str | None:
    ids = {c.entity_id: c.claimant for c in a.claims if c.entity_id}
    return next((ids[c.entity_id] for c in b.claims if c.entity_id in ids), None)


def low_figure(fatalities: Fatalities | None) -> int | None:
    """The conservative figure of one report: the value, or the low end of its range."""
    if fatalities is None:
        return None
    known = [n for n in (fatalities.value, fatalities.low) if n is not None]
    return min(known) if known else None
