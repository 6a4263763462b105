"""Sources: read inputs (files, folders, JSONL, standard input, feeds, URLs) into raw Articles.

Every input becomes either an :class:`Article` or a :class:`Reject` with a one-line reason, so that a
bad file never stops the batch. Nothing here parses article layout; that is the ingest stage.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import (
    BadRecord,
    BinaryInput,
    EmptyInput,
    EncodingError,
    EventsiftError,
    InputError,
    TooLarge,
    one_line,
)
from ..records import Article, Reject, content_hash
from ..settings import Options

__all__ = ["SourceItem", "article_from_json", "decode_text", "iter_inputs", "json_nesting", "looks_like_html", "parse_json_line",
           "parse_published", "read_bytes", "settle_published", "with_fallback"]

log = logging.getLogger(__name__)

SourceItem = Article | Reject

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES
_HTML_SNIFF = re.compile(rb"<(!doctype html|html|head|body|article|p|div)[\s>]", re.IGNORECASE)
_FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_BINARY_CONTROL = set(range(9)) | {11, 12} | set(range(14, 32))
_BINARY_CHARS = frozenset(map(chr, _BINARY_CONTROL))
# A byte-order mark names the encoding of a Unicode text; UTF-32 first (its LE mark starts like UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# A JSON string (escapes included) or a bracket: enough to measure nesting without parsing.
_JSON_NESTING = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')
_JSON_TYPE_NAMES = {dict: "an object", list: "an array", bool: "true/false", int: "a number", float: "a number"}


def parse_published(value: Any) -> str | None:
    """An ISO 8601 date or datetime as YYYY-MM-DD; a value that is not one raises BadRecord."""
    if value in (None, ""):
        return None
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d")
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "..."  # a reason is one short line
        raise BadRecord(f"published is not an ISO 8601 date: {shown!r}") from None


def read_bytes(stream: BinaryIO, options: Options) -> bytes:
    """Read at most the size cap; over it is an error, not a silent truncation."""
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise TooLarge(f"over the size cap of {options.max_bytes:,} bytes (setting max_bytes)")
    return data


def decode_text(data: bytes, encoding: str = "utf-8") -> str:
    """Bytes of a text input as str: empty, binary and undecodable inputs raise with the reason.

    A byte-order mark, or an explicit UTF-16/UTF-32 encoding, decodes first and then looks for
    binary control characters in the text: NUL bytes are half of such a file, not a sign of binary."""
    if not data.strip():
        raise EmptyInput("empty input")
    codec = _codec(data, encoding)
    wide = codec.startswith(("utf-16", "utf-32"))
    if not wide:
        _refuse_binary(data[:8192], data[:8192])
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"not valid {encoding if codec in {_plain(encoding), 'utf-8-sig'} else codec} "
            f"(byte 0x{data[exc.start]:02x} at offset {exc.start}); convert the file or pass --encoding"
        ) from None
    if wide:
        _refuse_binary(text[:8192], data[:8192])
    if not text.strip():
        raise EmptyInput("empty input")
    return text


def _plain(encoding: str) -> str:
    """The codec's canonical name ("UTF8" -> "utf-8"); an unknown name raises EncodingError."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise EncodingError(f"unknown encoding {encoding!r}") from None


def _codec(data: bytes, encoding: str) -> str:
    """The codec to decode with: a BOM's when the named encoding is a Unicode one (the default is),
    else the named one; UTF-8 always drops a leading BOM."""
    codec = _plain(encoding)
    if codec.startswith("utf"):
        family = codec[:6] if codec.startswith(("utf-16", "utf-32")) else "utf"  # FF FE 00 00 may be either
        for bom, name in _BOMS:
            if data.startswith(bom) and name.startswith(family):
                return name
    return "utf-8-sig" if codec == "utf-8" else codec


def _refuse_binary(head: bytes | str, raw: bytes) -> None:
    """Binary data: a NUL, or over 5% control characters, in the head (bytes, or text once decoded)."""
    if isinstance(head, bytes):
        nul, controls = 0 in head, sum(b in _BINARY_CONTROL for b in head)
    else:
        nul, controls = "\x00" in head, sum(c in _BINARY_CHARS for c in head)
    if nul or controls > len(head) * 0.05:
        if isinstance(head, bytes) and _looks_utf16(raw):
            raise BinaryInput("binary data, or UTF-16 text without a byte-order mark: pass --encoding utf-16")
        raise BinaryInput("binary data, not text or HTML")


def _looks_utf16(head: bytes) -> bool:
    """Mostly NUL at every other byte: ASCII-range text in UTF-16 (either byte order)."""
    if len(head) < 4:
        return False
    zeros = max(head[0::2].count(0), head[1::2].count(0))
    return zeros >= len(head) // 2 * 0.9 and head.count(0) <= len(head) // 2 + 1


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_SNIFF.search(data[:4096]))


def looks_like_feed(data: bytes) -> bool:
    return bool(_FEED_SNIFF.search(data[:4096]))


