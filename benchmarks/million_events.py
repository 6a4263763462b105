"""A million events from real extract output, bulk loaded into SQLite and PostgreSQL, cached under /tmp.

1. Seed: the real news articles merge_throughput.py uses (PolNeAR texts from ../shared/eval, then the
   article-extraction gold bodies), ``--articles`` of them, read once through the reading stages and
   stored through the storing stages (store, dedup, merge into stories) into ``seed.db``: real events,
   real stories.
2. Replicas of the seed (million_data.py: new ids, shifted dates, places moved across the world's
   cities) until there are at least ``--events`` events, written straight into the tables in bulk:
   SQLite by ``executemany``, PostgreSQL by ``COPY``. The schema comes from the package's migrations
   (``open_store``), so every index and counter trigger (and PostgreSQL's generated ``evidence_tsv``
   column, which COPY never lists: the database computes it) is in place while loading and is measured
   with it (SQLite's full-text triggers are suspended and its FTS5 indexes rebuilt once at the end,
   see load_sqlite). Then ANALYZE, so each planner knows the data.
3. PostgreSQL runs as a throwaway cluster kept under the cache folder (tests/pg.py's Cluster; fsync
   off: a benchmark database) and is started again by whoever needs it (:func:`postgres_url`).

Everything lands in ``--cache`` (default /tmp/eventsift-million); a rerun reuses what is there.

    python benchmarks/million_events.py [--events N] [--articles N] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from million_data import replicate

CACHE = Path("/tmp/eventsift-million")
TABLES = ("articles", "stories", "events")  # the order they load in (events refer to articles)
_BATCH = 5000
_PG_SETTINGS = ("-c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=8GB "
                "-c checkpoint_timeout=30min -c max_connections=60")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- seed


def build_seed(cache: Path, limit: int) -> Path:
    """seed.db: ``limit`` real articles read and stored by the pipeline (cached)."""
    seed = cache / f"seed-{limit}.db"
    if seed.exists():
        return seed
    from merge_throughput import load_articles

    from eventsift.pipeline import Runner, apply_stages, reading_stages, storing_stages
    from eventsift.records import Reject
    from eventsift.settings import Options
    from eventsift.store.store import open_store

    options = Options(batch_size=32)
    items = load_articles(limit)
    log(f"seed: reading {len(items)} real articles")
    read = list(Runner(reading_stages(), options).run(items))
    partial = seed.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with open_store(f"sqlite:///{partial}") as store:
        stages = storing_stages(store, options)
        for article in read:
            result = apply_stages(article, stages, options)
            if isinstance(result, Reject):
                store.add_reject(result)
        log(f"seed: {store.count_articles()} articles, {store.count_events()} events, {store.count_stories()} stories")
    partial.rename(seed)
    return seed


def seed_rows(seed: Path) -> dict[str, list[dict[str, Any]]]:
    """The seed's articles, stories and events, as stored (SQLite's own text for timestamps)."""
    conn = sqlite3.connect(seed)
    conn.row_factory = sqlite3.Row
    try:
        rows = {t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES}
    finally:
        conn.close()
    with_events = {e["article_id"] for e in rows["events"]}  # the rest add bulk, not events
    rows["articles"] = [a for a in rows["articles"] if a["id"] in with_events]
    return rows


def replica_count(rows: dict[str, list[dict[str, Any]]], events: int) -> int:
    per = len(rows["events"])
    if per == 0:
        raise SystemExit("the seed has no events; read more articles (--articles)")
    return -(-events // per)


def replicated(rows: dict[str, list[dict[str, Any]]], table: str, replicas: int) -> Iterator[dict[str, Any]]:
    how = {"articles": "article", "stories": "story", "events": "event"}[table]
    return replicate(rows[table], how, range(replicas))


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


# ----------------------------------------------------------------------------------------- SQLite


def load_sqlite(path: Path, rows: dict[str, list[dict[str, Any]]], replicas: int) -> dict[str, float]:
    """Bulk insert every replica into a fresh SQLite file whose schema the migrations made.

    As a bulk load would: no journal while loading (a failed load is thrown away), one transaction
    per table, and the full-text triggers suspended and the FTS5 indexes rebuilt once at the end
    (per-row FTS inserts ran at 400 stories/s); the counter and actor-name triggers stay on."""
    from eventsift.store.store import open_store

    path.unlink(missing_ok=True)
    open_store(f"sqlite:///{path}").close()
    conn = sqlite3.connect(path, isolation_level=None)
    seconds: dict[str, float] = {}
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-2000000")  # 2 GB of page cache while loading
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts_%'").fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for table in TABLES:
            start = time.perf_counter()
            columns = list(rows[table][0]) if rows[table] else []
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            conn.execute("BEGIN")
            for n, chunk in enumerate(_chunks(replicated(rows, table, replicas), _BATCH)):
                conn.executemany(sql, [tuple(r[c] for c in columns) for r in chunk])
                if n % 40 == 0:
                    log(f"sqlite {table}: {(n + 1) * _BATCH:,} rows")
            conn.execute("COMMIT")
            seconds[table] = time.perf_counter() - start
        start = time.perf_counter()
        for table in ("events", "stories"):
            conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
        for _name, trigger in triggers:
            conn.execute(trigger)
        seconds["fulltext"] = time.perf_counter() - start
        start = time.perf_counter()
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode=WAL")
        seconds["analyze"] = time.perf_counter() - start
    finally:
        conn.close()
    return seconds


# ------------------------------------------------------------------------------------- PostgreSQL


def _cluster(cache: Path) -> Any:
    from tests.pg import Cluster, find_binaries

    bin_dir = find_binaries()
    if bin_dir is None:
        raise SystemExit("PostgreSQL binaries not found under /usr/lib/postgresql (see .ci/start-postgres.sh)")
    return Cluster(bin_dir, cache / "pg")


def postgres_url(cache: Path = CACHE) -> tuple[str, Any]:
    """Start the cached cluster (made by ``--backend postgresql``); its URL and the cluster to stop."""
    import os
    import pwd
    import subprocess

    cluster = _cluster(cache)
    if not (cluster.data / "PG_VERSION").exists():
        raise SystemExit(f"no PostgreSQL database under {cluster.root}: run benchmarks/million_events.py first")
    port_file = cluster.root / "port"
    cluster.port = int(port_file.read_text()) if port_file.exists() else 0
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(cluster.root, owner.pw_uid, owner.pw_gid)
    options = f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {cluster.root} -c fsync=off {_PG_SETTINGS}"
    status = subprocess.run(["runuser", "-u", "postgres", "--", str(cluster.bin_dir / "pg_ctl"), "-D",
                             str(cluster.data), "status"], capture_output=True, check=False)
    if status.returncode != 0:
        cluster._run("pg_ctl", "-D", str(cluster.data), "-l", str(cluster.log), "-o", options, "-w", "-t", "120",
                     "start")
    cluster.running = True
    return cluster.url("million"), cluster


def stop_postgres(cluster: Any) -> None:
    """Stop the cluster, keeping its data (Cluster.stop would delete it)."""
    cluster._run("pg_ctl", "-D", str(cluster.data), "-m", "fast", "-w", "stop")


def _new_cluster(cache: Path) -> tuple[str, Any]:
    import os
    import pwd
    import shutil

    from tests.pg import _free_port

    cluster = _cluster(cache)
    shutil.rmtree(cluster.root, ignore_errors=True)
    cluster.root.mkdir(parents=True)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(cluster.root, owner.pw_uid, owner.pw_gid)
    cluster.init()
    (cluster.root / "port").write_text(str(_free_port()))
    url, cluster = postgres_url(cache)
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE million ENCODING 'UTF8' TEMPLATE template0")
    return url, cluster


def load_postgres(cache: Path, rows: dict[str, list[dict[str, Any]]], replicas: int) -> dict[str, float]:
    """COPY every replica into a fresh cluster's database whose schema the migrations made."""
    import psycopg

    from eventsift.store.store import open_store

    url, cluster = _new_cluster(cache)
    seconds: dict[str, float] = {}
    try:
        open_store(url).close()
        with psycopg.connect(url) as conn:
            for table in TABLES:
                start = time.perf_counter()
                columns = list(rows[table][0]) if rows[table] else []
                with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for n, row in enumerate(replicated(rows, table, replicas)):
                        copy.write_row(tuple(row[c] for c in columns))
                        if n % 200_000 == 0:
                            log(f"postgresql {table}: {n:,} rows")
                conn.commit()
                seconds[table] = time.perf_counter() - start
        with psycopg.connect(url, autocommit=True) as conn:
            start = time.perf_counter()
            conn.execute("VACUUM ANALYZE")
            seconds["analyze"] = time.perf_counter() - start
    finally:
        stop_postgres(cluster)
    return seconds


