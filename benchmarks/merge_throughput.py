"""What the storing side costs: store + dedup against store + dedup + merge into stories, in one run.

Articles: the real news texts throughput.py picks from ../shared/eval (PolNeAR texts, dated by their
file names, then the article-extraction gold bodies, dated by their URLs where those carry a date),
shuffled with a fixed seed. They are read ONCE, through the reading stages (pipeline.Runner with
reading_stages), in a subprocess that pickles the read articles to a temporary file. Then each
measurement runs in a fresh subprocess on those same articles, into a fresh SQLite file, after the
same warm-up (a few articles stored into a throwaway file):
  - baseline: ``storing_stages(store, options, merge=False)`` (store, dedup);
  - merge: ``storing_stages(store, options)`` (store, dedup, merge: events into stories);
each in three cases:
  - shuffled: a backfill, the articles in random date order, so that every date window fills up as
    the store grows;
  - by date: a live feed, the dated articles in publication order (the undated ones keep their
    places), so that the store grows while a date window's contents do not;
  - same day: every article published on one day (and the events dated by it, precision "reported",
    moved with it), so that every stored event of a type is a candidate for every later one: the
    hard case for a merge that must not recompute the world.
Measurements alternate over rounds; the fastest of each kind is kept. Reported: articles/s, the ratio
merge over baseline, events and stories, and the merge's time per article and per event in the
first and the last quarter of the articles (flat means it does not grow with the store), with the
candidate stories it examined and the story rows it loaded per event; peak memory per phase.

    python benchmarks/merge_throughput.py [--limit N] [--rounds R] [--no-write] [--reuse FILE]
"""

from __future__ import annotations

import argparse
import copy
import json
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from report import heading, machine, publish
from throughput import EVAL, load_texts

ROOT = Path(__file__).resolve().parent.parent
CASES = ("shuffled", "by-date", "same-day")
KINDS = tuple(f"{side}-{case}" for case in CASES for side in ("baseline", "merge"))
WARM_UP = 8  # articles stored into a throwaway file first, by every measurement alike
SEED = 0
_POLNEAR_NAME = re.compile(r"(?P<outlet>[^_]+)_(?P<day>\d{4}-\d{2}-\d{2})_")
_URL_DAY = re.compile(r"/(20\d\d)/(\d\d)/(\d\d)/")


# --- the articles ------------------------------------------------------------------------------------


def _metadata() -> dict[str, tuple[str | None, str | None, str | None]]:
    """Text -> (source, published, url), from the PolNeAR file names and the gold pages' URLs."""
    meta: dict[str, tuple[str | None, str | None, str | None]] = {}
    for split in ("train", "dev"):
        for path in sorted((EVAL / "attribution" / split / "text").glob("*.txt")):
            match = _POLNEAR_NAME.match(path.name)
            text = path.read_text(encoding="utf-8", errors="replace")
            meta.setdefault(text, (match["outlet"], match["day"], None) if match else (None, None, None))
    truth = EVAL / "article-extraction" / "ground-truth.json"
    if truth.exists():
        for page in json.loads(truth.read_text(encoding="utf-8")).values():
            url = page.get("url")
            day = _URL_DAY.search(url or "")
            host = re.sub(r"^www\.", "", url.split("/")[2]) if url and "://" in url else None
            meta.setdefault(page["articleBody"], (host, "-".join(day.groups()) if day else None, url))
    return meta


def load_articles(limit: int) -> list[Any]:
    """The texts throughput.py picks, as raw Articles with source and publication date, shuffled."""
    from eventsift.records import Article, content_hash

    meta, seen, items = _metadata(), set(), []
    for text in load_texts(limit):
        digest = content_hash(text)
        if digest in seen:  # an ingest skips a repeated content hash before it reads it
            continue
        seen.add(digest)
        source, published, url = meta.get(text, (None, None, None))
        items.append(Article(id=digest, source_kind="text", raw_text=text, source=source,
                             published=published, url=url))
    random.Random(SEED).shuffle(items)
    return items


def child_read(limit: int, path: Path) -> None:
    """Read the articles once through the reading stages and pickle them."""
    from eventsift.pipeline import Runner, reading_stages
    from eventsift.settings import Options

    items = load_articles(limit)
    runner = Runner(reading_stages(), Options(batch_size=32))
    start = time.perf_counter()
    read = list(runner.run(items))
    seconds = time.perf_counter() - start
    with path.open("wb") as handle:
        pickle.dump(read, handle, protocol=pickle.HIGHEST_PROTOCOL)
    print(json.dumps({"texts": len(items), "read": len(read), "rejected": runner.summary.rejected,
                      "seconds": seconds, "peak_mb": _peak_mb()}))


# --- one measurement ---------------------------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def same_day(articles: list[Any], day: str) -> list[Any]:
    """Every article published on ``day``; events dated by their article's publication move with it."""
    for article in articles:
        article.published = day
        for event in article.events:
            if event.when is not None and event.when.precision == "reported":
                event.when = replace(event.when, start=day)
    return articles


