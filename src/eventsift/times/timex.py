"""Time-expression recogniser: where the dates, times, durations and frequencies are in a text.

Rules are the regular expressions of ``data/time_rules.yaml``, filled in once with the word lists of
``data/time_lexicon.yaml`` and matched over the plain text (no parse is needed). Extents follow TimeML TIMEX3: determiners and
quantifying modifiers are inside ("the third quarter", "nearly two years ago", "early next year"),
prepositions are outside ("in May 2023" gives "May 2023"). Where rules overlap, the longest match
wins. Each :class:`Mention` carries the rule's name and its named parts; :mod:`eventsift.times.timenorm`
turns them into values.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from .. import data_yaml

__all__ = [
    "Lexicon",
    "Mention",
    "Recogniser",
    "Rule",
    "Unit",
    "is_deadline",
    "load_lexicon",
    "load_rules",
    "opens_past_sentence",
    "recogniser",
    "speaks_of_future",
]

log = logging.getLogger(__name__)

# One space or one line break (newswire wraps lines inside sentences), never a paragraph break.
SP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"


@dataclass(frozen=True)
class Unit:
    """A calendar unit: TimeML duration letter, how many of that letter it is, below a day or not."""

    name: str
    letter: str
    factor: int = 1
    time: bool = False


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``data/time_lexicon.yaml``, keyed by lower-cased words."""

    months: dict[str, int]
    month_names: tuple[str, ...]
    month_abbreviations: tuple[str, ...]
    ambiguous_months: frozenset[str]
    month_cues: frozenset[str]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    vague_numbers: tuple[str, ...]
    ordinals: dict[str, int]
    units: dict[str, Unit]  # singular and plural forms
    approximators: tuple[str, ...]
    seasons: dict[str, str]
    parts_of_day: dict[str, str]
    time_zones: tuple[str, ...]
    present: tuple[str, ...]
    past: tuple[str, ...]
    future: tuple[str, ...]
    relative_days: dict[str, int]
    sets: dict[str, str]
    holidays: dict[str, dict[str, Any]]

    def number(self, word: str) -> int | None:
        """The value of a number word or numeral ("twenty-four", "24", "1,000"), None if vague."""
        key = " ".join(word.lower().replace("-", " ").split())
        if key.replace(",", "").isdigit():
            return int(key.replace(",", ""))
        return self.numbers.get(key)

    def unit(self, word: str) -> Unit:
        return self.units[word.lower()]


def _plural(word: str) -> str:
    return word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else word + "s"


def load_lexicon(text: str | None = None) -> Lexicon:
    """Read the lexicon (the packaged file unless ``text`` is given)."""
    if text is None:
        text = resources.files("eventsift.data").joinpath("time_lexicon.yaml").read_text(encoding="utf-8")
    data = data_yaml.safe_load(text)
    months = {k.lower(): v for k, v in data["months"]["names"].items()}
    months.update({k.lower(): v for k, v in data["months"]["abbreviations"].items()})
    nums = data["numbers"]
    numbers = {**nums["units"], **nums["teens"], **nums["tens"], **nums["other"]}
    for tens_word, tens in nums["tens"].items():
        for unit_word, unit in nums["units"].items():
            numbers[f"{tens_word} {unit_word}"] = tens + unit
    units: dict[str, Unit] = {}
    for name, spec in data["units"].items():
        unit = Unit(name, spec["letter"], spec.get("factor", 1), spec.get("time", False))
        units[name] = unit
        units[spec.get("plural", _plural(name))] = unit
    return Lexicon(
        months=months,
        month_names=tuple(data["months"]["names"]),
        month_abbreviations=tuple(data["months"]["abbreviations"]),
        ambiguous_months=frozenset(data["months"]["ambiguous"]),
        month_cues=frozenset(data["month_cues"]),
        weekdays={k.lower(): v for k, v in data["weekdays"].items()},
        numbers={k.lower(): v for k, v in numbers.items()},
        vague_numbers=tuple(data["vague_numbers"]),
        ordinals=dict(data["ordinals"]),
        units=units,
        approximators=tuple(data["approximators"]),
        seasons=dict(data["seasons"]),
        parts_of_day=dict(data["parts_of_day"]),
        time_zones=tuple(data["time_zones"]),
        present=tuple(data["present"]),
        past=tuple(data["past"]),
        future=tuple(data["future"]),
        relative_days=dict(data["relative_days"]),
        sets=dict(data["sets"]),
        holidays=dict(data["holidays"]),
    )


