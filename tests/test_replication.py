"""The replication report: the pipeline on the synthetic cohort beside the paper, and the paper's inconsistencies."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cbec_core.reference import CALIBRATION_NOTES, PAPER
from cbec_core.replication import calibration_notes, implied_by_table1, max_cr_given_ave, replicate

NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e-\d+)?|\.\d+")  # 0.41, 78%, 1e-15, .035, the 1 of "Table 1" / "表 1"
HAN = re.compile(r"[\u4e00-\u9fff]")
FIELDS = ("title", "figures", "explanation", "cohort_keeps")


@pytest.fixture(scope="module")
def rep():
    return replicate(bootstrap=500)


def test_every_published_figure_has_a_recovered_one(rep):
    keys = set(rep.table["key"])
    for must in ("alpha_AIGC", "cr_HQD", "ave_DC", "corr_AIGC_HQD", "h1_total", "h2_indirect", "h3_aigc_x_io",
                 "h4_dc_x_lsc", "h5_delta_r2", "sem_cfi", "sem_rmsea", "regression_r2", "share_pilot"):
        assert must in keys
    assert rep.model.synthetic and "Synthetic" in rep.label


def test_cohort_recovers_table1_through_the_whole_pipeline(rep):
    t = rep.table.set_index("key")
    for c in ("AIGC", "DC", "IO", "LSC", "HQD"):
        assert abs(t.loc[f"alpha_{c}", "difference"]) < 0.03
    corr = t[t.index.str.startswith("corr_")]
    assert corr["difference"].abs().max() < 0.06
    assert 0.92 <= t.loc["sem_cfi", "recovered"] <= 0.96 and t.loc["sem_rmsea", "recovered"] <= 0.08
    assert 2.0 <= t.loc["sem_chi2_df", "recovered"] <= 2.7
    assert t.loc["h3_aigc_x_io", "recovered"] > 0.1 and t.loc["h4_dc_x_lsc", "recovered"] > 0.1
    assert t.loc["share_pilot", "recovered"] == pytest.approx(0.60, abs=0.01)


def test_table1_implies_partial_mediation():
    """Solve the standardised regressions from Table 1's correlations independently."""
    r = {("AIGC", "DC"): .52, ("AIGC", "IO"): .37, ("AIGC", "LSC"): .28, ("AIGC", "HQD"): .49, ("DC", "IO"): .43,
         ("DC", "LSC"): .31, ("DC", "HQD"): .61, ("IO", "LSC"): .45, ("IO", "HQD"): .38, ("LSC", "HQD"): .33}
    c = lambda a, b: 1.0 if a == b else r.get((a, b), r.get((b, a)))  # noqa: E731
    a = np.linalg.solve([[1, c("AIGC", "IO")], [c("AIGC", "IO"), 1]], [c("AIGC", "DC"), c("IO", "DC")])[0]
    xs = ["DC", "AIGC", "LSC"]
    b, direct, _ = np.linalg.solve([[c(i, j) for j in xs] for i in xs], [c(i, "HQD") for i in xs])
    t1 = implied_by_table1()
    assert t1["indirect"] == pytest.approx(a * b, abs=1e-12) and t1["direct"] == pytest.approx(direct, abs=1e-12)
    assert round(t1["indirect"], 2) == 0.19 and round(t1["total"], 2) == 0.41 and round(t1["r2_main"], 2) == 0.43


def test_cr_ceiling():
    assert max_cr_given_ave(0.64, 4) == pytest.approx(10.24 / 11.68, abs=1e-12)
    assert all(PAPER[f"cr_{c}"].value > max_cr_given_ave(PAPER[f"ave_{c}"].value, k)
               for c, k in (("AIGC", 4), ("DC", 3), ("IO", 3), ("LSC", 3), ("HQD", 6)))


def test_inconsistencies_are_named(rep):
    titles = [i.text("title") for i in rep.inconsistencies]
    assert titles[:3] == ["H1's total effect and Table 1's correlation",
                          "H2's indirect effect and 'full mediation' against Table 1",
                          "Composite reliability too high for the reported AVE"]
    assert {"H2: p-value does not match β and SE", "H3: p-value does not match β and SE",
            "H4: p-value does not match β and SE", "Share of firms in pilot zones"} <= set(titles)


