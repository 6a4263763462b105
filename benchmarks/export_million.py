"""Exports of the million-event database: rows per second and peak memory, per format and back-end.

Each export runs in a fresh subprocess (so its peak memory is its own): ``iter_event_items`` over
every event (no filter, the default order), written by the registered exporter to a file under the
cache folder, which is deleted afterwards. ``--events N`` exports only the newest N-ish events (a
``date_from`` chosen so that about N match), to compare peak memory at two sizes: flat means the
export streams. Peak memory is the child's maximum resident set (ru_maxrss), imports included.

    python benchmarks/export_million.py [--formats csv,parquet] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from million_events import CACHE, sqlite_path
from report import heading, machine, publish
from serve_million import database


def _date_from(cache: Path, events: int) -> str | None:
    """The earliest day such that about ``events`` events start on or after it (None: all)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{sqlite_path(cache)}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT substr(k1, 2), n FROM event_counts WHERE dim = 'day' AND length(k1) = 11 "
                            "ORDER BY k1 DESC").fetchall()
    finally:
        conn.close()
    seen = 0
    for day, n in rows:
        seen += n
        if seen >= events:
            return str(day)
    return None


def child(db_url: str, fmt: str, out: Path, date_from: str | None) -> None:
    from eventsift.export.exporters import export_path
    from eventsift.store.query import Filters, iter_event_items
    from eventsift.store.store import open_store

    with open_store(db_url) as store:
        start = time.perf_counter()
        rows = export_path(iter_event_items(store, Filters(date_from=date_from)), out, fmt)
        seconds = time.perf_counter() - start
    print(json.dumps({"rows": rows, "seconds": seconds, "bytes": out.stat().st_size,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(db_url: str, fmt: str, cache: Path, date_from: str | None) -> dict[str, float]:
    out = cache / f"export.{fmt}"
    try:
        done = subprocess.run([sys.executable, __file__, "--child", db_url, fmt, str(out), date_from or ""],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"export {fmt} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        out.unlink(missing_ok=True)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], Path(sys.argv[4]), sys.argv[5] or None)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", default="csv,geojson,parquet,jsonl")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--events", type=int, default=0, help="export about this many (0: all)")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    date_from = _date_from(args.cache, args.events) if args.events else None
    lines = [heading("export_million"), f"- command: `python benchmarks/export_million.py {' '.join(sys.argv[1:])}`",
             machine() + (f"; events from {date_from} on" if date_from else "; every event")]
    for backend in (["sqlite", "postgresql"] if args.backend == "both" else [args.backend]):
        with database(backend, args.cache) as url:
            for fmt in args.formats.split(","):
                r = measure(url, fmt, args.cache, date_from)
                lines.append(f"- {backend}, {fmt}: {r['rows']:,.0f} rows in {r['seconds']:.0f} s, "
                             f"{r['rows'] / r['seconds']:,.0f} rows/s, {r['bytes'] / 1e6:,.0f} MB written, "
                             f"peak memory {r['peak_mb']:.0f} MB")
    publish(lines, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
