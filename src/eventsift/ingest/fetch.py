"""Fetching URLs politely: timeouts, a size cap, a redirect limit, robots.txt and conditional GET.

One :class:`Fetcher` serves one run: it holds one ``httpx.Client``, the parsed robots.txt of each host
it has visited, and an :class:`HttpCache` of ETag / Last-Modified validators, so that a feed polled
again costs a ``304 Not Modified``. Every failure is an :class:`~eventsift.errors.FetchError` (or
:class:`~eventsift.errors.TooLarge` for the size cap) whose message is one line naming the URL.

Redirects are followed by hand, not by httpx, so that each hop is checked like the first: only
http/https, a host whose every address is global (private, loopback, link-local and other non-global
addresses are refused unless the setting ``fetch_allow_private`` lists them), and allowed by that
host's robots.txt. The address actually connected to is checked again before the body is read, so a
DNS answer that changes between the check and the connection (DNS rebinding) reads nothing.

Bodies are read raw and decoded here, not by httpx: each ``Content-Encoding`` layer (gzip, deflate)
is inflated as a stream in pieces of at most :data:`DECODE_PIECE` bytes and the size cap is checked on
the decoded output as it grows, so a small compressed "bomb" costs bounded memory.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import time
import urllib.robotparser
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

import charset_normalizer
import httpx

from ..errors import FetchError, TooLarge, one_line
from ..settings import Options

__all__ = ["FetchResult", "Fetcher", "HttpCache", "MemoryHttpCache", "TargetPolicy", "fetch_url"]

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB, ignore the rest
ROBOTS_TTL_SECONDS = 24 * 3600  # RFC 9309: do not use a cached robots.txt for more than a day
# Real servers apply one coding; each stacked layer holds a zlib window, so the stack is capped.
MAX_CONTENT_CODINGS = 2
DECODE_PIECE = 64 * 1024  # most output one inflate call returns: memory stays bounded whatever the ratio
_ACCEPT_ENCODING = "gzip, deflate"  # what _inflate decodes; never advertise br or zstd
_GZIP = ("gzip", "x-gzip")
# Well-known NAT64 prefix (RFC 6052): its last 32 bits are an IPv4 address, checked as such.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
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


class TargetPolicy:
    """Which hosts a fetch may reach: any whose addresses are all global, plus ``fetch_allow_private``.

    An entry of ``fetch_allow_private`` is a host name (trusted whatever it resolves to), an address
    or CIDR network (non-global addresses inside it are allowed), or ``*`` (everything allowed).
    """

    def __init__(self, allowed: Iterable[str]) -> None:
        self.allow_all = False
        self.hosts: set[str] = set()
        self.networks: list[IpNetwork] = []
        for entry in (e.strip().lower() for e in allowed if e.strip()):
            if entry == "*":
                self.allow_all = True
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                self.hosts.add(entry.rstrip("."))

    def check_url(self, url: httpx.URL) -> None:
        """Resolve ``url``'s host and refuse it (:class:`FetchError`) if any address is not allowed."""
        if self.trusts_host(url):
            return
        for address in _resolve(url):
            self.check_address(address, url)

    def trusts_host(self, url: httpx.URL) -> bool:
        return self.allow_all or url.host.lower().rstrip(".") in self.hosts

    def check_address(self, address: IpAddress, url: httpx.URL) -> None:
        if self.allow_all or _is_public(address) or self._listed(address):
            return
        raise FetchError(
            f"refused: {url.host} is a {_kind(address)} address ({address}); "
            f"list it in the setting fetch_allow_private to allow it: {url}"
        )

    def _listed(self, address: IpAddress) -> bool:
        candidates = {address, _embedded_v4(address)}  # ::ffff:127.0.0.1 is listed as 127.0.0.1
        return any(a.version == net.version and a in net for a in candidates for net in self.networks)


def _resolve(url: httpx.URL) -> set[IpAddress]:
    """Every address ``url``'s host stands for, by the resolver the connection itself will use."""
    host = url.host
    try:
        return {ipaddress.ip_address(host)}
    except ValueError:
        pass
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host}: {one_line(exc)}: {url}") from exc
    addresses = {_address(str(info[4][0])) for info in infos}
    return {a for a in addresses if a is not None} or _unresolvable(url)


