"""Event triggers and their types (eventsift.events.types) on sentences written for these tests and
on the reference article."""

from __future__ import annotations

import pytest

from eventsift.events.types import (
    Trigger,
    event_type,
    find_triggers,
    load_lexicon,
    main_trigger,
    modern_plover,
    old_acled_type,
    refine_type,
)
from eventsift.pipeline import read_article
from eventsift.records import Article
from eventsift.settings import Options

ENGLISH = Options().with_overrides(min_language_confidence=1.01)


def read(text: str) -> Article:
    return read_article(Article(id="t", source_kind="text", raw_text=text), ENGLISH)


def kinds(text: str, **kwargs: bool) -> list[tuple[str, str]]:
    return [(t.acled_event_type, t.acled_sub_event_type) for t in find_triggers(read(text), **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels clashed with the army near the town on Monday.", ("Battles", "Armed clash")),
        ("The militia launched a raid on a border post.", ("Battles", "Armed clash")),
        ("Government troops shelled the village overnight.",
         ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        ("A missile strike hit the port city.", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        ("A drone strike hit a fuel depot.", ("Explosions/Remote violence", "Air/drone strike")),
        ("Jets carried out airstrikes on the camp.", ("Explosions/Remote violence", "Air/drone strike")),
        ("A farmer was wounded when his tractor hit a landmine.",
         ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("A suicide bomber blew himself up at a checkpoint.", ("Explosions/Remote violence", "Suicide bomb")),
        ("Gunmen abducted two aid workers from their car.",
         ("Violence against civilians", "Abduction/forced disappearance")),
        ("Soldiers executed five villagers accused of spying.", ("Violence against civilians", "Attack")),
        ("Hundreds of teachers protested outside parliament over unpaid wages.", ("Protests", "Peaceful protest")),
        ("Police used tear gas to disperse the protesters.", ("Protests", "Protest with intervention")),
        ("Rioters looted shops and burned cars in the capital.", ("Riots", "Violent demonstration")),
        ("Police arrested three opposition leaders on Tuesday.", ("Strategic developments", "Arrests")),
        ("The two sides signed a ceasefire agreement in Geneva.", ("Strategic developments", "Agreement")),
        ("Air defences shot down four drones over the city.", ("Strategic developments", "Disrupted weapons use")),
        ("Unknown people set fire to a recruitment office.",
         ("Strategic developments", "Looting/property destruction")),
    ],
)
def test_a_sentence_yields_its_event_type(text: str, expected: tuple[str, str]) -> None:
    assert kinds(text)[:1] == [expected]


def test_one_clause_with_shelling_and_assault_is_an_armed_clash() -> None:
    assert kinds("The troops shelled, assaulted and were repulsed from enemy positions near the hill.") == [
        ("Battles", "Armed clash")
    ]


def test_air_strike_outranks_shelling_in_one_clause() -> None:
    assert kinds("The forces carried out drone strikes and shelled positions near the river.") == [
        ("Explosions/Remote violence", "Air/drone strike")
    ]


def test_firing_small_arms_is_a_clash_and_firing_mortars_is_shelling() -> None:
    assert kinds("Rebels fired on army positions with small arms and machine guns.") == [("Battles", "Armed clash")]
    assert kinds("Rebels fired on army positions with mortars.") == [
        ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    ]


def test_killed_soldiers_are_not_violence_against_civilians() -> None:
    assert kinds("Two soldiers were killed.") == []
    assert kinds("Two civilians were killed.") == [("Violence against civilians", "Attack")]


def test_non_events_are_not_triggers() -> None:
    assert kinds("The reporter spoke to a commander about the war.") == []
    assert kinds("The new wall was built to keep artillery from firing into the valley.") == []
    assert kinds("The Freedom Fighters Party met on Monday.") == []


def test_a_future_mention_is_still_returned() -> None:
    # The status stage, not this one, marks it planned or hypothetical.
    assert kinds("The commander said the fighting would continue.") == [("Battles", "Armed clash")]


def test_nominal_triggers_in_one_phrase_give_one_trigger() -> None:
    article = read("There have been a series of mysterious fires, including arson attacks on police stations.")
    triggers = find_triggers(article)
    assert [t.text for t in triggers] == ["arson attacks"]


def test_spans_point_into_the_body() -> None:
    article = read("On Monday the army launched air strikes near the border. Protesters gathered in the square.")
    for trigger in find_triggers(article):
        assert article.body[trigger.start : trigger.end] == trigger.text
        assert trigger.sentence_start <= trigger.start < trigger.end <= trigger.sentence_end
        assert article.doc[trigger.token_i].idx >= trigger.start


def test_every_trigger_carries_cameo_and_plover() -> None:
    trigger = find_triggers(read("Government troops shelled the village overnight."))[0]
    assert (trigger.cameo_root, trigger.plover_type, trigger.plover_mode) == ("19", "ASSAULT", "heavy-weapons")


def test_include_all_adds_kinds_acled_does_not_code() -> None:
    text = "The minister threatened to expel the ambassador."
    assert find_triggers(read(text)) == []
    article = read(text)
    coded = main_trigger(find_triggers(article, include_all=True, keep_all=True), article.doc)
    assert coded is not None and (coded.plover_type, coded.cameo_root, coded.acled_event_type) == ("THREATEN", "13", "")


def test_refine_type_decides_who_took_the_territory() -> None:
    trigger = find_triggers(read("Rebels captured the town of Kidal after heavy fighting."))
    taken = next(t for t in trigger if t.acled_sub_event_type.endswith("territory"))
    assert taken.acled_sub_event_type == "Non-state actor overtakes territory"
    regained = refine_type(taken, "state forces", "armed group")
    assert regained.acled_sub_event_type == "Government regains territory"
    assert refine_type(taken, "state forces", "armed group", actor1_domestic=False).acled_sub_event_type == (
        "Non-state actor overtakes territory"
    )
    clash = Trigger(0, 1, "x", 0, 0, 1, "Battles", "Armed clash", "19", "ASSAULT")
    assert refine_type(clash, "state forces", None) is clash


def test_every_kind_uses_exact_taxonomy_names(shared_taxonomy: dict) -> None:
    acled = shared_taxonomy["acled"]["event_types"]
    plover = {t for quad in shared_taxonomy["plover"].values() for t in quad}
    cameo = set(shared_taxonomy["cameo"]["roots"])
    for kind in load_lexicon().types.values():
        if kind.acled_event_type:
            assert kind.acled_sub_event_type in acled[kind.acled_event_type], kind
        assert kind.plover_type is None or kind.plover_type in plover, kind
        assert kind.cameo_root is None or kind.cameo_root in cameo, kind


def test_mapping_helpers() -> None:
    assert event_type("shelling").acled_sub_event_type == "Shelling/artillery/missile attack"
    assert old_acled_type("Riots/Protests") == (("Protests", "Riots"), None)
    assert modern_plover("DEMAND") == "REQUEST" and modern_plover("AGREE") == "AGREE"


@pytest.fixture(scope="module")
def shared_taxonomy() -> dict:
    import yaml

    from tests.conftest import SHARED

    folder = SHARED / "taxonomy"
    if not folder.is_dir():
        pytest.skip("../shared/taxonomy not found")
    return {name: yaml.safe_load((folder / f"{name}.yaml").read_text()) for name in ("acled", "cameo", "plover")}


# --- the reference article ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_triggers(reference_text: str) -> tuple[Article, list[Trigger]]:
    article = read_article(Article(id="ref", source_kind="text", raw_text=reference_text, published="2024-03-12"))
    return article, find_triggers(article)


def _in_sentence(article: Article, triggers: list[Trigger], words: str) -> list[Trigger]:
    return [t for t in triggers if words in article.body[t.sentence_start : t.sentence_end]]


@pytest.mark.parametrize(
    ("sentence_words", "allowed"),
    [
        ("conducting assault operations", {"Armed clash"}),
        ("In May 2023", {"Armed clash"}),
        ("arson attacks", {"Looting/property destruction"}),
        ("train derailments", {"Looting/property destruction", "Remote explosive/landmine/IED"}),
        ("burning war commissariats", {"Looting/property destruction"}),
    ],
)
def test_reference_article_events(reference_triggers: tuple[Article, list[Trigger]], sentence_words: str,
                                  allowed: set[str]) -> None:
    article, triggers = reference_triggers
    found = _in_sentence(article, triggers, sentence_words)
    assert len(found) == 1, found
    assert found[0].acled_sub_event_type in allowed


def test_reference_article_interview_and_promo_are_not_events(
    reference_triggers: tuple[Article, list[Trigger]],
) -> None:
    article, triggers = reference_triggers
    assert not any("spoke" in t.text or "fireball" in t.text or "erupts" in t.text for t in triggers)
    assert not any("plane" in article.body[t.sentence_start : t.sentence_end] for t in triggers)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("About two hundred students set off on a march from the university to the ministry on Monday.",
         ("Protests", "Peaceful protest")),
        ("Several thousand farmers rallied outside the provincial assembly on Friday.",
         ("Protests", "Peaceful protest")),
        ("Activists interrupted the governor's speech at the town hall on Monday.",
         ("Protests", "Peaceful protest")),
        ("Striking dockers blocked roads and intersections near the harbour on Tuesday.",
         ("Protests", "Peaceful protest")),
        ("Hundreds of exiles laid a wreath at the gate of the consulate on Sunday.",
         ("Protests", "Peaceful protest")),
        ("A man broke through a police barricade and ran toward the stage before guards tackled him.",
         ("Protests", "Protest with intervention")),
        ("Police pepper-sprayed the demonstrators outside the courthouse.",
         ("Protests", "Protest with intervention")),
        ("A woman was hurt in a scuffle between protesters and supporters outside the stadium.",
         ("Riots", "Violent demonstration")),
        ("A man punched a protester outside the venue on Saturday.", ("Violence against civilians", "Attack")),
        ("Police recovered 40 rifles and a cache of ammunition in the forest.",
         ("Strategic developments", "Disrupted weapons use")),
        ("Soldiers seized a cache of explosives and detonators on Monday.",
         ("Strategic developments", "Disrupted weapons use")),
        ("Police held the activist for two days without charge.", ("Strategic developments", "Arrests")),
        ("Militants carried out a bomb attack on the market.",
         ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    ],
)
def test_protest_and_violence_words_outside_war_reports(text: str, expected: tuple[str, str]) -> None:
    assert expected in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Stocks rallied on Friday after the central bank's announcement.",
        "A landslide blocked the road to the village.",
        "The talks were interrupted by a power outage.",
        "The president laid a wreath at the war memorial.",
        "Police recovered the stolen car near the station.",
        "The mayor held a meeting with local business owners.",
        "She attacked her rival in a debate for failing to cut taxes.",
        "The team was stopped by the march of time.",
    ],
)
def test_look_alikes_of_the_protest_and_violence_words_are_not_events(text: str) -> None:
    assert kinds(text) == []


def test_a_chemical_plant_struck_by_missiles_is_not_a_chemical_attack() -> None:
    assert kinds("Cruise missiles struck a chemical plant near the capital.")[:1] == [
        ("Explosions/Remote violence", "Shelling/artillery/missile attack")]


def test_a_clause_of_its_own_tells_another_act_of_the_same_kind() -> None:
    text = "The protest recalled the demonstrations of May, when thousands of people rallied in the capital."
    assert [t.text for t in find_triggers(read(text))] == ["protest", "rallied"]
