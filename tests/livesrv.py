"""A real uvicorn server for tests: the eventsift app on 127.0.0.1, a free port, in a thread.

    with serve_app(create_app(db_url)) as base_url:
        httpx.get(f"{base_url}/events")

The ``live_server`` fixture (session-scoped, imported by conftest) serves the ``sample_db`` database
and yields its base URL, ``http://127.0.0.1:<port>``; treat that database as read-only. To write
(POST /articles), serve a copy: ``serve_app(create_app(copy_sqlite(sample_db, tmp_path)))``.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

__all__ = ["copy_sqlite", "live_server", "serve_app"]

START_TIMEOUT_S = 30


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread until the block ends; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the port is ours from here on: no race with other tests
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("the test server did not start (see the log above)")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def copy_sqlite(url: str, folder: Path) -> str:
    """A copy of a SQLite database (``sqlite:///path``) in ``folder``, as a URL; WAL content included."""
    source = url.removeprefix("sqlite:///")
    target = folder / f"copy-{Path(source).name}"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def live_server(sample_db: str) -> Iterator[str]:
    """Base URL of the app serving ``sample_db`` (read-only use)."""
    from eventsift.serve.api import create_app

    with serve_app(create_app(sample_db)) as base_url:
        yield base_url
