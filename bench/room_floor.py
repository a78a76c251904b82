"""The floor of bench/room_load.py: a bare Streamlit app of the dashboard's workshop shape, without model or store layer.

The same pages (`workshop_join`, `workshop_live`), widget keys and labels as the dashboard, so the bench drives both
with one client: a join page with the mode radio and the quick form (five scores and the controls); a results section
of the same size (a select box, five plotly charts of the same kinds — the contour on the same 41×41 grid —, four
what-if sliders in a fragment, four recommendation cards, the save form, two download buttons); saves are rows in a
plain SQLite file (FLOOR_DB); the live page checks a code and a secret and refreshes a fragment with a count and four
charts. It starts as the dashboard does (no file watcher, the start-up heap frozen: app.state.store_ready), so
whatever the dashboard takes beyond this is the price of its model, its store and its code.

    streamlit run bench/room_floor.py   (FLOOR_DB, FLOOR_CODE, FLOOR_SECRET, FLOOR_REFRESH_S in the environment)
"""
from __future__ import annotations

import gc
import os
import sqlite3

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app.i18n import t  # light: the labels only, no model, no store

CODES = ("AIGC", "DC", "IO", "LSC", "HQD")
ITEMS = [f"{c}{i}" for c, n in zip(CODES, (4, 3, 3, 3, 6)) for i in range(1, n + 1)]  # 19, as the instrument
L = "en"


@st.cache_resource
def settle_heap() -> None:
    """The start-up heap out of the collector's reach, as app.state.store_ready does for the dashboard."""
    gc.collect()
    gc.freeze()


