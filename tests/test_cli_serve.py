"""`eventsift serve` (a real server in a subprocess) and `eventsift export`, through the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from eventsift.cli import app
from eventsift.store.query import iter_event_items
from eventsift.store.store import open_store

runner = CliRunner()
EVENTSIFT = Path(sys.executable).parent / "eventsift"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _event_ids(db: str, **filters: str) -> list[str]:
    from eventsift.store.query import Filters

    with open_store(db) as store:
        return [i["id"] for i in iter_event_items(store, Filters(**filters))]


@pytest.mark.network
def test_serve_answers_until_terminated(sample_db: str) -> None:
    port = _free_port()
    command = [str(EVENTSIFT), "serve", "--db", sample_db, "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, "EVENTSIFT_CONFIG": os.devnull})
    try:
        base, deadline, doc = f"http://127.0.0.1:{port}", time.monotonic() + 60, None
        while doc is None and time.monotonic() < deadline and process.poll() is None:
            try:
                doc = httpx.get(f"{base}/openapi.json", timeout=2).json()
            except httpx.TransportError:
                time.sleep(0.2)
        assert doc is not None, f"the server did not answer: {process.stdout.read() if process.stdout else ''}"
        assert "/events" in doc["paths"]
        events = httpx.get(f"{base}/events", params={"limit": 1000}, timeout=10).json()
        assert [e["id"] for e in events["items"]] == _event_ids(sample_db)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert process.returncode is not None
    assert f"http://127.0.0.1:{port}/" in output.decode()


def test_serve_refuses_a_database_it_cannot_open() -> None:
    result = runner.invoke(app, ["serve", "--db", "mysql://nobody@nowhere/db", "--port", str(_free_port())])
    assert result.exit_code == 2 and "unsupported database 'mysql'" in " ".join(result.output.split())


def test_export_writes_each_format(sample_db: str, tmp_path: Path) -> None:
    ids = _event_ids(sample_db)
    assert ids, "ingesting the samples stored no events"
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "-o", str(out), "--db", sample_db])
    assert result.exit_code == 0, result.output
    assert f"{len(ids)} events written to {out}" in result.output
    assert [r["eventsift_id"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))] == ids

    parquet = tmp_path / "events.parquet"
    assert runner.invoke(app, ["export", "-f", "parquet", "-o", str(parquet), "--db", sample_db]).exit_code == 0
    assert pq.read_table(parquet).num_rows == len(ids)

    geojson = tmp_path / "ua.geojson"
    result = runner.invoke(app, ["export", "-f", "geojson", "-o", str(geojson), "--db", sample_db, "--country", "UA",
                                 "--from", "2024-03", "--to", "2024-03-31", "--sort", "date"])
    assert result.exit_code == 0, result.output
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    assert [f["id"] for f in features] == _event_ids(sample_db, country="UA", date_from="2024-03", sort="date")


def test_export_filters_to_standard_output_and_stories(sample_db: str, tmp_path: Path) -> None:
    args = ["--type", "Battles", "--sub-type", "Armed clash", "--actor", "", "--status", "", "--min-sources", "1",
            "--q", "", "--admin1", "", "--bbox", ""]
    result = runner.invoke(app, ["export", "-f", "jsonl", "-o", "-", "--db", sample_db, *args])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [i["id"] for i in lines] == _event_ids(sample_db, event_type="Battles", sub_event_type="Armed clash")
    assert lines and all(i["acled_sub_event_type"] == "Armed clash" for i in lines)
    stories = tmp_path / "stories.jsonl"
    result = runner.invoke(app, ["export", "-f", "jsonl", "-o", str(stories), "--db", sample_db, "--stories"])
    assert result.exit_code == 0 and "stories written" in result.output
    assert all(json.loads(line)["id"].startswith("s-") for line in stories.read_text().splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024-13-01"], "date_from: expected a date"),
        (["--bbox", "1,2"], "bbox: expected west,south,east,north"),
        (["--sort", "newest"], "sort: expected one of"),
        (["--format", "xlsx"], "unknown events export format 'xlsx'"),
    ],
)
def test_export_refuses_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out.csv"
    base = ["export", "--db", f"sqlite:///{tmp_path / 'x.db'}", "-o", str(out)]
    result = runner.invoke(app, [*base, *(args if "--format" in args else ["--format", "csv", *args])])
    assert result.exit_code == 2 and message in " ".join(result.output.split())
    assert not out.exists()
