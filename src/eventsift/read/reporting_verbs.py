"""The reporting-verb lexicon (data/reporting_verbs.yaml): each verb of saying once, with the tags of
the stages that read it (quote cues, claims and denials, the tense of a date after "said").

One declaration for every reader: :mod:`eventsift.quotes.speech_cues`, :mod:`eventsift.events.status`,
:mod:`eventsift.events.dates`, :mod:`eventsift.places.context` and :mod:`eventsift.times.tense` each
ask for the lemmas (or past forms) carrying their tag. In read/ so that every later stage may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import load_data

__all__ = ["ReportingVerb", "load_reporting_verbs", "past_forms", "tagged"]

FILE = "reporting_verbs.yaml"


@dataclass(frozen=True)
class ReportingVerb:
    """A reporting verb: its lemma, its past tense where a reader needs it, and its readers' tags."""

    lemma: str
    past: str | None
    tags: frozenset[str]


@lru_cache(maxsize=4)
def load_reporting_verbs(folder: str | None = None) -> tuple[ReportingVerb, ...]:
    """The lexicon in file order (the package's data folder unless ``folder`` names another)."""
    return tuple(
        ReportingVerb(str(lemma), spec.get("past"), frozenset(spec["tags"]))
        for lemma, spec in load_data(FILE, folder)["verbs"].items()
    )


def tagged(tag: str, folder: str | None = None) -> tuple[str, ...]:
    """The lemmas carrying ``tag``, in file order."""
    return tuple(v.lemma for v in load_reporting_verbs(folder) if tag in v.tags)


def past_forms(tag: str, folder: str | None = None) -> tuple[str, ...]:
    """The past tenses of the verbs carrying ``tag`` (those that give one), in file order."""
    return tuple(v.past for v in load_reporting_verbs(folder) if tag in v.tags and v.past)
