"""Fifty writers of every kind at once, from two processes (as two servers, or a server and the CLI, would be):
imports, workshop creations, participants joining a workshop, returning firms and new firms saving.
Nothing is lost, nothing duplicated, and no "database is locked" (or any other error) reaches a writer.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import db
from tests.actors import ADMIN
from db.backup import integrity_problems, table_counts
from store_helpers import answers_of, save

ROOT = Path(__file__).resolve().parents[2]
WRITERS = Path(__file__).with_name("mixed_writers.py")


def test_fifty_mixed_writers_in_two_processes_lose_and_duplicate_nothing(store, fit_id, fitted, survey):
    workshop = db.create_workshop("Room under load", actor=ADMIN).workshop
    keys = [save(answers_of(survey.iloc[i]), fitted, fit_id, consent=True) for i in range(5)]
    before = table_counts()
    procs = [subprocess.Popen([sys.executable, str(WRITERS), str(p), str(workshop.id), ",".join(keys)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in range(2)]
    try:
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        for proc in procs:  # both go at once
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = [proc.communicate(timeout=300) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert [e for r in reports for e in r["errors"]] == []

    after = table_counts()
    grown = {table: after[table] - before[table] for table in before}
    assert grown == {"alembic_version": 0, "activations": 0, "model_fits": 0, "accounts": 0, "web_sessions": 0,
                     "throttles": 0, "workshop_joins": 0, "datasets": 10, "survey_responses": 200, "workshops": 10, "assessments": 30,
                     "audit_log": 20}  # each import and each workshop created is audited, in its own transaction
    new = [k for r in reports for k in r["keys"]["new"] + r["keys"]["joined"]]
    returning = [k for r in reports for k in r["keys"]["returning"]]
    assert len(new) == 20 and len(set(new)) == 20 and not set(new) & set(keys)  # no key handed out twice
    assert sorted(returning) == sorted(keys * 2)
    for key in keys:  # each returning firm: its first assessment and both concurrent ones, exactly one newest
        assert len(db.assessment_history(key)) == 3
    assert len(db.workshop_assessments(workshop.id)) == 10
    assert len({w for r in reports for w in r["workshops"]}) == 10
    assert sorted(n for n in db.list_datasets()["name"] if n.startswith("concurrent import")) == \
           sorted(f"concurrent import {g}" for g in range(0, 50, 5))
    assert integrity_problems() == []
