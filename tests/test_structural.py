"""CFA and SEM recover known generating parameters from a large simulated sample."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cbec_core.instrument import CONSTRUCTS
from cbec_core.measurement import average_variance_extracted, composite_reliability, fit_measurement
from cbec_core.sem import FitFailure, fit_sem
from cbec_core.structural import fit_structural, mediation_description

LOADINGS = {"AIGC": [0.8, 0.75, 0.85, 0.7], "DC": [0.8, 0.75, 0.7], "IO": [0.7, 0.8, 0.75],
            "LSC": [0.75, 0.7, 0.8], "HQD": [0.7, 0.75, 0.8, 0.7, 0.75, 0.8]}
# standardised structural model: exogenous correlations and paths (latent variances are 1)
R_XW, R_XZ, R_WZ = 0.35, 0.25, 0.4
A_PATH, IO_PATH = 0.45, 0.25          # DC ~ AIGC + IO
B_PATH, C_PATH, LSC_PATH = 0.5, 0.1, 0.2  # HQD ~ DC + AIGC + LSC


def _simulate(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cov = np.array([[1, R_XW, R_XZ], [R_XW, 1, R_WZ], [R_XZ, R_WZ, 1]])
    x, w, z = rng.multivariate_normal(np.zeros(3), cov, n).T
    m = A_PATH * x + IO_PATH * w + rng.standard_normal(n) * np.sqrt(1 - (A_PATH**2 + IO_PATH**2 + 2 * A_PATH * IO_PATH * R_XW))
    cov_mx = A_PATH + IO_PATH * R_XW
    cov_mz = A_PATH * R_XZ + IO_PATH * R_WZ
    var_y_sys = B_PATH**2 + C_PATH**2 + LSC_PATH**2 + 2 * (B_PATH * C_PATH * cov_mx + B_PATH * LSC_PATH * cov_mz + C_PATH * LSC_PATH * R_XZ)
    y = B_PATH * m + C_PATH * x + LSC_PATH * z + rng.standard_normal(n) * np.sqrt(1 - var_y_sys)
    latent = {"AIGC": x, "DC": m, "IO": w, "LSC": z, "HQD": y}
    data = {}
    for c in CONSTRUCTS:
        for item, lam in zip(c.items, LOADINGS[c.code]):
            data[item] = lam * latent[c.code] + np.sqrt(1 - lam**2) * rng.standard_normal(n)
    return pd.DataFrame(data)


@pytest.fixture(scope="module")
def big():
    return _simulate(50_000, seed=1)


def test_cfa_recovers_loadings_cr_ave(big):
    meas, _ = fit_measurement(big)
    for c in CONSTRUCTS:
        for item, lam in zip(c.items, LOADINGS[c.code]):
            assert abs(meas.loadings[item] - lam) < 0.02, item
        lam = np.array(LOADINGS[c.code])
        assert abs(meas.cr[c.code] - composite_reliability(lam)) < 0.01
        assert abs(meas.ave[c.code] - average_variance_extracted(lam)) < 0.01
    assert abs(meas.latent_corr.loc["AIGC", "IO"] - R_XW) < 0.02
    assert meas.fit.cfi > 0.995 and meas.fit.srmr < 0.01 and meas.fit.rmsea < 0.01


def test_sem_recovers_standardised_paths(big):
    s = fit_structural(big)
    truth = {"DC~AIGC": A_PATH, "DC~IO": IO_PATH, "HQD~DC": B_PATH, "HQD~AIGC": C_PATH, "HQD~LSC": LSC_PATH}
    for key, value in truth.items():
        assert abs(s.paths[key]["std"] - value) < 0.02, key
        assert s.paths[key]["std_se"] < 0.02
    assert abs(s.indirect.std - A_PATH * B_PATH) < 0.02
    assert s.indirect.std_mc_lo < A_PATH * B_PATH < s.indirect.std_mc_hi
    corr_xy = C_PATH + B_PATH * (A_PATH + IO_PATH * R_XW) + LSC_PATH * R_XZ
    assert abs(s.total["HQD~AIGC"]["std"] - corr_xy) < 0.02


def test_monte_carlo_interval_is_repeatable(big):
    a = fit_structural(big.iloc[:500], seed=3).indirect
    b = fit_structural(big.iloc[:500], seed=3).indirect
    assert (a.mc_lo, a.mc_hi) == (b.mc_lo, b.mc_hi)
    assert a.mc_lo < a.est < a.mc_hi


def test_constant_item_is_a_readable_failure(big):
    data = big.iloc[:200].copy()
    data["DC2"] = 3.0
    with pytest.raises(FitFailure, match="DC2 have the same answer in every row"):
        fit_sem(mediation_description(), data)


def test_too_few_rows_is_a_readable_failure(big):
    with pytest.raises(FitFailure, match="only 10 usable rows for 19 items"):
        fit_sem(mediation_description(), big.iloc[:10])


def test_heywood_case_is_flagged():
    """An item that is the sum of its two siblings' sources drives its residual variance to the bound."""
    rng = np.random.default_rng(0)
    data = _simulate(300, seed=5)
    a, b = rng.standard_normal((2, 300))
    data["DC1"] = a + b + rng.normal(0, 0.3, 300)
    data["DC2"] = a + 0.5 * b + rng.normal(0, 0.5, 300)
    data["DC3"] = b + 0.4 * a + rng.normal(0, 0.5, 300)
    _, sem = fit_measurement(data)
    assert any("residual variance of item DC1" in w and "Heywood" in w for w in sem.warnings)
    _, clean = fit_measurement(_simulate(300, seed=5))
    assert clean.warnings == []


def test_latent_bootstrap_reports_progress_and_brackets_the_estimate(big):
    seen = []
    s = fit_structural(big.iloc[:400], bootstrap=30, seed=2, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (30, 30) and len(seen) == 30
    assert s.indirect.boot_b == 30
    assert s.indirect.boot_lo < s.indirect.std < s.indirect.boot_hi
