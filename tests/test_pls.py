"""PLS-SEM against seminr's own estimation code (fixtures from tests/R/pls_reference.R)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cbec_core.bootstrap import all_counts
from cbec_core.pls import ITEMS, PATHS, bootstrap_draws, fit_pls
from cbec_core.survey import validate_survey

FIXTURES = Path(__file__).parent / "fixtures"
COHORTS = {"survey_a": FIXTURES / "parity/survey_a.csv", "survey_b": FIXTURES / "parity/survey_b.csv",
           "reference_cohort": FIXTURES / "pls/reference_cohort.csv", "skewed": FIXTURES / "pls/skewed.csv"}


def _items(csv: Path) -> pd.DataFrame:
    return validate_survey(pd.read_csv(csv)).data[list(ITEMS)].astype(float)


@pytest.fixture(scope="module", params=sorted(COHORTS))
def case(request):
    ref = json.loads((FIXTURES / f"pls/{request.param}.json").read_text())
    items = _items(COHORTS[request.param])
    return ref, items, fit_pls(items, bootstrap=ref["bootstrap"]["resamples"], seed=11)


def test_sample_is_the_one_seminr_fitted(case):
    ref, items, _ = case
    assert len(items) == ref["meta"]["n_used"]


def test_paths_loadings_weights_and_r2_match_seminr(case):
    ref, _, pls = case
    for key in PATHS:
        assert pls.paths[key]["est"] == pytest.approx(ref["paths"][key], abs=1e-6), key
    for item in ITEMS:
        assert pls.loadings[item] == pytest.approx(ref["loadings"][item], abs=1e-6), item
        assert pls.weights[item] == pytest.approx(ref["weights"][item], abs=1e-6), item
    assert pls.r2 == pytest.approx(ref["r2"], abs=1e-6)
    # seminr counts its loop from 0: it reports one less than the number of weight updates
    assert pls.converged and pls.iterations == ref["iterations"] + 1


def test_effect_sizes_reliability_and_htmt_match_seminr(case):
    ref, _, pls = case
    assert pls.f2 == pytest.approx(ref["f2"], abs=1e-6)
    assert pls.rhoc == pytest.approx(ref["rhoc"], abs=1e-6)
    assert pls.ave == pytest.approx(ref["ave"], abs=1e-6)
    for a, row in ref["htmt"].items():
        for b, v in row.items():
            assert (pls.htmt[a][b] is None) if v is None else pls.htmt[a][b] == pytest.approx(v, abs=1e-6)
    assert pls.indirect["est"] == pytest.approx(ref["indirect"], abs=1e-6)
    assert pls.total["est"] == pytest.approx(ref["total"], abs=1e-6)
    assert pls.share_mediated == pytest.approx(ref["share_mediated"], abs=1e-6)


def test_bootstrap_percentile_cis_agree_with_seminr_in_distribution(case):
    ref, _, pls = case
    boot = ref["bootstrap"]
    figures = {**pls.paths, "indirect": pls.indirect, "total": pls.total}
    for key, mine in figures.items():
        r = boot[key]
        assert mine["boot_se"] == pytest.approx(r["boot_se"], rel=0.15), key
        assert abs(mine["lo"] - r["lo"]) < 0.25 * r["boot_se"] and abs(mine["hi"] - r["hi"]) < 0.25 * r["boot_se"], key
    assert pls.paths["DC~AIGC"]["lo"] < pls.paths["DC~AIGC"]["est"] < pls.paths["DC~AIGC"]["hi"]


def test_batched_bootstrap_equals_fitting_each_resample():
    items = _items(COHORTS["survey_b"])
    draws, failed = bootstrap_draws(items, 7, seed=3)
    assert failed == 0
    for counts, row in zip(all_counts(len(items), 7, 3), draws):
        rows = np.repeat(np.arange(len(items)), counts.astype(int))
        one = fit_pls(items.iloc[rows])
        np.testing.assert_allclose(row[:5], [one.paths[k]["est"] for k in PATHS], atol=1e-9)
        np.testing.assert_allclose(row[5:], [one.indirect["est"], one.total["est"], one.share_mediated], atol=1e-9)


def test_non_convergence_is_reported():
    pls = fit_pls(_items(COHORTS["survey_b"]), max_iterations=2)
    assert not pls.converged and pls.iterations == 3
    assert any("did not converge in 2 iterations" in w for w in pls.warnings)
