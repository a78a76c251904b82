"""Measurement invariance against lavaan 0.6-14 (fixtures by tests/R/lavaan_robustness.R; no R needed here).

Judged at χ² 0.5% (the engine holds 1e-6), df exact, CFI/RMSEA/SRMR .003 (held at 1e-5), verdict exact.
survey_c has DC2 and DC3 loading far lower for pilot-zone firms: metric invariance must be rejected there.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cbec_core.invariance import LEVELS, fit_indices, measurement_invariance
from cbec_core.survey import load_survey

HERE = Path(__file__).parent
SURVEYS = ("a", "b", "c", "d")
GROUPINGS = ("pilot_zone", "business_model")


@pytest.fixture(scope="module", params=[(s, g) for s in SURVEYS for g in GROUPINGS], ids=lambda p: f"{p[0]}-{p[1]}")
def pair(request):
    survey, grouping = request.param
    ref = json.loads((HERE / "fixtures" / "lavaan" / f"robustness_{survey}.json").read_text())["invariance"][grouping]
    data = load_survey(HERE / "fixtures" / "parity" / f"survey_{survey}.csv").data
    return measurement_invariance(data, grouping), ref


def test_groups_match(pair):
    ours, ref = pair
    assert ours["available"] and ref["available"]
    assert [(lv["label"], lv["n"]) for lv in ours["levels"]] == [(lv["label"], lv["n"]) for lv in ref["levels"]]


@pytest.mark.parametrize("level", LEVELS)
def test_model_fit_matches_lavaan(pair, level):
    ours, ref = pair
    o, r = ours["models"][level], ref["models"][level]
    assert o["converged"] and r["converged"]
    assert o["df"] == r["df"]
    assert o["chi2"] == pytest.approx(r["chi2"], rel=1e-6)
    for key in ("cfi", "tli", "rmsea", "srmr"):
        assert o[key] == pytest.approx(r[key], abs=1e-5), key
    assert 0.0 <= o["cfi"] <= 1.0


def test_steps_and_verdict_match_lavaan(pair):
    ours, ref = pair
    for o, r in zip(ours["steps"], ref["steps"], strict=True):
        assert (o["from"], o["to"], o["delta_df"]) == (r["from"], r["to"], r["delta_df"])
        assert o["delta_chi2"] == pytest.approx(r["delta_chi2"], rel=1e-4, abs=1e-4)
        assert o["p"] == pytest.approx(r["p"], rel=1e-3, abs=1e-6)
        assert o["delta_cfi"] == pytest.approx(r["delta_cfi"], abs=1e-5)
        assert o["delta_rmsea"] == pytest.approx(r["delta_rmsea"], abs=1e-5)
        assert o["holds"] == r["holds"]
    assert ours["verdict"] == ref["verdict"]


def test_latent_means_match_lavaan(pair):
    ours, ref = pair
    for code, r in ref["latent_means"].items():
        o = ours["latent_means"][code]
        assert o["est"] == pytest.approx(r["est"], abs=1e-4)
        assert o["se"] == pytest.approx(r["se"], rel=1e-3)
        assert o["std"] == pytest.approx(r["std"], abs=1e-4)


def test_loadings_differing_for_pilot_firms_reject_metric_invariance():
    data = load_survey(HERE / "fixtures" / "parity" / "survey_c.csv").data
    result = measurement_invariance(data, "pilot_zone")
    assert result["verdict"] == "configural"
    assert not result["steps"][0]["holds"] and result["steps"][0]["p"] < 0.001


def test_three_regions_are_not_compared():
    data = load_survey(HERE / "fixtures" / "parity" / "survey_b.csv").data
    result = measurement_invariance(data, "region")
    assert not result["available"] and "3 level" in result["reason"]
    assert result["models"] == {} and result["verdict"] is None


def test_a_group_under_30_firms_is_not_compared():
    data = load_survey(HERE / "fixtures" / "parity" / "survey_b.csv").data.copy()
    pilot = data.index[data["pilot_zone"] == 1]
    data = data.drop(pilot[29:])
    result = measurement_invariance(data, "pilot_zone")
    assert not result["available"] and "n = 29" in result["reason"] and "fewer than 30" in result["reason"]
    assert result["latent_means"] == {}


def test_missing_grouping_column_is_reported():
    data = load_survey(HERE / "fixtures" / "parity" / "survey_b.csv").data.drop(columns=["business_model"])
    result = measurement_invariance(data, "business_model")
    assert not result["available"] and "business_model" in result["reason"]


def test_a_constant_item_in_one_group_is_reported_not_fitted():
    data = load_survey(HERE / "fixtures" / "parity" / "survey_b.csv").data.copy()
    data.loc[data["pilot_zone"] == 1, "DC2"] = 3
    result = measurement_invariance(data, "pilot_zone")
    assert not result["available"] and "singular" in result["reason"]


def test_cfi_is_bounded_and_tli_is_lavaans():
    # χ² below df: CFI is 1 (not above), TLI may exceed 1 exactly as lavaan reports it
    idx = fit_indices(chi2=80.0, df=100, base_chi2=2000.0, base_df=120, n=300, groups=1)
    assert idx["cfi"] == 1.0 and idx["rmsea"] == 0.0
    assert idx["tli"] == pytest.approx(1 - (80 - 100) * 120 / ((2000 - 120) * 100))
    assert idx["tli"] > 1.0
    # two groups: RMSEA carries lavaan's √G
    two = fit_indices(chi2=400.0, df=300, base_chi2=2000.0, base_df=342, n=400, groups=2)
    assert two["rmsea"] == pytest.approx(np.sqrt((400 / 400 / 300) - 1 / 400) * np.sqrt(2))


def test_zone_figure3_and_lab_table_and_summary_carry_the_level():
    from cbec_core import report, tables, zones
    from cbec_core.invariance import comparable, invariance_level
    from cbec_core.model import fit
    survey = load_survey(HERE / "fixtures" / "parity" / "survey_c.csv")
    sub = zones.subgroups_of(survey.data, 200, 1)
    assert invariance_level(sub["invariance"]) == "configural" and not comparable("configural")
    model = fit(survey, bootstrap=200, seed=1)
    table = tables.subgroup_table(model)
    assert set(table.frame["invariance"]) == {tables.WORDS["invariance_configural"]}
    text = report.fit_summary(model)
    assert "verdict: configural invariance" in text
    assert "WARNING: the two groups may read the items differently; compare theta with caution" in text


@pytest.mark.parametrize("level", LEVELS)
def test_lavaans_simple_start_values_reach_the_same_optimum(level):
    from cbec_core import invariance as inv
    ref = json.loads((HERE / "fixtures" / "lavaan" / "robustness_b.json").read_text())["invariance"]["pilot_zone"]
    data = load_survey(HERE / "fixtures" / "parity" / "survey_b.csv").data
    groups = inv._groups(data[inv._structure()[0]], data["pilot_zone"], ["0", "1"])
    lay = inv._layout(level, 2)
    _, f, _, converged = inv._optimise(inv._simple_start(lay, groups), lay, groups)
    assert converged and f * len(data) == pytest.approx(ref["models"][level]["chi2"], rel=1e-6)


def test_a_model_that_does_not_converge_is_reported(monkeypatch):
    from cbec_core import invariance as inv
    monkeypatch.setattr(inv, "MAX_ITER", 1)
    data = load_survey(HERE / "fixtures" / "parity" / "survey_b.csv").data
    result = measurement_invariance(data, "pilot_zone")
    assert result["available"] and "did not converge" in result["reason"]
    assert not any(m["converged"] for m in result["models"].values())
    assert result["verdict"] == "none" and result["latent_means"] == {}
    assert all(m["p"] is None for m in result["models"].values())
    assert all(m["chi2"] is None and m["cfi"] is None for m in result["models"].values())
    assert all(st["delta_chi2"] is None and not st["holds"] for st in result["steps"])
    from cbec_core.report import invariance_lines
    text = "\n".join(invariance_lines(result))
    assert "did not converge" in text and "verdict: none" in text


def test_firms_without_a_group_are_left_out_and_float_flags_read_as_labels():
    data = load_survey(HERE / "fixtures" / "parity" / "survey_b.csv").data.copy()
    ref = measurement_invariance(data, "pilot_zone")
    extra = data.iloc[:3].assign(pilot_zone=np.nan)
    result = measurement_invariance(pd.concat([data, extra], ignore_index=True), "pilot_zone")
    assert [lv["label"] for lv in result["levels"]] == ["0", "1"]
    assert result["models"]["scalar"]["chi2"] == pytest.approx(ref["models"]["scalar"]["chi2"], rel=1e-9)
