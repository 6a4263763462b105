"""Concurrent ingests into one PostgreSQL database: what a second writer costs and what it changes.

Articles: the real news texts merge_throughput.py reads (PolNeAR texts, then the article-extraction
gold bodies, with their sources and dates), read ONCE through the reading stages and pickled. Then,
in a throwaway PostgreSQL cluster, for each case and each number of writers, a fresh database gets
the articles through the storing stages (store, dedup, merge: ``eventsift ingest``'s Runner), split
round-robin between writer processes that start together:
  - as read: each article with its own publication date;
  - same day: every article published on one day (events dated by it move with it), so that every
    stored event of a type is a candidate for every later one.
Each article's store, dedup and merge run in one transaction under the writers' advisory lock, so the
writers' result must be a result one writer could give: the order the lock let the articles through
is read back (``ingested_at``), the articles are stored again by one writer in exactly that order,
and the two databases must hold the same copies and stories (each as the set of its members' ids).
Reported: wall time and articles/s per number of writers, its ratio to one writer, rejects and
duplicate-key failures (none expected), whether the replay matched, and as a control how many stories
differ when one writer stores the articles in the reverse order (the merge is greedy: order can
matter, so a match is not a matter of course).

    python benchmarks/concurrent_ingest.py [--limit N] [--writers 1 2 3] [--reuse FILE] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from merge_throughput import EVAL, same_day
from report import heading, machine, publish

ROOT = Path(__file__).resolve().parent.parent
CASES = ("as-read", "same-day")


# --- one writer (a child process) --------------------------------------------------------------------


def _articles(path: Path, case: str, day: str) -> list[Any]:
    with path.open("rb") as handle:
        articles = pickle.load(handle)
    return same_day(articles, day) if case == "same-day" else articles


def child_write(path: Path, url: str, case: str, day: str, part: int, parts: int, order: Path | None) -> None:
    """Store this writer's share; wait for 'go' on stdin once loaded, so that all writers start together."""
    from eventsift.pipeline import storing_stages
    from eventsift.settings import Options
    from eventsift.store.store import open_store
    from eventsift.stories.rules import rules

    articles = _articles(path, case, day)
    if order is not None:  # a replay: every article, in the order given
        by_id = {a.id: a for a in articles}
        articles = [by_id[i] for i in json.loads(order.read_text())]
    else:
        articles = articles[part::parts]
    options = Options()
    rules()
    counts = {"done": 0, "skipped": 0, "rejected": 0}
    reasons: set[str] = set()
    with open_store(url) as store:
        stages = storing_stages(store, options)
        print("ready", flush=True)
        sys.stdin.readline()
        start = time.perf_counter()
        for article in articles:
            outcome = _store_one(store, stages, options, article)
            counts[outcome if isinstance(outcome, str) else "rejected"] += 1
            if not isinstance(outcome, str):
                reasons.add(outcome.reason[:200])
        seconds = time.perf_counter() - start
    print(json.dumps({"n": len(articles), "seconds": seconds, **counts, "reasons": sorted(reasons)}))


class _Undo(Exception):
    """Leaves the article's transaction, rolling it back."""


def _store_one(store: Any, stages: list[Any], options: Any, article: Any) -> Any:
    """What ``eventsift ingest`` does with a read article: its storing stages in one transaction under
    the writers' lock; 'done', 'skipped' (stored by another writer meanwhile) or the Reject."""
    from eventsift.pipeline import AlreadyStored, apply_stages
    from eventsift.records import Reject

    try:
        with store.atomic("cannot store article"):
            result = apply_stages(article, stages, options)
            if isinstance(result, Reject):
                raise _Undo(result)
    except _Undo as undo:
        return undo.args[0]
    except AlreadyStored:
        return "skipped"
    return "done"


# --- the run -----------------------------------------------------------------------------------------


def _together(commands: list[list[str]]) -> tuple[float, list[dict]]:
    """Start every writer, let them load, then release them at once; wall seconds and their reports."""
    procs = [subprocess.Popen(c, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for c in commands]
    for proc in procs:
        line = proc.stdout.readline() if proc.stdout else ""
        if line.strip() != "ready":
            raise SystemExit(f"writer did not start: {line}{proc.stderr.read() if proc.stderr else ''}"[-4000:])
    start = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate() for proc in procs]
    wall = time.perf_counter() - start
    reports = []
    for proc, (out, err) in zip(procs, outputs, strict=True):
        if proc.returncode != 0:
            raise SystemExit(f"writer failed:\n{err[-4000:]}")
        report = json.loads(out.strip().splitlines()[-1])
        report["duplicate_key"] = sum(err.count(s) for s in ("duplicate key", "UniqueViolation", "IntegrityError"))
        reports.append(report)
    return wall, reports


def _writer(path: Path, url: str, case: str, day: str, part: int, parts: int, order: Path | None = None) -> list[str]:
    command = [sys.executable, __file__, "--child", "--path", str(path), "--url", url, "--case", case, "--day", day,
               "--part", str(part), "--parts", str(parts)]
    return command + (["--order", str(order)] if order else [])


def snapshot(url: str) -> dict[str, Any]:
    """Commit order, copies and stories as sets of ids (ids of groups and stories aside)."""
    import psycopg

    with psycopg.connect(url) as conn:
        order = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY ingested_at, id")]
        groups = conn.execute("SELECT syndication_group, id FROM articles WHERE syndication_group IS NOT NULL").fetchall()
        members = conn.execute("SELECT story_id, id FROM events").fetchall()
    return {"order": order, "groups": _partition(groups), "stories": _partition(members)}


