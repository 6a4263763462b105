"""Eval set ``story-merge``: adapter, retelling and cluster scores on rows written here, and the pinned
scores on the gold data (read from ../shared/eval at run time, skipped where it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsift.eval import EvalReport, check_baseline, eval_names, load_baseline, run_eval
from eventsift.eval.story_merge import (
    cluster_scores,
    jaccard,
    load_records,
    retell,
    score_merge,
    telling_articles,
)
from eventsift.settings import Options
from tests.conftest import ROOT, SHARED

BASELINE = ROOT / "eval-baseline.json"
UKRAINE = SHARED / "eval" / "acled-ukraine"

# Made-up records in the two codebooks' column layouts (no ACLED text).
MODERN_CSV = (
    "id,event_date,event_type,notes\n"
    '1,03/04/2024 00:00:00,Explosions/Remote violence,"On 3 April 2024, Russian forces shelled Sumy. '
    'Casualties unknown."\n'
    '2,03/04/2024 00:00:00,Protests,"On 3 April 2024, about 200 farmers protested in Lviv against new '
    'land rules."\n'
    '3,05/04/2024 00:00:00,Battles,"On 5 April 2024, Russian forces clashed with Ukrainian forces near '
    'Kupiansk, Kharkiv. Casualties unknown."\n'
    "4,05/04/2024 00:00:00,Protests,\n"
)
OLD_CSV = (
    "EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,NOTES\n"
    'KEN1,02/03/2016,Riots/Protests,"Hundreds of traders protested in Nairobi against new market fees."\n'
)


def test_the_set_is_registered() -> None:
    assert "story-merge" in eval_names()


def test_adapter_reads_both_column_layouts(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(MODERN_CSV, encoding="utf-8")
    records = {r.id: r for r in load_records(tmp_path).values()}
    assert sorted(records) == ["1", "2", "3"]  # a record without notes is left out
    assert (records["1"].date, records["1"].event_type) == ("2024-04-03", "Explosions/Remote violence")
    (tmp_path / "events.csv").write_text(OLD_CSV, encoding="utf-8")
    (old,) = load_records(tmp_path).values()
    assert (old.id, old.date, old.event_type) == ("KEN1", "2016-03-02", "Riots/Protests")


@pytest.mark.parametrize(
    ("notes", "day", "expected"),
    [
        ("On 3 April 2024, Russian forces shelled Sumy. Casualties unknown.", None,
         "Local media reported that Russian forces shelled Sumy on 3 April 2024. Casualties unknown."),
        ("Interception: On 3 April 2024, Ukrainian forces shot down a drone over Odesa.", None,
         ("Interception: Local media reported that Ukrainian forces shot down a drone over Odesa "
          "on 3 April 2024.")),
        ("On 3 April 2024,Unidentified men attacked a guard in St. Petersburg. He was injured.", None,
         ("Local media reported that unidentified men attacked a guard in St. Petersburg on 3 April 2024. "
         "He was injured.")),
        (("Around 2 May 2023 (as reported), 50 people marched with signs reading 'Stop! Enough!' in Lviv. "
         "No arrests."), None,
         ("Local media reported that 50 people marched with signs reading 'Stop! Enough!' in Lviv "
          "around 2 May 2023 (as reported). No arrests.")),
        ("A group of traders protested in Nairobi (Nairobi). Police dispersed them", "2016-03-02",
         ("Local media reported that a group of traders protested in Nairobi (Nairobi) on 2 March 2016. "
         "Police dispersed them")),
        ("Traders protested in Nairobi", None, "Local media reported that Traders protested in Nairobi"),
    ],
)
def test_retelling_moves_the_date_and_frames_the_report(notes: str, day: str | None, expected: str) -> None:
    assert retell(notes, day) == expected


def test_a_retelling_is_not_a_copy_by_shingles() -> None:
    notes = "On 3 April 2024, Russian forces fired mortars and artillery at Sumy, Sumy. Casualties unknown."
    assert jaccard(notes, notes) == 1.0
    assert jaccard(notes, retell(notes)) < Options().dedup_threshold


def test_tellings_come_day_by_day_originals_first(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(MODERN_CSV, encoding="utf-8")
    articles = list(telling_articles(sorted(load_records(tmp_path).items())))
    order = [(a.published, a.id.rsplit("-", 1)[1]) for a in articles]
    assert order == sorted(order, key=lambda pt: (pt[0], pt[1] != "original"))
    assert all(a.published for a in articles) and len({a.content_hash for a in articles}) == 6


def test_cluster_scores_on_known_clusters() -> None:
    gold = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "c1": "C", "c2": "C"}
    perfect = cluster_scores({"s1": ["a1", "a2"], "s2": ["b1", "b2"], "s3": ["c1", "c2"]}, gold, gold)
    assert perfect == {"false_merge_free": 1.0, "pairwise_precision": 1.0, "b_cubed_precision": 1.0,
                       "b_cubed_recall": 1.0, "b_cubed_f1": 1.0}
    # A and B lumped together, C split: 1 of 3 stories mixed; 2 of the 6 pairs in a story are one record.
    lumped = cluster_scores({"s1": ["a1", "a2", "b1", "b2"], "s2": ["c1"], "s3": ["c2"]}, gold, gold)
    assert lumped["false_merge_free"] == pytest.approx(2 / 3)
    assert lumped["pairwise_precision"] == pytest.approx(2 / 6)
    assert lumped["b_cubed_precision"] == pytest.approx((4 * 0.5 + 2) / 6)
    assert lumped["b_cubed_recall"] == pytest.approx((4 + 2 * 0.5) / 6)
    # Events that are not main events count for false merges, not for B-cubed.
    main = ["a1", "a2", "b1", "b2"]
    extra = cluster_scores({"s1": ["a1", "a2", "x"], "s2": ["b1", "b2"]}, gold | {"x": "B"}, main)
    assert extra["false_merge_free"] == 0.5 and extra["b_cubed_f1"] == 1.0


def test_scorer_on_records_written_here(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(MODERN_CSV, encoding="utf-8")
    scores = score_merge(sorted(load_records(tmp_path).items()), Options())
    ours = scores.systems["eventsift"]
    assert ours["pair_recall"] == 1.0
    assert ours["false_merge_free"] == 1.0 and ours["pairwise_precision"] == 1.0
    assert scores.systems["same_type_and_day"]["pair_recall"] == 1.0
    assert scores.notes["copies_grouped"] == 0 and scores.notes["stories"] == 3
    assert all(row["same_story"] and row["story_records"] == [row["id"]] for row in scores.items)


# --- the pinned scores on the gold data ---------------------------------------------------------------


def _report() -> EvalReport:
    if not UKRAINE.is_dir():
        pytest.skip(f"{UKRAINE} not found: gold data lives in ../shared/eval")
    return run_eval("story-merge", UKRAINE, sample=load_baseline(BASELINE)["story-merge"]["sample"])


@pytest.mark.slow
def test_story_merge_scores_meet_the_baseline() -> None:
    report = _report()
    assert check_baseline(report, load_baseline(BASELINE)) == []
    # The merge must do better than lumping every event of one type and day together.
    ours, lumped = report.systems["eventsift"], report.systems["same_type_and_day"]
    assert ours["pairwise_precision"] > lumped["pairwise_precision"]
    assert ours["b_cubed_f1"] > lumped["b_cubed_f1"]
