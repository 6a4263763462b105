"""Eval set ``event-location``: reading Prodigy records and scoring on hand-made sentences, and the pinned
score on the gold data (read from ../shared/eval at run time, skipped where it is absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventsift.eval import EvalReport, check_baseline, eval_names, load_baseline, run_eval
from eventsift.eval.event_location import load_sentences, place_is_right, score_sentences
from eventsift.records import Place
from eventsift.settings import Options

from .conftest import ROOT, SHARED

BASELINE = ROOT / "eval-baseline.json"
DATA = SHARED / "eval" / "event-location"


def _record(text: str, verb: str, locations: list[str]) -> dict[str, Any]:
    tokens: list[dict[str, Any]] = []
    at = 0
    for n, word in enumerate(text.split()):
        start = text.index(word, at)
        at = start + len(word)
        tokens.append({"text": word, "start": start, "end": at, "id": n})

    def span(word: str, label: str) -> dict[str, Any]:
        i = next(t["id"] for t in tokens if t["text"].strip(".,") == word)
        return {"start": 0, "end": 0, "token_start": i, "token_end": i, "label": label}  # char offsets unreliable

    spans = [span(verb, "VERB"), *(span(loc, "LOCATION") for loc in locations)]
    return {"text": text, "tokens": tokens, "spans": spans, "_id": verb, "answer": "accept"}


def _folder(tmp_path: Path) -> Path:
    records = [_record("Rebels attacked a police station in Mosul on Monday.", "attacked", ["Mosul"]),
               _record("A cab driver from Nairobi was shot dead at a checkpoint.", "shot", [])]
    (tmp_path / "relabelled.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return tmp_path


def test_event_location_is_registered() -> None:
    assert "event-location" in eval_names()


def test_loader_uses_token_offsets(tmp_path: Path) -> None:
    items = load_sentences(_folder(tmp_path))
    first, second = (items[k] for k in sorted(items))
    assert first.text[first.verb[0]:first.verb[1]] == "attacked"
    assert [first.text[s:e].strip(".") for s, e in first.locations] == ["Mosul"]
    assert second.locations == ()


def test_place_is_right_on_overlap_and_on_none() -> None:
    place = Place(10, 15, "Mosul", None, "Mosul", "IQ", None, None, None, "populated place", "city")
    assert place_is_right(place, ((10, 16),))
    assert not place_is_right(place, ((20, 25),))
    assert place_is_right(None, ())
    assert not place_is_right(None, ((10, 15),))
    assert not place_is_right(place, ())


def test_scorer_reads_each_sentence_and_scores_accuracy(tmp_path: Path) -> None:
    items = sorted(load_sentences(_folder(tmp_path)).items())
    scores = score_sentences(items, Options())
    metrics = scores.systems["eventsift"]
    assert metrics["accuracy"] == pytest.approx(1.0), scores.items
    assert scores.systems["always_none"]["accuracy"] == pytest.approx(0.5)


# --- the pinned score on the gold data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> EvalReport:
    if not DATA.is_dir():
        pytest.skip(f"{DATA} not found: the event-location gold set lives in ../shared/eval")
    sample = load_baseline(BASELINE)["event-location"]["sample"]
    return run_eval("event-location", DATA, sample=sample)


@pytest.mark.slow
def test_event_location_meets_the_baseline(report: EvalReport) -> None:
    assert check_baseline(report, load_baseline(BASELINE)) == []


@pytest.mark.slow
def test_event_location_beats_always_none(report: EvalReport) -> None:
    assert report.systems["eventsift"]["accuracy"] > report.systems["always_none"]["accuracy"] + 0.2
