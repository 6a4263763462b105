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
even those are equal, a new story. The reason line names what matched.

Here: the matching and scoring. The pairwise checks are in stories/checks.py, the thresholds in
stories/rules.py, and the story item (``summarise_story``) in stories/summary.py.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from ..records import Event, Place
from .checks import (
    actor_check,
    anchor,
    date_check,
    guess,
    kind_check,
    locality,
    low_figure,
    place_check,
    place_name,
    same_actor,
    shared_claimant,
    stated_range,
)
from .rules import StoryMember, StoryRules, rules, sort_key
from .summary import story_columns, summarise_story

__all__ = ["MergeDecision", "StoryMember", "StoryRules", "candidate_window", "new_story_id", "rules",
           "story_columns", "story_match", "summarise_story"]


@dataclass(frozen=True)
class MergeDecision:
    """Which candidate story an event joins, why (one line), and how strongly."""

    index: int
    reason: str
    score: float


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
        return event.place is not None and not guess(event.place)

    if not located(a) and not located(b):
        return days == 0
    if km is not None:
        return km <= rules().tight_km
    # Both known only as one region (no town named on either side): as close as the text lets us say.
    pa, pb = a.place, b.place
    return bool(located(a) and located(b) and pa and pb and pa.precision == pb.precision == "region"
                and not locality(pa) and not locality(pb) and pa.admin1 and pa.admin1 == pb.admin1)


def _ties(new: StoryMember, old: StoryMember, km: float | None, days: float | None) -> tuple[str, ...]:
    a, b, r = new.event, old.event, rules()
    found = []
    if new.group == old.group:
        found.append(f"same syndication group ({new.group})")
    # In a war nearly every report names the same army: the doer ties two reports only at one spot.
    if same_actor(a.actor1, b.actor1) and _place_support(a, b, km, days):
        found.append(f"same actor1 ({a.actor1.name if a.actor1 else ''}) at the same place")
    if km is not None and km <= r.tight_km and a.acled_sub_event_type == b.acled_sub_event_type:
        found.append(f"same sub-event type ({a.acled_sub_event_type}) within {r.tight_km:g} km")
    claimant = shared_claimant(a, b)
    if claimant:
        found.append(f"same claimant ({claimant})")
    return tuple(found)


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or guess(a) or guess(b):
        return False
    return bool(a.geonameid and a.geonameid == b.geonameid) or place_name(a) == place_name(b)


def _agreement(new: StoryMember, old: StoryMember) -> int:
    """How many fields the two reports tell alike: sub-event type, actor1, actor2, place, stated date,
    fatality figure. Only used to choose between candidate stories that fit equally well."""
    a, b = new.event, old.event
    stated = stated_range(a.when)
    figure = low_figure(a.fatalities)
    return sum((
        bool(a.acled_sub_event_type) and a.acled_sub_event_type == b.acled_sub_event_type,
        same_actor(a.actor1, b.actor1),
        same_actor(a.actor2, b.actor2),
        _same_place(a.place, b.place),
        stated is not None and stated == stated_range(b.when),
        figure is not None and figure == low_figure(b.fatalities),
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
    kind = kind_check(new.event, old.event)
    if not kind.ok:
        return _Pair(False)
    checks = (date_check(new, old), place_check(new.event.place, old.event.place),
              actor_check(new.event, old.event))
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


def _match_story(member: StoryMember, story: Sequence[StoryMember]) -> _Pair | None:
    pairs = []
    for other in sorted(story, key=sort_key):
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
    span, _ = anchor(member)
    if span is None:
        return None, None
    pad = timedelta(days=max(rules().day_slack_days, rules().published_window_days))
    return (span[0] - pad).isoformat(), (span[1] + pad).isoformat()


def new_story_id(member: StoryMember) -> str:
    """"s-" + 16 hex: stable, from the event key of the story's first member."""
    return "s-" + hashlib.sha256(member.event_key.encode("utf-8")).hexdigest()[:16]

