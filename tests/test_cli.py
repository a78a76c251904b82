"""The `cbec` CLI as a user runs it: real files in, one clear message and exit 2 on bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cbec_core.instrument import ITEM_COLUMNS


def cbec(*args: str):
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def model_json(tmp_path_factory, survey_csv):
    path = tmp_path_factory.mktemp("m") / "model.json"
    r = cbec("fit", survey_csv, "--bootstrap", "500", "--json", path)
    assert r.returncode == 0, r.stderr
    return path


def test_fit_prints_summary_and_writes_json(model_json, survey_csv):
    d = json.loads(model_json.read_text())
    assert d["n_used"] == 312 and d["settings"]["bootstrap"] == 500
    r = cbec("fit", survey_csv, "--bootstrap", "200")
    assert r.returncode == 0
    assert "Measurement model (CFA, ML)" in r.stdout and "index of moderated moderated mediation" in r.stdout
    assert "PLS-SEM (Mode A, path weighting" in r.stdout and "-> partial mediation" in r.stdout
    pls = d["pls"]
    assert {"est", "lo", "hi"} <= set(pls["paths"]["DC~AIGC"]) and set(pls["r2"]) == {"DC", "HQD"}
    assert f"{pls['paths']['DC~AIGC']['est']:.3f}" in r.stdout.split("Robustness")[1]


def test_score_prints_lever(model_json, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({k: 3 for k in ITEM_COLUMNS}))
    r = cbec("score", model_json, answers, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["scores"]["AIGC"] == 3.0


def _one_line_error(r) -> str:
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    return r.stderr.strip()


def test_missing_column(tmp_path, survey):
    path = tmp_path / "s.csv"
    survey.drop(columns=["DC3"]).to_csv(path, index=False)
    assert _one_line_error(cbec("fit", path)) == "error: column DC3: column is missing; add it to the header (names are case-sensitive)"


def test_text_in_number_column(tmp_path, survey):
    path = tmp_path / "s.csv"
    bad = survey.astype(object)
    bad.loc[6, "firm_age"] = "ten"
    bad.to_csv(path, index=False)
    assert _one_line_error(cbec("fit", path)) == "error: row 8, column firm_age: 'ten' is not a number; enter the firm's age in years"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert _one_line_error(cbec("fit", path)) == "error: file empty.csv is empty; export the survey with a header row and one row per firm"


def test_out_of_range_item_in_fit_is_excluded_and_reported(tmp_path, survey):
    path = tmp_path / "s.csv"
    bad = survey.copy()
    bad.loc[4, "AIGC3"] = 7
    bad.to_csv(path, index=False)
    r = cbec("fit", path, "--bootstrap", "0", "--quiet")
    assert r.returncode == 0
    assert "row 6, column AIGC3: 7 is outside the 1–5 scale; row excluded from fitting" in r.stderr


def test_out_of_range_answer_in_score(model_json, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({**{k: 3 for k in ITEM_COLUMNS}, "IO2": 7}))
    assert _one_line_error(cbec("score", model_json, answers)) == "error: column IO2: 7 is not valid; answer with a whole number from 1 to 5"


def test_broken_json_and_wrong_model(model_json, tmp_path):
    broken = tmp_path / "b.json"
    broken.write_text("{ not json")
    assert _one_line_error(cbec("score", model_json, broken)).startswith("error: b.json is not valid JSON (line 1, column 3")
    assert _one_line_error(cbec("score", broken, broken)).startswith("error: b.json is not valid JSON")
    notmodel = tmp_path / "n.json"
    notmodel.write_text("{}")
    assert _one_line_error(cbec("score", notmodel, broken)) == "error: n.json is not a fitted model; create one with `cbec fit DATA.csv --json n.json`"


def test_missing_file():
    assert _one_line_error(cbec("fit", "nope.csv")) == "error: file nope.csv does not exist; check the path"


def test_fit_with_mlr_and_another_grouping(tmp_path):
    from pathlib import Path
    survey = Path(__file__).parent / "fixtures" / "parity" / "survey_d.csv"
    out = tmp_path / "mlr.json"
    r = cbec("fit", survey, "--bootstrap", "100", "--estimator", "MLR", "--invariance-group", "region", "--json", out)
    assert r.returncode == 0, r.stderr
    d = json.loads(out.read_text())
    assert d["estimator"] == "MLR" and d["structural"]["fit"]["chi2_scaled"] > 0
    assert d["invariance"]["group"] == "region" and not d["invariance"]["available"]
    assert "MLR: scaled chi2" in r.stdout and "Measurement invariance across region" in r.stdout
    assert "not tested: region has 3 level(s)" in r.stdout
    bad = cbec("fit", survey, "--estimator", "WLS")
    assert bad.returncode == 2 and "WLS" in bad.stderr
