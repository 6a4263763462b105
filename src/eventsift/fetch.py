"""Fetching URLs politely: timeouts, a size cap, a redirect limit, robots.txt and conditional GET.

One :class:`Fetcher` serves one run: it holds one ``httpx.Client``, the parsed robots.txt of each host
it has visited, and an :class:`HttpCache` of ETag / Last-Modified validators, so that a feed polled
again costs a ``304 Not Modified``. Every failure is an :class:`~eventsift.errors.FetchError` (or
:class:`~eventsift.errors.TooLarge` for the size cap) whose message is one line naming the URL.

Redirects are followed by hand, not by httpx, so that each hop is checked like the first: only
http/https, and allowed by that host's robots.txt.
"""

from __future__ import annotations

import logging
import re
import time
import urllib.robotparser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

import charset_normalizer
import httpx

from .errors import FetchError, TooLarge, one_line
from .settings import Options

__all__ = ["FetchResult", "Fetcher", "HttpCache", "MemoryHttpCache", "fetch_url"]

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB, ignore the rest
ROBOTS_TTL_SECONDS = 24 * 3600  # RFC 9309: do not use a cached robots.txt for more than a day
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)


class HttpCache(Protocol):
    """Where conditional-GET validators live between fetches (memory, or the store across runs)."""

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """``(etag, last_modified)`` last seen for ``url``, or ``None`` if never fetched."""
        ...

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of a ``200`` answer for ``url``."""
        ...


class MemoryHttpCache:
    """An :class:`HttpCache` in a dict: for tests and one-off runs."""

    def __init__(self) -> None:
        self._validators: dict[str, tuple[str | None, str | None]] = {}

    def get_validators(self, url: str) -> tuple[str | None, str | None] | None:
        return self._validators.get(url)

    def put_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self._validators[url] = (etag, last_modified)


@dataclass(frozen=True)
class FetchResult:
    """One fetched URL. ``url`` is where redirects ended; ``content`` is empty when ``not_modified``."""

    url: str
    status: int
    content: bytes
    content_type: str | None  # media type only, lower case: "text/html"
    etag: str | None
    last_modified: str | None
    not_modified: bool
    encoding: str | None  # charset from the Content-Type header, if any

    def text(self) -> str:
        """The body as text: BOM, then the header's charset, then ``<meta charset>``, then detection."""
        if self.content.startswith(b"\xef\xbb\xbf"):
            return self.content.decode("utf-8-sig", "replace")
        for encoding in (self.encoding, _meta_charset(self.content), "utf-8"):
            if encoding:
                try:
                    return self.content.decode(encoding)
                except (LookupError, UnicodeDecodeError):
                    continue
        best = charset_normalizer.from_bytes(self.content).best()
        return str(best) if best is not None else self.content.decode("utf-8", "replace")


def _meta_charset(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:4096])
    return match.group(1).decode("ascii") if match else None


