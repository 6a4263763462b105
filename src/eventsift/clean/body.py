"""The clean stage: repair the text, drop boilerplate paragraphs, build the body.

Input: an Article whose ``paragraphs`` (and title/standfirst) the ingest stage filled.
Output: ``body`` (kept paragraphs joined by a blank line), ``removed`` (each dropped block with a
reason) and ``repairs`` (each change made to characters). Every later span points into ``body``.

Encoding repair is ftfy plus what ftfy leaves: UTF-8 bytes decoded as the Thai code page cp874,
which turns a no-break space (C2 A0) into "ย" followed by a no-break space.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import ftfy

from ..datafiles import load_data
from ..records import Article, Removed, Repair
from ..settings import Options

__all__ = ["BoilerplateRule", "classify_paragraph", "clean_article", "load_rules", "repair_text"]

log = logging.getLogger(__name__)

# ftfy's defaults would also straighten curly quotes and narrow full-width characters; the words are
# evidence, so they stay as written.
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, explain=True)

# Characters cp874 gives to bytes 0x80-0xFF: the Thai block plus a few punctuation marks.
_CP874_RUN = re.compile("[\u0e00-\u0e7f\u00a0\u20ac\u2026\u2018\u2019\u201c\u201d\u2022\u2013\u2014]+")
_THAI = re.compile("[\u0e00-\u0e7f]")
_LETTER = re.compile(r"[^\W\d_]")
# Above this share of Thai letters a text is taken for real Thai and left alone.
_MAX_THAI_SHARE = 0.3
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def repair_text(text: str, *, context: str | None = None) -> tuple[str, list[Repair]]:
    """Fix mojibake and invisible characters; return the text and what was repaired.

    ``context`` is the whole article, used to judge whether Thai letters are real Thai.
    """
    repairs: list[Repair] = []
    text, cp874 = _repair_cp874(text, context if context is not None else text)
    repairs.extend(cp874)
    fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY_CONFIG)
    if fixed != text:
        steps = ", ".join(sorted({step[1] for step in explanation or [] if len(step) > 1}))
        repairs.append(Repair("mojibake", f"ftfy repaired {_excerpt(text)!r} ({steps or 'text fixes'})"))
        text = fixed
    cleaned = _INVISIBLE.sub("", text)
    if cleaned != text:
        repairs.append(Repair("invisible characters", f"removed {len(text) - len(cleaned)} zero-width/soft-hyphen"))
    text = _SPACES.sub(" ", cleaned).strip()
    return text, repairs


def _repair_cp874(text: str, context: str) -> tuple[str, list[Repair]]:
    if not _THAI.search(text) or _thai_share(context) > _MAX_THAI_SHARE:
        return text, []
    repairs: list[Repair] = []

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        if not _THAI.search(run):
            return run
        try:
            raw = run.encode("cp874")
        except UnicodeEncodeError:
            return run
        decoded = raw.decode("utf-8", errors="replace")
        lost = decoded.count("\ufffd")
        # Real Thai re-encoded this way is mostly invalid UTF-8; mojibake decodes to real characters.
        if _THAI.search(decoded) or lost > len(decoded) - lost or decoded == run:
            return run
        # A lead byte whose continuation byte was lost decodes to U+FFFD: it stood for a space.
        decoded = decoded.replace("\ufffd", " ")
        repairs.append(Repair("encoding", f"UTF-8 decoded as cp874 (Thai): {run!r} restored as {decoded!r}"))
        return decoded

    return _CP874_RUN.sub(fix, text), repairs


def _thai_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_THAI.findall(text)) / letters if letters else 0.0


@dataclass(frozen=True)
class BoilerplateRule:
    """One kind of page furniture; see data/boilerplate.yaml for the fields."""

    name: str
    reason: str
    max_words: int
    patterns: tuple[re.Pattern[str], ...]
    cues: tuple[re.Pattern[str], ...]
    min_cues: int
    max_lower_words: int | None = None
    starts_list: bool = False
    inline: bool = False

    def matches(self, paragraph: str, words: int | None = None) -> bool:
        """``words``: the paragraph's word count, where the caller has it (it asks every rule)."""
        if (len(paragraph.split()) if words is None else words) > self.max_words:
            return False
        if self.max_lower_words is not None and _lower_words(paragraph) > self.max_lower_words:
            return False
        if any(p.match(paragraph) for p in self.patterns):
            return True
        return bool(self.cues) and sum(bool(c.search(paragraph)) for c in self.cues) >= self.min_cues


# Words a timestamp or byline line may hold in lower case ("Updated at 1:23 p.m. by ...").
_FUNCTION_WORDS = frozenset({"am", "pm", "a.m.", "p.m.", "a.m", "p.m", "by", "at", "on", "of", "and", "the", "de",
                             "published", "updated", "posted", "last", "modified", "first", "edt", "est", "gmt", "utc"})


