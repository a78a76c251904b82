"""A firm returns with its key, in a real browser (Debian's chromium) on a laptop and on a phone, in both languages:
the history formatted for people, an earlier report downloaded again and drawn offline, the results page's report
carrying the key and the what-if scenario set just before the click, and the firm's data deleted after a
confirmation that refuses a wrong key."""
from __future__ import annotations

import re
from pathlib import Path

from browsing import charts_drawn_offline, fill_controls, fill_questionnaire, radio
from playwright.sync_api import Page, expect

from app.i18n import construct_name, t
from cbec_core.instrument import ITEM_BY_COLUMN
from db.codes import ALPHABET

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
KEY = re.compile(rf"\b([{ALPHABET}]{{8}})\b")
CHARTS = [f"chart-{key}" for key in ("scores", "radar", "expected", "theta", "ipma")]
QUICK = {"AIGC": 4.25, "DC": 3.5, "IO": 2.75, "LSC": 3.0, "HQD": 3.5}


def save(page: Page, lang: str) -> str:
    """Save the results on screen with consent; the firm key the page shows."""
    page.get_by_text(t("save_consent", lang)).click()
    page.get_by_role("button", name=t("save_button", lang)).click()
    alert = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=KEY).first
    expect(alert).to_be_visible(timeout=30_000)
    return KEY.search(alert.inner_text()).group(1)


def download(page: Page, button: str, path: Path) -> Path:
    """Click a download button and keep the file."""
    with page.expect_download(timeout=90_000) as done:
        page.get_by_role("button", name=button).click()
    done.value.save_as(path)
    return path


def show_history(page: Page, server: str, key: str, lang: str) -> None:
    """Open *Return with a firm key* in a new session and look the key up."""
    page.goto(f"{server}/history?lang={lang}", wait_until="networkidle")
    page.get_by_role("textbox", name=t("firm_key", lang)).fill(key)
    page.get_by_role("button", name=t("show_history", lang)).click()


def delete(page: Page, typed: str, lang: str) -> None:
    """Type a key in the deletion form, tick the box (if it is not ticked yet) and press delete."""
    page.get_by_role("textbox", name=t("history_delete_confirm_key", lang)).fill(typed)
    box = page.locator('[data-testid="stCheckbox"]').filter(has_text=t("history_delete_confirm_box", lang))
    if box.get_by_role("checkbox").is_checked() is False:
        box.locator("label").click()
    page.get_by_role("button", name=t("history_delete_button", lang)).click()


