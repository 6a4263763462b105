"""Time-expression normaliser: TimeML TIMEX3 values for the mentions the recogniser found.

Values follow TimeML: ``2024-03-12``, ``2024-03``, ``2024``, ``2024-W11``, ``2024-Q1``, ``2024-SU``,
``199`` (the 1990s), ``19`` (the 20th century), ``2024-03-12T09:30``, ``2024-03-12TMO``,
``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``, durations ``P2W``/``PT5H``/``PXY`` and sets ``P1D``/
``XXXX-WXX-2``. Deictic expressions are resolved against the publication date; narrative ones ("the
next day", "a year earlier") against the last date the text itself gave. Where neither exists the
value is None with a note: a date is never invented.

News conventions used where the words alone do not decide (they are the ones TimeBank's annotators
and HeidelTime's news mode follow): a bare weekday is the most recent one up to the publication day
unless the clause speaks of the future; a bare month or quarter is in the publication year unless
the clause speaks of the future and it has passed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date

from .timelex import Mention
from .timenorm_base import NO_ANCHOR, Context, Value
from .timenorm_dates import DATE_RULES
from .timenorm_periods import PERIOD_RULES

__all__ = ["NORMALISERS", "NO_ANCHOR", "Context", "Value", "normalise"]

log = logging.getLogger(__name__)

# Each rule of data/time_rules.yaml and the function that values its mentions.
NORMALISERS: dict[str, Callable[[Context, Mention], Value]] = {**DATE_RULES, **PERIOD_RULES}


def normalise(ctx: Context, mention: Mention) -> Value:
    """The value of one mention; updates the context's narrative anchors from what it resolves to."""
    value = NORMALISERS[mention.rule](ctx, mention)
    _remember(ctx, mention, value)
    return value


_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def _remember(ctx: Context, mention: Mention, value: Value) -> None:
    """Explicit dates become the narrative anchor; named quarters the quarter under discussion."""
    if value.value is None or value.type not in {"DATE", "TIME"}:
        return
    day = _DAY.match(value.value)
    if day and mention.rule in {"iso", "numeric", "month_day", "day_month", "weekday", "relday", "clock", "relunit",
                                "ago"}:
        ctx.last_date = date(int(day.group(1)), int(day.group(2)), int(day.group(3)))
        if ctx.published is None or ctx.last_date <= ctx.published:
            ctx.last_past_date = ctx.last_date
    quarter = _QUARTER.match(value.value)
    if ctx.published is not None and quarter and int(quarter.group(1)) < ctx.published.year:
        return  # "the 1988 third quarter" is the comparison, not the quarter under discussion
    if quarter and mention.rule in {"quarter", "qcode"} and (mention.part("ordinal") or "").lower() in {
            "first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th", "final", "last", ""}:
        ctx.last_quarter = (int(quarter.group(1)), int(quarter.group(2)), mention.start)
