"""Ids as a person types them: a unique prefix of an article, event or story id.

`eventsift articles` shows the first 10 characters of an id and `eventsift show` takes them; the API
and the web UI take the same (``/articles/0123456789``, ``/events/0123456789:e1``, ``/stories/ab12``).
A prefix that matches several ids is refused with the ids it matches (QueryError: 400), never guessed.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select

from ..errors import QueryError
from .schema import articles, events, stories
from .store import Store

__all__ = ["IdKind", "resolve_id"]

IdKind = Literal["article", "event", "story"]
_TABLES = {"article": articles, "event": events, "story": stories}
_SHOWN = 5  # ids named in an "ambiguous" message


def resolve_id(store: Store, kind: IdKind, key: str) -> str:
    """The full id that ``key`` is or uniquely begins; ``key`` itself when nothing matches (the
    caller answers "not found"). An event id's article part may be shortened too: ``0123456789:e1``."""
    if kind == "event" and ":" in key:
        article, _, local = key.rpartition(":")
        return f"{resolve_id(store, 'article', article)}:{local}"
    column = _TABLES[kind].c.id
    query = select(column).where(column.startswith(key, autoescape=True)).order_by(column).limit(_SHOWN + 1)
    with store.reading(f"cannot look up {kind} id {key}") as conn:
        ids = list(conn.scalars(query))
    if key in ids or not ids:
        return key
    if len(ids) > 1:
        shown = ", ".join(ids[:_SHOWN]) + (", ..." if len(ids) > _SHOWN else "")
        raise QueryError(f"{kind} id prefix {key!r} is ambiguous: it matches {shown}; give more characters")
    return str(ids[0])