class Fetcher:
    """One HTTP client, robots.txt cache and validator cache for a run. Not for use across threads.

    ``client`` may be supplied (its own redirect setting is ignored; this class follows redirects);
    a client given is not closed by :meth:`close`.
    """

    def __init__(
        self, options: Options, cache: HttpCache | None = None, client: httpx.Client | None = None
    ) -> None:
        self.options = options
        self.cache = cache
        self._own_client = client is None
        self.client = client or httpx.Client(timeout=httpx.Timeout(options.fetch_timeout))
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def get(self, url: str, *, conditional: bool = True) -> FetchResult:
        """Fetch ``url``. With ``conditional`` (and a cache) send the stored validators and store new ones.

        Article pages are fetched with ``conditional=False``: their body is needed every time.
        """
        validators = self.cache.get_validators(url) if (conditional and self.cache) else None
        headers = _conditional_headers(validators)
        with self._open(url, headers, check_robots=self.options.respect_robots) as response:
            result = self._result(url, response, validators)
        if conditional and self.cache is not None and result.status == 200:
            self.cache.put_validators(url, result.etag, result.last_modified)
        logger.debug("fetched %s: HTTP %s, %d bytes", url, result.status, len(result.content))
        return result

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this user agent fetch ``url`` (fetching robots.txt if needed)."""
        parsed = _parse_url(url)
        return self._robots_for(parsed).can_fetch(self.options.user_agent, str(parsed))

    def _result(
        self, url: str, response: httpx.Response, validators: tuple[str | None, str | None] | None
    ) -> FetchResult:
        final = str(response.url)
        if response.status_code >= 400:
            where = url if final == url else f"{url} (redirected to {final})"
            raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}: {where}")
        not_modified = response.status_code == 304
        content = b"" if not_modified else self._read_body(response, url, self.options.max_bytes)
        old_etag, old_modified = validators or (None, None)
        content_type = response.headers.get("content-type")
        return FetchResult(
            url=final,
            status=response.status_code,
            content=content,
            content_type=content_type.split(";", 1)[0].strip().lower() if content_type else None,
            etag=response.headers.get("etag") or (old_etag if not_modified else None),
            last_modified=response.headers.get("last-modified") or (old_modified if not_modified else None),
            not_modified=not_modified,
            encoding=response.charset_encoding,
        )

    @contextmanager
    def _open(self, url: str, headers: dict[str, str], check_robots: bool) -> Iterator[httpx.Response]:
        """The final response after redirects, body not yet read; closed on leaving the block."""
        current = _parse_url(url)
        for _ in range(self.options.max_redirects + 1):
            if check_robots and not self._robots_for(current).can_fetch(self.options.user_agent, str(current)):
                raise FetchError(f"disallowed by robots.txt: {current}")
            response = self._send(current, headers, url)
            if not response.has_redirect_location:
                try:
                    yield response
                finally:
                    response.close()
                return
            response.close()
            current = _parse_url(str(current.join(response.headers["location"])))
            logger.debug("redirected to %s", current)
        raise FetchError(f"too many redirects (more than {self.options.max_redirects}): {url}")

    def _send(self, url: httpx.URL, headers: dict[str, str], original: str) -> httpx.Response:
        all_headers = {"User-Agent": self.options.user_agent, **headers}
        try:
            request = self.client.build_request(
                "GET", url, headers=all_headers, timeout=self.options.fetch_timeout
            )
            return self.client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out after {self.options.fetch_timeout:g}s: {original}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"cannot fetch {original}: {one_line(exc)}") from exc

    def _read_body(self, response: httpx.Response, url: str, cap: int, truncate: bool = False) -> bytes:
        """Stream the body, stopping at ``cap`` bytes: :class:`TooLarge`, or cut short with ``truncate``."""
        declared = response.headers.get("content-length", "")
        if not truncate and declared.isdigit() and int(declared) > cap:
            raise TooLarge(f"over the size cap of {cap} bytes (Content-Length {declared}): {url}")
        deadline = time.monotonic() + self.options.fetch_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > cap:
                    if truncate:
                        return b"".join(chunks)[:cap]
                    raise TooLarge(f"over the size cap of {cap} bytes: {url}")
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {self.options.fetch_timeout:g}s reading: {url}")
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out after {self.options.fetch_timeout:g}s reading: {url}") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot read {url}: {one_line(exc)}") from exc
        return b"".join(chunks)

    def _robots_for(self, url: httpx.URL) -> urllib.robotparser.RobotFileParser:
        """The parsed robots.txt of ``url``'s host, fetched once per host (and again after a day)."""
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
        cached = self._robots.get(origin)
        if cached is not None and time.monotonic() - cached[0] < ROBOTS_TTL_SECONDS:
            return cached[1]
        try:
            parser = self._load_robots(origin + "/robots.txt")
        except FetchError as exc:
            raise FetchError(f"cannot check robots.txt for {url}: {one_line(exc)}") from exc
        self._robots[origin] = (time.monotonic(), parser)
        return parser

    def _load_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser:
        """Missing robots.txt (4xx) allows everything; a server error or no answer is not cached."""
        parser = urllib.robotparser.RobotFileParser(robots_url)
        with self._open(robots_url, {}, check_robots=False) as response:
            status = response.status_code
            if 400 <= status < 500:
                logger.debug("no robots.txt at %s (HTTP %s): all allowed", robots_url, status)
                parser.parse([])  # no rules: everything allowed
                return parser
            if status >= 300:
                raise FetchError(f"robots.txt unavailable (HTTP {status}), not fetching: {robots_url}")
            body = self._read_body(response, robots_url, ROBOTS_MAX_BYTES, truncate=True)
        parser.parse(body.decode("utf-8", "replace").splitlines())
        return parser


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"not a valid URL ({one_line(exc)}): {url}") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError(f"only http and https URLs can be fetched: {url}")
    return parsed


def _conditional_headers(validators: tuple[str | None, str | None] | None) -> dict[str, str]:
    etag, last_modified = validators or (None, None)
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def fetch_url(
    url: str, options: Options, cache: HttpCache | None = None, client: httpx.Client | None = None
) -> FetchResult:
    """Fetch one URL with a short-lived :class:`Fetcher` (use a Fetcher directly for many URLs)."""
    with Fetcher(options, cache=cache, client=client) as fetcher:
        return fetcher.get(url)
