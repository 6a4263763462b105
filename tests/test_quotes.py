"""The quotes stage: direct quotes, reported speech, speakers, channels and entity links, on sentences
written for these tests, and the reference article's four quotes (its `quotes:` section)."""

from __future__ import annotations

import re

import pytest

from eventsift.errors import ConfigError
from eventsift.pipeline import read_article
from eventsift.quotes.find import find_quotes, load_lexicon, paragraph_bounds, quote_runs, whole_quotes
from eventsift.read.nlp import load_nlp
from eventsift.records import Article, Entity, Quote, Span, content_hash
from eventsift.settings import Options

from .conftest import REFERENCE

OPTIONS = Options()


def read(body: str, entities: list[Entity] | None = None) -> list[Quote]:
    article = Article(id="t", source_kind="text", body=body, doc=load_nlp(OPTIONS.spacy_model)(body))
    article.entities = entities or []
    return find_quotes(article, OPTIONS).quotes


def entity(body: str, entity_id: str, name: str, kind: str, *forms: str) -> Entity:
    """An entity as the actors stage would give it: every occurrence of each form is a mention."""
    mentions = [Span(m.start(), m.end(), m.group()) for f in forms for m in re.finditer(re.escape(f), body)]
    return Entity(entity_id, name, kind, mentions=sorted(mentions, key=lambda m: m.start))


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, [q.content.text for q in quotes]
    return quotes[0]


# --- quote marks --------------------------------------------------------------------------------


def test_quote_runs_curly_straight_and_ascii_marks() -> None:
    body = 'He said “one” and "two" and \'\'three\'\' but ‘four’ is inside.'
    texts = [body[r.start : r.end] for r in quote_runs(body)]
    assert texts == ["one", "two", "three"]


def test_quote_run_continues_when_next_paragraph_reopens() -> None:
    body = "“First part.\n\n“Second part.”\n\nNarration.\n\n“Unclosed.\n\nNot a quote."
    runs = quote_runs(body, paragraph_bounds(body))
    assert [[body[a:b] for a, b in r.pieces] for r in runs] == [["First part.", "Second part."], ["Unclosed."]]
    assert runs[1].close_at is None


# --- direct quotes ------------------------------------------------------------------------------


def test_cue_before_with_colon() -> None:
    quote = only(read("The mayor of the town said: “The water supply has been restored.”"))
    assert quote.speaker.text == "The mayor of the town"
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.content.text == "The water supply has been restored."
    assert quote.kind == "direct"


def test_cue_after_with_inverted_subject() -> None:
    quote = only(read("“We will rebuild the bridge,” said Ivan Petrenko, a spokesman for the brigade."))
    assert quote.speaker.text == "Ivan Petrenko"
    assert quote.content.text == "We will rebuild the bridge"  # the comma before the closing mark goes


def test_straight_quotes_told_reporters_is_press() -> None:
    quote = only(read('"Nobody was hurt," the governor told reporters on Monday.'))
    assert (quote.speaker.text, quote.channel) == ("the governor", "press")
    assert quote.channel_span is not None and quote.channel_span.text == "told reporters"


def test_quote_split_by_its_cue_shares_speaker_and_cue() -> None:
    quotes = read("“The dam held,” the engineer said, “but the next flood will break it.”")
    assert [q.content.text for q in quotes] == ["The dam held", "but the next flood will break it."]
    assert {q.speaker.text for q in quotes} == {"the engineer"}
    assert quotes[0].cue == quotes[1].cue


def test_quote_over_two_paragraphs_is_whole_and_each_paragraph() -> None:
    body = (
        "The commander said: “We held the village for three days.\n\n"
        "“On the fourth day we ran out of ammunition and had to leave.”\n\nThe village fell on Friday."
    )
    quotes = read(body)
    whole = quotes[0]
    assert whole.content.text.startswith("We held the village")
    assert whole.content.text.endswith("had to leave.")
    assert whole.cue is not None and whole.speaker.text == "The commander"
    later = [q for q in quotes if q.content.text.startswith("On the fourth day")]
    assert len(later) == 1 and later[0].cue is None and later[0].speaker == whole.speaker
    assert whole_quotes(quotes) == [whole]


