"""Accounts: who may change what everyone sees, how they sign in, and how a browser stays signed in for a working day.

Passwords are kept only as salted scrypt hashes (`db.codes`), never logged or shown. Signing in is
throttled per browser session and per account (`db.throttle`) and every attempt is audited. A signed-in
browser holds a cookie token whose SHA-256 is all the store keeps (the token is 256 random bits, so a
fast hash is enough); the page hands it over through a one-time hand-off code (`start_web_session`
→ `claim_handoff`), so the token itself never appears in a URL.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import throttle
from .access import Actor, require
from .audit import log_event, record
from .codes import digest, hash_secret, secret_matches
from .engine import StoreError, reading, retry_on_conflict, writing
from .schema import ROLES, Account, WebSession, utcnow

MIN_PASSWORD = 10
SESSION_LENGTH = timedelta(hours=12)
HANDOFF_LENGTH = timedelta(minutes=2)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
# compared against when the name is unknown, so a wrong name costs the same scrypt time as a wrong password
_DUMMY_HASH = hash_secret(secrets.token_hex(16))


class AccountError(StoreError):
    """An account request that cannot be carried out (a StoreError whose code a page words as `store_{code}`)."""


class SignInFailed(StoreError):
    """The name or the password is wrong (deliberately not saying which)."""

    def __init__(self) -> None:
        super().__init__("the user name or password is wrong", "signin_failed")


@dataclass(frozen=True)
class AccountInfo:
    """An account as pages and the CLI see it (never the hash)."""

    username: str
    role: str
    email: str | None
    created_at: datetime


def _info(row: Account) -> AccountInfo:
    return AccountInfo(row.username, row.role, row.email, row.created_at)


def _check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise AccountError(f"'{name}' is not a usable user name: use 2–64 letters, digits, '.', '_', '-' "
                           "or '@', starting with a letter or digit", "bad_username", name=name)
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}': choose one of {', '.join(ROLES)}", "bad_role", role=role,
                           roles=", ".join(ROLES))
    return role


def _check_password(password: str) -> str:
    if not password:
        raise AccountError("the password is empty", "empty_password")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password has {len(password)} characters; use at least {MIN_PASSWORD}", "short_password",
                           length=len(password), minimum=MIN_PASSWORD)
    return password


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError(f"'{email}' is not an e-mail address", "bad_email", email=email)
    return email


def _account(session: Session, name: str) -> Account:
    row = session.scalar(select(Account).where(Account.username == name))
    if row is None:
        raise AccountError(f"no account is named '{name}'", "no_account", name=name)
    return row


def _admins(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Account).where(Account.role == "admin")))


def add_account(name: str, role: str, password: str | None, *, actor: Actor, email: str | None = None,
                url: str | None = None) -> AccountInfo:
    """Create an account (admin only). A password of at least MIN_PASSWORD characters, or an e-mail for OIDC sign-in."""
    name, role, email = _check_name(name), _check_role(role), _check_email(email)
    if password is not None or email is None:
        _check_password(password or "")
    require(actor, "manage_accounts", name, url=url)
    hashed = hash_secret(password) if password else None
    try:
        with writing(url) as session:
            if session.scalar(select(Account.id).where(Account.username == name)) is not None:
                raise AccountError(f"an account named '{name}' already exists", "duplicate_username", name=name)
            row = Account(username=name, role=role, password_hash=hashed, email=email)
            session.add(row)
            session.flush()
            record(session, actor, "account_add", name, detail={"role": role, "email": email})
            return _info(row)
    except IntegrityError as exc:
        raise AccountError(f"an account named '{name}' or with that e-mail already exists", "duplicate_account",
                           name=name) from exc


def set_password(name: str, password: str, *, actor: Actor, url: str | None = None) -> None:
    """Give an account a new password (admin only); its open browser sessions end."""
    name, password = name.strip(), _check_password(password)
    require(actor, "manage_accounts", name, url=url)
    hashed = hash_secret(password)
    with writing(url) as session:
        row = _account(session, name)
        row.password_hash = hashed
        session.execute(delete(WebSession).where(WebSession.account_id == row.id))
        record(session, actor, "account_password", name)


def set_role(name: str, role: str, *, actor: Actor, url: str | None = None) -> AccountInfo:
    """Change an account's role (admin only); the last admin keeps theirs."""
    name, role = name.strip(), _check_role(role)
    require(actor, "manage_accounts", name, url=url)
    with writing(url, serialise=True) as session:
        row = _account(session, name)
        if row.role == "admin" and role != "admin" and _admins(session) == 1:
            raise AccountError(f"'{name}' is the only admin; make another admin first", "last_admin", name=name)
        before, row.role = row.role, role
        record(session, actor, "account_role", name, detail={"from": before, "to": role})
        return _info(row)


