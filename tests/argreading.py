"""Shared by the argument-reading tests: read a written sentence once, and place a trigger on a word."""

from __future__ import annotations

from functools import lru_cache

from eventsift.events.types import Trigger
from eventsift.pipeline import read_article
from eventsift.records import Article, content_hash


@lru_cache(maxsize=64)
def read_text(text: str, published: str | None = "2024-03-12") -> Article:
    return read_article(Article(id=content_hash(text), source_kind="text", raw_text=text, published=published))


def trigger_at(article: Article, word: str, occurrence: int = 0,
               kind: tuple[str, str, str, str] = ("Battles", "Armed clash", "19", "ASSAULT")) -> Trigger:
    """A trigger of ``kind`` (ACLED type, sub-type, CAMEO root, PLOVER type) at the ``occurrence``-th
    ``word`` of the body, with its spaCy sentence."""
    at = -1
    for _ in range(occurrence + 1):
        at = article.body.index(word, at + 1)
    token = next(t for t in article.doc if t.idx <= at < t.idx + len(t))
    sentence = token.sent
    return Trigger(token.idx, token.idx + len(token), token.text, token.i, sentence.start_char, sentence.end_char,
                   *kind)
