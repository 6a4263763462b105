"""eventsift: turn news reports into an evidence-backed event dataset, offline."""

from __future__ import annotations

from .errors import EventsiftError
from .records import Article, Reject, Removed, Repair, Span
from .settings import Options, load_options

__all__ = [
    "Article",
    "EventsiftError",
    "Options",
    "Reject",
    "Removed",
    "Repair",
    "Span",
    "__version__",
    "load_options",
]

__version__ = "0.1.0"
