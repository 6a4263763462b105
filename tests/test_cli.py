"""The CLI end to end, through Typer's runner: exit codes, output, and what lands in the store."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from eventsift.cli import EXIT_ALL_FAILED, EXIT_SOME_FAILED, app
from eventsift.places.gazetteer import get_gazetteer
from eventsift.store.store import open_store

from .conftest import REFERENCE, ROOT, SAMPLES

runner = CliRunner()
SCHEMA = json.loads((ROOT / "src" / "eventsift" / "data" / "extract.schema.json").read_text(encoding="utf-8"))


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_ingest_samples_is_idempotent(tmp_path: Path) -> None:
    db = _db(tmp_path)
    n = len(list(SAMPLES.glob("*.txt")))
    first = runner.invoke(app, ["ingest", str(SAMPLES), "--db", db, "--published", "2024-03-12"])
    assert first.exit_code == 0, first.output
    assert f"{n} ingested" in first.output and "1 halted" in first.output and "0 rejected" in first.output
    assert "stories" in first.output
    second = runner.invoke(app, ["ingest", str(SAMPLES), "--db", db])
    assert second.exit_code == 0, second.output
    assert "0 ingested" in second.output and f"{n} already stored" in second.output
    with open_store(db) as store:
        assert store.count_articles() == n
        stories_before = store.count_stories()
        assert 0 < stories_before < store.count_events()  # copies and retellings merged
    with open_store(db) as store:
        assert store.count_stories() == stories_before


def test_articles_lists_and_filters(tmp_path: Path) -> None:
    db = _db(tmp_path)
    runner.invoke(app, ["ingest", str(SAMPLES), "--db", db, "--published", "2024-03-12"])
    listing = runner.invoke(app, ["articles", "--db", db, "--json"])
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert len(rows) == len(list(SAMPLES.glob("*.txt")))
    french = runner.invoke(app, ["articles", "--db", db, "--json", "--halted"])
    [row] = [json.loads(line) for line in french.stdout.splitlines()]
    assert row["language"] == "fr" and row["halted"] == "unsupported language: fr"
    search = runner.invoke(app, ["articles", "--db", db, "--json", "--search", "spokesman"])
    assert len(search.stdout.splitlines()) == 1


def test_show_reports_removed_and_repaired(tmp_path: Path) -> None:
    if not REFERENCE.exists():
        pytest.skip("../shared/reference not found")
    db = _db(tmp_path)
    runner.invoke(app, ["ingest", str(REFERENCE), "--db", db])
    with open_store(db) as store:
        [row] = store.list_articles()
    result = runner.invoke(app, ["show", row.id[:8], "--db", db])
    assert result.exit_code == 0, result.output
    for reason in ("consent notice", "promo link", "social footer", "source footer", "cp874"):
        assert reason in result.stdout
    assert "Russian dissidents battling Vladimir Putin" in result.stdout
    missing = runner.invoke(app, ["show", "ffffffffffff", "--db", db])
    assert missing.exit_code == 1 and "no article" in missing.output


def test_extract_reference_matches_format(tmp_path: Path) -> None:
    if not REFERENCE.exists():
        pytest.skip("../shared/reference not found")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(REFERENCE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    jsonschema.validate(record, SCHEMA)
    assert record["title"].startswith("Russian saboteurs declare new attack")
    assert record["standfirst"] == "Freedom of Russia Legion continue fight in Russia"
    assert record["published"] is None and record["published_note"].startswith("unknown")
    assert len(record["removed"]) == 4
    assert any(r["kind"] == "encoding" for r in record["repairs"])
    assert not (tmp_path / "eventsift.db").exists()


def test_extract_published_and_stdin(tmp_path: Path) -> None:
    text = (SAMPLES / "river-crossing-wire.txt").read_bytes()
    result = runner.invoke(app, ["extract", "-", "--published", "2024-03-12"], input=text)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    jsonschema.validate(record, SCHEMA)
    assert record["published"] == "2024-03-12"
    assert "READ MORE" not in record["body"] and "Follow us" not in record["body"]


def test_bad_inputs_are_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SAMPLES / "river-crossing-wire.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes(b"Caf\xe9 owners protest\n\nThey gathered at noon.")
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (folder / "nav.html").write_text("<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    (folder / "broken.rss").write_text("this is not xml at all <<<")
    (folder / "lines.jsonl").write_text('{"id": "ok", "text": "' + "Workers repaired the road on Friday. " * 5 + '"}\n{broken\n')
    db = _db(tmp_path)
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == EXIT_SOME_FAILED, result.output
    assert "2 ingested" in result.output and "7 rejected" in result.output
    with open_store(db) as store:
        reasons = {Path(r.location).name.split(":")[0]: r.reason for r in store.list_rejects()}
        assert store.count_articles() == 2
    assert set(reasons) == {"empty.txt", "binary.txt", "latin1.txt", "huge.txt", "nav.html", "broken.rss", "lines.jsonl"}
    assert all("\n" not in reason and reason for reason in reasons.values())
    listing = runner.invoke(app, ["rejects", "--db", db])
    assert listing.exit_code == 0 and "size cap" in listing.stdout


def test_html_input(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    paragraphs = "".join(
        f"<p>Paragraph {i}: the regional council met on Thursday to discuss repairs to the northern road and "
        f"the flood defences along the river, officials said.</p>" for i in range(6)
    )
    page.write_text(
        "<html><head><title>Council debates flood defences</title>"
        '<meta property="article:published_time" content="2024-05-02T10:00:00Z"></head><body>'
        f"<article><h1>Council debates flood defences</h1>{paragraphs}"
        "<p>READ MORE: Unrelated promo headline</p></article></body></html>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    jsonschema.validate(record, SCHEMA)
    assert record["title"] == "Council debates flood defences"
    assert record["published"] == "2024-05-02"
    assert "Unrelated promo" not in record["body"] and record["body"].startswith("Paragraph 0")


def test_gzip_is_not_mistaken_for_text(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(gzip.compress(b"hello world " * 100))
    result = runner.invoke(app, ["ingest", str(path), "--db", _db(tmp_path)])
    assert "1 rejected" in result.output and "binary" in result.output


def test_version_and_verbose() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and "eventsift" in result.stdout


def _spans(value: object) -> list[dict]:
    """Every {"start", "end", "text"} object anywhere in a record."""
    found: list[dict] = []
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and "text" in value:
            found.append(value)
        for item in value.values():
            found += _spans(item)
    elif isinstance(value, list):
        for item in value:
            found += _spans(item)
    return found


def test_extract_events_and_every_span_is_exact(tmp_path: Path) -> None:
    if not REFERENCE.exists():
        pytest.skip("../shared/reference not found")
    result = runner.invoke(app, ["extract", str(REFERENCE), "--published", "2024-03-12"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    jsonschema.validate(record, SCHEMA)
    assert record["events"] and record["entities"] and record["places"] and record["quotes"] and record["times"]
    body_parts = {k: v for k, v in record.items() if k != "events"}
    spans = _spans(body_parts) + _spans([e for e in record["events"] if not e["in_title"]])
    assert len(spans) > 50
    for span in spans:
        assert record["body"][span["start"]:span["end"]] == span["text"], span


@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_every_input_failing_exits_non_zero_and_says_each_reason_once(tmp_path: Path, command: str) -> None:
    database = ["--db", _db(tmp_path)] if command == "ingest" else []
    missing = runner.invoke(app, [command, str(tmp_path / "nowhere.txt"), *database])
    assert missing.exit_code == EXIT_ALL_FAILED, missing.output
    assert missing.output.count("no such file or folder") == 1, missing.output
    for stdin in (b"", bytes(range(256)) * 4):
        result = runner.invoke(app, [command, "-", *database], input=stdin)
        assert result.exit_code == EXIT_ALL_FAILED and "0 " in result.output and "1 rejected" in result.output
    again = runner.invoke(app, [command, str(SAMPLES / "river-crossing-wire.txt"), *database])
    assert again.exit_code == 0, again.output


def test_ingest_of_nothing_new_is_a_success(tmp_path: Path) -> None:
    db = _db(tmp_path)
    for _ in range(2):  # the second run stores nothing: everything is already there, nothing failed
        result = runner.invoke(app, ["ingest", str(SAMPLES / "river-crossing-wire.txt"), "--db", db])
        assert result.exit_code == 0, result.output
    assert "1 already stored" in result.output


def test_extract_jsonl_gives_one_line_per_input_line_even_for_a_repeated_text(tmp_path: Path) -> None:
    text = (SAMPLES / "river-crossing-wire.txt").read_text(encoding="utf-8")
    other = "Road reopens\n\nWorkers repaired the bridge on Friday, officials said. " * 3
    records = [{"id": "a", "text": text}, {"id": "b", "text": other}, {"id": "c", "text": text, "url": "https://c.example/x"}]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = runner.invoke(app, ["extract", "--jsonl", str(corpus)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert lines[2]["url"] == "https://c.example/x" and lines[2]["body"] == lines[0]["body"]
    assert lines[2]["events"] == lines[0]["events"]
    assert "already stored" not in result.output and "3 extracted" in result.output


def test_help_shows_no_value_types_for_flags_and_keeps_sentences_whole() -> None:
    wide = {"COLUMNS": "200", "TERM": "dumb"}
    for command in (["--help"], ["ingest", "--help"], ["extract", "--help"], ["export", "--help"]):
        result = runner.invoke(app, command, env=wide)
        assert result.exit_code == 0, result.output
        for shown in ("<bool>", "<int>  -v", "<list[str]>", "{targets}"):
            assert shown not in result.output, (command, shown)
        assert "-vv" in result.output
    listing = runner.invoke(app, ["--help"], env=wide).output
    assert "copies of one story join one syndication group" in listing  # a docstring's line break is no break
    assert "oldest first (after upgrading" in listing
    ingest_help = runner.invoke(app, ["ingest", "--help"], env=wide).output
    assert "Exit status" in ingest_help and " 3 " in ingest_help


def test_gazetteer_build_if_missing_says_it_kept_the_file() -> None:
    path = get_gazetteer().path  # built once per test session
    before = Path(path).stat().st_mtime_ns
    result = runner.invoke(app, ["gazetteer", "build", "--path", str(path), "--if-missing"])
    assert result.exit_code == 0, result.output
    assert "kept the existing gazetteer" in result.output and "written" not in result.output
    assert Path(path).stat().st_mtime_ns == before
