"""Assessments: saving, firm-key history, peer percentiles, the 5-firm rule, concurrent writers, export (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import event
from store_helpers import answers_of, row_counts, save

import db
from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.scoring import score_firm
from cbec_core.survey import SurveyError
from db.codes import ALPHABET
from db.engine import get_engine


def test_save_returns_a_new_typable_key_and_stores_the_result(fit_id, fitted, survey):
    answers = answers_of(survey.iloc[0], province="浙江", zone="杭州")
    result = score_firm(answers, fitted, segment="region=east")
    key = db.save_assessment(answers, result, fit_id, consent=True)
    assert len(key) == 8 and set(key) <= set(ALPHABET)
    row = db.assessment_history(key).iloc[0]
    assert row["model_fit_id"] == fit_id and row["consent"] and row["zone"] == "Hangzhou" and row["size_band"] is not None
    assert [row[c] for c in ITEM_COLUMNS] == [answers[c] for c in ITEM_COLUMNS]
    assert row["AIGC"] == pytest.approx(result.scores["AIGC"]) and row["HQD_sus"] == pytest.approx(result.scores["HQD_sus"])
    assert row["hqd_gap"] == pytest.approx(result.hqd_gap) and row["theta"] == pytest.approx(result.theta)
    assert row["priority_lever"] == result.priority_lever and row["segment"] == result.segment


def test_quick_mode_stores_scores_without_answers(fit_id, fitted):
    answers = {"AIGC": 3.5, "DC": 4, "IO": 2.5, "LSC": 3, "HQD": 3.25}
    key = save(answers, fitted, fit_id)
    row = db.assessment_history(key).iloc[0]
    assert all(pd.isna(row[c]) for c in ITEM_COLUMNS) and pd.isna(row["HQD_fin"]) and row["HQD"] == 3.25


def test_history_follows_the_firm_key(fit_id, fitted, survey):
    key = save(answers_of(survey.iloc[0]), fitted, fit_id)
    other = save(answers_of(survey.iloc[1]), fitted, fit_id)
    typed = f"{key[:4].lower()}-{key[4:].lower()}"
    assert save(answers_of(survey.iloc[2]), fitted, fit_id, firm_key=typed) == key
    history = db.assessment_history(typed)
    assert len(history) == 2 and history["created_at"].is_monotonic_increasing
    assert history["AIGC1"].tolist() == [survey.iloc[0]["AIGC1"], survey.iloc[2]["AIGC1"]]
    assert len(db.assessment_history(other)) == 1
    unused = next(c * 8 for c in ALPHABET if c * 8 not in (key, other))
    assert db.assessment_history(unused).empty
    with pytest.raises(db.StoreError, match="no assessment has the firm key"):
        save(answers_of(survey.iloc[3]), fitted, fit_id, firm_key=unused)
    with pytest.raises(db.StoreError, match="not a valid firm key"):
        db.assessment_history("0OIL")


def test_invalid_assessments_store_nothing(fit_id, fitted, survey):
    answers = answers_of(survey.iloc[0])
    result = score_firm(answers, fitted)
    before = row_counts()
    with pytest.raises(SurveyError, match="looks like a spreadsheet formula"):
        db.save_assessment(answers | {"province": "=cmd|' /C calc'!A0"}, result, fit_id)
    with pytest.raises(SurveyError, match="AIGC1"):
        db.save_assessment(answers | {"AIGC1": 9}, result, fit_id)
    with pytest.raises(db.StoreError, match="no model fit"):
        db.save_assessment(answers, result, 999)
    with pytest.raises(db.StoreError, match="no workshop"):
        db.save_assessment(answers, result, fit_id, workshop_id=999)
    assert row_counts() == before


def _add_firms(fitted, fit_id, survey, zone, n, start, **kw) -> list[str]:
    return [save(answers_of(survey.iloc[start + i], zone=zone, province="Zhejiang"), fitted, fit_id, **kw) for i in range(n)]


def test_zone_comparison_counts_each_consenting_firm_once_and_suppresses_small_groups(fit_id, fitted, survey):
    hangzhou = _add_firms(fitted, fit_id, survey, "Hangzhou", 5, 0, consent=True)
    save(answers_of(survey.iloc[50], zone="Hangzhou", province="Zhejiang"), fitted, fit_id, firm_key=hangzhou[0], consent=True)
    _add_firms(fitted, fit_id, survey, "Ningbo", 4, 10, consent=True)
    _add_firms(fitted, fit_id, survey, "Ningbo", 3, 20, consent=False)  # not counted: no consent

    table = db.zone_comparison("zone").set_index("zone")
    assert table.loc["Hangzhou", "n_firms"] == 5 and not table.loc["Hangzhou", "suppressed"]
    expected = np.mean([score_firm(answers_of(survey.iloc[i]), fitted).scores["AIGC"] for i in (50, 1, 2, 3, 4)])
    assert table.loc["Hangzhou", "AIGC"] == pytest.approx(expected)
    assert table.loc["Ningbo", "suppressed"] and pd.isna(table.loc["Ningbo", "n_firms"])
    assert table.loc["Ningbo", ["AIGC", "DC", "IO", "LSC", "HQD"]].isna().all()

    by_province = db.zone_comparison("province")
    assert by_province["province"].tolist() == ["Zhejiang"] and by_province["n_firms"].iat[0] == 9
    with pytest.raises(db.StoreError, match="cannot compare by 'city'"):
        db.zone_comparison("city")


def test_segment_percentiles_are_mid_ranks_among_peers(fit_id, fitted, survey):
    east = survey[(survey["region"] == "east") & (survey["business_model"] == "B2B")].head(6)
    for _, row in east.iterrows():
        save(answers_of(row), fitted, fit_id, consent=True)
    peers = [score_firm(answers_of(row), fitted).scores["AIGC"] for _, row in east.iterrows()]
    value = sorted(peers)[2]
    standing = db.segment_percentiles({"AIGC": value, "HQD": 3.0}, {"region": "east", "business_model": "B2B"})
    below, equal = sum(p < value - 1e-9 for p in peers), sum(abs(p - value) <= 1e-9 for p in peers)
    assert not standing.suppressed and standing.n_firms == 6
    assert standing.percentiles["AIGC"] == pytest.approx(100 * (below + equal / 2) / 6)

    small = db.segment_percentiles({"AIGC": value}, {"region": "east", "business_model": "B2B", "pilot_zone": 1, "size_band": "<50"})
    assert small.suppressed and small.n_firms is None and small.percentiles is None
    with pytest.raises(db.StoreError, match="unknown segment dimension"):
        db.segment_percentiles({"AIGC": 3}, {"city": "Hangzhou"})


def test_fifty_threads_writing_at_once_lose_nothing(fit_id, fitted, survey):
    results = [score_firm(answers_of(survey.iloc[i]), fitted) for i in range(50)]
    start = threading.Barrier(50)
    keys, errors = [None] * 50, []

    def write(i: int) -> None:
        start.wait()
        try:
            keys[i] = db.save_assessment(answers_of(survey.iloc[i]), results[i], fit_id, consent=True)
        except Exception as exc:  # noqa: BLE001 - the test records any failure at all
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(keys)) == 50 and row_counts()["assessments"] == 50


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_has_consented_assessments_labelled_with_their_benchmark(store, fitted, survey, tmp_path, suffix):
    synthetic_fit = db.ensure_ready()
    key = save(answers_of(survey.iloc[0]), fitted, synthetic_fit, consent=True)
    save(answers_of(survey.iloc[1]), fitted, synthetic_fit, consent=False)
    path = tmp_path / f"a{suffix}"
    assert db.export_assessments(path) == 1
    written = pd.read_csv(path, encoding="utf-8-sig") if suffix == ".csv" else pd.read_excel(path)
    assert written["firm_key"].tolist() == [key] and written["benchmark_provenance"].tolist() == ["synthetic-reference"]
    assert "latest" not in written.columns


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # query plans are checked on the default store
def test_dashboard_queries_read_only_their_covering_indexes(store, fit_id):
    statements = []

    def record(connection, cursor, sql, params, context, executemany) -> None:
        statements.append((sql, params))

    event.listen(get_engine(), "before_cursor_execute", record)
    try:
        db.segment_percentiles({"AIGC": 3.0, "HQD": 3.0}, {"region": "east", "business_model": "B2B"})
        for by in ("zone", "province", "region"):
            db.zone_comparison(by)
    finally:
        event.remove(get_engine(), "before_cursor_execute", record)
    queries = [(sql, params) for sql, params in statements if sql.lstrip().upper().startswith("SELECT")]
    with get_engine().connect() as connection:
        plans = [" ".join(str(r[-1]) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
                 for sql, params in queries]
    expected = ["ix_assessments_segment", "ix_assessments_zone", "ix_assessments_province", "ix_assessments_segment"]
    assert len(plans) == len(expected)
    for plan, index in zip(plans, expected):
        assert f"USING COVERING INDEX {index}" in plan, plan


def test_counted_assessments_are_each_consenting_firms_newest_without_identity(fit_id, fitted, survey):
    key = save(answers_of(survey.iloc[0]), fitted, fit_id, consent=True)
    save(answers_of(survey.iloc[1]), fitted, fit_id, firm_key=key, consent=True)
    save(answers_of(survey.iloc[2]), fitted, fit_id, consent=False)
    save(answers_of(survey.iloc[3]), fitted, fit_id, consent=True)
    counted = db.counted_assessments()
    assert len(counted) == 2
    assert not {"firm_key", "id", "created_at"} & set(counted.columns)
    assert sorted(counted["AIGC1"]) == sorted([survey.iloc[1]["AIGC1"], survey.iloc[3]["AIGC1"]])
