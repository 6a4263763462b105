"""Syndicated-copy detection: MinHash over word shingles, LSH bands kept in the store.

Two articles are copies of one story when the estimated Jaccard similarity of their bodies' word
5-shingles reaches ``options.dedup_threshold``. Boilerplate and headlines are already out of the body,
so a republished copy with its own furniture and headline still matches; a few edited sentences
change only the shingles that touch them. Two independent reports of one event share facts and names
but few five-word runs, so they stay apart.

The LSH index is the store's ``minhash_bands`` table, so grouping is incremental and works across
runs and processes: a new article is compared only with the stored articles that share a band.

The MinHash is computed here with numpy, value for value what datasketch 2.0's ``MinHash`` gives
(see :func:`minhash_of`), without importing datasketch and the scipy it pulls in (0.7 s).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from ..records import Article, content_hash
from ..settings import Options

__all__ = ["LshParams", "SyndicationIndex", "fingerprint_article", "lsh_params", "minhash_of", "optimal_bands", "shingles"]

log = logging.getLogger(__name__)

SHINGLE_WORDS = 5
_SEED = 1
_WORD = re.compile(r"\w+", re.UNICODE)
# Candidates are gathered at a looser threshold than the verdict, so that LSH misses few true pairs.
_CANDIDATE_SLACK = 0.15


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word n-grams of the lower-cased text; a text shorter than n words is one shingle."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


# The signature must equal datasketch 2.0's MinHash(num_perm, seed=_SEED) (its default "affine32"
# scheme) updated with the same shingles' UTF-8 bytes: the signatures databases hold were made by it
# and new ones are compared with them. tests/test_minhash.py checks the two agree over many texts.
#   shingle hash  h = first 4 bytes of SHA-1, little-endian, then MurmurHash3's 32-bit finalizer;
#   permutation k   h -> a_k * h + b_k (mod 2**32), a_k odd so that it is a bijection;
#   signature k     the least permuted hash over the shingles (all ones for no shingle).
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_EMPTY = np.uint32(0xFFFFFFFF)
_CHUNK = 2048  # shingles permuted at once: bounds memory at _CHUNK * num_perm * 4 bytes


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of each permutation, drawn as datasketch draws them: numpy's legacy RandomState(_SEED),
    all odd multipliers first, then all offsets."""
    draw = np.random.RandomState(_SEED)
    a = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def _shingle_hashes(items: Iterable[str]) -> np.ndarray:
    """The 32-bit hash of each shingle, before the permutations."""
    digests = b"".join(hashlib.sha1(item.encode("utf-8")).digest()[:4] for item in items)
    h = np.frombuffer(digests, dtype="<u4").astype(np.uint32)
    shift1, mult1, shift2, mult2, shift3 = _FMIX32
    h ^= h >> shift1
    h *= mult1  # uint32 arithmetic wraps: modulo 2**32, as the finalizer means
    h ^= h >> shift2
    h *= mult2
    h ^= h >> shift3
    return h


def minhash_of(text: str, num_perm: int) -> np.ndarray:
    """The MinHash signature (``num_perm`` unsigned 32-bit values) of the text's word shingles."""
    a, b = _permutations(num_perm)
    hashes = _shingle_hashes(shingles(text))
    signature = np.full(num_perm, _EMPTY, dtype=np.uint32)
    for start in range(0, hashes.size, _CHUNK):
        permuted = hashes[start : start + _CHUNK, None] * a + b
        np.minimum(signature, permuted.min(axis=0), out=signature)
    return signature


@dataclass(frozen=True)
class LshParams:
    bands: int
    rows: int


@lru_cache(maxsize=16)
def lsh_params(threshold: float, num_perm: int) -> LshParams:
    candidate_threshold = max(0.05, threshold - _CANDIDATE_SLACK)
    bands, rows = optimal_bands(candidate_threshold, num_perm)
    return LshParams(bands, rows)


