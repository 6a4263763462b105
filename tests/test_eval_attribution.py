"""Eval set `attribution`: BRAT reading, the grouping of quotes into attributions and the scorer on
hand-made documents, and the pinned PolNeAR sample (read from ../shared/eval at run time, skipped
where it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsift.eval import check_baseline, eval_names, load_baseline, run_eval
from eventsift.eval.attribution import (
    Attribution,
    GoldDoc,
    load_docs,
    parse_ann,
    predicted_attributions,
    read_quotes,
    score_predictions,
)
from eventsift.records import Quote, Span, Speaker
from eventsift.settings import Options

from .conftest import ROOT, SHARED

BASELINE = ROOT / "eval-baseline.json"
DATA = SHARED / "eval" / "attribution"

TEXT = "“We will hold the bridge,” the colonel said. “Nobody leaves.”\n\nThe mayor said the water was back."
# offsets into TEXT, written out so that a wrong reading shows
ANN = (
    "T1\tContent 0 26\t“We will hold the bridge,”\n"
    "T2\tSource 27 38\tthe colonel\n"
    "T3\tCue 39 43\tsaid\n"
    "T4\tAttribution 39 43\tsaid\n"
    "T5\tContent 45 61\t“Nobody leaves.”\n"
    "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2 Content2:T5\n"
    "T6\tSource 63 72\tThe mayor\n"
    "T7\tCue 73 77\tsaid\n"
    "T8\tContent 78 96\tthe water was back\n"
    "T9\tAttribution 73 77\tsaid\n"
    "E2\tAttribution:T9 Source:T6 Cue:T7 Content:T8\n"
    "T10\tDiscuss 0 5\t“We w\n"
    "T11\tContent 0 10;12 20\tpieces, the second\n"
    "on a line of its own\n"
    "T12\tAttribution-no-source 39 43\tsaid\n"
    "E3\tAttribution-no-source:T12 Content:T11\n"
)


def span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def test_ann_text_offsets_are_as_written() -> None:
    for line in ANN.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) == 3 and ";" not in parts[1] and parts[1].startswith(("Source", "Cue")):
            start, end = map(int, parts[1].split()[1:])
            assert TEXT[start:end] == parts[2]


def test_parse_ann_joins_roles_and_pieces() -> None:
    first, second, third = parse_ann(ANN)
    assert first == Attribution(source=((27, 38),), cue=((39, 43),), content=((0, 26), (45, 61)))
    assert second.source == ((63, 72),) and second.content == ((78, 96),)
    assert third.source == () and third.cue == () and third.content == ((0, 10), (12, 20))


def test_load_docs_picks_the_first_annotator_and_the_dev_split(tmp_path: Path) -> None:
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "doc-a.txt").write_text(TEXT, encoding="utf-8")
    (split / "attributions" / "doc-a_b2.ann").write_text(ANN, encoding="utf-8")
    (split / "attributions" / "doc-a_a1.ann").write_text(ANN.split("T6")[0], encoding="utf-8")
    for folder in (tmp_path, split):
        docs = load_docs(folder)
        assert list(docs) == ["doc-a"]
        assert docs["doc-a"].annotator == "a1" and len(docs["doc-a"].attributions) == 1


def test_load_docs_rejects_a_folder_without_a_split(tmp_path: Path) -> None:
    from eventsift.errors import ConfigError

    with pytest.raises(ConfigError, match="no PolNeAR split"):
        load_docs(tmp_path)


def test_quotes_become_attributions_as_polnear_groups_them() -> None:
    text = "“A b c,” she said. “D e f.”\n\n“G h i.”"
    she = Speaker(None, "she", 9, 12)
    said = span(text, 13, 17)
    quotes = [
        Quote(she, said, None, span(text, 1, 6)),
        Quote(she, said, None, span(text, 20, 26)),  # same cue: one attribution in two pieces
        Quote(she, None, None, span(text, 31, 37)),  # next paragraph, no cue: its own attribution
    ]
    got = predicted_attributions(quotes, text)
    assert got == [
        Attribution(((9, 12),), ((13, 17),), ((1, 6), (20, 26))),
        Attribution(((9, 12),), (), ((31, 37),)),
    ]


def test_paragraphs_repeated_from_a_run_on_quote_are_not_scored() -> None:
    text = "He said: “One.\n\n“Two.”"
    he = Speaker(None, "He", 0, 2)
    whole = Quote(he, span(text, 3, 7), None, span(text, 10, 21))
    piece = Quote(he, None, None, span(text, 17, 21))
    assert predicted_attributions([whole, piece], text) == [Attribution(((0, 2),), ((3, 7),), ((10, 21),))]


def test_scores_exact_and_overlap() -> None:
    gold = GoldDoc("d", TEXT, "a1", tuple(parse_ann(ANN))[:2])
    predicted = [
        Attribution(((31, 38),), ((39, 43),), ((1, 24), (46, 60))),  # "colonel"; the quotes without marks
        Attribution((), ((73, 77),), ((78, 96),)),  # no source
    ]
    metrics = score_predictions([(gold, predicted)]).systems["eventsift"]
    assert metrics["content_exact_f1"] == 1.0 and metrics["cue_exact_f1"] == 1.0
    assert metrics["source_precision"] == 1.0 and metrics["source_exact_precision"] == 0.0
    assert metrics["source_recall"] == 0.5
    assert metrics["pairing_accuracy"] == 0.5  # the mayor's content found, but not the mayor
    assert metrics["attribution_precision"] == 0.5


def test_scores_nothing_predicted() -> None:
    gold = GoldDoc("d", TEXT, "a1", tuple(parse_ann(ANN)))
    metrics = score_predictions([(gold, [])]).systems["eventsift"]
    assert metrics["content_recall"] == 0.0 and metrics["content_f1"] == 0.0


def test_the_system_on_a_hand_made_document() -> None:
    gold = GoldDoc("d", TEXT, "a1", tuple(parse_ann(ANN))[:2])
    (quotes,) = read_quotes([gold], Options())
    metrics = score_predictions([(gold, predicted_attributions(quotes, TEXT))]).systems["eventsift"]
    assert metrics["attribution_f1"] == 1.0 and metrics["pairing_accuracy"] == 1.0
    assert metrics["content_exact_f1"] == 1.0


def test_attribution_is_registered() -> None:
    assert "attribution" in eval_names()


# --- the pinned sample on the gold data ---------------------------------------------------------


@pytest.mark.slow
def test_attribution_sample_meets_the_baseline() -> None:
    if not (DATA / "dev" / "attributions").is_dir():
        pytest.skip("../shared/eval/attribution not found")
    baseline = load_baseline(BASELINE)
    report = run_eval("attribution", DATA, sample=baseline["attribution"]["sample"])
    assert check_baseline(report, baseline) == []
    assert report.systems["eventsift"]["content_precision"] > 0.9
