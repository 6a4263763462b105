"""The language stage: identify the body's language; halt articles the reading stages cannot read.

A non-English article is stored with ``halted = "unsupported language: xx"`` and goes no further,
rather than being read by an English model into nonsense. Language id is py3langid (langid.py's
model, shipped in the package, offline).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from ..records import Article
from ..settings import Options

__all__ = ["detect_language", "identify_language"]

log = logging.getLogger(__name__)

# Enough text to identify a language reliably; more only costs time.
_SAMPLE_CHARS = 3000
# Below this many words language id is a guess; short English texts are often misread.
_MIN_WORDS = 8


@lru_cache(maxsize=1)
def _read_as() -> dict[str, str]:
    from importlib import resources

    import yaml

    text = resources.files("eventsift.data").joinpath("languages.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text)["read_as"])


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and confidence (0-1) for the text."""
    lang, prob = _identifier().classify(text[:_SAMPLE_CHARS])
    return _read_as().get(str(lang), str(lang)), float(prob)


def detect_language(article: Article, options: Options) -> Article:
    """Set ``language``; halt the article when the language is known and unsupported."""
    text = "\n".join(filter(None, [article.title, article.body]))
    if len(text.split()) < _MIN_WORDS:
        article.language, article.language_score = options.languages[0], None
        return article
    lang, prob = identify_language(text)
    article.language, article.language_score = lang, round(prob, 4)
    if lang not in options.languages and prob >= options.min_language_confidence:
        article.halted = f"unsupported language: {lang}"
        log.info("%s halted: %s (p=%.2f)", article.id, article.halted, prob)
    elif lang not in options.languages:
        article.language = options.languages[0]  # an unsure guess does not stop an article
    return article
