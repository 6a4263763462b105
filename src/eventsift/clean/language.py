"""The language stage: identify the body's language; halt articles the reading stages cannot read.

A non-English article is stored with ``halted = "unsupported language: xx"`` and goes no further,
rather than being read by an English model into nonsense. Language id is py3langid (langid.py's
model, shipped in the package, offline).
"""

from __future__ import annotations

import logging
import lzma
import os
import shutil
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..records import Article
from ..settings import Options, cache_dir

__all__ = ["detect_language", "identify_language"]

log = logging.getLogger(__name__)

# Enough text to identify a language reliably; more only costs time.
_SAMPLE_CHARS = 3000
# Below this many words language id is a guess; short English texts are often misread.
_MIN_WORDS = 8


@lru_cache(maxsize=1)
def _read_as() -> dict[str, str]:
    from ..datafiles import load_data  # yaml loads only when a language is read

    return dict(load_data("languages.yaml")["read_as"])


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model, read from an uncompressed copy kept in the cache folder.

    The package ships the model LZMA-compressed; unpacking it costs 1.5-3 s in every process that
    reads (each worker of ``-j N``). The copy is made once, holds the same arrays, and loads in a
    fraction of that; where the cache cannot be written the packaged file is read as before.
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    copy = _unpacked_model(MODEL_DIR / MODEL_FILE)
    if copy is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    import numpy as np

    with np.load(copy, allow_pickle=False) as data:
        return LanguageIdentifier(data["ptc"], data["pc"], data["classes"].tolist(), _uint_array(data["nextmove"]),
                                  data["out_feat"].tolist(), norm_probs=True, tk_row=_uint_array(data["nextmove_row"]))


def _unpacked_model(packed: Path) -> Path | None:
    """The uncompressed model next to the other caches, made on first use; None if it cannot be."""
    stat = packed.stat()
    copy = cache_dir() / f"langid-{stat.st_size}-{int(stat.st_mtime)}.npz"
    if copy.is_file():
        return copy
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        partial = copy.with_suffix(f".{os.getpid()}.partial")
        with lzma.open(packed) as source, open(partial, "wb") as target:
            shutil.copyfileobj(source, target, length=1 << 20)
        os.replace(partial, copy)  # atomic: a concurrent reader sees the whole file or none
    except OSError as exc:
        log.debug("language model not cached (%s): reading the packaged file", exc)
        return None
    return copy


def _uint_array(values: Any) -> array:
    """An unsigned NumPy array as the stdlib ``array`` py3langid's tokenizer walks."""
    out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(values.tobytes())
    return out


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
