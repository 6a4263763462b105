"""Initial schema: articles, rejects, http_cache, minhash_bands, signatures.

Revision ID: 0001
Revises:
Create Date: 2025-11-25

Portable DDL only (SQLite and PostgreSQL): text, integer, float, binary and timestamp columns; no
dialect-specific types. Migrations are frozen: they never import the store's table definitions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _articles() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("source_kind", sa.Text(), nullable=False),
        sa.Column("location", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("author", sa.Text()),
        sa.Column("title", sa.Text()),
        sa.Column("standfirst", sa.Text()),
        sa.Column("byline", sa.Text()),
        sa.Column("dateline", sa.Text()),
        sa.Column("published", sa.Text()),  # YYYY-MM-DD
        sa.Column("published_note", sa.Text()),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),  # body word count, for listings
        sa.Column("language", sa.Text()),
        sa.Column("language_score", sa.Float()),
        sa.Column("halted", sa.Text()),
        sa.Column("syndication_group", sa.Text()),
        sa.Column("raw_kind", sa.Text()),  # which raw field `raw` holds: text | html
        sa.Column("raw", sa.Text()),
        sa.Column("record", sa.Text(), nullable=False),  # Article.to_dict() as JSON, minus raw and minhash
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_index("ix_articles_syndication_group", "articles", ["syndication_group"])
    op.create_index("ix_articles_url", "articles", ["url"])
    op.create_index("ix_articles_published", "articles", ["published"])


def _rejects() -> None:
    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def _http_cache() -> None:
    op.create_table(
        "http_cache",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    )


def _minhash() -> None:
    op.create_table(
        "minhash_bands",
        sa.Column("article_id", sa.Text(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "band", name="pk_minhash_bands"),
    )
    op.create_index("ix_minhash_bands_band_bucket", "minhash_bands", ["band", "bucket"])
    op.create_table(
        "signatures",
        sa.Column(
            "article_id", sa.Text(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("num_perm", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),  # uint32/uint64 little-endian values
    )


def upgrade() -> None:
    _articles()
    _rejects()
    _http_cache()
    _minhash()


def downgrade() -> None:
    op.drop_table("signatures")
    op.drop_index("ix_minhash_bands_band_bucket", table_name="minhash_bands")
    op.drop_table("minhash_bands")
    op.drop_table("http_cache")
    op.drop_table("rejects")
    op.drop_index("ix_articles_published", table_name="articles")
    op.drop_index("ix_articles_url", table_name="articles")
    op.drop_index("ix_articles_syndication_group", table_name="articles")
    op.drop_table("articles")
