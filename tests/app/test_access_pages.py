"""The sign-in gate on protected URLs, the sign-in page, accounts and audit pages, and the error boundary (AppTest)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import db
from app.i18n import t
from tests.actors import ADMIN, FACILITATOR, RESEARCHER, VISITOR

DASHBOARD = str(Path(__file__).resolve().parents[2] / "app" / "dashboard.py")
PASSWORD = "correct horse battery"


def _open(actor, url_path: str = "", lang: str = "en") -> AppTest:
    """The dashboard as `actor` at /url_path (AppTest switches pages by file; a gated URL has none, so by its hash)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.session_state["lang"] = lang
    at.session_state["actor"] = actor
    at.run()
    if url_path:
        at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path)
        at.run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    return " ".join([*(m.value for m in at.markdown), *(e.value for e in at.error), *(w.value for w in at.warning),
                     *(i.value for i in at.info), *(s.value for s in at.success), *(h.value for h in at.title)])


@pytest.mark.parametrize("url_path", ["lab", "versions", "workshop_admin", "workshop_live", "accounts", "audit"])
def test_a_visitor_opening_a_protected_url_meets_the_sign_in_never_the_page(url_path):
    at = _open(VISITOR, url_path)
    assert at.text_input(key="signin_name") is not None and at.text_input(key="signin_password") is not None
    assert not at.get("file_uploader")
    assert not [b for b in at.button if (b.key or "").startswith(("lab_", "act_", "ws_", "account_"))]
    assert not [w for w in at.text_input if (w.key or "").startswith(("ws_", "account_"))]  # no workshop or account form
    # no admin yet: the gate says, in both languages, which command creates one
    assert "cbec users add NAME --role admin" in _texts(at)
    assert "cbec users add NAME --role admin" in _texts(_open(VISITOR, url_path, "zh"))


def test_a_facilitator_is_told_the_lab_needs_another_role():
    at = _open(FACILITATOR, "lab")
    assert t("signin_wrong_role", "en", name=FACILITATOR.name, role=t("role_facilitator", "en"),
             roles=t("roles_or", "en").join([t("role_admin", "en"), t("role_researcher", "en")])) in _texts(at)
    assert not at.get("file_uploader")


def test_signing_in_on_the_page_opens_the_protected_pages_of_the_role():
    db.upgrade()
    db.add_account("alice", "researcher", PASSWORD, actor=ADMIN)
    at = _open(VISITOR, "signin")
    at.text_input(key="signin_name").input("alice")
    at.text_input(key="signin_password").input("wrong password!")
    at.get("form_submit_button")[0].click()
    at.run()
    assert t("signin_failed", "en") in _texts(at)
    at.text_input(key="signin_password").input(PASSWORD)
    at.get("form_submit_button")[0].click()
    at.run()
    assert at.session_state["actor"].role == "researcher"
    assert t("signin_ok", "en", name="alice", role=t("role_researcher", "en")) in _texts(at)
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == "lab")
    at.run()
    assert not at.exception and at.get("file_uploader")
    assert list(db.audit_entries(ADMIN, action="signin")["outcome"]) == ["ok", "failed"]


def test_the_admin_manages_accounts_on_the_page_and_bad_input_changes_nothing():
    db.upgrade()
    at = _open(ADMIN, "accounts")
    at.text_input(key="account_name").input("bob")
    at.text_input(key="account_password").input("short")
    at.get("form_submit_button")[0].click()
    at.run()
    assert t("store_short_password", "en", length=5, minimum=10) in _texts(at) and db.list_accounts() == []
    at.text_input(key="account_password").input("long enough password")
    at.get("form_submit_button")[0].click()
    at.run()
    assert [(a.username, a.role) for a in db.list_accounts()] == [("bob", "admin")]
    assert "bob" in at.dataframe[0].value.iloc[:, 0].tolist()


def test_the_audit_page_lists_the_log_for_an_admin():
    db.upgrade()
    db.add_account("alice", "researcher", PASSWORD, actor=ADMIN)
    with pytest.raises(db.SignInFailed):
        db.sign_in("alice", "wrong")
    at = _open(ADMIN, "audit")
    table = at.dataframe[0].value
    assert {"account_add", "signin"} <= set(table[t("audit_action", "en")])


def test_the_versions_page_shows_who_activated_each_fit():
    at = _open(RESEARCHER, "versions")
    table = at.dataframe[0].value
    assert t("activated_by", "en") in table.columns and "system" in set(table[t("activated_by", "en")])


def test_an_uncaught_error_shows_a_short_message_and_an_incident_number(monkeypatch, caplog):
    import db.assessments

    def broken(*_args, **_kwargs):
        raise RuntimeError("the store exploded")
    monkeypatch.setattr(db.assessments, "assessment_history", broken)
    at = _open(VISITOR, "history")
    at.text_input(key="history_key").input("ABCDEFGH")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "incident number" in message and "exploded" not in message and "Traceback" not in message
    incident = message.rsplit(" ", 1)[-1]
    assert any(incident in r.getMessage() for r in caplog.records)


OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "cbec",
        "client_secret": "s", "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}


def _oidc(email: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_oidc_email_gets_the_role_of_the_account_that_holds_it():
    db.upgrade()
    db.add_account("dora", "facilitator", None, email="dora@example.org", actor=ADMIN)
    at = _oidc("dora@example.org")
    assert at.session_state["actor"].name == "dora" and at.session_state["actor"].role == "facilitator"
    assert "dora" in " ".join(m.value for m in at.sidebar.markdown)


def test_an_oidc_email_no_account_holds_gets_no_role():
    db.upgrade()
    at = _oidc("eve@example.org")
    assert not at.session_state["actor"].signed_in
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == "signin")
    at.run()
    assert t("signin_oidc_no_role", "en", email="eve@example.org") in _texts(at)
