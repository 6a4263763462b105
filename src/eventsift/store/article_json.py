"""What the store refuses in an article, and the JSON record it keeps of one: no SQL here.

The Store (through rows.py) and the in-memory store of a run that keeps nothing (memory.py, used by
``eventsift extract``) apply these same rules, so an article one refuses the other refuses with the
same reason, and extract does not pay SQLAlchemy's import to learn it.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import StoreError
from ..records import Article, content_hash

__all__ = ["check_text", "ensure_hash", "raw_of", "record_json", "to_json", "validate"]


def check_text(article_id: str, name: str, value: Any) -> None:
    """StoreError when a text value cannot be stored (a NUL, or lone surrogates)."""
    if not isinstance(value, str):
        return
    if "\x00" in value:
        raise StoreError(f"article {article_id}: {name} contains a NUL character, which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StoreError(f"article {article_id}: {name} is not valid Unicode ({exc.reason})") from exc


def validate(article: Article) -> None:
    """StoreError when the article has no id or a field that cannot be stored."""
    if not article.id:
        raise StoreError("article has no id")
    for name, value in vars(article).items():
        check_text(article.id, name, value)


def ensure_hash(article: Article) -> str:
    """The article's content hash, computed (and set) from its raw input when it has none."""
    if not article.content_hash:
        article.content_hash = content_hash(article.raw_text or article.raw_html or article.body or "")
    return article.content_hash


def raw_of(article: Article) -> tuple[str | None, str | None]:
    """Which raw field goes into the ``raw`` column (HTML first), and its text."""
    if article.raw_html is not None:
        return "html", article.raw_html
    if article.raw_text is not None:
        return "text", article.raw_text
    return None, None


def record_json(article: Article, raw_kind: str | None) -> str:
    """The ``record`` column: the whole article less its MinHash and the raw input the ``raw`` column holds."""
    record = article.to_dict()
    record.pop("minhash", None)
    record.pop("raw_html", None)
    if raw_kind == "text" or record.get("raw_text") is None:
        record.pop("raw_text", None)
    return to_json(str(article.id), record)


def to_json(article_id: str, record: dict[str, Any]) -> str:
    """An article record as the JSON of its ``record`` column."""
    dumped = json.dumps(record, ensure_ascii=False, sort_keys=True)  # control characters come out escaped
    check_text(article_id, "record", dumped)
    return dumped
