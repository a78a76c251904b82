"""A workshop end to end, in a real browser (Debian's chromium driven by Playwright) against `cbec serve`:

the facilitator creates a workshop and opens the live view; 27 participants save at once through the
repository API (threads, on the very SQLite file the server uses) while 3 more save through the join link
in the browser; the live view counts 30 on its own; the XLSX export opens with 30 anonymous rows; a wrong
secret is refused; once closed, the workshop refuses entries in the browser and in the store. In Chinese, with a
participant on a phone: the join screen comes back after a reload (and from the list of open workshops), warns
that a 127.0.0.1 link does not reach phones, the live view counts who joined but has not saved, and a participant
whose workshop closed before they pressed Save keeps the results and saves outside the workshop.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from browsing import fill_questionnaire, sign_in
from playwright.sync_api import Browser, Page, expect

import db
from app.i18n import t
from app.report.plotly_js import packed_plotlyjs
from cbec_core.instrument import ITEM_COLUMNS
from cbec_core.scoring import score_firm
from db.engine import SQLITE_FILE

API_PARTICIPANTS = 27
BROWSER_PARTICIPANTS = 3
SECRET = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b")
VIEWPORT = {"width": 1366, "height": 768}  # the facilitator's laptop
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


@pytest.fixture(scope="module")
def store_url(server, data_dir):
    """The server's own SQLite file, for the repository API (CBEC_DATA_DIR/cbec.sqlite, as db.engine resolves it)."""
    url = f"sqlite:///{Path(data_dir) / SQLITE_FILE}"
    yield url
    db.dispose_engine(url)


def _api_answers(i: int) -> dict:
    """Participant i's answers: varied items and controls, so the cohort is not 27 copies of one firm."""
    items = {c: 1 + (i + j) % 5 for j, c in enumerate(ITEM_COLUMNS)}
    return {**items, "firm_size": 20 + 7 * i, "firm_age": 1 + i % 12, "region": ("east", "central", "west")[i % 3],
            "business_model": ("B2B", "B2C")[i % 2], "pilot_zone": i % 2}


def _save_through_api(workshop_id: int, url: str, n: int) -> list[str]:
    """n participants saving at the same moment (one thread each), as phones in a room would."""
    fit_id = db.active_fit_id(url=url)
    fitted = db.get_fit(fit_id, url=url)
    scored = [(a, score_firm(a, fitted)) for a in map(_api_answers, range(n))]
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(lambda p: db.save_assessment(p[0], p[1], fit_id, workshop_id=workshop_id, url=url), scored))


def _open_live_view(page: Page, server: str, code: str, secret: str, lang: str = "en") -> None:
    page.goto(f"{server}/workshop_live?lang={lang}", wait_until="networkidle")
    page.get_by_label(t("ws_join_code", lang)).fill(code)
    page.get_by_label(t("ws_secret", lang)).fill(secret)
    page.get_by_role("button", name=t("ws_open_live", lang)).click()


def _count(page: Page, key: str, lang: str = "en"):
    """The live view's metric labelled t(key): joined, saved or still answering."""
    return page.locator('[data-testid="stMetric"]').filter(has_text=t(key, lang)).locator('[data-testid="stMetricValue"]')


def _joined(page: Page):
    return _count(page, "ws_joined_count")


def _shown(message: str) -> str:
    """A message as the page shows it: inline code keeps its text, not its backticks."""
    return message.replace("`", "")


def _expect_join_screen(page: Page, code: str, lang: str) -> None:
    """The join screen: the code, the link with it (in the facilitator's language) and the QR code."""
    expect(page.locator('[data-testid="stMetricValue"]').filter(has_text=code).first).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stCode"]').filter(has_text=f"workshop_join?code={code}&lang={lang}")).to_be_visible()
    expect(page.locator('[data-testid="stImage"] img').first).to_be_visible()


