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
from tests.actors import ADMIN


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
