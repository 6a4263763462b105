"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the event ``when`` format) and the first and
last calendar day each covers.

One reading for every stage that compares such dates: story merging (the days two reports cover), the
store's date filters (``date_to=2024-02`` runs through 29 February), the ACLED export (a month is
written as its first day), the event status (whether a date lies before publication) and the time
stage's value bounds. A foundation module (next to records.py) so that the store may read it too.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

__all__ = ["PARTIAL_DATE", "first_day", "is_partial_date", "last_day"]

PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def is_partial_date(value: str) -> bool:
    """Whether ``value`` is exactly ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (not necessarily a real day)."""
    return PARTIAL_DATE.fullmatch(value) is not None


def first_day(value: str | None) -> date | None:
    """The first day ``value`` covers (``2024-02`` -> 1 February 2024); None when it is no date."""
    return _day(value, last=False)


def last_day(value: str | None) -> date | None:
    """The last day ``value`` covers (``2024-02`` -> 29 February 2024); None when it is no date."""
    return _day(value, last=True)


def _day(value: str | None, *, last: bool) -> date | None:
    match = PARTIAL_DATE.fullmatch(value or "")
    if match is None:
        return None
    year = int(match[1])
    month = int(match[2]) if match[2] else (12 if last else 1)
    try:  # month 13 or day 31 of April: no date (monthrange raises ValueError too)
        day = int(match[3]) if match[3] else (monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError:
        return None
