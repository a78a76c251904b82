"""The synthetic reference cohort (MODEL.md §7): deterministic, well-formed, and calibrated to Tian (2025).

The calibration checks are computed here from first principles (α with numpy, OLS with statsmodels)
rather than with the package's own estimators, so they test the cohort, not the pipeline.
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from cbec_core import reference as ref
from cbec_core.instrument import BUSINESS_MODELS, CONSTRUCTS, ITEM_COLUMNS, REGIONS

N = 312


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return ref.reference_cohort()


def _alpha(items: np.ndarray) -> float:
    cov = np.cov(items, rowvar=False, ddof=1)
    k = cov.shape[0]
    return float(k / (k - 1) * (1.0 - np.trace(cov) / cov.sum()))


def _centred_scores(frame: pd.DataFrame) -> pd.DataFrame:
    s = pd.DataFrame({c.code: frame[list(c.items)].to_numpy(dtype=float).mean(axis=1) for c in CONSTRUCTS})
    out = s[["AIGC", "DC", "IO", "LSC"]] - s[["AIGC", "DC", "IO", "LSC"]].mean()
    out.columns = ["A", "M", "W", "Z"]
    out["DC"] = s["DC"].to_numpy()
    out["Y"] = s["HQD"].to_numpy()
    return out


# --- determinism -----------------------------------------------------------------------------

def test_same_seed_gives_identical_frames(cohort):
    again = ref.reference_cohort()
    pd.testing.assert_frame_equal(cohort, again, check_exact=True)
    assert pd.util.hash_pandas_object(cohort).equals(pd.util.hash_pandas_object(again))


def test_explicit_default_arguments_match(cohort):
    pd.testing.assert_frame_equal(cohort, ref.reference_cohort(N, ref.DEFAULT_SEED), check_exact=True)


def test_different_seed_differs(cohort):
    other = ref.reference_cohort(seed=ref.DEFAULT_SEED + 1)
    assert not cohort[list(ITEM_COLUMNS)].equals(other[list(ITEM_COLUMNS)])


def test_generation_is_fast():
    ref.reference_cohort()  # warm-up
    best = min(_timed() for _ in range(5))
    assert best < 0.05


def _timed() -> float:
    t = time.perf_counter()
    ref.reference_cohort()
    return time.perf_counter() - t


def test_rejects_too_small_n():
    with pytest.raises(ValueError):
        ref.reference_cohort(n=5)


# --- schema ----------------------------------------------------------------------------------

def test_columns_and_rows(cohort):
    assert list(cohort.columns) == list(ref.COLUMNS)
    assert len(cohort) == N
    assert cohort["firm_id"].is_unique
    assert cohort["firm_id"].iloc[0] == "REF-001" and cohort["firm_id"].iloc[-1] == "REF-312"


def test_items_are_likert_ints(cohort):
    items = cohort[list(ITEM_COLUMNS)]
    assert all(pd.api.types.is_integer_dtype(items[c]) for c in ITEM_COLUMNS)
    assert items.min().min() >= 1 and items.max().max() <= 5
    assert all(items[c].nunique() == 5 for c in ITEM_COLUMNS)  # every category is used


def test_item_distributions_are_realistic(cohort):
    means = cohort[list(ITEM_COLUMNS)].mean()
    assert means.between(3.0, 3.8).all()
    construct_means = pd.Series({c.code: means[list(c.items)].mean() for c in CONSTRUCTS})
    assert construct_means.between(3.3, 3.6).all(), construct_means
    skew = cohort[list(ITEM_COLUMNS)].skew()
    assert (skew < 0).mean() >= 0.8  # slightly left-skewed, as Likert self-reports usually are


def test_controls(cohort):
    assert pd.api.types.is_integer_dtype(cohort["firm_size"]) and (cohort["firm_size"] >= 1).all()
    assert pd.api.types.is_integer_dtype(cohort["firm_age"]) and (cohort["firm_age"] >= 0).all()
    assert set(cohort["region"]) <= set(REGIONS)
    assert set(cohort["business_model"]) <= set(BUSINESS_MODELS)
    assert pd.api.types.is_integer_dtype(cohort["pilot_zone"]) and set(cohort["pilot_zone"]) <= {0, 1}


def test_published_shares(cohort):
    assert abs(cohort["pilot_zone"].mean() - 0.60) <= 0.03
    assert abs((cohort["business_model"] == "B2C").mean() - 0.35) <= 0.03
    assert abs(cohort["firm_size"].between(50, 200).mean() - 0.45) <= 0.04


def test_mostly_east(cohort):
    shares = cohort["region"].value_counts(normalize=True)
    assert shares["east"] > 0.6 and shares["east"] > shares["central"] > shares["west"] > 0


def test_province_map_has_31_provinces_in_three_regions():
    assert len(ref.PROVINCE_REGION) == 31
    assert set(ref.PROVINCE_REGION.values()) == set(REGIONS)
    # spot checks against the NBS three-belt split used by the project's province map
    assert ref.PROVINCE_REGION["Liaoning"] == "east"
    assert ref.PROVINCE_REGION["Heilongjiang"] == "central"
    assert ref.PROVINCE_REGION["Guangxi"] == "west"
    assert ref.PROVINCE_REGION["Inner Mongolia"] == "west"


def test_province_consistent_with_region(cohort):
    assert cohort["province"].isin(list(ref.PROVINCE_REGION)).all()
    assert (cohort["province"].map(ref.PROVINCE_REGION) == cohort["region"]).all()


def test_zone_only_for_pilot_firms_and_in_its_province(cohort):
    pilot = cohort["pilot_zone"] == 1
    assert (cohort.loc[~pilot, "zone"] == "").all()
    assert (cohort.loc[pilot, "zone"] != "").all()
    city_province = {city: prov for cities in ref.PILOT_ZONES.values() for city, (prov, _) in cities.items()}
    zones = cohort.loc[pilot, "zone"]
    assert zones.isin(list(city_province)).all()
    assert (zones.map(city_province) == cohort.loc[pilot, "province"]).all()


def test_pilot_zone_tables_are_consistent():
    for region, cities in ref.PILOT_ZONES.items():
        for city, (province, weight) in cities.items():
            assert ref.PROVINCE_REGION[province] == region, city
            assert weight > 0
    for region, provinces in ref.PROVINCE_WEIGHTS.items():
        assert all(ref.PROVINCE_REGION[p] == region for p in provinces)


def test_synthetic_label(cohort):
    assert "Synthetic" in ref.SYNTHETIC_LABEL["en"] and "not real firms" in ref.SYNTHETIC_LABEL["en"]
    assert "合成" in ref.SYNTHETIC_LABEL["zh"]
    assert cohort.attrs["synthetic"] is True
    assert ref.is_synthetic(cohort)
    assert ref.is_synthetic(cohort.copy().iloc[:10].reset_index(drop=True).pipe(_strip_attrs))
    assert not ref.is_synthetic(cohort.assign(firm_id=[f"F{i}" for i in range(N)]).pipe(_strip_attrs))


def _strip_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.attrs = {}
    return frame


# --- the published figures and the latent model ------------------------------------------------

def test_paper_figures_are_located():
    assert ref.PAPER["alpha_AIGC"].value == 0.89
    assert ref.PAPER["h1_total"].value == 0.41 and ref.PAPER["h1_total"].ci == (0.32, 0.49)
    assert ref.PAPER["h2_indirect"].se == 0.04 and ref.PAPER["h2_indirect"].p == "0.003"
    assert ref.PAPER["sem_cfi"].value == 0.94
    assert all(f.where for f in ref.PAPER.values())
    corr = ref.paper_latent_correlations()
    assert corr.loc["DC", "HQD"] == corr.loc["HQD", "DC"] == 0.61
    assert np.allclose(np.diag(corr), 1.0)


def test_structural_constants_reproduce_latent_target():
    implied = ref.implied_latent_correlations()
    for (a, b), r in ref.LATENT_TARGET.items():
        assert abs(implied.loc[a, b] - r) < 0.002, (a, b)
    assert np.linalg.eigvalsh(implied.to_numpy()).min() > 0


def test_recovered_target_is_close_to_table_1():
    for pair, r in ref.RECOVERED_TARGET.items():
        assert abs(r - ref._T1_CORR[pair]) <= 0.04, pair


def test_calibration_notes_exist():
    assert len(ref.CALIBRATION_NOTES) >= 5
    text = " ".join(ref.CALIBRATION_NOTES)
    for word in ("0.41", "0.49", "0.32", "CR", "AVE", "seed"):
        assert word in text, word


# --- calibration on the generated 312 rows -------------------------------------------------------

@pytest.mark.parametrize("construct", [c.code for c in CONSTRUCTS])
def test_cronbach_alpha_matches_table_1(cohort, construct):
    items = cohort[list(next(c for c in CONSTRUCTS if c.code == construct).items)].to_numpy(dtype=float)
    assert abs(_alpha(items) - ref.PAPER[f"alpha_{construct}"].value) <= 0.04


def test_h3_aigc_x_io_moderates_the_a_path(cohort):
    f = _centred_scores(cohort)
    x = sm.add_constant(np.column_stack([f["A"], f["W"], f["A"] * f["W"]]))
    res = sm.OLS(f["DC"], x).fit()
    assert res.params.iloc[1] > 0 and res.pvalues.iloc[1] < 0.001  # a1
    assert res.params.iloc[3] > 0 and res.pvalues.iloc[3] < 0.05  # a3


def test_h4_dc_x_lsc_moderates_the_b_path_and_h5_adds_variance(cohort):
    f = _centred_scores(cohort)
    base = [f["A"], f["M"], f["Z"], f["M"] * f["Z"], f["W"]]
    without = sm.OLS(f["Y"], sm.add_constant(np.column_stack(base))).fit()
    full = sm.OLS(f["Y"], sm.add_constant(np.column_stack(base + [f["W"] * f["Z"]]))).fit()
    assert full.params.iloc[2] > 0 and full.pvalues.iloc[2] < 0.001  # b1
    assert full.params.iloc[4] > 0 and full.pvalues.iloc[4] < 0.05  # b3
    assert full.params.iloc[6] > 0 and full.pvalues.iloc[6] < 0.05  # b5
    assert 0.01 <= full.rsquared - without.rsquared <= 0.10  # ΔR² of the W·Z step: a few points


def test_pilot_firms_have_more_openness_and_a_stronger_a_path(cohort):
    f = _centred_scores(cohort)
    pilot = cohort["pilot_zone"].to_numpy() == 1
    assert f.loc[pilot, "W"].mean() > f.loc[~pilot, "W"].mean() + 0.2

    def a_path(mask: np.ndarray) -> float:
        g = f.loc[mask]
        return float(sm.OLS(g["DC"], sm.add_constant(g["A"] - g["A"].mean())).fit().params.iloc[1])

    assert a_path(pilot) > 1.2 * a_path(~pilot) > 0
