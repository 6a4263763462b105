"""Tense cues around a time expression: whether its clause speaks of the future ("will meet on
Friday"), follows a deadline word ("by March 1"), or opens a past-tense sentence ("In May, the
offensive stalled."). The normaliser reads them where the words alone do not fix a year or a week.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..datafiles import load_data
from ..read.reporting_verbs import past_forms

__all__ = ["is_deadline", "opens_past_sentence", "speaks_of_future"]


_FUTURE_CUE = re.compile(
    r"\b(?:will|won[’']t|shall|going\s+to|plans?\s+to|planned|planning|scheduled|is\s+due|are\s+due|"
    r"is\s+expected|are\s+expected|expects?\s+to|is\s+set\s+to|are\s+set\s+to|intends?\s+to|is\s+to|"
    r"are\s+to|would|upcoming|tomorrow|set\s+to|as\s+(?:soon|early)\s+as|no\s+earlier\s+than)\b|[’']ll\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _reported() -> re.Pattern[str]:
    """A saying or another past act right before the date ("said Friday"): the date is the act's."""
    lexicon = load_data("time_lexicon.yaml")
    words = [*past_forms("dating"), *lexicon["past_act_verbs"]]
    alternatives = [re.escape(w) for w in words] + list(lexicon["past_act_patterns"])
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\s*$", re.IGNORECASE)


# A past-tense verb right before the date ("announced Wednesday"), but not the future-leaning ones.
_PAST_VERB = re.compile(r"\b(?!(?:expected|scheduled|planned|slated|set|due)\b)[a-z]{3,}ed\s+(?:on\s+)?$")
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘']?[A-Z])|\n\s*\n")


# Words right before a date that make it a deadline or a start, so a future one in news copy.
_FUTURE_PREFIX = re.compile(r"\b(?:by|effective|payable|starting|beginning|due|expires?|expiring|"
                            r"until|till|before|no\s+later\s+than|as\s+(?:soon|early|late)\s+as)\s+(?:on\s+)?$",
                            re.IGNORECASE)


def is_deadline(text: str, start: int) -> bool:
    """Whether the expression starting at ``start`` follows "by", "until", "effective", "payable"."""
    return bool(_FUTURE_PREFIX.search(text[max(0, start - 40) : start]))


def speaks_of_future(text: str, start: int, end: int, deadlines: bool = False) -> bool:
    """Whether the clause around ``text[start:end]`` is about the future ("will meet on Friday").

    ``deadlines``: also read "by", "until", "effective", "payable" right before it as future (right for
    calendar dates and months; for weekdays "until Thursday" is as often past).
    """
    left = text[max(0, start - 120) : start]
    ends = list(_SENTENCE_END.finditer(left))
    if ends:
        left = left[ends[-1].end() :]
    if deadlines and _FUTURE_PREFIX.search(left):
        return True
    if _reported().search(left) or _PAST_VERB.search(left):
        return False  # "said Friday (that) ... will": the date belongs to the saying
    left = left[-60:]
    right = text[end : end + 30]
    cut = _SENTENCE_END.search(right)
    if cut:
        right = right[: cut.start()]
    return bool(_FUTURE_CUE.search(left) or re.match(r"[^,;]{0,25}?\b(?:will|would)\b", right))


_OPENING = re.compile(r"(?:^|[.!?][\"”’']?\s+|\n)\s*(?:(?:In|On|By|During|Since|Until|Last|Early|Late|Mid)\s+)?$")
_CLAUSE_PAST = re.compile(r"^,?\s+(?:\w+\s+){0,5}?(?:was|were|had|did|(?!(?:expected|scheduled|planned|slated|due)\b)"
                          r"[a-z]{3,}ed)\b")


def opens_past_sentence(text: str, start: int, end: int) -> bool:
    """"In May, the offensive stalled.": ``text[start:end]`` opens its sentence and a past verb follows."""
    return bool(_OPENING.search(text[max(0, start - 20) : start]) and _CLAUSE_PAST.match(text[end : end + 80]))
