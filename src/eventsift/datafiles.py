"""The project's data files (src/eventsift/data/): the one place that reads, parses and checks them.

:func:`load_data` parses a YAML file and checks it against its schema in data/data_schemas.yaml:
the top-level keys the file holds, each with a type ("list of string", "mapping of int", ...); a
key ending in "?" may be absent. Anything else (a missing or unknown key, a value of the wrong
type, a YAML syntax error, a file with no schema) is a ConfigError naming the file and the key
path ("data/place_context.yaml: admin1_words[3]: expected string, got int"), raised when the file
is first read rather than as a KeyError deep inside a stage.

YAML is parsed with libyaml's safe loader where PyYAML was built with it: the same objects as
``yaml.safe_load`` (tests/test_data_yaml.py checks every file) in about a tenth of the time, which
was most of the lexicons' share of start-up. :func:`data_text` reads any data file as text (the
TSV tables).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

__all__ = ["SCHEMAS_FILE", "check_data", "data_text", "load_data", "safe_load"]

SCHEMAS_FILE = "data_schemas.yaml"

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# What each type word of a schema accepts (bool is no int, though Python says it is).
_TYPES: dict[str, tuple[type, ...]] = {
    "mapping": (dict,), "list": (list,), "string": (str,), "int": (int,), "number": (int, float),
    "bool": (bool,), "any": (object,),
}
_NAMES = {dict: "mapping", list: "list", str: "string", int: "int", float: "number", bool: "bool",
          type(None): "null"}


def safe_load(text: str) -> Any:
    """YAML text to plain objects with a safe loader (in C where PyYAML has it)."""
    return yaml.load(text, Loader=_LOADER)


def data_text(name: str) -> str:
    """The text of the data file ``name`` (for example ``"demonyms.tsv"``)."""
    try:
        return resources.files("eventsift").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"data/{name}: no such data file in the package") from None


def load_data(name: str, folder: str | Path | None = None) -> Any:
    """The YAML data file ``name`` parsed and checked against its schema (a fresh object per call);
    from ``folder`` instead of the package's data folder where one is given (the same schema)."""
    schema = _schemas().get(name)
    if schema is None:
        raise ConfigError(f"data/{name}: no schema for it in data/{SCHEMAS_FILE}")
    if not folder:
        data = _parse(name)
        check_data(name, data, schema)
        return data
    path = Path(folder) / name
    data = _parse(name, path.read_text(encoding="utf-8"), str(path))
    check_data(name, data, schema, str(path))
    return data


def check_data(name: str, data: Any, schema: dict[str, str], where: str | None = None) -> None:
    """Raise ConfigError naming the file (``data/<name>`` unless ``where`` says otherwise) and the
    key path where ``data`` breaks ``schema``."""
    where = where or f"data/{name}"
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of keys at the top, got {_name(data)}")
    wanted = {key.removesuffix("?"): kind for key, kind in schema.items()}
    for key in data:
        if key not in wanted:
            raise ConfigError(f"{where}: {key}: unknown key (the keys are declared in data/{SCHEMAS_FILE})")
    for key, kind in schema.items():
        bare = key.removesuffix("?")
        if bare not in data:
            if key.endswith("?"):
                continue
            raise ConfigError(f"{where}: {bare}: missing key")
        _check_value(f"{where}: {bare}", data[bare], kind)


def _check_value(where: str, value: Any, kind: str) -> None:
    outer, _, inner = kind.partition(" of ")
    if not _is(value, outer):
        raise ConfigError(f"{where}: expected {kind}, got {_name(value)}")
    if not inner:
        return
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if not _is(item, inner):
            label = f".{key}" if isinstance(value, dict) else f"[{key}]"
            raise ConfigError(f"{where}{label}: expected {inner}, got {_name(item)}")


def _is(value: Any, kind: str) -> bool:
    if kind not in _TYPES:
        raise ConfigError(f"data/{SCHEMAS_FILE}: unknown type {kind!r}; use one of {', '.join(_TYPES)}")
    if isinstance(value, bool) and kind in {"int", "number"}:
        return False
    return isinstance(value, _TYPES[kind])


def _name(value: Any) -> str:
    return _NAMES.get(type(value), type(value).__name__)


def _parse(name: str, text: str | None = None, label: str | None = None) -> Any:
    """A data file's YAML (``text`` where given, else the package's file), errors naming the file."""
    try:
        return safe_load(data_text(name) if text is None else text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}:" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{label or 'data/' + name}:{line} not valid YAML ({problem})") from None


@lru_cache(maxsize=1)
def _schemas() -> dict[str, dict[str, str]]:
    """data/data_schemas.yaml: file name -> {key: type}; checked for its own shape first."""
    raw = _parse(SCHEMAS_FILE)
    if not isinstance(raw, dict):
        raise ConfigError(f"data/{SCHEMAS_FILE}: expected a mapping of file names")
    for name, schema in raw.items():
        if not isinstance(schema, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in schema.items()):
            raise ConfigError(f"data/{SCHEMAS_FILE}: {name}: expected a mapping of key to type")
        for kind in schema.values():
            outer, _, inner = kind.partition(" of ")
            _is(None, outer)  # raises on an unknown type word
            _is(None, inner or "any")
    return raw
