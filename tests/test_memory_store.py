"""The MemoryStore that `eventsift extract` stores and groups copies in answers as the database's
Store does: the same syndication groups, refusals and reasons, and nothing kept from a failed block."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eventsift.errors import StoreError
from eventsift.ingest.sources import iter_inputs
from eventsift.pipeline import RunStore, RunSummary
from eventsift.records import Article
from eventsift.settings import Options
from eventsift.store.memory import MemoryStore
from eventsift.store.store import open_store
from eventsift.workflow import extract, ingest_items

from .conftest import SAMPLES

PUBLISHED = "2024-03-12"


def _article(n: int, body: str, **changes: object) -> Article:
    fields: dict[str, object] = {"id": f"art{n}", "source_kind": "text", "raw_text": body, "body": body, **changes}
    return Article(**fields)  # type: ignore[arg-type]


def _group_samples(store: RunStore, until: str) -> tuple[RunSummary, dict[str, str | None]]:
    """Ingest samples/articles (their wire copies included) into ``store`` through ``until``."""
    items = iter_inputs(str(SAMPLES), Options(), published=PUBLISHED)
    summary, articles = ingest_items(items, store, Options(), until=until)
    return summary, {Path(a.location or "").name: a.syndication_group for a in articles}


def _summary_counts(summary: RunSummary) -> tuple[int, int, int, int]:
    return summary.done, summary.halted, summary.rejected, summary.skipped


def test_groups_of_the_samples_equal_the_database_stores(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'groups.db'}") as database:
        in_database = _group_samples(database, "clean")
    in_memory = _group_samples(MemoryStore(), "clean")
    assert in_memory[1] == in_database[1]
    assert _summary_counts(in_memory[0]) == _summary_counts(in_database[0])
    groups = in_memory[1]
    # The samples hold wire stories with copies (grouped) and independent reports (not).
    assert groups["river-crossing-wire.txt"] == groups["river-crossing-copy.txt"] is not None
    assert groups["depot-strike-wire.txt"] == groups["depot-strike-copy.txt"] is not None
    assert groups["river-crossing-independent.txt"] not in {groups["river-crossing-wire.txt"], None}


def test_extract_groups_as_an_ingest_into_a_database_does(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'events.db'}") as database:
        summary, stored = _group_samples(database, "events")
    extracted_summary, extracted = extract([str(SAMPLES)], Options(), published=PUBLISHED)
    assert {Path(a.location or "").name: a.syndication_group for a in extracted} == stored
    assert _summary_counts(extracted_summary) == _summary_counts(summary)


def test_refusals_and_their_reasons_are_the_stores(tmp_path: Path) -> None:
    body = "Drones struck a depot near Belgorod on Monday. Officials said nobody was hurt."
    with open_store(f"sqlite:///{tmp_path / 'refusals.db'}") as database:
        for store in (database, MemoryStore()):
            first = _article(1, body)
            assert store.add_article(first) and store.has_content_hash(first.content_hash or "")
            assert not store.add_article(_article(2, body))  # the same content: already stored
            with pytest.raises(StoreError, match="article id art1 is already stored with other content"):
                store.add_article(_article(1, body + " More."))
            with pytest.raises(StoreError, match="art3: title contains a NUL character"):
                store.add_article(_article(3, body + " Again.", title="a\x00b"))
            with pytest.raises(StoreError, match="article has no id"):
                store.add_article(_article(4, body + " Once more.", id=""))
            assert store.get_syndication_group("art1") is None
            with pytest.raises(StoreError, match="cannot set syndication group of article art3: it is not stored"):
                store.set_syndication_group("art3", "art1")


def test_a_failed_block_keeps_nothing_and_an_inner_block_joins_the_outer() -> None:
    store = MemoryStore()
    kept = _article(1, "Troops shelled the town of Avdiivka on Monday, killing two civilians.", minhash=[5, 6])
    assert store.add_article(kept)
    store.add_minhash("art1", [(0, "aa"), (1, "bb")], [5, 6], 2)
    store.set_syndication_group("art1", "art1")
    failed = _article(2, "Militia fighters seized a bridge near Kharkiv on Tuesday.", minhash=[7, 8])
    with pytest.raises(RuntimeError), store.atomic():
        assert store.add_article(failed)
        with store.atomic():  # joins: its changes go with the outer block's
            store.add_minhash("art2", [(0, "aa"), (1, "cc")], [7, 8], 2)
            store.set_syndication_group("art2", "art1")
            store.add_minhash("art1", [(0, "zz")], [9, 9], 2)  # replacing a kept article's bands
        assert store.lsh_candidates([(1, "cc")]) == {"art2"}
        raise RuntimeError("a later stage failed")
    assert not store.has_content_hash(failed.content_hash or "")
    assert store.get_signature("art2") is None and store.get_syndication_group("art2") is None
    assert store.lsh_candidates([(0, "aa"), (1, "cc")]) == {"art1"}
    assert store.lsh_candidates([(0, "zz")]) == set()
    assert store.get_signature("art1") == [5, 6] and store.get_syndication_group("art1") == "art1"
    assert store.add_article(failed)  # the block left nothing behind: the content is new again


def test_lsh_candidates_and_signatures() -> None:
    store = MemoryStore()
    for n in (1, 2):
        store.add_article(_article(n, f"Shelling reported in the town on day {n}, officials said."))
    store.add_minhash("art1", [(0, "aa"), (1, "bb")], [1, 2], 2)
    store.add_minhash("art2", [(0, "bb"), (1, "bb")], [3, 4], 2)
    assert store.lsh_candidates([(1, "bb")]) == {"art1", "art2"}
    assert store.lsh_candidates([(0, "bb")]) == {"art2"}  # a bucket belongs to its band
    assert store.lsh_candidates([(1, "bb")], exclude="art1") == {"art2"}
    assert store.lsh_candidates([]) == set()
    assert store.get_signature("art2") == [3, 4] and store.get_signature("art9") is None
    with pytest.raises(StoreError, match="signature has 2 values, not 3"):
        store.add_minhash("art1", [], [1, 2], 3)


def test_extract_loads_no_database_code(tmp_path: Path) -> None:
    """Start-up: extract opens no database, so SQLAlchemy, Alembic and datasketch (scipy) stay unloaded."""
    text = tmp_path / "one.txt"
    text.write_text("Troops shelled the town of Avdiivka on Monday, killing two civilians, officials said.\n")
    code = (
        "import sys\n"
        "from eventsift.settings import Options\n"
        "from eventsift.workflow import extract\n"
        f"summary, articles = extract([{str(text)!r}], Options(), published='2024-03-12')\n"
        "assert summary.done == 1 and articles[0].minhash, summary\n"
        "print(*[name in sys.modules for name in ('sqlalchemy', 'alembic', 'datasketch', 'scipy')])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False"] * 4