def _lower_words(text: str) -> int:
    return sum(1 for w in text.split() if w[:1].islower() and w.strip(".,:;|-") not in _FUNCTION_WORDS)


@lru_cache(maxsize=1)
def load_rules() -> tuple[BoilerplateRule, ...]:
    """The boilerplate rules from the package's data file, compiled once per process."""
    rules = []
    for raw in load_data("boilerplate.yaml")["rules"]:
        flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
        rules.append(
            BoilerplateRule(
                name=raw["name"],
                reason=raw["reason"],
                max_words=int(raw["max_words"]),
                patterns=tuple(re.compile(p, flags) for p in raw.get("patterns", [])),
                cues=tuple(re.compile(c, flags) for c in raw.get("cues", [])),
                min_cues=int(raw.get("min_cues", 1)),
                max_lower_words=raw.get("max_lower_words"),
                starts_list=bool(raw.get("starts_list", False)),
                inline=bool(raw.get("inline", False)),
            )
        )
    return tuple(rules)


def _matching_rule(paragraph: str, *, inline: bool = False) -> BoilerplateRule | None:
    words = len(paragraph.split())
    for rule in load_rules():
        if (rule.inline or not inline) and rule.matches(paragraph, words):
            return rule
    return None


def classify_paragraph(paragraph: str) -> str | None:
    """The removal reason if the paragraph is boilerplate, else None."""
    rule = _matching_rule(paragraph)
    return rule.reason.format(excerpt=_excerpt(paragraph)) if rule else None


# A headline of a list of other stories: short, no closing punctuation, or a "[VIDEO]"-style tag.
_HEADLINE_END = re.compile(r"[.!?\"”’…:;,]\s*$")
_ITEM_TAG = re.compile(r"\[[A-Z][A-Z ]{1,20}\]\s*\|?\s*$")
_MAX_HEADLINE_WORDS = 20


def _is_headline(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= _MAX_HEADLINE_WORDS:
        return False
    return bool(_ITEM_TAG.search(text)) or not _HEADLINE_END.search(text)


# Sentence ends inside a paragraph; a piece of one or two words ("Cleve R.") joins the next.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(\[])|\s+[-–—]\s+(?=Photo\b)")


def _inline_furniture(paragraph: str) -> tuple[str, list[Removed]]:
    """Drop sentences of a longer paragraph that are furniture run into the text: a timestamp or byline
    line, a photo credit, a "Read more:" link (scraped pages often flatten these into the body)."""
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(paragraph):
        if pieces and len(pieces[-1].split()) <= 2:
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    if len(pieces) < 2:
        return paragraph, []
    kept: list[str] = []
    removed: list[Removed] = []
    for piece in pieces:
        rule = _matching_rule(piece.strip(), inline=True)
        if rule:
            removed.append(Removed(piece.strip(), rule.reason.format(excerpt=_excerpt(piece))))
        else:
            kept.append(piece)
    return (" ".join(kept) if removed else paragraph), removed


def _excerpt(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def clean_article(article: Article, options: Options | None = None) -> Article:
    """Repair title, standfirst and paragraphs; drop boilerplate; set body, removed and repairs."""
    context = "\n".join(filter(None, [article.title, article.standfirst, *article.paragraphs]))
    repairs: list[Repair] = []

    def repaired(text: str | None) -> str | None:
        if text is None:
            return None
        fixed, found = repair_text(text, context=context)
        repairs.extend(found)
        return fixed or None

    article.title = repaired(article.title)
    article.standfirst = repaired(article.standfirst)
    texts = [t for t in (repaired(p) for p in article.paragraphs) if t]
    kept: list[str] = []
    removed: list[Removed] = []
    in_list = False  # after "Related stories", "More:", "Don't miss": the headlines that follow
    for text in texts:
        rule = _matching_rule(text)
        if rule:
            removed.append(Removed(text, rule.reason.format(excerpt=_excerpt(text))))
            in_list = rule.starts_list
            continue
        if in_list and _is_headline(text):
            removed.append(Removed(text, f'list of other stories ("{_excerpt(text)}")'))
            continue
        in_list = False
        text, inline = _inline_furniture(text)
        removed.extend(inline)
        if text and (not kept or text != kept[-1]):  # scraped pages sometimes repeat a block verbatim
            kept.append(text)
    article.body = "\n\n".join(kept)
    article.removed = [*article.removed, *removed]
    article.repairs = [*article.repairs, *repairs]
    log.debug("cleaned %s: %d kept, %d removed, %d repairs", article.id, len(kept), len(removed), len(repairs))
    return article
