"""The API's request parameters: the filters every list and count route takes, paging, and the store.

The filter parameters are built from their one declaration, store/filters.py's FILTER_SPECS: the
help and the format the OpenAPI document states (a pattern, a range). Filters checks the same values
with clear reasons, so a request the document calls well formed may still be refused with 400 for
rules between parameters (date_from after date_to, south above north) or a cursor this API never
handed out.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request

from ..store.filters import FILTER_SPECS, SORTS, FilterSpec
from ..store.query import MAX_LIMIT, Filters, parse_filters
from ..store.store import Store

__all__ = ["Limit", "PageFilters", "Sort", "StoreDep", "WhereFilters"]

Sort = Literal[SORTS]  # type: ignore[valid-type]  # the values of SORTS, for the document's enum


def _query(spec: FilterSpec) -> inspect.Parameter:
    """The query parameter of one declared filter: its type, help and format for the document."""
    kind: Any = Sort if spec.name == "sort" else spec.kind if spec.default is not None else spec.kind | None
    extra = {"pattern": spec.pattern} if spec.pattern else None
    query = Query(description=spec.help, ge=spec.low, le=spec.high, max_length=spec.max_length,
                  json_schema_extra=extra, examples=list(spec.examples) or None)
    return inspect.Parameter(spec.name, inspect.Parameter.KEYWORD_ONLY, default=spec.default,
                             annotation=Annotated[kind, query])


def _with_filters(function: Any, *, paging: bool, first: list[inspect.Parameter] | None = None) -> Any:
    """``function`` taking the declared filters (the paging ones, or the others) as its parameters."""
    params = [_query(spec) for spec in FILTER_SPECS if spec.paging == paging]
    function.__signature__ = inspect.Signature([*(first or []), *params])
    return function


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


_where = _with_filters(_given, paging=False)


def _page(where: dict[str, Any], **paging: Any) -> Filters:
    return parse_filters({**where, **paging})


_page_filters = _with_filters(_page, paging=True, first=[inspect.Parameter(
    "where", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[dict[str, Any], Depends(_where)])])


def _where_filters(where: Annotated[dict[str, Any], Depends(_where)]) -> Filters:
    return parse_filters(where)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


PageFilters = Annotated[Filters, Depends(_page_filters)]
WhereFilters = Annotated[Filters, Depends(_where_filters)]
StoreDep = Annotated[Store, Depends(_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many rows.")]
