"""The clean stage on text written for the tests: repairs, boilerplate, and what must be kept."""

from __future__ import annotations

import pytest

from eventsift.clean.body import classify_paragraph, clean_article, repair_text
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


@pytest.mark.parametrize(
    "paragraph",
    [
        "Related stories: Quake toll climbs to 212 Storm cuts power to coastal towns",
        "Sponsored content From Our Partners Dec 3, 2015",
        "You may also like: Ten rivers to see before you die",
        "Riverside Gazette Published Tuesday, June 4, 2019 3:05PM EDT",
        "Updated at 4:10 p.m.",
        "Handout/Reuters.",
        "(Reporting by Jane Roe; editing by John Doe)",
        "Kim reported from Seoul.",
        "Follow her on Twitter @someone",
        "Sign up for our free daily newsletter to get the news in your inbox.",
        "Copyright 2020 Example Media. All rights reserved.",
        "Two men walk past a burned-out car in the capital on Sunday. Jane Roe AP Photo.",
    ],
)
def test_more_page_furniture_is_removed(paragraph: str) -> None:
    assert classify_paragraph(paragraph) is not None


@pytest.mark.parametrize(
    "paragraph",
    [
        "Police said the two men were killed on June 4, 2019 at 3:05 p.m. near the market.",
        "Paid volunteers marched through the centre of the town on Saturday.",
        "In other news, the council approved the budget.",
        "Also on Tuesday, soldiers arrested three men near the border.",
        "The ministry said more stories of abuse had emerged since the raid.",
    ],
)
def test_news_sentences_like_furniture_are_kept(paragraph: str) -> None:
    assert classify_paragraph(paragraph) is None


def test_a_list_after_its_header_is_removed() -> None:
    article = Article(
        id="a2",
        source_kind="text",
        paragraphs=[
            "Rebels shelled the port on Monday, killing four people, officials said.",
            "Don't miss",
            "Flood death toll rises to 158 in the south",
            "Minister resigns over bridge scandal [VIDEO]",
            "The army said it had retaken the port by evening.",
        ],
    )
    clean_article(article)
    assert article.body == ("Rebels shelled the port on Monday, killing four people, officials said.\n\n"
                            "The army said it had retaken the port by evening.")
    assert "158" not in article.body


def test_a_timestamp_and_a_credit_run_into_the_text_are_removed() -> None:
    article = Article(
        id="a3",
        source_kind="text",
        paragraphs=[
            ("Ann B. Writer, The Daily Example Nov 26, 2016 2:36 pm. Soldiers fired on protesters in the square. "
             "Photo credit: Sam Lens. The crowd dispersed by nightfall."),
        ],
    )
    clean_article(article)
    assert article.body == "Soldiers fired on protesters in the square. The crowd dispersed by nightfall."
    assert {r.reason.split(" (")[0] for r in article.removed} == {"byline or timestamp", "image caption or credit"}
