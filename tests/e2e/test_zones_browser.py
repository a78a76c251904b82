"""The zone-comparison page in a real browser: `cbec serve` on a fresh data directory (seeded with the synthetic
reference cohort), the group table, the paper's Figure 3, the policy what-if, and both exports under the 5-firm rule."""
from __future__ import annotations

import pandas as pd
import pytest
from browsing import radio, select
from playwright.sync_api import Page, expect

from app.i18n import t
from cbec_core import zones
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


def _assert_rule(export: pd.DataFrame, key: str, lang: str) -> None:
    """No figure of a group under 5 firms: such a row has the note and nothing else; the rest have ≥ 5 firms."""
    assert (export["provenance"] == SYNTHETIC_LABEL[lang]).all()
    small = export["note"].fillna("") != ""
    assert small.any() and (export.loc[small, "note"] == "fewer than 5 firms").all()
    figures = [c for c in export.columns if c not in ("provenance", key, "suppressed", "note")]
    assert export.loc[small, figures].isna().all().all()
    assert (export.loc[~small, "n_firms"] >= 5).all()


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
    export = pd.read_csv(path, encoding="utf-8-sig")
    _assert_rule(export, "zone", "en")
    sizes = zones.group_labels(cohort, "zone").value_counts()
    assert set(export["zone"]) == set(sizes.index)
    shown = export.dropna(subset=["n_firms"]).set_index("zone")["n_firms"]
    assert shown.to_dict() == sizes[sizes >= 5].to_dict()
    page.close()


def test_chinese_page_and_xlsx_export_by_province(server, browser, store, tmp_path):
    _, cohort = store
    page = _open(browser, server, "zh")
    radio(page, t("zones_by", "zh"), t("zones_by_province", "zh"))
    cell = page.locator('div[data-testid="stDataFrame"] [role="gridcell"]')
    expect(cell.filter(has_text="Guangdong").first).to_be_attached(timeout=30_000)  # the table is by province now
    expect(page.get_by_text(t("chart_fig3_title", "zh")).first).to_be_visible(timeout=30_000)
    path = tmp_path / "zones.xlsx"
    assert _download(page, t("zones_export_xlsx", "zh"), path) == "zone_comparison_province.xlsx"
    export = pd.read_excel(path)
    _assert_rule(export, "province", "zh")
    sizes = zones.group_labels(cohort, "province").value_counts()
    assert export.dropna(subset=["n_firms"]).set_index("province")["n_firms"].to_dict() == sizes[sizes >= 5].to_dict()
    page.close()
