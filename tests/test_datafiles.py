"""datafiles.load_data: every YAML data file has a schema and meets it; a broken file names itself and the key."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from eventsift import datafiles
from eventsift.datafiles import SCHEMAS_FILE, check_data, load_data
from eventsift.errors import ConfigError

_FILES = sorted(p.name for p in resources.files("eventsift.data").iterdir()
                if p.name.endswith((".yaml", ".yml")) and p.name != SCHEMAS_FILE)


@pytest.mark.parametrize("name", _FILES)
def test_every_data_file_meets_its_schema(name: str) -> None:
    assert isinstance(load_data(name), dict)


def test_every_schema_names_a_data_file() -> None:
    assert sorted(datafiles._schemas()) == _FILES


_SCHEMA = {"words": "list of string", "weights": "mapping of number", "limit": "int", "extra?": "bool"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weights": {}, "limit": 1}, r"^data/x\.yaml: words: missing key$"),
        ({"words": ["a", 3], "weights": {}, "limit": 1}, r"^data/x\.yaml: words\[1\]: expected string, got int$"),
        ({"words": [], "weights": {"a": "1"}, "limit": 1}, r"^data/x\.yaml: weights\.a: expected number, got string$"),
        ({"words": [], "weights": {}, "limit": True}, r"^data/x\.yaml: limit: expected int, got bool$"),
        ({"words": "a b", "weights": {}, "limit": 1}, r"^data/x\.yaml: words: expected list of string, got string$"),
        ({"words": [], "weights": {}, "limit": 1, "wrods": []}, r"^data/x\.yaml: wrods: unknown key"),
        (["words"], r"^data/x\.yaml: expected a mapping of keys at the top, got list$"),
    ],
)
def test_a_broken_file_names_the_file_and_the_key(data: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check_data("x.yaml", data, _SCHEMA)


def test_optional_keys_may_be_absent_and_numbers_take_ints() -> None:
    check_data("x.yaml", {"words": ["a"], "weights": {"a": 1, "b": 0.5}, "limit": 2}, _SCHEMA)


def test_a_real_file_broken_on_disk_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = {"place_context.yaml": "admin1_words: region\n"}
    monkeypatch.setattr(datafiles, "data_text", lambda name: broken.get(name) or _real_text(name))
    with pytest.raises(ConfigError, match=r"^data/place_context\.yaml: admin1_words: expected list of string"):
        load_data("place_context.yaml")


def test_invalid_yaml_and_unknown_files_are_config_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"^data/nothing\.yaml: no schema"):
        load_data("nothing.yaml")
    monkeypatch.setattr(datafiles, "data_text", lambda name: "a: [1" if name == "languages.yaml" else _real_text(name))
    with pytest.raises(ConfigError, match=r"^data/languages\.yaml: line \d+: not valid YAML"):
        load_data("languages.yaml")


def _real_text(name: str) -> str:
    return resources.files("eventsift").joinpath("data", name).read_text(encoding="utf-8")


def test_a_folder_given_instead_of_the_package_is_checked_by_the_same_schema(tmp_path: Path) -> None:
    (tmp_path / "languages.yaml").write_text("read_as: {sh: hr}\n", encoding="utf-8")
    assert load_data("languages.yaml", tmp_path) == {"read_as": {"sh": "hr"}}
    (tmp_path / "languages.yaml").write_text("read_as: [sh]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"languages\.yaml: read_as: expected mapping of string, got list$"):
        load_data("languages.yaml", tmp_path)
