"""The zone-comparison page under AppTest, on a real SQLite store in a fresh data directory.

The page is reached through a tiny wrapper (in tmp_path) that does what app/dashboard.py does before
routing — ready the store — and routes to app/app_pages/zones.py alone.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import t
from app.report.zone_tables import mean_column
from cbec_core import zones
from cbec_core.instrument import CONSTRUCT_CODES, ITEM_COLUMNS
from cbec_core.reference import SYNTHETIC_LABEL
from tests.actors import ADMIN

ZONES_PAGE = Path(__file__).resolve().parents[2] / "app" / "app_pages" / "zones.py"
WRAPPER = f"""
import streamlit as st
from app.ui.state import store_ready
store_ready()
st.navigation([st.Page({str(ZONES_PAGE)!r}, url_path="zones")]).run()
"""
DATASET = "Zone test survey"
ASSESSMENTS = ""  # the page's source value for the collected assessments (app/app_pages/zones.py)


@pytest.fixture
def wrapper(tmp_path) -> str:
    path = tmp_path / "zones_app.py"
    path.write_text(WRAPPER)
    return str(path)


def _open(wrapper: str, lang: str = "en", source: str | None = None, by: str | None = None) -> AppTest:
    at = AppTest.from_file(wrapper, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    if source is not None:
        at.selectbox(key="zones_source").set_value(source)
        at.run()
    if by is not None:
        at.radio(key="zones_by").set_value(by)
        at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def _export(at: AppTest, lang: str = "en") -> pd.DataFrame:
    """The CSV the page offers, after checking the XLSX it offers holds the same table, with its headers (in the
    page's language) mapped back to the table's column names."""
    files = at.session_state["zones_export"]
    csv = pd.read_csv(io.BytesIO(files["csv"]), encoding="utf-8-sig", keep_default_na=False, dtype=str)
    xlsx = pd.read_excel(io.BytesIO(files["xlsx"]))
    pd.testing.assert_frame_equal(xlsx, pd.read_csv(io.BytesIO(files["csv"]), encoding="utf-8-sig"), check_dtype=False)
    assert len(at.get("download_button")) == 2
    by = at.radio(key="zones_by").value
    names = {t("zones_col_provenance", lang): "provenance", t(f"zones_by_{by}", lang): by, t("zones_col_n", lang): "n_firms",
             t("zones_col_theta", lang): "theta", t("zones_col_ci_lo", lang): "lo", t("zones_col_ci_hi", lang): "hi",
             t("zones_col_method", lang): "method", t("zones_col_note", lang): "note"}
    names |= {mean_column(c, lang): f"{c}_mean" for c in CONSTRUCT_CODES}
    assert set(csv.columns) <= set(names), set(csv.columns) - set(names)
    return csv.rename(columns=names)


def _assert_small_groups_blank(export: pd.DataFrame, key: str) -> None:
    """Every group of fewer than 5 firms in an export carries the note and no figure; every other has ≥ 5 firms."""
    small = export[export["note"] != ""]
    assert small["note"].isin([t("zones_fewer", "en"), t("zones_protects", "en")]).all()
    figures = [c for c in export.columns if c not in ("provenance", key, "note")]
    assert (small[figures] == "").all().all()
    assert (export.loc[export["note"] == "", "n_firms"].astype(int) >= 5).all()


def _zoned_survey(survey: pd.DataFrame) -> pd.DataFrame:
    frame = survey.copy()
    labels = ["Chengdu"] * 40 + ["Xiamen"] * 6 + ["Lanzhou"] * 3
    frame["zone"] = labels + [None] * (len(frame) - len(labels))
    frame["province"] = None
    return frame


def _rows_by_group(table: pd.DataFrame, lang: str = "en") -> dict[str, dict]:
    return {r[t("zones_col_group", lang)]: r for r in table.to_dict("records")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_default_source_is_the_synthetic_cohort_and_is_labelled(wrapper, lang):
    at = _open(wrapper, lang)
    assert at.title[0].value == t("nav_zones", lang)
    warnings = " ".join(w.value for w in at.warning)
    assert t("zones_synthetic", lang) in warnings and t("synthetic_banner", lang) in warnings
    charts = at.get("plotly_chart")
    assert len(charts) == 4  # box, θ by group, Figure 3, what-if
    # Figure 3 says at which level the items measure alike in both groups (a warning below metric)
    notes = [m.value for m in (*at.info, *at.warning)]
    assert [lv for lv in ("scalar", "metric", "configural", "none", "untested") if t(f"inv_note_{lv}", lang) in notes]
    for chart in charts:  # a saved image still says it is synthetic
        assert SYNTHETIC_LABEL[lang] in json.loads(chart.proto.spec)["layout"]["title"]["text"]
    export = _export(at, lang)
    assert (export["provenance"] == SYNTHETIC_LABEL[lang]).all()
    if lang == "en":
        _assert_small_groups_blank(export, "zone")
    assert (export["note"] == t("zones_fewer", lang)).any()  # the cohort has small zones: the rule is exercised


@pytest.mark.parametrize("by", ["province", "region", "pilot_zone"])
def test_every_grouping_of_the_cohort_keeps_the_rule(wrapper, by):
    at = _open(wrapper, "en", by=by)
    export = _export(at)
    _assert_small_groups_blank(export, by)
    for name, row in _rows_by_group(_table(at)).items():
        n = row[t("zones_col_n", "en")]
        assert n == "fewer than 5 firms" or int(n) >= 5, name


def test_small_zones_read_fewer_than_five_on_the_page_and_in_the_export(wrapper, survey):
    from db import ensure_ready, import_frame
    ensure_ready()
    import_frame(_zoned_survey(survey), DATASET, "uploaded", actor=ADMIN)
    at = _open(wrapper, "en", source=DATASET, by="zone")
    rows = _rows_by_group(_table(at))
    assert set(rows) == {"Chengdu", "Xiamen", "Lanzhou"}
    gamma = rows["Lanzhou"]
    assert gamma[t("zones_col_n", "en")] == "fewer than 5 firms"
    assert all(v == "" for k, v in gamma.items() if k not in (t("zones_col_group", "en"), t("zones_col_n", "en")))
    assert rows["Chengdu"][t("zones_col_method", "en")] == t("zones_method_refit", "en")
    assert rows["Xiamen"][t("zones_col_method", "en")] == t("zones_method_benchmark", "en")
    assert rows["Xiamen"][t("zones_col_n", "en")] == "6"
    # the charts and the what-if offer only the groups that are shown
    assert "Lanzhou" not in at.selectbox(key="zones_what_if_group").options
    charts = at.get("plotly_chart")
    assert any('"box"' in c.proto.spec for c in charts) and len(charts) == 4  # box, θ by group, Figure 3, what-if
    assert not any("Lanzhou" in c.proto.spec for c in charts)
    box = next(c for c in charts if '"box"' in c.proto.spec)
    assert SYNTHETIC_LABEL["en"] not in box.proto.spec  # uploaded firms are not labelled synthetic
    assert "Lanzhou" not in " ".join(c.value for c in at.caption)
    # the export: Lanzhou's row carries the note and nothing else; no provenance column for real data
    export = _export(at).set_index("zone")
    assert "provenance" not in export.columns
    assert export.loc["Lanzhou", "note"] == "fewer than 5 firms"
    figures = [c for c in export.columns if c != "note"]
    assert all(export.loc["Lanzhou", c] == "" for c in figures)
    _assert_small_groups_blank(export.reset_index(), "zone")
    assert int(export.loc["Xiamen", "n_firms"]) == 6 and export.loc["Xiamen", "method"] == t("zones_method_benchmark", "en")


def test_what_if_reading_is_the_core_computation(wrapper, survey):
    from app.ui.state import benchmark
    from db import ensure_ready, import_frame
    ensure_ready()
    frame = _zoned_survey(survey)
    import_frame(frame, DATASET, "uploaded", actor=ADMIN)
    at = _open(wrapper, "en", source=DATASET, by="zone")
    at.selectbox(key="zones_what_if_group").set_value("Chengdu")
    at.slider(key="zones_delta").set_value(0.3)
    at.run()
    assert not at.exception, at.exception
    _, fitted = benchmark()
    result = zones.policy_what_if(frame[frame["zone"] == "Chengdu"], fitted, 0.3)
    captions = " ".join(c.value for c in at.caption)
    assert f"{result['hqd_change']:+.3f}" in captions and f"{result['dc_change']:+.3f}" in captions
    # with its uncertainty
    assert f"{result['hqd_lo']:+.3f} to {result['hqd_hi']:+.3f}" in captions
    assert f"{result['dc_lo']:+.3f} to {result['dc_hi']:+.3f}" in captions


def _assess(zone: str, consent: bool, fit_id: int, fitted, seed: int) -> str:
    import numpy as np

    from cbec_core.scoring import score_firm
    from db import save_assessment
    rng = np.random.default_rng(seed)
    answers = {**{c: int(rng.integers(2, 6)) for c in ITEM_COLUMNS}, "firm_size": 50, "firm_age": 4,
               "region": "east", "business_model": "B2B", "pilot_zone": 1, "zone": zone, "province": "Zhejiang"}
    return save_assessment(answers, score_firm(answers, fitted), fit_id, consent=consent)


def test_collected_assessments_apply_consent_and_the_five_firm_rule(wrapper):
    from db import ensure_ready, get_fit
    fit_id = ensure_ready()
    fitted = get_fit(fit_id)
    keys = [_assess("Hangzhou", True, fit_id, fitted, i) for i in range(6)]
    keys += [_assess("Yiwu", True, fit_id, fitted, 100 + i) for i in range(2)]
    for i in range(7):
        _assess("Ningbo", False, fit_id, fitted, 200 + i)  # no consent: never counted
    at = _open(wrapper, "en", source=ASSESSMENTS, by="zone")
    assert not any(t("zones_synthetic", "en") in w.value for w in at.warning)
    assert any(c.value == t("zones_step_note", "en") for c in at.caption)
    rows = _rows_by_group(_table(at))
    assert set(rows) == {"Hangzhou", "Yiwu"}
    assert rows["Hangzhou"][t("zones_col_n", "en")] == "5"  # 6 firms entered: shown as it stood at the 5th
    assert rows["Yiwu"][t("zones_col_n", "en")] == "fewer than 5 firms"
    export = _export(at).set_index("zone")
    assert set(export.index) == {"Hangzhou", "Yiwu"}
    assert export.loc["Yiwu", "note"] == "fewer than 5 firms" and export.loc["Yiwu", "HQD_mean"] == ""
    # no single firm: no firm key, no item answer anywhere on the page or in the files
    assert not set(ITEM_COLUMNS) & set(export.columns) and "firm_key" not in export.columns
    files = at.session_state["zones_export"]
    shown = " ".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "title", "header")
                     for e in at.get(kind)) + _table(at).to_csv()
    assert not any(key in shown or key.encode() in files["csv"] for key in keys)
    # by province all 8 consenting firms form one group, published as it stood at its 5th firm
    at.radio(key="zones_by").set_value("province")
    at.run()
    assert _rows_by_group(_table(at))["Zhejiang"][t("zones_col_n", "en")] == "5"
    # the subgroup analysis needs 30 firms per group: it says so, without naming a group's size
    assert any(t("zones_subgroup_too_few", "en", k=30) == i.value for i in at.info)
    assert not any("2 firms" in i.value or "8 firms" in i.value for i in at.info)


def test_only_small_groups_show_nothing_but_the_note(wrapper):
    from db import ensure_ready, get_fit
    fit_id = ensure_ready()
    fitted = get_fit(fit_id)
    for i in range(3):
        _assess("Hangzhou", True, fit_id, fitted, i)
    at = _open(wrapper, "zh", source=ASSESSMENTS, by="zone")
    rows = _rows_by_group(_table(at), "zh")
    assert rows["杭州"][t("zones_col_n", "zh")] == t("zones_fewer", "zh")
    assert len(at.get("plotly_chart")) == 0
    assert any(t("zones_what_if_none", "zh") in i.value for i in at.info)
    export = _export(at, "zh")  # every header is the Chinese one
    assert list(export["note"]) == [t("zones_fewer", "zh")] and list(export["n_firms"]) == [""]


def test_no_collected_assessments_yet(wrapper):
    """Nothing collected: nothing to export, and the file of the source shown before (the cohort) is gone."""
    at = _open(wrapper, "en")
    assert "zones_export" in at.session_state
    at.selectbox(key="zones_source").set_value(ASSESSMENTS)
    at.radio(key="zones_by").set_value("region")
    at.run()
    assert not at.exception, at.exception
    assert not at.dataframe and len(at.get("plotly_chart")) == 0 and not at.get("download_button")
    infos = " ".join(i.value for i in at.info)
    assert t("zones_empty", "en") in infos and t("zones_what_if_none", "en") in infos
    assert "zones_export" not in at.session_state


@pytest.mark.parametrize("by", ["region", "province", "zone"])
def test_assessment_groups_are_published_in_steps_of_five(wrapper, by):
    """On collected assessments a group's figures are those of the firms that had entered it at its last step of 5."""
    from db import ensure_ready, get_fit, pool_history
    fit_id = ensure_ready()
    fitted = get_fit(fit_id)
    for i in range(7):
        _assess("Hangzhou", True, fit_id, fitted, 300 + i)
    for i in range(3):
        _assess("Yiwu", True, fit_id, fitted, 400 + i)
    at = _open(wrapper, "en", source=ASSESSMENTS, by=by)
    history = pool_history()
    export = _export(at).set_index(by)
    expected = {"zone": {"Hangzhou": history.iloc[:5], "Yiwu": None},
                "province": {"Zhejiang": history.iloc[:10]}, "region": {"East": history.iloc[:10]}}[by]
    assert set(export.index) == set(expected)
    for group, firms in expected.items():
        if firms is None:
            assert export.loc[group, "note"] == t("zones_fewer", "en") and export.loc[group, "n_firms"] == ""
        else:
            assert int(export.loc[group, "n_firms"]) == len(firms)
            for c in CONSTRUCT_CODES:
                assert float(export.loc[group, f"{c}_mean"]) == pytest.approx(firms[c].mean(), abs=0.005)


def test_rows_with_missing_answers_are_left_out_and_said(wrapper, survey):
    from db import ensure_ready, import_frame
    ensure_ready()
    frame = _zoned_survey(survey).astype({"AIGC1": object})
    frame.loc[[0, 1], "AIGC1"] = None  # two Chengdu firms without an answer: excluded as in fitting
    import_frame(frame, DATASET, "uploaded", actor=ADMIN)
    at = _open(wrapper, "en", source=DATASET, by="zone")
    assert any(c.value == t("zones_excluded", "en", n=2) for c in at.caption)
    assert _rows_by_group(_table(at))["Chengdu"][t("zones_col_n", "en")] == "38"