def by_date(articles: list[Any]) -> list[Any]:
    """The dated articles in publication order, in the places dated articles hold; undated ones stay."""
    dated = iter(sorted((a for a in articles if a.published), key=lambda a: a.published))
    return [next(dated) if a.published else a for a in articles]


def _timed(stages: list[Any], spent: dict[str, list[float]]) -> list[Any]:
    """The stages, each adding its time on the current article to ``spent[name][-1]``."""
    out = []
    for stage in stages:
        def run(article: Any, options: Any, _run: Any = stage.run, _sink: list[float] = spent[stage.name]) -> Any:
            start = time.perf_counter()
            try:
                return _run(article, options)
            finally:
                _sink[-1] += time.perf_counter() - start
        out.append(replace(stage, run=run))
    return out


def _instrument(work: dict[str, list[float]]) -> None:
    """Count what the merge examines: candidate stories and story rows loaded, per article."""
    from eventsift.stories import store as story_store

    candidates, rows = story_store._candidate_stories, story_store._story_rows

    def counted_candidates(*args: Any) -> Any:
        found = candidates(*args)
        work["candidates"][-1] += len(found)
        work["rows"][-1] += sum(len(members) for _sid, members in found)
        return found

    def counted_rows(*args: Any) -> Any:
        found = rows(*args)
        work["rows"][-1] += len(found)
        return found

    story_store._candidate_stories = counted_candidates  # type: ignore[assignment]
    story_store._story_rows = counted_rows  # type: ignore[assignment]


def child_store(kind: str, path: Path, folder: Path, day: str) -> None:
    from sqlalchemy import func, select

    from eventsift.pipeline import apply_stages, storing_stages
    from eventsift.records import Reject
    from eventsift.settings import Options
    from eventsift.store.schema import events
    from eventsift.store.store import open_store

    with path.open("rb") as handle:
        articles = pickle.load(handle)
    if kind.endswith("same-day"):
        articles = same_day(articles, day)
    elif kind.endswith("by-date"):
        articles = by_date(articles)
    merge = kind.startswith("merge")
    options = Options()
    with open_store(f"sqlite:///{folder / (kind + '-warm.db')}") as store:  # imports, rules, SQL caches
        stages = storing_stages(store, options, merge=merge)
        for article in copy.deepcopy(articles[:WARM_UP]):
            apply_stages(article, stages, options)
    names = ["store", "dedup", "merge"] if merge else ["store", "dedup"]
    spent: dict[str, list[float]] = {name: [] for name in names}
    work: dict[str, list[float]] = {"candidates": [], "rows": []}
    if merge:
        _instrument(work)
    rejected = 0
    with open_store(f"sqlite:///{folder / (kind + '.db')}") as store:
        stages = _timed(storing_stages(store, options, merge=merge), spent)
        start = time.perf_counter()
        for article in articles:
            for sink in (*spent.values(), *work.values()):
                sink.append(0.0)
            result = apply_stages(article, stages, options)
            if isinstance(result, Reject):
                rejected += 1
                store.add_reject(result)
                if rejected == 1:
                    print(f"{kind}: rejected at {result.stage}: {result.reason}", file=sys.stderr)
        seconds = time.perf_counter() - start
        if rejected > len(articles) // 10:  # a broken stage, not bad input: the numbers would mean nothing
            raise SystemExit(f"{kind}: {rejected} of {len(articles)} articles rejected; not a measurement")
        with store.reading("count") as conn:
            joined = conn.scalar(select(func.count()).select_from(events).where(events.c.merge_reason.is_not(None)))
            sizes = Counter(row.n for row in conn.execute(
                select(func.count().label("n")).select_from(events).group_by(events.c.story_id)))
        counts = {"articles": store.count_articles(), "events": store.count_events(),
                  "stories": store.count_stories(), "joined": int(joined or 0),
                  "multi": sum(n for size, n in sizes.items() if size > 1),
                  "multi_events": sum(size * n for size, n in sizes.items() if size > 1), "largest": max(sizes, default=0)}
    print(json.dumps({"kind": kind, "seconds": seconds, "n": len(articles), "rejected": rejected,
                      "event_counts": [0 if a.halted else len(a.events) for a in articles],
                      "spent": spent, "work": work, "peak_mb": _peak_mb(), **counts}))


