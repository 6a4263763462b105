"""The store on both back-ends: every test taking ``db_url`` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from datasketch import MinHash
from sqlalchemy import func, inspect, select, text

from eventsift.errors import StoreError
from eventsift.records import Article, Reject, Removed, Repair, content_hash
from eventsift.store.rows import article_row, decode_signature, encode_signature
from eventsift.store.schema import UNMODELLED, rejects
from eventsift.store.store import (
    MIGRATIONS,
    ArticleSummary,
    Store,
    articles,
    database_url,
    metadata,
    open_store,
)

pytest_plugins = ["tests.pg"]  # db_url (SQLite and PostgreSQL), pg_db_url, pg_url

_NOW = datetime(2024, 3, 12, tzinfo=UTC)
TABLES = {"articles", "rejects", "http_cache", "minhash_bands", "signatures", "events", "stories"}


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def make_article(n: int = 1, **changes: object) -> Article:
    """An article with every field filled; ``n`` makes the text (and so the content hash) distinct."""
    body = f"Drones struck a depot near Belgorod on day {n}. Officials said nobody was hurt."
    article = Article(
        id=f"art{n:04d}",
        source_kind="html",
        location=f"/data/in/{n}.html",
        raw_text=None,
        raw_html=f"<html><body><p>{body}</p><p>Accept cookies</p></body></html>",
        url=f"https://example.org/news/{n}",
        source="example.org",
        author="Ирина Петрова",
        title=f"Raid near Belgorod, report {n}",
        standfirst="Second-hand claims on Telegram",
        byline="By Irina Petrova",
        dateline="BELGOROD",
        published="2024-03-0" + str(1 + n % 9),
        published_note="from <meta property=article:published_time>",
        paragraphs=[body, "Accept cookies"],
        body=body,
        removed=[Removed("Accept cookies", "consent boilerplate")],
        repairs=[Repair("mojibake", "cp874-decoded UTF-8 repaired: 'â€™' -> '’'")],
        language="en",
        language_score=0.987654321,
        halted=None,
        content_hash=None,
        syndication_group=None,
        minhash=None,
    )
    article.content_hash = content_hash(article.raw_html or "")
    return replace(article, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- schema


def test_migrations_create_the_schema_and_match_the_tables(db_url: str) -> None:
    with open_store(db_url) as store:
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        assert store.schema_revision() == head == "0007"
        with store.engine.connect() as conn:
            assert TABLES | {"alembic_version"} <= set(inspect(conn).get_table_names())
            indexes = {ix["name"] for ix in inspect(conn).get_indexes("minhash_bands")}
            assert "ix_minhash_bands_band_bucket" in indexes
            context = MigrationContext.configure(conn, opts={"include_name": _modelled})
            drift = compare_metadata(context, metadata)
        assert drift == [], f"migrations and store tables disagree: {drift}"
    with open_store(db_url) as again:  # opening an up-to-date database migrates nothing
        assert again.schema_revision() == "0007"
        assert again.count_articles() == 0


def _modelled(name: str | None, _kind: str, _parents: object) -> bool:
    """Whether schema.py describes this object (the per-back-end indexes and FTS tables it does not)."""
    return name not in UNMODELLED


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def test_unknown_schema_revision_is_a_clear_error(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    with pytest.raises(StoreError, match="from revision f00d") as caught:
        open_store(db_url)
    assert "\n" not in str(caught.value)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "plain" / "path.db")) as store:  # a plain path is a SQLite file
        assert store.backend == "sqlite"
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "plain" / "path.db").is_file()


def test_in_memory_sqlite_works() -> None:
    with open_store("sqlite://") as store:
        assert store.add_article(make_article())
        assert store.count_articles() == 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db.example/events", "postgresql+psycopg://u:***@db.example/events"),
        ("postgres://u@db.example/events", "postgresql+psycopg://u@db.example/events"),
        ("postgresql+psycopg://u@h/e", "postgresql+psycopg://u@h/e"),
        ("sqlite:///rel/x.db", "sqlite:///rel/x.db"),
        ("data/events.db", "sqlite:///data/events.db"),
    ],
)
def test_database_url_maps_paths_and_postgres_urls(given: str, expected: str) -> None:
    assert database_url(given).render_as_string(hide_password=True) == expected


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "", "postgresql://u@h:notaport/db"])
def test_unsupported_or_malformed_urls_are_store_errors(bad: str) -> None:
    with pytest.raises(StoreError):
        database_url(bad)


def test_unreachable_postgres_is_a_one_line_store_error() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "\n" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)


# ------------------------------------------------------------------------------------ articles


def test_article_round_trip_keeps_every_field(store: Store) -> None:
    article = make_article(1, minhash=[7, 2**32 - 1, 0, 12345])
    assert store.add_article(article) is True
    assert store.get_article(article.id) == article
    with store.engine.connect() as conn:
        record = json.loads(conn.scalar(select(articles.c.record)) or "{}")
    assert not {"raw_html", "raw_text", "minhash"} & set(record), "raw and minhash live outside the record"
    assert record["removed"] == [{"text": "Accept cookies", "reason": "consent boilerplate"}]


def test_text_and_html_raw_are_both_kept(store: Store) -> None:
    plain = make_article(1, source_kind="text", raw_html=None, raw_text="plain raw text")
    both = make_article(2, raw_text="the text the HTML was read as")
    for article in (plain, both):
        store.add_article(article)
        assert store.get_article(article.id) == article


def test_content_hash_is_computed_when_missing(store: Store) -> None:
    article = make_article(1, source_kind="text", raw_html=None, raw_text="raw words", content_hash=None)
    assert store.add_article(article)
    assert article.content_hash == content_hash("raw words")
    assert store.has_content_hash(content_hash("raw words"))
    assert store.article_id_for_hash(content_hash("raw words")) == article.id
    assert store.article_id_for_hash("0000000000000000") is None
    assert not store.has_content_hash("0000000000000000")


def test_ingesting_the_same_content_twice_stores_it_once(store: Store) -> None:
    folder = [make_article(n) for n in range(1, 6)]
    assert [store.add_article(a) for a in folder] == [True] * 5
    again = [replace(a) for a in folder]
    assert [store.add_article(a) for a in again] == [False] * 5
    renamed = make_article(1, id="other-id")  # same content under another id: still a duplicate
    assert store.add_article(renamed) is False
    assert store.get_article("other-id") is None
    assert store.count_articles() == 5


def test_same_id_with_other_content_is_refused(store: Store) -> None:
    store.add_article(make_article(1))
    clash = make_article(2, id=make_article(1).id)
    with pytest.raises(StoreError, match="already stored with other content"):
        store.add_article(clash)
    assert store.get_article(clash.id) == make_article(1)


def test_prefix_lookup_and_ambiguity(store: Store) -> None:
    for n, article_id in enumerate(["abc123", "abd456", "ab1", "ab12", "x_y"], start=1):
        store.add_article(make_article(n, id=article_id))
    found = store.get_article("abc")
    assert found is not None and found.id == "abc123"
    assert store.get_article("ab1") is not None and store.get_article("ab1").id == "ab1"  # type: ignore[union-attr]
    with pytest.raises(StoreError, match="ambiguous") as caught:
        store.get_article("ab")
    assert "abc123" in str(caught.value) and "\n" not in str(caught.value)
    assert store.get_article("zzz") is None
    assert store.get_article("a%") is None  # LIKE wildcards are literal
    assert store.get_article("x%") is None
    assert store.get_article("x_") is not None
    with pytest.raises(StoreError):
        store.get_article("  ")


def test_update_article_rewrites_later_stage_fields(store: Store) -> None:
    article = make_article(1)
    store.add_article(article)
    article.body = "A shorter body."
    article.halted = "unsupported language: xx"
    article.syndication_group = "grp1"
    article.removed.append(Removed("Read more: another story", "promo"))
    store.update_article(article)
    assert store.get_article(article.id) == article
    (summary,) = store.list_articles()
    assert summary.words == 3 and summary.halted == article.halted
    with pytest.raises(StoreError, match="not stored"):
        store.update_article(make_article(2))


def test_url_known(store: Store) -> None:
    store.add_article(make_article(1))
    assert store.url_known("https://example.org/news/1")
    assert not store.url_known("https://example.org/news/2")


# ------------------------------------------------------------------------------------- listing


@pytest.fixture
def listed(store: Store) -> Store:
    rows = [
        make_article(1, published="2024-03-01", title="Raid on a depot", language="en"),
        make_article(2, published="2024-03-05", source="other.net", title="Ceasefire talks"),
        make_article(3, published="2024-02-20", language="ru", halted="unsupported language: ru"),
        make_article(4, published=None, title="ВЗРЫВ в Белгороде", body="Undated 100% report."),
        make_article(5, published="2024-03-05", syndication_group="g1", title="Depot raid (copy)"),
        make_article(6, published="2024-03-03", syndication_group="g1"),
    ]
    for article in rows:
        assert store.add_article(article)
    return store


def _ids(summaries: list[ArticleSummary]) -> list[str]:
    return [s.id for s in summaries]


def test_list_orders_newest_first_and_pages(listed: Store) -> None:
    everything = _ids(listed.list_articles())
    # same date: the later stored first; undated last
    assert everything == ["art0005", "art0002", "art0006", "art0001", "art0003", "art0004"]
    assert _ids(listed.list_articles(limit=2, offset=2)) == ["art0006", "art0001"]
    first = listed.list_articles(limit=1, offset=5)[0]
    assert first == ArticleSummary(
        "art0004", "ВЗРЫВ в Белгороде", None, "example.org", "en", None, None, 3, "https://example.org/news/4"
    )
    assert first.to_dict()["title"] == "ВЗРЫВ в Белгороде" and first.to_dict()["words"] == 3


def test_list_filters(listed: Store) -> None:
    assert _ids(listed.list_articles(language="ru")) == ["art0003"]
    assert _ids(listed.list_articles(source="other.net")) == ["art0002"]
    assert set(_ids(listed.list_articles(since="2024-03-03"))) == {"art0002", "art0005", "art0006"}
    assert _ids(listed.list_articles(until="2024-02-28")) == ["art0003"]
    assert _ids(listed.list_articles(since="2024-03-01", until="2024-03-03")) == ["art0006", "art0001"]
    assert _ids(listed.list_articles(halted=True)) == ["art0003"]
    assert "art0003" not in _ids(listed.list_articles(halted=False))
    assert len(listed.list_articles(halted=False)) == 5
    assert set(_ids(listed.list_articles(group="g1"))) == {"art0005", "art0006"}
    assert _ids(listed.list_articles(group="g1", since="2024-03-04")) == ["art0005"]


def test_list_search_is_case_insensitive_on_title_and_body(listed: Store) -> None:
    assert set(_ids(listed.list_articles(search="DEPOT RAID"))) == {"art0005"}
    assert set(_ids(listed.list_articles(search="raid on"))) == {"art0001"}
    assert _ids(listed.list_articles(search="взрыв")) == ["art0004"]  # Unicode case folding
    assert _ids(listed.list_articles(search="100%")) == ["art0004"]  # % is literal
    assert _ids(listed.list_articles(search="_00")) == []
    assert len(listed.list_articles(search="belgorod")) == 5  # in every body but art0004's


def test_list_rejects_malformed_dates(listed: Store) -> None:
    with pytest.raises(StoreError, match="YYYY-MM-DD"):
        listed.list_articles(since="March 2024")


# ------------------------------------------------------------------------------------- rejects


def test_rejects_newest_first(store: Store) -> None:
    for n in range(3):
        store.add_reject(Reject(f"/in/{n}.bin", "ingest", f"binary input {n}", None))
    store.add_reject(Reject("/in/x.html", "extract", "stage failed", "art0001"))
    assert store.count_rejects() == 4
    newest = store.list_rejects()
    assert newest[0] == Reject("/in/x.html", "extract", "stage failed", "art0001")
    assert [r.location for r in newest[1:]] == ["/in/2.bin", "/in/1.bin", "/in/0.bin"]
    assert len(store.list_rejects(limit=2)) == 2


# ------------------------------------------------------------------------------ HTTP validators


def test_http_validators_round_trip(store: Store) -> None:
    url = "https://example.org/feed.xml"
    assert store.get_validators(url) is None
    store.put_validators(url, '"abc"', "Mon, 04 Mar 2024 10:00:00 GMT")
    assert store.get_validators(url) == ('"abc"', "Mon, 04 Mar 2024 10:00:00 GMT")
    store.put_validators(url, None, "Tue, 05 Mar 2024 10:00:00 GMT")
    assert store.get_validators(url) == (None, "Tue, 05 Mar 2024 10:00:00 GMT")
    store.put_validators("https://example.org/other", None, None)
    assert store.get_validators("https://example.org/other") == (None, None)


# ---------------------------------------------------------------------------- LSH and groups


def _minhash(text_value: str, num_perm: int = 64) -> list[int]:
    mh = MinHash(num_perm=num_perm, seed=1)
    for word in text_value.split():
        mh.update(word.encode("utf-8"))
    return [int(v) for v in mh.hashvalues]


def test_lsh_candidates_and_signatures(store: Store) -> None:
    for n in (1, 2, 3):
        store.add_article(make_article(n))
    sig1 = _minhash(make_article(1).body)
    store.add_minhash("art0001", [(0, "aa"), (1, "bb"), (2, "cc")], sig1, 64)
    store.add_minhash("art0002", [(0, "zz"), (1, "bb"), (2, "yy")], _minhash("x y"), 64)
    store.add_minhash("art0003", [(0, "bb"), (1, "qq"), (2, "rr")], _minhash("p q"), 64)  # bucket, other band
    assert store.lsh_candidates([(1, "bb")]) == {"art0001", "art0002"}
    assert store.lsh_candidates([(0, "aa"), (2, "yy")]) == {"art0001", "art0002"}
    assert store.lsh_candidates([(1, "bb")], exclude="art0001") == {"art0002"}
    assert store.lsh_candidates([(5, "bb"), (0, "nope")]) == set()
    assert store.lsh_candidates([]) == set()
    assert store.get_signature("art0001") == sig1
    assert store.get_signature("art0009") is None
    stored = store.get_article("art0001")
    assert stored is not None and stored.minhash == sig1


def test_add_minhash_replaces_and_keeps_64_bit_values(store: Store) -> None:
    store.add_article(make_article(1))
    store.add_minhash("art0001", [(0, "old")], [1, 2], 2)
    wide = [2**64 - 1, 2**40, 3]
    store.add_minhash("art0001", [(0, "new")], wide, 3)
    assert store.lsh_candidates([(0, "old")]) == set()
    assert store.lsh_candidates([(0, "new")]) == {"art0001"}
    assert store.get_signature("art0001") == wide
    with pytest.raises(StoreError):
        store.add_minhash("art0001", [], [1, 2], 3)  # length disagrees with num_perm


def test_minhash_needs_a_stored_article(store: Store) -> None:
    with pytest.raises(StoreError, match="art0404") as caught:
        store.add_minhash("art0404", [(0, "aa")], [1], 1)  # foreign key enforced on both back-ends
    assert "\n" not in str(caught.value)
    assert store.lsh_candidates([(0, "aa")]) == set()


def test_syndication_groups(store: Store) -> None:
    for n in (1, 2, 3):
        store.add_article(make_article(n))
    store.set_syndication_group("art0001", "grp-1")
    store.set_syndication_group("art0002", "grp-1")
    assert store.syndication_members("grp-1") == ["art0001", "art0002"]
    assert store.get_article("art0002").syndication_group == "grp-1"  # type: ignore[union-attr]
    assert _ids(store.list_articles(group="grp-1")) == ["art0002", "art0001"]
    store.set_syndication_group("art0002", None)
    assert store.syndication_members("grp-1") == ["art0001"]
    assert store.get_article("art0002").syndication_group is None  # type: ignore[union-attr]
    assert store.syndication_members("nope") == []
    assert store.get_syndication_group("art0001") == "grp-1"
    assert store.get_syndication_group("art0003") is None
    assert store.get_syndication_group("art0404") is None
    with pytest.raises(StoreError, match="not stored"):
        store.set_syndication_group("art0404", "grp-1")


# ------------------------------------------------------------------------------ failure handling


def test_an_error_mid_batch_keeps_what_is_stored(store: Store) -> None:
    batch = [make_article(n) for n in range(1, 6)]
    batch[2] = make_article(3, body="bad \x00 byte")  # PostgreSQL cannot store NUL: refused on both
    batch[3] = make_article(4, id=batch[0].id)  # same id, other content: refused by the database
    stored, errors = [], []
    for article in batch:
        try:
            stored.append(store.add_article(article))
        except StoreError as exc:
            errors.append(str(exc))
    assert stored == [True, True, True]
    assert len(errors) == 2 and all("\n" not in e for e in errors)
    assert store.count_articles() == 3
    assert {a.id for a in batch[:2]} | {batch[4].id} == {s.id for s in store.list_articles()}
    assert store.get_article(batch[0].id) == batch[0]


def test_reopening_keeps_data_and_closed_store_refuses(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_article(make_article(1))
        store.add_reject(Reject("/in/bad", "ingest", "empty input"))
    with open_store(db_url) as store:
        assert store.count_articles() == 1 and store.count_rejects() == 1
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.count_articles()


def test_concurrent_first_opens_migrate_once(db_url: str) -> None:
    def open_and_add(n: int) -> bool:
        with open_store(db_url) as store:
            return store.add_article(make_article(n))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(open_and_add, [1, 2, 3, 4, 1, 2]))
    assert sorted(results) == [False, False, True, True, True, True]
    with open_store(db_url) as store:
        assert store.count_articles() == 4


def test_schema_has_no_sqlite_only_types(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.connect() as conn:
        columns = {
            (table, col["name"]): str(col["type"]).upper()
            for table in TABLES
            for col in inspect(conn).get_columns(table)
        }
        assert columns[("signatures", "signature")] in {"BLOB", "BYTEA"}
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


# ------------------------------------------------------------------------------ units of work


def test_writing_commits_or_rolls_back_with_a_one_line_error(store: Store) -> None:
    with pytest.raises(StoreError, match="^test: broken write: ") as caught, store.writing("test: broken write") as conn:
        conn.execute(rejects.insert().values(location="/in/a", stage="ingest", reason="x", created_at=_NOW))
        conn.execute(text("SELECT * FROM no_such_table"))
    assert "\n" not in str(caught.value)
    assert store.count_rejects() == 0  # the insert went with the failed transaction
    with store.writing("test: write") as conn:
        conn.execute(rejects.insert().values(location="/in/a", stage="ingest", reason="x", created_at=_NOW))
    assert store.count_rejects() == 1


def test_reading_inside_atomic_sees_the_blocks_writes(store: Store) -> None:
    with store.atomic("test: block") as unit:
        store.add_reject(Reject("/in/b", "ingest", "empty input"))
        with store.reading("test: read") as conn:
            assert conn is unit
            assert conn.scalar(select(func.count()).select_from(rejects)) == 1
    with store.reading("test: read") as conn:
        assert conn.scalar(select(func.count()).select_from(rejects)) == 1


def test_article_row_fills_every_column_but_the_ingest_time() -> None:
    row = article_row(make_article(1))
    assert set(row) == set(articles.columns.keys()) - {"ingested_at"}
    assert row["raw_kind"] == "html" and row["words"] == len(row["body"].split())
    assert "minhash" not in json.loads(row["record"])


@pytest.mark.parametrize(("values", "width"), [([1, 2**32 - 1], 4), ([1, 2**32], 8)])
def test_signatures_take_32_bits_a_value_when_all_fit(values: list[int], width: int) -> None:
    blob = encode_signature(values)
    assert len(blob) == width * len(values) and decode_signature(blob, len(values)) == values


def test_no_module_outside_the_store_calls_its_private_members() -> None:
    """Other modules use the Store's public methods (reading, writing, atomic, ...) only."""
    private = {name for name in vars(Store) if name.startswith("_") and not name.startswith("__")}
    private |= {"_closed", "_engine", "_writer", "_local"}  # set in __init__
    src = Path(__file__).resolve().parents[1] / "src" / "eventsift"
    used = {
        f"{path.relative_to(src)}: {name}"
        for path in src.rglob("*.py")
        if path != src / "store" / "store.py"
        for name in private
        if re.search(rf"\b(?!self\b)\w*store\w*\.{name}\b", path.read_text(encoding="utf-8"))
    }
    assert not used
