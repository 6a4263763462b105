"""The API under hostile input, through a real uvicorn server on 127.0.0.1 (issue 12, A1-A5).

A1-A3: every malformed parameter (huge integers, forged or deeply nested cursors, NUL bytes) is a 400
with a one-line reason, on SQLite and PostgreSQL, before the database. A4: a body over max_bytes is a
413, refused as it arrives. A5: write tokens, Host names, security headers.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from typer.testing import CliRunner

from eventsift.cli import app as cli_app
from eventsift.errors import ConfigError, QueryError
from eventsift.serve.api import create_app
from eventsift.serve.auth import SECURITY_HEADERS, create_token, load_hashes, token_matches
from eventsift.settings import Options
from eventsift.store.filters import MAX_CURSOR_CHARS, MAX_INT, Filters, encode_cursor
from eventsift.store.store import open_store

from .livesrv import serve_app
from .querydata import seed

pytest_plugins = ["tests.pg"]  # pg_url
pytestmark = pytest.mark.network

MAX_SECONDS = 2.0  # each hostile request is answered within this (they never reach the database)
EMPTY = {"text": "   "}  # an article the guard lets through and ingest refuses at once (422), no NLP run


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


# Each: path, query parameters, words the one-line reason must hold.
HOSTILE: list[tuple[str, dict[str, str], str]] = [
    ("/events", {"min_sources": "99999999999999999999"}, "min_sources"),
    ("/stories", {"min_sources": str(10**30)}, "min_sources"),
    ("/stats", {"min_sources": "9" * 5000}, "min_sources"),
    ("/actors", {"min_sources": "-1"}, "min_sources"),
    ("/events", {"min_sources": str(2**31)}, "min_sources"),  # one past the INTEGER columns
    ("/events", {"sort": "fatalities", "cursor": encode_cursor("fatalities", 2**31, "x")}, "cursor"),
    ("/events", {"limit": "99999999999999999999"}, "limit"),
    ("/places", {"limit": str(10**30)}, "limit"),
    ("/events", {"sort": "-fatalities", "cursor": encode_cursor("-fatalities", 10**30, "x")}, "cursor"),
    ("/events", {"sort": "-fatalities", "cursor": encode_cursor("-fatalities", -(10**30), "x")}, "cursor"),
    ("/stories", {"sort": "sources", "cursor": encode_cursor("sources", 10**19, "x")}, "cursor"),
    ("/events", {"sort": "fatalities", "cursor": encode_cursor("fatalities", True, "x")}, "cursor"),
    ("/events", {"cursor": encode_cursor("-date", "2024", "a\x00b")}, "cursor"),
    ("/events", {"cursor": encode_cursor("-date", "2" * 100, "x")}, "cursor"),
    ("/events", {"cursor": encode_cursor("-date", ["2024", {"a": 1}], "x")}, "cursor"),
    ("/events", {"cursor": _b64(b"[" * 1500)}, "cursor"),  # nested past Python's recursion limit
    ("/events", {"cursor": _b64(b"[" * 1500 + b"]" * 1500)}, "cursor"),
    ("/events", {"cursor": _b64(b"[" * 5000)}, "cursor"),  # longer than MAX_CURSOR_CHARS
    ("/events", {"cursor": "\u00e9\u00e9\u00e9"}, "cursor"),
    ("/export/events.csv", {"cursor": _b64(b"[" * 1500)}, "cursor"),
    ("/events", {"q": "a\x00b"}, "NUL"),
    ("/events", {"actor": "\x00"}, "NUL"),
    ("/events", {"event_type": "Battles\x00"}, "NUL"),
    ("/stories", {"status": "claimed\x00"}, "NUL"),
    ("/stats", {"sub_event_type": "\x00"}, "NUL"),
    ("/actors", {"name": "x\x00"}, "NUL"),
    ("/events", {"date_from": "2024\x00"}, "NUL"),
    ("/events/a%00b", {}, "NUL"),
    ("/stories/s%00", {}, "NUL"),
    ("/articles/%00", {}, "NUL"),
    ("/export/stories.jsonl", {"q": "\x00"}, "NUL"),
]


def _raw_get(base: str, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """GET with the query encoded as given (httpx refuses NUL and very long query strings itself)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        conn.request("GET", path + ("?" + urlencode(params) if params else ""))
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _serve_seeded(url: str) -> Iterator[str]:
    with open_store(url) as store:
        seed(store)
    with serve_app(create_app(url)) as base:
        yield base


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over hand-made events (querydata.seed), on SQLite and then on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'seeded.db'}"
    else:
        from .pg import reset_database  # imported here: tests.pg is loaded as a plugin first

        url = str(request.getfixturevalue("pg_url"))
        reset_database(url)
    yield from _serve_seeded(url)


