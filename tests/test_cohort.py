"""Cohort summaries (pure): the 5-firm rule inside, one row per firm, anonymised export, the expected line."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cbec_core.cohort import ANONYMOUS_COLUMNS, MIN_COHORT, anonymised, cohort_summary, expected_line
from cbec_core.instrument import CONSTRUCT_CODES, ITEM_COLUMNS
from cbec_core.population import quantile
from cbec_core.scores import construct_scores
from cbec_core.scoring import expected


def _cohort(survey: pd.DataFrame, n: int) -> pd.DataFrame:
    """n firms as the store returns them: items, scores, controls, keys, times, free text."""
    rows = survey.iloc[:n].reset_index(drop=True)
    frame = pd.concat([rows, construct_scores(rows)], axis=1)
    frame["id"] = np.arange(1, n + 1)
    frame["firm_key"] = [f"K{i:07d}" for i in range(n)]
    frame["created_at"] = pd.date_range("2026-01-01", periods=n, freq="min", tz="UTC")
    frame["priority_lever"] = ["IO", "LSC", "IO", "DC", "AIGC"] * (n // 5) + ["IO"] * (n % 5)
    frame["zone"] = "Hangzhou <free text>"
    frame["province"] = "Zhejiang"
    frame["size_band"] = "50-200"
    for c in ("hqd_expected", "hqd_gap", "theta"):
        frame[c] = 0.5
    return frame


@pytest.mark.parametrize("n", [0, 1, 4])
def test_fewer_than_five_firms_give_the_count_only(survey, n):
    summary = cohort_summary(_cohort(survey, n), {})
    assert summary.suppressed and summary.n == n
    assert summary.distributions == {} and summary.points is None and summary.lever_counts == {}
    assert summary.top_lever is None and summary.benchmark is None
    assert anonymised(_cohort(survey, n)) is None


def test_a_firm_saving_twice_counts_once(survey):
    frame = _cohort(survey, 5)
    again = pd.concat([frame.iloc[:4], frame.iloc[[0]].assign(id=99, created_at=pd.Timestamp("2026-02-01", tz="UTC"))])
    summary = cohort_summary(again, {})
    assert summary.suppressed and summary.n == 4  # five rows, four firms: still under the rule
    assert cohort_summary(frame, {}).n == MIN_COHORT


def test_five_firms_give_the_figures(survey, fitted):
    frame = _cohort(survey, 10)
    bench = fitted.distributions["all"]["scores"]
    summary = cohort_summary(frame, bench)
    assert not summary.suppressed and summary.n == 10
    for code in CONSTRUCT_CODES:
        d = summary.distributions[code]
        assert d["min"] <= d["q1"] <= d["median"] <= d["q3"] <= d["max"]
        assert d["median"] == pytest.approx(float(frame[code].median()))
    assert list(summary.points.columns) == ["AIGC", "HQD"] and len(summary.points) == 10
    assert summary.points["AIGC"].is_monotonic_increasing  # score order, not join order
    assert summary.lever_counts == {"IO": 4, "LSC": 2, "DC": 2, "AIGC": 2}
    assert summary.top_lever == "IO" and summary.top_lever_share == pytest.approx(0.4)
    b = summary.benchmark.set_index("construct")
    assert b.loc["HQD", "benchmark_median"] == pytest.approx(quantile(bench["HQD"], 0.5))
    assert b.loc["AIGC", "share_above"] == pytest.approx(float((frame["AIGC"] > quantile(bench["AIGC"], 0.5)).mean()))
    assert cohort_summary(frame).benchmark is None


def test_lever_ties_follow_the_model_order(survey):
    frame = _cohort(survey, 6).assign(priority_lever=["LSC", "LSC", "DC", "DC", None, "IO"])
    assert cohort_summary(frame, {}).top_lever == "DC"


def test_the_export_is_anonymous(survey):
    frame = _cohort(survey, 12)
    out = anonymised(frame, seed=1)
    assert len(out) == 12 and list(out.columns) == ["participant", *ANONYMOUS_COLUMNS]
    assert list(out["participant"]) == list(range(1, 13))
    for gone in ("firm_key", "id", "created_at", "zone", "province", "firm_size", "firm_age", "workshop_id"):
        assert gone not in out.columns
    text = out.to_csv()
    assert "K0000" not in text and "free text" not in text and "Zhejiang" not in text
    # the same firms, in shuffled order
    assert sorted(out["AIGC1"]) == sorted(frame["AIGC1"])
    assert not (out[list(ITEM_COLUMNS)].to_numpy() == frame[list(ITEM_COLUMNS)].to_numpy()).all()


def test_expected_line_is_the_models_prediction(fitted):
    line = expected_line(fitted, points=9)
    assert list(line["AIGC"]) == pytest.approx(list(np.linspace(1, 5, 9)))
    _, hqd = expected(fitted, np.array([3.0]), np.array([fitted.means["W"]]), np.array([fitted.means["Z"]]))
    assert line.loc[4, "HQD_expected"] == pytest.approx(float(hqd[0]))
