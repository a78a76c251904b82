"""End to end in a real browser (Debian's chromium driven by Playwright), as a new user meets the dashboard:
`cbec serve` on a fresh data directory, the questionnaire filled in both languages, the report downloaded and opened."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from app.i18n import control_label, region_label, t
from cbec_core.instrument import ITEM_COLUMNS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium on a machine without network: no background calls, no sandbox (CI runs as root).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ANSWERS = {**{c: 4 for c in ITEM_COLUMNS}, "AIGC1": 5, "IO2": 2, "LSC3": 3}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard started the way the README starts it, on an empty store."""
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `apt-get install chromium` (make test does this)", pytrace=False)
    port = _free_port()
    env = {**os.environ, "CBEC_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"the dashboard did not start: {proc.stdout.read().decode()[-2000:]}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _radio(page: Page, label_part: str, option: int | str) -> None:
    group = page.locator('div[data-testid="stRadio"]').filter(has_text=label_part).first
    options = group.locator('label[data-testid="stRadioOption"]')
    (options.nth(option - 1) if isinstance(option, int) else options.filter(has_text=option).first).click()


def _select(page: Page, label: str, option: str) -> None:
    box = page.locator('div[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def fill_controls(page: Page, lang: str) -> None:
    page.get_by_label(control_label("firm_size", lang)).fill("120")
    page.get_by_label(control_label("firm_age", lang)).fill("6")
    _select(page, control_label("region", lang), region_label("east", lang))
    _radio(page, control_label("business_model", lang), "B2C")
    _radio(page, control_label("pilot_zone", lang), t("yes", lang))


def fill_questionnaire(page: Page, lang: str) -> float:
    """Answer every item and control; return the seconds from submit to the first results chart."""
    for column, value in ANSWERS.items():
        _radio(page, column, value)
    fill_controls(page, lang)
    start = time.perf_counter()
    page.get_by_role("button", name=t("submit", lang)).click()
    expect(page.get_by_role("heading", name=t("results", lang))).to_be_visible(timeout=30_000)
    page.locator('div[data-testid="stPlotlyChart"]').first.wait_for(state="visible", timeout=30_000)
    return time.perf_counter() - start


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_new_user_assesses_and_downloads_the_report(server, browser, lang, tmp_path):
    page = browser.new_page(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    page.goto(server, wait_until="networkidle")
    if lang == "zh":
        _radio(page, t("language", "en"), "简体中文")
    expect(page.get_by_text(t("synthetic_banner", lang)[:40])).to_be_visible(timeout=30_000)
    seconds = fill_questionnaire(page, lang)
    assert seconds < 15, f"results took {seconds:.1f} s"
    expect(page.get_by_text(t("recommendations", lang))).to_be_visible()
    page.screenshot(path=str(tmp_path / f"results_{lang}.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name=t("download_html", lang)).click()
    report = tmp_path / "report.html"
    download.value.save_as(report)
    opened = browser.new_page()
    opened.goto(report.as_uri())
    expect(opened.get_by_text(t("chart_scores_title", lang)).first).to_be_attached()
    assert "Synthetic" in opened.content() or "合成" in opened.content()
    with page.expect_download() as download:
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