def test_uncued_quote_after_a_quote_continues_its_speaker() -> None:
    body = (
        "“The shelling began at dawn,” said Olena Bondar, a teacher.\n\n"
        "“We hid in the basement with the children until the evening.”"
    )
    first, second = read(body)
    assert second.cue is None
    assert second.speaker == first.speaker and first.speaker.text == "Olena Bondar"


def test_uncued_quote_with_no_speaker_nearby_stays_unattributed() -> None:
    quote = only(read("“Nobody knows what will happen to the harbour next winter.”\n\nThe port is closed."))
    assert quote.speaker.text == "" and quote.speaker.start is None and quote.speaker.entity_id is None


@pytest.mark.parametrize(
    "body",
    [
        "The so-called “referendum” was held on Sunday.",
        "The film “Winter on Fire” was shown in the square.",
        "He read “The Long Road Home” twice.",
    ],
)
def test_scare_quotes_and_titles_are_not_quotes(body: str) -> None:
    assert read(body) == []


def test_transcript_turns() -> None:
    body = "HOST: What happened last night?\n\nKOVAC: The shelling went on until dawn.\n\nUPDATE: Power is back."
    quotes = read(body)
    assert [(q.speaker.text, q.content.text) for q in quotes] == [
        ("HOST", "What happened last night?"),
        ("KOVAC", "The shelling went on until dawn."),
    ]
    assert all(q.cue is not None and q.cue.text == ":" for q in quotes)


def test_quote_signed_with_a_dash() -> None:
    quote = only(read("“We have no water and no power.” ― Olena Bondar"))
    assert quote.speaker.text == "Olena Bondar" and quote.cue is not None and quote.cue.text == "―"


# --- reported speech ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "speaker", "cue", "content"),
    [
        ("The ministry said that two drones were shot down.", "The ministry", "said", "that two drones were shot down"),
        ("The bridge was destroyed overnight, officials said.", "officials", "said", "The bridge was destroyed overnight"),
        ("According to the regional governor, three people were wounded.", "the regional governor", "According to",
         "three people were wounded"),
        ("Russia vowed to retaliate against the strikes.", "Russia", "vowed", "to retaliate against the strikes"),
        ("Ukraine claimed responsibility for the attack.", "Ukraine", "claimed", "responsibility for the attack"),
        ("Officials believe that the fire was set deliberately.", "Officials", "believe",
         "that the fire was set deliberately"),
    ],
)
def test_reported_speech(body: str, speaker: str, cue: str, content: str) -> None:
    quote = only(read(body))
    assert quote.kind == "reported"
    assert (quote.speaker.text, quote.cue and quote.cue.text, quote.content.text) == (speaker, cue, content)


def test_cue_keeps_its_negation_and_auxiliaries() -> None:
    quote = only(read("The army did not confirm the losses."))
    assert quote.cue is not None and quote.cue.text == "did not confirm"
    assert only(read("She has also said that the road is open.")).cue == Span(4, 17, "has also said")


def test_partly_quoted_report_is_mixed() -> None:
    quote = only(read("The general said the offensive had “completely stalled” near the river."))
    assert quote.kind == "mixed" and "“completely stalled”" in quote.content.text


def test_time_clause_is_not_what_was_said() -> None:
    assert read("She said nothing when the soldiers arrived.") == []


def test_attitude_verbs_do_not_frame_direct_quotes() -> None:
    # "believe" reports a clause ("believe that ..."); it never frames a quote beside it
    assert read("Many in the village believe: “Peace will come.”") == []


