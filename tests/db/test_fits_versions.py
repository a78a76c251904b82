"""The version list and what an activation would touch: counts per fit, and assessments keep their fit (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from store_helpers import answers_of, save

import db
from db.engine import get_engine
from db.schema import Activation
from tests.actors import ADMIN


def test_the_list_names_data_set_provenance_and_fit_figures(fit_id, fitted, survey):
    synthetic = db.import_frame(survey.assign(provenance="synthetic-reference"), "cohort copy", actor=ADMIN).dataset
    other = db.store_fit(synthetic.id, fitted, actor=ADMIN)
    listed = db.list_fits()
    assert listed["id"].tolist() == [other, fit_id]  # newest first
    first = listed.set_index("id").loc[fit_id]
    assert first["dataset"] == "simulated" and first["provenance"] == "uploaded" and first["active"]
    assert first["n_used"] == fitted.n_used and first["created_at"].tzinfo is not None
    figures = fitted.structural.fit
    assert first["chi2_df"] == pytest.approx(figures.chi2 / figures.df)
    assert (first["cfi"], first["tli"], first["rmsea"], first["srmr"]) == pytest.approx(
        (figures.cfi, figures.tli, figures.rmsea, figures.srmr))
    second = listed.set_index("id").loc[other]
    assert second["provenance"] == "synthetic-reference" and not second["active"]
    assert listed["active"].sum() == 1


def test_activation_impact_counts_what_keeps_its_fit(fit_id, fitted, survey):
    early = [save(answers_of(survey.iloc[i]), fitted, fit_id) for i in range(2)]
    candidate = db.store_fit(db.get_dataset("simulated").id, fitted, actor=ADMIN)
    late = [save(answers_of(survey.iloc[i]), fitted, fit_id) for i in range(2, 5)]
    save(answers_of(survey.iloc[9]), fitted, candidate)  # e.g. a workshop scored against the candidate already

    assert db.assessments_against(fit_id) == 5 and db.assessments_against(candidate) == 1
    impact = db.activation_impact(candidate)
    assert (impact.fit_id, impact.active_id, impact.on_active, impact.on_chosen, impact.others) == (candidate, fit_id, 5, 1, 0)
    with get_engine().connect() as connection:
        assert impact.active_since == connection.scalar(select(Activation.activated_at).where(Activation.model_fit_id == fit_id))
    assert not impact.already_active and db.activation_impact(fit_id).already_active

    db.activate(candidate, actor=ADMIN)
    assert db.active_fit_id() == candidate
    assert all(db.assessment_history(k)["model_fit_id"].tolist() == [fit_id] for k in early + late)
    back = db.activation_impact(fit_id)  # going back: the 5 scored with it before are counted as its own, not as "0"
    assert (back.active_id, back.on_active, back.on_chosen, back.others) == (candidate, 1, 5, 0)
    assert back.active_since > impact.active_since
    assert db.assessments_against(fit_id) == 5  # counts do not move with activation


def test_impact_of_an_unknown_fit_is_refused(fit_id):
    with pytest.raises(db.StoreError, match="no model fit with id 999"):
        db.activation_impact(999)
    assert db.assessments_against(999) == 0
