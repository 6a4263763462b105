"""Event arguments (actors, place, date, fatalities) on hand-written sentences and the reference article.

Triggers are built by hand here (the word's head token and its sentence), so these tests do not
depend on the trigger finder.
"""

from __future__ import annotations

import pytest

from eventsift.events.actors import event_actors
from eventsift.events.fatalities import event_fatalities
from eventsift.events.place import event_place
from eventsift.events.when import event_when
from eventsift.records import Article

from .argreading import read_text, trigger_at

_read = read_text
_trigger = trigger_at


def _exact(article: Article, span: object) -> bool:
    start, end, text = span.start, span.end, span.text  # type: ignore[attr-defined]
    return bool(article.body[start:end] == text)


# --- place -------------------------------------------------------------------------------------------


def test_place_in_a_locative_phrase() -> None:
    article = _read("Rebels attacked an army base in Mosul on Monday, officials said.")
    place = event_place(_trigger(article, "attacked"), article)
    assert place is not None and place.text == "Mosul" and place.note is None


def test_origin_place_is_skipped() -> None:
    article = _read("A cab driver from Nairobi was shot dead by police officers at a checkpoint.")
    assert event_place(_trigger(article, "shot"), article) is None


def test_nationality_modifier_is_no_location() -> None:
    article = _read("Two soldiers were killed in a U.S. airstrike.")
    assert event_place(_trigger(article, "killed"), article) is None


def test_the_doer_is_no_location() -> None:
    article = _read("Israel captured the hill after a long siege.")
    assert event_place(_trigger(article, "captured"), article) is None


def test_nearer_place_wins_over_its_container() -> None:
    article = _read("Protesters marched through the streets of Kharkiv in eastern Ukraine on Sunday.")
    place = event_place(_trigger(article, "marched"), article)
    assert place is not None and place.text == "Kharkiv"


def test_sentence_without_place_takes_the_context_with_a_note() -> None:
    article = _read("Heavy fighting broke out in Sudan last week. Militias burned three villages.")
    place = event_place(_trigger(article, "burned"), article)
    assert place is not None and place.text == "Sudan" and place.note == "from context"


# --- actors ------------------------------------------------------------------------------------------


def test_subject_object_and_coordinated_doers() -> None:
    article = _read("Hamas and Islamic Jihad attacked Israeli soldiers near the border.")
    actor1, actor2, associated, _targets = event_actors(_trigger(article, "attacked"), article)
    assert actor1 is not None and actor1.span is not None and "Hamas" in actor1.span.text
    assert [a.span.text for a in associated if a.span] and all(_exact(article, a.span) for a in associated)
    assert actor2 is not None and actor2.span is not None and "soldiers" in actor2.span.text


def test_passive_agent_is_the_doer_and_the_subject_the_target() -> None:
    article = _read("Two civilians were killed by gunmen in the village.")
    actor1, actor2, _associated, _targets = event_actors(_trigger(article, "killed"), article)
    assert actor1 is not None and actor1.span is not None and actor1.span.text == "gunmen"
    assert actor2 is not None and actor2.span is not None and "civilians" in actor2.span.text


def test_passive_without_agent_leaves_the_doer_unknown() -> None:
    article = _read("A police station was burned overnight.")
    actor1, _actor2, _associated, targets = event_actors(_trigger(article, "burned"), article)
    assert actor1 is None
    assert [t.text for t in targets] == ["police station"]


def test_unlinked_pronoun_stays_unknown() -> None:
    article = _read("They attacked the convoy at dawn.")
    actor1, *_ = event_actors(_trigger(article, "attacked"), article)
    assert actor1 is None


