"""A store kept in memory for one run: what ``eventsift extract`` stores and groups copies in.

extract reads its inputs without touching a database, yet within the run it must behave as an
ingest's storing stages do: syndicated copies share a group, an id already used for other content is
refused, an article the database would refuse (a NUL in a field) is refused with the same reason,
and a store stage that fails leaves nothing behind. :class:`MemoryStore` answers the calls those
stages and the runner make of :class:`~eventsift.store.store.Store` (articles, MinHash LSH bands
and signatures, syndication groups, rejects, ``atomic``) the way the Store answers them, from dicts:
no SQLAlchemy, no migrations and no temporary file, which cost extract 0.7 s of start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from ..errors import StoreError
from ..records import Article, Reject
from .article_json import ensure_hash, raw_of, record_json, validate

__all__ = ["MemoryStore"]

log = logging.getLogger(__name__)

Bucket = tuple[int, str]  # (LSH band number, bucket hash)


class MemoryStore:
    """The writing side of a Store, in dicts, for one process and one run."""

    def __init__(self) -> None:
        self._hash_of: dict[str, str] = {}  # stored article id -> its content hash
        self._ids_by_hash: dict[str, str] = {}  # content hash -> the stored article's id
        self._groups: dict[str, str | None] = {}  # stored article id -> syndication group
        self._signatures: dict[str, list[int]] = {}
        self._buckets_of: dict[str, list[Bucket]] = {}  # article id -> its LSH buckets
        self._members: dict[Bucket, set[str]] = {}  # LSH bucket -> ids of the articles in it
        self.rejects: list[Reject] = []
        self._undo: list[Callable[[], None]] | None = None  # set inside an atomic block

    # ----------------------------------------------------------------------- transactions

    @contextmanager
    def atomic(self, action: str = "cannot write") -> Iterator[None]:
        """Every change in the block stays, or none does (when the block raises); a block inside a
        block joins the outer one. ``action`` names the work in the Store's error; nothing here fails
        to commit."""
        if self._undo is not None:
            yield
            return
        self._undo = []
        try:
            yield
        except BaseException:
            for step in reversed(self._undo):
                step()
            raise
        finally:
            self._undo = None

    def _on_undo(self, step: Callable[[], None]) -> None:
        if self._undo is not None:
            self._undo.append(step)

    # --------------------------------------------------------------------------- articles

    def add_article(self, article: Article) -> bool:
        """Keep a new article; False when its content hash is kept already. StoreError, keeping
        nothing, for what the Store refuses: no id, text it cannot store, an id used for other content."""
        validate(article)
        digest = ensure_hash(article)
        if digest in self._ids_by_hash:
            log.debug("article %s: content %s already stored", article.id, digest)
            return False
        record_json(article, raw_of(article)[0])  # raises where the Store's record column would refuse it
        if article.id in self._hash_of:
            raise StoreError(f"article id {article.id} is already stored with other content")
        self._hash_of[article.id], self._ids_by_hash[digest] = digest, article.id
        self._groups[article.id] = article.syndication_group
        self._on_undo(lambda: self._forget(article.id))
        if article.minhash:
            self._put_signature(article.id, article.minhash)
        return True

    def _forget(self, article_id: str) -> None:
        self._ids_by_hash.pop(self._hash_of.pop(article_id), None)
        self._groups.pop(article_id, None)

    def has_content_hash(self, digest: str) -> bool:
        return digest in self._ids_by_hash

    def add_reject(self, reject: Reject) -> None:
        """Remember an input or article that failed a stage (``rejects``, oldest first)."""
        self.rejects.append(reject)

    def _require_stored(self, article_id: str, action: str) -> None:
        if article_id not in self._hash_of:
            raise StoreError(f"cannot {action} of article {article_id}: it is not stored")

    # ------------------------------------------------------------------- MinHash LSH, groups

    def add_minhash(self, article_id: str, bands: Sequence[Bucket], signature: Sequence[int], num_perm: int) -> None:
        """Keep (replacing) an article's LSH buckets and MinHash signature."""
        if len(signature) != num_perm:
            raise StoreError(f"article {article_id}: signature has {len(signature)} values, not {num_perm}")
        self._require_stored(article_id, "store MinHash")
        old = self._buckets_of.get(article_id, [])
        self._set_buckets(article_id, [(int(band), str(bucket)) for band, bucket in bands])
        self._on_undo(lambda: self._set_buckets(article_id, old))
        self._put_signature(article_id, signature)

    def _set_buckets(self, article_id: str, buckets: list[Bucket]) -> None:
        for bucket in self._buckets_of.pop(article_id, []):
            self._members[bucket].discard(article_id)
        if buckets:
            self._buckets_of[article_id] = buckets
        for bucket in buckets:
            self._members.setdefault(bucket, set()).add(article_id)

    def _put_signature(self, article_id: str, signature: Sequence[int]) -> None:
        old = self._signatures.get(article_id)
        self._signatures[article_id] = [int(v) for v in signature]
        self._on_undo(lambda: self._put_back_signature(article_id, old))

    def _put_back_signature(self, article_id: str, old: list[int] | None) -> None:
        if old is None:
            self._signatures.pop(article_id, None)
        else:
            self._signatures[article_id] = old

    def lsh_candidates(self, bands: Iterable[Bucket], *, exclude: str | None = None) -> set[str]:
        """Ids of kept articles sharing at least one (band, bucket) with ``bands``."""
        found: set[str] = set()
        for band, bucket in bands:
            found |= self._members.get((int(band), str(bucket)), set())
        found.discard(exclude or "")
        return found

    def get_signature(self, article_id: str) -> list[int] | None:
        signature = self._signatures.get(article_id)
        return None if signature is None else list(signature)

    def set_syndication_group(self, article_id: str, group_id: str | None) -> None:
        """Put an article in a syndication group (None takes it out of any)."""
        self._require_stored(article_id, "set syndication group")
        old = self._groups[article_id]
        self._groups[article_id] = group_id
        self._on_undo(lambda: self._groups.__setitem__(article_id, old))

    def get_syndication_group(self, article_id: str) -> str | None:
        """The syndication group of a kept article (None if it has none or is not kept)."""
        return self._groups.get(article_id)
