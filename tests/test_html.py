"""HTML extraction on small pages written for the tests: metadata, paragraphs, decoding, verdicts."""

from __future__ import annotations

import random

import pytest

from eventsift.errors import BinaryInput, EmptyInput, EncodingError, NoArticle
from eventsift.ingest.html import HtmlReading, decode_html, extract_html

LONG = (
    "The council met on Tuesday to discuss the flooding of the river district, which displaced "
    "hundreds of families last week and closed both bridges into the old town."
)
NEXT = (
    "Officials said the water would recede by Friday, but warned residents to stay away from the "
    "banks until engineers had inspected the levees along the northern shore."
)
CYRILLIC = (
    "Глава администрации заявил, что эвакуация жителей приграничных сёл продолжится "
    "до конца недели, сообщает местное агентство новостей."
)


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<!DOCTYPE html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


NEWS_HEAD = """
<meta charset="utf-8">
<title>Floods force evacuation of river district | The Valley Courier</title>
<meta property="og:title" content="Floods force evacuation of river district">
<meta property="og:site_name" content="The Valley Courier">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-12T08:30:00Z">
<meta name="description" content="Hundreds of families left their homes.">
"""
NEWS_BODY = f"""
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
  <h1>Floods force evacuation of river district</h1>
  <p>{LONG}</p>
  <h2>What happens next</h2>
  <p>{NEXT}</p>
  <ul><li>Shelters are open at the school and the sports hall.</li>
      <li>Drinking water is handed out at the town hall.</li></ul>
  <p>The mayor said the district would be rebuilt.<br>Funding will come from the regional budget.</p>
</article>
<footer><p>Copyright 2024 The Valley Courier. All rights reserved.</p></footer>
"""


@pytest.fixture(scope="module")
def news() -> HtmlReading:
    return extract_html(page(NEWS_BODY, NEWS_HEAD, lang="en-GB"), url="https://courier.example/news/floods")


def test_metadata_is_read(news: HtmlReading) -> None:
    assert news.title == "Floods force evacuation of river district"
    assert news.author == "Jane Doe"
    assert news.date == "2024-03-12"
    assert news.sitename == "The Valley Courier"
    assert news.description == "Hundreds of families left their homes."
    assert news.language == "en"
    assert news.url == "https://courier.example/news/floods"


def test_paragraphs_in_order_with_headings_and_items_on_their_own(news: HtmlReading) -> None:
    assert news.paragraphs == [
        LONG,
        "What happens next",
        NEXT,
        "Shelters are open at the school and the sports hall.",
        "Drinking water is handed out at the town hall.",
        "The mayor said the district would be rebuilt.",
        "Funding will come from the regional budget.",
    ]
    assert news.text == "\n\n".join(news.paragraphs)


def test_title_and_page_furniture_stay_out_of_the_paragraphs(news: HtmlReading) -> None:
    joined = news.text
    assert "Floods force evacuation" not in joined
    assert "Home" not in joined.split()
    assert "Copyright" not in joined


def test_table_rows_become_tab_separated_paragraphs() -> None:
    table = "<table><tr><th>Town</th><th>Evacuated</th></tr><tr><td>Riverside</td><td>420</td></tr></table>"
    reading = extract_html(page(f"<article><p>{LONG}</p>{table}<p>{NEXT}</p></article>"))
    assert "Town\tEvacuated" in reading.paragraphs
    assert "Riverside\t420" in reading.paragraphs
    assert not any("|" in p for p in reading.paragraphs)


def _body_part(label: str, css: str) -> str:
    paragraphs = "".join(f"<p>{LONG} {label}, paragraph {n}.</p>" for n in range(3))
    return f"<section><div class='{css}'>{paragraphs}</div></section><div class='ad'><a href='/ad'>Ad</a></div>"


def test_article_split_over_sibling_containers_is_read_whole() -> None:
    parts = "".join(_body_part(f"Part {n}", "article-body") for n in range(3))
    reading = extract_html(page(f"<main><div class='chunks'>{parts}</div></main>"))
    assert reading.paragraphs == [f"{LONG} Part {n}, paragraph {k}." for n in range(3) for k in range(3)]


def test_posts_of_a_listing_page_are_not_joined() -> None:
    posts = "".join(f"<article><h2>Post {n}</h2>{_body_part(f'Post {n}', 'post-content')}</article>" for n in range(3))
    reading = extract_html(page(f"<main><div class='posts'>{posts}</div></main>"))
    assert any("Post 0, paragraph 2." in p for p in reading.paragraphs)
    assert not any("Post 1" in p for p in reading.paragraphs)


def test_a_lone_fragment_is_read() -> None:
    reading = extract_html(f"<p>{LONG}</p>")
    assert reading.paragraphs == [LONG]


def test_json_ld_article_body_when_the_markup_has_none() -> None:
    head = (
        '<title>Storm</title><script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Storm", '
        '"articleBody": "The storm reached the coast at noon.\\nTwo ferries were cancelled."}</script>'
    )
    reading = extract_html(page("<div id='app'></div>", head))
    assert reading.method == "json-ld"
    assert reading.paragraphs == ["The storm reached the coast at noon.", "Two ferries were cancelled."]


@pytest.mark.parametrize(
    "html",
    [
        page("<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>", "<title>Home</title>"),
        page(""),
    ],
)
def test_no_article_text(html: str) -> None:
    with pytest.raises(NoArticle, match="no article text found"):
        extract_html(html)


@pytest.mark.parametrize("html", ["", "  \n ", b"", b"   "])
def test_empty_input(html: str | bytes) -> None:
    with pytest.raises(EmptyInput):
        extract_html(html)


def test_meta_charset_decodes_legacy_bytes() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><title>Новости</title>'
    data = page(f"<article><p>{CYRILLIC}</p></article>", head, lang="ru").encode("cp1251")
    reading = extract_html(data)
    assert reading.encoding == "cp1251"
    assert reading.title == "Новости"
    assert reading.paragraphs == [CYRILLIC]


def test_latin1_label_is_read_as_windows_1252() -> None:
    text = f"The minister\u2019s office said the caf\u00e9 was closed \u2014 for now. {LONG}"
    data = page(f"<article><p>{text}</p></article>", '<meta charset="iso-8859-1">').encode("cp1252")
    reading = extract_html(data)
    assert reading.encoding == "cp1252"
    assert reading.paragraphs == [text]


def test_utf8_bytes_win_over_a_wrong_declaration() -> None:
    data = page(f"<article><p>{CYRILLIC}</p></article>", '<meta charset="iso-8859-1">').encode("utf-8")
    assert extract_html(data).paragraphs == [CYRILLIC]


def test_undeclared_legacy_bytes_are_guessed() -> None:
    data = page(f"<article><p>{CYRILLIC} {CYRILLIC}</p></article>", lang="ru").encode("cp1251")
    text, encoding = decode_html(data)
    assert CYRILLIC in text
    assert encoding == "cp1251"


def test_byte_order_mark() -> None:
    text, encoding = decode_html(page(f"<p>{CYRILLIC}</p>").encode("utf-16"))
    assert encoding == "utf-16"
    assert CYRILLIC in text


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", b"\x89PNG\r\n\x1a\n", b"<html>\x00\x00\x01\x00</html>"])
def test_binary_input(data: bytes) -> None:
    with pytest.raises(BinaryInput, match="binary"):
        extract_html(data)


def test_bytes_in_no_encoding() -> None:
    noise = bytes(b for b in random.Random(0).randbytes(4000) if b)
    with pytest.raises(EncodingError):
        extract_html(noise)