def _article_from_bytes(data: bytes, location: str, kind: str, options: Options) -> Article:
    if looks_like_html(data):
        from .html import decode_html  # HTML declares its own charset

        html, _codec = decode_html(data)
        article = Article(id=content_hash(html), source_kind="html", location=location, raw_html=html)
        article.content_hash = content_hash(html)
    else:
        text = decode_text(data, options.input_encoding)
        article = Article(id=content_hash(text), source_kind=kind, location=location, raw_text=text)
        article.content_hash = content_hash(text)
    return article


def with_fallback(item: SourceItem, published: str | None) -> SourceItem:
    """The item with ``--published`` attached as its fallback date; the ingest stage decides."""
    if isinstance(item, Article):
        item.published_fallback = published
    return item


def settle_published(article: Article, page_date: str | None = None) -> None:
    """Decide the publication date, in this one place (the ingest stage calls it): the input's own
    date (JSONL field, feed entry), then the page's (HTML metadata), then ``--published``, else
    unknown with the reason. An HTML page's date is only read in the ingest stage, hence not here
    at read time."""
    if article.published:
        return
    if page_date:
        article.published, article.published_note = page_date, "from page metadata"
    elif article.published_fallback:
        article.published, article.published_note = article.published_fallback, "from --published"
    elif article.published_note is None:
        article.published_note = "unknown: the input carries no date and no --published was given"


def _read_file(path: Path, options: Options, fetcher: Any) -> Iterator[SourceItem]:
    location = str(path)
    try:
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:  # streamed line by line: the size cap applies to each record
            yield from _read_jsonl(path, options)
            return
        size = path.stat().st_size
        if size > options.max_bytes:
            raise TooLarge(f"{size:,} bytes is over the size cap of {options.max_bytes:,} (setting max_bytes)")
        with path.open("rb") as stream:
            data = read_bytes(stream, options)
        if suffix in FEED_SUFFIXES or (suffix not in HTML_SUFFIXES and looks_like_feed(data)):
            yield from _read_feed(location, options, fetcher)
            return
        yield _article_from_bytes(data, location, "text", options)
    except (InputError, EventsiftError) as exc:
        yield Reject(location, "ingest", one_line(exc))
    except OSError as exc:
        yield Reject(location, "ingest", f"cannot read file: {exc.strerror or one_line(exc)}")


def article_from_json(record: Any, location: str) -> Article:
    """One JSON object (a JSONL line, a POST body) as a raw Article; BadRecord/EmptyInput when unusable.

    A field of the wrong JSON type is refused naming the field and the type it needs, before any
    stage sees it (a number as title, an object as date)."""
    if not isinstance(record, dict):
        raise BadRecord(f"not a JSON object but {_json_type(record)}")
    text, html = _string_field(record, "text"), _string_field(record, "html")
    if text is None and html is None:
        raise BadRecord('needs a "text" or "html" string')
    raw = text if text is not None else html
    if not str(raw).strip():
        raise EmptyInput("empty text")
    identifier = _id_field(record) or content_hash(str(raw))
    article = Article(
        id=identifier,
        source_kind="jsonl",
        location=location,
        raw_text=text,
        raw_html=html if text is None else None,
        title=_string_field(record, "title") or None,
        url=_string_field(record, "url") or None,
        source=_string_field(record, "source") or None,
    )
    article.content_hash = content_hash(str(raw))
    value = record.get("published")
    if value is not None and not isinstance(value, (str, date)):
        raise BadRecord(f'field "published" must be an ISO 8601 date string, not {_json_type(value)}')
    article.published = parse_published(value)
    if article.published:
        article.published_note = "from the input"
    return article


def _json_type(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), "a string" if isinstance(value, str) else type(value).__name__)


