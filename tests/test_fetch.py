"""fetch.py against a real HTTP server on 127.0.0.1: no mocks of httpx."""

from __future__ import annotations

import httpx
import pytest

from eventsift.errors import FetchError, TooLarge
from eventsift.ingest.fetch import Fetcher, FetchResult, MemoryHttpCache, fetch_url
from eventsift.settings import Options

from .httpserver import LocalServer, Reply, SeenRequest, http_server_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.network

PAGE = "<html><body><p>The ferry to Wexmoor Island ran late on Sunday, the harbour office said.</p></body></html>"
LOCAL = ("127.0.0.1",)  # setting fetch_allow_private: the test server is on loopback
OPTIONS = Options(fetch_allow_private=LOCAL, fetch_timeout=2.0)


def test_200_with_etag_then_304_from_the_cache(http_server: LocalServer) -> None:
    http_server.route("/page", PAGE, content_type="text/html; charset=utf-8", etag='"v1"')
    cache = MemoryHttpCache()

    first = fetch_url(http_server.url("/page"), OPTIONS, cache=cache)
    second = fetch_url(http_server.url("/page"), OPTIONS, cache=cache)

    assert (first.status, first.not_modified, first.etag) == (200, False, '"v1"')
    assert first.content == PAGE.encode()
    assert (first.content_type, first.encoding) == ("text/html", "utf-8")
    assert cache.get_validators(http_server.url("/page")) == ('"v1"', None)
    assert (second.status, second.not_modified, second.content) == (304, True, b"")
    assert second.etag == '"v1"'
    requests = http_server.requests_to("/page")
    assert requests[0].header("if-none-match") is None
    assert requests[1].header("if-none-match") == '"v1"'


def test_last_modified_is_sent_back_as_if_modified_since(http_server: LocalServer) -> None:
    stamp = "Tue, 03 Mar 2026 10:00:00 GMT"
    http_server.route("/feed", "<rss/>", content_type="application/rss+xml", last_modified=stamp)
    with Fetcher(OPTIONS, cache=MemoryHttpCache()) as fetcher:
        first = fetcher.get(http_server.url("/feed"))
        second = fetcher.get(http_server.url("/feed"))

    assert first.last_modified == stamp and not first.not_modified
    assert second.not_modified and second.last_modified == stamp
    assert http_server.requests_to("/feed")[1].header("if-modified-since") == stamp


def test_without_conditional_no_validators_are_sent(http_server: LocalServer) -> None:
    http_server.route("/page", PAGE, content_type="text/html", etag='"v1"')
    with Fetcher(OPTIONS, cache=MemoryHttpCache()) as fetcher:
        fetcher.get(http_server.url("/page"))
        again = fetcher.get(http_server.url("/page"), conditional=False)
    assert again.status == 200 and again.content == PAGE.encode()
    assert http_server.requests_to("/page")[1].header("if-none-match") is None


def test_user_agent_is_sent(http_server: LocalServer) -> None:
    http_server.route("/page", PAGE, content_type="text/html")
    fetch_url(http_server.url("/page"), Options(fetch_allow_private=LOCAL, user_agent="sifter-test/9"))
    assert http_server.requests_to("/page")[0].header("user-agent") == "sifter-test/9"


def test_redirect_is_followed_to_the_final_url(http_server: LocalServer) -> None:
    http_server.redirect("/old", "/middle", status=301)
    http_server.redirect("/middle", http_server.url("/new"))
    http_server.route("/new", PAGE, content_type="text/html")

    result = fetch_url(http_server.url("/old"), OPTIONS)

    assert result.url == http_server.url("/new")
    assert result.content == PAGE.encode()


def test_redirect_loop_is_an_error(http_server: LocalServer) -> None:
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")
    with pytest.raises(FetchError, match=r"too many redirects .*/a$"):
        fetch_url(http_server.url("/a"), OPTIONS)


def test_redirect_limit(http_server: LocalServer) -> None:
    for hop in range(3):
        http_server.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    http_server.route("/hop3", PAGE, content_type="text/html")

    assert fetch_url(http_server.url("/hop0"), Options(fetch_allow_private=LOCAL, max_redirects=3)).status == 200
    with pytest.raises(FetchError, match="too many redirects"):
        fetch_url(http_server.url("/hop0"), Options(fetch_allow_private=LOCAL, max_redirects=2))


def test_redirect_to_another_scheme_is_refused(http_server: LocalServer) -> None:
    http_server.redirect("/away", "ftp://127.0.0.1/file")
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(http_server.url("/away"), OPTIONS)


def test_robots_disallow_is_respected_and_read_once(http_server: LocalServer) -> None:
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.route("/private/page", PAGE, content_type="text/html")
    http_server.route("/public/page", PAGE, content_type="text/html")

    with Fetcher(OPTIONS) as fetcher:
        assert fetcher.get(http_server.url("/public/page")).status == 200
        with pytest.raises(FetchError, match="disallowed by robots.txt: .*/private/page"):
            fetcher.get(http_server.url("/private/page"))
        fetcher.get(http_server.url("/public/page"))

    assert http_server.count("/private/page") == 0
    assert http_server.count("/robots.txt") == 1


