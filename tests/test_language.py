"""The language stage: English read on, other languages halted, and the unpacked model cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from eventsift.clean import language
from eventsift.records import Article
from eventsift.settings import Options

ENGLISH = "Police said two people were hurt when a crowd gathered outside the town hall on Monday evening."
FRENCH = "La police a indiqué que deux personnes avaient été blessées lundi soir devant la mairie de la ville."
GERMAN = "Die Polizei teilte mit, dass am Montagabend vor dem Rathaus zwei Menschen verletzt worden seien."


def _article(body: str) -> Article:
    return Article(id="a1", source_kind="text", raw_text=body, body=body)


def test_english_is_read_on() -> None:
    article = language.detect_language(_article(ENGLISH), Options())
    assert article.language == "en" and article.halted is None
    assert article.language_score is not None and article.language_score > 0.9


def test_another_language_is_halted_with_its_code() -> None:
    article = language.detect_language(_article(FRENCH), Options())
    assert article.language == "fr"
    assert article.halted == "unsupported language: fr"


def test_a_few_words_are_not_guessed() -> None:
    article = language.detect_language(_article("Explosions heard overnight."), Options())
    assert article.language == "en" and article.language_score is None and article.halted is None


def test_the_cached_model_classifies_exactly_as_the_packaged_one(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSIFT_CACHE", str(tmp_path))
    cached = language._identifier.__wrapped__()  # type: ignore[attr-defined]
    assert list(tmp_path.glob("langid-*.npz")), "the unpacked copy was not written"
    again = language._identifier.__wrapped__()  # type: ignore[attr-defined]  (reads the copy)
    packaged = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    for text in (ENGLISH, FRENCH, GERMAN, ENGLISH.lower(), "1 2 3"):
        assert cached.classify(text) == again.classify(text) == packaged.classify(text)


def test_an_unwritable_cache_falls_back_to_the_packaged_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("EVENTSIFT_CACHE", str(blocker))
    identifier = language._identifier.__wrapped__()  # type: ignore[attr-defined]
    assert identifier.classify(FRENCH)[0] == "fr"
    assert not list(tmp_path.glob("**/langid-*"))
