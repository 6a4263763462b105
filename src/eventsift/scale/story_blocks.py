"""Story merging for Spark, one candidate block at a time; no Spark here, so it is tested plainly.

The local merge (story_store.StoryIndex) takes events in input order and asks
:func:`stories.story_match` which stored story each one joins. Here the same rule runs inside each
candidate block, in the same order, so no process ever holds the whole corpus:

- an event's *reach* is the days a candidate story may lie in: its candidate window
  (:func:`stories.candidate_window`) joined with its publication date +- 2 days (the local lookup's
  second index); two events whose reaches do not overlap can never be candidates of each other;
- a block is the events of one ACLED event type whose reaches chain together (a connected run of
  overlapping reaches, computed in Spark with a running maximum); a run longer than the split limit
  is divided by country, so that even a dense conflict's year of daily reports makes many blocks;
- an event with no date and no publication date reaches nothing: its own story, as locally.

What differs from a local ingest, by design: stories of a compatible-type pair (none by default in
data/story_rules.yaml) and, in blocks split by country, events with no country and events with one
are not merged with each other; the local lookup's cap of 200 newest candidates does not apply.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..records import Event
from ..stories.merge import StoryMember, candidate_window, new_story_id, story_match
from ..stories.store import event_columns
from ..stories.summary import story_record, story_values

__all__ = ["PUBLISHED_SLACK_DAYS", "event_rows_of_article", "merge_block", "reach"]

# The local lookup's second index: events published within this many days of each other.
PUBLISHED_SLACK_DAYS = 2


def _shift(day: str | None, days: int) -> str | None:
    try:
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat() if day else None
    except ValueError:
        return None


def reach(member: StoryMember) -> tuple[str | None, str | None]:
    """Inclusive YYYY-MM-DD days where candidate stories may lie; (None, None): none anywhere."""
    low, high = candidate_window(member)
    days = [d for d in (low, high, _shift(member.published, -PUBLISHED_SLACK_DAYS),
                        _shift(member.published, PUBLISHED_SLACK_DAYS)) if d]
    return (min(days), max(days)) if days else (None, None)


def _member(row: dict[str, Any]) -> StoryMember:
    return StoryMember(
        event=Event.from_dict(json.loads(row["record"])), event_key=row["id"], article_id=row["article_id"],
        group=row["syndication_group"] or row["article_id"], published=row["published"],
        source=row["source"], title=row["title"], url=row["url"],
    )


def event_rows_of_article(article: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per event of an article row (after dedup): the store's event columns, the article
    fields the merge rule reads, its order in the input and its reach."""
    if article["halted"]:
        return
    for index, data in enumerate(json.loads(article["events"])):
        event = Event.from_dict(data)
        key = event.id if event.id.startswith(f"{article['id']}:") else f"{article['id']}:{event.id}"
        row = {
            "id": key, "article_id": article["id"], "published": article["published"],
            "syndication_group": article["syndication_group"], "source": article["source"],
            "title": article["title"], "url": article["url"],
            "input_file": article["input_file"], "input_line": article["input_line"], "event_index": index,
            **event_columns(event),
        }
        for name in ("lat", "lon"):  # Parquet doubles: a whole-degree coordinate may be an int
            row[name] = None if row[name] is None else float(row[name])
        row["reach_low"], row["reach_high"] = reach(_member(row))
        yield row


def _overlaps(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    return a[0] is not None and b[0] is not None and a[0] <= str(b[1]) and b[0] <= str(a[1])


def _order(row: dict[str, Any]) -> tuple[str, int, int]:
    return row["input_file"], row["input_line"], row["event_index"]


def merge_block(rows: Iterable[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Merge one block's events in input order: ("event", row with story_id and merge_reason) for
    each event, then ("story", row) for each story made."""
    stories: dict[str, list[tuple[StoryMember, tuple[str | None, str | None]]]] = {}
    merges: dict[str, list[tuple[str, str]]] = {}
    for row in sorted(rows, key=_order):
        member, span = _member(row), (row["reach_low"], row["reach_high"])
        near = [(sid, members) for sid, members in stories.items()
                if any(_overlaps(span, other) for _, other in members)] if span[0] else []
        decision = story_match(member, [[m for m, _ in members] for _, members in near]) if near else None
        if decision is None:
            story_id, reason = new_story_id(member), None
            stories[story_id], merges[story_id] = [], []
        else:
            story_id, reason = near[decision.index][0], decision.reason
            merges[story_id].append((member.event_key, reason))
        stories[story_id].append((member, span))
        yield "event", {**row, "story_id": story_id, "merge_reason": reason}
    for story_id, members in stories.items():
        yield "story", story_row(story_id, [m for m, _ in members], merges[story_id])


def story_row(story_id: str, members: list[StoryMember], merges: list[tuple[str, str]]) -> dict[str, Any]:
    """The stories table's row for one story (as story_store writes it), with its member event ids."""
    story = story_record(story_id, members, merges)
    values = story_values(story, sorted(members, key=lambda m: m.event_key), datetime.now(UTC))
    return {"id": values.pop("id"), "updated_at": values.pop("updated_at"), "members": list(story.events), **values}
