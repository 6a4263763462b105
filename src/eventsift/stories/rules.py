"""The merge rule's thresholds (data/story_rules.yaml) and the member it compares.

A :class:`StoryMember` is one stored event with what the rule may know of its article; the rule
reads nothing else (stories/merge.py explains the rule itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import load_data
from ..records import Event

__all__ = ["StoryMember", "StoryRules", "norm", "rules", "sort_key"]


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
    raw = load_data("story_rules.yaml")
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
        unnamed=frozenset(norm(n) for n in actors["unnamed"]),
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


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def sort_key(member: StoryMember) -> tuple[bool, str, str, str]:
    """Members in publication order (undated last), then by article and event: the order every
    summary and every comparison uses, so that the result is the same for any input order."""
    return (member.published is None, member.published or "", member.article_id, member.event.id)