def _create_workshop(browser: Browser, server: str, facilitator: tuple[str, str], shots: Path) -> tuple[str, str, str]:
    """The facilitator's part: sign in, name the workshop, read back the join code, link and the secret shown once."""
    page = browser.new_page(viewport=VIEWPORT)
    sign_in(page, server, *facilitator)
    page.goto(f"{server}/workshop_admin", wait_until="networkidle")
    page.get_by_label(t("ws_name", "en")).fill("Hangzhou AIGC workshop")
    page.get_by_role("button", name=t("ws_create", "en")).click()
    expect(page.get_by_text(t("ws_secret_warning", "en")[:40])).to_be_visible(timeout=30_000)
    code = page.locator('[data-testid="stMetricValue"]').first.inner_text().strip()
    expect(page.locator('[data-testid="stCode"]').first).to_contain_text("workshop_join?code=", timeout=15_000)
    page.screenshot(path=str(shots / "workshop_created.png"), full_page=True)
    shown = "\n".join(page.locator('[data-testid="stCode"]').all_inner_texts())
    secret = SECRET.search(shown).group(0)
    link = re.search(r"\S*workshop_join\?code=\w+", shown).group(0)
    assert link == f"{server}/workshop_join?code={code}"
    expect(page.locator('[data-testid="stImage"] img, [data-testid="stImage"] svg').first).to_be_visible()  # QR code
    # the server listens on 127.0.0.1 and no CBEC_PUBLIC_URL is set: phones could not open this link, and it says so
    expect(page.get_by_text(_shown(t("ws_loopback_warning", "en", host="127.0.0.1", name="CBEC_PUBLIC_URL",
                                     example="http://192.168.1.20:8501")))).to_be_visible()
    page.get_by_role("button", name=t("ws_secret_done", "en")).click()
    expect(page.get_by_text(secret)).to_have_count(0, timeout=30_000)  # shown once: gone when hidden
    page.close()
    return code, secret, link


def _participant_answers_in_browser(browser: Browser, link: str) -> Page:
    """A participant opens the join link on a phone and answers; their results show, not yet saved."""
    page = browser.new_context(**PHONE).new_page()
    page.goto(link, wait_until="networkidle")
    expect(page.get_by_text(t("ws_save_reminder", "en")[:30])).to_have_count(0)
    fill_questionnaire(page, "en")
    expect(page.get_by_text(t("ws_save_reminder", "en")[:30])).to_be_visible()
    return page


