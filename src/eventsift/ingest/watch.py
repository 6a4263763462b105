"""Polling feeds: read every feed each round, hand each reading on, survive feeds that fail.

One :class:`~eventsift.ingest.fetch.Fetcher` serves the whole watch, so robots.txt is read once per host and
an unchanged feed costs a conditional ``304``. A feed that is down, times out or is malformed is
reported to ``on_error`` and the watch goes on with the next feed and the next round. Sleeping uses
``stop.wait``, so setting ``stop`` ends the watch promptly.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError
from ..settings import Options
from .feeds import FeedReading, read_feed
from .fetch import Fetcher, HttpCache, MemoryHttpCache

__all__ = ["parse_every", "poll_once", "read_feeds_file", "watch"]

logger = logging.getLogger(__name__)

_EVERY = re.compile(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?")

Handle = Callable[[FeedReading, str], None]
OnError = Callable[[str, Exception], None]


def watch(
    feeds: list[str],
    every_seconds: float,
    handle: Handle,
    options: Options,
    *,
    rounds: int | None = None,
    stop: threading.Event | None = None,
    on_error: OnError,
    cache: HttpCache | None = None,
    is_known: Callable[[str], bool] | None = None,
) -> None:
    """Poll ``feeds`` every ``every_seconds`` until ``rounds`` are done or ``stop`` is set.

    ``handle(reading, feed)`` gets every reading, unchanged ones (``not_modified``) included; the
    per-entry fetch failures are in ``reading.errors``. Whatever a feed or ``handle`` raises goes to
    ``on_error(feed, exc)``. ``cache`` keeps ETag/Last-Modified validators (default: in memory, for
    this watch only; pass the store to keep them across runs). ``is_known(link)`` skips stored links.
    """
    if every_seconds <= 0:
        raise ConfigError(f"the polling interval must be positive, not {every_seconds!r}")
    stop = stop or threading.Event()
    done = 0
    with Fetcher(options, cache=cache if cache is not None else MemoryHttpCache()) as fetcher:
        while not stop.is_set():
            started = time.monotonic()
            poll_once(feeds, handle, options, fetcher, on_error=on_error, is_known=is_known, stop=stop)
            done += 1
            if rounds is not None and done >= rounds:
                break
            if stop.wait(max(0.0, every_seconds - (time.monotonic() - started))):
                break
    logger.info("watch ended after %d round(s)", done)


def poll_once(
    feeds: list[str],
    handle: Handle,
    options: Options,
    fetcher: Fetcher,
    *,
    on_error: OnError,
    is_known: Callable[[str], bool] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """One round: read each feed and hand on the reading; a failing feed goes to ``on_error``."""
    for feed in feeds:
        if stop is not None and stop.is_set():
            return
        try:
            handle(read_feed(feed, options, fetcher=fetcher, is_known=is_known), feed)
        except Exception as exc:  # noqa: BLE001 - one bad feed must not end the watch; on_error records it
            logger.warning("feed %s failed: %s", feed, exc)
            on_error(feed, exc)


def parse_every(text: str) -> float:
    """Seconds in an interval such as ``"15m"``, ``"30s"``, ``"2h"`` or ``"1h30m"``."""
    compact = "".join(text.split()).lower()
    match = _EVERY.fullmatch(compact)
    if not compact or match is None or not any(match.groups()):
        raise ConfigError(f"cannot read {text!r} as an interval: use hours, minutes, seconds as in 15m, 1h30m")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ConfigError(f"the interval {text!r} must be longer than zero")
    return total


def read_feeds_file(path: str | Path) -> list[str]:
    """Feed URLs or paths, one a line; blank lines and ``#`` comments are ignored, repeats dropped."""
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read feeds file {file}: {exc}") from exc
    feeds: list[str] = []
    for line in lines:
        entry = re.split(r"\s#", line, maxsplit=1)[0].strip()
        if entry and not entry.startswith("#") and entry not in feeds:
            feeds.append(entry)
    if not feeds:
        raise ConfigError(f"feeds file {file} lists no feeds")
    return feeds
