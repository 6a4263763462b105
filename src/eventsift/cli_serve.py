"""The CLI's serving and exporting commands (eventsift.serve.api, eventsift.store.query, eventsift.export.exporters).

Registered on the one Typer app of cli.py, which imports this module; the helpers are cli.py's.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from .cli import DbOption, VerboseOption, _fail, _open_store, _options, _set_logging, _state, app, err
from .errors import EventsiftError
from .store.filters import FILTER_SPECS, FilterSpec


def _filter_option(spec: FilterSpec) -> inspect.Parameter:
    """The export option of one declared filter (store/filters.py): its flag, type and help."""
    kind: Any = spec.kind if spec.default is not None else spec.kind | None
    option = typer.Option(spec.flag, help=spec.help)
    return inspect.Parameter(spec.name, inspect.Parameter.KEYWORD_ONLY, default=spec.default,
                             annotation=Annotated[kind, option])


def _with_filter_options(command: Any) -> Any:
    """``command`` with an option per declared filter that has a CLI flag, placed before --verbose."""
    params = list(inspect.signature(command, eval_str=True).parameters.values())
    filters = [_filter_option(spec) for spec in FILTER_SPECS if spec.flag]
    kept = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params if p.kind != p.VAR_KEYWORD]
    command.__signature__ = inspect.Signature([*kept[:-1], *filters, kept[-1]])
    return command


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    require_token: Annotated[bool | None, typer.Option(
        "--require-token/--no-require-token", help="Require a write token for POST even on loopback.")] = None,
    allowed_hosts: Annotated[str | None, typer.Option(
        "--allowed-hosts", help="Host names the API answers to, comma-separated ('*': any).")] = None,
    verbose: VerboseOption = 0,
) -> None:
    """Serve the HTTP API and the web UI (docs/api.md) until interrupted."""
    _set_logging(verbose)
    import uvicorn

    from .serve.api import create_app

    options = _options(db=db, require_token=require_token, allowed_hosts=allowed_hosts)
    with _open_store(options) as store:  # a database that cannot be opened fails here, in one line
        shown = store.display_url  # password hidden
    try:
        server = create_app(options.db, options, listen_host=host)  # a bad token file fails here
    except EventsiftError as exc:
        _fail(str(exc))
    err.print(f"serving {escape(shown)} at http://{host}:{port}/ (Ctrl+C stops)", highlight=False, soft_wrap=True)
    level = "warning" if max(verbose, _state["verbose"]) == 0 else "info"
    uvicorn.run(server, host=host, port=port, log_config=None, log_level=level)


token_app = typer.Typer(help="Write tokens for the HTTP API (stored hashed).", no_args_is_help=True,
                        rich_markup_mode="markdown")
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    file: Annotated[Path | None, typer.Option("--file", help="Token file (default: setting token_file).")] = None,
) -> None:
    """Create a write token: printed once, only its SHA-256 hash is kept in the token file."""
    from .serve.auth import create_token, token_path

    path = file or token_path(_options())
    try:
        token = create_token(path)
    except EventsiftError as exc:
        _fail(str(exc))
        return
    err.print(f"token hash added to {escape(str(path))}; the token is shown only now:", highlight=False)
    sys.stdout.write(token + "\n")


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, geojson, parquet or jsonl.")],
    output: Annotated[str, typer.Option("--output", "-o", help="File to write, or - for standard output.")],
    db: DbOption = None,
    stories: Annotated[bool, typer.Option("--stories", help="Export story items instead of event items.")] = False,
    verbose: VerboseOption = 0,
    **given: Any,
) -> None:
    """Write the matching event (or story) items to a file: CSV, GeoJSON, Parquet or JSONL."""
    _set_logging(verbose)
    from .export.exporters import export_path, get_exporter
    from .store.query import iter_event_items, iter_story_items, parse_filters

    target = "stories" if stories else "events"
    try:
        filters = parse_filters(given)  # the filter options (_with_filter_options)
        exporter = get_exporter(fmt, target)
    except EventsiftError as exc:
        _fail(str(exc))
    options = _options(db=db)
    with _open_store(options) as store:
        items = (iter_story_items if stories else iter_event_items)(store, filters)
        try:
            if output == "-":
                count = exporter.write(items, sys.stdout.buffer)
            else:
                count = export_path(items, output, exporter.name, target)
        except (EventsiftError, OSError) as exc:
            if output != "-":
                Path(output).unlink(missing_ok=True)  # no half-written file left behind
            _fail(f"export to {output} failed: {exc}", code=1)
    where = "standard output" if output == "-" else escape(output)
    err.print(f"{count} {target} written to {where}", highlight=False, soft_wrap=True)


app.command()(_with_filter_options(export))
