"""The shape of the house (docs/architecture.md): packages import only what their layer allows, files stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "eventsift"
MAX_LINES = 500

FOUNDATION = {"errors", "records", "settings", "data_yaml", "datafiles", "partial_dates", "__version__"}
STAGES = {"ingest", "clean", "read", "places", "times", "quotes", "events"}
RUNNERS = {"pipeline", "workflow"}
CLI = {"cli", "cli_serve", "cli_scale"}
OUTER = {"store", "stories", "serve", "export", "scale", "eval"} | RUNNERS | CLI

# What each top-level module or package may never import (docs/architecture.md, "Who imports whom").
NEVER = {
    **{name: STAGES | OUTER for name in FOUNDATION},
    **{name: OUTER for name in STAGES},
    "store": STAGES | OUTER - {"store"},
    "stories": OUTER - {"store", "stories"},
    "pipeline": OUTER - {"store", "stories", "pipeline"},
    "workflow": {"serve", "export", "scale", "eval"} | CLI,
    "export": {"serve", "scale", "eval"} | RUNNERS | CLI,
    "serve": {"scale", "eval"} | CLI,
    "scale": {"serve", "eval"} | CLI,
    "eval": {"serve", "scale"} | CLI,
}


def _sources() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)


def _owner(path: Path) -> str:
    """The top-level module or package a file belongs to: ``events`` for events/find.py."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _package_of(path: Path) -> list[str]:
    """The dotted package a file's relative imports start from: ['eventsift', 'events'] for events/find.py."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts[:-1]


def _imported(source: str, package: list[str]) -> set[str]:
    """The top-level eventsift modules and packages a source file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "eventsift":
                target = node.module.split(".")
            else:
                continue
            found |= {target[1]} if len(target) > 1 else {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("eventsift.")}
    return found


def _forbidden(owner: str, imported: set[str]) -> set[str]:
    return (NEVER.get(owner, set()) & imported) - {owner}


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_forbidden_import(path: Path) -> None:
    owner = _owner(path)
    forbidden = _forbidden(owner, _imported(path.read_text(encoding="utf-8"), _package_of(path)))
    assert not forbidden, f"{path.relative_to(PACKAGE)} ({owner}) imports {sorted(forbidden)}"


def test_every_top_level_name_has_a_rule() -> None:
    """A new package or top-level module needs its line in NEVER (and in docs/architecture.md)."""
    names = {_owner(path) for path in _sources()} - {"__init__"}
    assert names <= set(NEVER) | CLI | {"cli"}, sorted(names - set(NEVER) - CLI)


def test_no_source_file_over_the_limit() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in _sources()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"over {MAX_LINES} lines: {long}"


def test_the_checker_sees_a_forbidden_import() -> None:
    """The rule can fail: relative, absolute and package-level imports of the store from a stage are all seen."""
    events = ["eventsift", "events"]
    assert _forbidden("events", _imported("from ..store.query import list_events\n", events)) == {"store"}
    assert _forbidden("events", _imported("from eventsift.serve import api\n", events)) == {"serve"}
    assert _forbidden("events", _imported("from .. import workflow\n", events)) == {"workflow"}
    assert _forbidden("events", _imported("from .types import Trigger\nfrom ..records import Event\n", events)) == set()
    assert _forbidden("records", _imported("from .events.find import find_events\n", ["eventsift"])) == {"events"}
