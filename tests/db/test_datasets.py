"""Importing survey files as data sets (every row or none) and exporting them (SQLite and PostgreSQL)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from store_helpers import row_counts

import db
import db.datasets
from cbec_core.model import fingerprint
from cbec_core.survey import SurveyError
from tests.actors import ADMIN


@pytest.fixture
def stocked(store, survey):
    """A migrated store that already holds one data set, so 'unchanged' is not trivially 'empty'."""
    db.upgrade()
    db.import_frame(survey.head(40), "already there", actor=ADMIN)
    return store


def _varied(survey: pd.DataFrame) -> pd.DataFrame:
    """The simulated survey with what real files hold: blanks, an out-of-range answer, places in Chinese, negative-looking text."""
    frame = survey.head(60).astype(object)
    frame["province"] = ["浙江", "Guangdong", None] * 20
    frame["zone"] = ["杭州", None, ""] * 20
    frame.loc[3, "DC2"] = None
    frame.loc[4, "HQD5"] = 7
    frame.loc[5, "region"] = None
    frame.loc[6, "firm_age"] = 2.5
    frame.loc[7, "firm_id"] = "-17"
    return frame


def test_import_stores_every_row_in_order(stocked, survey):
    frame = _varied(survey)
    result = db.import_frame(frame, "varied", actor=ADMIN)
    assert result.dataset.row_count == 60 and result.dataset.provenance == "uploaded"
    assert [(p.row, p.column) for p in result.excluded] == [(5, "DC2"), (6, "HQD5")]
    stored = db.dataset_frame("varied")
    assert len(stored) == 60 and pd.isna(stored.loc[3, "DC2"]) and stored.loc[4, "HQD5"] == 7
    assert stored.loc[0, "province"] == "浙江" and stored.loc[2, "province"] is None and stored.loc[2, "zone"] is None
    assert stored.loc[0, "zone"] == "Hangzhou"  # one spelling per zone (杭州 → Hangzhou)
    assert stored.loc[6, "firm_age"] == 2.5 and stored.loc[7, "firm_id"] == "-17"
    assert fingerprint(stored) == result.dataset.fingerprint
    assert db.list_datasets()["name"].tolist() == ["already there", "varied"]


def test_import_of_100k_rows_is_one_bulk_transaction(stocked, survey, tmp_path):
    path = tmp_path / "big.csv"
    pd.concat([survey] * 321).head(100_000).to_csv(path, index=False)
    before = row_counts()
    db.import_file(path, "big", actor=ADMIN)
    after = row_counts()
    assert after["survey_responses"] - before["survey_responses"] == 100_000 and after["datasets"] == before["datasets"] + 1


def _wrong_header(tmp_path, survey):
    path = tmp_path / "s.csv"
    survey.rename(columns={"DC3": "DC 3", "HQD1": "hqd1"}).to_csv(path, index=False)
    return path, {(None, "DC3"), (None, "HQD1")}


def _mixed_bad_rows(tmp_path, survey):
    path = tmp_path / "s.csv"
    bad = survey.astype(object)
    bad.loc[0, "AIGC2"] = "often"
    bad.loc[9, "region"] = "north"
    bad.loc[20, "firm_age"] = -3
    bad.loc[30, "DC1"] = 3.5
    bad.loc[31, "firm_size"] = "many"
    bad.to_csv(path, index=False)
    return path, {(2, "AIGC2"), (11, "region"), (22, "firm_age"), (32, "DC1"), (33, "firm_size")}


def _two_sheets(tmp_path, survey):
    path = tmp_path / "s.xlsx"
    with pd.ExcelWriter(path) as writer:
        survey.to_excel(writer, sheet_name="survey", index=False)
        survey.head(3).to_excel(writer, sheet_name="notes", index=False)
    return path, {(None, None)}


def _too_big(tmp_path, survey):
    path = tmp_path / "s.csv"
    survey.to_csv(path, index=False)
    with path.open("r+b") as f:
        f.truncate(51 * 1024 * 1024)  # sparse: 51 MB on paper, instant to make
    return path, {(None, None)}


def _not_utf8(tmp_path, survey):
    path = tmp_path / "s.csv"
    frame = survey.assign(province="浙江")
    path.write_bytes(frame.to_csv(index=False).encode("gb18030"))
    return path, {(None, None)}


def _formula_cell(tmp_path, survey):
    path = tmp_path / "s.csv"
    frame = survey.astype(object).assign(province="Zhejiang")
    frame.loc[4, "province"] = "=HYPERLINK(\"http://x\",\"y\")"
    frame.loc[6, "firm_id"] = "-2+3+cmd|' /C calc'!A0"
    frame.loc[8, "AIGC1"] = "=1+2"
    frame.to_csv(path, index=False)
    return path, {(6, "province"), (8, "firm_id"), (10, "AIGC1")}


@pytest.mark.parametrize("make", [_wrong_header, _mixed_bad_rows, _two_sheets, _too_big, _not_utf8, _formula_cell],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_refused_file_leaves_the_store_as_it_was(stocked, survey, tmp_path, make):
    path, expected = make(tmp_path, survey)
    before = row_counts()
    with pytest.raises(SurveyError) as caught:
        db.import_file(path, "refused", actor=ADMIN)
    assert {(p.row, p.column) for p in caught.value.problems} == expected
    assert row_counts() == before
    report = db.error_report(caught.value.problems)
    assert len(report) == len(expected) and list(report.columns) == ["row", "column", "value", "message"]


def test_blank_out_of_range_and_text_are_refused_together_and_nothing_is_stored(stocked, survey, tmp_path):
    path = tmp_path / "three.csv"
    bad = survey.astype(object)
    bad.loc[2, "DC2"] = ""
    bad.loc[5, "HQD4"] = 9
    bad.loc[8, "firm_age"] = "ten"
    bad.loc[8, "AIGC1"] = "=1+2"  # a formula in the same row: named once, as a formula
    bad.to_csv(path, index=False)
    before, datasets = row_counts(), db.list_datasets()
    with pytest.raises(SurveyError) as caught:
        db.import_file(path, "three", actor=ADMIN)
    assert [(p.row, p.column, p.code) for p in caught.value.problems] == [
        (4, "DC2", "cell_missing"), (7, "HQD4", "cell_outside"), (10, "AIGC1", "formula"), (10, "firm_age", "not_a_number")]
    assert row_counts() == before and db.list_datasets().equals(datasets)
    report = db.error_report(caught.value.problems)
    assert report["value"].tolist() == ["", "9", "=1+2", "ten"]
    check = db.check_upload(path.name, path.read_bytes())  # the lab's check says the same, in one pass
    assert check.problems == tuple(caught.value.problems) and not check.ok


def test_error_report_lists_every_problem_as_csv(stocked, survey, tmp_path):
    path, expected = _mixed_bad_rows(tmp_path, survey)
    with pytest.raises(SurveyError) as caught:
        db.import_file(path, "refused", actor=ADMIN)
    (tmp_path / "report.csv").write_bytes(db.error_report_csv(caught.value.problems))
    report = pd.read_csv(tmp_path / "report.csv", encoding="utf-8-sig")
    assert set(zip(report["row"], report["column"])) == expected
    assert "'often' is not a number" in report.loc[report["column"] == "AIGC2", "message"].iat[0]


def test_size_limit_is_checked_before_reading(stocked, survey, tmp_path):
    path, _ = _too_big(tmp_path, survey)
    with pytest.raises(SurveyError, match="is 51.0 MB; the limit is 50 MB"):
        db.import_file(path, "big", actor=ADMIN)


def test_a_failure_inside_the_bulk_insert_stores_nothing(stocked, survey, monkeypatch):
    rows_of = db.datasets._response_rows
    monkeypatch.setattr(db.datasets, "_response_rows", lambda i, frame: (r := rows_of(i, frame)) + r[-1:])  # a duplicate key, last
    before = row_counts()
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        db.import_frame(survey, "half", actor=ADMIN)
    assert row_counts() == before
    assert "half" not in db.list_datasets()["name"].tolist()


def test_names_are_unique(stocked, survey):
    before = row_counts()
    with pytest.raises(db.StoreError, match="already exists"):
        db.import_frame(survey, "already there", actor=ADMIN)
    assert row_counts() == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_gives_the_same_data(stocked, survey, tmp_path, suffix):
    db.import_frame(_varied(survey), "varied", actor=ADMIN)
    path = tmp_path / f"out{suffix}"
    assert db.export_dataset("varied", path) == 60
    db.import_file(path, "again", actor=ADMIN)
    original, again = db.dataset_frame("varied"), db.dataset_frame("again")
    pd.testing.assert_frame_equal(original, again)
    assert db.get_dataset("again").fingerprint == db.get_dataset("varied").fingerprint


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_synthetic_exports_say_so_and_stay_synthetic(store, tmp_path, suffix):
    db.ensure_ready()
    path = tmp_path / f"ref{suffix}"
    db.export_dataset(db.REFERENCE_NAME, path)
    written = pd.read_csv(path) if suffix == ".csv" else pd.read_excel(path)
    assert (written["provenance"] == "synthetic-reference").all()
    assert db.import_file(path, "re-uploaded", actor=ADMIN).dataset.provenance == "synthetic-reference"
    pd.testing.assert_frame_equal(db.dataset_frame("re-uploaded"), db.dataset_frame(db.REFERENCE_NAME), check_like=False)


def test_unknown_data_set_names_the_ones_there_are(stocked):
    with pytest.raises(db.StoreError, match="no data set named 'nope'; the store holds: already there") as refused:
        db.dataset_frame("nope")
    assert refused.value.code == "unknown_dataset" and refused.value.values["name"] == "nope"
    assert "already there" in refused.value.values["names"]


def test_unstorable_answers_are_refused(stocked, survey):
    frame = survey.astype(object)
    frame.loc[2, "IO1"] = 40000
    with pytest.raises(SurveyError) as caught:
        db.import_frame(frame, "odd", actor=ADMIN)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "IO1")]
    assert np.isfinite(survey["IO1"]).all()


def test_import_names_zones_the_list_does_not_know_row_by_row(stocked, survey):
    frame = survey.head(6).astype(object)
    frame["zone"] = ["hangzhou", "杭州", "Hangzhou", "Atlantis", None, "宁波市"]
    result = db.import_frame(frame, "spellings", actor=ADMIN)
    assert [(p.row, p.column) for p in result.unknown_zones] == [(5, "zone")]
    assert list(db.dataset_frame("spellings")["zone"]) == ["Hangzhou"] * 3 + ["Atlantis", None, "Ningbo"]
