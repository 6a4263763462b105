"""Eval sets ``news-events`` and ``news-events-lower``: the SOURCE.md matching and field rules on records
written here, and the pinned scores on the dev gold (read from ../shared/eval, skipped where absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventsift.eval import check_baseline, eval_names, load_baseline, run_eval
from eventsift.eval.news_events import (
    actor_matches,
    containment,
    explain_lines,
    load_gold,
    load_lower,
    match_events,
)
from eventsift.records import Event, Span
from tests.conftest import ROOT, SHARED

BASELINE = ROOT / "eval-baseline.json"
GOLD = SHARED / "eval" / "news-events"


def _event(evidence: str, event_type: str = "Battles", sub: str = "Armed clash") -> Event:
    return Event(id="a:e1", acled_event_type=event_type, acled_sub_event_type=sub, cameo_root=None,
                 plover_type=None, plover_mode=None, actor1=None, actor2=None, associated=[], place=None,
                 when=None, fatalities=None, status="asserted", temporal_status="new", claims=[], hedges=[],
                 evidence=Span(0, len(evidence), evidence))


def _gold(mention: str, event_type: str = "Battles", sub: str = "Armed clash") -> dict:
    return {"event_type": event_type, "sub_event_type": sub, "mentions": [mention], "actor1": "rebels"}


def test_both_sets_are_registered() -> None:
    assert {"news-events", "news-events-lower"} <= set(eval_names())


def test_containment_ignores_stop_words_and_case() -> None:
    assert containment("The rebels attacked the town.", "rebels attacked a TOWN") == 1.0
    assert containment("Rebels attacked the town.", "Voters went to the polls.") == 0.0


def test_matching_is_one_to_one_best_pair_first() -> None:
    gold = [_gold("Rebels attacked the town of Aba on Monday."),
            _gold("Protesters marched in Aba on Monday.", "Protests", "Peaceful protest")]
    predicted = [_event("Protesters marched in Aba on Monday.", "Protests", "Peaceful protest"),
                 _event("Rebels attacked the town of Aba on Monday."),
                 _event("Rebels attacked the town of Aba on Monday, residents said.")]
    pairs = match_events(predicted, gold)
    assert sorted(pairs) == [(0, 1), (1, 0)]  # the third is a second record of one event: a false positive


def test_actor_rule_drops_generic_words_and_accepts_containment() -> None:
    assert actor_matches("Russian troops", "Russian forces")
    assert actor_matches("police", "Serb police")
    assert actor_matches(None, "Unidentified")
    assert not actor_matches("Unidentified", "police")


def test_adapters_read_and_lower_case(tmp_path: Path) -> None:
    record = {"id": "x1", "set": "t", "published": "2024-01-02", "text": "Rebels Attacked Aba.",
              "events": [_gold("Rebels Attacked Aba.")], "traps": []}
    (tmp_path / "gold.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert load_gold(tmp_path)["x1"].text == "Rebels Attacked Aba."
    assert load_lower(tmp_path)["x1"].text == "rebels attacked aba."


def test_explain_lists_each_error_with_its_words() -> None:
    row = {"id": "x1", "matched": 0, "gold_events": 1, "predicted_events": 1,
           "false_positives": [{"type": "Battles / Armed clash", "status": "asserted", "trigger": "attack",
                                "actor1": None, "place": None, "date": None, "evidence": "an attack ad"}],
           "misses": [{"type": "Protests / Peaceful protest", "mention": "They marched."}], "wrong_fields": []}
    text = "\n".join(explain_lines([row]))
    assert "FALSE POSITIVE" in text and "an attack ad" in text and "MISS" in text and "They marched." in text


def _pinned(name: str) -> None:
    if not GOLD.is_dir():
        pytest.skip(f"{GOLD} not found: the gold data lives in ../shared/eval")
    report = run_eval(name, data_dir=GOLD)
    assert check_baseline(report, load_baseline(BASELINE)) == []


@pytest.mark.slow
def test_news_events_scores_meet_the_baseline() -> None:
    _pinned("news-events")


@pytest.mark.slow
def test_news_events_lower_case_scores_meet_the_baseline() -> None:
    _pinned("news-events-lower")