def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The (bands, rows) with bands * rows <= num_perm that minimise the equally weighted chance of
    a false positive (a pair under ``threshold`` shares a band) plus a false negative (a pair over
    it shares none): datasketch's MinHashLSH choice (``_optimal_param`` with weights 0.5, 0.5),
    the same answer for the same arguments (tests/test_lsh_params.py proves it over a grid).

    Both chances integrate a polynomial in s of degree at most num_perm, which Gauss-Legendre
    quadrature with num_perm // 2 + 1 nodes integrates exactly: no scipy needed. Ties keep the
    first (bands, rows) in datasketch's order, bands outer and rows inner."""
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    low_s, low_w = (nodes + 1) * threshold / 2, weights * threshold / 2  # s over [0, threshold]
    high_s, high_w = threshold + (nodes + 1) * (1 - threshold) / 2, weights * (1 - threshold) / 2  # [threshold, 1]
    best, choice = float("inf"), (0, 0)
    for bands in range(1, num_perm + 1):
        rows = np.arange(1, num_perm // bands + 1)
        false_pos = low_w @ (1 - (1 - low_s[:, None] ** rows) ** bands)
        false_neg = high_w @ ((1 - high_s[:, None] ** rows) ** bands)
        error = false_pos * 0.5 + false_neg * 0.5
        at = int(np.argmin(error))
        if error[at] < best:
            best, choice = float(error[at]), (bands, int(rows[at]))
    return choice


def band_keys(signature: list[int], params: LshParams) -> list[tuple[int, str]]:
    """(band number, bucket hash) for each LSH band of the signature."""
    values = np.asarray(signature, dtype=np.uint64)
    keys = []
    for band in range(params.bands):
        chunk = values[band * params.rows : (band + 1) * params.rows]
        keys.append((band, hashlib.blake2b(chunk.tobytes(), digest_size=8).hexdigest()))
    return keys


def fingerprint_article(article: Article, options: Options) -> Article:
    """Set the MinHash signature of the body (and a content hash if the source gave none)."""
    if article.content_hash is None:
        article.content_hash = content_hash(article.raw_text or article.raw_html or article.body)
    if article.body:
        article.minhash = minhash_of(article.body, options.dedup_num_perm).tolist()
    return article


class LshStore(Protocol):
    """What the index needs from the store (eventsift.store.store.Store provides it)."""

    def add_minhash(self, article_id: str, bands: list[tuple[int, str]], signature: list[int], num_perm: int) -> None: ...
    def lsh_candidates(self, bands: list[tuple[int, str]]) -> set[str]: ...
    def get_signature(self, article_id: str) -> list[int] | None: ...
    def get_syndication_group(self, article_id: str) -> str | None: ...
    def set_syndication_group(self, article_id: str, group_id: str) -> None: ...
    def atomic(self, action: str = ...) -> AbstractContextManager[object]: ...


def estimated_jaccard(a: list[int], b: list[int]) -> float:
    if len(a) != len(b) or not a:
        return 0.0
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / len(a)


class SyndicationIndex:
    """Assigns each stored article to a syndication group: its own, or that of the copy it matches."""

    def __init__(self, store: LshStore, options: Options) -> None:
        self.store = store
        self.threshold = options.dedup_threshold
        self.num_perm = options.dedup_num_perm
        self.params = lsh_params(options.dedup_threshold, options.dedup_num_perm)

    def best_match(self, article_id: str, signature: list[int], bands: list[tuple[int, str]]) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for candidate in sorted(self.store.lsh_candidates(bands) - {article_id}):
            other = self.store.get_signature(candidate)
            if other is None:
                continue
            score = estimated_jaccard(signature, other)
            if score >= self.threshold and (best is None or score > best[1]):
                best = (candidate, score)
        return best

    def assign(self, article: Article) -> Article:
        """Index the article and set its ``syndication_group`` (the group's first article id)."""
        if not article.minhash:
            return article
        bands = band_keys(article.minhash, self.params)
        # One transaction under the writers' lock (the ingest's, when called from it): a copy stored
        # by a concurrent writer is either seen here or sees this one, never neither.
        with self.store.atomic(f"cannot group copies of article {article.id}"):
            match = self.best_match(article.id, article.minhash, bands)
            group = article.id
            if match is not None:
                group = self.store.get_syndication_group(match[0]) or match[0]
                log.info("%s is a copy of %s (Jaccard ~%.2f): group %s", article.id, match[0], match[1], group)
            self.store.add_minhash(article.id, bands, article.minhash, self.num_perm)
            self.store.set_syndication_group(article.id, group)
        article.syndication_group = group
        return article
