"""Eval set ``event-coding``: the event type of single sentences, in PLOVER and CAMEO terms.

Gold data (``event-coding`` folder, see its SOURCE.md; read at run time, never copied):
- ``plover-gsr.json``: 322 sentences coded in PLOVER (the early-draft names DEMAND, DISAPPROVE,
  INVESTIGATE and FIGHT are read as today's REQUEST, ACCUSE, ACCUSE and ASSAULT: ``plover_renames``
  in data/event_mappings.yaml), with source and target actor texts;
- ``petrarch2-gsr.xml``: about 79 sentences with 92 CAMEO codings (event code, source and target
  codes). The file is not well-formed XML, so its records are read with patterns. Sentences coded
  "no event" are counted but not scored.

System ``eventsift``: each sentence goes through :func:`eventsift.pipeline.read_article`; its event is
the main trigger (:func:`eventsift.events.types.main_trigger`) of :func:`find_triggers` with every kind
included, not only ACLED's.

Metrics: ``plover_type`` (accuracy over the PLOVER sentences), ``plover_coverage`` (share given any
type), ``cameo_root`` (our root is the root of one of the sentence's CAMEO codings), ``cameo_coverage``.
Source and target actors are scored (``source_actor``/``target_actor``: our actor text overlaps the
gold actor text) only once :func:`eventsift.events.actors.event_actors` exists; until then the report
says so in its notes.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, EventsiftError, one_line
from ..events.types import Trigger, find_triggers, main_trigger, modern_plover
from ..records import Article
from ..settings import Options
from .base import EvalError, EvalSet, Scores, refused_input, register

__all__ = ["CodedSentence", "code_sentence", "load_sentences", "parse_petrarch", "score_sentences"]

logger = logging.getLogger(__name__)

NAME = "event-coding"
_SENTENCE = re.compile(r"<Sentence\b([^>]*)>(.*?)</Sentence>", re.DOTALL)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CODING = re.compile(r"<EventCoding\b([^>]*)/?>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.DOTALL)


@dataclass(frozen=True)
class CodedSentence:
    """One gold sentence: its text and its gold PLOVER type or CAMEO codes, with actor texts."""

    id: str
    text: str
    plover_type: str | None = None
    cameo_roots: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    no_event: bool = False


def _actor_texts(actors: Any) -> tuple[str, ...]:
    return tuple(a.get("actorText", "") for a in actors or () if isinstance(a, dict) and a.get("actorText"))


def load_plover(path: Path) -> dict[str, CodedSentence]:
    records = json.loads(path.read_text(encoding="utf-8"))
    items: dict[str, CodedSentence] = {}
    for record in records:
        if not record.get("text") or record.get("event") in (None, "DOCUMENT"):
            continue
        items[f"plover:{record['id']}"] = CodedSentence(
            id=record["id"], text=record["text"], plover_type=modern_plover(record["event"]),
            source=_actor_texts(record.get("source")), target=_actor_texts(record.get("target")),
        )
    return items


def parse_petrarch(text: str) -> dict[str, CodedSentence]:
    """Records of the PETRARCH-2 validation file: id, text and the CAMEO roots of its codings."""
    items: dict[str, CodedSentence] = {}
    for match in _SENTENCE.finditer(text):
        attrs = dict(_ATTR.findall(match[1]))
        if attrs.get("evaluate", "true").lower() != "true":
            continue
        body = match[2]
        sentence = _TEXT.search(body)
        if "id" not in attrs or sentence is None:
            continue
        codings = [dict(_ATTR.findall(c)) for c in _CODING.findall(body)]
        roots = tuple(sorted({c["eventcode"][:2] for c in codings if c.get("eventcode")}))
        items[f"petrarch:{attrs['id']}"] = CodedSentence(
            id=attrs["id"], text=" ".join(sentence[1].split()), cameo_roots=roots,
            source=tuple(c["sourcecode"] for c in codings if c.get("sourcecode")),
            target=tuple(c["targetcode"] for c in codings if c.get("targetcode")),
            no_event=not roots and any(c.get("noevents", "").lower() == "true" for c in codings),
        )
    return items


def load_sentences(folder: Path) -> dict[str, CodedSentence]:
    """The adapter: both gold files, keyed "plover:<id>" and "petrarch:<id>"."""
    plover, petrarch = folder / "plover-gsr.json", folder / "petrarch2-gsr.xml"
    if not plover.is_file() and not petrarch.is_file():
        raise ConfigError(f"no plover-gsr.json nor petrarch2-gsr.xml in {folder}: is it the event-coding folder?")
    items: dict[str, CodedSentence] = {}
    if plover.is_file():
        items.update(load_plover(plover))
    if petrarch.is_file():
        items.update(parse_petrarch(petrarch.read_text(encoding="utf-8")))
    return items


def _event_actors() -> Any:
    """The lead's ``eventsift.events.actors.event_actors``, or None while it does not exist."""
    if importlib.util.find_spec("eventsift.events.actors") is None:
        return None
    return getattr(importlib.import_module("eventsift.events.actors"), "event_actors", None)


