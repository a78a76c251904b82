"""Workshops: join codes, a facilitator secret kept only as a salted hash, closing (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from store_helpers import answers_of, save

import db
from db.engine import get_engine
from db.schema import Base, Workshop, utcnow
from tests.actors import ADMIN, FACILITATOR, RESEARCHER, VISITOR


def _everything_stored() -> str:
    """Every value in every table, as one text."""
    with get_engine().connect() as connection:
        return "\n".join(repr(tuple(row)) for table in Base.metadata.sorted_tables
                         for row in connection.execute(select(table)).all())


def test_the_secret_is_shown_once_and_stored_hashed(store):
    db.upgrade()
    created = db.create_workshop("Hangzhou training day", actor=ADMIN)
    secret, code = created.secret, created.workshop.join_code
    plain = secret.replace("-", "")
    assert len(plain) == 12 and len(code) == 6
    text = _everything_stored()
    assert plain not in text and secret not in text and code in text
    with get_engine().connect() as connection:
        assert connection.scalar(select(Workshop.facilitator_secret_hash)).startswith("scrypt$")
    if get_engine().dialect.name == "sqlite":  # not in the database file nor its write-ahead log either
        files = Path(get_engine().url.database).parent.glob("cbec.sqlite*")
        assert not any(plain.encode() in f.read_bytes() for f in files)


def test_verify_secret_accepts_it_as_typed_and_nothing_else(store):
    db.upgrade()
    created = db.create_workshop("Ningbo", actor=ADMIN)
    code, secret = created.workshop.join_code, created.secret
    assert db.verify_secret(code.lower(), secret.lower())
    assert db.verify_secret(code, secret.replace("-", " "))
    assert not db.verify_secret(code, secret[:-1] + ("2" if secret[-1] != "2" else "3"))
    assert not db.verify_secret(code, "not a secret")
    assert db.find_workshop(f" {code.lower()} ").id == created.workshop.id
    with pytest.raises(db.StoreError, match="no workshop has the join code"):
        db.find_workshop("222222" if code != "222222" else "333333")


def test_closed_workshops_take_no_more_assessments(fit_id, fitted, survey):
    created = db.create_workshop("Yiwu", actor=ADMIN)
    workshop = created.workshop
    assert workshop.is_open()
    save(answers_of(survey.iloc[0]), fitted, fit_id, workshop_id=workshop.id)
    closed = db.close_workshop(workshop.id, actor=ADMIN)
    assert not closed.is_open() and closed.closes_at is not None
    assert db.close_workshop(workshop.id, actor=ADMIN).closes_at == closed.closes_at  # closing again keeps the time
    with pytest.raises(db.StoreError, match="is not open"):
        save(answers_of(survey.iloc[1]), fitted, fit_id, workshop_id=workshop.id)
    later = db.create_workshop("Next week", opens_at=utcnow() + timedelta(days=7), actor=ADMIN)
    with pytest.raises(db.StoreError, match="is not open"):
        save(answers_of(survey.iloc[1]), fitted, fit_id, workshop_id=later.workshop.id)


def test_facilitators_list_the_workshops_not_closed_and_nobody_else_may(store):
    db.upgrade()
    now = utcnow()
    closed = db.create_workshop("Closed", actor=ADMIN).workshop
    db.close_workshop(closed.id, actor=ADMIN)
    db.create_workshop("Expired", opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1), actor=ADMIN)
    today = db.create_workshop("Today", closes_at=now + timedelta(hours=4), actor=FACILITATOR).workshop
    later = db.create_workshop("Next week", opens_at=now + timedelta(days=7), actor=ADMIN).workshop
    listed = db.open_workshops(actor=FACILITATOR)
    assert [w.name for w in listed] == ["Next week", "Today"]  # newest first; closed and expired ones are gone
    assert [w.join_code for w in listed] == [later.join_code, today.join_code]
    assert db.open_workshops(actor=ADMIN) == listed
    for who in (RESEARCHER, VISITOR):
        with pytest.raises(db.PermissionDenied, match="watch workshop needs the role admin or facilitator"):
            db.open_workshops(actor=who)
    refused = db.audit_entries(ADMIN, action="watch_workshop", outcome="refused")
    assert list(refused["actor"]) == [VISITOR.name, RESEARCHER.name]


def test_joins_count_each_session_once_and_name_nobody(fit_id, fitted, survey):
    workshop = db.create_workshop("Shenzhen", actor=ADMIN).workshop
    assert db.workshop_progress(workshop.id) == db.WorkshopProgress(0, 0)
    sessions = ["session-a-5f2c", "session-b-91de", "session-c-77aa"]
    assert db.record_join(workshop.id, sessions[0]) is True
    assert db.record_join(workshop.id, sessions[0]) is False  # a rerun or a second look: still one
    assert db.record_join(workshop.id, sessions[1]) is True
    progress = db.workshop_progress(workshop.id)
    assert (progress.joined, progress.saved, progress.answering) == (2, 0, 2)
    save(answers_of(survey.iloc[0]), fitted, fit_id, workshop_id=workshop.id)
    assert db.workshop_progress(workshop.id).answering == 1
    key = save(answers_of(survey.iloc[1]), fitted, fit_id, workshop_id=workshop.id)
    save(answers_of(survey.iloc[2]), fitted, fit_id, workshop_id=workshop.id, firm_key=key)  # the same firm again
    save(answers_of(survey.iloc[3]), fitted, fit_id, workshop_id=workshop.id)  # saved without a join page
    progress = db.workshop_progress(workshop.id)
    assert (progress.joined, progress.saved, progress.answering) == (3, 3, 0)  # firms, not rows; never below zero
    other = db.create_workshop("Elsewhere", actor=ADMIN).workshop
    db.record_join(other.id, sessions[0])  # the same browser in another workshop counts there only
    assert db.workshop_progress(other.id) == db.WorkshopProgress(1, 0) and db.workshop_progress(workshop.id).joined == 3
    assert not any(s in _everything_stored() for s in sessions)  # only hashes of the sessions' ids are kept

    db.close_workshop(workshop.id, actor=ADMIN)
    with pytest.raises(db.StoreError, match="is not open") as refused:
        db.record_join(workshop.id, sessions[2])
    assert refused.value.code == "workshop_closed"
    with pytest.raises(db.StoreError, match="no workshop with id") as unknown:
        db.record_join(other.id + 100, sessions[2])
    assert unknown.value.code == "unknown_workshop"
    with pytest.raises(db.StoreError):
        db.workshop_progress(other.id + 100)
    assert db.workshop_progress(workshop.id).joined == 3
