"""Cohort summaries (pure): the 5-firm rule inside, one row per firm, order statistics from 10 firms, stepped
publication, k-anonymous shared rows, the expected line."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cbec_core.cohort import (
    MIN_COHORT,
    QUASI_IDENTIFIERS,
    SHARED_COLUMNS,
    WITHHELD,
    cohort_summary,
    expected_line,
    k_anonymity,
    published_cohort,
    shared_rows,
)
from cbec_core.instrument import CONSTRUCT_CODES
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
    assert shared_rows(_cohort(survey, n).assign(share_row=True)).empty


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
        assert d["p10"] <= d["q1"] <= d["median"] <= d["q3"] <= d["p90"]
        assert "min" not in d and "max" not in d  # no firm's own extreme
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


def test_under_ten_firms_give_means_with_ci_and_no_order_statistic(survey, fitted):
    summary = cohort_summary(_cohort(survey, 7), fitted.distributions["all"]["scores"])
    assert not summary.suppressed and not summary.ordered
    for code in CONSTRUCT_CODES:
        d = summary.distributions[code]
        assert set(d) == {"mean", "ci_lo", "ci_hi"} and d["ci_lo"] < d["mean"] < d["ci_hi"]
    assert summary.points is None
    b = summary.benchmark.set_index("construct")
    assert b.loc["HQD", "cohort_value"] == pytest.approx(summary.distributions["HQD"]["mean"])


def test_the_live_cohort_moves_in_steps_of_five(survey):
    frame = _cohort(survey, 17).assign(firm=np.arange(17), counted=True)
    sizes = [len(published_cohort(frame.iloc[:k])) for k in range(1, 18)]
    assert sizes == [k if k < 5 else 5 * (k // 5) for k in range(1, 18)]
    assert list(published_cohort(frame.iloc[:13])["id"]) == list(range(1, 11))  # the first ten, as they were


def _quasi(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"size_band": rng.choice(["<50", "50-200", "200+"], n), "business_model": rng.choice(["B2B", "B2C"], n),
                         "pilot_zone": rng.choice([0, 1], n), "region": rng.choice(["east", "central", "west"], n),
                         "zone": rng.choice(["Hangzhou", "Ningbo", None], n)})


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [3, 6, 11, 30])
def test_shared_rows_are_k_anonymous(survey, n, seed):
    frame = _cohort(survey, n).drop(columns=list(QUASI_IDENTIFIERS)).join(_quasi(n, seed))
    frame["share_row"] = np.random.default_rng(seed).random(n) < 0.8
    out = shared_rows(frame, seed=1)
    assert out.empty or k_anonymity(out) >= 5
    assert len(out) <= int(frame["share_row"].sum())
    if int(frame["share_row"].sum()) >= 5:
        assert len(out) >= 5  # with everything withheld, all sharers form one class
    assert list(out.columns) == ["participant", *SHARED_COLUMNS]


def test_only_participants_who_share_appear(survey):
    frame = _cohort(survey, 12).assign(share_row=[True] * 6 + [False] * 6)
    out = shared_rows(frame, seed=1)
    assert len(out) == 6 and sorted(out["AIGC1"]) == sorted(frame["AIGC1"].iloc[:6])
    assert (out[list(QUASI_IDENTIFIERS)] != WITHHELD).any().any()  # identical controls need no coarsening
    for gone in ("firm_key", "id", "created_at", "province", "firm_size", "firm_age", "workshop_id"):
        assert gone not in out.columns
    text = out.to_csv()
    assert "K0000" not in text and "Zhejiang" not in text


def test_expected_line_is_the_models_prediction(fitted):
    line = expected_line(fitted, points=9)
    assert list(line["AIGC"]) == pytest.approx(list(np.linspace(1, 5, 9)))
    _, hqd = expected(fitted, np.array([3.0]), np.array([fitted.means["W"]]), np.array([fitted.means["Z"]]))
    assert line.loc[4, "HQD_expected"] == pytest.approx(float(hqd[0]))
