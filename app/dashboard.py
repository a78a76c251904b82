"""The dashboard's entry point: page setup, the language switch, who is signed in, and the router (`st.navigation`).

Start it with `cbec serve` (or `make run`); each page lives in app/app_pages/ and reads like the page.
An anonymous visitor (and a workshop participant) sees only the public pages; a protected page's URL
still exists for them, but shows the sign-in (`app.ui.access.gate`), never the page. The pages that
change shared state also check the role in the store functions they call (`db.access.require`).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.i18n import t
from app.ui.access import current_actor, gate, sidebar_account
from app.ui.incident import show_incident
from app.ui.state import lang, language_picker, store_ready
from app.ui.style import inject_style
from db.access import may
from db.engine import StoreUnavailable

PAGES = Path(__file__).parent / "app_pages"  # not "pages/": Streamlit would treat that as a legacy multipage app
ICON = Path(__file__).parent / "static" / "favicon.png"  # shipped: an icon name would be fetched from a font CDN

# url path -> (page file, label key, icon, the action whose role opens it)
PROTECTED = {
    "lab": ("lab.py", "nav_lab", ":material/science:", "fit"),
    "workshop_admin": ("workshop_admin.py", "nav_workshop_admin", ":material/co_present:", "create_workshop"),
    "workshop_live": ("workshop_live.py", "nav_workshop_live", ":material/monitoring:", "watch_workshop"),
    "versions": ("versions.py", "nav_versions", ":material/history:", "activate"),
    "accounts": ("accounts.py", "nav_accounts", ":material/manage_accounts:", "manage_accounts"),
    "audit": ("audit.py", "nav_audit", ":material/policy:", "read_audit"),
}


def _gated(url_path: str, action: str, L: str):
    """A stand-in page for a protected URL: the sign-in (or why the role is not enough), never the page."""
    def page() -> None:
        gate(action, L, f"/{url_path}")
    page.__name__ = f"gate_{url_path}"
    return page


def _protected_page(url_path: str, L: str) -> st.Page:
    file, label, icon, action = PROTECTED[url_path]
    if may(current_actor(), action):
        return st.Page(PAGES / file, title=t(label, L), icon=icon, url_path=url_path)
    return st.Page(_gated(url_path, action, L), title=t(label, L), icon=icon, url_path=url_path, visibility="hidden")


st.set_page_config(page_title="cbec-benchmark", page_icon=str(ICON), layout="wide")
language_picker()
L = lang()
inject_style(L)
try:
    store_ready()
except StoreUnavailable as exc:  # not cached: the next rerun tries again
    show_incident(exc)
    st.stop()
signed_in = current_actor().signed_in
router = st.navigation([
    st.Page(PAGES / "assess.py", title=t("nav_assess", L), icon=":material/edit_note:", default=True, url_path="assess"),
    st.Page(PAGES / "history.py", title=t("nav_history", L), icon=":material/key:", url_path="history"),
    st.Page(PAGES / "workshop_join.py", title=t("nav_workshop_join", L), icon=":material/groups:", url_path="workshop_join"),
    st.Page(PAGES / "zones.py", title=t("nav_zones", L), icon=":material/map:", url_path="zones"),
    *(_protected_page(path, L) for path in PROTECTED),
    st.Page(PAGES / "replication.py", title=t("nav_replication", L), icon=":material/menu_book:", url_path="replication"),
    st.Page(PAGES / "about.py", title=t("nav_about", L), icon=":material/info:", url_path="about"),
    st.Page(PAGES / "signin.py", title=t("nav_signin", L), icon=":material/login:", url_path="signin",
            visibility="hidden" if signed_in else "visible"),
])
sidebar_account(L)
st.sidebar.caption(t("app_title", L))
try:
    router.run()
except Exception as exc:  # noqa: BLE001 - the error boundary: st.stop/st.rerun are BaseException and pass through
    show_incident(exc)
