"""The ingest stage: turn raw text or HTML into title, standfirst, byline, dateline and paragraphs.

Plain text follows the layout of a scraped article file: a title line, an optional standfirst line,
then paragraphs separated by blank lines. HTML goes through :mod:`eventsift.ingest.html` (trafilatura).
Reading inputs from files, folders, JSONL, feeds and URLs lives in :mod:`eventsift.ingest.sources`.
"""

from __future__ import annotations

import logging
import re

from ..errors import EmptyInput, NoArticle
from ..records import Article
from ..settings import Options
from .sources import settle_published

__all__ = ["TextLayout", "split_text_layout", "structure_article"]

log = logging.getLogger(__name__)

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]\s*$")
_BYLINE = re.compile(r"^(by|words by|reporting by)\s+[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,4}(\s*(,|and|\|).{0,60})?$", re.IGNORECASE)
# "KYIV, March 12 (Reuters) - ", "ISTANBUL, Turkey (AP)_ ", "DES MOINES, Iowa, Aug. 10 (UPI) — ", "NEWARK,
# N.J. _ ": a place in capitals, an optional state or country, date and agency, then a dash (or the
# underscore of 1990s wire copy). The dash may end the paragraph ("WASHINGTON (AP) --" on its own line)
# or touch the next word ("WASHINGTON—President").
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?(?:,\s*[A-Z][a-z]{2,9}\.? \d{1,2})?"
    r"(?:\s*\([A-Za-z .&]{2,30}\))?)\s*(?:[-–—]{1,2}|_)(?:\s+(?=[A-Z\"“‘`])|(?<=[—–])(?=[A-Z])|\s*$)"
)
# A paragraph before the dateline that is only a headline the layout did not take for one ("Police
# break up protest.\n\nKYIV, March 12 (Reuters) - ..."): at most this many words.
_MAX_HEADLINE_WORDS = 20
_MAX_TITLE_WORDS = 30
_MAX_STANDFIRST_WORDS = 60


class TextLayout:
    """The reading of a plain-text article's layout."""

    def __init__(self, title: str | None, standfirst: str | None, byline: str | None, paragraphs: list[str]):
        self.title = title
        self.standfirst = standfirst
        self.byline = byline
        self.paragraphs = paragraphs


def _blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _BLANK_LINE.search(text.strip()):
        # No blank lines at all: every line is its own block.
        return [line.strip(" \t") for line in text.split("\n") if line.strip()]
    blocks = []
    for block in _BLANK_LINE.split(text):
        # Hard-wrapped lines of one paragraph are joined; only ASCII whitespace is trimmed so that
        # no-break spaces reach the encoding repair as they are.
        lines = [line.strip(" \t") for line in block.split("\n") if line.strip(" \t")]
        if lines:
            blocks.append(" ".join(lines))
    return blocks


def _is_heading(block: str, max_words: int) -> bool:
    return len(block.split()) <= max_words and not _SENTENCE_END.search(block)


def split_text_layout(text: str, known_title: str | None = None) -> TextLayout:
    """Title line, standfirst and byline when the layout shows them, then the paragraphs.

    When the input names its own title (JSONL, feeds), the first line is a heading only if it repeats
    that title; no standfirst is guessed, since the text may well be body from its first line.
    """
    blocks = _blocks(text)
    if not blocks:
        raise EmptyInput("no text")
    title = standfirst = byline = None
    if known_title is not None:
        if _normalise(blocks[0]) == _normalise(known_title):
            blocks = blocks[1:]
        title = known_title
    elif len(blocks) > 1 and _is_heading(blocks[0], _MAX_TITLE_WORDS):
        title, blocks = blocks[0], blocks[1:]
        if len(blocks) > 1 and _is_heading(blocks[0], _MAX_STANDFIRST_WORDS) and not _BYLINE.match(blocks[0]):
            standfirst, blocks = blocks[0], blocks[1:]
    if len(blocks) > 1 and _BYLINE.match(blocks[0]):
        byline, blocks = blocks[0], blocks[1:]
    return TextLayout(title, standfirst, byline, blocks)


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _split_dateline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """The dateline that opens the first paragraph (or the second, after an unrecognised headline),
    taken out of the body; a paragraph that was only the dateline goes with it."""
    for at in range(min(2, len(paragraphs))):
        if at == 1 and len(paragraphs[0].split()) > _MAX_HEADLINE_WORDS:
            break
        match = _DATELINE.match(paragraphs[at])
        if match:
            rest = paragraphs[at][match.end():]
            kept = [rest] if rest.strip() else []
            return match.group("dateline").strip(), [*paragraphs[:at], *kept, *paragraphs[at + 1:]]
    return None, paragraphs


def _title_dateline(title: str | None) -> str | None:
    """A "title" that is only a dateline ("WASHINGTON (AP) --" alone on the first line of wire copy)."""
    if title is None:
        return None
    match = _DATELINE.match(title)
    return match.group("dateline").strip() if match and not title[match.end():].strip() else None


def _structure_text(article: Article) -> None:
    layout = split_text_layout(article.raw_text or "", known_title=article.title)
    article.title = layout.title
    article.standfirst = article.standfirst or layout.standfirst
    article.byline = layout.byline
    article.dateline, article.paragraphs = _split_dateline(layout.paragraphs)
    dateline = _title_dateline(layout.title) if article.dateline is None else None
    if dateline is not None:
        article.dateline, article.title = dateline, None


def _structure_html(article: Article) -> str | None:
    """Structure an HTML page; its own date (page metadata) is returned for settle_published."""
    from .html import extract_html  # trafilatura is heavy to import; only HTML inputs need it

    reading = extract_html(article.raw_html or "", url=article.url)
    article.title = article.title or reading.title
    article.author = article.author or reading.author
    article.source = article.source or reading.sitename
    paragraphs = list(reading.paragraphs)
    if paragraphs and article.title and paragraphs[0].strip() == article.title.strip():
        paragraphs = paragraphs[1:]
    article.dateline, article.paragraphs = _split_dateline(paragraphs)
    return reading.date


def structure_article(article: Article, options: Options | None = None) -> Article:
    """Fill title, standfirst, byline, dateline and paragraphs from the raw input."""
    page_date = None
    if article.raw_html is not None:
        page_date = _structure_html(article)
    elif article.raw_text is not None:
        _structure_text(article)
    else:
        raise EmptyInput("article has neither text nor HTML")
    settle_published(article, page_date)
    if not any(p.strip() for p in article.paragraphs):
        raise NoArticle("no article text found")
    log.debug("structured %s: %d paragraphs", article.id, len(article.paragraphs))
    return article
