"""The evaluation harness: a registry of gold sets, one runner, reports and the baseline gate.

Each eval set registers an :class:`EvalSet`: ``load`` (the adapter) reads a gold folder into items
keyed by id; ``score`` (the scorer) runs eventsift, and any reference systems, on those items and
returns metrics per system. Built-in sets register themselves exactly as a third-party one would::

    register(EvalSet("article-extraction", "article body text out of news HTML", load, score))

Metrics are "higher is better" fractions, so one rule serves every set in the baseline gate: a run
fails where a metric falls more than a small tolerance below the value pinned in ``eval-baseline.json``.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, EventsiftError, InputError, StageError, one_line
from ..settings import Options

__all__ = [
    "DEFAULT_TOLERANCE",
    "EvalError",
    "EvalReport",
    "EvalSet",
    "Scores",
    "baseline_entry",
    "check_baseline",
    "eval_names",
    "get_eval_set",
    "load_baseline",
    "refused_input",
    "register",
    "run_eval",
    "write_report",
]

logger = logging.getLogger(__name__)

DEFAULT_TOLERANCE = 0.005


class EvalError(EventsiftError):
    """A stage crashed on a gold item: the eval stops rather than score the crash as empty output."""


def refused_input(exc: EventsiftError, eval_name: str, item: str) -> str:
    """The one-line reason when a stage refused the item's input (it scores as empty output, as the
    pipeline would reject it); any other failure is a crash and raises EvalError naming the item."""
    if isinstance(exc, EvalError):
        raise exc
    cause = exc.cause if isinstance(exc, StageError) else exc
    if isinstance(cause, InputError):
        return one_line(exc)
    raise EvalError(f"{eval_name}: stage crashed on item {item!r}: {one_line(exc)}") from exc


@dataclass
class Scores:
    """What a scorer returns: metrics per system, plus per-item rows and notes for the report."""

    systems: dict[str, dict[str, float]]
    items: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)


Loader = Callable[[Path], Mapping[str, Any]]
Scorer = Callable[[list[tuple[str, Any]], Options], Scores]


@dataclass(frozen=True)
class EvalSet:
    """One gold set: its name, the adapter and the scorer; ``folder`` under ``eval_dir`` (default: name)."""

    name: str
    description: str
    load: Loader
    score: Scorer
    folder: str | None = None


@dataclass
class EvalReport:
    """The result of one run: ``systems`` maps each system to its metrics (fractions, higher is better)."""

    name: str
    n: int
    systems: dict[str, dict[str, float]]
    sample: int | None = None
    data_dir: str | None = None
    seconds: float = 0.0
    notes: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, items: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not items:
            data.pop("items")
        return data

    def to_json(self, items: bool = True) -> str:
        return json.dumps(self.to_dict(items=items), indent=2, ensure_ascii=False, sort_keys=False)

    def metric_names(self) -> list[str]:
        names: list[str] = []
        for metrics in self.systems.values():
            names.extend(m for m in metrics if m not in names)
        return names

    def columns(self) -> list[str]:
        """Column headings of :meth:`rows`: ``system`` and then each metric."""
        return ["system", *self.metric_names()]

    def rows(self) -> list[list[str]]:
        """One row per system for printing under :meth:`columns`, values to 4 places."""
        metrics = self.metric_names()
        return [
            [system, *(f"{values[m]:.4f}" if m in values else "-" for m in metrics)]
            for system, values in self.systems.items()
        ]


_REGISTRY: dict[str, EvalSet] = {}


def register(eval_set: EvalSet) -> EvalSet:
    """Add an eval set to the registry (a later registration under the same name replaces it)."""
    if eval_set.name in _REGISTRY and _REGISTRY[eval_set.name] is not eval_set:
        logger.debug("eval set %s re-registered", eval_set.name)
    _REGISTRY[eval_set.name] = eval_set
    return eval_set


def eval_names() -> list[str]:
    """Names of the registered eval sets, sorted."""
    return sorted(_REGISTRY)


def get_eval_set(name: str) -> EvalSet:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(eval_names()) or "none"
        raise ConfigError(f"unknown eval set {name!r} (known: {known})") from None


def run_eval(
    name: str,
    data_dir: Path | None = None,
    sample: int | None = None,
    options: Options | None = None,
) -> EvalReport:
    """Score eventsift (and the set's reference systems) on one gold set; writes nothing.

    ``data_dir`` defaults to ``Path(options.eval_dir) / name``. ``sample`` keeps the first N item ids
    in sorted order, so a sample is the same on every machine and every run.
    """
    options = options or Options()
    eval_set = get_eval_set(name)
    default = Path(options.eval_dir) / (eval_set.folder or name)
    folder = Path(data_dir) if data_dir is not None else default
    if not folder.is_dir():
        raise ConfigError(
            f"eval data for {name!r} not found at {folder}: pass its folder (--data DIR) or set eval_dir"
        )
    if sample is not None and sample < 1:
        raise ConfigError(f"sample must be a positive number of items, not {sample}")
    items = eval_set.load(folder)
    ids = sorted(items)[:sample] if sample is not None else sorted(items)
    logger.info("eval %s: scoring %d of %d items from %s", name, len(ids), len(items), folder)
    started = time.perf_counter()
    scores = eval_set.score([(item_id, items[item_id]) for item_id in ids], options)
    return EvalReport(
        name=name,
        n=len(ids),
        systems=scores.systems,
        sample=sample,
        data_dir=str(folder),
        seconds=round(time.perf_counter() - started, 3),
        notes=scores.notes,
        items=scores.items,
    )


def write_report(report: EvalReport, path: Path | str) -> Path:
    """Write the report, per-item rows included, as JSON; return the path written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(report.to_json() + "\n", encoding="utf-8")
    return target


def load_baseline(path: Path | str) -> dict[str, Any]:
    """Read a baseline file: ``{set name: {"sample": N, "metrics": {system: {metric: value}}}}``."""
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"baseline file not found: {source}") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"baseline file {source} is not readable JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"baseline file {source} must hold a JSON object keyed by eval set name")
    return data


