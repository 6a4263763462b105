"""Exporters: event items (and story items) to CSV, GeoJSON, Parquet and JSONL.

An :class:`Exporter` is a named entry in one registry: ``name`` ("csv"), ``suffix`` (".csv"),
``media_type``, ``target`` ("events" or "stories") and ``write(items, out) -> rows written``, where
``items`` is any iterable of item dicts (docs/api.md) and ``out`` a binary stream.
The built-ins are registered below with :func:`register`, the same call a third party makes; a
package can also publish one under the ``eventsift.exporters`` entry-point group (the entry point
names an :class:`Exporter`), loaded the first time the registry is read.

Formats (event and story items alike; columns in :mod:`eventsift.export.columns`):

- ``csv``: ACLED's public-data columns in ACLED's order, then eventsift's own; UTF-8, RFC 4180.
  Unknown values are empty cells (a fatality count nobody reported is empty, never 0). Streams.
  Safe to open in a spreadsheet: a text cell starting with ``= + - @``, tab or carriage return gets a
  leading single quote (OWASP's advice against formula injection); numbers (fatalities, coordinates,
  codes) are written as they are, so ``-33.9`` stays a number.
- ``geojson``: an RFC 7946 FeatureCollection, one Point feature ([lon, lat]) per item whose place has
  coordinates; properties are the flat columns (less the ACLED columns that are always empty), plus
  ``evidence`` (start, end, text) for events. Items without coordinates are left out, counted in
  ``skipped_without_coordinates`` at the end of the collection and in a logged warning. Streams.
- ``parquet``: the flat columns with an explicit schema (int64 counts and codes, float64 coordinates,
  date32 ``event_date``, strings) plus ``record``, the full item as JSON, so nothing is lost. Items
  are converted :data:`PARQUET_BATCH` at a time and written in row groups of :data:`PARQUET_ROW_GROUP`
  rows (the writer keeps every row group's metadata until the file is closed: with a row group per
  batch, peak memory grew from 232 MB at 65,000 events to 325 MB at a million; now 265 and 277 MB,
  and the file is 12% smaller); needs pyarrow.
- ``jsonl``: one full item per line, every span kept. Streams.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ConfigError, one_line
from .columns import (
    ALWAYS_EMPTY,
    COLUMN_TYPES,
    EVENT_COLUMNS,
    STORY_COLUMN_TYPES,
    STORY_COLUMNS,
    event_row,
    import_optional,
    story_row,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "EVENTS",
    "PARQUET_BATCH",
    "PARQUET_ROW_GROUP",
    "STORIES",
    "Exporter",
    "export_path",
    "exporter_names",
    "get_exporter",
    "register",
    "spreadsheet_safe",
    "write_events",
    "write_stories",
]

log = logging.getLogger(__name__)

EVENTS = "events"
STORIES = "stories"
ENTRY_POINT_GROUP = "eventsift.exporters"
PARQUET_BATCH = 1000
PARQUET_ROW_GROUP = 16 * PARQUET_BATCH  # rows; a gathered group holds ~3 MB per 1,000 events in memory
_CSV_CHUNK = 200
# A cell starting with one of these is read as a formula by spreadsheets (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Item = Mapping[str, Any]
Writer = Callable[[Iterable[Item], BinaryIO], int]


@dataclass(frozen=True)
class Exporter:
    """One output format for event or story items."""

    name: str
    suffix: str
    media_type: str
    writer: Writer
    target: str = EVENTS
    description: str = ""

    def write(self, items: Iterable[Item], out: BinaryIO) -> int:
        """Write ``items`` to the binary stream ``out``; returns the number of rows written."""
        return self.writer(items, out)


_REGISTRY: dict[str, dict[str, Exporter]] = {EVENTS: {}, STORIES: {}}
_plugins_loaded = False


def register(exporter: Exporter) -> Exporter:
    """Add an exporter under its name and target; a later one with the same name replaces it."""
    if exporter.target not in _REGISTRY:
        raise ConfigError(f"exporter {exporter.name!r}: unknown target {exporter.target!r} "
                          f"(known: {', '.join(_REGISTRY)})")
    if exporter.name in _REGISTRY[exporter.target]:
        log.debug("exporter %s/%s re-registered", exporter.target, exporter.name)
    _REGISTRY[exporter.target][exporter.name] = exporter
    return exporter


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            exporter = entry.load()
            register(exporter if isinstance(exporter, Exporter) else exporter())
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not take the built-ins down
            log.warning("exporter plugin %s not loaded: %s", entry.name, one_line(exc))


def exporter_names(target: str = EVENTS) -> list[str]:
    """Names of the registered exporters for ``target`` ("events" or "stories"), sorted."""
    _load_plugins()
    return sorted(_REGISTRY.get(target, {}))


def get_exporter(name: str, target: str = EVENTS) -> Exporter:
    """The exporter called ``name``; an unknown name raises ConfigError listing the known ones."""
    _load_plugins()
    found = _REGISTRY.get(target, {}).get(name.lower().lstrip("."))
    if found is None:
        known = ", ".join(exporter_names(target)) or "none"
        raise ConfigError(f"unknown {target} export format {name!r} (known: {known})")
    return found


def write_events(items: Iterable[Item], fmt: str, out: BinaryIO) -> int:
    """Write event items in format ``fmt`` to ``out``; returns the number of rows written."""
    return get_exporter(fmt, EVENTS).write(items, out)


def write_stories(items: Iterable[Item], fmt: str, out: BinaryIO) -> int:
    """Write story items in format ``fmt`` to ``out``; returns the number of rows written."""
    return get_exporter(fmt, STORIES).write(items, out)


def export_path(items: Iterable[Item], path: str | Path, fmt: str | None = None, target: str = EVENTS) -> int:
    """Write items to a file; the format defaults to the file's suffix ("events.parquet")."""
    path = Path(path)
    exporter = get_exporter(fmt or path.suffix, target)
    with path.open("wb") as out:
        return exporter.write(items, out)


