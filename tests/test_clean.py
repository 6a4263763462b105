"""The clean stage on text written for the tests: repairs, boilerplate, and what must be kept."""

from __future__ import annotations

import pytest

from eventsift.clean import classify_paragraph, clean_article, repair_text
from eventsift.records import Article


def test_cp874_mojibake_of_no_break_space_is_repaired() -> None:
    broken = "Talks resume on\u0e22\u00a0Monday in the capital"
    text, repairs = repair_text(broken)
    assert text == "Talks resume on Monday in the capital"
    assert [r.kind for r in repairs] == ["encoding"]
    assert "cp874" in repairs[0].detail


def test_real_thai_text_is_left_alone() -> None:
    thai = "\u0e01\u0e23\u0e38\u0e07\u0e40\u0e17\u0e1e\u0e21\u0e2b\u0e32\u0e19\u0e04\u0e23"  # Bangkok
    text, repairs = repair_text(thai)
    assert text == thai
    assert repairs == []


def test_latin1_mojibake_goes_to_ftfy() -> None:
    text, repairs = repair_text("The minister\u00e2\u20ac\u2122s office denied it")
    assert text == "The minister\u2019s office denied it"
    assert repairs and repairs[0].kind == "mojibake"


def test_curly_quotes_stay_as_written() -> None:
    text, repairs = repair_text("He said: \u201cWe will return.\u201d")
    assert text == "He said: \u201cWe will return.\u201d"
    assert repairs == []


@pytest.mark.parametrize(
    ("paragraph", "reason"),
    [
        ("READ MORE: Ten recipes for a rainy weekend", "promo link"),
        ("Related: Floods close the coastal road", "promo link"),
        ("Also read - How the ceasefire talks stalled", "promo link"),
        ("Follow us on Facebook and Instagram for the latest updates", "social footer"),
        ("Share this article on WhatsApp", "social footer"),
        ("Sign up to our free daily newsletter for the headlines in your inbox", "newsletter sign-up"),
        ("Source: Read Full Article", "source footer"),
        ("This article originally appeared on a partner site.", "source footer"),
        ("We use cookies and your data to personalise adverts. You can unsubscribe at any time.", "consent notice"),
        ("Smoke over the valley on Monday (Image: Staff photographer)", "image caption or credit"),
        ("Photo: A convoy on the northern road", "image caption or credit"),
        ("Advertisement", "advertisement marker"),
    ],
)
def test_boilerplate_is_recognised(paragraph: str, reason: str) -> None:
    found = classify_paragraph(paragraph)
    assert found is not None and found.startswith(reason), found


@pytest.mark.parametrize(
    "paragraph",
    [
        "Organisers said on Telegram that the march would follow the river road.",
        "The officials said the consent of the regional council was needed before troops could deploy.",
        "Read more widely, the report suggests the militia has grown since the spring.",
        "Witnesses said the source of the fire was a fuel depot near the station.",
        "A photographer for a local paper said he saw at least three armoured vehicles.",
        "Police said they would share their findings with prosecutors next week.",
    ],
)
def test_editorial_text_is_kept(paragraph: str) -> None:
    assert classify_paragraph(paragraph) is None


def test_clean_article_builds_body_and_reports() -> None:
    article = Article(
        id="a1",
        source_kind="text",
        title="Bridge closed after\u0e22\u00a0storm",
        paragraphs=[
            "The bridge was closed on Monday.",
            "READ MORE: Unrelated story about gardens",
            "Engineers will inspect it on Friday.",
            "Engineers will inspect it on Friday.",
            "Source: Read Full Article",
        ],
    )
    clean_article(article)
    assert article.title == "Bridge closed after storm"
    assert article.body == "The bridge was closed on Monday.\n\nEngineers will inspect it on Friday."
    assert [r.reason.split(" (")[0] for r in article.removed] == ["promo link", "source footer"]
    assert any(r.kind == "encoding" for r in article.repairs)