@pytest.mark.parametrize(("sentence", "word", "doer"), [
    # the agent's weapon: the one who held it
    ("The mayor was shot dead outside his office by a gunman's bullet.", "shot", "gunman"),
    # a crowd counted: the people, not the count
    ("Thousands of striking teachers marched through the capital on Monday.", "marched", "striking teachers"),
    ("A group of armed youths stormed the police station.", "stormed", "armed youths"),
    # the trigger names the crowd itself
    ("The governor faced angry protesters outside the assembly.", "protesters", "angry protesters"),
    # a people noun or adjective on a nominal trigger
    ("Two villages were hit by rebel attacks last week.", "attacks", "rebel"),
    ("The sniper shootings left three wounded.", "shootings", "sniper"),
    # a participle on the crowd
    ("Footage showed farmers protesting outside parliament.", "protesting", "farmers"),
    # "between X and Y": X first
    ("Clashes between soldiers and militants left five dead.", "Clashes", "soldiers"),
    # an event noun after a joining verb
    ("The miners set off on a march to the capital.", "march", "miners"),
    # a relative clause on an event noun: the event's own doer
    ("It followed militant raids that killed four guards.", "killed", "militant"),
    # "by X" on the verb that governs the event noun
    ("The minister attended a rally on Sunday by dock workers.", "rally", "dock workers"),
])
def test_doer_named_by_a_common_noun(sentence: str, word: str, doer: str) -> None:
    article = _read(sentence)
    actor1, *_ = event_actors(_trigger(article, word), article)
    assert actor1 is not None and actor1.span is not None and actor1.span.text == doer
    assert _exact(article, actor1.span)


@pytest.mark.parametrize(("sentence", "word"), [
    ("The president condemned the bombing of the market.", "bombing"),
    ("Riot police broke up the protest with tear gas.", "protest"),
])
def test_onlookers_are_no_doers(sentence: str, word: str) -> None:
    article = _read(sentence)
    actor1, *_ = event_actors(_trigger(article, word), article)
    assert actor1 is None


def test_between_gives_both_sides() -> None:
    article = _read("Clashes between soldiers and militants left five dead.")
    actor1, actor2, *_ = event_actors(_trigger(article, "Clashes"), article)
    assert actor1 is not None and actor1.name == "soldiers"
    assert actor2 is not None and actor2.name == "militants"


def test_a_country_as_doer_but_not_a_town() -> None:
    article = _read("Officials said the French air strikes on the camp and the Paris protest were unrelated.")
    country = _read("Officials condemned the Russia missile attacks on the port.")
    actor1, *_ = event_actors(_trigger(country, "attacks"), country)
    assert actor1 is not None and actor1.span is not None and actor1.span.text == "Russia"
    town, *_ = event_actors(_trigger(article, "protest"), article)
    assert town is None


# --- when --------------------------------------------------------------------------------------------


def test_date_in_the_sentence() -> None:
    article = _read("Rebels seized the airport on 3 March 2024.")
    when = event_when(_trigger(article, "seized"), article)
    assert when is not None and (when.start, when.precision) == ("2024-03-03", "day")
    assert when.span is not None and _exact(article, when.span)


def test_no_date_takes_the_publication_date_as_reported() -> None:
    article = _read("Rebels seized the airport, officials said.")
    when = event_when(_trigger(article, "seized"), article)
    assert when is not None and when.start == "2024-03-12" and when.precision == "reported"
    assert when.text is None and when.note


def test_no_date_and_no_publication_date_is_unknown() -> None:
    article = _read("Rebels seized the airport, officials said.", published=None)
    assert event_when(_trigger(article, "seized"), article) is None


# --- fatalities --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "word", "expected"), [
    ("At least 12 civilians were killed in the attack.", "attack", (12, 12, None, "at least")),
    ("The shelling killed three people and wounded five.", "shelling", (3, 3, 3, None)),
    ("Between 4 and 6 people died in the clashes.", "clashes", (None, 4, 6, "range")),
    ("Dozens were killed when the market was bombed.", "bombed", (None, 24, None, "dozens")),
    ("The army said there were no casualties in the raid.", "raid", (0, 0, 0, None)),
    ("Twenty-three people were killed in the blast.", "blast", (23, 23, 23, None)),
])
def test_fatalities(sentence: str, word: str, expected: tuple[int | None, int | None, int | None, str | None]) -> None:
    article = _read(sentence)
    found = event_fatalities(_trigger(article, word), article)
    assert found is not None
    assert (found.value, found.low, found.high, found.qualifier) == expected
    assert found.span is not None and _exact(article, found.span)


