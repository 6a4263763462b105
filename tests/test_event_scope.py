"""The scope checks (event_scope) and the one-record-per-event merge (events), on sentences written here."""

from __future__ import annotations

import pytest

from eventsift.events.scope import out_of_scope
from eventsift.events.types import find_triggers
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


@pytest.mark.parametrize("text", [
    "The coalition has fought the militants in the north and the east since 2014, officials said.",
    "The vigil remembered the nine people killed and 20 injured in sectarian violence since 1993.",
    "The country has been hit by several protests by farmers over the past three years.",
    "For older exiles, it recalls 40 years of blockade, armed raids, sabotage and attempts to kill the leader.",
])
def test_tallies_over_a_span_of_years_are_no_single_event(text: str) -> None:
    assert events(text) == []


def test_an_event_that_opens_a_span_is_still_told() -> None:
    found = events("The suspect has been on the run since the March 2003 bombing of a market in Tikrit that killed "
                   "four people.")
    assert ("Explosions/Remote violence", "Remote explosive/landmine/IED") in found


def test_a_record_since_a_year_is_no_span() -> None:
    assert events("Rebels stormed the town of Bor on Friday, killing 12 people, the worst violence there since 2014.")


@pytest.mark.parametrize("text", [
    "The minister said the country would not retreat from the world because of terrorist attacks.",
    "The students are skilled not just in organizing rallies but in raising money.",
])
def test_a_bare_plural_needs_a_time_or_place_of_its_own(text: str) -> None:
    assert events(text) == []


def test_a_bare_plural_with_its_own_place_is_told() -> None:
    assert events("Farmers held rallies in Lahore and Multan on Monday.")


def test_named_criminals_make_ordinary_crime() -> None:
    assert events("Kidnappers kept their threat to kill a shopkeeper they took hostage and police found his body "
                  "on Friday.") == []


@pytest.mark.parametrize("text", [
    "A gunman fired at worshippers in the mosque on Friday.",
    "Investigators found a cap near where the sniper fired on Tuesday.",
])
def test_a_lone_shooter_firing_is_an_attack_not_a_clash(text: str) -> None:
    assert events(text) == [("Violence against civilians", "Attack")]


def test_a_shooter_firing_on_troops_is_a_clash() -> None:
    assert events("Gunmen fired on troops near the base in Kidal on Sunday.") == [("Battles", "Armed clash")]


def test_a_lower_case_word_after_a_closing_quote_carries_on_the_sentence() -> None:
    article = read("Hundreds of exiles chanting \"Freedom! Freedom!\" blocked roads near the port. Police watched.")
    assert not any(s.text.startswith("blocked") for s in article.doc.sents)
    assert any(s.text.endswith("blocked roads near the port.") for s in article.doc.sents)


def test_occupying_a_lobby_is_a_sit_in() -> None:
    assert events("Dozens of students occupied the administration building on Monday to demand lower fees.") == [
        ("Protests", "Peaceful protest")]


def test_rebels_occupying_a_town_take_territory() -> None:
    found = events("Rebels occupied the town of Kidal on Monday after heavy fighting with the army.")
    assert ("Protests", "Peaceful protest") not in found


@pytest.mark.parametrize("text", [
    "He was a first class soldier, proven in combat, and ready for more.",
    "The official said women do not become victims of armed attack there.",
    "During the show the host brought up the 1995 bombing of the federal building.",
])
def test_kinds_and_mentions_of_events_are_not_told(text: str) -> None:
    assert events(text) == []


@pytest.mark.parametrize("text", [
    "The second seed rallied to beat the champion in the deciding match on Sunday.",
    "Their quarterback was intercepted three times in the game.",
    "Bank stocks rallied after the court ruling, traders said.",
    "I sat down with a guitarist in a small room and sang it.",
    "My charger is great, and mine has lasted two years.",
    "The company reached an agreement with its landlord on the new lease.",
    "Instructors have been training the local forces to fight the insurgents.",
    "His distrust is plain, as demonstrated by his abrupt departure from the talks in Hanoi.",
    "The senator said at a rally in Louisiana that voters were not buying it.",
    "Nurses have protested longer shifts for months.",
    "Protesters believe the new law erodes the city's autonomy.",
    "Farmers are still in the early days of the crop stubble-burning season.",
])
def test_other_senses_of_event_words(text: str) -> None:
    assert events(text) == []


@pytest.mark.parametrize("text", [
    "Rebels and the army signed a ceasefire agreement in Juba on Monday.",
    "A mine exploded under a truck near Kidal on Tuesday.",
    "The militants began to attack the town of Bor on Monday.",
    "Thousands protested the new law in Paris on Saturday.",
])
def test_the_event_senses_stay(text: str) -> None:
    assert events(text)


def test_a_march_to_protest_is_a_protest() -> None:
    assert events("Some 2,000 students marched on Sunday in Dhaka to protest the killings of two classmates.") == [
        ("Protests", "Peaceful protest")]


def test_the_fight_against_a_group_is_a_campaign() -> None:
    assert events("The base serves as an outpost in the fight against the militant group.") == []
