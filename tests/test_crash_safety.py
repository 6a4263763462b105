"""Crashes and concurrent writers (issue 12, C1-C3), on real ``eventsift ingest`` processes.

C1: an ingest killed with SIGKILL at chosen points (between an article's store, dedup and merge,
inside its merge, between articles), then run again, must end with exactly the articles, events and
stories of a clean run: none lost, none duplicated, stories identical. The exact points come from
inside the process: a wrapper around one store or stage method sends SIGKILL to its own process on
its Nth call, which is what ``kill -9`` from outside does (no cleanup, no rollback, no atexit). One
more kill comes from outside, at a moment chosen by polling the database.

C2/C3: two and three ingests into one database at once (PostgreSQL, and SQLite for comparison):
the same folder each (C3), or the folder split between them (C2). No duplicate-key failures, no
rejects, and the same articles, events and stories as one sequential run (for the split: the same
stories as sets of events, since which article arrives first decides story and group ids).

The sample articles (samples/articles) and the reference article: copies that form syndication
groups, stories reported by several articles, and one article halted by its language.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from eventsift.store.store import open_store

from .conftest import REFERENCE, SAMPLE_PUBLISHED, SAMPLES

pytest_plugins = ["tests.pg"]  # pg_url
pytestmark = pytest.mark.slow

RUN_TIMEOUT_S = 300
# Runs the CLI, first wrapping ``CRASH_POINT`` (owner.method) so that its ``CRASH_AT``th call kills
# this very process with SIGKILL before the call does anything.
HOOK = """
import os, signal, sys
from eventsift.clean import dedup
from eventsift.store import store
from eventsift.stories import store as story_store
owners = {"store": store.Store, "dedup": dedup.SyndicationIndex, "merge": story_store.StoryIndex,
          "story_store": story_store}
point = os.environ.get("CRASH_POINT")
if point:
    owner_name, method = point.split(".")
    owner, crash_at, calls = owners[owner_name], int(os.environ["CRASH_AT"]), [0]
    original = getattr(owner, method)
    def crashing(*args, **kwargs):
        calls[0] += 1
        if calls[0] == crash_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    setattr(owner, method, crashing)
