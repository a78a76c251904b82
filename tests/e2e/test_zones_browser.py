"""The zone-comparison page in a real browser: `cbec serve` on a fresh data directory (seeded with the synthetic
reference cohort), the group table, the paper's Figure 3, the policy what-if, both exports under the disclosure
rules, labelled in the page's language, and one labelled box per group of 10 or more firms in every grouping."""
from __future__ import annotations

import time

import pandas as pd
import pytest
from browsing import radio, select
from playwright.sync_api import Page, expect

from app.i18n import construct_name, place_name, t
from app.charts.zones import group_name
from app.report.zone_tables import mean_column
from cbec_core import zones
from cbec_core.instrument import CONSTRUCT_CODES
from cbec_core.reference import SYNTHETIC_LABEL
from db.engine import SQLITE_FILE


@pytest.fixture(scope="module")
def store(server, data_dir):
    """The served store's active benchmark and the data set it was fitted on (the synthetic cohort)."""
    from db import active_fit_id, dataset_frame, get_fit, list_datasets
    url = f"sqlite:///{data_dir / SQLITE_FILE}"
    fitted = get_fit(active_fit_id(url=url), url=url)
    name = list_datasets(url=url)["name"].iloc[0]
    return fitted, zones.complete_rows(dataset_frame(name, url=url))[0]


def _open(browser, server: str, lang: str) -> Page:
    page = browser.new_page(viewport={"width": 1300, "height": 1100}, accept_downloads=True)
    page.goto(f"{server}/zones", wait_until="networkidle")
    if lang == "zh":
        radio(page, t("language", "en"), "简体中文")
    expect(page.get_by_role("heading", name=t("nav_zones", lang))).to_be_visible(timeout=30_000)
    return page


def _download(page: Page, label: str, path) -> str:
    """Click a download button, save the file to `path`; the file name the page offered."""
    with page.expect_download() as download:
        page.get_by_role("button", name=label).click()
    download.value.save_as(path)
    return download.value.suggested_filename


def _columns(export: pd.DataFrame, key: str, lang: str) -> pd.DataFrame:
    """The export with its headers (in the page's language) mapped back to the table's column names."""
    names = {t("zones_col_provenance", lang): "provenance", t(f"zones_by_{key}", lang): key, t("zones_col_n", lang): "n_firms",
             t("zones_col_theta", lang): "theta", t("zones_col_ci_lo", lang): "lo", t("zones_col_ci_hi", lang): "hi",
             t("zones_col_method", lang): "method", t("zones_col_note", lang): "note"}
    names |= {mean_column(c, lang): f"{c}_mean" for c in CONSTRUCT_CODES}
    assert set(export.columns) == set(names), set(export.columns) ^ set(names)
    return export.rename(columns=names)


def _assert_rule(export: pd.DataFrame, key: str, lang: str) -> None:
    """No figure of a hidden group: such a row has the reason and nothing else; the rest have ≥ 5 firms."""
    assert (export["provenance"] == SYNTHETIC_LABEL[lang]).all()
    small = export["note"].fillna("") != ""
    assert small.any() and export.loc[small, "note"].isin([t("zones_fewer", lang), t("zones_protects", lang)]).all()
    figures = [c for c in export.columns if c not in ("provenance", key, "note")]
    assert export.loc[small, figures].isna().all().all()
    assert (export.loc[~small, "n_firms"] >= 5).all()


def _shown_sizes(cohort: pd.DataFrame, by: str) -> dict:
    """The groups the disclosure pattern over all groupings shows, with their firm counts."""
    stats = zones.group_statistics(cohort, by)
    return stats[~stats["suppressed"]].set_index("group")["n_firms"].astype(int).to_dict()


def test_policy_analyst_compares_zones(server, browser, store, tmp_path):
    fitted, cohort = store
    page = _open(browser, server, "en")
    expect(page.get_by_text(t("zones_synthetic", "en")[:40])).to_be_visible()
    expect(page.locator('div[data-testid="stDataFrame"]').first).to_be_visible(timeout=30_000)
    expect(page.get_by_text(t("chart_fig3_title", "en")).first).to_be_visible(timeout=30_000)
    sub = zones.subgroup_rows(fitted.subgroups).set_index("row")
    expect(page.get_by_text(f"the difference {sub.loc['difference', 'effect']:.3f}")).to_be_visible()
    page.screenshot(path=str(tmp_path / "zones.png"), full_page=True)

    # the what-if: Hangzhou's openness raised by 0.6 (the slider moved one step up from 0.5)
    select(page, t("zones_what_if_group", "en"), "Hangzhou")
    expect(page.get_by_text(t("chart_what_if_title", "en", group="Hangzhou", delta=0.5))).to_be_visible(timeout=30_000)
    page.get_by_role("slider").first.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text(t("chart_what_if_title", "en", group="Hangzhou", delta=0.6))).to_be_visible(timeout=30_000)
    result = zones.policy_what_if(cohort[cohort["zone"] == "Hangzhou"], fitted, 0.6)
    reading = t("chart_what_if_reading", "en", group="Hangzhou", before=result["io_before"], after=result["io_after"],
                dc=result["dc_change"], dc_lo=result["dc_lo"], dc_hi=result["dc_hi"],
                hqd=result["hqd_change"], hqd_lo=result["hqd_lo"], hqd_hi=result["hqd_hi"])
    expect(page.get_by_text(reading)).to_be_visible()

    path = tmp_path / "zones.csv"
    assert _download(page, t("zones_export", "en"), path) == "zone_comparison_zone.csv"
    export = _columns(pd.read_csv(path, encoding="utf-8-sig"), "zone", "en")
    _assert_rule(export, "zone", "en")
    sizes = zones.group_labels(cohort, "zone").value_counts()
    assert set(export["zone"]) == set(sizes.index)
    shown = export.dropna(subset=["n_firms"]).set_index("zone")["n_firms"]
    assert shown.to_dict() == _shown_sizes(cohort, "zone")
    page.close()


