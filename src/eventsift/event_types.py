"""Event triggers and their types: which words of a sentence name an event, and what kind it is.

A trigger is typed in three taxonomies at once: ACLED event and sub-event type (exact names from
../shared/taxonomy/acled.yaml), CAMEO root code and PLOVER type and mode. The lexicon and the
mappings live in data files (data/event_lexicon.yaml, data/event_mappings.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Trigger"]


@dataclass(frozen=True)
class Trigger:
    """The words that name one event in a sentence, with the event's type.

    ``start``/``end``/``text`` point into the article body (``body[start:end] == text``);
    ``token_i`` is the index of the trigger's head token in ``article.doc``; ``sentence_start``/
    ``sentence_end`` bound its sentence (character offsets into the body).
    """

    start: int
    end: int
    text: str
    token_i: int
    sentence_start: int
    sentence_end: int
    acled_event_type: str
    acled_sub_event_type: str
    cameo_root: str | None
    plover_type: str | None
    plover_mode: str | None = None
    score: float = 1.0
    cue: str | None = None  # the lexicon entry that matched, for explanations