def test_injuries_are_counted_apart() -> None:
    article = _read("The shelling killed three people and wounded five.")
    found = event_fatalities(_trigger(article, "shelling"), article)
    assert found is not None and found.injured == 5


def test_no_count_is_none() -> None:
    article = _read("Casualties are unknown after the attack on the town.")
    assert event_fatalities(_trigger(article, "attack"), article) is None


# --- the reference article ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(reference_text: str) -> Article:
    return _read(reference_text)


def test_reference_current_assault(reference: Article) -> None:
    trigger = _trigger(reference, "operations")
    actor1, _actor2, _associated, _targets = event_actors(trigger, reference)
    assert actor1 is not None and actor1.name == "Freedom of Russia Legion"
    place = event_place(trigger, reference)
    assert place is not None and place.admin1 == "RU-BEL" and place.precision == "region"
    when = event_when(trigger, reference)
    assert when is not None and (when.start, when.precision) == ("2024-03-12", "day")
    dead = event_fatalities(trigger, reference)  # "There are no injured or dead soldiers" (next sentence)
    assert dead is not None and dead.value == 0 and dead.qualifier == "own soldiers"


def test_reference_current_assault_without_publication_date(reference_text: str) -> None:
    article = _read(reference_text, published=None)
    assert event_when(_trigger(article, "operations"), article) is None


def test_reference_may_2023_raid(reference: Article) -> None:
    trigger = _trigger(reference, "raid into")
    actor1, _actor2, associated, _targets = event_actors(trigger, reference)
    assert actor1 is not None and actor1.name == "Freedom of Russia Legion"
    assert [a.name for a in associated] == ["Russian Volunteer Corps"]
    place = event_place(trigger, reference)
    assert place is not None and place.admin1 == "RU-BEL"
    when = event_when(trigger, reference)
    assert when is not None and (when.start, when.precision) == ("2023-05", "month")


def test_reference_arson_attacks(reference: Article) -> None:
    trigger = _trigger(reference, "attacks", 0)
    assert reference.body[trigger.start:trigger.end] == "attacks"
    actor1, _actor2, _associated, targets = event_actors(trigger, reference)
    assert actor1 is None  # "mysterious fires": the orchestrator writes "unidentified"
    assert [t.text for t in targets][:3] == ["recruitment centres", "supply depots", "police stations"]
    place = event_place(trigger, reference)
    assert place is not None and place.country == "RU" and place.precision == "country"
    when = event_when(trigger, reference)
    assert when is not None and (when.start, when.precision) == ("2022-02-24", "range")


def test_reference_derailments_take_russia_from_context(reference: Article) -> None:
    place = event_place(_trigger(reference, "derailments"), reference)
    assert place is not None and place.country == "RU" and place.note == "from context"


def test_date_of_the_clause_not_of_the_reporting_verb() -> None:
    article = _read("Police fired tear gas in Kano on Monday. A police spokesman said on Sunday that "
                    "protesters had marched on 2 March.")
    when = event_when(_trigger(article, "marched"), article)
    assert when is not None and when.start == "2024-03-02"


def test_background_event_in_a_relative_clause_has_no_date() -> None:
    article = _read("Mourners gathered in Kano on Sunday. They prayed for a doctor who was killed by a sniper.")
    assert event_when(_trigger(article, "killed"), article) is None


def test_undated_mention_takes_the_date_of_the_same_event() -> None:
    article = _read("The bombings of two embassies on 7 March killed 200 people. "
                    "On Monday, the minister met aides after the bombings.")
    when = event_when(_trigger(article, "bombings", 1), article)
    assert when is not None and when.start == "2024-03-07" and when.note


