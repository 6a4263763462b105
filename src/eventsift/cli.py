"""The command line: parse, dispatch, print. No logic of its own (see workflow.py and the stages).

Logging handlers are configured here and only here (-v for info, -vv for debug).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperArgument, TyperOption

from . import __version__
from .errors import ConfigError, EventsiftError
from .ingest.sources import parse_published
from .pipeline import RunSummary
from .settings import Options, load_options

__all__ = ["EXIT_ALL_FAILED", "EXIT_SOME_FAILED", "app"]

# Exit codes of ingest and extract (docs/cli.md), as a script checks them: 0 every input was read
# (or was already stored); 1 none was and at least one failed; 3 some were read and some failed.
# 2 stays click's: a usage error or a setting that cannot be used.
EXIT_ALL_FAILED = 1
EXIT_SOME_FAILED = 3

app = typer.Typer(
    name="eventsift",
    help="Turn news reports into an evidence-backed event dataset, offline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="markdown",  # a docstring's line breaks are not sentence breaks in --help
)
out = Console()
if not out.is_terminal and "COLUMNS" not in os.environ:
    out = Console(width=160)  # piped output: do not squeeze tables into 80 columns
err = Console(stderr=True)

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL or SQLite path (default ./eventsift.db).")]
WorkersOption = Annotated[int | None, typer.Option("--workers", "-j", help="Worker processes for the reading stages.")]
PublishedOption = Annotated[
    str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help="Read inputs as JSONL: one article per line.")]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="Encoding of plain-text inputs (default utf-8).")
]

VerboseOption = Annotated[int, typer.Option(
    "--verbose", "-v", count=True, show_default=False, help="More detail on stderr; repeat it: -v progress notes, -vv debug.",
)]


def _no_type_for_flags(display: Any) -> Any:
    """Typer prints a value type for every parameter (``--jsonl <bool>``, ``-v <int>``,
    ``targets... <list[str]>``); a flag, a counter and a variadic argument take no typed value."""
    def shown(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) or getattr(self, "count", False) or self.nargs != 1:
            return None
        return display(self, ctx)  # type: ignore[no-any-return]
    return shown


setattr(TyperOption, "display_type_rich", _no_type_for_flags(TyperOption.display_type_rich))  # noqa: B010
setattr(TyperArgument, "display_type_rich", _no_type_for_flags(TyperArgument.display_type_rich))  # noqa: B010

_state: dict[str, Any] = {"config": None, "verbose": 0}


def _set_logging(verbose: int) -> None:
    """Configure logging once per command; -v before or after the command name both count."""
    verbose = max(verbose, _state["verbose"])
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr, force=True)
    # Alembic announces each migration at INFO; that is debug detail for a user.
    logging.getLogger("alembic").setLevel(logging.WARNING if verbose < 2 else logging.DEBUG)
    if verbose < 2:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_reject_warnings)


def _reject_warnings(record: logging.LogRecord) -> bool:
    """The runner logs each reject; the command's summary lists it already (said once, not twice)."""
    return not (record.name == "eventsift.pipeline" and str(record.msg).startswith("rejected "))


def _options(**cli: Any) -> Options:
    try:
        return load_options(_state["config"], **cli)
    except EventsiftError as exc:
        _fail(str(exc))
        raise


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def _open_store(options: Options) -> Any:
    from .store.store import open_store

    try:
        return open_store(options.db)
    except EventsiftError as exc:
        _fail(f"cannot open database {options.db}: {exc}")


def _published(value: str | None) -> str | None:
    try:
        return parse_published(value)
    except EventsiftError as exc:
        _fail(f"--published: {exc}")
        return None


