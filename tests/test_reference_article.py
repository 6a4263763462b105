"""Acceptance: the `article:` section of belgorod-raid.expected.yaml holds in full."""

from __future__ import annotations

import re

import pytest

from eventsift.pipeline import read_article
from eventsift.records import Article, content_hash

from .conftest import REFERENCE


@pytest.fixture(scope="module")
def article(reference_text: str) -> Article:
    raw = Article(id=content_hash(reference_text), source_kind="text", location=str(REFERENCE), raw_text=reference_text)
    return read_article(raw)


def test_title_standfirst_language(article: Article, reference_expected: dict) -> None:
    expected = reference_expected["article"]
    assert article.title == expected["title"]
    assert article.standfirst == expected["standfirst"]
    assert article.language == expected["language"]
    assert article.halted is None


def test_body_bounds(article: Article, reference_expected: dict) -> None:
    expected = reference_expected["article"]
    assert article.body.startswith(expected["body_must_start_with"])
    assert article.body.endswith(expected["body_must_end_with"])
    for text in expected["body_must_not_contain"]:
        assert text not in article.body, text


def test_editorial_paragraph_count(article: Article, reference_expected: dict) -> None:
    # The YAML counts the body's own editorial paragraphs alone: not the title or standfirst (kept as
    # metadata), not the promo or the consent notice (removed).
    body_paragraphs = article.body.split("\n\n")
    assert len(body_paragraphs) == reference_expected["article"]["body_paragraphs"]
    assert article.title is not None and article.standfirst is not None
    assert not any(p.strip() == "" for p in body_paragraphs)


def _quoted(item: str) -> str:
    """'consent notice ("We use your sign-up ...")' -> the words in quotes, without the ellipsis."""
    match = re.search(r'\("(.+?)(?: \.\.\.)?"\)', item)
    assert match, item
    return match.group(1)


def test_removed_blocks_reported_with_reason(article: Article, reference_expected: dict) -> None:
    wanted = reference_expected["article"]["removed_blocks_must_be_reported"]
    for item in wanted:
        kind = item.split(" (")[0]
        opening = _quoted(item)
        matches = [r for r in article.removed if r.text.startswith(opening)]
        assert matches, f"not reported as removed: {item}"
        assert matches[0].reason.startswith(kind), (matches[0].reason, kind)
    assert len(article.removed) == len(wanted)


def test_encoding_repair_reported(article: Article) -> None:
    encoding = [r for r in article.repairs if r.kind == "encoding"]
    assert encoding and all("cp874" in r.detail for r in encoding)
    assert all("ย" not in r.text for r in article.removed)
