"""Request and response shapes of the HTTP API, for validation and the OpenAPI document.

Event and story items are documented in docs/api.md; they are
passed through as JSON objects here, not re-modelled field by field, so the stored record is what a
client gets, every span included.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ActorCount",
    "ArticleIn",
    "CountList",
    "DayCount",
    "ErrorBody",
    "Ingested",
    "ItemPage",
    "PlaceCount",
    "RegionCount",
    "Stats",
    "SubTypeCount",
    "TypeCount",
]


class ErrorBody(BaseModel):
    """Every error answer: one line a person can act on."""

    error: str = Field(examples=["date_from: expected a date as YYYY-MM-DD (or YYYY-MM, YYYY), got '2024-13'"])


class ItemPage(BaseModel):
    """One page of event or story items; pass ``next`` back as ``cursor`` for the following page."""

    items: list[dict[str, Any]] = Field(description="Event items or story items (docs/api.md).")
    next: str | None = Field(description="Cursor of the next page; null on the last page.")


class ActorCount(BaseModel):
    name: str
    events: int = Field(description="Matching events the actor takes part in (as actor1 or actor2).")
    as_actor1: int
    as_actor2: int


class PlaceCount(BaseModel):
    location: str | None = Field(description="Gazetteer name of the place.")
    admin1: str | None = Field(description="ISO 3166-2 code of its first-order subdivision.")
    country: str | None = Field(description="ISO 3166-1 alpha-2 code.")
    lat: float | None
    lon: float | None
    precision: str | None = Field(description="country, region, city, point or unknown.")
    events: int


class CountList(BaseModel):
    """A list answer of /actors or /places (never paged: ``next`` is always null)."""

    items: list[dict[str, Any]]
    next: None = None


class DayCount(BaseModel):
    day: str
    count: int


class TypeCount(BaseModel):
    event_type: str
    count: int


class SubTypeCount(BaseModel):
    event_type: str
    sub_event_type: str
    count: int


class RegionCount(BaseModel):
    country: str | None
    admin1: str | None
    count: int


class Stats(BaseModel):
    total: int = Field(description="Matching events.")
    undated: int = Field(description="Matching events with no known date (not in by_day).")
    imprecise: int = Field(description="Matching events dated only to a week, month or year (not in by_day).")
    by_day: list[DayCount]
    by_type: list[TypeCount]
    by_sub_type: list[SubTypeCount]
    by_region: list[RegionCount]


class ArticleIn(BaseModel):
    """An article to ingest: ``text`` or ``html`` is required (as one line of JSONL input)."""

    # The schema says what the route checks: a text or an html string must be there.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [
        {"required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}},
        {"required": ["html"], "properties": {"html": {"type": "string", "minLength": 1}}},
    ]})

    id: str | None = Field(None, description="Your id for it; default: a hash of the content.")
    text: str | None = Field(None, description="Plain text of the article (title on the first line).")
    html: str | None = Field(None, description="The article page's HTML (used when text is absent).")
    title: str | None = None
    published: str | None = Field(None, description="ISO 8601 date or datetime of publication.")
    url: str | None = None
    source: str | None = Field(None, description="Site or outlet name.")


class Ingested(BaseModel):
    """What ingesting one article stored."""

    id: str = Field(description="The stored article's id (the earlier copy's, when already stored).")
    stored: bool = Field(description="False when the same content was already stored (answer 200).")
    halted: str | None = Field(description="Why the article was stored but not read (e.g. its language).")
    events: list[str] = Field(description="Ids of its event items.")
    stories: list[str] = Field(description="Ids of the stories its events belong to.")
