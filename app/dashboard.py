"""The dashboard's entry point: page setup, the language switch and the router (`st.navigation`).

Start it with `cbec serve` (or `make run`); each page lives in app/views/ and reads like the page.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.i18n import t
from app.state import lang, language_picker, store_ready
from db.engine import StoreUnavailable

VIEWS = Path(__file__).parent / "views"

st.set_page_config(page_title="cbec-benchmark", page_icon=":material/insights:", layout="wide")
language_picker()
L = lang()
try:
    store_ready()
except StoreUnavailable:  # not cached: the next rerun tries again
    st.error(t("store_unavailable", L), icon=":material/cloud_off:")
    st.stop()
router = st.navigation([
    st.Page(VIEWS / "assess.py", title=t("nav_assess", L), icon=":material/edit_note:", default=True, url_path="assess"),
    st.Page(VIEWS / "history.py", title=t("nav_history", L), icon=":material/key:", url_path="history"),
    st.Page(VIEWS / "workshop_join.py", title=t("nav_workshop_join", L), icon=":material/groups:", url_path="workshop_join"),
    st.Page(VIEWS / "zones.py", title=t("nav_zones", L), icon=":material/map:", url_path="zones"),
    st.Page(VIEWS / "lab.py", title=t("nav_lab", L), icon=":material/science:", url_path="lab"),
    st.Page(VIEWS / "workshop_admin.py", title=t("nav_workshop_admin", L), icon=":material/co_present:",
            url_path="workshop_admin"),
    st.Page(VIEWS / "workshop_live.py", title=t("nav_workshop_live", L), icon=":material/monitoring:",
            url_path="workshop_live"),
    st.Page(VIEWS / "versions.py", title=t("nav_versions", L), icon=":material/history:", url_path="versions"),
    st.Page(VIEWS / "replication.py", title=t("nav_replication", L), icon=":material/menu_book:", url_path="replication"),
    st.Page(VIEWS / "about.py", title=t("nav_about", L), icon=":material/info:", url_path="about"),
])
st.sidebar.caption(t("app_title", L))
try:
    router.run()
except StoreUnavailable:  # the database went away mid-page: say so in the reader's language, not a traceback
    st.error(t("store_unavailable", L), icon=":material/cloud_off:")
