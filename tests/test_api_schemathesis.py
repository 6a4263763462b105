"""Schemathesis with every check (`--checks all`) against a real server on 127.0.0.1 (issue 12).

The run generates requests from the served OpenAPI document (examples, coverage, fuzzing and
stateful phases) and fails on any 5xx, any status, header or body the document does not describe,
invalid data accepted, valid data refused, or a token not enforced. It runs against a seeded SQLite
database, the same on PostgreSQL, and a server that requires a write token.

What the document cannot say is stated in the configuration written below, each with its reason:
  - a list route may refuse a request whose every parameter matches its schema with 400, for rules that
    tie parameters together or need a calendar (date_from after date_to; south above north; a
    longitude past 180; 2023-02-29) or for a cursor this API never handed out (a cursor is opaque);
  - POST /articles may answer 422 for a well-formed body whose content cannot be read (no article
    text in the HTML, binary text).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eventsift.serve.api import create_app
from eventsift.serve.auth import create_token
from eventsift.settings import Options
from eventsift.store.store import open_store

from .livesrv import serve_app
from .querydata import seed

pytestmark = pytest.mark.network
pytest_plugins = ["tests.pg"]  # pg_url

MAX_EXAMPLES = 10
RUN_TIMEOUT_S = 300
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

CONFIG = """
seed = 1
[checks.positive_data_acceptance]
# 400: rules between parameters, calendar dates and opaque cursors (see this module's docstring).
expected-statuses = ["2xx", "400", "404"]

[[operations]]
include-path = "/articles"
include-method = "POST"
# 422: a well-formed body whose content cannot be read as an article.
checks.positive_data_acceptance.expected-statuses = ["2xx", "422"]

[parameters]
event_id = "{event_id}"
story_id = "{story_id}"
article_id = "{article_id}"
fmt = "csv"
"""


def _seeded_url(kind: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'seeded.db'}"
    else:
        from .pg import reset_database  # imported here: tests.pg is loaded as a plugin first

        url = str(request.getfixturevalue("pg_url"))
        reset_database(url)
    with open_store(url) as store:
        seed(store)
    return url


def _known_ids(base: str, headers: dict[str, str]) -> dict[str, str]:
    """An event, story and article id the server holds, so the id routes are tested past their 404."""
    event = httpx.get(f"{base}/events", params={"limit": 1}, headers=headers).json()["items"][0]
    story = httpx.get(f"{base}/stories", params={"limit": 1}, headers=headers).json()["items"][0]
    return {"event_id": event["id"], "story_id": story["id"], "article_id": event["article"]["id"]}


def _run_schemathesis(base: str, folder: Path, token: str | None = None,
                      phases: str = "examples,coverage,fuzzing,stateful") -> subprocess.CompletedProcess[str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    config = folder / "schemathesis.toml"
    config.write_text(CONFIG.format(**_known_ids(base, headers)), encoding="utf-8")
    command = [str(SCHEMATHESIS), "--config-file", str(config), "run", f"{base}/openapi.json",
               "--checks", "all", "--max-examples", str(MAX_EXAMPLES), "--workers", "1",
               "--request-timeout", "20", "--no-color", "--phases", phases]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    env = {**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "HYPOTHESIS_STORAGE_DIRECTORY": str(folder / "hyp")}
    return subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=env, cwd=folder,
                          check=False)


def _assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"schemathesis found problems:\n{output[-6000:]}"
    assert "generated" in output  # it really ran test cases


@pytest.fixture(scope="module", autouse=True)
def _schemathesis_installed() -> None:
    if not SCHEMATHESIS.exists() and shutil.which("schemathesis") is None:
        pytest.fail("schemathesis is a test dependency (pyproject's test extra): pip install -e '.[test]'")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def open_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An open loopback server (no token needed) over seeded events, on SQLite and on PostgreSQL."""
    url = _seeded_url(request.param, request, tmp_path)
    with serve_app(create_app(url)) as base:
        yield base


def test_every_check_passes_on_an_open_server(open_server: str, tmp_path: Path) -> None:
    _assert_clean(_run_schemathesis(open_server, tmp_path))


def test_every_check_passes_where_every_request_needs_a_token(request: pytest.FixtureRequest,
                                                                tmp_path: Path) -> None:
    """protect_reads: the document states the bearer token on every route, and schemathesis checks
    that a request without it, or with a wrong one, is refused (ignored_auth)."""
    url = _seeded_url("sqlite", request, tmp_path)
    token_file = tmp_path / "tokens"
    token = create_token(token_file)
    options = Options(db=url, protect_reads=True, token_file=str(token_file))
    with serve_app(create_app(url, options)) as base:
        served = httpx.get(f"{base}/openapi.json", headers={"Authorization": f"Bearer {token}"}).json()
        assert all(op.get("security") for ops in served["paths"].values() for op in ops.values())
        # The open-server runs cover coverage and stateful phases; here the point is the token.
        result = _run_schemathesis(base, tmp_path, token, phases="examples,fuzzing")
    _assert_clean(result)
