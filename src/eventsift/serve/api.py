"""The HTTP API and the web UI: one FastAPI app over one store.

    app = create_app("sqlite:///events.db")      # eventsift serve runs it with uvicorn

Endpoints (docs/api.md has the shapes and examples):

    GET  /events, /events/{id}          event items, paged with a cursor
    GET  /stories, /stories/{id}        story items (one story with its event items)
    GET  /articles/{id}                 the extract-format record of an article, with its cleaning
    POST /articles                      ingest one article (201; 200 when already stored)
    GET  /actors, /places, /stats       counts over the matching events
    GET  /export/events.{format}        every matching event as csv, geojson, parquet or jsonl
    GET  /export/stories.{format}       the same for story items
    GET  /                              the web UI; its files under /static

The read side is :mod:`eventsift.store.query`; this module only parses requests and shapes answers. Errors
become JSON ``{"error": message}`` in one place, :func:`_add_error_handlers`: unknown ids 404, bad
filters 400, an article that cannot be read 422, a database failure 503. Before any route,
:class:`eventsift.serve.auth.RequestGuard` refuses Host names not allowed and NUL bytes (400), missing write
tokens (401) and bodies over ``max_bytes`` (413), and adds the security headers.
"""

from __future__ import annotations

import io
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, BinaryIO

from fastapi import FastAPI, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import ConfigError, EventsiftError, InputError, QueryError, StoreError, one_line
from ..settings import Options
from ..store.query import (
    DEFAULT_LIMIT,
    article_events,
    get_event,
    get_story,
    iter_event_items,
    iter_story_items,
    list_actors,
    list_events,
    list_places,
    list_stories,
    stats,
)
from ..store.short_ids import resolve_id
from ..store.store import Store, open_store
from .auth import Policy, RequestGuard, document_security
from .map_labels import add_map_routes
from .models import (
    ActorCount,
    ArticleIn,
    CountList,
    ErrorBody,
    Ingested,
    ItemPage,
    PlaceCount,
    Stats,
)
from .params import Limit, PageFilters, StoreDep, WhereFilters

__all__ = ["create_app", "web_root"]

logger = logging.getLogger(__name__)

