"""Run a workshop: open one, hand out the join code, link and QR code; keep the facilitator secret (shown once).

The join screen of any workshop not closed yet can be shown again from the list below the form (its code is in
the address, `?show=CODE`, so a reload keeps it on screen); the secret cannot: only its hash is stored.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from app.i18n import t
from app.ui.access import current_actor, refusal
from app.ui.clock import local_time, to_utc, user_zone
from app.ui.state import lang, store_ready
from app.ui.workshop import join_screen, workshop_status
from db.engine import StoreError
from db.workshops import WorkshopInfo, create_workshop, open_workshops

CREATED = "ws_created"  # {code, secret}: the workshop created in this session; the secret goes once the facilitator hides it
SHOW = "show"  # the query parameter naming the workshop whose join screen is on show


def create_form() -> None:
    """The form that opens a workshop; on success its join screen (and secret) is shown."""
    default_close = datetime.now(user_zone(L)) + timedelta(hours=4)  # a half-day workshop, in the facilitator's time
    with st.form("ws_create_form", enter_to_submit=False):
        name = st.text_input(t("ws_name", L), max_chars=200, key="ws_name")
        left, right = st.columns(2)
        with left:
            day = st.date_input(t("ws_closes_date", L), value=default_close.date(), key="ws_closes_date")
        with right:
            hour = st.time_input(t("ws_closes_time", L), value=time(default_close.hour, 0), key="ws_closes_time")
        submitted = st.form_submit_button(t("ws_create", L), type="primary")
    if not submitted:
        return
    closes = to_utc(day, hour, L)  # typed in local time, stored in UTC
    if not name.strip():
        st.error(t("ws_name_missing", L))
    elif closes <= datetime.now(UTC):
        st.error(t("ws_closes_past", L))
    else:
        try:
            new = create_workshop(name, closes_at=closes, actor=current_actor())
        except StoreError as exc:
            st.error(refusal(exc, L))
        else:
            st.session_state[CREATED] = {"code": new.workshop.join_code, "secret": new.secret}
            st.query_params[SHOW] = new.workshop.join_code
            st.rerun()


def open_list(workshops: list[WorkshopInfo]) -> None:
    """Every workshop not closed yet, each with a button that puts its join screen back on the room's screen."""
    st.subheader(t("ws_open_title", L))
    if not workshops:
        st.caption(t("ws_open_none", L))
    for workshop in workshops:
        with st.container(border=True):
            st.markdown(t("ws_open_item", L, name=workshop.name, code=workshop.join_code))
            st.caption(workshop_status(workshop, L))
            if st.button(t("ws_show_join_screen", L), key=f"ws_show_{workshop.join_code}", icon=":material/qr_code_2:"):
                st.query_params[SHOW] = workshop.join_code
                st.rerun()


def shown_screen(workshop: WorkshopInfo) -> None:
    """A workshop's join screen; just after creation, with the secret until the facilitator hides it."""
    created = st.session_state.get(CREATED)
    just_created = created is not None and created["code"] == workshop.join_code
    if just_created:
        st.success(t("ws_created", L, name=workshop.name, closes=local_time(workshop.closes_at, L)))
    else:
        st.subheader(workshop.name)
        st.caption(workshop_status(workshop, L))
    join_screen(workshop, L)
    if just_created and created.get("secret"):
        st.warning(t("ws_secret_warning", L), icon=":material/key:")
        st.markdown(f"**{t('ws_secret', L)}**")
        st.code(created["secret"], language=None)
        if st.button(t("ws_secret_done", L), key="ws_secret_done"):
            st.session_state[CREATED] = {"code": created["code"]}
            st.rerun()
    if st.button(t("ws_back_to_list", L), key="ws_back", icon=":material/arrow_back:"):
        st.query_params.pop(SHOW, None)
        st.session_state.pop(CREATED, None)
        st.rerun()


L = lang()
store_ready()
st.title(t("nav_workshop_admin", L))
try:
    workshops = open_workshops(actor=current_actor())
except StoreError as exc:
    st.error(refusal(exc, L))
    st.stop()
asked = st.query_params.get(SHOW)
shown = next((w for w in workshops if w.join_code == asked), None)
if shown is not None:
    shown_screen(shown)
else:
    if asked:
        st.warning(t("ws_show_gone", L, code=asked[:12]))
    st.write(t("ws_admin_intro", L))
    create_form()
    open_list(workshops)