# --- channels and qualifiers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "channel", "words"),
    [
        ("In a post on Telegram, the governor said the shelling had stopped.", "Telegram", "Telegram"),
        ("The general said in an interview with the BBC that the offensive would resume.", "interview", "interview"),
        ("The minister wrote on X that the talks had failed.", "X", "on X"),
        ("The army said in a statement that the village had been retaken.", "statement", "statement"),
        ("The president said in a video address that help was coming.", "video address", "video address"),
    ],
)
def test_channels(body: str, channel: str, words: str) -> None:
    quote = only(read(body))
    assert quote.channel == channel
    assert quote.channel_span is not None and quote.channel_span.text == words


def test_channel_is_not_read_from_the_quoted_words() -> None:
    quote = only(read("The colonel said: “Our Telegram channel is fake.”"))
    assert quote.channel is None


def test_statement_gives_way_to_its_author() -> None:
    quote = only(read("A statement released by the Interior Ministry said: “The curfew is lifted.”"))
    assert quote.speaker.text == "the Interior Ministry"
    assert quote.channel == "statement"


def test_account_is_the_qualifier_and_its_runner_the_speaker() -> None:
    body = "A message from a channel believed to be linked to the Wagner group said: “Our fighters have left.”"
    quote = only(read(body))
    assert quote.speaker.text == "the Wagner group"
    assert quote.qualifier is not None and quote.qualifier.text == "a channel believed to be linked to the Wagner group"


# --- speakers and entities ----------------------------------------------------------------------


def test_speaker_links_to_the_entity_over_it() -> None:
    body = "The mayor, Anna Kovac, said: “The water is safe to drink.”"
    kovac = entity(body, "anna-kovac", "Anna Kovac", "person", "Anna Kovac")
    quote = only(read(body, [kovac]))
    assert quote.speaker.entity_id == "anna-kovac"


def test_pronoun_resolves_to_previous_speaker() -> None:
    # the speaker of the previous paragraph, before a person mentioned since (no gender is known)
    body = (
        "Maria Lopez, a nurse, said the hospital had run out of beds. Mayor Tom Reed visited on Monday.\n\n"
        "She said: “We are treating people in the corridors.”"
    )
    people = [
        entity(body, "maria-lopez", "Maria Lopez", "person", "Maria Lopez"),
        entity(body, "tom-reed", "Tom Reed", "person", "Tom Reed"),
    ]
    quote = read(body, people)[-1]
    assert quote.speaker.text == "She"
    assert quote.speaker.entity_id == "maria-lopez"


def test_pronoun_falls_back_to_the_latest_fitting_mention() -> None:
    body = "The army shelled the town of Oskil.\n\nCommander Petro Ivanenko arrived later. He said: “We lost two tanks.”"
    people = [
        entity(body, "army", "the army", "state forces", "The army"),
        entity(body, "petro-ivanenko", "Petro Ivanenko", "person", "Petro Ivanenko"),
    ]
    quote = only(read(body, people))
    assert quote.speaker.entity_id == "petro-ivanenko"


def test_without_entities_a_pronoun_speaker_stays_unlinked() -> None:
    quote = only(read("He said: “We lost two tanks.”"))
    assert quote.speaker.text == "He" and quote.speaker.entity_id is None


def test_relative_pronoun_speaker_links_to_its_noun() -> None:
    body = "Reporters met Petro Ivanenko, who said the town would hold."
    quote = only(read(body, [entity(body, "pi", "Petro Ivanenko", "person", "Petro Ivanenko")]))
    assert quote.speaker.text == "who" and quote.speaker.entity_id == "pi"


# --- the stage's contract -----------------------------------------------------------------------


BODIES = [
    "The mayor said: “The water supply has been restored.”\n\n“Nobody was hurt,” she added.",
    "According to the regional governor, three people were wounded, and the army said it had retreated.",
    "A post on Telegram by the battalion said: “We hold the line.\n\n“Send help.”",
]


