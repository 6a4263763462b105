"""/stats without filters, from the counters migration 0004 keeps: a few thousand rows, not a scan.

``event_counts`` holds how many events have each ``date_start`` (dim ``day``), each (event type,
sub-event type) (``sub``) and each (country, admin1) (``region``); triggers on ``events`` keep it in
step on every insert, update and delete, in the writer's own transaction, so a reader sees counts
exactly as consistent as the events themselves. Counters rather than a cached snapshot because
ingests write all the time: a snapshot invalidated on every write would make the next /stats pay
the full scan again (21 s at a million events). Filtered /stats still runs the aggregate queries
over the matching rows (eventsift.store.query), which the indexes narrow.

The answer is built here exactly as the aggregate queries build it: the same totals, the same
orders (count descending, then values byte-wise, unknown last).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .schema import event_counts

__all__ = ["counted_stats"]

Key = str | None


def _known_last(value: Key) -> tuple[bool, str]:
    return (value is None, value or "")


def _read(conn: Connection) -> dict[str, dict[tuple[Key, Key], int]]:
    found: dict[str, dict[tuple[Key, Key], int]] = {"day": {}, "sub": {}, "region": {}}
    query = select(event_counts.c.dim, event_counts.c.k1, event_counts.c.k2, event_counts.c.n).where(event_counts.c.n > 0)
    for dim, k1, k2, n in conn.execute(query):  # one row per key: the primary key
        if dim in found:
            found[dim][(None if k1 == "-" else k1[1:], None if k2 == "-" else k2[1:])] = int(n)
    return found


def counted_stats(conn: Connection) -> dict[str, Any]:
    """What :func:`eventsift.store.query.stats` answers without filters, from the counters."""
    found = _read(conn)  # keys: '-' is NULL, '=' + value a value
    days = {day: n for (day, _), n in found["day"].items()}
    types: Counter[Key] = Counter()
    for (event_type, _), n in found["sub"].items():
        types[event_type] += n
    by_sub = sorted(found["sub"].items(), key=lambda kv: (-kv[1], _known_last(kv[0][0]), _known_last(kv[0][1])))
    by_region = sorted(found["region"].items(), key=lambda kv: (-kv[1], _known_last(kv[0][0]), _known_last(kv[0][1])))
    return {
        "total": sum(days.values()),
        "undated": days.get(None, 0),
        "imprecise": sum(n for day, n in days.items() if day is not None and len(day) < 10),
        "by_day": [{"day": d, "count": n} for d, n in sorted((d, n) for d, n in days.items() if d and len(d) == 10)],
        "by_type": [{"event_type": t, "count": n}
                    for t, n in sorted(types.items(), key=lambda kv: (-kv[1], _known_last(kv[0])))],
        "by_sub_type": [{"event_type": t, "sub_event_type": s, "count": n} for (t, s), n in by_sub],
        "by_region": [{"country": c, "admin1": a, "count": n} for (c, a), n in by_region],
    }
