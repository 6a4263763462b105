"""RSS and Atom feeds: one :class:`~eventsift.records.Article` per entry.

An entry that carries its full text (``content:encoded``, Atom ``<content>``) becomes an article with
that HTML as ``raw_html``. An entry with only a summary points at the real article: its page is
fetched (robots.txt, the size cap and the private-address refusal apply) and becomes ``raw_html``; if
that fails, or the entry has no link, the summary is kept (as ``raw_html`` when it holds markup, else as
``raw_text``, so a plain-text description is read as text) and a failed fetch's one-line reason goes
into :attr:`FeedReading.errors`, never dropped silently.

Ids are stable across runs (a hash of the entry's id/guid, else its link), so a feed read again maps
to the same articles; ``is_known`` lets a caller (``watch``) skip links already stored before any
page is fetched.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser

from ..errors import BadRecord, FetchError, InputError, TooLarge, one_line
from ..records import Article, Reject, content_hash
from ..settings import Options
from .fetch import Fetcher, FetchResult

__all__ = ["FeedReading", "read_feed", "read_fetched_feed"]

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
# A tag or an entity: a summary without either is plain text, read as text rather than as HTML.
_MARKUP = re.compile(r"<[A-Za-z!/][^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


@dataclass
class FeedReading:
    """What one read of a feed gave: new articles, per-entry fetch failures, and whether it changed.

    ``not_modified`` means the server answered ``304``: nothing new, ``articles`` is empty.
    ``skipped`` counts entries left out because ``is_known`` said their link is already stored
    (or the link repeats within the feed).
    """

    articles: list[Article] = field(default_factory=list)
    not_modified: bool = False
    title: str | None = None
    errors: list[Reject] = field(default_factory=list)
    source: str = ""
    skipped: int = 0


def read_feed(
    source: str,
    options: Options,
    fetcher: Fetcher | None = None,
    is_known: Callable[[str], bool] | None = None,
) -> FeedReading:
    """Read the feed at ``source`` (an http(s) URL or a local file path).

    Raises :class:`~eventsift.errors.FetchError` when the feed cannot be fetched,
    :class:`~eventsift.errors.BadRecord` when what came back is not a feed, and
    :class:`~eventsift.errors.InputError` when a local file cannot be read.
    """
    active = fetcher or Fetcher(options)
    try:
        return _read(source, options, active, is_known)
    finally:
        if fetcher is None:
            active.close()


def read_fetched_feed(
    result: FetchResult,
    options: Options,
    fetcher: Fetcher | None = None,
    is_known: Callable[[str], bool] | None = None,
    source: str | None = None,
) -> FeedReading:
    """Like :func:`read_feed`, for a feed already fetched (``source`` defaults to ``result.url``).

    For callers that fetched a URL to find out what it is: fetching it again would get a ``304``.
    """
    active = fetcher or Fetcher(options)
    try:
        return _from_result(result, source or result.url, active, is_known)
    finally:
        if fetcher is None:
            active.close()


def _read(
    source: str, options: Options, fetcher: Fetcher, is_known: Callable[[str], bool] | None
) -> FeedReading:
    if _is_url(source):
        return _from_result(fetcher.get(source), source, fetcher, is_known)
    parsed = _parse(_read_file(source, options.max_bytes), {})
    return _entries(parsed, source, fetcher, is_known)


def _from_result(
    result: FetchResult, source: str, fetcher: Fetcher, is_known: Callable[[str], bool] | None
) -> FeedReading:
    if result.not_modified:
        logger.info("feed unchanged (304): %s", source)
        return FeedReading(not_modified=True, source=source)
    content_type = result.content_type or ""
    if result.encoding:
        content_type += f"; charset={result.encoding}"
    parsed = _parse(result.content, {"content-type": content_type, "content-location": result.url})
    return _entries(parsed, source, fetcher, is_known)


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _read_file(path_text: str, cap: int) -> bytes:
    path = Path(path_text)
    try:
        size = path.stat().st_size
        if size > cap:
            raise TooLarge(f"over the size cap of {cap} bytes ({size} bytes): {path}")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read feed file {path}: {exc.strerror or one_line(exc)}") from exc


def _parse(data: bytes, headers: dict[str, str]) -> Any:
    """feedparser's reading of ``data``; :class:`BadRecord` when it is not an RSS or Atom feed."""
    # A BytesIO, never bytes or str: feedparser treats a string as a URL or file name to open.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False)
    version = parsed.get("version")
    if version and parsed.entries:
        if parsed.bozo:
            logger.warning("feed is malformed but readable: %s", one_line(parsed.bozo_exception))
        return parsed
    if _looks_like_html(data, headers.get("content-type", "")):
        raise BadRecord("not a feed: an HTML page, not RSS or Atom")
    if parsed.bozo:
        raise BadRecord(f"not a feed: {one_line(parsed.bozo_exception)}")
    if not version:
        raise BadRecord("not a feed: no RSS or Atom element found")
    return parsed  # a well-formed feed with no entries


