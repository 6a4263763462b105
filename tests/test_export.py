"""Exporters and frames on event items read from real articles (samples/ and the reference article)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventsift.errors import ConfigError, EventsiftError
from eventsift.export import exporters as export
from eventsift.export.columns import ACLED_COLUMNS, ALWAYS_EMPTY, EVENT_COLUMNS, STORY_COLUMNS, event_row
from eventsift.export.exporters import (
    Exporter,
    export_path,
    exporter_names,
    get_exporter,
    register,
    write_events,
    write_stories,
)
from eventsift.export.frames import events_frame, stories_frame
from eventsift.pipeline import read_article
from eventsift.records import Article, content_hash

from .conftest import REFERENCE, SAMPLES

PUBLISHED = "2024-03-12"
# ACLED's public-data header, in ACLED's order (the export the project's acled eval set was taken from).
ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}


def _read(path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    raw = Article(id=content_hash(text), source_kind="text", location=str(path), raw_text=text, published=PUBLISHED,
                  source=f"Outlet {path.stem}", url=f"https://example.org/{path.name}")
    return read_article(raw)


def event_items(article: Article) -> list[dict[str, Any]]:
    """Event items as the contract defines them: the FORMAT event plus id, article id and meta."""
    meta = {"id": article.id, "title": article.title, "source": article.source, "url": article.url,
            "published": article.published, "syndication_group": article.syndication_group}
    items = []
    for event in article.events:
        data = event.to_dict()
        eid = data["id"].rsplit(":", 1)[-1]
        data.update(id=f"{article.id}:{eid}", event_id=eid, article_id=article.id, story_id=None,
                    merge_reason=None, article=meta)
        items.append(data)
    return items


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    paths = sorted(SAMPLES.glob("*.txt")) + ([REFERENCE] if REFERENCE.exists() else [])
    read = [_read(p) for p in paths]
    return {a.id: a for a in read}


@pytest.fixture(scope="module")
def items(articles: dict[str, Article]) -> list[dict[str, Any]]:
    found = [item for article in articles.values() for item in event_items(article)]
    assert found, "the sample articles should yield events"
    return found


def _export(items: Any, fmt: str) -> bytes:
    out = io.BytesIO()
    write_events(items, fmt, out)
    return out.getvalue()


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


class _WriteOnly:
    """A sink with nothing but write(): what a streaming HTTP response offers."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)


# --- registry ------------------------------------------------------------------------------------


def test_builtins_are_registered_for_events_and_stories() -> None:
    for target in ("events", "stories"):
        assert {"csv", "geojson", "parquet", "jsonl"} <= set(exporter_names(target))
    parquet = get_exporter("parquet")
    assert (parquet.suffix, parquet.media_type) == (".parquet", "application/vnd.apache.parquet")
    assert get_exporter(".CSV").name == "csv"


def test_unknown_format_is_a_clear_error_listing_the_known_ones() -> None:
    with pytest.raises(ConfigError) as info:
        write_events([], "xlsx", io.BytesIO())
    message = str(info.value)
    assert isinstance(info.value, EventsiftError)
    assert "xlsx" in message and all(name in message for name in ("csv", "geojson", "parquet", "jsonl"))


def test_a_third_party_exporter_registers_like_the_builtins(items: list[dict[str, Any]]) -> None:
    def write_ids(rows: Any, out: Any) -> int:
        ids = [row["id"] for row in rows]
        out.write("\n".join(ids).encode())
        return len(ids)

    register(Exporter("ids-test", ".txt", "text/plain", write_ids))
    try:
        assert "ids-test" in exporter_names()
        assert _export(items, "ids-test").decode().split("\n") == [i["id"] for i in items]
    finally:
        export._REGISTRY["events"].pop("ids-test")


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_header_is_acleds_columns_in_order_then_ours(items: list[dict[str, Any]]) -> None:
    rows = list(csv.reader(io.StringIO(_export(items, "csv").decode("utf-8"), newline="")))
    assert rows[0][: len(ACLED_HEADER)] == ACLED_HEADER
    assert tuple(rows[0]) == EVENT_COLUMNS and list(ACLED_COLUMNS) == ACLED_HEADER
    assert len(rows) == len(items) + 1
    assert all(len(row) == len(rows[0]) for row in rows)


