"""Typed records that flow through the pipeline.

Every stage takes an :class:`Article` and returns it enriched; nothing reaches back. Records convert to
and from plain dicts (``to_dict`` / ``from_dict``) so that the store, the JSONL output and the worker
processes all share one shape.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = ["Article", "Reject", "Removed", "Repair", "Span", "content_hash"]


@dataclass(frozen=True)
class Span:
    """A stretch of the cleaned body: ``body[start:end] == text``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True)
class Removed:
    """A block cleaning dropped from the body, with a reason a person can read."""

    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Repair:
    """A change cleaning made to the text itself (encoding, characters)."""

    kind: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def content_hash(text: str) -> str:
    """Stable id for content without an id of its own: sha256 of the text, 16 hex digits."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass
class Article:
    """One news article, from raw input to cleaned body and beyond.

    ``raw_text``/``raw_html`` hold what the source gave; ``paragraphs`` is the structured reading of it
    (before boilerplate removal); ``body`` is the cleaned text every later span points into.
    ``halted`` is set when a stage decides the article goes no further (unsupported language, no
    article text); it is a verdict about the content, not an error.
    """

    id: str
    source_kind: str  # text | html | jsonl | feed | url | stdin
    location: str | None = None  # path or URL it was read from
    raw_text: str | None = None
    raw_html: str | None = None
    url: str | None = None
    source: str | None = None  # site or outlet name
    author: str | None = None
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_note: str | None = None  # why published is unknown, or where it came from
    paragraphs: list[str] = field(default_factory=list)
    body: str = ""
    removed: list[Removed] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    language: str | None = None
    language_score: float | None = None
    halted: str | None = None
    content_hash: str | None = None
    syndication_group: str | None = None
    minhash: list[int] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["removed"] = [r.to_dict() for r in self.removed]
        data["repairs"] = [r.to_dict() for r in self.repairs]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["removed"] = [Removed(**r) for r in data.get("removed") or []]
        kwargs["repairs"] = [Repair(**r) for r in data.get("repairs") or []]
        kwargs["paragraphs"] = list(data.get("paragraphs") or [])
        return cls(**kwargs)


@dataclass(frozen=True)
class Reject:
    """An input or article that failed a stage: where, which stage, and why in one line."""

    location: str
    stage: str
    reason: str
    article_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
