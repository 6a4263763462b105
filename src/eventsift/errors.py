"""The one exception tree of eventsift.

    EventsiftError                 base of everything the library raises on purpose
    ├── ConfigError                a setting or option is invalid
    ├── InputError                 an input cannot be read as an article (one-line reason)
    │   ├── EmptyInput             nothing to read
    │   ├── BinaryInput            bytes that are not text
    │   ├── EncodingError          text that is not valid in any encoding we accept
    │   ├── TooLarge               over the size cap
    │   ├── NoArticle              HTML with no article text
    │   └── BadRecord              a JSONL line or feed that is malformed
    ├── FetchError                 a URL or feed could not be fetched (HTTP, robots.txt, timeout)
    ├── StageError                 a pipeline stage failed on one article (wraps the cause)
    ├── StoreError                 the database refused an operation
    └── QueryError                 a filter, sort or cursor of a query is invalid (API: 400)

Every message is one line a person can act on; the runner's error handler records it in the rejects
table and the batch carries on.
"""

from __future__ import annotations

__all__ = [
    "BadRecord",
    "BinaryInput",
    "ConfigError",
    "EmptyInput",
    "EncodingError",
    "EventsiftError",
    "FetchError",
    "InputError",
    "NoArticle",
    "QueryError",
    "StageError",
    "StoreError",
    "TooLarge",
]


class EventsiftError(Exception):
    """Base of every error eventsift raises on purpose."""


class ConfigError(EventsiftError):
    """A setting or command-line option is invalid."""


class InputError(EventsiftError):
    """An input cannot be read as an article."""


class EmptyInput(InputError):
    """The input holds no text."""


class BinaryInput(InputError):
    """The input is binary data, not text or HTML."""


class EncodingError(InputError):
    """The input's bytes are not valid text in a supported encoding."""


class TooLarge(InputError):
    """The input is over the configured size cap."""


class NoArticle(InputError):
    """The page holds no article text."""


class BadRecord(InputError):
    """A JSONL line or a feed is malformed."""


class FetchError(EventsiftError):
    """A URL or feed could not be fetched."""


class StageError(EventsiftError):
    """A pipeline stage failed on one article."""

    def __init__(self, stage: str, article_id: str, cause: BaseException) -> None:
        self.stage = stage
        self.article_id = article_id
        self.cause = cause
        super().__init__(f"{stage}: {one_line(cause)}")


class StoreError(EventsiftError):
    """The database refused an operation."""


class QueryError(EventsiftError):
    """A query's filter, sort or cursor is invalid (a bad date, bounding box, sort name...)."""


def one_line(exc: BaseException) -> str:
    """The exception as one readable line: its message, or its type when it has none."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