def remove_account(name: str, *, actor: Actor, url: str | None = None) -> None:
    """Delete an account and its browser sessions (admin only); the last admin cannot be removed."""
    name = name.strip()
    require(actor, "manage_accounts", name, url=url)
    with writing(url, serialise=True) as session:
        row = _account(session, name)
        if row.role == "admin" and _admins(session) == 1:
            raise AccountError(f"'{name}' is the only admin; make another admin first", "last_admin", name=name)
        session.execute(delete(WebSession).where(WebSession.account_id == row.id))
        session.delete(row)
        record(session, actor, "account_remove", name)


def list_accounts(*, url: str | None = None) -> list[AccountInfo]:
    """Every account, by name."""
    with reading(url) as session:
        return [_info(r) for r in session.scalars(select(Account).order_by(Account.username))]


def has_admin(*, url: str | None = None) -> bool:
    """Whether any admin account exists (without one, protected pages say how to create it)."""
    with reading(url) as session:
        return _admins(session) > 0


def _throttle_keys(name: str, session_key: str | None) -> list[str]:
    keys = [f"account:{name.strip().lower()[:64]}"]
    if session_key:
        keys.append(f"session:{session_key[:64]}")
    return keys


def sign_in(name: str, password: str, *, client: str | None = None, session_key: str | None = None,
            now: datetime | None = None, url: str | None = None) -> Actor:
    """The signed-in actor for a right name and password; SignInFailed or throttle.Throttled otherwise (all audited)."""
    now = now or utcnow()
    keys = _throttle_keys(name, session_key)
    attempt = Actor(name.strip()[:64] or "?", None, client)
    try:
        throttle.check(keys, now=now, url=url)
    except throttle.Throttled as exc:
        log_event(attempt, "signin", attempt.name, outcome="throttled", detail={"wait_s": exc.seconds}, url=url)
        raise
    with reading(url) as session:
        row = session.scalar(select(Account).where(Account.username == name.strip()))
        found = None if row is None else (row.username, row.role, row.password_hash)
    ok = found is not None and found[2] is not None and secret_matches(password, found[2])
    if found is None or found[2] is None:
        secret_matches(password, _DUMMY_HASH)

    def write() -> int:
        with writing(url) as session:
            if ok:
                throttle.clear(session, keys)
                record(session, Actor(found[0], found[1], client), "signin", found[0])
                return 0
            wait = throttle.fail(session, keys, now=now)
            record(session, attempt, "signin", attempt.name, outcome="failed", detail={"wait_s": wait} if wait else "")
            return wait

    wait = retry_on_conflict(write)
    if not ok:
        if wait:
            raise throttle.Throttled(wait)
        raise SignInFailed()
    return Actor(found[0], found[1], client)


def actor_for_email(email: str | None, *, client: str | None = None, url: str | None = None) -> Actor | None:
    """The actor an OIDC-verified e-mail maps to; None (no role) when no account has that e-mail."""
    if not email:
        return None
    with reading(url) as session:
        row = session.scalar(select(Account).where(Account.email == email.strip().lower()))
    return None if row is None else Actor(row.username, row.role, client)


def start_web_session(actor: Actor, *, now: datetime | None = None, url: str | None = None) -> str:
    """Open a working-day browser session for a signed-in actor; returns the one-time hand-off code (valid 2 minutes)."""
    now = now or utcnow()
    handoff = secrets.token_urlsafe(32)
    with writing(url) as session:
        row = _account(session, actor.name)
        session.add(WebSession(account_id=row.id, handoff_hash=digest(handoff), handoff_expires_at=now + HANDOFF_LENGTH,
                               expires_at=now + SESSION_LENGTH))
        session.execute(delete(WebSession).where(WebSession.expires_at < now))
    return handoff


def claim_handoff(handoff: str, *, now: datetime | None = None, url: str | None = None) -> str | None:
    """Exchange a hand-off code, once, for the session's cookie token; None if unknown, used or expired."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with writing(url) as session:
        row = session.scalar(select(WebSession).where(WebSession.handoff_hash == digest(handoff)))
        if row is None or row.handoff_expires_at is None or row.handoff_expires_at < now or row.expires_at < now:
            return None
        row.handoff_hash, row.handoff_expires_at, row.token_hash = None, None, digest(token)
    return token


def resume_web_session(token: str, *, client: str | None = None, now: datetime | None = None,
                       url: str | None = None) -> Actor | None:
    """The actor a cookie token belongs to, with the account's current role; None if unknown or expired."""
    now = now or utcnow()
    with reading(url) as session:
        row = session.execute(select(Account.username, Account.role, WebSession.expires_at)
                              .join(WebSession, WebSession.account_id == Account.id)
                              .where(WebSession.token_hash == digest(token))).first()
    if row is None or row.expires_at < now:
        return None
    return Actor(row.username, row.role, client)


def end_web_session(token: str | None, actor: Actor, *, url: str | None = None) -> None:
    """Sign out: forget the browser session (if any) and audit it."""
    with writing(url) as session:
        if token:
            session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))
        record(session, actor, "signout", actor.name)
