"""The project's data files (lexicons, rules, cues) parsed with libyaml's safe loader where PyYAML was
built with it: the same objects as ``yaml.safe_load`` (tests/test_data_yaml.py checks every file under
data/) in about a tenth of the time, which was most of the lexicons' share of start-up."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["safe_load"]

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # a safe loader, in C or in Python
