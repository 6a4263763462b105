"""Whole jobs built from the pipeline: ingest into a store, extract to JSONL, poll feeds.

The CLI, the watcher and (later) the API call these; they hold no logic of their own beyond wiring
sources, runner, store and error handler together.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, BinaryIO

from .ingest.sources import iter_inputs
from .pipeline import Runner, RunStore, RunSummary, ingest_stages
from .records import Article, Reject
from .settings import Options

if TYPE_CHECKING:
    from .store.store import Store

__all__ = ["extract", "ingest", "ingest_items"]

log = logging.getLogger(__name__)


def _new_only(items: Iterable[Article | Reject], store: RunStore, summary: RunSummary) -> Iterator[Article | Reject]:
    """Drop inputs whose content is already stored or seen in this run (idempotent by content hash)."""
    seen: set[str] = set()
    for item in items:
        digest = item.content_hash if isinstance(item, Article) else None
        if digest and (digest in seen or store.has_content_hash(digest)):
            summary.skipped += 1
            log.info("%s already stored (content hash %s)", item.location, digest)
            continue
        if digest:
            seen.add(digest)
        yield item


def ingest_items(
    items: Iterable[Article | Reject], store: RunStore, options: Options, *, progress: bool = False, until: str = "stories"
) -> tuple[RunSummary, list[Article]]:
    """Run every stage (through checkpoint ``until``) on the items and store them; rejects go to the
    store's rejects (a database Store, or a MemoryStore for a run that keeps nothing)."""
    runner = Runner(ingest_stages(store, options, until), options, store.add_reject, progress=progress)
    articles = list(runner.run(_new_only(items, store, runner.summary)))
    return runner.summary, articles


def ingest(
    targets: list[str],
    store: Store,
    options: Options,
    *,
    jsonl: bool = False,
    published: str | None = None,
    progress: bool = False,
    stdin: BinaryIO | None = None,
    until: str = "stories",
) -> tuple[RunSummary, list[Article]]:
    """Ingest files, folders, URLs or standard input into the store, through checkpoint ``until``."""
    from .ingest.fetch import Fetcher

    with Fetcher(options, cache=store) as fetcher:
        items = (
            item
            for target in targets
            for item in iter_inputs(target, options, jsonl=jsonl, published=published, fetcher=fetcher, stdin=stdin)
        )
        return ingest_items(items, store, options, progress=progress, until=until)


def extract(
    targets: list[str],
    options: Options,
    *,
    jsonl: bool = False,
    published: str | None = None,
    stdin: BinaryIO | None = None,
) -> tuple[RunSummary, list[Article]]:
    """Read and clean the targets without touching the user's database: one article out per input
    read (a repeated text too: a script expects one output line per input line).

    Syndicated copies are still grouped within this run, in a MemoryStore: it answers as the database
    would, without the cost of opening one (SQLAlchemy, migrations: most of a short run's start-up).
    Feed validators live as long as the run, as in a database.
    """
    from .ingest.fetch import Fetcher, MemoryHttpCache
    from .store.memory import MemoryStore

    repeats = _Repeats()
    with Fetcher(options, cache=MemoryHttpCache()) as fetcher:
        items = (
            item
            for target in targets
            for item in iter_inputs(target, options, jsonl=jsonl, published=published, fetcher=fetcher, stdin=stdin)
        )
        summary, articles = ingest_items(repeats.first_of_each(items), MemoryStore(), options, until="events")
    return summary, repeats.restore(articles, summary)


class _Repeats:
    """Inputs whose text came earlier in the run are read once: the reading is copied to them,
    under their own id, location and metadata (the store would refuse them as already stored)."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}  # content hash -> location of its first input
        self.order: list[tuple[Article, str]] = []  # each input article, with its first's location

    def first_of_each(self, items: Iterable[Article | Reject]) -> Iterator[Article | Reject]:
        for item in items:
            if not isinstance(item, Article):
                yield item
                continue
            location = item.location or item.id
            first = self.first.setdefault(item.content_hash or location, location)
            self.order.append((item, first))
            if first == location:
                yield item

    def restore(self, articles: list[Article], summary: RunSummary) -> list[Article]:
        read = {article.location or article.id: article for article in articles}
        out: list[Article] = []
        for item, first in self.order:
            reading = read.get(first)
            if reading is None:  # the first copy failed: it is counted once, as a reject
                continue
            if item.location != reading.location:
                summary.done += 1
                reading = replace(reading, id=item.id, location=item.location, url=item.url or reading.url,
                                  source=item.source or reading.source, title=item.title or reading.title)
            out.append(reading)
        return out