def test_csv_values_follow_acled_spellings_and_leave_unknown_empty(items: list[dict[str, Any]]) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(items, "csv").decode("utf-8"), newline="")))
    by_id = _by_id(items)
    for row in rows:
        item = by_id[row["eventsift_id"]]
        assert row["disorder_type"] == DISORDER[item["acled_event_type"]]
        assert row["notes"] == item["evidence"]["text"]
        if item["fatalities"] is None:
            assert row["fatalities"] == "", row  # unknown is empty, never 0
        else:
            assert row["fatalities"] == str(item["fatalities"]["value"] if item["fatalities"]["value"] is not None
                                            else item["fatalities"]["low"])
        assert row["time_precision"] in {"", "1", "2", "3"} and row["geo_precision"] in {"", "1", "2", "3"}
        if row["event_date"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["event_date"]) and row["year"] == row["event_date"][:4]
        if row["admin1"]:
            assert not re.fullmatch(r"[A-Z]{2}-\w+", row["admin1"]), row["admin1"]  # a name, not a code
        for column in ALWAYS_EMPTY:
            assert row[column] == ""


def test_csv_reference_rows_name_belgorod_and_keep_a_reported_zero(items: list[dict[str, Any]]) -> None:
    if not REFERENCE.exists():
        pytest.skip("the reference article lives in ../shared")
    rows = list(csv.DictReader(io.StringIO(_export(items, "csv").decode("utf-8"), newline="")))
    belgorod = [r for r in rows if r["admin1_code"] == "RU-BEL"]
    assert belgorod
    assert all(r["admin1"].startswith("Belgorod") and r["country"] == "Russia" and r["iso"] == "643"
               for r in belgorod)
    month = [r for r in belgorod if r["date_text"] == "May 2023"]
    assert month and month[0]["event_date"] == "2023-05-01" and month[0]["time_precision"] == "3"
    city = [r for r in belgorod if r["place_text"] == "Belgorod"]
    assert city and city[0]["geo_precision"] == "1"
    # "no injured or dead": a reported zero is written, unlike an unknown count
    zero = [r for r in rows if r["fatalities_text"] and r["fatalities"] == "0"]
    assert zero


def test_csv_reads_in_pandas(items: list[dict[str, Any]]) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(io.BytesIO(_export(items, "csv")), keep_default_na=False, dtype=str)
    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert len(frame) == len(items)
    assert set(frame["eventsift_id"]) == {i["id"] for i in items}


