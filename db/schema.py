"""The store's tables as SQLAlchemy 2.x ORM classes. Only `db` uses them: the repository returns plain data.

Column names of survey items, construct scores and controls are the project's own names
(`AIGC1`, `HQD_fin`, `firm_size`, … — MODEL.md §1), so a table row and a survey frame line up
without a mapping. Times are stored in UTC and come back timezone-aware on every backend.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    and_,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.scores import SCORE_COLUMNS

PROVENANCES: tuple[str, ...] = ("synthetic-reference", "uploaded", "collected")
SYNTHETIC = "synthetic-reference"
FIRM_KEY_LENGTH = 8
JOIN_CODE_LENGTH = 6
ROLES: tuple[str, ...] = ("admin", "researcher", "facilitator")
CONSTRUCT_SCORES: tuple[str, ...] = SCORE_COLUMNS[:5]  # AIGC DC IO LSC HQD; SCORE_COLUMNS adds the HQD sub-scores

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, timezone-aware UTC: the one clock every created_at and activation uses."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and read back timezone-aware (SQLite keeps no zone, PostgreSQL does)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _item_columns(cls: type, nullable: bool) -> None:
    """One SmallInteger column per survey item, named as the item."""
    for item in ITEM_COLUMNS:
        setattr(cls, item, mapped_column(item, SmallInteger, nullable=nullable))


class Dataset(Base):
    """A survey data set: the synthetic reference cohort, an uploaded file or collected responses."""

    __tablename__ = "datasets"
    __table_args__ = (CheckConstraint(f"provenance IN ({', '.join(repr(p) for p in PROVENANCES)})", name="provenance"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    provenance: Mapped[str] = mapped_column(String(32))
    row_count: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyResponse(Base):
    """One row of a data set as the file held it; `row_number` is its spreadsheet row (header = 1).

    The primary key (dataset_id, row_number) is also the index on dataset_id, in file order.
    """

    __tablename__ = "survey_responses"

    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_id: Mapped[str | None] = mapped_column(Text)
    firm_size: Mapped[int | None] = mapped_column(Integer)
    firm_age: Mapped[float | None] = mapped_column(Float)
    region: Mapped[str | None] = mapped_column(String(16))
    business_model: Mapped[str | None] = mapped_column(String(8))
    pilot_zone: Mapped[int | None] = mapped_column(SmallInteger)
    province: Mapped[str | None] = mapped_column(Text)
    zone: Mapped[str | None] = mapped_column(Text)


_item_columns(SurveyResponse, nullable=True)


class ModelFit(Base):
    """One fitted model, never changed after it is written; the figures a listing shows sit beside the JSON.

    Fit indices are those of the mediation SEM (the fit the paper reports, MODEL.md §4).
    """

    __tablename__ = "model_fits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    label: Mapped[str] = mapped_column(Text, default="")
    spec_version: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[str] = mapped_column(String(64))
    synthetic: Mapped[bool] = mapped_column(Boolean)
    n_used: Mapped[int] = mapped_column(Integer)
    n_excluded: Mapped[int] = mapped_column(Integer)
    chi2: Mapped[float | None] = mapped_column(Float)
    df: Mapped[int | None] = mapped_column(Integer)
    cfi: Mapped[float | None] = mapped_column(Float)
    tli: Mapped[float | None] = mapped_column(Float)
    rmsea: Mapped[float | None] = mapped_column(Float)
    srmr: Mapped[float | None] = mapped_column(Float)
    bootstrap: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(BigInteger)
    controls: Mapped[bool] = mapped_column(Boolean)
    model_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Activation(Base):
    """The active-benchmark history, append-only: the active fit is the one in the newest row."""

    __tablename__ = "activations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_fit_id: Mapped[int] = mapped_column(ForeignKey("model_fits.id"))
    activated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_by: Mapped[str | None] = mapped_column(String(64))  # account name; None for seeding and older rows


class Workshop(Base):
    """A facilitated session firms join with a short code; only a salted hash of the facilitator's secret is kept."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    join_code: Mapped[str] = mapped_column(String(JOIN_CODE_LENGTH), unique=True)
    facilitator_secret_hash: Mapped[str] = mapped_column(String(200))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkshopJoin(Base):
    """A browser session that entered a workshop's join code: a hash of the session's id and when, nothing of the firm.

    The live view counts these beside the assessments saved, so the facilitator sees how many are still answering.
    """

    __tablename__ = "workshop_joins"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assessment(Base):
    """One self-assessment scored against a fit, with its answers (none in quick mode), scores and controls.

    `latest` marks a firm's newest assessment (always true without a firm key): peer comparisons count
    each firm once, and only firms that gave `consent`.
    """

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    model_fit_id: Mapped[int] = mapped_column(ForeignKey("model_fits.id"))
    firm_key: Mapped[str | None] = mapped_column(String(FIRM_KEY_LENGTH))
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id"))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    latest: Mapped[bool] = mapped_column(Boolean, default=True)
    share_row: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # shown to the facilitator
    firm_size: Mapped[int | None] = mapped_column(Integer)
    firm_age: Mapped[float | None] = mapped_column(Float)
    region: Mapped[str | None] = mapped_column(String(16))
    business_model: Mapped[str | None] = mapped_column(String(8))
    pilot_zone: Mapped[int | None] = mapped_column(SmallInteger)
    size_band: Mapped[str | None] = mapped_column(String(16))
    province: Mapped[str | None] = mapped_column(Text)
    zone: Mapped[str | None] = mapped_column(Text)
    hqd_expected: Mapped[float] = mapped_column(Float)
    hqd_gap: Mapped[float] = mapped_column(Float)
    theta: Mapped[float] = mapped_column(Float)
    priority_lever: Mapped[str | None] = mapped_column(String(8))
    segment: Mapped[str] = mapped_column(String(64))


