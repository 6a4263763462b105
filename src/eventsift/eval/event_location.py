"""Eval set ``event-location``: which place name of a sentence is where its event happened.

Gold data: Halterman's event-location sentences (``relabelled.jsonl``, Prodigy format, see SOURCE.md):
one news sentence each, one event verb marked (label VERB), and the place names (label LOCATION) a
person marked as where that event happened, or none. Token offsets (``token_start``/``token_end`` into
``tokens``) are the reliable ones; some span character offsets are off by a few.

System: ``eventsift``, the reading stages on the sentence as a one-sentence article, a trigger at the
marked verb, then :func:`eventsift.events.place.event_place`.

Metrics: ``accuracy`` over all sentences: right where the system's place overlaps a gold LOCATION, or
where both say none; ``accuracy_with_location`` and ``accuracy_without_location`` split it by gold;
``precision``/``recall`` of the places given (a place given for a sentence with none is a false
positive). ``always_none`` is the baseline that never names a place.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import Article, Place
from ..settings import Options
from .base import EvalSet, Scores, register

__all__ = ["GoldSentence", "load_sentences", "place_is_right", "score_sentences", "sentence_trigger"]

logger = logging.getLogger(__name__)

NAME = "event-location"
FILE = "relabelled.jsonl"


@dataclass(frozen=True)
class GoldSentence:
    """One sentence: its text, the marked verb's character bounds, and the gold locations (maybe none)."""

    id: str
    text: str
    verb: tuple[int, int]
    locations: tuple[tuple[int, int], ...]


def _char_bounds(tokens: list[dict[str, Any]], span: dict[str, Any]) -> tuple[int, int]:
    return int(tokens[span["token_start"]]["start"]), int(tokens[span["token_end"]]["end"])


def parse_line(record: dict[str, Any], line_no: int) -> GoldSentence | None:
    """One Prodigy record as a GoldSentence; None for a record with no marked verb."""
    tokens = record.get("tokens") or []
    spans = record.get("spans") or []
    verbs = [s for s in spans if s.get("label") == "VERB"]
    if not verbs or not tokens:
        return None
    locations = tuple(_char_bounds(tokens, s) for s in spans if s.get("label") == "LOCATION")
    item_id = f"{line_no:04d}:{record.get('_id') or record.get('doc_id') or ''}"
    return GoldSentence(item_id, str(record["text"]), _char_bounds(tokens, verbs[0]), locations)


def load_sentences(folder: Path) -> dict[str, GoldSentence]:
    """The adapter: every record of ``relabelled.jsonl`` with a marked verb, keyed by line and id."""
    path = folder / FILE
    if not path.is_file():
        raise ConfigError(f"{path} not found: is {folder} the event-location eval folder?")
    items: dict[str, GoldSentence] = {}
    with path.open(encoding="utf-8") as lines:
        for line_no, line in enumerate(lines, 1):
            if not line.strip():
                continue
            gold = parse_line(json.loads(line), line_no)
            if gold is not None:
                items[gold.id] = gold
    return items


def sentence_trigger(article: Article, verb: tuple[int, int]) -> Any:
    """A Trigger at the marked verb: its head token in ``article.doc`` and its sentence's bounds."""
    from ..events.types import Trigger

    doc = article.doc
    span = doc.char_span(verb[0], verb[1], alignment_mode="expand")
    token = span.root if span is not None and len(span) else doc[0]
    # The item is one sentence, even where the parser splits it: its bounds are the whole text.
    return Trigger(start=token.idx, end=token.idx + len(token), text=token.text, token_i=token.i,
                   sentence_start=0, sentence_end=len(article.body),
                   acled_event_type="Other", acled_sub_event_type="Other", cameo_root=None, plover_type=None)


def place_is_right(place: Place | None, gold: tuple[tuple[int, int], ...]) -> bool:
    """Right where both say none, or where the place overlaps one of the gold locations."""
    if place is None:
        return not gold
    return any(place.start < end and start < place.end for start, end in gold)


def _read(items: list[tuple[str, Any]], options: Options) -> list[Article]:
    from ..pipeline import apply_stages_batch, reading_stages

    stages = reading_stages()
    first = next(i for i, s in enumerate(stages) if s.name == "nlp")
    articles = [Article(id=item_id, source_kind="text", body=gold.text, language="en") for item_id, gold in items]
    done = apply_stages_batch(articles, stages[first:], options)
    return [a if isinstance(a, Article) else articles[n] for n, a in enumerate(done)]


def score_sentences(items: list[tuple[str, Any]], options: Options) -> Scores:
    """The scorer: the reading stages on each sentence (the body as given), then event_place."""
    from ..events.place import event_place

    right = with_loc = with_loc_right = without_loc_right = given = given_right = 0
    rows: list[dict[str, Any]] = []
    for (item_id, gold), article in zip(items, _read(items, options), strict=True):
        place = event_place(sentence_trigger(article, gold.verb), article) if article.doc is not None else None
        ok = place_is_right(place, gold.locations)
        right += ok
        with_loc += bool(gold.locations)
        with_loc_right += ok and bool(gold.locations)
        without_loc_right += ok and not gold.locations
        given += place is not None
        given_right += place is not None and ok
        rows.append({"id": item_id, "right": ok, "verb": gold.text[gold.verb[0]:gold.verb[1]],
                     "gold": [gold.text[s:e] for s, e in gold.locations], "got": place.text if place else None,
                     "places": [p.text for p in article.places]})
    n = len(items)
    without_loc = n - with_loc
    recall = with_loc_right / with_loc if with_loc else 0.0
    precision = given_right / given if given else 0.0
    metrics = {
        "accuracy": right / n if n else 0.0,
        "accuracy_with_location": recall,
        "accuracy_without_location": without_loc_right / without_loc if without_loc else 0.0,
        "precision": precision,
        "recall": recall,
    }
    baseline = {"accuracy": without_loc / n if n else 0.0}
    notes = {"with_location": with_loc, "without_location": without_loc}
    return Scores(systems={"eventsift": metrics, "always_none": baseline}, items=rows, notes=notes)


EVAL_SET = register(EvalSet(NAME, "which place of a sentence is where its event happened (Halterman)",
                            load_sentences, score_sentences))
