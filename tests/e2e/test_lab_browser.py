"""The model lab in a real browser, as a new researcher meets it: a broken file refused whole, a held-out survey
uploaded through the file chooser, stored, fitted (5,000 resamples, timed), fitted again (the stored fit is named,
nothing stored), every tab read, tables downloaded one by one and all at once, the fit activated, and a firm then
scored on the self-assessment page against the new benchmark. A file with a blank answer, a 9 on a 1–5 item and text
in a number column is reported in one pass, on a laptop in English and on a phone in Chinese."""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from browsing import fill_questionnaire, sign_in
from playwright.sync_api import Page, expect

from app.i18n import problem_text, t
from cbec_core.reference import reference_cohort
from cbec_core.survey import SurveyError
from cbec_core.tables import all_tables

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

    stored = len(db.list_fits(url=url))  # Fit again, same settings: the stored fit is named, nothing is stored
    page.get_by_role("button", name=t("lab_fit", "en"), exact=True).click()
    expect(page.get_by_text(t("lab_fit_exists", "en", id=fit_id))).to_be_visible(timeout=30_000)
    assert len(db.list_fits(url=url)) == stored

    keys = list(all_tables(db.get_fit(fit_id, url=url)))  # every table in one download: a sheet, or a CSV, per table
    with page.expect_download() as download:
        page.get_by_role("button", name=t("lab_all_xlsx", "en")).click()
    sheets = pd.read_excel(download.value.path(), sheet_name=None)
    assert list(sheets) == keys and all(len(frame) > 0 for frame in sheets.values())
    assert list(sheets["loadings"]["item"])[:2] == ["AIGC1", "AIGC2"]
    with page.expect_download() as download:
        page.get_by_role("button", name=t("lab_all_zip", "en")).click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert archive.namelist() == [f"{key}.csv" for key in keys]
        sem = pd.read_csv(io.BytesIO(archive.read("sem_paths.csv")), encoding="utf-8-sig")
    assert sem.shape == sheets["sem_paths"].shape

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


def three_problems(folder: Path) -> Path:
    """A survey file with a blank answer (row 3), a 9 on a 1–5 item (row 6) and text in a number column (row 9)."""
    frame = reference_cohort(seed=99).head(30).drop(columns=["firm_id"]).astype(object)
    frame.loc[1, "DC2"] = None
    frame.loc[4, "HQD4"] = 9
    frame.loc[7, "firm_age"] = "ten"
    frame.to_csv(folder / "three.csv", index=False)
    return folder / "three.csv"


@pytest.mark.parametrize(("lang", "device"), [
    ("en", {"viewport": {"width": 1366, "height": 768}}),
    ("zh", {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}),
], ids=["laptop-en", "phone-zh"])
def test_a_blank_a_9_and_text_are_reported_in_one_pass(server, browser, data_dir, accounts, tmp_path, lang, device):
    import db
    url = f"sqlite:///{data_dir}/cbec.sqlite"
    path = three_problems(tmp_path)
    with pytest.raises(SurveyError) as refused:  # what the store's import says of the same file
        db.import_file(path, "three", url=url, actor=db.SYSTEM)
    expected = [problem_text(p, lang) for p in refused.value.problems]
    datasets = list(db.list_datasets(url=url)["name"])
    context = browser.new_context(accept_downloads=True, **device)
    page = context.new_page()
    sign_in(page, server, *accounts["researcher"])
    page.goto(f"{server}/lab?lang={lang}", wait_until="networkidle")
    expect(page.get_by_role("heading", name=t("nav_lab", lang))).to_be_visible(timeout=30_000)
    # the uploader speaks the page's language: its English note is hidden, its button reads the catalog's word
    expect(page.get_by_test_id("stFileUploaderDropzoneInstructions")).to_be_hidden()
    expect(page.get_by_text(t("upload_limit", lang, mb=50))).to_be_visible()
    button = page.get_by_test_id("stFileUploaderDropzone").locator("button").last
    assert button.evaluate("b => [getComputedStyle(b).fontSize, getComputedStyle(b, '::after').content]") == [
        "0px", f'"{t("upload_button", lang)}"']
    upload(page, path)
    expect(page.get_by_text(t("lab_refused", lang, file="three.csv", n=3))).to_be_visible(timeout=30_000)
    rows = page.get_by_test_id("stTable").first.locator("tbody tr")  # all three problems at once, in the page's language
    expect(rows).to_have_count(3, timeout=30_000)
    for i, (row, column, message) in enumerate(zip((3, 6, 9), ("DC2", "HQD4", "firm_age"), expected)):
        expect(rows.nth(i).locator("td, th")).to_have_text([str(row), column, ["", "9", "ten"][i], message])
        box = rows.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= device["viewport"]["width"]  # wraps, not cut off
    with page.expect_download() as download:
        page.get_by_role("button", name=t("lab_report_download", lang)).click()
    report = pd.read_csv(download.value.path(), encoding="utf-8-sig", keep_default_na=False)
    assert list(zip(report["row"], report["column"], report["value"].astype(str))) == [
        (3, "DC2", ""), (6, "HQD4", "9"), (9, "firm_age", "ten")]
    assert list(report["message"]) == expected
    assert list(db.list_datasets(url=url)["name"]) == datasets  # nothing stored
    context.close()
