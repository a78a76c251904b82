"""Workshops: a facilitator opens one, firms join with a short code, the facilitator proves who they are with a secret.

The secret is shown once, at creation; the store keeps only its salted scrypt hash (`db.codes`). The join code
is no secret from the facilitators: any of them may list the workshops still open, with their codes, to show
the join screen again. A participant's browser session entering a code is counted (`record_join`), never named.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from .codes import (
    SECRET_LENGTH,
    digest,
    group,
    hash_secret,
    new_code,
    normalise_code,
    secret_matches,
)
from . import throttle
from .access import Actor, require
from .audit import record
from .engine import StoreError, reading, retry_on_conflict, writing
from .schema import JOIN_CODE_LENGTH, Assessment, Workshop, WorkshopJoin, utcnow


@dataclass(frozen=True)
class WorkshopInfo:
    """A workshop as pages see it (never the secret's hash)."""

    id: int
    name: str
    join_code: str
    opens_at: datetime
    closes_at: datetime | None
    created_at: datetime

    def is_open(self, at: datetime | None = None) -> bool:
        at = at or utcnow()
        return self.opens_at <= at and (self.closes_at is None or at < self.closes_at)


@dataclass(frozen=True)
class WorkshopProgress:
    """How far a workshop's room is: browser sessions that entered the code, and firms that saved into it.

    Counts only, never who: `joined` is at least `saved` (a firm saved through the API joins without a page).
    """

    joined: int
    saved: int

    @property
    def answering(self) -> int:
        """Joined but not saved yet."""
        return self.joined - self.saved


@dataclass(frozen=True)
class NewWorkshop:
    """A created workshop and its facilitator secret, in clear this once (grouped for reading out: ABCD-EFGH-JKMN)."""

    workshop: WorkshopInfo
    secret: str


def workshop_row(session: Session, workshop_id: int) -> Workshop:
    """A workshop's row in the caller's transaction; StoreError ("unknown_workshop") when there is none."""
    row = session.get(Workshop, workshop_id)
    if row is None:
        raise StoreError(f"no workshop with id {workshop_id}", "unknown_workshop", workshop_id=workshop_id)
    return row


def workshop_info(row: Workshop) -> WorkshopInfo:
    """A workshop row as plain data."""
    return WorkshopInfo(row.id, row.name, row.join_code, row.opens_at, row.closes_at, row.created_at)


def create_workshop(name: str, *, actor: Actor, opens_at: datetime | None = None, closes_at: datetime | None = None,
                    url: str | None = None) -> NewWorkshop:
    """Open a workshop with a fresh join code and facilitator secret; the secret is returned here and never again.

    A join code already taken (31^6 codes, so rarely) fails the unique constraint and another is drawn.
    """
    name = name.strip()
    if not name:
        raise StoreError("a workshop needs a name", "workshop_name_missing")
    require(actor, "create_workshop", name, url=url)
    secret = new_code(SECRET_LENGTH)
    secret_hash = hash_secret(secret)

    def write() -> WorkshopInfo:
        with writing(url) as session:
            row = Workshop(name=name, join_code=new_code(JOIN_CODE_LENGTH), facilitator_secret_hash=secret_hash,
                           opens_at=opens_at or utcnow(), closes_at=closes_at)
            session.add(row)
            session.flush()
            record(session, actor, "workshop_create", f"workshop {row.id} {row.join_code}", detail={"name": name})
            return workshop_info(row)

    return NewWorkshop(retry_on_conflict(write), group(secret))


def _by_code(session: Session, join_code: str) -> Workshop:
    code = normalise_code(join_code, JOIN_CODE_LENGTH, "join code")
    row = session.scalar(select(Workshop).where(Workshop.join_code == code))
    if row is None:
        raise StoreError(f"no workshop has the join code {code}; check it with the facilitator", "unknown_join_code", code=code)
    return row


def find_workshop(join_code: str, *, url: str | None = None) -> WorkshopInfo:
    """The workshop a join code (any case, spaces or hyphens) belongs to; StoreError if none."""
    with reading(url) as session:
        return workshop_info(_by_code(session, join_code))


def verify_secret(join_code: str, secret: str, *, actor: Actor | None = None, session_key: str | None = None,
                  url: str | None = None) -> bool:
    """Whether `secret` (as typed: any case, hyphens) is the facilitator secret of the workshop with this join code.

    Wrong guesses are throttled per workshop and per browser session (throttle.Throttled while a wait
    runs) and audited; a right secret clears the count.
    """
    with reading(url) as session:
        row = _by_code(session, join_code)
        stored, code = row.facilitator_secret_hash, row.join_code
    keys = [f"workshop:{code}", *([f"session:{session_key[:64]}"] if session_key else [])]
    throttle.check(keys, url=url)
    try:
        ok = secret_matches(normalise_code(secret, SECRET_LENGTH, "secret"), stored)
    except StoreError:
        ok = False
    with writing(url) as session:
        if ok:
            throttle.clear(session, keys)
            return True
        wait = throttle.fail(session, keys)
        record(session, actor or Actor.anonymous(), "workshop_secret", f"workshop {code}", outcome="failed")
    if wait:
        raise throttle.Throttled(wait)
    return False


def close_workshop(workshop_id: int, *, actor: Actor, url: str | None = None) -> WorkshopInfo:
    """Close a workshop now (no more assessments join it); closing a closed one keeps its earlier closing time."""
    require(actor, "close_workshop", f"workshop {workshop_id}", url=url)
    with writing(url) as session:
        row = workshop_row(session, workshop_id)
        now = utcnow()
        if row.closes_at is None or row.closes_at > now:
            row.closes_at = now
        session.flush()
        record(session, actor, "workshop_close", f"workshop {row.id} {row.join_code}")
        return workshop_info(row)


def open_workshops(*, actor: Actor, url: str | None = None) -> list[WorkshopInfo]:
    """The workshops not closed yet (open now, or opening later), newest first: a facilitator's or admin's list."""
    require(actor, "watch_workshop", "open workshops", url=url)
    now = utcnow()
    with reading(url) as session:
        rows = session.scalars(select(Workshop).where(or_(Workshop.closes_at.is_(None), Workshop.closes_at > now))
                               .order_by(Workshop.created_at.desc(), Workshop.id.desc())).all()
        return [workshop_info(row) for row in rows]


def _session_hash(session_key: str) -> str:
    """What the store keeps of a browser session's id: its SHA-256, so the table cannot be matched to a live session."""
    if not session_key:
        raise ValueError("a join needs the browser session's id")
    return digest(session_key)


def open_workshop_row(session: Session, workshop_id: int) -> Workshop:
    """An open workshop's row in the caller's transaction; StoreError when it is unknown or not open (closed, or not yet)."""
    row = workshop_row(session, workshop_id)
    if not workshop_info(row).is_open():
        raise StoreError(f"workshop '{row.name}' is not open; ask the facilitator", "workshop_closed", name=row.name)
    return row


def record_join(workshop_id: int, session_key: str, *, url: str | None = None) -> bool:
    """Count a browser session as joined to an open workshop (once: True the first time, False after).

    A participant needs no account, as for saving; a closed or unknown workshop refuses (StoreError).
    """
    hashed = _session_hash(session_key)

    def write() -> bool:
        with writing(url) as session:
            open_workshop_row(session, workshop_id)
            if session.get(WorkshopJoin, (workshop_id, hashed)) is not None:
                return False
            session.add(WorkshopJoin(workshop_id=workshop_id, session_hash=hashed, joined_at=utcnow()))
            session.flush()
            return True

    return retry_on_conflict(write)


def workshop_progress(workshop_id: int, *, url: str | None = None) -> WorkshopProgress:
    """How many browser sessions joined a workshop and how many firms saved into it (counts, nobody named)."""
    with reading(url) as session:
        workshop_row(session, workshop_id)
        joined = session.scalar(select(func.count()).select_from(WorkshopJoin).where(WorkshopJoin.workshop_id == workshop_id))
        saved = session.scalar(select(func.count(distinct(Assessment.firm_key))).where(Assessment.workshop_id == workshop_id))
    return WorkshopProgress(max(joined, saved), saved)
