"""pandas DataFrames of event and story items, for notebooks.

    from eventsift.export.frames import events_frame
    frame = events_frame(items)          # items: any iterable of event item dicts
    frame[frame.fatalities.notna()].groupby("admin1").fatalities.sum()

The columns are the export's flat columns (:mod:`eventsift.export.columns`): ACLED's first, then eventsift's
own. Types: ``event_date`` datetime64, whole numbers nullable ``Int64`` (``fatalities`` is <NA> where
no count was reported, never 0), ``latitude``/``longitude`` float64, the rest strings. The full items
are not kept: use the JSONL or Parquet export (its ``record`` column) for the spans.

pandas is imported only when a frame is made; without it a :class:`~eventsift.errors.ConfigError`
says what to install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .columns import (
    COLUMN_TYPES,
    EVENT_COLUMNS,
    STORY_COLUMN_TYPES,
    STORY_COLUMNS,
    event_row,
    import_optional,
    story_row,
)

__all__ = ["events_frame", "stories_frame"]

Item = Mapping[str, Any]


def events_frame(items: Iterable[Item]) -> Any:
    """One row per event item, in the export's columns (see the module docstring for the types)."""
    return _frame(items, EVENT_COLUMNS, COLUMN_TYPES, event_row)


def stories_frame(items: Iterable[Item]) -> Any:
    """One row per story item (contract "Story item"), in the story export's columns."""
    return _frame(items, STORY_COLUMNS, STORY_COLUMN_TYPES, story_row)


def _frame(items: Iterable[Item], columns: tuple[str, ...], types: Mapping[str, str],
           row: Callable[[Item], dict[str, Any]]) -> Any:
    pd = import_optional("pandas", "a DataFrame of eventsift items")
    rows = [row(item) for item in items]
    data = {name: [r[name] for r in rows] for name in columns}
    return pd.DataFrame({name: _series(pd, data[name], types[name]) for name in columns}, columns=list(columns))


def _series(pd: Any, values: list[Any], kind: str) -> Any:
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype="object"), format="%Y-%m-%d")
    if kind == "int":
        return pd.Series(values, dtype="Int64")
    if kind == "float":
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    return pd.Series(values, dtype="string")


# --- straight from a database (eventsift.store.query) ----------------------------------------------------

__all__ += ["load_events", "load_stories"]


def load_events(db: str, **filters: Any) -> Any:
    """A frame of the event items stored in ``db`` (URL or SQLite path) that match the filters.

    The filters are the API's, by their :class:`eventsift.store.query.Filters` names::

        load_events("events.db", country="UA", date_from="2024-03", min_sources=2, sort="date")

    A bad value raises :class:`~eventsift.errors.QueryError`; ``limit`` and ``cursor`` play no part.
    """
    from ..store.query import iter_event_items, parse_filters
    from ..store.store import open_store

    chosen = parse_filters(filters)
    with open_store(db) as store:
        return events_frame(iter_event_items(store, chosen))


def load_stories(db: str, **filters: Any) -> Any:
    """A frame of the story items stored in ``db`` that match the filters (as :func:`load_events`;
    ``min_sources`` counts a story's independent sources)."""
    from ..store.query import iter_story_items, parse_filters
    from ..store.store import open_store

    chosen = parse_filters(filters)
    with open_store(db) as store:
        return stories_frame(iter_story_items(store, chosen))
