"""The time normaliser (eventsift.times.timenorm) on its own: one mention at a time, valued against a
publication date (Tuesday 12 March 2024) or, for narrative expressions, the last date the text gave.
Also the shared partial-date reading (eventsift.partial_dates) the other stages compare dates with."""

from __future__ import annotations

from datetime import date

import pytest

from eventsift.partial_dates import first_day, is_partial_date, last_day
from eventsift.times.timenorm import NO_ANCHOR, Context, Value, normalise
from eventsift.times.timenorm_base import two_digit_year
from eventsift.times.timex import Mention, recogniser

PUBLISHED = date(2024, 3, 12)  # a Tuesday


def values(text: str, published: date | None = PUBLISHED) -> list[tuple[str, Value]]:
    """Each mention the recogniser finds in ``text`` with its value, in order, in one context."""
    ctx = Context(text=text, lexicon=recogniser().lexicon, published=published)
    return [(text[m.start : m.end], normalise(ctx, m)) for m in recogniser().find(text)]


def value(text: str, published: date | None = PUBLISHED) -> str | None:
    """The value of the one mention in ``text``."""
    found = values(text, published)
    assert len(found) == 1, found
    return found[0][1].value


@pytest.mark.parametrize(("text", "expected"), [
    ("Police said yesterday that the road was shut.", "2024-03-11"),
    ("The vote is tomorrow.", "2024-03-13"),
    ("They met tomorrow morning.", "2024-03-13TMO"),
])
def test_relative_days(text: str, expected: str) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The talks resumed on Friday.", "2024-03-08"),  # past clause: the Friday before publication
    ("Talks will resume on Friday.", "2024-03-15"),  # future clause: the coming one
    ("He left last Tuesday.", "2024-03-05"),  # "last" on the publication weekday: a week back
    ("He was seen at 5 p.m. Monday.", "2024-03-11T17:00"),
])
def test_weekdays(text: str, expected: str) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The strike began in January.", "2024-01"),
    ("The vote is due in May.", "2024-05"),  # a future clause keeps the publication year
    ("In May, the offensive stalled.", "2023-05"),  # opens a past sentence: last year's May
    ("Prices rose next month.", "2024-04"),
])
def test_months(text: str, expected: str) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("It happened last year.", "2023"),
    ("It was built in 2022.", "2022"),
    ("It was common in the 1990s.", "199"),
    ("Output fell in the third quarter.", "2024-Q3"),
])
def test_years_decades_quarters(text: str, expected: str) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(("text", "expected", "precision"), [
    ("The siege lasted for three years.", "P3Y", "year"),
    ("The siege lasted for 2 1/2 years.", "P2Y6M", "year"),
    ("Talks went on for five hours.", "PT5H", "time"),
])
def test_durations(text: str, expected: str, precision: str) -> None:
    (_, found), = values(text)
    assert (found.value, found.type, found.precision) == (expected, "DURATION", precision)


def test_ago_and_week_granularity() -> None:
    assert value("It started two weeks ago.") == "2024-W09"
    assert value("It is quiet this week.") == "2024-W11"


def test_narrative_anchor_follows_the_text() -> None:
    found = values("On March 5, 2023, troops entered. The next day, they left.")
    assert [v.value for _, v in found] == ["2023-03-05", "2023-03-06"]


def test_sets_and_deictic_values() -> None:
    assert value("Shelling came every Tuesday.") == "XXXX-WXX-2"
    assert value("There is shelling now.") == "PRESENT_REF"


def test_without_publication_date_deictic_stays_unknown() -> None:
    (_, found), = values("They attacked yesterday.", None)
    assert found == Value(None, "DATE", "unknown", NO_ANCHOR)
    assert value("It was built in 2022.", None) == "2022"  # absolute dates resolve all the same


def test_a_mention_made_by_hand_and_the_context_it_updates() -> None:
    """The normaliser reads only the rule and its named parts; a day-precise value becomes the anchor."""
    ctx = Context(text="March 5", lexicon=recogniser().lexicon, published=PUBLISHED)
    found = normalise(ctx, Mention(0, 7, "month_day", {"month": "March", "day": "5"}))
    assert found == Value("2024-03-05", "DATE", "day")
    assert ctx.last_date == ctx.last_past_date == date(2024, 3, 5)
    bad = normalise(ctx, Mention(0, 7, "month_day", {"month": "Feb", "day": "30"}))
    assert bad.value is None and bad.note == "not a calendar date"


def test_two_digit_years_near_publication() -> None:
    ctx = Context(text="", lexicon=recogniser().lexicon, published=PUBLISHED)
    assert two_digit_year(ctx, 98) == 1998 and two_digit_year(ctx, 22) == 2022
    assert two_digit_year(Context(text="", lexicon=ctx.lexicon, published=None), 68) == 2068


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ("2024-03-12", date(2024, 3, 12), date(2024, 3, 12)),
    ("2024-13", None, None),
    ("2024-04-31", None, None),
    ("2024-W11", None, None),
    ("", None, None),
    (None, None, None),
])
def test_partial_dates(text: str | None, first: date | None, last: date | None) -> None:
    assert (first_day(text), last_day(text)) == (first, last)


def test_partial_date_shape() -> None:
    assert is_partial_date("2024") and is_partial_date("2024-02") and is_partial_date("2024-02-30")
    assert not is_partial_date("2024-Q1") and not is_partial_date("24") and not is_partial_date("2024-2")
