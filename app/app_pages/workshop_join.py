"""Join a workshop: the join code (typed, or from the link's ?code=), then the self-assessment tagged with the workshop.

A participant sees only their own results: this page shows nothing of the cohort.
"""
from __future__ import annotations

import streamlit as st

from app.i18n import N_, t
from app.ui.clock import local_time
from app.ui.questionnaire import ANSWERS, questionnaire_form
from app.ui.results import render_results
from app.ui.state import benchmark, benchmark_banner, lang
from db.engine import StoreError
from db.schema import utcnow
from db.workshops import find_workshop

JOINED = "ws_joined"  # the workshop (id, name, code) this session takes part in

L = lang()
fit_id, fitted = benchmark()
st.title(t("nav_workshop_join", L))
benchmark_banner(fitted)


def check(code: str):
    """The workshop for a code if it takes entries now; otherwise show why not and return None."""
    try:
        workshop = find_workshop(code)
    except StoreError:
        problem = N_("ws_unknown") if len(code.replace("-", "").replace(" ", "")) == 6 else N_("ws_bad_code")
        st.error(t(problem, L, code=code.strip().upper()))
        return None
    now = utcnow()
    if now < workshop.opens_at:
        st.error(t("ws_not_open_yet", L, name=workshop.name, opens=local_time(workshop.opens_at, L)))
        return None
    if not workshop.is_open(now):
        st.error(t("ws_closed", L, name=workshop.name))
        return None
    return workshop


def join(workshop) -> None:
    previous = st.session_state.get(JOINED)
    if previous is None or previous["id"] != workshop.id:  # a fresh start: nothing answered elsewhere carries over
        for key in (ANSWERS, "saved_key", "questionnaire_errors"):
            st.session_state.pop(key, None)
    st.session_state[JOINED] = {"id": workshop.id, "name": workshop.name, "code": workshop.join_code}


joined = st.session_state.get(JOINED)
if joined is None:
    st.write(t("ws_join_intro", L))
    given = st.query_params.get("code")
    with st.form("ws_join_form", enter_to_submit=False):
        code = st.text_input(t("ws_code_input", L), value=given or "", max_chars=12, key="ws_code")
        pressed = st.form_submit_button(t("ws_join_button", L), type="primary")
    typed = code.strip() if pressed else (given or "").strip()
    if typed:
        workshop = check(typed)
        if workshop is not None:
            join(workshop)
            st.rerun()
else:
    workshop = check(joined["code"])  # closed or expired since joining: no more entries
    if workshop is None:
        st.session_state.pop(JOINED, None)
    else:
        st.info(t("ws_joined", L, name=workshop.name), icon=":material/groups:")
        if st.button(t("ws_leave", L), key="ws_leave"):
            for key in (JOINED, ANSWERS, "saved_key", "questionnaire_errors"):
                st.session_state.pop(key, None)
            st.query_params.clear()
            st.rerun()
        questionnaire_form(L)
        if ANSWERS in st.session_state:
            if not st.session_state.get("saved_key"):
                st.info(t("ws_save_reminder", L), icon=":material/save:")
            render_results(st.session_state[ANSWERS], fit_id, fitted, L, workshop_id=workshop.id)
