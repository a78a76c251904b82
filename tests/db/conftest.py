"""Store tests run twice: on SQLite (the default file, in a fresh data directory) and on the real PostgreSQL.

Each test gets an empty database configured the way the app is configured — through
CBEC_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL, a fresh schema per test in the `test`
database) — so code under test is called with url=None and subprocesses (the CLI) inherit it.
Every schema this session creates is dropped at its end. PostgreSQL being down is a failure, not a skip.
"""
from __future__ import annotations

import itertools
import os
import secrets
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

# This folder has the name of the package it tests. When the project root is not on sys.path (plain
# `pytest`; the editable install only adds a finder), `import db` would find this folder as a
# namespace package; a regular package anywhere on the path wins, so put the root there.
if (_root := str(Path(__file__).resolve().parents[2])) not in sys.path:
    sys.path.append(_root)

import db
from tests.actors import ADMIN

PG_URL = os.environ.get("CBEC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START_PG = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
_schemas = itertools.count()


@pytest.fixture(scope="session")
def postgres():
    """An admin engine on the test database and this session's schema prefix; fails loudly if PostgreSQL is down."""
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as connection:
            connection.execute(select(1))
    except OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}: {exc.orig}\nStart it with: {START_PG}", pytrace=False)
    prefix = f"cbec_test_{os.getpid()}_{secrets.token_hex(3)}"
    yield engine, prefix
    with engine.begin() as connection:
        left = connection.scalars(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": f"{prefix}%"}).all()
        for schema in left:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, monkeypatch):
    """An empty database for one test, configured through the environment; yields its resolved URL."""
    if request.param == "sqlite":
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.setenv("CBEC_DATA_DIR", str(tmp_path / "data"))
        url = db.database_url()
        yield url
        db.dispose_engine(url)
        return
    engine, prefix = request.getfixturevalue("postgres")
    schema = f"{prefix}_{next(_schemas)}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    monkeypatch.setenv("DATABASE_URL", f"{PG_URL}?options=-csearch_path%3D{schema}")
    monkeypatch.setenv("CBEC_DATA_DIR", str(tmp_path / "data"))
    url = db.database_url()
    yield url
    db.dispose_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def fit_id(store, survey, fitted) -> int:
    """A migrated store holding the simulated survey and its fit (activated)."""
    db.upgrade()
    dataset = db.import_frame(survey, "simulated", actor=ADMIN).dataset
    fit = db.store_fit(dataset.id, fitted, actor=ADMIN)
    db.activate(fit, actor=ADMIN)
    return fit
