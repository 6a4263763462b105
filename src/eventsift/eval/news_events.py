"""Eval sets ``news-events`` and ``news-events-lower``: every ACLED-scope event in whole news articles.

Gold data: ``news-events/gold.jsonl`` (see its SOURCE.md; read at run time, never copied): one article
per line with every in-scope event coded as one record, and about half the articles with none.
``news-events-lower`` scores the same articles with their text lower-cased (archives and scraped feeds
often come that way): the gap between the two is what lower case costs.

System ``eventsift``: each article goes through the reading stages as ``eventsift extract --jsonl``
would read ``{"id", "text", "published"}``; its events are scored exactly by SOURCE.md's rules:

- Events with status planned, hypothetical or negated assert nothing and are set aside; every other
  event must match a gold record or it is a false positive.
- Matching per article, one to one, greedy best first. A pair is a candidate when the predicted
  evidence text and one of the record's mentions share words: containment |A & B| / min(|A|, |B|) >= 0.6
  over lower-cased word sets (``\\w+``) without common stop words. Pair score = containment + 0.5 if the
  event type agrees + 0.25 if the sub-event type agrees.
- Detection P/R/F1 (any type); typed P/R/F1 (the matched pair's event type agrees); spurious events per
  article with no gold event.
- Field accuracy over matched pairs where the gold has a value: event_type, sub_event_type, actor1
  (word Dice >= 0.5 after dropping generic words, or one contained in the other, or both unidentified),
  place (name Dice >= 0.5; a region-only gold is checked by admin1), admin1 (ISO 3166-2 equal), date
  (``when.start`` equal at the gold's precision), fatalities (value equal; null is not 0), status,
  temporal, all_fields (type, sub-type, actor1, place and date all right).

Each article's row (``items``) lists its false positives, misses and wrong fields with their words;
``eventsift eval news-events --explain`` prints them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError, one_line
from ..records import Article, Event
from ..settings import Options
from .base import EvalSet, Scores, register
from .scoring import counts_prf

__all__ = [
    "GoldArticle",
    "actor_matches",
    "containment",
    "date_matches",
    "load_gold",
    "match_events",
    "place_matches",
    "score_articles",
    "words",
]

logger = logging.getLogger(__name__)

NAME = "news-events"
LOWER = "news-events-lower"
FILE = "gold.jsonl"
MIN_CONTAINMENT = 0.6
SET_ASIDE = frozenset({"planned", "hypothetical", "negated"})
FIELDS = ("event_type", "sub_event_type", "actor1", "place", "admin1", "date", "fatalities", "status",
          "temporal", "all_fields")

_WORD = re.compile(r"\w+")
# Common English stop words: they tie any two sentences together and say nothing of the event.
_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own said same she should so some such
than that the their theirs them themselves then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your yours yourself
""".split())  # noqa: SIM905 - a word list reads better as text
# Words that name no one in particular: "Russian forces" and "Russian troops" are one doer.
_GENERIC_ACTOR = frozenset({
    "forces", "force", "troops", "troop", "group", "groups", "army", "military", "men", "people", "members",
    "member", "unit", "units", "personnel", "officials", "official", "the", "of", "and", "a", "an", "s",
})
_UNIDENTIFIED = frozenset({"unidentified", "unknown", "unnamed"})


@dataclass(frozen=True)
class GoldArticle:
    """One article: its text, publication date, gold records (dicts as in gold.jsonl) and traps."""

    id: str
    text: str
    published: str | None
    events: tuple[dict[str, Any], ...]
    traps: tuple[str, ...] = ()


def load_gold(folder: Path) -> dict[str, GoldArticle]:
    """Read ``gold.jsonl``; a malformed line is an error naming the line."""
    path = Path(folder) / FILE
    if not path.is_file():
        raise ConfigError(f"news-events gold not found: {path}")
    items: dict[str, GoldArticle] = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            item = GoldArticle(str(record["id"]), str(record["text"]), record.get("published"),
                               tuple(record.get("events") or ()), tuple(record.get("traps") or ()))
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path}:{line_no}: not a news-events record ({one_line(exc)})") from exc
        items[item.id] = item
    return items


def load_lower(folder: Path) -> dict[str, GoldArticle]:
    """The same articles with their text lower-cased (gold mentions are matched lower-cased anyway)."""
    return {k: GoldArticle(g.id, g.text.lower(), g.published, g.events, g.traps) for k, g in load_gold(folder).items()}


# -- matching ---------------------------------------------------------------------------------------------


def words(text: str | None) -> set[str]:
    """Lower-cased word set without stop words."""
    return {w for w in _WORD.findall((text or "").lower())} - _STOP


