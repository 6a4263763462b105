"""The times stage: recognition (TimeML extents), values against the publication date, anchors, and
what stays unknown without one. Sentences are written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from eventsift.records import Article
from eventsift.settings import Options
from eventsift.times.find import NO_ANCHOR, extract_times, find_times
from eventsift.times.timecal import easter, value_bounds
from eventsift.times.timex import Recogniser, load_lexicon, load_rules, recogniser

PUBLISHED = "2024-03-12"  # a Tuesday


def _values(text: str, published: str | None = PUBLISHED) -> dict[str, str | None]:
    return {t.text: t.value for t in extract_times(text, published)}


def _one(text: str, phrase: str, published: str | None = PUBLISHED):  # type: ignore[no-untyped-def]
    found = [t for t in extract_times(text, published) if t.text == phrase]
    assert found, f"{phrase!r} not found in {[t.text for t in extract_times(text, published)]}"
    return found[0]


# --- the reference article ---------------------------------------------------------------------------


def test_reference_article_with_a_publication_date(reference_text: str) -> None:
    times = {t.text: t for t in extract_times(reference_text, PUBLISHED)}
    assert times["At the moment"].value == "PRESENT_REF"
    assert times["At the moment"].precision == "day"
    assert value_bounds("PRESENT_REF", PUBLISHED) == ("2024-03-12", "2024-03-12")
    assert (times["May 2023"].value, times["May 2023"].precision) == ("2023-05", "month")
    assert (times["Earlier this year"].value, times["Earlier this year"].precision) == ("2024", "year")
    since = times["Since Putin launched his invasion of Ukraine"]
    assert since.precision == "range"
    assert value_bounds(since.value, PUBLISHED) == ("2022-02-24", "2024-03-12")
    assert "In May" not in times  # TimeML extents leave the preposition out


def test_reference_article_without_a_publication_date(reference_text: str) -> None:
    times = {t.text: t for t in extract_times(reference_text, None)}
    for phrase in ("At the moment", "Earlier this year"):
        assert times[phrase].value is None
        assert times[phrase].note == NO_ANCHOR
    assert times["May 2023"].value == "2023-05"
    assert value_bounds(times["Since Putin launched his invasion of Ukraine"].value) == ("2022-02-24", None)


def test_spans_point_into_the_body(reference_text: str) -> None:
    for t in extract_times(reference_text, PUBLISHED):
        assert reference_text[t.start : t.end] == t.text


def test_stage_fills_article_times(options: Options) -> None:
    body = "Two drones hit the depot yesterday, officials said on Tuesday."
    article = Article(id="a1", source_kind="text", body=body, published=PUBLISHED)
    article = find_times(article, options)
    assert [(t.text, t.value, t.type) for t in article.times] == [
        ("yesterday", "2024-03-11", "DATE"), ("Tuesday", "2024-03-12", "DATE")]


# --- relative to the publication date ---------------------------------------------------------------

RELATIVE: list[tuple[str, str, str]] = [
    ("The governor said the strike came yesterday.", "yesterday", "2024-03-11"),
    ("Shelling resumed last Tuesday, residents said.", "last Tuesday", "2024-03-05"),
    ("The bridge was hit two weeks ago.", "two weeks ago", "2024-W09"),
    ("Troops crossed the river on Monday.", "Monday", "2024-03-11"),
    ("The talks resume this week in Geneva.", "this week", "2024-W11"),
    ("Prices rose sharply last month.", "last month", "2024-02"),
    ("The ministers will meet on Friday.", "Friday", "2024-03-15"),
    ("The army said on Friday that it will withdraw.", "Friday", "2024-03-08"),
    ("In May, the offensive stalled near the town.", "May", "2023-05"),
    ("The next round of talks is planned for May.", "May", "2024-05"),
    ("The ceasefire was signed on Dec. 20 after weeks of talks.", "Dec. 20", "2023-12-20"),
    ("Aid deliveries are due to resume by January.", "January", "2025-01"),
    ("The company reported a loss for the third quarter.", "the third quarter", "2024-Q3"),
    ("Casualties have risen in recent weeks.", "recent weeks", "PXW"),
    ("The mayor is currently in Kyiv.", "currently", "PRESENT_REF"),
    ("The town was recently retaken.", "recently", "PAST_REF"),
    ("A blast was heard this morning.", "this morning", "2024-03-12TMO"),
    ("Sirens sounded last night.", "last night", "2024-03-11TNI"),
    ("Fighting eased over the weekend.", "the weekend", "2024-W10-WE"),
    ("Earlier this month the convoy left.", "Earlier this month", "2024-03"),
]


@pytest.mark.parametrize(("sentence", "phrase", "value"), RELATIVE)
def test_relative_expressions(sentence: str, phrase: str, value: str) -> None:
    assert _one(sentence, phrase).value == value


def test_relative_expressions_need_a_publication_date() -> None:
    values = _values("The convoy left yesterday and returns next week; it is now in Odesa.", None)
    assert values == {"yesterday": None, "next week": None, "now": None}
    today = date.today().isoformat()
    text = "He arrived on Monday, stayed until Friday and left last week, two days ago."
    assert all(t.value is None or not t.value.startswith(today[:7]) for t in extract_times(text, None))


def test_narrative_dates_resolve_from_the_text_itself() -> None:
    text = "The raid began on May 5, 2023. The next day the unit withdrew, and two days later it regrouped."
    values = _values(text, None)
    assert values["May 5, 2023"] == "2023-05-05"
    assert values["The next day"] == "2023-05-06"
    assert values["two days later"] == "2023-05-08"


def test_clock_times() -> None:
    text = "The first missile struck at 4:30 a.m. local time on Sunday, the second at around 11 p.m."
    values = _values(text)
    assert values["4:30 a.m. local time on Sunday"] == "2024-03-10T04:30"
    assert values["around 11 p.m."] == "2024-03-10T23:00"  # the day the account is on
    assert _one("The ceasefire starts at noon today.", "noon today").value == "2024-03-12T12:00"


# --- absolute dates ---------------------------------------------------------------------------------------

ABSOLUTE: list[tuple[str, str, str, str]] = [
    ("The war began on Feb. 24, 2022.", "Feb. 24, 2022", "2022-02-24", "day"),
    ("Troops massed on the border by 24 February 2022.", "24 February 2022", "2022-02-24", "day"),
    ("The order is dated 2022-02-24.", "2022-02-24", "2022-02-24", "day"),
    ("The dam was built in the 1950s.", "the 1950s", "195", "decade"),
    ("By mid-2023 the front had frozen.", "mid-2023", "2023", "year"),
    ("The treaty was signed in 1994 in Budapest.", "1994", "1994", "year"),
    ("Elections are expected in the spring of 2025.", "the spring of 2025", "2025-SP", "quarter"),
    ("Output fell in the first half of 2023.", "the first half of 2023", "2023-H1", "quarter"),
    ("The monument dates from the 19th century.", "the 19th century", "18", "decade"),
    ("Celebrations were cancelled on Christmas Day 2023.", "Christmas Day 2023", "2023-12-25", "day"),
]


@pytest.mark.parametrize(("sentence", "phrase", "value", "precision"), ABSOLUTE)
def test_absolute_dates_resolve_without_a_publication_date(
    sentence: str, phrase: str, value: str, precision: str
) -> None:
    found = _one(sentence, phrase, None)
    assert (found.value, found.precision) == (value, precision)


# --- durations and sets -------------------------------------------------------------------------------------

DURATIONS_AND_SETS: list[tuple[str, str, str, str]] = [
    ("The siege lasted for two weeks.", "two weeks", "P2W", "DURATION"),
    ("He was jailed for 15 years.", "15 years", "P15Y", "DURATION"),
    ("The town was cut off for several days.", "several days", "PXD", "DURATION"),
    ("The talks went on for 5 1/2 hours.", "5 1/2 hours", "PT5H30M", "DURATION"),
    ("Lawmakers approved a five-year plan.", "five-year", "P5Y", "DURATION"),
    ("Casualties rose over the past two months.", "the past two months", "P2M", "DURATION"),
    ("Shelling continues every day.", "every day", "P1D", "SET"),
    ("Convoys leave twice a week.", "twice a week", "P1W", "SET"),
    ("The ministry publishes daily casualty figures.", "daily", "P1D", "SET"),
    ("Markets close on Fridays.", "Fridays", "XXXX-WXX-5", "SET"),
]


@pytest.mark.parametrize(("sentence", "phrase", "value", "type_"), DURATIONS_AND_SETS)
def test_durations_and_sets(sentence: str, phrase: str, value: str, type_: str) -> None:
    found = _one(sentence, phrase, None)
    assert (found.value, found.type) == (value, type_)


# --- what is not a time -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "About 1,500 troops and 2000 civilians were evacuated.",
        "May I ask the minister a question?",
        "Thousands joined the march on the capital.",
        "The vote was held a second time.",
        "A 6-year-old girl was among the injured.",
        "The Daily Express reported the claim.",
        "Some 1500 soldiers crossed the border.",
        "Ukraine received F-16 jets and 300 T-72 tanks.",
        "Turnout fell by three-quarters of the previous level.",
    ],
)
def test_numbers_and_names_are_not_times(sentence: str) -> None:
    assert extract_times(sentence, PUBLISHED) == []


# --- anchors and bounds ------------------------------------------------------------------------------------


def test_event_anchor_alone_and_with_since() -> None:
    text = "Before the full-scale invasion, the plant employed 3,000 people."
    found = extract_times(text, PUBLISHED)
    assert [(t.text, t.value) for t in found] == [("Before the full-scale invasion", "2022-02-24")]
    assert found[0].note and found[0].note.startswith("before anchor")
    since = _one("Exports have halved since Russia's full-scale invasion of Ukraine.",
                 "since Russia's full-scale invasion of Ukraine")
    assert since.value == "2022-02-24/2024-03-12"


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        ("2023-05", ("2023-05", "2023-05")),
        ("2024-W11", ("2024-03-11", "2024-03-17")),
        ("2024-W10-WE", ("2024-03-09", "2024-03-10")),
        ("2024-Q1", ("2024-01", "2024-03")),
        ("2023-WI", ("2023-12", "2024-02")),
        ("199", ("1990", "1999")),
        ("2024-03-12T04:30", ("2024-03-12", "2024-03-12")),
        ("PAST_REF", (None, PUBLISHED)),
        ("P2W", (None, None)),
        (None, (None, None)),
    ],
)
def test_value_bounds(value: str | None, bounds: tuple[str | None, str | None]) -> None:
    assert value_bounds(value, PUBLISHED) == bounds


def test_easter_dates() -> None:
    assert easter(2024) == date(2024, 3, 31)
    assert easter(2000) == date(2000, 4, 23)


def test_trigger_words_only_skip_paragraphs_without_matches() -> None:
    # Every rule lists words one of which each of its matches holds; skipping paragraphs without them
    # must find exactly what running every rule everywhere finds.
    sentences = [case[0] for case in [*RELATIVE, *ABSOLUTE, *DURATIONS_AND_SETS]]
    sentences += ["Sales in comparable periods fell.", "Patrols go out on Friday nights.", "At noonday it rained."]
    text = "\n\n".join(sentences)
    everywhere = Recogniser(load_lexicon(), [{**rule, "triggers": []} for rule in load_rules()])
    assert recogniser().find(text) == everywhere.find(text)
