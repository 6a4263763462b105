"""The API's common requests at a million events, over a real server, on SQLite and PostgreSQL.

The databases are the ones million_events.py builds (cached under /tmp). For each back-end,
``eventsift serve`` runs as its own process on 127.0.0.1 and one client times, one request after the
other (wall clock, response read in full):

- latest: ``/events`` with no filter;
- country + dates + type: one of the 30 countries with most events, one month, one event type;
- bounding box: two degrees square around a stored event's coordinates;
- actor: a stored actor name, lower-cased;
- full text: a word of a stored event's evidence (``q``), and a word no evidence holds;
- /stats with no filter;
- 20 pages deep: ``/events`` followed 20 times through ``next`` (each page timed; the total too).

The request parameters are drawn once from the SQLite copy with a fixed seed, so both back-ends
answer the same requests; every kind is warmed up first. Each request is timed twice over HTTP: the
first time (what a request not seen before costs: the rows it reads may not be in memory yet, and on
this machine the two databases together are larger than its memory), then again once every request
has been answered (the same request repeated). Then the query layer alone, in process. p50, p95 and
p99 of each kind go to benchmarks/RESULTS.md with the command.

    python benchmarks/serve_million.py [--requests N] [--backend sqlite|postgresql|both] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from million_events import CACHE, postgres_url, sqlite_path, stop_postgres
from report import heading, machine, publish

SEED = 11
WARM_UP = 3
NO_HIT = "zyxwvutsq"
KINDS = ("latest", "country + dates + type", "bounding box", "actor", "full text", "full text, no hit",
         "/stats", "20 pages deep (each page)")


# ------------------------------------------------------------------------------------- requests


def draw_requests(db_url: str, n: int) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """``n`` requests of each kind, as (path, params), drawn from the data with a fixed seed; the
    SQL is portable and its answers sorted here, so both back-ends give the same requests."""
    from sqlalchemy import create_engine, text

    from eventsift.store.store import database_url

    rng = random.Random(SEED)
    engine = create_engine(database_url(db_url))
    try:
        with engine.connect() as conn:
            countries = [r[0][1:] for r in conn.execute(text(
                "SELECT k1 FROM event_counts WHERE dim = 'region' AND k1 <> '-' GROUP BY k1 "
                "ORDER BY sum(n) DESC, k1 LIMIT 30"))]
            types = sorted({r[0][1:] for r in conn.execute(text("SELECT k1 FROM event_counts WHERE dim = 'sub'"))})
            days = sorted((-r[1], r[0][1:]) for r in conn.execute(text(
                "SELECT k1, n FROM event_counts WHERE dim = 'day' AND length(k1) = 11")))
            months = sorted({day[:7] for _, day in days[:200]})
            sample = sorted(tuple(r) for r in conn.execute(text(
                "SELECT id, lat, lon, actor1, evidence FROM events WHERE date_start IN "
                f"({', '.join(repr(day) for _, day in days[:12])})")))
    finally:
        engine.dispose()
    placed = [r for r in sample if r[1] is not None]
    actors = sorted({r[3] for r in sample if r[3]})
    words = sorted({w.lower() for r in sample for w in r[4].split() if w.isalpha() and len(w) >= 5})
    events = "/events"
    return {
        "latest": [(events, {})] * n,
        "country + dates + type": [(events, {"country": c, "event_type": rng.choice(types), "date_from": m,
                                             "date_to": m}) for c, m in
                                   ((rng.choice(countries), rng.choice(months)) for _ in range(n))],
        "bounding box": [(events, {"bbox": f"{lon - 1:.3f},{lat - 1:.3f},{lon + 1:.3f},{lat + 1:.3f}"})
                         for _, lat, lon, *_ in rng.sample(placed, min(n, len(placed)))],
        "actor": [(events, {"actor": rng.choice(actors).lower()}) for _ in range(n)],
        "full text": [(events, {"q": w}) for w in rng.sample(words, min(n, len(words)))],
        "full text, no hit": [(events, {"q": NO_HIT})] * n,
        "/stats": [("/stats", {})] * n,
    }


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def _timed(client: Any, path: str, params: dict[str, str]) -> tuple[float, Any]:
    start = time.perf_counter()
    response = client.get(path, params=params)
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: HTTP {response.status_code}: {response.text[:300]}")
    return seconds, response.json()


def time_kinds(base_url: str, requests: dict[str, list[tuple[str, dict[str, str]]]], pages: int,
               deep_runs: int) -> dict[str, list[float]]:
    import httpx

    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with httpx.Client(base_url=base_url, timeout=120) as client:
        for kind, batch in requests.items():
            for path, params in batch[:WARM_UP]:
                _timed(client, path, params)
            timings[kind] = [_timed(client, path, params)[0] for path, params in batch]
        for _ in range(deep_runs):
            params: dict[str, str] = {}
            for _page in range(pages):
                seconds, page = _timed(client, "/events", params)
                timings["20 pages deep (each page)"].append(seconds)
                if not page["next"]:
                    break
                params = {"cursor": page["next"]}
    return timings


def time_in_process(db_url: str, requests: dict[str, list[tuple[str, dict[str, str]]]]) -> dict[str, list[float]]:
    """The same requests through the query layer in this process (no HTTP, no JSON): what the
    database and the item building cost, apart from the server's serialisation."""
    from eventsift.store.query import list_events, parse_filters, stats
    from eventsift.store.store import open_store

    timings: dict[str, list[float]] = {}
    with open_store(db_url) as store:
        for kind, batch in requests.items():
            def run(path: str, params: dict[str, str]) -> None:
                stats(store, parse_filters(params)) if path == "/stats" else list_events(store, parse_filters(params))

            for path, params in batch[:WARM_UP]:
                run(path, params)
            timings[kind] = []
            for path, params in batch:
                start = time.perf_counter()
                run(path, params)
                timings[kind].append(time.perf_counter() - start)
    return timings


