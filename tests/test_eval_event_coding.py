"""Eval set ``event-coding``: adapters on records written here, and the pinned scores on the gold data
(read from ../shared/eval at run time, skipped where it is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventsift.eval import check_baseline, eval_names, load_baseline, run_eval
from eventsift.eval.event_coding import code_sentence, load_sentences, parse_petrarch, score_sentences
from eventsift.settings import Options
from tests.conftest import ROOT, SHARED

BASELINE = ROOT / "eval-baseline.json"
DATA = SHARED / "eval" / "event-coding"

PETRARCH = """<Validation>
#### a comment line that makes the file not well-formed XML
<Sentences>
<Sentence category="T" date="20080804" id="T1" evaluate="true"/>
<EventCoding eventcode="1384" sourcecode="AAA" targetcode="BBB" />
<Text>
The army threatened to attack the rebel town.
</Text>
<Parse>1 The the DET</Parse>
</Sentence>
<Sentence category="T" date="20080804" id="T2" evaluate="true"/>
<EventCoding noevents="True" />
<Text>
Nothing happened.
</Text>
</Sentence>
</Sentences>
</Validation>
"""
PLOVER = [
    {"id": "DOC-1", "event": "DOCUMENT", "eventText": "docs"},
    {"id": "P-1", "event": "DEMAND", "text": "The union demanded higher wages from the government.",
     "source": [{"actorText": "union"}], "target": [{"actorText": "government"}]},
]


def test_set_is_registered() -> None:
    assert "event-coding" in eval_names()


def test_petrarch_records_are_read_despite_the_broken_xml() -> None:
    items = parse_petrarch(PETRARCH)
    assert items["petrarch:T1"].cameo_roots == ("13",)
    assert items["petrarch:T1"].text == "The army threatened to attack the rebel town."
    assert items["petrarch:T2"].no_event


def test_plover_names_are_modernised(tmp_path: Path) -> None:
    (tmp_path / "plover-gsr.json").write_text(json.dumps(PLOVER), encoding="utf-8")
    items = load_sentences(tmp_path)
    assert list(items) == ["plover:P-1"] and items["plover:P-1"].plover_type == "REQUEST"


def test_the_governing_act_is_the_event() -> None:
    trigger, _article = code_sentence("The army threatened to attack the rebel town.", Options())
    assert trigger is not None and (trigger.plover_type, trigger.cameo_root) == ("THREATEN", "13")


def test_scorer_on_records_written_here(tmp_path: Path) -> None:
    (tmp_path / "plover-gsr.json").write_text(json.dumps(PLOVER), encoding="utf-8")
    (tmp_path / "petrarch2-gsr.xml").write_text(PETRARCH, encoding="utf-8")
    scores = score_sentences(sorted(load_sentences(tmp_path).items()), Options())
    metrics = scores.systems["eventsift"]
    assert metrics["plover_type"] == 1.0 and metrics["cameo_root"] == 1.0
    assert scores.notes["no_event_sentences"] == 1


@pytest.mark.slow
def test_event_coding_scores_meet_the_baseline() -> None:
    if not DATA.is_dir():
        pytest.skip(f"{DATA} not found: gold data lives in ../shared/eval")
    sample = load_baseline(BASELINE)["event-coding"]["sample"]
    report = run_eval("event-coding", DATA, sample=sample)
    assert check_baseline(report, load_baseline(BASELINE)) == []
