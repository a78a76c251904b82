"""The model lab's tables: the engine's own figures, thresholds marked right, APA printing, and the same tables as `cbec fit --json`."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cbec_core import tables
from cbec_core.instrument import CONSTRUCT_CODES, ITEM_COLUMNS
from cbec_core.invariance import GroupFit, _step
from cbec_core.model import FittedModel, fit
from cbec_core.moderation import theta
from cbec_core.report import fit_summary, invariance_lines, robustness_lines
from tests.actors import ADMIN


def test_measurement_tables_are_the_fits_figures(fitted):
    load = tables.loadings_table(fitted).frame
    assert list(load["item"]) == list(ITEM_COLUMNS)
    assert np.allclose(load["loading"], [fitted.measurement.loadings[i] for i in ITEM_COLUMNS], rtol=0, atol=0)
    assert (load["pass"] == (load["loading"] >= 0.70)).all()
    rel = tables.reliability_table(fitted).frame.set_index("construct")
    for code in CONSTRUCT_CODES:
        assert rel.loc[code, "alpha"] == fitted.measurement.alpha[code]
        assert rel.loc[code, "cr"] == fitted.measurement.cr[code]
        assert rel.loc[code, "ave"] == fitted.measurement.ave[code]
        assert rel.loc[code, "ave_pass"] == (fitted.measurement.ave[code] >= 0.50)
    fl = tables.fornell_larcker_table(fitted).frame.set_index("construct")
    assert fl.loc["DC", "DC"] == pytest.approx(np.sqrt(fitted.measurement.ave["DC"]))
    assert fl.loc["HQD", "AIGC"] == fitted.measurement.latent_corr.loc["HQD", "AIGC"]
    assert np.isnan(fl.loc["AIGC", "HQD"])  # upper triangle left blank
    htmt = tables.htmt_table(fitted).frame
    assert len(htmt) == 10
    assert htmt.set_index(["construct_1", "construct_2"]).loc[("HQD", "DC"), "htmt"] == fitted.measurement.htmt.loc["HQD", "DC"]


def test_structural_and_regression_tables_are_the_fits_figures(fitted):
    paths = tables.sem_paths_table(fitted).frame.set_index("path")
    a = fitted.structural.paths["DC~AIGC"]
    assert paths.loc["DC ← AIGC", "beta"] == a["std"] and paths.loc["DC ← AIGC", "b"] == a["est"]
    assert paths.loc["DC ← AIGC", "ci_lo"] == pytest.approx(a["std"] - 1.959964 * a["std_se"], abs=1e-6)
    assert paths.loc["AIGC → DC → HQD", "ci_lo"] == fitted.structural.indirect.std_mc_lo
    med = tables.regression_table(fitted, "mediator").frame.set_index("term")
    assert med.loc["AIGC × IO", "b"] == fitted.mediator["A:W"]
    assert med.loc["AIGC", "se"] == pytest.approx(np.sqrt(fitted.mediator.cov[1, 1]))
    steps = tables.hierarchical_table(fitted).frame
    assert len(steps) == 7
    outcome = steps[steps["model"].str.startswith("outcome")]
    assert outcome["r2"].iloc[-1] == pytest.approx(fitted.outcome.r2)
    assert outcome["delta_r2"].sum() == pytest.approx(fitted.outcome.r2)


def test_moderated_mediation_tables_recompute_from_the_coefficients(fitted):
    a1, a3, b1, b3 = fitted.mediator["A"], fitted.mediator["A:W"], fitted.outcome["M"], fitted.outcome["M:Z"]
    grid = tables.conditional_indirect_table(fitted, "sd").frame
    assert len(grid) == 9
    assert np.allclose(grid["theta"], theta(a1, a3, b1, b3, grid["w"], grid["z"]))
    assert np.allclose(grid["io"] - grid["w"], fitted.means["W"])
    assert (grid["significant"] == ((grid["boot_lo"] > 0) | (grid["boot_hi"] < 0))).all()
    pct = tables.conditional_indirect_table(fitted, "percentile").frame
    assert list(pct["io_level"].unique()) == ["16th", "50th", "84th"]
    idx = tables.indices_table(fitted).frame
    assert idx["effect"].iloc[0] == pytest.approx(a3 * b3)
    slopes = tables.simple_slopes_table(fitted).frame
    assert slopes["slope"].iloc[1] == pytest.approx(a1) and slopes["slope"].iloc[4] == pytest.approx(b1)
    draws = tables.indirect_draws(fitted)
    assert len(draws) == fitted.settings["bootstrap"]
    assert np.allclose(draws, fitted.draws[:, 0] * fitted.draws[:, 2])
    sub = tables.subgroup_table(fitted).frame
    assert sub["theta00"].iloc[0] == pytest.approx(sub["a1"].iloc[0] * sub["b1"].iloc[0])
    assert sub["theta00"].iloc[2] == pytest.approx(sub["theta00"].iloc[0] - sub["theta00"].iloc[1])


@pytest.mark.parametrize(("name", "value", "ok"), [
    ("cfi", 0.90, False), ("cfi", 0.901, True), ("tli", 0.95, True), ("rmsea", 0.08, False), ("rmsea", 0.079, True),
    ("srmr", 0.081, False), ("chi2_df", 2.99, True), ("chi2_df", 3.0, False)])
def test_fit_thresholds(name, value, ok):
    fit = {"chi2": 100.0, "df": 50, "p": 0.01, "chi2_df": 2.0, "cfi": 0.95, "tli": 0.95, "rmsea": 0.05, "srmr": 0.05}
    frame = tables.fit_table({**fit, name: value}, "cfa_fit").frame.set_index("index")
    label = dict(tables.FIT_INDICES)[name]
    assert frame.loc[label, "pass"] == ok
    assert pd.isna(frame.loc["χ²", "pass"])  # χ² itself has no threshold


def test_thresholds_read_the_apa_way():
    assert tables.threshold_text(">=", 0.70) == "≥ .70"
    assert tables.threshold_text("<", 0.85) == "< .85"
    assert tables.threshold_text("<", 3.0) == "< 3"


def test_significance_regions():
    outside = {"boundaries": [-4.0, -1.0], "in_range": [False, True], "significant_between": False, "range": [-2.0, 1.5]}
    assert tables.significance_regions(outside) == [(-1.0, 1.5)]
    between = {"boundaries": [-1.0, 0.5], "in_range": [True, True], "significant_between": True, "range": [-2.0, 1.5]}
    assert tables.significance_regions(between) == [(-1.0, 0.5)]
    both_sides = {"boundaries": [-1.0, 0.5], "in_range": [True, True], "significant_between": False, "range": [-2.0, 1.5]}
    assert tables.significance_regions(both_sides) == [(-2.0, -1.0), (0.5, 1.5)]


def test_publication_style():
    assert tables.p_text(0.0004) == "< .001" and tables.p_text(0.0312) == ".031"
    assert tables.stars(0.0004) == "***" and tables.stars(0.004) == "**" and tables.stars(0.04) == "*" and tables.stars(0.2) == ""
    table = tables.LabTable("demo", pd.DataFrame({"term": ["AIGC", "IO"], "b": [0.4241, -1.5], "beta": [0.468, -0.021],
                                                   "p": [0.0001, 0.2], "pass": [True, False]}),
                            {"term": "text", "b": "b", "beta": "r", "p": "p", "pass": "bool"}, stars={"b": "p"})
    printed = tables.publication_frame(table, {"beta": "β"})
    assert printed.to_dict("list") == {"term": ["AIGC", "IO"], "b": ["0.424***", "−1.500"], "β": [".468", "−.021"],
                                       "p": ["< .001", ".200"], "pass": ["✓", "✗"]}
    page = tables.publication_html(table, "Demo <table>", "A note.", number=3)
    assert "Table 3" in page and "Demo &lt;table&gt;" in page and "<em>Note.</em> A note. * p &lt; .05." in page


def test_every_p_of_every_table_is_printed_one_way_and_no_cell_prints_none(fitted):
    """The lab shows every table as its publication table: one rule for p ('< .001', else three decimals), '—' for an
    empty figure, never "None" or "nan"."""
    import re
    rule = re.compile(r"^(< \.001|\.\d{3}|1\.000|—)$")
    checked = 0
    for table in [*tables.all_tables(fitted).values(), tables.excluded_table(fitted)]:
        printed = tables.publication_frame(table)
        for column, kind in table.formats.items():
            if kind == "p" or (kind == "fit" and column == "value"):
                cells = printed[column] if kind == "p" else printed.loc[table.frame["index"] == "p", column]
                assert all(rule.match(c) for c in cells), (table.key, column, list(cells))
                checked += len(cells)
        words = printed.to_numpy().ravel().tolist()
        assert not {"None", "nan", "<NA>", "NaN"} & set(words), table.key
    assert checked > 40


def test_fit_table_prints_each_index_its_own_way(fitted):
    printed = tables.publication_frame(tables.fit_table(fitted.measurement.fit.as_dict(), "cfa_fit")).set_index("index")
    assert printed.loc["df", "value"] == str(fitted.measurement.fit.df)
    assert printed.loc["CFI", "value"].startswith(".")
    assert printed.loc["p", "value"] == tables.p_text(fitted.measurement.fit.p)
    assert printed.loc["χ²", "value"] == f"{fitted.measurement.fit.chi2:.2f}"


def cli_model(csv, tmp_path, *args: str) -> FittedModel:
    """The model `cbec fit FILE --json` writes, run as a user runs it."""
    out = tmp_path / "model.json"
    r = subprocess.run([sys.executable, "-m", "app.cli", "fit", str(csv), "--quiet", "--json", str(out), *args],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return FittedModel.from_json(out.read_text(encoding="utf-8"))


def assert_same_tables(ours: FittedModel, theirs: FittedModel) -> None:
    a, b = tables.all_tables(ours), tables.all_tables(theirs)
    assert list(a) == list(b)
    for key in a:
        pd.testing.assert_frame_equal(a[key].frame, b[key].frame, check_exact=False, rtol=1e-9, atol=1e-12, obj=key)


def test_the_labs_fit_gives_the_tables_of_cbec_fit_json(survey_csv, tmp_path, monkeypatch):
    """db.lab.fit_dataset (what the page calls) on an uploaded file equals `cbec fit FILE --json` on that file."""
    import db
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    db.ensure_ready(url)
    check = db.check_upload(survey_csv.name, survey_csv.read_bytes())
    assert check.ok
    db.import_frame(check.table, "held-out", url=url, actor=ADMIN)
    _, ours = db.fit_dataset("held-out", bootstrap=400, seed=11, controls=True, url=url, actor=ADMIN)
    assert_same_tables(ours, cli_model(survey_csv, tmp_path, "--bootstrap", "400", "--seed", "11", "--controls"))


def test_the_words_in_the_cells_are_the_callers_and_the_numbers_do_not_change(fitted):
    """A caller's vocabulary (the dashboard passes 简体中文) replaces every word in the cells; no figure moves."""
    words = {key: "x" + text for key, text in tables.WORDS.items()}  # same placeholders, visibly other words
    plain, worded = tables.all_tables(fitted), tables.all_tables(fitted, words)
    assert list(plain) == list(worded)
    for key, table in plain.items():
        other = worded[key]
        assert list(other.frame.columns) == list(table.frame.columns) and other.formats == table.formats, key
        numbers = [c for c, k in table.formats.items() if k != "text"]
        pd.testing.assert_frame_equal(other.frame[numbers], table.frame[numbers], check_exact=True, obj=key)
    sem = worded["sem_paths"].frame
    assert list(sem["model"]) == [words["total_effect"]] + [words["mediation"]] * (len(sem) - 1)
    assert list(sem["ci"]) == [words["wald"]] * (len(sem) - 1) + [words["monte_carlo"]]
    steps = worded["hierarchical"].frame
    assert steps.loc[steps["step"] == 1, "added"].tolist() == [words["intercept_only"]] * 2  # the fixture has no controls
    assert set(steps["model"]) == {words["mediator_model"], words["outcome_model"]}
    assert worded["mediator_regression"].frame["term"].iloc[0] == words["intercept"]
    assert list(worded["simple_slopes"].frame["level"][:3]) == [words["level_sd_low"], words["level_mean"], words["level_sd_high"]]
    assert set(worded["conditional_indirect_percentile"].frame["io_level"]) == {words[f"level_p{q}"] for q in (16, 50, 84)}
    assert worded["indices"].frame["at_level"].iloc[1] == f"LSC {words['level_sd_low']}"
    assert list(worded["subgroups"].frame["group"]) == [words["pilot"], words["non_pilot"], words["difference"]]
    jn = worded["johnson_neyman"].frame["significant_for"]
    assert all(v == words["nowhere"] or v.startswith(("xIO", "xLSC")) for v in jn)
    page = tables.publication_html(worded["indices"], "T", "N.", number=4, words=words)
    assert "xTable 4" in page and "<em>xNote.</em>" in page


