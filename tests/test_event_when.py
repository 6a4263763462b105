"""Event dates and temporal status on hand-written sentences: which time words date the event.

Triggers are built by hand (the word's head token and its sentence), as in test_event_args.py, so
these tests do not depend on the trigger finder. Every sentence is written for these tests.
"""

from __future__ import annotations

from eventsift.events.status import temporal_status
from eventsift.events.types import Trigger
from eventsift.events.when import event_when, is_background_shaped, lead_when
from eventsift.records import Article, When

from .argreading import read_text, trigger_at

# 2024-03-12 is a Tuesday.
PUBLISHED = "2024-03-12"


def _read(text: str, published: str | None = PUBLISHED) -> Article:
    return read_text(text, published)


def _trigger(article: Article, word: str, occurrence: int = 0) -> Trigger:
    return trigger_at(article, word, occurrence, ("Protests", "Peaceful protest", "14", "PROTEST"))


def _when(text: str, word: str, published: str | None = PUBLISHED) -> When | None:
    article = _read(text, published)
    return event_when(_trigger(article, word), article)


def _temporal(text: str, word: str, published: str | None = PUBLISHED) -> str:
    article = _read(text, published)
    trigger = _trigger(article, word)
    return temporal_status(trigger, article, event_when(trigger, article))


def _time_value(text: str, words: str, published: str | None = PUBLISHED) -> str | None:
    article = _read(text, published)
    return next(t.value for t in article.times if t.text == words)


# --- a happened event is not dated by another clause's time -------------------------------------------


def test_past_event_is_not_dated_after_publication() -> None:
    text = ("The town was quiet on Tuesday. Hundreds of supporters had gathered outside the hotel, where the "
            "senator was holding a rally ahead of next Tuesday's vote.")
    when = _when(text, "gathered")
    assert when is None or when.start is None or when.start <= PUBLISHED


def test_time_modifying_another_noun_does_not_date_the_event() -> None:
    when = _when("The town was quiet on Tuesday. Students marched against the 1984 law in the capital.", "marched")
    assert when is None or when.start != "1984"


def test_time_on_the_event_noun_itself_dates_it() -> None:
    when = _when("The town was quiet. Officials blamed rebels for Sunday's attack on the depot.", "attack")
    assert when is not None and when.start == "2024-03-10"


def test_a_birth_date_never_dates_the_event() -> None:
    text = "The town was quiet. The guard was shot near the gate and was born in Leeds on May 3 1990."
    when = _when(text, "shot")
    assert when is None or when.start != "1990-05-03"


# --- relative days anchor on the story's past, not on a plan ------------------------------------------


def test_a_day_earlier_skips_a_future_anchor() -> None:
    text = ("Supporters rallied in the square on Monday ahead of next Tuesday's primary. A day earlier, six "
            "protesters were arrested outside the hotel.")
    assert _time_value(text, "next Tuesday") == "2024-03-19"
    assert _time_value(text, "A day earlier") == "2024-03-10"


def test_last_month_and_day_lies_before_publication() -> None:
    text = "The activist was shot last Oct. 23 at his home."
    assert _time_value(text, "last Oct. 23") == "2023-10-23"


# --- frames across "after": month and year, not day -------------------------------------------------


def test_month_frame_crosses_after() -> None:
    text = ("The town was quiet. Earlier this month, the mayor canceled a concert after hundreds of protesters "
            "filled the square.")
    when = _when(text, "filled")
    assert when is not None and when.start == "2024-03" and when.precision == "month"


def test_day_of_the_governing_clause_does_not_cross_after() -> None:
    text = "The town was quiet. On Monday the mayor spoke on the radio after protesters filled the square."
    when = _when(text, "filled")
    assert when is None or when.start != "2024-03-11"


def test_event_after_a_dated_noun_event_takes_its_month() -> None:
    text = "The town was quiet. Two gunmen were killed in a shootout with police after the March 2 attack."
    when = _when(text, "shootout")
    assert when is not None and when.start == "2024-03" and when.precision == "month"


def test_interval_after_dates_by_the_anchor_less_the_interval() -> None:
    text = ("The town was quiet. About 300 people attended a memorial on Sunday, one year after the doctor "
            "was killed by a sniper.")
    when = _when(text, "killed")
    assert when is not None and when.start == "2023" and when.precision == "year"
    assert _temporal(text, "killed") == "past"


def test_when_clause_on_a_time_takes_that_time() -> None:
    text = ("The town was quiet. The march recalled the demonstrations of early December, when thousands of "
            "people rallied in the capital.")
    when = _when(text, "rallied", "2024-01-15")
    assert when is not None and when.start == "2023-12"


# --- reactions, datelines -----------------------------------------------------------------------------


def test_object_of_a_reaction_is_background() -> None:
    text = "The president on Monday condemned the bomb attacks on two embassies."
    article = _read(text)
    trigger = _trigger(article, "attacks")
    assert is_background_shaped(article.doc[trigger.token_i])
    when = event_when(trigger, article)
    assert when is None or when.start != "2024-03-11"


def test_dateline_date_is_not_the_lead_date() -> None:
    text = ("SPRINGFIELD, Ill., March 12 (UPI) — Protesters interrupted the governor twice on Sunday at a town "
            "hall meeting in the city.")
    when = lead_when(_read(text))
    assert when is not None and when.start == "2024-03-10"


# --- temporal status: habits and runs ---------------------------------------------------------------


def test_frequency_adverb_is_habitual() -> None:
    text = "The town was quiet on Monday. For weeks the government has held such rallies almost daily."
    assert _temporal(text, "rallies") == "habitual"


def test_perfect_since_of_a_repeated_act_is_habitual() -> None:
    text = "The town was quiet on Monday. The preacher had been arrested in several states since 1990."
    assert _temporal(text, "arrested") == "habitual"


def test_perfect_since_of_a_lasting_act_is_ongoing() -> None:
    text = "The town was quiet on Monday. Troops have occupied the northern district since May."
    assert _temporal(text, "occupied") == "ongoing"


def test_event_that_starts_a_since_phrase_is_not_habitual() -> None:
    text = "The town was quiet on Monday. The suspect has been on the run since the January bombing of a clinic."
    assert _temporal(text, "bombing") != "habitual"


def test_future_event_keeps_its_future_date() -> None:
    when = _when("The town was quiet on Monday. Unions said workers will march next Tuesday in the capital.", "march")
    assert when is None or when.start in {None, "2024-03-19"}


def test_day_with_its_year_is_background_without_publication_date() -> None:
    text = ("Lawyers set off on Wednesday on a march to the prison where their colleague is held.\n\n"
            "For several days beginning on July 9, 2015, dozens of lawyers were detained across the country.")
    assert _temporal(text, "detained", None) == "past"


def test_before_phrase_under_the_verb_names_another_event() -> None:
    text = "The town was quiet on Monday. Police said protesters gathered on the bridge before Sunday's match."
    when = _when(text, "gathered")
    assert when is None or when.start != "2024-03-10"


def test_perfect_since_a_recent_day_is_not_a_habit() -> None:
    text = "Police have arrested twelve protesters since Friday in the capital, officials said."
    assert _temporal(text, "arrested") != "habitual"


def test_a_since_clause_is_the_events_time_not_another_event() -> None:
    text = ("Ever since Russia annexed the Crimean peninsula, there have been a series of arson attacks on "
            "police stations across the region.")
    when = _when(text, "arson")
    assert when is not None and when.precision == "range" and when.start == "2014-03-18"
    assert _temporal(text, "arson") == "ongoing"
