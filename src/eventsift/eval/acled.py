"""Eval sets ``acled`` and ``acled-africa-2016``: an ACLED analyst's event summary read as an article.

Gold data (see each folder's SOURCE.md; read at run time, never copied):
- ``acled`` on ``acled-ukraine/events.csv``: modern codebook (6 event types, 25 sub-event types). The
  set is named ``acled`` but its data is the ``acled-ukraine`` folder: pass ``--data
  ../shared/eval/acled-ukraine`` (the harness looks for ``eval_dir/<name>`` by default).
- ``acled-africa-2016`` on ``acled-africa-2016/events.csv``: the old codebook, whose EVENT_TYPE is
  mapped to modern types by ``old_acled_types`` in data/event_mappings.yaml ("Riots/Protests" counts
  as Protests or Riots; a sub-event type is scored only where the old type implies one). Its notes
  carry no date, so no date is scored there. 6,831 records: CI scores a fixed sample.

System ``eventsift``: the notes go through :func:`eventsift.pipeline.read_article` as a text article.
The events come from ``article.events`` (the events stage); where that stage is absent the event is
the first trigger of :func:`eventsift.events.types.find_triggers`, and actor, place and date come
from the article's first mentions (noted in the report as ``events_stage: absent``). The main event
is the first event that is not background (past, planned, hypothetical or negated).

Metrics (fractions of items): ``event_type``, ``sub_event_type``, ``sub_event_type_weighted_f1``
(F1 per gold sub-event type, weighted by its support), ``actor1`` (ACLED's name without the
bracketed years, e.g. "Military Forces of Russia (2000-)", against our actor's name or its entity's
aliases), ``admin1`` (our place's ISO 3166-2 code against ACLED's admin1 name, through the
gazetteer), ``location_25km``, ``date`` (our ``when.start`` equals ``event_date``), ``fatalities``.
Published reference (not run here): a transformer fine-tuned on ACLED, weighted F1 .839 over the 25
sub-event types.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, EventsiftError, one_line
from ..events.types import find_triggers, old_acled_type
from ..places.geodesy import distance_km
from ..records import Article, Event
from ..settings import Options
from .base import EvalError, EvalSet, Scores, refused_input, register

__all__ = [
    "GoldEvent",
    "MainEvent",
    "actor_matches",
    "load_africa",
    "load_ukraine",
    "normalise_actor",
    "score_events",
    "weighted_f1",
]

logger = logging.getLogger(__name__)

NAME = "acled"
AFRICA = "acled-africa-2016"
REFERENCE = {"transformer_finetuned_on_acled_sub_event_weighted_f1": 0.839}
LOCATION_KM = 25.0
_BRACKET = re.compile(r"\s*\([^)]*\)")
_SPACE = re.compile(r"\s+")
_BACKGROUND = frozenset({"planned", "hypothetical", "negated"})


@dataclass(frozen=True)
class GoldEvent:
    """One ACLED record: the notes and the gold fields we score.

    ``event_types`` holds every modern event type the gold type allows (two for the old
    "Riots/Protests"); ``sub_event_type`` is None where the gold implies none.
    """

    id: str
    notes: str
    event_types: tuple[str, ...]
    sub_event_type: str | None
    actor1: str
    admin1: str
    country: str
    lat: float | None
    lon: float | None
    date: str | None
    fatalities: int | None


@dataclass(frozen=True)
class MainEvent:
    """What eventsift read as the notes' main event (None fields: not read)."""

    event_type: str | None
    sub_event_type: str | None
    actor_names: tuple[str, ...]
    admin1: str | None
    lat: float | None
    lon: float | None
    date: str | None
    fatalities: int | None


# -- adapters ----------------------------------------------------------------------------------------


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value: str) -> str | None:
    """ACLED's "16/02/2024 00:00:00" (or "16/02/2024") as "2024-02-16"."""
    match = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", value or "")
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else None


def _key(raw_id: str) -> str:
    """A stable id whose sorted order mixes countries and years, so a sample is representative."""
    return f"{hashlib.sha1(raw_id.encode()).hexdigest()[:8]}-{raw_id}"


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise ConfigError(f"{path} not found: is {path.parent} an ACLED eval folder?") from None


def load_ukraine(folder: Path) -> dict[str, GoldEvent]:
    """The adapter for acled-ukraine/events.csv (modern codebook, lower-case columns)."""
    items: dict[str, GoldEvent] = {}
    for row in _rows(folder / "events.csv"):
        if not row.get("notes"):
            continue
        items[_key(row["id"])] = GoldEvent(
            id=row["id"], notes=row["notes"], event_types=(row["event_type"],),
            sub_event_type=row["sub_event_type"], actor1=row["actor1"], admin1=row["admin1"],
            country=row["country"], lat=_float(row["latitude"]), lon=_float(row["longitude"]),
            date=_date(row["event_date"]), fatalities=_int(row["fatalities"]),
        )
    return items


