"""The publication date is decided once, in the ingest stage: the input's own date, then the page's,
then --published, then unknown with the reason."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from eventsift.cli import app
from eventsift.ingest.sources import settle_published
from eventsift.records import Article

runner = CliRunner()

_PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: the regional council met on Thursday to discuss repairs to the northern road and "
    f"the flood defences along the river, officials said.</p>" for i in range(6)
)


def _page(date_meta: str) -> str:
    return (f"<html><head><title>Council debates flood defences</title>{date_meta}</head><body>"
            f"<article><h1>Council debates flood defences</h1>{_PARAGRAPHS}</article></body></html>")


def _extract(path: Path, *flags: str) -> dict:
    result = runner.invoke(app, ["extract", str(path), *flags])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.splitlines()[0])  # type: ignore[no-any-return]


def test_html_page_date_wins_over_published_flag(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page('<meta property="article:published_time" content="2024-05-02T10:00:00Z">'), encoding="utf-8")
    record = _extract(page, "--published", "2023-01-01")
    assert record["published"] == "2024-05-02"


def test_published_flag_fills_an_undated_html_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page(""), encoding="utf-8")
    record = _extract(page, "--published", "2023-01-01")
    assert record["published"] == "2023-01-01"


def test_jsonl_date_wins_over_published_flag(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    text = "Work crews arrived on Monday to repair the dam. The reservoir will be lowered by two metres."
    path.write_text(json.dumps({"text": text, "published": "2022-02-02"}) + "\n", encoding="utf-8")
    record = _extract(path, "--jsonl", "--published", "2023-01-01")
    assert record["published"] == "2022-02-02"


def test_settle_order() -> None:
    def settled(published: str | None, page: str | None, fallback: str | None) -> tuple[str | None, str | None]:
        article = Article(id="a", source_kind="html", published=published, published_fallback=fallback,
                          published_note="from the input" if published else None)
        settle_published(article, page)
        return article.published, article.published_note

    assert settled("2020-01-01", "2021-01-01", "2022-01-01") == ("2020-01-01", "from the input")
    assert settled(None, "2021-01-01", "2022-01-01") == ("2021-01-01", "from page metadata")
    assert settled(None, None, "2022-01-01") == ("2022-01-01", "from --published")
    published, note = settled(None, None, None)
    assert published is None and note is not None and note.startswith("unknown")
