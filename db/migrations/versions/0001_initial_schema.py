"""Initial schema: data sets and their rows, model fits, activations, workshops, assessments.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Frozen: names are literals here (not imported from the models), so later changes to the code
cannot change what this migration does.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEMS = ("AIGC1", "AIGC2", "AIGC3", "AIGC4", "DC1", "DC2", "DC3", "IO1", "IO2", "IO3",
         "LSC1", "LSC2", "LSC3", "HQD1", "HQD2", "HQD3", "HQD4", "HQD5", "HQD6")
CONSTRUCTS = ("AIGC", "DC", "IO", "LSC", "HQD")
SUBSCORES = ("HQD_fin", "HQD_inn", "HQD_sus")
# Partial-index predicates exactly as SQLAlchemy renders the models' expressions, so SQLite's planner matches them.
COUNTED = {"sqlite_where": sa.text("consent = 1 AND latest = 1"), "postgresql_where": sa.text("consent = true AND latest = true")}
LATEST = {"sqlite_where": sa.text("latest = 1"), "postgresql_where": sa.text("latest = true")}


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _items() -> list[sa.Column]:
    return [sa.Column(item, sa.SmallInteger(), nullable=True) for item in ITEMS]


def _controls() -> list[sa.Column]:
    return [
        sa.Column("firm_size", sa.Integer(), nullable=True),
        sa.Column("firm_age", sa.Float(), nullable=True),
        sa.Column("region", sa.String(16), nullable=True),
        sa.Column("business_model", sa.String(8), nullable=True),
        sa.Column("pilot_zone", sa.SmallInteger(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("provenance", sa.String(32), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        _timestamp("created_at"),
        sa.CheckConstraint("provenance IN ('synthetic-reference', 'uploaded', 'collected')", name=op.f("ck_datasets_provenance")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datasets")),
        sa.UniqueConstraint("name", name=op.f("uq_datasets_name")),
    )
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("join_code", sa.String(6), nullable=False),
        sa.Column("facilitator_secret_hash", sa.String(200), nullable=False),
        _timestamp("opens_at"),
        _timestamp("closes_at", nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops")),
        sa.UniqueConstraint("join_code", name=op.f("uq_workshops_join_code")),
    )
    op.create_table(
        "model_fits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("spec_version", sa.String(16), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("n_used", sa.Integer(), nullable=False),
        sa.Column("n_excluded", sa.Integer(), nullable=False),
        sa.Column("chi2", sa.Float(), nullable=True),
        sa.Column("df", sa.Integer(), nullable=True),
        sa.Column("cfi", sa.Float(), nullable=True),
        sa.Column("tli", sa.Float(), nullable=True),
        sa.Column("rmsea", sa.Float(), nullable=True),
        sa.Column("srmr", sa.Float(), nullable=True),
        sa.Column("bootstrap", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("controls", sa.Boolean(), nullable=False),
        sa.Column("model_json", sa.Text(), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(["dataset_id"], ["datasets.id"], name=op.f("fk_model_fits_dataset_id_datasets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_fits")),
    )
    op.create_index(op.f("ix_model_fits_dataset_id"), "model_fits", ["dataset_id"])
    op.create_table(
        "survey_responses",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Text(), nullable=True),
        *_controls(),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("zone", sa.Text(), nullable=True),
        *_items(),
        sa.ForeignKeyConstraint(["dataset_id"], ["datasets.id"], name=op.f("fk_survey_responses_dataset_id_datasets")),
        sa.PrimaryKeyConstraint("dataset_id", "row_number", name=op.f("pk_survey_responses")),
    )
    op.create_table(
        "activations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_fit_id", sa.Integer(), nullable=False),
        _timestamp("activated_at"),
        sa.ForeignKeyConstraint(["model_fit_id"], ["model_fits.id"], name=op.f("fk_activations_model_fit_id_model_fits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activations")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.Column("model_fit_id", sa.Integer(), nullable=False),
        sa.Column("firm_key", sa.String(8), nullable=True),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False),
        *_controls(),
        sa.Column("size_band", sa.String(16), nullable=True),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("zone", sa.Text(), nullable=True),
        sa.Column("hqd_expected", sa.Float(), nullable=False),
        sa.Column("hqd_gap", sa.Float(), nullable=False),
        sa.Column("theta", sa.Float(), nullable=False),
        sa.Column("priority_lever", sa.String(8), nullable=True),
        sa.Column("segment", sa.String(64), nullable=False),
        *_items(),
        *(sa.Column(code, sa.Float(), nullable=False) for code in CONSTRUCTS),
        *(sa.Column(code, sa.Float(), nullable=True) for code in SUBSCORES),
        sa.ForeignKeyConstraint(["model_fit_id"], ["model_fits.id"], name=op.f("fk_assessments_model_fit_id_model_fits")),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], name=op.f("fk_assessments_workshop_id_workshops")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    op.create_index("ix_assessments_firm_key", "assessments", ["firm_key", "created_at"])
    op.create_index("uq_assessments_latest_firm_key", "assessments", ["firm_key"], unique=True, **LATEST)
    op.create_index("ix_assessments_workshop_id", "assessments", ["workshop_id"])
    op.create_index("ix_assessments_model_fit_id", "assessments", ["model_fit_id", "created_at"])
    # covering partial indexes for peer comparisons; consent and latest last so SQLite counts them as covering
    op.create_index("ix_assessments_segment", "assessments",
                    ["region", "business_model", "pilot_zone", "size_band", *CONSTRUCTS, *SUBSCORES, "consent", "latest"],
                    **COUNTED)
    op.create_index("ix_assessments_province", "assessments", ["province", *CONSTRUCTS, "consent", "latest"], **COUNTED)
    op.create_index("ix_assessments_zone", "assessments", ["zone", *CONSTRUCTS, "consent", "latest"], **COUNTED)


def downgrade() -> None:
    for table in ("assessments", "activations", "survey_responses", "model_fits", "workshops", "datasets"):
        op.drop_table(table)