def containment(a: str, b: str) -> float:
    """|A & B| / min(|A|, |B|) over :func:`words`; 0 where either has none."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _pair_score(event: Event, gold: dict[str, Any]) -> float | None:
    best = max((containment(event.evidence.text, m) for m in gold.get("mentions") or ()), default=0.0)
    if best < MIN_CONTAINMENT:
        return None
    score = best
    if event.acled_event_type == gold.get("event_type"):
        score += 0.5
    if event.acled_sub_event_type == gold.get("sub_event_type"):
        score += 0.25
    return score


def match_events(predicted: list[Event], golds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs, greedy best pair score first."""
    candidates = []
    for p, event in enumerate(predicted):
        for g, gold in enumerate(golds):
            score = _pair_score(event, gold)
            if score is not None:
                candidates.append((-score, p, g))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, p, g in candidates:
        if p in used_p or g in used_g:
            continue
        used_p.add(p)
        used_g.add(g)
        pairs.append((p, g))
    return pairs


# -- fields -----------------------------------------------------------------------------------------------


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _name_words(name: str | None) -> set[str]:
    return {w for w in _WORD.findall((name or "").lower())}


def actor_matches(predicted: str | None, gold: str) -> bool:
    """Word Dice >= 0.5 without generic words, or one name inside the other, or both unidentified."""
    got, want = _name_words(predicted), _name_words(gold)
    if (not got or got & _UNIDENTIFIED) and want & _UNIDENTIFIED:
        return True
    if not got or want & _UNIDENTIFIED or got & _UNIDENTIFIED:
        return False
    got_core, want_core = got - _GENERIC_ACTOR, want - _GENERIC_ACTOR
    if got_core and want_core and _dice(got_core, want_core) >= 0.5:
        return True
    p, g = " ".join(_WORD.findall((predicted or "").lower())), " ".join(_WORD.findall(gold.lower()))
    return bool(p and g) and (f" {p} " in f" {g} " or f" {g} " in f" {p} ")


def place_matches(event: Event, gold: dict[str, Any]) -> bool:
    """The place's name (or its words in the text) against the gold's; a region-only gold by admin1."""
    place = event.place
    if gold.get("place") is None:
        return bool(place and gold.get("admin1_code") and place.admin1 == gold["admin1_code"])
    if place is None:
        return False
    want = _name_words(gold["place"])
    return any(_dice(_name_words(name), want) >= 0.5 for name in (place.name, place.text) if name)


def date_matches(event: Event, gold_date: str) -> bool:
    start = event.when.start if event.when is not None else None
    return bool(start) and len(start or "") >= len(gold_date) and (start or "")[: len(gold_date)] == gold_date


def field_checks(event: Event, gold: dict[str, Any]) -> dict[str, bool]:
    """Each field the gold gives a value for: right or wrong."""
    checks: dict[str, bool] = {
        "event_type": event.acled_event_type == gold.get("event_type"),
        "sub_event_type": event.acled_sub_event_type == gold.get("sub_event_type"),
        "actor1": actor_matches(event.actor1.name if event.actor1 else None, gold.get("actor1") or "Unidentified"),
        "status": event.status == gold.get("status"),
        "temporal": event.temporal_status == gold.get("temporal"),
    }
    if gold.get("place") is not None or gold.get("admin1_code"):
        checks["place"] = place_matches(event, gold)
    if gold.get("admin1_code"):
        checks["admin1"] = bool(event.place and event.place.admin1 == gold["admin1_code"])
    if gold.get("date"):
        checks["date"] = date_matches(event, str(gold["date"]))
    if gold.get("fatalities") is not None:
        value = event.fatalities.value if event.fatalities is not None else None
        checks["fatalities"] = value == gold["fatalities"]
    core = ("event_type", "sub_event_type", "actor1", "place", "date")
    checks["all_fields"] = all(checks.get(name, True) for name in core)
    return checks


def _got(event: Event, name: str) -> Any:
    values = {
        "event_type": event.acled_event_type, "sub_event_type": event.acled_sub_event_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "place": f"{event.place.text} ({event.place.name}, {event.place.admin1})" if event.place else None,
        "admin1": event.place.admin1 if event.place else None,
        "date": event.when.start if event.when else None,
        "fatalities": event.fatalities.value if event.fatalities else None,
        "status": event.status, "temporal": event.temporal_status,
    }
    return values.get(name)


def _want(gold: dict[str, Any], name: str) -> Any:
    key = {"admin1": "admin1_code", "temporal": "temporal"}.get(name, name)
    return gold.get(key)


# -- running ----------------------------------------------------------------------------------------------


def _read(item: GoldArticle, options: Options) -> Article | str:
    from ..ingest.sources import article_from_json
    from ..pipeline import read_article

    record = {"id": item.id, "text": item.text, "published": item.published}
    try:
        return read_article(article_from_json(record, f"news-events:{item.id}"), options)
    except InputError as exc:  # a gold text the reader refuses scores as no events; a crash fails the eval
        return one_line(exc)


def _describe(event: Event) -> dict[str, Any]:
    return {"type": f"{event.acled_event_type} / {event.acled_sub_event_type}",
            "trigger": event.trigger.text if event.trigger else None,
            "evidence": event.evidence.text, "status": event.status,
            "actor1": _got(event, "actor1"), "place": _got(event, "place"), "date": _got(event, "date")}


