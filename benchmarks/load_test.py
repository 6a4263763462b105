"""Load test: a bounded asyncio client holding ``--concurrency`` requests in flight on /events for
``--seconds``, against 127.0.0.1 only; it stops by itself.

Each of the ``--concurrency`` workers sends one request, waits for the answer, and sends the next
until the time is up; a request is given at most ``--timeout`` seconds. The requests cycle through a
mix of the API's common filters on /events (none; country + dates + type; a bounding box; an actor;
full text; a cursor page), the same mix serve_million.py times one by one, drawn from the data with
a fixed seed. Reported: requests per second, p50/p95/p99 latency, how many answers were 5xx, other
non-200 answers, and errors (timeouts, refused or reset connections).

Either against a server already running (``--url http://127.0.0.1:PORT``) or, with ``--backend``,
against ``eventsift serve`` started here over the million-event database million_events.py cached.
Any host other than 127.0.0.1 is refused: this is not a tool for loading other people's servers.

    python benchmarks/load_test.py --backend sqlite|postgresql|both [--seconds 60] [--concurrency 20]
    python benchmarks/load_test.py --url http://127.0.0.1:8000 [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from million_events import CACHE, sqlite_path
from report import heading, machine, publish
from serve_million import _percentile, database, draw_requests, serving

ALLOWED_HOSTS = ("127.0.0.1",)
MIX = ("latest", "country + dates + type", "bounding box", "actor", "full text")


@dataclass
class Tally:
    """What the workers saw."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    cursors: list[str] = field(default_factory=list)


def check_url(url: str) -> str:
    """``url`` if it points at 127.0.0.1 over http; SystemExit otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in ALLOWED_HOSTS:
        raise SystemExit(f"refusing {url!r}: the load test only runs against http://127.0.0.1:PORT")
    return url.rstrip("/")


def request_mix(n: int, db_url: str) -> list[tuple[str, dict[str, str]]]:
    """``n`` requests of each kind in MIX, interleaved."""
    drawn = draw_requests(db_url, n)
    return [request for batch in itertools.zip_longest(*(drawn[kind] for kind in MIX)) for request in batch if request]


async def _worker(client: Any, requests: Any, deadline: float, tally: Tally, timeout: float) -> None:
    import httpx

    while time.monotonic() < deadline:
        path, params = next(requests)
        if params.get("cursor") == "?" and tally.cursors:
            params = {"cursor": tally.cursors[-1]}
        elif params.get("cursor") == "?":
            params = {}
        start = time.perf_counter()
        try:
            response = await client.get(path, params=params, timeout=timeout)
            tally.statuses[response.status_code] += 1
            if response.status_code == 200 and path == "/events" and not params:
                following = response.json().get("next")
                if following:
                    tally.cursors[:] = [following]
        except httpx.TimeoutException:
            tally.errors["timeout"] += 1
        except httpx.TransportError as exc:
            tally.errors[type(exc).__name__] += 1
        tally.latencies.append(time.perf_counter() - start)


async def run_load(base_url: str, requests: list[tuple[str, dict[str, str]]], seconds: float, concurrency: int,
                   timeout: float) -> tuple[Tally, float]:
    import httpx

    tally = Tally()
    cycle = itertools.cycle([*requests, ("/events", {"cursor": "?"})])
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=check_url(base_url), limits=limits) as client:
        start = time.monotonic()
        deadline = start + seconds
        workers = [_worker(client, cycle, deadline, tally, timeout) for _ in range(concurrency)]
        await asyncio.wait_for(asyncio.gather(*workers), timeout=seconds + timeout + 30)
        elapsed = time.monotonic() - start
    return tally, elapsed


def describe(label: str, tally: Tally, elapsed: float, concurrency: int) -> list[str]:
    ms = [v * 1000 for v in tally.latencies] or [0.0]
    answered = sum(tally.statuses.values())
    server_errors = sum(n for code, n in tally.statuses.items() if code >= 500)
    other = {code: n for code, n in tally.statuses.items() if code != 200 and code < 500}
    return [
        (f"- {label}: {answered:,} answers in {elapsed:.0f} s at concurrency {concurrency}: "
         f"{answered / elapsed:.1f} requests/s"),
        (f"  - latency p50 {_percentile(ms, 50):.0f} ms, p95 {_percentile(ms, 95):.0f} ms, "
         f"p99 {_percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms"),
        f"  - 5xx: {server_errors}; other non-200: {other or 0}; errors: {dict(tally.errors) or 0}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="a server already running on http://127.0.0.1:PORT")
    target.add_argument("--backend", choices=("sqlite", "postgresql", "both"))
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one request may take")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if not (1 <= args.concurrency <= 200 and 0 < args.seconds <= 3600):
        raise SystemExit("--concurrency must be 1..200 and --seconds 0..3600")
    if args.url:
        check_url(args.url)
    lines = [heading("load_test"), f"- command: `python benchmarks/load_test.py {' '.join(sys.argv[1:])}`",
             machine() + f"; client and server on one machine; mix of /events requests: {', '.join(MIX)}, cursor pages"]
    targets = [("server at " + args.url, None)] if args.url else \
        [(b, b) for b in (["sqlite", "postgresql"] if args.backend == "both" else [args.backend])]
    for label, backend in targets:
        if backend is None:
            requests = request_mix(20, f"sqlite:///{sqlite_path(args.cache)}")
            tally, elapsed = asyncio.run(run_load(args.url, requests, args.seconds, args.concurrency, args.timeout))
        else:
            with database(backend, args.cache) as db_url, serving(db_url) as base:
                requests = request_mix(20, db_url)
                tally, elapsed = asyncio.run(run_load(base, requests, args.seconds, args.concurrency, args.timeout))
            label = f"{backend}, the million-event database"
        lines += describe(label, tally, elapsed, args.concurrency)
    publish(lines, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
