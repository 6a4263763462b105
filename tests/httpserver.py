"""A small real HTTP server for tests: 127.0.0.1, a free port, routes you declare.

    with LocalServer() as server:
        server.route("/feed.xml", body=rss, content_type="application/rss+xml", etag='"v1"')
        fetch_url(server.url("/feed.xml"), ...)
        assert server.count("/feed.xml") == 1
        assert server.requests_to("/feed.xml")[0].header("user-agent").startswith("eventsift")

Each route answers with a status, headers and body, optionally after a delay (for timeouts), and
answers ``304 Not Modified`` by itself when the request's ``If-None-Match`` / ``If-Modified-Since``
matches the route's ``etag`` / ``last_modified``. Paths without a route get 404. Every request is
recorded (method, path, headers). Use it as a context manager or through the ``http_server`` fixture: import ``http_server_fixture``
into a test module (``from httpserver import http_server_fixture  # noqa: F401``) and take an
``http_server`` argument.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

import pytest

__all__ = ["LocalServer", "Reply", "Route", "SeenRequest", "http_server_fixture"]


@dataclass(frozen=True)
class SeenRequest:
    """One request as the server received it; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Reply:
    """What a dynamic route handler returns."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    etag: str | None = None
    last_modified: str | None = None
    handler: Callable[[SeenRequest], Reply] | None = None

    def reply(self, request: SeenRequest) -> Reply:
        if self.handler is not None:
            return self.handler(request)
        headers = dict(self.headers)
        if self.etag:
            headers["ETag"] = self.etag
        if self.last_modified:
            headers["Last-Modified"] = self.last_modified
        if self._not_modified(request):
            return Reply(304, b"", headers)
        return Reply(self.status, self.body, headers)

    def _not_modified(self, request: SeenRequest) -> bool:
        inm = request.header("if-none-match")
        if self.etag and inm is not None:
            return self.etag in [tag.strip() for tag in inm.split(",")]
        ims = request.header("if-modified-since")
        return bool(self.last_modified) and ims == self.last_modified


class LocalServer:
    """A threaded HTTP/1.0 server on 127.0.0.1 with declared routes; records every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
        **options: Any,
    ) -> Route:
        """Declare (or replace) what ``path`` answers; ``options`` are the other :class:`Route` fields."""
        all_headers = dict(headers or {})
        if content_type:
            all_headers["Content-Type"] = content_type
        data = body.encode("utf-8") if isinstance(body, str) else body
        route = Route(status=status, body=data, headers=all_headers, **options)
        self.routes[path] = route
        return route

    def redirect(self, path: str, to: str, status: int = 302) -> Route:
        return self.route(path, status=status, headers={"Location": to})

    def count(self, path: str) -> int:
        return len(self.requests_to(path))

    def requests_to(self, path: str) -> list[SeenRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def record(self, request: SeenRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def find(self, path: str) -> Route | None:
        return self.routes.get(path) or self.routes.get(path.split("?", 1)[0])

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping (timeout tests) must not hold up the test
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up early (timeouts, size caps) are expected; stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        seen = SeenRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        owner.record(seen)
        route = owner.find(self.path)
        if route is None:
            self._send(Reply(404, b"not found", {"Content-Type": "text/plain"}), True)
            return
        if route.delay:
            time.sleep(route.delay)
        self._send(route.reply(seen), route.send_length)

    def _send(self, reply: Reply, send_length: bool) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if send_length:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log lines."""


@pytest.fixture(name="http_server")
def http_server_fixture() -> Iterator[LocalServer]:
    """A running :class:`LocalServer`, stopped after the test."""
    with LocalServer() as server:
        yield server
