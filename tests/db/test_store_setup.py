"""Configuration, migrations and first-run seeding of the store (SQLite and PostgreSQL)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select
from store_helpers import row_counts

import db
from cbec_core.reference import reference_cohort
from db.engine import get_engine, writing
from db.migrate import alembic_config
from db.schema import Base, ModelFit

TABLES = {"datasets", "survey_responses", "model_fits", "activations", "workshops", "assessments", "accounts",
          "web_sessions", "audit_log", "throttles", "workshop_joins"}


def test_default_is_a_sqlite_file_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CBEC_DATA_DIR", str(tmp_path / "nested" / "data"))
    assert db.database_url() == f"sqlite:///{tmp_path / 'nested' / 'data' / 'cbec.sqlite'}"
    assert (tmp_path / "nested" / "data").is_dir()
    monkeypatch.delenv("CBEC_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    assert db.database_url() == f"sqlite:///{tmp_path / 'data' / 'cbec.sqlite'}"


def test_database_url_switches_and_picks_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:s3cret@db.example:5432/cbec")
    assert db.database_url() == "postgresql+psycopg://app:s3cret@db.example:5432/cbec"
    assert "s3cret" not in db.display_url()
    assert db.database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.database_url("sqlite:////tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"


def test_sqlite_connections_are_tuned(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    with get_engine(url).connect() as connection:
        pragma = {p: connection.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("journal_mode", "foreign_keys", "busy_timeout")}
    db.dispose_engine(url)
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000}


def test_one_engine_per_url(store):
    assert get_engine() is get_engine(store)


def test_migrations_apply_on_an_empty_database(store):
    assert db.upgrade() == db.head_revision() == "0004"
    assert TABLES <= set(inspect(get_engine()).get_table_names())
    assert db.upgrade() == "0004"  # again: nothing to do
    with get_engine().connect() as connection:  # the migrated schema is exactly the models'
        assert compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata) == []


def test_migrations_downgrade_and_upgrade_again(store):
    db.upgrade()
    config = alembic_config()
    with writing(serialise=True) as session:
        config.attributes["connection"] = session.connection()
        command.downgrade(config, "base")
    assert not TABLES & set(inspect(get_engine()).get_table_names())
    assert db.upgrade() == "0004"


def test_ensure_ready_seeds_the_reference_benchmark_once(store):
    fit_id = db.ensure_ready()
    assert db.ensure_ready() == fit_id
    assert row_counts() == {"datasets": 1, "survey_responses": 312, "model_fits": 1, "activations": 1,
                            "workshops": 0, "assessments": 0, "accounts": 0, "web_sessions": 0, "audit_log": 0,
                            "throttles": 0, "workshop_joins": 0}
    info = db.get_dataset(db.REFERENCE_NAME)
    assert info.provenance == "synthetic-reference" and info.row_count == 312
    active_id, model = db.active_fit()
    assert active_id == fit_id and model.synthetic and model.settings["bootstrap"] == 5000 and model.n_used == 312
    frame = db.dataset_frame(db.REFERENCE_NAME)
    assert frame.attrs["synthetic"]
    cohort = reference_cohort()
    assert (frame[["AIGC1", "HQD6", "firm_size", "pilot_zone"]].to_numpy() == cohort[["AIGC1", "HQD6", "firm_size", "pilot_zone"]].to_numpy()).all()


def test_processes_starting_together_seed_once(store):
    code = "import db; print(db.ensure_ready())"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=os.environ.copy(), cwd=Path(__file__).parents[2]) for _ in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    assert len({out.strip() for out, _ in results}) == 1
    counts = row_counts()
    assert (counts["datasets"], counts["model_fits"], counts["activations"]) == (1, 1, 1)
    with get_engine().connect() as connection:
        assert connection.scalar(select(ModelFit.synthetic)) is True