@dataclass(frozen=True)
class Mention:
    """A recognised time expression: ``text[start:end]``, the rule that found it and its named parts."""

    start: int
    end: int
    rule: str
    parts: Mapping[str, str] = field(default_factory=dict)

    def part(self, name: str) -> str | None:
        return self.parts.get(name)


def _alt(words: Iterable[str], *, case: bool = False) -> str:
    """A regex alternation of literal phrases, longest first; ``case`` keeps it case-sensitive."""
    items = sorted({w for w in words if w}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", SP) for w in items)
    return f"(?-i:{body})" if case else f"(?:{body})"


def _fragments(lex: Lexicon) -> dict[str, str]:
    """Named regex pieces the rules are written with (``<<NAME>>`` in a rule)."""
    # Compound number words may be written "twenty-four" or "twenty four".
    number_words = "(?:" + "|".join(
        re.escape(k).replace(r"\ ", "[ -]") for k in sorted(lex.numbers, key=len, reverse=True)) + ")"
    unit_words = _alt(lex.units)
    return {
        "MONTH": rf"(?:{_alt(lex.month_names, case=True)}|{_alt(lex.month_abbreviations, case=True)}\.?)(?![\w’'])",
        "MONTHFULL": rf"(?:{_alt(lex.month_names, case=True)}|{_alt(lex.month_abbreviations, case=True)}\.)(?!\w)",
        "DOW": rf"{_alt((w.capitalize() for w in lex.weekdays), case=True)}(?!\w)",
        "DOWS": rf"{_alt((w.capitalize() + 's' for w in lex.weekdays), case=True)}(?!\w)",
        "DAYNUM": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[.,:]\d)",
        "DAYORD": _alt(k for k, v in lex.ordinals.items() if v <= 31),
        "ORD": _alt(lex.ordinals),
        "YEAR": r"(?<![\w$£€.,/])(?<!\d-)(?:1[0-9]\d\d|20\d\d)(?![\w%]|[.,]\d|-\d)",
        "YEAR2": r"['’]\d\d(?![\w'’])",
        "SPOKENYEAR": (
            r"nineteen[ -](?:hundred(?:[ -]and)?[ -])?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
            r"(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|"
            r"fifteen|sixteen|seventeen|eighteen|nineteen|oh[ -](?:one|two|three|four|five|six|seven|eight|nine))"
            r"|two[ -]thousand(?:(?:[ -]and)?[ -](?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
            r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[ -](?:one|two|three|four))?))?"
        ),
        "NUM": rf"(?:\d+(?:[ -]\d/\d|\.\d+)?(?!\d)|{number_words})",
        "VAGUE": _alt(lex.vague_numbers),
        "UNIT": rf"{unit_words}(?!\w)",
        "APPROX": _alt(lex.approximators),
        "SEASON": rf"{_alt(lex.seasons)}(?!\w)",
        "POD": _alt(["morning", "afternoon", "evening", "night"]) + r"(?!\w)",
        "TZ": _alt(lex.time_zones, case=True),
        "REALDAYS": _alt(lex.relative_days),
        "PRESENT": _alt(lex.present),
        "PAST": _alt(lex.past),
        "FUTURE": _alt(lex.future),
        "SETWORD": _alt(lex.sets),
        "HOLIDAY": _alt(lex.holidays, case=True),
        "MOD": (
            r"(?:early|earlier|late|later|mid|the[ ]end[ ]of|the[ ]beginning[ ]of|the[ ]start[ ]of|"
            r"the[ ]middle[ ]of|the[ ]rest[ ]of|the[ ]remainder[ ]of|the[ ]close[ ]of|the[ ]turn[ ]of|"
            r"the[ ]dawn[ ]of|the[ ]height[ ]of|the[ ]first[ ]half[ ]of|the[ ]second[ ]half[ ]of|"
            r"the[ ]latter[ ]half[ ]of|the[ ]last[ ]half[ ]of|the[ ]first[ ]part[ ]of|"
            r"sometime|some[ ]time|until[ ]the[ ]end[ ]of)"
        ).replace("[ ]", SP),
        "REL": (
            r"(?:this[ ]past|this[ ]coming|the[ ]past|the[ ]last|the[ ]next|the[ ]coming|the[ ]previous|"
            r"the[ ]following|the[ ]current|the[ ]preceding|the[ ]same|this|last|next|past|coming|"
            r"previous|following|current|that)"
        ).replace("[ ]", SP),
    }