# ------------------------------------------------------------------------------ A1-A3 parameters


@pytest.mark.parametrize(("path", "params", "words"), HOSTILE, ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(HOSTILE)])
def test_a_malformed_parameter_is_a_400_with_one_line(server: str, path: str, params: dict[str, str],
                                                      words: str) -> None:
    started = time.monotonic()
    status, headers, body = _raw_get(server, path, params)
    elapsed = time.monotonic() - started
    assert status == 400, body[:300]
    error = json.loads(body)["error"]
    assert words in error and "\n" not in error and len(error) < 300, error
    assert elapsed < MAX_SECONDS
    assert headers["x-content-type-options"] == "nosniff"


def test_the_server_keeps_answering_after_every_hostile_request(server: str) -> None:
    for path, params, _ in HOSTILE:
        _raw_get(server, path, params)
    good = httpx.get(f"{server}/events", params={"limit": 5, "sort": "-fatalities"}, timeout=30)
    assert good.status_code == 200 and len(good.json()["items"]) == 5
    following = httpx.get(f"{server}/events", params={"limit": 5, "sort": "-fatalities",
                                                      "cursor": good.json()["next"]}, timeout=30)
    assert following.status_code == 200 and following.json()["items"]  # a real cursor still works
    assert httpx.get(f"{server}/events", params={"min_sources": MAX_INT}, timeout=30).json()["items"] == []


def test_filters_refuse_nul_and_huge_numbers_without_the_api() -> None:
    for values in ({"q": "\x00"}, {"actor": "a\x00"}, {"status": "\x00"}, {"min_sources": 10**30},
                   {"min_sources": "9" * 5000}, {"cursor": "A" * (MAX_CURSOR_CHARS + 1)},
                   {"cursor": _b64(b"[" * 1500)}):
        with pytest.raises(QueryError) as caught:
            Filters(**values)
        assert "\n" not in str(caught.value)


# ------------------------------------------------------------------------------------- A4 bodies


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('capped') / 'capped.db'}"
    with serve_app(create_app(url, Options(max_bytes=50_000))) as base:
        yield base


def test_a_body_over_max_bytes_is_a_413(capped: str) -> None:
    body = json.dumps({"text": "Troops attacked the village. " * 2000}).encode()
    response = httpx.post(f"{capped}/articles", content=body, headers={"content-type": "application/json"},
                          timeout=30)
    assert response.status_code == 413, response.text
    assert "max_bytes" in response.json()["error"] and "50000" in response.json()["error"]
    small = httpx.post(f"{capped}/articles", json=EMPTY, timeout=30)
    assert small.status_code == 422 and "empty" in small.json()["error"]  # under the cap: read as usual


def test_a_declared_length_over_the_cap_is_refused_before_the_body_arrives(capped: str) -> None:
    parts = urlsplit(capped)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(f"POST /articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {10**9}\r\n\r\n".encode() + b'{"text": "')
        started, answer = time.monotonic(), b""
        while chunk := sock.recv(65536):  # the server closes the connection after its answer
            answer += chunk
    answer_text = answer.decode("latin-1")
    assert answer_text.startswith("HTTP/1.1 413") and "max_bytes" in answer_text
    assert time.monotonic() - started < MAX_SECONDS


def test_a_streamed_body_is_cut_off_at_the_cap(capped: str) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:  # 128 MiB offered, without a Content-Length
        nonlocal sent
        for _ in range(2048):
            sent += 65536
            yield b"x" * 65536

    try:
        response = httpx.post(f"{capped}/articles", content=chunks(), headers={"content-type": "application/json"},
                              timeout=30)
        assert response.status_code == 413 and "max_bytes" in response.json()["error"]
    except httpx.TransportError:
        pass  # the server closed the connection while the client was still sending: refused all the same
    assert sent < 16 * 2**20, f"the server read {sent} bytes before refusing"


def test_deeply_nested_json_in_a_body_is_a_client_error(capped: str) -> None:
    for body in ("[" * 20_000, json.dumps({"text": "x", "extra": json.loads("[" * 900 + "]" * 900)})):
        response = httpx.post(f"{capped}/articles", content=body.encode(), timeout=30,
                              headers={"content-type": "application/json"})
        assert response.status_code in (400, 422), response.text
        assert "\n" not in response.json()["error"]


