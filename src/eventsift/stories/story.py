"""The story item as a typed record, and its one flattening into columns.

A :class:`Story` is what stories/summary.py builds and what the ``stories`` table keeps as JSON
(docs/api.md, "Story item"); :meth:`Story.to_dict` writes exactly that JSON, key order included, and
:meth:`Story.from_dict` reads it back. :meth:`Story.columns` is the only place a story is flattened:
the indexed columns of the ``stories`` table come from it, and so do the story rows of the exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, TypedDict

from .checks import bound

__all__ = ["Story", "StoryActor", "StoryFatalities", "StorySources", "StoryWhen"]


class StoryWhen(TypedDict):
    """The headline date: YYYY[-MM[-DD]] bounds and their precision ("reported": a publication date)."""

    start: str | None
    end: str | None
    precision: str


class StoryActor(TypedDict):
    name: str
    entity_id: str | None
    kind: str | None


class StoryFatalities(TypedDict):
    """The story's death toll by ``rule`` (the lowest credible figure), and every report's figure."""

    value: int | None
    rule: str
    reported: list[dict[str, Any]]


class StorySources(TypedDict):
    """Independent syndication groups, articles, and distinct origins (claimants or outlets)."""

    independent: int
    articles: int
    origins: int
    groups: list[dict[str, Any]]


@dataclass
class Story:
    """One story item; fields in the order of its JSON. A summary sets every field; a record read
    back may lack some (hand-made or older ones), which then hold their defaults. Provenance lists
    keep their JSON shape: ``fields``/``disagreements`` map a field to every member's value with its words."""

    id: str
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    cameo_root: str | None = None
    plover_type: str | None = None
    plover_mode: str | None = None
    when: StoryWhen | None = None
    place: dict[str, Any] | None = None  # Place.to_dict() of the headline place
    actor1: StoryActor | None = None
    actor2: StoryActor | None = None
    fatalities: StoryFatalities | None = None
    status: str | None = None
    sources: StorySources | None = None
    claims: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    disagreements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)  # member event ids, oldest report first
    merges: list[dict[str, Any]] = field(default_factory=list)  # {"event_id", "reason"} of later members
    updated_at: str | None = None  # set when the story is written; absent from a fresh summary

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.updated_at is None:
            del data["updated_at"]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Story:
        known = {f.name for f in fields(cls)} - {"id"}
        ident: Any = data.get("id")  # only a hand-made item lacks it: its flat row then has no id
        return cls(ident, **{k: v for k, v in data.items() if k in known})

    def columns(self) -> dict[str, Any]:
        """Flat values of the story for the indexed columns; dates widened to whole days (2024-03 ->
        2024-03-01..2024-03-31) so that string comparison on YYYY-MM-DD selects by range."""
        when: dict[str, Any] = dict(self.when) if self.when else {}
        place = self.place or {}
        sources: dict[str, Any] = dict(self.sources) if self.sources else {}
        start = bound(when.get("start"), last=False)
        end = bound(when.get("end") or when.get("start"), last=True)
        return {
            "acled_event_type": self.acled_event_type, "acled_sub_event_type": self.acled_sub_event_type,
            "date_start": start.isoformat() if start else None, "date_end": end.isoformat() if end else None,
            "date_precision": when.get("precision"),
            "country": place.get("country"), "admin1": place.get("admin1"), "location": place.get("name"),
            "lat": place.get("lat"), "lon": place.get("lon"), "geo_precision": place.get("precision"),
            "actor1": self.actor1.get("name") if self.actor1 else None,
            "actor2": self.actor2.get("name") if self.actor2 else None,
            "fatalities": self.fatalities.get("value") if self.fatalities else None,
            "status": self.status,
            "n_events": len(self.events or []), "n_articles": sources.get("articles"),
            "n_sources": sources.get("independent"), "n_origins": sources.get("origins"),
        }