def test_chinese_page_and_xlsx_export_by_province(server, browser, store, tmp_path):
    _, cohort = store
    page = _open(browser, server, "zh")
    radio(page, t("zones_by", "zh"), t("zones_by_province", "zh"))
    cell = page.locator('div[data-testid="stDataFrame"] [role="gridcell"]')
    expect(cell.filter(has_text=place_name("Guangdong", "zh")).first).to_be_attached(timeout=30_000)  # by province now
    expect(page.get_by_text(t("chart_fig3_title", "zh")).first).to_be_visible(timeout=30_000)
    path = tmp_path / "zones.xlsx"
    assert _download(page, t("zones_export_xlsx", "zh"), path) == "zone_comparison_province.xlsx"
    export = _columns(pd.read_excel(path), "province", "zh")
    _assert_rule(export, "province", "zh")
    shown = {place_name(name, "zh"): n for name, n in _shown_sizes(cohort, "province").items()}  # names in Chinese
    assert export.dropna(subset=["n_firms"]).set_index("province")["n_firms"].to_dict() == shown
    page.close()


BOX_CHART = """() => {
  for (const plot of document.querySelectorAll('div.js-plotly-plot')) {
    if (!(plot.data || []).some(tr => tr.type === 'box' || tr.mode === 'markers')) continue;
    if (!(plot.layout.title.text || '').includes(TITLE)) continue;
    const boxes = plot.data.filter(tr => tr.type === 'box');
    return {boxes: boxes.map(tr => ({name: tr.name, x: tr.x})),
            drawn: Array.from(plot.querySelectorAll('g.trace.boxes path.box')).map(p => Math.round(p.getBBox().x)),
            ticks: Array.from(plot.querySelectorAll('g.xtick text')).map(e => e.textContent)};
  }
  return null;
}"""


def _expected_boxes(cohort: pd.DataFrame, by: str, lang: str) -> list[str]:
    """The groups the page may draw as boxes: shown, with at least 10 firms, largest first."""
    stats = zones.group_statistics(cohort, by)
    ten = stats[~stats["suppressed"] & (stats["n_firms"] >= zones.MIN_ORDER)]
    return [group_name(g, by, lang) for g in ten["group"]]


def _box_chart(page: Page, lang: str, expected: list[str], timeout: float = 60) -> dict:
    """The box chart once it shows the expected groups (the page reruns after a click)."""
    title = t("chart_zone_box_title", lang, construct=construct_name("HQD", lang)).split("（")[0]
    script = BOX_CHART.replace("TITLE", repr(title))
    deadline = time.time() + timeout
    chart = None
    while time.time() < deadline:
        chart = page.evaluate(script)
        if chart and [b["name"] for b in chart["boxes"]] == expected and len(chart["drawn"]) == len(expected):
            return chart
        time.sleep(0.5)
    plots = page.evaluate("() => Array.from(document.querySelectorAll('div.js-plotly-plot')).map(p => [typeof p.data, "
                          "p.layout && JSON.stringify(p.layout.title), (p.data || []).map(tr => tr.type)])")
    raise AssertionError(f"the box chart never showed {expected}: {chart}; plots: {plots}")


def test_boxes_are_labelled_apart_and_the_chinese_export_is_readable(server, browser, store, tmp_path):
    _, cohort = store
    lang = "zh"
    page = _open(browser, server, lang)
    for by in zones.GROUPINGS:
        radio(page, t("zones_by", lang), t(f"zones_by_{by}", lang))
        expected = _expected_boxes(cohort, by, lang)
        assert expected, by  # the reference cohort has groups of 10+ in every grouping
        chart = _box_chart(page, lang, expected)
        assert [b["x"] for b in chart["boxes"]] == [[name] for name in expected]  # each box at its own x
        assert len(set(chart["drawn"])) == len(expected), chart  # drawn side by side, not on one spot
        assert set(expected) <= set(chart["ticks"]) and "0" not in chart["ticks"]  # labelled by group

    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=t("zones_export", lang)).click()
    path = tmp_path / "zones.csv"
    download.value.save_as(path)
    export = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in column) for column in export.columns), list(export.columns)
    by_column = t("zones_by_pilot_zone", lang)
    assert set(export[by_column]) <= {t("zones_pilot_1", lang), t("zones_pilot_0", lang)}  # words, not 1/0
    counts = export[t("zones_col_n", lang)]
    assert counts[counts != ""].str.fullmatch(r"\d+").all()  # whole numbers
    for construct in ("HQD", "AIGC"):
        means = export[t("zones_col_mean", lang, construct=construct_name(construct, lang))]
        assert means[means != ""].str.fullmatch(r"\d\.\d{1,2}|\d").all(), list(means)
    theta = export[t("zones_col_theta", lang)]
    assert theta[theta != ""].str.fullmatch(r"-?\d\.\d{1,3}|-?\d").all(), list(theta)
