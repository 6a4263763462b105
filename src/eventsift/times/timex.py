"""Time-expression recogniser: where the dates, times, durations and frequencies are in a text.

Rules are the regular expressions of ``data/time_rules.yaml``, filled in once with the word lists of
``data/time_lexicon.yaml`` and matched over the plain text (no parse is needed). Extents follow TimeML TIMEX3: determiners and
quantifying modifiers are inside ("the third quarter", "nearly two years ago", "early next year"),
prepositions are outside ("in May 2023" gives "May 2023"). Where rules overlap, the longest match
wins. Each :class:`Mention` carries the rule's name and its named parts; :mod:`eventsift.times.timenorm`
turns them into values. The word lists are read in :mod:`eventsift.times.timelex`, the per-rule context
checks live in :mod:`eventsift.times.timex_checks` and the tense cues in :mod:`eventsift.times.tense`
(both re-exported here).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import load_data, safe_load
from .tense import is_deadline, opens_past_sentence, speaks_of_future
from .timelex import Lexicon, Mention, Unit, load_lexicon
from .timex_checks import CHECKS

__all__ = [
    "CHECKS",
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
    return list((load_data("time_rules.yaml") if text is None else safe_load(text))["rules"])


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
        check = CHECKS.get(name)
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


@lru_cache(maxsize=1)
def recogniser() -> Recogniser:
    """The recogniser over the packaged lexicon, built once per process."""
    return Recogniser(load_lexicon())
