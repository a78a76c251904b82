"""A process for the kill -9 tests: runs one store operation and stops inside its transaction, to be killed there.

Usage: python tests/db/crash_worker.py import|seed|fit|save [FIRM_KEY]
The store is the one the environment configures (CBEC_DATA_DIR or DATABASE_URL). Right after the
operation's decisive INSERT has run — the transaction open, nothing committed — it prints "inside"
and waits; the test then sends SIGKILL, as a power cut or the OOM killer would.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import event

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1])]

import db  # noqa: E402
from db.engine import get_engine  # noqa: E402

PAUSE_AFTER = {"import": "survey_responses", "seed": "model_fits", "fit": "model_fits", "save": "assessments"}


def pause_after_insert(table: str) -> None:
    """Say "inside" and wait, right after the first INSERT into `table` has run."""
    @event.listens_for(get_engine(), "after_cursor_execute")
    def _pause(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().lower().startswith(f"insert into {table} "):
            print("inside", flush=True)
            time.sleep(300)


def main(operation: str, firm_key: str | None = None) -> None:
    pause_after_insert(PAUSE_AFTER[operation])
    if operation == "import":  # a 20,000-row data set, one bulk insert
        from cbec_core.reference import reference_cohort
        db.import_frame(reference_cohort(n=20_000, seed=5), "killed import", "uploaded", actor=db.Actor.operator())
    elif operation == "seed":  # first-run seeding: data set, its fit and the activation in one transaction
        db.ensure_ready()
    elif operation == "fit":  # a researcher's fit of the stored data set "simulated", stored when computed
        db.fit_dataset("simulated", bootstrap=200, actor=db.Actor.operator())
    else:  # a returning firm's save: its earlier assessment is unmarked as newest, then the new one inserted
        from conftest import simulate_survey
        from store_helpers import answers_of, save
        fit_id, fitted = db.active_fit()
        save(answers_of(simulate_survey(5, seed=2).iloc[0]), fitted, fit_id, firm_key=firm_key)
    print("finished without being killed", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