def test_control_terms_are_named_in_the_callers_words(survey):
    from cbec_core.model import fit
    model = fit(survey, bootstrap=0, seed=1, controls=True)
    words = {key: "x" + text for key, text in tables.WORDS.items()}
    terms = tables.regression_table(model, "outcome", words).frame["term"]
    assert {words[f"term_{c}"] for c in model.settings["control_terms"]} <= set(terms)
    assert tables.hierarchical_table(model, words).frame["added"].iloc[0] == words["controls"]


def test_robustness_tables_put_pls_beside_cb_sem(fitted):
    paths = tables.pls_paths_table(fitted).frame.set_index("path")
    pls, cb = fitted.pls.paths["HQD~DC"], fitted.structural.paths["HQD~DC"]
    row = paths.loc["HQD ← DC"]
    assert (row["pls_beta"], row["boot_lo"], row["boot_hi"], row["cb_beta"]) == (pls["est"], pls["lo"], pls["hi"], cb["std"])
    assert row["f2"] == fitted.pls.f2["HQD~DC"]
    for _, r in paths.iterrows():
        assert r["significant"] == (r["boot_lo"] > 0 or r["boot_hi"] < 0)
        assert r["agree"] == (np.sign(r["cb_beta"]) == np.sign(r["pls_beta"]) and (r["cb_p"] < 0.05) == r["significant"])
    med = tables.pls_mediation_table(fitted).frame.set_index("effect")
    assert med.loc["share mediated", "pls"] == fitted.pls.share_mediated
    assert med.loc["share mediated", "cb_sem"] == fitted.structural.share_mediated
    assert med.loc["indirect (a × b)", "pls"] == pytest.approx(fitted.pls.paths["DC~AIGC"]["est"] * pls["est"])
    rel = tables.pls_reliability_table(fitted).frame.set_index("construct")
    assert rel.loc["DC", "rhoc"] == fitted.pls.rhoc["DC"] and rel.loc["DC", "cb_cr"] == fitted.measurement.cr["DC"]
    assert rel.loc["HQD", "r2"] == fitted.pls.r2["HQD"] and np.isnan(rel.loc["AIGC", "r2"])
    assert tables.pls_loadings_table(fitted).frame.set_index("item").loc["IO2", "pls_loading"] == fitted.pls.loadings["IO2"]