def measure(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"child {args[:2]} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the report --------------------------------------------------------------------------------------


def quarters(result: dict, stage: str) -> list[dict[str, float]]:
    """Per quarter of the articles: ms per article and per event in ``stage``, work per event."""
    n, counts = result["n"], result["event_counts"]
    out = []
    for q in range(4):
        lo, hi = q * n // 4, (q + 1) * n // 4
        ms = sum(result["spent"][stage][lo:hi]) * 1000
        n_events = max(1, sum(counts[lo:hi]))
        row = {"per_article": ms / max(1, hi - lo), "per_event": ms / n_events, "events": sum(counts[lo:hi])}
        for name, values in result["work"].items():
            row[name] = sum(values[lo:hi]) / n_events if values else 0.0
        out.append(row)
    return out


def describe(label: str, base: dict, ours: dict) -> list[str]:
    base_rate, our_rate = base["n"] / base["seconds"], ours["n"] / ours["seconds"]
    first, *_, last = quarters(ours, "merge")
    dedup_first, *_, dedup_last = quarters(base, "dedup")
    return [
        f"- {label}:",
        f"  - baseline, store + dedup: {base_rate:,.1f} articles/s, peak memory {base['peak_mb']:.0f} MB",
        f"  - store + dedup + merge: {our_rate:,.1f} articles/s, peak memory {ours['peak_mb']:.0f} MB",
        f"  - ratio (merge over baseline, articles/s): {our_rate / base_rate:.2f}",
        (f"  - {ours['events']:,} events merged into {ours['stories']:,} stories; {ours['joined']:,} events joined"
         f" an earlier story; {ours['multi']:,} stories of 2+ events ({ours['multi_events']:,} events);"
         f" largest story {ours['largest']} events"),
        (f"  - merge time, first vs last quarter of the articles: {first['per_article']:.2f} vs"
         f" {last['per_article']:.2f} ms/article, {first['per_event']:.2f} vs {last['per_event']:.2f} ms/event"
         f" ({first['events']:,} vs {last['events']:,} events); per event, {first['candidates']:.1f} vs"
         f" {last['candidates']:.1f} candidate stories examined, {first['rows']:.1f} vs {last['rows']:.1f} story rows loaded"),
        (f"  - dedup time (baseline), first vs last quarter: {dedup_first['per_article']:.2f} vs"
         f" {dedup_last['per_article']:.2f} ms/article"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="articles to use (default 1000)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the fastest of each is kept")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to RESULTS.md")
    parser.add_argument("--reuse", type=Path, help="read articles pickled here by an earlier run (else read and keep them here)")
    parser.add_argument("--child", choices=["read", *KINDS], help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--day", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "read":
        child_read(args.limit, args.path)
        return 0
    if args.child:
        child_store(args.child, args.path, args.folder, args.day)
        return 0
    if not (EVAL / "attribution").is_dir():
        print(f"skipped: {EVAL / 'attribution'} not found", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="eventsift-merge-bench-") as tmp:
        folder = Path(tmp)
        path = args.reuse or folder / "read.pickle"
        reading = None
        if not path.exists():
            reading = measure(["--child", "read", "--limit", str(args.limit), "--path", str(path)])
            print(f"read {reading['read']} articles in {reading['seconds']:.0f} s", file=sys.stderr)
        with path.open("rb") as handle:
            read = pickle.load(handle)
        days = sorted(a.published for a in read if a.published)
        day = days[len(days) // 2] if days else "2016-01-01"
        runs: dict[str, list[dict]] = {kind: [] for kind in KINDS}
        for r in range(args.rounds):
            for kind in KINDS:
                runs[kind].append(measure(["--child", kind, "--path", str(path), "--folder", str(folder / f"{r}"),
                                           "--day", day]))
                print(f"round {r + 1}: {kind} {runs[kind][-1]['seconds']:.1f} s", file=sys.stderr)
    best = {kind: min(measured, key=lambda m: m["seconds"]) for kind, measured in runs.items()}
    n_events = sum(best["merge-shuffled"]["event_counts"])
    with_events = sum(1 for c in best["merge-shuffled"]["event_counts"] if c)
    read_line = (f"read once through the reading stages in {reading['seconds']:.0f} s ({reading['read']} of"
                 f" {reading['texts']} texts; peak memory {reading['peak_mb']:.0f} MB)" if reading else
                 f"read articles reused from {args.reuse}")
    lines = [
        heading("merge_throughput"),
        (f"- command: `python benchmarks/merge_throughput.py --limit {args.limit} --rounds {args.rounds}`"
         f" ({len(read)} real articles, {with_events} with events, {n_events:,} events; shuffled, seed {SEED};"
         f" fastest of {args.rounds} alternating rounds, each phase a fresh subprocess and SQLite file)"),
        f"- {read_line}",
        (f"- publication dates: {days[0]} .. {days[-1]} ({len(set(days))} distinct days;"
         f" {len(read) - len(days)} undated)" if days else "- publication dates: none"),
        machine() + ", one process, SQLite (WAL)",
        *describe("shuffled (a backfill: date windows fill up as the store grows)",
                  best["baseline-shuffled"], best["merge-shuffled"]),
        *describe("by date (a live feed: the store grows, a date window's contents do not)",
                  best["baseline-by-date"], best["merge-by-date"]),
        *describe(f"same day: every article published {day} (all events of a type in one candidate window)",
                  best["baseline-same-day"], best["merge-same-day"]),
    ]
    publish(lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
