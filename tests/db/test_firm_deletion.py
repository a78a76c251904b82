"""A firm deletes its own assessments by firm key; the operator purges by age; an earlier assessment is rescored
from what was stored (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import update
from store_helpers import answers_of, save

import db
from cbec_core.scoring import score_firm
from db import throttle
from db.codes import ALPHABET
from db.engine import writing
from db.schema import Assessment
from tests.actors import ADMIN, RESEARCHER, VISITOR


def _unused_key(*used: str) -> str:
    return next(c * 8 for c in ALPHABET if c * 8 not in used)


def test_a_firm_deletes_all_its_assessments_and_only_its_own(fit_id, fitted, survey):
    key = save(answers_of(survey.iloc[0]), fitted, fit_id, consent=True)
    save(answers_of(survey.iloc[1]), fitted, fit_id, firm_key=key, consent=True)
    other = save(answers_of(survey.iloc[2]), fitted, fit_id, consent=True)
    pooled = db.pool_count()
    typed = f"{key[:4].lower()} {key[4:].lower()}"  # typed as people type it
    assert db.delete_firm_data(typed, actor=VISITOR, session_key="browser-1") == 2
    assert db.assessment_history(key).empty
    assert len(db.assessment_history(other)) == 1
    assert db.pool_count() == pooled - 1  # the firm leaves the pool and the peer comparisons
    with pytest.raises(db.StoreError, match="no assessment has the firm key") as caught:  # deleting again: nothing left
        db.delete_firm_data(key, actor=VISITOR, session_key="browser-1")
    assert caught.value.code == "unknown_firm_key_delete" and caught.value.values == {"key": key}
    log = db.audit_entries(ADMIN, action="delete_firm_data")
    assert log["outcome"].tolist() == ["failed", "ok"]  # newest first
    assert (log["actor"] == "anonymous").all() and (log["client"] == "127.0.0.1").all()
    assert log["target"].tolist() == [db.assessments.key_tag(key)] * 2 and log["target"].iloc[0].startswith("key#")
    assert not log.astype(str).apply(lambda col: col.str.contains(key)).any().any()  # the key itself is never written
    assert '"assessments": 2' in log["detail"].iloc[1]


def test_a_wrong_key_deletes_nothing_and_guessing_is_throttled(fit_id, fitted, survey):
    key = save(answers_of(survey.iloc[0]), fitted, fit_id)
    with pytest.raises(db.StoreError, match="not a valid firm key"):
        db.delete_firm_data("0OIL", actor=VISITOR, session_key="guesser")
    for _ in range(throttle.FREE_FAILURES - 1):
        with pytest.raises(db.StoreError) as caught:
            db.delete_firm_data(_unused_key(key), actor=VISITOR, session_key="guesser")
        assert caught.value.code == "unknown_firm_key_delete"
    with pytest.raises(db.Throttled):  # the fifth wrong key starts the wait
        db.delete_firm_data(_unused_key(key), actor=VISITOR, session_key="guesser")
    with pytest.raises(db.Throttled):  # the same browser waits even with the right key, and so do its lookups
        db.delete_firm_data(key, actor=VISITOR, session_key="guesser")
    with pytest.raises(db.Throttled):
        db.assessment_history(key, session_key="guesser")
    assert len(db.assessment_history(key)) == 1  # nothing was deleted
    assert db.delete_firm_data(key, actor=VISITOR, session_key="another browser") == 1
    outcomes = db.audit_entries(ADMIN, action="delete_firm_data")["outcome"].tolist()
    assert outcomes == ["ok", "throttled", "failed", *["failed"] * (throttle.FREE_FAILURES - 1)]
    with pytest.raises(TypeError):
        db.delete_firm_data(key, actor="anonymous")


def test_operator_purges_assessments_older_than_the_limit(fit_id, fitted, survey):
    old = save(answers_of(survey.iloc[0]), fitted, fit_id, consent=True)
    save(answers_of(survey.iloc[1]), fitted, fit_id, firm_key=old, consent=True)
    recent = save(answers_of(survey.iloc[2]), fitted, fit_id, consent=True)
    first = int(db.assessment_history(old)["id"].iloc[0])
    with writing() as session:  # the firm's first assessment was saved 400 days ago
        session.execute(update(Assessment).where(Assessment.id == first)
                        .values(created_at=db.schema.utcnow() - timedelta(days=400)))
    with pytest.raises(db.PermissionDenied):
        db.purge_assessments(365, actor=RESEARCHER)
    with pytest.raises(db.PermissionDenied):
        db.purge_assessments(365, actor=VISITOR)
    with pytest.raises(db.StoreError, match="number of days"):
        db.purge_assessments(0, actor=ADMIN)
    assert db.purge_assessments(365, actor=ADMIN) == 1
    assert len(db.assessment_history(old)) == 1
    assert len(db.assessment_history(recent)) == 1
    assert db.pool_count() == 2  # each firm's newest is still counted (its `latest` flag kept)
    log = db.audit_entries(ADMIN, action="purge_assessments")
    assert log["outcome"].tolist() == ["ok", "refused", "refused"]
    assert '"assessments": 1' in log["detail"].iloc[0] and log["actor"].iloc[0] == ADMIN.name


@pytest.mark.parametrize("quick", (False, True))
def test_an_earlier_assessment_is_rescored_exactly_from_what_was_stored(fit_id, fitted, survey, quick):
    given = ({"AIGC": 4.25, "DC": 3.5, "IO": 2.75, "LSC": 3.0, "HQD": 3.6, "firm_size": 40, "region": "west"} if quick
             else answers_of(survey.iloc[4], province="浙江", zone="杭州"))
    saved = score_firm(given, fitted, segment="region=east")
    key = db.save_assessment(given, saved, fit_id)
    row = db.assessment_history(key).iloc[0]
    answers = db.record_answers(row)
    assert ("AIGC1" in answers) is not quick and ("AIGC" in answers) is quick
    again = score_firm(answers, db.get_fit(int(row["model_fit_id"])), segment=row["segment"])
    assert again.scores == pytest.approx(saved.scores) and again.priority_lever == saved.priority_lever
    assert (again.hqd_expected, again.hqd_gap, again.theta) == pytest.approx((row["hqd_expected"], row["hqd_gap"], row["theta"]))
    assert again.segment == row["segment"] == "region=east"
    assert not any(pd.isna(v) for v in answers.values())
    assert bool(row["quick"]) is quick
    found = db.rescore(row)  # what the history page offers a report from
    assert found is not None and found[1] == answers and found[0].scores == pytest.approx(again.scores)
    tampered = row.copy()
    tampered["hqd_gap"] += 0.01
    assert db.rescore(tampered) is None  # a stored figure it cannot give back: no report is offered


def test_cli_purge_asks_first_and_is_audited_as_the_operator(fit_id, fitted, survey):
    import subprocess
    import sys

    key = save(answers_of(survey.iloc[0]), fitted, fit_id)
    with writing() as session:
        session.execute(update(Assessment).values(created_at=db.schema.utcnow() - timedelta(days=40)))
    cbec = [sys.executable, "-m", "app.cli", "assessments", "purge"]
    asked = subprocess.run([*cbec, "--older-than", "30"], input="n\n", capture_output=True, text=True)
    assert asked.returncode == 1 and "cannot be undone" in asked.stdout and len(db.assessment_history(key)) == 1
    bad = subprocess.run([*cbec, "--older-than", "0", "--yes"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--older-than" in bad.stderr
    done = subprocess.run([*cbec, "--older-than", "30", "--yes"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "deleted 1 assessment(s)" in done.stderr and db.assessment_history(key).empty
    assert db.audit_entries(ADMIN, action="purge_assessments")["actor"].iloc[0].startswith("cli:")
