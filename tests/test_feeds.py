"""feeds.py: RSS and Atom from a real HTTP server on 127.0.0.1 and from local files."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsift.errors import BadRecord, FetchError, InputError
from eventsift.ingest.feeds import read_feed, read_fetched_feed
from eventsift.ingest.fetch import Fetcher, MemoryHttpCache
from eventsift.records import content_hash
from eventsift.settings import Options

from .httpserver import LocalServer, http_server_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.network

LOCAL = ("127.0.0.1",)  # setting fetch_allow_private: the test server is on loopback
OPTIONS = Options(fetch_allow_private=LOCAL, fetch_timeout=2.0)

RSS_FULL = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Valley Courier</title>
  <link>http://valley.test/</link>
  <description>Local news from a valley that does not exist</description>
  <item>
    <title>Bridge over the Lorne reopens</title>
    <link>http://valley.test/news/bridge</link>
    <guid isPermaLink="false">valley-0001</guid>
    <pubDate>Mon, 02 Mar 2026 08:15:00 GMT</pubDate>
    <dc:creator>Ada Fenwick</dc:creator>
    <description>The bridge is open again.</description>
    <content:encoded><![CDATA[<p>The bridge over the river Lorne reopened on Monday after
      three weeks of repairs, the district engineer said.</p><p>Buses resume their old route.</p>]]>
    </content:encoded>
  </item>
  <item>
    <title>Market moves indoors</title>
    <link>http://valley.test/news/market</link>
    <guid>valley-0002</guid>
    <pubDate>Tue, 03 Mar 2026 23:30:00 +0000</pubDate>
    <content:encoded><![CDATA[<p>The Saturday market will move into the old grain hall until
      spring, organisers announced.</p>]]></content:encoded>
  </item>
</channel>
</rss>
"""

ATOM_FULL = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Notes</title>
  <id>urn:test:harbour</id>
  <updated>2026-02-20T10:00:00Z</updated>
  <entry>
    <title>Fog delays the morning ferry</title>
    <id>urn:test:harbour:17</id>
    <link rel="alternate" href="http://harbour.test/notes/17"/>
    <updated>2026-02-19T06:40:00Z</updated>
    <author><name>Tomas Reed</name></author>
    <summary>Fog again.</summary>
    <content type="html">&lt;p&gt;Thick fog kept the morning ferry in port for two hours on
      Thursday, the harbour master said.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def summary_feed(base: str) -> str:
    items = [
        ("Council adopts budget", "/articles/budget.html", "Short summary of the budget vote."),
        ("School roof repaired", "/articles/missing.html", "Summary: the roof is fixed."),
        ("Annual report", "/articles/report.pdf", "Summary: the report is out."),
    ]
    body = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><description>{text}</description>"
        "<pubDate>Wed, 04 Mar 2026 12:00:00 GMT</pubDate></item>"
        for title, path, text in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Town Hall Wire</title>{body}</channel></rss>'


BUDGET_PAGE = (
    "<html><head><title>Council adopts budget</title></head><body><article>"
    "<p>The town council of Millbrook adopted its budget for next year on Wednesday evening.</p>"
    "</article></body></html>"
)


def test_rss_with_full_content(http_server: LocalServer) -> None:
    http_server.route("/rss", RSS_FULL, content_type="application/rss+xml; charset=utf-8")

    reading = read_feed(http_server.url("/rss"), OPTIONS)

    assert reading.title == "Valley Courier" and not reading.not_modified and reading.errors == []
    bridge, market = reading.articles
    assert bridge.id == content_hash("valley-0001")
    assert bridge.source_kind == "feed"
    assert bridge.url == "http://valley.test/news/bridge"
    assert bridge.title == "Bridge over the Lorne reopens"
    assert bridge.source == "Valley Courier"
    assert bridge.author == "Ada Fenwick"
    assert bridge.published == "2026-03-02"
    assert "from feed metadata" in (bridge.published_note or "")
    assert bridge.raw_html is not None and "three weeks of repairs" in bridge.raw_html
    assert bridge.location == http_server.url("/rss")
    assert market.published == "2026-03-03"
    assert "grain hall" in (market.raw_html or "")
    # full content: no article page was fetched
    assert [r.path for r in http_server.requests] == ["/robots.txt", "/rss"]


