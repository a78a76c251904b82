"""Accounts, sign-in, throttling and browser sessions, on SQLite and PostgreSQL (the `store` fixture)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import db
from db import throttle
from db.engine import reading
from db.schema import Account, utcnow
from tests.actors import ADMIN

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(store):
    db.upgrade()
    return db.add_account("alice", "researcher", PASSWORD, actor=ADMIN)


def test_passwords_are_kept_only_as_salted_scrypt_hashes(alice):
    db.add_account("bob", "facilitator", PASSWORD, actor=ADMIN)
    with reading() as session:
        hashes = session.scalars(select(Account.password_hash).order_by(Account.username)).all()
    assert all(h.startswith("scrypt$") and PASSWORD not in h for h in hashes)
    assert hashes[0] != hashes[1]  # same password, different salt


@pytest.mark.parametrize(("name", "role", "password", "code"), [
    ("carol", "superuser", PASSWORD, "bad_role"),
    ("alice", "facilitator", PASSWORD, "duplicate_username"),
    ("carol", "researcher", "", "empty_password"),
    ("carol", "researcher", "short", "short_password"),
    ("x", "researcher", PASSWORD, "bad_username"),
])
def test_bad_account_requests_say_why_and_change_nothing(alice, name, role, password, code):
    before = db.list_accounts()
    with pytest.raises(db.AccountError) as caught:
        db.add_account(name, role, password, actor=ADMIN)
    assert caught.value.code == code
    assert db.list_accounts() == before


def test_the_last_admin_stays(alice):
    db.add_account("root", "admin", PASSWORD, actor=ADMIN)
    for change in (lambda: db.set_role("root", "researcher", actor=ADMIN), lambda: db.remove_account("root", actor=ADMIN)):
        with pytest.raises(db.AccountError, match="only admin"):
            change()
    db.add_account("root2", "admin", PASSWORD, actor=ADMIN)
    db.remove_account("root", actor=ADMIN)
    assert [a.username for a in db.list_accounts()] == ["alice", "root2"]


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(alice):
    for name, password in (("alice", "not the password"), ("nobody", PASSWORD)):
        with pytest.raises(db.SignInFailed) as caught:
            db.sign_in(name, password)
        assert str(caught.value) == "the user name or password is wrong"
    actor = db.sign_in("alice", PASSWORD, client="10.0.0.7")
    assert (actor.name, actor.role, actor.client) == ("alice", "researcher", "10.0.0.7")


def test_the_nth_wrong_password_waits_and_the_wait_expires(alice):
    start = utcnow()
    for attempt in range(1, throttle.FREE_FAILURES):
        with pytest.raises(db.SignInFailed):
            db.sign_in("alice", "wrong", session_key="browser-1", now=start + timedelta(seconds=attempt))
    with pytest.raises(db.Throttled) as caught:  # the fifth failure starts the first wait
        db.sign_in("alice", "wrong", session_key="browser-1", now=start + timedelta(seconds=5))
    assert caught.value.seconds == throttle.FIRST_WAIT.total_seconds()
    with pytest.raises(db.Throttled):  # even the right password waits, from another browser too (per account)
        db.sign_in("alice", PASSWORD, session_key="browser-2", now=start + timedelta(seconds=10))
    with pytest.raises(db.Throttled) as caught:  # a wrong one after the wait doubles it
        db.sign_in("alice", "wrong", session_key="browser-1", now=start + timedelta(seconds=40))
    assert caught.value.seconds == 2 * throttle.FIRST_WAIT.total_seconds()
    later = start + timedelta(seconds=40) + 2 * throttle.FIRST_WAIT
    assert db.sign_in("alice", PASSWORD, session_key="browser-2", now=later).name == "alice"  # no lock-out for good
    assert db.sign_in("alice", PASSWORD, session_key="browser-1", now=later).name == "alice"  # and the count is cleared


def test_waits_grow_and_stop_at_the_maximum():
    waits = [throttle.wait_for(n) for n in range(1, 20)]
    assert waits[:throttle.FREE_FAILURES - 1] == [timedelta(0)] * (throttle.FREE_FAILURES - 1)
    assert waits == sorted(waits) and max(waits) == throttle.MAX_WAIT


def test_every_sign_in_is_audited(alice):
    with pytest.raises(db.SignInFailed):
        db.sign_in("alice", "wrong", client="10.0.0.8")
    db.sign_in("alice", PASSWORD, client="10.0.0.8")
    rows = db.audit_entries(ADMIN, action="signin")
    assert list(rows["outcome"]) == ["ok", "failed"]
    assert set(rows["client"]) == {"10.0.0.8"} and set(rows["target"]) == {"alice"}
    assert not rows["detail"].str.contains(PASSWORD).any()


def test_a_browser_session_lasts_a_working_day_and_ends_at_sign_out(alice):
    now = utcnow()
    handoff = db.start_web_session(db.sign_in("alice", PASSWORD), now=now)
    token = db.claim_handoff(handoff, now=now)
    assert token and db.claim_handoff(handoff, now=now) is None  # one-time
    assert db.resume_web_session(token, now=now + timedelta(hours=11)).name == "alice"
    assert db.resume_web_session(token, now=now + timedelta(hours=13)) is None
    assert db.resume_web_session("forged", now=now) is None
    db.end_web_session(token, db.sign_in("alice", PASSWORD))
    assert db.resume_web_session(token, now=now) is None


def test_a_stale_handoff_is_refused_and_a_new_password_ends_open_sessions(alice):
    actor = db.sign_in("alice", PASSWORD)
    now = utcnow()
    assert db.claim_handoff(db.start_web_session(actor, now=now), now=now + timedelta(minutes=3)) is None
    token = db.claim_handoff(db.start_web_session(actor, now=now), now=now)
    db.set_role("alice", "facilitator", actor=ADMIN)
    assert db.resume_web_session(token, now=now).role == "facilitator"  # the role is read afresh
    db.set_password("alice", "another long password", actor=ADMIN)
    assert db.resume_web_session(token, now=now) is None


def test_an_oidc_email_maps_to_a_role_only_when_an_account_has_it(alice):
    db.add_account("dora", "facilitator", None, email="Dora@Example.org", actor=ADMIN)
    assert db.actor_for_email("dora@example.org").role == "facilitator"
    assert db.actor_for_email("eve@example.org") is None
    with pytest.raises(db.SignInFailed):  # an OIDC-only account has no password to guess
        db.sign_in("dora", "")


def test_workshop_secrets_are_throttled_too(alice):
    created = db.create_workshop("Guessing game", actor=ADMIN)
    code = created.workshop.join_code
    for _ in range(throttle.FREE_FAILURES - 1):
        assert not db.verify_secret(code, "AAAA-AAAA-AAAA", session_key="guesser")
    with pytest.raises(db.Throttled):
        db.verify_secret(code, "AAAA-AAAA-AAAA", session_key="guesser")
    with pytest.raises(db.Throttled):  # the workshop itself waits, whoever asks
        db.verify_secret(code, created.secret, session_key="facilitator")
    assert len(db.audit_entries(ADMIN, action="workshop_secret")) == throttle.FREE_FAILURES


def test_firm_key_guesses_are_throttled_per_browser_session(alice):
    for _ in range(throttle.FREE_FAILURES - 1):
        assert db.assessment_history("ABCDEFGH", session_key="guesser").empty
    with pytest.raises(db.Throttled):
        db.assessment_history("ABCDEFGH", session_key="guesser")
    assert db.assessment_history("ABCDEFGH", session_key="someone-else").empty