def _version(value: bool) -> None:
    if value:
        out.print(f"eventsift {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: VerboseOption = 0,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file (TOML); default ~/.config/eventsift/config.toml.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """eventsift reads news reports into an event dataset in which every value carries its evidence."""
    _state["config"], _state["verbose"] = config, verbose
    _set_logging(verbose)


def _print_summary(summary: RunSummary, verb: str) -> None:
    parts = [f"{summary.done} {verb}"]
    if summary.skipped:
        parts.append(f"{summary.skipped} already stored")
    if summary.halted:
        parts.append(f"{summary.halted} halted (stored, not read further)")
    parts.append(f"{summary.rejected} rejected")
    err.print(", ".join(parts))
    for reject in summary.rejects[:50]:
        err.print(f"  [yellow]rejected[/yellow] {escape(f'{reject.location} [{reject.stage}]: {reject.reason}')}", highlight=False)
    if len(summary.rejects) > 50:
        err.print(f"  ... and {len(summary.rejects) - 50} more (eventsift rejects)")


def _exit_for(summary: RunSummary, read: int) -> None:
    """Exit 1 when nothing was read and something failed, 3 when only some failed (EXIT_* above)."""
    if summary.rejected:
        raise typer.Exit(EXIT_SOME_FAILED if read else EXIT_ALL_FAILED)


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(metavar="TARGET", help="Files, folders, URLs (article pages or feeds), or - for stdin.")],
    db: DbOption = None,
    jsonl: JsonlOption = False,
    published: PublishedOption = None,
    workers: WorkersOption = None,
    encoding: EncodingOption = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    until: Annotated[str, typer.Option(
        "--until", help="Stop after this checkpoint: clean, read, events or stories (all stages, the default)."
    )] = "stories",
    verbose: VerboseOption = 0,
) -> None:
    """Read, clean, code and store articles, and merge their events into stories; copies of one
    story join one syndication group.

    Exit status: 0 when every input was stored (or was already there); 1 when none was and some
    failed; 3 when some failed and others were stored (the summary lists each failure once)."""
    _set_logging(verbose)
    from .pipeline import CHECKPOINTS
    from .workflow import ingest as run_ingest

    if until not in CHECKPOINTS:
        _fail(f"--until: unknown checkpoint {until!r}; choose one of {', '.join(CHECKPOINTS)}")
    options = _options(db=db, workers=workers, input_encoding=encoding)
    with _open_store(options) as store:
        try:
            summary, _ = run_ingest(targets, store, options, jsonl=jsonl, published=_published(published),
                                    progress=progress and err.is_terminal, until=until)
        except ConfigError as exc:  # raised before any input is read (a stage not ready: no gazetteer)
            _fail(str(exc))
            raise
        totals = (store.count_events(), store.count_stories())
    _print_summary(summary, "ingested")
    err.print(f"the database now holds {totals[0]} events in {totals[1]} stories")
    _exit_for(summary, summary.done + summary.skipped)


@app.command()
def merge(
    db: DbOption = None,
    verbose: VerboseOption = 0,
) -> None:
    """Forget every stored event and story and merge the stored articles again, oldest first
    (after upgrading a database or changing the merge rule)."""
    _set_logging(verbose)
    from .stories.store import rebuild_stories

    options = _options(db=db)
    with _open_store(options) as store:
        try:
            count = rebuild_stories(store)
        except EventsiftError as exc:
            _fail(str(exc))
        stories = store.count_stories()
    err.print(f"{count} events merged into {stories} stories")


@app.command()
def extract(
    targets: Annotated[list[str], typer.Argument(metavar="TARGET", help="Files, folders, URLs, or - for stdin.")],
    jsonl: JsonlOption = False,
    published: PublishedOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write JSONL here instead of stdout.")] = None,
    workers: WorkersOption = None,
    encoding: EncodingOption = None,
    verbose: VerboseOption = 0,
) -> None:
    """Write one JSON object per article (docs/format.md); the database is not touched.

    One output line per input read, a repeated text included. Exit status: 0 when every input was
    read; 1 when none was and some failed; 3 when some failed."""
    _set_logging(verbose)
    from .export.output import to_json_line
    from .workflow import extract as run_extract

    options = _options(workers=workers, input_encoding=encoding)
    try:
        summary, articles = run_extract(targets, options, jsonl=jsonl, published=_published(published))
    except ConfigError as exc:  # raised before any input is read (a stage not ready: no gazetteer)
        _fail(str(exc))
        raise
    lines = "".join(to_json_line(a) + "\n" for a in articles)
    if output:
        output.write_text(lines, encoding="utf-8")
    else:
        sys.stdout.write(lines)
    _print_summary(summary, "extracted")
    _exit_for(summary, summary.done)


@app.command()
def articles(
    db: DbOption = None,
    language: Annotated[str | None, typer.Option("--language", help="Only this language (ISO 639-1).")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this site or outlet.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Published on or before YYYY-MM-DD.")] = None,
    halted: Annotated[bool | None, typer.Option("--halted/--read", help="Only halted, or only fully read, articles.")] = None,
    group: Annotated[str | None, typer.Option("--group", help="Only this syndication group.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text in the title or body.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many rows.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    verbose: VerboseOption = 0,
) -> None:
    """List stored articles, newest first, with filters."""
    _set_logging(verbose)
    options = _options(db=db)
    with _open_store(options) as store:
        rows = store.list_articles(
            language=language, source=source, since=_published(since), until=_published(until),
            halted=halted, group=group, search=search, limit=limit,
        )
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table()
    for name, width in (("id", 10), ("published", 10), ("lang", 4), ("words", 5), ("group", 10), ("source", 8)):
        table.add_column(name, no_wrap=True, min_width=width, overflow="ellipsis")
    table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1)
    for row in rows:
        title = escape(row.title or "")
        if row.halted:
            title = f"[dim]{title} ({escape(row.halted)})[/dim]"
        table.add_row(row.id[:10], row.published or "?", row.language or "", str(row.words),
                      (row.syndication_group or "")[:10], escape(row.source or ""), title)
    out.print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id or a unique prefix of it.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The extract-format record instead of text.")] = False,
    verbose: VerboseOption = 0,
) -> None:
    """Show an article: clean text, metadata, and what cleaning removed and repaired, and why."""
    _set_logging(verbose)
    from .export.output import extract_record

    options = _options(db=db)
    with _open_store(options) as store:
        try:
            article = store.get_article(article_id)
        except EventsiftError as exc:
            _fail(str(exc))
        if article is None:
            _fail(f"no article {article_id!r}", code=1)
        members = store.syndication_members(article.syndication_group) if article.syndication_group else []
    if as_json:
        sys.stdout.write(json.dumps(extract_record(article), ensure_ascii=False, indent=2) + "\n")
        return
    _print_article(article, members)


def _print_article(article: Any, members: list[str]) -> None:
    meta = Table.grid(padding=(0, 2))
    for name in ("id", "title", "standfirst", "byline", "dateline", "author", "source", "url", "location",
                 "published", "published_note", "language", "halted", "syndication_group"):
        value = getattr(article, name)
        if value not in (None, ""):
            meta.add_row(f"[bold]{name}[/bold]", escape(str(value)))
    if len(members) > 1:
        meta.add_row("[bold]copies[/bold]", ", ".join(m for m in members if m != article.id))
    out.print(meta)
    out.rule("body")
    out.print(article.body, highlight=False, markup=False)
    out.rule(f"removed ({len(article.removed)})")
    for removed in article.removed:
        out.print(f"- {removed.reason}", highlight=False, markup=False)
    out.rule(f"repairs ({len(article.repairs)})")
    for repair in article.repairs:
        out.print(f"- {repair.kind}: {repair.detail}", highlight=False, markup=False)


@app.command()
def rejects(
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many rows.")] = 50,
    verbose: VerboseOption = 0,
) -> None:
    """List inputs and articles that failed, with stage and reason."""
    _set_logging(verbose)
    options = _options(db=db)
    with _open_store(options) as store:
        rows = store.list_rejects(limit=limit)
    table = Table("location", "stage", "reason")
    for reject in rows:
        table.add_row(reject.location, reject.stage, reject.reason)
    out.print(table)


@app.command()
def watch(
    feeds_file: Annotated[Path, typer.Argument(help="A file of feed URLs or paths, one per line.")],
    every: Annotated[str, typer.Option("--every", help="Polling interval: 30s, 15m, 2h, 1h30m.")] = "15m",
    db: DbOption = None,
    rounds: Annotated[int | None, typer.Option("--rounds", help="Stop after this many rounds (default: run until stopped).")] = None,
    verbose: VerboseOption = 0,
) -> None:
    """Poll feeds and ingest what is new, surviving feeds that are down or malformed."""
    _set_logging(verbose)
    from .ingest.watch import parse_every, read_feeds_file
    from .ingest.watch import watch as run_watch
    from .workflow import ingest_items

    options = _options(db=db)
    try:
        interval = parse_every(every)
        feeds = read_feeds_file(feeds_file)
    except (EventsiftError, OSError) as exc:
        _fail(str(exc))
    with _open_store(options) as store:
        def handle(reading: Any, feed: str) -> None:
            summary, _ = ingest_items([*reading.errors, *reading.articles], store, options)
            err.print(f"{feed}: {summary.done} new, {summary.skipped} already stored, {summary.rejected} rejected")

        def on_error(feed: str, exc: Exception) -> None:
            from .records import Reject

            store.add_reject(Reject(feed, "watch", str(exc)))
            err.print(f"[yellow]{escape(feed)}[/yellow]: {escape(str(exc))}", highlight=False)

        try:
            run_watch(feeds, interval, handle, options, rounds=rounds, on_error=on_error, cache=store, is_known=store.url_known)
        except KeyboardInterrupt:
            err.print("stopped")


gazetteer_app = typer.Typer(help="The offline gazetteer (GeoNames data shipped on PyPI).", no_args_is_help=True,
                            rich_markup_mode="markdown")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    path: Annotated[Path | None, typer.Option("--path", help="Where to write it (default: the user cache).")] = None,
    if_missing: Annotated[bool, typer.Option("--if-missing", help="Keep a gazetteer already built there.")] = False,
    verbose: VerboseOption = 0,
) -> None:
    """Build the gazetteer table once (about 30 s); every later run opens it read-only."""
    _set_logging(verbose)
    from .places.gazetteer import default_gazetteer_path, get_gazetteer
    from .places.gazetteer_build import build_gazetteer, ensure_gazetteer

    before = _modified(path or default_gazetteer_path())
    built = ensure_gazetteer(path) if if_missing else build_gazetteer(path)
    kept = if_missing and before is not None and _modified(built) == before
    stats = get_gazetteer(str(built)).stats()
    verb = "kept the existing gazetteer at" if kept else "gazetteer written to"
    out.print(f"{verb} {built}: " + ", ".join(f"{v:,} {k}" for k, v in stats.items()))


def _modified(path: Path) -> int | None:
    return path.stat().st_mtime_ns if path.is_file() else None


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    name: Annotated[str, typer.Argument(help="A place name, in any script the gazetteer holds.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many rows.")] = 10,
    verbose: VerboseOption = 0,
) -> None:
    """Show the gazetteer's entries for a name, best-known first."""
    _set_logging(verbose)
    from .places.gazetteer import get_gazetteer

    try:
        gazetteer = get_gazetteer()
    except EventsiftError as exc:
        _fail(str(exc))
        raise
    table = Table("geonameid", "name", "country", "admin1", "feature", "population", "lat", "lon")
    for entry in gazetteer.lookup(name)[:limit]:
        table.add_row(str(entry.geonameid), entry.name, entry.country or "", entry.admin1 or "", entry.feature,
                      f"{entry.population:,}", str(entry.lat), str(entry.lon))
    out.print(table)


@app.command("eval")
def evaluate(
    name: Annotated[str, typer.Argument(help="Gold set: article-extraction, ...")],
    data: Annotated[Path | None, typer.Option("--data", help="Gold data folder (default ../shared/eval/NAME).")] = None,
    sample: Annotated[int | None, typer.Option("--sample", help="Score a fixed subset of this many items.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report as JSON here.")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Fail if a score drops below this baseline file.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="List each false positive, miss and wrong field with its words (news-events).")] = False,
    verbose: VerboseOption = 0,
) -> None:
    """Score eventsift (and reference systems) on a gold-standard set."""
    _set_logging(verbose)
    from .eval import check_baseline, load_baseline, run_eval, write_report

    try:
        report = run_eval(name, data_dir=data, sample=sample, options=_options())
    except EventsiftError as exc:
        _fail(str(exc))
    table = Table(*report.columns()) if hasattr(report, "columns") else Table()
    for row in report.rows():
        table.add_row(*[str(c) for c in row])
    if explain:
        from .eval.news_events import explain_lines

        for line in explain_lines(report.items):
            out.print(line, markup=False, highlight=False, soft_wrap=True)
    out.print(f"{report.name}: {report.n} items")
    out.print(table)
    if output:
        write_report(report, output)
    if baseline:
        failures = check_baseline(report, load_baseline(baseline))
        for failure in failures:
            err.print(f"[red]below baseline[/red] {failure}")
        if failures:
            raise typer.Exit(1)


# Registers serve, token and export (cli_serve), spark and load (cli_scale) on ``app`` (after every
# helper above exists).
from . import cli_scale, cli_serve  # noqa: F401
