"""The evaluation harness: scorer on hand-made strings, registry and baseline gate, and the pinned
article-extraction sample (read from ../shared/eval at run time, skipped where it is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventsift.errors import ConfigError
from eventsift.eval import (
    EvalReport,
    check_baseline,
    eval_names,
    load_baseline,
    run_eval,
    token_prf,
    write_report,
)
from eventsift.eval.scoring import macro_prf, shingle_counts
from eventsift.settings import Options

from .conftest import ROOT, SHARED

BASELINE = ROOT / "eval-baseline.json"
ARTICLE_DATA = SHARED / "eval" / "article-extraction"


# --- scorer -------------------------------------------------------------------------------------


def test_token_scores_on_known_strings() -> None:
    # 3 of 4 predicted tokens are in the gold; 3 of 6 gold tokens were found.
    score = token_prf("the cat sat down", "the cat sat on the mat")
    assert score.precision == pytest.approx(3 / 4)
    assert score.recall == pytest.approx(3 / 6)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)


def test_tokens_are_a_bag_and_whitespace_blind() -> None:
    # "the" twice in the gold but once predicted: one match, not two.
    score = token_prf("the\n\nmat", "the  the mat")
    assert (score.precision, score.recall) == (pytest.approx(1.0), pytest.approx(2 / 3))
    assert token_prf("a b c", "c\tb\na").f1 == 1.0


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [("", "", (1.0, 1.0, 1.0)), ("", "some text", (0.0, 0.0, 0.0)), ("some text", "", (0.0, 0.0, 0.0)),
     ("x y", "a b", (0.0, 0.0, 0.0))],
)
def test_token_scores_at_the_edges(predicted: str, gold: str, expected: tuple[float, float, float]) -> None:
    score = token_prf(predicted, gold)
    assert (score.precision, score.recall, score.f1) == expected


def test_shingle_score_like_the_benchmark() -> None:
    gold = "one two three four five"  # shingles: (1..4), (2..5)
    tp, fp, fn = shingle_counts("one two three four", gold)  # one shingle, and it matches
    assert (tp, fp, fn) == (pytest.approx(1 / 2), 0.0, pytest.approx(1 / 2))
    score = macro_prf([(tp, fp, fn), (1.0, 0.0, 0.0)])
    assert score.precision == pytest.approx(1.0)
    assert score.recall == pytest.approx((0.5 + 1.0) / 2)


# --- harness ------------------------------------------------------------------------------------


def _report(f1: float, sample: int | None = 40) -> EvalReport:
    return EvalReport("article-extraction", 40, {"eventsift": {"f1": f1, "precision": 0.9}}, sample=sample)


def test_article_extraction_is_registered() -> None:
    assert "article-extraction" in eval_names()


def test_unknown_set_and_missing_folder_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown eval set"):
        run_eval("no-such-set", tmp_path)
    with pytest.raises(ConfigError, match="not found"):
        run_eval("article-extraction", tmp_path / "absent")
    with pytest.raises(ConfigError, match="not found"):
        run_eval("article-extraction", options=Options(eval_dir=str(tmp_path)))


def test_check_baseline_passes_within_tolerance_and_names_each_drop() -> None:
    baseline = {"article-extraction": {"sample": 40, "metrics": {"eventsift": {"f1": 0.95, "precision": 0.9}}}}
    assert check_baseline(_report(0.947), baseline) == []
    failures = check_baseline(_report(0.93), baseline)
    assert len(failures) == 1
    assert "eventsift f1 0.9300 is below the baseline 0.9500" in failures[0]
    assert check_baseline(_report(0.95), baseline["article-extraction"]) == []


def test_check_baseline_flags_other_sample_and_missing_system() -> None:
    baseline = {"article-extraction": {"sample": 40, "metrics": {"trafilatura": {"f1": 0.9}}}}
    failures = check_baseline(_report(0.99, sample=None), baseline)
    assert any("sample" in f for f in failures)
    assert any("'trafilatura' missing" in f for f in failures)
    assert check_baseline(_report(0.99), {}) == ["article-extraction: no baseline pinned for this eval set"]


def test_report_rows_and_json(tmp_path: Path) -> None:
    report = _report(0.9512)
    assert report.columns() == ["system", "f1", "precision"]
    assert report.rows() == [["eventsift", "0.9512", "0.9000"]]
    path = write_report(report, tmp_path / "out" / "report.json")
    assert json.loads(path.read_text(encoding="utf-8"))["systems"]["eventsift"]["f1"] == 0.9512


def test_load_baseline_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_baseline(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ConfigError, match="JSON object"):
        load_baseline(bad)


# --- the pinned sample on the gold data ---------------------------------------------------------


@pytest.fixture(scope="module")
def sample_report() -> EvalReport:
    if not (ARTICLE_DATA / "ground-truth.json").is_file():
        pytest.skip("../shared/eval/article-extraction not found")
    sample = load_baseline(BASELINE)["article-extraction"]["sample"]
    return run_eval("article-extraction", ARTICLE_DATA, sample=sample)


@pytest.mark.slow
def test_article_extraction_sample_meets_the_baseline(sample_report: EvalReport) -> None:
    pinned = load_baseline(BASELINE)["article-extraction"]["sample"]
    assert pinned is None or sample_report.n == pinned
    assert check_baseline(sample_report, load_baseline(BASELINE)) == []


@pytest.mark.slow
def test_eventsift_reads_bodies_at_least_as_well_as_bare_trafilatura(sample_report: EvalReport) -> None:
    ours, theirs = sample_report.systems["eventsift"], sample_report.systems["trafilatura"]
    assert ours["f1"] >= theirs["f1"]
    assert ours["shingle_f1"] >= theirs["shingle_f1"]


@pytest.mark.slow
def test_sample_is_the_first_ids_in_sorted_order(sample_report: EvalReport) -> None:
    ids = [item["id"] for item in sample_report.items]
    truth = json.loads((ARTICLE_DATA / "ground-truth.json").read_text(encoding="utf-8"))
    assert ids == sorted(truth)[: len(ids)]