def test_thirty_participants_join_at_once_and_the_facilitator_follows_live(server, browser, store_url, accounts, tmp_path):
    code, secret, link = _create_workshop(browser, server, accounts["facilitator"], tmp_path)
    workshop = db.find_workshop(code, url=store_url)
    assert db.verify_secret(code, secret, url=store_url)

    live = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
    sign_in(live, server, *accounts["facilitator"])
    wrong = secret[:-1] + ("2" if secret[-1] != "2" else "3")
    _open_live_view(live, server, code, wrong)
    expect(live.get_by_text(t("ws_wrong_secret", "en"))).to_be_visible(timeout=30_000)
    expect(_joined(live)).to_have_count(0)
    _open_live_view(live, server, code, secret)
    expect(_joined(live)).to_have_text("0", timeout=30_000)
    expect(live.get_by_text(t("ws_too_few", "en", min=5))).to_be_visible()

    participants = [_participant_answers_in_browser(browser, link) for _ in range(BROWSER_PARTICIPANTS)]
    with ThreadPoolExecutor(max_workers=1) as background:  # the API participants save while the browsers do
        api_keys = background.submit(_save_through_api, workshop.id, store_url, API_PARTICIPANTS)
        for page in participants:
            page.get_by_role("button", name=t("save_button", "en")).click()
        browser_keys = []
        for i, page in enumerate(participants):
            saved = page.get_by_text(re.compile(r"^Saved\. Your firm key is")).first
            try:
                expect(saved).to_be_visible(timeout=60_000)
            finally:
                page.screenshot(path=str(tmp_path / f"participant_{i}.png"), full_page=True)
            browser_keys.append(re.search(r"is ([2-9A-Z]{4}-?[2-9A-Z]{4})", saved.inner_text()).group(1).replace("-", ""))
        api_keys = api_keys.result(timeout=120)
    keys = {k.replace("-", "") for k in api_keys} | set(browser_keys)
    assert len(keys) == API_PARTICIPANTS + BROWSER_PARTICIPANTS  # nobody lost, nobody merged
    stored = db.workshop_assessments(workshop.id, url=store_url)
    assert len(stored) == 30 and set(stored["firm_key"]) == keys

    # the live view refreshes on its own (fragment run_every): no reload, no click
    expect(_joined(live)).to_have_text("30", timeout=45_000)
    expect(live.locator('[data-testid="stPlotlyChart"]')).to_have_count(4, timeout=30_000)
    assert not any(key in live.content() for key in keys)
    live.screenshot(path=str(tmp_path / "live_view_30.png"), full_page=True)

    live.get_by_role("button", name=t("ws_prepare_exports", "en")).click()
    expect(live.get_by_text(t("ws_exports_ready", "en", n=30))).to_be_visible(timeout=60_000)
    with live.expect_download(timeout=90_000) as download:
        live.get_by_role("button", name=t("ws_export_xlsx", "en")).click()
    xlsx = tmp_path / "cohort.xlsx"
    download.value.save_as(xlsx)
    book = openpyxl.load_workbook(xlsx, read_only=True)
    rows = list(book[t("ws_summary_sheet", "en")].iter_rows(values_only=True))
    assert len(rows) == 1 + 5 and all(row[1] == 30 for row in rows[1:])  # one aggregate row per construct, n = 30
    assert t("ws_shared_sheet", "en") not in book.sheetnames  # nobody ticked "share my row": no firm-level rows
    assert not {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row} & keys

    with live.expect_download(timeout=90_000) as download:
        live.get_by_role("button", name=t("ws_export_html", "en")).click()
    report = tmp_path / "cohort.html"
    download.value.save_as(report)
    text = report.read_text(encoding="utf-8")
    assert text.count("<figure>") == 4 and text.count(packed_plotlyjs()) == 1  # plotly.js packed inline, once
    rest = text.replace(packed_plotlyjs(), "")  # the packed plotly.js is opaque base64
    assert "http://" not in rest and "https://" not in rest and not any(key in text for key in keys)

    # a participant changing the URL sees no one else's results: no key in the link reaches another firm
    other = browser.new_page(viewport=VIEWPORT)
    other.goto(f"{link}&firm_key={browser_keys[0]}&key={browser_keys[0]}", wait_until="networkidle")
    expect(other.get_by_text(t("ws_joined", "en", name=workshop.name)[:25])).to_be_visible(timeout=30_000)
    expect(other.get_by_role("heading", name=t("results", "en"))).to_have_count(0)
    assert browser_keys[0] not in other.content()

    # closing: the live view says so, the join link and the store refuse new entries
    live.get_by_text(t("ws_close", "en")).click()
    live.get_by_role("button", name=t("ws_close_confirm", "en")).click()
    expect(live.get_by_text(t("ws_closed_now", "en"))).to_be_visible(timeout=30_000)
    late = browser.new_page(viewport=VIEWPORT)
    late.goto(link, wait_until="networkidle")
    expect(late.get_by_text(t("ws_closed", "en", name=workshop.name))).to_be_visible(timeout=30_000)
    expect(late.locator('div[data-testid="stRadio"]').filter(has_text="AIGC1")).to_have_count(0)
    with pytest.raises(db.StoreError, match="is not open"):
        _save_through_api(workshop.id, store_url, 1)
    assert len(db.workshop_assessments(workshop.id, url=store_url)) == 30


