"""Guards in front of the API: allowed Host names, write tokens, the request body cap, NUL bytes.

    eventsift token create            -> prints a new token once; the token file keeps only its hash
    app.add_middleware(RequestGuard, policy=Policy.for_server(options, host))

A token is 32 random bytes (``secrets.token_urlsafe``); the token file holds one ``sha256:<hex>`` line
per token, so a copy of the file gives no way to write. A presented token is hashed and compared with
every stored hash in constant time (``hmac.compare_digest``). A random token has full entropy, so a
plain SHA-256 is as strong as a slow password hash here and costs nothing per request.

The guard answers before the app (and so before the database) runs, in this order:

    400  the Host header is not an allowed name (DNS rebinding: a web page reaching a local server)
    400  a NUL byte in the path or the query string (PostgreSQL refuses NUL in text)
    401  a write (POST) without a valid ``Authorization: Bearer <token>`` when the server listens
         beyond loopback or ``require_token`` is set; any request when ``protect_reads`` is set
    413  a body over ``max_bytes``: refused on its Content-Length, or as soon as the bytes read so far
         pass the cap, without reading the rest
and adds the security headers to every answer.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from ..errors import ConfigError
from ..settings import Options, user_config_path

__all__ = [
    "BEARER_SCHEME",
    "LOOPBACK_NAMES",
    "SECURITY_HEADERS",
    "BodyTooLarge",
    "Policy",
    "RequestGuard",
    "create_token",
    "document_security",
    "load_hashes",
    "token_matches",
    "token_path",
]

logger = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
# Sent with every answer: no MIME sniffing, no framing (clickjacking), no referrer to other sites.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-resource-policy", "same-origin"),
)
_TOKEN_BYTES = 32
_HASH_PREFIX = "sha256:"
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


# ------------------------------------------------------------------------------------------ tokens


def token_path(options: Options) -> Path:
    """The token file: the ``token_file`` setting, else ``tokens`` next to the user config file."""
    return Path(options.token_file).expanduser() if options.token_file else user_config_path().parent / "tokens"


def _digest(token: str) -> str:
    return _HASH_PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(path: Path) -> str:
    """A new random token; its hash is appended to ``path`` (created owner-only), the token returned."""
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(_digest(token) + "\n")
    except OSError as exc:
        raise ConfigError(f"cannot write the token file {path}: {exc}") from exc
    return token


def load_hashes(path: Path) -> tuple[str, ...]:
    """The stored token hashes (none when the file is missing); a malformed line is a ConfigError."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the token file {path}: {exc}") from exc
    hashes = tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    bad = [n for n, h in enumerate(hashes, 1) if not (h.startswith(_HASH_PREFIX) and len(h) == len(_digest("")))]
    if bad:
        raise ConfigError(f"token file {path}: line {bad[0]} is not a sha256:<hex> hash")
    return hashes


def token_matches(presented: str, hashes: tuple[str, ...]) -> bool:
    """Whether ``presented`` is one of the stored tokens; every hash is compared, in constant time."""
    digest = _digest(presented).encode("ascii")
    found = False
    for stored in hashes:
        found |= hmac.compare_digest(digest, stored.encode("ascii"))
    return found


# ------------------------------------------------------------------------------------------ policy


