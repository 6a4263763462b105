"""The Spark job against the local pipeline, on the bundled sample articles, on ``local[2]``.

One SparkSession and one Spark run for the module (they cost most of the time); the local runs it is
compared with (``extract``, and ``ingest`` for stories) read the same JSONL file.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from eventsift.cli import app
from eventsift.errors import ConfigError
from eventsift.export.output import extract_record
from eventsift.records import Article, Reject
from eventsift.scale.bulk_load import load_parquet
from eventsift.scale.partition import ARTICLE_JSON_FIELDS
from eventsift.settings import Options
from eventsift.store.schema import events as events_table
from eventsift.store.store import open_store
from eventsift.workflow import extract, ingest

from .conftest import SAMPLES

pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("CI"):
    pytest.skip("Spark needs Java (.ci/install-java.sh installs it)", allow_module_level=True)

from pyspark.sql import SparkSession

from eventsift.scale.partition import to_item
from eventsift.scale.spark_job import SparkSummary, _input_row, read_input, run_spark_job, spark_session
from eventsift.scale.story_blocks import event_rows_of_article, merge_block

pytest_plugins = ["tests.pg"]  # db_url (SQLite and PostgreSQL), pg_db_url, pg_url

PUBLISHED = "2024-03-12"
runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples as one JSONL file, with a repeated text, a line with no text and a broken line."""
    folder = tmp_path_factory.mktemp("spark-corpus")
    rows: list[Any] = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SAMPLES.glob("*.txt"))]
    rows.insert(2, {"id": "no-text", "title": "nothing here"})
    rows.append({"id": "repeat", "text": rows[0]["text"], "title": "The same text again"})
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + ["", "{broken"]
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def session() -> Iterator[SparkSession]:
    spark = spark_session("local[2]", {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2",
                                       "spark.sql.adaptive.enabled": "false"})  # fewer jobs on tiny data
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def spark_run(session: SparkSession, corpus: Path) -> tuple[Path, SparkSummary]:
    output = corpus.parent / "out"
    return output, run_spark_job(session, str(corpus), str(output), Options(), published=PUBLISHED, partitions=2)


@pytest.fixture(scope="module")
def extracted(corpus: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    summary, articles = extract([str(corpus)], Options(), jsonl=True, published=PUBLISHED)
    return [extract_record(a) for a in articles], summary.rejects


def _rows(output: Path, part: str) -> list[dict[str, Any]]:
    return ds.dataset(output / part, format="parquet").to_table().to_pylist()


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, **{name: json.loads(row[name]) for name in ARTICLE_JSON_FIELDS}}


def test_articles_and_events_are_those_of_extract(spark_run: tuple[Path, SparkSummary], extracted: Any) -> None:
    output, summary = spark_run
    records, _ = extracted
    rows = {row["id"]: _decoded(row) for row in _rows(output, "articles")}
    assert sorted(rows) == sorted(r["id"] for r in records)
    assert sum(len(r["events"]) for r in records) >= 4  # the comparison below compares real events
    for record in records:
        row = rows[record["id"]]
        assert {name: row.get(name) for name in record} == record, record["id"]
    events_by_article: dict[str, list[dict[str, Any]]] = {}
    for event in _rows(output, "events"):
        events_by_article.setdefault(event["article_id"], []).append(json.loads(event["record"]))
    firsts = [r for r in records if rows[r["id"]]["repeat_of"] is None]
    assert events_by_article == {r["id"]: r["events"] for r in firsts if r["events"]}
    assert summary.events == sum(len(r["events"]) for r in firsts)
    assert summary.repeats == 1 and rows["repeat"]["repeat_of"] == records[0]["id"]


def test_rejects_carry_the_reasons_extract_gives(spark_run: tuple[Path, SparkSummary], extracted: Any) -> None:
    output, _ = spark_run
    _, rejects = extracted
    got = sorted((r["location"], r["stage"], r["reason"]) for r in _rows(output, "rejects"))
    assert got == sorted((r.location, r.stage, r.reason) for r in rejects)
    assert len(got) == 2


def test_syndicated_copies_share_a_group(spark_run: tuple[Path, SparkSummary]) -> None:
    output, summary = spark_run
    group = {row["id"]: row["syndication_group"] for row in _rows(output, "articles")}
    for story in ("depot-strike", "river-crossing"):
        assert group[f"{story}-wire"] == group[f"{story}-copy"]
        assert group[f"{story}-independent"] not in (None, group[f"{story}-copy"])
    assert group["marche-fr"] is None  # halted (French): never grouped, as in a local run
    assert summary.copies == 3  # two wires and the repeated text


