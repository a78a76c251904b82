"""Workshop joins: each browser session that entered a workshop's join code (a hash of its id, and when).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Frozen: names are literals here. Nothing in it names a firm: the live view shows only how many joined.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workshop_joins",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sa.String(64), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_workshop_joins_workshop_id_workshops")),
        sa.PrimaryKeyConstraint("workshop_id", "session_hash", name=op.f("pk_workshop_joins")),
    )


def downgrade() -> None:
    op.drop_table("workshop_joins")
