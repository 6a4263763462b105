"""watch.py: polling rounds against a real HTTP server on 127.0.0.1, and its small parsers."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from eventsift.errors import BadRecord, ConfigError, FetchError
from eventsift.ingest.feeds import FeedReading
from eventsift.ingest.fetch import MemoryHttpCache
from eventsift.ingest.watch import parse_every, read_feeds_file, watch
from eventsift.settings import Options

from .httpserver import LocalServer, http_server_fixture  # noqa: F401 - fixture

LOCAL = ("127.0.0.1",)  # setting fetch_allow_private: the test server is on loopback
OPTIONS = Options(fetch_allow_private=LOCAL, fetch_timeout=0.5)


def rss(*items: tuple[str, str]) -> str:
    """A small RSS feed; each item is (slug, sentence) with its full text in content:encoded."""
    body = "".join(
        f"<item><title>Item {slug}</title><link>http://orchard.test/{slug}</link><guid>{slug}</guid>"
        f"<pubDate>Thu, 05 Mar 2026 09:00:00 GMT</pubDate>"
        f"<content:encoded>&lt;p&gt;{text}&lt;/p&gt;</content:encoded></item>"
        for slug, text in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Orchard Gazette</title>{body}</channel></rss>"
    )


APPLES = ("apples", "The apple harvest in Coldridge started a week early this year.")
PEARS = ("pears", "Pear growers in Coldridge reported a smaller crop after the late frost.")


class Recorder:
    def __init__(self) -> None:
        self.readings: list[tuple[str, FeedReading]] = []
        self.errors: list[tuple[str, Exception]] = []

    def handle(self, reading: FeedReading, feed: str) -> None:
        self.readings.append((feed, reading))

    def on_error(self, feed: str, exc: Exception) -> None:
        self.errors.append((feed, exc))


@pytest.mark.network
def test_two_rounds_survive_bad_feeds_and_get_304_for_the_unchanged_one(http_server: LocalServer) -> None:
    http_server.route("/good.xml", rss(APPLES, PEARS), content_type="application/rss+xml", etag='"g1"')
    http_server.route("/down.xml", "maintenance", status=503)
    http_server.route("/bad.xml", "<<< this is not a feed >>>", content_type="application/xml")
    http_server.route("/slow.xml", rss(APPLES), content_type="application/rss+xml", delay=1.5)
    feeds = [http_server.url(p) for p in ("/down.xml", "/good.xml", "/bad.xml", "/slow.xml")]
    seen = Recorder()

    watch(feeds, 0.01, seen.handle, OPTIONS, rounds=2, on_error=seen.on_error)

    good = http_server.url("/good.xml")
    assert [feed for feed, _ in seen.readings] == [good, good]
    first, second = (reading for _, reading in seen.readings)
    assert [a.title for a in first.articles] == ["Item apples", "Item pears"]
    assert "harvest in Coldridge" in (first.articles[0].raw_html or "")
    assert second.not_modified and second.articles == []
    assert http_server.requests_to("/good.xml")[1].header("if-none-match") == '"g1"'

    errors = [(feed.rsplit("/", 1)[1], type(exc)) for feed, exc in seen.errors]
    round_errors = [("down.xml", FetchError), ("bad.xml", BadRecord), ("slow.xml", FetchError)]
    assert errors == round_errors * 2
    messages = [str(exc) for _, exc in seen.errors]
    assert "HTTP 503" in messages[0] and "timed out" in messages[2]
    assert http_server.count("/robots.txt") == 1  # one Fetcher for the whole watch


@pytest.mark.network
def test_a_feed_host_that_is_down(http_server: LocalServer) -> None:
    with LocalServer() as gone:
        dead = gone.url("/feed.xml")
    http_server.route("/good.xml", rss(APPLES), content_type="application/rss+xml")
    seen = Recorder()

    watch([dead, http_server.url("/good.xml")], 0.01, seen.handle, OPTIONS, rounds=1, on_error=seen.on_error)

    assert len(seen.readings) == 1 and len(seen.readings[0][1].articles) == 1
    ((feed, exc),) = seen.errors
    assert feed == dead and isinstance(exc, FetchError)


@pytest.mark.network
def test_is_known_skips_stored_links_in_a_changed_feed(http_server: LocalServer) -> None:
    url = http_server.url("/feed.xml")
    http_server.route("/feed.xml", rss(APPLES), content_type="application/rss+xml", etag='"v1"')
    stored: set[str] = set()
    seen = Recorder()

    def handle(reading: FeedReading, feed: str) -> None:
        seen.handle(reading, feed)
        stored.update(a.url for a in reading.articles if a.url)
        http_server.route("/feed.xml", rss(PEARS, APPLES), content_type="application/rss+xml", etag='"v2"')

    watch([url], 0.01, handle, OPTIONS, rounds=2, on_error=seen.on_error, is_known=stored.__contains__)

    first, second = (reading for _, reading in seen.readings)
    assert [a.title for a in first.articles] == ["Item apples"]
    assert [a.title for a in second.articles] == ["Item pears"] and second.skipped == 1
    assert seen.errors == []


@pytest.mark.network
def test_a_handler_that_fails_is_reported_and_the_watch_goes_on(http_server: LocalServer) -> None:
    http_server.route("/a.xml", rss(APPLES), content_type="application/rss+xml")
    http_server.route("/b.xml", rss(PEARS), content_type="application/rss+xml")
    handled: list[str] = []
    errors: list[tuple[str, Exception]] = []

    def handle(reading: FeedReading, feed: str) -> None:
        if feed.endswith("/a.xml"):
            raise RuntimeError("store is full")
        handled.append(feed)

    watch(
        [http_server.url("/a.xml"), http_server.url("/b.xml")], 0.01, handle, OPTIONS,
        rounds=1, on_error=lambda feed, exc: errors.append((feed, exc)),
    )
    assert handled == [http_server.url("/b.xml")]
    assert [str(exc) for _, exc in errors] == ["store is full"]


@pytest.mark.network
def test_a_cache_passed_in_carries_validators_across_watches(http_server: LocalServer) -> None:
    http_server.route("/feed.xml", rss(APPLES), content_type="application/rss+xml", etag='"same"')
    cache = MemoryHttpCache()
    seen = Recorder()
    for _ in range(2):
        watch([http_server.url("/feed.xml")], 1, seen.handle, OPTIONS, rounds=1, on_error=seen.on_error, cache=cache)
    assert [r.not_modified for _, r in seen.readings] == [False, True]


@pytest.mark.network
def test_stop_ends_a_watch_that_is_sleeping(http_server: LocalServer) -> None:
    http_server.route("/feed.xml", rss(APPLES), content_type="application/rss+xml")
    stop = threading.Event()
    polled = threading.Event()
    seen = Recorder()

    def handle(reading: FeedReading, feed: str) -> None:
        seen.handle(reading, feed)
        polled.set()

    runner = threading.Thread(
        target=watch,
        args=([http_server.url("/feed.xml")], 3600, handle, OPTIONS),
        kwargs={"stop": stop, "on_error": seen.on_error},
        daemon=True,
    )
    runner.start()
    assert polled.wait(5)
    stop.set()
    runner.join(5)
    assert not runner.is_alive()
    assert len(seen.readings) == 1


def test_local_feed_file_in_a_watch(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(rss(APPLES), encoding="utf-8")
    missing = str(tmp_path / "missing.xml")
    seen = Recorder()
    watch([str(path), missing], 0.01, seen.handle, OPTIONS, rounds=1, on_error=seen.on_error)
    assert len(seen.readings[0][1].articles) == 1
    assert seen.errors[0][0] == missing and "cannot read feed file" in str(seen.errors[0][1])


def test_interval_must_be_positive() -> None:
    with pytest.raises(ConfigError):
        watch([], 0, Recorder().handle, OPTIONS, rounds=1, on_error=Recorder().on_error)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15m", 900), ("30s", 30), ("2h", 7200), ("1h30m", 5400), ("1h 30m 15s", 5415), ("0.5m", 30), ("2H", 7200)],
)
def test_parse_every(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "15", "m", "15 minutes", "1m1h", "-5m", "0s", "1.5.2h", "abc"])
def test_parse_every_rejects(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_every(text)


def test_read_feeds_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text(
        "# my feeds\n\nhttp://a.test/rss\n  https://b.test/atom.xml   # the b feed\n"
        "local/feed.xml\nhttp://a.test/rss\nhttp://c.test/page#fragment\n",
        encoding="utf-8",
    )
    assert read_feeds_file(path) == [
        "http://a.test/rss",
        "https://b.test/atom.xml",
        "local/feed.xml",
        "http://c.test/page#fragment",
    ]


def test_read_feeds_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read feeds file"):
        read_feeds_file(tmp_path / "none.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="lists no feeds"):
        read_feeds_file(empty)
