"""The API's request parameters: the filters every list and count route takes, paging, and the store.

Each parameter carries its format for the OpenAPI document (a pattern, a range); filters.py checks
the same values with clear reasons, so a request the document calls well formed may still be refused
with 400 for rules between parameters (date_from after date_to, south above north) or a cursor this
API never handed out.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request

from ..store.filters import MAX_CURSOR_CHARS, MAX_INT
from ..store.query import DEFAULT_LIMIT, MAX_LIMIT, Filters, parse_filters
from ..store.store import Store

__all__ = ["Limit", "PageFilters", "Sort", "StoreDep", "WhereFilters"]

# The formats the filters accept, for the OpenAPI document (filters.py checks them with clear reasons).
# An empty value (a blank form field) means no filter, so every pattern also admits "".
_YEAR = r"(000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d{3})"  # 0001-9999, Python's date range
_DATE_PATTERN = rf"^({_YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"
_CODES = r"\s*{code}\s*(,\s*{code}\s*)*"
_COUNTRY_PATTERN = "^(" + _CODES.format(code="[A-Za-z]{2}") + ")?$"
_ADMIN1_PATTERN = "^(" + _CODES.format(code="[A-Za-z]{2}-[A-Za-z0-9]{1,3}") + ")?$"
_NUMBER = r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*"
_BBOX_PATTERN = f"^({_NUMBER}(,{_NUMBER}){{3}})?$"
_CURSOR_PATTERN = r"^[A-Za-z0-9_-]*$"  # unpadded URL-safe base64, as filters.encode_cursor writes it


def _where(
    date_from: Annotated[str | None, Query(description="On or after this day: YYYY-MM-DD (or YYYY-MM, YYYY). "
                                           "Events overlapping the range match; undated events never do.",
                                           json_schema_extra={"pattern": _DATE_PATTERN},
                                           examples=["2024-03-12", "2024-03", "2024"])] = None,
    date_to: Annotated[str | None, Query(description="On or before this day: YYYY-MM-DD, or YYYY-MM, YYYY "
                                         "meaning through its end. Not before date_from.",
                                         json_schema_extra={"pattern": _DATE_PATTERN},
                                         examples=["2024-03-31", "2024-03", "2024"])] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code(s), comma-separated, any case: RU,UA.",
                                         json_schema_extra={"pattern": _COUNTRY_PATTERN},
                                         examples=["RU", "RU,UA"])] = None,
    admin1: Annotated[str | None, Query(description="ISO 3166-2 code(s) of a first-order subdivision, "
                                        "comma-separated: RU-BEL.", json_schema_extra={"pattern": _ADMIN1_PATTERN},
                                        examples=["RU-BEL", "UA-63"])] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees (west > east crosses the "
                                      "antimeridian).", json_schema_extra={"pattern": _BBOX_PATTERN},
                                      examples=["35,50,39,52"])] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type(s), comma-separated: Battles.")] = None,
    sub_event_type: Annotated[str | None, Query(description="ACLED sub-event type(s): Armed clash.")] = None,
    actor: Annotated[str | None, Query(description="Case-insensitive substring of actor1 or actor2.")] = None,
    status: Annotated[str | None, Query(description="asserted, claimed, disputed, denied, unverified, ...")] = None,
    min_sources: Annotated[int | None, Query(ge=0, le=MAX_INT, description="At least this many independent sources "
                                             "(an event: its story's; an event in no story has 1).")] = None,
    q: Annotated[str | None, Query(description="Case-insensitive substring of the evidence text.")] = None,
) -> dict[str, Any]:
    return {k: v for k, v in locals().items() if v is not None}


Sort = Literal["date", "-date", "fatalities", "-fatalities", "sources", "-sources"]


def _page_filters(
    where: Annotated[dict[str, Any], Depends(_where)],
    sort: Annotated[Sort, Query(description="Order; unknown values last either way, ties by id.")] = "-date",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR_CHARS, json_schema_extra={"pattern": _CURSOR_PATTERN},
                                        description="The `next` of the previous page, unchanged.")] = None,
) -> Filters:
    return parse_filters({**where, "sort": sort, "limit": limit, "cursor": cursor})


def _where_filters(where: Annotated[dict[str, Any], Depends(_where)]) -> Filters:
    return parse_filters(where)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


PageFilters = Annotated[Filters, Depends(_page_filters)]
WhereFilters = Annotated[Filters, Depends(_where_filters)]
StoreDep = Annotated[Store, Depends(_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many rows.")]