# --- GeoJSON -------------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_of_lon_lat_points(items: list[dict[str, Any]]) -> None:
    data = json.loads(_export(items, "geojson").decode("utf-8"))
    assert data["type"] == "FeatureCollection"
    located = [i for i in items if i["place"] and i["place"]["lat"] is not None and i["place"]["lon"] is not None]
    assert data["features"] and len(data["features"]) == len(located)
    assert data["skipped_without_coordinates"] == len(items) - len(located)
    by_id = _by_id(items)
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert all(isinstance(v, float) and math.isfinite(v) for v in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        place = by_id[feature["id"]]["place"]
        assert (lon, lat) == (place["lon"], place["lat"])  # RFC 7946: longitude first
        props = feature["properties"]
        assert all(not isinstance(v, (dict, list)) for k, v in props.items() if k != "evidence")
        assert props["eventsift_id"] == feature["id"] and not set(ALWAYS_EMPTY) & set(props)
        assert props["evidence"] == {k: by_id[feature["id"]]["evidence"][k] for k in ("start", "end", "text")}


def test_geojson_without_coordinates_is_still_valid() -> None:
    data = json.loads(_export([], "geojson"))
    assert data == {"type": "FeatureCollection", "features": [], "skipped_without_coordinates": 0}


# --- Parquet -------------------------------------------------------------------------------------


def test_parquet_reads_back_in_duckdb_pandas_and_pyarrow(items: list[dict[str, Any]], tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    pd = pytest.importorskip("pandas")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    assert export_path(items, path) == len(items)
    name = str(path).replace("'", "''")
    count, dated = duckdb.sql(f"select count(*), count(event_date) from '{name}'").fetchall()[0]
    assert count == len(items) and dated > 0
    assert len(pd.read_parquet(path)) == len(items)
    table = pq.read_table(path)
    assert table.num_rows == len(items)
    types = {f.name: str(f.type) for f in table.schema}
    assert (types["event_date"], types["fatalities"], types["latitude"], types["longitude"]) == (
        "date32[day]", "int64", "double", "double")
    records = [json.loads(r) for r in table.column("record").to_pylist()]
    assert records == items  # the full item, nothing lost


def test_parquet_streams_to_a_write_only_sink_and_reads_back(items: list[dict[str, Any]]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    sink = _WriteOnly()
    assert get_exporter("parquet").write(iter(items), sink) == len(items)  # type: ignore[arg-type]
    assert pq.read_table(pa.BufferReader(b"".join(sink.parts))).num_rows == len(items)
    empty = io.BytesIO()
    write_events([], "parquet", empty)
    assert pq.read_table(pa.BufferReader(empty.getvalue())).num_rows == 0


@pytest.mark.parametrize(("n", "groups"), [(13, [6, 6, 1]), (12, [6, 6])])
def test_parquet_row_groups_gather_many_batches(items: list[dict[str, Any]], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch, n: int, groups: list[int]) -> None:
    """Row groups of PARQUET_ROW_GROUP rows however small the converted batches (the writer keeps
    each row group's metadata until it closes the file: many small groups made memory grow)."""
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(export, "PARQUET_BATCH", 2)
    monkeypatch.setattr(export, "PARQUET_ROW_GROUP", 6)
    many = (items * (n // len(items) + 1))[:n]
    path = tmp_path / "events.parquet"
    assert export_path(many, path) == n
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == groups
    assert [json.loads(r) for r in pq.read_table(path).column("record").to_pylist()] == many


# --- JSONL ---------------------------------------------------------------------------------------


def _spans(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and isinstance(
                value.get("text"), str):
            yield value
        for key, inner in value.items():
            if key != "article":
                yield from _spans(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _spans(inner)


def test_jsonl_round_trips_with_every_span_exact(items: list[dict[str, Any]], articles: dict[str, Article]) -> None:
    text = _export(items, "jsonl").decode("utf-8")
    lines = text.splitlines()
    back = [json.loads(line) for line in lines]
    assert back == items
    checked = 0
    for item in back:
        article = articles[item["article_id"]]
        source = {"title": article.title, "standfirst": article.standfirst}.get(item.get("in_title") or "",
                                                                                  article.body)
        for span in _spans(item):
            assert (source or "")[span["start"]:span["end"]] == span["text"], (item["id"], span)
            checked += 1
    assert checked >= len(items)


def test_every_format_streams_from_a_one_pass_iterator(items: list[dict[str, Any]]) -> None:
    for fmt in ("csv", "geojson", "jsonl"):
        sink = _WriteOnly()
        written = get_exporter(fmt).write((item for item in items), sink)  # type: ignore[arg-type]
        assert written == (len(items) if fmt != "geojson" else sum(event_row(i)["latitude"] is not None for i in items))
        assert b"".join(sink.parts)


# --- frames and stories --------------------------------------------------------------------------


def test_events_frame_has_the_flat_columns_with_sensible_dtypes(items: list[dict[str, Any]]) -> None:
    pd = pytest.importorskip("pandas")
    frame = events_frame(iter(items))
    assert list(frame.columns) == list(EVENT_COLUMNS) and len(frame) == len(items)
    assert pd.api.types.is_datetime64_any_dtype(frame["event_date"])
    assert str(frame["fatalities"].dtype) == "Int64" and str(frame["latitude"].dtype) == "float64"
    unknown = [i["fatalities"] is None for i in items]
    assert frame["fatalities"].isna().tolist() == unknown


def test_frames_without_pandas_raise_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ConfigError, match="pandas"):
        events_frame([])


def _story(item: dict[str, Any]) -> dict[str, Any]:
    """A one-event story item in the contract's shape."""
    article = item["article"]
    provenance = {"value": item["acled_sub_event_type"], "event_id": item["id"], "article_id": item["article_id"],
                  "source": article["source"], "group": article["id"], "span": item["evidence"]}
    return {
        "id": "s-" + content_hash(item["id"]), "acled_event_type": item["acled_event_type"],
        "acled_sub_event_type": item["acled_sub_event_type"], "cameo_root": item["cameo_root"],
        "plover_type": item["plover_type"], "plover_mode": item["plover_mode"],
        "when": item["when"], "place": item["place"], "actor1": item["actor1"], "actor2": item["actor2"],
        "fatalities": {"value": None, "rule": "none reported", "reported": []}, "status": item["status"],
        "sources": {"independent": 1, "articles": 1, "origins": len(item["claims"]),
                    "groups": [{"group": article["id"], "articles": [article]}]},
        "claims": [dict(c, origin=c["claimant"], event_id=item["id"], article_id=item["article_id"])
                   for c in item["claims"]],
        "fields": {"acled_sub_event_type": [provenance]}, "disagreements": {}, "events": [item["id"]],
        "merges": [], "updated_at": "2024-03-12T00:00:00+00:00",
    }


def test_stories_export_as_jsonl_csv_and_frame(items: list[dict[str, Any]]) -> None:
    stories = [_story(item) for item in items]
    out = io.BytesIO()
    assert write_stories(stories, "jsonl", out) == len(stories)
    assert [json.loads(line) for line in out.getvalue().decode().splitlines()] == stories
    out = io.BytesIO()
    write_stories(stories, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode(), newline="")))
    assert tuple(rows[0]) == STORY_COLUMNS and len(rows) == len(stories)
    assert all(r["fatalities"] == "" and r["sources_independent"] == "1" and r["event_count"] == "1" for r in rows)
    pytest.importorskip("pandas")
    frame = stories_frame(stories)
    assert len(frame) == len(stories) and str(frame["sources_independent"].dtype) == "Int64"


# --- codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("when", "event_date", "code"), [
    ({"start": "2024-03-11", "end": None, "precision": "day"}, "2024-03-11", 1),
    ({"start": "2024-03-11", "end": "2024-03-17", "precision": "week"}, "2024-03-11", 2),
    ({"start": "2024-03-12", "end": None, "precision": "reported"}, "2024-03-12", 2),
    ({"start": "2024-03-10", "end": "2024-03-12", "precision": "range"}, "2024-03-10", 2),
    ({"start": "2022-02-24", "end": "2024-03-12", "precision": "range"}, "2022-02-24", 3),
    ({"start": "2023-05", "end": None, "precision": "month"}, "2023-05-01", 3),
    ({"start": "2024", "end": None, "precision": "year"}, "2024-01-01", 3),
    ({"start": None, "end": None, "precision": "unknown"}, None, None),
])
def test_time_precision_codes(when: dict[str, Any], event_date: str | None, code: int | None) -> None:
    row = event_row({"when": when})
    assert (row["event_date"], row["time_precision"]) == (event_date, code)


@pytest.mark.parametrize(("sentence", "name", "precision", "code"), [
    ("Militia fighters seized a crossing near the town of Marsh Hollow on Tuesday.", "Marsh Hollow", "city", 2),
    ("Shelling was reported outside Kupiansk overnight.", "Kupiansk", "city", 2),
    ("A drone struck a fuel depot in Kupiansk late on Monday.", "Kupiansk", "city", 1),
    ("Saboteurs attacked the Belgorod region again.", "Belgorod region", "region", 3),
])
def test_geo_precision_codes(sentence: str, name: str, precision: str, code: int) -> None:
    start = sentence.index(name) + 40
    evidence = {"start": 40, "end": 40 + len(sentence), "text": sentence}
    place = {"start": start, "end": start + len(name), "text": name, "name": name, "precision": precision,
             "feature": "populated place", "lat": 50.0, "lon": 36.0, "country": "UA", "admin1": None,
             "geonameid": None}
    assert event_row({"place": place, "evidence": evidence})["geo_precision"] == code
