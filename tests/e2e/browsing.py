"""What a browser test does on the dashboard's widgets: pick radio options and select boxes, fill the questionnaire."""
from __future__ import annotations

import re
import shutil
import socket
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from app.i18n import control_label, region_label, t
from cbec_core.instrument import ITEM_BY_COLUMN, ITEM_COLUMNS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium on a machine without network: no background calls, no sandbox (CI runs as root).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ANSWERS = {**{c: 4 for c in ITEM_COLUMNS}, "AIGC1": 5, "IO2": 2, "LSC3": 3}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def radio(page: Page, label_part: str, option: int | str) -> None:
    group = page.locator('div[data-testid="stRadio"]').filter(has_text=label_part).first
    options = group.locator('label[data-testid="stRadioOption"]')
    (options.nth(option - 1) if isinstance(option, int) else options.filter(has_text=option).first).click()


def select(page: Page, label: str, option: str) -> None:
    box = page.locator('div[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def fill_controls(page: Page, lang: str) -> None:
    page.get_by_label(control_label("firm_size", lang)).fill("120")
    page.get_by_label(control_label("firm_age", lang)).fill("6")
    select(page, control_label("region", lang), region_label("east", lang))
    radio(page, control_label("business_model", lang), "B2C")
    radio(page, control_label("pilot_zone", lang), t("yes", lang))


def fill_questionnaire(page: Page, lang: str, answers: dict[str, int] = ANSWERS) -> float:
    """Answer every item and control; return the seconds from submit to the first results chart."""
    for column, value in answers.items():
        radio(page, column if lang == "en" else ITEM_BY_COLUMN[column].text(lang), value)
    fill_controls(page, lang)
    start = time.perf_counter()
    page.get_by_role("button", name=t("submit", lang)).click()
    expect(page.get_by_role("heading", name=t("results", lang))).to_be_visible(timeout=30_000)
    page.locator('div[data-testid="stPlotlyChart"]').first.wait_for(state="visible", timeout=30_000)
    return time.perf_counter() - start


def sign_in(page: Page, server: str, name: str, password: str) -> None:
    """Sign in at /signin as a person would; returns once the browser holds the sign-in cookie."""
    page.goto(f"{server}/signin", wait_until="networkidle")
    page.get_by_label(t("username", "en")).fill(name)
    page.get_by_role("textbox", name=t("password", "en")).fill(password)
    page.get_by_role("button", name=t("signin_button", "en")).click()
    deadline = time.time() + 30
    while not any(c["name"] == "cbec_session" for c in page.context.cookies()):
        if time.time() > deadline:
            raise AssertionError("no sign-in cookie 30 s after signing in")
        page.wait_for_timeout(200)
    # the redirect back lands on a fresh page whose sidebar names the account
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(name)).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")


def charts_drawn_offline(browser: Browser, path: Path) -> tuple[str, list[str], list[str]]:
    """Open a downloaded HTML report with every request beyond the file refused: the page's chart state ('drawn' once
    the packed plotly.js inflated and drew, 'failed' if it could not), its chart divs' ids, and the ids of those
    holding a drawn plotly SVG."""
    page = browser.new_page()
    try:
        page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
        page.goto(path.as_uri())
        page.wait_for_function("document.body.dataset.charts !== undefined", timeout=30_000)
        charts = page.locator("div.plotly-graph-div")
        return (page.evaluate("document.body.dataset.charts"), charts.evaluate_all("els => els.map(e => e.id)"),
                charts.evaluate_all("els => els.filter(e => e.querySelector('svg.main-svg')).map(e => e.id)"))
    finally:
        page.close()
