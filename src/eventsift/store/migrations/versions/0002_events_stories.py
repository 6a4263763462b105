"""Events and stories: one row per coded event, one per story merging events across articles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Portable DDL only, like 0001. Articles stored before this revision have their events in the article
record only; `eventsift merge --rebuild` fills these tables from them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _coded_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("acled_event_type", sa.Text(), nullable=False),
        sa.Column("acled_sub_event_type", sa.Text(), nullable=False),
        sa.Column("date_start", sa.Text()),
        sa.Column("date_end", sa.Text()),
        sa.Column("date_precision", sa.Text()),
        sa.Column("country", sa.Text()),
        sa.Column("admin1", sa.Text()),
        sa.Column("location", sa.Text()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("geo_precision", sa.Text()),
        sa.Column("actor1", sa.Text()),
        sa.Column("actor2", sa.Text()),
        sa.Column("fatalities", sa.Integer()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.Column("n_articles", sa.Integer(), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("n_origins", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_coded_columns(),
    )
    op.create_index("ix_stories_date_start", "stories", ["date_start"])
    op.create_index("ix_stories_type", "stories", ["acled_event_type"])
    op.create_table(
        "events",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("article_id", sa.Text(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("story_id", sa.Text()),  # stories are summaries rewritten after their members
        sa.Column("merge_reason", sa.Text()),
        sa.Column("published", sa.Text()),
        sa.Column("temporal_status", sa.Text()),
        *_coded_columns(),
    )
    for name, columns in (
        ("ix_events_article_id", ["article_id"]),
        ("ix_events_story_id", ["story_id"]),
        ("ix_events_date_start", ["date_start"]),
        ("ix_events_type", ["acled_event_type"]),
    ):
        op.create_index(name, "events", columns)


def downgrade() -> None:
    for name in ("ix_events_type", "ix_events_date_start", "ix_events_story_id", "ix_events_article_id"):
        op.drop_index(name, table_name="events")
    op.drop_table("events")
    op.drop_index("ix_stories_type", table_name="stories")
    op.drop_index("ix_stories_date_start", table_name="stories")
    op.drop_table("stories")
