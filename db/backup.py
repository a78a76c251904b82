"""Backups and integrity: SQLite's online backup, restore into a stopped store, and the checks both rely on.

`backup` copies a SQLite store with SQLite's own backup API in one step, which reads one consistent
snapshot (under WAL it never blocks the running server's writers); the copy is written beside the
target and renamed into place only once it passes the integrity check, so an interrupted backup
leaves no file that looks like one. `restore` refuses while another process has the store open,
copies the backup in through the same API (one transaction on the store: all or nothing), applies
any newer migrations and checks that the counts of every table match the backup's. PostgreSQL is
backed up with `pg_dump` / `pg_restore` (docs/deployment.md).
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, case, func, inspect, select, text
from sqlalchemy.engine import make_url

from .engine import StoreError, database_url, dispose_engine, get_engine
from .migrate import alembic_config, upgrade
from .schema import Activation, Assessment, Dataset, ModelFit, SurveyResponse, Workshop

# SQLite's "dead man switch" byte in the -shm file: every process with the database open in WAL
# mode holds a shared POSIX lock on it (os_unix.c: UNIX_SHM_DMS = (22 + 8) * 4 + 8).
SHM_DMS_OFFSET = 128
PG_HINT = "for PostgreSQL use pg_dump / pg_restore as docs/deployment.md shows"


def _rows(connection: Connection, query) -> list:
    return list(connection.execute(query))


def _latest_per_key(connection: Connection) -> list:
    latest = func.sum(case((Assessment.latest, 1), else_=0))
    return _rows(connection, select(Assessment.firm_key).where(Assessment.firm_key.is_not(None))
                 .group_by(Assessment.firm_key).having(latest != 1))


def _domain_problems(connection: Connection) -> list[str]:
    """The store's own rules that no constraint states: each one is a query that must return no row."""
    stored = select(func.count()).where(SurveyResponse.dataset_id == Dataset.id).scalar_subquery()
    checks = {
        "data set whose stored rows differ from its row count (a partial import)":
            select(Dataset.id).where(Dataset.row_count != stored),
        "survey rows of a missing data set":
            select(SurveyResponse.dataset_id).outerjoin(Dataset, Dataset.id == SurveyResponse.dataset_id).where(Dataset.id.is_(None)),
        "fit without its data set": select(ModelFit.id).outerjoin(Dataset, Dataset.id == ModelFit.dataset_id).where(Dataset.id.is_(None)),
        "fit without its model": select(ModelFit.id).where((ModelFit.model_json.is_(None)) | (ModelFit.model_json == "")),
        "activation of a missing fit":
            select(Activation.id).outerjoin(ModelFit, ModelFit.id == Activation.model_fit_id).where(ModelFit.id.is_(None)),
        "assessment scored against a missing fit":
            select(Assessment.id).outerjoin(ModelFit, ModelFit.id == Assessment.model_fit_id).where(ModelFit.id.is_(None)),
        "assessment of a missing workshop":
            select(Assessment.id).outerjoin(Workshop, Workshop.id == Assessment.workshop_id)
            .where(Assessment.workshop_id.is_not(None), Workshop.id.is_(None)),
    }
    problems = [f"{what}: {', '.join(str(r[0]) for r in rows[:10])}" for what, query in checks.items()
                if (rows := _rows(connection, query))]
    if rows := _latest_per_key(connection):
        problems.append(f"firm key without exactly one latest assessment: {', '.join(str(r[0]) for r in rows[:10])}")
    return problems


def integrity_problems(url: str | None = None) -> list[str]:
    """Everything wrong with the store: SQLite's integrity and foreign-key checks, then the domain rules. [] when sound."""
    with get_engine(url).connect() as connection:
        problems: list[str] = []
        if connection.dialect.name == "sqlite":
            verdict = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                problems.append(f"SQLite integrity check: {'; '.join(verdict[:5])}")
            broken = _rows(connection, text("PRAGMA foreign_key_check"))
            if broken:
                problems.append(f"foreign keys that point nowhere: {', '.join(f'{r[0]} row {r[1]}' for r in broken[:10])}")
        if inspect(connection).has_table(Dataset.__tablename__):
            problems += _domain_problems(connection)
        return problems