@dataclass(frozen=True)
class Rule:
    """A recognition rule: its name, compiled pattern, and the words one of which each match holds."""

    name: str
    regex: re.Pattern[str]
    triggers: frozenset[str]  # empty (and no digits): always run
    digits: bool  # also run where a token has a digit


def load_rules(text: str | None = None) -> list[dict[str, Any]]:
    """The rules of ``data/time_rules.yaml`` (name, triggers, pattern), in priority order."""
    if text is None:
        text = resources.files("eventsift.data").joinpath("time_rules.yaml").read_text(encoding="utf-8")
    return list(data_yaml.safe_load(text)["rules"])


_TOKEN = re.compile(r"\w+")
_STOPWORDS = {"the", "a", "an", "at", "of", "in", "for", "as", "to", "this", "these", "s"}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")  # no rule's match crosses a blank line (see SP)


def _content_tokens(phrases: Iterable[str]) -> set[str]:
    """The tokens of each phrase, less function words (all of them for a phrase of function words)."""
    found: set[str] = set()
    for phrase in phrases:
        tokens = {t.lower() for t in _TOKEN.findall(phrase)}
        found |= (tokens - _STOPWORDS) or tokens
    return found


def _trigger_classes(lex: Lexicon) -> dict[str, set[str]]:
    return {
        "MONTHS": set(lex.months),
        "WEEKDAYS": set(lex.weekdays) | {w + "s" for w in lex.weekdays},
        "UNITS": set(lex.units),
        "SEASONS": set(lex.seasons),
        "SETS": set(lex.sets),
        "HOLIDAYS": _content_tokens(lex.holidays),
        "PRESENT": _content_tokens(lex.present),
        "PAST": _content_tokens(lex.past),
        "FUTURE": _content_tokens(lex.future),
    }


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    return spans


