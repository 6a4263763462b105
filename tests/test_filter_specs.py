"""Each filter is declared once (store/filters.py FILTER_SPECS); the CLI's export options, the API's
query parameters and the docs' filter tables are built from, or checked against, that declaration."""

from __future__ import annotations

from pathlib import Path

import typer.main
from typer.testing import CliRunner

from eventsift.cli import app
from eventsift.serve.api import create_app
from eventsift.store.filters import FILTER_FIELDS, FILTER_SPECS, filter_doc_lines, parse_filters

from .conftest import ROOT


def test_every_filter_field_is_declared_once() -> None:
    assert [spec.name for spec in FILTER_SPECS] == list(FILTER_FIELDS)


def test_docs_tables_match_the_declaration() -> None:
    """Regenerate with: python -c "from eventsift.store.filters import filter_doc_lines as f; print(*f('api'), sep='\\n')"
    (``'cli'`` for docs/cli.md's export options)."""
    for doc, kind in (("api.md", "api"), ("cli.md", "cli")):
        text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
        assert "\n".join(filter_doc_lines(kind)) in text, f"docs/{doc}: filter table differs from FILTER_SPECS"


def test_export_options_come_from_the_declaration() -> None:
    export = typer.main.get_command(app).commands["export"]  # type: ignore[attr-defined]
    options = {param.name: param for param in export.params}
    for spec in FILTER_SPECS:
        if spec.flag is None:
            assert spec.name not in options
            continue
        option = options[spec.name]
        assert option.opts == [spec.flag] and option.help == spec.help and option.default == spec.default


def test_api_parameters_come_from_the_declaration(tmp_path: Path) -> None:
    doc = create_app(f"sqlite:///{tmp_path / 'spec.db'}").openapi()
    params = {p["name"]: p for p in doc["paths"]["/events"]["get"]["parameters"]}
    assert set(params) == {spec.name for spec in FILTER_SPECS}
    for spec in FILTER_SPECS:
        assert params[spec.name]["description"] == spec.help
        if spec.pattern:
            assert params[spec.name]["schema"]["pattern"] == spec.pattern
    stats = {p["name"] for p in doc["paths"]["/stats"]["get"]["parameters"]}
    assert stats == {spec.name for spec in FILTER_SPECS if not spec.paging}


def test_export_filters_reach_the_query(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = CliRunner().invoke(app, ["export", "-f", "jsonl", "-o", "-", "--db", db, "--from", "2024-13"])
    assert result.exit_code == 2 and "date_from" in result.output
    result = CliRunner().invoke(app, ["export", "-f", "jsonl", "-o", "-", "--db", db, "--country", "ru,ua",
                                      "--min-sources", "2", "--sort", "date"])
    assert result.exit_code == 0, result.output
    assert parse_filters({"country": "ru,ua"}).country == "RU,UA"
