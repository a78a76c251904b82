"""Assessments: `share_row`, the participant's tick to let the workshop facilitator see their (coarsened) row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Frozen: names are literals here. Rows saved before this revision never opted in (false).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("share_row", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("share_row")