def test_atom_with_full_content(http_server: LocalServer) -> None:
    http_server.route("/atom", ATOM_FULL, content_type="application/atom+xml")

    (entry,) = read_feed(http_server.url("/atom"), OPTIONS).articles

    assert entry.id == content_hash("urn:test:harbour:17")
    assert entry.url == "http://harbour.test/notes/17"
    assert (entry.title, entry.author, entry.source) == ("Fog delays the morning ferry", "Tomas Reed", "Harbour Notes")
    assert entry.published == "2026-02-19"
    assert "updated" in (entry.published_note or "")
    assert entry.raw_html is not None and "kept the morning ferry in port" in entry.raw_html


def test_ids_are_stable_across_reads(http_server: LocalServer) -> None:
    http_server.route("/rss", RSS_FULL, content_type="application/rss+xml")
    first = [a.id for a in read_feed(http_server.url("/rss"), OPTIONS).articles]
    second = [a.id for a in read_feed(http_server.url("/rss"), OPTIONS).articles]
    assert first == second and len(set(first)) == 2


def test_summary_only_entries_fetch_the_article_page(http_server: LocalServer) -> None:
    http_server.route("/feed", summary_feed(http_server.base_url), content_type="application/rss+xml")
    http_server.route("/articles/budget.html", BUDGET_PAGE, content_type="text/html; charset=utf-8")
    http_server.route("/articles/report.pdf", b"%PDF-1.4 not html", content_type="application/pdf")

    with Fetcher(OPTIONS, cache=MemoryHttpCache()) as fetcher:
        reading = read_feed(http_server.url("/feed"), OPTIONS, fetcher=fetcher)

    budget, roof, report = reading.articles
    assert budget.raw_html == BUDGET_PAGE
    assert budget.location == budget.url == http_server.url("/articles/budget.html")
    assert (budget.title, budget.source, budget.published) == ("Council adopts budget", "Town Hall Wire", "2026-03-04")
    # the page that failed keeps the summary, and the reason is recorded, not dropped
    assert roof.raw_text == "Summary: the roof is fixed."
    assert roof.location == http_server.url("/feed")
    assert report.raw_text == "Summary: the report is out."
    reasons = {r.location: r for r in reading.errors}
    missing = reasons[http_server.url("/articles/missing.html")]
    assert missing.stage == "fetch" and "HTTP 404" in missing.reason and missing.article_id == roof.id
    assert "not an HTML page (application/pdf)" in reasons[http_server.url("/articles/report.pdf")].reason
    assert http_server.count("/robots.txt") == 1


def test_article_page_disallowed_by_robots_keeps_the_summary(http_server: LocalServer) -> None:
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /articles/\n")
    http_server.route("/feed", summary_feed(http_server.base_url), content_type="application/rss+xml")
    http_server.route("/articles/budget.html", BUDGET_PAGE, content_type="text/html")

    reading = read_feed(http_server.url("/feed"), OPTIONS)

    assert reading.articles[0].raw_text == "Short summary of the budget vote."
    assert all("disallowed by robots.txt" in r.reason for r in reading.errors)
    assert len(reading.errors) == 3
    assert http_server.count("/articles/budget.html") == 0


def test_article_page_over_the_size_cap_keeps_the_summary(http_server: LocalServer) -> None:
    feed = summary_feed(http_server.base_url)
    http_server.route("/feed", feed, content_type="application/rss+xml")
    http_server.route("/articles/budget.html", "<p>" + "word " * 2000 + "</p>", content_type="text/html")

    reading = read_feed(http_server.url("/feed"), Options(fetch_allow_private=LOCAL, max_bytes=len(feed) + 100))

    assert reading.articles[0].raw_text == "Short summary of the budget vote."
    assert any("size cap" in r.reason for r in reading.errors)


def test_is_known_links_are_skipped_before_any_fetch(http_server: LocalServer) -> None:
    http_server.route("/feed", summary_feed(http_server.base_url), content_type="application/rss+xml")
    http_server.route("/articles/budget.html", BUDGET_PAGE, content_type="text/html")
    known = {http_server.url("/articles/budget.html"), http_server.url("/articles/missing.html")}

    reading = read_feed(http_server.url("/feed"), OPTIONS, is_known=known.__contains__)

    assert [a.title for a in reading.articles] == ["Annual report"]
    assert reading.skipped == 2
    assert http_server.count("/articles/budget.html") == 0
    assert http_server.count("/articles/missing.html") == 0


