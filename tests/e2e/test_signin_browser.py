"""Roles in a real browser against `cbec serve` on a fresh store, as a new user meets them.

An anonymous visitor opening a protected URL finds only the sign-in; after `cbec users add` a researcher
signs in at /signin and the lab works (also after a reload); a facilitator cannot reach the activation;
`cbec audit --json` lists the failed and the successful sign-in. Throughout, no request leaves for
another host, no "Deploy" shows, and a forced fault (a table gone under the running server) shows a short
message with an incident number instead of a traceback.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from browsing import sign_in
from playwright.sync_api import Page, expect

from app.i18n import t

PROTECTED = ("lab", "versions", "workshop_admin", "workshop_live")
PASSWORD = "researcher's long password"


def cbec(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "CBEC_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "app.cli", *args], input=stdin, env=env, capture_output=True, text=True,
                          check=False)


def _watch(page: Page, server: str, elsewhere: list[str]) -> Page:
    """Record every request that goes to any host but the server."""
    page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else elsewhere.append(r.url))
    return page


def _sidebar(page: Page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_roles_sign_in_and_audit_in_a_real_browser(server, browser, data_dir, tmp_path):
    elsewhere: list[str] = []
    visitor = _watch(browser.new_page(viewport={"width": 1366, "height": 768}), server, elsewhere)
    for path in PROTECTED:
        visitor.goto(f"{server}/{path}", wait_until="networkidle")
        expect(visitor.get_by_label(t("username", "en"))).to_be_visible(timeout=30_000)
        expect(visitor.get_by_text("cbec users add NAME --role admin").first).to_be_visible()
        assert visitor.locator('[data-testid="stFileUploader"]').count() == 0
        assert visitor.get_by_role("button", name=t("ws_create", "en")).count() == 0
        assert visitor.get_by_role("button", name=t("act_confirm_button", "en", id=1)).count() == 0
        assert visitor.get_by_label(t("ws_name", "en")).count() == 0
    menu = _sidebar(visitor)
    for label in ("nav_assess", "nav_history", "nav_workshop_join", "nav_zones", "nav_replication", "nav_about", "nav_signin"):
        assert t(label, "en") in menu
    for label in ("nav_lab", "nav_versions", "nav_workshop_admin", "nav_workshop_live", "nav_accounts", "nav_audit"):
        assert t(label, "en") not in menu
    visitor.screenshot(path=tmp_path / "visitor_lab.png")

    assert cbec(data_dir, "users", "add", "rita", "--role", "researcher", stdin=PASSWORD + "\n").returncode == 0
    assert cbec(data_dir, "users", "add", "fred", "--role", "facilitator", stdin="facilitator's password\n").returncode == 0

    researcher = _watch(browser.new_page(viewport={"width": 1366, "height": 768}), server, elsewhere)
    researcher.goto(f"{server}/signin", wait_until="networkidle")
    researcher.get_by_label(t("username", "en")).fill("rita")
    researcher.get_by_role("textbox", name=t("password", "en")).fill("not the password")
    researcher.get_by_role("button", name=t("signin_button", "en")).click()
    expect(researcher.get_by_text(t("signin_failed", "en"))).to_be_visible(timeout=30_000)
    sign_in(researcher, server, "rita", PASSWORD)
    assert next(c for c in researcher.context.cookies() if c["name"] == "cbec_session")["httpOnly"]
    researcher.goto(f"{server}/lab", wait_until="networkidle")
    expect(researcher.locator('[data-testid="stFileUploader"]')).to_be_visible(timeout=30_000)
    researcher.reload(wait_until="networkidle")  # a reload keeps the sign-in (the cookie), mid-workshop or not
    expect(researcher.locator('[data-testid="stFileUploader"]')).to_be_visible(timeout=30_000)
    expect(researcher.get_by_text("rita").first).to_be_visible()
    assert t("nav_workshop_admin", "en") not in _sidebar(researcher)

    facilitator = _watch(browser.new_page(viewport={"width": 1366, "height": 768}), server, elsewhere)
    sign_in(facilitator, server, "fred", "facilitator's password")
    facilitator.goto(f"{server}/versions", wait_until="networkidle")
    expect(facilitator.get_by_text(t("signin_wrong_role", "en", name="fred", role=t("role_facilitator", "en"),
                                     roles=t("roles_or", "en").join([t("role_admin", "en"), t("role_researcher", "en")])))
           ).to_be_visible(timeout=30_000)
    assert facilitator.get_by_role("button", name=t("act_confirm_button", "en", id=1)).count() == 0
    facilitator.goto(f"{server}/workshop_admin", wait_until="networkidle")
    expect(facilitator.get_by_label(t("ws_name", "en"))).to_be_visible(timeout=30_000)

    # a fault the page does not expect: the workshops table is gone while the server runs
    with sqlite3.connect(Path(data_dir) / "cbec.sqlite") as connection:
        connection.execute("ALTER TABLE workshops RENAME TO workshops_away")
    try:
        visitor.goto(f"{server}/workshop_join?code=ABCDEF", wait_until="networkidle")
        message = visitor.get_by_text(t("store_unavailable", "en"))
        expect(message).to_be_visible(timeout=30_000)
        assert re.search(r"\([0-9A-F]{8}\)", message.inner_text())  # the incident number, also in the server's log
        assert "Traceback" not in visitor.content() and "no such table" not in visitor.content()
    finally:
        with sqlite3.connect(Path(data_dir) / "cbec.sqlite") as connection:
            connection.execute("ALTER TABLE workshops_away RENAME TO workshops")

    for page in (visitor, researcher, facilitator):
        assert "Deploy" not in page.content()
        page.close()
    assert elsewhere == []

    audit = cbec(data_dir, "audit", "--json", "--limit", "20")
    rows = json.loads(audit.stdout)
    signins = [(r["actor"], r["outcome"]) for r in rows if r["action"] == "signin"]
    assert ("rita", "failed") in signins and ("rita", "ok") in signins and ("fred", "ok") in signins
