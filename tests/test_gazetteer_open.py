"""Opening the gazetteer never builds it; the places stage needs its parsed doc and a built gazetteer."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventsift.cli import app
from eventsift.errors import ConfigError
from eventsift.pipeline import Runner, reading_stages
from eventsift.places.find import find_places, places_ready
from eventsift.places.gazetteer import Entry, get_gazetteer
from eventsift.records import Article
from eventsift.settings import Options


def test_opening_a_missing_gazetteer_names_the_command_and_builds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.sqlite"
    with pytest.raises(ConfigError, match=r"eventsift gazetteer build --path .*gazetteer\.sqlite"):
        get_gazetteer(str(path))
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_the_default_gazetteer_missing_says_the_plain_command(no_gazetteer: Path) -> None:
    with pytest.raises(ConfigError, match=r"build it with `eventsift gazetteer build`$"):
        places_ready(Options())
    assert list(no_gazetteer.iterdir()) == []


def test_reading_the_gazetteer_never_loads_the_build() -> None:
    code = ("import sys; from eventsift.places.find import resolve_name; resolve_name('Kharkiv'); "
            "print('eventsift.places.gazetteer_build' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_find_places_needs_the_parsed_doc() -> None:
    article = Article(id="no-doc", source_kind="text", body="Shelling hit Kharkiv.")
    with pytest.raises(ConfigError, match="stage 'places' needs doc"):
        find_places(article, Options())


def test_a_lookup_reads_back_the_record_the_build_wrote() -> None:
    entry = get_gazetteer().admin1("RU-BEL")
    assert isinstance(entry, Entry) and entry.kind == "admin1"
    assert entry.admin1_code == "RU.09"  # GeoNames' own code, kept by the build on the same record
    found = [e for e in get_gazetteer().lookup("Belgorod Oblast") if e.geonameid == entry.geonameid]
    assert found and found[0].admin1_code == "RU.09"


@pytest.fixture
def no_gazetteer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder: no gazetteer is built there."""
    monkeypatch.setenv("EVENTSIFT_CACHE", str(tmp_path))
    get_gazetteer.cache_clear()
    yield tmp_path
    get_gazetteer.cache_clear()


def test_a_run_without_a_gazetteer_stops_at_the_start(no_gazetteer: Path) -> None:
    with pytest.raises(ConfigError, match="eventsift gazetteer build"):
        Runner(reading_stages(), Options())
    assert list(no_gazetteer.iterdir()) == []


def test_the_lookup_command_without_a_gazetteer_says_what_to_run(no_gazetteer: Path) -> None:
    result = CliRunner().invoke(app, ["gazetteer", "lookup", "Kharkiv"])
    assert result.exit_code == 2 and "eventsift gazetteer build" in result.output


def test_extract_without_a_gazetteer_fails_with_the_command_not_a_traceback(no_gazetteer: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "articles" / "depot-strike-wire.txt"
    result = CliRunner().invoke(app, ["extract", str(sample)])
    assert result.exit_code == 2 and "eventsift gazetteer build" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
