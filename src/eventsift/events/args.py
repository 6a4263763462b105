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
from importlib import resources
from typing import Any

from .. import data_yaml
from ..records import Article, Span
from .types import Trigger

__all__ = [
    "NOT_SPAN_START",
    "NP_LEFT",
    "OBJECTS",
    "PRONOUN_TAGS",
    "SUBJECTS",
    "TRANSPARENT",
    "ArgumentWords",
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
    text = resources.files("eventsift.data").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = data_yaml.safe_load(text)
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