@pytest.mark.parametrize("body", BODIES)
def test_every_span_is_exact(body: str) -> None:
    quotes = read(body)
    assert quotes
    for quote in quotes:
        spans = [quote.content, quote.cue, quote.channel_span, quote.qualifier]
        for span in filter(None, spans):
            assert body[span.start : span.end] == span.text
        if quote.speaker.start is not None and quote.speaker.end is not None:
            assert body[quote.speaker.start : quote.speaker.end] == quote.speaker.text


def test_stage_needs_the_parse_and_handles_empty_body() -> None:
    """The nlp stage is the one parser: without its doc (or with a doc of another text) the stage refuses."""
    article = Article(id="t", source_kind="text", body="Officials said the road was closed.")
    with pytest.raises(ConfigError, match="parse it first"):
        find_quotes(article, OPTIONS)
    article.doc = load_nlp(OPTIONS.spacy_model)("Another text.")
    with pytest.raises(ConfigError, match="needs doc"):
        find_quotes(article, OPTIONS)
    article.doc = load_nlp(OPTIONS.spacy_model)(article.body)
    assert [q.content.text for q in find_quotes(article, OPTIONS).quotes] == ["the road was closed"]
    assert find_quotes(Article(id="e", source_kind="text", body="  "), OPTIONS).quotes == []


def test_quotes_round_trip_through_dicts() -> None:
    for quote in read(BODIES[2]):
        assert Quote.from_dict(quote.to_dict()) == quote


def test_lexicon_channels_in_file_order() -> None:
    lexicon = load_lexicon()
    assert lexicon.channel_in("a statement posted to Telegram") == ("Telegram", 22, 30)
    assert lexicon.channel_in("a statement") == ("statement", 2, 11)
    assert lexicon.channel_in("told him") is None
    assert "say" in lexicon.verbs and "believe" in lexicon.clause_verbs


# --- the reference article ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(reference_text: str) -> Article:
    """The reference article through the reading stages, then the quotes stage again over entities
    made by hand as the actors stage gives them, so this test does not depend on that stage."""
    article = read_article(Article(id=content_hash(reference_text), source_kind="text", location=str(REFERENCE),
                                   raw_text=reference_text))
    body = article.body
    article.entities = [
        entity(body, "frl", "Freedom of Russia Legion", "armed group", "Freedom of Russia Legion",
               "Liberty of Russia Legion", "Legion ‘Freedom of Russia’", "RFL", "the Legion", "our Legion",
               "the legion"),
        entity(body, "putin", "Vladimir Putin", "person", "Vladimir Putin", "Putin’s", "Putin."),
        entity(body, "mysiagin", "Yuriy Mysiagin", "person", "Yuriy Mysiagin"),
        entity(body, "caesar", "Caesar", "person", "Caesar"),
        entity(body, "rvc", "Russian Volunteer Corps", "armed group", "Russian Volunteer Corps"),
    ]
    return find_quotes(article, OPTIONS)


def test_reference_quotes(reference: Article, reference_expected: dict) -> None:
    names = {e.id: e.name for e in reference.entities}
    for wanted in reference_expected["quotes"]:
        found = [q for q in reference.quotes if q.content.text.startswith(wanted["must_start_with"])]
        assert found, wanted["must_start_with"]
        quote = found[0]
        assert names.get(quote.speaker.entity_id or "") == wanted["speaker"], quote.speaker
        if "channel" in wanted:
            assert quote.channel == wanted["channel"]
        if "must_end_with" in wanted:
            assert quote.content.text.endswith(wanted["must_end_with"])
        if "speaker_qualifier" in wanted:
            assert quote.qualifier is not None and quote.qualifier.text == wanted["speaker_qualifier"]


def test_reference_speakers_and_no_quote_from_the_qualifier(reference: Article) -> None:
    speakers = {q.speaker.text for q in whole_quotes(reference.quotes) if q.kind == "direct"}
    assert speakers == {"Yuriy Mysiagin", "the RFL", "He"}
    # "an account that claims to be run by the RFL" describes a speaker; its "claims" is no quote
    assert not any(q.cue is not None and q.cue.text == "claims" for q in reference.quotes)
