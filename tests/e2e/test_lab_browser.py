"""The model lab in a real browser, as a new researcher meets it: a broken file refused whole, a held-out survey
uploaded through the file chooser, stored, fitted (5,000 resamples, timed), every tab read, tables downloaded,
the fit activated, and a firm then scored on the self-assessment page against the new benchmark."""
from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
from browsing import fill_questionnaire, sign_in
from playwright.sync_api import Page, expect

from app.i18n import t
from cbec_core.reference import reference_cohort

NAME = "held-out survey 2026"
TABS = ("measurement", "sem", "moderation", "mediation", "subgroups", "robustness", "excluded")


def upload(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("stFileUploaderDropzone").locator("button").last.click()  # "Upload", or "Add files" to replace a file
    chooser.value.set_files(str(path))


def test_researcher_uploads_fits_reads_activates_and_scores(server, browser, data_dir, accounts, tmp_path):
    import db
    url = f"sqlite:///{data_dir}/cbec.sqlite"
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    sign_in(page, server, *accounts["researcher"])
    page.goto(f"{server}/lab", wait_until="networkidle")
    expect(page.get_by_role("heading", name=t("nav_lab", "en"))).to_be_visible(timeout=30_000)

    held_out = reference_cohort(seed=2026).drop(columns=["firm_id"])  # a cohort the store has never seen, not labelled as the reference
    broken = held_out.head(50).astype({"DC1": object, "region": object})
    broken.loc[[2, 30], "DC1"] = "sometimes"
    broken.loc[40, "region"] = "north"
    broken.to_csv(tmp_path / "broken.csv", index=False)
    upload(page, tmp_path / "broken.csv")
    expect(page.get_by_text(t("lab_refused", "en", file="broken.csv", n=3))).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name=t("lab_report_download", "en")).click()
    report = pd.read_csv(download.value.path(), encoding="utf-8-sig")
    assert list(zip(report["row"], report["column"])) == [(4, "DC1"), (32, "DC1"), (42, "region")]
    assert list(db.list_datasets(url=url)["name"]) == [db.REFERENCE_NAME]

    held_out.to_csv(tmp_path / "held-out.csv", index=False)
    upload(page, tmp_path / "held-out.csv")
    expect(page.get_by_text(t("lab_valid", "en", file="held-out.csv", rows=312, used=312, excluded=0))).to_be_visible(timeout=30_000)
    page.get_by_label(t("lab_dataset_name", "en")).fill(NAME)
    page.get_by_role("button", name=t("lab_store", "en")).click()
    expect(page.get_by_text(t("lab_stored", "en", rows=312, name=NAME))).to_be_visible(timeout=30_000)

    expect(page.get_by_text(t("lab_versions_link", "en"))).to_be_visible(timeout=30_000)  # the page's last element
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)  # and no script still running
    expect(page.locator(".js-plotly-plot")).to_have_count(9, timeout=30_000)  # every chart drawn: the browser is idle again
    page.wait_for_timeout(500)  # as a person reads the page before clicking: the timing below is of the fit alone

    start = time.perf_counter()
    page.get_by_role("button", name=t("lab_fit", "en"), exact=True).click()
    expect(page.get_by_test_id("stProgress")).to_be_visible(timeout=30_000)
    running = time.perf_counter() - start
    expect(page.get_by_text("Fitted and stored as fit #")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("312 firms used, 0 excluded listwise; 5000 bootstrap resamples")).to_be_visible(timeout=60_000)
    seconds = time.perf_counter() - start
    server_side = page.get_by_text("Fitted and stored as fit #").inner_text()
    print(f"\nbrowser: Fit clicked -> fit of 312 firms x 5,000 resamples stored and shown: {seconds:.2f} s "
          f"(progress bar shown after {running:.2f} s; page says: {server_side})")
    fit_id = int(db.list_fits(url=url)["id"].max())
    assert db.get_fit(fit_id, url=url).label == NAME

    for key in TABS:
        page.get_by_role("tab", name=t(f"lab_tab_{key}", "en")).click()
        panel = page.get_by_role("tabpanel").filter(visible=True)
        if key == "excluded":
            expect(panel.get_by_text(t("lab_no_excluded", "en"))).to_be_visible()
            continue
        first_table = {"measurement": "loadings", "sem": "sem_paths", "moderation": "hierarchical",
                       "mediation": "conditional_indirect_sd", "subgroups": "subgroups", "robustness": "pls_paths"}[key]
        expect(panel.get_by_text(t(f"lab_table_{first_table}", "en"), exact=True)).to_be_visible(timeout=30_000)
        if key in ("sem", "moderation", "mediation", "subgroups", "robustness"):
            expect(panel.locator('div[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=30_000)
        with page.expect_download() as download:
            panel.get_by_role("button", name=t("lab_csv", "en"), exact=True).first.click()
        frame = pd.read_csv(download.value.path(), encoding="utf-8-sig")
        assert len(frame) > 0
        if key == "measurement":
            assert list(frame["item"])[:2] == ["AIGC1", "AIGC2"]
            with page.expect_download() as download:
                panel.get_by_role("button", name=t("lab_publication", "en")).first.click()
            html = Path(download.value.path()).read_text(encoding="utf-8")
            assert "<em>Note.</em>" in html and "Table 1" in html

    page.get_by_text(t("lab_activate_confirm", "en", id=fit_id)).click()
    page.get_by_role("button", name=t("lab_activate", "en", id=fit_id)).click()
    expect(page.get_by_text(t("lab_activated", "en", id=fit_id, n=0))).to_be_visible(timeout=30_000)
    assert db.active_fit_id(url=url) == fit_id

    page.goto(server, wait_until="networkidle")  # the self-assessment is the default page (/assess reads "page not found")
    expect(page.get_by_text(f"Benchmark: {NAME} (n = 312")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(t("synthetic_banner", "en")[:40])).to_have_count(0)
    fill_questionnaire(page, "en")
    expect(page.get_by_text(f"Benchmark: {NAME} (n = 312")).to_be_visible()
