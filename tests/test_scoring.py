"""Scoring a firm (MODEL.md §6): known figures, batch equals single, what-if and validation messages."""
from __future__ import annotations

import pytest

from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.scores import construct_scores
from cbec_core.scoring import beyond_scale, expected, score_firm, score_firms, to_scale, what_if
from cbec_core.survey import SurveyError


def _answers(survey, i=0, **controls):
    a = {k: int(v) for k, v in survey.iloc[i][list(ITEM_COLUMNS)].items()}
    a.update(controls)
    return a


def test_scores_and_percentiles_of_a_known_firm(survey, fitted):
    answers = {k: 3 for k in ITEM_COLUMNS}
    answers.update({"AIGC1": 5, "AIGC2": 5, "AIGC3": 4, "AIGC4": 4})
    r = score_firm(answers, fitted)
    assert r.scores["AIGC"] == 4.5 and r.performance["AIGC"] == 87.5
    s = construct_scores(survey)
    below, equal = (s["AIGC"] < 4.5).sum(), (s["AIGC"] == 4.5).sum()
    assert r.percentiles["AIGC"] == pytest.approx(100 * (below + equal / 2) / 312, abs=1e-12)


def test_expected_values_follow_the_regressions(fitted):
    r = score_firm({k: 4 for k in ITEM_COLUMNS}, fitted)
    mu, med, out = fitted.means, fitted.mediator, fitted.outcome
    a, w, z = 4 - mu["A"], 4 - mu["W"], 4 - mu["Z"]
    m_c = med["(Intercept)"] + med["A"] * a + med["W"] * w + med["A:W"] * a * w
    y = out["(Intercept)"] + out["A"] * a + out["M"] * m_c + out["Z"] * z + out["M:Z"] * m_c * z + out["W"] * w + out["W:Z"] * w * z
    assert r.dc_expected == pytest.approx(m_c + mu["M"], abs=1e-12)
    assert r.hqd_expected == pytest.approx(y, abs=1e-12)
    assert r.hqd_gap == pytest.approx(4 - y, abs=1e-12)
    assert r.hqd_pi[0] < r.hqd_expected < r.hqd_pi[1]
    assert r.theta == pytest.approx((med["A"] + med["A:W"] * w) * (out["M"] + out["M:Z"] * z), abs=1e-12)
    assert r.theta_ci[0] < r.theta < r.theta_ci[1]


def test_prediction_interval_covers_about_95_percent(survey, fitted):
    rows = score_firms(survey, fitted)
    y = construct_scores(survey)["HQD"]
    inside = ((rows["HQD_pi_lo"] <= y) & (y <= rows["HQD_pi_hi"])).mean()
    assert 0.90 <= inside <= 0.99


def test_batch_equals_single(survey, fitted):
    batch = score_firms(survey.head(20), fitted)
    for i in (0, 7, 19):
        one = score_firm(_answers(survey, i), fitted)
        assert one.hqd_expected == pytest.approx(batch.iloc[i]["HQD_expected"], abs=1e-12)
        assert one.priority_lever == batch.iloc[i]["priority_lever"]


def test_priority_lever_is_the_largest_gain(fitted):
    answers = {k: 2 for k in ITEM_COLUMNS}
    r = score_firm(answers, fitted)
    assert r.priority_lever == max(r.lever_gains, key=r.lever_gains.get)
    assert r.lever_gains[r.priority_lever] > 0
    # a gain is the model's own arithmetic: raising DC alone moves HQD by the b-path at the firm's LSC
    out, mu = fitted.outcome, fitted.means
    target = r.lever_targets["DC"]
    bz = lambda m: out["M"] * (m - mu["M"]) + out["M:Z"] * (m - mu["M"]) * (2 - mu["Z"])  # noqa: E731
    assert r.lever_gains["DC"] == pytest.approx(bz(target) - bz(2.0), abs=1e-12)
    top = score_firm({k: 5 for k in ITEM_COLUMNS}, fitted)
    assert top.priority_lever is None and all(g == 0 for g in top.lever_gains.values())


def test_what_if_moves_expected_values(fitted):
    base = score_firm({k: 3 for k in ITEM_COLUMNS}, fitted)
    same = what_if(fitted, base)
    assert same["HQD_change"] == pytest.approx(0, abs=1e-12)
    more = what_if(fitted, base, AIGC=5)
    m_hat, y_hat = expected(fitted, [5.0], [base.scores["IO"]], [base.scores["LSC"]])
    assert more["HQD_expected"] == pytest.approx(y_hat[0]) and more["DC_expected"] == pytest.approx(m_hat[0])
    assert more["HQD_change"] > 0


def test_segment_percentiles_and_small_segments(survey, fitted):
    r = score_firm(_answers(survey, region="east"), fitted, segment="region=east")
    assert r.segment == "region=east" and r.segment_percentiles is not None
    r2 = score_firm(_answers(survey), fitted, segment="region=north")
    assert r2.segment == "all" and "no firm of segment region=north" in r2.segment_note


def test_quick_mode_uses_construct_scores(fitted):
    r = score_firm({"AIGC": 3.5, "DC": 3, "IO": 4, "LSC": 2.5, "HQD": 3}, fitted)
    assert r.scores == {"AIGC": 3.5, "DC": 3.0, "IO": 4.0, "LSC": 2.5, "HQD": 3.0}


def test_every_bad_answer_is_named(fitted):
    answers = {k: 3 for k in ITEM_COLUMNS}
    answers["AIGC2"] = 7
    answers["DC1"] = "often"
    del answers["HQD6"]
    with pytest.raises(SurveyError) as exc:
        score_firm(answers, fitted)
    assert str(exc.value) == (
        "column AIGC2: 7 is not valid; answer with a whole number from 1 to 5\n"
        "column DC1: 'often' is not a number; answer with a whole number from 1 to 5\n"
        "column HQD6: no answer; every item must be answered (1 = strongly disagree … 5 = strongly agree)"
    )


def test_bad_control_is_named(fitted):
    with pytest.raises(SurveyError, match="column region: 'north' is not valid; choose east, central or west"):
        score_firm({**{k: 3 for k in ITEM_COLUMNS}, "region": "north"}, fitted)


def test_the_scale_rule_flags_and_clips_values_beyond_1_to_5():
    assert not beyond_scale(1.0, 3.2, 5.0)
    assert beyond_scale(3.0, 5.01) and beyond_scale(0.99)
    assert (to_scale(5.25), to_scale(0.4), to_scale(3.3)) == (5.0, 1.0, 3.3)


def test_what_if_off_the_scale_is_shown_at_its_end_and_flagged(fitted):
    base = score_firm({k: 4 for k in ITEM_COLUMNS}, fitted)
    _, y_hat = expected(fitted, [5.0], [5.0], [5.0], m=[5.0])
    assert y_hat[0] > 5  # the model's own prediction at the top of every lever leaves the scale
    top = what_if(fitted, base, AIGC=5, IO=5, LSC=5, DC=5)
    assert top["extrapolated"] and top["HQD_model"] == pytest.approx(y_hat[0])
    assert top["HQD_expected"] == 5.0 and top["HQD_change"] == pytest.approx(5.0 - base.hqd_expected)
    same = what_if(fitted, base)
    assert not same["extrapolated"] and same["HQD_expected"] == pytest.approx(base.hqd_expected)