def _looks_like_html(data: bytes, content_type: str) -> bool:
    start = data[:512].lstrip().lower()
    return content_type.startswith("text/html") or start.startswith((b"<!doctype html", b"<html"))


def _entries(
    parsed: Any, source: str, fetcher: Fetcher, is_known: Callable[[str], bool] | None
) -> FeedReading:
    reading = FeedReading(title=parsed.feed.get("title") or None, source=source)
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link") or None
        if link and (link in seen or (is_known is not None and is_known(link))):
            reading.skipped += 1
            continue
        if link:
            seen.add(link)
        article = _article(entry, source, reading.title)
        if article is None:
            reading.errors.append(Reject(source, "ingest", "feed entry with no id, link, title or text"))
            continue
        if article.raw_html is None and article.raw_text is None:
            _fill_from_page(article, entry, fetcher, reading.errors)
        reading.articles.append(article)
    logger.info(
        "feed %s: %d new, %d known, %d fetch errors",
        source, len(reading.articles), reading.skipped, len(reading.errors),
    )
    return reading


def _article(entry: Any, source: str, feed_title: str | None) -> Article | None:
    """The entry as an Article with the feed's metadata and its full content, if it carries any."""
    link = entry.get("link") or None
    key = entry.get("id") or link or entry.get("title") or entry.get("summary")
    if not key:
        return None
    published, note = _published(entry)
    article = Article(
        id=content_hash(key),
        source_kind="feed",
        location=source,
        url=link,
        title=entry.get("title") or None,
        source=feed_title,
        author=entry.get("author") or None,
        published=published,
        published_note=note,
    )
    _set_content(article, entry)
    return article


def _published(entry: Any) -> tuple[str | None, str]:
    for key, label in (("published_parsed", "published"), ("updated_parsed", "updated")):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value), f"from feed metadata (entry {label} date)"
    return None, "no date in the feed entry"


def _set_content(article: Article, entry: Any) -> None:
    """Put the entry's full content (the longest, HTML preferred) into raw_html or raw_text."""
    contents = [c for c in entry.get("content") or [] if c.get("value")]
    if not contents:
        return
    html = [c for c in contents if str(c.get("type", "")).lower() in _HTML_TYPES]
    best = max(html or contents, key=lambda c: len(c["value"]))
    if html:
        article.raw_html = best["value"]
    else:
        article.raw_text = best["value"]


def _fill_from_page(article: Article, entry: Any, fetcher: Fetcher, errors: list[Reject]) -> None:
    """Fetch the linked article page into raw_html; on failure keep the summary and record why."""
    summary = entry.get("summary") or None
    if article.url:
        try:
            article.raw_html = _fetch_page(article.url, fetcher)
            article.location = article.url
            return
        except (FetchError, TooLarge) as exc:
            logger.info("keeping the feed summary of %s: %s", article.url, one_line(exc))
            errors.append(Reject(article.url, "fetch", one_line(exc), article_id=article.id))
    _keep_summary(article, summary)


def _keep_summary(article: Article, summary: str | None) -> None:
    """The summary as the article's content: HTML read as HTML, plain text as text."""
    if summary is not None and not _MARKUP.search(summary):
        article.raw_text = summary
    else:
        article.raw_html = summary


def _fetch_page(url: str, fetcher: Fetcher) -> str:
    page = fetcher.get(url, conditional=False)
    if page.content_type and page.content_type not in _HTML_TYPES:
        raise FetchError(f"not an HTML page ({page.content_type}): {url}")
    if not page.content.strip():
        raise FetchError(f"empty page (HTTP {page.status}): {url}")
    return page.text()