def test_robots_rules_for_our_agent(http_server: LocalServer) -> None:
    http_server.route("/robots.txt", "User-agent: eventsift\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    http_server.route("/page", PAGE, content_type="text/html")
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetch_url(http_server.url("/page"), OPTIONS)
    assert fetch_url(http_server.url("/page"), Options(fetch_allow_private=LOCAL, user_agent="otherbot/1.0")).status == 200


def test_robots_ignored_when_switched_off(http_server: LocalServer) -> None:
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /\n")
    http_server.route("/page", PAGE, content_type="text/html")
    assert fetch_url(http_server.url("/page"), Options(fetch_allow_private=LOCAL, respect_robots=False)).status == 200
    assert http_server.count("/robots.txt") == 0


def test_missing_robots_allows(http_server: LocalServer) -> None:
    http_server.route("/page", PAGE, content_type="text/html")
    assert fetch_url(http_server.url("/page"), OPTIONS).status == 200
    assert http_server.count("/robots.txt") == 1


def test_robots_server_error_stops_the_fetch(http_server: LocalServer) -> None:
    http_server.route("/robots.txt", "down", status=503)
    http_server.route("/page", PAGE, content_type="text/html")
    with pytest.raises(FetchError, match=r"robots.txt .*HTTP 503"):
        fetch_url(http_server.url("/page"), OPTIONS)
    assert http_server.count("/page") == 0


@pytest.mark.parametrize(("status", "words"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500")])
def test_http_errors_name_the_url(http_server: LocalServer, status: int, words: str) -> None:
    http_server.route("/broken", "nope", status=status)
    url = http_server.url("/broken")
    with pytest.raises(FetchError) as caught:
        fetch_url(url, OPTIONS)
    message = str(caught.value)
    assert words in message and url in message and "\n" not in message


def test_declared_length_over_the_cap_is_too_large(http_server: LocalServer) -> None:
    http_server.route("/big", b"x" * 5000, content_type="text/html")
    with pytest.raises(TooLarge, match=r"size cap of 1000 bytes .*/big"):
        fetch_url(http_server.url("/big"), Options(fetch_allow_private=LOCAL, max_bytes=1000))


def test_streamed_body_over_the_cap_is_too_large(http_server: LocalServer) -> None:
    http_server.route("/stream", b"y" * 200_000, content_type="text/html", send_length=False)
    with pytest.raises(TooLarge, match="size cap of 10000 bytes"):
        fetch_url(http_server.url("/stream"), Options(fetch_allow_private=LOCAL, max_bytes=10_000))
    assert fetch_url(http_server.url("/stream"), Options(fetch_allow_private=LOCAL, max_bytes=300_000)).content == b"y" * 200_000


def test_slow_server_times_out(http_server: LocalServer) -> None:
    http_server.route("/slow", PAGE, content_type="text/html", delay=2.0)
    url = http_server.url("/slow")
    with pytest.raises(FetchError, match=r"timed out after 0.3s: .*/slow"):
        fetch_url(url, Options(fetch_allow_private=LOCAL, fetch_timeout=0.3, respect_robots=False))


def test_connection_refused_is_a_fetch_error() -> None:
    with LocalServer() as server:
        url = server.url("/gone")
    with pytest.raises(FetchError, match="cannot fetch .*/gone"):
        fetch_url(url, Options(fetch_allow_private=LOCAL, fetch_timeout=1.0, respect_robots=False))


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "not a url"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(url, OPTIONS)


def test_dynamic_route_and_given_client(http_server: LocalServer) -> None:
    def echo(request: SeenRequest) -> Reply:
        return Reply(200, (request.header("x-probe") or "none").encode(), {"Content-Type": "text/plain"})

    http_server.route("/echo", handler=echo)
    with httpx.Client(headers={"X-Probe": "kept"}) as client:
        result = fetch_url(http_server.url("/echo"), OPTIONS, client=client)
        assert not client.is_closed
    assert result.content == b"kept"


@pytest.mark.parametrize(
    ("content", "encoding", "expected"),
    [
        ("Café déjà vu".encode("cp1252"), "cp1252", "Café déjà vu"),
        ('<meta charset="iso-8859-1"><p>Zürich</p>'.encode("latin-1"), None, "<p>Zürich</p>"),
        ("\ufeffNaïve".encode(), None, "Naïve"),
        ("plain ünïcode".encode(), None, "plain ünïcode"),
    ],
)
def test_text_decoding(content: bytes, encoding: str | None, expected: str) -> None:
    result = FetchResult("http://h/", 200, content, "text/html", None, None, False, encoding)
    assert result.text().endswith(expected)
