"""Eval set ``story-merge``: how the cross-article merge into stories behaves on ACLED records.

Ground truth comes from ACLED's coding rule: one record is ONE event (one actor pair, one day, one
location). So two different records must never end up in one story, while one record told twice must.

Items: the records of ``acled-ukraine/events.csv`` (default) or, with ``--data``, of
``acled-africa-2016/events.csv``. Each record is ingested as two articles, both published on the
record's event date: its notes as they are (the "original", as in the ``acled`` set), and a
mechanical "retelling" (:func:`retell`): a leading label such as "Interception:" stays in front, the
leading date phrase ("On 16 February 2024,") moves to the end of the first sentence, and the rest is
framed as "Local media reported that ...". The facts are the same; the word 5-shingles mostly are not,
so the retelling is not meant to be grouped as a syndicated copy and the merge must come from the
event fields. Notes without a leading date phrase (all of acled-africa-2016) get "on D Month YYYY",
from the event date, at the end of the first sentence; long notes still reach the dedup threshold
now and then and are grouped as copies, which ``notes`` count (``copies_grouped``).

The whole ingest runs (reading, store, copies, merge) with :func:`eventsift.workflow.ingest_items`
into a throwaway SQLite store, day by day: each day's originals, then that day's retellings.

Metrics (fractions, higher is better). An article's "main event" is its first event that is not in
the title and not background (past, planned, hypothetical, negated), as in the ``acled`` set.
- ``pair_recall``: records whose original and retelling main events share a story, over records where
  both tellings gave an event;
- ``pair_recall_not_copies``: the same over records whose retelling was not grouped as a copy;
- ``pair_recall_same_reading``: the same over records whose two main events were read alike (type,
  sub-event type, date, place name, actor1): misses there are the merge rule's alone;
- ``false_merge_free``: 1 - the share of stories holding events (any event) of two or more records;
- ``pairwise_precision``: of all pairs of events sharing a story, the share from one record (1.0 when
  no story has two events);
- ``b_cubed_precision``, ``b_cubed_recall``, ``b_cubed_f1``: B-cubed over main events, the record
  being the gold cluster.

Reference system ``same_type_and_day``: every stored event with the same ACLED event type and day
(its stated start date, else its publication date) in one story, scored the same way.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ..clean.dedup import shingles
from ..records import Article, Event, content_hash
from ..settings import Options
from ..store.schema import events
from .acled import _date, _key, _rows
from .base import EvalSet, Scores, register

if TYPE_CHECKING:
    from ..store.store import Store

__all__ = [
    "FRAME",
    "MergeRecord",
    "StoredEvent",
    "cluster_scores",
    "jaccard",
    "load_records",
    "main_event",
    "retell",
    "score_merge",
    "telling_articles",
]

NAME = "story-merge"
FRAME = "Local media reported that"
ORIGINAL, RETELLING = "original", "retelling"
_BACKGROUND_STATUS = frozenset({"planned", "hypothetical", "negated"})
# First words a sentence may lose its capital on behind the frame (never a name).
_COMMON_FIRST_WORDS = frozenset({
    "a", "an", "the", "some", "several", "many", "dozens", "hundreds", "thousands", "about", "around",
    "over", "nearly", "more", "unknown", "unidentified", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten"})
_LABEL = re.compile(r"(?P<label>[A-Z][a-z]+(?: [a-z]+){0,2}):\s+")
# A leading date phrase ending in a comma: "On 16 February 2024,", "Around 7 February 2024 (as reported),".
_DATE_PHRASE = re.compile(
    r"(?P<date>(?:On|Around|Between|From|In|During|Overnight)\s[^,]{0,60}?\b\d{4}\b[^,]{0,30}),\s*")
# The end of the first sentence: ., ! or ? before a capital, digit or quote, or at the end of the text;
# not after an abbreviation (a single letter, "Jan", "St", "No", ...).
_SENTENCE_END = re.compile(
    r"(?<![\s.(][A-Za-z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})[.!?](?=\s+[\"'(A-Z0-9]|\s*$)")


@dataclass(frozen=True)
class MergeRecord:
    """One ACLED record: its id, notes, event date (YYYY-MM-DD, the publication date of both tellings)
    and event type (as coded by ACLED, for the per-item rows)."""

    id: str
    notes: str
    date: str | None
    event_type: str


@dataclass(frozen=True)
class StoredEvent:
    """One row of the ``events`` table, with the record of its article; ``reading`` is what the
    reading gave (type, sub-event type, date, place name, actor1) to tell reading from merge errors."""

    id: str
    article: str
    record: str
    story: str
    event_type: str | None
    day: str | None  # the stated day, else the publication date (the reference system's day)
    reading: tuple[str | None, ...]
    merge_reason: str | None


# -- adapter -----------------------------------------------------------------------------------------


def _column(row: Mapping[str, str], *names: str) -> str:
    return next((row[n] for n in names if row.get(n)), "")


def load_records(folder: Path) -> dict[str, MergeRecord]:
    """Records of an ACLED ``events.csv``, modern (lower-case) or old (upper-case) columns; keyed as
    in the ``acled`` sets, so a sample mixes dates and places."""
    items: dict[str, MergeRecord] = {}
    for row in _rows(folder / "events.csv"):
        notes = _column(row, "notes", "NOTES").strip()
        raw_id = _column(row, "id", "EVENT_ID_CNTY")
        if notes and raw_id:
            items[_key(raw_id)] = MergeRecord(raw_id, notes, _date(_column(row, "event_date", "EVENT_DATE")),
                                              _column(row, "event_type", "EVENT_TYPE"))
    return items


# -- the two tellings --------------------------------------------------------------------------------


def _inside_quote_or_brackets(prefix: str) -> bool:
    """Whether a quotation or bracket opened in ``prefix`` is still open at its end."""
    opened = len(re.findall(r"(?:^|[\s(\[])'", prefix))
    closed = len(re.findall(r"'(?=[\s.,;:!?)\]]|$)", prefix))
    return prefix.count('"') % 2 == 1 or opened > closed or prefix.count("(") > prefix.count(")") \
        or prefix.count("[") > prefix.count("]")


def _first_sentence_end(text: str) -> int:
    """Where the first sentence's final punctuation is (the text's end when it has none)."""
    for match in _SENTENCE_END.finditer(text):
        if not _inside_quote_or_brackets(text[: match.start()]):
            return match.start()
    return len(text.rstrip().rstrip(".!?"))


def _spoken_date(day: str | None) -> str | None:
    """"2016-01-29" as "on 29 January 2016" (the way ACLED's notes state dates)."""
    try:
        parsed = date.fromisoformat(day) if day else None
    except ValueError:
        return None
    return f"on {parsed.day} {parsed:%B %Y}" if parsed else None


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first.casefold() in _COMMON_FIRST_WORDS else text


def retell(notes: str, day: str | None = None) -> str:
    """The same facts told another way, mechanically: a leading label ("Interception:") kept in front,
    the leading date phrase moved to the end of the first sentence (where the notes state no date and
    ``day`` is given, "on D Month YYYY" is put there), the rest framed as "Local media reported that"."""
    text = " ".join(notes.split())
    label = _LABEL.match(text)
    prefix = f"{label['label']}: " if label else ""
    text = text[label.end():] if label else text
    dated = _DATE_PHRASE.match(text)
    phrase = dated["date"][0].lower() + dated["date"][1:] if dated else _spoken_date(day)
    text = text[dated.end():] if dated else text
    if phrase:
        end = _first_sentence_end(text)
        text = f"{text[:end]} {phrase}{text[end:]}"
    return f"{prefix}{FRAME} {_lower_first(text)}"


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' word 5-shingles (what the copy detection estimates)."""
    left, right = shingles(a), shingles(b)
    return len(left & right) / len(left | right) if left | right else 1.0


def _article_id(key: str, telling: str) -> str:
    return f"{NAME}-{key}-{telling}"


def _article(key: str, record: MergeRecord, telling: str) -> Article:
    text = record.notes if telling == ORIGINAL else retell(record.notes, record.date)
    article = Article(id=_article_id(key, telling), source_kind="text", raw_text=text,
                      source=f"{NAME} {telling}", published=record.date,
                      published_note="the ACLED event date")
    article.content_hash = content_hash(text)
    return article


def telling_articles(items: Sequence[tuple[str, MergeRecord]]) -> Iterator[Article]:
    """Both tellings of every record, day by day: the day's originals, then its retellings."""
    by_day: dict[str, list[tuple[str, MergeRecord]]] = defaultdict(list)
    for key, record in items:
        by_day[record.date or ""].append((key, record))
    for day in sorted(by_day):
        for telling in (ORIGINAL, RETELLING):
            for key, record in sorted(by_day[day], key=lambda kr: kr[0]):
                yield _article(key, record, telling)


# -- running the ingest ------------------------------------------------------------------------------


def main_event(article: Article) -> Event | None:
    """The article's first event not in the title and not background; else its first event."""
    body = [e for e in article.events if not e.in_title]
    current = [e for e in body if e.temporal_status != "past" and e.status not in _BACKGROUND_STATUS]
    chosen = current or body
    return chosen[0] if chosen else None


@dataclass
class _Run:
    """What one ingest left behind: the stored events, main event per article, copy groups."""

    events: list[StoredEvent]
    main: dict[str, str]  # article id -> event id of its main event
    groups: dict[str, str | None]  # article id -> syndication group
    skipped: int
    rejected: int


def _record_of(article_id: str, keys: Mapping[str, str]) -> str:
    stem = article_id.rpartition("-")[0]
    return keys[stem.removeprefix(f"{NAME}-")]


def _stored_events(store: Store, keys: Mapping[str, str]) -> list[StoredEvent]:
    c = events.c
    columns = (c.id, c.article_id, c.story_id, c.acled_event_type, c.acled_sub_event_type, c.date_start,
               c.date_precision, c.published, c.location, c.actor1, c.merge_reason)
    with store.engine.connect() as conn:
        rows = list(conn.execute(select(*columns).order_by(c.id)))
    out = []
    for row in rows:
        stated = row.date_start if row.date_precision == "day" and row.date_start else None
        reading = (row.acled_event_type, row.acled_sub_event_type, row.date_start,
                   (row.location or "").casefold() or None, (row.actor1 or "").casefold() or None)
        record = _record_of(row.article_id, keys)
        day = (stated or row.published or "")[:10] or None
        out.append(StoredEvent(row.id, row.article_id, record, row.story_id or row.id, row.acled_event_type,
                               day, reading, row.merge_reason))
    return out


def _ingest(items: Sequence[tuple[str, MergeRecord]], options: Options) -> _Run:
    from ..store.store import open_store
    from ..stories.store import event_key
    from ..workflow import ingest_items

    keys = {key: record.id for key, record in items}
    with (tempfile.TemporaryDirectory(prefix="eventsift-story-merge-") as tmp,
          open_store(f"sqlite:///{Path(tmp) / 'stories.db'}") as store):
        summary, articles = ingest_items(telling_articles(items), store, options)
        stored = _stored_events(store, keys)
    main = {a.id: event_key(a, e) for a in articles if not a.halted and (e := main_event(a)) is not None}
    groups = {a.id: a.syndication_group for a in articles}
    return _Run(stored, main, groups, summary.skipped, summary.rejected)


# -- scoring -----------------------------------------------------------------------------------------


def _pairs(size: int) -> int:
    return size * (size - 1) // 2


def cluster_scores(clusters: Mapping[str, Sequence[str]], gold: Mapping[str, str],
                   main: Iterable[str]) -> dict[str, float]:
    """``false_merge_free`` and ``pairwise_precision`` over all events of ``clusters`` (cluster -> event
    ids) against ``gold`` (event id -> record); B-cubed over the ``main`` events only."""
    mixed = sum(len({gold[e] for e in members}) > 1 for members in clusters.values())
    all_pairs = sum(_pairs(len(m)) for m in clusters.values())
    same = sum(_pairs(n) for m in clusters.values() for n in Counter(gold[e] for e in m).values())
    scores = {
        "false_merge_free": 1 - mixed / len(clusters) if clusters else 1.0,
        "pairwise_precision": same / all_pairs if all_pairs else 1.0,
    }
    return scores | _b_cubed(clusters, gold, set(main))


def _b_cubed(clusters: Mapping[str, Sequence[str]], gold: Mapping[str, str],
             main: set[str]) -> dict[str, float]:
    size = Counter(gold[e] for e in main)
    precision = recall = 0.0
    for members in clusters.values():
        found = [e for e in members if e in main]
        inside = Counter(gold[e] for e in found)
        for event in found:
            precision += inside[gold[event]] / len(found)
            recall += inside[gold[event]] / size[gold[event]]
    n = len(main)
    p, r = (precision / n, recall / n) if n else (0.0, 0.0)
    return {"b_cubed_precision": p, "b_cubed_recall": r, "b_cubed_f1": 2 * p * r / (p + r) if p + r else 0.0}


def _pair_rows(items: Sequence[tuple[str, MergeRecord]], run: _Run) -> list[dict[str, Any]]:
    """One row per record: its two main events, whether both were read alike and were copies."""
    by_id = {e.id: e for e in run.events}
    rows = []
    for key, record in items:
        a, b = _article_id(key, ORIGINAL), _article_id(key, RETELLING)
        ea, eb = by_id.get(run.main.get(a, "")), by_id.get(run.main.get(b, ""))
        rows.append({
            "id": record.id, "date": record.date, "gold_type": record.event_type,
            "original_event": ea.id if ea else None, "retelling_event": eb.id if eb else None,
            "both_read": ea is not None and eb is not None,
            "same_reading": ea is not None and eb is not None and ea.reading == eb.reading,
            "copies": run.groups.get(b) is not None and run.groups.get(b) == run.groups.get(a),
            "jaccard": round(jaccard(record.notes, retell(record.notes, record.date)), 3),
        })
    return rows


def _recall(rows: Iterable[dict[str, Any]], story: Mapping[str, str]) -> float:
    chosen = list(rows)
    hits = sum(story[r["original_event"]] == story[r["retelling_event"]] for r in chosen)
    return hits / len(chosen) if chosen else 0.0


def _system(story: Mapping[str, str], gold: Mapping[str, str], rows: list[dict[str, Any]],
            main: Iterable[str]) -> dict[str, float]:
    both = [r for r in rows if r["both_read"]]
    return {
        "pair_recall": _recall(both, story),
        "pair_recall_not_copies": _recall((r for r in both if not r["copies"]), story),
        "pair_recall_same_reading": _recall((r for r in both if r["same_reading"]), story),
        **cluster_scores(_clusters(story), gold, main),
    }


def _clusters(story: Mapping[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for event_id, cluster in story.items():
        out[cluster].append(event_id)
    return dict(out)


def _copy_groups_across_records(run: _Run, records: Mapping[str, str]) -> int:
    members: dict[str, set[str]] = defaultdict(set)
    for article_id, group in run.groups.items():
        if group is not None:
            members[group].add(records[article_id])
    return sum(len(found) > 1 for found in members.values())


def _notes(run: _Run, rows: list[dict[str, Any]], story: Mapping[str, str], gold: Mapping[str, str],
           options: Options, records: Mapping[str, str]) -> dict[str, Any]:
    clusters = _clusters(story)
    mixed = [m for m in clusters.values() if len({gold[e] for e in m}) > 1]
    return {
        "retelling": f"label kept, leading date phrase moved to the end of the first sentence, '{FRAME} ...'",
        "articles_with_events": len({e.article for e in run.events}),
        "events": len(run.events), "stories": len(clusters),
        "largest_story": max((len(m) for m in clusters.values()), default=0),
        "stories_with_several_records": len(mixed),
        "records_in_mixed_stories": len({gold[e] for m in mixed for e in m}),
        "records_with_both_main_events": sum(r["both_read"] for r in rows),
        "records_read_alike": sum(r["same_reading"] for r in rows),
        "copies_grouped": sum(r["copies"] for r in rows),
        "copy_groups_across_records": _copy_groups_across_records(run, records),
        "dedup_threshold": options.dedup_threshold,
        "pairs_at_or_over_dedup_threshold": sum(r["jaccard"] >= options.dedup_threshold for r in rows),
        "max_shingle_jaccard": max((r["jaccard"] for r in rows), default=0.0),
        "skipped_same_content": run.skipped, "rejected": run.rejected,
    }


def _annotate(rows: list[dict[str, Any]], run: _Run, story: Mapping[str, str],
              gold: Mapping[str, str]) -> None:
    """Add to each row: one story or not, the retelling's merge reason, the original's story's records."""
    reasons = {e.id: e.merge_reason for e in run.events}
    clusters = _clusters(story)
    for row in rows:
        row["same_story"] = row["both_read"] and story[row["original_event"]] == story[row["retelling_event"]]
        row["merge_reason"] = reasons.get(row["retelling_event"] or "")
        members = clusters.get(story.get(row["original_event"] or "", ""), [])
        row["story_records"] = sorted({gold[e] for e in members})


def score_merge(items: list[tuple[str, Any]], options: Options) -> Scores:
    """Ingest both tellings of every record and score the stories (and the reference) against ACLED."""
    run = _ingest(items, options)
    gold = {e.id: e.record for e in run.events}
    records = {_article_id(key, t): record.id for key, record in items for t in (ORIGINAL, RETELLING)}
    story = {e.id: e.story for e in run.events}
    reference = {e.id: f"{e.event_type}|{e.day}" for e in run.events}
    rows = _pair_rows(items, run)
    main = [e for e in run.main.values() if e in gold]
    systems = {"eventsift": _system(story, gold, rows, main),
               "same_type_and_day": _system(reference, gold, rows, main)}
    _annotate(rows, run, story, gold)
    return Scores(systems=systems, items=rows, notes=_notes(run, rows, story, gold, options, records))


EVAL_SET = register(EvalSet(NAME, "cross-article merge into stories: ACLED records, each told twice",
                            load_records, score_merge, folder="acled-ukraine"))
