"""A workshop's assessments: only its own, each firm once (its newest in the workshop), consent or not (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from store_helpers import answers_of, save

import db
from db.assessments import RECORD_COLUMNS
from tests.actors import ADMIN


def test_a_workshop_lists_its_own_firms_once(fit_id, fitted, survey):
    mine = db.create_workshop("Shenzhen", actor=ADMIN).workshop
    other = db.create_workshop("Xiamen", actor=ADMIN).workshop
    first = save(answers_of(survey.iloc[0]), fitted, fit_id, workshop_id=mine.id)
    save(answers_of(survey.iloc[1]), fitted, fit_id, workshop_id=mine.id, consent=True)
    save(answers_of(survey.iloc[2]), fitted, fit_id, workshop_id=other.id)
    save(answers_of(survey.iloc[3]), fitted, fit_id)  # no workshop
    assert db.workshop_assessments(mine.id).empty is False
    again = save(answers_of(survey.iloc[4]), fitted, fit_id, firm_key=first, workshop_id=mine.id)
    assert again == first
    frame = db.workshop_assessments(mine.id)
    assert list(frame.columns) == list(RECORD_COLUMNS)
    assert len(frame) == 2 and set(frame["workshop_id"]) == {mine.id}
    newest = frame.set_index("firm_key").loc[first]
    assert newest["AIGC1"] == survey.iloc[4]["AIGC1"] and newest["firm_size"] == survey.iloc[4]["firm_size"]
    assert len(db.workshop_assessments(other.id)) == 1
    assert db.workshop_assessments(db.create_workshop("Empty", actor=ADMIN).workshop.id).empty
    with pytest.raises(db.StoreError, match="no workshop with id"):
        db.workshop_assessments(10_000)


def test_a_workshop_past_its_closing_time_refuses_entries_at_save_time(fit_id, fitted, survey):
    """Never closed by hand, only past its closing time: the store itself refuses, whatever a page showed."""
    from datetime import timedelta

    from db.schema import utcnow
    expired = db.create_workshop("Yesterday", opens_at=utcnow() - timedelta(days=1),
                                 closes_at=utcnow() - timedelta(seconds=1), actor=ADMIN).workshop
    assert not expired.is_open()
    with pytest.raises(db.StoreError, match="is not open"):
        save(answers_of(survey.iloc[0]), fitted, fit_id, workshop_id=expired.id)
    assert db.workshop_assessments(expired.id).empty  # nothing half-saved
    with pytest.raises(db.StoreError, match="no workshop with id"):
        save(answers_of(survey.iloc[0]), fitted, fit_id, workshop_id=10_000)