def baseline_entry(report: EvalReport) -> dict[str, Any]:
    """The report as a baseline-file entry, each metric rounded down to 4 places."""
    return {
        "sample": report.sample,
        "metrics": {
            system: {metric: math.floor(value * 10_000) / 10_000 for metric, value in metrics.items()}
            for system, metrics in report.systems.items()
        },
    }


def check_baseline(
    report: EvalReport, baseline: Mapping[str, Any], tolerance: float = DEFAULT_TOLERANCE
) -> list[str]:
    """One readable line per pinned metric the report falls below (more than ``tolerance``).

    ``baseline`` is either the whole baseline file or its entry for this set. An empty list means the
    report passes. A run on another sample than the pinned one is a failure too: the numbers would
    not be comparable.
    """
    entry = baseline.get(report.name, baseline)
    pinned = entry.get("metrics") if isinstance(entry, Mapping) else None
    if not isinstance(pinned, Mapping):
        return [f"{report.name}: no baseline pinned for this eval set"]
    failures: list[str] = []
    if "sample" in entry and entry["sample"] != report.sample:
        failures.append(
            f"{report.name}: scored with sample={report.sample}, but the baseline is pinned at "
            f"sample={entry['sample']}"
        )
    for system, metrics in pinned.items():
        got = report.systems.get(system)
        if got is None:
            failures.append(f"{report.name}: system {system!r} missing from the report")
            continue
        for metric, value in metrics.items():
            if metric not in got:
                failures.append(f"{report.name}: {system} {metric} missing from the report")
            elif got[metric] < float(value) - tolerance:
                failures.append(
                    f"{report.name}: {system} {metric} {got[metric]:.4f} is below the baseline "
                    f"{float(value):.4f} (tolerance {tolerance})"
                )
    return failures
