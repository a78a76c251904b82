"""End to end in a real browser (Debian's chromium driven by Playwright), as a new user meets the dashboard:
`cbec serve` on a fresh data directory, the questionnaire filled in both languages, the report downloaded and opened."""
from __future__ import annotations

import pytest
from browsing import fill_questionnaire, radio
from playwright.sync_api import expect

from app.i18n import t


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_new_user_assesses_and_downloads_the_report(server, browser, lang, tmp_path):
    page = browser.new_page(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    page.goto(server, wait_until="networkidle")
    if lang == "zh":
        radio(page, t("language", "en"), "简体中文")
    expect(page.get_by_text(t("synthetic_banner", lang)[:40])).to_be_visible(timeout=30_000)
    seconds = fill_questionnaire(page, lang)
    assert seconds < 15, f"results took {seconds:.1f} s"
    expect(page.get_by_text(t("recommendations", lang))).to_be_visible()
    page.screenshot(path=str(tmp_path / f"results_{lang}.png"), full_page=True)

    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name=t("download_html", lang)).click()
    report = tmp_path / "report.html"
    download.value.save_as(report)
    opened = browser.new_page()
    opened.goto(report.as_uri())
    expect(opened.get_by_text(t("chart_scores_title", lang)).first).to_be_attached()
    assert "Synthetic" in opened.content() or "合成" in opened.content()
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name=t("download_pdf", lang)).click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_nonsense_is_refused_with_a_message(server, browser):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(server, wait_until="networkidle")
    page.get_by_role("button", name=t("submit", "en")).click()
    expect(page.get_by_text(t("fix_errors", "en"))).to_be_visible(timeout=30_000)
    expect(page.get_by_text(t("missing_item", "en"))).to_have_count(19)
    page.goto(f"{server}/history", wait_until="networkidle")
    page.get_by_role("textbox", name=t("firm_key", "en")).fill("NOPE-NOPE")
    page.get_by_role("button", name=t("show_history", "en")).click()
    expect(page.get_by_text("NOPE-NOPE").first).to_be_visible(timeout=30_000)
