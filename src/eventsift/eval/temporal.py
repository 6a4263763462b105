"""Eval set ``temporal``: time expressions and their values in TimeML news (TimeBank 1.2 + AQUAINT).

Gold data: ``*.tml`` files under the set's folder (TempEval-3 "TBAQ-cleaned", see SOURCE.md). Each
document's text is the content of its ``<TEXT>`` element with the tags removed; its TIMEX3 tags are
the gold expressions; the document creation time (the TIMEX3 with ``functionInDocument=
"CREATION_TIME"``) is the publication date the system gets.

System: ``eventsift``, the times stage (:func:`eventsift.times.find.extract_times`) on that text and date.

Metrics, as TempEval-3 defines them (UzZaman et al. 2013, task A), micro-averaged over the set:
- ``strict_precision``/``strict_recall``/``strict_f1``: extents that match exactly;
- ``relaxed_precision``/``relaxed_recall``/``relaxed_f1``: extents that overlap;
- ``value_accuracy``: the share of relaxed-matched gold expressions given the gold value;
- ``value_f1``: TempEval-3's attribute F1 for the value, the figure its tables rank systems by
  (HeidelTime's 77.6 on the TempEval-3 test set): precision = correct values / system expressions,
  recall = correct values / gold expressions; about ``value_accuracy`` x ``relaxed_f1``;
- ``type_accuracy`` and ``type_f1``: the same for the TIMEX3 type (DATE, TIME, DURATION, SET).
"""

from __future__ import annotations

import logging
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import TimeExpr
from ..settings import Options
from .base import EvalSet, Scores, register

__all__ = ["GoldTimex", "TimeMLDocument", "load_documents", "match_timexes", "parse_timeml", "score_documents"]

logger = logging.getLogger(__name__)

NAME = "temporal"
# Published reference, not run here: HeidelTime on the TempEval-3 test set (task A, value F1).
REFERENCE = {"heideltime_tempeval3_value_f1": 0.776, "heideltime_tempeval3_relaxed_f1": 0.903,
             "heideltime_tempeval3_strict_f1": 0.813}


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class TimeMLDocument:
    """One TimeML document: plain text, creation date (YYYY-MM-DD or None) and gold expressions."""

    id: str
    text: str
    dct: str | None
    gold: tuple[GoldTimex, ...]


def parse_timeml(path: Path) -> TimeMLDocument:
    """Read one ``.tml`` file: the ``<TEXT>`` element's text and the TIMEX3 spans inside it."""
    root = ET.parse(path).getroot()
    dct = next((t.get("value") for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    body = root.find("TEXT")
    if body is None:
        raise ConfigError(f"{path}: no <TEXT> element")
    parts: list[str] = []
    spans: list[tuple[int, int, ET.Element]] = []
    length = 0

    def walk(element: ET.Element) -> None:
        nonlocal length
        if element.text:
            parts.append(element.text)
            length += len(element.text)
        for child in element:
            start = length
            walk(child)
            if child.tag == "TIMEX3":
                spans.append((start, length, child))
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)

    walk(body)
    text = "".join(parts)
    gold = tuple(GoldTimex(s, e, text[s:e], t.get("type") or "", t.get("value") or "") for s, e, t in spans)
    return TimeMLDocument(path.stem, text, dct[:10] if dct else None, gold)


def load_documents(folder: Path) -> dict[str, TimeMLDocument]:
    """The adapter: every ``.tml`` file under ``folder``, keyed by corpus folder and document name."""
    paths = sorted(folder.rglob("*.tml"))
    if not paths:
        raise ConfigError(f"no .tml files under {folder}: is it the temporal eval folder?")
    docs = {}
    for path in paths:
        doc = parse_timeml(path)
        docs[f"{path.parent.name}/{doc.id}"] = doc
    return docs


@dataclass
class _Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed_gold: int = 0  # gold expressions overlapped by a system expression
    relaxed_system: int = 0  # system expressions overlapping a gold one
    value: int = 0
    type: int = 0

    def add(self, other: _Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def match_timexes(gold: tuple[GoldTimex, ...], system: list[TimeExpr]) -> tuple[_Counts, list[dict[str, Any]]]:
    """TempEval-3 matching for one document: counts, and one row per miss or wrong attribute."""
    counts = _Counts(gold=len(gold), system=len(system))
    errors: list[dict[str, Any]] = []
    spans = {(t.start, t.end) for t in system}
    for g in gold:
        counts.strict += (g.start, g.end) in spans
        overlapping = [t for t in system if t.start < g.end and g.start < t.end]
        if not overlapping:
            errors.append({"kind": "missed", "gold": g.text, "value": g.value, "type": g.type})
            continue
        best = max(overlapping, key=lambda t: min(t.end, g.end) - max(t.start, g.start))
        counts.relaxed_gold += 1
        counts.value += best.value == g.value
        counts.type += best.type == g.type
        if best.value != g.value or (best.start, best.end) != (g.start, g.end):
            errors.append({"kind": "value" if best.value != g.value else "extent", "gold": g.text,
                           "system": best.text, "value": g.value, "got": best.value, "type": g.type,
                           "got_type": best.type})
    for t in system:
        if any(t.start < g.end and g.start < t.end for g in gold):
            counts.relaxed_system += 1
        else:
            errors.append({"kind": "spurious", "system": t.text, "got": t.value, "got_type": t.type})
    return counts, errors


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _metrics(c: _Counts) -> dict[str, float]:
    strict_p, strict_r = _ratio(c.strict, c.system), _ratio(c.strict, c.gold)
    relaxed_p, relaxed_r = _ratio(c.relaxed_system, c.system), _ratio(c.relaxed_gold, c.gold)
    relaxed_f1 = _f1(relaxed_p, relaxed_r)
    value_accuracy = _ratio(c.value, c.relaxed_gold)
    type_accuracy = _ratio(c.type, c.relaxed_gold)
    value_f1 = _f1(_ratio(c.value, c.system), _ratio(c.value, c.gold))
    type_f1 = _f1(_ratio(c.type, c.system), _ratio(c.type, c.gold))
    return {
        "strict_precision": strict_p, "strict_recall": strict_r, "strict_f1": _f1(strict_p, strict_r),
        "relaxed_precision": relaxed_p, "relaxed_recall": relaxed_r, "relaxed_f1": relaxed_f1,
        "value_accuracy": value_accuracy, "value_f1": value_f1,
        "type_accuracy": type_accuracy, "type_f1": type_f1,
    }


def score_documents(items: list[tuple[str, Any]], options: Options) -> Scores:
    """The scorer: the times stage on each document's text and creation date, against the gold."""
    from ..times.find import extract_times

    total = _Counts()
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for doc_id, doc in items:
        counts, errors = match_timexes(doc.gold, extract_times(doc.text, doc.dct))
        total.add(counts)
        rows.append({"id": doc_id, "dct": doc.dct, **vars(counts), "errors": errors})
    seconds = time.perf_counter() - started
    notes = {"gold_expressions": total.gold, "system_expressions": total.system,
             "stage_seconds": round(seconds, 3), "published_reference": REFERENCE}
    return Scores(systems={"eventsift": _metrics(total)}, items=rows, notes=notes)


EVAL_SET = register(EvalSet(NAME, "time expressions and their TimeML values in news (TimeBank + AQUAINT)",
                            load_documents, score_documents))
