"""Stored fits and the active benchmark: fit rows never change, assessments keep their fit (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from store_helpers import answers_of, save

import db
from db.engine import get_engine
from db.schema import Activation, ModelFit
from tests.actors import ADMIN


def _fit_rows() -> list[tuple]:
    with get_engine().connect() as connection:
        return [tuple(r) for r in connection.execute(select(ModelFit.__table__).order_by(ModelFit.id)).all()]


def test_a_stored_fit_comes_back_as_the_same_model(fit_id, fitted):
    assert db.get_fit(fit_id).to_json() == fitted.to_json()
    assert db.get_fit(fit_id) is db.get_fit(fit_id)  # parsed once per process
    listed = db.list_fits()
    row = listed.iloc[0]
    assert row["id"] == fit_id and row["active"] and row["dataset"] == "simulated" and row["n_used"] == 312
    assert row["cfi"] == pytest.approx(fitted.structural.fit.cfi) and row["df"] == fitted.structural.fit.df
    assert row["bootstrap"] == 1000 and row["seed"] == 7 and not row["controls"]


def test_activation_keeps_old_fit_rows_and_assessments_keep_their_fit(fit_id, fitted, survey):
    other = db.store_fit(db.get_dataset("simulated").id, fitted, actor=ADMIN)
    keys = [save(answers_of(survey.iloc[i]), fitted, fit_id) for i in range(3)]
    rows_before = _fit_rows()

    assert db.assessments_under_active_fit() == 3
    assert db.activate(other, actor=ADMIN) == 3  # three assessments made under the fit being replaced
    assert db.active_fit()[0] == other
    assert _fit_rows() == rows_before
    assert all(db.assessment_history(k)["model_fit_id"].tolist() == [fit_id] for k in keys)

    save(answers_of(survey.iloc[5]), fitted, other)
    assert db.activate(fit_id, actor=ADMIN) == 1
    assert db.activate(fit_id, actor=ADMIN) == 0  # already active: nothing changes
    assert _fit_rows() == rows_before
    with get_engine().connect() as connection:
        assert connection.scalars(select(Activation.model_fit_id).order_by(Activation.id)).all() == [fit_id, other, fit_id]
    assert all(db.assessment_history(k)["model_fit_id"].tolist() == [fit_id] for k in keys)


def test_unknown_fits_are_refused(fit_id):
    with pytest.raises(db.StoreError, match="no model fit with id 999"):
        db.activate(999, actor=ADMIN)
    with pytest.raises(db.StoreError, match="no model fit with id 999") as refused:
        db.get_fit(999)
    assert (refused.value.code, refused.value.values) == ("unknown_fit", {"fit_id": 999})
    with pytest.raises(db.StoreError, match="no data set with id 999") as refused:
        db.store_fit(999, db.get_fit(fit_id), actor=ADMIN)
    assert (refused.value.code, refused.value.values) == ("unknown_dataset_id", {"dataset_id": 999})


def test_no_benchmark_before_the_first_activation(store):
    db.upgrade()
    assert db.active_fit() is None and db.assessments_under_active_fit() == 0
