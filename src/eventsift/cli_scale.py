"""Commands for corpora beyond one machine: ``eventsift spark`` and ``eventsift load`` (docs/spark.md).

Registered on the one typer ``app`` of cli.py (imported there); parse, dispatch, print, as cli.py does.
PySpark is imported only when ``spark`` runs, so the rest of the CLI never needs it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from .cli import (
    DbOption,
    PublishedOption,
    VerboseOption,
    _fail,
    _open_store,
    _options,
    _published,
    _set_logging,
    app,
    err,
)
from .errors import EventsiftError

__all__ = ["load", "spark"]

ConfOption = Annotated[
    list[str] | None, typer.Option("--conf", help="A Spark setting KEY=VALUE (repeatable), as spark-submit takes it.")
]


def _conf(pairs: list[str] | None) -> dict[str, str]:
    conf: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(f"--conf: expected KEY=VALUE, got {pair!r}")
        conf[key.strip()] = value
    return conf


@app.command()
def spark(
    source: Annotated[str, typer.Argument(help="JSONL or Parquet corpus: a file, folder or any URI Spark reads.")],
    output: Annotated[str, typer.Argument(help="Folder (or URI) for the Parquet output: articles, events, stories, rejects.")],
    master: Annotated[str | None, typer.Option(
        "--master", help="Spark master URL (default: spark-submit's, else local[*]: every core here).")] = None,
    input_format: Annotated[str, typer.Option(
        "--format", help="Input format: jsonl, parquet, or auto (by name: .parquet files are Parquet).")] = "auto",
    partitions: Annotated[int | None, typer.Option(
        "--partitions", help="Partitions to read and shuffle in (default: twice the cores Spark has).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing output.")] = False,
    conf: ConfOption = None,
    published: PublishedOption = None,
    verbose: VerboseOption = 0,
) -> None:
    """Read, code, group copies and merge stories with PySpark; write Parquet (docs/spark.md)."""
    _set_logging(verbose)
    try:
        from pyspark.errors import PySparkException

        from .scale.spark_job import run_spark_job, spark_session
    except ImportError as exc:
        _fail(f"PySpark is not installed ({exc}): pip install 'eventsift[spark]'")
    options = _options()
    session = spark_session(master, _conf(conf))
    try:
        summary = run_spark_job(session, source, output, options, fmt=input_format, published=_published(published),
                                partitions=partitions, overwrite=overwrite)
    except EventsiftError as exc:
        _fail(str(exc))
    except PySparkException as exc:  # Spark's own errors (a missing input, an output that exists) are long
        _fail(f"spark job failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", code=1)
    finally:
        session.stop()
    err.print(f"{summary.articles} articles ({summary.copies} syndicated copies), {summary.events} events in "
              f"{summary.stories} stories, {summary.repeats} repeated texts, {summary.rejected} rejected; "
              f"written to {escape(output)}", highlight=False, soft_wrap=True)


@app.command()
def load(
    parquet: Annotated[str, typer.Argument(help="Output folder of `eventsift spark` (articles/, events/, stories/, rejects/).")],
    db: DbOption = None,
    batch: Annotated[int, typer.Option("--batch", help="Rows per transaction.")] = 2_000,
    verbose: VerboseOption = 0,
) -> None:
    """Bulk-load the Parquet output of `eventsift spark` into the store; rows already there are kept."""
    _set_logging(verbose)
    from .scale.bulk_load import load_parquet

    options = _options(db=db)
    with _open_store(options) as store:
        try:
            counts = load_parquet(store, parquet, options, batch_size=batch)
        except (EventsiftError, OSError) as exc:
            _fail(f"load from {parquet} failed: {exc}", code=1)
        totals = (store.count_events(), store.count_stories())
    added = ", ".join(f"{counts[name]} {name}" for name in ("articles", "events", "stories", "rejects"))
    err.print(f"loaded {added} ({counts['already stored']} articles already stored)", highlight=False)
    err.print(f"the database now holds {totals[0]} events in {totals[1]} stories")