def test_unchanged_feed_is_not_modified(http_server: LocalServer) -> None:
    http_server.route("/rss", RSS_FULL, content_type="application/rss+xml", etag='"rss-1"')
    with Fetcher(OPTIONS, cache=MemoryHttpCache()) as fetcher:
        first = read_feed(http_server.url("/rss"), OPTIONS, fetcher=fetcher)
        second = read_feed(http_server.url("/rss"), OPTIONS, fetcher=fetcher)
    assert len(first.articles) == 2 and not first.not_modified
    assert second.not_modified and second.articles == []
    assert http_server.requests_to("/rss")[1].header("if-none-match") == '"rss-1"'


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("<!DOCTYPE html><html><body><p>Welcome to our site</p></body></html>", "text/html", "HTML page"),
        ("<html><body><p>Served with the wrong type</p></body></html>", "application/xml", "HTML page"),
        (b"\x00\x01\x02 binary junk {", "application/octet-stream", "not well-formed"),
        ('{"items": []}', "application/json", "not well-formed"),
    ],
)
def test_a_url_that_is_not_a_feed_is_a_bad_record(
    http_server: LocalServer, body: str | bytes, content_type: str, reason: str
) -> None:
    http_server.route("/feed", body, content_type=content_type)
    with pytest.raises(BadRecord, match=f"^not a feed: .*{reason}"):
        read_feed(http_server.url("/feed"), OPTIONS)


def test_feed_that_cannot_be_fetched(http_server: LocalServer) -> None:
    http_server.route("/feed", "gone", status=410)
    with pytest.raises(FetchError, match="HTTP 410"):
        read_feed(http_server.url("/feed"), OPTIONS)


def test_local_feed_file(tmp_path: Path) -> None:
    path = tmp_path / "courier.xml"
    path.write_text(RSS_FULL, encoding="utf-8")
    reading = read_feed(str(path), OPTIONS)
    assert [a.id for a in reading.articles] == [content_hash("valley-0001"), content_hash("valley-0002")]
    assert reading.articles[0].location == str(path)


def test_local_file_problems(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read feed file"):
        read_feed(str(tmp_path / "absent.xml"), OPTIONS)
    big = tmp_path / "big.xml"
    big.write_text(RSS_FULL, encoding="utf-8")
    with pytest.raises(InputError, match="size cap"):
        read_feed(str(big), Options(max_bytes=100))
    junk = tmp_path / "junk.xml"
    junk.write_text("this is a shopping list, not a feed", encoding="utf-8")
    with pytest.raises(BadRecord, match="not a feed"):
        read_feed(str(junk), OPTIONS)


def test_entries_without_guid_or_date(tmp_path: Path) -> None:
    path = tmp_path / "plain.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Notice Board</title>'
        "<item><title>Library hours change</title><link>http://board.test/7</link>"
        "<description>The library closes at six.</description>"
        "<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        "&lt;p&gt;The library closes at six from May.&lt;/p&gt;</content:encoded></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    (article,) = read_feed(str(path), OPTIONS).articles
    assert article.id == content_hash("http://board.test/7")
    assert article.published is None and article.published_note == "no date in the feed entry"
    assert "closes at six from May" in (article.raw_html or "")


def test_repeated_links_within_a_feed_are_read_once(tmp_path: Path) -> None:
    item = (
        "<item><title>Same story</title><link>http://board.test/9</link><guid>g9</guid>"
        "<content:encoded>&lt;p&gt;Text.&lt;/p&gt;</content:encoded></item>"
    )
    path = tmp_path / "twice.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Board</title>{item}{item}</channel></rss>",
        encoding="utf-8",
    )
    reading = read_feed(str(path), OPTIONS)
    assert len(reading.articles) == 1 and reading.skipped == 1


def test_a_feed_already_fetched_is_not_fetched_again(http_server: LocalServer) -> None:
    http_server.route("/rss", RSS_FULL, content_type="application/rss+xml", etag='"r1"')
    with Fetcher(OPTIONS, cache=MemoryHttpCache()) as fetcher:
        result = fetcher.get(http_server.url("/rss"))
        reading = read_fetched_feed(result, OPTIONS, fetcher=fetcher)
    assert len(reading.articles) == 2 and reading.source == http_server.url("/rss")
    assert http_server.count("/rss") == 1
