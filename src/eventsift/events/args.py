"""Event arguments: the shared lexicon and parse helpers of the four argument readings.

Each reading takes a :class:`~eventsift.events.types.Trigger` and the article as the reading stages
left it (``article.doc``, ``places``, ``entities``, ``times``, ``quotes``) and reads one argument from
the trigger's own sentence, through the dependency parse. Every value carries the exact words it came
from; where the sentence says nothing, the value stays unknown (``None``) rather than guessed.

- event_actors.py: actor1 (the doer), actor2 (the target actor), associated actors (coordinated
  doers) and targets (non-actor objects), each actor linked to ``article.entities`` by its mention.
- event_place.py: which literal place of the sentence is where the event happened.
- event_when.py: the event's date from the trigger's clause, its sentence, the lead, or the
  publication date as the reporting date.
- event_fatalities.py: deaths (and injuries) reported in the sentence, or the next one when it
  carries on the same quote.

The word lists live in data/event_arguments.yaml, data/number_words.yaml and data/casualty_lexicon.yaml.
See docs/event-arguments.md for the rules and their limits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import load_data
from ..records import Article, Span
from .types import Trigger

__all__ = [
    "NOT_SPAN_START",
    "NP_LEFT",
    "OBJECTS",
    "PRONOUN_TAGS",
    "SUBJECTS",
    "TRANSPARENT",
    "ActorWords",
    "ArgumentWords",
    "actor_words",
    "ancestors",
    "argument_words",
    "in_sentence",
    "load_lexicon",
    "span_of",
    "tree_path",
]

log = logging.getLogger(__name__)

SUBJECTS = frozenset({"nsubj", "csubj"})
OBJECTS = frozenset({"dobj", "obj", "attr", "oprd"})
# Labels that keep walking up from a place to the word it modifies.
TRANSPARENT = frozenset({"compound", "pobj", "conj", "appos", "nmod", "amod", "poss", "npadvmod", "case", "cc",
                          "det", "punct", "nummod", "quantmod", "flat"})
PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT", "DT", "EX"})
NP_LEFT = frozenset({"compound", "amod", "nmod", "poss", "case", "nummod", "quantmod", "det", "npadvmod"})
NOT_SPAN_START = frozenset({"the", "a", "an", "this", "that", "these", "those"})


# --- lexicons ------------------------------------------------------------------------------------


def load_lexicon(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load_data(name)
    return data


@dataclass(frozen=True)
class ArgumentWords:
    locative: frozenset[str]
    origin: frozenset[str]
    place_nouns: frozenset[str]
    target_preps: frozenset[str]
    actor_nouns: frozenset[str]
    generic_modifiers: frozenset[str]
    generic_targets: frozenset[str]
    place_verbs: frozenset[str]
    max_place_score: float
    quantity_nouns: frozenset[str] = frozenset()
    onlooker_verbs: frozenset[str] = frozenset()
    joining_verbs: frozenset[str] = frozenset()
    doer_adjectives: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def argument_words() -> ArgumentWords:
    data = load_lexicon("event_arguments.yaml")
    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key])

    return ArgumentWords(words("locative_preps"), words("origin_preps"), words("place_nouns"), words("target_preps"),
                  words("actor_nouns"), words("generic_modifiers"), words("generic_targets"), words("place_verbs"),
                  float(data["max_place_score"]), words("quantity_nouns"), words("onlooker_verbs"),
                  words("joining_verbs"), words("doer_adjectives"))


@dataclass(frozen=True)
class ActorWords:
    """The actor-reading word lists of data/event_arguments.yaml (see the notes there)."""

    adjective_people: dict[str, str]
    stance_prefixes: frozenset[str]
    collective: frozenset[str]
    undergoer: frozenset[str]
    happening: frozenset[str]
    facility: frozenset[str]
    mutual: frozenset[str]
    culprit_verbs: frozenset[str]
    confessing: frozenset[str]
    culprit_nouns: frozenset[str]
    holding: frozenset[str]
    harm: frozenset[str]
    dying: frozenset[str]
    generic_people: frozenset[str]
    crowd_names: dict[str, str]
    conducting: frozenset[str]
    culprit_adjectives: frozenset[str]


@lru_cache(maxsize=1)
def actor_words() -> ActorWords:
    data = load_lexicon("event_arguments.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key) or ())

    def mapping(key: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in (data.get(key) or {}).items()}

    casualties = load_lexicon("casualty_lexicon.yaml")  # death and injury verbs: whose subject is a victim
    harm = frozenset(str(w).lower() for key in ("death_words", "injury_words") for w in casualties[key])
    return ActorWords(
        adjective_people={k.lower(): v for k, v in mapping("doer_adjective_people").items()},
        stance_prefixes=words("stance_prefixes"), collective=words("collective_nouns"),
        undergoer=words("undergoer_nouns"), happening=words("happening_nouns"), facility=words("facility_nouns"),
        mutual=words("mutual_event_nouns"), culprit_verbs=words("culprit_verbs"),
        confessing=words("confessing_verbs"), culprit_nouns=words("culprit_nouns"), holding=words("holding_verbs"),
        harm=harm, dying=words("dying_verbs"), generic_people=words("generic_people"),
        crowd_names=mapping("crowd_names"), conducting=words("conducting_verbs"),
        culprit_adjectives=words("culprit_adjectives"),
    )


# --- shared helpers ------------------------------------------------------------------------------


def in_sentence(trigger: Trigger, start: int, end: int) -> bool:
    return trigger.sentence_start <= start and end <= trigger.sentence_end


def span_of(article: Article, start: int, end: int) -> Span:
    return Span(start, end, article.body[start:end])


def ancestors(token: Any) -> list[Any]:
    """The token and every head above it, up to the sentence root."""
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def tree_path(a: Any, b: Any) -> tuple[int, list[Any], list[Any]] | None:
    """Edges between two tokens, with the path up from ``a`` and from ``b`` to their common head."""
    up_a, up_b = ancestors(a), ancestors(b)
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in index_b:
            m = index_b[token.i]
            return n + m, up_a[: n + 1], up_b[: m + 1]
    return None

