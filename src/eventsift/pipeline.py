"""The pipeline: every stage, in order, and the one runner that applies them.

    stage:   source -> ingest -> clean -> language -> fingerprint -> nlp -> places -> actors -> times
    package: ingest/    ingest/   clean/   clean/      clean/         read/  places/   read/     times/
    stage:   -> quotes -> speakers -> events -> store -> dedup -> merge
    package:    quotes/   read/       events/   store/   clean/   stories/

Each stage's function lives in the package named under it (``from .events.find import find_events``);
docs/architecture.md draws the packages and says what each may import.

Stages share one contract: take an Article, return it enriched. Each declares the Article fields it
needs and the ones it adds; the runner checks the order when it starts. Pure stages run in worker
processes when ``options.workers > 1``; stages bound to a resource (the database) run in the main
process, in input order, so results are the same for any worker count.

A failing article never stops a run: the runner hands (location, stage, reason) to one error
handler, which the CLI points at the store's rejects table, and carries on with the next article.

The storing stages of one article (store, dedup, merge) commit in one database transaction
(``Stage.transaction``, the store's ``atomic``): a crash or a failure between them leaves the article
not stored at all, so the next run reads it again rather than skipping it as "already stored" with
its events lost. Another writer that stored the same content first makes the article "skipped".
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .clean.body import clean_article
from .clean.dedup import LshStore, SyndicationIndex, fingerprint_article
from .clean.language import detect_language
from .errors import ConfigError, StageError, StoreError, one_line
from .events.find import find_events
from .ingest.structure import structure_article
from .places.find import find_places, places_ready
from .quotes.find import find_quotes
from .read.actors import find_actors, link_pronoun_speakers
from .read.nlp import parse_article, parse_articles
from .records import Article, Reject
from .settings import Options
from .times.find import find_times

__all__ = ["CHECKPOINTS", "AlreadyStored", "ErrorHandler", "RunStore", "RunSummary", "Runner", "Stage", "ingest_stages", "read_article", "reading_stages", "storing_stages"]

log = logging.getLogger(__name__)

ErrorHandler = Callable[[Reject], None]
StageFunc = Callable[[Article, Options], Article]
Transaction = Callable[[], AbstractContextManager[object]]

# Fields a raw Article carries when a source hands it over.
SOURCE_FIELDS = frozenset({"id", "raw", "content_hash", "published", "title", "url", "source"})


@dataclass(frozen=True)
class Stage:
    """A named step: ``run(article, options) -> article``; ``in_main`` pins it to the main process."""

    name: str
    run: StageFunc
    needs: frozenset[str]
    adds: frozenset[str]
    in_main: bool = False
    on_halted: bool = False  # runs even on an article an earlier stage halted (storing does)
    # Optional: the same work over a whole batch at once (spaCy's nlp.pipe); run() stays the fallback
    # for isolating an article that fails inside a batch.
    run_batch: Callable[[list[Article], Options], list[Article]] | None = None
    # Main-process stages naming a transaction run in one, per article: all commit, or none does.
    transaction: Transaction | None = None
    # Checked once when a runner starts: raises ConfigError when what the stage reads is missing.
    ready: Callable[[Options], None] | None = None


class RunStore(LshStore, Protocol):
    """What a run stores articles, copies and rejects in: the database's Store, or the MemoryStore
    of a run that keeps nothing (eventsift.store.memory, for extract)."""

    def add_article(self, article: Article) -> bool: ...
    def has_content_hash(self, digest: str) -> bool: ...
    def add_reject(self, reject: Reject) -> None: ...


class AlreadyStored(Exception):
    """Raised by the store stage when the content is stored already (by another writer, meanwhile):
    the runner counts the article as skipped and runs no later stage on it."""


def reading_stages() -> list[Stage]:
    """The stages that read an article; pure functions, safe in worker processes."""
    return [
        Stage("ingest", structure_article, frozenset({"raw"}), frozenset({"title", "standfirst", "paragraphs"})),
        Stage("clean", clean_article, frozenset({"paragraphs"}), frozenset({"body", "removed", "repairs"})),
        Stage("language", detect_language, frozenset({"body"}), frozenset({"language"})),
        Stage("fingerprint", fingerprint_article, frozenset({"body"}), frozenset({"minhash", "content_hash"})),
        Stage("nlp", parse_article, frozenset({"body", "language"}), frozenset({"doc"}), run_batch=parse_articles),
        Stage("places", find_places, frozenset({"doc"}), frozenset({"places"}), ready=places_ready),
        Stage("actors", find_actors, frozenset({"doc", "places"}), frozenset({"entities"})),
        Stage("times", find_times, frozenset({"body"}), frozenset({"times"})),
        Stage("quotes", find_quotes, frozenset({"doc", "entities"}), frozenset({"quotes"})),
        Stage("speakers", link_pronoun_speakers, frozenset({"entities", "quotes"}), frozenset({"speaker_mentions"})),
        Stage("events", find_events, frozenset({"doc", "entities", "places", "times", "quotes"}), frozenset({"events"})),
    ]


def storing_stages(store: RunStore, options: Options, *, merge: bool = True) -> list[Stage]:
    """The stages that write to the store: persist the article, group syndicated copies, then
    store its events and merge them into stories across articles."""
    index = SyndicationIndex(store, options)

    def atomic() -> AbstractContextManager[object]:
        return store.atomic("cannot store article")

    def store_article(article: Article, _options: Options) -> Article:
        if not store.add_article(article):
            raise AlreadyStored(article.id)
        return article

    def group_copies(article: Article, _options: Options) -> Article:
        return index.assign(article)

    stages = [
        Stage("store", store_article, frozenset({"body"}), frozenset({"stored"}), in_main=True, on_halted=True,
              transaction=atomic),
        Stage("dedup", group_copies, frozenset({"stored", "minhash"}), frozenset({"syndication_group"}), in_main=True,
              transaction=atomic),
    ]
    if merge:
        from .store.store import Store
        from .stories.store import StoryIndex  # the merge rule loads only where stories are kept

        if not isinstance(store, Store):
            raise ConfigError("stories are merged only in a database store")
        stories = StoryIndex(store, options)
        stages.append(Stage("merge", lambda article, _options: stories.add(article), frozenset({"stored", "events"}),
                            frozenset({"stories"}), in_main=True, transaction=atomic))
    return stages


# Where `eventsift ingest --until` may stop: the last stage each checkpoint runs.
CHECKPOINTS = {"clean": "fingerprint", "read": "speakers", "events": "events", "stories": "merge"}


def ingest_stages(store: RunStore, options: Options, until: str = "stories") -> list[Stage]:
    """Every stage of an ingest, through the named checkpoint (``CHECKPOINTS``); storing and
    grouping copies always run, the merge into stories only when events were coded."""
    if until not in CHECKPOINTS:
        raise ConfigError(f"unknown checkpoint {until!r}; choose one of {', '.join(CHECKPOINTS)}")
    last = CHECKPOINTS[until]
    reading = reading_stages()
    names = [s.name for s in reading]
    if last in names:
        reading = reading[: names.index(last) + 1]
    return [*reading, *storing_stages(store, options, merge=until == "stories")]


def check_order(stages: Sequence[Stage], available: frozenset[str] = SOURCE_FIELDS) -> None:
    """Fail at start, not mid-run, when a stage needs a field no earlier stage adds."""
    have = set(available)
    for stage in stages:
        missing = stage.needs - have
        if missing:
            raise ConfigError(f"stage {stage.name!r} needs {', '.join(sorted(missing))}, which no earlier stage adds")
        have |= stage.adds
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise ConfigError(f"stage names repeat: {names}")


def apply_stages(article: Article, stages: Sequence[Stage], options: Options) -> Article | Reject:
    """Run the stages on one article; the first failure becomes a Reject naming the stage."""
    return apply_stages_batch([article], stages, options)[0]


def apply_stages_batch(articles: list[Article], stages: Sequence[Stage], options: Options) -> list[Article | Reject]:
    """Run the stages over a batch, in order; each article's first failure becomes its Reject."""
    results: list[Article | Reject] = list(articles)
    for stage in stages:
        live = [i for i, r in enumerate(results) if isinstance(r, Article) and (stage.on_halted or not r.halted)]
        if stage.run_batch is not None and len(live) > 1:
            try:
                done = stage.run_batch([results[i] for i in live], options)  # type: ignore[misc]
                for i, article in zip(live, done, strict=True):
                    results[i] = article
                continue
            except Exception:
                log.debug("stage %s failed on a batch; retrying one article at a time", stage.name, exc_info=True)
        for i in live:
            results[i] = _run_one(stage, results[i], options)  # type: ignore[arg-type]
    return results