from eventsift.cli import app
sys.argv = ["eventsift", *sys.argv[1:]]
app()
"""

# One ingest after another on the same database, each killed at its point; a call count is per run,
# so "the 2nd" is the 2nd article that run has left to finish. (method wrapped, call that kills)
CRASHES = (
    ("dedup.assign", 1),  # an article stored, its copies not yet grouped
    ("merge.add", 1),  # an article stored and grouped, its events not merged
    ("story_store._write_story", 2),  # inside a merge: some of an article's events written, not all
    ("store.add_article", 2),  # between articles: one finished, the next not begun
    ("merge.add", 1),  # again before a merge, after the runs before it left their traces
)

Snapshot = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], dict[str, Any]]


# ------------------------------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def articles_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} not found: the reference article lives in ../shared")
    folder = tmp_path_factory.mktemp("crash-input")
    for path in [*sorted(SAMPLES.iterdir()), REFERENCE]:
        shutil.copy(path, folder / path.name)
    return folder


def _command(db: str, *targets: Path) -> list[str]:
    return [sys.executable, "-c", HOOK, "ingest", *map(str, targets), "--db", db,
            "--published", SAMPLE_PUBLISHED, "--no-progress"]


def _env(crash: tuple[str, int] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRASH_")}
    env["COLUMNS"] = "300"  # one summary line, however long
    if crash:
        env["CRASH_POINT"], env["CRASH_AT"] = crash[0], str(crash[1])
    return env


def ingest(db: str, *targets: Path, crash: tuple[str, int] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(db, *targets), env=_env(crash), capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S, check=False)


def start(db: str, *targets: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(_command(db, *targets), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def snapshot(db: str) -> Snapshot:
    """Articles (id, hash, group), events (id, article, story, record), stories (record, no time)."""
    with open_store(db) as store, store.engine.connect() as conn:
        arts = sorted(tuple(r) for r in conn.execute(text("SELECT id, content_hash, syndication_group FROM articles")))
        evs = sorted(tuple(r) for r in conn.execute(text("SELECT id, article_id, story_id, record FROM events")))
        stories: dict[str, Any] = {}
        for row in conn.execute(text("SELECT id, record, n_events, n_articles, n_sources FROM stories")):
            record = json.loads(row.record)
            record.pop("updated_at", None)
            record["counts"] = (row.n_events, row.n_articles, row.n_sources)
            stories[row.id] = record
        rejects = conn.scalar(text("SELECT count(*) FROM rejects"))
    assert rejects == 0, f"{rejects} rejects recorded"
    return arts, evs, stories


def compare(got: Snapshot, clean: Snapshot) -> None:
    """0 lost, 0 duplicated, stories identical."""
    got_events, clean_events = [e[0] for e in got[1]], {e[0] for e in clean[1]}
    lost, extra = clean_events - set(got_events), set(got_events) - clean_events
    assert not lost and not extra, f"lost events {sorted(lost)}, extra events {sorted(extra)}"
    assert len(got_events) == len(set(got_events))
    assert got[0] == clean[0], "articles or syndication groups differ from a clean run"
    assert got[1] == clean[1], "events (or the story each joined) differ from a clean run"
    assert got[2] == clean[2], "stories differ from a clean run"


def _partition(pairs: list[tuple[Any, Any]]) -> list[list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for member, group in pairs:
        groups.setdefault(group, []).append(member)
    return sorted(sorted(g) for g in groups.values())


def same_up_to_ids(got: Snapshot, clean: Snapshot) -> None:
    """The same articles and events, grouped into the same copies and the same stories."""
    assert [a[:2] for a in got[0]] == [a[:2] for a in clean[0]]
    assert _partition([(a[0], a[2]) for a in got[0]]) == _partition([(a[0], a[2]) for a in clean[0]])
    assert [(e[0], e[1], e[3]) for e in got[1]] == [(e[0], e[1], e[3]) for e in clean[1]]
    assert _partition([(e[0], e[2]) for e in got[1]]) == _partition([(e[0], e[2]) for e in clean[1]])

    def sizes(snap: Snapshot) -> list[tuple[int, int, int]]:
        return sorted(s["counts"] for s in snap[2].values())

    assert sizes(got) == sizes(clean)


def _summary(output: str) -> tuple[int, int, int]:
    """(ingested, already stored, rejected) from the CLI's summary line."""
    line = next((x for x in output.splitlines() if re.match(r"\d+ ingested", x)), "")
    assert line, f"no summary line in: {output[-2000:]}"

    def count(word: str) -> int:
        found = re.search(rf"(\d+) {word}", line)
        return int(found.group(1)) if found else 0

    return count("ingested"), count("already stored"), count("rejected")


