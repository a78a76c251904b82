"""The audit log (administrators): every sign-in and every change to shared state, filtered by action, person, outcome."""
from __future__ import annotations

import streamlit as st

from app.i18n import t
from app.ui.access import current_actor
from app.ui.state import lang
from app.ui.clock import local_time
from db.audit import ACTIONS, OUTCOMES, audit_entries

L = lang()
st.title(t("nav_audit", L))
st.write(t("audit_intro", L))
left, middle, right, last = st.columns(4)
action = left.selectbox(t("audit_action", L), ("", *ACTIONS), format_func=lambda a: a or t("audit_all", L))
who = middle.text_input(t("audit_actor", L), max_chars=64)
outcome = right.selectbox(t("audit_outcome", L), ("", *OUTCOMES), format_func=lambda o: o or t("audit_all", L))
limit = last.number_input(t("audit_limit", L), min_value=10, max_value=5000, value=200, step=50)

rows = audit_entries(current_actor(), limit=int(limit), action=action or None, actor=who.strip() or None,
                     outcome=outcome or None)
if rows.empty:
    st.info(t("audit_empty", L))
else:
    shown = rows.assign(at=rows["at"].map(lambda at: local_time(at, L)))[
        ["at", "actor", "role", "action", "target", "outcome", "detail", "client"]]
    st.dataframe(shown.rename(columns={
        "at": t("audit_col_at", L), "actor": t("audit_actor", L), "role": t("account_col_role", L),
        "action": t("audit_action", L), "target": t("audit_col_target", L), "outcome": t("audit_outcome", L),
        "detail": t("audit_col_detail", L), "client": t("audit_col_client", L)}), hide_index=True, width="stretch")