class Recogniser:
    """Finds time expressions in plain text; build once (see :func:`recogniser`), use everywhere."""

    def __init__(self, lexicon: Lexicon, rules: list[dict[str, Any]] | None = None) -> None:
        self.lexicon = lexicon
        pieces = _fragments(lexicon)
        pieces["SP"] = SP
        classes = _trigger_classes(lexicon)
        self.rules: list[Rule] = []
        for raw in rules if rules is not None else load_rules():
            pattern = raw["pattern"]
            for _ in range(2):  # a fragment may name another fragment
                for key, value in pieces.items():
                    pattern = pattern.replace(f"<<{key}>>", value)
            regex = re.compile(rf"(?<![\w’'-])(?:{pattern})", re.IGNORECASE | re.VERBOSE)
            names = list(raw.get("triggers") or [])
            words: set[str] = set()
            for trigger in names:
                if trigger != "DIGIT":
                    words |= classes.get(trigger, {trigger.lower()})
            self.rules.append(Rule(raw["name"], regex, frozenset(words), "DIGIT" in names))

    def find(self, text: str) -> list[Mention]:
        """Every time expression in ``text``, in order, without overlaps.

        A rule runs only over the paragraphs holding one of its trigger words: most paragraphs hold no
        month name, no "ago", no clock time, and regex passes over them are the stage's whole cost.
        """
        found: list[tuple[int, int, int, Mention]] = []
        for start, end in _paragraphs(text):
            tokens = {t.lower() for t in _TOKEN.findall(text, start, end)}
            digits = any(any(c.isdigit() for c in t) for t in tokens)
            for priority, rule in enumerate(self.rules):
                if (rule.triggers or rule.digits) and not (rule.digits and digits) and rule.triggers.isdisjoint(tokens):
                    continue
                for match in rule.regex.finditer(text, start, end):
                    mention = self._accept(rule.name, match, text)
                    if mention is not None:
                        found.append((mention.start, -(mention.end - mention.start), priority, mention))
        return _without_overlaps(found)

    def _accept(self, name: str, match: re.Match[str], text: str) -> Mention | None:
        """The match as a Mention, or None where the context says it is not a time expression."""
        start, end = match.span()
        while end > start and text[end - 1] in " \t\n,":
            end -= 1
        start = _adjective_start(name, match, start)
        parts = {k: v for k, v in match.groupdict().items() if v is not None}
        mention = Mention(start, end, name, parts)
        check = _CHECKS.get(name)
        return mention if check is None or check(self.lexicon, mention, text) else None


def _adjective_start(name: str, match: re.Match[str], start: int) -> int:
    """Hyphenated forms are adjectives ("the 14-day strike", "its third-quarter profit"): the
    determiner belongs to the noun phrase, not to the time expression (TimeBank leaves it out)."""
    if name not in {"duration", "quarter"} or not match.group("det"):
        return start
    head = "num" if name == "duration" else "ordinal"
    if match.group(head) is None or match.group("year" if name == "quarter" else "half"):
        return start
    following = match.string[match.end(head) : match.end(head) + 1]
    return match.start(head) if following == "-" else start


def _without_overlaps(found: list[tuple[int, int, int, Mention]]) -> list[Mention]:
    """Longest match first (then rule priority); a later match may not overlap a kept one."""
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for _, _, _, mention in sorted(found, key=lambda f: (f[1], f[0], f[2])):
        if any(mention.start < e and s < mention.end for s, e in taken):
            continue
        kept.append(mention)
        taken.append((mention.start, mention.end))
    return sorted(kept, key=lambda m: m.start)


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


_CHECKS = {
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


# --- tense cues around an expression -------------------------------------------------------------------

_FUTURE_CUE = re.compile(
    r"\b(?:will|won[’']t|shall|going\s+to|plans?\s+to|planned|planning|scheduled|is\s+due|are\s+due|"
    r"is\s+expected|are\s+expected|expects?\s+to|is\s+set\s+to|are\s+set\s+to|intends?\s+to|is\s+to|"
    r"are\s+to|would|upcoming|tomorrow|set\s+to|as\s+(?:soon|early)\s+as|no\s+earlier\s+than)\b|[’']ll\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(?:said|announced|reported|told|added|declared|confirmed|stated|wrote|posted|claimed|denied|"
    r"disclosed|agreed|voted|approved|predicted|warned|insisted|argued|noted|explained|vowed|promised|"
    r"pledged|urged|estimated|indicated|met|held|was|were|had|did|took|began|left|came|went|spoke|"
    r"said\s+on|told\s+\w+)\s*$",
    re.IGNORECASE,
)
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
    if _REPORTED.search(left) or _PAST_VERB.search(left):
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


@lru_cache(maxsize=1)
def recogniser() -> Recogniser:
    """The recogniser over the packaged lexicon, built once per process."""
    return Recogniser(load_lexicon())
