"""The scope checks (event_scope) and the one-record-per-event merge (events), on sentences written here."""

from __future__ import annotations

import pytest

from eventsift.event_scope import out_of_scope
from eventsift.event_types import find_triggers
from eventsift.pipeline import read_article
from eventsift.records import Article
from eventsift.settings import Options

ENGLISH = Options().with_overrides(min_language_confidence=1.01)


def read(text: str, published: str | None = "2024-05-10") -> Article:
    return read_article(Article(id="t", source_kind="text", raw_text=text, published=published), ENGLISH)


def events(text: str) -> list[tuple[str, str]]:
    return [(e.acled_event_type, e.acled_sub_event_type) for e in read(text).events]


def verdicts(text: str) -> dict[str, str | None]:
    article = read(text)
    return {t.text: out_of_scope(t, article) for t in find_triggers(article)}


@pytest.mark.parametrize("text", [
    "The senator launched a fresh attack on his rival's tax plan during Tuesday's debate.",
    "The two candidates traded personal attacks for most of the evening.",
    "The unemployment rate hit its highest level in a decade last month.",
    "She said the battle for control of the city council would be close.",
    "His grandfather died of a heart attack in 1990.",
])
def test_rhetoric_and_figures_of_speech_are_no_events(text: str) -> None:
    assert events(text) == []


@pytest.mark.parametrize("text", [
    "The man was charged with second-degree murder and two counts of aggravated assault, police said.",
    "A local man stabbed his neighbour after an argument over parking, police said on Friday.",
    "Police arrested a man on Monday after a burglary at a jewellery shop.",
])
def test_ordinary_crime_is_outside_acled_scope(text: str) -> None:
    assert events(text) == []


def test_the_same_acts_by_an_armed_group_are_in_scope() -> None:
    got = events("Militants stabbed two soldiers at a checkpoint near the border on Friday.")
    assert got and got[0][0] in {"Violence against civilians", "Battles"}


def test_riot_police_and_a_candidates_rally_are_not_events() -> None:
    found = verdicts("Riot police stood by as the candidate addressed a campaign rally in the park.")
    assert all(reason is not None for reason in found.values()), found


def test_a_protest_is_still_a_protest() -> None:
    assert events("Thousands of teachers marched through the capital on Tuesday to demand higher pay.") == [
        ("Protests", "Peaceful protest")]


def test_police_clashing_with_demonstrators_is_a_protest_met_by_force() -> None:
    got = events("Security forces clashed with anti-government demonstrators in the capital on Monday.")
    assert got == [("Protests", "Protest with intervention")]


def test_a_person_described_as_a_protester_is_no_event() -> None:
    found = verdicts("The suspect, a 40-year-old anti-war protester, was questioned by detectives.")
    assert found.get("protester") == "participant only"


def test_a_bombing_on_the_ground_is_a_remote_explosive() -> None:
    assert events("A bombing outside the embassy killed twelve people on Friday.")[0] == (
        "Explosions/Remote violence", "Remote explosive/landmine/IED")


def test_a_bombing_referred_to_again_is_one_record() -> None:
    text = ("A car bomb exploded outside the ministry in the capital on Friday, killing nine people. "
            "Investigators said the bombing bore the marks of an insurgent group. "
            "Two suspects in the bombing were detained on Saturday.")
    kinds = [e.acled_event_type for e in read(text).events]
    assert kinds.count("Explosions/Remote violence") == 1


def test_two_towns_in_one_sentence_stay_two_records() -> None:
    text = "Rebels attacked army posts in Goma and in Bukavu on Sunday, the army said."
    places = {e.place.name for e in read(text).events if e.place is not None}
    assert len(read(text).events) >= 1 and len(places) == len(read(text).events)


@pytest.mark.parametrize("text, reason", [
    ("How many bombings have there been in the capital since January?", "question"),
    ("Gunmen kill people in many countries, the professor wrote.", "generic"),
    ("She is best known for organising rallies.", "vague"),
    ("The mayor attacked the governor for cutting the school budget on Monday.", "figurative"),
])
def test_statements_that_tell_no_single_event_are_set_aside(text: str, reason: str) -> None:
    assert reason in verdicts(text).values(), verdicts(text)


def test_a_person_shot_with_no_armed_side_is_an_attack_not_a_clash() -> None:
    got = events("In 1981 a young man shot and wounded President Reagan outside a hotel in Washington.")
    assert ("Battles", "Armed clash") not in got
    assert ("Violence against civilians", "Attack") in got


def test_the_protesters_are_actor1_of_a_protest_met_by_force() -> None:
    (event,) = read("Police clashed with thousands of demonstrators in the capital on Monday.").events
    assert event.acled_event_type == "Protests"
    assert event.actor1 is not None and "demonstrators" in event.actor1.name


@pytest.mark.parametrize("text", [
    "The two leaders reaffirmed their commitment to destroying the militia in a call on Tuesday.",
    "The two leaders reaffirmed their shared commitment to degrading and destroying the militia.",
    "The vote was the clearest demonstration of the alliance's unity so far.",
    "The suspect was sitting alone in a room when officers arrived at the house.",
])
def test_intent_and_other_senses_are_no_events(text: str) -> None:
    assert events(text) == [], verdicts(text)