# ------------------------------------------------------------------------------------------- main


def sqlite_path(cache: Path = CACHE) -> Path:
    return cache / "million.db"


def build(cache: Path, events: int, articles: int, backends: list[str]) -> dict[str, Any]:
    cache.mkdir(parents=True, exist_ok=True)
    rows = seed_rows(build_seed(cache, articles))
    replicas = replica_count(rows, events)
    summary: dict[str, Any] = {"seed": {t: len(rows[t]) for t in TABLES}, "replicas": replicas,
                               "seed_db": build_seed(cache, articles).name,
                               "rows": {t: len(rows[t]) * replicas for t in TABLES}}
    summary["loads"] = {}
    for backend in backends:
        done_file = cache / f"built-{backend}.json"  # one per back-end: two builds may run at once
        done = json.loads(done_file.read_text()) if done_file.exists() else {}
        if done.get("rows") != summary["rows"]:
            log(f"{backend}: loading {summary['rows']['events']:,} events in {replicas} replicas")
            seconds = load_sqlite(sqlite_path(cache), rows, replicas) if backend == "sqlite" else \
                load_postgres(cache, rows, replicas)
            done = {"rows": summary["rows"], "seconds": seconds}
            done_file.write_text(json.dumps(done, indent=1))
        summary["loads"][backend] = done
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=1200)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(json.dumps(build(args.cache, args.events, args.articles, backends), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
