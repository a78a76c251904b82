"""The facilitator's live view of a workshop: join code and secret first; then the join screen on demand, and the
room (how many joined, saved, still answering: counts only) and the cohort, refreshing on its own.

The cohort panel is a fragment that reruns every LIVE_REFRESH_S seconds over queries cached for 5 s and
shared by every session, so any number of open live views cost the store at most one query per workshop
every few seconds. Fewer than 5 firms: the count only; the figures are the cohort's at its last step of 5 new
firms (enforced in cbec_core.cohort).
"""
from __future__ import annotations

import streamlit as st

from app.i18n import t
from app.ui.state import benchmark, benchmark_banner, lang
from app.report.workshop import cohort_html, cohort_xlsx
from app.ui.workshop import (
    LIVE_REFRESH_S,
    close_now,
    cohort_records,
    join_screen,
    live_cohort,
    room_progress,
    summarise,
    workshop_by_code,
    workshop_status,
)
from cbec_core.cohort import MIN_COHORT
from app.ui.access import current_actor, session_key
from db.engine import StoreError
from db.throttle import Throttled
from db.workshops import find_workshop, verify_secret

LIVE = "ws_live"  # the workshop (id, code) whose secret this session proved
EXPORTS = "ws_exports"  # the files last prepared in this session ({"n", "xlsx", "html"}), or None

L = lang()
fit_id, fitted = benchmark()
st.title(t("nav_workshop_live", L))

if LIVE not in st.session_state:
    st.write(t("ws_live_intro", L))
    with st.form("ws_live_form", enter_to_submit=False):
        code = st.text_input(t("ws_join_code", L), max_chars=12, key="ws_live_code")
        secret = st.text_input(t("ws_secret", L), type="password", max_chars=20, key="ws_live_secret")
        pressed = st.form_submit_button(t("ws_open_live", L), type="primary")
    if pressed:
        try:
            ok = verify_secret(code, secret, actor=current_actor(), session_key=session_key())
        except Throttled as exc:
            st.error(t("store_throttled", L, seconds=exc.seconds))
            st.stop()
        except StoreError:
            st.error(t("ws_unknown", L, code=code.strip().upper()))
        else:
            if not ok:
                st.error(t("ws_wrong_secret", L))
            else:
                workshop = find_workshop(code)
                st.session_state[LIVE] = {"id": workshop.id, "code": workshop.join_code}
                st.rerun()
    st.stop()

live = st.session_state[LIVE]
benchmark_banner(fitted)


@st.fragment(run_every=LIVE_REFRESH_S)
def live_panel(workshop_id: int, code: str) -> None:
    """The room's counts and the cohort's figures, rerun on their own every LIVE_REFRESH_S seconds."""
    workshop = workshop_by_code(code)
    st.subheader(t("ws_live_title", L, name=workshop.name))
    st.caption(workshop_status(workshop, L))
    summary, charts = live_cohort(workshop_id, fit_id, L)
    progress = room_progress(workshop_id)
    joined, saved, answering = st.columns(3)
    joined.metric(t("ws_joined_count", L), progress.joined)
    saved.metric(t("ws_saved_count", L), progress.saved)
    answering.metric(t("ws_answering_count", L), progress.answering)
    st.caption(t("ws_progress_note", L, joined=progress.joined, saved=progress.saved, answering=progress.answering))
    st.caption(t("ws_refresh_note", L, s=LIVE_REFRESH_S))
    if summary.suppressed:
        st.info(t("ws_too_few", L, min=MIN_COHORT))
        return
    st.caption(t("ws_step_note", L, n=summary.n))
    for key, (figure, reading) in charts.items():
        st.plotly_chart(figure, width="stretch", key=f"ws_chart_{key}")
        st.caption(reading)


@st.fragment
def export_panel(workshop_id: int, code: str) -> None:
    """The exports, outside the self-refreshing panel so that a refresh never swaps a button out from under
    a click; the files are built from the cohort as it stands when the facilitator presses Prepare."""
    st.subheader(t("ws_exports", L))
    if st.button(t("ws_prepare_exports", L), key="ws_prepare", icon=":material/inventory:"):
        workshop = workshop_by_code(code)
        records = cohort_records(workshop_id)
        summary = summarise(records, fitted)
        st.session_state[EXPORTS] = None if summary.suppressed else {
            "n": summary.n, "xlsx": cohort_xlsx(records, workshop.name, fitted, L),
            "html": cohort_html(workshop.name, summary, fitted, L)}
        if summary.suppressed:
            st.info(t("ws_too_few", L, min=MIN_COHORT))
    files = st.session_state.get(EXPORTS)
    if files:
        st.caption(t("ws_exports_ready", L, n=files["n"]))
        left, right = st.columns(2)
        left.download_button(t("ws_export_xlsx", L), files["xlsx"], file_name=f"workshop-{code}.xlsx", on_click="ignore",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="ws_dl_xlsx")
        right.download_button(t("ws_export_html", L), files["html"], file_name=f"workshop-{code}.html", on_click="ignore",
                              mime="text/html", key="ws_dl_html")
        st.caption(t("ws_export_note", L))


with st.expander(t("ws_show_join_screen", L), icon=":material/qr_code_2:"):
    watched = workshop_by_code(live["code"])
    if watched.is_open():
        join_screen(watched, L)
    else:
        st.caption(t("ws_closed", L, name=watched.name))
live_panel(live["id"], live["code"])
export_panel(live["id"], live["code"])

with st.expander(t("ws_close", L)):
    # a callback, so the panel above already shows the workshop closed on this very rerun
    if st.button(t("ws_close_confirm", L), key="ws_close", type="primary", on_click=close_now, args=(live["id"], current_actor())):
        st.success(t("ws_closed_now", L))
if st.button(t("ws_sign_out", L), key="ws_sign_out"):
    del st.session_state[LIVE]
    st.rerun()
