"""Moderated mediation: the reported figures equal direct computations; known parameters are recovered."""
from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

from cbec_core.moderation import fit_moderation, johnson_neyman, prepare, theta
from cbec_core.scores import construct_scores


def _centred_frame(survey: pd.DataFrame) -> pd.DataFrame:
    s = construct_scores(survey)
    f = pd.DataFrame({"A": s["AIGC"], "M": s["DC"], "W": s["IO"], "Z": s["LSC"]})
    f = f - f.mean()
    f["Y"] = s["HQD"]
    return f


def test_coefficients_equal_formula_ols(survey):
    res = fit_moderation(prepare(construct_scores(survey), survey, ()), 0, 1)
    f = _centred_frame(survey)
    med = smf.ols("M ~ A * W", f).fit()
    out = smf.ols("Y ~ A + M * Z + W * Z", f).fit()
    assert abs(res.mediator["A:W"] - med.params["A:W"]) < 1e-10
    assert abs(res.outcome["M:Z"] - out.params["M:Z"]) < 1e-10
    assert abs(res.outcome["W:Z"] - out.params["W:Z"]) < 1e-10
    assert abs(res.summary["r2"]["outcome"] - out.rsquared) < 1e-12


def test_theta_grid_and_indices(survey):
    res = fit_moderation(prepare(construct_scores(survey), survey, ()), 500, 1)
    f = _centred_frame(survey)
    a1, a3 = res.mediator["A"], res.mediator["A:W"]
    b1, b3 = res.outcome["M"], res.outcome["M:Z"]
    sw, sz = f["W"].std(ddof=1), f["Z"].std(ddof=1)
    grid = res.summary["conditional_indirect"]
    assert [(round(r["w"], 12), round(r["z"], 12)) for r in grid] == [
        (round(w, 12), round(z, 12)) for w in (-sw, 0, sw) for z in (-sz, 0, sz)]
    for r in grid:
        assert abs(r["effect"] - (a1 + a3 * r["w"]) * (b1 + b3 * r["z"])) < 1e-12
        assert r["lo"] < r["effect"] < r["hi"]
    pct = res.summary["conditional_indirect_grid"]["percentile"]
    w16 = np.percentile(f["W"], 16, method="weibull")
    assert abs(pct[0]["w"] - w16) < 1e-12
    assert abs(res.summary["index_mmm"]["effect"] - a3 * b3) < 1e-12


def test_hierarchical_steps_f_change(survey):
    res = fit_moderation(prepare(construct_scores(survey), survey, ()), 0, 1)
    f = _centred_frame(survey)
    r_main = smf.ols("Y ~ A + M + W + Z", f).fit().rsquared
    r_mz = smf.ols("Y ~ A + M + W + Z + M:Z", f).fit().rsquared
    step = res.summary["steps"]["outcome"][2]
    assert abs(step["delta_r2"] - (r_mz - r_main)) < 1e-12
    df2 = len(f) - 6
    fch = (r_mz - r_main) / ((1 - r_mz) / df2)
    assert abs(step["f_change"] - fch) < 1e-9
    assert abs(step["p"] - stats.f.sf(fch, 1, df2)) < 1e-12


def test_simple_slopes_and_johnson_neyman_touch_zero(survey):
    res = fit_moderation(prepare(construct_scores(survey), survey, ()), 0, 1)
    jn = res.summary["johnson_neyman"]["a"]
    med = res.mediator
    i, j = med.terms.index("A"), med.terms.index("A:W")
    tcrit = stats.t.ppf(0.975, med.df_resid)
    for m in jn["boundaries"]:
        slope = med.coef[i] + med.coef[j] * m
        se = np.sqrt(med.cov[i, i] + 2 * m * med.cov[i, j] + m * m * med.cov[j, j])
        assert abs(abs(slope) - tcrit * se) < 1e-9
    mid = res.summary["simple_slopes"]["a"][1]
    assert abs(mid["slope"] - med.coef[i]) < 1e-12 and abs(mid["se"] - np.sqrt(med.cov[i, i])) < 1e-12


def test_johnson_neyman_without_crossing():
    out = johnson_neyman(1.0, 0.0, 0.01, 0.0, 0.0, 100, (-1, 1))
    assert out["boundaries"] == []


def test_recovers_generating_coefficients_on_a_large_sample():
    """Regression coefficients of a known model on continuous scores (n = 200,000)."""
    rng = np.random.default_rng(42)
    n = 200_000
    a, w, z = rng.standard_normal((3, n))
    m = 0.45 * a + 0.25 * w + 0.15 * a * w + rng.standard_normal(n) * 0.6
    y = 3.0 + 0.1 * a + 0.5 * m + 0.2 * z + 0.12 * m * z + 0.08 * w + 0.06 * w * z + rng.standard_normal(n) * 0.5
    scores = pd.DataFrame({"AIGC": a, "DC": m, "IO": w, "LSC": z, "HQD": y})
    res = fit_moderation(prepare(scores, scores, ()), 0, 1)
    # centring shifts lower-order terms by products with means (~0 here); tolerances are ~4 SE
    assert abs(res.mediator["A"] - 0.45) < 0.01 and abs(res.mediator["A:W"] - 0.15) < 0.01
    assert abs(res.outcome["M"] - 0.5) < 0.01 and abs(res.outcome["M:Z"] - 0.12) < 0.01
    assert abs(res.outcome["W:Z"] - 0.06) < 0.01 and abs(res.outcome["A"] - 0.1) < 0.01


def test_bootstrap_ci_covers_truth_across_replications():
    """Percentile CIs of θ(0,0) cover the true value about 95% of the time (60 replications)."""
    rng = np.random.default_rng(7)
    true = 0.4 * 0.5
    hits = 0
    for r in range(60):
        n = 300
        a, w, z = rng.standard_normal((3, n))
        m = 0.4 * a + 0.2 * w + 0.1 * a * w + rng.standard_normal(n)
        y = 0.5 * m + 0.2 * z + 0.1 * m * z + rng.standard_normal(n)
        s = pd.DataFrame({"AIGC": a, "DC": m, "IO": w, "LSC": z, "HQD": y})
        res = fit_moderation(prepare(s, s, ()), 1000, r)
        cell = res.summary["conditional_indirect"][4]
        hits += cell["lo"] <= true <= cell["hi"]
    assert 51 <= hits <= 60


def test_theta_broadcasts():
    assert theta(np.array([1.0, 2.0]), 0.5, 1.0, 0.0, 2.0, 0.0).tolist() == [2.0, 3.0]
