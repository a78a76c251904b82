"""Sign in: researchers, facilitators and administrators; self-assessment needs no account."""
from __future__ import annotations

import streamlit as st

from app.i18n import t
from app.ui.access import current_actor, role_label, signin_form
from app.ui.state import lang

L = lang()
st.title(t("signin_title", L))
actor = current_actor()
if actor.signed_in:
    st.success(t("signin_ok", L, name=actor.name, role=role_label(actor.role, L)))
else:
    st.write(t("signin_intro", L))
    signin_form(L, "/signin")
