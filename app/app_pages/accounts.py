"""Accounts (administrators): who may change what everyone sees, with which role; add, change role or password, remove."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app.i18n import t
from app.ui.access import current_actor, refusal, role_label
from app.ui.state import lang
from app.ui.clock import local_time
from db.accounts import add_account, list_accounts, remove_account, set_password, set_role
from db.engine import StoreError
from db.schema import ROLES

SAVED = "accounts_saved"  # a change was saved on the previous run: say so above the refreshed list

L = lang()
actor = current_actor()
st.title(t("nav_accounts", L))
st.write(t("accounts_intro", L))

if st.session_state.pop(SAVED, False):
    st.success(t("account_changed", L))
accounts = list_accounts()
if accounts:
    st.dataframe(pd.DataFrame({
        t("account_col_name", L): [a.username for a in accounts],
        t("account_col_role", L): [role_label(a.role, L) for a in accounts],
        t("account_col_email", L): [a.email or "" for a in accounts],
        t("account_col_created", L): [local_time(a.created_at, L) for a in accounts],
    }), hide_index=True, width="stretch")
else:
    st.info(t("accounts_none", L))


def _done(action) -> None:
    """Run an account change; on success show the list again with "saved", else say why not in the user's language."""
    try:
        action()
    except StoreError as exc:
        st.error(refusal(exc, L))
    else:
        st.session_state[SAVED] = True
        st.rerun()


with st.expander(t("account_add", L), expanded=not accounts):
    with st.form("account_add", enter_to_submit=False):
        name = st.text_input(t("username", L), max_chars=64, key="account_name")
        role = st.selectbox(t("account_role", L), ROLES, format_func=lambda r: role_label(r, L), key="account_role")
        email = st.text_input(t("account_email", L), max_chars=254, key="account_email")
        password = st.text_input(t("account_password_new", L), type="password", max_chars=200, key="account_password",
                                 autocomplete="new-password")
        if st.form_submit_button(t("account_create", L), type="primary"):
            _done(lambda: add_account(name, role, password or None, email=email or None, actor=actor))

if accounts:
    with st.expander(t("account_change", L)):
        chosen = st.selectbox(t("account_pick", L), [a.username for a in accounts], key="account_pick")
        left, middle, right = st.columns(3)
        with left:
            new_role = st.selectbox(t("account_role", L), ROLES, format_func=lambda r: role_label(r, L), key="account_new_role")
            if st.button(t("account_set_role", L), key="account_set_role"):
                _done(lambda: set_role(chosen, new_role, actor=actor))
        with middle:
            new_password = st.text_input(t("account_password_new", L), type="password", key="account_new_password",
                                         autocomplete="new-password")
            if st.button(t("account_set_password", L), key="account_set_password"):
                _done(lambda: set_password(chosen, new_password, actor=actor))
        with right:
            sure = st.checkbox(t("account_remove_confirm", L, name=chosen), key="account_remove_sure")
            if st.button(t("account_remove", L), key="account_remove", disabled=not sure):
                _done(lambda: remove_account(chosen, actor=actor))
