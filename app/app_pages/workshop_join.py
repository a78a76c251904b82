"""Join a workshop: the join code (typed, or from the link's ?code=), then the self-assessment tagged with the workshop.

A participant sees only their own results: this page shows nothing of the cohort. Entering a valid code counts this
browser session as joined (`db.workshops.record_join`: a count for the live view, nobody named). A workshop that
closes while the participant's results are on screen leaves them there, with their report, to save outside it.
"""
from __future__ import annotations

import streamlit as st

from app.i18n import N_, t
from app.ui.access import session_key
from app.ui.clock import local_time
from app.ui.questionnaire import ANSWERS, questionnaire_form
from app.ui.results import WORKSHOP_CLOSED, render_results
from app.ui.state import benchmark, benchmark_banner, lang
from db.engine import StoreError
from db.schema import utcnow
from db.workshops import find_workshop, record_join

JOINED = "ws_joined"  # the workshop (id, name, code) this session takes part in

L = lang()
fit_id, fitted = benchmark()
st.title(t("nav_workshop_join", L))
benchmark_banner(fitted)


def check(code: str, *, keep_closed: bool = False):
    """The workshop for a code if it takes entries now (or, with `keep_closed`, has closed since); otherwise show
    why not and return None."""
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
    if not workshop.is_open(now) and not keep_closed:
        st.error(t("ws_closed", L, name=workshop.name))
        return None
    return workshop


def join(workshop) -> bool:
    """Take part in a workshop in this session, counted once as joined; False (said why) if it closed meanwhile."""
    previous = st.session_state.get(JOINED)
    if previous is None or previous["id"] != workshop.id:  # a fresh start: nothing answered elsewhere carries over
        try:
            record_join(workshop.id, session_key())
        except StoreError:
            st.error(t("ws_closed", L, name=workshop.name))
            return False
        for key in (ANSWERS, "saved_key", "questionnaire_errors"):
            st.session_state.pop(key, None)
    st.session_state[JOINED] = {"id": workshop.id, "name": workshop.name, "code": workshop.join_code}
    return True


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
        if workshop is not None and join(workshop):
            st.rerun()
else:
    # closed or expired since joining: no more entries, but results already on screen stay, to save outside it
    workshop = check(joined["code"], keep_closed=ANSWERS in st.session_state)
    if workshop is None:
        st.session_state.pop(JOINED, None)
    else:
        open_now = workshop.is_open()
        if open_now:
            st.info(t("ws_joined", L, name=workshop.name), icon=":material/groups:")
        else:
            if not st.session_state.get("saved_key"):  # saved before it closed: that assessment is in the workshop
                st.session_state[WORKSHOP_CLOSED] = workshop.id
            st.warning(t("ws_closed_keep_results", L, name=workshop.name), icon=":material/event_busy:")
        if st.button(t("ws_leave", L), key="ws_leave"):
            for key in (JOINED, ANSWERS, "saved_key", "questionnaire_errors", WORKSHOP_CLOSED):
                st.session_state.pop(key, None)
            st.query_params.clear()
            st.rerun()
        questionnaire_form(L)
        if ANSWERS in st.session_state:
            if open_now and not st.session_state.get("saved_key"):
                st.info(t("ws_save_reminder", L), icon=":material/save:")
            render_results(st.session_state[ANSWERS], fit_id, fitted, L, workshop_id=workshop.id)