def load_africa(folder: Path) -> dict[str, GoldEvent]:
    """The adapter for acled-africa-2016/events.csv (old codebook, upper-case columns, no date in notes)."""
    items: dict[str, GoldEvent] = {}
    unknown: Counter[str] = Counter()
    for row in _rows(folder / "events.csv"):
        mapped = old_acled_type(row.get("EVENT_TYPE", ""))
        if mapped is None:
            unknown[row.get("EVENT_TYPE", "")] += 1
            continue
        if not row.get("NOTES"):
            continue
        items[_key(row["EVENT_ID_CNTY"])] = GoldEvent(
            id=row["EVENT_ID_CNTY"], notes=row["NOTES"], event_types=mapped[0], sub_event_type=mapped[1],
            actor1=row["ACTOR1"], admin1=row["ADMIN1"], country=row["COUNTRY"],
            lat=_float(row["LATITUDE"]), lon=_float(row["LONGITUDE"]), date=None,
            fatalities=_int(row["FATALITIES"]),
        )
    if unknown:
        logger.warning("acled-africa-2016: skipped records of unmapped event types %s", dict(unknown))
    return items


# -- reading -----------------------------------------------------------------------------------------


def events_stage_present() -> bool:
    """True once the lead's events stage (``eventsift.events.find.find_events``) exists."""
    return importlib.util.find_spec("eventsift.events.find") is not None


def _entity_names(article: Article, entity_id: str | None, name: str) -> tuple[str, ...]:
    names = [name]
    for entity in article.entities:
        if entity.id == entity_id:
            names.extend([entity.name, *entity.aliases])
    return tuple(names)


def _from_event(article: Article, event: Event) -> MainEvent:
    actor = event.actor1
    place, when, dead = event.place, event.when, event.fatalities
    return MainEvent(
        event.acled_event_type, event.acled_sub_event_type,
        _entity_names(article, actor.entity_id, actor.name) if actor else (),
        place.admin1 if place else None, place.lat if place else None, place.lon if place else None,
        when.start if when else None, dead.value if dead else None,
    )


def _from_first_mentions(article: Article) -> MainEvent:
    """Without the events stage: the first trigger's type, and the article's first actor, place, date."""
    triggers = find_triggers(article)
    first = triggers[0] if triggers else None
    entity = next((e for e in article.entities if e.kind != "person"), None)
    place = next((p for p in article.places if p.role == "literal" and p.admin1), None)
    when = next((t.value for t in article.times if t.value and re.match(r"\d{4}-\d\d-\d\d$", t.value)), None)
    return MainEvent(
        first.acled_event_type if first else None, first.acled_sub_event_type if first else None,
        (entity.name, *entity.aliases) if entity else (), place.admin1 if place else None,
        place.lat if place else None, place.lon if place else None, when, None,
    )


def _run_events_stage(article: Article, options: Options) -> Article:
    """The lead's events stage where the pipeline does not run it yet; the article as is without it."""
    if not events_stage_present():
        return article
    from ..events.find import find_events

    try:
        return find_events(article, options)
    except Exception as exc:  # a crash fails the eval, naming the item, rather than scoring as no event
        raise EvalError(f"{NAME}: events stage crashed on item {article.id!r}: {one_line(exc)}") from exc


def read_main_event(gold: GoldEvent, options: Options) -> MainEvent:
    """eventsift's main event for one record's notes."""
    from ..pipeline import read_article

    article = read_article(Article(id=gold.id, source_kind="text", raw_text=gold.notes), options)
    if not article.events and not article.halted and article.doc is not None:
        article = _run_events_stage(article, options)
    events = [e for e in article.events if not e.in_title]
    current = [e for e in events if e.temporal_status != "past" and e.status not in _BACKGROUND]
    chosen = (current or events)[0] if (current or events) else None
    if article.halted:
        logger.debug("acled: %s halted: %s", gold.id, article.halted)
    return _from_event(article, chosen) if chosen is not None else _from_first_mentions(article)


# -- matching ----------------------------------------------------------------------------------------


def normalise_actor(name: str) -> str:
    """ACLED's actor name without bracketed years, lower case: "military forces of russia air force"."""
    return _SPACE.sub(" ", _BRACKET.sub(" ", name)).strip().lower()


def actor_matches(gold: str, names: Iterable[str]) -> bool:
    """Our actor (any of its names) is ACLED's actor1, or the unit of it ACLED names first."""
    target = normalise_actor(gold)
    if not target:
        return False
    for name in names:
        ours = normalise_actor(name)
        if ours and (ours == target or target.startswith(ours + " ") or ours.startswith(target + " ")):
            return True
    return False


def _admin1_names(code: str) -> set[str]:
    from ..places.gazetteer import get_gazetteer, normalize_name

    entry = get_gazetteer().admin1(code)
    return {normalize_name(entry.name)} if entry else set()


