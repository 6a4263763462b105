"""Reading inputs: files, folders, JSONL, stdin, and bad input that must be rejected with a reason."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from eventsift.ingest.sources import iter_inputs, parse_published
from eventsift.ingest.structure import split_text_layout, structure_article
from eventsift.records import Article, Reject
from eventsift.settings import Options

ARTICLE = "Dam repairs begin\n\nWork crews arrived on Monday.\n\nThe reservoir will be lowered by two metres.\n"


def _items(target: str, options: Options, **kwargs: object) -> list[Article | Reject]:
    return list(iter_inputs(target, options, **kwargs))  # type: ignore[arg-type]


def test_text_file_becomes_article_with_content_hash_id(tmp_path: Path, options: Options) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [item] = _items(str(path), options)
    assert isinstance(item, Article)
    assert item.raw_text == ARTICLE and item.id == item.content_hash and len(item.id) == 16
    structure_article(item)  # the ingest stage decides the date
    assert item.published is None and item.published_note and item.published_note.startswith("unknown")


def test_published_option_fills_missing_date(tmp_path: Path, options: Options) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    [item] = _items(str(path), options, published="2024-03-12")
    assert isinstance(item, Article)
    structure_article(item)
    assert item.published == "2024-03-12" and item.published_note == "from --published"


def test_folder_is_read_recursively_in_order(tmp_path: Path, options: Options) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(ARTICLE + "B", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE + "A", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    locations = [i.location for i in _items(str(tmp_path), options)]
    assert locations == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.txt")]


def test_jsonl_records_and_bad_lines(tmp_path: Path, options: Options) -> None:
    lines = [
        json.dumps({"id": "one", "text": ARTICLE, "title": "Dam repairs begin", "published": "2024-03-12T08:00:00Z",
                    "url": "https://example.org/a", "source": "Example"}),
        "{not json",
        json.dumps({"id": "three"}),
        json.dumps({"id": "four", "html": "<html><body><p>Hi</p></body></html>"}),
        json.dumps({"id": "five", "text": "x", "published": "last week"}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _items(str(path), options)
    one, bad_json, no_text, four, bad_date = items
    assert isinstance(one, Article) and one.id == "one" and one.published == "2024-03-12"
    assert one.title == "Dam repairs begin" and one.source == "Example" and one.url == "https://example.org/a"
    assert isinstance(bad_json, Reject) and "invalid JSON" in bad_json.reason and bad_json.location.endswith(":2")
    assert isinstance(no_text, Reject) and '"text" or "html"' in no_text.reason
    assert isinstance(four, Article) and four.raw_html is not None
    assert isinstance(bad_date, Reject) and "ISO 8601" in bad_date.reason


def test_stdin_text_and_jsonl(options: Options) -> None:
    [item] = _items("-", options, stdin=io.BytesIO(ARTICLE.encode()))
    assert isinstance(item, Article) and item.source_kind == "stdin"
    stream = io.BytesIO((json.dumps({"id": "s1", "text": ARTICLE}) + "\n").encode())
    [item] = _items("-", options, stdin=stream, jsonl=True)
    assert isinstance(item, Article) and item.id == "s1"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty input"),
        (b"   \n\n  ", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
        (b"Caf\xe9 owners protest\n\nThey gathered at noon.", "not valid utf-8"),
    ],
)
def test_bad_files_are_rejected_with_one_line_reason(tmp_path: Path, options: Options, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [item] = _items(str(path), options)
    assert isinstance(item, Reject)
    assert reason in item.reason and "\n" not in item.reason
    assert item.location == str(path) and item.stage == "ingest"


def test_other_encoding_can_be_named(tmp_path: Path, options: Options) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"Caf\xe9 owners protest\n\nThey gathered at noon.")
    [item] = _items(str(path), options.with_overrides(input_encoding="latin-1"))
    assert isinstance(item, Article) and item.raw_text and item.raw_text.startswith("Café")


def test_oversized_file_is_rejected_without_reading_it(tmp_path: Path, options: Options) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:  # 50 MB, sparse where the filesystem allows
        handle.truncate(50 * 1024 * 1024)
    [item] = _items(str(path), options)
    assert isinstance(item, Reject) and "size cap" in item.reason


def test_missing_path(options: Options) -> None:
    [item] = _items("/nonexistent/file.txt", options)
    assert isinstance(item, Reject) and item.reason == "no such file or folder"


def test_parse_published_forms() -> None:
    assert parse_published("2024-03-12") == "2024-03-12"
    assert parse_published("2024-03-12T23:10:00+02:00") == "2024-03-12"
    assert parse_published(None) is None


def test_layout_title_standfirst_byline() -> None:
    text = (
        "Flood waters reach the old town\n\nResidents moved to higher ground overnight\n\nBy Ana Ruiz\n\n"
        "Water entered the market square before dawn.\n\nThe mayor asked people to stay indoors."
    )
    layout = split_text_layout(text)
    assert layout.title == "Flood waters reach the old town"
    assert layout.standfirst == "Residents moved to higher ground overnight"
    assert layout.byline == "By Ana Ruiz"
    assert layout.paragraphs == ["Water entered the market square before dawn.", "The mayor asked people to stay indoors."]


def test_layout_without_headline_keeps_first_paragraph_in_body() -> None:
    layout = split_text_layout("Water entered the market square before dawn.\n\nThe mayor asked people to stay indoors.")
    assert layout.title is None and len(layout.paragraphs) == 2


def test_hard_wrapped_paragraphs_are_joined() -> None:
    layout = split_text_layout("Storm warning\n\nThe wind reached\n90 km/h on the coast.\n\nFerries stopped.")
    assert layout.paragraphs == ["The wind reached 90 km/h on the coast.", "Ferries stopped."]


def test_dateline_goes_to_metadata() -> None:
    article = Article(
        id="d", source_kind="text",
        raw_text="Port reopens\n\nODESA, March 12 (Wire) - The port reopened on Tuesday.\n\nShips queued offshore.",
    )
    structure_article(article)
    assert article.dateline == "ODESA, March 12 (Wire)"
    assert article.paragraphs[0] == "The port reopened on Tuesday."


def test_jsonl_title_not_repeated_in_body() -> None:
    article = Article(id="j", source_kind="jsonl", title="Port reopens", raw_text="Port reopens\n\nThe port reopened.")
    structure_article(article)
    assert article.title == "Port reopens" and article.paragraphs == ["The port reopened."]


def _jsonl_corpus(path: Path, records: int, text_bytes: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for number in range(records):
            body = f"Report {number}. " + "Crews cleared the road. " * (text_bytes // 24)
            stream.write(json.dumps({"id": f"r{number}", "text": body}) + "\n")


def test_jsonl_file_over_the_cap_streams_and_the_cap_applies_per_record(tmp_path: Path, options: Options) -> None:
    from dataclasses import replace

    small_cap = replace(options, max_bytes=2_000)
    path = tmp_path / "corpus.jsonl"
    _jsonl_corpus(path, records=30, text_bytes=1_000)  # ~30 KB: fifteen times the cap, every record under it
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps({"id": "big", "text": "word " * 1_000}) + "\n")
    for jsonl in (False, True):  # a .jsonl file, then any file named JSONL by --jsonl
        if jsonl:
            path = path.rename(tmp_path / "corpus.txt")
        items = _items(str(path), small_cap, jsonl=jsonl)
        assert [i.id for i in items if isinstance(i, Article)] == [f"r{n}" for n in range(30)]
        [reject] = [i for i in items if isinstance(i, Reject)]
        assert reject.location.endswith(":31") and "size cap of 2,000" in reject.reason


def test_a_21_mb_jsonl_file_is_read_without_holding_it_whole(tmp_path: Path, options: Options) -> None:
    import tracemalloc

    path = tmp_path / "big.jsonl"
    _jsonl_corpus(path, records=42, text_bytes=500_000)
    assert path.stat().st_size > 21_000_000 > options.max_bytes
    tracemalloc.start()
    try:
        count = sum(isinstance(item, Article) for item in iter_inputs(str(path), options))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 42
    assert peak < 6_000_000, f"peak {peak:,} bytes: the file was held whole"