def _host_name(header: str) -> str:
    """The name of a Host header without its port: ``[::1]:8000`` -> ``::1``, ``a.b:80`` -> ``a.b``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


@dataclass(frozen=True)
class Policy:
    """What the guard allows: host names (empty: any), whether writes and reads need a token, the
    token hashes and the body cap."""

    allowed_hosts: frozenset[str]
    tokens_for_writes: bool
    tokens_for_reads: bool
    hashes: tuple[str, ...]
    max_body: int
    token_file: str = ""

    @classmethod
    def for_server(cls, options: Options, listen_host: str) -> Policy:
        """The policy of a server listening on ``listen_host`` with these settings."""
        listen = _host_name(listen_host) if listen_host.startswith("[") else listen_host.strip().lower()
        named = {h.strip().lower() for h in options.allowed_hosts if h.strip()}
        hosts = frozenset() if "*" in named else frozenset(named or (LOOPBACK_NAMES | {listen}))
        beyond_loopback = listen not in LOOPBACK_NAMES
        reads, writes = options.protect_reads, options.protect_reads or options.require_token or beyond_loopback
        path = token_path(options)
        hashes = load_hashes(path) if (reads or writes) else ()
        if (reads or writes) and not hashes:
            logger.warning("the API needs a token but %s holds none: run `eventsift token create`", path)
        return cls(hosts, writes, reads, hashes, options.max_bytes, str(path))

    def host_problem(self, host: str | None) -> str | None:
        if not self.allowed_hosts:
            return None
        if not host:
            return "the request has no Host header"
        if _host_name(host) not in self.allowed_hosts:
            return (f"Host {host[:100]!r} is not an allowed name of this server "
                    "(setting allowed_hosts; it guards against DNS rebinding)")
        return None

    def needs_token(self, method: str) -> bool:
        return self.tokens_for_reads or (self.tokens_for_writes and method in _WRITE_METHODS)

    def token_problem(self, authorization: str | None) -> str | None:
        if not authorization:
            return "this request needs a write token: send 'Authorization: Bearer <token>' (eventsift token create)"
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return "the Authorization header must be 'Bearer <token>'"
        if not self.hashes:
            return f"no token exists yet in {self.token_file}: run `eventsift token create` on the server"
        if not token_matches(token.strip(), self.hashes):
            return "the token is not valid (create one with `eventsift token create`)"
        return None


# ------------------------------------------------------------------------------------------ the guard


class BodyTooLarge(HTTPException):
    """The body read so far is over the cap: raised from ``receive``, so the app's error handling
    answers 413 (FastAPI turns other exceptions while reading a body into 400s)."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message, headers={"Connection": "close"})


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _has_nul(scope: Scope) -> str | None:
    raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    if b"\x00" in unquote_to_bytes(raw_path) or "\x00" in scope.get("path", ""):
        return "the path holds a NUL byte (\\x00)"
    if b"\x00" in unquote_to_bytes(scope.get("query_string", b"").replace(b"+", b" ")):
        return "a query parameter holds a NUL byte (\\x00)"
    return None


def _declared_length(headers: dict[str, str]) -> int | None:
    value = headers.get("content-length")
    return int(value) if value is not None and value.strip().isdigit() and len(value) < 20 else None


class RequestGuard:
    """ASGI middleware applying a :class:`Policy` before the app sees the request."""

    def __init__(self, app: App, policy: Policy) -> None:
        self.app, self.policy = app, policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secured = _with_headers(send)
        problem, status = self._refusal(scope)
        if problem:
            await _refuse(status, problem, scope, receive, secured)
            return
        await self.app(scope, self._capped(receive), secured)

    def _refusal(self, scope: Scope) -> tuple[str | None, int]:
        headers = _headers(scope)
        for status, problem in (
            (400, self.policy.host_problem(headers.get("host"))),
            (400, _has_nul(scope)),
            (401, self.policy.token_problem(headers.get("authorization"))
             if self.policy.needs_token(scope["method"]) else None),
        ):
            if problem:
                return problem, status
        length = _declared_length(headers)
        if length is not None and length > self.policy.max_body:
            return self._too_large(length), 413
        return None, 0

    def _too_large(self, length: int | None = None) -> str:
        size = f" ({length} bytes)" if length is not None else ""
        return f"the request body{size} is over the {self.policy.max_body}-byte cap (setting max_bytes)"

    def _capped(self, receive: Receive) -> Receive:
        """``receive`` that counts body bytes and stops at the cap, before the rest is read."""
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.policy.max_body:
                    raise BodyTooLarge(self._too_large())
            return message

        return capped


def _with_headers(send: Send) -> Send:
    async def secured(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS if k.encode() not in present]
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return secured


async def _refuse(status: int, problem: str, scope: Scope, receive: Receive, send: Send) -> None:
    headers = {"WWW-Authenticate": 'Bearer realm="eventsift"'} if status == 401 else {}
    if status == 413:
        headers["Connection"] = "close"  # the rest of the body is never read
    await JSONResponse({"error": problem}, status_code=status, headers=headers)(scope, receive, send)


# --------------------------------------------------------------------------------- the document

BEARER_SCHEME = "bearerToken"


def document_security(app: FastAPI, policy: Policy) -> None:
    """The OpenAPI document states the bearer token on exactly the operations this server's policy
    guards (auth.RequestGuard checks it before any route): writes beyond loopback or with
    require_token, every route with protect_reads; none on an open loopback server."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        guarded = [op for ops in schema.get("paths", {}).values() for method, op in ops.items()
                   if policy.needs_token(method.upper())]
        if guarded:
            schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
            schemes[BEARER_SCHEME] = {"type": "http", "scheme": "bearer",
                                "description": "A token from `eventsift token create`."}
            for operation in guarded:
                operation["security"] = [{BEARER_SCHEME: []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