DESCRIPTION = """Events read from news reports, every value with the words it was read from.

List endpoints answer `{"items": [...], "next": cursor | null}`; pass `next` back as `cursor`.
Errors answer `{"error": "one line"}`. See docs/api.md for the item shapes."""
_CHUNK = 64 * 1024
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad filter, sort or cursor (a value out of range, a NUL byte, "
                                             "a cursor not handed out by this API) or a Host name not allowed"},
    401: {"model": ErrorBody, "description": "A token is required (setting protect_reads) and none or a wrong "
                                             "one was sent"},
    503: {"model": ErrorBody, "description": "The database is unavailable"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {**_ERRORS, 404: {"model": ErrorBody, "description": "No such id"}}


def _found(item: dict[str, Any] | None, what: str, key: str) -> dict[str, Any]:
    if item is None:
        raise HTTPException(404, f"no {what} {key!r}")
    return item


# ----------------------------------------------------------------------------------- the routes


def _add_read_routes(app: FastAPI) -> None:
    @app.get("/events", response_model=ItemPage, responses=_ERRORS, tags=["events"])
    def events(store: StoreDep, filters: PageFilters) -> dict[str, Any]:
        """Event items matching the filters, one page at a time."""
        return list_events(store, filters).to_dict()

    @app.get("/events/{event_id:path}", responses=_NOT_FOUND, tags=["events"])
    def event(store: StoreDep, event_id: Annotated[str, PathParam(description="{article_id}:{e1}; any id may be a unique prefix")]) -> dict[str, Any]:
        """One event item."""
        return _found(get_event(store, resolve_id(store, "event", event_id)), "event", event_id)

    @app.get("/stories", response_model=ItemPage, responses=_ERRORS, tags=["stories"])
    def stories(store: StoreDep, filters: PageFilters) -> dict[str, Any]:
        """Story items (events merged across articles) matching the filters, one page at a time."""
        return list_stories(store, filters).to_dict()

    @app.get("/stories/{story_id}", responses=_NOT_FOUND, tags=["stories"])
    def story(store: StoreDep, story_id: str) -> dict[str, Any]:
        """One story item, with its event items under `event_items`."""
        return _found(get_story(store, resolve_id(store, "story", story_id)), "story", story_id)

    @app.get("/articles/{article_id:path}", responses=_NOT_FOUND, tags=["articles"])
    def article(store: StoreDep, article_id: str) -> dict[str, Any]:
        """The extract-format record of a stored article, with what cleaning removed and repaired."""
        from ..export.output import extract_record

        found = store.get_article_exact(resolve_id(store, "article", article_id))
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        record = extract_record(found)
        record["cleaning"] = {"removed": record["removed"], "repairs": record["repairs"]}
        return record

    @app.get("/actors", response_model=CountList, responses=_ERRORS, tags=["counts"])
    def actors(store: StoreDep, filters: WhereFilters, limit: Limit = DEFAULT_LIMIT,
               name: Annotated[str | None, Query(description="Names containing this.")] = None) -> dict[str, Any]:
        """Actor names of the matching events, with event counts, most first."""
        rows = list_actors(store, filters, name=name, limit=limit)
        return {"items": [ActorCount(**r).model_dump() for r in rows], "next": None}

    @app.get("/places", response_model=CountList, responses=_ERRORS, tags=["counts"])
    def places(store: StoreDep, filters: WhereFilters, limit: Limit = DEFAULT_LIMIT) -> dict[str, Any]:
        """Places of the matching events, with event counts, most first."""
        return {"items": [PlaceCount(**r).model_dump() for r in list_places(store, filters, limit=limit)],
                "next": None}

    @app.get("/stats", response_model=Stats, responses=_ERRORS, tags=["counts"])
    def statistics(store: StoreDep, filters: WhereFilters) -> JSONResponse:
        """Counts of the matching events by day, type and region."""
        # Sent as built: thousands of day counts through the response model cost more than the query
        # (query.stats builds exactly the Stats shape; the tests and schemathesis check it).
        return JSONResponse(stats(store, filters))


def _add_write_routes(app: FastAPI) -> None:
    responses: dict[int | str, dict[str, Any]] = {
        200: {"model": Ingested, "description": "The same content was already stored"},
        400: {"model": ErrorBody, "description": "The body is not JSON, or a Host name not allowed"},
        401: {"model": ErrorBody, "description": "A write token is required (the server listens beyond loopback, "
                                                 "or setting require_token) and none or a wrong one was sent"},
        413: {"model": ErrorBody, "description": "The body is over the max_bytes cap (refused as it arrives)"},
        422: {"model": ErrorBody, "description": "The article could not be read (the reason)"},
        503: _ERRORS[503],
    }

    @app.post("/articles", status_code=201, response_model=Ingested, responses=responses, tags=["articles"])
    def post_article(body: ArticleIn, request: Request, response: Response, store: StoreDep) -> Ingested:
        """Ingest one article: read it, code its events, store it and merge its events into stories."""
        from ..ingest.sources import (
            article_from_json,  # one JSONL object -> Article, as `ingest --jsonl` reads it
        )
        from ..workflow import ingest_items

        article = article_from_json(body.model_dump(exclude_none=True), "POST /articles")
        with request.app.state.ingest_lock:
            existing = store.article_id_for_hash(str(article.content_hash))
            if existing is None:
                summary, done = ingest_items([article], store, request.app.state.options)
                if summary.rejects:
                    reject = summary.rejects[0]
                    raise InputError(f"{reject.stage}: {reject.reason}")
                existing = done[0].id if done else store.article_id_for_hash(str(article.content_hash))
            else:
                summary = None
        if existing is None:  # pragma: no cover - the runner either stores, skips or rejects
            raise StoreError(f"article {article.id} was neither stored nor rejected")
        stored = summary is not None and summary.done > 0
        response.status_code = 201 if stored else 200
        return _ingested(store, existing, stored)


def _ingested(store: Store, article_id: str, stored: bool) -> Ingested:
    items = article_events(store, article_id)
    found = store.get_article_exact(article_id)
    stories = list(dict.fromkeys(i["story_id"] for i in items if i.get("story_id")))
    return Ingested(id=article_id, stored=stored, halted=found.halted if found else None,
                    events=[i["id"] for i in items], stories=stories)


# ----------------------------------------------------------------------------------------- exports


class _Pipe(io.RawIOBase):
    """A binary stream an exporter writes to on one thread while the response reads it on another."""

    def __init__(self, chunks: queue.Queue[Any], stop: threading.Event) -> None:
        self._chunks, self._stop = chunks, stop
        self._buffer = bytearray()
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._buffer += chunk
        self._written += len(chunk)
        if len(self._buffer) >= _CHUNK:
            self.flush()
        return len(chunk)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        if self._buffer:
            self.put(bytes(self._buffer))
            self._buffer.clear()

    def put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise _Cancelled


class _Cancelled(Exception):
    """The client went away: the exporter thread stops writing."""


def _pipe_chunks(write: Callable[[BinaryIO], int]) -> Iterator[bytes]:
    """Run ``write`` on a thread and yield what it writes; its exception is raised here."""
    chunks: queue.Queue[Any] = queue.Queue(maxsize=16)
    stop = threading.Event()
    pipe = _Pipe(chunks, stop)

    def run() -> None:
        try:
            count = write(pipe)  # type: ignore[arg-type]
            pipe.flush()
            pipe.put(None)
            logger.info("exported %d rows", count)
        except _Cancelled:
            logger.info("export stopped: the client went away")
        except BaseException as exc:  # noqa: BLE001 - handed to the reading side
            if not stop.is_set():
                pipe.put(exc)

    threading.Thread(target=run, name="eventsift-export", daemon=True).start()
    try:
        while (chunk := chunks.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        stop.set()


def _export(target: str, fmt: str, items: Callable[[], Iterator[dict[str, Any]]]) -> StreamingResponse:
    from ..export.exporters import get_exporter

    try:
        exporter = get_exporter(fmt, target)
    except ConfigError as exc:
        raise HTTPException(404, str(exc)) from exc
    chunks = _pipe_chunks(lambda out: exporter.write(items(), out))
    first = next(chunks, b"")  # errors before the first byte still get a proper error answer
    body = _prepend(first, chunks)
    headers = {"Content-Disposition": f'attachment; filename="{target}{exporter.suffix}"'}
    return StreamingResponse(body, media_type=exporter.media_type, headers=headers)


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


Format = Annotated[str, PathParam(description="csv, geojson, parquet or jsonl (or a plugin's format)")]


def _add_export_routes(app: FastAPI) -> None:

    @app.get("/export/events.{fmt}", response_class=StreamingResponse, responses=_NOT_FOUND, tags=["export"])
    def export_events(store: StoreDep, filters: PageFilters,
                      fmt: Format) -> StreamingResponse:
        """Every matching event item in one file, in the sort order (`limit` and `cursor` are ignored)."""
        return _export("events", fmt, lambda: iter_event_items(store, filters))

    @app.get("/export/stories.{fmt}", response_class=StreamingResponse, responses=_NOT_FOUND, tags=["export"])
    def export_stories(store: StoreDep, filters: PageFilters,
                       fmt: Format) -> StreamingResponse:
        """Every matching story item in one file (`limit` and `cursor` are ignored)."""
        return _export("stories", fmt, lambda: iter_story_items(store, filters))


# ------------------------------------------------------------------------------------- the web UI


def web_root() -> Path:
    """The folder of the web UI's files inside the installed package."""
    return Path(str(resources.files("eventsift.serve").joinpath("web")))


def _web_problem(root: Path) -> str | None:
    if not (root / "index.html").is_file():
        return f"the web UI is not installed ({root / 'index.html'} is missing): reinstall eventsift"
    if not (root / "vendor").is_dir():
        return (f"the web UI's front-end packages are missing ({root / 'vendor'}): "
                "run `make install` (it needs Node.js and npm) and restart the server")
    return None


def _add_web(app: FastAPI) -> None:
    root = web_root()

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        problem = _web_problem(root)
        if problem:
            raise HTTPException(503, problem)
        return FileResponse(root / "index.html", media_type="text/html")

    swagger = root / "vendor" / "swagger-ui"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Interactive API pages, only from vendored files: nothing is fetched from a CDN."""
        if not (swagger / "swagger-ui-bundle.js").is_file():
            raise HTTPException(404, f"the API pages need swagger-ui-dist vendored in {swagger} (make install); "
                                     "the OpenAPI document is at /openapi.json")
        return get_swagger_ui_html(openapi_url="/openapi.json", title="eventsift API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="data:,")

    if root.is_dir():
        app.mount("/static", StaticFiles(directory=root), name="static")
    else:
        logger.warning("web UI folder %s is missing: / answers 503", root)


# ----------------------------------------------------------------------------------------- errors

_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (QueryError, 400),
    (InputError, 422),
    (StoreError, 503),
    (EventsiftError, 500),
)


def _add_error_handlers(app: FastAPI) -> None:
    """Every error answer is built here: JSON ``{"error": message}`` with the status of its kind."""

    async def on_error(_request: Request, exc: Exception) -> JSONResponse:
        status = next(code for kind, code in _STATUS if isinstance(exc, kind))
        if status >= 500:
            logger.error("%s: %s", type(exc).__name__, one_line(exc))
        return JSONResponse({"error": one_line(exc)}, status_code=status)

    async def on_http(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    async def on_invalid(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        parts = [f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in errors]
        in_body = any(e["loc"] and e["loc"][0] == "body" for e in errors)
        return JSONResponse({"error": "; ".join(parts)}, status_code=422 if in_body else 400)

    async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unexpected error", exc_info=exc)
        return JSONResponse({"error": f"internal error: {one_line(exc)}"}, status_code=500)

    for kind, _status in _STATUS:
        app.add_exception_handler(kind, on_error)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(Exception, on_unexpected)


# ------------------------------------------------------------------------------------------- app


def create_app(db: str, options: Options | None = None, listen_host: str = "127.0.0.1") -> FastAPI:
    """The app over the database ``db``; the store opens when the app starts and closes when it stops.
    ``listen_host`` is the address the server listens on: beyond loopback, writes need a token, and it
    is one of the Host names allowed by default (auth.Policy)."""
    settings = (options or Options()).with_overrides(db=db, workers=1)
    policy = Policy.for_server(settings, listen_host)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(db)
        app.state.options = settings
        app.state.ingest_lock = threading.Lock()
        logger.info("serving %s", app.state.store.display_url)
        try:
            yield
        finally:
            app.state.store.close()

    # FastAPI's own /docs and /redoc load their scripts from a CDN; ours (above) are served locally.
    app = FastAPI(title="eventsift", description=DESCRIPTION, version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    _add_error_handlers(app)
    _add_read_routes(app)
    _add_write_routes(app)
    _add_export_routes(app)
    add_map_routes(app, _ERRORS)
    _add_web(app)
    document_security(app, policy)
    app.add_middleware(RequestGuard, policy=policy)
    return app
