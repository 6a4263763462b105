"""pandas DataFrames of event and story items, for notebooks.

    from eventsift.frames import events_frame
    frame = events_frame(items)          # items: any iterable of event item dicts
    frame[frame.fatalities.notna()].groupby("admin1").fatalities.sum()

The columns are the export's flat columns (:mod:`eventsift.columns`): ACLED's first, then eventsift's
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