def admin1_matches(gold_name: str, code: str | None) -> bool:
    """Our ISO 3166-2 code names ACLED's admin1 ("Sumy" vs UA-59 "Sumy Oblast")."""
    if not code or not gold_name:
        return False
    from ..places.gazetteer import get_gazetteer, normalize_name

    gazetteer = get_gazetteer()
    if any(e.kind == "admin1" and (e.admin1 or "").upper() == code.upper() for e in gazetteer.lookup(gold_name)):
        return True
    wanted = normalize_name(gold_name)
    return any(name == wanted or name.startswith(wanted + " ") for name in _admin1_names(code))


def weighted_f1(pairs: list[tuple[str, str | None]]) -> float:
    """F1 per gold label, weighted by the label's support (scikit-learn's ``average="weighted"``)."""
    if not pairs:
        return 0.0
    support = Counter(gold for gold, _ in pairs)
    predicted = Counter(pred for _, pred in pairs if pred is not None)
    correct = Counter(gold for gold, pred in pairs if gold == pred)
    total = 0.0
    for label, count in support.items():
        precision = correct[label] / predicted[label] if predicted[label] else 0.0
        recall = correct[label] / count
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total += f1 * count
    return total / len(pairs)


# -- scoring -----------------------------------------------------------------------------------------


def _row(gold: GoldEvent, ours: MainEvent) -> dict[str, Any]:
    located = None not in (gold.lat, gold.lon, ours.lat, ours.lon)
    km = distance_km(gold.lat, gold.lon, ours.lat, ours.lon) if located else None  # type: ignore[arg-type]
    return {
        "id": gold.id,
        "gold_type": "|".join(gold.event_types), "gold_sub": gold.sub_event_type,
        "type": ours.event_type, "sub": ours.sub_event_type,
        "event_type": ours.event_type in gold.event_types,
        "sub_event_type": gold.sub_event_type is not None and ours.sub_event_type == gold.sub_event_type,
        "actor1": actor_matches(gold.actor1, ours.actor_names),
        "admin1": admin1_matches(gold.admin1, ours.admin1),
        "location_25km": km is not None and km <= LOCATION_KM,
        "date": gold.date is not None and ours.date == gold.date,
        # ACLED's codebook writes 0 where no deaths are reported; eventsift keeps that unknown as null.
        "fatalities": gold.fatalities is not None and (ours.fatalities or 0) == gold.fatalities,
        "km": None if km is None else round(km, 1),
    }


def score_events(items: list[tuple[str, Any]], options: Options) -> Scores:
    """The scorer shared by both ACLED sets."""
    rows: list[dict[str, Any]] = []
    errors = 0
    for _key_, gold in items:
        try:
            ours = read_main_event(gold, options)
        except EventsiftError as exc:
            logger.debug("acled: nothing read from %s: %s", gold.id, refused_input(exc, NAME, gold.id))
            errors += 1
            ours = MainEvent(None, None, (), None, None, None, None, None)
        rows.append(_row(gold, ours))
    golds = [gold for _, gold in items]
    return Scores(systems={"eventsift": _metrics(rows, golds)}, items=rows, notes=_notes(golds, errors))


def _share(rows: list[dict[str, Any]], metric: str, keep: list[bool] | None = None) -> float:
    chosen = [r for r, k in zip(rows, keep or [True] * len(rows), strict=True) if k]
    return sum(bool(r[metric]) for r in chosen) / len(chosen) if chosen else 0.0


def _metrics(rows: list[dict[str, Any]], golds: list[GoldEvent]) -> dict[str, float]:
    has_sub = [g.sub_event_type is not None for g in golds]
    pairs = [(g.sub_event_type, r["sub"]) for g, r in zip(golds, rows, strict=True) if g.sub_event_type]
    metrics = {
        "event_type": _share(rows, "event_type"),
        "sub_event_type": _share(rows, "sub_event_type", has_sub),
        "sub_event_type_weighted_f1": weighted_f1(pairs),  # type: ignore[arg-type]
        "actor1": _share(rows, "actor1"),
        "admin1": _share(rows, "admin1"),
        "location_25km": _share(rows, "location_25km"),
    }
    if any(g.date for g in golds):
        metrics["date"] = _share(rows, "date", [g.date is not None for g in golds])
    metrics["fatalities"] = _share(rows, "fatalities")
    return metrics


def _notes(golds: list[GoldEvent], errors: int) -> dict[str, Any]:
    stage = "present" if events_stage_present() else "absent: type from find_triggers, fields from first mentions"
    return {
        "events_stage": stage,
        "read_errors": errors,
        "scored_sub_event_types": sum(g.sub_event_type is not None for g in golds),
        "published_reference": REFERENCE,
    }


EVAL_SET = register(EvalSet(NAME, "ACLED events (Ukraine) from the analyst's notes", load_ukraine, score_events,
                            folder="acled-ukraine"))
AFRICA_SET = register(
    EvalSet(AFRICA, "ACLED events (Africa, Jan-May 2016, old codebook) from the notes", load_africa, score_events)
)
