"""The browser tests' shared pieces: Debian's chromium driven by playwright against a real server.

A database is built by the CLI from the sample articles and the reference article, served by
``create_app`` under uvicorn on 127.0.0.1 and a free port. Every test saves screenshots under
artifacts/screenshots/.

The browser is /usr/bin/chromium, Debian's package, which needs root to install (apt-get install
chromium; .ci/install-chromium.sh in CI). Nothing here downloads a browser. Without chromium the
tests skip with that reason, unless EVENTSIFT_REQUIRE_BROWSER is set (CI sets it), where they fail.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from typer.testing import CliRunner

from eventsift.cli import app as cli_app

from .conftest import REFERENCE, ROOT, SAMPLES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REQUIRE_BROWSER = bool(os.environ.get("EVENTSIFT_REQUIRE_BROWSER"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VENDOR = ROOT / "src" / "eventsift" / "serve" / "web" / "vendor"

SKIP_REASON = "chromium from Debian needs root: apt-get install chromium"
BROWSER_MARKS = [
    pytest.mark.network,
    # where the package cannot be installed the tests skip; CI sets EVENTSIFT_REQUIRE_BROWSER=1 and fails
    pytest.mark.skipif(not CHROMIUM.exists() and not REQUIRE_BROWSER, reason=SKIP_REASON),
]


@pytest.fixture(scope="session")
def ui_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of the sample articles and the reference article, built by `eventsift ingest`."""
    path = tmp_path_factory.mktemp("web-ui") / "ui.db"
    targets = [str(SAMPLES)] + ([str(REFERENCE)] if REFERENCE.exists() else [])
    result = CliRunner().invoke(cli_app, ["ingest", *targets, "--db", str(path), "--published", "2024-03-12"])
    assert result.exit_code == 0, result.output
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def server(ui_db: str) -> Iterator[str]:
    """The real app under uvicorn on 127.0.0.1 and a free port; yields its base URL."""
    import uvicorn

    from eventsift.serve.api import create_app

    if not (VENDOR / "leaflet" / "leaflet.js").exists():
        pytest.fail(f"{VENDOR} is missing: run `make install` (npm ci --prefix web, node web/vendor.mjs)")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(ui_db), log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, name="uvicorn-web-ui", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"EVENTSIFT_REQUIRE_BROWSER is set but {CHROMIUM} is missing ({SKIP_REASON}; "
                    "or run .ci/install-chromium.sh)")
    if REQUIRE_BROWSER:
        from playwright.sync_api import sync_playwright
    else:
        sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
        sync_playwright = sync_api.sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """A browser page on the server, recording every request and every script error."""

    def __init__(self, page: Any, base: str, name: str) -> None:
        self.page, self.base, self.name = page, base, name
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.set_default_timeout(20_000)

    def open(self, path: str = "/") -> None:
        self.page.goto(self.base + path)
        self.ready()

    def ready(self) -> None:
        """Wait until the map, list and timeline have loaded (the app sets body[data-state])."""
        self.page.wait_for_selector("body[data-state=ready]")

    def detail_ready(self) -> None:
        self.page.wait_for_selector("#detail[data-state=ready]")

    def shot(self, suffix: str = "") -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}{'-' + suffix if suffix else ''}.png"
        self.page.screenshot(path=str(path))
        return path

    def item_ids(self, testid: str = "event-item") -> list[str]:
        return self.page.eval_on_selector_all(f'[data-testid="{testid}"]', "els => els.map(e => e.dataset.id)")


@pytest.fixture
def ui(chromium: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = Page(context.new_page(), server, request.node.name)
    yield page
    page.shot("end")
    context.close()
    assert not page.errors, f"script errors on the page: {page.errors}"


def api(base: str, path: str, **params: Any) -> Any:
    url = f"{base}{path}{'?' + urlencode(params) if params else ''}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def all_events(base: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = api(base, "/events", limit=1000, **params, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page["next"]
        if not cursor:
            return items


def mapped(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("place") and e["place"].get("lat") is not None
            and e["place"].get("lon") is not None]


