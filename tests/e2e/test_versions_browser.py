"""End to end in a real browser: a second fit stored next to the served dashboard's benchmark is compared, activated
through the confirmation, and the next self-assessment is scored and saved against it."""
from __future__ import annotations

import re

import pytest
from browsing import fill_questionnaire, sign_in
from playwright.sync_api import expect

import db
from app.i18n import t
from app.ui.clock import local_time
from cbec_core.model import fit
from cbec_core.scoring import score_firm
from db.engine import SQLITE_FILE
from tests.db.store_helpers import answers_of
from tests.actors import ADMIN

LABEL = "Held-out survey (browser test)"


@pytest.fixture(scope="module")
def store_url(server, data_dir) -> str:
    """The served dashboard's own store, through the repository API."""
    url = f"sqlite:///{data_dir}/{SQLITE_FILE}"
    db.ensure_ready(url)
    yield url
    db.dispose_engine(url)


def test_activate_a_fit_then_assess_against_it(server, browser, store_url, accounts, survey, tmp_path):
    seeded = db.active_fit_id(url=store_url)
    dataset = db.import_frame(survey, "held-out survey", url=store_url, actor=ADMIN).dataset
    candidate = db.store_fit(dataset.id, fit(survey, bootstrap=500, label=LABEL), url=store_url, actor=ADMIN)
    benchmark = db.get_fit(seeded, url=store_url)
    for i in range(2):  # two firms saved against the current benchmark since the candidate was fitted
        answers = answers_of(survey.iloc[i])
        db.save_assessment(answers, score_firm(answers, benchmark), seeded, consent=True, url=store_url)

    page = browser.new_page(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    sign_in(page, server, *accounts["researcher"])
    page.goto(f"{server}/versions", wait_until="networkidle")
    expect(page.get_by_role("heading", name=t("nav_versions", "en"))).to_be_visible(timeout=30_000)
    expect(page.get_by_text(t("cmp_title", "en"))).to_be_visible()
    reading = re.compile(rf"(between fit #{seeded} and fit #{candidate}|from fit #{seeded} to fit #{candidate}).*the largest shift")
    expect(page.get_by_text(reading)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name=t("cmp_download", "en")).click()
    saved = tmp_path / "compare.csv"
    download.value.save_as(saved)
    assert t("cmp_indirect", "en") in saved.read_text(encoding="utf-8-sig")

    page.get_by_role("button", name=t("act_button", "en")).click()
    since = local_time(db.activation_impact(candidate, url=store_url).active_since, "en")
    confirm = t("act_confirm", "en", id=candidate, active=seeded, since=since, on_active=2, on_chosen=0, others=0)
    expect(page.get_by_text(confirm)).to_be_visible(timeout=30_000)
    page.get_by_role("button", name=t("act_confirm_button", "en", id=candidate)).click()
    expect(page.get_by_text(t("act_done", "en", id=candidate))).to_be_visible(timeout=30_000)
    assert db.active_fit_id(url=store_url) == candidate

    page.goto(server, wait_until="networkidle")  # the self-assessment is the default page
    expect(page.get_by_text(LABEL).first).to_be_visible(timeout=30_000)
    expect(page.get_by_text(t("synthetic_banner", "en")[:40])).to_have_count(0)
    fill_questionnaire(page, "en")
    page.get_by_text(t("save_consent", "en")).click()
    page.get_by_role("button", name=t("save_button", "en")).click()
    saved_text = page.locator('div[data-testid="stAlert"]').filter(has_text="Saved.").inner_text(timeout=30_000)
    key = re.search(r"[A-Z0-9]{4}-?[A-Z0-9]{4}", saved_text.split("firm key is")[1]).group(0)
    assert db.assessment_history(key, url=store_url)["model_fit_id"].tolist() == [candidate]
    assert db.assessments_against(seeded, url=store_url) == 2  # the earlier ones kept their fit
