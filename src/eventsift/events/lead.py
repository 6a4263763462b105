"""The article's lead for event dates: its first sentences, the first paragraph, and the lead's date.

Each is read once per article and kept on its parse (``nlp.per_article``): every event asks.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice
from typing import Any

from ..read.nlp import per_article
from ..records import Article, When
from .dates import relational_prep as _relational_prep
from .dates import time_words as _time_words
from .dates import when_from_value as _when_from_value

__all__ = ["in_first_paragraph", "in_lead", "lead_sentences", "lead_when"]


def lead_sentences(article: Article) -> list[tuple[int, int]]:
    """The lead: the article's first sentence, and the next one when the first is a short headline."""
    if article.doc is None:
        return []
    return list(per_article(article, "lead_sentences", _lead_sentences))


def _lead_sentences(article: Article) -> list[tuple[int, int]]:
    out = []
    for sent in article.doc.sents:
        words = [t for t in sent if t.is_alpha]
        if not words:
            continue
        out.append((sent.start_char, sent.end_char))
        if len(out) == 2 or len(words) >= _HEADLINE_WORDS:
            break
    return out


_HEADLINE_WORDS = 12  # a first "sentence" shorter than this is read as a headline


_LEAD_PARAGRAPH_SENTENCES = 3  # the lead paragraph's date dates at most its first three sentences


def in_first_paragraph(start: int, article: Article) -> bool:
    """In the lead sentences, or in the first three sentences of an article's first paragraph."""
    if in_lead(start, article):
        return True
    if article.doc is None:
        return False
    sents, end = per_article(article, "first_paragraph", _first_paragraph)
    return any(a <= start < b <= end + 1 for a, b in sents)


def _first_paragraph(article: Article) -> tuple[list[tuple[int, int]], int]:
    """The first three non-blank sentences (character bounds) and where the first paragraph ends."""
    body = article.body
    first = body.lstrip()
    offset = len(body) - len(first)
    cut = first.find("\n\n")
    end = offset + (cut if cut >= 0 else len(first))
    sents = islice((sent for sent in article.doc.sents if sent.text.strip()), _LEAD_PARAGRAPH_SENTENCES)
    return [(sent.start_char, sent.end_char) for sent in sents], end


def in_lead(start: int, article: Article) -> bool:
    return any(a <= start < b for a, b in lead_sentences(article))


def lead_when(article: Article) -> When | None:
    """The lead's date: its first day-precise time words on or before publication."""
    for a, b in lead_sentences(article):
        for time in article.times:
            if not (a <= time.start and time.end <= b) or time.type not in {"DATE", "TIME"}:
                continue
            if _in_dateline(time.end, article.body) or _dates_other_than_news(time, article):
                continue  # "PURCHASE, N.Y., April 1 (UPI) —": the report's date, not the news's
            when = _when_from_value(time.value, time.precision, article.published)
            if when is None or when.precision != "day" or not when.start:
                continue
            if article.published and when.start > article.published:
                continue
            return replace(when, text=time.text, span=time.span)
    return None


def _dates_other_than_news(time: Any, article: Article) -> bool:
    """A lead time that dates something else: a birth ("born on May 3 1990") or an event the news
    follows or precedes ("died in a shootout following the March 2 attack", "ahead of Sunday's vote")."""
    span = article.doc.char_span(time.start, time.end, alignment_mode="expand") if article.doc else None
    if span is None or not len(span):
        return False
    root = span.root
    verb = next((a for a in [root, *root.ancestors] if a.pos_ in {"VERB", "AUX"}), None)
    if verb is not None and verb.lemma_.lower() in _time_words()["life"]:
        return True
    return any(node.dep_ == "pobj" and _relational_prep(node) for node in [root, *root.ancestors])


_AGENCY = re.compile(r"\s*(?:\([^()\n]{1,40}\))?\s*")


def _in_dateline(end: int, body: str) -> bool:
    """A date followed by an optional "(AGENCY)" and a dash: a wire story's dateline."""
    rest = body[end:end + 60]
    agency = _AGENCY.match(rest)
    after = rest[agency.end():] if agency else rest
    return any(after.startswith((dash + " ", dash + "\n"))
               for dash in _time_words()["dashes"])
