"""Shared by the event-date readers (event_when.py, event_lead.py): the time lexicon
(data/event_time.yaml), the "after"/"following" test, and TimeML values read as a When."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ..partial_dates import is_partial_date
from ..read.reporting_verbs import tagged
from ..records import When
from .args import load_lexicon

__all__ = ["relational_prep", "time_words", "when_from_value"]

_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@lru_cache(maxsize=1)
def time_words() -> dict[str, Any]:
    data = load_lexicon("event_time.yaml")
    families: dict[str, set[str]] = {}
    for group in data["same_event_lemmas"]:
        for lemma in group:
            families.setdefault(str(lemma), set()).update(str(w) for w in group)
    return {"relational": frozenset(str(w).lower() for w in data["relational_preps"]),
            "reporting": frozenset(tagged("report_time")),  # data/reporting_verbs.yaml
            "life": frozenset(str(w).lower() for w in data["life_event_verbs"]),
            "reaction": frozenset(str(w).lower() for w in data["reaction_verbs"]),
            "time_nouns": frozenset(str(w).lower() for w in data["time_nouns"]),
            "dashes": tuple(str(w) for w in data["dateline_dashes"]),
            "families": {k: frozenset(v) for k, v in families.items()}}


def relational_prep(token: Any) -> bool:
    """True for a noun governed by "after", "following", "in response to", ... (another event's time)."""
    if token.dep_ != "pobj":
        return False
    prep = token.head
    words = time_words()["relational"]
    if prep.lower_ in words:
        return True
    chain = [prep.lower_]
    node = prep
    for _ in range(3):  # "in response to", "responsible for", "in the wake of"
        if node.i == node.head.i:
            break
        node = node.head
        chain.insert(0, node.lower_)
        if " ".join(chain) in words or " ".join([node.lower_, "the", *chain[1:]]) in words:
            return True
        if node.dep_ == "prep" or node.pos_ in {"VERB", "AUX"}:
            break
    return False


def when_from_value(value: str | None, precision: str, published: str | None) -> When | None:
    """A TimeML value as a When; None where it names no date (PAST_REF, durations)."""
    if not value:
        return None
    if value == "PRESENT_REF":
        if published:
            return When(published, None, "day", None)
        return When(None, None, "unknown", None, note="'now' with no publication date")
    if "/" in value:
        first, last = value.split("/", 1)
        start, end = _date_part(first), _date_part(last)
        if start is None and end is None:
            return None
        return When(start, end, "range", None)
    week = _WEEK.match(value)
    if week:
        monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        return When(monday.isoformat(), (monday + timedelta(days=6)).isoformat(), "week", None)
    season = _SEASON.match(value)
    if season:  # "last fall": the year is known, the months only roughly
        return When(season[1], None, "year", None)
    quarter = _QUARTER.match(value)
    if quarter:
        first_month = 3 * int(quarter[2]) - 2
        return When(f"{quarter[1]}-{first_month:02d}", f"{quarter[1]}-{first_month + 2:02d}", "quarter", None)
    part = _date_part(value)
    if part is None:
        return None
    return When(part, None, _precision_of(part, precision), None)


def _date_part(value: str) -> str | None:
    head = value.split("T", 1)[0]
    return head if is_partial_date(head) else None


def _precision_of(value: str, given: str) -> str:
    if given in {"day", "month", "year"} or given not in {"time", "unknown"}:
        by_length = {4: "year", 7: "month", 10: "day"}
        return by_length.get(len(value), given)
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "unknown")
