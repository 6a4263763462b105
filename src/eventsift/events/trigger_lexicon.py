"""The trigger lexicon and the event kinds: data/event_lexicon.yaml and data/event_mappings.yaml, compiled.

Each event kind is typed in ACLED, CAMEO and PLOVER terms at once (:class:`EventType`); each lemma
of the lexicon has rules (:class:`Rule`) that :mod:`.types` tries against a token's near words.
:func:`load_lexicon` reads both files once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import load_data

__all__ = ["EventType", "Lexicon", "Rule", "event_type", "load_lexicon", "modern_plover", "old_acled_type"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventType:
    """One kind of event in the three taxonomies; ``acled_*`` are "" for kinds ACLED does not code."""

    key: str
    acled_event_type: str
    acled_sub_event_type: str
    cameo_root: str | None
    plover_type: str | None
    plover_mode: str | None


@dataclass(frozen=True)
class Rule:
    """One lexicon rule for a lemma (see the header of data/event_lexicon.yaml)."""

    lemma: str
    type: str | None
    resolve: str | None
    score: float
    pos: frozenset[str]
    with_: frozenset[str]
    with_classes: tuple[str, ...]
    without: frozenset[str]
    victim: str | None
    not_victim: str | None
    no_deps: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """The compiled lexicon: rules by lemma, lemma classes, event kinds and their precedence."""

    rules: Mapping[str, tuple[Rule, ...]]
    classes: Mapping[str, frozenset[str]]
    bigrams: Mapping[str, frozenset[tuple[str, str]]]
    types: Mapping[str, EventType]
    precedence: Mapping[str, int]
    old_acled: Mapping[str, tuple[tuple[str, ...], str | None]]
    state_kinds: frozenset[str]
    plover_renames: Mapping[str, str]
    weapon_consequences: frozenset[str]  # "killed" in a sentence naming the weapon event: no event of its own

    def in_class(self, name: str, lemmas: Iterable[str], pairs: Iterable[tuple[str, str]] = ()) -> bool:
        words = self.classes.get(name, frozenset())
        if not words.isdisjoint(lemmas):
            return True
        return not self.bigrams.get(name, frozenset()).isdisjoint(pairs)


def _data(name: str) -> Any:
    return load_data(name)


def _as_set(values: Iterable[Any] | None) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values or ())


def _compile_rule(lemma: str, raw: Mapping[str, Any], types: Mapping[str, EventType]) -> Rule:
    kind = raw.get("type")
    if kind is not None and kind not in types:
        raise ValueError(f"event_lexicon.yaml: {lemma!r} names unknown event kind {kind!r}")
    with_all = [str(w) for w in raw.get("with") or ()]
    return Rule(
        lemma=lemma,
        type=kind,
        resolve=raw.get("resolve"),
        score=float(raw.get("score", 0.5)),
        pos=frozenset(str(p).upper() for p in raw.get("pos") or ()),
        with_=frozenset(w.lower() for w in with_all if not w.startswith("@")),
        with_classes=tuple(w[1:] for w in with_all if w.startswith("@")),
        without=_as_set(raw.get("without")),
        victim=raw.get("victim"),
        not_victim=raw.get("not_victim"),
        no_deps=_as_set(raw.get("no_deps")),
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon and mappings, read from the package's data files once per process."""
    mappings = _data("event_mappings.yaml")
    lexicon = _data("event_lexicon.yaml")
    types: dict[str, EventType] = {}
    for key, raw in mappings["types"].items():
        acled = list(raw.get("acled") or ["", ""])
        plover = list(raw.get("plover") or [None, None])
        types[key] = EventType(key, acled[0], acled[1], raw.get("cameo"), plover[0], plover[1])
    classes: dict[str, frozenset[str]] = {}
    bigrams: dict[str, frozenset[tuple[str, str]]] = {}
    for name, words in lexicon["classes"].items():
        single = [str(w).lower() for w in words if " " not in str(w)]
        pairs = [tuple(str(w).lower().split(" ", 1)) for w in words if " " in str(w)]
        classes[name] = frozenset(single)
        bigrams[name] = frozenset((a, b) for a, b in pairs)
    rules = {
        str(lemma).lower(): tuple(_compile_rule(str(lemma).lower(), raw, types) for raw in entries or ())
        for lemma, entries in lexicon["lemmas"].items()
    }
    old = {
        name: (tuple(raw["event_types"]), raw.get("sub_event_type"))
        for name, raw in (mappings.get("old_acled_types") or {}).items()
    }
    precedence = {key: rank for rank, key in enumerate(mappings.get("precedence") or ())}
    logger.debug("event lexicon: %d lemmas, %d kinds", len(rules), len(types))
    renames = {str(k): str(v) for k, v in (mappings.get("plover_renames") or {}).items()}
    return Lexicon(rules, classes, bigrams, types, precedence, old, _as_set(mappings.get("state_kinds")), renames,
                   _as_set(mappings.get("weapon_consequences")))


def event_type(key: str) -> EventType:
    """The event kind ``key`` of data/event_mappings.yaml."""
    return load_lexicon().types[key]


def old_acled_type(name: str) -> tuple[tuple[str, ...], str | None] | None:
    """An old-codebook ACLED EVENT_TYPE as (modern event types, modern sub-event type or None)."""
    return load_lexicon().old_acled.get(name)


def modern_plover(name: str) -> str:
    """A PLOVER event name of an early draft ("DEMAND") as the current type ("REQUEST")."""
    return load_lexicon().plover_renames.get(name.upper(), name.upper())