def _string_field(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value
    raise BadRecord(f'field "{name}" must be a string, not {_json_type(value)}')


def _id_field(record: dict[str, Any]) -> str | None:
    """An id is a string or a whole number ("id": 17 is common in exports); anything else is refused."""
    value = record.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _string_field(record, "id")


def json_nesting(line: str, limit: int) -> int | None:
    """The line's bracket depth where it passes ``limit`` (None if it never does): measured before
    parsing, since the parser recurses once per level and a deep enough line exhausts the stack."""
    if line.count("[") + line.count("{") <= limit:
        return None  # too few brackets to nest that deep: the common case costs two counts
    depth = 0
    for match in _JSON_NESTING.finditer(line):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return depth
        elif bracket in "]}":
            depth -= 1
    return None


def parse_json_line(line: str, options: Options) -> Any:
    """One JSONL line parsed; too deep a nesting raises BadRecord (before parsing), bad JSON JSONDecodeError."""
    if json_nesting(line, options.max_json_depth) is not None:
        raise BadRecord(f"JSON nested deeper than {options.max_json_depth} levels (setting max_json_depth)")
    try:
        return json.loads(line)
    except RecursionError:  # a parser with a smaller stack than the setting assumes
        raise BadRecord(f"JSON nested too deep to parse (setting max_json_depth is {options.max_json_depth})") from None


def _read_jsonl(path: Path, options: Options) -> Iterator[SourceItem]:
    """A JSONL file of any size, one line in memory at a time (a corpus is often gigabytes)."""
    with path.open("rb") as stream:
        yield from _read_jsonl_lines(stream, str(path), options)


def _capped_lines(stream: BinaryIO, cap: int) -> Iterator[bytes | None]:
    """The stream's lines; a line over ``cap`` bytes is skipped as it is read (None in its place), so
    one endless line on standard input never fills memory."""
    while line := stream.readline(cap + 1):
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        while (rest := stream.readline(cap + 1)) and not rest.endswith(b"\n"):
            pass
        yield None


def _read_jsonl_lines(stream: BinaryIO, location: str, options: Options) -> Iterator[SourceItem]:
    for number, raw_line in enumerate(_capped_lines(stream, options.max_bytes), start=1):
        where = f"{location}:{number}"
        if raw_line is None:
            yield Reject(where, "ingest", f"line {number}: over the size cap of {options.max_bytes:,} bytes (setting max_bytes)")
            continue
        if not raw_line.strip():
            continue
        try:
            line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
            record = parse_json_line(line, options)
            yield article_from_json(record, where)
        except UnicodeDecodeError as exc:
            yield Reject(where, "ingest", f"line {number}: not valid UTF-8 (offset {exc.start})")
        except json.JSONDecodeError as exc:
            yield Reject(where, "ingest", f"line {number}: invalid JSON: {exc.msg} at column {exc.colno}")
        except InputError as exc:
            yield Reject(where, "ingest", f"line {number}: {one_line(exc)}")


def _read_feed(source: str, options: Options, fetcher: Any, result: Any = None) -> Iterator[SourceItem]:
    """Articles of a feed file or URL; ``result`` is the feed already fetched, so it is not fetched twice."""
    from .feeds import read_feed, read_fetched_feed

    try:
        if result is not None:
            reading = read_fetched_feed(result, options, fetcher=fetcher, source=source)
        else:
            reading = read_feed(source, options, fetcher=fetcher)
    except EventsiftError as exc:
        yield Reject(source, "ingest", one_line(exc))
        return
    yield from reading.errors
    for article in reading.articles:
        if article.published is None:
            article.published_note = None  # the run's decision (settle_published) says why it is unknown
        if article.content_hash is None:
            article.content_hash = content_hash(article.raw_html or article.raw_text or article.id)
        yield article


def _read_url(url: str, options: Options, fetcher: Any) -> Iterator[SourceItem]:
    try:
        result = fetcher.get(url)
        if result.not_modified:
            log.info("%s not modified since the last fetch", url)
            return
        data = result.content
        content_type = (result.content_type or "").lower()
        if _is_feed_type(content_type) or (looks_like_feed(data) and not looks_like_html(data)):
            yield from _read_feed(url, options, fetcher, result)
            return
        if content_type and not content_type.startswith("text/") and "html" not in content_type:
            raise InputError(f"unsupported content type {content_type}: not an article page or feed")
        article = _article_from_bytes(data, url, "url", options)
        article.url = result.url
        article.source_kind = "url"
        yield article
    except EventsiftError as exc:
        yield Reject(url, "fetch", one_line(exc))


def _is_feed_type(content_type: str) -> bool:
    return any(kind in content_type for kind in ("rss", "atom", "/xml", "+xml")) and "html" not in content_type


def _iter_folder(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path


def _read_stdin(options: Options, jsonl: bool, stdin: BinaryIO) -> Iterator[SourceItem]:
    if jsonl:
        yield from _read_jsonl_lines(stdin, "<stdin>", options)
        return
    try:
        data = read_bytes(stdin, options)
        yield _article_from_bytes(data, "<stdin>", "stdin", options)
    except InputError as exc:
        yield Reject("<stdin>", "ingest", one_line(exc))


def iter_inputs(
    target: str,
    options: Options,
    *,
    jsonl: bool = False,
    published: str | None = None,
    fetcher: Any = None,
    stdin: BinaryIO | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> Iterator[SourceItem]:
    """Every article (or reject) the target holds: ``-``, a URL, a file or a folder (recursively).

    ``published`` is the fallback date for inputs that carry none; the ingest stage decides
    (:func:`settle_published`), since an HTML page's own date is read only there."""
    for item in _iter_target(target, options, jsonl, fetcher, stdin, on_file):
        yield with_fallback(item, published)


def _iter_target(target: str, options: Options, jsonl: bool, fetcher: Any, stdin: BinaryIO | None,
                 on_file: Callable[[Path], None] | None) -> Iterator[SourceItem]:
    if target == "-":
        yield from _read_stdin(options, jsonl, stdin or sys.stdin.buffer)
        return
    if re.match(r"^https?://", target, re.IGNORECASE):
        if fetcher is None:
            raise ValueError("a URL input needs a fetcher")
        yield from _read_url(target, options, fetcher)
        return
    path = Path(target)
    if not path.exists():
        yield Reject(target, "ingest", "no such file or folder")
        return
    paths = _iter_folder(path) if path.is_dir() else iter([path])
    for file in paths:
        if on_file:
            on_file(file)
        if jsonl and file.suffix.lower() not in JSONL_SUFFIXES:
            yield from _read_jsonl(file, options)
        else:
            yield from _read_file(file, options, fetcher)
