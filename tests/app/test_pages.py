"""Every dashboard page under Streamlit's AppTest, on a real SQLite store in a fresh data directory."""
from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.i18n import construct_name, t
from app.report.content import peer_line, segment_label
from cbec_core.disclosure import MIN_FIRMS
from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.scoring import score_firm

DASHBOARD = str(Path(__file__).resolve().parents[2] / "app" / "dashboard.py")
FIRM = {**{c: 4 for c in ITEM_COLUMNS}, "AIGC1": 5, "IO2": 2, "LSC3": 3}
CONTROLS = {"firm_size": 120, "firm_age": 6, "region": "east", "business_model": "B2C", "pilot_zone": 1}


def _open(lang: str = "en", page: str | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def _fill(at: AppTest, items: dict, controls: dict) -> AppTest:
    for column, value in items.items():
        at.radio(key=f"q_{column}").set_value(value)
    for key in ("firm_size", "firm_age"):
        if key in controls:
            at.number_input(key=f"c_{key}").set_value(controls[key])
    if "region" in controls:
        at.selectbox(key="c_region").set_value(controls["region"])
    for key in ("business_model", "pilot_zone"):
        if key in controls:
            at.radio(key=f"c_{key}").set_value(controls[key])
    at.button[0].click()  # the form's submit button comes first on the page
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_assess_page_renders_with_synthetic_label(lang):
    at = _open(lang)
    assert at.title[0].value == t("nav_assess", lang)
    assert any(t("synthetic_banner", lang) in w.value for w in at.warning)
    assert len([r for r in at.radio if r.key and r.key.startswith("q_")]) == 19


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_known_firm_gets_its_results(lang):
    at = _fill(_open(lang), FIRM, CONTROLS)
    assert not at.exception, at.exception
    from app.ui.state import benchmark  # the same cached benchmark the page used
    _, fitted = benchmark()
    expected = score_firm({**FIRM, **CONTROLS}, fitted)
    captions = " ".join(c.value for c in at.caption)
    assert f"{expected.theta:.3f}" in captions
    assert at.header[0].value == t("results", lang)
    assert len(at.get("plotly_chart")) == 5


def test_quick_mode_scores_the_five_constructs():
    at = _open("zh")
    at.radio(key="mode").set_value("quick")
    at.run()
    for code, value in {"AIGC": 3.5, "DC": 3.0, "IO": 4.0, "LSC": 2.5, "HQD": 3.25}.items():
        at.number_input(key=f"s_{code}").set_value(value)
    at = _fill(at, {}, CONTROLS)
    assert not at.exception, at.exception
    assert at.header[0].value == t("results", "zh")
    assert at.session_state["assessment"]["AIGC"] == 3.5 and "AIGC1" not in at.session_state["assessment"]


def test_skipped_items_are_flagged_next_to_the_field():
    items = {c: 3 for c in ITEM_COLUMNS if c not in ("DC2", "HQD5")}
    at = _fill(_open("en"), items, {k: v for k, v in CONTROLS.items() if k != "region"})
    errors = [e.value for e in at.error]
    assert t("fix_errors", "en") in errors
    assert errors.count(t("missing_item", "en")) == 2 and errors.count(t("missing_control", "en")) == 1
    assert "assessment" not in at.session_state


def test_save_then_history(monkeypatch):
    at = _fill(_open("en"), FIRM, CONTROLS)
    at.checkbox(key="save_consent").check()
    at.button(key="FormSubmitter:save-Save this assessment").click()
    at.run()
    key = at.session_state["saved_key"]
    assert key and any(key in s.value for s in at.success)
    hist = _open("en", "app_pages/history.py")
    hist.text_input(key="history_key").set_value(key)
    hist.button[0].click()
    hist.run()
    assert not hist.error and len(hist.dataframe[0].value) == 1 and not hist.info  # one fit: no mixed-fit note


def test_refused_save_says_why_once_and_stores_nothing():
    at = _fill(_open("en"), FIRM, CONTROLS)
    at.text_input(key="save_key").set_value("ZZZZ-ZZZZ")  # well formed, but no assessment has it
    at.button(key="FormSubmitter:save-Save this assessment").click()
    at.run()
    assert "saved_key" not in at.session_state
    assert [e.value for e in at.error if "firm key" in e.value] and not at.success
    at.run()  # the message belongs to that press, not to every later rerun
    assert not [e.value for e in at.error if "firm key" in e.value]


def test_unknown_and_malformed_keys():
    hist = _open("en", "app_pages/history.py")
    hist.text_input(key="history_key").set_value("ZZZZ-ZZZZ")
    hist.button[0].click()
    hist.run()
    assert hist.error[0].value.startswith("No assessment has the key") or "not a firm key" in hist.error[0].value
    hist.text_input(key="history_key").set_value("hello!")
    hist.button[0].click()
    hist.run()
    assert "not a firm key" in hist.error[0].value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_about_page(lang):
    at = _open(lang, "app_pages/about.py")
    assert at.title[0].value == t("nav_about", lang)


def _latin_words(texts) -> list[str]:
    """Runs of two or more Latin letters in the given texts (what a Chinese page should not show)."""
    import re
    return [w for text in texts for w in re.findall(r"[A-Za-z]{2,}", text)]


def test_quick_mode_out_of_range_and_blank_scores_are_said_in_chinese():
    at = _open("zh")
    at.radio(key="mode").set_value("quick")
    at.run()
    for code, value in {"AIGC": 9.0, "DC": 0.5, "IO": 4.0, "LSC": 2.5}.items():  # HQD left blank
        at.number_input(key=f"s_{code}").set_value(value)
    at = _fill(at, {}, {**CONTROLS, "firm_size": 0, "firm_age": -2})
    errors = [e.value for e in at.error]
    assert errors.count("请输入 1 到 5 之间的分数") == 2 and errors.count(t("missing_control", "zh")) == 1
    assert t("firm_size_range", "zh") in errors and t("firm_age_range", "zh") in errors
    assert "assessment" not in at.session_state and _latin_words(errors) == []


def test_a_wrong_firm_key_is_refused_in_chinese():
    at = _fill(_open("zh"), FIRM, CONTROLS)
    at.checkbox(key="save_consent").check()
    for typed in ("1234", "2345-6789"):  # too short; well formed but unknown
        at.text_input(key="save_key").set_value(typed)
        at.button(key=f"FormSubmitter:save-{t('save_button', 'zh')}").click()
        at.run()
        assert at.error and "saved_key" not in at.session_state
        assert _latin_words(e.value for e in at.error) == [], [e.value for e in at.error]
    assert at.error[0].value == t("store_unknown_firm_key", "zh", key="23456789")


def test_province_names_and_mismatch_are_chinese():
    at = _open("zh")
    assert "浙江" in at.selectbox(key="c_province").options
    at.selectbox(key="c_province").set_value("Zhejiang")
    at = _fill(at, FIRM, {**CONTROLS, "region": "west"})
    assert t("province_region_mismatch", "zh", province="浙江", region="东部") in [e.value for e in at.error]


def _saved_key(lang: str) -> str:
    """Fill the questionnaire, save with consent, and return the firm key the page showed."""
    at = _fill(_open(lang), FIRM, CONTROLS)
    at.checkbox(key="save_consent").check()
    at.button(key=f"FormSubmitter:save-{t('save_button', lang)}").click()
    at.run()
    return at.session_state["saved_key"]


def _history(lang: str, key: str) -> AppTest:
    hist = _open(lang, "app_pages/history.py")
    hist.text_input(key="history_key").set_value(key)
    hist.button[0].click()
    return hist.run()


def test_history_table_speaks_the_visitors_language():
    hist = _history("zh", _saved_key("zh"))
    table = hist.dataframe[0].value
    assert _latin_words(table.columns) == ["AIGC"], list(table.columns)  # "AIGC 采纳": the allowed term only
    assert "年" in table.iloc[0, 0] and "+00:00" not in table.iloc[0, 0]
    assert table.iloc[0, 1] == t("history_mode_full", "zh")
    assert table.iloc[0, 2] in {"AIGC 采纳", "动态能力", "制度开放", "学习型供应链"} | {"—"}
    numbers = table.iloc[0, 3:-1].astype(float)
    assert (numbers == numbers.round(2)).all() and len(numbers) == 6  # five scores and the HQD gap, 2 decimals
    assert hist.caption[0].value == t("history_one", "zh")


@pytest.mark.parametrize("n", [1, 2, 9])
def test_history_chart_labels_assessments_by_their_local_date(n):
    """One point per assessment under its own date tick (never a millisecond axis); at most three dates on the axis."""
    import pandas as pd

    from app.charts.history import history_chart
    history = pd.DataFrame({c: [3 + i / 3 for i in range(n)] for c in ("AIGC", "DC", "IO", "LSC", "HQD")})
    when = [f"Dec {i + 1}, 2026 09:0{i}" for i in range(n)]
    figure, reading = history_chart(history, when, "en")
    axis = figure.layout.xaxis
    assert [list(trace.x) for trace in figure.data] == [list(range(n))] * 5
    assert [round(v, 2) for v in figure.data[0].y] == [round(3 + i / 3, 2) for i in range(n)]
    assert list(axis.tickvals) == {1: [0], 2: [0, 1], 9: [0, 4, 8]}[n]
    assert list(axis.ticktext) == [when[i].replace(" 09", "<br>09") for i in axis.tickvals]
    assert axis.range[0] < 0 and n - 1 < axis.range[1]  # room beside the first and last points
    change = (n - 1) / 3  # every construct moved alike: the first named is the biggest change
    assert reading == (t("history_one", "en") if n == 1 else
                       t("history_reading", "en", hqd_change=change, construct=construct_name("AIGC", "en"), change=change))


def test_history_offers_the_earlier_report_and_deletes_by_key_after_confirmation():
    key = _saved_key("en")
    hist = _history("en", key)
    assert hist.selectbox(key="history_pick").options and [b.label for b in hist.get("download_button")] == [
        t("download_html", "en"), t("download_pdf", "en")]
    delete = f"FormSubmitter:delete-{t('history_delete_button', 'en')}"
    hist.text_input(key="delete_key").set_value("ZZZZZZZZ")
    hist.checkbox(key="delete_sure").check()
    hist.button(key=delete).click()
    hist.run()
    assert [e.value for e in hist.error] == [t("history_delete_mismatch", "en", typed="ZZZZZZZZ", key=key)]
    hist.text_input(key="delete_key").set_value(key.lower())
    hist.checkbox(key="delete_sure").uncheck()
    hist.button(key=delete).click()
    hist.run()
    assert [e.value for e in hist.error] == [t("history_delete_tick", "en")]
    hist.checkbox(key="delete_sure").check()
    hist.button(key=delete).click()
    hist.run()
    assert not hist.exception and [s.value for s in hist.success] == [t("history_deleted", "en", n=1, key=key)]
    assert not hist.dataframe  # the history is gone from the page
    again = _history("en", key)
    assert [e.value for e in again.error] == [t("unknown_key", "en", key=key)]


@pytest.mark.parametrize(("asked", "locale", "expected"), [
    ("zh", "en-US", "zh"), ("en", "zh-CN", "en"), (None, "zh-CN", "zh"), (None, "zh-TW", "zh"), (None, "en-GB", "en"),
    (None, None, "en"), ("fr", "zh-Hans", "zh"),
])
def test_a_new_session_opens_in_the_asked_then_the_browsers_language(asked, locale, expected):
    from app.ui.state import browser_lang
    assert browser_lang(asked, locale) == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_results_name_the_peer_group_and_fold_the_form(lang):
    at = _fill(_open(lang), FIRM, CONTROLS)
    from app.ui.state import benchmark
    _, fitted = benchmark()
    texts = [m.value for m in at.markdown]
    everyone = t("peer_group", lang, n=fitted.distributions["all"]["n"], segment=segment_label("all", lang))
    assert everyone in texts
    assert [e.label for e in at.expander] == [t("edit_answers", lang)]  # the answered form, folded above the results
    assert at.session_state["q_AIGC1"] == 5  # and its answers kept for editing
    at.selectbox(key="peer_dimension").set_value("region")
    at.run()
    n = fitted.distributions["region=east"]["n"]
    assert n >= MIN_FIRMS and t("peer_group", lang, n=n, segment=segment_label("region=east", lang)) in [m.value for m in at.markdown]


def test_the_peer_line_never_shows_a_count_under_5():
    from app.ui.state import benchmark
    _, fitted = benchmark()
    small = copy.copy(fitted)
    small.distributions = {**fitted.distributions, "region=west": {**fitted.distributions["region=west"], "n": MIN_FIRMS - 1}}
    score = dataclasses.replace(score_firm({**FIRM, **CONTROLS}, fitted), segment="region=west")
    line = peer_line(score, small, "en")
    assert line == t("peer_group_no_count", "en", segment=segment_label("region=west", "en"))
    assert not re.search(r"\d", line)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_what_if_shows_no_change_before_a_move_and_holds_the_scale(lang):
    at = _fill(_open(lang), FIRM, CONTROLS)
    hqd = [m for m in at.metric if m.label == construct_name("HQD", lang)][0]
    assert not hqd.delta and t("whatif_capped", lang) not in [w.value for w in at.warning]
    for code in ("AIGC", "IO", "LSC", "DC"):
        at.slider(key=f"whatif_{code}").set_value(5.0)
    at.run()
    hqd = [m for m in at.metric if m.label == construct_name("HQD", lang)][0]
    assert t("whatif_capped", lang) in [w.value for w in at.warning]
    assert hqd.value == "5.00" and hqd.delta.startswith("+")
