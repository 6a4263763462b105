"""A stage crash on a gold item fails the eval, naming the item; an input the reader refuses still
scores as empty output (the pipeline would reject it too)."""

from __future__ import annotations

from typing import Any

import pytest

from eventsift.errors import NoArticle, StageError
from eventsift.eval import EvalError
from eventsift.eval.acled import GoldEvent, score_events
from eventsift.eval.article_extraction import score_pages
from eventsift.eval.event_coding import CodedSentence, score_sentences
from eventsift.settings import Options

GOLD_EVENT = GoldEvent(id="ua-7", notes="Russian forces shelled Sumy.", event_types=("Explosions/Remote violence",),
                       sub_event_type=None, actor1="Military Forces of Russia", admin1="Sumy", country="Ukraine",
                       lat=51.0, lon=34.0, date="2024-04-03", fatalities=0)
SENTENCE = CodedSentence(id="P-9", text="The army threatened to attack the rebel town.", plover_type="THREATEN")


class _Page:
    id, url, gold = "page-3", "https://example.org/a", "Gold body text."

    def html_bytes(self) -> bytes:
        return b"<html><body><p>Some text.</p></body></html>"


def _failing_read(cause: BaseException) -> Any:
    def read_article(article: Any, *_args: Any, **_kwargs: Any) -> Any:
        raise StageError("nlp", article.id, cause)

    return read_article


def _scorers() -> list[tuple[Any, list[tuple[str, Any]], str]]:
    return [(score_events, [("ua-7", GOLD_EVENT)], "ua-7"), (score_sentences, [("P-9", SENTENCE)], "P-9"),
            (score_pages, [("page-3", _Page())], "page-3")]


@pytest.mark.parametrize("case", range(3))
def test_a_stage_crash_fails_the_eval_naming_the_item(case: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scorer, items, item = _scorers()[case]
    monkeypatch.setattr("eventsift.pipeline.read_article", _failing_read(KeyError("boom")))
    with pytest.raises(EvalError, match=f"stage crashed on item '{item}'.*boom"):
        scorer(items, Options())


@pytest.mark.parametrize("case", range(3))
def test_a_refused_input_still_scores_as_empty(case: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scorer, items, _item = _scorers()[case]
    monkeypatch.setattr("eventsift.pipeline.read_article", _failing_read(NoArticle("no article text found")))
    scores = scorer(items, Options())
    assert len(scores.items) == 1
