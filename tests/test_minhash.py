"""Our numpy MinHash gives datasketch 2.0's signature, value for value: the signatures databases hold
were made by datasketch, and new ones are compared with them (clean/dedup.py, minhash_of)."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash

from eventsift.clean.dedup import _CHUNK, minhash_of, shingles

from .conftest import SAMPLES

# Words of several scripts, so that shingles' UTF-8 bytes are not all ASCII.
VOCABULARY = (
    "the", "army", "said", "militia", "fighters", "seized", "a", "river", "crossing", "after", "clashes", "near",
    "town", "on", "Monday", "officials", "reported", "two", "civilians", "killed", "drones", "struck", "depot",
    "Belgorod", "Донецк", "обстрел", "погибли", "двое", "мирных", "жителей", "l'armée", "frappé", "près", "de",
    "Kharkiv", "北京", "发生", "爆炸", "🚀", "½", "naïve", "café",
)


def _datasketch_signature(text: str, num_perm: int) -> list[int]:
    """How dedup.py made signatures before: datasketch's MinHash over the sorted shingles."""
    reference = MinHash(num_perm=num_perm, seed=1)
    reference.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return [int(v) for v in reference.hashvalues]


def _texts() -> list[str]:
    """The sample articles, random texts from 0 to 6,000 words, and a few edge cases."""
    draw = random.Random(20240312)
    made = [" ".join(draw.choices(VOCABULARY, k=draw.choice([0, 1, 4, 5, 6, 30, 300, 900]))) for _ in range(150)]
    long = " ".join(draw.choices(VOCABULARY, k=_CHUNK * 3 + 17))  # more shingles than one chunk holds
    samples = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))]
    return [*samples, *made, long, "", "!!! ???", "one", "One two three four five", "a\u00a0b\tc\nd e f g"]


@pytest.mark.parametrize("num_perm", [1, 16, 128, 256])
def test_signature_equals_datasketch_over_many_texts(num_perm: int) -> None:
    texts = _texts()
    assert len(texts) > 150 and any(len(shingles(t)) > _CHUNK for t in texts)
    for text in texts:
        ours = minhash_of(text, num_perm)
        assert ours.dtype == np.uint32 and ours.shape == (num_perm,)
        assert ours.tolist() == _datasketch_signature(text, num_perm), text[:80]


def test_text_without_words_has_the_empty_signature() -> None:
    assert minhash_of("— … !!", 64).tolist() == [2**32 - 1] * 64 == _datasketch_signature("", 64)


def test_an_edited_passage_changes_only_some_values() -> None:
    """The signature follows the shingles: a tenth of the words replaced (Jaccard about 0.8) keeps
    most values, not all."""
    words = random.Random(7).choices(VOCABULARY, k=400)
    edited = [*words[:180], *(f"edit{i}" for i in range(40)), *words[220:]]
    same = np.count_nonzero(minhash_of(" ".join(words), 128) == minhash_of(" ".join(edited), 128))
    assert 64 < same < 128


def test_fingerprinting_loads_neither_datasketch_nor_scipy() -> None:
    code = (
        "import sys\n"
        "from eventsift.clean.dedup import fingerprint_article\n"
        "from eventsift.records import Article\n"
        "from eventsift.settings import Options\n"
        "a = fingerprint_article(Article(id='x', source_kind='text', body='one two three four five six'), Options())\n"
        "assert len(a.minhash) == 128\n"
        "print('datasketch' in sys.modules, 'scipy' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
