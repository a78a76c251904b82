"""Throttling of guesses (passwords, workshop secrets, firm keys), kept in the database so every replica sees it.

Each failure counts against a few keys at once — the browser session, and the account or workshop
guessed at. After FREE_FAILURES failures within WINDOW on a key, each further failure makes that key
wait: 30 s, then 60 s, 120 s … up to MAX_WAIT. A wait always ends, and a right answer after it
works and clears the count, so nobody can lock a real user out for good by guessing wrong on purpose.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .engine import StoreError, reading
from .schema import Throttle, utcnow

WINDOW = timedelta(minutes=15)
FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)


class Throttled(StoreError):
    """Too many wrong attempts: the caller must wait `seconds` before trying again."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"too many wrong attempts; try again in {seconds} s", "throttled", seconds=seconds)


def wait_for(failures: int) -> timedelta:
    """How long a key waits after its `failures`-th failure in the window (nothing before FREE_FAILURES)."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** (failures - FREE_FAILURES), MAX_WAIT)


def _seconds(delta: timedelta) -> int:
    return max(1, int(-(-delta.total_seconds() // 1)))


def check(keys: Iterable[str], *, now: datetime | None = None, url: str | None = None) -> None:
    """Raise Throttled when any key still has to wait."""
    now = now or utcnow()
    with reading(url) as session:
        until = session.scalars(select(Throttle.blocked_until).where(Throttle.key.in_(list(keys)))).all()
    waits = [u - now for u in until if u is not None and u > now]
    if waits:
        raise Throttled(_seconds(max(waits)))


def fail(session: Session, keys: Iterable[str], *, now: datetime | None = None) -> int:
    """Count a failure against every key in the caller's transaction; the wait it starts, in seconds (0: none)."""
    now = now or utcnow()
    longest = timedelta(0)
    for key in dict.fromkeys(keys):
        row = session.get(Throttle, key)
        if row is None or now - row.window_started_at > WINDOW:
            if row is None:
                row = Throttle(key=key)
                session.add(row)
            row.failures, row.window_started_at, row.blocked_until = 0, now, None
        row.failures += 1
        wait = wait_for(row.failures)
        if wait:
            row.blocked_until = now + wait
            longest = max(longest, wait)
    return _seconds(longest) if longest else 0


def clear(session: Session, keys: Iterable[str]) -> None:
    """Forget the failures of these keys (after a right answer), in the caller's transaction."""
    session.execute(delete(Throttle).where(Throttle.key.in_(list(keys))))