def _run_one(stage: Stage, article: Article, options: Options) -> Article | Reject:
    try:
        return stage.run(article, options)
    except AlreadyStored:
        raise
    except Exception as exc:
        error = StageError(stage.name, article.id, exc)
        log.debug("stage %s failed on %s", stage.name, article.id, exc_info=True)
        return Reject(article.location or article.id, stage.name, one_line(error.cause), article.id)


def read_article(article: Article, options: Options | None = None, *, until: str | None = None) -> Article:
    """Run the reading stages on one article in this process (through stage ``until``, if named);
    raise StageError on failure."""
    options = options or Options()
    for stage in reading_stages():
        if article.halted:
            break
        try:
            article = stage.run(article, options)
        except Exception as exc:
            raise StageError(stage.name, article.id, exc) from exc
        if stage.name == until:
            break
    return article


# Worker-process state, set once per worker by the pool initializer.
_WORKER: dict[str, Any] = {}


def _init_worker(stages: list[Stage], options: Options) -> None:
    _WORKER["stages"], _WORKER["options"] = stages, options


def _work(articles: list[Article]) -> list[Article | Reject]:
    return apply_stages_batch(articles, _WORKER["stages"], _WORKER["options"])


@dataclass
class RunSummary:
    """What a run did, for the CLI summary."""

    done: int = 0
    halted: int = 0
    rejected: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)


