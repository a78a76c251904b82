"""Backups: SQLite's online backup while another process writes, restore on a stopped store, pg_dump/pg_restore."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

import db
from tests.actors import ADMIN
from db.backup import backup, in_use, integrity_problems, restore, table_counts
from db.engine import StoreError

from store_helpers import answers_of, save

ROOT = Path(__file__).resolve().parents[2]


def _fill(survey, fitted, fit_id: int, rows: range) -> None:
    workshop = db.create_workshop("Backup drill", actor=ADMIN).workshop
    for i in rows:
        save(answers_of(survey.iloc[i]), fitted, fit_id, consent=True, workshop_id=workshop.id if i % 2 else None)


def _writer(lines: str) -> subprocess.Popen:
    """Another process using the store (as a running server does); it prints 'ready' once it has it open."""
    code = textwrap.dedent(lines)
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def test_sqlite_backup_while_written_then_restore_on_stopped_store(store, survey, fitted, fit_id, tmp_path):
    if make_url(store).get_backend_name() != "sqlite":
        pytest.skip("SQLite's backup API; PostgreSQL's round trip is the pg_dump test below")
    _fill(survey, fitted, fit_id, range(6))
    writer = _writer("""
        import db
        print('ready', flush=True)
        for i in range(40):
            db.create_workshop(f'busy {i}', actor=db.Actor.operator())
    """)
    assert writer.stdout.readline().strip() == "ready"
    copied = backup(tmp_path / "store.backup")  # while the other process writes
    assert writer.wait(timeout=120) == 0
    assert copied["survey_responses"] == len(survey) and copied["assessments"] == 6
    assert 1 <= copied["workshops"] <= 41  # one consistent snapshot somewhere in the writer's run
    assert not (tmp_path / "store.backup.partial").exists()

    _fill(survey, fitted, fit_id, range(6, 9))  # work after the backup: the restore must undo it
    assert table_counts()["assessments"] == 9
    restored = restore(tmp_path / "store.backup")
    assert {k: v for k, v in restored.items() if k != "alembic_version"} == \
           {k: v for k, v in copied.items() if k != "alembic_version"}
    assert integrity_problems() == []
    assert db.active_fit_id() == fit_id


def test_restore_refused_while_another_process_holds_the_store(store, fit_id, tmp_path):
    if make_url(store).get_backend_name() != "sqlite":
        pytest.skip("the stopped-store check is SQLite's; PostgreSQL restores with pg_restore")
    backup(tmp_path / "b.sqlite")
    holder = _writer("""
        import time
        import db
        db.active_fit_id()
        print('ready', flush=True)
        time.sleep(60)
    """)
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert in_use(Path(make_url(store).database))
        with pytest.raises(StoreError, match="open in another process"):
            restore(tmp_path / "b.sqlite")
    finally:
        holder.kill()
        holder.wait()
    assert not in_use(Path(make_url(store).database))
    assert restore(tmp_path / "b.sqlite")["model_fits"] == 1


def test_backup_never_overwrites_and_restore_refuses_what_is_not_a_backup(store, fit_id, tmp_path):
    if make_url(store).get_backend_name() != "sqlite":
        with pytest.raises(StoreError, match="pg_dump"):
            backup(tmp_path / "x.sqlite")
        return
    (tmp_path / "taken.sqlite").write_text("mine")
    with pytest.raises(StoreError, match="already exists"):
        backup(tmp_path / "taken.sqlite")
    assert (tmp_path / "taken.sqlite").read_text() == "mine"
    with pytest.raises(StoreError, match="not a SQLite backup"):
        restore(tmp_path / "taken.sqlite")
    with pytest.raises(StoreError, match="is not a file"):
        restore(tmp_path / "missing.sqlite")
    assert table_counts()["model_fits"] == 1


def test_postgresql_pg_dump_and_pg_restore_round_trip(store, survey, fitted, fit_id, tmp_path):
    """The procedure docs/deployment.md gives, on this test's own schema of the shared server."""
    url = make_url(store)
    if url.get_backend_name() != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    _fill(survey, fitted, fit_id, range(5))
    before = table_counts()
    schema = url.query["options"].split("search_path=")[1]
    server = ["-h", url.host, "-p", str(url.port or 5432), "-U", url.username, "-d", url.database]
    dump = tmp_path / "cbec.dump"
    subprocess.run(["pg_dump", *server, "--format=custom", f"--schema={schema}", f"--file={dump}"], check=True)
    _fill(survey, fitted, fit_id, range(5, 7))
    db.dispose_engine(store)
    subprocess.run(["psql", *server, "-q", "-c", f'DROP SCHEMA "{schema}" CASCADE'], check=True)
    subprocess.run(["pg_restore", *server, "--exit-on-error", str(dump)], check=True)
    assert table_counts() == before
    assert integrity_problems() == []
    assert db.active_fit_id() == fit_id
    assert db.upgrade() == db.head_revision()