def table_counts(url: str | None = None) -> dict[str, int]:
    """Rows in every table the store has (its schema revision decides which), by table name."""
    with get_engine(url).connect() as connection:
        return _counts(connection)


def _counts(connection: Connection) -> dict[str, int]:
    names = sorted(inspect(connection).get_table_names())
    return {name: connection.scalar(text(f'SELECT count(*) FROM "{name}"')) for name in names}


def _sqlite_file(url: str | None) -> Path:
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() != "sqlite":
        raise StoreError(f"the store is {parsed.get_backend_name()}, not a SQLite file; {PG_HINT}")
    return Path(parsed.database or "")


def in_use(store: Path) -> bool:
    """Whether another process has this SQLite store open (it holds SQLite's shared lock in the -shm file)."""
    shm = Path(f"{store}-shm")
    if not shm.exists():
        return False
    fd = os.open(shm, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS_OFFSET)
    except OSError:
        return True
    finally:
        os.close(fd)  # also drops the probe's lock
    return False


def _check_copy(path: Path) -> dict[str, int]:
    """Open a backup file read-only, check it whole, and return its table counts."""
    if not path.is_file():
        raise StoreError(f"{path} is not a file; give the path of a backup written by `cbec db backup`")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
            verdict = [r[0] for r in copy.execute("PRAGMA integrity_check")]
            names = [r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            counts = {name: copy.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in sorted(names)}
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in names else None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a SQLite backup of the store ({exc})") from None
    if verdict != ["ok"]:
        raise StoreError(f"{path} is damaged (SQLite integrity check: {'; '.join(verdict[:3])}); use another backup")
    if revision is None:
        raise StoreError(f"{path} is a SQLite file but not a store (no schema revision); use a file written by `cbec db backup`")
    known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision[0] not in known:
        raise StoreError(f"{path} was written by a newer version of the program (schema revision {revision[0]}); upgrade first")
    return counts


def backup(target: Path, url: str | None = None) -> dict[str, int]:
    """Copy the running SQLite store to a new file `target` (one consistent snapshot); return the copy's table counts."""
    _sqlite_file(url)
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target} already exists; a backup never overwrites a file, choose a new name")
    if not target.parent.is_dir():
        raise StoreError(f"the folder {target.parent} does not exist; create it or choose another path")
    partial = target.with_name(f"{target.name}.partial")
    partial.unlink(missing_ok=True)
    raw = get_engine(url).raw_connection()
    try:
        with sqlite3.connect(partial) as copy:
            raw.driver_connection.backup(copy)  # pages=-1: the whole database in one step, one snapshot
        copy.close()
    finally:
        raw.close()
    counts = _check_copy(partial)
    os.replace(partial, target)
    return counts


def restore(source: Path, url: str | None = None) -> dict[str, int]:
    """Replace the stopped SQLite store's contents with a backup, migrate it, and return its checked table counts."""
    store = _sqlite_file(url)
    expected = _check_copy(Path(source))
    dispose_engine(url)
    if in_use(store):
        raise StoreError(f"{store} is open in another process (a running `cbec serve`?); stop the server, then restore")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_copy, sqlite3.connect(store) as live:
        backup_copy.backup(live)  # one write transaction on the store: it holds the old contents or the new ones
    backup_copy.close()
    live.close()
    upgrade(url)
    restored = table_counts(url)
    differ = {name: (rows, restored.get(name)) for name, rows in expected.items()
              if name != "alembic_version" and restored.get(name) != rows}
    if differ:
        raise StoreError("the restored store's counts differ from the backup's: "
                         + ", ".join(f"{name} {want} in the backup, {got} restored" for name, (want, got) in differ.items()))
    if problems := integrity_problems(url):
        raise StoreError(f"the restored store failed its integrity check: {'; '.join(problems)}")
    return restored
