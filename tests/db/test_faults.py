"""Faults on SQLite and PostgreSQL: a process killed with SIGKILL inside an import, a fit and a save stores nothing of it;
PostgreSQL dropping every connection mid-load gives readable errors and the same process recovers without a restart.

The PostgreSQL server here is shared with other engineers' tests, so "restarting it under load" is done the
way an administrator or a failover does it to one application: `pg_terminate_backend` on every backend of
this test (found by its `application_name`), which is what a restart looks like to the app — every pooled
connection dies at once, in the middle of whatever it was doing.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

import db
from db.backup import integrity_problems, table_counts
from db.engine import StoreUnavailable, reading
from store_helpers import answers_of, save

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("crash_worker.py")
DASHBOARD = ROOT / "app" / "dashboard.py"


def _kill_inside(operation: str, *args: str) -> None:
    """Run the worker until it is inside its transaction, then SIGKILL it."""
    proc = subprocess.Popen([sys.executable, str(WORKER), operation, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line == "inside", f"the worker never reached its transaction: {line!r} {proc.stderr.read() if proc.poll() is not None else ''}"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _restarted(url: str) -> None:
    """What a restart does to this process's view of the store: every pooled connection gone."""
    db.dispose_engine(url)


def test_kill_9_inside_an_import_stores_no_row_of_it(store, fit_id):
    before = table_counts()
    _kill_inside("import")
    _restarted(store)
    assert integrity_problems() == []
    assert table_counts() == before
    assert "killed import" not in set(db.list_datasets()["name"])


def test_kill_9_inside_the_first_run_fit_leaves_an_empty_store_that_seeds_cleanly(store):
    db.upgrade()
    _kill_inside("seed")  # data set, its 312 rows and the fit were inserted; the activation was not
    _restarted(store)
    assert integrity_problems() == []
    assert {k: v for k, v in table_counts().items() if k != "alembic_version"} == \
           {"activations": 0, "assessments": 0, "datasets": 0, "model_fits": 0, "survey_responses": 0, "workshops": 0,
            "accounts": 0, "audit_log": 0, "throttles": 0, "web_sessions": 0, "workshop_joins": 0}
    fit_id = db.ensure_ready()
    assert db.active_fit_id() == fit_id and table_counts()["survey_responses"] == 312
    assert integrity_problems() == []


def test_kill_9_while_a_computed_fit_is_stored_leaves_the_fits_as_they_were(store, fit_id):
    before = table_counts()
    _kill_inside("fit")
    _restarted(store)
    assert integrity_problems() == []
    assert table_counts() == before and db.active_fit_id() == fit_id


def test_kill_9_inside_a_returning_firms_save_keeps_its_history_whole(store, fit_id, fitted, survey):
    key = save(answers_of(survey.iloc[0]), fitted, fit_id, consent=True)
    before = table_counts()
    _kill_inside("save", key)  # its old assessment was unmarked as newest and the new one inserted: both undone
    _restarted(store)
    assert integrity_problems() == []  # includes: every firm key has exactly one newest assessment
    assert table_counts() == before
    history = db.assessment_history(key)
    assert len(history) == 1
    cli = subprocess.run([sys.executable, "-m", "app.cli", "db", "check"], cwd=ROOT, capture_output=True, text=True)
    assert cli.returncode == 0 and "passed the integrity check" in cli.stderr


def _terminate(application: str) -> int:
    """End every backend of this application on the shared server, as a restart would; returns how many."""
    admin = make_url(db.database_url()).set(query={})
    from sqlalchemy import create_engine
    engine = create_engine(admin)
    try:
        with engine.begin() as connection:
            return len(connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                               "WHERE application_name = :a AND pid <> pg_backend_pid()"), {"a": application}).all())
    finally:
        engine.dispose()


def test_postgresql_connections_dropped_under_load_give_readable_errors_and_recover(store, fit_id, fitted, survey, monkeypatch):
    url = make_url(store)
    if url.get_backend_name() != "postgresql":
        pytest.skip("a PostgreSQL server dropping its connections")
    application = f"cbec_fault_{os.getpid()}_{threading.get_ident() % 10_000}"
    monkeypatch.setenv("DATABASE_URL", url.update_query_dict({"application_name": application}).render_as_string(hide_password=False))
    answers = [answers_of(survey.iloc[i]) for i in range(40)]
    saved, refused, other = [], [], []
    stop = threading.Event()

    def writer(k: int) -> None:
        i = k
        while not stop.is_set() and i < 400:
            try:
                saved.append(save(answers[i % 40], fitted, fit_id, consent=True))
            except StoreUnavailable as exc:
                refused.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - anything else is a failure of the test
                other.append(repr(exc))
            i += 8

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    terminated = 0
    for _ in range(3):  # three "restarts" while eight writers save
        time.sleep(0.7)
        terminated += _terminate(application)
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert terminated >= 3 and other == []
    assert all("could not be used" in message for message in refused)
    # the same process, not restarted: pooled connections are checked and replaced before use
    assert save(answers[0], fitted, fit_id, consent=True)
    stored = table_counts()["assessments"]
    # every save that returned a key is stored once; a refused one may have committed just before its connection died
    assert len(saved) + 1 <= stored <= len(saved) + 1 + len(refused)
    assert len(set(saved)) == len(saved)
    assert integrity_problems() == []


def test_a_query_running_when_its_connection_dies_raises_store_unavailable(store, fit_id, monkeypatch):
    url = make_url(store)
    if url.get_backend_name() != "postgresql":
        pytest.skip("a PostgreSQL backend ended mid-query")
    application = f"cbec_fault_q_{os.getpid()}"
    monkeypatch.setenv("DATABASE_URL", url.update_query_dict({"application_name": application}).render_as_string(hide_password=False))
    errors: list[Exception] = []

    def long_read() -> None:
        try:
            with reading() as session:
                session.execute(text("SELECT pg_sleep(20)"))
        except Exception as exc:  # noqa: BLE001 - recorded and checked below
            errors.append(exc)

    thread = threading.Thread(target=long_read)
    thread.start()
    for _ in range(50):
        time.sleep(0.1)
        if _terminate(application):
            break
    thread.join(timeout=30)
    assert len(errors) == 1 and isinstance(errors[0], StoreUnavailable)
    assert db.active_fit_id() == fit_id  # the next read reconnects by itself


@pytest.mark.parametrize("lang, expected", [("en", "cannot be reached"), ("zh", "暂时无法连接数据库")])
def test_a_database_down_at_page_load_shows_a_translated_message(monkeypatch, tmp_path, lang, expected):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:9/down")  # nothing listens on port 9
    monkeypatch.setenv("CBEC_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    assert any(expected in e.value for e in at.error), [e.value for e in at.error]
    db.dispose_engine()
