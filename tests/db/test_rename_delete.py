"""Identical fits are not stored twice; data sets and fits can be renamed and deleted unless something depends on them
(an assessment scored with a fit, a fit that is or was the benchmark), role-checked and audited (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from store_helpers import answers_of, row_counts, save

import db
from db.engine import get_engine
from db.schema import ModelFit
from tests.actors import ADMIN, FACILITATOR, RESEARCHER, VISITOR


def _audit(action: str) -> list[tuple[str, str, str]]:
    """(target, outcome, actor) of the audit rows of an action, oldest first."""
    rows = db.audit_entries(ADMIN, action=action)
    return [tuple(r) for r in rows[["target", "outcome", "actor"]].itertuples(index=False)][::-1]


def test_an_identical_fit_is_named_not_stored_twice(fit_id, fitted, survey):
    dataset = db.get_dataset("simulated")
    assert db.identical_fit(dataset.id, fitted.settings) == fit_id
    assert db.identical_fit(dataset.id, fitted.settings | {"seed": 8}) is None
    assert db.identical_fit(dataset.id, fitted.settings | {"estimator": "MLR"}) is None
    before = row_counts()
    with pytest.raises(db.StoreError) as refused:  # the lab's Fit: refused before a minute is spent fitting
        db.fit_dataset("simulated", bootstrap=1000, seed=7, actor=RESEARCHER)
    assert (refused.value.code, refused.value.values) == ("fit_exists", {"fit_id": fit_id})
    with pytest.raises(db.StoreError, match=f"already stored as fit #{fit_id}"):  # and at the store, in its transaction
        db.store_fit(dataset.id, fitted, actor=RESEARCHER, unique=True)
    copy = db.import_frame(survey, "the same data again", actor=RESEARCHER).dataset  # same data under another name
    assert db.identical_fit(copy.id, fitted.settings) == fit_id
    assert row_counts()["model_fits"] == before["model_fits"]


def test_a_fit_nothing_depends_on_is_renamed_and_deleted_with_an_audit_row(fit_id, fitted):
    spare = db.store_fit(db.get_dataset("simulated").id, fitted, actor=RESEARCHER)
    with get_engine().connect() as connection:
        figures = connection.execute(select(ModelFit.model_json, ModelFit.cfi).where(ModelFit.id == spare)).one()
    assert db.rename_fit(spare, "  seed 7, second look ", actor=RESEARCHER) == "seed 7, second look"
    listed = db.list_fits().set_index("id")
    assert listed.loc[spare, "label"] == "seed 7, second look"
    with get_engine().connect() as connection:  # the figures and model stay as fitted
        assert connection.execute(select(ModelFit.model_json, ModelFit.cfi).where(ModelFit.id == spare)).one() == figures
    assert db.fit_use(spare) == db.fits.FitUse(spare, 0, 0)
    db.delete_fit(spare, actor=RESEARCHER)
    assert spare not in db.list_fits()["id"].tolist()
    with pytest.raises(db.StoreError, match=f"no model fit with id {spare}"):
        db.get_fit(spare)
    assert _audit("rename_fit") == [(f"fit {spare}", "ok", RESEARCHER.name)]
    assert _audit("delete_fit") == [(f"fit {spare}", "ok", RESEARCHER.name)]
    with pytest.raises(db.StoreError) as empty:
        db.rename_fit(fit_id, "   ", actor=RESEARCHER)
    assert empty.value.code == "fit_label_length"


def test_a_fit_assessments_were_scored_with_or_that_was_active_must_stay(fit_id, fitted, survey):
    dataset = db.get_dataset("simulated")
    scored = db.store_fit(dataset.id, fitted, actor=ADMIN)
    save(answers_of(survey.iloc[0]), fitted, scored)
    before = row_counts()
    with pytest.raises(db.StoreError) as refused:
        db.delete_fit(scored, actor=RESEARCHER)
    assert (refused.value.code, refused.value.values) == ("fit_scored", {"fit_id": scored, "n": 1})
    assert "1 assessment(s) were scored with it" in str(refused.value)
    with pytest.raises(db.StoreError) as active:  # the benchmark (no assessment on it here): its history names it
        db.delete_fit(fit_id, actor=RESEARCHER)
    assert (active.value.code, active.value.values) == ("fit_was_active", {"fit_id": fit_id})
    was_active = db.store_fit(dataset.id, fitted, actor=ADMIN)
    db.activate(was_active, actor=ADMIN)
    db.activate(fit_id, actor=ADMIN)  # no longer active, but it was
    with pytest.raises(db.StoreError, match="is or was the active benchmark"):
        db.delete_fit(was_active, actor=ADMIN)
    assert row_counts()["model_fits"] == before["model_fits"] + 1  # only the one stored since
    assert [o for _, o, _ in _audit("delete_fit")] == ["refused"] * 3
    with pytest.raises(db.StoreError) as whole:  # the data set of kept fits stays too, whole
        db.delete_dataset("simulated", actor=RESEARCHER)
    assert whole.value.code == "dataset_kept" and whole.value.values["fits"] == f"#{fit_id}, #{scored}, #{was_active}"
    assert db.dataset_frame("simulated").shape[0] == 312


def test_a_data_set_is_renamed_and_deleted_with_its_unused_fits(fit_id, fitted, survey):
    other = db.import_frame(survey.head(100), "pilot wave", actor=RESEARCHER).dataset
    db.import_frame(survey.head(50), "taken", actor=RESEARCHER)
    spare = db.store_fit(other.id, fitted, actor=RESEARCHER)
    with pytest.raises(db.StoreError) as taken:
        db.rename_dataset("pilot wave", "taken", actor=RESEARCHER)
    assert (taken.value.code, taken.value.values) == ("dataset_name_taken", {"name": "taken"})
    renamed = db.rename_dataset("pilot wave", " wave 1 ", actor=RESEARCHER)
    assert renamed.name == "wave 1" and renamed.id == other.id and renamed.row_count == 100
    assert db.dataset_fits("wave 1") == [spare]
    before = row_counts()
    assert db.delete_dataset("wave 1", actor=RESEARCHER) == (spare,)
    after = row_counts()
    assert after["datasets"] == before["datasets"] - 1 and after["model_fits"] == before["model_fits"] - 1
    assert after["survey_responses"] == before["survey_responses"] - 100
    assert "wave 1" not in db.list_datasets()["name"].tolist()
    with pytest.raises(db.StoreError) as gone:
        db.delete_dataset("wave 1", actor=RESEARCHER)
    assert gone.value.code == "unknown_dataset"
    assert _audit("rename_dataset") == [("pilot wave", "ok", RESEARCHER.name)]
    assert _audit("delete_dataset") == [("wave 1", "ok", RESEARCHER.name)]


@pytest.mark.parametrize("actor", [FACILITATOR, VISITOR], ids=["facilitator", "visitor"])
def test_only_researchers_and_admins_rename_or_delete(fit_id, fitted, survey, actor):
    spare = db.store_fit(db.get_dataset("simulated").id, fitted, actor=ADMIN)
    db.import_frame(survey.head(30), "small", actor=ADMIN)
    before = row_counts()
    for attempt in (lambda: db.rename_fit(spare, "x", actor=actor), lambda: db.delete_fit(spare, actor=actor),
                    lambda: db.rename_dataset("small", "y", actor=actor), lambda: db.delete_dataset("small", actor=actor)):
        with pytest.raises(db.PermissionDenied):
            attempt()
    assert row_counts()["model_fits"] == before["model_fits"] and row_counts()["datasets"] == before["datasets"]
    for action in ("rename_fit", "delete_fit", "rename_dataset", "delete_dataset"):
        assert [o for _, o, _ in _audit(action)] == ["refused"]


def test_a_deleted_fit_parsed_before_never_stands_in_for_a_later_one(fit_id, fitted):
    """SQLite may give the next fit the id of a deleted newest one: the process's parsed copy goes with the row."""
    from dataclasses import replace
    dataset = db.get_dataset("simulated").id
    spare = db.store_fit(dataset, fitted, actor=ADMIN)
    assert db.get_fit(spare).label == fitted.label  # parsed and kept by this process
    db.delete_fit(spare, actor=ADMIN)
    later = db.store_fit(dataset, replace(fitted, label="a later fit"), actor=ADMIN)
    assert db.get_fit(later).label == "a later fit"