def test_laptop_history_reports_and_deletion_in_english(server, browser, tmp_path):
    lang = "en"
    page = browser.new_page(**LAPTOP, accept_downloads=True)
    page.goto(f"{server}/?lang={lang}", wait_until="networkidle")
    fill_questionnaire(page, lang)
    key = save(page, lang)

    # the what-if panel is a fragment: move IO after the page was drawn, then download; the file has the move
    metric = page.locator('[data-testid="stMetricValue"]').first
    before = metric.inner_text()
    io = page.locator('[data-testid="stSlider"]').filter(has_text=construct_name("IO", lang))
    io.get_by_role("slider").focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    expect(metric).not_to_have_text(before, timeout=30_000)
    moved = io.locator('[data-testid="stSliderThumbValue"]').inner_text()
    report = download(page, t("download_html", lang), tmp_path / "results.html").read_text("utf-8")
    assert t("report_firm_key", lang, key=key) in report.replace("&#x27;", "'")
    scenario = report[report.index('<section id="whatif">'):]
    scenario = scenario[:scenario.index("</section>")]
    assert construct_name("IO", lang) in scenario and f"<td class=\"num\">{moved}</td>" in scenario
    assert construct_name("LSC", lang) not in scenario  # 3.67 sits between the slider's steps and was not moved

    show_history(page, server, key, lang)
    table = page.locator('[data-testid="stDataFrame"] table')
    expect(table).to_contain_text(t("history_mode_full", lang), timeout=30_000)
    cells = table.locator("tbody tr").first.locator("td").all_inner_texts()
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}", cells[0]), cells  # local time, no "+00:00"
    assert "3.33" in cells and not [c for c in cells if re.search(r"\.\d{3}", c)], cells  # IO (4 + 2 + 4) / 3, rounded
    lever = cells[2]
    assert lever in {construct_name(c, lang) for c in ("AIGC", "DC", "IO", "LSC")} | {"—"}, lever  # in words, not a code
    expect(page.locator('[data-testid="stPlotlyChart"] .xtick text')).to_have_count(1, timeout=30_000)
    ticks = page.locator('[data-testid="stPlotlyChart"] .xtick text').all_text_contents()
    assert len(ticks) == 1 and re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}\d{2}:\d{2}", ticks[0]), ticks  # date over time, no ms
    expect(page.get_by_text(t("history_one", lang))).to_be_visible()

    earlier = download(page, t("download_html", lang), tmp_path / "earlier.html")
    html = earlier.read_text("utf-8")
    assert key in html and t("report_mode_full", lang) in html
    assert f"HQD6 · {ITEM_BY_COLUMN['HQD6'].text(lang)}".replace("'", "&#x27;") in html
    assert 'id="whatif"' not in html  # a stored assessment has no scenario
    assert charts_drawn_offline(browser, earlier) == ("drawn", CHARTS, CHARTS)

    delete(page, "22222222", lang)  # not the key shown: refused, nothing deleted
    expect(page.get_by_text(t("history_delete_mismatch", lang, typed="22222222", key=key))).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    delete(page, key.lower(), lang)
    expect(page.get_by_text(t("history_deleted", lang, n=1, key=key))).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    show_history(page, server, key, lang)
    expect(page.get_by_text(t("unknown_key", lang, key=key))).to_be_visible(timeout=30_000)
    page.close()


def test_phone_quick_assessment_history_and_deletion_in_chinese(server, browser, tmp_path):
    lang = "zh"
    context = browser.new_context(**PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/?lang={lang}", wait_until="networkidle")
    radio(page, t("mode", lang), t("mode_quick", lang))
    for code, value in QUICK.items():
        page.get_by_label(t("quick_score", lang, construct=construct_name(code, lang))).fill(str(value))
    fill_controls(page, lang)
    page.get_by_role("button", name=t("submit", lang)).tap()
    expect(page.get_by_role("heading", name=t("results", lang))).to_be_visible(timeout=30_000)
    key = save(page, lang)

    show_history(page, server, key, lang)
    table = page.locator('[data-testid="stDataFrame"] table')
    expect(table).to_contain_text(t("history_mode_quick", lang), timeout=30_000)
    cells = table.locator("tbody tr").first.locator("td").all_inner_texts()
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", cells[0]), cells
    expect(page.locator('[data-testid="stPlotlyChart"] .xtick text')).to_have_count(1, timeout=30_000)
    ticks = page.locator('[data-testid="stPlotlyChart"] .xtick text').all_text_contents()
    assert len(ticks) == 1 and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日\d{2}:\d{2}", ticks[0]), ticks
    page.screenshot(path=str(tmp_path / "history_phone_zh.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    earlier = download(page, t("download_html", lang), tmp_path / "earlier-zh.html")
    html = earlier.read_text("utf-8")
    assert key in html and t("report_mode_quick", lang) in html and "AIGC1" not in html
    assert f"<td>{construct_name('AIGC', lang)}</td><td class=\"num\">4.25</td>" in html
    assert charts_drawn_offline(browser, earlier) == ("drawn", CHARTS, CHARTS)
    pdf = download(page, t("download_pdf", lang), tmp_path / "earlier-zh.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")

    delete(page, "2222-2222", lang)
    expect(page.get_by_text(t("history_delete_mismatch", lang, typed="2222-2222", key=key))).to_be_visible(timeout=30_000)
    delete(page, key, lang)
    expect(page.get_by_text(t("history_deleted", lang, n=1, key=key))).to_be_visible(timeout=30_000)
    show_history(page, server, key, lang)
    expect(page.get_by_text(t("unknown_key", lang, key=key))).to_be_visible(timeout=30_000)
    context.close()
