"""The extract format (docs/format.md): one JSON object per article, field names fixed.

This module only shapes records; it reads nothing and decides nothing. ``events`` stays an empty list
until the event-coding stage exists.
"""

from __future__ import annotations

import json
from typing import Any

from ..records import Article

__all__ = ["extract_record", "to_json_line"]


def extract_record(article: Article) -> dict[str, Any]:
    """The FORMAT.md object for one article."""
    record: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "standfirst": article.standfirst,
        "published": article.published,
        "language": article.language or "und",
        "body": article.body,
        "removed": [r.to_dict() for r in article.removed],
        "repairs": [r.to_dict() for r in article.repairs],
        "entities": [e.to_dict() for e in article.entities],
        "places": [p.to_dict() for p in article.places],
        "times": [t.to_dict() for t in article.times],
        "quotes": [q.to_dict() for q in article.quotes],
        "events": [e.to_dict() for e in article.events],
        # Extra fields (FORMAT.md: add freely, rename none).
        "byline": article.byline,
        "dateline": article.dateline,
        "author": article.author,
        "source": article.source,
        "url": article.url,
        "location": article.location,
        "syndication_group": article.syndication_group,
        "halted": article.halted,
    }
    if article.published is None:
        record["published_note"] = article.published_note or "unknown"
    return record


def to_json_line(article: Article) -> str:
    return json.dumps(extract_record(article), ensure_ascii=False, sort_keys=False)