def store() -> sqlite3.Connection:
    connection = sqlite3.connect(os.environ["FLOOR_DB"], timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS saves (id INTEGER PRIMARY KEY, code TEXT, scores TEXT)")
    return connection


def charts(scores: dict) -> list[go.Figure]:
    """Five figures of the results' kinds: bars, a radar, an interval, a 41×41 contour, a labelled scatter."""
    values = [scores[c] for c in CODES]
    grid = np.linspace(1, 5, 41)
    surface = np.outer(grid, grid) / 25
    return [go.Figure(go.Bar(x=list(CODES), y=values)),
            go.Figure(go.Scatterpolar(r=values + values[:1], theta=list(CODES) + list(CODES[:1]), fill="toself")),
            go.Figure(go.Scatter(x=[values[-1]], y=["HQD"], error_x=dict(type="data", array=[0.4]))),
            go.Figure([go.Contour(x=grid, y=grid, z=surface, contours=dict(showlabels=True)),
                       go.Scatter(x=[scores["IO"]], y=[scores["LSC"]], mode="markers+text", text=["you"])]),
            go.Figure(go.Scatter(x=values[:4], y=[v * 20 for v in values[:4]], mode="markers+text", text=list(CODES[:4])))]


def submit() -> None:
    st.session_state["assessment"] = {c: st.session_state.get(f"s_{c}") for c in CODES}
    st.session_state.pop("saved_key", None)


@st.fragment
def what_if(scores: dict) -> None:
    cols = st.columns(4)
    moved = [col.slider(c, 1.0, 5.0, float(scores[c]), 0.05, key=f"whatif_{c}") for col, c in zip(cols, CODES[:4])]
    st.metric("HQD", f"{sum(moved) / 4:.2f}")


def join_page() -> None:
    st.title(t("nav_workshop_join", L))
    code = st.query_params.get("code", "")
    if "ws_joined" not in st.session_state:
        if code == os.environ["FLOOR_CODE"]:
            st.session_state["ws_joined"] = code
            st.rerun()
        st.error(t("ws_unknown", L, code=code))
        return
    st.info(t("ws_joined", L, name="floor"))
    st.button(t("ws_leave", L), key="ws_leave")
    st.write(t("assess_intro", L))
    quick = st.radio(t("mode", L), ["full", "quick"], horizontal=True, key="mode") == "quick"
    with st.form("questionnaire"):
        for c in CODES if quick else ():
            st.number_input(t("quick_score", L, construct=c), min_value=1.0, max_value=5.0, step=0.25, value=None, key=f"s_{c}")
        for item in () if quick else ITEMS:  # full mode: 19 five-point items with end captions, as the dashboard
            st.radio(item, [1, 2, 3, 4, 5], index=None, horizontal=True, key=f"q_{item}",
                     captions=["disagree", "", "", "", "agree"])
        st.number_input("firm size", min_value=1, step=1, value=None, key="c_firm_size")
        st.selectbox("region", ["east", "central", "west"], index=None, key="c_region")
        st.radio("pilot zone", [1, 0], index=None, horizontal=True, key="c_pilot_zone")
        st.number_input("firm age", min_value=0, step=1, value=None, key="c_firm_age")
        st.radio("business model", ["B2B", "B2C"], index=None, horizontal=True, key="c_business_model")
        st.selectbox("province", ["Zhejiang", "Sichuan"], index=None, key="c_province")
        st.text_input("zone", key="c_zone", max_chars=40)
        st.form_submit_button(t("submit", L), type="primary", on_click=submit)
    scores = st.session_state.get("assessment")
    if not scores:
        return
    st.header(t("results", L))
    st.selectbox(t("peer_segment", L), ["all", "region", "size_band"], key="peer_dimension")
    for i, figure in enumerate(charts(scores)):
        st.plotly_chart(figure, width="stretch", key=f"chart_{i}")
        st.caption(f"reading {i}")
        if i == 4:
            what_if(scores)
    st.subheader(t("recommendations", L))
    for c in CODES[:4]:
        with st.container(border=True):
            st.markdown(f"**{c}**")
            st.write("an action")
    st.subheader(t("save_title", L))
    if st.session_state.get("saved_key"):
        st.success(t("saved", L, key=st.session_state["saved_key"]))
    else:
        with st.form("save"):
            consent = st.checkbox(t("save_consent", L), key="save_consent")
            st.text_input(t("save_key_optional", L), key="save_key", max_chars=12)
            if st.form_submit_button(t("save_button", L)) and consent:
                row = store().execute("INSERT INTO saves (code, scores) VALUES (?, ?)", (code, repr(scores))).lastrowid
                st.session_state["saved_key"] = f"K{row:06d}"
                st.rerun()
    left, right = st.columns(2)
    left.download_button("HTML", lambda: repr(scores), file_name="r.html", key="dl_html")
    right.download_button("PDF", lambda: repr(scores).encode(), file_name="r.pdf", key="dl_pdf")


@st.fragment(run_every=int(os.environ["FLOOR_REFRESH_S"]))
def live_panel() -> None:
    n = store().execute("SELECT COUNT(*) FROM saves").fetchone()[0]
    st.metric(t("ws_joined_count", L), n)
    for i in range(4):
        st.plotly_chart(go.Figure(go.Bar(x=list(CODES), y=[n, n / 2, n / 3, n / 4, n / 5])), key=f"ws_chart_{i}")


def live_page() -> None:
    st.title(t("nav_workshop_live", L))
    if "ws_live" not in st.session_state:
        with st.form("ws_live_form"):
            code = st.text_input(t("ws_join_code", L), key="ws_live_code")
            secret = st.text_input(t("ws_secret", L), type="password", key="ws_live_secret")
            if st.form_submit_button(t("ws_open_live", L)) and (code, secret) == (os.environ["FLOOR_CODE"], os.environ["FLOOR_SECRET"]):
                st.session_state["ws_live"] = code
                st.rerun()
        return
    live_panel()


st.set_page_config(page_title="floor", layout="wide")
settle_heap()
st.sidebar.radio("Language", ["en", "zh"], key="lang", horizontal=True)
st.navigation([st.Page(join_page, url_path="workshop_join", default=True), st.Page(live_page, url_path="workshop_live")]).run()