def _partition(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    sets: dict[str, set[str]] = {}
    for key, member in pairs:
        sets.setdefault(key, set()).add(member)
    return {frozenset(s) for s in sets.values()}


def _database(cluster: Any, name: str) -> str:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    url = cluster.url(name)
    from eventsift.store.store import open_store

    open_store(url).close()  # migrated before the clock starts
    return url


def run_case(cluster: Any, path: Path, folder: Path, case: str, day: str, writers: int) -> dict[str, Any]:
    url = _database(cluster, f"w{writers}_{case.replace('-', '_')}")
    wall, reports = _together([_writer(path, url, case, day, i, writers) for i in range(writers)])
    got = snapshot(url)
    order = folder / f"order-{case}-{writers}.json"
    order.write_text(json.dumps(got["order"]))
    replay_url = _database(cluster, f"r{writers}_{case.replace('-', '_')}")
    _together([_writer(path, replay_url, case, day, 0, 1, order)])
    replay = snapshot(replay_url)
    order.write_text(json.dumps(got["order"][::-1]))  # the control: does the order matter here at all?
    reverse_url = _database(cluster, f"v{writers}_{case.replace('-', '_')}")
    _together([_writer(path, reverse_url, case, day, 0, 1, order)])
    reverse = snapshot(reverse_url)
    return {"writers": writers, "wall": wall, "n": sum(r["n"] for r in reports), "reports": reports,
            "stories": len(got["stories"]), "events": sum(len(s) for s in got["stories"]),
            "groups": len(got["groups"]), "same_stories": got["stories"] == replay["stories"],
            "same_groups": got["groups"] == replay["groups"], "same_order": got["order"] == replay["order"],
            "reversed_differs": len(got["stories"] ^ reverse["stories"])}


def describe(case: str, runs: list[dict[str, Any]]) -> list[str]:
    one = next((r for r in runs if r["writers"] == 1), runs[0])
    lines = [f"- {case}:"]
    for r in runs:
        rate = r["n"] / r["wall"]
        rejected = sum(x["rejected"] for x in r["reports"])
        dup = sum(x["duplicate_key"] for x in r["reports"])
        lines.append(
            f"  - {r['writers']} writer(s): {r['n']:,} articles in {r['wall']:.1f} s, {rate:,.1f} articles/s"
            f" ({rate / (one['n'] / one['wall']):.2f}x one writer); {r['events']:,} events in {r['stories']:,}"
            f" stories, {r['groups']:,} copy groups; rejects {rejected}, duplicate-key failures {dup};"
            f" one writer replaying the commit order gives the same stories: {'yes' if r['same_stories'] else 'NO'},"
            f" the same copy groups: {'yes' if r['same_groups'] else 'NO'} (control: the reverse order gives"
            f" {r['reversed_differs']} stories not in both)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=500, help="articles to use (default 500)")
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to RESULTS.md")
    parser.add_argument("--reuse", type=Path, help="articles pickled by merge_throughput.py or an earlier run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    for name in ("path", "order"):
        parser.add_argument(f"--{name}", type=Path, help=argparse.SUPPRESS)
    for name in ("url", "case", "day"):
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--parts", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_write(args.path, args.url, args.case, args.day, args.part, args.parts, args.order)
        return 0
    if not (EVAL / "attribution").is_dir():
        print(f"skipped: {EVAL / 'attribution'} not found", file=sys.stderr)
        return 0
    sys.path.insert(0, str(ROOT))
    from tests.pg import find_binaries, start_cluster

    bin_dir = find_binaries()
    if bin_dir is None:
        raise SystemExit("no PostgreSQL binaries (apt-get install postgresql)")
    with tempfile.TemporaryDirectory(prefix="eventsift-concurrent-") as tmp:
        folder = Path(tmp)
        path = args.reuse or folder / "read.pickle"
        if not path.exists():
            done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "merge_throughput.py"), "--child", "read",
                                   "--limit", str(args.limit), "--path", str(path)], check=False, text=True,
                                  capture_output=True)
            if done.returncode != 0:
                raise SystemExit(f"reading failed:\n{done.stderr[-4000:]}")
        with path.open("rb") as handle:
            read = pickle.load(handle)
        days = sorted(a.published for a in read if a.published)
        day = days[len(days) // 2] if days else "2016-01-01"
        cluster = start_cluster(bin_dir)
        try:
            results = {case: [] for case in CASES}
            for case in CASES:
                for writers in args.writers:
                    results[case].append(run_case(cluster, path, folder, case, day, writers))
                    print(f"{case}, {writers} writer(s): {results[case][-1]['wall']:.1f} s", file=sys.stderr)
        finally:
            cluster.stop()
    lines = [
        heading("concurrent_ingest"),
        (f"- command: `python benchmarks/concurrent_ingest.py --limit {args.limit} --writers"
         f" {' '.join(map(str, args.writers))}` ({len(read)} real articles read once; each run a fresh database"
         f" in a throwaway PostgreSQL cluster, the articles split round-robin between writer processes released"
         f" together; store, dedup and merge per article in one transaction under the writers' lock)"),
        machine(),
        *describe("as read (each article's own publication date)", results["as-read"]),
        *describe(f"same day (every article published {day})", results["same-day"]),
    ]
    publish(lines, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
