"""FittedModel: lossless JSON, the fixed --json keys, fingerprints and listwise exclusion."""
from __future__ import annotations

import json

import numpy as np
import pytest

from cbec_core.model import FittedModel, fingerprint, fit

FIT_KEYS = {"chi2", "df", "cfi", "tli", "rmsea", "srmr"}
CODES = {"AIGC", "DC", "IO", "LSC", "HQD"}


def test_json_round_trip_is_lossless(fitted):
    text = fitted.to_json()
    again = FittedModel.from_json(text)
    assert again.to_json() == text
    np.testing.assert_array_equal(again.draws, fitted.draws)
    np.testing.assert_array_equal(again.outcome.cov, fitted.outcome.cov)
    assert again.pls == fitted.pls and again.pls.paths["DC~AIGC"]["lo"] is not None


def test_fixed_json_keys(fitted):
    d = json.loads(fitted.to_json())
    assert d["n_used"] == 312 and d["n_excluded"] == 0
    assert FIT_KEYS <= set(d["measurement"]["fit"]) and FIT_KEYS <= set(d["structural"]["fit"])
    for key in ("alpha", "cr", "ave"):
        assert set(d["measurement"][key]) == CODES
    for path in ("DC~AIGC", "DC~IO", "HQD~DC", "HQD~AIGC", "HQD~LSC"):
        assert {"std", "se", "p"} <= set(d["structural"]["paths"][path])
    mm = d["moderated_mediation"]
    assert {"A", "W", "A:W"} <= set(mm["mediator"]) and {"A", "M", "Z", "M:Z", "W", "W:Z"} <= set(mm["outcome"])
    assert all(isinstance(v, float) for v in mm["mediator"].values())
    grid = mm["conditional_indirect"]
    assert len(grid) == 9 and set(grid[0]) == {"w", "z", "effect", "lo", "hi"}
    assert d["timings"]["bootstrap_s"] > 0
    pls = d["pls"]
    for path in ("DC~AIGC", "DC~IO", "HQD~DC", "HQD~AIGC", "HQD~LSC"):
        assert {"est", "lo", "hi"} <= set(pls["paths"][path])
    assert set(pls["loadings"]) == set(pls["weights"]) and {"AIGC1", "HQD6"} <= set(pls["loadings"])
    assert set(pls["r2"]) == {"DC", "HQD"} and set(pls["f2"]) == set(pls["paths"])
    assert set(pls["rhoc"]) == set(pls["ave"]) == set(pls["htmt"]) == CODES
    assert {"est", "lo", "hi"} <= set(pls["indirect"]) and {"est", "lo", "hi"} <= set(pls["total"])
    assert pls["share_mediated"] == pytest.approx(pls["indirect"]["est"] / pls["total"]["est"])


def test_seed_makes_runs_repeatable(survey):
    a = fit(survey, bootstrap=300, seed=5)
    b = fit(survey, bootstrap=300, seed=5)
    assert a.moderated_mediation["conditional_indirect"] == b.moderated_mediation["conditional_indirect"]
    c = fit(survey, bootstrap=300, seed=6)
    assert a.moderated_mediation["conditional_indirect"] != c.moderated_mediation["conditional_indirect"]


def test_fingerprint_depends_on_data_only(survey):
    assert fingerprint(survey) == fingerprint(survey.copy())
    changed = survey.copy()
    changed.loc[0, "AIGC1"] = 6 - changed.loc[0, "AIGC1"] if changed.loc[0, "AIGC1"] != 3 else 4
    assert fingerprint(changed) != fingerprint(survey)


def test_excluded_rows_are_reported_and_not_used(survey):
    bad = survey.astype(object).copy()
    bad.loc[0, "AIGC1"] = 9
    bad.loc[1, "HQD2"] = None
    model = fit(bad, bootstrap=0)
    assert (model.n_used, model.n_excluded) == (310, 2)
    assert [e["row"] for e in model.excluded] == [2, 3]
    clean = fit(survey.iloc[2:].reset_index(drop=True), bootstrap=0)
    assert model.mediator.coef.tolist() == clean.mediator.coef.tolist()


def test_controls_enter_both_models(survey):
    model = fit(survey, bootstrap=200, controls=True)
    assert model.mediator.terms[-6:] == ("firm_size", "firm_age", "region_central", "region_west", "business_model_B2C", "pilot_zone")
    steps = model.moderated_mediation["steps"]["outcome"]
    assert steps[0]["label"] == "controls" and steps[0]["df1"] == 6
    assert model.subgroups["available"] and "pilot_zone" not in model.subgroups.get("controls", [])


def test_subgroups_difference_is_the_difference(fitted):
    sg = fitted.subgroups
    assert sg["pilot"]["n"] + sg["non_pilot"]["n"] == 312
    assert abs(sg["difference"]["effect"] - (sg["pilot"]["theta00"] - sg["non_pilot"]["theta00"])) < 1e-12
    assert sg["difference"]["lo"] < sg["difference"]["effect"] < sg["difference"]["hi"]


def test_distributions_count_every_firm(fitted):
    d = fitted.distributions
    assert d["all"]["n"] == 312
    assert sum(d["all"]["scores"]["AIGC"]["counts"]) == 312
    regions = [k for k in d if k.startswith("region=")]
    assert sum(d[k]["n"] for k in regions) == 312


def test_fit_records_when_it_was_fitted(fitted):
    from datetime import datetime
    assert datetime.strptime(fitted.settings["fitted_at"], "%Y-%m-%d %H:%M UTC")