# --------------------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(db_url: str) -> Iterator[str]:
    """``eventsift serve`` over ``db_url`` on 127.0.0.1, in its own process, until the block ends."""
    import httpx

    port = _free_port()
    command = [str(Path(sys.executable).parent / "eventsift"), "serve", "--db", db_url, "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/events", params={"limit": "1"}, timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {server.stderr.read().decode()[-2000:] if server.stderr else ''}")
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def database(backend: str, cache: Path) -> Iterator[str]:
    """The URL of the cached million-event database of ``backend`` (PostgreSQL started, then stopped)."""
    if backend == "sqlite":
        yield f"sqlite:///{sqlite_path(cache)}"
        return
    url, cluster = postgres_url(cache)
    try:
        yield url
    finally:
        stop_postgres(cluster)


# ----------------------------------------------------------------------------------------- report


def _p50_p95(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"p50 {_percentile(ms, 50):.1f}, p95 {_percentile(ms, 95):.1f} ms"


def describe(backend: str, timings: dict[str, list[float]], again: dict[str, list[float]], events: int,
             in_process: dict[str, list[float]]) -> list[str]:
    lines = [f"- {backend}, {events:,} events (HTTP, first time; HTTP, asked again; the query layer alone, in process):"]
    for kind in KINDS:
        values = timings.get(kind) or []
        if values:
            ms = [v * 1000 for v in values]
            extra = "".join(f"; {label} {_p50_p95(more[kind])}" for label, more in
                            (("asked again", again), ("query layer", in_process)) if more.get(kind))
            lines.append(f"  - {kind}: p50 {_percentile(ms, 50):.1f} ms, p95 {_percentile(ms, 95):.1f} ms, "
                         f"p99 {_percentile(ms, 99):.1f} ms ({len(ms)} requests{extra})")
    deep = timings.get("20 pages deep (each page)") or []
    if deep:
        lines.append(f"  - 20 pages deep, whole walk: {sum(deep) * 1000 / max(1, len(deep) // 20):.0f} ms on average")
    return lines


def event_count(db_url: str) -> int:
    from sqlalchemy import create_engine, text

    from eventsift.store.store import database_url

    engine = create_engine(database_url(db_url))
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SELECT sum(n) FROM event_counts WHERE dim = 'day'")) or 0)
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="requests of each kind")
    parser.add_argument("--deep-runs", type=int, default=5, help="walks 20 pages deep")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    requests: dict[str, list[tuple[str, dict[str, str]]]] = {}
    lines = [heading("serve_million"), f"- command: `python benchmarks/serve_million.py {' '.join(sys.argv[1:])}`".rstrip(),
             machine() + "; one client, requests one after another, over `eventsift serve` on 127.0.0.1; "
             f"load average at start {os.getloadavg()[0]:.1f} (the machine is shared)"]
    for backend in backends:
        with database(backend, args.cache) as url:
            requests = requests or draw_requests(url, args.requests)  # the first back-end's draw, for both
            with serving(url) as base:
                over_http = time_kinds(base, requests, 20, args.deep_runs)
                again = time_kinds(base, requests, 20, args.deep_runs)
            lines += describe(backend, over_http, again, event_count(url), time_in_process(url, requests))
    publish(lines, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
