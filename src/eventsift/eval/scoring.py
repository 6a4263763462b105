"""Scoring primitives shared by the eval sets: bag-of-tokens overlap and averages over items."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PRF", "counts_prf", "macro_prf", "mean", "shingle_counts", "token_prf"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one item."""

    precision: float
    recall: float
    f1: float


def counts_prf(hits: int, predicted: int, gold: int) -> PRF:
    """Precision, recall and F1 from counts: ``hits`` of ``predicted`` items match ``gold`` items."""
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)


def token_prf(predicted: str, gold: str) -> PRF:
    """Precision, recall and F1 of whitespace tokens, as a bag (a token counts as often as it repeats).

    Both empty is a perfect score; an empty prediction for a non-empty gold text scores 0 on all three
    (a page read as nothing is a miss, not a cautious success), and so does the reverse.
    """
    pred, true = predicted.split(), gold.split()
    if not pred and not true:
        return PRF(1.0, 1.0, 1.0)
    if not pred or not true:
        return PRF(0.0, 0.0, 0.0)
    overlap = sum((Counter(pred) & Counter(true)).values())
    precision, recall = overlap / len(pred), overlap / len(true)
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return PRF(precision, recall, f1)


def shingle_counts(predicted: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    """True positives, false positives and false negatives over word n-gram shingles, summing to 1.

    This is the article-extraction-benchmark's own score (``\\w+`` tokens, 4-grams, each page
    normalised so long pages weigh no more than short ones); see :func:`macro_prf`.
    """
    true, pred = _shingles(gold, n), _shingles(predicted, n)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def macro_prf(counts: Iterable[tuple[float, float, float]]) -> PRF:
    """The benchmark's averaging: mean precision over items with a prediction, mean recall over items
    with a gold text, and F1 of those two means."""
    items = list(counts)
    precision = mean([tp / (tp + fp) for tp, fp, _ in items if tp + fp > 0])
    recall = mean([tp / (tp + fn) for tp, _, fn in items if tp + fn > 0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; 0.0 for no values."""
    items = list(values)
    return sum(items) / len(items) if items else 0.0