# ------------------------------------------------------------------------------------ databases


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_db(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Makes an empty database: a new SQLite file each call, or the PostgreSQL one emptied."""
    counter = [0]

    def make() -> str:
        if request.param == "sqlite":
            counter[0] += 1
            return f"sqlite:///{tmp_path / f'run{counter[0]}.db'}"
        from .pg import reset_database  # imported here: tests.pg is loaded as a plugin first

        url = str(request.getfixturevalue("pg_url"))
        reset_database(url)
        return url

    return make


_CLEAN: dict[str, Snapshot] = {}


def clean_run(make: Callable[[], str], articles: Path) -> Snapshot:
    """The articles ingested in one uninterrupted run (once per backend)."""
    db = make()
    backend = db.split(":", 1)[0]
    if backend not in _CLEAN:
        result = ingest(db, articles)
        assert result.returncode == 0, result.stderr[-2000:]
        _CLEAN[backend] = snapshot(db)
        assert len(_CLEAN[backend][1]) > 5 and any(s["counts"][1] > 1 for s in _CLEAN[backend][2].values())
    return _CLEAN[backend]


# ------------------------------------------------------------------------------------------ C1 tests


def test_sigkill_at_each_point_then_rerun_matches_a_clean_run(fresh_db: Callable[[], str], articles_dir: Path) -> None:
    clean = clean_run(fresh_db, articles_dir)
    db = fresh_db()
    for point in CRASHES:
        crashed = ingest(db, articles_dir, crash=point)
        assert crashed.returncode == -9, f"{point}: the crash point was never reached: {crashed.stderr[-1000:]}"
    rerun = ingest(db, articles_dir)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    done, skipped, rejected = _summary(rerun.stderr)
    assert (done + skipped, rejected) == (len(clean[0]), 0), rerun.stderr[-1000:]
    assert done > 0, "the crashed runs cannot have finished every article"
    compare(snapshot(db), clean)


def test_sigkill_from_outside_then_rerun(tmp_path: Path, articles_dir: Path) -> None:
    """kill -9 from another process while articles are being stored (SQLite: its file can be polled)."""
    db = f"sqlite:///{tmp_path / 'outside.db'}"
    clean = clean_run(lambda: f"sqlite:///{tmp_path / 'outside-clean.db'}", articles_dir)
    proc = start(db, articles_dir)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        if _stored(tmp_path / "outside.db") >= 3:
            proc.kill()  # SIGKILL
            break
        time.sleep(0.005)
    proc.wait(timeout=60)
    assert proc.returncode == -9, "the ingest finished before it could be killed"
    rerun = ingest(db, articles_dir)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    compare(snapshot(db), clean)


def _stored(path: Path) -> int:
    """Articles committed in a SQLite file, read-only (a store would run migrations: a writer)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # no file or no schema yet
        return 0


# --------------------------------------------------------------------------------------- C2/C3 tests


def _run_together(db: str, targets: list[Path]) -> list[str]:
    """Start one ingest per target at once; wait for all; their outputs."""
    procs = [start(db, target) for target in targets]
    outputs = []
    for proc in procs:
        out, _ = proc.communicate(timeout=RUN_TIMEOUT_S)
        assert proc.returncode == 0, out[-2000:]
        outputs.append(out)
    for out in outputs:
        assert "duplicate key" not in out and "UniqueViolation" not in out and "IntegrityError" not in out, out[-2000:]
    return outputs


@pytest.mark.parametrize("writers", [2, 3])
def test_concurrent_ingests_of_one_folder(writers: int, fresh_db: Callable[[], str], articles_dir: Path) -> None:
    """C3: the same folder ingested by several writers at once: each article stored once, no rejects,
    and exactly the database of one run."""
    clean = clean_run(fresh_db, articles_dir)
    db = fresh_db()
    summaries = [_summary(out) for out in _run_together(db, [articles_dir] * writers)]
    assert sum(s[0] for s in summaries) == len(clean[0]), summaries
    assert sum(s[1] for s in summaries) == len(clean[0]) * (writers - 1), summaries
    assert sum(s[2] for s in summaries) == 0, summaries
    compare(snapshot(db), clean)


@pytest.mark.parametrize("writers", [2, 3])
def test_concurrent_ingests_of_a_split_folder(
    writers: int, fresh_db: Callable[[], str], articles_dir: Path, tmp_path: Path
) -> None:
    """C2: the folder split between writers running at once: the same articles, events, copies and
    stories as one run, no rejects."""
    clean = clean_run(fresh_db, articles_dir)
    parts = [tmp_path / f"part{i}" for i in range(writers)]
    for i, path in enumerate(sorted(articles_dir.iterdir())):
        parts[i % writers].mkdir(exist_ok=True)
        shutil.copy(path, parts[i % writers] / path.name)
    db = fresh_db()
    outputs = _run_together(db, parts)
    summaries = [_summary(out) for out in outputs]
    assert [s[1:] for s in summaries] == [(0, 0)] * writers, outputs
    assert sum(s[0] for s in summaries) == len(clean[0])
    same_up_to_ids(snapshot(db), clean)


# ------------------------------------------------------------------------------ in-process, one article


def test_a_failing_merge_rolls_back_the_article_and_a_rerun_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stage failing after the store (here: merge) leaves no trace but the reject, so the next run
    reads the article again instead of skipping it as already stored (the F7 shape of C1)."""
    from eventsift.settings import Options
    from eventsift.stories import store as story_store
    from eventsift.workflow import ingest as run_ingest

    source = SAMPLES / "depot-strike-wire.txt"
    db = f"sqlite:///{tmp_path / 'rollback.db'}"

    def failing(self: Any, article: Any) -> Any:
        raise ValueError("merge failed")

    with open_store(db) as store:
        monkeypatch.setattr(story_store.StoryIndex, "add", failing)
        summary, _ = run_ingest([str(source)], store, Options(db=db), published=SAMPLE_PUBLISHED)
        assert (summary.done, summary.rejected, summary.rejects[0].stage) == (0, 1, "merge")
        assert (store.count_articles(), store.count_events(), store.count_rejects()) == (0, 0, 1)
        monkeypatch.undo()
        summary, _ = run_ingest([str(source)], store, Options(db=db), published=SAMPLE_PUBLISHED)
        assert (summary.done, summary.skipped, summary.rejected) == (1, 0, 0)
        assert store.count_articles() == 1 and store.count_events() > 0
