"""Context checks of the time-expression recogniser: whether a match is a time expression where its
words are also something else ("May" the verb, "some 1500 troops", "a 6-year-old", "the Daily Mail").

One check per rule name (:data:`CHECKS`); :class:`eventsift.times.timex.Recogniser` drops a match its
rule's check refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .timelex import Lexicon, Mention

__all__ = ["CHECKS"]


def _word_before(text: str, start: int) -> str:
    match = re.search(r"([A-Za-z’'-]+)\W*$", text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def _word_after(text: str, end: int) -> str:
    match = re.match(r"\s*([A-Za-z’'-]+)", text[end : end + 30])
    return match.group(1) if match else ""


def _check_month(lex: Lexicon, m: Mention, text: str) -> bool:
    """A bare month name ("May") is a month only after a cue word, and not before a capitalised name."""
    if m.part("mod") or m.part("rel") or m.part("rel2"):
        return True
    month = (m.part("month") or "").rstrip(".")
    after = _word_after(text, m.end)
    if after[:1].isupper() and after.lower() not in lex.months:
        return False
    if month in lex.ambiguous_months:
        before = _word_before(text, m.start)
        # "a June agreement", "the March accession": a determiner and a lower-case noun after it.
        return before in lex.month_cues or (before in {"the", "a", "its", "this", "that"} and after[:1].islower())
    return True


_NOT_AFTER_YEAR = re.compile(r"\s*(?:-|to\b|percent|per\b|%|people|troops|soldiers|men\b|women\b|units|shares|"
                             r"tons|tonnes|metres|meters|feet|miles|km|kilometres|points|votes|jobs|workers|dollars|"
                             r"euros|rubles|cars|homes|times)", re.IGNORECASE)
_NOT_BEFORE_YEAR = {"about", "some", "nearly", "almost", "than", "over", "under", "around", "approximately",
                    "roughly", "only", "just", "top", "no", "number", "page", "route", "flight", "room", "model",
                    "least", "most", "another", "additional", "extra"}


_YEAR_CUES = {"in", "since", "of", "until", "from", "by", "before", "after", "circa", "during", "the", "its", "their",
              "his", "her", "this", "that", "a", "an", "year", "early", "late", "mid", "through", "to", "for"}


def _check_year(lex: Lexicon, m: Mention, text: str) -> bool:
    """A four-digit number is a year unless it reads as a count ("some 1500 troops")."""
    if m.part("mod") or m.part("fiscal"):
        return True
    if _NOT_AFTER_YEAR.match(text, m.end):
        return False
    before = _word_before(text, m.start)
    if before in _NOT_BEFORE_YEAR or re.search(r"[$£€#]\s*$", text[max(0, m.start - 2) : m.start]):
        return False
    # "2000 civilians": a count before a plural noun, unless a preposition or determiner makes it a
    # year ("in 2000 sales rose", "the 2022 elections").
    plural = re.match(r"\s+([a-z]{3,}s)\b", text[m.end : m.end + 30])
    if plural and plural.group(1) not in {"was", "has", "is", "this", "its"} and before not in _YEAR_CUES:
        return False
    year = int(m.part("year") or 0)
    return 1900 <= year <= 2099 or before in _YEAR_CUES - {"the", "a", "an", "its", "their", "his", "her"}


def _check_spoken_year(lex: Lexicon, m: Mention, text: str) -> bool:
    spoken = (m.part("spoken") or "").lower()
    return spoken.startswith("nineteen") or bool(m.part("pre")) or _word_before(text, m.start) in {
        "in", "since", "until", "by", "of", "year"}


def _check_season(lex: Lexicon, m: Mention, text: str) -> bool:
    """Seasons need a modifier, a year or a temporal cue: "fall" and "spring" are also verbs and nouns."""
    rel = (m.part("rel") or "").lower()
    if m.part("year") or m.part("mod") or (rel and rel != "the"):
        return True
    before = _word_before(text, m.start)
    if (m.part("season") or "").lower() == "fall":
        return False
    return before in {"in", "during", "by", "since", "until", "through", "throughout", "over", "this", "last",
                      "next", "early", "late"} and _word_after(text, m.end).lower() not in {"of"}


def _check_quarter(lex: Lexicon, m: Mention, text: str) -> bool:
    """"quarter" names a quarter with an ordinal or a year ("the third quarter"); "the quarter" alone is
    only accepted in the financial sense, next to results words; halves need an ordinal and a year."""
    ordinal = (m.part("ordinal") or "").lower()
    has_year = bool(m.part("year") or m.part("year2") or m.part("year3"))
    if (m.part("q") or "").lower() == "half":
        return ordinal in {"first", "second", "last", "1st", "2nd", "final"} and (has_year or bool(m.part("det")))
    if _word_after(text, m.end).lower() in {"of", "mile", "miles", "century", "hour", "inch", "point"} and not has_year:
        return False
    if ordinal or has_year:
        return True
    return (m.part("det") or "").lower() in {"the", "its", "this", "that", "the same"} and bool(
        re.search(r"\b(?:earn|profit|net|loss|sales|revenue|income|results?|quarterly|fiscal|share|shares)\b",
                  text[max(0, m.start - 300) : m.end + 300], re.IGNORECASE))


def _check_duration(lex: Lexicon, m: Mention, text: str) -> bool:
    """A count of units is a duration, but not an age ("a 6-year-old", which TimeBank leaves out) nor
    "a second time" or "second-largest"."""
    num = (m.part("num") or "").lower()
    unit = (m.part("unit") or "").lower()
    after = text[m.end : m.end + 2]
    if text[m.end : m.end + 4].lower() == "-old" or re.match(r"\s+old\b", text[m.end : m.end + 5]):
        return False
    if unit in {"second", "seconds"} and (num in {"a", "an"} or after.startswith("-")):
        return False  # "a second time", "second-largest"
    if unit == "quarter" or unit == "quarters":  # "three-quarters of the vote" is a fraction
        return bool(m.part("rel") or num not in {"a", "an", "one"}) and _word_after(text, m.end).lower() != "of"
    if num in {"a", "an"} and not m.part("approx") and not m.part("det") and not m.part("half"):
        # "a year" is a duration; "twice a year", "$5 a day" are rates and "a day when" is a noun phrase.
        before = _word_before(text, m.start)
        return before not in {"once", "twice", "times", "thrice", "per"} and not re.search(
            r"[\d$£€%]\s*$", text[max(0, m.start - 3) : m.start])
    return True


def _check_bare_units(lex: Lexicon, m: Mention, text: str) -> bool:
    """"years", "weeks" alone are durations only after a duration cue ("for years", "within days")."""
    return bool(m.part("approx")) or _word_before(text, m.start) in {
        "for", "within", "over", "took", "take", "takes", "lasted", "lasting", "last", "spent", "spend", "waited"}


def _check_present(lex: Lexicon, m: Mention, text: str) -> bool:
    word = (m.part("word") or "").lower()
    if word == "now":  # "now" is a time; "now that", "just now" ok, "now, now" rare; "Now," as a discourse marker too
        return True
    if word == "the past":
        return _word_after(text, m.end).lower() not in {"few", "two", "three", "several", "year", "week", "month"}
    return True


_NOT_TIME_AFTER_CURRENT = {"account", "accounts", "affairs", "assets", "liabilities", "flow", "flows", "sea"}


def _check_current(lex: Lexicon, m: Mention, text: str) -> bool:
    """"current" and "recent" before a noun place it at or before the publication date ("the
    current crisis"); the fixed phrases of accounting ("current account") are not times."""
    return _word_after(text, m.end).lower() not in _NOT_TIME_AFTER_CURRENT


_PUBLICATION_WORDS = {"newspaper", "newspapers", "paper", "papers", "news", "mail", "express", "telegraph", "star",
                      "beast", "show", "programme", "program", "edition", "bread", "allowance", "ration", "rations"}


def _check_set_word(lex: Lexicon, m: Mention, text: str) -> bool:
    """"daily" before a publication or ration word names a thing ("the Daily Express", "daily bread")."""
    after = _word_after(text, m.end)
    if text[m.start].isupper() and after[:1].isupper():
        return False
    return after.lower() not in _PUBLICATION_WORDS


def _check_relunit(lex: Lexicon, m: Mention, text: str) -> bool:
    """"This Week" in title case is a programme or a magazine, not a week."""
    unit = m.part("unit") or ""
    return not (unit[:1].isupper() and (m.part("rel") or "")[:1].isupper() and m.start > 0
                and text[m.start - 1] not in "\n")


# Each rule's check; rules without one accept every match.
CHECKS: dict[str, Callable[[Lexicon, Mention, str], bool]] = {
    "relunit": _check_relunit,
    "month": _check_month,
    "year": _check_year,
    "spoken_year": _check_spoken_year,
    "season": _check_season,
    "quarter": _check_quarter,
    "duration": _check_duration,
    "bare_units": _check_bare_units,
    "present": _check_present,
    "current": _check_current,
    "set": _check_set_word,
}