class Runner:
    """Applies the stages to a stream of articles in batches, in parallel where it can."""

    def __init__(
        self,
        stages: Sequence[Stage],
        options: Options,
        on_error: ErrorHandler | None = None,
        *,
        progress: bool = False,
    ) -> None:
        check_order(stages)
        for stage in stages:
            if stage.ready is not None:
                stage.ready(options)  # fail at start, not once per article
        self.options = options
        self.on_error = on_error
        self.progress = progress
        self.summary = RunSummary()
        split = next((i for i, s in enumerate(stages) if s.in_main), len(stages))
        if any(not s.in_main for s in stages[split:]):
            raise ConfigError("pure stages must come before the stages bound to the main process")
        self.pure_stages, self.main_stages = list(stages[:split]), list(stages[split:])
        self.transaction = next((s.transaction for s in self.main_stages if s.transaction), None)

    def reject(self, reject: Reject) -> None:
        """The one error handler: count, remember, hand on (to the store's rejects table)."""
        self.summary.rejected += 1
        self.summary.rejects.append(reject)
        log.warning("rejected %s at %s: %s", reject.location, reject.stage, reject.reason)
        if self.on_error:
            self.on_error(reject)

    def run(self, items: Iterable[Article | Reject], total: int | None = None) -> Iterator[Article]:
        """Yield each finished article; rejects (from sources or stages) go to the error handler."""
        with self._progress(total) as (progress, task):
            pool = self._pool()
            try:
                for batch, results in self._read(_batches(iter(items), self.options.batch_size), pool):
                    yield from self._run_batch(batch, results)
                    progress.update(task, advance=len(batch))
            finally:
                if pool is not None:
                    pool.close()
                    pool.join()

    def _read(self, batches: Iterator[list[Article | Reject]], pool: Any) -> Iterator[tuple[list[Any], Iterator[Any]]]:
        """Each batch with its results from the pure stages. With workers, the next batch is handed
        out before this one's results are awaited: no worker idles while the slowest chunk of a
        batch finishes, nor while the main process stores it."""
        if pool is None:
            for batch in batches:
                articles = [item for item in batch if isinstance(item, Article)]
                yield batch, iter(apply_stages_batch(articles, self.pure_stages, self.options))
            return
        pending: deque[tuple[list[Any], list[Any]]] = deque()
        for batch in batches:
            articles = [item for item in batch if isinstance(item, Article)]
            pending.append((batch, [pool.apply_async(_work, (chunk,)) for chunk in _split(articles, self.options.workers)]))
            if len(pending) > 1:
                done, chunks = pending.popleft()
                yield done, iter([r for chunk in chunks for r in chunk.get()])
        while pending:
            done, chunks = pending.popleft()
            yield done, iter([r for chunk in chunks for r in chunk.get()])

    def _run_batch(self, batch: list[Article | Reject], results: Iterator[Article | Reject]) -> Iterator[Article]:
        for item in batch:  # input order, whether an item failed in its source or in a stage
            result = item if isinstance(item, Reject) else next(results)
            if isinstance(result, Article):
                result.doc = None  # parses stay inside the reading stages; they are large
            if isinstance(result, Article):
                article = result
                try:
                    result = self._apply_main(article)
                except AlreadyStored:
                    self.summary.skipped += 1
                    log.info("%s already stored (by another writer meanwhile)", article.location or article.id)
                    continue
            if isinstance(result, Reject):
                self.reject(result)
                continue
            self.summary.done += 1
            self.summary.halted += bool(result.halted)
            yield result

    def _apply_main(self, article: Article) -> Article | Reject:
        """The main-process stages on one article, in their transaction when they name one: a
        reject (or AlreadyStored) rolls back what the earlier stages wrote for this article."""
        if self.transaction is None:
            return apply_stages(article, self.main_stages, self.options)
        try:
            with self.transaction():
                result = apply_stages(article, self.main_stages, self.options)
                if isinstance(result, Reject):
                    raise _Undo(result)
        except _Undo as undo:
            return undo.reject
        except StoreError as exc:  # the commit itself failed
            return Reject(article.location or article.id, "store", one_line(exc), article.id)
        return result

    def _pool(self) -> Any:
        if self.options.workers <= 1 or not self.pure_stages:
            return None
        context = multiprocessing.get_context("spawn")  # fork is unsafe with threads (httpx, sqlite)
        return context.Pool(self.options.workers, initializer=_init_worker, initargs=(self.pure_stages, self.options))

    def _progress(self, total: int | None) -> Any:
        return _ProgressContext(self.progress, total)


class _Undo(Exception):
    """Leaves the transaction block, rolling it back, carrying the article's reject."""

    def __init__(self, reject: Reject) -> None:
        super().__init__(reject.reason)
        self.reject = reject


class _ProgressContext:
    """A rich progress bar on stderr when asked for, a no-op otherwise."""

    def __init__(self, enabled: bool, total: int | None) -> None:
        self.enabled, self.total = enabled, total
        self.bar: Progress | None = None

    def __enter__(self) -> tuple[Any, Any]:
        if not self.enabled:
            return _NoProgress(), None
        self.bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            transient=True,
        )
        self.bar.__enter__()
        return self.bar, self.bar.add_task("articles", total=self.total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


class _NoProgress:
    def update(self, *args: Any, **kwargs: Any) -> None:
        pass


def _split(items: list[Any], parts: int) -> list[list[Any]]:
    """Contiguous chunks, one per worker, so that order survives the pool."""
    size = max(1, -(-len(items) // max(1, parts)))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, max(1, size))):
        yield batch
