"""Fetching safely, against a real server on 127.0.0.1: private targets refused on every hop, bounded
decompression, and feeds whose items carry only a plain-text description."""

from __future__ import annotations

import gzip
import logging
import socket
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from eventsift.errors import FetchError, TooLarge
from eventsift.ingest.feeds import read_feed
from eventsift.ingest.fetch import DECODE_PIECE, fetch_url
from eventsift.settings import Options

from .httpserver import LocalServer, Reply, SeenRequest, http_server_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.network

LOCAL = ("127.0.0.1",)
ALLOWED = Options(fetch_allow_private=LOCAL, fetch_timeout=2.0, respect_robots=False)
DEFAULT = Options(fetch_timeout=2.0, respect_robots=False)
PAGE = "<html><body><p>The ferry to Wexmoor Island ran late on Sunday.</p></body></html>"

# Hosts that stand for non-global addresses, in the spellings an attacker would try; none is connected to.
HOSTILE_HOSTS = {
    "10.0.0.7": "private", "172.16.4.4": "private", "192.168.1.1": "private", "100.64.0.1": "non-global",
    "169.254.169.254": "link-local", "[fe80::1]": "link-local", "127.0.0.1": "loopback", "127.1": "loopback",
    "2130706433": "loopback", "[::1]": "loopback", "localhost": "loopback", "0.0.0.0": "unspecified",
    "[::]": "unspecified", "[::ffff:127.0.0.1]": "loopback", "[::ffff:169.254.169.254]": "link-local",
    "[2002:7f00:1::]": "loopback", "[64:ff9b::a9fe:a9fe]": "link-local", "224.0.0.1": "multicast",
    "[fc00::1]": "private", "255.255.255.255": "private",
}


@pytest.mark.parametrize(("host", "kind"), sorted(HOSTILE_HOSTS.items()))
def test_non_global_targets_are_refused_by_default(host: str, kind: str) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match=rf"refused: .* is a {kind} address .*fetch_allow_private"):
        fetch_url(f"http://{host}:9/latest/meta-data/", DEFAULT)
    assert time.monotonic() - start < 1.0  # refused before any connection is tried


def test_loopback_server_is_refused_unless_allowed(http_server: LocalServer) -> None:
    http_server.route("/page", PAGE, content_type="text/html")
    with pytest.raises(FetchError, match="loopback"):
        fetch_url(http_server.url("/page"), Options(fetch_timeout=2.0))
    assert http_server.count("/page") == 0 and http_server.count("/robots.txt") == 0

    for allowed in (LOCAL, ("127.0.0.0/8",), ("*",)):
        assert fetch_url(http_server.url("/page"), Options(fetch_allow_private=allowed)).content == PAGE.encode()
    assert http_server.count("/page") == 3


def test_an_allowed_address_does_not_allow_its_neighbours(http_server: LocalServer) -> None:
    url = http_server.url("/page").replace("127.0.0.1", "127.0.0.2")
    with pytest.raises(FetchError, match="refused: 127.0.0.2 is a loopback"):
        fetch_url(url, ALLOWED)


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.1.2.3:8080/admin",
                                    "http://[::1]:9/", "http://127.0.0.2:9/"])
def test_every_redirect_hop_is_checked(http_server: LocalServer, target: str) -> None:
    http_server.route("/hop0", status=302, headers={"Location": "/hop1"})
    http_server.route("/hop1", status=301, headers={"Location": target})
    with pytest.raises(FetchError, match="refused: .* address"):
        fetch_url(http_server.url("/hop0"), ALLOWED)
    assert http_server.count("/hop1") == 1  # the allowed hops were followed, the last one refused


def test_a_host_name_is_refused_if_any_of_its_addresses_is_not_allowed(http_server: LocalServer) -> None:
    addresses = {info[4][0] for info in socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)}
    http_server.route("/page", PAGE, content_type="text/html")
    url = http_server.url("/page").replace("127.0.0.1", "localhost")
    if addresses - {"127.0.0.1"}:  # localhost is also ::1 here: allowing 127.0.0.1 is not enough
        with pytest.raises(FetchError, match="refused"):
            fetch_url(url, ALLOWED)
    assert fetch_url(url, Options(fetch_allow_private=("localhost",))).status == 200  # a listed name


