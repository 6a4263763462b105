"""ingest and watch over HTTP, against a real server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventsift.cli import app
from eventsift.store.store import open_store

from .httpserver import LocalServer, http_server_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.network
runner = CliRunner()


@pytest.fixture(autouse=True)
def _allow_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server is on 127.0.0.1, which fetching refuses unless fetch_allow_private lists it."""
    config = tmp_path / "config.toml"
    config.write_text('fetch_allow_private = ["127.0.0.1"]\n', encoding="utf-8")
    monkeypatch.setenv("EVENTSIFT_CONFIG", str(config))

PAGE = """<html><head><title>Ferry service resumes on the lake</title>
<meta name="author" content="Test Desk"><meta property="og:site_name" content="Lake Courier">
<meta property="article:published_time" content="2024-06-01T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Ferry service resumes on the lake</h1>
{paragraphs}<p>Follow us on Facebook and Instagram for the latest updates</p></article>
<footer>Copyright Lake Courier</footer></body></html>"""
PARAGRAPH = "<p>The ferry operator said on Saturday that crossings to the island villages would run {i} times a day again after repairs to the pier.</p>"


def _page(n: int = 5) -> str:
    return PAGE.format(paragraphs="".join(PARAGRAPH.format(i=i + 2) for i in range(n)))


def _rss(base: str) -> str:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Lake Courier</title>
<item><title>Ferry service resumes on the lake</title><link>{base}/ferry</link><guid>ferry-1</guid>
<pubDate>Sat, 01 Jun 2024 09:00:00 GMT</pubDate><description>Short summary only.</description></item>
</channel></rss>"""


def test_ingest_url_with_metadata_and_conditional_get(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route("/ferry", _page(), content_type="text/html; charset=utf-8", etag='"v1"')
    db = f"sqlite:///{tmp_path / 'net.db'}"
    result = runner.invoke(app, ["ingest", http_server.url("/ferry"), "--db", db])
    assert result.exit_code == 0 and "1 ingested" in result.output, result.output
    with open_store(db) as store:
        [row] = store.list_articles()
        article = store.get_article(row.id)
    assert article is not None
    assert article.title == "Ferry service resumes on the lake"
    assert article.published == "2024-06-01" and article.published_note == "from page metadata"
    assert article.source == "Lake Courier" and article.url == http_server.url("/ferry")
    assert "Follow us" not in article.body and "Home" not in article.body
    again = runner.invoke(app, ["ingest", http_server.url("/ferry"), "--db", db])
    assert again.exit_code == 0 and "0 ingested" in again.output
    assert http_server.requests_to("/ferry")[-1].header("if-none-match") == '"v1"'


def test_ingest_feed_url_fetches_linked_pages(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route("/rss", _rss(http_server.base_url), content_type="application/rss+xml")
    http_server.route("/ferry", _page(), content_type="text/html")
    db = f"sqlite:///{tmp_path / 'net.db'}"
    result = runner.invoke(app, ["ingest", http_server.url("/rss"), "--db", db])
    assert result.exit_code == 0 and "1 ingested" in result.output, result.output
    with open_store(db) as store:
        [row] = store.list_articles()
    assert row.published == "2024-06-01" and row.words > 50


def test_url_errors_are_rejected(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route("/gone", "nothing here", status=404)
    http_server.route("/notafeed.xml", "<<< not xml", content_type="application/rss+xml")
    db = f"sqlite:///{tmp_path / 'net.db'}"
    result = runner.invoke(app, ["ingest", http_server.url("/gone"), http_server.url("/notafeed.xml"), "--db", db])
    assert result.exit_code == 1 and "2 rejected" in result.output, result.output  # every input failed
    assert result.output.count("404") == 1  # each reason said once


def test_watch_survives_a_broken_feed(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route("/rss", _rss(http_server.base_url), content_type="application/rss+xml", etag='"f1"')
    http_server.route("/ferry", _page(), content_type="text/html")
    http_server.route("/down", "maintenance", status=503)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# test feeds\n{http_server.url('/down')}\n{http_server.url('/rss')}\n")
    db = f"sqlite:///{tmp_path / 'net.db'}"
    result = runner.invoke(app, ["watch", str(feeds), "--every", "1s", "--rounds", "2", "--db", db])
    assert result.exit_code == 0, result.output
    assert "503" in result.output
    with open_store(db) as store:
        assert store.count_articles() == 1
        assert any(r.stage == "watch" for r in store.list_rejects())
    assert http_server.count("/ferry") == 1  # the second round gets a 304 for the feed
    assert http_server.requests_to("/rss")[-1].header("if-none-match") == '"f1"'
