"""The collected pool: complete consented assessments, each firm once, read back as a survey and stored with its fit
(SQLite and PostgreSQL)."""
from __future__ import annotations

import pandas as pd
import pytest
from store_helpers import answers_of, row_counts, save

import db
from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.model import fit
from db.datasets import SURVEY_COLUMNS
from tests.actors import ADMIN


def test_only_complete_consented_newest_assessments_count(fit_id, fitted, survey):
    assert db.pool_count() == 0 and db.pool_frame().empty and list(db.pool_frame().columns) == list(SURVEY_COLUMNS)
    counted = save(answers_of(survey.iloc[0], province="Zhejiang", zone="Hangzhou"), fitted, fit_id, consent=True)
    save(answers_of(survey.iloc[1]), fitted, fit_id, consent=False)
    save({"AIGC": 3.5, "DC": 4, "IO": 2.5, "LSC": 3, "HQD": 3.25}, fitted, fit_id, consent=True)  # quick mode: no items
    again = save(answers_of(survey.iloc[2]), fitted, fit_id, consent=True)
    save(answers_of(survey.iloc[3]), fitted, fit_id, firm_key=again, consent=True)  # the firm re-assessed

    assert db.pool_count() == 2
    frame = db.pool_frame()
    assert list(frame.columns) == list(SURVEY_COLUMNS) and len(frame) == 2
    for row, source in zip(frame.itertuples(index=False), (survey.iloc[0], survey.iloc[3])):
        assert [getattr(row, c) for c in ITEM_COLUMNS] == [int(source[c]) for c in ITEM_COLUMNS]
        assert (row.firm_size, row.region, row.pilot_zone) == (int(source["firm_size"]), source["region"], int(source["pilot_zone"]))
    assert frame.loc[0, "zone"] == "Hangzhou" and frame.loc[0, "province"] == "Zhejiang"
    history_ids = {int(db.assessment_history(k)["id"].iloc[-1]) for k in (counted, again)}
    assert set(frame["firm_id"]) == {f"A{i}" for i in history_ids}  # never the firm key
    assert not frame["firm_id"].isin([counted, again]).any()


def test_the_pool_is_fitted_and_stored_as_collected_once(fit_id, fitted, survey):
    for i in range(60):
        save(answers_of(survey.iloc[i]), fitted, fit_id, consent=True)
    frame = db.pool_frame()
    model = fit(frame, bootstrap=200, seed=3, label="pool")
    assert model.n_used == 60 and not model.synthetic

    info, pool_fit = db.store_collected(frame, model, "Collected pool test", actor=ADMIN)
    assert info.provenance == "collected" and info.row_count == 60
    stored = db.dataset_frame("Collected pool test")
    pd.testing.assert_frame_equal(stored[list(ITEM_COLUMNS)], frame[list(ITEM_COLUMNS)])
    listed = db.list_fits().set_index("id")
    assert listed.loc[pool_fit, "provenance"] == "collected" and not listed.loc[pool_fit, "active"]
    assert db.active_fit_id() == fit_id  # storing does not activate
    assert db.get_fit(pool_fit).n_used == 60

    before = row_counts()
    with pytest.raises(db.StoreError, match="has not changed since 'Collected pool test'"):
        db.store_collected(frame, model, "Collected pool again", actor=ADMIN)
    assert row_counts() == before
    save(answers_of(survey.iloc[100]), fitted, fit_id, consent=True)
    with pytest.raises(db.StoreError, match="already exists"):
        db.store_collected(db.pool_frame(), model, "Collected pool test", actor=ADMIN)
    assert row_counts() == before | {"assessments": before["assessments"] + 1}