# ------------------------------------------------------------------------------------- A5 tokens


def test_a_token_is_stored_only_as_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "tokens"
    first, second = create_token(path), create_token(path)
    stored = path.read_text(encoding="utf-8")
    assert first != second and len(first) >= 40
    assert first not in stored and second not in stored
    hashes = load_hashes(path)
    assert len(hashes) == 2 and all(h.startswith("sha256:") for h in hashes)
    assert token_matches(first, hashes) and token_matches(second, hashes)
    assert not token_matches(first[:-1], hashes) and not token_matches("", hashes)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("not a hash\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        load_hashes(path)


def test_token_create_prints_the_token_once_and_keeps_its_hash(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "home" / "config.toml"
    monkeypatch.setenv("EVENTSIFT_CONFIG", str(config))
    result = CliRunner().invoke(cli_app, ["token", "create"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    default = config.parent / "tokens"  # next to the user config
    assert token_matches(token, load_hashes(default)) and token not in default.read_text(encoding="utf-8")
    other = tmp_path / "elsewhere"
    again = CliRunner().invoke(cli_app, ["token", "create", "--file", str(other)])
    assert again.exit_code == 0 and token_matches(again.stdout.strip().splitlines()[-1], load_hashes(other))


@pytest.fixture
def token_file(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "tokens"
    return path, create_token(path)


def _post(base: str, token: str | None = None, **headers: str) -> httpx.Response:
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return httpx.post(f"{base}/articles", json=EMPTY, headers=headers, timeout=30)


def test_writes_need_a_token_beyond_loopback(tmp_path: Path, token_file: tuple[Path, str]) -> None:
    path, token = token_file
    options = Options(token_file=str(path))
    # The app is told it listens on every interface; the test reaches it on 127.0.0.1.
    with serve_app(create_app(f"sqlite:///{tmp_path / 'open.db'}", options, listen_host="0.0.0.0")) as base:
        missing, wrong, scheme = _post(base), _post(base, token + "x"), _post(base, authorization=f"Basic {token}")
        good = _post(base, token)
        read = httpx.get(f"{base}/events", timeout=30)
    for refused in (missing, wrong, scheme):
        assert refused.status_code == 401, refused.text
        assert refused.headers["www-authenticate"].startswith("Bearer") and "\n" not in refused.json()["error"]
    assert "Authorization: Bearer" in missing.json()["error"] and "not valid" in wrong.json()["error"]
    assert good.status_code == 422  # past the guard: the article itself is empty
    assert read.status_code == 200  # reads stay open unless protect_reads is set


def test_loopback_writes_are_open_unless_require_token(tmp_path: Path, token_file: tuple[Path, str]) -> None:
    path, token = token_file
    db = f"sqlite:///{tmp_path / 'loop.db'}"
    with serve_app(create_app(db, Options(token_file=str(path)))) as base:
        assert _post(base).status_code == 422
    with serve_app(create_app(db, Options(token_file=str(path), require_token=True))) as base:
        assert _post(base).status_code == 401 and _post(base, token).status_code == 422
        assert httpx.get(f"{base}/stats", timeout=30).status_code == 200
    with serve_app(create_app(db, Options(token_file=str(tmp_path / "none"), require_token=True))) as base:
        refused = _post(base, token)
    assert refused.status_code == 401 and "eventsift token create" in refused.json()["error"]


def test_protect_reads_guards_every_request(tmp_path: Path, token_file: tuple[Path, str]) -> None:
    path, token = token_file
    options = Options(token_file=str(path), protect_reads=True)
    with serve_app(create_app(f"sqlite:///{tmp_path / 'closed.db'}", options)) as base:
        assert httpx.get(f"{base}/events", timeout=30).status_code == 401
        assert httpx.get(f"{base}/openapi.json", timeout=30).status_code == 401
        auth = {"authorization": f"Bearer {token}"}
        assert httpx.get(f"{base}/events", headers=auth, timeout=30).status_code == 200
        assert _post(base).status_code == 401 and _post(base, token).status_code == 422


def test_only_allowed_host_names_are_answered(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hosts.db'}"
    with serve_app(create_app(db)) as base:
        port = urlsplit(base).port

        def status(host: str) -> int:
            return httpx.get(f"{base}/stats", headers={"host": host}, timeout=30).status_code

        assert [status(h) for h in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST")] == [200] * 4
        rebound = httpx.get(f"{base}/stats", headers={"host": f"attacker.example:{port}"}, timeout=30)
        assert rebound.status_code == 400 and "DNS rebinding" in rebound.json()["error"]
        assert _post(base, host="attacker.example").status_code == 400  # writes too
    with serve_app(create_app(db, Options(allowed_hosts=("events.example.org",)))) as base:
        named = httpx.get(f"{base}/stats", headers={"host": "events.example.org"}, timeout=30)
        assert named.status_code == 200 and httpx.get(f"{base}/stats", timeout=30).status_code == 400
    with serve_app(create_app(db, listen_host="192.0.2.7")) as base:  # the host it was started with
        assert httpx.get(f"{base}/stats", headers={"host": "192.0.2.7:8000"}, timeout=30).status_code == 200
    with serve_app(create_app(db, Options(allowed_hosts=("*",)))) as base:
        assert httpx.get(f"{base}/stats", headers={"host": "any.example"}, timeout=30).status_code == 200


def test_every_answer_carries_the_security_headers(tmp_path: Path) -> None:
    with serve_app(create_app(f"sqlite:///{tmp_path / 'headers.db'}", Options(max_bytes=1000))) as base:
        answers = [httpx.get(f"{base}/stats", timeout=30), httpx.get(f"{base}/events/nope", timeout=30),
                   httpx.get(f"{base}/stats", headers={"host": "evil.example"}, timeout=30),
                   httpx.post(f"{base}/articles", json={"text": "x" * 2000}, timeout=30)]
    assert [a.status_code for a in answers] == [200, 404, 400, 413]
    for answer in answers:
        assert all(answer.headers.get(name) == value for name, value in SECURITY_HEADERS), answer.headers


def test_serve_refuses_a_malformed_token_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw))  # never listens here
    bad = tmp_path / "tokens"
    bad.write_text("password123\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'token_file = "{bad}"\n', encoding="utf-8")
    monkeypatch.setenv("EVENTSIFT_CONFIG", str(config))
    args = ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}", "--require-token", "--allowed-hosts", "a.example"]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 2 and "not a sha256" in " ".join(result.output.split()) and not started
    bad.unlink()
    create_token(bad)
    assert CliRunner().invoke(cli_app, args).exit_code == 0 and started[0]["host"] == "127.0.0.1"


# ------------------------------------------------------------------------------------- OpenAPI


def test_the_openapi_document_describes_formats_and_refusals(tmp_path: Path) -> None:
    import re

    with serve_app(create_app(f"sqlite:///{tmp_path / 'spec.db'}")) as base:
        doc = httpx.get(f"{base}/openapi.json", timeout=30).json()
    params = {p["name"]: p for p in doc["paths"]["/events"]["get"]["parameters"]}
    date = re.compile(params["date_from"]["schema"]["pattern"])
    assert all(date.match(v) for v in ("2024", "2024-03", "2024-03-12"))
    assert not any(date.match(v) for v in ("2024-13", "24-03-12", "2024-03-12x", "2024-3"))
    assert all(f in params["date_to"]["description"] for f in ("YYYY-MM-DD", "YYYY-MM", "YYYY"))
    country = re.compile(params["country"]["schema"]["pattern"])
    assert country.match("RU,UA") and country.match("ru") and not country.match("Russia")
    admin1 = re.compile(params["admin1"]["schema"]["pattern"])
    assert admin1.match("RU-BEL") and not admin1.match("RU")
    assert params["min_sources"]["schema"]["anyOf"][0]["maximum"] == MAX_INT
    for path in ("/events", "/stories", "/stats", "/events/{event_id}"):
        assert "400" in doc["paths"][path]["get"]["responses"], path
    assert not date.match("0000") and date.match("")  # a blank form field means no filter
    bbox = re.compile(params["bbox"]["schema"]["pattern"])
    assert bbox.match("35,50,39,52") and bbox.match(" -1.5, .5 ,+3,4") and not bbox.match("35,50,39")
    post = doc["paths"]["/articles"]["post"]
    assert {"400", "401", "413", "422"} <= set(post["responses"])
    # An open loopback server states no token; one that needs a token for writes states it on POST only.
    assert "security" not in post
    options = Options(db=f"sqlite:///{tmp_path / 'spec.db'}", require_token=True, token_file=str(tmp_path / "t"))
    with serve_app(create_app(options.db, options)) as base:
        guarded = httpx.get(f"{base}/openapi.json", timeout=30).json()
    assert guarded["paths"]["/articles"]["post"]["security"] == [{"bearerToken": []}]
    assert "security" not in guarded["paths"]["/events"]["get"]
    assert "bearer" in json.dumps(guarded["components"]["securitySchemes"]).lower()
