"""What a Spark task does with one partition of input rows: the pipeline's own reading, no Spark here.

Each row is one input record (a JSONL line, or a Parquet row) with the file it came from and its
line (row) number there. It becomes an Article exactly as ``eventsift extract --jsonl`` makes it
(:func:`sources.article_from_json`, with the same reject reasons), and the partition's articles go
through :func:`pipeline.reading_stages` in batches of ``options.batch_size``, the nlp stage over a
whole batch with spaCy's ``nlp.pipe``. The spaCy pipeline and the gazetteer are cached per process
(:func:`nlp.load_nlp`, :func:`gazetteer.get_gazetteer`), so a Python worker that Spark reuses loads
them once, however many partitions it runs.

Out come plain dicts: an article row (the extract format's fields, nested lists as JSON text, plus
what the store needs to load it) or a reject row. This module imports no pyspark, so it is tested
and typed like any other stage module.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import InputError, one_line
from ..export.output import extract_record
from ..ingest.sources import article_from_json, parse_json_line, with_fallback
from ..pipeline import apply_stages_batch, reading_stages
from ..records import Article, Reject
from ..settings import Options

__all__ = ["ARTICLE_JSON_FIELDS", "InputRow", "article_row", "local_path", "read_partition", "record_from_row", "reject_row",
           "to_item"]

log = logging.getLogger(__name__)

# Extract-format fields that hold lists of records: JSON text in Parquet, as in the extract format.
ARTICLE_JSON_FIELDS = ("removed", "repairs", "entities", "places", "times", "quotes", "events")
# Columns of a Parquet input that article_from_json reads; others are ignored.
_RECORD_FIELDS = ("id", "text", "html", "title", "published", "url", "source")


@dataclass(frozen=True)
class InputRow:
    """One input record: a JSONL line (``line``) or a Parquet row (``record``), and where it was."""

    file: str
    number: int  # 1-based line (JSONL) or row (Parquet) number in its file
    line: str | None = None
    record: dict[str, Any] | None = None


def local_path(uri: str) -> str:
    """A ``file:`` URI as the plain path extract would print; any other URI (hdfs:, s3a:) as it is."""
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def record_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The article fields of a Parquet row, without nulls (a null column is an absent field)."""
    return {name: row[name] for name in _RECORD_FIELDS if row.get(name) is not None}


def _from_line(row: InputRow, options: Options) -> Article | Reject | None:
    """One JSONL line as sources._read_jsonl_lines reads it: same location, same reasons."""
    number, where = row.number, f"{row.file}:{row.number}"
    text = row.line or ""
    if number == 1:
        text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8", "surrogatepass")) > options.max_bytes:
        return Reject(where, "ingest", f"line {number}: over the size cap of {options.max_bytes:,} bytes (setting max_bytes)")
    if not text.strip():
        return None
    try:
        return article_from_json(parse_json_line(text, options), where)
    except json.JSONDecodeError as exc:
        return Reject(where, "ingest", f"line {number}: invalid JSON: {exc.msg} at column {exc.colno}")
    except InputError as exc:
        return Reject(where, "ingest", f"line {number}: {one_line(exc)}")


def _from_record(row: InputRow) -> Article | Reject:
    where = f"{row.file}:{row.number}"
    try:
        return article_from_json(record_from_row(row.record or {}), where)
    except InputError as exc:
        return Reject(where, "ingest", f"row {row.number}: {one_line(exc)}")


def to_item(row: InputRow, options: Options, published: str | None) -> Article | Reject | None:
    """The row as sources reads a JSONL record, ``published`` attached as the fallback date."""
    item = _from_line(row, options) if row.record is None else _from_record(row)
    return None if item is None else with_fallback(item, published)


def article_row(article: Article, row: InputRow, given: dict[str, str | None] | None = None) -> dict[str, Any]:
    """The Parquet row of one read article: the extract record, lists as JSON text, and extras;
    ``given`` are the title, url and source the input itself gave (a repeated text keeps its own)."""
    record = extract_record(article)
    for name in ARTICLE_JSON_FIELDS:
        record[name] = json.dumps(record[name], ensure_ascii=False)
    record.update(
        published_note=article.published_note,
        content_hash=article.content_hash,
        source_kind=article.source_kind,
        language_score=None if article.language_score is None else float(article.language_score),
        minhash=[int(v) for v in article.minhash] if article.minhash else None,
        input_file=row.file,
        input_line=row.number,
        **{f"input_{name}": value for name, value in (given or {}).items()},
    )
    return record


def reject_row(reject: Reject, row: InputRow, digest: str | None = None) -> dict[str, Any]:
    """A reject's row; ``digest`` is the content hash of the text that failed, when it had one."""
    return {"location": reject.location, "stage": reject.stage, "reason": reject.reason,
            "article_id": reject.article_id, "input_file": row.file, "input_line": row.number,
            "content_hash": digest}


def read_partition(rows: Iterable[InputRow], options: Options, published: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every row of a partition read: ("article", row) or ("reject", row), batch by batch."""
    stages = reading_stages()
    for stage in stages:
        if stage.ready is not None:
            stage.ready(options)  # a node without the gazetteer fails its task, naming the build command
    source = iter(rows)
    while batch := list(islice(source, max(1, options.batch_size))):
        pending: list[tuple[Article, InputRow, dict[str, str | None]]] = []
        for row in batch:
            item = to_item(row, options, published)
            if isinstance(item, Reject):
                yield "reject", reject_row(item, row)
            elif item is not None:
                given = {"title": item.title, "url": item.url, "source": item.source, "hash": item.content_hash}
                pending.append((item, row, given))
        results = apply_stages_batch([a for a, _, _ in pending], stages, options)
        for result, (_, row, given) in zip(results, pending, strict=True):
            digest = given.pop("hash")
            if isinstance(result, Reject):
                log.warning("rejected %s at %s: %s", result.location, result.stage, result.reason)
                yield "reject", reject_row(result, row, digest)
                continue
            result.doc = None  # the parse stays in the reading stages
            yield "article", article_row(result, row, given)