_item_columns(Assessment, nullable=True)
for _code in SCORE_COLUMNS:  # the five construct scores are always there; the HQD sub-scores need the items
    setattr(Assessment, _code, mapped_column(_code, Float, nullable=_code not in CONSTRUCT_SCORES))

class Account(Base):
    """A person who may change what everyone sees: a role and a salted scrypt hash of the password (or an OIDC e-mail)."""

    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint(f"role IN ({', '.join(repr(r) for r in ROLES)})", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebSession(Base):
    """A browser's sign-in for a working day: only hashes of its one-time hand-off and of its cookie token are kept."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """One change to shared state or one sign-in attempt: who, when, what, from where. Append-only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    client: Mapped[str | None] = mapped_column(String(64))


class Throttle(Base):
    """Failed guesses against one key (a browser session, an account, a workshop) in the current window."""

    __tablename__ = "throttles"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


COUNTED = and_(Assessment.consent == true(), Assessment.latest == true())
"""The assessments that peer comparisons count: consented, and each firm's newest. The partial indexes below use it."""


def _counted_index(name: str, *columns) -> Index:
    """A covering index over the counted assessments only (partial on both SQLite and PostgreSQL).

    consent and latest close the column list although the predicate fixes them: SQLite treats an
    index as covering only when it holds every column the query names, predicate columns included.
    """
    return Index(name, *columns, Assessment.consent, Assessment.latest, sqlite_where=COUNTED, postgresql_where=COUNTED)


Index("ix_assessments_firm_key", Assessment.firm_key, Assessment.created_at)
Index("uq_assessments_latest_firm_key", Assessment.firm_key, unique=True,
      sqlite_where=Assessment.latest == true(), postgresql_where=Assessment.latest == true())
Index("ix_assessments_workshop_id", Assessment.workshop_id)
Index("ix_assessments_model_fit_id", Assessment.model_fit_id, Assessment.created_at)
# Peer percentiles filter on a leading prefix of (region, business_model, pilot_zone, size_band);
# the region comparison groups on its first column. Both read the scores from the index alone.
_counted_index("ix_assessments_segment", Assessment.region, Assessment.business_model, Assessment.pilot_zone,
               Assessment.size_band, *(getattr(Assessment, c) for c in SCORE_COLUMNS))
_counted_index("ix_assessments_province", Assessment.province, *(getattr(Assessment, c) for c in CONSTRUCT_SCORES))
_counted_index("ix_assessments_zone", Assessment.zone, *(getattr(Assessment, c) for c in CONSTRUCT_SCORES))