def test_allowed_list_comes_from_the_config_file(tmp_path: Path) -> None:
    from eventsift.settings import load_options

    config = tmp_path / "config.toml"
    config.write_text('fetch_allow_private = ["10.0.0.0/8", "intranet.example"]\n', encoding="utf-8")
    assert load_options(config).fetch_allow_private == ("10.0.0.0/8", "intranet.example")


# --- F1: a decompression bomb -----------------------------------------------------------------------

BOMB_INNER = 256 * 1024 * 1024  # decoded size of the bomb: 256 MB of zeros


@pytest.fixture(scope="module")
def double_gzip_bomb() -> bytes:
    """256 MB of zeros, gzipped twice: a few hundred bytes on the wire."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [inner.compress(block) for _ in range(BOMB_INNER // len(block))]
    once = b"".join(parts) + inner.flush()
    return gzip.compress(once, 9)


def test_double_gzip_bomb_is_stopped_at_the_cap_with_bounded_memory(
    http_server: LocalServer, double_gzip_bomb: bytes
) -> None:
    assert len(double_gzip_bomb) < 10_000
    http_server.route("/bomb", double_gzip_bomb, content_type="text/html",
                      headers={"Content-Encoding": "gzip, gzip"})
    cap = 2_000_000
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(TooLarge, match="size cap of 2000000"):
            fetch_url(http_server.url("/bomb"), Options(fetch_allow_private=LOCAL, max_bytes=cap))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < cap + 8 * 1024 * 1024, f"peak {peak:,} bytes"  # the cap plus a few pieces, never 256 MB
    assert time.monotonic() - start < 5


def test_stacked_codings_within_the_cap_are_decoded(http_server: LocalServer) -> None:
    body = PAGE.encode() * 1000
    deflated = zlib.compress(gzip.compress(body))
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw_deflated = raw.compress(body) + raw.flush()
    two_members = gzip.compress(body[:1000]) + gzip.compress(body[1000:])
    http_server.route("/two", deflated, content_type="text/html", headers={"Content-Encoding": "gzip, deflate"})
    http_server.route("/raw", raw_deflated, content_type="text/html", headers={"Content-Encoding": "deflate"})
    http_server.route("/members", two_members, content_type="text/html", headers={"Content-Encoding": "gzip"})
    http_server.route("/trailing", gzip.compress(body) + b"\0\0 padding", content_type="text/html",
                      headers={"Content-Encoding": "gzip"})
    for path in ("/two", "/raw", "/members", "/trailing"):
        assert fetch_url(http_server.url(path), ALLOWED).content == body, path
    assert len(body) > DECODE_PIECE  # decoded in several pieces


def test_bad_codings_give_one_line_errors(http_server: LocalServer) -> None:
    http_server.route("/br", b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"})
    http_server.route("/deep", gzip.compress(b"x"), headers={"Content-Encoding": "gzip, gzip, gzip, gzip"})
    http_server.route("/corrupt", b"\x1f\x8b\x08\x00garbage-not-gzip", headers={"Content-Encoding": "gzip"})
    for path, reason in (("/br", "unsupported Content-Encoding 'br'"), ("/deep", "too many Content-Encoding"),
                         ("/corrupt", "cannot decode the gzip body")):
        with pytest.raises(FetchError, match=reason) as caught:
            fetch_url(http_server.url(path), ALLOWED)
        assert "\n" not in str(caught.value)


# --- feeds -------------------------------------------------------------------------------------------


def _rss(items: list[str]) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Lake Courier</title>'
            + "".join(items) + "</channel></rss>")


def test_plain_text_description_is_kept_as_text(http_server: LocalServer) -> None:
    text = "Troops shelled the village of Wexmoor on Sunday, killing two people, officials said."
    feed = _rss([f"<item><title>Shelling</title><guid isPermaLink='false'>s-1</guid><description>{text}</description></item>",
                 ("<item><title>Fog</title><guid isPermaLink='false'>f-1</guid><description>&lt;p&gt;Fog &amp;amp; rain.&lt;/p&gt;"
                 "</description></item>")])
    http_server.route("/feed", feed, content_type="application/rss+xml")
    reading = read_feed(http_server.url("/feed"), ALLOWED)
    plain, html = reading.articles
    assert (plain.raw_text, plain.raw_html) == (text, None)
    assert plain.raw_html is None and html.raw_html == "<p>Fog &amp; rain.</p>" and html.raw_text is None


def test_plain_text_feed_item_is_read_not_rejected(http_server: LocalServer, tmp_path: Path) -> None:
    from eventsift.store.store import open_store
    from eventsift.workflow import ingest

    text = "Troops shelled the village of Wexmoor on Sunday, killing two people, officials said."
    http_server.route("/feed", _rss([(f"<item><title>Shelling in Wexmoor</title><guid isPermaLink='false'>s-1</guid>"
                                     f"<description>{text}</description></item>")]),
                      content_type="application/rss+xml")
    url = f"sqlite:///{tmp_path / 'feed.db'}"
    with open_store(url) as store:
        summary, _ = ingest([http_server.url("/feed")], store, Options(db=url, fetch_allow_private=LOCAL),
                            published="2024-06-01")
        assert [r.reason for r in store.list_rejects()] == [] and summary.rejected == 0
        stored = store.list_articles()
        assert len(stored) == 1
        article = store.get_article(stored[0].id)
    assert article is not None and "Wexmoor" in (article.body or "")


def test_feed_item_linking_to_a_private_address_keeps_its_summary(http_server: LocalServer) -> None:
    feed = _rss([("<item><title>Metadata</title><link>http://169.254.169.254/latest/meta-data/</link>"
                 "<description>Short summary only.</description></item>")])
    http_server.route("/feed", feed, content_type="application/rss+xml")
    reading = read_feed(http_server.url("/feed"), ALLOWED)
    assert reading.articles[0].raw_text == "Short summary only."
    assert [r.stage for r in reading.errors] == ["fetch"]
    assert "refused: 169.254.169.254 is a link-local address" in reading.errors[0].reason


def test_a_large_successful_feed_logs_no_errors(http_server: LocalServer, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    """Half the items link to a page, half carry only a plain-text description: all read, no WARNING or
    ERROR line, and one summary line for the feed."""
    from eventsift.store.store import open_store
    from eventsift.workflow import ingest

    count = 120
    items = [f"<item><title>Council vote {i}</title><guid isPermaLink='false'>v-{i}</guid>"
             + (f"<link>{http_server.base_url}/a/{i}</link>" if i % 2 else "")
             + f"<description>The council in Wexmoor voted on budget line {i} on Monday, officials said."
               "</description></item>" for i in range(count)]
    http_server.route("/feed", _rss(items), content_type="application/rss+xml")

    def page(request: SeenRequest) -> Reply:
        number = request.path.rsplit("/", 1)[-1]
        body = f"<html><body><article><h1>Council vote {number}</h1>" + "".join(
            f"<p>The town council in Wexmoor voted on Monday on budget line {number}, paragraph {j}, "
            "after a long debate about the harbour and the ferry.</p>" for j in range(4)) + "</article></body></html>"
        return Reply(200, body.encode(), {"Content-Type": "text/html"})

    for i in range(1, count, 2):
        http_server.route(f"/a/{i}", handler=page)
    url = f"sqlite:///{tmp_path / 'feed.db'}"
    with caplog.at_level(logging.DEBUG), open_store(url) as store:
        summary, _ = ingest([http_server.url("/feed")], store, Options(db=url, fetch_allow_private=LOCAL),
                            published="2024-06-01")
        assert store.count_rejects() == 0 and summary.rejected == 0
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert loud == [], [f"{r.name}: {r.getMessage()}" for r in loud[:3]]
    feed_lines = [r for r in caplog.records if r.levelno == logging.INFO and r.name == "eventsift.ingest.feeds"]
    assert len(feed_lines) == 1 and f"{count} new" in feed_lines[0].getMessage()
