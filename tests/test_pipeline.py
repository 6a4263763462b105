"""The runner: stage order checked at start, one error handler, same output for any worker count."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventsift.errors import ConfigError
from eventsift.export.output import extract_record
from eventsift.ingest.sources import iter_inputs
from eventsift.pipeline import Runner, Stage, check_order, reading_stages
from eventsift.records import Article, Reject
from eventsift.settings import Options

from .conftest import SAMPLES


def _explode_on_marker(article: Article, options: Options) -> Article:
    if "EXPLODE" in article.body:
        raise ValueError("marker found\nwith a second line")
    return article


def test_order_is_checked_at_start() -> None:
    stages = reading_stages()
    with pytest.raises(ConfigError, match="needs paragraphs"):
        check_order([stages[1], stages[0]])


def test_failing_article_is_recorded_and_the_batch_goes_on(options: Options) -> None:
    texts = ["Quiet day\n\nNothing happened in the valley today at all.", "Odd day\n\nEXPLODE went the test."]
    items = [Article(id=str(i), source_kind="text", location=f"mem:{i}", raw_text=t) for i, t in enumerate(texts)]
    rejects: list[Reject] = []
    runner = Runner([*reading_stages(), Stage("explode", _explode_on_marker, frozenset({"body"}), frozenset())],
                    options, rejects.append)
    done = list(runner.run([*items, Reject("mem:bad", "ingest", "empty input")]))
    assert [a.id for a in done] == ["0"]
    assert [(r.location, r.stage) for r in rejects] == [("mem:1", "explode"), ("mem:bad", "ingest")]
    assert rejects[0].reason == "marker found with a second line"
    assert runner.summary.done == 1 and runner.summary.rejected == 2


@pytest.mark.slow
def test_same_output_with_two_workers(tmp_path: Path) -> None:
    def run(workers: int) -> list[dict]:
        options = Options(workers=workers, batch_size=2)
        runner = Runner(reading_stages(), options)
        return [extract_record(a) for a in runner.run(iter_inputs(str(SAMPLES), options))]

    assert run(1) == run(2)
