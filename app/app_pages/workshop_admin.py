"""Run a workshop: open one, hand out the join code, link and QR code; keep the facilitator secret (shown once)."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from app.i18n import error_text, t
from app.ui.clock import local_time, to_utc, user_zone
from app.ui.state import lang, store_ready
from app.ui.workshop import current_url, join_link, qr_svg
from app.ui.access import current_actor, refusal
from db.engine import StoreError
from db.workshops import create_workshop

CREATED = "ws_created"  # {name, code, closes, link, secret}; the secret is dropped once the facilitator hides it

L = lang()
store_ready()
st.title(t("nav_workshop_admin", L))
st.write(t("ws_admin_intro", L))

created = st.session_state.get(CREATED)
if created is None:
    default_close = datetime.now(user_zone(L)) + timedelta(hours=4)  # a half-day workshop, in the facilitator's time
    with st.form("ws_create_form", enter_to_submit=False):
        name = st.text_input(t("ws_name", L), max_chars=200, key="ws_name")
        left, right = st.columns(2)
        with left:
            day = st.date_input(t("ws_closes_date", L), value=default_close.date(), key="ws_closes_date")
        with right:
            hour = st.time_input(t("ws_closes_time", L), value=time(default_close.hour, 0), key="ws_closes_time")
        submitted = st.form_submit_button(t("ws_create", L), type="primary")
    if submitted:
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
                code = new.workshop.join_code
                st.session_state[CREATED] = {"name": new.workshop.name, "code": code, "secret": new.secret,
                                             "closes": local_time(closes, L),
                                             "link": join_link(code, current_url(), L)}
                st.rerun()
else:
    st.success(t("ws_created", L, name=created["name"], closes=created["closes"]))
    left, right = st.columns([3, 2])
    with left:
        st.metric(t("ws_join_code", L), created["code"])
        st.markdown(f"**{t('ws_join_link', L)}**")
        st.code(created["link"], language=None)
        if created.get("secret"):
            st.warning(t("ws_secret_warning", L), icon=":material/key:")
            st.markdown(f"**{t('ws_secret', L)}**")
            st.code(created["secret"], language=None)
            if st.button(t("ws_secret_done", L), key="ws_secret_done"):
                st.session_state[CREATED] = {k: v for k, v in created.items() if k != "secret"}
                st.rerun()
    with right:
        st.image(qr_svg(created["link"]), caption=t("ws_qr_caption", L), width=240)
    if st.button(t("ws_new", L), key="ws_new"):
        del st.session_state[CREATED]
        st.rerun()
