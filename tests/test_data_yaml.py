"""datafiles.safe_load reads every data file to the same objects as PyYAML's pure-Python safe loader."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from eventsift import datafiles as data_yaml

_FILES = sorted(p.name for p in resources.files("eventsift.data").iterdir() if p.name.endswith((".yaml", ".yml")))


@pytest.mark.parametrize("name", _FILES)
def test_a_data_file_reads_as_pyyaml_reads_it(name: str) -> None:
    text = resources.files("eventsift.data").joinpath(name).read_text(encoding="utf-8")
    assert data_yaml.safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader)


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        data_yaml.safe_load("!!python/object/apply:os.system ['true']")