def test_join_screen_after_a_reload_the_room_count_and_a_late_participant_in_chinese(server, browser, store_url, accounts,
                                                                                       tmp_path):
    L = "zh"
    facilitator = browser.new_page(viewport=VIEWPORT)
    sign_in(facilitator, server, *accounts["facilitator"])
    facilitator.goto(f"{server}/workshop_admin?lang={L}", wait_until="networkidle")
    facilitator.get_by_label(t("ws_name", L)).fill("宁波跨境电商工作坊")
    facilitator.get_by_role("button", name=t("ws_create", L)).click()
    expect(facilitator.get_by_text(t("ws_secret_warning", L)[:20])).to_be_visible(timeout=30_000)
    expect(facilitator.locator('[data-testid="stCode"]').filter(has_text=SECRET)).to_be_visible(timeout=30_000)
    code = facilitator.locator('[data-testid="stMetricValue"]').first.inner_text().strip()
    secret = SECRET.search("\n".join(facilitator.locator('[data-testid="stCode"]').all_inner_texts())).group(0)
    expect(facilitator.get_by_text(_shown(t("ws_loopback_warning", L, host="127.0.0.1", name="CBEC_PUBLIC_URL",
                                            example="http://192.168.1.20:8501")))).to_be_visible()

    facilitator.reload(wait_until="networkidle")  # the join screen comes back; the secret, shown once, does not
    _expect_join_screen(facilitator, code, L)
    expect(facilitator.get_by_text(_shown(t("ws_loopback_warning", L, host="127.0.0.1", name="CBEC_PUBLIC_URL",
                                            example="http://192.168.1.20:8501")))).to_be_visible()
    assert secret not in facilitator.content()
    facilitator.screenshot(path=str(tmp_path / "join_screen_reloaded.png"), full_page=True)
    facilitator.goto(f"{server}/workshop_admin?lang={L}", wait_until="networkidle")  # the page as opened from the menu
    facilitator.get_by_role("button", name=t("ws_show_join_screen", L)).first.click()
    _expect_join_screen(facilitator, code, L)
    link = f"{server}/workshop_join?code={code}&lang={L}"

    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    phone.goto(link, wait_until="networkidle")
    fill_questionnaire(phone, L)
    expect(phone.get_by_text(t("ws_save_reminder", L)[:15])).to_be_visible()

    _open_live_view(facilitator, server, code, secret, L)  # the participant joined and has not saved yet
    expect(_count(facilitator, "ws_joined_count", L)).to_have_text("1", timeout=30_000)
    expect(_count(facilitator, "ws_saved_count", L)).to_have_text("0")
    expect(_count(facilitator, "ws_answering_count", L)).to_have_text("1")
    facilitator.get_by_text(t("ws_show_join_screen", L)).click()  # the live view's own join screen
    _expect_join_screen(facilitator, code, L)
    facilitator.screenshot(path=str(tmp_path / "live_view_room.png"), full_page=True)
    facilitator.get_by_text(t("ws_close", L), exact=True).click()
    facilitator.get_by_role("button", name=t("ws_close_confirm", L)).click()
    expect(facilitator.get_by_text(t("ws_closed_now", L))).to_be_visible(timeout=30_000)

    phone.get_by_role("button", name=t("save_button", L)).click()  # too late: the workshop closed meanwhile
    expect(phone.get_by_text(t("save_workshop_closed", L)[:20])).to_be_visible(timeout=30_000)
    expect(phone.get_by_text(t("ws_closed_keep_results", L, name="宁波跨境电商工作坊"))).to_be_visible()
    expect(phone.get_by_role("heading", name=t("results", L))).to_be_visible()  # the results and report stay
    expect(phone.locator('div[data-testid="stPlotlyChart"]').first).to_be_visible()
    expect(phone.get_by_role("button", name=t("download_pdf", L))).to_be_visible()
    phone.screenshot(path=str(tmp_path / "late_participant.png"), full_page=True)
    phone.get_by_role("button", name=t("save_outside_button", L)).click()
    saved = phone.get_by_text(re.compile(r"^已保存。您的企业码是")).first
    expect(saved).to_be_visible(timeout=30_000)
    key = re.search(r"([2-9A-Z]{4}-?[2-9A-Z]{4})", saved.inner_text()).group(1).replace("-", "")
    expect(phone.get_by_text(t("save_outside_done", L))).to_be_visible()
    workshop = db.find_workshop(code, url=store_url)
    assert db.workshop_assessments(workshop.id, url=store_url).empty  # the store's refusal stands
    history = db.assessment_history(key, url=store_url)
    assert len(history) == 1 and history["workshop_id"].isna().all()
    phone_context.close()
    facilitator.close()
