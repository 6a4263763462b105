"""Docs that cannot drift: every command, option and setting appears in docs/cli.md."""

from __future__ import annotations

import re
from typing import Any

import typer.main

from eventsift.cli import app
from eventsift.settings import SETTINGS

from .conftest import ROOT

CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def _options(command: Any) -> list[str]:
    opts = (opt for p in command.params for opt in (*p.opts, *p.secondary_opts))
    return [opt for opt in opts if opt.startswith("-")]


def _documented(opt: str, text: str) -> bool:
    """The option appears in code style: `--db URL`, `--halted/--read`, `-n N`."""
    return re.search(rf"[`/]{re.escape(opt)}(?=[`\s/,=])", text) is not None


def test_every_command_and_option_is_documented() -> None:
    root = typer.main.get_command(app)
    assert root.commands
    preamble = CLI_DOC.split("\n## ", 1)[0]  # options documented here apply to every command
    missing = [opt for opt in _options(root) if not _documented(opt, preamble)]
    for name, command in root.commands.items():
        section = re.search(rf"^## {re.escape(name)}\n(.*?)(?=^## |\Z)", CLI_DOC, re.MULTILINE | re.DOTALL)
        assert section, f"docs/cli.md has no section for `{name}`"
        documented = section.group(1) + preamble
        missing += [f"{name} {opt}" for opt in _options(command) if not _documented(opt, documented)]
    assert not missing, f"undocumented options: {missing}"


def test_every_setting_is_documented() -> None:
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in CLI_DOC]
    assert not missing, f"undocumented settings: {missing}"