@pytest.mark.parametrize(("f2", "size"), [(0.01, "negligible"), (0.02, "small"), (0.2, "medium"), (0.5, "large")])
def test_f2_sizes(f2, size):
    assert tables.f2_size(f2) == size


@pytest.mark.parametrize(("share", "significant", "reading"), [
    (0.9, True, "full mediation"), (0.5, True, "partial mediation"), (0.1, True, "no mediation"), (0.9, False, "no mediation")])
def test_mediation_type_follows_vaf(share, significant, reading):
    assert tables.mediation_type(share, significant) == reading


@pytest.fixture(scope="module")
def mlr_survey_c():
    """A real MLR fit of survey_c, whose DC items load differently for pilot firms (lavaan rejects metric invariance)."""
    from pathlib import Path
    from cbec_core.survey import load_survey
    return fit(load_survey(Path(__file__).parent / "fixtures" / "parity" / "survey_c.csv"), bootstrap=50, seed=1, estimator="MLR")


def test_invariance_table_reads_the_engines_block(mlr_survey_c):
    """Each row is the engine's model and step (cbec_core.invariance), which test failed included; the text points to it."""
    inv = mlr_survey_c.invariance
    frame = tables.invariance_table(mlr_survey_c).frame
    for row, level in zip(frame.itertuples(), ("configural", "metric", "scalar")):
        m = inv["models"][level]
        assert (row.chi2, row.df, row.cfi, row.rmsea, row.srmr, row.converged) == (
            m["chi2"], m["df"], m["cfi"], m["rmsea"], m["srmr"], m["converged"])
    metric = inv["steps"][0]
    assert metric["to"] == "metric" and metric["lrt_fail"] and not metric["holds"] and inv["verdict"] == "configural"
    assert (frame.loc[1, "delta_chi2"], frame.loc[1, "delta_p"], frame.loc[1, "lrt_fail"], frame.loc[1, "chen_fail"]) == (
        metric["delta_chi2"], metric["p"], True, metric["chen_fail"])
    assert pd.isna(frame.loc[0, "holds"]) and frame.loc[1, "holds"] == False  # noqa: E712 (a pandas boolean)
    text = "\n".join(robustness_lines(mlr_survey_c))
    assert "Measurement invariance across pilot_zone: configural invariance (see 'Measurement invariance across pilot_zone' above)" in text
    summary = fit_summary(mlr_survey_c)
    assert summary.count("rule: a step fails if") == 1  # the table is printed once, above the structural model
    means = tables.latent_means_table(mlr_survey_c).frame.set_index("construct")
    assert means.loc["DC", "mean_diff"] == inv["latent_means"]["DC"]["est"] and means.loc["DC", "std_diff"] == inv["latent_means"]["DC"]["std"]