# --- writers -------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """One CSV cell: numbers as they are, text that a spreadsheet would run as a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number, never a formula: -12.5 stays -12.5
    return spreadsheet_safe(str(value))


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if it starts like a formula (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write_csv(items: Iterable[Item], out: BinaryIO, *, columns: tuple[str, ...],
               row: Callable[[Item], dict[str, Any]]) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    count = 0
    for item in items:
        values = row(item)
        writer.writerow([_cell(values[c]) for c in columns])
        count += 1
        if count % _CSV_CHUNK == 0:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))
    return count


def _write_jsonl(items: Iterable[Item], out: BinaryIO) -> int:
    count = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def _point(row: Mapping[str, Any]) -> list[float] | None:
    lat, lon = row.get("latitude"), row.get("longitude")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return [lon, lat]


def _feature(item: Item, row: dict[str, Any], point: list[float]) -> dict[str, Any]:
    properties = {k: v for k, v in row.items() if k not in ALWAYS_EMPTY}
    evidence = item.get("evidence")
    if evidence:
        properties["evidence"] = {"start": evidence.get("start"), "end": evidence.get("end"),
                                  "text": evidence.get("text")}
    return {"type": "Feature", "id": item.get("id"), "geometry": {"type": "Point", "coordinates": point},
            "properties": properties}


def _write_geojson(items: Iterable[Item], out: BinaryIO, *, row: Callable[[Item], dict[str, Any]]) -> int:
    out.write(b'{"type": "FeatureCollection", "features": [')
    count = skipped = 0
    for item in items:
        values = row(item)
        point = _point(values)
        if point is None:
            skipped += 1
            continue
        feature = json.dumps(_feature(item, values, point), ensure_ascii=False)
        out.write((",\n" if count else "\n").encode("utf-8") + feature.encode("utf-8"))
        count += 1
    out.write(f'\n], "skipped_without_coordinates": {skipped}}}\n'.encode())
    if skipped:
        log.warning("geojson: %d of %d items have no coordinates and were left out", skipped, count + skipped)
    return count


class _Sink(io.RawIOBase):
    """A write-only view of ``out`` that pyarrow may close without closing ``out``."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._out.write(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position


def _arrow_schema(pa: Any, types: Mapping[str, str]) -> Any:
    kinds = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}
    fields = [pa.field(name, kinds[kind]) for name, kind in types.items()]
    return pa.schema([*fields, pa.field("record", pa.string())])


def _arrow_row(item: Item, values: dict[str, Any], types: Mapping[str, str]) -> dict[str, Any]:
    row = dict(values)
    for name, kind in types.items():
        if kind == "date" and row[name] is not None:
            row[name] = date.fromisoformat(row[name])
        elif kind == "string" and row[name] is not None:
            row[name] = str(row[name])
    row["record"] = json.dumps(item, ensure_ascii=False)
    return row


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _write_parquet(items: Iterable[Item], out: BinaryIO, *, types: Mapping[str, str],
                   row: Callable[[Item], dict[str, Any]]) -> int:
    pa = import_optional("pyarrow", "the parquet export")
    pq = import_optional("pyarrow.parquet", "the parquet export")
    schema = _arrow_schema(pa, types)
    count = 0
    pending: list[Any] = []  # converted batches of the row group being gathered, and their rows
    gathered = 0
    with pq.ParquetWriter(_Sink(out), schema) as writer:
        for batch in _batches(items, PARQUET_BATCH):
            pending.append(pa.Table.from_pylist([_arrow_row(item, row(item), types) for item in batch], schema=schema))
            count += len(batch)
            gathered += len(batch)
            if gathered >= PARQUET_ROW_GROUP:
                writer.write_table(pa.concat_tables(pending))  # one row group a call
                pending, gathered = [], 0
        if pending:
            writer.write_table(pa.concat_tables(pending))
    return count


# --- the built-ins, registered as a third party would ------------------------------------------


def _register_builtins() -> None:
    tables = {EVENTS: (EVENT_COLUMNS, COLUMN_TYPES, event_row), STORIES: (STORY_COLUMNS, STORY_COLUMN_TYPES, story_row)}
    for target, (columns, types, row) in tables.items():
        register(Exporter("csv", ".csv", "text/csv; charset=utf-8",
                          partial(_write_csv, columns=columns, row=row), target,
                          "ACLED's columns in ACLED's order, then eventsift's own"))
        register(Exporter("geojson", ".geojson", "application/geo+json",
                          partial(_write_geojson, row=row), target,
                          "RFC 7946 FeatureCollection of the items that have coordinates"))
        register(Exporter("parquet", ".parquet", "application/vnd.apache.parquet",
                          partial(_write_parquet, types=types, row=row), target,
                          "flat typed columns plus the full item as JSON (needs pyarrow)"))
        register(Exporter("jsonl", ".jsonl", "application/x-ndjson", _write_jsonl, target,
                          "one full item per line, every span kept"))


_register_builtins()
