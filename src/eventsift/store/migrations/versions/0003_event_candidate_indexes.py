"""Indexes for the merge stage's candidate lookups: events of one type by date end and by
publication date (story_store._near_story_ids runs one lookup on each).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_type_date_end", "events", ["acled_event_type", "date_end"])
    op.create_index("ix_events_type_published", "events", ["acled_event_type", "published"])


def downgrade() -> None:
    op.drop_index("ix_events_type_published", table_name="events")
    op.drop_index("ix_events_type_date_end", table_name="events")
