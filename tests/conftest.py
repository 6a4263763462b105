"""Shared fixtures: paths to ../shared, the reference article, and options for tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eventsift.settings import Options

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference" / "belgorod-raid.txt"
REFERENCE_EXPECTED = SHARED / "reference" / "belgorod-raid.expected.yaml"
SAMPLES = ROOT / "samples" / "articles"


@pytest.fixture(scope="session", autouse=True)
def gazetteer_built() -> None:
    """Opening the gazetteer never builds it: the session builds it once where it is missing (as
    `make install-test` does; about 40 s, once per machine)."""
    from eventsift.places.gazetteer_build import ensure_gazetteer

    ensure_gazetteer()


@pytest.fixture
def options(tmp_path: Path) -> Options:
    return Options(db=f"sqlite:///{tmp_path / 'test.db'}")


@pytest.fixture(scope="session")
def reference_text() -> str:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} not found: the reference article lives in ../shared")
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def reference_expected() -> dict:
    if not REFERENCE_EXPECTED.exists():
        pytest.skip(f"{REFERENCE_EXPECTED} not found")
    return yaml.safe_load(REFERENCE_EXPECTED.read_text(encoding="utf-8"))


# --- a database with the sample articles ingested, and a live server over it (tests/livesrv.py) ---

from .browser import chromium, server, ui, ui_db  # noqa: F401  (fixtures of the browser tests)
from .livesrv import live_server  # noqa: F401  (fixture: base URL of the app over sample_db)

SAMPLE_PUBLISHED = "2024-03-12"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite URL of a database built by ingesting samples/articles and the reference article with
    ``--published 2024-03-12``; shared by the whole session, so treat it as read-only."""
    from eventsift.store.store import open_store
    from eventsift.workflow import ingest

    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} not found: the reference article lives in ../shared")
    url = f"sqlite:///{tmp_path_factory.mktemp('sample-db') / 'samples.db'}"
    with open_store(url) as store:
        ingest([str(SAMPLES), str(REFERENCE)], store, Options(db=url), published=SAMPLE_PUBLISHED)
    return url