@dataclass
class _Tally:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    typed: int = 0
    spurious_no_gold: int = 0
    articles_no_gold: int = 0

    def __post_init__(self) -> None:
        self.right: dict[str, int] = dict.fromkeys(FIELDS, 0)
        self.scored: dict[str, int] = dict.fromkeys(FIELDS, 0)


def _score_article(item: GoldArticle, article: Article | str, tally: _Tally) -> dict[str, Any]:
    golds = list(item.events)
    if isinstance(article, str):
        predicted: list[Event] = []
        row: dict[str, Any] = {"id": item.id, "error": article}
    else:
        predicted = [e for e in article.events if e.status not in SET_ASIDE]
        row = {"id": item.id}
    pairs = match_events(predicted, golds)
    tally.predicted += len(predicted)
    tally.gold += len(golds)
    tally.matched += len(pairs)
    if not golds:
        tally.articles_no_gold += 1
        tally.spurious_no_gold += len(predicted)
    matched_p, matched_g = {p for p, _ in pairs}, {g for _, g in pairs}
    row["false_positives"] = [_describe(e) for n, e in enumerate(predicted) if n not in matched_p]
    row["misses"] = [{"type": f"{g['event_type']} / {g['sub_event_type']}", "mention": (g.get("mentions") or [""])[0]}
                     for n, g in enumerate(golds) if n not in matched_g]
    wrong: list[dict[str, Any]] = []
    for p, g in pairs:
        event, gold = predicted[p], golds[g]
        tally.typed += event.acled_event_type == gold.get("event_type")
        for name, ok in field_checks(event, gold).items():
            tally.scored[name] += 1
            tally.right[name] += ok
            if not ok and name != "all_fields":
                wrong.append({"field": name, "got": _got(event, name), "gold": _want(gold, name),
                              "evidence": event.evidence.text})
    row["wrong_fields"] = wrong
    row["gold_events"], row["predicted_events"], row["matched"] = len(golds), len(predicted), len(pairs)
    return row


def _metrics(tally: _Tally) -> dict[str, float]:
    p, r, f = astuple(counts_prf(tally.matched, tally.predicted, tally.gold))
    tp, tr, tf = astuple(counts_prf(tally.typed, tally.predicted, tally.gold))
    metrics = {"precision": p, "recall": r, "f1": f, "typed_precision": tp, "typed_recall": tr, "typed_f1": tf,
               # higher is better, like every pinned metric: 1 - invented events per article with none
               "no_event_cleanliness": 1.0 - min(1.0, tally.spurious_no_gold / tally.articles_no_gold)
               if tally.articles_no_gold else 1.0}
    for name in FIELDS:
        metrics[name] = tally.right[name] / tally.scored[name] if tally.scored[name] else 0.0
    return metrics


def score_articles(items: list[tuple[str, GoldArticle]], options: Options) -> Scores:
    """The scorer: read each article, match its events to the gold records, tally by SOURCE.md's rules."""
    tally = _Tally()
    rows = [_score_article(item, _read(item, options), tally) for _, item in items]
    notes = {
        "articles": len(items), "articles_without_events": tally.articles_no_gold,
        "gold_events": tally.gold, "predicted_events": tally.predicted, "matched": tally.matched,
        "spurious_per_article_without_events": round(tally.spurious_no_gold / tally.articles_no_gold, 4)
        if tally.articles_no_gold else 0.0,
    }
    return Scores(systems={"eventsift": _metrics(tally)}, items=rows, notes=notes)


def explain_lines(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Each false positive, miss and wrong field, one block per article, for a person to review."""
    lines: list[str] = []
    for row in rows:
        if not (row.get("false_positives") or row.get("misses") or row.get("wrong_fields") or row.get("error")):
            continue
        lines.append(f"== {row['id']}: {row.get('matched', 0)} matched of {row.get('gold_events', 0)} gold, "
                     f"{row.get('predicted_events', 0)} predicted")
        if row.get("error"):
            lines.append(f"  ERROR {row['error']}")
        for fp in row.get("false_positives", ()):
            lines.append(f"  FALSE POSITIVE {fp['type']} [{fp['status']}] trigger={fp['trigger']!r} "
                         f"actor1={fp['actor1']!r} place={fp['place']!r} date={fp['date']}")
            lines.append(f"      {fp['evidence']!r}")
        for miss in row.get("misses", ()):
            lines.append(f"  MISS {miss['type']}: {miss['mention']!r}")
        for wrong in row.get("wrong_fields", ()):
            lines.append(f"  WRONG {wrong['field']}: got {wrong['got']!r}, gold {wrong['gold']!r}")
            lines.append(f"      {wrong['evidence']!r}")
    return lines


register(EvalSet(NAME, "every ACLED-scope event in whole news articles (SOURCE.md rules)", load_gold, score_articles))
register(EvalSet(LOWER, "news-events with the article text lower-cased", load_lower, score_articles, folder=NAME))
