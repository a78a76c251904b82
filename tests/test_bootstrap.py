"""The vectorised bootstrap equals fitting OLS on each resample one by one."""
from __future__ import annotations

import numpy as np
import statsmodels.api as sm

from cbec_core.bootstrap import all_counts, bootstrap_ols, resample_counts


def test_counts_are_case_resamples():
    counts = resample_counts(np.random.default_rng(0), 50, 200)
    assert counts.shape == (200, 50)
    assert (counts.sum(axis=1) == 50).all()
    assert abs(counts.mean() - 1) < 0.01


def test_batched_solution_equals_loop_over_statsmodels():
    rng = np.random.default_rng(1)
    n = 120
    x = np.column_stack([np.ones(n), rng.standard_normal((n, 3))])
    y = x @ [1.0, 0.5, -0.3, 0.2] + rng.standard_normal(n)
    x2 = x[:, :2]
    data = np.column_stack([x, y])
    draws, draws2 = bootstrap_ols(data, [([0, 1, 2, 3], 4), ([0, 1], 4)], resamples=40, seed=5)
    counts = all_counts(n, 40, seed=5)
    for b in range(40):
        idx = np.repeat(np.arange(n), counts[b].astype(int))
        np.testing.assert_allclose(draws[b], sm.OLS(y[idx], x[idx]).fit().params, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(draws2[b], sm.OLS(y[idx], x2[idx]).fit().params, rtol=1e-9, atol=1e-12)


def test_chunks_cover_every_resample_once(monkeypatch):
    import cbec_core.bootstrap as boot
    monkeypatch.setattr(boot, "CHUNK_RESAMPLES", 7)
    rng = np.random.default_rng(2)
    x = np.column_stack([np.ones(80), rng.standard_normal(80)])
    y = rng.standard_normal(80)
    draws = boot.bootstrap_ols(np.column_stack([x, y]), [([0, 1], 2)], 30, seed=9)[0]
    counts = boot.all_counts(80, 30, seed=9)
    assert [size for size, _ in boot.chunk_plan(80, 30, 9)] == [7, 7, 7, 7, 2]
    assert counts.shape == (30, 80) and np.isfinite(draws).all()
    idx = np.repeat(np.arange(80), counts[29].astype(int))
    np.testing.assert_allclose(draws[29], np.linalg.lstsq(x[idx], y[idx], rcond=None)[0], rtol=1e-9)


def test_same_seed_same_draws():
    rng = np.random.default_rng(3)
    x = np.column_stack([np.ones(60), rng.standard_normal(60)])
    y = rng.standard_normal(60)
    data = np.column_stack([x, y])
    a = bootstrap_ols(data, [([0, 1], 2)], 100, seed=11)[0]
    b = bootstrap_ols(data, [([0, 1], 2)], 100, seed=11)[0]
    np.testing.assert_array_equal(a, b)


def test_batched_cholesky_solves_each_system_and_marks_singular_ones():
    from cbec_core.bootstrap import cholesky_solve
    rng = np.random.default_rng(4)
    x = rng.standard_normal((6, 30, 3))
    x[2, :, 2] = 2 * x[2, :, 1]  # a resample whose third predictor is a copy of the second
    a = np.einsum("bni,bnj->bij", x, x)
    b = rng.standard_normal((6, 3))
    solved = cholesky_solve([[a[:, i, j] for j in range(3)] for i in range(3)], [b[:, i] for i in range(3)])
    assert np.isnan(solved[2]).all()
    keep = [0, 1, 3, 4, 5]
    np.testing.assert_allclose(solved[keep], np.linalg.solve(a[keep], b[keep][..., None])[..., 0], rtol=1e-10)
