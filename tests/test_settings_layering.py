"""Settings layer defaults < user TOML file < CLI flags, each setting declared once on Options."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventsift.cli import app
from eventsift.errors import ConfigError
from eventsift.settings import SETTINGS, Options, load_options

runner = CliRunner()


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_user_file(tmp_path: Path) -> None:
    assert load_options(tmp_path / "absent.toml") == Options()


def test_user_file_overrides_defaults(tmp_path: Path) -> None:
    config = _config(tmp_path, 'workers = 3\nlanguages = ["en", "fr"]\nrespect_robots = false\n')
    options = load_options(config)
    assert (options.workers, options.languages, options.respect_robots) == (3, ("en", "fr"), False)
    assert options.batch_size == Options().batch_size  # a setting the file leaves out keeps its default


def test_cli_flags_override_the_user_file(tmp_path: Path) -> None:
    config = _config(tmp_path, 'workers = 3\ndb = "sqlite:///from-file.db"\n')
    options = load_options(config, workers=5, db=None)  # None: the flag was not given
    assert options.workers == 5 and options.db == "sqlite:///from-file.db"


def test_the_environment_names_the_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSIFT_CONFIG", str(_config(tmp_path, "batch_size = 7\n")))
    assert load_options().batch_size == 7


def test_flags_are_coerced_to_the_declared_type(tmp_path: Path) -> None:
    options = load_options(tmp_path / "absent.toml", workers="4", fetch_allow_private="a,b", learned_scope="yes")
    assert (options.workers, options.fetch_allow_private, options.learned_scope) == (4, ("a", "b"), True)


def test_unknown_and_unreadable_settings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown setting"):
        load_options(_config(tmp_path, "wrokers = 2\n"))
    with pytest.raises(ConfigError, match="workers"):
        load_options(_config(tmp_path, 'workers = "many"\n'))


def test_settings_table_is_read_off_options() -> None:
    assert [(s.name, s.default) for s in SETTINGS] == [(f.name, f.default) for f in fields(Options)]
    assert all(s.help for s in SETTINGS)


def test_cli_layers_file_then_flag(tmp_path: Path) -> None:
    """Through the CLI: --config gives the file, a flag beats it (the flag's db is where rows land)."""
    config = _config(tmp_path, f'db = "sqlite:///{tmp_path / "file.db"}"\n')
    flag_db = f"sqlite:///{tmp_path / 'flag.db'}"
    for flags in ([], ["--db", flag_db]):
        result = runner.invoke(app, ["--config", str(config), "articles", "--json", *flags])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "file.db").exists() and (tmp_path / "flag.db").exists()
