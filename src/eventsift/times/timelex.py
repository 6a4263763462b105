"""The word lists of the time-expression stage (``data/time_lexicon.yaml``) and the :class:`Mention`
the recogniser (:mod:`eventsift.times.timex`) hands to the normaliser (:mod:`eventsift.times.timenorm`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..datafiles import load_data, safe_load

__all__ = ["Lexicon", "Mention", "Unit", "load_lexicon"]


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
    data = load_data("time_lexicon.yaml") if text is None else safe_load(text)
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