def _same_figures(en: str, zh: str) -> None:
    """The Chinese text is a translation of the English one: Chinese characters, and exactly the same numbers."""
    assert en and zh and en != zh
    assert HAN.search(zh), zh
    assert Counter(NUMBER.findall(en)) == Counter(NUMBER.findall(zh)), (en, zh)


def test_inconsistencies_in_both_languages_with_the_same_figures(rep):
    assert len(rep.inconsistencies) == 9
    for inc in rep.inconsistencies:
        for field in FIELDS:
            en, zh = getattr(inc, field)
            assert (inc.text(field), inc.text(field, "en"), inc.text(field, "zh")) == (en, en, zh)
            assert not HAN.search(en), en
            _same_figures(en, zh)
    first, second = rep.inconsistencies[:2]
    assert first.text("title", "zh") == "H1 的总效应与表 1 的相关系数"
    assert "完全中介" in second.text("title", "zh") and "部分中介" in second.text("explanation", "zh")
    t = rep.table.set_index("key")
    h1_path = f"{t.loc['h1_total', 'recovered']:.2f}"  # the computed figure, not only the paper's
    assert h1_path in first.text("cohort_keeps", "en") and h1_path in first.text("cohort_keeps", "zh")
    assert f"{t.loc['h2_indirect', 'recovered']:.2f}" in second.text("cohort_keeps", "zh")


def test_table_in_both_languages_with_the_same_figures(rep):
    """The table's body (figure, where in the paper, note) reads in 简体中文 with the numbers of the English one."""
    en, zh = rep.table_in("en"), rep.table_in("zh")
    assert en is rep.table and list(zh.columns) == list(en.columns)
    numbers = ["key", "paper", "recovered", "difference"]
    pd.testing.assert_frame_equal(zh[numbers], en[numbers])
    for column in ("figure", "where", "note"):
        for text_en, text_zh in zip(en[column], zh[column]):
            if text_en:
                _same_figures(text_en, text_zh)
            else:
                assert text_zh == ""
    assert {code: PAPER[code].text("label", "zh") for code in ("h1_total", "alpha_HQD")} == {
        "h1_total": "H1：AIGC → 高质量发展（标准化总效应）", "alpha_HQD": "高质量发展的克隆巴赫 α 系数"}
    assert zh.set_index("key").loc["alpha_DC", "where"] == "表 1（信度与效度检验）"


def test_calibration_notes_in_both_languages_with_the_same_figures():
    en, zh = calibration_notes(), calibration_notes("zh")
    assert en == calibration_notes("en") == CALIBRATION_NOTES and len(zh) == len(en) >= 5
    for note_en, note_zh in zip(en, zh):
        _same_figures(note_en, note_zh)
    assert "综试区" in zh[7] and "完全中介" in zh[3] and "CR" in zh[4] and "AVE" in zh[4]


def _cbec(*args):
    return subprocess.run([sys.executable, "-m", "app.cli", *map(str, args)], capture_output=True, text=True)


def test_cli_replicate_and_reference(tmp_path):
    r = _cbec("replicate", "--bootstrap", "200", "--csv", tmp_path / "rep.csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("REPLICATION REPORT — Synthetic reference cohort")
    assert len(pd.read_csv(tmp_path / "rep.csv")) > 40
    out = tmp_path / "cohort.csv"
    r = _cbec("reference", out)
    assert r.returncode == 0 and "Synthetic" in r.stderr
    cohort = pd.read_csv(out)
    assert len(cohort) == 312 and set(cohort["provenance"]) == {"synthetic-reference"}


def test_pls_row_holds_the_real_pls_share_mediated(rep):
    """The row labelled PLS is the PLS-SEM fit (seminr's figure for this cohort), not the covariance-based one."""
    seminr = json.loads((Path(__file__).parent / "fixtures/pls/reference_cohort.json").read_text())
    row = rep.table.set_index("key").loc["pls_share_mediated"]
    assert row["recovered"] == pytest.approx(seminr["share_mediated"], abs=1e-9)
    assert abs(row["recovered"] - rep.model.structural.share_mediated) > 0.05
    assert "PLS-SEM" in row["note"] and "bootstrap CI" in row["note"]
