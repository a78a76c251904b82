"""The store's commands as a user runs them: `cbec db upgrade`, `import`, `export`, `fit --dataset --activate`."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
from store_helpers import row_counts

import db


def cbec(*args: str):
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, args)], capture_output=True, text=True, check=False)


def test_import_export_and_fit_a_stored_data_set(store, survey, tmp_path):
    r = cbec("db", "upgrade")
    assert r.returncode == 0 and "schema revision 0004" in r.stderr
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    r = cbec("import", path, "--name", "field survey")
    assert r.returncode == 0, r.stderr
    assert "stored 312 rows of survey.csv as data set 'field survey' (uploaded)" in r.stderr
    assert db.active_fit() is not None  # the first run seeded the reference benchmark

    r = cbec("export", "dataset", "field survey", tmp_path / "out.xlsx")
    assert r.returncode == 0, r.stderr
    assert len(pd.read_excel(tmp_path / "out.xlsx")) == 312

    before = db.active_fit()[0]
    r = cbec("fit", "--dataset", "field survey", "--activate", "--bootstrap", "200", "-q")
    assert r.returncode == 0, r.stderr
    new = db.active_fit()[0]
    assert new != before and f"fit {new} is now the active benchmark" in r.stderr
    assert db.get_fit(new).label == "field survey" and not db.get_fit(new).synthetic

    r = cbec("export", "assessments", tmp_path / "a.csv")
    assert r.returncode == 0 and "wrote 0 assessment(s)" in r.stderr


def test_a_refused_import_exits_2_and_writes_the_report(store, survey, tmp_path):
    db.ensure_ready()
    bad = survey.astype(object)
    bad.loc[0, "AIGC1"] = "often"
    bad.loc[5, "region"] = "north"
    bad.to_csv(tmp_path / "bad.csv", index=False)
    before = row_counts()
    r = cbec("import", tmp_path / "bad.csv", "--name", "bad", "--report", tmp_path / "report.csv")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "row 2, column AIGC1: 'often' is not a number" in r.stderr
    assert len(pd.read_csv(tmp_path / "report.csv", encoding="utf-8-sig")) == 2
    assert row_counts() == before


def test_fit_needs_exactly_one_source(tmp_path, survey_csv):
    messages = {
        ("fit",): "error: give either a survey file or --dataset NAME (exactly one of them)",
        ("fit", survey_csv, "--dataset", "x"): "error: give either a survey file or --dataset NAME (exactly one of them)",
        ("fit", survey_csv, "--activate"): "error: --activate needs --dataset NAME: only a fit of a stored data set can become the benchmark",
    }
    for args, message in messages.items():
        r = cbec(*args)
        assert r.returncode == 2 and r.stderr.strip() == message