def test_earlier_event_outside_the_lead_is_past() -> None:
    from eventsift.events.status import temporal_status

    article = _read("Police fired tear gas at hundreds of protesters outside the governor's office in Kano on Monday. "
                    "Last Thursday, students marched in Zaria.")
    lead, later = _trigger(article, "fired"), _trigger(article, "marched")
    assert temporal_status(lead, article, event_when(lead, article)) == "new"
    assert temporal_status(later, article, event_when(later, article)) == "past"


# --- fatalities: whose toll, and named victims -----------------------------------------------------


@pytest.mark.parametrize(("sentence", "word", "value"), [
    ("At least 51 people were reported killed in clashes between the police and the rebels.", "clashes", 51),
    ("The riots that erupted on Oct. 3 killed 17 people across the province.", "riots", 17),
    ("The car bombings that hit two markets on March 9 killed 40 people.", "bombings", 40),
    ("Gunmen who stormed the hotel killed 12 in the capital and wounded 30.", "stormed", 12),
    ("Two brothers died in a gun battle with soldiers after the ambush that left 9 people dead.", "battle", 2),
    ("The ambush that left 9 people dead and more than 20 wounded was blamed on the rebels.", "ambush", 9),
    ("A gunman shot and killed a local judge outside the courthouse.", "shot", 1),
    ("The mayor was shot dead outside his office.", "shot", 1),
    ("He was stabbed to death by militiamen near the market.", "stabbed", 1),
    ("Police opened fire on the crowd, killing a student and his cousin.", "fire", 2),
    ("Rebels claimed the assassination of Governor Okafor in the north.", "assassination", 1),
])
def test_fatalities_of_this_event(sentence: str, word: str, value: int) -> None:
    article = _read(sentence)
    found = event_fatalities(_trigger(article, word), article)
    assert found is not None and found.value == value
    assert found.span is not None and _exact(article, found.span)


@pytest.mark.parametrize(("sentence", "word"), [
    ("Soldiers killed dozens of fighters in the raid on the camp.", "raid"),  # no exact number
    ("The militia killed civilians in the village, residents said.", "killed"),  # a plural with no number
    ("They were killed in the attack on the convoy.", "attack"),  # "they": how many is not said
    ("Protesters marched on the ministry on July 4 to demand the release of detainees.", "marched"),
    ("The rebels began an offensive on the town; the fighting that followed the 2014 massacre killed 300.",
     "offensive"),
])
def test_fatalities_not_stated_stay_unknown(sentence: str, word: str) -> None:
    article = _read(sentence)
    found = event_fatalities(_trigger(article, word), article)
    assert found is None or found.value is None


def test_a_life_sentence_is_no_death() -> None:
    article = _read("The man who led the riot is serving a life sentence for arson.")
    assert event_fatalities(_trigger(article, "riot"), article) is None


@pytest.mark.parametrize(("text", "word", "value"), [
    ("Rebels shelled the village of Tarko on Monday. Two civilians were killed and one was injured.", "shelled", 2),
    ("Troops raided a camp near Gao. Separately, 5 soldiers were killed in an ambush.", "raided", None),
    ("Militants attacked a checkpoint near Gao. During the day 3 soldiers were killed at other positions.",
     "attacked", None),
    ("Gunmen attacked a bus near Kati. Later, a bomb exploded in a market, killing 6 people.", "attacked", None),
    ("The death toll in the market blast, initially 10, has risen to 12, officials said.", "blast", 12),
])
def test_toll_in_the_next_sentence(text: str, word: str, value: int | None) -> None:
    article = _read(text)
    found = event_fatalities(_trigger(article, word), article)
    assert (found.value if found is not None else None) == value


def test_assassination_of_a_named_person() -> None:
    article = _read("He is serving a sentence for the 1995 assassination of Rabin at a peace rally.")
    found = event_fatalities(_trigger(article, "assassination"), article)
    assert found is not None and found.value == 1


def test_a_toll_of_another_day_is_not_this_events() -> None:
    article = _read("Rebels attacked the village of Tarko in 2019. On Monday 5 soldiers were killed there.")
    found = event_fatalities(_trigger(article, "attacked"), article)
    assert found is None