def _unresolvable(url: httpx.URL) -> set[IpAddress]:
    raise FetchError(f"cannot resolve host {url.host} to an IP address: {url}")


def _address(text: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _embedded_v4(address: IpAddress) -> IpAddress:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), which is what gets reached."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _is_public(address: IpAddress) -> bool:
    reached = _embedded_v4(address)
    return reached.is_global and address.is_global and not (reached.is_multicast or address.is_multicast)


def _kind(address: IpAddress) -> str:
    reached = _embedded_v4(address)
    for attribute in ("loopback", "link_local", "unspecified", "multicast", "private", "reserved"):
        if getattr(reached, f"is_{attribute}") or getattr(address, f"is_{attribute}"):
            return attribute.replace("_", "-")
    return "non-global"


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
        self.targets = TargetPolicy(options.fetch_allow_private)

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
            self.targets.check_url(current)
            if check_robots and not self._robots_for(current).can_fetch(self.options.user_agent, str(current)):
                raise FetchError(f"disallowed by robots.txt: {current}")
            response = self._send(current, headers, url)
            self._check_peer(response, current)
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

    def _check_peer(self, response: httpx.Response, url: httpx.URL) -> None:
        """Refuse the address actually connected to if it is not allowed (the DNS answer may have changed)."""
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        address = _address(str(peer[0])) if isinstance(peer, tuple) and peer else None
        if address is None or self.targets.trusts_host(url):
            return  # a listed host name is trusted whatever it resolves to
        try:
            self.targets.check_address(address, url)
        except FetchError:
            response.close()
            raise

    def _send(self, url: httpx.URL, headers: dict[str, str], original: str) -> httpx.Response:
        all_headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": _ACCEPT_ENCODING, **headers}
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
            for chunk in _decoded(response, url):
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


def _decoded(response: httpx.Response, url: str) -> Iterator[bytes]:
    """The body with its Content-Encoding layers undone, lazily: nothing is inflated before it is asked for."""
    header = response.headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in header.split(",") if c.strip() and c.strip().lower() != "identity"]
    if len(codings) > MAX_CONTENT_CODINGS:
        raise FetchError(f"too many Content-Encoding layers ({header}; at most {MAX_CONTENT_CODINGS}): {url}")
    for coding in codings:
        if coding not in (*_GZIP, "deflate"):
            raise FetchError(f"unsupported Content-Encoding {coding!r} (gzip and deflate are decoded): {url}")
    chunks: Iterator[bytes] = response.iter_raw()
    for coding in reversed(codings):  # the last coding listed was applied last
        chunks = _inflate(chunks, coding, url)
    return chunks


def _inflate(chunks: Iterator[bytes], coding: str, url: str) -> Iterator[bytes]:
    """Inflate one coding layer, never more than :data:`DECODE_PIECE` bytes per step.

    A gzip body may hold several members, each decoded in turn; other bytes after the end of the
    stream are ignored, as httpx does.
    """
    decoder: zlib._Decompress | None = None
    started = False
    try:
        for chunk in chunks:
            data = chunk
            while data:
                if decoder is None:
                    if started and not (coding in _GZIP and data.startswith(b"\x1f\x8b")):
                        break  # trailing bytes after the stream
                    decoder, started = zlib.decompressobj(_wbits(coding, data)), True
                piece = decoder.decompress(data, DECODE_PIECE)
                data = decoder.unconsumed_tail
                if decoder.eof:
                    data, decoder = data or decoder.unused_data, None
                if piece:
                    yield piece
        if decoder is not None:
            yield decoder.flush()
    except zlib.error as exc:
        raise FetchError(f"cannot decode the {coding} body ({one_line(exc)}): {url}") from exc


def _wbits(coding: str, data: bytes) -> int:
    if coding in _GZIP:
        return 16 + zlib.MAX_WBITS
    # "deflate" should be zlib-wrapped (RFC 9110) but some servers send raw deflate, as httpx allows
    wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
    return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS


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