def test_stories_are_those_of_a_local_ingest(spark_run: tuple[Path, SparkSummary], corpus: Path, tmp_path: Path) -> None:
    output, _ = spark_run
    url = f"sqlite:///{tmp_path / 'local.db'}"
    with open_store(url) as store:
        ingest([str(corpus)], store, Options(db=url), jsonl=True, published=PUBLISHED)
        with store.engine.connect() as conn:
            local = {(row.id, row.story_id) for row in conn.execute(select(events_table.c.id, events_table.c.story_id))}
    spark_events = {(row["id"], row["story_id"]) for row in _rows(output, "events")}
    assert spark_events == local
    members = {row["id"]: sorted(row["members"]) for row in _rows(output, "stories")}
    assert any(len(m) > 1 for m in members.values())
    assert members == {sid: sorted(e for e, s in local if s == sid) for _, sid in local}


def test_load_gives_the_parquet_events_and_is_idempotent(spark_run: tuple[Path, SparkSummary], db_url: str) -> None:
    output, summary = spark_run
    options = Options(db=db_url)
    with open_store(db_url) as store:
        first = load_parquet(store, str(output), options, batch_size=3)
        again = load_parquet(store, str(output), options, batch_size=3)
        with store.engine.connect() as conn:
            stored = {row.id: (row.story_id, json.loads(row.record))
                      for row in conn.execute(select(events_table.c.id, events_table.c.story_id, events_table.c.record))}
        counts = (store.count_articles(), store.count_stories(), store.count_rejects())
    parquet = {row["id"]: (row["story_id"], json.loads(row["record"])) for row in _rows(output, "events")}
    assert stored == parquet
    assert first["articles"] == summary.articles - summary.repeats and first["already stored"] == summary.repeats
    assert again["articles"] == again["events"] == again["stories"] == again["rejects"] == 0
    assert counts == (summary.articles - summary.repeats, summary.stories, summary.rejected)


def test_load_command(spark_run: tuple[Path, SparkSummary], tmp_path: Path) -> None:
    output, summary = spark_run
    result = runner.invoke(app, ["load", str(output), "--db", str(tmp_path / "cli.db")])
    assert result.exit_code == 0, result.output
    assert f"{summary.events} events" in result.output
    missing = runner.invoke(app, ["load", str(tmp_path / "nowhere"), "--db", str(tmp_path / "cli.db")])
    assert missing.exit_code == 1 and "not a folder" in missing.output


def test_spark_command_refuses_a_bad_conf(tmp_path: Path) -> None:
    result = runner.invoke(app, ["spark", "in.jsonl", str(tmp_path / "out"), "--conf", "no-equals-sign"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


def test_lines_are_numbered_across_splits(session: SparkSession, tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(json.dumps({"line": n}) + "\n" for n in range(1, 41)), encoding="utf-8")
    session.conf.set("spark.sql.files.maxPartitionBytes", "64")  # a dozen splits of one small file
    try:
        frame, kind = read_input(session, str(path), "auto")
        rows = frame.collect()
    finally:
        session.conf.unset("spark.sql.files.maxPartitionBytes")
    assert kind == "jsonl" and len({row.block for row in rows}) > 5
    assert sorted((row.number, json.loads(row.value)["line"]) for row in rows) == [(n, n) for n in range(1, 41)]


def test_parquet_rows_are_read_like_jsonl_records(session: SparkSession, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "corpus.parquet"
    table = pa.table({"id": ["a", "b"], "text": ["A drone hit a depot.", None], "published": [date(2024, 3, 1), None]})
    pq.write_table(table, path)
    frame, kind = read_input(session, str(path), "auto")
    items = [to_item(_input_row(row, kind), Options(), None) for row in sorted(frame.collect(), key=lambda r: r.number)]
    assert kind == "parquet"
    assert isinstance(items[0], Article) and items[0].published == "2024-03-01" and items[0].location == f"{path}:1"
    assert isinstance(items[1], Reject) and items[1].reason == 'row 2: needs a "text" or "html" string'


def test_merge_block_follows_input_order_not_arrival(spark_run: tuple[Path, SparkSummary]) -> None:
    output, _ = spark_run
    rows = [row for article in _rows(output, "articles") if article["repeat_of"] is None
            for row in event_rows_of_article(article)]
    assert any(row["reach_low"] for row in rows)
    expected = {row["id"]: row["story_id"] for row in _rows(output, "events")}
    for arrival in (rows, rows[::-1]):
        merged = list(merge_block(arrival))
        assert {row["id"]: row["story_id"] for kind, row in merged if kind == "event"} == expected
        assert sorted(row["id"] for kind, row in merged if kind == "story") == sorted(set(expected.values()))


def test_an_existing_output_is_refused_before_any_reading(session: SparkSession, corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(ConfigError, match="exists already"):
        run_spark_job(session, str(corpus), str(tmp_path / "out"), Options())