def code_sentence(text: str, options: Options, item_id: str = "sentence") -> tuple[Trigger | None, Article]:
    """eventsift's event for one sentence: its main trigger of any kind, and the article read."""
    from ..pipeline import read_article

    article = read_article(Article(id=item_id, source_kind="text", raw_text=text), options)
    return main_trigger(find_triggers(article, include_all=True, keep_all=True), article.doc), article


def _overlaps(ours: str | None, gold: tuple[str, ...]) -> bool:
    if not ours:
        return False
    words = set(ours.lower().split())
    return any(words & set(g.lower().split()) for g in gold)


def _actor_row(trigger: Trigger, article: Article, gold: CodedSentence, event_actors: Any) -> dict[str, Any]:
    try:
        source, target, *_rest = event_actors(trigger, article)
    except Exception as exc:  # a crash fails the eval, naming the item, rather than scoring as no actors
        raise EvalError(f"{NAME}: event_actors crashed on item {gold.id!r}: {one_line(exc)}") from exc
    return {"source_actor": _overlaps(_actor_name(source), gold.source),
            "target_actor": _overlaps(_actor_name(target), gold.target)}


def _actor_name(actor: Any) -> str | None:
    return getattr(actor, "name", None) or getattr(actor, "text", None)


def score_sentences(items: list[tuple[str, Any]], options: Options) -> Scores:
    """The scorer: PLOVER type and CAMEO root of each sentence's main trigger."""
    event_actors = _event_actors()
    rows: list[dict[str, Any]] = []
    for key, gold in items:
        if gold.no_event:
            rows.append({"id": key, "no_event": True})
            continue
        try:
            trigger, article = code_sentence(gold.text, options, key)
        except EventsiftError as exc:
            logger.debug("event-coding: nothing read from %s: %s", key, refused_input(exc, NAME, key))
            trigger, article = None, None
        row: dict[str, Any] = {
            "id": key, "trigger": trigger.text if trigger else None,
            "plover": trigger.plover_type if trigger else None, "cameo": trigger.cameo_root if trigger else None,
            "gold_plover": gold.plover_type, "gold_cameo": list(gold.cameo_roots),
        }
        if event_actors is not None and trigger is not None and article is not None and gold.plover_type:
            row.update(_actor_row(trigger, article, gold, event_actors))
        rows.append(row)
    return Scores(systems={"eventsift": _metrics(rows)}, items=rows, notes=_notes(rows, event_actors))


def _share(rows: list[dict[str, Any]], test: Any) -> float:
    return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0


def _metrics(rows: list[dict[str, Any]]) -> dict[str, float]:
    plover = [r for r in rows if r.get("gold_plover")]
    cameo = [r for r in rows if r.get("gold_cameo")]
    metrics = {
        "plover_type": _share(plover, lambda r: r["plover"] == r["gold_plover"]),
        "plover_coverage": _share(plover, lambda r: r["plover"] is not None),
        "cameo_root": _share(cameo, lambda r: r["cameo"] in r["gold_cameo"]),
        "cameo_coverage": _share(cameo, lambda r: r["cameo"] is not None),
    }
    scored = [r for r in plover if "source_actor" in r]
    if scored:
        metrics["source_actor"] = _share(scored, lambda r: r["source_actor"])
        metrics["target_actor"] = _share(scored, lambda r: r["target_actor"])
    return metrics


def _notes(rows: list[dict[str, Any]], event_actors: Any) -> dict[str, Any]:
    return {
        "plover_sentences": sum(1 for r in rows if r.get("gold_plover")),
        "cameo_sentences": sum(1 for r in rows if r.get("gold_cameo")),
        "no_event_sentences": sum(1 for r in rows if r.get("no_event")),
        "actors": "scored with eventsift.events.actors.event_actors" if event_actors is not None
        else "not scored: eventsift.events.actors.event_actors does not exist yet (type accuracy only)",
    }


EVAL_SET = register(
    EvalSet(NAME, "PLOVER / CAMEO event type of single sentences", load_sentences, score_sentences)
)