def test_a_model_that_did_not_converge_prints_no_figures(mlr_survey_c):
    """The engine's block for a scalar model that did not converge: nulls become dashes in every format, nothing raises."""
    model = FittedModel.from_json(mlr_survey_c.to_json())
    metric = model.invariance["models"]["metric"]
    freer = GroupFit("metric", metric["chi2"], metric["df"], metric["cfi"], metric["tli"], metric["rmsea"], metric["srmr"],
                     True, np.empty(0), np.empty((0, 0)))
    stuck = GroupFit("scalar", np.nan, model.invariance["models"]["scalar"]["df"], np.nan, np.nan, np.nan, np.nan, False,
                     np.empty(0), np.empty((0, 0)))
    model.invariance["models"]["scalar"] = stuck.as_dict()
    model.invariance["steps"][1] = _step(freer, stuck)
    model.invariance["latent_means"] = {}
    table = tables.invariance_table(model)
    assert table.frame.loc[2, "converged"] == False and np.isnan(table.frame.loc[2, "chi2"])  # noqa: E712
    assert pd.isna(table.frame.loc[2, "lrt_fail"]) and table.frame.loc[2, "holds"] == False  # noqa: E712
    assert "—" in tables.publication_html(table, "t", "n") and tables.latent_means_table(model) is None
    scalar_line = next(line for line in invariance_lines(model.invariance) if line.strip().startswith("scalar"))
    assert "(did not converge)" in scalar_line and "nan" not in scalar_line


def test_estimator_table_puts_ml_beside_mlr(fitted, mlr_survey_c):
    """Only an MLR fit has the table: its χ² and indices under ML beside the scaled and robust ones."""
    assert tables.estimator_table(fitted) is None
    assert "Estimator: ML (the paper's)" in "\n".join(robustness_lines(fitted))
    f = mlr_survey_c.structural.fit
    est = tables.estimator_table(mlr_survey_c).frame.set_index("index")
    assert (est.loc["χ²", "ml"], est.loc["χ²", "mlr"]) == (f.chi2, f.chi2_scaled)
    assert (est.loc["CFI", "mlr"], est.loc["RMSEA", "mlr"]) == (f.cfi_robust, f.rmsea_robust)
    assert est.loc["CFI", "mlr_pass"] == (f.cfi_robust > 0.90)
    assert "ML beside MLR (structural model)" in "\n".join(robustness_lines(mlr_survey_c))
