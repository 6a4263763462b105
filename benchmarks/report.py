"""Shared by the benchmark scripts: the machine line and appending an entry to RESULTS.md."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def heading(name: str) -> str:
    return f"## {name}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


def machine() -> str:
    return f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def publish(lines: list[str], write: bool) -> None:
    """Print the entry; append it to RESULTS.md unless told not to."""
    text = "\n".join([*lines, ""])
    print(text)
    if write:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
