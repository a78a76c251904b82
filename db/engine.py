"""Where the store lives and how to open it: URL resolution, one engine per URL, and the two kinds of transaction.

With nothing configured the store is a SQLite file, `cbec.sqlite`, in the data directory
(`CBEC_DATA_DIR`, default `./data/`, created on first use). `DATABASE_URL` (any SQLAlchemy URL)
switches to another database; a bare `postgresql://` or `postgres://` URL gets the psycopg 3 driver.

SQLite is tuned on every new connection: WAL (readers never wait for the writer), a 30 s busy
timeout, foreign keys enforced and synchronous=NORMAL (safe under WAL). pysqlite's own implicit
transactions are switched off so SQLAlchemy emits BEGIN itself: a `writing()` transaction starts
with BEGIN IMMEDIATE, taking SQLite's write lock up front. That makes concurrent writers queue on
the busy timeout instead of failing with "database is locked" when a read lock cannot be upgraded,
and it makes DDL (migrations) transactional.

PostgreSQL connections are checked before each use (`pool_pre_ping`): after the server restarts, or
an administrator ends the backends, the next transaction reconnects instead of failing, so the app
recovers without being restarted. A transaction that was running when its connection died fails
with `StoreUnavailable` (the pages show a translated "try again"); so does a database that cannot be
reached at all (connecting gives up after `CONNECT_TIMEOUT_S`).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

DATA_DIR_ENV = "CBEC_DATA_DIR"
DATABASE_URL_ENV = "DATABASE_URL"
SQLITE_FILE = "cbec.sqlite"
BUSY_TIMEOUT_S = 30
WRITE_OPTION = "cbec_write"  # execution option that marks a write transaction
# pg_advisory_xact_lock key that serialises migrations and seeding across processes ("cbec" in ASCII)
ADVISORY_LOCK_KEY = 0x63626563
CONFLICT_TRIES = 5
CONNECT_TIMEOUT_S = 5
T = TypeVar("T")


class StoreError(ValueError):
    """A request the store cannot carry out, with a message a person can act on.

    `code` and `values` say the same for an interface that words it itself (the dashboard renders
    `store_{code}` from its catalog with `values`); the English message stays the CLI's text.
    """

    def __init__(self, message: str, code: str | None = None, /, **values) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or used right now (down, restarting, locked out): not the user's input.

    Kept apart from StoreError on purpose, so no page mistakes an outage for a wrong key or name: it
    reaches the error boundary, which says the database is unavailable and to try again. Nothing of the
    transaction it interrupted was stored.
    """


def data_dir() -> Path:
    """The data directory (`CBEC_DATA_DIR`, default ./data relative to the working directory), created if missing."""
    path = Path(os.environ.get(DATA_DIR_ENV) or "data").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(url: str | None = None) -> str:
    """The URL to use: `url` if given, else `DATABASE_URL`, else the SQLite file in the data directory."""
    chosen = url or os.environ.get(DATABASE_URL_ENV)
    if not chosen:
        return f"sqlite:///{data_dir() / SQLITE_FILE}"
    parsed = make_url(chosen)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def display_url(url: str | None = None) -> str:
    """The resolved URL with any password masked, for messages."""
    return make_url(database_url(url)).render_as_string(hide_password=True)


_engines: dict[str, tuple[Engine, Engine]] = {}
_engines_lock = threading.Lock()


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _tune(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not pysqlite's implicit one
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _server_engine(url: URL) -> Engine:
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_S} if url.get_backend_name() == "postgresql" else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _engines_for(url: str | None) -> tuple[Engine, Engine]:
    resolved = database_url(url)
    with _engines_lock:
        if resolved not in _engines:
            parsed = make_url(resolved)
            engine = _sqlite_engine(parsed) if parsed.get_backend_name() == "sqlite" else _server_engine(parsed)
            _engines[resolved] = (engine, engine.execution_options(**{WRITE_OPTION: True}))
        return _engines[resolved]


def get_engine(url: str | None = None) -> Engine:
    """The process's one engine for a URL (resolved as `database_url` does), created on first use."""
    return _engines_for(url)[0]


def dispose_engine(url: str | None = None) -> None:
    """Close the pooled connections of a URL's engine and forget it (shutdown, or before dropping a database)."""
    resolved = database_url(url)
    with _engines_lock:
        engines = _engines.pop(resolved, None)
    if engines:
        engines[0].dispose()


@contextmanager
def _session(engine: Engine, url: str | None) -> Iterator[Session]:
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except OperationalError as exc:
        raise StoreUnavailable(f"the database at {display_url(url)} could not be used: {exc.orig}") from exc


@contextmanager
def reading(url: str | None = None) -> Iterator[Session]:
    """A read transaction (plain BEGIN on SQLite: it never blocks a writer under WAL)."""
    with _session(get_engine(url), url) as session:
        yield session


@contextmanager
def writing(url: str | None = None, *, serialise: bool = False) -> Iterator[Session]:
    """A write transaction: committed when the block ends, rolled back whole if it raises.

    On SQLite it holds the write lock from its first statement (BEGIN IMMEDIATE), so writers queue.
    With `serialise`, PostgreSQL takes a transaction-scoped advisory lock too, so blocks that check
    and then write (migrations, first-run seeding) run one at a time across processes.
    """
    with _session(_engines_for(url)[1], url) as session:
        if serialise and session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        yield session


def retry_on_conflict(write: Callable[[], T], tries: int = CONFLICT_TRIES) -> T:
    """Run a whole write transaction again when a concurrent writer won a unique-index race.

    On PostgreSQL two transactions can both check that a code is free and then both insert it;
    the loser's IntegrityError means "draw again / re-read and redo". SQLite writers queue, so
    there the first try succeeds.
    """
    for _ in range(tries - 1):
        try:
            return write()
        except IntegrityError:
            continue
    return write()
