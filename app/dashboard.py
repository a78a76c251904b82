"""The dashboard's entry point: page setup, the language switch and the router (`st.navigation`).

Start it with `cbec serve` (or `make run`); each page lives in app/app_pages/ and reads like the page.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.i18n import t
from app.ui.state import lang, language_picker, store_ready

PAGES = Path(__file__).parent / "app_pages"  # not "pages/": Streamlit would treat that as a legacy multipage app

st.set_page_config(page_title="cbec-benchmark", page_icon=":material/insights:", layout="wide")
store_ready()
language_picker()
L = lang()
router = st.navigation([
    st.Page(PAGES / "assess.py", title=t("nav_assess", L), icon=":material/edit_note:", default=True, url_path="assess"),
    st.Page(PAGES / "history.py", title=t("nav_history", L), icon=":material/key:", url_path="history"),
    st.Page(PAGES / "workshop_join.py", title=t("nav_workshop_join", L), icon=":material/groups:", url_path="workshop_join"),
    st.Page(PAGES / "zones.py", title=t("nav_zones", L), icon=":material/map:", url_path="zones"),
    st.Page(PAGES / "lab.py", title=t("nav_lab", L), icon=":material/science:", url_path="lab"),
    st.Page(PAGES / "workshop_admin.py", title=t("nav_workshop_admin", L), icon=":material/co_present:",
            url_path="workshop_admin"),
    st.Page(PAGES / "workshop_live.py", title=t("nav_workshop_live", L), icon=":material/monitoring:",
            url_path="workshop_live"),
    st.Page(PAGES / "versions.py", title=t("nav_versions", L), icon=":material/history:", url_path="versions"),
    st.Page(PAGES / "replication.py", title=t("nav_replication", L), icon=":material/menu_book:", url_path="replication"),
    st.Page(PAGES / "about.py", title=t("nav_about", L), icon=":material/info:", url_path="about"),
])
st.sidebar.caption(t("app_title", L))
router.run()
